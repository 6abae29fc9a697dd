"""RFM (room crm): recency, frequency and monetary scores (quintiles, 1–5) and the named customer segments.

Scores follow the usual convention: 5 is best, so the recency score is reversed (the most recent
buyers score 5). A score is the quintile of the customer's rank: ``score = floor(5 * (rank - 1) / n) + 1``
with tied values sharing the lowest rank, so equal customers always get equal scores (quintiles can
then be uneven: when a third of customers bought once, they all share frequency score 1).

The segments are those of the R ``rfm`` package (version 0.2.2, ``rfm_segment`` documentation example),
see :data:`SEGMENTS`. As in that package, a customer takes the **first** segment in the listed order
whose three score ranges all match; a customer matching none is "Others". Because of that order,
"New Customers" and "Promising" (both inside "Potential Loyalist") and "Can't Lose Them" (inside
"At Risk") can never be reached with the default table: reorder the table to use them.

May import: the foundation and charts; never io (takes the summary frame of crm.warehouse).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casebook.errors import ParameterError
from casebook.i18n import gettext as _

#: (name, (R low, R high), (F low, F high), (M low, M high)), in the order they are tried.
SEGMENTS: list[tuple[str, tuple[int, int], tuple[int, int], tuple[int, int]]] = [
    ("Champions", (4, 5), (4, 5), (4, 5)),
    ("Loyal Customers", (2, 5), (3, 5), (3, 5)),
    ("Potential Loyalist", (3, 5), (1, 3), (1, 3)),
    ("New Customers", (4, 5), (1, 1), (1, 1)),
    ("Promising", (3, 4), (1, 1), (1, 1)),
    ("Need Attention", (2, 3), (2, 3), (2, 3)),
    ("About To Sleep", (2, 3), (1, 2), (1, 2)),
    ("At Risk", (1, 2), (2, 5), (2, 5)),
    ("Can't Lose Them", (1, 1), (4, 5), (4, 5)),
    ("Lost", (1, 2), (1, 2), (1, 2)),
]
OTHERS = "Others"


def segment_labels() -> dict[str, str]:
    """The segment names of :data:`SEGMENTS` and :data:`OTHERS` as a reader sees them, in the current
    language (the frames keep the R package's English names: they are data)."""
    return {
        "Champions": _("Champions"), "Loyal Customers": _("Loyal Customers"),
        "Potential Loyalist": _("Potential Loyalist"), "New Customers": _("New Customers"),
        "Promising": _("Promising"), "Need Attention": _("Need Attention"), "About To Sleep": _("About To Sleep"),
        "At Risk": _("At Risk"), "Can't Lose Them": _("Can't Lose Them"), "Lost": _("Lost"), OTHERS: _("Others"),
    }


def segment_label(name: str) -> str:
    """A segment's name in the current language (a name of the reader's own table as it is)."""
    return segment_labels().get(name, name)


def quintile_scores(values: pd.Series | np.ndarray, reverse: bool = False, bins: int = 5) -> np.ndarray:
    """Scores 1..bins from ranks (ties share the lowest rank); ``reverse`` gives low values the top score."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    if n == 0:
        return np.array([], dtype=np.int8)
    ranks = pd.Series(-v if reverse else v).rank(method="min").to_numpy()
    return (np.floor(bins * (ranks - 1) / n) + 1).astype(np.int8)


def rfm_table(summary: pd.DataFrame, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per customer: ``recency_days``, ``frequency``, ``monetary`` and the three scores.

    ``summary`` is :func:`casebook.crm.warehouse.summarise`. ``frequency`` counts distinct invoices when
    the orders had them (its ``invoices`` column), else purchase days; ``monetary`` is the total spend.
    ``recency_days`` is the number of days from the last purchase to ``as_of`` (default: the day after
    the last purchase in the data). ``rfm_score`` is the three digits, e.g. 545.
    """
    last = summary["last_purchase_at"].astype("datetime64[ns]")
    as_of = last.max().normalize() + pd.Timedelta(days=1) if as_of is None else pd.Timestamp(as_of)
    counts = summary["invoices"] if "invoices" in summary.columns else summary["purchase_days"]
    out = pd.DataFrame({"last_purchase": last, "frequency": counts.astype("int64"),
                        "monetary": summary["total_spend"].astype(float)}, index=summary.index)
    out = out.sort_index()
    out["recency_days"] = (as_of - out["last_purchase"]).dt.days
    out["r_score"] = quintile_scores(out["recency_days"], reverse=True)
    out["f_score"] = quintile_scores(out["frequency"])
    out["m_score"] = quintile_scores(out["monetary"])
    out["rfm_score"] = (out["r_score"].astype(int) * 100 + out["f_score"].astype(int) * 10
                        + out["m_score"].astype(int))
    return out


def assign_segments(
    scores: pd.DataFrame,
    segments: list[tuple[str, tuple[int, int], tuple[int, int], tuple[int, int]]] | None = None,
) -> pd.Series:
    """Segment name per customer: the first matching row of ``segments`` (default :data:`SEGMENTS`)."""
    table = SEGMENTS if segments is None else segments
    for row in table:
        if len(row) != 4 or any(len(rng) != 2 or not 1 <= rng[0] <= rng[1] <= 5 for rng in row[1:]):
            raise ParameterError(f"segment {row!r} is not valid; expected (name, (R low, R high), "
                                 "(F low, F high), (M low, M high)) with 1 <= low <= high <= 5")
    r = scores["r_score"].to_numpy()
    f = scores["f_score"].to_numpy()
    m = scores["m_score"].to_numpy()
    conds = [(r >= rr[0]) & (r <= rr[1]) & (f >= ff[0]) & (f <= ff[1]) & (m >= mm[0]) & (m <= mm[1])
             for _, rr, ff, mm in table]
    names = [name for name, *_ in table]
    return pd.Series(np.select(conds, names, default=OTHERS), index=scores.index, name="segment")


def segment_summary(scores: pd.DataFrame, segments: pd.Series) -> pd.DataFrame:
    """Per segment, in table order (then Others): customers, share, revenue, revenue share, medians.

    Empty segments are listed with zero customers so that a reader sees they exist.
    """
    df = scores.assign(segment=segments)
    g = df.groupby("segment", observed=True)
    out = pd.DataFrame({
        "customers": g.size(),
        "revenue": g["monetary"].sum(),
        "median_recency_days": g["recency_days"].median(),
        "median_frequency": g["frequency"].median(),
        "median_monetary": g["monetary"].median(),
    })
    names = list(dict.fromkeys([name for name, *_ in SEGMENTS] + list(out.index)))
    order = [n for n in names if n != OTHERS] + [OTHERS]
    out = out.reindex(order)
    out[["customers", "revenue"]] = out[["customers", "revenue"]].fillna(0)
    out["customers"] = out["customers"].astype("int64")
    out["customer_share"] = out["customers"] / max(int(out["customers"].sum()), 1)
    total = float(out["revenue"].sum())
    out["revenue_share"] = out["revenue"] / total if total else 0.0
    out.index.name = "segment"
    return out.reset_index()


def segment_figures(summary: pd.DataFrame) -> dict[str, object]:
    """The figures of the segments section, from :func:`segment_summary`: the Champions' share of customers,
    of revenue and their median recency; the "At Risk" and "Can't Lose Them" customers and revenue share;
    the "Others" share; and the empty segments as quoted text (``"none"`` when every segment has customers),
    in the current language (« Nouveaux clients » in French)."""
    seg = summary.set_index("segment")
    at_risk = seg.loc[["At Risk", "Can't Lose Them"]]
    empty = [_('"{segment}"').format(segment=segment_label(name)) for name in seg.index[seg["customers"] == 0]]
    return {
        "champions_share": seg.loc["Champions", "customer_share"],
        "champions_revenue_share": seg.loc["Champions", "revenue_share"],
        "champions_recency": seg.loc["Champions", "median_recency_days"],
        "at_risk_customers": int(at_risk["customers"].sum()),
        "at_risk_revenue_share": float(at_risk["revenue_share"].sum()),
        "others_share": seg.loc[OTHERS, "customer_share"],
        "empty_segments": ", ".join(empty) if empty else _("none"),
    }
