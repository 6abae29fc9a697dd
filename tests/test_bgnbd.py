"""BG/NBD: reproduce Fader, Hardie & Lee (2005) on the CDNOW sample, and check the formulas by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from casebook import paths
from casebook.crm import bgnbd
from casebook.errors import ParameterError
from casebook.io.transactions import load_transactions

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # FHL 2005, CDNOW 1/10 sample, weeks


@pytest.fixture(scope="module")
def cdnow_tx() -> pd.DataFrame:
    tx, _ = load_transactions(paths.dataset("cdnow"), customer_col="column_2")
    return tx


@pytest.fixture(scope="module")
def cdnow_summary(cdnow_tx: pd.DataFrame) -> pd.DataFrame:
    return bgnbd.summarise(cdnow_tx, "1997-09-30", "1998-06-30", "W")


def test_summary_reproduces_published_calibration_summary(cdnow_summary: pd.DataFrame) -> None:
    ref = pd.read_csv(paths.dataset("cdnow_summary")).set_index("ID")
    ours = cdnow_summary.set_axis(cdnow_summary.index.astype(int)).sort_index()
    assert len(ours) == len(ref) == 2_357
    assert (ours["frequency"] == ref["frequency"]).all()
    assert (ours["recency"].round(2) == ref["recency"]).all()
    assert (ours["T"].round(2) == ref["T"]).all()
    assert ours["frequency"].sum() == 2_457  # repeat purchase occasions in the 39 weeks
    assert (ours["holdout_length"] == 39).all()


def test_fit_reproduces_published_parameters() -> None:
    ref = pd.read_csv(paths.dataset("cdnow_summary"))
    p = bgnbd.fit(ref)
    assert {k: round(v, 3) for k, v in p.as_dict().items()} == PUBLISHED
    assert round(p.log_likelihood, 1) == -9582.4
    assert p.customers == 2_357


def test_fit_from_raw_transactions_matches_too(cdnow_summary: pd.DataFrame) -> None:
    p = bgnbd.fit(cdnow_summary)
    assert {k: round(v, 3) for k, v in p.as_dict().items()} == PUBLISHED


def test_log_likelihood_at_published_values() -> None:
    ref = pd.read_csv(paths.dataset("cdnow_summary"))
    ll = bgnbd.log_likelihood(PUBLISHED, ref["frequency"], ref["recency"], ref["T"])
    assert ll == pytest.approx(-9582.4, abs=0.05)


def test_time_unit_days_rescales_alpha_only(cdnow_tx: pd.DataFrame) -> None:
    p = bgnbd.fit(bgnbd.summarise(cdnow_tx, "1997-09-30", time_unit="D"), time_unit="D")
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


def test_tracking_curve(cdnow_tx: pd.DataFrame, cdnow_summary: pd.DataFrame) -> None:
    p = bgnbd.fit(cdnow_summary)
    tr = bgnbd.tracking(cdnow_tx, p, "1997-09-30", "1998-06-30")
    assert len(tr) == 78  # 78 weeks, 1997-01-01 to 1998-06-30
    at_cal = tr[tr["period_end"] == pd.Timestamp("1997-09-30")].iloc[0]
    assert at_cal["actual"] == 2_457 and at_cal["phase"] == "calibration"
    assert at_cal["predicted"] == pytest.approx(
        bgnbd.expected_purchases(p, cdnow_summary["T"].to_numpy()).sum(), rel=1e-9)
    assert tr["predicted"].is_monotonic_increasing and tr["actual"].is_monotonic_increasing
    assert (tr["phase"] == "holdout").sum() == 39


def test_holdout_check(cdnow_summary: pd.DataFrame) -> None:
    p = bgnbd.fit(cdnow_summary)
    check = bgnbd.holdout_check(p, cdnow_summary)
    assert check["customers"].sum() == 2_357
    zero = check.set_index("frequency").loc[0]
    assert zero["customers"] == (cdnow_summary["frequency"] == 0).sum()
    assert zero["actual"] == pytest.approx(
        cdnow_summary.loc[cdnow_summary["frequency"] == 0, "holdout_purchases"].mean())
    assert check["frequency_label"].iloc[-1] == "7+"


def test_full_uci_fit() -> None:  # its speed is measured by the benchmarks, not here
    tx, _ = load_transactions(paths.dataset("online_retail"))
    summary = bgnbd.summarise(tx, "2011-12-09", time_unit="W")
    p = bgnbd.fit(summary)
    assert p.customers == 4_339
    # this retailer's data show almost no drop-out: a / (a + b) is tiny, as with lifetimes' fit
    assert p.mean_dropout < 0.01 and 0.7 < p.r < 0.95


def test_no_dropout_limit_on_the_retail_calibration_period() -> None:
    tx, _ = load_transactions(paths.dataset("online_retail"))
    summary = bgnbd.summarise(tx, "2011-09-09", time_unit="W")
    p = bgnbd.fit(summary)
    assert p.no_dropout and p.a == 0 and math.isnan(p.b) and p.mean_dropout == 0
    # any point of the BG/NBD ridge fits no better than the limit (here one an optimiser stopped at)
    ridge = {"r": 0.72355, "alpha": 9.36548, "a": 5.65e-9, "b": 1450.22}
    args = (summary["frequency"], summary["recency"], summary["T"])
    assert bgnbd.log_likelihood(ridge, *args) <= p.log_likelihood + 1e-3
    assert p.log_likelihood == pytest.approx(bgnbd.log_likelihood(p, *args), abs=1e-6)
    assert bgnbd.p_alive(p, *args).min() == 1.0


def test_nbd_limit_formulas_match_a_tiny_a() -> None:
    limit = {"r": 0.5, "alpha": 8.0, "a": 0.0, "b": float("nan")}
    near = {"r": 0.5, "alpha": 8.0, "a": 1e-10, "b": 1.0}
    # E[Y(t) | x, T] = (r + x) / (alpha + T) * t in the limit: (0.5 + 3) / (8 + 20) * 13 = 1.625
    assert bgnbd.conditional_expected_purchases(limit, 13, 3, 15, 20) == pytest.approx(1.625)
    assert bgnbd.conditional_expected_purchases(near, 13, 3, 15, 20) == pytest.approx(1.625, rel=1e-6)
    assert bgnbd.expected_purchases(limit, 16) == pytest.approx(1.0)  # r t / alpha
    assert bgnbd.expected_purchases(near, 16) == pytest.approx(1.0, rel=1e-6)
    assert bgnbd.p_alive(limit, [0, 3], [0, 5], [10, 20]).tolist() == [1.0, 1.0]


def test_parameter_errors(cdnow_tx: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"time_unit 'M' is not valid; use one of: 'D', 'W'"):
        bgnbd.summarise(cdnow_tx, "1997-09-30", time_unit="M")
    with pytest.raises(ParameterError, match=r"holdout_end \(1997-01-01\) must come after calibration_end"):
        bgnbd.summarise(cdnow_tx, "1997-09-30", "1997-01-01")
    with pytest.raises(ParameterError, match="no customer in the calibration period"):
        bgnbd.fit(bgnbd.summarise(cdnow_tx, "1996-01-01"))
    assert math.isfinite(bgnbd.fit(bgnbd.summarise(cdnow_tx, "1997-03-31")).r)


def test_default_periods(cdnow_tx: pd.DataFrame) -> None:
    cal, hold = bgnbd.default_periods(cdnow_tx)
    assert hold == pd.Timestamp("1998-06-30") and cal == pd.Timestamp("1998-03-31")  # 91 days before
    assert bgnbd.default_periods(cdnow_tx, "1997-09-30", "") == (pd.Timestamp("1997-09-30"), hold)
    short = cdnow_tx[cdnow_tx["timestamp"] <= "1997-01-31"]
    cal, hold = bgnbd.default_periods(short)
    assert (hold - cal).days == 10  # a third of the 30-day span
    with pytest.raises(ParameterError, match=r"calibration_end \(1999-01-01\) must fall between"):
        bgnbd.default_periods(cdnow_tx, "1999-01-01")
