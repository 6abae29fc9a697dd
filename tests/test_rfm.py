"""RFM scores and segments on a small table computed by hand."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from casebook.crm import rfm
from casebook.crm import warehouse as wh
from casebook.errors import ParameterError

AS_OF = pd.Timestamp("2020-02-01")
# customer: (days since last purchase, number of invoices, total spend)
HAND = {
    "A": (1, 5, 500.0), "B": (3, 5, 400.0), "C": (5, 1, 50.0), "D": (10, 2, 120.0), "E": (20, 3, 300.0),
    "F": (30, 1, 20.0), "G": (40, 4, 250.0), "H": (50, 1, 10.0), "I": (60, 1, 30.0), "J": (100, 2, 200.0),
}
# Worked by hand: score = floor(5 * (rank - 1) / 10) + 1, ties share the lowest rank, recency reversed.
# Recency ranks (most recent last): J1 I2 H3 G4 F5 E6 D7 C8 B9 A10.
# Frequency: C,F,H,I (1) rank 1 -> 1; D,J (2) rank 5 -> 3; E (3) rank 7 -> 4; G (4) rank 8 -> 4; A,B rank 9 -> 5.
EXPECTED = {  # R, F, M, segment
    "A": (5, 5, 5, "Champions"), "B": (5, 5, 5, "Champions"), "C": (4, 1, 2, "Potential Loyalist"),
    "D": (4, 3, 3, "Loyal Customers"), "E": (3, 4, 4, "Loyal Customers"), "F": (3, 1, 1, "Potential Loyalist"),
    "G": (2, 4, 4, "Loyal Customers"), "H": (2, 1, 1, "About To Sleep"), "I": (1, 1, 2, "Lost"),
    "J": (1, 3, 3, "At Risk"),
}


def _transactions() -> pd.DataFrame:
    rows = []
    for cust, (rec, n, spend) in HAND.items():
        for k in range(n):
            rows.append({"customer_id": cust, "timestamp": AS_OF - pd.Timedelta(days=rec + 7 * k),
                         "amount": spend / n, "invoice": f"{cust}{k}"})
    return pd.DataFrame(rows)


def _summary(tx: pd.DataFrame) -> pd.DataFrame:
    """The engine's per-customer summary of ``tx``, as the chapter reads it."""
    return wh.summarise(ibis.memtable(tx), AS_OF)


def test_scores_match_hand_computation() -> None:
    table = rfm.rfm_table(_summary(_transactions()), as_of=AS_OF)
    for cust, (r, f, m, _) in EXPECTED.items():
        row = table.loc[cust]
        assert (row.r_score, row.f_score, row.m_score) == (r, f, m), cust
    assert table.loc["J", "recency_days"] == 100
    assert table.loc["A", "frequency"] == 5 and table.loc["A", "monetary"] == pytest.approx(500)
    assert table.loc["C", "rfm_score"] == 412


def test_default_as_of_is_day_after_last_transaction() -> None:
    table = rfm.rfm_table(_summary(_transactions()))
    assert table.loc["A", "recency_days"] == 1  # last purchase 2020-01-31, as_of 2020-02-01


def test_frequency_counts_purchase_days_without_invoices() -> None:
    tx = _transactions().drop(columns="invoice")
    extra = pd.DataFrame({"customer_id": ["A"], "timestamp": [AS_OF - pd.Timedelta(days=1) + pd.Timedelta(hours=3)],
                          "amount": [1.0]})
    table = rfm.rfm_table(_summary(pd.concat([tx, extra], ignore_index=True)), as_of=AS_OF)
    assert table.loc["A", "frequency"] == 5  # a second purchase on the same day is not a new occasion


def test_segments_first_match_wins() -> None:
    table = rfm.rfm_table(_summary(_transactions()), as_of=AS_OF)
    seg = rfm.assign_segments(table)
    assert seg.to_dict() == {c: e[3] for c, e in EXPECTED.items()}


def test_others_and_unreachable_segments() -> None:
    scores = pd.DataFrame({"r_score": [3, 5, 1], "f_score": [5, 1, 5], "m_score": [1, 1, 5]}, index=list("xyz"))
    seg = rfm.assign_segments(scores)
    # 3/5/1 matches no row; 5/1/1 is a "New Customer" but "Potential Loyalist" comes first;
    # 1/5/5 is "Can't Lose Them" but "At Risk" comes first.
    assert seg.tolist() == ["Others", "Potential Loyalist", "At Risk"]
    reordered = [rfm.SEGMENTS[3], rfm.SEGMENTS[8]] + [s for i, s in enumerate(rfm.SEGMENTS) if i not in (3, 8)]
    assert rfm.assign_segments(scores, reordered).tolist() == ["Others", "New Customers", "Can't Lose Them"]


def test_segment_summary_sizes_and_value() -> None:
    table = rfm.rfm_table(_summary(_transactions()), as_of=AS_OF)
    summary = rfm.segment_summary(table, rfm.assign_segments(table)).set_index("segment")
    assert summary.loc["Champions", "customers"] == 2
    assert summary.loc["Champions", "revenue"] == pytest.approx(900)
    assert summary.loc["Champions", "customer_share"] == pytest.approx(0.2)
    assert summary.loc["Champions", "revenue_share"] == pytest.approx(900 / 1880)
    assert summary.loc["Loyal Customers", "customers"] == 3
    assert summary.loc["New Customers", "customers"] == 0  # empty segments stay listed
    assert summary.index[-1] == "Others"
    assert summary["customers"].sum() == 10


def test_quintiles_of_ties_and_bad_segment_table() -> None:
    assert rfm.quintile_scores([7, 7, 7, 7]).tolist() == [1, 1, 1, 1]
    assert rfm.quintile_scores([1, 2, 3, 4, 5], reverse=True).tolist() == [5, 4, 3, 2, 1]
    with pytest.raises(ParameterError, match=r"\(name, \(R low, R high\)"):
        rfm.assign_segments(pd.DataFrame({"r_score": [1], "f_score": [1], "m_score": [1]}),
                            [("Bad", (0, 6), (1, 5), (1, 5))])
