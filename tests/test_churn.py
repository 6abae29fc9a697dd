"""Early-warning list: both signals on a three-customer table worked by hand."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from casebook.crm import churn
from casebook.crm import warehouse as wh
from casebook.crm.bgnbd import BGNBDParams
from casebook.errors import ParameterError

PARAMS = BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=0.0, customers=0, time_unit="W")
AS_OF = "2020-03-01"


def _tx() -> pd.DataFrame:
    rows = [("P", "2020-01-01", 10), ("P", "2020-01-11", 10), ("P", "2020-01-21", 10),
            ("Q", "2020-02-01", 50), ("Q", "2020-02-29", 50), ("S", "2020-01-05", 7)]
    tx = pd.DataFrame({"customer_id": [r[0] for r in rows], "timestamp": pd.to_datetime([r[1] for r in rows]),
                       "amount": [float(r[2]) for r in rows]})
    return wh.summarise(ibis.memtable(tx), "2020-03-01")  # the engine's summary, as the chapter reads it


# P: x = 2, t_x = 20 days, T = 60 days (in weeks): P(alive) by hand
P_ALIVE_P = 1 / (1 + 0.793 / 3.426 * ((4.414 + 60 / 7) / (4.414 + 20 / 7)) ** 2.243)


def test_signals_by_hand() -> None:
    st = churn.customer_status(_tx(), PARAMS, as_of=AS_OF, threshold=0.6)
    assert pytest.approx(0.5405, abs=1e-3) == P_ALIVE_P
    assert st.loc["P", "p_alive"] == pytest.approx(P_ALIVE_P, rel=1e-12)
    assert st.loc["P", "usual_gap_days"] == 10 and st.loc["P", "days_silent"] == 40
    assert st.loc["P", "silence_ratio"] == 4
    assert st.loc["P", "reason"] == "both signals"
    assert st.loc["Q", "usual_gap_days"] == 28 and st.loc["Q", "days_silent"] == 1
    assert not st.loc["Q", "flagged"]
    assert pd.isna(st.loc["S", "usual_gap_days"])  # one purchase: no usual gap
    assert st.loc["S", "p_alive"] == 1.0 and not st.loc["S", "flagged"]
    assert st["revenue"].to_dict() == {"P": 30.0, "Q": 100.0, "S": 7.0}


def test_threshold_changes_the_reason_and_summary_counts() -> None:
    st = churn.customer_status(_tx(), PARAMS, as_of=AS_OF, threshold=0.5)
    assert st.loc["P", "reason"] == "silence beyond usual gap"
    summary = churn.watchlist_summary(st).set_index("reason")
    assert summary.loc["total", "customers"] == 1
    assert summary.loc["total", "revenue"] == 30
    assert summary.loc["total", "customer_share"] == pytest.approx(1 / 3)
    assert summary.loc["total", "revenue_share"] == pytest.approx(30 / 137)
    assert summary.loc["both signals", "customers"] == 0
    assert churn.watchlist(st).index.tolist() == ["P"]


def test_gap_factor_relaxes_the_silence_rule() -> None:
    st = churn.customer_status(_tx(), PARAMS, as_of=AS_OF, threshold=0.5, gap_factor=5)
    assert not st["flagged"].any()


def test_default_as_of_is_last_day_in_data() -> None:
    st = churn.customer_status(_tx(), PARAMS)
    assert st.loc["P", "days_silent"] == (pd.Timestamp("2020-02-29") - pd.Timestamp("2020-01-21")).days


def test_as_of_before_the_last_purchase_is_refused() -> None:
    with pytest.raises(ParameterError, match=r"as_of \(2020-02-01\) comes before the last purchase of the summary "
                                             r"\(2020-02-29\)"):
        churn.customer_status(_tx(), PARAMS, as_of="2020-02-01")


def test_distributions_for_charts() -> None:
    st = churn.customer_status(_tx(), PARAMS, as_of=AS_OF, threshold=0.6)
    dist = churn.p_alive_distribution(st, bins=10)
    assert dist["customers"].sum() == 3
    assert dist.loc[5, "customers"] == 1  # P in the 0.5–0.6 band
    # Q: x = 1, t_x = 28 days, T = 29 days (2020 is a leap year) -> 0.7497
    q = 1 / (1 + 0.793 / 2.426 * ((4.414 + 29 / 7) / (4.414 + 28 / 7)) ** 1.243)
    assert st.loc["Q", "p_alive"] == pytest.approx(q, rel=1e-12) and 0.7497 < q < 0.7498
    assert dist.loc[7, "customers"] == 1  # Q in the 0.7–0.8 band
    assert dist.loc[9, "customers"] == 1  # S, alive with probability 1, in the top band
    sil = churn.silence_distribution(st).set_index("band")
    assert sil["customers"].sum() == 2  # S has no usual gap
    assert sil.loc["3–5", "customers"] == 1 and sil.loc["0–0.5", "customers"] == 1
    assert sil.loc["3–5", "beyond_usual_gap"]


@pytest.mark.parametrize(("kw", "msg"), [({"threshold": 1.5}, "alive_threshold must be a probability"),
                                         ({"gap_factor": 0}, "gap_factor must be a positive number")])
def test_bad_parameters(kw: dict, msg: str) -> None:
    with pytest.raises(ParameterError, match=msg):
        churn.customer_status(_tx(), PARAMS, **kw)
