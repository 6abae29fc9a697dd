"""The survey chapter's figures dicts (casebook.survey.stats), on small tables worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from casebook.io import survey as survey_io
from casebook.paths import dataset
from casebook.survey import stats as survey


def _ibm(population: bool = True) -> pd.DataFrame:
    df = pd.DataFrame({
        "study": ["IBM Social CRM"] * 4, "year": 2011, "question": "why",
        "population": ["consumers", "executives", "consumers", "consumers"],
        "option": ["Feel connected", "Feel connected", "Discounts", "Do not engage at all"],
        "count": [22, 57, 61, 23], "n": 100,
    })
    return survey.wilson_intervals(df if population else df.drop(columns="population"))


def test_quoted_figures_name_each_key_of_each_row_and_nan_when_absent() -> None:
    results = _ibm()
    quoted = {"disc": {"study": "IBM", "year": 2011, "option": "Discounts"},
              "gone": {"study": "IBM", "year": 2009, "option": "Discounts"}}
    figures = survey.quoted_figures(results, quoted, ("estimate", "n"))
    assert list(figures) == ["disc_estimate", "disc_n", "gone_estimate", "gone_n"]
    assert (figures["disc_estimate"], figures["disc_n"]) == (0.61, 100)
    assert math.isnan(figures["gone_estimate"]) and math.isnan(figures["gone_n"])


def test_interval_figures_on_the_bundled_counts() -> None:
    results = survey.wilson_intervals(survey_io.load_survey(dataset("survey_counts")), 0.9)
    figures = survey.interval_figures(results, 0.9)
    assert figures["mck2008_satisfied_n"] == 1988
    assert figures["mck2008_satisfied_estimate"] == pytest.approx(417 / 1988)
    assert figures["mck2008_satisfied_low"] < figures["mck2008_satisfied_estimate"] < figures["mck2008_satisfied_high"]
    assert {f"{name}_{key}" for name in survey.QUOTED for key in ("estimate", "low", "high", "n")} < set(figures)
    assert figures["confidence_pct"] == pytest.approx(90)
    assert figures["studies"] == len(results[["study", "year"]].drop_duplicates())
    assert figures["widest_points"] == pytest.approx(100 * results["half_width"].max())


def test_perception_figures_by_hand() -> None:
    results = _ibm()
    figures = survey.perception_figures(results, survey.perception_gap(results))
    assert figures == pytest.approx({"gap_points": 35.0, "ibm_discounts": 0.61, "ibm_no_engagement": 0.23})


def test_perception_figures_without_populations_have_no_gap() -> None:
    results = _ibm(population=False)
    figures = survey.perception_figures(results, survey.perception_gap(results))
    assert math.isnan(figures["gap_points"])
    assert figures["ibm_discounts"] == 0.61  # the one "Discounts" row, whoever was asked
    assert math.isnan(survey.perception_figures(results.iloc[:2], survey.perception_gap(results))["ibm_discounts"])
