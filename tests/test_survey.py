from pathlib import Path

import pandas as pd
import pytest

from casebook.errors import InputError, ParameterError
from casebook.io import survey as survey_io
from casebook.paths import dataset
from casebook.survey import stats as survey

FIXTURES = Path(__file__).parent / "fixtures" / "survey"

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
    df = survey_io.load_survey(dataset("survey_counts"))
    assert len(df) == 11
    assert (df["count"] == (df["percent_reported"] / 100 * df["n"]).round()).all()
    row = survey.pick(df, study="McKinsey", year=2008, option="Satisfied overall")
    assert row["n"] == 1988 and row["count"] == 417


def test_malformed_survey_rejected_with_column_and_row(write):
    path = write("s.csv", HEADER + "A,2008,Q,yes,10,100\nA,2008,Q,no,lots,100\n")
    with pytest.raises(InputError) as err:
        survey_io.load_survey(path)
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
        survey_io.load_survey(write("s.csv", HEADER + body))


def test_missing_column_named(write):
    with pytest.raises(InputError, match="column 'n': missing column"):
        survey_io.load_survey(write("s.csv", "study,year,question,option,count\nA,2008,Q,yes,1\n"))


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
    empty = survey.perception_gap(df.drop(columns="population"))  # the column is optional: no gap, no error
    assert empty.empty and list(empty.columns) == ["study", "year", "question", "option", "consumers",
                                                   "executives", "gap"]


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


# --- issue 17: wrong numbers with exit 0 -----------------------------------------------------------

@pytest.mark.parametrize(
    ("year", "message"),
    [("-5000", r"column 'year', row 2: values below 1900 \(-5000\); expected numbers of at least 1900"),
     ("1899", "values below 1900"),
     ("2027", r"values above 2026 \(2027\); expected numbers of at most 2026"),
     ("1e309", "infinite or overflowing numbers")],
)
def test_survey_years_lie_between_1900_and_the_book_today(write, year, message):
    with pytest.raises(InputError, match=message):
        survey_io.load_survey(write("s.csv", HEADER + f"A,{year},Q,yes,1,100\n"))


def test_survey_year_limit_follows_the_clock(write, monkeypatch):
    monkeypatch.setenv("CASEBOOK_TODAY", "2030-01-01")
    assert survey_io.load_survey(write("s.csv", HEADER + "A,2029,Q,yes,1,100\n"))["year"].tolist() == [2029]


def test_a_40_digit_count_is_refused_not_turned_negative(write):
    digits = "1" * 40
    with pytest.raises(InputError, match=r"column 'n', row 2: counts too large to be held exactly"):
        survey_io.load_survey(write("s.csv", HEADER + f"A,2008,Q,yes,1,{digits}\n"))
    with pytest.raises(InputError, match=r"column 'count', row 2: counts too large"):
        survey_io.load_survey(write("s.csv", HEADER + f"A,2008,Q,yes,{digits},100\n"))


def test_survey_counts_with_thousands_separators(write):
    df = survey_io.load_survey(write("s.csv", HEADER + 'A,2008,Q,yes,"1,250","4,000"\n'))
    assert (df["count"].iloc[0], df["n"].iloc[0]) == (1250, 4000)
    semicolon = write("t.csv", HEADER.replace(",", ";") + "A;2008;Q;yes;1.250;4.000\nA;2008;Q;no;2,5;4.000\n")
    with pytest.raises(InputError, match=r"column 'count', row 3: fractional values in a count \('2,5'\)"):
        survey_io.load_survey(semicolon)  # a decimal comma file: 1.250 is 1250, and 2,5 is not a count


def test_the_chapter_runs_on_another_study_set():
    """The survey chapter's calls on a valid file without the book's studies: empty tables and NaN, no error."""
    counts = survey_io.load_survey(FIXTURES / "other_brand.csv")
    assert len(counts) == 4 and 2008 not in set(counts["year"]) and "population" not in counts.columns
    assert counts["n"].tolist() == [480, 480, 480, 1720]  # "1,720" is one thousand seven hundred and twenty
    results = survey.wilson_intervals(counts, 0.95)
    assert survey.perception_gap(results).empty
    ex = survey.wilson_intervals(survey.rows(counts, study="McKinsey", year=2008), 0.90)
    assert ex.empty
    values = survey.picked(ex, ("low", "high"), study="McKinsey", year=2008, option="Satisfied overall")
    assert all(pd.isna(v) for v in values.values())
    row = survey.picked(results, ("estimate", "n"), study="Acme web", year=2021, option="Yes")
    assert row["n"] == 1720 and row["estimate"] == pytest.approx(1034 / 1720)
    assert survey.label(results).iloc[0] == "Offers and discounts (Acme 2019)"


def test_numeric_labels_are_read_as_text(write):
    df = survey_io.load_survey(write("s.csv", HEADER + "2020,2020,7,1,5,10\n"))
    assert survey.pick(df, study="2020", year=2020, option="1")["count"] == 5
