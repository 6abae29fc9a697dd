"""Charts of the page-audit chapters (room pages: Monceau Fleurs, 1-800-Flowers), in the book's theme.

May import: the foundation, charts, pages.metrics (labels).

Every builder takes an aggregated table from :mod:`casebook.pages.metrics` (one row per week, gap band,
criterion, group or weekday × hour cell), never one row per post. A title passed for data that is
wholly or partly simulated must say so: builders given ``simulated=True`` add the word themselves.
Titles come translated; the builders write their own words (axes, legends, tooltips) and the tables'
English labels (grades, gap bands, weekdays, groups) in the current language.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from casebook.charts import PALETTE, WIDTH, simulated_title, tip, titled
from casebook.charts.tables import label as header
from casebook.charts.theme import time_format
from casebook.i18n import gettext as _
from casebook.pages.metrics import GAP_LABELS, WEEKDAYS, shown

GRADE_COLOURS = {"good": PALETTE[2], "weak": PALETTE[3], "too much": PALETTE[1], "not measured": "#bbbbbb"}


def _title(title: str, simulated: bool) -> str:
    return simulated_title(title) if simulated else title


def weekly_posts_chart(weekly: pd.DataFrame, title: str, subtitle: str | None = None,
                       simulated: bool = False) -> alt.Chart:
    """Posts per week, one row of bars per page (column ``page``), silent weeks visible as gaps."""
    df = weekly[["page", "week", "posts"]].copy()
    chart = alt.Chart(df).mark_bar(size=7).encode(
        x=alt.X("week:T", title=None, timeUnit="yearmonthdate",
                **({"axis": alt.Axis(format=fmt)} if (fmt := time_format()) else {})),
        y=alt.Y("posts:Q", title=_("Posts in the week")),
        color=alt.Color("page:N", title=None, legend=None),
        tooltip=[tip("week", "date", _("week of")), tip("page", "text", _("page")), tip("posts", "count", _("posts"))],
    ).properties(width=WIDTH, height=110)
    faceted = chart.facet(row=alt.Row("page:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                                               labelOrient="top")))
    faceted = faceted.resolve_scale(y="independent")
    return titled(faceted, _title(title, simulated), subtitle)


def gap_chart(gaps: pd.DataFrame, title: str, subtitle: str | None = None, simulated: bool = False) -> alt.Chart:
    """Share of gaps between consecutive posts in each length band, one colour per page."""
    df = gaps[["page", "gap", "gaps", "share"]].copy()
    df["gap"] = df["gap"].map(shown)
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("gap:N", sort=[shown(g) for g in GAP_LABELS], title=_("Gap between consecutive posts")),
        yOffset=alt.YOffset("page:N"),
        x=alt.X("share:Q", axis=alt.Axis(format="%"), title=_("Share of gaps")),
        color=alt.Color("page:N", title=None, legend=alt.Legend(labelLimit=320)),
        tooltip=[tip("page", "text", _("page")), tip("gap", "text", _("gap between posts")),
                 tip("gaps", "count", _("gaps")), tip("share", "percent", _("share of gaps"))],
    ).properties(width=WIDTH - 120, height=alt.Step(12))
    return titled(chart, _title(title, simulated), subtitle)


def trend_chart(periods: pd.DataFrame, title: str, subtitle: str | None = None, y: str = "er_median",
                y_title: str = "Median engagement rate per post", y_format: str = ".1%",
                simulated: bool = False) -> alt.LayerChart:
    """A per-period series (median ER, followers...) as a line with dots, one colour per ``page``."""
    y_title = _(y_title)
    cols = ["period", y, "posts"] + (["page"] if "page" in periods else [])
    df = periods[[c for c in cols if c in periods]].dropna(subset=[y]).copy()
    color = (alt.Color("page:N", title=None, legend=alt.Legend(labelLimit=320)) if "page" in df
             else alt.value(PALETTE[0]))
    tips = [tip("period", "date", _("period starting")), alt.Tooltip(f"{y}:Q", format=y_format, title=y_title)]
    tips += ([tip("posts", "count", _("posts"))] if "posts" in df else []) + ([tip("page", "text", _("page"))]
                                                                              if "page" in df else [])
    base = alt.Chart(df).encode(x=alt.X("period:T", title=None),
                                y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format)),
                                color=color, tooltip=tips)
    return titled((base.mark_line(strokeWidth=2) + base.mark_point(filled=True, size=45))
                  .properties(width=WIDTH, height=240), _title(title, simulated), subtitle)


def scorecard_chart(card: pd.DataFrame, title: str, subtitle: str | None = None,
                    simulated: bool = False) -> alt.LayerChart:
    """The animation audit as a grid: criterion × page, coloured by grade, with the measured value."""
    df = card[["page", "criterion", "measured", "threshold", "grade"]].copy()
    df["criterion"], df["grade"] = df["criterion"].map(shown), df["grade"].map(shown)
    order = list(dict.fromkeys(df["criterion"]))
    base = alt.Chart(df).encode(
        y=alt.Y("criterion:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("page:N", title=None, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("grade:N", title=_("Grade"), scale=alt.Scale(domain=[shown(g) for g in GRADE_COLOURS],
                                                                     range=list(GRADE_COLOURS.values()))),
        tooltip=[tip("page", "text", _("page")), tip("criterion", "text", _("criterion")),
                 tip("measured", "text", _("measured")), tip("threshold", "text", _("threshold")),
                 tip("grade", "text", _("grade"))],
    )
    text = base.mark_text(fontSize=12, color="white", fontWeight="bold").encode(text="measured:N")
    n_pages = df["page"].nunique()
    return titled((cells + text).properties(width=min(WIDTH, 220 * n_pages), height=alt.Step(34)),
                  _title(title, simulated), subtitle)


def group_chart(table: pd.DataFrame, group: str, title: str, subtitle: str | None = None,
                value: str = "er_median", value_title: str = "Median engagement rate per post") -> alt.LayerChart:
    """Median ER per group (category, type ...) as bars, with the number of posts shown at the bar end."""
    value_title = _(value_title)
    df = table[[group, value, "posts"]].copy()
    df[group] = df[group].astype(str).map(shown)
    base = alt.Chart(df).encode(
        y=alt.Y(f"{group}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=".1%")),
        tooltip=[tip(group, "text", _(header(group))), tip(value, "percent2", value_title),
                 tip("posts", "count", _("posts"))],
    )
    bars = base.mark_bar(color=PALETTE[0])
    label = base.mark_text(align="left", dx=4, color="#444").encode(text=alt.Text("posts:Q", format=",d"))
    return titled((bars + label).properties(width=WIDTH - 80, height=alt.Step(30)), title,
                  subtitle or _("Number at the end of each bar: posts"))


def heatmap_chart(cells: pd.DataFrame, title: str, subtitle: str | None = None, min_posts: int = 1) -> alt.Chart:
    """Best-time heatmap: weekday × hour, colour = median ER; cells under ``min_posts`` posts left out."""
    df = cells.loc[cells["posts"] >= min_posts, ["weekday", "hour", "posts", "er_median"]].copy()
    df["weekday"] = df["weekday"].astype(str).map(shown)
    days = [shown(d) for d in WEEKDAYS]
    chart = alt.Chart(df).mark_rect(stroke="white").encode(
        x=alt.X("hour:O", title=_("Hour of publication"), scale=alt.Scale(domain=list(range(24)))),
        y=alt.Y("weekday:N", sort=days, title=None, scale=alt.Scale(domain=days)),
        color=alt.Color("er_median:Q", title=_("Median ER"), scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format=".1%", orient="right")),
        tooltip=[tip("weekday", "text", _("weekday")), tip("hour", "order", _("hour")),
                 tip("posts", "count", _("posts")), tip("er_median", "percent2", _("median engagement rate"))],
    ).properties(width=WIDTH - 60, height=alt.Step(26))
    return titled(chart, title, subtitle)


def median_interval_chart(table: pd.DataFrame, title: str, subtitle: str | None = None,
                          label: str = "group", x_title: str = "Median engagement rate per post") -> alt.LayerChart:
    """Dots for medians and lines for their intervals (e.g. organic, paid, their difference), free scale."""
    x_title = _(x_title)
    df = table[[label, "posts", "er_median", "ci_low", "ci_high"]].copy()
    df[label] = df[label].astype(str).map(shown)
    base = alt.Chart(df).encode(y=alt.Y(f"{label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    rule = base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
        x=alt.X("ci_low:Q", title=x_title, axis=alt.Axis(format=".1%")), x2="ci_high:Q")
    dot = base.mark_point(filled=True, size=80, color=PALETTE[0]).encode(
        x="er_median:Q",
        tooltip=[tip(label, "text", _(header(label))), tip("posts", "count", _("posts")),
                 tip("er_median", "percent2", x_title), tip("ci_low", "percent2", _("interval from")),
                 tip("ci_high", "percent2", _("interval to"))])
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#888", strokeDash=[4, 3]).encode(x="x:Q")
    return titled((zero + rule + dot).properties(width=WIDTH, height=alt.Step(34)), title, subtitle)


def frequency_chart(table: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """Posting days by number of posts: median of the days' median ER (dot) and its quartiles (line)."""
    df = table[["posts_per_day", "days", "er_median", "er_q1", "er_q3"]].copy()
    df["posts_per_day"] = df["posts_per_day"].astype(str)
    base = alt.Chart(df).encode(x=alt.X("posts_per_day:N", sort=None, title=_("Posts published that day"),
                                        axis=alt.Axis(labelAngle=0)))
    rule = base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
        y=alt.Y("er_q1:Q", title=_("Median engagement rate per post that day"), axis=alt.Axis(format=".1%")),
        y2="er_q3:Q")
    dot = base.mark_point(filled=True, size=90, color=PALETTE[0]).encode(
        y="er_median:Q", tooltip=[tip("posts_per_day", "text", _("posts that day")),
                                  tip("days", "count", _("posting days")),
                                  tip("er_median", "percent2", _("median engagement rate")),
                                  tip("er_q1", "percent2", _("lower quartile")),
                                  tip("er_q3", "percent2", _("upper quartile"))])
    label = base.mark_text(dy=-12, color="#444").encode(y="er_q3:Q", text=alt.Text("days:Q", format=",d"))
    return titled((rule + dot + label).properties(width=WIDTH - 160, height=260), title,
                  subtitle or _("Dot: median over days; line: middle half of days; number: posting days"))


def pages_chart(table: pd.DataFrame, title: str, subtitle: str | None = None, simulated: bool = False) -> alt.Chart:
    """Median engagement rate of each post type, one bar per page (colour) inside each type: pages side by side.

    ``table`` is :func:`casebook.pages.compare.by_type` (page, type, posts, er_median, er_basis)."""
    df = table[["page", "type", "posts", "er_median", "er_basis"]].dropna(subset=["er_median"]).copy()
    df["page"], df["type"], df["er_basis"] = df["page"].map(shown), df["type"].map(shown), df["er_basis"].map(shown)
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("type:N", title=_("Post type"),
                sort=alt.EncodingSortField("er_median", op="max", order="descending")),
        yOffset=alt.YOffset("page:N"),
        x=alt.X("er_median:Q", axis=alt.Axis(format="%"), title=_("Median engagement rate per post")),
        color=alt.Color("page:N", title=None, legend=alt.Legend(labelLimit=320, orient="bottom", columns=1)),
        tooltip=[tip("page", "text", _("page")), tip("type", "text", _("post type")), tip("posts", "count", _("posts")),
                 tip("er_median", "percent2", _("median engagement rate")),
                 tip("er_basis", "text", _("rate based on"))],
    ).properties(width=WIDTH - 120, height=alt.Step(14))
    return titled(chart, _title(title, simulated), subtitle)
