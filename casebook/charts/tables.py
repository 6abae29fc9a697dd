"""Tables for readers (room charts): a frame or a figures dict as a reader sees it, through pandas Styler.

No index column, readable headers, numbers rounded and in their units, empty cells shown as a dash;
the HTML is a plain table (nothing loaded from anywhere, text escaped) and the plain-text form is the same table, so
stored notebook outputs stay identical from one run to the next. May import: the foundation.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from casebook import i18n
from casebook.i18n import gettext as _

#: A cell format: a ``str.format`` pattern such as ``"{:.1%}"`` or a function of the value.
Format = str | Callable[[Any], str]

#: What an empty cell shows.
EMPTY = "–"


class ReadableTable(Styler):
    """A Styler whose plain-text form is the formatted table itself (no object address in outputs)."""

    def __repr__(self) -> str:
        return self.data.to_string(index=False)


def label(column: object) -> str:
    """A header from a column name: ``"posts_per_day"`` → ``"Posts per day"``."""
    text = str(column).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def fmt(value: Any, pattern: Format | None) -> str:
    """One cell as text, in the current language: empty cells as :data:`EMPTY`, then the pattern (a
    ``str.format`` pattern's field is written by :func:`casebook.i18n.fmt`), else a default by type
    (thousands separators, two decimals for floats, dates as YYYY-MM-DD)."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return EMPTY
    if pattern is not None:
        if callable(pattern):
            return pattern(value)
        return i18n.format_pattern(pattern, _plain(value))
    if isinstance(value, (bool, np.bool_)):
        return _("yes") if value else _("no")
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int) or (hasattr(value, "dtype") and pd.api.types.is_integer_dtype(value.dtype)):
        return i18n.number(int(value))
    if isinstance(value, float) or (hasattr(value, "dtype") and pd.api.types.is_float_dtype(value.dtype)):
        value = float(value)
        return i18n.number(value, 0 if value.is_integer() and abs(value) >= 1000 else 2)
    return str(value)


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones (Babel and the format patterns take Python numbers)."""
    return value.item() if isinstance(value, np.generic) else value


def significant(digits: int = 3) -> Callable[[float], str]:
    """A format rounding to ``digits`` significant figures, with thousands separators and no exponent:
    ``significant(3)(151915.9) == "152,000"``, ``significant(2)(0.0973) == "0.097"``."""
    def show(value: float) -> str:
        if value == 0:
            return "0"
        places = digits - 1 - math.floor(math.log10(abs(value)))
        return i18n.number(round(value, places), max(0, places))
    return show


def in_units(unit: float, pattern: str = "{:,.0f}") -> Callable[[float], str]:
    """A format showing a value divided by ``unit``: ``in_units(1e6)(39e6) == "39"`` (say the unit in the
    header, e.g. "USD millions")."""
    return lambda value: i18n.format_pattern(pattern, value / unit)


def _uuid(frame: pd.DataFrame) -> str:
    """A stable table id from the content (Styler's default is random, which would change every run)."""
    return "cb" + hashlib.sha1(frame.to_csv().encode("utf-8")).hexdigest()[:10]


def readable(df: pd.DataFrame, formats: Mapping[str, Format] | None = None,
             headers: Mapping[str, str] | None = None) -> ReadableTable:
    """``df`` as a reader sees it: no index column, each cell formatted, readable headers.

    ``headers`` (column → header) chooses the columns shown and their order; without it every column is
    shown under :func:`label` of its name. ``formats`` (column → :data:`Format`) rounds and adds units,
    e.g. ``{"share": "{:.0%}", "reach": "{:,.0f} people"}``; other columns get :func:`fmt`'s default (a
    ``year`` column shows its years as they are).
    A named or non-default index becomes an ordinary first column; a default 0, 1, 2 index is dropped.
    """
    formats = dict(formats or {})
    frame = df if isinstance(df.index, pd.RangeIndex) and df.index.name is None else df.reset_index()
    frame = frame.reset_index(drop=True)
    columns = list(headers) if headers else list(frame.columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"readable(): no column {missing} in the table (it has {list(frame.columns)})")
    for c in columns:  # a year is a name, not a quantity: 2008, never 2,008
        if str(c).lower() == "year" or str(c).lower().endswith("_year"):
            formats.setdefault(c, "{}")
    text = pd.DataFrame({(headers or {}).get(c, label(c)): [fmt(v, formats.get(c)) for v in frame[c]]
                         for c in columns})
    styler = ReadableTable(text, uuid=_uuid(text), cell_ids=False,
                           table_attributes='class="dataframe casebook-table"')
    styler.format(_escape).format_index(_escape, axis=1)  # a brand name such as "<b>" stays text
    return styler.hide(axis="index")


def _escape(text: object) -> str:
    """Text for HTML element content: ``<`` and ``>`` escaped, so no cell opens a tag (Styler escapes
    nothing by default). ``&`` is left as typed: it cannot open a tag."""
    return str(text).replace("<", "&lt;").replace(">", "&gt;")


def figures_table(figures: Mapping[str, Any], labels: Mapping[str, str],
                  formats: Mapping[str, Format] | None = None,
                  headers: tuple[str, str] = ("Figure", "Value")) -> ReadableTable:
    """A figures dict as a two-column table: one row per key of ``labels`` (key → what it means), its
    value formatted by ``formats`` (key → :data:`Format`). Keys absent from ``labels`` are not shown."""
    formats = formats or {}
    return readable(pd.DataFrame({headers[0]: list(labels.values()),
                                  headers[1]: [fmt(figures[k], formats.get(k)) for k in labels]}),
                    headers={h: h for h in headers})
