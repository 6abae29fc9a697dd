"""The group-trip funnel (room community): a viral loop, closed form and Monte Carlo, and its sensitivity.

No SNCF data exists. Every default below is an ASSUMPTION chosen to make the mechanics visible, not
a measurement; every output of this module is a *model* (closed form) or *simulated* (seeded Monte
Carlo) figure and is labelled so wherever it is shown.

The funnel: ``n_organisers`` people each set up a group trip and send invitations (Poisson, mean
``invitations_per_organiser``); each invitee accepts with ``acceptance_rate`` and, having accepted,
books with ``booking_rate``; each friend who booked goes on to organise a trip of their own with
``reorganise_rate``. The viral coefficient is K = invitations × conversion, where conversion =
acceptance × booking × reorganising is the chance that one invitation produces a new organiser.
Each trip books the organiser plus the friends who booked.

Reach vs relay is in :mod:`casebook.community.cascade`.

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from casebook import i18n
from casebook.community.words import rate_label
from casebook.errors import ParameterError
from casebook.i18n import gettext as _

RATE_NAMES = ("invitations_per_organiser", "acceptance_rate", "booking_rate", "reorganise_rate")
PROBABILITIES = ("acceptance_rate", "booking_rate", "reorganise_rate")

#: ASSUMPTIONS, not SNCF figures: base values of the funnel rates.
DEFAULT_RATES: dict[str, float] = {
    "invitations_per_organiser": 4.0,
    "acceptance_rate": 0.5,
    "booking_rate": 0.7,
    "reorganise_rate": 0.15,
}
#: ASSUMPTIONS: the ranges the Monte Carlo draws each rate from (uniformly) and the tornado swings over.
DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "invitations_per_organiser": (2.0, 6.0),
    "acceptance_rate": (0.3, 0.7),
    "booking_rate": (0.5, 0.9),
    "reorganise_rate": (0.05, 0.25),
}
DEFAULT_ORGANISERS = 1_000
MAX_SIMULATIONS = 1_000_000

#: ASSUMPTIONS for reach vs relay: 1,000 people who do not care, 10 who do, and their friends.


# --- parameter checks -------------------------------------------------------------------------


def check_number(name: str, value: object) -> float:
    """``value`` as a finite float, or ParameterError."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(float(value)):
        raise ParameterError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _in_domain(name: str, value: float, label: str | None = None) -> float:
    """Probabilities in [0, 1], counts of invitations ≥ 0 (``label`` names the value in messages)."""
    label = label or name
    if name in PROBABILITIES and not 0 <= value <= 1:
        raise ParameterError(f"{label} must be a probability between 0 and 1, got {value!r}")
    if value < 0:
        raise ParameterError(f"{label} must be 0 or more, got {value!r}")
    return value


def check_known(kind: str, given: Mapping[str, object], known: tuple[str, ...]) -> None:
    """ParameterError naming the keys of ``given`` that are not ``known`` (``kind`` names them), if any."""
    extra = sorted(set(given) - set(known))
    if extra:
        raise ParameterError(f"unknown {kind} {', '.join(map(repr, extra))}; known: {', '.join(known)}")


def check_count(name: str, value: object, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number between ``minimum`` and ``maximum``, or ParameterError."""
    number = check_number(name, value)
    if number != int(number) or number < minimum or (maximum is not None and number > maximum):
        upper = f" and at most {maximum:,}" if maximum is not None else ""
        raise ParameterError(f"{name} must be a whole number of at least {minimum}{upper}, got {value!r}")
    return int(number)


def check_rates(rates: Mapping[str, float] | None = None) -> dict[str, float]:
    """The funnel rates, defaults filled in for names not given; ParameterError for a bad name or value."""
    rates = dict(rates or {})
    check_known("rate", rates, RATE_NAMES)
    merged = {**DEFAULT_RATES, **rates}
    return {k: _in_domain(k, check_number(k, merged[k])) for k in RATE_NAMES}


def check_ranges(ranges: Mapping[str, object] | None = None) -> dict[str, tuple[float, float]]:
    """Ranges ``[low, high]`` per rate (defaults where not given); low ≤ high, both in the rate's domain."""
    ranges = dict(ranges or {})
    check_known("range", ranges, RATE_NAMES)
    out: dict[str, tuple[float, float]] = {}
    for name in RATE_NAMES:
        pair = ranges.get(name, DEFAULT_RANGES[name])
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise ParameterError(f"the range of {name} must be a pair [low, high], got {pair!r}")
        low = _in_domain(name, check_number(f"{name} (low)", pair[0]), f"{name} (low)")
        high = _in_domain(name, check_number(f"{name} (high)", pair[1]), f"{name} (high)")
        if low > high:
            raise ParameterError(f"the range of {name} must have low ≤ high, got [{low:g}, {high:g}]")
        out[name] = (low, high)
    return out


# --- the funnel, closed form ------------------------------------------------------------------


def _k(i: np.ndarray | float, a: np.ndarray | float, b: np.ndarray | float, r: np.ndarray | float):
    return i * a * b * r


def k_factor(rates: Mapping[str, float] | None = None) -> float:
    """Viral coefficient K = invitations per organiser × acceptance × booking × reorganising."""
    r = check_rates(rates)
    return float(_k(*(r[n] for n in RATE_NAMES)))


def _geometric(n: float, k: np.ndarray | float, generations: int | None) -> np.ndarray:
    """Expected organisers over all waves: N/(1−K), or N(1−K^(G+1))/(1−K) for G further waves."""
    k = np.asarray(k, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        if generations is None:
            return np.where(k < 1, n / (1 - k), np.inf)
        return np.where(k == 1, n * (generations + 1.0), n * (1 - k ** (generations + 1)) / (1 - k))


def expected_totals(
    n_organisers: int = DEFAULT_ORGANISERS,
    rates: Mapping[str, float] | None = None,
    generations: int | None = None,
) -> dict[str, float]:
    """Model totals: K, organisers over all waves N/(1−K), and bookings (each trip: organiser + friends).

    ``generations=None`` sums every wave and needs K < 1 (ParameterError otherwise: the loop never
    dies out and the model has no finite total); an integer G sums the first G waves after the seed.
    """
    n = check_count("n_organisers", n_organisers)
    r = check_rates(rates)
    i, a, b, re = (r[k] for k in RATE_NAMES)
    k = float(_k(i, a, b, re))
    if generations is None and k >= 1:
        raise ParameterError(
            _("K = {k} ≥ 1: every trip seeds at least one more, so N/(1−K) has no finite "
              "total; lower a rate or pass generations= to count a fixed number of waves").format(k=i18n.fmt(k, ".3g"))
        )
    if generations is not None:
        generations = check_count("generations", generations, minimum=0)
    organisers = float(_geometric(n, k, generations))
    per_trip = 1 + i * a * b
    return {
        "k": k,
        "organisers": organisers,
        "friends_per_trip": i * a * b,
        "bookings_per_trip": per_trip,
        "bookings": organisers * per_trip,
    }


def funnel_stages(
    n_organisers: int = DEFAULT_ORGANISERS, rates: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Expected counts at each stage of the first wave (model), for a funnel chart."""
    n = check_count("n_organisers", n_organisers)
    r = check_rates(rates)
    invitations = n * r["invitations_per_organiser"]
    accepted = invitations * r["acceptance_rate"]
    booked = accepted * r["booking_rate"]
    new = booked * r["reorganise_rate"]
    out = pd.DataFrame(
        {
            "stage": [
                "organisers",
                "invitations sent",
                "invitations accepted",
                "friends who booked",
                "friends who organise a trip",
            ],
            "expected": [float(n), invitations, accepted, booked, new],
        }
    )
    out["per_organiser"] = out["expected"] / n
    return out


# --- the funnel, Monte Carlo ------------------------------------------------------------------


def draw_rates(
    ranges: Mapping[str, object] | None, simulations: int, rng: np.random.Generator
) -> pd.DataFrame:
    """One row of rates per simulation, each drawn uniformly within its range."""
    rg = check_ranges(ranges)
    return pd.DataFrame({n: rng.uniform(lo, hi, simulations) for n, (lo, hi) in rg.items()})


def simulate_bookings(
    n_organisers: int = DEFAULT_ORGANISERS,
    ranges: Mapping[str, object] | None = None,
    simulations: int = 10_000,
    seed: int = 2011,
    max_generations: int = 500,
) -> pd.DataFrame:
    """Seeded Monte Carlo of the funnel: rates drawn from their ranges, then every wave drawn at random.

    One row per simulation: the rates, K, organisers, bookings, the number of waves, and two flags.
    ``supercritical`` (K ≥ 1) rows are not simulated (the loop would never die out): their counts are
    empty. ``truncated`` rows were still active after ``max_generations`` waves. Vectorised over
    simulations; only the waves loop in Python.
    """
    n = check_count("n_organisers", n_organisers)
    sims = check_count("simulations", simulations, maximum=MAX_SIMULATIONS)
    max_generations = check_count("max_generations", max_generations)
    rng = np.random.default_rng(check_count("seed", seed, minimum=0))
    out = draw_rates(ranges, sims, rng)
    i, a, b, r = (out[k].to_numpy() for k in RATE_NAMES)
    out["k"] = _k(i, a, b, r)
    out["supercritical"] = out["k"].to_numpy() >= 1
    organisers = np.zeros(sims, dtype="int64")
    bookings = np.zeros(sims, dtype="int64")
    waves = np.zeros(sims, dtype="int64")
    idx = np.flatnonzero(~out["supercritical"].to_numpy())
    current = np.full(idx.size, n, dtype="int64")
    for _wave in range(max_generations):
        if idx.size == 0:
            break
        invited = rng.poisson(i[idx] * current)
        accepted = rng.binomial(invited, a[idx])
        booked = rng.binomial(accepted, b[idx])
        new = rng.binomial(booked, r[idx])
        organisers[idx] += current
        bookings[idx] += current + booked
        waves[idx] += 1
        alive = new > 0
        idx, current = idx[alive], new[alive]
    truncated = np.zeros(sims, dtype=bool)
    truncated[idx] = True
    out["organisers"] = organisers.astype("float64")
    out["bookings"] = bookings.astype("float64")
    out.loc[out["supercritical"], ["organisers", "bookings"]] = np.nan
    out["waves"] = waves
    out["truncated"] = truncated
    return out


def summarise_bookings(sim: pd.DataFrame) -> dict[str, float]:
    """Median, mean, 5th and 95th percentiles of simulated bookings, and the share of flagged draws."""
    finite = sim["bookings"].dropna().to_numpy()
    if finite.size == 0:
        raise ParameterError("every simulation has K ≥ 1: narrow the ranges so that K < 1 for some draws")
    p05, median, p95 = np.quantile(finite, [0.05, 0.5, 0.95])
    return {
        "simulations": float(len(sim)),
        "median": float(median),
        "mean": float(finite.mean()),
        "std_error": float(finite.std(ddof=1) / np.sqrt(finite.size)) if finite.size > 1 else float("nan"),
        "p05": float(p05),
        "p95": float(p95),
        "share_supercritical": float(sim["supercritical"].mean()),
        "share_truncated": float(sim["truncated"].mean()),
    }


def bookings_histogram(sim: pd.DataFrame, bins: int = 40) -> pd.DataFrame:
    """Aggregated bins of simulated bookings (a chart embeds these, never one row per simulation)."""
    finite = sim["bookings"].dropna().to_numpy()
    counts, edges = np.histogram(finite, bins=check_count("bins", bins))
    return pd.DataFrame(
        {
            "bin_start": edges[:-1],
            "bin_end": edges[1:],
            "simulations": counts,
            "share": counts / max(finite.size, 1),
        }
    )


# --- sensitivity ------------------------------------------------------------------------------


def tornado_table(
    n_organisers: int = DEFAULT_ORGANISERS,
    rates: Mapping[str, float] | None = None,
    ranges: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of model bookings: each rate set to its low then high, others at base.

    Sorted by swing (largest first). Where an end of a range makes K ≥ 1 the bookings there are
    unbounded: that cell is empty and ``unbounded`` is True (such a rate sorts first).
    """
    n = check_count("n_organisers", n_organisers)
    base = check_rates(rates)
    rg = check_ranges(ranges)
    names = list(RATE_NAMES)
    grid = {k: np.full(2 * len(names), base[k]) for k in names}
    for j, name in enumerate(names):
        grid[name][2 * j], grid[name][2 * j + 1] = rg[name]
    i, a, b, r = (grid[k] for k in names)
    k = _k(i, a, b, r)
    bookings = _geometric(n, k, None) * (1 + i * a * b)
    bookings = np.where(np.isfinite(bookings), bookings, np.nan)
    base_bookings = expected_totals(n, base)["bookings"] if _k(*base.values()) < 1 else np.nan
    out = pd.DataFrame(
        {
            "parameter": names,
            "low": [rg[x][0] for x in names],
            "high": [rg[x][1] for x in names],
            "base": [base[x] for x in names],
            "bookings_at_low": bookings[0::2],
            "bookings_at_high": bookings[1::2],
            "k_at_low": k[0::2],
            "k_at_high": k[1::2],
        }
    )
    out["base_bookings"] = base_bookings
    out["unbounded"] = out[["bookings_at_low", "bookings_at_high"]].isna().any(axis=1)
    out["swing"] = (out["bookings_at_high"] - out["bookings_at_low"]).abs()
    out = out.sort_values(["unbounded", "swing"], ascending=[False, False], kind="stable")
    return out.reset_index(drop=True)


def funnel_figures(n_organisers: int, rates: Mapping[str, float]) -> dict[str, object]:
    """The figures of the funnel section: the first wave, K, organisers and bookings over all waves,
    seats per trip and what the loop adds to the first wave (a fraction)."""
    totals = expected_totals(n_organisers, rates)
    return {
        "n_organisers": n_organisers,
        "k_factor": k_factor(rates),
        "model_organisers": totals["organisers"],
        "model_bookings": totals["bookings"],
        "bookings_per_trip": totals["bookings_per_trip"],
        "loop_gain": totals["organisers"] / n_organisers - 1,
    }


def simulation_figures(sim: pd.DataFrame, summary: Mapping[str, float]) -> dict[str, object]:
    """The figures of the Monte Carlo section, from :func:`simulate_bookings` and :func:`summarise_bookings`:
    runs, median, mean, 5th and 95th percentiles of bookings, the share of runs with K ≥ 1 and the
    highest K drawn."""
    return {
        "simulations": len(sim),
        "bookings_median": summary["median"],
        "bookings_mean": summary["mean"],
        "bookings_p05": summary["p05"],
        "bookings_p95": summary["p95"],
        "share_supercritical": summary["share_supercritical"],
        "k_max": float(sim["k"].max()),
    }


def tornado_figures(tornado: pd.DataFrame) -> dict[str, object]:
    """The rates that move bookings the most and the least (in the current language's words) and their swings, from
    :func:`tornado_table` (sorted by swing, widest first)."""
    top, last = tornado.iloc[0], tornado.iloc[-1]
    return {
        "tornado_top": rate_label(top["parameter"]),
        "tornado_top_swing": top["swing"],
        "tornado_last": rate_label(last["parameter"]),
        "tornado_last_swing": last["swing"],
    }
