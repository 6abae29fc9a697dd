"""Charts of the community manager chapter (room support), in the book's theme.

May import: the foundation, charts, support.replies (labels).

Every builder takes an aggregated table of :mod:`casebook.support.replies` (one row per brand, hour,
period or brand × number of exchanges), never one row per message, and a ``credit`` that ends the
subtitle: for the twcs data it is its licence line (CC BY-NC-SA 4.0), which every chart derived from
it must show.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from casebook import i18n
from casebook.charts import PALETTE, WIDTH, tip, titled
from casebook.i18n import gettext as _


def _subtitle(text: str | None, credit: str) -> str:
    """``text`` then the credit line, which every chart of this room carries."""
    if not credit:
        raise ValueError("a chart of conversation data needs its credit line (for twcs: its licence)")
    return f"{text.rstrip('.')}. {credit}" if text else credit


def _positive(values: pd.Series) -> pd.Series:
    """Minutes for a log scale: values of 0 or less (a reply in the same second) shown at 0.1 minute."""
    return values.where(values.isna() | (values > 0.1), 0.1)


def _counts() -> list[alt.Tooltip]:
    """Hover entries every per-brand chart starts with: the brand, its inbound and answered messages."""
    return [tip("brand", "text", _("brand")), tip("inbound", "count", _("inbound messages")),
            tip("answered", "count", _("answered"))]


def first_reply_chart(table: pd.DataFrame, title: str, *, credit: str, subtitle: str | None = None,
                      confidence: float = 0.95) -> alt.LayerChart:
    """Median first-reply minutes per brand (dot) with its interval (line) and the 90th percentile (tick),
    on a log scale (minutes to days), fastest brand first."""
    df = table[["brand", "inbound", "answered", "first_reply_median_min", "first_reply_median_low",
                "first_reply_median_high", "first_reply_p90_min"]].copy()
    for c in df.columns[3:]:
        df[c] = _positive(df[c].astype("float64"))
    order = df.sort_values(["first_reply_median_min", "brand"])["brand"].tolist()
    base = alt.Chart(df).encode(y=alt.Y("brand:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)))
    x = alt.X("first_reply_median_min:Q", title=_("Minutes to the first reply (log scale)"),
              scale=alt.Scale(type="log"))
    rule = base.mark_rule(strokeWidth=2, color=PALETTE[0]).encode(
        x=alt.X("first_reply_median_low:Q", scale=alt.Scale(type="log")), x2="first_reply_median_high:Q")
    p90 = base.mark_tick(color=PALETTE[1], thickness=2, size=14).encode(
        x=alt.X("first_reply_p90_min:Q", scale=alt.Scale(type="log")))
    tips = [*_counts(), tip("first_reply_median_min", "number1", _("median first reply (min)")),
            tip("first_reply_median_low", "number1", _("interval from (min)")),
            tip("first_reply_median_high", "number1", _("interval to (min)")),
            tip("first_reply_p90_min", "number1", _("90th percentile (min)"))]
    dot = base.mark_point(filled=True, size=80, color=PALETTE[0], opacity=1).encode(x=x, tooltip=tips)
    note = _("Dot: median; line: its {level} bootstrap interval; orange tick: 90th percentile").format(
        level=i18n.fmt(confidence, ".0%"))
    return titled((rule + p90 + dot).properties(width=WIDTH - 140, height=alt.Step(26)), title,
                  _subtitle(subtitle or note, credit))


def reply_rate_chart(table: pd.DataFrame, title: str, *, credit: str, subtitle: str | None = None) -> alt.LayerChart:
    """Reply rate per brand as bars, with the number of inbound messages at the bar end."""
    df = table[["brand", "inbound", "answered", "reply_rate"]].copy()
    base = alt.Chart(df).encode(
        y=alt.Y("brand:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("reply_rate:Q", title=_("Inbound messages answered"), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        tooltip=[*_counts(), tip("reply_rate", "percent", _("reply rate"))],
    )
    bars = base.mark_bar(color=PALETTE[0])
    label = base.mark_text(align="left", dx=4, color="#444").encode(text=alt.Text("inbound:Q", format=",d"))
    return titled((bars + label).properties(width=WIDTH - 160, height=alt.Step(26)), title,
                  _subtitle(subtitle or _("Number at the end of each bar: inbound messages addressed to the brand"),
                            credit))


def hour_chart(hours: pd.DataFrame, title: str, *, credit: str, subtitle: str | None = None,
               min_answered: int = 10) -> alt.VConcatChart:
    """Two panels over the 24 hours of the day: inbound messages (bars) and median first-reply minutes
    (line, log scale), the latter only for hours with at least ``min_answered`` answered messages."""
    df = hours[["hour", "inbound", "answered", "reply_rate", "first_reply_median_min"]].copy()
    x = alt.X("hour:O", title=_("Hour the customer wrote"), axis=alt.Axis(labelAngle=0),
              scale=alt.Scale(domain=list(range(24))))
    tips = [tip("hour", "order", _("hour")), *_counts()[1:], tip("reply_rate", "percent0", _("reply rate")),
            tip("first_reply_median_min", "number1", _("median first reply (min)"))]
    volume = alt.Chart(df).mark_bar(color=PALETTE[0]).encode(
        x=x, y=alt.Y("inbound:Q", title=_("Inbound messages")), tooltip=tips).properties(width=WIDTH, height=140)
    timed = df[(df["answered"] >= min_answered) & df["first_reply_median_min"].notna()].copy()
    timed["first_reply_median_min"] = _positive(timed["first_reply_median_min"].astype("float64"))
    speed = alt.Chart(timed).encode(
        x=x, y=alt.Y("first_reply_median_min:Q", title=_("Median first reply (min, log)"), scale=alt.Scale(type="log")),
        tooltip=tips)
    speed = (speed.mark_line(color=PALETTE[1]) + speed.mark_point(filled=True, color=PALETTE[1])).properties(
        width=WIDTH, height=140)
    note = _("Hours in the data's clock (UTC for twcs); medians of hours with at least {n} answered "
             "messages").format(n=i18n.fmt(min_answered, ",d"))
    return titled(alt.vconcat(volume, speed), title, _subtitle(subtitle or note, credit))


def business_chart(table: pd.DataFrame, title: str, *, credit: str, subtitle: str | None = None) -> alt.LayerChart:
    """Per brand, median first-reply minutes in business hours and outside them (a dumbbell, log scale)."""
    parts = []
    for period, prefix in ((_("business hours"), "business"), (_("off hours"), "off_hours")):
        parts.append(pd.DataFrame({"brand": table["brand"].to_numpy(), "period": period,
                                   "inbound": table[f"{prefix}_inbound"].to_numpy(),
                                   "median_min": table[f"{prefix}_median_min"].to_numpy()}))
    long = pd.concat(parts, ignore_index=True)
    long["median_min"] = _positive(long["median_min"].astype("float64"))
    long = long.dropna(subset=["median_min"])
    base = alt.Chart(long).encode(y=alt.Y("brand:N", sort=table["brand"].tolist(), title=None,
                                          axis=alt.Axis(labelLimit=220)))
    x = alt.X("median_min:Q", title=_("Median minutes to the first reply (log scale)"), scale=alt.Scale(type="log"))
    line = base.mark_line(color="#bbbbbb", strokeWidth=3).encode(x=x, detail="brand:N")
    dots = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=x, color=alt.Color("period:N", title=None, scale=alt.Scale(range=[PALETTE[0], PALETTE[1]])),
        tooltip=[*_counts()[:2], tip("period", "text", _("when written")),
                 tip("median_min", "number1", _("median first reply (min)"))])
    return titled((line + dots).properties(width=WIDTH - 140, height=alt.Step(26)), title,
                  _subtitle(subtitle or _("By the hour the customer wrote, in the data's clock (UTC for twcs); "
                                          "weekends count as off hours"), credit))


def exchanges_chart(table: pd.DataFrame, title: str, *, credit: str, subtitle: str | None = None) -> alt.Chart:
    """Per brand, the share of its replied conversations by number of exchanges (stacked bars)."""
    df = table[["brand", "exchanges", "conversations", "share"]].copy()
    df["exchanges"] = df["exchanges"].astype(str)
    order = list(dict.fromkeys(df["exchanges"]))
    chart = alt.Chart(df).mark_bar().encode(
        y=alt.Y("brand:N", sort=list(dict.fromkeys(df["brand"])), title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%"), title=_("Replied conversations")),
        color=alt.Color("exchanges:N", sort=order, title=_("Exchanges"),
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)])),
        order=alt.Order("exchanges:N"),
        tooltip=[tip("brand", "text", _("brand")), tip("exchanges", "text", _("exchanges")),
                 tip("conversations", "count", _("conversations")),
                 tip("share", "percent0", _("share of conversations"))],
    ).properties(width=WIDTH - 160, height=alt.Step(26))
    return titled(chart, title, _subtitle(subtitle or _("An exchange: a customer's message the brand answered"),
                                          credit))


__all__ = ["business_chart", "exchanges_chart", "first_reply_chart", "hour_chart", "reply_rate_chart"]
