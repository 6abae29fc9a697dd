"""Tests of casebook.io.posts: every export layout gives the same posts; bad files give clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from casebook.errors import InputError
from casebook.io.layouts import detect_layout
from casebook.io.post_schema import validate_posts
from casebook.io.posts import CANONICAL, filter_posts, load_posts
from casebook.pages import metrics as pagemetrics
from casebook.paths import dataset

FIX = Path(__file__).parent / "fixtures" / "posts"
UCI = dataset("facebook_metrics")
MBS_HEAD = "Post ID,Publish time,Post type,Reach,Reactions,Comments,Shares\n"
CUSTOM_MAP = {"published": "date", "reach": "people_reached", "interactions": "engagements", "type": "format",
              "paid": "boosted"}


@pytest.fixture(scope="module")
def uci():
    return load_posts(UCI)


def write(tmp_path: Path, text: str, name: str = "export.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# --- the real file -------------------------------------------------------------------------------

def test_uci_loads_500_posts_with_canonical_columns(uci):
    posts, report = uci
    assert list(posts.columns) == CANONICAL
    assert len(posts) == 500 and posts["post_id"].is_unique
    assert str(posts["published"].dtype) == "datetime64[ns]"
    assert posts["published"].is_monotonic_increasing
    assert report.layout == "uci" and report.delimiter == ";" and report.encoding == "utf-8"
    assert report.decimal == "."


def test_uci_dates_reconstructed_and_consistent_with_month_weekday_hour(uci):
    posts, report = uci
    raw = pd.read_csv(UCI, sep=";")
    pos = len(raw) - posts["post_id"].str[4:].astype(int)  # uci-0001 is the last row of the file
    src = raw.iloc[pos].reset_index(drop=True)
    assert (posts["published"].dt.month.to_numpy() == src["Post Month"].to_numpy()).all()
    assert (posts["published"].dt.hour.to_numpy() == src["Post Hour"].to_numpy()).all()
    # UCI weekday 1 = Sunday; pandas Monday = 0.
    assert (((posts["published"].dt.day_of_week + 1) % 7 + 1).to_numpy() == src["Post Weekday"].to_numpy()).all()
    assert (posts["reach"].to_numpy() == src["Lifetime Post Total Reach"].to_numpy()).all()
    # Newest post: the file's first row, month 12, weekday 4 (Wednesday), hour 3 -> 31 Dec 2014 03:00.
    assert posts["published"].max() == pd.Timestamp("2014-12-31 03:00")
    assert posts["published"].min() == pd.Timestamp("2014-01-15 04:00")
    assert report.dates_reconstructed
    text = "\n".join(report.lines())
    assert "dates reconstructed" in text and "500 of the paper's 790 posts" in text


def test_uci_missing_values_reported_and_handled(uci):
    posts, report = uci
    missing = {m.column: m.rows for m in report.missing}
    assert missing == {"like": [113], "share": [113, 122, 126, 166], "Paid": [501]}
    assert posts["likes"].isna().sum() == 1 and posts["shares"].isna().sum() == 4
    assert posts["paid"].isna().sum() == 1
    # Total Interactions is kept as the file gives it (it counts the empty cells as 0).
    assert posts["interactions"].sum() == pd.read_csv(UCI, sep=";")["Total Interactions"].sum()
    lines = report.lines()
    assert any(ln.startswith("missing values: Paid: 1 empty cell (row 501)") for ln in lines)


def test_uci_categories_are_labelled(uci):
    posts, _ = uci
    assert posts["category"].value_counts().to_dict() == {"action": 215, "inspiration": 155, "product": 130}


def test_uci_post_ids_are_stable(uci):
    posts, _ = uci
    again, _ = load_posts(UCI)
    assert posts["post_id"].tolist() == again["post_id"].tolist()
    oldest = posts.loc[posts["post_id"] == "uci-0001"].iloc[0]
    assert oldest["reach"] == 4188 and oldest["page_likes"] == 81370  # the last row of the file


# --- every layout gives the same figures ----------------------------------------------------------

SAME = ["insights_post_data.csv", "insights_post_data.xlsx", "mbs_facebook_posts.csv",
        "mbs_facebook_latin1_semicolon.csv", "mbs_facebook_utf16.tsv"]


@pytest.mark.parametrize("name", SAME)
def test_layouts_give_the_uci_figures(uci, name):
    posts, _ = uci
    other, report = load_posts(FIX / name)
    assert report.layout in ("insights", "mbs_facebook")
    if report.layout == "mbs_facebook":  # an empty Funded content status is an organic post: no unknown flag
        posts = posts.assign(paid=posts["paid"].fillna(False))
    assert pagemetrics.chapter_figures(other) == pagemetrics.chapter_figures(posts)
    for col in ("published", "reach", "impressions", "comments", "likes", "shares", "interactions", "paid"):
        pd.testing.assert_series_equal(other[col], posts[col], check_names=False)


def test_layout_reports_sniffed_format():
    _, latin = load_posts(FIX / "mbs_facebook_latin1_semicolon.csv")
    assert (latin.encoding, latin.delimiter, latin.decimal) == ("latin-1", ";", ",")
    _, bom = load_posts(FIX / "mbs_facebook_posts.csv")
    assert bom.encoding == "utf-8-sig"
    _, utf16 = load_posts(FIX / "mbs_facebook_utf16.tsv")
    assert (utf16.encoding, utf16.delimiter) == ("utf-16", "\t")
    _, ins = load_posts(FIX / "insights_post_data.csv")
    assert "row 2 holds the export's metric descriptions and was skipped" in ins.notes


def test_instagram_variant(uci):
    posts, _ = uci
    ig, report = load_posts(FIX / "mbs_instagram_posts.csv")
    assert report.layout == "mbs_instagram"
    fig, ref = pagemetrics.chapter_figures(ig), pagemetrics.chapter_figures(posts)
    for k in ("posts_total", "posts_per_week", "engagement_rate_median"):
        assert fig[k] == ref[k]
    assert pd.isna(fig["paid_share"]) and fig["top_post_type"] == "Photo"  # "IG image" in the export
    assert "paid" in report.absent


def test_custom_file_through_mapping(uci):
    posts, _ = uci
    custom, report = load_posts(FIX / "custom_posts.csv", mapping=CUSTOM_MAP)
    assert report.layout == "mapping"
    assert pagemetrics.chapter_figures(custom) == pagemetrics.chapter_figures(posts)
    assert custom["post_id"].iloc[0].startswith("row-")


def test_mapping_overrides_detected_layout(tmp_path):
    p = write(tmp_path, MBS_HEAD.strip() + ",Theme\n1,01/02/2014 10:00,Photos,100,5,1,0,promo\n")
    posts, _ = load_posts(p, mapping={"category": "Theme"})
    assert posts["category"].iloc[0] == "promo" and posts["type"].iloc[0] == "Photo"


def test_formula_text_stays_text(uci):
    posts, _ = load_posts(FIX / "mbs_facebook_posts.csv")
    assert posts["message"].iloc[7] == '=HYPERLINK("https://example.com/shop","Shop now")'
    xl, _ = load_posts(FIX / "insights_post_data.xlsx")
    assert xl["message"].iloc[7] == posts["message"].iloc[7]
    latin, _ = load_posts(FIX / "mbs_facebook_latin1_semicolon.csv")
    assert latin["message"].iloc[1] == "Fête des mères (post 2)"


def test_since_until_filter(uci):
    posts, _ = uci
    dec, report = load_posts(UCI, since="2014-12-01", until="2014-12-31")
    assert len(dec) == (posts["published"].dt.month == 12).sum() == 50
    assert report.filtered_out == 450 and report.posts == 50
    assert len(filter_posts(posts, until="2014-01-15")) == (posts["published"] < "2014-01-16").sum()


def test_detect_layout():
    assert detect_layout(["Page total likes", "Post Month", "Post Weekday", "Post Hour"]) == "uci"
    assert detect_layout(["Post ID", "Posted", "Lifetime Post Total Reach"]) == "insights"
    assert detect_layout(["\ufeffPOST ID", "Publish  Time", "Reach"]) == "mbs_facebook"
    assert detect_layout(["Post ID", "Account ID", "Publish time", "Reach"]) == "mbs_instagram"
    assert detect_layout(["date", "reach"]) is None


def test_mbs_date_is_month_first(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,03/04/2014 10:00,Photos,100,5,1,0\n")
    posts, report = load_posts(p)
    assert posts["published"].iloc[0] == pd.Timestamp("2014-03-04 10:00")
    assert report.absent == ["category", "paid", "impressions", "engaged_users", "page_likes", "message"]


# --- malformed input: one-line errors naming file, column, rows and expectation -------------------

def raises(path: Path, *parts: str, **kw) -> str:
    with pytest.raises(InputError) as exc:
        load_posts(path, **kw)
    msg = str(exc.value)
    assert "\n" not in msg
    assert str(path) in msg
    for part in parts:
        assert part in msg, msg
    return msg


def test_error_empty_file(tmp_path):
    raises(write(tmp_path, ""), "the file is empty", "expected a header row")


def test_error_header_only(tmp_path):
    raises(write(tmp_path, MBS_HEAD), "header but no data rows", "expected at least one data row")


def test_error_missing_required_column(tmp_path):
    p = write(tmp_path, "Post ID,Publish time,Post type,Reactions,Comments,Shares\n1,01/02/2014 10:00,Photos,5,1,0\n")
    raises(p, "column 'Reach'", "missing column", "the file has: Post ID", "expected", "column for reach")


def test_error_text_in_count_column(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,100,5,1,0\n2,01/03/2014 10:00,Photos,lots,5,1,0\n")
    raises(p, "column 'Reach'", "row 3", "text where a number was expected ('lots')", "expected numbers only")


def test_error_negative_counts(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,100,5,-3,0\n2,01/03/2014 10:00,Photos,100,5,1,0\n"
              "3,01/04/2014 10:00,Photos,100,5,-1,0\n")
    raises(p, "column 'Comments'", "rows 2, 4", "negative counts", "expected counts of 0 or more")


def test_error_duplicate_post_ids(tmp_path):
    p = write(tmp_path, MBS_HEAD + "7,01/02/2014 10:00,Photos,100,5,1,0\n8,01/03/2014 10:00,Photos,100,5,1,0\n"
              "7,01/04/2014 10:00,Photos,100,5,1,0\n")
    raises(p, "column 'Post ID'", "rows 2, 4", "duplicate post ids (7, 7)", "expected each post id once")


def test_error_dates_do_not_parse(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,100,5,1,0\n2,yesterday,Photos,100,5,1,0\n")
    raises(p, "column 'Publish time'", "row 3", "dates that do not parse ('yesterday')", "expected dates like")


def test_error_dates_in_the_future(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,100,5,1,0\n2,01/02/2099 10:00,Photos,100,5,1,0\n")
    raises(p, "column 'Publish time'", "row 3", "dates after 2026-11-23", "expected")


def test_error_empty_date(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,100,5,1,0\n2,,Photos,100,5,1,0\n")
    raises(p, "column 'Publish time'", "row 3", "empty dates", "expected a date in every row")


def test_error_unknown_layout_without_mapping(tmp_path):
    p = write(tmp_path, "when,seen,clicks\n2014-01-02,100,5\n")
    raises(p, "unrecognised post export", "the file has: when, seen, clicks", "expected", "mapping=")


def test_error_mapping_names_absent_column(tmp_path):
    p = write(tmp_path, "when,seen,clicks\n2014-01-02,100,5\n")
    raises(p, "column 'engagements'", "does not have", "expected a column of the file for interactions",
           mapping={"published": "when", "reach": "seen", "interactions": "engagements"})


def test_error_mapping_unknown_canonical_name(tmp_path):
    p = write(tmp_path, "when,seen,clicks\n2014-01-02,100,5\n")
    raises(p, "unknown canonical name 'clicks'", "expected keys among post_id",
           mapping={"published": "when", "reach": "seen", "clicks": "clicks"})


def test_error_mapping_missing_interactions(tmp_path):
    p = write(tmp_path, "when,seen,clicks\n2014-01-02,100,5\n")
    raises(p, "missing column", "column for likes", mapping={"published": "when", "reach": "seen"})


def test_error_uci_rows_not_newest_first(tmp_path):
    head = UCI.read_text().splitlines()[0]
    rows = ["81370;Photo;2;1;4;3;0;100;200;10;5;5;1;1;1;1;2;3;6", "81370;Photo;2;2;4;3;0;100;200;10;5;5;1;1;1;1;2;3;6"]
    p = write(tmp_path, "\n".join([head, *rows]) + "\n")
    raises(p, "column 'Post Month'", "row 3", "rises down the file", "expected rows newest first")


def test_error_uci_weekday_out_of_range(tmp_path):
    head = UCI.read_text().splitlines()[0]
    p = write(tmp_path, head + "\n81370;Photo;2;1;9;3;0;100;200;10;5;5;1;1;1;1;2;3;6\n")
    raises(p, "column 'Post Weekday'", "row 2", "value out of range", "expected 1 (Sunday) to 7 (Saturday)")


def test_error_uci_more_days_than_month(tmp_path):
    head = UCI.read_text().splitlines()[0]
    # 36 February posts on 36 different days (weekday steps back one day each row) cannot fit.
    rows = [f"81370;Photo;2;2;{7 - i % 7};3;0;100;200;10;5;5;1;1;1;1;2;3;6" for i in range(36)]
    p = write(tmp_path, "\n".join([head, *rows]) + "\n")
    raises(p, "column 'Post Month'", "more distinct posting days than the month holds", "2014")


def test_error_uci_unknown_category(tmp_path):
    head = UCI.read_text().splitlines()[0]
    p = write(tmp_path, head + "\n81370;Photo;7;1;4;3;0;100;200;10;5;5;1;1;1;1;2;3;6\n")
    raises(p, "column 'Category'", "row 2", "unknown category code", "expected 1 (action), 2 (product)")


def test_error_unreadable_paid_flag(tmp_path):
    head = MBS_HEAD.strip() + ",Funded content status\n"
    p = write(tmp_path, head + "1,01/02/2014 10:00,Photos,100,5,1,0,Boosted\n2,01/03/2014 10:00,Photos,100,5,1,0,maybe\n")
    raises(p, "column 'Funded content status'", "row 3", "unreadable paid flag ('maybe')", "expected 1/0")


def test_error_empty_post_id(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,100,5,1,0\n,01/03/2014 10:00,Photos,100,5,1,0\n")
    raises(p, "column 'Post ID'", "row 3", "empty post ids", "expected a post id in every row")


def test_error_fractional_count(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,100,2.5,1,0\n")
    raises(p, "column 'Reactions'", "row 2", "fractional values in a count", "expected whole numbers")


def test_error_empty_required_count(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,,5,1,0\n")
    raises(p, "column 'Reach'", "row 2", "empty cells", "expected a number in every row")


def test_error_binary_garbage(tmp_path):
    p = tmp_path / "export.csv"
    p.write_bytes(bytes(range(256)) * 4)
    raises(p, "binary file", "expected a CSV, TSV or XLSX export")


def test_error_insights_rows_counted_after_description_row(tmp_path):
    text = ("Post ID,Posted,Lifetime Post Total Reach,like,comment,share\n"
            ",,Lifetime: The number of people who saw your Page post,,,\n"
            "1,2014-01-02 10:00,100,1,1,1\n2,2014-01-03 10:00,-5,1,1,1\n")
    raises(write(tmp_path, text), "column 'Lifetime Post Total Reach'", "row 4", "negative counts")


def test_validate_posts_rejects_duplicate_ids_directly(uci):
    posts, _ = uci
    bad = pd.concat([posts.head(2), posts.head(1)], ignore_index=True)
    with pytest.raises(InputError, match=r"x.csv: column 'post_id', rows 2, 4: duplicate post ids"):
        validate_posts(bad, path="x.csv")


@pytest.mark.parametrize(("ids", "once"), [
    (["7", "12", "7", "30"], [False, True, False, True]),  # numeric ids: compared as integers
    (["007", "7", "70"], [True, True, True]),  # leading zero: "007" is not "7", so compared as text
    (["123_456", "123_457", "123_456"], [False, True, False]),  # page_post ids: text
    (["18446744073709551616", "1", "1"], [True, False, False]),  # beyond 64 bits: text
])
def test_once_marks_every_occurrence_of_a_repeated_id(ids, once):
    from casebook.io.post_schema import unique_ids as _once

    got = _once(pd.Series(ids, dtype="string", index=[10 + i for i in range(len(ids))]))
    assert got.tolist() == once
    assert got.index.tolist() == [10 + i for i in range(len(ids))]


def test_missing_and_nullable_int_columns():
    from casebook.io.post_columns import missing_column, nullable_int

    for dtype in ("Int64", "boolean", "string"):
        col = missing_column(3, dtype)
        assert str(col.dtype) == dtype and len(col) == 3 and pd.isna(col).all()
    ints = nullable_int(pd.Series([1, 2, 3]))
    assert ints.dtype == "Int64" and ints.tolist() == [1, 2, 3]
    floats = nullable_int(pd.Series([1.0, float("nan"), 2.9999999999]))
    assert floats.dtype == "Int64" and floats[0] == 1 and pd.isna(floats[1]) and floats[2] == 3


def test_once_accepts_ids_in_strict_order_and_still_catches_a_repeat_among_them():
    from casebook.io.post_schema import unique_ids as _once

    rising = pd.Series([f"id-{i:03d}" for i in range(50)], dtype="string")
    assert _once(rising).all() and _once(rising[::-1].reset_index(drop=True)).all()
    repeat = pd.Series(["a", "b", "b", "c"], dtype="string")  # sorted but not strictly: compared in full
    assert _once(repeat).tolist() == [True, False, False, True]


def test_ids_keep_whole_numbers_as_written_and_strip_text():
    from casebook.io.post_columns import post_ids

    assert post_ids(pd.Series([10000000001, 7])).tolist() == ["10000000001", "7"]
    got = post_ids(pd.Series([" 12_34 ", "  ", None], dtype=object))
    assert got.iloc[0] == "12_34" and got.iloc[1:].isna().all()


# --- issue 17: wrong numbers with exit 0 -----------------------------------------------------------

def test_quoted_thousands_in_counts_keep_their_size(tmp_path):
    p = write(tmp_path, MBS_HEAD + '1,01/02/2014 10:00,Photos,"12,500",5,1,"1,234"\n')
    posts, _ = load_posts(p)
    assert (posts["reach"].iloc[0], posts["shares"].iloc[0]) == (12500, 1234)
    p = write(tmp_path, MBS_HEAD + '1,01/02/2014 10:00,Photos,100,5,1,"1,2"\n')
    raises(p, "column 'Shares'", "row 2", "ambiguous numbers ('1,2')", "expected 1250.5 or 1,250.5")


def test_infinite_reach_is_refused(tmp_path):
    p = write(tmp_path, MBS_HEAD + "1,01/02/2014 10:00,Photos,1e309,5,1,0\n")
    raises(p, "column 'Reach'", "row 2", "infinite or overflowing numbers")


def test_posting_hours_stay_local_when_timestamps_carry_offsets(tmp_path):
    p = write(tmp_path, "date,reach,engagements\n2014-03-29T20:00:00+01:00,100,5\n2014-03-31T20:00:00+02:00,100,5\n")
    posts, _ = load_posts(p, mapping={"published": "date", "reach": "reach", "interactions": "engagements"})
    assert posts["published"].dt.hour.tolist() == [20, 20]
    p = write(tmp_path, "date,reach,engagements\n2014-03-29T20:00:00+01:00,100,5\n2014-03-31 20:00,100,5\n"
              "2014-04-01T20:00:00+02:00,100,5\n")
    raises(p, "column 'date'", "row 3", "timestamps with and without a UTC offset",
           mapping={"published": "date", "reach": "reach", "interactions": "engagements"})


def test_repeated_column_names_are_refused(tmp_path):
    p = write(tmp_path, "Post ID,Publish time,Post type,Reach,Reactions,Comments,Shares,Reach\n"
              "1,01/02/2014 10:00,Photos,100,5,1,0,200\n")
    raises(p, "column 'Reach'", "row 1", "the header names this column twice")


@pytest.mark.parametrize(("since", "until"), [("2030-01-01", None), (None, "1990-01-01"), ("2014-06-01", "2014-05-01")])
def test_a_window_that_leaves_no_post_is_one_clear_line(since, until) -> None:
    from casebook.errors import ParameterError

    with pytest.raises(ParameterError, match=r"leave no post of .*; expected days within its posts, 2014-01-15 to 2014-12-31"):
        load_posts(dataset("facebook_metrics"), since=since, until=until)


def test_the_first_validation_imports_no_backend() -> None:
    """pandera's pandas backend (with its strategies, and hypothesis) is registered when the schema module
    is imported, so loading the first export does not import it (checked in a fresh interpreter)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from casebook.io.posts import load_posts\n"
        "from casebook.paths import dataset\n"
        "before = set(sys.modules)\n"
        "load_posts(dataset('facebook_metrics'))\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(('hypothesis', 'pandera.backends.pandas', 'pandera.strategies'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
