"""The churn early-warning list (room crm): customers whose buying has stopped, before they say so in public.

Two signals, as in ANALYTICS.md section 5:

1. the BG/NBD probability that the customer is still active (:func:`casebook.crm.bgnbd.p_alive`) has
   dropped below a threshold;
2. the customer's silence (days since their last purchase) exceeds their own usual gap between
   purchases (the mean gap between their purchase days) times a factor. Customers with a single
   purchase day have no usual gap and are never flagged by this rule.

The list carries what each flagged customer spent, so a team sees how much revenue is at stake.

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casebook.crm import bgnbd
from casebook.crm.summary import purchase_days
from casebook.errors import ParameterError

REASONS = ("both signals", "P(alive) below threshold", "silence beyond usual gap")


def _check(threshold: float, gap_factor: float) -> None:
    if not 0 < threshold < 1:
        raise ParameterError(f"alive_threshold must be a probability between 0 and 1 (got {threshold!r})")
    if not gap_factor > 0:
        raise ParameterError(f"gap_factor must be a positive number (got {gap_factor!r})")


def customer_status(
    tx: pd.DataFrame,
    params: bgnbd.BGNBDParams,
    as_of: str | pd.Timestamp | None = None,
    threshold: float = 0.5,
    gap_factor: float = 1.0,
) -> pd.DataFrame:
    """Per customer as of ``as_of`` (default: the last day in the data): the signals and the flags.

    Columns: ``purchase_days``, ``revenue``, ``days_silent``, ``usual_gap_days``, ``silence_ratio``,
    ``p_alive``, ``flag_p_alive``, ``flag_gap``, ``flagged`` and ``reason`` (empty when not flagged).
    P(alive) uses the fitted ``params`` on each customer's whole history up to ``as_of``.
    """
    _check(threshold, gap_factor)
    days = purchase_days(tx)
    end = days["day"].max() if as_of is None else pd.Timestamp(as_of).normalize()
    days = days[days["day"] <= end]
    g = days.groupby("customer_id", sort=True, observed=True)
    agg = g.agg(n=("day", "size"), first=("day", "min"), last=("day", "max"), revenue=("amount", "sum"))
    out = pd.DataFrame(index=agg.index)
    out["purchase_days"] = agg["n"].astype("int64")
    out["revenue"] = agg["revenue"]
    out["days_silent"] = (end - agg["last"]).dt.days
    span = (agg["last"] - agg["first"]).dt.days.astype(float)
    out["usual_gap_days"] = (span / (agg["n"] - 1)).where(agg["n"] > 1)
    out["silence_ratio"] = out["days_silent"] / out["usual_gap_days"]
    unit = bgnbd.TIME_UNITS[params.time_unit]
    out["p_alive"] = bgnbd.p_alive(params, agg["n"] - 1, span / unit, (end - agg["first"]).dt.days / unit)
    out["flag_p_alive"] = out["p_alive"] < threshold
    out["flag_gap"] = (out["silence_ratio"] > gap_factor).fillna(False).astype(bool)
    out["flagged"] = out["flag_p_alive"] | out["flag_gap"]
    out["reason"] = np.select(
        [out["flag_p_alive"] & out["flag_gap"], out["flag_p_alive"], out["flag_gap"]], REASONS, default="")
    return out


def watchlist(status: pd.DataFrame) -> pd.DataFrame:
    """The flagged customers, largest revenue first."""
    return status[status["flagged"]].sort_values("revenue", ascending=False)


def watchlist_summary(status: pd.DataFrame) -> pd.DataFrame:
    """Counts and revenue by reason (rows of :data:`REASONS`, then "total"), with shares of all customers."""
    flagged = status[status["flagged"]]
    by = flagged.groupby("reason").agg(customers=("revenue", "size"), revenue=("revenue", "sum"))
    by = by.reindex(list(REASONS)).fillna(0)
    by.loc["total"] = [len(flagged), float(flagged["revenue"].sum())]
    by["customers"] = by["customers"].astype("int64")
    by["customer_share"] = by["customers"] / len(status)
    total = float(status["revenue"].sum())
    by["revenue_share"] = by["revenue"] / total if total else 0.0
    by.index.name = "reason"
    return by.reset_index()


def p_alive_distribution(status: pd.DataFrame, bins: int = 20) -> pd.DataFrame:
    """Customers per P(alive) band (``bins`` equal bands from 0 to 1): aggregated data for a chart."""
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(status["p_alive"].to_numpy(), edges[1:-1], right=False), 0, bins - 1)
    counts = np.bincount(idx, minlength=bins)
    revenue = np.bincount(idx, weights=status["revenue"].to_numpy(), minlength=bins)
    return pd.DataFrame({"band_start": edges[:-1], "band_end": edges[1:], "customers": counts,
                         "revenue": revenue})


def silence_distribution(status: pd.DataFrame, edges: tuple[float, ...] = (0, 0.5, 1, 1.5, 2, 3, 5)) -> pd.DataFrame:
    """Repeat customers per band of silence ÷ usual gap (the last band is open): data for a chart."""
    ratio = status["silence_ratio"].dropna()
    labels = [f"{lo:g}–{hi:g}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)] + [f"{edges[-1]:g}+"]
    cut = pd.cut(ratio, list(edges) + [np.inf], right=False, labels=labels)
    rev = status.loc[ratio.index, "revenue"]
    out = pd.DataFrame({"band": cut, "revenue": rev}).groupby("band", observed=False).agg(
        customers=("revenue", "size"), revenue=("revenue", "sum")).reset_index()
    out["band"] = out["band"].astype(str)
    out["beyond_usual_gap"] = [lo >= 1 for lo in edges]
    return out


def watchlist_figures(status: pd.DataFrame, summary: pd.DataFrame) -> dict[str, object]:
    """The figures of the watch-list section, from :func:`customer_status` and :func:`watchlist_summary`:
    customers and revenue on the list (and their shares), those flagged by P(alive), the lowest P(alive)
    and the repeat customers (the only ones the silence rule can flag)."""
    by = summary.set_index("reason")
    return {
        "watchlist_customers": int(by.loc["total", "customers"]),
        "watchlist_share": float(by.loc["total", "customer_share"]),
        "watchlist_revenue": float(by.loc["total", "revenue"]),
        "watchlist_revenue_share": float(by.loc["total", "revenue_share"]),
        "watchlist_by_p_alive": int(by.loc["both signals", "customers"] + by.loc["P(alive) below threshold", "customers"]),
        "p_alive_min": float(status["p_alive"].min()),
        "repeat_customers": int(status["usual_gap_days"].notna().sum()),
    }
