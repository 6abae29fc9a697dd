import pandas as pd
import pytest

from casebook import survey
from casebook.errors import InputError, ParameterError
from casebook.paths import dataset

HEADER = "study,year,question,option,count,n\n"


def test_wilson_matches_known_bounds():
    # Brown, Cai & DasGupta (2001) style check: 0 successes of 10 at 95% -> [0, 0.2775];
    # 21% of 1,988 (417) -> [0.1924, 0.2282] (Wilson, z = 1.95996).
    df = pd.DataFrame({"count": [0, 417, 5], "n": [10, 1988, 10]})
    out = survey.wilson_intervals(df, 0.95)
    assert out["low"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert out["high"].iloc[0] == pytest.approx(0.27754, abs=1e-5)
    assert out["low"].iloc[1] == pytest.approx(0.19243, abs=1e-5)
    assert out["high"].iloc[1] == pytest.approx(0.22821, abs=1e-5)
    assert out["low"].iloc[2] == pytest.approx(0.23659, abs=1e-5)
    assert out["high"].iloc[2] == pytest.approx(0.76341, abs=1e-5)
    assert out["half_width"].iloc[2] == pytest.approx((0.76341 - 0.23659) / 2, abs=1e-5)


def test_wilson_narrows_with_lower_confidence():
    df = pd.DataFrame({"count": [50], "n": [100]})
    assert survey.wilson_intervals(df, 0.9)["half_width"].iloc[0] < survey.wilson_intervals(df, 0.99)[
        "half_width"].iloc[0]


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.2, "0.95"])
def test_confidence_must_be_between_0_and_1(bad):
    with pytest.raises(ParameterError, match="between 0 and 1"):
        survey.check_confidence(bad)


def test_bundled_survey_counts_load_and_reconstruct():
    df = survey.load_survey(dataset("survey_counts"))
    assert len(df) == 11
    assert (df["count"] == (df["percent_reported"] / 100 * df["n"]).round()).all()
    row = survey.pick(df, study="McKinsey", year=2008, option="Satisfied overall")
    assert row["n"] == 1988 and row["count"] == 417


def test_malformed_survey_rejected_with_column_and_row(write):
    path = write("s.csv", HEADER + "A,2008,Q,yes,10,100\nA,2008,Q,no,lots,100\n")
    with pytest.raises(InputError) as err:
        survey.load_survey(path)
    assert str(err.value) == (f"{path}: column 'count', row 3: text where a number was expected ('lots'); "
                              "expected numbers only")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("A,2008,Q,yes,120,100\n", "column 'count', row 2: count larger than the sample size n"),
        ("A,2008,Q,yes,-1,100\n", "column 'count', row 2: values below 0"),
        ("A,2008,Q,yes,1,0\n", "column 'n', row 2: values below 1"),
        ("A,2008,Q,yes,1,100\nA,2008,Q,yes,2,100\n", "column 'option', row 3: the same study"),
        ("A,2008,,yes,1,100\n", "column 'question', row 2: empty cells"),
        ("", "header but no data rows"),
    ],
)
def test_survey_checks(write, body, message):
    with pytest.raises(InputError, match=message):
        survey.load_survey(write("s.csv", HEADER + body))


def test_missing_column_named(write):
    with pytest.raises(InputError, match="column 'n': missing column"):
        survey.load_survey(write("s.csv", "study,year,question,option,count\nA,2008,Q,yes,1\n"))


def test_perception_gap_pairs_populations():
    df = pd.DataFrame({
        "study": ["S"] * 4, "year": [2011] * 4, "question": ["Q"] * 4,
        "option": ["connected", "connected", "discounts", "other"],
        "population": ["consumers", "executives", "consumers", "executives"],
        "estimate": [0.33, 0.64, 0.61, 0.2],
    })
    gap = survey.perception_gap(df).set_index("option")
    assert gap.loc["connected", "gap"] == pytest.approx(0.31)
    assert pd.isna(gap.loc["discounts", "gap"]) and gap.loc["discounts", "consumers"] == 0.61
    with pytest.raises(ParameterError):
        survey.perception_gap(df.drop(columns="population"))


def test_sample_size_for():
    assert survey.sample_size_for(0.05, 0.95) == 385
    assert survey.sample_size_for(0.03, 0.95) == 1068
    with pytest.raises(ParameterError):
        survey.sample_size_for(0.7)


def test_interval_table_and_label():
    df = survey.wilson_intervals(pd.DataFrame({"study": ["S"], "year": [2008], "option": ["yes"],
                                               "count": [21], "n": [100], "question": ["Q"]}))
    table = survey.interval_table(df)
    assert table.loc[0, "Share"] == "21.0%" and table.loc[0, "Interval"].startswith("14.")
    assert survey.label(df).iloc[0] == "yes (S 2008)"
    assert survey.pick(df, study="S", year=2009, option="yes") is None
