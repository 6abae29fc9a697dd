"""Charts of the Nike+ and SNCF chapters (room community), built on the theme of :mod:`casebook.charts`.

Every builder takes an aggregated table from :mod:`casebook.community.share`,
:mod:`casebook.community.funnel` or :mod:`casebook.community.cascade` and returns a titled Altair chart. Charts fed by a model say "Model" in their title; charts fed by a
simulation say "simulated" (through :func:`casebook.charts.simulated_title`).

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from casebook import charts, i18n
from casebook.community.share import ShareGain
from casebook.community.words import rate_label, say
from casebook.i18n import gettext as _

USD_AXIS = "replace(format(datum.value, '$.2s'), 'G', 'B')"  # $130M, $1.3B
#: The same in French: no currency symbol (Vega's French currency is the euro), the unit after the number.
USD_AXIS_FR = "replace(replace(format(datum.value, '.2s'), 'M', '\u00a0M'), 'G', '\u00a0Md') + '\u00a0USD'"


def _usd_axis() -> str:
    """The label expression of an axis of US dollars, in the current language."""
    return USD_AXIS if i18n.current() == "en" else USD_AXIS_FR


def _usd_tip(field: str, title: str) -> alt.Tooltip:
    """A tooltip of whole US dollars: ``$1,300,000`` in English, ``1 300 000 USD`` in French."""
    if i18n.current() == "en":
        return charts.tip(field, "dollars", title)
    return charts.tip(field, "count", _("{title} (USD)").format(title=title))


def _short(value: float) -> str:
    """1,500,000 → '1.5M', 150,000 → '150k', 639,000,000 → '639M' (in French '1,5\u00a0M', '639\u00a0M')."""
    for size, suffix in ((1e9, _("{n}B")), (1e6, _("{n}M")), (1e3, _("{n}k"))):
        if abs(value) >= size:
            return suffix.format(n=i18n.fmt(value / size, ",.3g"))
    return i18n.fmt(value, ",.3g")


def _retitle_tooltip(chart: alt.Chart, field: str) -> alt.Chart:
    """Translate the default tooltip title of ``field`` (its column name made readable) in a shared builder's chart."""
    for t in chart.encoding.tooltip:
        if isinstance(t, alt.Tooltip) and t.to_dict().get("field") == field:
            t["title"] = say(t["title"])
    return chart


def model_title(title: str) -> str:
    """A chart title that says it shows a model, not data (``Model: …``, ``Modèle : …``)."""
    if title.lower().startswith(("model", _("Model").lower())):
        return title
    return _("Model: {title}").format(title=f"{title[0].lower()}{title[1:]}")


def share_chart(series: pd.DataFrame, gain: ShareGain, subtitle: str | None = None) -> alt.LayerChart:
    """The brand's market share at each dated observation: bars with their values."""
    rows = series[series["metric"] == "market_share"].sort_values("date")
    label = rows["period"].astype("string").fillna(rows["date"].dt.strftime("%Y-%m-%d")).map(say)
    table = pd.DataFrame({"when": label.to_numpy(), "share": rows["value"].to_numpy() / 100})
    # Long period names ('late 2008 ("today" in the article)') break before their parenthesis.
    axis = alt.Axis(labelAngle=0, labelLimit=0, labelExpr="split(datum.label, ' (')")
    base = alt.Chart(table).encode(x=alt.X("when:N", sort=None, title=None, axis=axis))
    bars = base.mark_bar(color=charts.PALETTE[0], size=60).encode(
        y=alt.Y("share:Q", title=_("Share of sales"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=[charts.tip("when", "text", _("period")), charts.tip("share", "percent0", _("market share"))],
    )
    text = base.mark_text(dy=-8, fontSize=13).encode(y="share:Q", text=alt.Text("share:Q", format=".0%"))
    title = _("{brand}: {points} points of market share ({relative})").format(
        brand=gain.brand, points=i18n.fmt(gain.points, "+.0f"), relative=i18n.fmt(gain.relative, "+.0%"))
    return charts.titled((bars + text).properties(width=charts.WIDTH * 0.7, height=260), title, subtitle)


def attribution_chart(table: pd.DataFrame, brand: str) -> alt.LayerChart:
    """Yearly gross margin of the points credited to the community, one row per attribution scenario.

    The line spans the lowest to the highest assumed market size × margin; the dot is the middle one.
    """
    data = table.copy()
    data["label"] = data["points_credited"].map(  # 0 as "0" (Babel's significant digits would write "0,0")
        lambda p: _("{points} points").format(points=i18n.fmt(p, ".3g") if p else i18n.fmt(0, "d")))
    y = alt.Y("scenario:N", sort=None, title=_("Share of the gain credited to the community"))
    base = alt.Chart(data).encode(y=y)
    x_axis = alt.Axis(labelExpr=_usd_axis(), title=_("Gross margin a year (assumed market size × margin)"))
    rule = base.mark_rule(strokeWidth=3, color=charts.PALETTE[0]).encode(
        x=alt.X("margin_low_usd:Q", axis=x_axis), x2="margin_high_usd:Q"
    )
    tooltip = [
        charts.tip("scenario", "text", _("share credited to the community")),
        charts.tip("points_credited", "number", _("points credited")),
        _usd_tip("margin_low_usd", _("margin a year, low")),
        _usd_tip("margin_mid_usd", _("margin a year, middle")),
        _usd_tip("margin_high_usd", _("margin a year, high")),
    ]
    dot = base.mark_point(filled=True, size=90, color=charts.PALETTE[1]).encode(
        x="margin_mid_usd:Q", tooltip=tooltip
    )
    text = base.mark_text(align="left", dx=8, dy=-10, fontSize=11, color="#555").encode(
        x="margin_low_usd:Q", text="label:N"
    )
    chart = (rule + dot + text).properties(width=charts.WIDTH, height=alt.Step(48))
    return charts.titled(
        chart,
        model_title(_("What the share points would be worth to {brand}").format(brand=brand)),
        _("Assumptions set in the parameters, not company figures; the dot is the middle assumption"),
    )


def miles_chart(growth: pd.DataFrame, curves: pd.DataFrame, label: str = "miles logged") -> alt.LayerChart:
    """Published milestones of a cumulative count, with a straight line and an exponential fitted to them."""
    points = growth[["date", "value"]].copy()
    points["label"] = (points["value"] / 1e6).map(lambda v: _("{n}M").format(n=i18n.number(v)))
    curves = curves.assign(model=curves["model"].map(say))
    y = alt.Y("value:Q", title=_("Cumulative {label}").format(label=label), axis=alt.Axis(labelExpr="format(datum.value, '.2s')"))
    lines = (
        alt.Chart(curves)
        .mark_line(strokeDash=[5, 3])
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y")),
            y=y,
            color=alt.Color("model:N", title=_("Fitted to the milestones")),
        )
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, size=110, color="#222")
        .encode(x="date:T", y="value:Q", tooltip=[charts.tip("date", "date", _("published")), charts.tip("value", "count", label)])
    )
    text = (
        alt.Chart(points)
        .mark_text(dx=-6, dy=-12, fontSize=12)
        .encode(x="date:T", y="value:Q", text="label:N")
    )
    return charts.titled(
        (lines + dots + text).properties(width=charts.WIDTH, height=300),
        _("Three published milestones of {label}, two curves that fit them").format(label=label),
        _("Black dots: published figures; dashed lines: models fitted to those three points"),
    )


def claims_chart(claims: pd.DataFrame) -> alt.LayerChart:
    """Each claim of the article as a share of the closest final figure (100% = the same number)."""
    data = claims.copy()
    final_name = data["compared_to"].str.replace(r"(\d{4})_(\d{2})_(\d{2})", r"\1-\2-\3", regex=True)
    data["comparison"] = [
        _("{claim} {claimed} vs {final} {final_value}").format(
            claim=say(claim), claimed=_short(claimed), final=say(final), final_value=_short(final_value))
        for claim, claimed, final, final_value in zip(
            data["claim"], data["claimed"], final_name.str.replace("_", " "), data["final"], strict=True)
    ]
    bars = _retitle_tooltip(charts.bar_chart(
        data,
        x="claim_over_final",
        y="comparison",
        x_title=_("The article's figure ÷ the final figure"),
        value_format="%",
    ), "comparison")
    rule = alt.Chart(pd.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color="#555").encode(x="x:Q")
    return charts.titled(
        bars + rule,
        _("The article's MyBarackObama.com figures against the final ones"),
        _("Final figures: Washington Post, 20 Nov 2008, and campaign filings; 100% = the same number"),
    )


def funnel_chart(stages: pd.DataFrame, n_organisers: int) -> alt.Chart:
    """Expected counts at each stage of the first wave of group trips (model)."""
    chart = _retitle_tooltip(charts.bar_chart(
        stages.assign(stage=stages["stage"].map(say)),
        x="expected",
        y="stage",
        x_title=_("Expected people (first wave)"),
        value_format=",.0f",
        sort=None,
    ), "stage")
    return charts.titled(
        chart,
        model_title(_("The group-trip funnel for {n} organisers").format(n=i18n.number(n_organisers))),
        _("Every rate is an assumption set in the parameters: no SNCF figure exists"),
    )


def bookings_histogram_chart(hist: pd.DataFrame, median: float) -> alt.LayerChart:
    """Distribution of simulated bookings (aggregated bins) with its median."""
    bars = (
        alt.Chart(hist)
        .mark_bar(color=charts.PALETTE[0], opacity=0.85)
        .encode(
            x=alt.X(
                "bin_start:Q", title=_("Bookings over all waves"), bin="binned", axis=alt.Axis(format=",.0f")
            ),
            x2="bin_end:Q",
            y=alt.Y("share:Q", title=_("Share of simulations"), axis=alt.Axis(format="%")),
            tooltip=[
                charts.tip("bin_start", "count", _("bookings from")),
                charts.tip("bin_end", "count", _("bookings to")),
                charts.tip("share", "percent", _("share of simulations")),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"median": [median]}))
        .mark_rule(color=charts.PALETTE[1], strokeWidth=2)
        .encode(x="median:Q", tooltip=[charts.tip("median", "count", _("median bookings"))])
    )
    return charts.titled(
        (bars + rule).properties(width=charts.WIDTH, height=260),
        charts.simulated_title(_("Bookings when every rate is uncertain")),
        _("Seeded Monte Carlo over the assumed ranges; orange line: the median"),
    )


def tornado_chart(table: pd.DataFrame) -> alt.LayerChart:
    """One-at-a-time sensitivity: bookings with each rate at the low and the high end of its range."""
    bounded = table[~table["unbounded"]]
    ends = {"low": _("low end of its range"), "high": _("high end of its range")}
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "parameter": bounded["parameter"].map(rate_label),
                    "end": ends[end],
                    "value": bounded[f"bookings_at_{end}"],
                    "setting": bounded[end],
                    "base": bounded["base_bookings"],
                }
            )
            for end in ("low", "high")
        ],
        ignore_index=True,
    )
    order = list(bounded["parameter"].map(rate_label))
    bars = (
        alt.Chart(long)
        .mark_bar(height=22)
        .encode(
            y=alt.Y("parameter:N", sort=order, title=None),
            x=alt.X("value:Q", title=_("Expected bookings"), axis=alt.Axis(format=",.0f")),
            x2="base:Q",
            color=alt.Color("end:N", title=None, sort=[ends["low"], ends["high"]]),
            tooltip=[charts.tip("parameter", "text", _("assumption")), charts.tip("end", "text", _("set at the")),
                     charts.tip("setting", "significant", _("value assumed")),
                     charts.tip("value", "count", _("expected bookings"))],
        )
    )
    base_value = float(bounded["base_bookings"].iloc[0]) if len(bounded) else 0.0
    rule = alt.Chart(pd.DataFrame({"base": [base_value]})).mark_rule(color="#333").encode(x="base:Q")
    return charts.titled(
        (bars + rule).properties(width=charts.WIDTH, height=alt.Step(34)),
        model_title(_("Which assumption moves bookings most")),
        _("Each rate moved alone to the ends of its range, the others at their base values (black line)"),
    )


def reach_relay_chart(curve: pd.DataFrame, break_even: float) -> alt.LayerChart:
    """Model conversions of reach and relay as the relays' relay probability varies, with the break-even."""
    lines = (
        alt.Chart(curve)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X(
                "relay_probability:Q",
                title=_("Probability that each relay passes the message on"),
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y("model_conversions:Q", title=_("Expected conversions")),
            color=alt.Color("strategy:N", title=None),
            tooltip=[
                charts.tip("strategy", "text", _("strategy")),
                charts.tip("relay_probability", "percent0", _("relay probability")),
                charts.tip("model_conversions", "number", _("expected conversions")),
            ],
        )
    )
    chart: alt.LayerChart | alt.Chart = lines
    if 0 <= break_even <= 1:
        rule = (
            alt.Chart(pd.DataFrame({"break_even": [break_even]}))
            .mark_rule(strokeDash=[4, 3], color="#333")
            .encode(x="break_even:Q", tooltip=[charts.tip("break_even", "percent0", _("break-even"))])
        )
        chart = lines + rule
    return charts.titled(
        chart.properties(width=charts.WIDTH, height=280),
        model_title(_("When do the few relays beat the many contacts?")),
        _("Branching-process expectations under the assumed rates; dashed line: break-even"),
    )


def conversions_chart(distribution: pd.DataFrame, labels: dict[str, str], upto: int = 30) -> alt.Chart:
    """Simulated distribution of conversions per campaign for each strategy (aggregated counts)."""
    data = distribution[distribution["conversions"] <= upto].copy()
    data["strategy"] = data["strategy"].map(labels).fillna(data["strategy"])
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("conversions:Q", title=_("Conversions in one campaign")),
            y=alt.Y("share:Q", title=_("Share of simulated campaigns"), axis=alt.Axis(format="%")),
            color=alt.Color("strategy:N", title=None),
            tooltip=[charts.tip("strategy", "text", _("strategy")),
                     charts.tip("conversions", "count", _("conversions")),
                     charts.tip("share", "percent", _("share of simulated campaigns"))],
        )
        .properties(width=charts.WIDTH, height=260)
    )
    return charts.titled(
        chart,
        charts.simulated_title(_("How many conversions one campaign brings")),
        _("Seeded branching process, same assumptions as the model"),
    )
