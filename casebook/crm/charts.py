"""Charts of the CRM chapter (readiness, RFM segments, BG/NBD checks, early warning), in the book's theme (room crm).

Every builder takes an aggregated table (one row per question, segment, period or band), never one
row per customer or transaction. The words a builder adds (axes, legends, tooltips, series names) are in
the current language; the labels in the table (segment names, bands) are shown as given.

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from casebook import i18n
from casebook.charts import PALETTE, WIDTH, tip, titled
from casebook.crm.readiness import answer_labels
from casebook.i18n import gettext as _

ANSWER_COLOURS = {"yes": PALETTE[2], "partly": PALETTE[1], "no": PALETTE[3]}


def readiness_chart(table: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """Each question's weight (light bar) and the points its answer earns (solid bar), coloured by answer
    (``answer`` is yes, partly or no, shown in the current language)."""
    df = table[["key", "label", "question", "answer", "weight", "points"]].copy()
    shown = answer_labels()
    df["answer"] = df["answer"].map(shown)
    colour = alt.Color("answer:N", title=_("Answer"), scale=alt.Scale(domain=[shown[a] for a in ANSWER_COLOURS],
                                                                     range=list(ANSWER_COLOURS.values())))
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=200))
    base = alt.Chart(df).encode(y=y, color=colour, tooltip=[tip("question", "text", _("question")),
                                                            tip("answer", "text", _("answer")),
                                                            tip("weight", "significant", _("weight")),
                                                            tip("points", "significant", _("points earned"))])
    full = base.mark_bar(opacity=0.25).encode(
        x=alt.X("weight:Q", title=_("Points earned out of the weight"), axis=alt.Axis(tickMinStep=0.5)))
    earned = base.mark_bar().encode(x="points:Q")
    return titled((full + earned).properties(width=WIDTH - 120, height=alt.Step(30)), title, subtitle)


def segment_chart(summary: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.LayerChart:
    """Share of customers and share of revenue per RFM segment (a dumbbell per segment)."""
    long = summary.melt(id_vars=["segment"], value_vars=["customer_share", "revenue_share"],
                        var_name="measure", value_name="share")
    long["measure"] = long["measure"].map({"customer_share": _("share of customers"),
                                           "revenue_share": _("share of revenue")})
    y = alt.Y("segment:N", sort=list(summary["segment"]), title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(long).encode(y=y)
    line = base.mark_line(color="#bbbbbb", strokeWidth=3).encode(x="share:Q", detail="segment:N")
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), title=_("Share")),
        color=alt.Color("measure:N", title=None),
        tooltip=[tip("segment", "text", _("segment")), tip("measure", "text", _("measure")),
                 tip("share", "percent", _("share"))],
    )
    return titled((line + dots).properties(width=WIDTH, height=alt.Step(28)), title, subtitle)


def tracking_chart(track: pd.DataFrame, calibration_end: pd.Timestamp, title: str,
                   subtitle: str | None = None) -> alt.LayerChart:
    """Cumulative repeat purchases, actual vs model, with the end of calibration marked."""
    long = track.melt(id_vars=["period_end"], value_vars=["actual", "predicted"], var_name="series",
                      value_name="repeat_purchases")
    long["repeat_purchases"] = long["repeat_purchases"].round(1)  # stable digits across machines
    long["series"] = long["series"].map({"actual": _("actual"), "predicted": _("BG/NBD model")})
    lines = alt.Chart(long).mark_line(strokeWidth=2.5).encode(
        x=alt.X("period_end:T", title=None),
        y=alt.Y("repeat_purchases:Q", title=_("Cumulative repeat purchases")),
        color=alt.Color("series:N", title=None),
        strokeDash=alt.StrokeDash("series:N", title=None),
        tooltip=[tip("period_end", "date", _("period ending")), tip("series", "text", _("series")),
                 tip("repeat_purchases", "count", _("cumulative repeat purchases"))],
    )
    marker = pd.DataFrame({"date": [pd.Timestamp(calibration_end)], "label": [_("end of calibration")]})
    rule = alt.Chart(marker).mark_rule(color="#888", strokeDash=[2, 2]).encode(x="date:T")
    text = alt.Chart(marker).mark_text(align="right", dx=-4, dy=-130, color="#555").encode(x="date:T", text="label")
    return titled((lines + rule + text).properties(width=WIDTH, height=300), title, subtitle)


def holdout_chart(check: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.Chart:
    """Mean holdout purchases, actual vs predicted, by number of repeat purchases in calibration."""
    long = check.melt(id_vars=["frequency_label", "customers"], value_vars=["actual", "predicted"],
                      var_name="series", value_name="purchases")
    long["purchases"] = long["purchases"].round(4)
    long["series"] = long["series"].map({"actual": _("actual"), "predicted": _("BG/NBD model")})
    order = list(check["frequency_label"])
    return titled(alt.Chart(long).mark_line(point=True, strokeWidth=2.5).encode(
        x=alt.X("frequency_label:O", sort=order, title=_("Repeat purchases in the calibration period"),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("purchases:Q", title=_("Mean purchases in the holdout period")),
        color=alt.Color("series:N", title=None),
        tooltip=[tip("frequency_label", "text", _("repeat purchases in calibration")),
                 tip("series", "text", _("series")), tip("customers", "count", _("customers")),
                 tip("purchases", "number", _("mean holdout purchases"))],
    ).properties(width=WIDTH, height=280), title, subtitle)


def _band_tips() -> list[alt.Tooltip]:
    """Hover entries of a per-band chart: the band, its customers and their revenue."""
    return [tip("band", "text", _("band")), tip("customers", "count", _("customers")),
            tip("revenue", "money", _("revenue"))]


def silence_chart(dist: pd.DataFrame, title: str, subtitle: str | None = None) -> alt.Chart:
    """Repeat customers by silence ÷ usual gap band; bands beyond the usual gap in the warning colour."""
    beyond, within = _("beyond the usual gap"), _("within it")
    df = dist.assign(status=dist["beyond_usual_gap"].map({True: beyond, False: within}))
    return titled(alt.Chart(df).mark_bar().encode(
        x=alt.X("band:N", sort=list(dist["band"]), title=_("Days silent ÷ the customer's usual gap"),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("customers:Q", title=_("Customers")),
        color=alt.Color("status:N", title=None, scale=alt.Scale(
            domain=[within, beyond], range=[PALETTE[0], PALETTE[3]])),
        tooltip=_band_tips(),
    ).properties(width=WIDTH, height=260), title, subtitle)


def p_alive_chart(dist: pd.DataFrame, threshold: float, title: str, subtitle: str | None = None) -> alt.Chart:
    """Customers per band of P(alive) (:func:`casebook.crm.churn.p_alive_distribution`); bands below the
    threshold in the warning colour."""
    below, above = _("below the threshold"), _("at or above it")
    df = dist.assign(band=[f"{i18n.number(lo, 2)}–{i18n.number(hi, 2)}"
                           for lo, hi in zip(dist["band_start"], dist["band_end"], strict=True)],
                     status=[below if hi <= threshold + 1e-12 else above for hi in dist["band_end"]])
    return titled(alt.Chart(df).mark_bar().encode(
        x=alt.X("band:N", sort=list(df["band"]), title=_("Probability of still being active (P(alive))"),
                axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("customers:Q", title=_("Customers")),
        color=alt.Color("status:N", title=None, scale=alt.Scale(
            domain=[above, below], range=[PALETTE[0], PALETTE[3]])),
        tooltip=_band_tips(),
    ).properties(width=WIDTH, height=260), title, subtitle)
