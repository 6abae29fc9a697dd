"""The BG/NBD repeat-purchase model (Fader, Hardie & Lee 2005), fitted by maximum likelihood with scipy (room crm).

While active, a customer buys at a Poisson rate λ (gamma-distributed across customers, shape ``r``,
rate ``alpha``); after each purchase they may become inactive for good with probability ``p``
(beta-distributed, ``a``, ``b``). From each customer's ``frequency`` (repeat purchases in the
calibration period), ``recency`` (time of the last purchase since the first, ``t_x``) and ``T`` (time
since the first purchase to the end of calibration) the model gives the expected purchases in a holdout
period and the probability that the customer is still active ("alive").

All functions are vectorised over customers. The fit reads the distinct (frequency, recency, T) rows with
their counts (:func:`casebook.crm.warehouse.triples`; the likelihood is a weighted sum), so 10 million
customers fit as fast as their distinct triples allow. The summaries come from
:mod:`casebook.crm.warehouse` (lifetimes names: ``frequency_holdout``, ``duration_holdout``).

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, special

from casebook import i18n
from casebook.crm.summary import day_text
from casebook.errors import ParameterError
from casebook.i18n import gettext as _

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


def unit_days(time_unit: str) -> float:
    """Days in one ``time_unit`` of :data:`TIME_UNITS` (``"D"`` or ``"W"``), or ParameterError."""
    if time_unit not in TIME_UNITS:
        raise ParameterError(f"time_unit {time_unit!r} is not valid; use one of: "
                             + ", ".join(repr(u) for u in TIME_UNITS) + " (days or weeks)")
    return TIME_UNITS[time_unit]


@dataclass(frozen=True)
class _Data:
    """Pooled rows of (x, t_x, T) with weights, and their distinct values (few: whole days or weeks), so
    that the terms of one column are computed once per distinct value and gathered (the same numbers)."""

    x: np.ndarray
    t_x: np.ndarray
    t_cal: np.ndarray
    w: np.ndarray
    ux: np.ndarray  # the distinct frequencies
    inv: np.ndarray  # each row's position in ``ux``
    u_tx: np.ndarray  # the distinct recencies, and each row's position among them
    inv_tx: np.ndarray
    u_t: np.ndarray  # the distinct T, and each row's position among them
    inv_t: np.ndarray

    @classmethod
    def of(cls, frequency: ArrayLike, recency: ArrayLike, t_cal: ArrayLike, weight: ArrayLike | None = None
           ) -> _Data:
        x, t_x, big_t = (np.asarray(v, float) for v in (frequency, recency, t_cal))
        w = np.ones_like(x) if weight is None else np.asarray(weight, float)
        return cls(x, t_x, big_t, w, *np.unique(x, return_inverse=True), *np.unique(t_x, return_inverse=True),
                   *np.unique(big_t, return_inverse=True))


def _loglik_terms(params: np.ndarray, d: _Data) -> np.ndarray:
    """Log-likelihood of each row (FHL 2005, eq. 6), computed in logs for stability; the terms of x alone
    are computed once per distinct x."""
    r, alpha, a, b = params
    ux, inv = d.ux, d.inv
    a1 = (special.gammaln(r + ux) - special.gammaln(r))[inv] + r * np.log(alpha)
    a2 = (special.betaln(a, b + ux) - special.betaln(a, b))[inv]
    a3 = -(r + d.x) * np.log(alpha + d.u_t)[d.inv_t]
    with np.errstate(divide="ignore", invalid="ignore"):
        drop = (np.log(a) - np.log(np.maximum(b + ux - 1, 1e-300)))[inv]
        a4 = np.where(d.x > 0, drop - (r + d.x) * np.log(alpha + d.u_tx)[d.inv_tx], -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def _nbd_terms(r: float, alpha: float, d: _Data) -> np.ndarray:
    """Log-likelihood of each row in the no-drop-out limit (an NBD count model)."""
    a1 = special.gammaln(r + d.ux) - special.gammaln(r)
    return a1[d.inv] + r * np.log(alpha) - (r + d.x) * np.log(alpha + d.u_t)[d.inv_t]


def log_likelihood(params: dict[str, float] | BGNBDParams, frequency: ArrayLike, recency: ArrayLike,
                   t_cal: ArrayLike, count: ArrayLike | None = None) -> float:
    """Total BG/NBD log-likelihood of the data under the given parameters (rows weighted by ``count``)."""
    p = params.as_dict() if isinstance(params, BGNBDParams) else params
    d = _Data.of(frequency, recency, t_cal, count)
    if p["a"] == 0:  # NBD limit
        return float((d.w * _nbd_terms(p["r"], p["alpha"], d)).sum())
    vec = np.array([p["r"], p["alpha"], p["a"], p["b"]], dtype=float)
    return float((d.w * _loglik_terms(vec, d)).sum())


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


def _nbd_fit(d: _Data) -> tuple[float, float, float]:
    """The a -> 0 limit of the BG/NBD (no drop-out): an NBD count model; returns r, alpha and its LL."""

    def nll(theta: np.ndarray) -> float:
        r, alpha = np.exp(theta)
        v = -(d.w * _nbd_terms(r, alpha, d)).sum()
        return float(v) if np.isfinite(v) else 1e300

    res = _minimise(nll, np.log([1.0, float(d.t_cal.mean()) or 1.0]))
    r, alpha = np.exp(res.x)
    return float(r), float(alpha), float(-res.fun)


def fit(summary: pd.DataFrame, time_unit: str = "W") -> BGNBDParams:
    """Maximum-likelihood BG/NBD fit on ``frequency``, ``recency`` and ``T`` columns.

    ``summary`` is the distinct triples with their ``count`` (:func:`casebook.crm.warehouse.triples`),
    used as they are, or one row per customer (pooled here). The optimiser (L-BFGS-B) works on
    log-parameters (all four are positive) and the likelihood is the count-weighted sum over the triples.

    When the data show no sign of customers dropping out, the likelihood keeps rising as ``a`` goes to 0
    along a flat ridge where ``b`` is not identified. The fit then returns that limit explicitly, an NBD
    model with ``a = 0`` and ``b = nan`` (see ``no_dropout``): silence is read as a low purchase rate and
    every P(alive) is 1. The limit is chosen when the BG/NBD does not beat it by more than
    :data:`NBD_LIMIT_TOLERANCE` in log-likelihood, which also keeps the result reproducible.
    """
    unit_days(time_unit)
    need = {"frequency", "recency", "T"}
    if missing := need - set(summary.columns):
        raise ParameterError(f"the summary lacks columns {sorted(missing)}; build it with "
                             "casebook.crm.warehouse.summarise() or triples()")
    if "count" not in summary.columns:
        summary = summary.groupby(["frequency", "recency", "T"], sort=True).size().reset_index(name="count")
    d = _Data.of(summary["frequency"], summary["recency"], summary["T"], summary["count"])
    customers = int(d.w.sum())
    if customers == 0:
        raise ParameterError("no customer in the calibration period: move calibration_end later")
    if not (d.w * (d.x > 0)).any():
        raise ParameterError("no customer made a repeat purchase in the calibration period: the "
                             "repeat-purchase model cannot be fitted; move calibration_end later")
    scale = float(d.t_cal.mean()) or 1.0  # alpha is on the time scale: start it near the triples' mean T

    def nll(theta: np.ndarray) -> float:
        v = -(d.w * _loglik_terms(np.exp(theta), d)).sum()
        return float(v) if np.isfinite(v) else 1e300

    start = np.log([1.0, scale, 1.0, 1.0])
    res = optimize.minimize(nll, start, method="L-BFGS-B",
                            options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10})
    r0, alpha0, ll0 = _nbd_fit(d)
    if ll0 >= -res.fun - NBD_LIMIT_TOLERANCE:
        return BGNBDParams(r0, alpha0, 0.0, float("nan"), ll0, customers, time_unit)
    res = _minimise(nll, res.x)  # from where the first L-BFGS-B stopped
    r, alpha, a, b = np.exp(res.x)
    return BGNBDParams(float(r), float(alpha), float(a), float(b), float(-res.fun), customers, time_unit)


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
    daily: pd.DataFrame,
    params: BGNBDParams,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
) -> pd.DataFrame:
    """Cumulative repeat purchases, actual and predicted, for the calibration cohort (the tracking chart).

    ``daily`` is :func:`casebook.crm.warehouse.daily_repeats` (per day: the cohort's first purchases and
    repeat purchases). One row per time unit since the first purchase of the data: ``period_end`` (date),
    ``actual`` and ``predicted`` cumulative repeat purchases, and ``phase`` ("calibration" or "holdout").
    The prediction sums E[X(t - s)] over first-purchase cohorts s (FHL 2005, section 5).
    """
    unit = unit_days(params.time_unit)
    cal_end = pd.Timestamp(calibration_end).normalize()
    h_end = pd.Timestamp(holdout_end).normalize()
    daily = daily[daily["day"] <= h_end].sort_values("day")
    start = daily["day"].min()
    step = pd.Timedelta(days=unit)
    n_steps = int(np.ceil(((h_end - start).days + 1) / unit))
    ends = pd.DatetimeIndex(start + step * np.arange(1, n_steps + 1) - pd.Timedelta(days=1))
    ends = ends.where(ends <= h_end, h_end)
    total = np.concatenate([[0], daily["repeat_purchases"].cumsum().to_numpy()])
    actual = total[np.searchsorted(daily["day"].to_numpy(), ends.to_numpy(), side="right")]
    cohorts = daily[daily["first_purchases"] > 0]
    s = np.asarray((pd.DatetimeIndex(cohorts["day"]) - start).days, float) / unit
    n = cohorts["first_purchases"].to_numpy(float)
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


def _holdout(summary: pd.DataFrame) -> None:
    if "frequency_holdout" not in summary.columns:
        raise ParameterError("the summary has no holdout period: build it with "
                             "warehouse.summarise(..., holdout_end=...)")


def holdout_check(params: BGNBDParams, summary: pd.DataFrame) -> pd.DataFrame:
    """Predicted vs actual holdout purchases, grouped by calibration frequency (0, 1, …, 7+).

    The standard conditional-expectation check of FHL 2005 (figure 4), on the calibration cohort of
    :func:`casebook.crm.warehouse.summarise` (:func:`~casebook.crm.warehouse.calibration`).
    """
    _holdout(summary)
    pred = conditional_expected_purchases(params, summary["duration_holdout"], summary["frequency"],
                                          summary["recency"], summary["T"])
    grp = np.minimum(summary["frequency"].to_numpy(), 7)
    df = pd.DataFrame({"frequency": grp, "actual": summary["frequency_holdout"].to_numpy(float),
                       "predicted": pred})
    out = df.groupby("frequency").agg(customers=("actual", "size"), actual=("actual", "mean"),
                                      predicted=("predicted", "mean")).reset_index()
    out["frequency_label"] = out["frequency"].astype(str).where(out["frequency"] < 7, "7+")
    return out


def unit_words(tr: Callable[[str], str] = _) -> dict[str, str]:
    """The time units in words, for the prose, in the current language (``tr=str``: English)."""
    return {"W": tr("weeks"), "D": tr("days")}


#: The time units in words, in English.
UNIT_WORDS = unit_words(str)


def dropout_verdict(params: BGNBDParams) -> str:
    """One sentence on what the fit says about drop-out, and so whether its P(alive) can warn of anything,
    in the current language."""
    if params.no_dropout:
        return _("The fit reaches the no-drop-out limit (a = 0, b undefined): the model sees no customer leave "
                 "for good, so every customer's probability of being active is 1 and it warns of nothing; "
                 "use the recency rules of the early-warning list instead.")
    return _("The fit finds drop-out: after each purchase a customer leaves for good with probability "
             "{dropout} on average, so the probability of being active separates customers "
             "who have gone quiet for good from those between two purchases.").format(
        dropout=i18n.fmt(params.mean_dropout, ".0%"))


def model_figures(params: BGNBDParams, summary: pd.DataFrame, calibration_end: pd.Timestamp,
                  holdout_end: pd.Timestamp, prefix: str = "") -> dict[str, object]:
    """The figures of the model section: the parameters (rounded to 4 decimals, robust to last-digit
    differences between machines), the cohort, the periods, and repeat purchases in the holdout, predicted
    and actual, with the relative error (NaN without any actual purchase). ``summary`` is the calibration
    cohort (:func:`casebook.crm.warehouse.calibration`) with its holdout columns. Every name starts with
    ``prefix`` (for a second data set on the same page); ``bgnbd_verdict`` is :func:`dropout_verdict`; the
    words and dates are in the current language, the numbers are the same in every language."""
    _holdout(summary)
    predicted = float(conditional_expected_purchases(
        params, summary["duration_holdout"], summary["frequency"], summary["recency"], summary["T"]).sum())
    actual = int(summary["frequency_holdout"].sum())
    figures = {
        "bgnbd_r": round(params.r, 4),
        "bgnbd_alpha": round(params.alpha, 4),
        "bgnbd_a": round(params.a, 4),
        "bgnbd_b": round(params.b, 4),
        "bgnbd_customers": params.customers,
        "mean_dropout": round(params.mean_dropout, 6),
        "calibration_end": day_text(calibration_end),
        "holdout_end": day_text(holdout_end),
        "time_unit_word": unit_words()[params.time_unit],
        "holdout_length": float(summary["duration_holdout"].iloc[0]),
        "holdout_predicted": round(predicted, 1),
        "holdout_actual": actual,
        "holdout_error": round(predicted / actual - 1, 4) if actual else float("nan"),
        "bgnbd_verdict": dropout_verdict(params),
    }
    return {f"{prefix}{k}": v for k, v in figures.items()}


#: The parameters Fader, Hardie & Lee (2005) publish for their CDNOW sample (weeks; calibration to
#: 30 September 1997), to three decimals.
FHL2005_CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def published_comparison(params: BGNBDParams, published: dict[str, float] | None = None) -> pd.DataFrame:
    """The published parameters beside ours, rounded to the published three decimals: ``parameter``,
    ``published``, ``ours`` and ``same`` (equal at that precision). Default: :data:`FHL2005_CDNOW`."""
    ref = FHL2005_CDNOW if published is None else published
    ours = params.as_dict()
    out = pd.DataFrame({"parameter": list(ref), "published": list(ref.values()),
                        "ours": [round(ours[k], 3) for k in ref]})
    out["same"] = out["published"] == out["ours"]
    return out
