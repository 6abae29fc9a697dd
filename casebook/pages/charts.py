"""Charts of the page-audit chapters (room pages: Monceau Fleurs, 1-800-Flowers), in the book's theme.

May import: the foundation, charts, pages.metrics (labels).

Every builder takes an aggregated table from :mod:`casebook.pages.metrics` (one row per week, gap band,
criterion, group or weekday × hour cell), never one row per post. A title passed for data that is
wholly or partly simulated must say so: builders given ``simulated=True`` add the word themselves.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from casebook.charts import PALETTE, WIDTH, simulated_title, tip, titled
from casebook.pages.metrics import GAP_LABELS, WEEKDAYS

GRADE_COLOURS = {"good": PALETTE[2], "weak": PALETTE[3], "too much": PALETTE[1], "not measured": "#bbbbbb"}


def _title(title: str, simulated: bool) -> str:
    return simulated_title(title) if simulated else title


def weekly_posts_chart(weekly: pd.DataFrame, title: str, subtitle: str | None = None,
                       simulated: bool = False) -> alt.Chart:
    """Posts per week, one row of bars per page (column ``page``), silent weeks visible as gaps."""
    df = weekly[["page", "week", "posts"]].copy()
    chart = alt.Chart(df).mark_bar(size=7).encode(
        x=alt.X("week:T", title=None, timeUnit="yearmonthdate"),
        y=alt.Y("posts:Q", title="Posts in the week"),
        color=alt.Color("page:N", title=None, legend=None),
        tooltip=[tip("week", "date", "week of"), tip("page", "text", "page"), tip("posts", "count", "posts")],
    ).properties(width=WIDTH, height=110)
    faceted = chart.facet(row=alt.Row("page:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                                               labelOrient="top")))
    faceted = faceted.resolve_scale(y="independent")
    return titled(faceted, _title(title, simulated), subtitle)


def gap_chart(gaps: pd.DataFrame, title: str, subtitle: str | None = None, simulated: bool = False) -> alt.Chart:
    """Share of gaps between consecutive posts in each length band, one colour per page."""
    df = gaps[["page", "gap", "gaps", "share"]].copy()
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("gap:N", sort=GAP_LABELS, title="Gap between consecutive posts"),
        yOffset=alt.YOffset("page:N"),
        x=alt.X("share:Q", axis=alt.Axis(format="%"), title="Share of gaps"),
        color=alt.Color("page:N", title=None, legend=alt.Legend(labelLimit=320)),
        tooltip=[tip("page", "text", "page"), tip("gap", "text", "gap between posts"), tip("gaps", "count", "gaps"),
                 tip("share", "percent", "share of gaps")],
    ).properties(width=WIDTH - 120, height=alt.Step(12))
    return titled(chart, _title(title, simulated), subtitle)


def trend_chart(periods: pd.DataFrame, title: str, subtitle: str | None = None, y: str = "er_median",
                y_title: str = "Median engagement rate per post", y_format: str = ".1%",
                simulated: bool = False) -> alt.LayerChart:
    """A per-period series (median ER, followers...) as a line with dots, one colour per ``page``."""
    cols = ["period", y, "posts"] + (["page"] if "page" in periods else [])
    df = periods[[c for c in cols if c in periods]].dropna(subset=[y]).copy()
    color = (alt.Color("page:N", title=None, legend=alt.Legend(labelLimit=320)) if "page" in df
             else alt.value(PALETTE[0]))
    tips = [tip("period", "date", "period starting"), alt.Tooltip(f"{y}:Q", format=y_format, title=y_title)]
    tips += ([tip("posts", "count", "posts")] if "posts" in df else []) + ([tip("page", "text", "page")]
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
    order = list(dict.fromkeys(df["criterion"]))
    base = alt.Chart(df).encode(
        y=alt.Y("criterion:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("page:N", title=None, axis=alt.Axis(orient="top", labelAngle=0, labelLimit=220)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("grade:N", title="Grade", scale=alt.Scale(domain=list(GRADE_COLOURS),
                                                                  range=list(GRADE_COLOURS.values()))),
        tooltip=[tip("page", "text", "page"), tip("criterion", "text", "criterion"), tip("measured", "text", "measured"),
                 tip("threshold", "text", "threshold"), tip("grade", "text", "grade")],
    )
    text = base.mark_text(fontSize=12, color="white", fontWeight="bold").encode(text="measured:N")
    n_pages = df["page"].nunique()
    return titled((cells + text).properties(width=min(WIDTH, 220 * n_pages), height=alt.Step(34)),
                  _title(title, simulated), subtitle)


def group_chart(table: pd.DataFrame, group: str, title: str, subtitle: str | None = None,
                value: str = "er_median", value_title: str = "Median engagement rate per post") -> alt.LayerChart:
    """Median ER per group (category, type ...) as bars, with the number of posts shown at the bar end."""
    df = table[[group, value, "posts"]].copy()
    df[group] = df[group].astype(str)
    base = alt.Chart(df).encode(
        y=alt.Y(f"{group}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=".1%")),
        tooltip=[tip(group, "text"), tip(value, "percent2", value_title), tip("posts", "count", "posts")],
    )
    bars = base.mark_bar(color=PALETTE[0])
    label = base.mark_text(align="left", dx=4, color="#444").encode(text=alt.Text("posts:Q", format=",d"))
    return titled((bars + label).properties(width=WIDTH - 80, height=alt.Step(30)), title,
                  subtitle or "Number at the end of each bar: posts")


def heatmap_chart(cells: pd.DataFrame, title: str, subtitle: str | None = None, min_posts: int = 1) -> alt.Chart:
    """Best-time heatmap: weekday × hour, colour = median ER; cells under ``min_posts`` posts left out."""
    df = cells.loc[cells["posts"] >= min_posts, ["weekday", "hour", "posts", "er_median"]].copy()
    df["weekday"] = df["weekday"].astype(str)
    chart = alt.Chart(df).mark_rect(stroke="white").encode(
        x=alt.X("hour:O", title="Hour of publication", scale=alt.Scale(domain=list(range(24)))),
        y=alt.Y("weekday:N", sort=WEEKDAYS, title=None, scale=alt.Scale(domain=WEEKDAYS)),
        color=alt.Color("er_median:Q", title="Median ER", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(format=".1%", orient="right")),
        tooltip=[tip("weekday", "text", "weekday"), tip("hour", "order", "hour"), tip("posts", "count", "posts"),
                 tip("er_median", "percent2", "median engagement rate")],
    ).properties(width=WIDTH - 60, height=alt.Step(26))
    return titled(chart, title, subtitle)


def median_interval_chart(table: pd.DataFrame, title: str, subtitle: str | None = None,
                          label: str = "group", x_title: str = "Median engagement rate per post") -> alt.LayerChart:
    """Dots for medians and lines for their intervals (e.g. organic, paid, their difference), free scale."""
    df = table[[label, "posts", "er_median", "ci_low", "ci_high"]].copy()
    base = alt.Chart(df).encode(y=alt.Y(f"{label}:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)))
    rule = base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
        x=alt.X("ci_low:Q", title=x_title, axis=alt.Axis(format=".1%")), x2="ci_high:Q")
    dot = base.mark_point(filled=True, size=80, color=PALETTE[0]).encode(
        x="er_median:Q",
        tooltip=[tip(label, "text"), tip("posts", "count", "posts"), tip("er_median", "percent2", x_title),
                 tip("ci_low", "percent2", "interval from"), tip("ci_high", "percent2", "interval to")])
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#888", strokeDash=[4, 3]).encode(x="x:Q")
    return titled((zero + rule + dot).properties(width=WIDTH, height=alt.Step(34)), title, subtitle)


def frequency_chart(table: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """Posting days by number of posts: median of the days' median ER (dot) and its quartiles (line)."""
    df = table[["posts_per_day", "days", "er_median", "er_q1", "er_q3"]].copy()
    df["posts_per_day"] = df["posts_per_day"].astype(str)
    base = alt.Chart(df).encode(x=alt.X("posts_per_day:N", sort=None, title="Posts published that day",
                                        axis=alt.Axis(labelAngle=0)))
    rule = base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
        y=alt.Y("er_q1:Q", title="Median engagement rate per post that day", axis=alt.Axis(format=".1%")),
        y2="er_q3:Q")
    dot = base.mark_point(filled=True, size=90, color=PALETTE[0]).encode(
        y="er_median:Q", tooltip=[tip("posts_per_day", "text", "posts that day"), tip("days", "count", "posting days"),
                                  tip("er_median", "percent2", "median engagement rate"),
                                  tip("er_q1", "percent2", "lower quartile"), tip("er_q3", "percent2", "upper quartile")])
    label = base.mark_text(dy=-12, color="#444").encode(y="er_q3:Q", text=alt.Text("days:Q", format=",d"))
    return titled((rule + dot + label).properties(width=WIDTH - 160, height=260), title,
                  subtitle or "Dot: median over days; line: middle half of days; number: posting days")


def pages_chart(table: pd.DataFrame, title: str, subtitle: str | None = None, simulated: bool = False) -> alt.Chart:
    """Median engagement rate of each post type, one bar per page (colour) inside each type: pages side by side.

    ``table`` is :func:`casebook.pages.compare.by_type` (page, type, posts, er_median, er_basis)."""
    df = table[["page", "type", "posts", "er_median", "er_basis"]].dropna(subset=["er_median"]).copy()
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("type:N", title="Post type", sort=alt.EncodingSortField("er_median", op="max", order="descending")),
        yOffset=alt.YOffset("page:N"),
        x=alt.X("er_median:Q", axis=alt.Axis(format="%"), title="Median engagement rate per post"),
        color=alt.Color("page:N", title=None, legend=alt.Legend(labelLimit=320, orient="bottom", columns=1)),
        tooltip=[tip("page", "text", "page"), tip("type", "text", "post type"), tip("posts", "count", "posts"),
                 tip("er_median", "percent2", "median engagement rate"), tip("er_basis", "text", "rate based on")],
    ).properties(width=WIDTH - 120, height=alt.Step(14))
    return titled(chart, _title(title, simulated), subtitle)
