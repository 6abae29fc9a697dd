"""Tooltips for readers (room charts): every hovered value has a readable title and a reader's format.

One place for the formats, so no chart shows a raw float or an internal column name when hovered.
May import: the foundation (i18n) and charts.tables (header labels).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from casebook.charts.tables import label
from casebook.i18n import gettext as _

#: A value's kind → (Vega-Lite type, d3 format). Money has no symbol (the currency goes in the title) but
#: ``dollars``: whole US dollars of a model; ``significant``: three significant figures for mixed scales.
KINDS: dict[str, tuple[str, str | None]] = {
    "text": ("nominal", None),
    "order": ("ordinal", None),
    "count": ("quantitative", ",.0f"),
    "number": ("quantitative", ",.2f"),
    "number1": ("quantitative", ",.1f"),
    "percent": ("quantitative", ".1%"),
    "percent0": ("quantitative", ".0%"),
    "percent2": ("quantitative", ".2%"),
    "money": ("quantitative", ",.2f"),
    "dollars": ("quantitative", "$,.0f"),
    "significant": ("quantitative", ",.3~r"),
    "date": ("temporal", "%-d %B %Y"),
}


def tip(field: str, kind: str = "text", title: str | None = None) -> alt.Tooltip:
    """A tooltip entry: ``field`` shown as ``kind`` (see :data:`KINDS`) under ``title`` (default: the
    column name made readable, ``"posts_per_day"`` → ``"Posts per day"``, in the current language when a
    catalog translates that header)."""
    vl_type, fmt = KINDS[kind]
    params: dict[str, Any] = {"title": title or _(label(field))}
    if fmt:
        params["format"] = fmt
    # The type in the shorthand: a type given apart still lets Altair infer one from the data, which
    # warns (into the chapter's output) when a reader's column is empty.
    return alt.Tooltip(f"{field}:{vl_type[0].upper()}", **params)


def kind_of(values: pd.Series) -> str:
    """The kind a column's values are shown as when no one said: counts for integers (or whole floats),
    dates for datetimes, two decimals for other numbers, text otherwise."""
    if pd.api.types.is_bool_dtype(values):
        return "text"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    if pd.api.types.is_integer_dtype(values):
        return "count"
    if pd.api.types.is_float_dtype(values):
        whole = values.dropna()
        return "count" if len(whole) and (whole == whole.round()).all() else "number"
    return "text"


def tips(df: pd.DataFrame, fields: Iterable[str | alt.Tooltip],
         kinds: Mapping[str, str] | None = None, titles: Mapping[str, str] | None = None) -> list[alt.Tooltip]:
    """Tooltip entries for ``fields`` of ``df``: entries already built are kept; a name gets its kind from
    ``kinds`` (else from its values, :func:`kind_of`) and its title from ``titles`` (else readable)."""
    kinds, titles = kinds or {}, titles or {}
    return [f if isinstance(f, alt.Tooltip) else
            tip(f, kinds.get(f) or (kind_of(df[f]) if f in df else "text"), titles.get(f)) for f in fields]


def tooltip_problems(spec: Any) -> list[str]:
    """Tooltip entries of a Vega-Lite spec (``chart.to_dict()``, layers and concats included) a reader
    would see raw: no title, or a number without a format. Empty when every entry is readable."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "tooltip" and isinstance(value, (list, dict)):
                for entry in value if isinstance(value, list) else [value]:
                    if not isinstance(entry, dict) or "field" not in entry:
                        continue
                    name = entry["field"]
                    if not entry.get("title"):
                        found.append(f"{name}: no title")
                    if entry.get("type") in ("quantitative", "temporal") and not entry.get("format"):
                        found.append(f"{name}: {entry.get('type')} without a format")
            else:
                found += tooltip_problems(value)
    elif isinstance(spec, list):
        for item in spec:
            found += tooltip_problems(item)
    return found
