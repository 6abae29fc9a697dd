"""The survey table quotes the published share and draws no interval where the base is not published."""

import math

import pandas as pd

from casebook.io import survey as survey_io
from casebook.paths import dataset
from casebook.survey import stats as survey


def _results() -> pd.DataFrame:
    return survey.wilson_intervals(survey_io.load_survey(dataset("survey_counts")), 0.95)


def test_unpublished_base_has_no_interval_and_other_rows_keep_theirs():
    before = _results()
    after = survey.without_unsupported_intervals(before)
    row = survey.pick(after, **survey.UNPUBLISHED_BASE["ibm57"])
    assert row is not None and row["estimate"] == 0.57
    assert all(math.isnan(row[k]) for k in ("low", "high", "half_width"))
    others = after.drop(index=row.name)
    pd.testing.assert_frame_equal(others, before.drop(index=row.name))
    assert not math.isnan(survey.pick(before, **survey.UNPUBLISHED_BASE["ibm57"])["low"])  # input untouched


def test_table_quotes_the_published_percent_and_names_the_missing_base():
    table = survey.interval_table(survey.without_unsupported_intervals(_results()))
    execs = table[(table["Option"] == "Feel connected") & (table["Population"] == "executives")].iloc[0]
    assert execs["Share"] == "64%"  # 225 / 351 = 64.1% reconstructed; the source says 64%
    ibm57 = table[table["Option"] == "Free trials or discount coupons"].iloc[0]
    assert (ibm57["Share"], ibm57["Interval"], ibm57["± points"]) == ("57%", "base not published", "–")


def test_without_the_published_column_the_share_is_computed():
    df = survey.wilson_intervals(pd.DataFrame({"study": ["S"], "year": [2008], "option": ["yes"],
                                               "count": [225], "n": [351], "question": ["Q"]}))
    assert survey.interval_table(df).loc[0, "Share"] == "64.1%"
    assert survey.without_unsupported_intervals(df)["low"].notna().all()  # no such row: nothing emptied
