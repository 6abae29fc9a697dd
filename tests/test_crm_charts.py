"""CRM chapter charts: they embed the aggregated table they are given, and say what they show."""

from __future__ import annotations

import pandas as pd

from casebook.charts import tooltip_problems
from casebook.crm import charts as crm_charts
from casebook.crm import readiness


def _values(chart) -> list[dict]:
    spec = chart.to_dict()
    assert tooltip_problems(spec) == []  # every hovered value titled and formatted for readers
    datasets = spec.get("datasets", {})
    return [row for rows in datasets.values() for row in rows]


def test_readiness_chart_has_one_row_per_question() -> None:
    card = readiness.scorecard()
    chart = crm_charts.readiness_chart(card.table, "Readiness: X", "illustration")
    rows = _values(chart)
    assert len(rows) == 7
    assert {r["label"]: r["points"] for r in rows}["objectives"] == 1.5
    assert chart.to_dict()["title"] == {"text": "Readiness: X", "subtitle": "illustration"}


def test_segment_chart_two_points_per_segment() -> None:
    summary = pd.DataFrame({"segment": ["Champions", "Lost"], "customer_share": [0.2, 0.8],
                            "revenue_share": [0.9, 0.1]})
    rows = _values(crm_charts.segment_chart(summary, "Segments"))
    assert len(rows) == 4
    assert {(r["segment"], r["measure"]): r["share"] for r in rows}[("Champions", "share of revenue")] == 0.9


def test_tracking_and_holdout_charts_are_aggregated() -> None:
    track = pd.DataFrame({"period_end": pd.date_range("2020-01-07", periods=3, freq="7D"),
                          "actual": [1, 3, 6], "predicted": [1.5, 3.0, 5.0], "phase": ["calibration"] * 3})
    rows = _values(crm_charts.tracking_chart(track, pd.Timestamp("2020-01-14"), "Tracking"))
    assert len(rows) == 6 + 1  # two series of three periods, plus the calibration marker
    check = pd.DataFrame({"frequency": [0, 1], "customers": [10, 5], "actual": [0.2, 0.9],
                          "predicted": [0.25, 0.8], "frequency_label": ["0", "1"]})
    rows = _values(crm_charts.holdout_chart(check, "Holdout"))
    assert sorted(r["purchases"] for r in rows) == [0.2, 0.25, 0.8, 0.9]


def test_silence_chart_colours_bands_beyond_usual_gap() -> None:
    dist = pd.DataFrame({"band": ["0–1", "1+"], "customers": [5, 2], "revenue": [10.0, 4.0],
                         "beyond_usual_gap": [False, True]})
    rows = _values(crm_charts.silence_chart(dist, "Silence"))
    assert {r["band"]: r["status"] for r in rows} == {"0–1": "within it", "1+": "beyond the usual gap"}


def test_p_alive_chart_one_bar_per_band_below_the_threshold_in_warning() -> None:
    dist = pd.DataFrame({"band_start": [0.0, 0.5], "band_end": [0.5, 1.0], "customers": [3, 7],
                         "revenue": [30.0, 70.0]})
    rows = _values(crm_charts.p_alive_chart(dist, 0.5, "P(alive), CDNOW sample"))
    assert {r["band"]: (r["customers"], r["status"]) for r in rows} == {
        "0.00–0.50": (3, "below the threshold"), "0.50–1.00": (7, "at or above it")}
