"""What loading a post export found (room io): missing values, notes, the layout and its basis, and the
problems ``casebook validate`` lists.

May import: the foundation, io.tables and io.layouts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from casebook.errors import InputError
from casebook.i18n import gettext as _
from casebook.io.layouts import layout_title
from casebook.io.report_words import count, delimiter, plural, rows_text, span
from casebook.io.tables import TableInfo


def shown_layout(name: str) -> str:
    """A post layout's title in the language in use (its TOML title in English, or when it changed)."""
    title = layout_title(name)
    titles = {
        "UCI Facebook metrics (';' layout, Moro et al. 2016)": _("UCI Facebook metrics (';' layout, Moro et al. 2016)"),
        "legacy Facebook Insights post data": _("legacy Facebook Insights post data"),
        "LinkedIn Page content export (All posts sheet)": _("LinkedIn Page content export (All posts sheet)"),
        "Meta Business Suite Facebook post export": _("Meta Business Suite Facebook post export"),
        "Meta Business Suite Instagram post export": _("Meta Business Suite Instagram post export"),
        "TikTok Studio content export (Content.csv)": _("TikTok Studio content export (Content.csv)"),
        "X account analytics content export (posts)": _("X account analytics content export (posts)"),
        "X (Twitter) classic Tweet activity export": _("X (Twitter) classic Tweet activity export"),
        "YouTube Studio Advanced mode content export (Table data.csv)":
            _("YouTube Studio Advanced mode content export (Table data.csv)"),
        "column mapping given by the caller": _("column mapping given by the caller"),
    }
    return titles.get(title, title)


def basis_word(basis: str) -> str:
    """An engagement-rate basis (a canonical column: reach, impressions, views) in the language in use."""
    return {"reach": _("reach"), "impressions": _("impressions"), "views": _("views")}.get(basis, basis)


@dataclass
class MissingValues:
    """Empty cells found in one column and what the loader did with them."""

    column: str
    rows: list[int]
    handling: str

    def line(self) -> str:
        """'Paid: 1 empty cell (row 500): left unknown ...'."""
        cells = plural(len(self.rows), _("{n} empty cell"), _("{n} empty cells"))
        return _("{column}: {cells} ({rows}): {handling}").format(column=self.column, cells=cells,
                                                                  rows=rows_text(self.rows), handling=self.handling)


@dataclass
class LoadReport:
    """What :func:`load_posts` found: printed by ``casebook validate posts``."""

    path: str
    layout: str
    table: TableInfo
    posts: int = 0
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    dates_reconstructed: bool = False
    missing: list[MissingValues] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    filtered_out: int = 0
    basis: str = "reach"
    network: str = ""
    pages: list[str] = field(default_factory=list)

    @property
    def encoding(self) -> str | None:
        """The sniffed text encoding (None for XLSX/Parquet)."""
        return self.table.encoding

    @property
    def delimiter(self) -> str | None:
        """The sniffed field delimiter (None for XLSX/Parquet)."""
        return self.table.delimiter

    @property
    def decimal(self) -> str:
        """The decimal mark numbers were read with."""
        return self.table.decimal

    def lines(self) -> list[str]:
        """The report as lines of text."""
        out = [
            _("file: {path}").format(path=self.path),
            _("layout: {title}").format(title=shown_layout(self.layout))
            + (f" ({self.network})" if self.network not in ("", "other") else ""),
            _("format: {format}; encoding: {encoding}; delimiter: {delimiter}; decimal mark: {decimal}").format(
                format=self.table.format, encoding=self.table.encoding or _("n/a"),
                delimiter=delimiter(self.table.delimiter), decimal=repr(self.table.decimal)),
            _("rows read: {rows}; posts kept: {posts}").format(rows=count(self.table.rows), posts=count(self.posts))
            + (_(" ({n} outside the since/until window)").format(n=count(self.filtered_out))
               if self.filtered_out else ""),
        ]
        if self.first is not None and self.last is not None:
            out.append(_("date range: {span}").format(span=span(self.first, self.last))
                       + (_(" (reconstructed)") if self.dates_reconstructed else ""))
        if self.pages:
            # a page named by a chapter's default (a catalog message) is shown in the report's language
            pages = ", ".join(_(name) for name in self.pages)
            out.append(_("page: {name}").format(name=pages) if len(self.pages) == 1 else
                       _("pages ({n}): {names}").format(n=count(len(self.pages)), names=pages))
        out.append(_("engagement rate basis: interactions ÷ {basis}").format(basis=basis_word(self.basis))
                   + ("" if self.basis == "reach" else _(" (views or impressions: the export has no reach)")))
        out += [_("missing values: {line}").format(line=m.line()) for m in self.missing]
        if not self.missing:
            out.append(_("missing values: none"))
        if self.absent:
            out.append(_("not in this export (left empty): {columns}").format(columns=", ".join(self.absent)))
        out += [_("note: {note}").format(note=n) for n in self.notes]
        return out


class Problems:
    """Where load_posts puts the blocking problems it finds: raised at once, or (``collect``) kept so
    ``casebook validate`` can list every one of them."""

    def __init__(self, collect: bool = False) -> None:
        self.collect = collect
        self.errors: list[InputError] = []
        self.failed: set[str] = set()

    @contextmanager
    def check(self, column: str | None = None) -> Iterator[None]:
        """Run a check; its InputError is raised, or kept (with the column marked failed) when collecting."""
        try:
            yield
        except InputError as exc:
            if not self.collect:
                raise
            self.errors.append(exc)
            if column is not None:
                self.failed.add(column)
