"""The churn early-warning list (room crm): customers whose buying has stopped, before they say so in public.

Two signals, as in ANALYTICS.md section 5:

1. the BG/NBD probability that the customer is still active (:func:`casebook.crm.bgnbd.p_alive`) has
   dropped below a threshold;
2. the customer's silence (days since their last purchase) exceeds their own usual gap between
   purchases (the mean gap between their purchase days) times a factor. Customers with a single
   purchase day have no usual gap and are never flagged by this rule.

The list carries what each flagged customer spent, so a team sees how much revenue is at stake.

May import: the foundation, crm and charts; never io (takes the summary frame of crm.warehouse).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from casebook import i18n
from casebook.crm import bgnbd
from casebook.errors import ParameterError
from casebook.i18n import gettext as _

REASONS = ("both signals", "P(alive) below threshold", "silence beyond usual gap")


def reason_labels() -> dict[str, str]:
    """The reasons of :data:`REASONS` and the ``"total"`` row of :func:`watchlist_summary` as a reader
    sees them, in the current language (the frames keep the English names: they are data)."""
    return {"both signals": _("both signals"), "P(alive) below threshold": _("P(alive) below threshold"),
            "silence beyond usual gap": _("silence beyond usual gap"), "total": _("total")}


def _check(threshold: float, gap_factor: float) -> None:
    if not 0 < threshold < 1:
        raise ParameterError(f"alive_threshold must be a probability between 0 and 1 (got {threshold!r})")
    if not gap_factor > 0:
        raise ParameterError(f"gap_factor must be a positive number (got {gap_factor!r})")


def customer_status(
    summary: pd.DataFrame,
    params: bgnbd.BGNBDParams,
    as_of: str | pd.Timestamp | None = None,
    threshold: float = 0.5,
    gap_factor: float = 1.0,
) -> pd.DataFrame:
    """Per customer as of ``as_of`` (default: the last purchase day in the data): the signals and the flags.

    ``summary`` is :func:`casebook.crm.warehouse.summarise` (its whole-history columns ``first_purchase``,
    ``last_purchase``, ``purchase_days`` and ``total_spend``); ``as_of`` may not come before its last
    purchase day (summarise the orders up to ``as_of`` instead). Columns: ``purchase_days``, ``revenue``,
    ``days_silent``, ``usual_gap_days``, ``silence_ratio``, ``p_alive``, ``flag_p_alive``, ``flag_gap``,
    ``flagged`` and ``reason`` (empty when not flagged). P(alive) uses the fitted ``params`` on each
    customer's whole history up to ``as_of``.
    """
    _check(threshold, gap_factor)
    last_day = summary["last_purchase"].max()
    end = last_day if as_of is None else pd.Timestamp(as_of).normalize()
    if end < last_day:
        raise ParameterError(f"as_of ({end:%Y-%m-%d}) comes before the last purchase of the summary "
                             f"({last_day:%Y-%m-%d}); summarise the orders up to that day")
    n = summary["purchase_days"].astype("int64")
    out = pd.DataFrame(index=summary.index)
    out["purchase_days"] = n
    out["revenue"] = summary["total_spend"].astype(float)
    out["days_silent"] = (end - summary["last_purchase"]).dt.days
    span = (summary["last_purchase"] - summary["first_purchase"]).dt.days.astype(float)
    out["usual_gap_days"] = (span / (n - 1)).where(n > 1)
    out["silence_ratio"] = out["days_silent"] / out["usual_gap_days"]
    unit = bgnbd.TIME_UNITS[params.time_unit]
    out["p_alive"] = bgnbd.p_alive(params, n - 1, span / unit, (end - summary["first_purchase"]).dt.days / unit)
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


def _short(x: float) -> str:
    """A band edge with the digits it has (``0.5``, ``2``), in the current language (``0,5``)."""
    return format(x, "g") if i18n.current() == "en" else i18n.number(x, None, group=False)


def silence_distribution(status: pd.DataFrame, edges: tuple[float, ...] = (0, 0.5, 1, 1.5, 2, 3, 5)) -> pd.DataFrame:
    """Repeat customers per band of silence ÷ usual gap (the last band is open): data for a chart; the
    bands' numbers are written in the current language (``0–0.5``, ``0–0,5``)."""
    ratio = status["silence_ratio"].dropna()
    labels = [f"{_short(lo)}–{_short(hi)}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    labels.append(f"{_short(edges[-1])}+")
    cut = pd.cut(ratio, list(edges) + [np.inf], right=False, labels=labels)
    rev = status.loc[ratio.index, "revenue"]
    out = pd.DataFrame({"band": cut, "revenue": rev}).groupby("band", observed=False).agg(
        customers=("revenue", "size"), revenue=("revenue", "sum")).reset_index()
    out["band"] = out["band"].astype(str)
    out["beyond_usual_gap"] = [lo >= 1 for lo in edges]
    return out


def watchlist_figures(status: pd.DataFrame, summary: pd.DataFrame, prefix: str = "") -> dict[str, object]:
    """The figures of the watch-list section, from :func:`customer_status` and :func:`watchlist_summary`:
    customers and revenue on the list (and their shares), those flagged by P(alive) (and their share of
    all customers), the lowest P(alive) and the repeat customers (the only ones the silence rule can flag).
    Every name starts with ``prefix`` (for a second data set on the same page)."""
    by = summary.set_index("reason")
    by_p_alive = int(by.loc["both signals", "customers"] + by.loc["P(alive) below threshold", "customers"])
    figures = {
        "watchlist_customers": int(by.loc["total", "customers"]),
        "watchlist_share": float(by.loc["total", "customer_share"]),
        "watchlist_revenue": float(by.loc["total", "revenue"]),
        "watchlist_revenue_share": float(by.loc["total", "revenue_share"]),
        "watchlist_by_p_alive": by_p_alive,
        "watchlist_by_p_alive_share": by_p_alive / len(status),
        "p_alive_min": float(status["p_alive"].min()),
        "repeat_customers": int(status["usual_gap_days"].notna().sum()),
    }
    return {f"{prefix}{k}": v for k, v in figures.items()}
