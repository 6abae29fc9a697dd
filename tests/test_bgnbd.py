"""BG/NBD: reproduce Fader, Hardie & Lee (2005) on the CDNOW sample, and check the formulas by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from casebook import paths
from casebook.crm import bgnbd
from casebook.crm import warehouse as wh
from casebook.errors import ParameterError
from casebook.io.orders import open_orders

PUBLISHED = bgnbd.FHL2005_CDNOW  # FHL 2005, CDNOW 1/10 sample, weeks
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


@pytest.fixture(scope="module")
def cdnow_days():
    orders, _ = open_orders(paths.dataset("cdnow"), customer_col="column_2")
    return wh.store_days(orders)


@pytest.fixture(scope="module")
def cdnow_summary(cdnow_days) -> pd.DataFrame:
    return wh.calibration(wh.summarise(cdnow_days, "1997-09-30", "1998-06-30", "W"))


def test_summary_reproduces_published_calibration_summary(cdnow_summary: pd.DataFrame) -> None:
    ref = pd.read_csv(paths.dataset("cdnow_summary")).set_index("ID")
    ours = cdnow_summary.set_axis(cdnow_summary.index.astype(int)).sort_index()
    assert len(ours) == len(ref) == 2_357
    assert (ours["frequency"] == ref["frequency"]).all()
    assert (ours["recency"].round(2) == ref["recency"]).all()
    assert (ours["T"].round(2) == ref["T"]).all()
    assert ours["frequency"].sum() == 2_457  # repeat purchase occasions in the 39 weeks
    assert (ours["duration_holdout"] == 39).all()


def test_fit_reproduces_published_parameters() -> None:
    ref = pd.read_csv(paths.dataset("cdnow_summary"))
    p = bgnbd.fit(ref)
    assert {k: round(v, 3) for k, v in p.as_dict().items()} == PUBLISHED
    assert round(p.log_likelihood, 1) == -9582.4
    assert p.customers == 2_357


def test_fit_from_raw_transactions_matches_too(cdnow_summary: pd.DataFrame) -> None:
    p = bgnbd.fit(cdnow_summary)
    assert {k: round(v, 3) for k, v in p.as_dict().items()} == PUBLISHED
    assert bgnbd.published_comparison(p)["same"].all()


def test_fit_on_counted_triples_equals_the_fit_on_customers(cdnow_summary: pd.DataFrame) -> None:
    triples = wh.triples(cdnow_summary)
    assert len(triples) < len(cdnow_summary) and triples["count"].sum() == 2_357
    on_triples, on_customers = bgnbd.fit(triples), bgnbd.fit(cdnow_summary)
    assert on_triples == on_customers  # the same pooled rows: the same numbers to the last digit
    # a count is a weight: doubling every count doubles the log-likelihood and keeps the parameters
    doubled = bgnbd.fit(triples.assign(count=2 * triples["count"]))
    assert doubled.customers == 4_714
    assert doubled.log_likelihood == pytest.approx(2 * on_triples.log_likelihood, rel=1e-9)
    for k, v in on_triples.as_dict().items():
        assert doubled.as_dict()[k] == pytest.approx(v, rel=1e-5)
    ll = bgnbd.log_likelihood(on_triples, triples["frequency"], triples["recency"], triples["T"], triples["count"])
    assert ll == pytest.approx(on_triples.log_likelihood, rel=1e-12)


def test_published_comparison_flags_a_different_fit() -> None:
    other = bgnbd.BGNBDParams(0.2431, 4.4, 0.793, 2.426, 0.0, 1)
    table = bgnbd.published_comparison(other)
    assert table["parameter"].tolist() == ["r", "alpha", "a", "b"]
    assert table["same"].tolist() == [True, False, True, True]
    assert table.loc[1, "ours"] == 4.4 and table.loc[1, "published"] == 4.414


def test_log_likelihood_at_published_values() -> None:
    ref = pd.read_csv(paths.dataset("cdnow_summary"))
    ll = bgnbd.log_likelihood(PUBLISHED, ref["frequency"], ref["recency"], ref["T"])
    assert ll == pytest.approx(-9582.4, abs=0.05)


def test_time_unit_days_rescales_alpha_only(cdnow_days) -> None:
    p = bgnbd.fit(wh.triples(wh.summary_table(cdnow_days, "1997-09-30", time_unit="D")), time_unit="D")
    assert p.r == pytest.approx(0.2426, abs=5e-4)
    assert p.alpha / 7 == pytest.approx(4.414, abs=5e-3)
    assert p.a == pytest.approx(0.793, abs=5e-4) and p.b == pytest.approx(2.426, abs=5e-3)


def _hyp2f1_series(a: float, b: float, c: float, z: float, terms: int = 400) -> float:
    total, term = 1.0, 1.0
    for k in range(terms):
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
    return total


def test_p_alive_and_conditional_expectation_by_hand() -> None:
    r, alpha, a, b = PUBLISHED.values()
    x, t_x, big_t, t = 2, 30.43, 38.86, 39.0
    # P(alive) = 1 / (1 + a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x))
    by_hand_alive = 1 / (1 + 0.793 / 3.426 * (43.274 / 34.844) ** 2.243)
    assert bgnbd.p_alive(PUBLISHED, x, t_x, big_t) == pytest.approx(by_hand_alive, rel=1e-12)
    assert by_hand_alive == pytest.approx(0.7266, abs=1e-4)
    # E[Y(t) | x, t_x, T], FHL 2005 eq. 10, with the hypergeometric function summed term by term
    z = t / (alpha + big_t + t)
    f = _hyp2f1_series(r + x, b + x, a + b + x - 1, z)
    expected = (a + b + x - 1) / (a - 1) * (1 - ((alpha + big_t) / (alpha + big_t + t)) ** (r + x) * f)
    expected *= by_hand_alive
    got = bgnbd.conditional_expected_purchases(PUBLISHED, t, x, t_x, big_t)
    assert got == pytest.approx(expected, rel=1e-9)
    assert round(float(got), 3) == 1.226


def test_p_alive_properties() -> None:
    assert bgnbd.p_alive(PUBLISHED, [0, 0], [0, 0], [5, 50]).tolist() == [1.0, 1.0]
    longer_silence = bgnbd.p_alive(PUBLISHED, 3, 10, np.array([12, 20, 30, 40]))
    assert np.all(np.diff(longer_silence) < 0)
    later_last = bgnbd.p_alive(PUBLISHED, 3, np.array([5, 10, 20, 30]), 30)
    assert np.all(np.diff(later_last) > 0)
    # bought at the very end (t_x = T): still may have dropped out right after, 1 / (1 + a / (b + x - 1))
    assert later_last[-1] == pytest.approx(1 / (1 + 0.793 / 4.426), rel=1e-12)


def test_new_customer_expectation_equals_unconditional() -> None:
    t = np.array([1.0, 10.0, 39.0, 78.0])
    cond = bgnbd.conditional_expected_purchases(PUBLISHED, t, 0, 0, 1e-12)
    assert cond == pytest.approx(bgnbd.expected_purchases(PUBLISHED, t), rel=1e-9)
    assert bgnbd.expected_purchases(PUBLISHED, 0.0) == pytest.approx(0.0)


def test_tracking_curve(cdnow_days, cdnow_summary: pd.DataFrame) -> None:
    p = bgnbd.fit(cdnow_summary)
    tr = bgnbd.tracking(wh.daily_repeats(cdnow_days, "1997-09-30", "1998-06-30"), p, "1997-09-30", "1998-06-30")
    assert len(tr) == 78  # 78 weeks, 1997-01-01 to 1998-06-30
    at_cal = tr[tr["period_end"] == pd.Timestamp("1997-09-30")].iloc[0]
    assert at_cal["actual"] == 2_457 and at_cal["phase"] == "calibration"
    assert at_cal["predicted"] == pytest.approx(
        bgnbd.expected_purchases(p, cdnow_summary["T"].to_numpy()).sum(), rel=1e-9)
    assert tr["predicted"].is_monotonic_increasing and tr["actual"].is_monotonic_increasing
    assert (tr["phase"] == "holdout").sum() == 39
    # the holdout's actual repeat purchases are the summary's holdout purchases
    assert tr["actual"].iloc[-1] - at_cal["actual"] == cdnow_summary["frequency_holdout"].sum() == 1_882


def test_tracking_by_hand() -> None:
    """Two cohorts: 2 customers first buy on day 0, 1 on day 7; repeats on days 3 and 10 (in days)."""
    daily = pd.DataFrame({"day": pd.to_datetime(["2020-01-01", "2020-01-04", "2020-01-08", "2020-01-11"]),
                          "first_purchases": [2, 0, 1, 0], "repeat_purchases": [0, 1, 0, 1]})
    p = bgnbd.BGNBDParams(1.0, 10.0, 0.0, float("nan"), 0.0, 3, "D")  # NBD limit: E[X(t)] = t / 10
    tr = bgnbd.tracking(daily, p, "2020-01-07", "2020-01-14")
    assert len(tr) == 14 and tr["actual"].tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]
    # end of day 13: the first cohort is 13 days old, the second 6 -> 2 * 1.3 + 0.6
    assert tr["predicted"].iloc[-1] == pytest.approx(3.2)
    assert (tr["phase"] == "calibration").sum() == 7


def test_holdout_check(cdnow_summary: pd.DataFrame) -> None:
    p = bgnbd.fit(cdnow_summary)
    check = bgnbd.holdout_check(p, cdnow_summary)
    assert check["customers"].sum() == 2_357
    zero = check.set_index("frequency").loc[0]
    assert zero["customers"] == (cdnow_summary["frequency"] == 0).sum()
    assert zero["actual"] == pytest.approx(
        cdnow_summary.loc[cdnow_summary["frequency"] == 0, "frequency_holdout"].mean())
    assert check["frequency_label"].iloc[-1] == "7+"
    with pytest.raises(ParameterError, match="no holdout period"):
        bgnbd.holdout_check(p, cdnow_summary.drop(columns=["frequency_holdout"]))


@pytest.fixture(scope="module")
def retail_days():
    orders, _ = open_orders(paths.dataset("online_retail"))
    return wh.store_days(orders)


def test_full_uci_fit(retail_days) -> None:  # its speed is measured by the benchmarks, not here
    p = bgnbd.fit(wh.triples(wh.summary_table(retail_days, "2011-12-09", time_unit="W")))
    assert p.customers == 4_339
    # this retailer's data show almost no drop-out: a / (a + b) is tiny, as with lifetimes' fit
    assert p.mean_dropout < 0.01 and 0.7 < p.r < 0.95


def test_no_dropout_limit_on_the_retail_calibration_period(retail_days) -> None:
    summary = wh.calibration(wh.summarise(retail_days, "2011-09-09", time_unit="W"))
    p = bgnbd.fit(summary)
    assert p.no_dropout and p.a == 0 and math.isnan(p.b) and p.mean_dropout == 0
    # any point of the BG/NBD ridge fits no better than the limit (here one an optimiser stopped at)
    ridge = {"r": 0.72355, "alpha": 9.36548, "a": 5.65e-9, "b": 1450.22}
    args = (summary["frequency"], summary["recency"], summary["T"])
    assert bgnbd.log_likelihood(ridge, *args) <= p.log_likelihood + 1e-3
    assert p.log_likelihood == pytest.approx(bgnbd.log_likelihood(p, *args), abs=1e-6)
    assert bgnbd.p_alive(p, *args).min() == 1.0
    assert bgnbd.dropout_verdict(p).startswith("The fit reaches the no-drop-out limit")


def test_nbd_limit_formulas_match_a_tiny_a() -> None:
    limit = {"r": 0.5, "alpha": 8.0, "a": 0.0, "b": float("nan")}
    near = {"r": 0.5, "alpha": 8.0, "a": 1e-10, "b": 1.0}
    # E[Y(t) | x, T] = (r + x) / (alpha + T) * t in the limit: (0.5 + 3) / (8 + 20) * 13 = 1.625
    assert bgnbd.conditional_expected_purchases(limit, 13, 3, 15, 20) == pytest.approx(1.625)
    assert bgnbd.conditional_expected_purchases(near, 13, 3, 15, 20) == pytest.approx(1.625, rel=1e-6)
    assert bgnbd.expected_purchases(limit, 16) == pytest.approx(1.0)  # r t / alpha
    assert bgnbd.expected_purchases(near, 16) == pytest.approx(1.0, rel=1e-6)
    assert bgnbd.p_alive(limit, [0, 3], [0, 5], [10, 20]).tolist() == [1.0, 1.0]


def test_parameter_errors(cdnow_days) -> None:
    with pytest.raises(ParameterError, match=r"time_unit 'M' is not valid; use one of: 'D', 'W'"):
        wh.summarise(cdnow_days, "1997-09-30", time_unit="M")
    with pytest.raises(ParameterError, match=r"holdout_end \(1997-01-01\) must come after calibration_end"):
        wh.summarise(cdnow_days, "1997-09-30", "1997-01-01")
    with pytest.raises(ParameterError, match="no customer in the calibration period"):
        bgnbd.fit(wh.triples(wh.summary_table(cdnow_days, "1996-01-01")))
    with pytest.raises(ParameterError, match="no customer made a repeat purchase"):
        bgnbd.fit(pd.DataFrame({"frequency": [0, 0], "recency": [0.0, 0.0], "T": [3.0, 5.0], "count": [4, 1]}))
    with pytest.raises(ParameterError, match=r"lacks columns \['T'\]"):
        bgnbd.fit(pd.DataFrame({"frequency": [1], "recency": [1.0]}))
    assert math.isfinite(bgnbd.fit(wh.triples(wh.summary_table(cdnow_days, "1997-03-31"))).r)


def test_default_periods() -> None:
    first, last = pd.Timestamp("1997-01-01 00:00"), pd.Timestamp("1998-06-30 15:00")
    cal, hold = wh.periods(first, last)
    assert hold == pd.Timestamp("1998-06-30") and cal == pd.Timestamp("1998-03-31")  # 91 days before
    assert wh.periods(first, last, "1997-09-30", "") == (pd.Timestamp("1997-09-30"), hold)
    cal, hold = wh.periods(first, pd.Timestamp("1997-01-31"))
    assert (hold - cal).days == 10  # a third of the 30-day span
    with pytest.raises(ParameterError, match=r"calibration_end \(1999-01-01\) must fall between"):
        wh.periods(first, last, "1999-01-01")


def test_unit_days_are_one_or_seven_and_other_units_refused() -> None:
    assert bgnbd.unit_days("D") == 1.0 and bgnbd.unit_days("W") == 7.0
    with pytest.raises(ParameterError, match=r"^time_unit 'M' is not valid; use one of: 'D', 'W' \(days or weeks\)$"):
        bgnbd.unit_days("M")
