"""Chart builders every chapter shares (room charts): titles, intervals, dumbbells, bars.

They take aggregated tables, never files or one row per record. May import: the foundation (i18n: built-in
words in the current language), charts.theme, charts.tooltips.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from casebook.charts.tables import label
from casebook.charts.theme import PALETTE, WIDTH
from casebook.charts.tooltips import kind_of, tip, tips
from casebook.i18n import gettext as _


def titled(chart: alt.TopLevelMixin, title: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    """Attach a title and an optional subtitle (source, or 'simulated') to a chart."""
    params: dict[str, Any] = {"text": title}
    if subtitle:
        params["subtitle"] = subtitle
    return chart.properties(title=alt.TitleParams(**params))


def _with_estimate(fields: list[str | alt.Tooltip], estimate: str) -> list[str | alt.Tooltip]:
    """Hover fields with the estimate second (after the label) unless already named."""
    return fields if estimate in fields else [*fields[:1], estimate, *fields[1:]]


def interval_chart(
    df: pd.DataFrame,
    *,
    y: str,
    estimate: str = "estimate",
    low: str = "low",
    high: str = "high",
    color: str | None = None,
    x_title: str | None = None,
    tooltip: list[str | alt.Tooltip] | None = None,
) -> alt.Chart:
    """Dot-and-whisker chart of proportions with their intervals, one row per label in ``y``; ``tooltip``
    names the columns shown on hover (the estimate always; it and its interval as percentages). The
    default axis and tooltip titles are in the current language."""
    x_title = x_title or _("Share of respondents")
    base = alt.Chart(df).encode(y=alt.Y(f"{y}:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    enc_color = alt.Color(f"{color}:N", title=None) if color else alt.value(PALETTE[0])
    rule = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(f"{low}:Q", axis=alt.Axis(format="%"), title=x_title, scale=alt.Scale(domain=[0, 1])),
        x2=f"{high}:Q",
        color=enc_color,
    )
    point = base.mark_point(filled=True, size=70).encode(
        x=f"{estimate}:Q", color=enc_color,
        tooltip=tips(df, _with_estimate(tooltip or [y] + ([color] if color else []), estimate),
                     kinds={estimate: "percent", low: "percent", high: "percent", "n": "count"},
                     titles={y: _("figure"), estimate: _("estimate"), low: _("interval from"),
                             high: _("interval to"), "n": _("respondents")}),
    )
    return (rule + point).properties(width=WIDTH, height=alt.Step(26))


def dumbbell_chart(
    df: pd.DataFrame,
    *,
    y: str,
    x: str,
    group: str,
    x_title: str | None = None,
    x_format: str = "%",
) -> alt.LayerChart:
    """Two groups compared on each row (e.g. consumers vs executives): a line between two dots; the
    default axis title (``Share``) in the current language."""
    x_title = x_title or _("Share")
    base = alt.Chart(df).encode(y=alt.Y(f"{y}:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    line = base.mark_line(color="#bbbbbb", strokeWidth=3).encode(x=f"{x}:Q", detail=f"{y}:N")
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(
        x=alt.X(f"{x}:Q", axis=alt.Axis(format=x_format), title=x_title),
        color=alt.Color(f"{group}:N", title=None),
        tooltip=tips(df, [y, group, tip(x, "percent0" if x_format == "%" else "count", x_title)]),
    )
    return (line + dots).properties(width=WIDTH, height=alt.Step(30))


def bar_chart(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str | None = None,
    y_title: str | None = None,
    color: str | None = None,
    horizontal: bool = True,
    value_format: str = ",",
    sort: str | list | None = "-x",
) -> alt.Chart:
    """A bar chart of an aggregated table; horizontal by default so long labels stay readable."""
    if horizontal:
        enc = {
            "x": alt.X(f"{x}:Q", title=x_title, axis=alt.Axis(format=value_format)),
            "y": alt.Y(f"{y}:N", title=y_title, sort=sort, axis=alt.Axis(labelLimit=320)),
        }
    else:
        enc = {
            "x": alt.X(f"{y}:N", title=y_title, sort=sort),
            "y": alt.Y(f"{x}:Q", title=x_title, axis=alt.Axis(format=value_format)),
        }
    enc["color"] = alt.Color(f"{color}:N", title=None) if color else alt.value(PALETTE[0])
    # An axis format without a precision ("%", ",") would print six or twelve digits in a tooltip.
    value_tip = (tip(x, "percent" if value_format == "%" else kind_of(df[x]), x_title) if value_format in ("%", ",")
                 else alt.Tooltip(f"{x}:Q", format=value_format, title=x_title or _(label(x))))
    enc["tooltip"] = tips(df, [y, value_tip] + ([color] if color else []), titles={y: y_title} if y_title else None)
    return alt.Chart(df).mark_bar().encode(**enc).properties(width=WIDTH)
