"""What loading a post export found (room io): missing values, notes, the layout and its basis, and the
problems ``casebook validate`` lists.

May import: the foundation, io.tables and io.layouts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from casebook.errors import InputError, format_rows
from casebook.io.layouts import layout_title
from casebook.io.tables import TableInfo


@dataclass
class MissingValues:
    """Empty cells found in one column and what the loader did with them."""

    column: str
    rows: list[int]
    handling: str

    def line(self) -> str:
        """'Paid: 1 empty cell (row 500): left unknown ...'."""
        n = len(self.rows)
        return f"{self.column}: {n} empty cell{'s' if n != 1 else ''} ({format_rows(self.rows)}): {self.handling}"


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
        sep = {None: "n/a", "\t": "tab"}.get(self.table.delimiter, repr(self.table.delimiter))
        out = [
            f"file: {self.path}",
            f"layout: {layout_title(self.layout)}" + (f" ({self.network})" if self.network not in ("", "other") else ""),
            f"format: {self.table.format}; encoding: {self.table.encoding or 'n/a'}; delimiter: {sep}; "
            f"decimal mark: {self.table.decimal!r}",
            f"rows read: {self.table.rows:,}; posts kept: {self.posts:,}"
            + (f" ({self.filtered_out:,} outside the since/until window)" if self.filtered_out else ""),
        ]
        if self.first is not None and self.last is not None:
            out.append(f"date range: {self.first:%Y-%m-%d %H:%M} to {self.last:%Y-%m-%d %H:%M}"
                       + (" (reconstructed)" if self.dates_reconstructed else ""))
        if self.pages:
            out.append("page: " + ", ".join(self.pages) if len(self.pages) == 1 else
                       f"pages ({len(self.pages)}): " + ", ".join(self.pages))
        out.append(f"engagement rate basis: interactions ÷ {self.basis}"
                   + ("" if self.basis == "reach" else " (views or impressions: the export has no reach)"))
        out += [f"missing values: {m.line()}" for m in self.missing]
        if not self.missing:
            out.append("missing values: none")
        if self.absent:
            out.append("not in this export (left empty): " + ", ".join(self.absent))
        out += [f"note: {n}" for n in self.notes]
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
