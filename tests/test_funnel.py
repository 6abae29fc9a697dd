"""Tests for casebook.community.funnel: closed forms against hand-computed values and against the simulations.

Tolerance for simulation checks: the simulated mean must lie within 4 standard errors (sample standard
deviation / √n) of the model expectation. For a normal sampling distribution that fails by chance about
6 times in 100,000; the seeds are fixed, so the tests are deterministic anyway. Each check also asserts
that the standard error is small, so the band is narrow enough to catch a wrong formula.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from casebook.community import cascade, funnel
from casebook.errors import ParameterError

Z = 4.0
HALF = {"invitations_per_organiser": 5.0, "acceptance_rate": 0.4, "booking_rate": 0.5, "reorganise_rate": 0.5}


def fixed(rates: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Degenerate ranges: every draw uses exactly these rates."""
    return {k: (v, v) for k, v in rates.items()}


# --- closed form ----------------------------------------------------------------------------------


def test_k_factor() -> None:
    assert funnel.k_factor() == pytest.approx(4 * 0.5 * 0.7 * 0.15)  # 0.21 with the default assumptions
    assert funnel.k_factor(HALF) == pytest.approx(0.5)
    assert funnel.k_factor({"reorganise_rate": 0}) == 0


def test_expected_totals_by_hand() -> None:
    totals = funnel.expected_totals(100, HALF)
    assert totals["k"] == pytest.approx(0.5)
    assert totals["organisers"] == pytest.approx(200)  # 100 / (1 − 0.5)
    assert totals["friends_per_trip"] == pytest.approx(1.0)  # 5 × 0.4 × 0.5
    assert totals["bookings"] == pytest.approx(400)  # 200 trips × (organiser + 1 friend)
    assert funnel.expected_totals(100, HALF, generations=0)["organisers"] == pytest.approx(100)
    assert funnel.expected_totals(100, HALF, generations=2)["organisers"] == pytest.approx(175)  # 100+50+25


def test_defaults_by_hand() -> None:
    totals = funnel.expected_totals()
    assert totals["organisers"] == pytest.approx(1000 / 0.79)
    assert totals["bookings"] == pytest.approx(1000 / 0.79 * 2.4)  # 3,037.97


def test_k_at_or_above_one_is_an_error_unless_waves_are_counted() -> None:
    rates = {**HALF, "reorganise_rate": 1.0}  # K = 1
    with pytest.raises(ParameterError, match=r"K = 1 ≥ 1: every trip seeds at least one more"):
        funnel.expected_totals(100, rates)
    assert funnel.expected_totals(100, rates, generations=3)["organisers"] == pytest.approx(400)
    rates = {**HALF, "invitations_per_organiser": 10.0, "reorganise_rate": 1.0}  # K = 2
    assert funnel.expected_totals(1, rates, generations=3)["organisers"] == pytest.approx(1 + 2 + 4 + 8)


def test_funnel_stages() -> None:
    stages = funnel.funnel_stages(200, HALF).set_index("stage")
    assert stages["expected"].tolist() == [200, 1000, 400, 200, 100]
    assert stages.loc["friends who organise a trip", "per_organiser"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("n", "message"),
    [
        (0, "n_organisers must be a whole number of at least 1, got 0"),
        (2.5, "n_organisers must be a whole number of at least 1"),
        ("many", "n_organisers must be a number, got 'many'"),
    ],
)
def test_zero_or_bad_organisers(n: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        funnel.expected_totals(n)
    with pytest.raises(ParameterError, match=message):
        funnel.simulate_bookings(n, simulations=10)


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ({"acceptance_rate": 1.5}, "acceptance_rate must be a probability between 0 and 1, got 1.5"),
        ({"invitations_per_organiser": -1}, "invitations_per_organiser must be 0 or more"),
        ({"invites": 3}, "unknown rate 'invites'; known: invitations_per_organiser"),
        ({"booking_rate": None}, "booking_rate must be a number, got None"),
        ({"booking_rate": float("nan")}, "booking_rate must be a finite number"),
    ],
)
def test_bad_rates(rates: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        funnel.k_factor(rates)


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        (
            {"acceptance_rate": [0.7, 0.3]},
            r"the range of acceptance_rate must have low ≤ high, got \[0.7, 0.3\]",
        ),
        (
            {"booking_rate": [0.5, 1.2]},
            r"booking_rate \(high\) must be a probability between 0 and 1, got 1.2",
        ),
        ({"reorganise_rate": [0.1]}, r"the range of reorganise_rate must be a pair \[low, high\]"),
        ({"reorganise_rate": "0.1-0.2"}, "the range of reorganise_rate must be a pair"),
        ({"acceptance": [0.1, 0.2]}, "unknown range 'acceptance'"),
        ({"invitations_per_organiser": [-2, 3]}, r"invitations_per_organiser \(low\) must be 0 or more"),
    ],
)
def test_bad_ranges(ranges: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        funnel.simulate_bookings(ranges=ranges, simulations=10)
    with pytest.raises(ParameterError, match=message):
        funnel.tornado_table(ranges=ranges)


def test_simulation_count_is_bounded() -> None:
    with pytest.raises(ParameterError, match="simulations must be a whole number of at least 1 and at most"):
        funnel.simulate_bookings(simulations=0)
    with pytest.raises(ParameterError, match="simulations must be a whole number"):
        funnel.simulate_bookings(simulations=funnel.MAX_SIMULATIONS + 1)


# --- Monte Carlo ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rates", [HALF, funnel.DEFAULT_RATES, {**HALF, "invitations_per_organiser": 2.5, "reorganise_rate": 0.9}]
)
def test_simulation_mean_matches_the_closed_form(rates: dict) -> None:
    sim = funnel.simulate_bookings(200, fixed(rates), simulations=20_000, seed=7)
    expected = funnel.expected_totals(200, rates)
    summary = funnel.summarise_bookings(sim)
    assert summary["std_error"] < 0.01 * expected["bookings"]  # the band is narrow: the check has teeth
    assert abs(summary["mean"] - expected["bookings"]) < Z * summary["std_error"]
    assert (
        abs(summary["mean"] - 1.03 * expected["bookings"]) > Z * summary["std_error"]
    )  # a 3% error is caught
    organisers = sim["organisers"]
    se = organisers.std(ddof=1) / np.sqrt(len(organisers))
    assert abs(organisers.mean() - expected["organisers"]) < Z * se
    assert summary["share_truncated"] == 0 and summary["share_supercritical"] == 0


def test_simulation_is_seeded() -> None:
    a = funnel.simulate_bookings(simulations=500, seed=3)
    b = funnel.simulate_bookings(simulations=500, seed=3)
    c = funnel.simulate_bookings(simulations=500, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a["bookings"].equals(c["bookings"])


def test_rates_are_drawn_within_their_ranges() -> None:
    sim = funnel.simulate_bookings(simulations=5_000, seed=1)
    for name, (low, high) in funnel.DEFAULT_RANGES.items():
        assert sim[name].between(low, high).all()
        assert sim[name].mean() == pytest.approx((low + high) / 2, rel=0.03)


def test_supercritical_draws_are_flagged_not_simulated() -> None:
    ranges = {
        **fixed({**HALF, "invitations_per_organiser": 8.0, "acceptance_rate": 0.5, "booking_rate": 0.5}),
        "reorganise_rate": (0.25, 0.75),
    }  # K = 2 × reorganise_rate: K ≥ 1 for half the draws
    sim = funnel.simulate_bookings(50, ranges, simulations=4_000, seed=11)
    assert (sim["supercritical"] == (sim["k"] >= 1)).all()
    assert sim.loc[sim["supercritical"], "bookings"].isna().all()
    assert sim.loc[~sim["supercritical"], "bookings"].notna().all()
    share = sim["supercritical"].mean()
    assert abs(share - 0.5) < Z * np.sqrt(0.25 / 4_000)
    assert funnel.summarise_bookings(sim)["share_supercritical"] == pytest.approx(share)
    with pytest.raises(ParameterError, match="every simulation has K ≥ 1"):
        funnel.summarise_bookings(sim[sim["supercritical"]])


def test_truncated_runs_are_flagged() -> None:
    sim = funnel.simulate_bookings(
        100, fixed({**HALF, "reorganise_rate": 0.99}), simulations=200, seed=5, max_generations=2
    )
    assert sim["truncated"].all()
    assert (sim["waves"] == 2).all()


def test_histogram_aggregates_every_finite_draw() -> None:
    sim = funnel.simulate_bookings(simulations=3_000, seed=2)
    hist = funnel.bookings_histogram(sim, bins=20)
    assert len(hist) == 20
    assert hist["simulations"].sum() == 3_000
    assert hist["share"].sum() == pytest.approx(1.0)
    assert hist["bin_start"].iloc[0] == sim["bookings"].min()
    assert hist["bin_end"].iloc[-1] == sim["bookings"].max()


# --- sensitivity --------------------------------------------------------------------------------------


def test_tornado_by_hand() -> None:
    table = funnel.tornado_table().set_index("parameter")
    row = table.loc["invitations_per_organiser"]
    # 2 invitations: K = 2 × 0.5 × 0.7 × 0.15 = 0.105; bookings = 1000 / 0.895 × (1 + 0.7)
    assert row["bookings_at_low"] == pytest.approx(1000 / 0.895 * 1.7)
    assert row["k_at_high"] == pytest.approx(0.315)
    assert row["base_bookings"] == pytest.approx(1000 / 0.79 * 2.4)
    assert table.index[0] == "invitations_per_organiser"  # the largest swing comes first
    assert table["swing"].is_monotonic_decreasing
    assert not table["unbounded"].any()


def test_tornado_flags_an_unbounded_end() -> None:
    table = funnel.tornado_table(ranges={"reorganise_rate": (0.1, 1.0)})  # K = 1.4 at the high end
    first = table.iloc[0]
    assert first["parameter"] == "reorganise_rate" and first["unbounded"]
    assert np.isnan(first["bookings_at_high"]) and first["k_at_high"] == pytest.approx(1.4)
    assert first["bookings_at_low"] == pytest.approx(1000 / (1 - 0.14) * 2.4)


# --- reach vs relay -------------------------------------------------------------------------------------


def test_expected_cascade_by_hand() -> None:
    reach = cascade.expected_cascade(cascade.DEFAULT_REACH)
    # 1000 × 0.002 direct; 1000 × 0.005 relayers × 50 friends × 0.01 / (1 − 50 × 0.01) downstream
    assert (reach["direct"], reach["downstream"], reach["conversions"]) == pytest.approx((2, 5, 7))
    assert reach["reached"] == pytest.approx(1000 + 5 * 50 / 0.5)
    relay = cascade.expected_cascade(cascade.DEFAULT_RELAYS)
    assert relay["conversions"] == pytest.approx(1 + 10 * 0.5 * 1.0)


@pytest.mark.parametrize(
    "audience", [cascade.DEFAULT_REACH, cascade.DEFAULT_RELAYS, {"size": 30, "conversion": 0.2, "relay": 0.9}]
)
def test_branching_mean_matches_its_expectation(audience: dict) -> None:
    network = {"fanout": 20, "conversion": 0.05, "relay": 0.04}  # m = 0.8: long cascades
    sim = cascade.simulate_cascade(audience, network, simulations=40_000, rng=9)
    expected = cascade.expected_cascade(audience, network)
    for col, key in (("conversions", "conversions"), ("reached", "reached")):
        se = sim[col].std(ddof=1) / np.sqrt(len(sim))
        assert se < 0.02 * expected[key]
        assert abs(sim[col].mean() - expected[key]) < Z * se


def test_relay_break_even_by_hand() -> None:
    # reach expects 7; the relays expect 10 × 0.1 + 10 × q × 1.0, equal at q = 0.6
    q = cascade.relay_break_even()
    assert q == pytest.approx(0.6)
    at = cascade.expected_cascade({**cascade.DEFAULT_RELAYS, "relay": q})["conversions"]
    assert at == pytest.approx(cascade.expected_cascade(cascade.DEFAULT_REACH)["conversions"])
    assert cascade.relay_break_even(relays={"conversion": 0.9}) < 0  # the 10 win even if none relays
    assert cascade.relay_break_even(reach={"conversion": 0.05}) > 1  # the 10 cannot win
    assert np.isnan(cascade.relay_break_even(network={"conversion": 0.0}))


def test_reach_vs_relay_curve_crosses_at_the_break_even() -> None:
    curve = cascade.reach_vs_relay_curve(points=11)
    wide = curve.pivot(index="relay_probability", columns="strategy", values="model_conversions")
    assert list(wide.columns) == ["1,000 contacts (reach)", "10 relays"]
    diff = (wide["10 relays"] - wide["1,000 contacts (reach)"]).to_numpy()
    assert wide.index.to_numpy() == pytest.approx(np.linspace(0, 1, 11))
    assert diff[0] == pytest.approx(-6) and diff[-1] == pytest.approx(4)
    assert diff[6] == pytest.approx(0, abs=1e-12)  # relay probability 0.6


def test_compare_reach_relay() -> None:
    result = cascade.compare_reach_relay(simulations=20_000, seed=5)
    summary = result.summary.set_index("strategy")
    assert summary.loc["reach", "model_conversions"] == pytest.approx(7)
    assert summary.loc["relay", "model_conversions"] == pytest.approx(6)
    for s in ("reach", "relay"):
        row = summary.loc[s]
        assert abs(row["simulated_mean"] - row["model_conversions"]) < Z * row["std_error"]
    assert 0.2 < result.relay_wins < 0.5  # the 10 expect fewer conversions: they win less than half the time
    assert 0 < result.ties < 1 - result.relay_wins
    again = cascade.compare_reach_relay(simulations=20_000, seed=5)
    assert (again.relay_wins, again.ties) == (result.relay_wins, result.ties)


def test_distribution_aggregates_every_run() -> None:
    result = cascade.compare_reach_relay(simulations=5_000, seed=1)
    dist = result.distribution
    assert set(dist["strategy"]) == {"reach", "relay"}
    by = dist.groupby("strategy")
    assert (by["simulations"].sum() == 5_000).all()
    assert by["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    means = (dist["conversions"] * dist["share"]).groupby(dist["strategy"]).sum()
    assert means.to_dict() == pytest.approx(result.summary.set_index("strategy")["simulated_mean"].to_dict())
    zero = dist[dist["conversions"] == 0].set_index("strategy")["share"]
    assert zero.to_dict() == pytest.approx(result.summary.set_index("strategy")["share_zero"].to_dict())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"network": {"fanout": 50, "relay": 0.03}},
            r"network fanout × relay = 1.5 ≥ 1: the cascade never dies out",
        ),
        ({"reach": {"size": 0}}, r"reach\['size'\] must be a whole number of at least 1"),
        ({"relays": {"relay": 2}}, r"relays\['relay'\] must be a probability between 0 and 1"),
        ({"relays": {"friends": 2}}, r"unknown key of relays 'friends'"),
        ({"network": {"fanout": -1}}, r"network\['fanout'\] must be 0 or more"),
    ],
)
def test_bad_branching_parameters(kwargs: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        cascade.relay_break_even(**kwargs)


# --- charts ---------------------------------------------------------------------------------------------


def test_sncf_charts_say_model_or_simulated() -> None:
    from casebook.community import charts as cc

    sim = funnel.simulate_bookings(simulations=2_000, seed=1)
    hist = funnel.bookings_histogram(sim, bins=25)
    chart = cc.bookings_histogram_chart(hist, funnel.summarise_bookings(sim)["median"]).to_dict()
    assert "(simulated)" in chart["title"]["text"]
    assert sorted(len(v) for v in chart["datasets"].values()) == [1, 25]  # bins and the median, not runs
    tornado = cc.tornado_chart(funnel.tornado_table()).to_dict()
    assert tornado["title"]["text"].startswith("Model: ")
    bars = max(tornado["datasets"].values(), key=len)
    assert len(bars) == 8  # four rates × two ends
    unbounded = cc.tornado_chart(funnel.tornado_table(ranges={"reorganise_rate": (0.1, 1.0)})).to_dict()
    assert len(max(unbounded["datasets"].values(), key=len)) == 6  # the unbounded rate is left out
    relay = cc.reach_relay_chart(cascade.reach_vs_relay_curve(), cascade.relay_break_even()).to_dict()
    assert relay["title"]["text"].startswith("Model: ") and len(relay["layer"]) == 2  # lines + break-even
    beyond = cc.reach_relay_chart(cascade.reach_vs_relay_curve(), 1.4).to_dict()
    assert "layer" not in beyond  # no break-even line outside 0–100%
    dist = cascade.compare_reach_relay(simulations=2_000, seed=1).distribution
    conv = cc.conversions_chart(dist, {"reach": "1,000 contacts", "relay": "10 relays"}, upto=10).to_dict()
    assert "(simulated)" in conv["title"]["text"]
    rows = next(iter(conv["datasets"].values()))
    assert {r["strategy"] for r in rows} == {"1,000 contacts", "10 relays"} and len(rows) == 22
    assert cc.model_title("Funnel") == "Model: funnel" and cc.model_title("Model: x") == "Model: x"


def test_check_number_takes_finite_numbers_only() -> None:
    assert funnel.check_number("size", 3) == 3.0 and isinstance(funnel.check_number("size", np.int64(2)), float)
    with pytest.raises(ParameterError, match=r"^size must be a number, got True$"):
        funnel.check_number("size", True)
    with pytest.raises(ParameterError, match=r"^size must be a number, got '3'$"):
        funnel.check_number("size", "3")
    with pytest.raises(ParameterError, match=r"^size must be a finite number, got nan$"):
        funnel.check_number("size", float("nan"))


def test_check_known_names_the_unknown_keys_and_the_known_ones() -> None:
    assert funnel.check_known("rate", {"booking_rate": 0.5}, funnel.RATE_NAMES) is None
    with pytest.raises(ParameterError, match=r"^unknown key of audience 'fan', 'size2'; known: size, conversion, "
                                             r"relay$"):
        funnel.check_known("key of audience", {"size2": 1, "fan": 2, "size": 3}, ("size", "conversion", "relay"))
