"""The Volvo chapter's figures dicts (readiness, RFM segments, BG/NBD model, watch list), worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from casebook.crm import bgnbd, churn, readiness, rfm
from casebook.crm.bgnbd import BGNBDParams


def test_readiness_figures_name_the_first_three_gaps() -> None:
    card = readiness.scorecard()
    figures = readiness.readiness_figures(card)
    assert figures["readiness_score"] == card.score
    assert figures["readiness_gaps"] == len(card.gaps) == 7  # every question short of "yes"
    # largest weighted shortfall first: owner, org_chart, budget ("no", weight 2 each), in question order
    assert [figures[f"readiness_gap_{i}"] for i in (1, 2, 3)] == [readiness.LABELS[k] for k in card.gaps[:3]]
    assert card.gaps[:3] == ["owner", "org_chart", "budget"]


def test_readiness_figures_say_none_past_the_last_gap() -> None:
    answers = {key: "yes" for key in readiness.QUESTIONS} | {"tools": "partly"}
    figures = readiness.readiness_figures(readiness.scorecard(answers))
    assert figures["readiness_gaps"] == 1
    assert figures["readiness_gap_1"] == readiness.LABELS["tools"]
    assert figures["readiness_gap_2"] == figures["readiness_gap_3"] == "none"


def test_chart_title_and_subtitle_say_whether_the_answers_are_the_illustration() -> None:
    card = readiness.scorecard()
    book = dict(readiness.VOLVO_FRANCE_ILLUSTRATION)
    assert readiness.chart_title("Volvo France", book) == (
        "Illustration, not a measurement: Volvo France's readiness as we read the article")
    illustration = readiness.chart_subtitle(book, card)
    assert illustration == "Our reading of the article, not Volvo data · illustrative score 25 / 100"
    mine = {key: "yes" for key in readiness.QUESTIONS}
    assert readiness.chart_title("My brand", mine) == "Readiness scorecard: My brand"
    assert readiness.chart_subtitle(mine, readiness.scorecard(mine)) == "Answers given as parameters · score 100 / 100"


def _segments(customers: dict[str, int]) -> pd.DataFrame:
    names = [name for name, *_ in rfm.SEGMENTS] + [rfm.OTHERS]
    counts = [customers.get(name, 0) for name in names]
    revenue = [10.0 * c for c in counts]
    return pd.DataFrame({
        "segment": names, "customers": counts, "revenue": revenue,
        "median_recency_days": [3.0 * i for i in range(len(names))],
        "customer_share": [c / sum(counts) for c in counts], "revenue_share": [r / sum(revenue) for r in revenue],
    })


def test_segment_figures_by_hand() -> None:
    summary = _segments({"Champions": 2, "At Risk": 3, "Can't Lose Them": 1, rfm.OTHERS: 4,
                         "Lost": 10})
    figures = rfm.segment_figures(summary)
    assert figures["champions_share"] == pytest.approx(0.1)
    assert figures["champions_revenue_share"] == pytest.approx(0.1)
    assert figures["champions_recency"] == 0.0
    assert figures["at_risk_customers"] == 4
    assert figures["at_risk_revenue_share"] == pytest.approx(0.2)
    assert figures["others_share"] == pytest.approx(0.2)
    assert figures["empty_segments"] == ('"Loyal Customers", "Potential Loyalist", "New Customers", "Promising", '
                                         '"Need Attention", "About To Sleep"')


def test_segment_figures_without_empty_segments_say_none() -> None:
    everyone = {name: 1 for name, *_ in rfm.SEGMENTS} | {rfm.OTHERS: 1}
    assert rfm.segment_figures(_segments(everyone))["empty_segments"] == "none"


def test_watchlist_figures_by_hand() -> None:
    status = pd.DataFrame({
        "revenue": [100.0, 50.0, 30.0, 20.0],
        "p_alive": [0.2, 0.9, 0.4, 0.95],
        "usual_gap_days": [10.0, 20.0, None, None],
        "flagged": [True, True, True, False],
        "reason": ["both signals", "silence beyond usual gap", "P(alive) below threshold", ""],
    })
    figures = churn.watchlist_figures(status, churn.watchlist_summary(status))
    assert figures == {
        "watchlist_customers": 3, "watchlist_share": 0.75, "watchlist_revenue": 180.0,
        "watchlist_revenue_share": 0.9, "watchlist_by_p_alive": 2, "watchlist_by_p_alive_share": 0.5,
        "p_alive_min": 0.2, "repeat_customers": 2,
    }
    prefixed = churn.watchlist_figures(status, churn.watchlist_summary(status), prefix="cdnow_")
    assert prefixed == {f"cdnow_{k}": v for k, v in figures.items()}


PARAMS = BGNBDParams(r=0.24312345, alpha=4.41398765, a=0.79345678, b=2.42587654, log_likelihood=-1.0,
                     customers=3, time_unit="W")


def _summary(holdout: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"frequency": [0, 2, 5], "recency": [0.0, 10.0, 30.0], "T": [39.0, 35.0, 38.0],
                         "frequency_holdout": holdout, "duration_holdout": 13.0})


def test_model_figures_by_hand() -> None:
    summary = _summary([0, 1, 3])
    figures = bgnbd.model_figures(PARAMS, summary, pd.Timestamp("1997-09-30"), pd.Timestamp("1997-12-30"))
    predicted = bgnbd.conditional_expected_purchases(PARAMS, 13.0, summary["frequency"], summary["recency"],
                                                     summary["T"]).sum()
    assert (figures["bgnbd_r"], figures["bgnbd_alpha"], figures["bgnbd_a"], figures["bgnbd_b"]) == (
        0.2431, 4.414, 0.7935, 2.4259)
    assert figures["mean_dropout"] == round(0.79345678 / (0.79345678 + 2.42587654), 6)
    assert figures["bgnbd_customers"] == 3
    assert (figures["calibration_end"], figures["holdout_end"]) == ("30 September 1997", "30 December 1997")
    assert figures["time_unit_word"] == "weeks" and figures["holdout_length"] == 13.0
    assert figures["holdout_actual"] == 4
    assert figures["holdout_predicted"] == round(float(predicted), 1)
    assert figures["holdout_error"] == round(float(predicted) / 4 - 1, 4)
    assert figures["bgnbd_verdict"].startswith("The fit finds drop-out: after each purchase a customer leaves "
                                               "for good with probability 25% on average")
    prefixed = bgnbd.model_figures(PARAMS, summary, pd.Timestamp("1997-09-30"), pd.Timestamp("1997-12-30"),
                                   prefix="cdnow_")
    assert prefixed == {f"cdnow_{k}": v for k, v in figures.items()}


def test_model_figures_without_holdout_purchases_have_no_error() -> None:
    days = BGNBDParams(**{**PARAMS.__dict__, "time_unit": "D"})
    figures = bgnbd.model_figures(days, _summary([0, 0, 0]), pd.Timestamp("2020-01-01"), pd.Timestamp("2020-02-01"))
    assert figures["holdout_actual"] == 0 and math.isnan(figures["holdout_error"])
    assert figures["time_unit_word"] == "days"
