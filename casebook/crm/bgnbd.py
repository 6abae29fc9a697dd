"""The BG/NBD repeat-purchase model (Fader, Hardie & Lee 2005), fitted by maximum likelihood with scipy (room crm).

While active, a customer buys at a Poisson rate λ (gamma-distributed across customers, shape ``r``,
rate ``alpha``); after each purchase they may become inactive for good with probability ``p``
(beta-distributed, ``a``, ``b``). From each customer's ``frequency`` (repeat purchases in the
calibration period), ``recency`` (time of the last purchase since the first, ``t_x``) and ``T`` (time
since the first purchase to the end of calibration) the model gives the expected purchases in a holdout
period and the probability that the customer is still active ("alive").

All functions are vectorised over customers. Identical (frequency, recency, T) rows are pooled before
fitting, so the fit takes the same time for 5,000 or 5 million transaction lines once summarised.

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, special

from casebook.crm.summary import purchase_days
from casebook.errors import ParameterError

TIME_UNITS = {"D": 1.0, "W": 7.0}


@dataclass(frozen=True)
class BGNBDParams:
    """Fitted BG/NBD parameters and the maximised log-likelihood."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int
    time_unit: str = "W"

    @property
    def mean_dropout(self) -> float:
        """Mean probability of becoming inactive right after a purchase, a / (a + b) (0 in the NBD limit)."""
        return 0.0 if self.a == 0 else self.a / (self.a + self.b)

    @property
    def no_dropout(self) -> bool:
        """True when the fit is the a -> 0 limit: the data show no customer dropping out."""
        return self.a == 0

    def as_dict(self) -> dict[str, float]:
        """The four parameters by name."""
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}


def _unit_days(time_unit: str) -> float:
    if time_unit not in TIME_UNITS:
        raise ParameterError(f"time_unit {time_unit!r} is not valid; use one of: "
                             + ", ".join(repr(u) for u in TIME_UNITS) + " (days or weeks)")
    return TIME_UNITS[time_unit]


def default_periods(
    tx: pd.DataFrame,
    calibration_end: str | pd.Timestamp | None = None,
    holdout_end: str | pd.Timestamp | None = None,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Calibration and holdout ends; empty or None means: the holdout ends on the last day of the data
    and lasts 13 weeks (91 days), or a third of the data's span when that is shorter.
    """
    last = tx["timestamp"].max().normalize()
    first = tx["timestamp"].min().normalize()
    h_end = pd.Timestamp(holdout_end).normalize() if holdout_end else last
    if calibration_end:
        c_end = pd.Timestamp(calibration_end).normalize()
    else:
        span = (h_end - first).days
        c_end = h_end - pd.Timedelta(days=max(1, min(91, span // 3)))
    if not first <= c_end < h_end:
        raise ParameterError(f"calibration_end ({c_end:%Y-%m-%d}) must fall between the first day of the data "
                             f"({first:%Y-%m-%d}) and holdout_end ({h_end:%Y-%m-%d})")
    return c_end, h_end


def summarise(
    tx: pd.DataFrame,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Per customer: ``frequency``, ``recency``, ``T`` over the calibration period, and the holdout.

    Purchases are counted per calendar day (several orders on one day are one occasion). The
    calibration period runs from the first transaction to ``calibration_end`` inclusive; customers whose
    first purchase falls after it are left out (they are not in the calibration cohort). With
    ``holdout_end``, ``holdout_purchases`` counts purchase days in (calibration_end, holdout_end] and
    ``holdout_length`` is that period's length; ``monetary`` is the mean calibration purchase-day value.
    Times are in days (``"D"``) or weeks of 7 days (``"W"``).
    """
    unit = _unit_days(time_unit)
    cal_end = pd.Timestamp(calibration_end).normalize()
    days = purchase_days(tx)
    first = days.groupby("customer_id", sort=False, observed=True)["day"].transform("min")
    cohort = first <= cal_end
    days, first = days[cohort], first[cohort]
    cal = days["day"] <= cal_end
    d = days[cal]
    g = d.groupby("customer_id", sort=True, observed=True)
    agg = g.agg(n=("day", "size"), first=("day", "min"), last=("day", "max"), spend=("amount", "sum"))
    out = pd.DataFrame(index=agg.index)
    out["frequency"] = (agg["n"] - 1).astype("int64")
    out["recency"] = (agg["last"] - agg["first"]).dt.days / unit
    out["T"] = (cal_end - agg["first"]).dt.days / unit
    out["monetary"] = agg["spend"] / agg["n"]
    if holdout_end is not None:
        h_end = pd.Timestamp(holdout_end).normalize()
        if h_end <= cal_end:
            raise ParameterError(f"holdout_end ({h_end:%Y-%m-%d}) must come after calibration_end "
                                 f"({cal_end:%Y-%m-%d})")
        hold = days[(~cal) & (days["day"] <= h_end)]
        counts = hold.groupby("customer_id", sort=False, observed=True).size()
        out["holdout_purchases"] = counts.reindex(out.index, fill_value=0).astype("int64")
        out["holdout_length"] = (h_end - cal_end).days / unit
    out.index.name = "customer_id"
    return out


def _loglik_terms(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, t_cal: np.ndarray) -> np.ndarray:
    """Log-likelihood of each customer (FHL 2005, eq. 6), computed in logs for stability."""
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + t_cal)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + t_x),
                      -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def log_likelihood(params: dict[str, float] | BGNBDParams, frequency: ArrayLike, recency: ArrayLike,
                   t_cal: ArrayLike) -> float:
    """Total BG/NBD log-likelihood of the data under the given parameters."""
    p = params.as_dict() if isinstance(params, BGNBDParams) else params
    if p["a"] == 0:  # NBD limit
        x, t_cal = np.asarray(frequency, float), np.asarray(t_cal, float)
        r, alpha = p["r"], p["alpha"]
        return float((special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
                      - (r + x) * np.log(alpha + t_cal)).sum())
    vec = np.array([p["r"], p["alpha"], p["a"], p["b"]], dtype=float)
    return float(_loglik_terms(vec, np.asarray(frequency, float), np.asarray(recency, float),
                               np.asarray(t_cal, float)).sum())


#: How much better (in log-likelihood) the BG/NBD must fit than its no-drop-out limit to be kept.
NBD_LIMIT_TOLERANCE = 0.01


def _minimise(nll: Callable[[np.ndarray], float], start: np.ndarray) -> optimize.OptimizeResult:
    """L-BFGS-B, then a derivative-free polish from where it stopped.

    With numerical gradients L-BFGS-B stops within about 1e-5 of the optimum, where the last digits
    depend on the machine's floating point; the polish makes the published figures the same everywhere.
    """
    res = optimize.minimize(nll, start, method="L-BFGS-B", options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10})
    return optimize.minimize(nll, res.x, method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxfev": 20000})


def _nbd_fit(x: np.ndarray, t_cal: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    """The a -> 0 limit of the BG/NBD (no drop-out): an NBD count model; returns r, alpha and its LL."""

    def nll(theta: np.ndarray) -> float:
        r, alpha = np.exp(theta)
        ll = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + t_cal)
        v = -(w * ll).sum()
        return float(v) if np.isfinite(v) else 1e300

    res = _minimise(nll, np.log([1.0, float(t_cal.mean()) or 1.0]))
    r, alpha = np.exp(res.x)
    return float(r), float(alpha), float(-res.fun)


def fit(summary: pd.DataFrame, time_unit: str = "W") -> BGNBDParams:
    """Maximum-likelihood BG/NBD fit on a summary with ``frequency``, ``recency`` and ``T`` columns.

    The optimiser (L-BFGS-B) works on log-parameters (all four are positive), on the pooled distinct
    (frequency, recency, T) triples weighted by their counts.

    When the data show no sign of customers dropping out, the likelihood keeps rising as ``a`` goes to 0
    along a flat ridge where ``b`` is not identified. The fit then returns that limit explicitly, an NBD
    model with ``a = 0`` and ``b = nan`` (see ``no_dropout``): silence is read as a low purchase rate and
    every P(alive) is 1. The limit is chosen when the BG/NBD does not beat it by more than
    :data:`NBD_LIMIT_TOLERANCE` in log-likelihood, which also keeps the result reproducible.
    """
    need = {"frequency", "recency", "T"}
    if missing := need - set(summary.columns):
        raise ParameterError(f"the summary lacks columns {sorted(missing)}; build it with bgnbd.summarise()")
    if len(summary) == 0:
        raise ParameterError("no customer in the calibration period: move calibration_end later")
    pooled = summary.groupby(["frequency", "recency", "T"], sort=True).size().reset_index(name="w")
    x = pooled["frequency"].to_numpy(float)
    t_x = pooled["recency"].to_numpy(float)
    t_cal = pooled["T"].to_numpy(float)
    w = pooled["w"].to_numpy(float)
    if (x > 0).sum() == 0:
        raise ParameterError("no customer made a repeat purchase in the calibration period: the "
                             "repeat-purchase model cannot be fitted; move calibration_end later")
    scale = float(t_cal.mean()) or 1.0  # alpha is on the time scale; start it near the mean T

    def nll(theta: np.ndarray) -> float:
        v = -(w * _loglik_terms(np.exp(theta), x, t_x, t_cal)).sum()
        return float(v) if np.isfinite(v) else 1e300

    start = np.log([1.0, scale, 1.0, 1.0])
    res = optimize.minimize(nll, start, method="L-BFGS-B",
                            options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10})
    r0, alpha0, ll0 = _nbd_fit(x, t_cal, w)
    if ll0 >= -res.fun - NBD_LIMIT_TOLERANCE:
        return BGNBDParams(r0, alpha0, 0.0, float("nan"), ll0, int(len(summary)), time_unit)
    res = _minimise(nll, res.x)  # from where the first L-BFGS-B stopped
    r, alpha, a, b = np.exp(res.x)
    return BGNBDParams(float(r), float(alpha), float(a), float(b), float(-res.fun), int(len(summary)),
                       time_unit)


def _arrays(params: BGNBDParams | dict[str, float]) -> tuple[float, float, float, float]:
    p = params.as_dict() if isinstance(params, BGNBDParams) else params
    return p["r"], p["alpha"], p["a"], p["b"]


def p_alive(params: BGNBDParams | dict[str, float], frequency: ArrayLike, recency: ArrayLike,
            t_cal: ArrayLike) -> np.ndarray:
    """Probability that each customer is still active at the end of their observation (FHL 2005, eq. 13).

    ``frequency`` is x, ``recency`` is t_x and ``t_cal`` is T (time since the first purchase).

    A customer with no repeat purchase is alive with probability 1: the model only lets customers
    drop out right after a purchase.
    """
    r, alpha, a, b = _arrays(params)
    x = np.asarray(frequency, float)
    t_x = np.asarray(recency, float)
    big_t = np.asarray(t_cal, float)
    if a == 0:  # the no-drop-out limit
        return np.ones(np.broadcast(x, t_x, big_t).shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_ratio = (np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                     + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x)))
        out = np.where(x > 0, 1.0 / (1.0 + np.exp(log_ratio)), 1.0)
    return out


def conditional_expected_purchases(params: BGNBDParams | dict[str, float], t: ArrayLike, frequency: ArrayLike,
                                   recency: ArrayLike, t_cal: ArrayLike) -> np.ndarray:
    """Expected purchases in the next ``t`` time units for customers with history (x, t_x, T) (eq. 10)."""
    r, alpha, a, b = _arrays(params)
    x = np.asarray(frequency, float)
    t_x = np.asarray(recency, float)
    big_t = np.asarray(t_cal, float)
    t = np.asarray(t, float)
    if a == 0:  # NBD limit: the posterior mean rate (r + x) / (alpha + T), times t
        return (r + x) / (alpha + big_t) * t
    z = t / (alpha + big_t + t)
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, z)
    term = ((a + b + x - 1) / (a - 1)) * (1 - np.exp((r + x) * np.log((alpha + big_t) / (alpha + big_t + t))) * hyp)
    return term * p_alive(params, x, t_x, big_t)


def expected_purchases(params: BGNBDParams | dict[str, float], t: ArrayLike) -> np.ndarray:
    """Expected repeat purchases of a new customer in their first ``t`` time units (E[X(t)], eq. 9)."""
    r, alpha, a, b = _arrays(params)
    t = np.asarray(t, float)
    if a == 0:  # NBD limit
        return r * t / alpha
    hyp = special.hyp2f1(r, b, a + b - 1, t / (alpha + t))
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)


def tracking(
    tx: pd.DataFrame,
    params: BGNBDParams,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
) -> pd.DataFrame:
    """Cumulative repeat purchases, actual and predicted, for the calibration cohort (the tracking chart).

    One row per time unit since the first purchase of the data: ``period_end`` (date), ``actual`` and
    ``predicted`` cumulative repeat purchases, and ``phase`` ("calibration" or "holdout"). The prediction
    sums E[X(t - s)] over first-purchase cohorts s (FHL 2005, section 5).
    """
    unit = _unit_days(params.time_unit)
    cal_end = pd.Timestamp(calibration_end).normalize()
    h_end = pd.Timestamp(holdout_end).normalize()
    days = purchase_days(tx)
    days = days[days["day"] <= h_end]
    first = days.groupby("customer_id", sort=False, observed=True)["day"].transform("min")
    keep = first <= cal_end
    days, first = days[keep], first[keep]
    start = days["day"].min()
    step = pd.Timedelta(days=unit)
    n_steps = int(np.ceil(((h_end - start).days + 1) / unit))
    ends = pd.DatetimeIndex(start + step * np.arange(1, n_steps + 1) - pd.Timedelta(days=1))
    ends = ends.where(ends <= h_end, h_end)
    repeat = days.loc[days["day"] > first, "day"]
    actual = np.searchsorted(np.sort(repeat.to_numpy()), ends.to_numpy(), side="right")
    cohorts = days.groupby("customer_id", sort=False, observed=True)["day"].min().value_counts().sort_index()
    s = np.asarray((cohorts.index - start).days, float) / unit
    n = cohorts.to_numpy(float)
    # time since each cohort's first purchase at the end of each period (end of day = +1 day)
    t_end = np.asarray((ends - start).days + 1, float) / unit
    age = t_end[:, None] - (s[None, :] + 1 / unit)
    ex = np.where(age > 0, expected_purchases(params, np.clip(age, 0, None)), 0.0)
    predicted = ex @ n
    return pd.DataFrame({
        "period_end": ends,
        "actual": actual.astype("int64"),
        "predicted": predicted,
        "phase": np.where(ends <= cal_end, "calibration", "holdout"),
    })


def holdout_check(params: BGNBDParams, summary: pd.DataFrame) -> pd.DataFrame:
    """Predicted vs actual holdout purchases, grouped by calibration frequency (0, 1, …, 7+).

    The standard conditional-expectation check of FHL 2005 (figure 4).
    """
    if "holdout_purchases" not in summary.columns:
        raise ParameterError("the summary has no holdout period: build it with summarise(..., holdout_end=...)")
    pred = conditional_expected_purchases(params, summary["holdout_length"], summary["frequency"],
                                          summary["recency"], summary["T"])
    grp = np.minimum(summary["frequency"].to_numpy(), 7)
    df = pd.DataFrame({"frequency": grp, "actual": summary["holdout_purchases"].to_numpy(float),
                       "predicted": pred})
    out = df.groupby("frequency").agg(customers=("actual", "size"), actual=("actual", "mean"),
                                      predicted=("predicted", "mean")).reset_index()
    out["frequency_label"] = out["frequency"].astype(str).where(out["frequency"] < 7, "7+")
    return out


#: The time units in words, for the prose.
UNIT_WORDS = {"W": "weeks", "D": "days"}


def model_figures(params: BGNBDParams, summary: pd.DataFrame, calibration_end: pd.Timestamp,
                  holdout_end: pd.Timestamp) -> dict[str, object]:
    """The figures of the model section: the parameters (rounded to 4 decimals, robust to last-digit
    differences between machines), the cohort, the periods, and repeat purchases in the holdout, predicted
    and actual, with the relative error (NaN without any actual purchase). ``summary`` is :func:`summarise`'s
    table with its holdout columns."""
    predicted = float(conditional_expected_purchases(
        params, summary["holdout_length"], summary["frequency"], summary["recency"], summary["T"]).sum())
    actual = int(summary["holdout_purchases"].sum())
    return {
        "bgnbd_r": round(params.r, 4),
        "bgnbd_alpha": round(params.alpha, 4),
        "bgnbd_a": round(params.a, 4),
        "bgnbd_b": round(params.b, 4),
        "bgnbd_customers": params.customers,
        "mean_dropout": round(params.mean_dropout, 6),
        "calibration_end": calibration_end.strftime("%d %B %Y"),
        "holdout_end": holdout_end.strftime("%d %B %Y"),
        "time_unit_word": UNIT_WORDS[params.time_unit],
        "holdout_length": float(summary["holdout_length"].iloc[0]),
        "holdout_predicted": round(predicted, 1),
        "holdout_actual": actual,
        "holdout_error": round(predicted / actual - 1, 4) if actual else float("nan"),
    }
