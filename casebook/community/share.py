"""Community figures (room community): market-share change, what share points are worth, miles logged,
MyBO ratios.

The Nike+ chapter rests on a handful of published figures, not on post-level data, read by
:mod:`casebook.io.series`. This module takes those tables and computes what they say (share change in points
and relative terms, growth between dated milestones, per-member ratios) and what they would be worth
under *assumed* market sizes, margins and attribution shares the reader sets.

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from casebook import i18n
from casebook.errors import InputError, ParameterError
from casebook.i18n import gettext as _
from casebook.schemas import MILES, SHARE  # noqa: E402

DAYS_PER_MONTH = 365.25 / 12

#: Per-member ratios for MyBO: (label, numerator, its kind, denominator, its kind).
MYBO_RATIOS: list[tuple[str, str, str, str, str]] = [
    ("events per profile", "events", "final", "profiles", "final"),
    ("blog posts per profile", "blog_posts", "final", "profiles", "final"),
    ("profiles per group", "profiles", "final", "groups", "final"),
    (
        "share of profiles raising money on a personal page",
        "personal_page_fundraisers",
        "final",
        "profiles",
        "final",
    ),
    (
        "USD raised per personal-page fundraiser",
        "raised_on_personal_pages",
        "final",
        "personal_page_fundraisers",
        "final",
    ),
    ("USD raised online per online donor", "raised_online", "final", "online_donors", "final"),
    (
        "personal-page money as a share of money raised online",
        "raised_on_personal_pages",
        "final",
        "raised_online",
        "final",
    ),
    (
        "personal-page money as a share of the claimed total",
        "raised_on_personal_pages",
        "final",
        "raised",
        "seed_claim",
    ),
    ("USD per person (the seed's claim)", "raised", "seed_claim", "people", "seed_claim"),
    ("events per person (the seed's claim)", "events", "seed_claim", "people", "seed_claim"),
]


@dataclass(frozen=True)
class ShareGain:
    """A change of market share between the first and the last dated observation."""

    brand: str
    start_date: pd.Timestamp
    end_date: pd.Timestamp
    start_share: float  # percent
    end_share: float  # percent
    points: float  # percentage points
    relative: float  # points / start_share (0.27 = +27%); NaN if the start share is 0
    years: float


def _metric(series: pd.DataFrame, metric: str, at_least: int = 2) -> pd.DataFrame:
    """The rows of one metric, by date; raise if fewer than ``at_least``."""
    rows = series[series["metric"] == metric].sort_values("date")
    if len(rows) < at_least:
        raise InputError(
            series.attrs.get("path"),
            f"{len(rows)} row(s) for metric {metric!r}",
            column="metric",
            expected=f"at least {at_least} dated rows with metric {metric}",
        )
    return rows


def share_gain(series: pd.DataFrame, metric: str = SHARE) -> ShareGain:
    """Share change between the first and last dated ``market_share`` rows, in points and relative terms."""
    rows = _metric(series, metric)
    first, last = rows.iloc[0], rows.iloc[-1]
    points = float(last["value"] - first["value"])
    relative = points / float(first["value"]) if first["value"] > 0 else float("nan")
    years = (last["date"] - first["date"]).days / 365.25
    return ShareGain(
        str(first["brand"]),
        first["date"],
        last["date"],
        float(first["value"]),
        float(last["value"]),
        points,
        relative,
        years,
    )


def _positive_list(name: str, values: float | list[float], *, upper: float | None = None) -> np.ndarray:
    """A non-empty 1-D array of numbers > 0 (and ≤ ``upper``), or ParameterError."""
    arr = np.atleast_1d(np.asarray(values, dtype=object))
    try:
        num = arr.astype("float64")
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number or a list of numbers, got {values!r}") from None
    if num.ndim != 1 or num.size == 0 or not np.isfinite(num).all():
        raise ParameterError(f"{name} must be a non-empty list of finite numbers, got {values!r}")
    if (num <= 0).any() or (upper is not None and (num > upper).any()):
        bound = f"above 0 and at most {upper:g}" if upper is not None else "above 0"
        raise ParameterError(f"{name} values must be {bound}, got {values!r}")
    return num


def _share_list(name: str, values: float | list[float]) -> np.ndarray:
    """Shares between 0 and 1 inclusive (0 is allowed: 'the community explains none of it')."""
    arr = np.atleast_1d(np.asarray(values, dtype=object))
    try:
        num = arr.astype("float64")
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a list of shares between 0 and 1, got {values!r}") from None
    if num.ndim != 1 or num.size == 0 or not ((num >= 0) & (num <= 1)).all():
        raise ParameterError(f"{name} must be a non-empty list of shares between 0 and 1, got {values!r}")
    return num


def points_value_grid(
    points: float, market_size_usd: float | list[float], margin: float | list[float]
) -> pd.DataFrame:
    """What ``points`` of share are worth a year for every assumed market size × margin.

    ``sales_usd`` = points / 100 × market size; ``gross_margin_usd`` = sales × margin. The inputs are
    the reader's assumptions, not a brand's data.
    """
    sizes = _positive_list("market_size_usd", market_size_usd)
    margins = _positive_list("margin", margin, upper=1)
    size_grid, margin_grid = np.meshgrid(sizes, margins, indexing="ij")
    out = pd.DataFrame({"market_size_usd": size_grid.ravel(), "margin": margin_grid.ravel()})
    out["points"] = float(points)
    out["sales_usd"] = out["points"] / 100 * out["market_size_usd"]
    out["gross_margin_usd"] = out["sales_usd"] * out["margin"]
    return out


def attribution_table(
    gain: ShareGain,
    attributed_share: float | list[float],
    market_size_usd: float | list[float],
    margin: float | list[float],
) -> pd.DataFrame:
    """One row per attribution scenario: points credited to the community and their yearly worth.

    For each share of the gain credited to the community (0 = none, 1 = all of it): the points
    credited, the share the brand would have had without them, and the low / middle / high yearly
    sales and gross margin over the grid of assumed market sizes and margins (middle = median).
    """
    shares = _share_list("attributed_share", attributed_share)
    grid = points_value_grid(1.0, market_size_usd, margin)  # value of one point, every assumption
    per_point_sales = grid["sales_usd"].to_numpy()
    per_point_margin = grid["gross_margin_usd"].to_numpy()
    credited = shares * gain.points
    out = pd.DataFrame(
        {
            "attributed_share": shares,
            "points_credited": credited,
            "share_without_community": gain.end_share - credited,
        }
    )
    out["sales_low_usd"] = credited * per_point_sales.min()
    out["sales_high_usd"] = credited * per_point_sales.max()
    out["margin_low_usd"] = credited * per_point_margin.min()
    out["margin_mid_usd"] = credited * np.median(per_point_margin)
    out["margin_high_usd"] = credited * per_point_margin.max()
    out["scenario"] = [_("{share} credited").format(share=i18n.percent(s, 0)) for s in shares]
    return out


def miles_growth(series: pd.DataFrame, metric: str = MILES) -> pd.DataFrame:
    """Growth between consecutive milestones of a cumulative count (e.g. miles logged).

    Columns: date, value, days since the previous milestone, growth factor, the implied compound
    monthly growth of the cumulative total, and the average added per day. The first row has no
    previous milestone, so its growth columns are empty.
    """
    rows = _metric(series, metric)[["date", "period", "value"]].reset_index(drop=True)
    days = rows["date"].diff().dt.days.astype("float64")
    factor = rows["value"] / rows["value"].shift()
    rows["days"] = days
    rows["growth_factor"] = factor
    rows["monthly_growth"] = factor ** (DAYS_PER_MONTH / days) - 1
    rows["added_per_day"] = rows["value"].diff() / days
    return rows


def miles_growth_factor(series: pd.DataFrame, metric: str = MILES) -> float:
    """Last milestone ÷ first milestone of a cumulative count (93M ÷ 22M for Nike+)."""
    rows = _metric(series, metric)
    return float(rows["value"].iloc[-1] / rows["value"].iloc[0])


def ratio_at(series: pd.DataFrame, numerator: str, denominator: str) -> tuple[float, pd.Timestamp]:
    """``numerator`` ÷ ``denominator`` at the latest date both metrics were reported (e.g. miles per kit)."""
    num = series[series["metric"] == numerator].set_index("date")["value"]
    den = series[series["metric"] == denominator].set_index("date")["value"]
    common = num.index.intersection(den.index)
    if common.empty:
        raise InputError(
            series.attrs.get("path"),
            f"no date with both {numerator!r} and {denominator!r}",
            column="date",
            expected=f"a row of {numerator} and a row of {denominator} with the same date",
        )
    when = common.max()
    return float(num[when] / den[when]), when


def line_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """(intercept, slope, R²) of the least-squares straight line through (x, y)."""
    intercept, slope = np.polynomial.polynomial.polyfit(x, y, 1)
    return float(intercept), float(slope), float(np.corrcoef(x, y)[0, 1] ** 2)


def growth_fits(
    series: pd.DataFrame, metric: str = MILES, points: int = 50
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A straight line and an exponential fitted to the same milestones by least squares (numpy
    ``polyfit``; R² is the squared correlation).

    Returns (curves, fits): ``curves`` has date, model and fitted value on a grid of ``points`` dates
    between the first and last milestone; ``fits`` has each model's R² (the exponential's on the log
    scale) and its rate (per day added, or monthly growth). With three milestones both fit well: the
    data cannot tell them apart, which is the point of showing both.
    """
    rows = _metric(series, metric, at_least=3)
    t = (rows["date"] - rows["date"].iloc[0]).dt.days.to_numpy(dtype="float64")
    y = rows["value"].to_numpy(dtype="float64")
    if (y <= 0).any():
        raise InputError(
            series.attrs.get("path"),
            "a zero value",
            column="value",
            rows=rows.loc[y <= 0, "row"],
            expected=f"positive values of {metric} for an exponential fit",
        )
    # numpy, not scipy.stats.linregress: the same least-squares line, without the second scipy.stats
    # costs to import in a chapter that needs nothing else from it
    lin, exp = line_fit(t, y), line_fit(t, np.log(y))
    grid_t = np.round(np.linspace(t[0], t[-1], points))
    dates = rows["date"].iloc[0] + pd.to_timedelta(grid_t, unit="D")
    curves = pd.concat(
        [
            pd.DataFrame(
                {"date": dates, "model": "straight line", "value": lin[0] + lin[1] * grid_t}
            ),
            pd.DataFrame(
                {"date": dates, "model": "exponential", "value": np.exp(exp[0] + exp[1] * grid_t)}
            ),
        ],
        ignore_index=True,
    )
    # a chart's points: rounded, so the last bits of exp() on this machine's CPU do not reach the page
    curves["value"] = curves["value"].round(3)
    fits = pd.DataFrame(
        {
            "model": ["straight line", "exponential"],
            "r_squared": [lin[2], exp[2]],
            "rate": [lin[1], np.exp(exp[1] * DAYS_PER_MONTH) - 1],
            "rate_unit": ["added per day", "monthly growth"],
            "milestones": len(rows),
        }
    )
    return curves, fits


def claims_vs_final(figures: pd.DataFrame) -> pd.DataFrame:
    """Each claim beside the final figure it names: both values, the difference and the ratio."""
    claims = figures[figures["kind"] == "seed_claim"]
    finals = figures[figures["kind"] == "final"].set_index("figure")
    out = pd.DataFrame(
        {
            "claim": claims["figure"].to_numpy(),
            "claimed": claims["value"].to_numpy(),
            "claim_confidence": claims["confidence"].to_numpy(),
            "compared_to": claims["compare_to"].to_numpy(),
        }
    )
    matched = finals.loc[out["compared_to"]]
    out["final"] = matched["value"].to_numpy()
    out["final_qualifier"] = matched["qualifier"].to_numpy()
    out["final_confidence"] = matched["confidence"].to_numpy()
    out["difference"] = out["claimed"] - out["final"]
    out["claim_over_final"] = out["claimed"] / out["final"]
    out["note"] = claims["note"].to_numpy() if "note" in claims.columns else pd.NA
    return out


def _bound(qualifier: pd.Series) -> np.ndarray:
    """+1 for 'at least', -1 for 'at most', 0 for 'about'."""
    return qualifier.map({"at least": 1, "at most": -1}).fillna(0).to_numpy(dtype="int64")


def mybo_ratios(figures: pd.DataFrame) -> pd.DataFrame:
    """Per-member ratios (``MYBO_RATIOS``) computed from the figures present, with the bound they carry.

    A ratio of an 'at least' numerator is itself 'at least'; an 'at least' denominator makes it
    'at most'; conflicting bounds give 'uncertain'. Ratios whose figures are missing are left out.
    """
    spec = pd.DataFrame(
        MYBO_RATIOS, columns=["ratio", "numerator", "numerator_kind", "denominator", "denominator_kind"]
    )
    figs = figures.set_index(["figure", "kind"])
    num_key = pd.MultiIndex.from_arrays([spec["numerator"], spec["numerator_kind"]])
    den_key = pd.MultiIndex.from_arrays([spec["denominator"], spec["denominator_kind"]])
    present = num_key.isin(figs.index) & den_key.isin(figs.index)
    spec, num_key, den_key = spec[present].reset_index(drop=True), num_key[present], den_key[present]
    num, den = figs.loc[num_key], figs.loc[den_key]
    spec["numerator_value"] = num["value"].to_numpy()
    spec["denominator_value"] = den["value"].to_numpy()
    spec["value"] = spec["numerator_value"] / spec["denominator_value"]
    a, b = _bound(num["qualifier"]), -_bound(den["qualifier"])
    combined = np.where(a == 0, b, np.where((b == 0) | (b == a), a, 2))
    spec["bound"] = (
        pd.Series(combined).map({0: "about", 1: "at least", -1: "at most", 2: "uncertain"}).to_numpy()
    )
    claim = (spec["numerator_kind"] == "seed_claim") | (spec["denominator_kind"] == "seed_claim")
    spec["basis"] = np.where(
        claim & (spec["numerator_kind"] == spec["denominator_kind"]),
        "the seed's claim",
        np.where(claim, "final figure against the seed's claim", "final figures"),
    )
    return spec.drop(columns=["numerator_kind", "denominator_kind"])


def share_figures(gain: ShareGain) -> dict[str, object]:
    """The figures of the share section: the brand, the gain in points and relative terms, the first and
    last shares (as fractions) and the years between them."""
    return {
        "brand": gain.brand,
        "share_gain_points": gain.points,
        "share_gain_relative": gain.relative,
        "share_start": gain.start_share / 100,
        "share_end": gain.end_share / 100,
        "share_years": gain.years,
    }


def value_figures(grid: pd.DataFrame) -> dict[str, object]:
    """The figures of the value section, from :func:`points_value_grid`: the number of assumption sets,
    the lowest and highest gross margin (USD millions) and the ratio between them."""
    margin = grid["gross_margin_usd"]
    return {
        "n_assumptions": len(grid),
        "value_low_musd": margin.min() / 1e6,
        "value_high_musd": margin.max() / 1e6,
        "value_spread": margin.max() / margin.min(),
    }


def attribution_figures(attribution: pd.DataFrame) -> dict[str, object]:
    """The figures of the attribution section, from :func:`attribution_table`: the smallest positive
    attributed share (the largest when none is positive) with its points and margin range, and the largest
    share with its middle margin and the share the brand would have had without the community."""
    high = attribution.iloc[attribution["attributed_share"].argmax()]
    positive = attribution[attribution["attributed_share"] > 0]
    small = positive.iloc[positive["attributed_share"].argmin()] if len(positive) else high
    return {
        "attr_small_share": small["attributed_share"],
        "attr_small_points": small["points_credited"],
        "attr_small_low_musd": small["margin_low_usd"] / 1e6,
        "attr_small_high_musd": small["margin_high_usd"] / 1e6,
        "attr_full_share": high["attributed_share"],
        "attr_full_mid_musd": high["margin_mid_usd"] / 1e6,
        "attr_full_without": high["share_without_community"] / 100,
    }


def growth_figures(series: pd.DataFrame, metric: str, growth: pd.DataFrame, fits: pd.DataFrame) -> dict[str, object]:
    """The figures of the community-growth section, from :func:`miles_growth` and :func:`growth_fits` on
    ``metric``: overall growth factor, milestones, monthly growth and additions per day over the first and
    last intervals, both fits' R², the metric per Sport Kit sold (NaN without kit sales) and the last
    value in millions."""
    r2 = fits.set_index("model")["r_squared"]
    kits = "sport_kits_sold" in set(series["metric"])
    return {
        "miles_growth_factor": miles_growth_factor(series, metric),
        "milestones": len(growth),
        "monthly_first": growth["monthly_growth"].iloc[1],
        "monthly_last": growth["monthly_growth"].iloc[-1],
        "per_day_first": growth["added_per_day"].iloc[1],
        "per_day_last": growth["added_per_day"].iloc[-1],
        "r2_line": r2["straight line"],
        "r2_exp": r2["exponential"],
        "miles_per_kit": ratio_at(series, metric, "sport_kits_sold")[0] if kits else float("nan"),
        "miles_last_m": growth["value"].iloc[-1] / 1e6,
    }


#: The MyBO ratios the chapter quotes: figure name → ratio label of :data:`MYBO_RATIOS`.
QUOTED_RATIOS: dict[str, str] = {
    "events_per_profile": "events per profile",
    "profiles_per_group": "profiles per group",
    "fundraiser_share": "share of profiles raising money on a personal page",
    "usd_per_fundraiser": "USD raised per personal-page fundraiser",
    "usd_per_donor": "USD raised online per online donor",
    "pages_share_online": "personal-page money as a share of money raised online",
    "pages_share_of_claim": "personal-page money as a share of the claimed total",
    "seed_usd_per_person": "USD per person (the seed's claim)",
}


def ratio_figures(ratios: pd.DataFrame) -> dict[str, object]:
    """The :data:`QUOTED_RATIOS` of :func:`mybo_ratios`'s table, by figure name."""
    value = ratios.set_index("ratio")["value"]
    return {name: value[label] for name, label in QUOTED_RATIOS.items()}
