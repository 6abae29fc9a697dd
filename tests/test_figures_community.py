"""The Nike+ and SNCF chapters' figures dicts (casebook.community), worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from casebook.community import cascade, funnel
from casebook.community import share as community
from casebook.io import series as series_io

HALF = {"invitations_per_organiser": 5.0, "acceptance_rate": 0.4, "booking_rate": 0.5, "reorganise_rate": 0.5}


def test_share_figures_turn_percent_into_fractions() -> None:
    gain = community.ShareGain("Acme", pd.Timestamp("2020-01-01"), pd.Timestamp("2022-01-01"),
                               20.0, 25.0, 5.0, 0.25, 2.0)
    assert community.share_figures(gain) == {
        "brand": "Acme", "share_gain_points": 5.0, "share_gain_relative": 0.25,
        "share_start": 0.2, "share_end": 0.25, "share_years": 2.0,
    }


def test_value_figures_by_hand() -> None:
    grid = community.points_value_grid(13, [1e9, 2e9], [0.3, 0.4])
    figures = community.value_figures(grid)
    assert figures["n_assumptions"] == 4
    assert figures["value_low_musd"] == pytest.approx(39)  # 13% × $1bn × 0.3
    assert figures["value_high_musd"] == pytest.approx(104)  # 13% × $2bn × 0.4
    assert figures["value_spread"] == pytest.approx(104 / 39)


def _gain(points: float = 13.0) -> community.ShareGain:
    return community.ShareGain("Acme", pd.Timestamp("2006-12-31"), pd.Timestamp("2008-12-15"),
                               48.0, 48.0 + points, points, points / 48, 2.0)


def test_attribution_figures_take_the_smallest_positive_and_the_largest_share() -> None:
    table = community.attribution_table(_gain(), [0, 0.25, 1], [1e9, 2e9, 4e9], [0.3, 0.4, 0.5])
    figures = community.attribution_figures(table)
    assert figures["attr_small_share"] == 0.25 and figures["attr_small_points"] == pytest.approx(3.25)
    assert figures["attr_small_low_musd"] == pytest.approx(3.25 / 100 * 1e9 * 0.3 / 1e6)
    assert figures["attr_small_high_musd"] == pytest.approx(3.25 / 100 * 4e9 * 0.5 / 1e6)
    assert figures["attr_full_share"] == 1
    assert figures["attr_full_mid_musd"] == pytest.approx(13 / 100 * 2e9 * 0.4 / 1e6)
    assert figures["attr_full_without"] == pytest.approx(0.48)


def test_attribution_figures_without_a_positive_share_use_the_largest() -> None:
    figures = community.attribution_figures(community.attribution_table(_gain(), [0], [1e9], [0.3]))
    assert figures["attr_small_share"] == figures["attr_full_share"] == 0


def test_growth_figures_on_the_bundled_series() -> None:
    series = series_io.load_series()
    growth = community.miles_growth(series, "miles_logged")
    _, fits = community.growth_fits(series, "miles_logged")
    figures = community.growth_figures(series, "miles_logged", growth, fits)
    assert figures["milestones"] == len(growth) == 3
    assert figures["miles_growth_factor"] == pytest.approx(growth["value"].iloc[-1] / growth["value"].iloc[0])
    assert figures["monthly_first"] == growth["monthly_growth"].iloc[1]
    assert figures["per_day_last"] == growth["added_per_day"].iloc[-1]
    assert figures["r2_line"] == fits.set_index("model").loc["straight line", "r_squared"]
    assert figures["miles_per_kit"] == community.ratio_at(series, "miles_logged", "sport_kits_sold")[0]
    assert figures["miles_last_m"] == pytest.approx(growth["value"].iloc[-1] / 1e6)
    no_kits = series[series["metric"] != "sport_kits_sold"]
    assert math.isnan(community.growth_figures(no_kits, "miles_logged", growth, fits)["miles_per_kit"])


def test_ratio_figures_quote_the_named_ratios() -> None:
    ratios = community.mybo_ratios(series_io.load_mybo())
    figures = community.ratio_figures(ratios)
    assert list(figures) == list(community.QUOTED_RATIOS)
    value = ratios.set_index("ratio")["value"]
    assert figures["events_per_profile"] == value["events per profile"]
    assert figures["seed_usd_per_person"] == value["USD per person (the seed's claim)"]


def test_funnel_figures_by_hand() -> None:
    assert funnel.funnel_figures(100, HALF) == pytest.approx({
        "n_organisers": 100, "k_factor": 0.5, "model_organisers": 200, "model_bookings": 400,
        "bookings_per_trip": 2.0, "loop_gain": 1.0,  # 100 / (1 − 0.5) organisers: the loop doubles the first wave
    })


def test_simulation_figures_by_hand() -> None:
    sim = pd.DataFrame({"k": [0.2, 0.9, 1.3, 0.5], "bookings": [10.0, 30.0, None, 20.0],
                        "supercritical": [False, False, True, False], "truncated": False})
    summary = funnel.summarise_bookings(sim)
    figures = funnel.simulation_figures(sim, summary)
    assert figures["simulations"] == 4 and isinstance(figures["simulations"], int)
    assert figures["bookings_median"] == 20.0 and figures["bookings_mean"] == 20.0
    assert figures["bookings_p05"] == summary["p05"] and figures["bookings_p95"] == summary["p95"]
    assert figures["share_supercritical"] == 0.25 and figures["k_max"] == 1.3


def test_tornado_figures_name_the_widest_and_narrowest_bars() -> None:
    tornado = pd.DataFrame({"parameter": ["booking_rate", "acceptance_rate", "reorganise_rate"],
                            "swing": [900.0, 400.0, 50.0]})
    assert funnel.tornado_figures(tornado) == {
        "tornado_top": "booking rate", "tornado_top_swing": 900.0,
        "tornado_last": "reorganise rate", "tornado_last_swing": 50.0,
    }


def test_relay_figures_by_hand() -> None:
    comparison = cascade.compare_reach_relay(simulations=2_000, seed=5)
    figures = cascade.relay_figures(comparison, cascade.DEFAULT_REACH, cascade.DEFAULT_RELAYS, cascade.DEFAULT_NETWORK)
    assert (figures["reach_size"], figures["relay_size"]) == (1000, 10)
    assert figures["reach_expected"] == pytest.approx(7) and figures["relay_expected"] == pytest.approx(6)
    assert figures["relay_probability"] == 0.5 and figures["relay_break_even"] == pytest.approx(0.6)
    assert (figures["relay_wins"], figures["relay_ties"]) == (comparison.relay_wins, comparison.ties)
    zero = comparison.summary.set_index("strategy")["share_zero"]
    assert (figures["reach_zero"], figures["relay_zero"]) == (zero["reach"], zero["relay"])
