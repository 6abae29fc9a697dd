"""The words of the loaders' reports in the language in use (room io): rows, times, spans, counts, delimiters.

The reports of :mod:`casebook.io.posts`, :mod:`casebook.io.conversations` and :mod:`casebook.io.transactions`
are printed by ``casebook validate`` (in English) and by the chapters, which may run in French
(:func:`casebook.i18n.use`). These helpers write their recurring pieces: in English exactly as the
reports always did, in French through the catalog (``casebook-io.po``) and :mod:`casebook.i18n`.
Error messages stay English: they use :func:`casebook.errors.format_rows` directly.

May import: the foundation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casebook import i18n
from casebook.errors import MAX_ROWS_SHOWN, format_rows
from casebook.i18n import gettext as _


def count(n: int | float) -> str:
    """A count with thousands separators: ``5,000`` in English, ``5 000`` (U+202F) in French."""
    return i18n.fmt(int(n), ",d")


def plain(n: int) -> str:
    """A count English writes without separators (``500``, ``1500``): grouped the French way in French."""
    return str(int(n)) if i18n.current() == "en" else count(n)


def plural(n: int, one: str | None, many: str, **fields: str) -> str:
    """``one`` when ``n`` is 1 (None: ``many`` always), else ``many`` (both already translated), with ``{n}``
    filled by :func:`count` and the other fields by ``fields``."""
    return (one if n == 1 and one is not None else many).format(n=count(n), **fields)


def translated() -> bool:
    """True when the report is written in another language than English (whose reports use one form for
    every count in some lines, which the translation writes in the singular for one)."""
    return i18n.current() != i18n.LANGS[0]


def row_count(n: int) -> str:
    """A table's number of rows: ``5,000 rows`` / ``5 000 lignes`` (English writes ``rows`` even for one)."""
    return plural(n, _("{n} row") if translated() else None, _("{n} rows"))


def rows_text(rows: Iterable[int]) -> str:
    """Spreadsheet rows as a report names them: ``rows 3, 7`` / ``lignes 3, 7`` (numbers as in the sheet)."""
    rows = sorted(set(int(r) for r in rows))
    if i18n.current() == "en":
        return format_rows(rows)
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS_SHOWN])
    text = (_("row {rows}") if len(rows) == 1 else _("rows {rows}")).format(rows=shown)
    if len(rows) > MAX_ROWS_SHOWN:
        text += _(", … ({n} in all)").format(n=count(len(rows)))
    return text


def when(moment: Any) -> str:
    """A time of day in a report: ``2014-01-15 04:00`` in English, ``15 janvier 2014 à 04:00`` in French
    (``1er`` for the first of a month)."""
    if i18n.current() == "en":
        return f"{moment:%Y-%m-%d %H:%M}"
    day = i18n.date(moment, "d MMMM y")
    if getattr(moment, "day", 0) == 1 and i18n.current() == "fr":
        day = "1er" + day[1:]
    return _("{day} at {time}").format(day=day, time=f"{moment:%H:%M}")


def span(first: Any, last: Any) -> str:
    """A date range's two ends: ``2014-01-15 04:00 to 2014-12-31 03:00`` / ``du … au …``."""
    return _("{first} to {last}").format(first=when(first), last=when(last))


def delimiter(sep: str | None) -> str:
    """A sniffed delimiter as a report shows it: ``','``, ``tab`` or ``n/a``."""
    return {None: _("n/a"), "\t": _("tab")}.get(sep, repr(sep))


__all__ = ["count", "delimiter", "plain", "plural", "row_count", "rows_text", "span", "translated", "when"]
