"""The column converters of casebook.io.post_columns (load_posts' parts), and casebook.io.convert.to_text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook.errors import InputError
from casebook.io.convert import to_text
from casebook.io.layouts import PAID_WORDS, layouts
from casebook.io.post_columns import (
    blank_missing_words,
    english_months,
    extract_pattern,
    has_description_row,
    label_column,
    paid_flags,
    read_action_sheet,
    repeated_column,
    skip_leading_rows,
    times_from_ids,
    uci_dates,
)
from casebook.io.post_report import LoadReport
from casebook.io.tables import TableInfo


def test_to_text_keeps_text_and_makes_blank_cells_missing() -> None:
    got = to_text(pd.Series(["  hello ", "", "   ", None, 12], dtype=object))
    assert str(got.dtype) == "string"
    assert got.iloc[0] == "  hello " and got.iloc[4] == "12"  # text kept as written
    assert got.iloc[1:4].isna().all()


def test_skip_leading_rows_leaves_out_the_totals_row_and_counts_it_in_the_header() -> None:
    lay = layouts()["youtube_studio"]
    cols = {"post_id": "Content"}
    report = LoadReport("export.csv", "youtube_studio", TableInfo("export.csv", "csv"))
    df = pd.DataFrame({"Content": ["Total", "abc", "def"], "Views": [30, 10, 20]})
    out, header_rows = skip_leading_rows(df, cols, lay, 1, report)
    assert out["Content"].tolist() == ["abc", "def"] and out.index.tolist() == [0, 1]
    assert header_rows == 2 and len(report.notes) == 1 and "'Content' = Total" in report.notes[0]
    same, rows = skip_leading_rows(out, cols, lay, 1, report)  # no totals row: nothing left out
    assert same is out and rows == 1 and len(report.notes) == 1


def test_english_months_rewrites_localised_month_words_only() -> None:
    words = {"sept.": "Sep", "mai": "May"}
    got = english_months(pd.Series(["28 sept. 2026", "3 MAI 2026", "maison 2026"]), words)
    assert got.tolist() == ["28 Sep 2026", "3 May 2026", "maison 2026"]
    dates = pd.Series(pd.to_datetime(["2026-09-28"]))
    assert english_months(dates, words) is dates and english_months(pd.Series(["x"]), {}).tolist() == ["x"]


def test_extract_pattern_takes_the_first_group_and_names_the_rows_without_it() -> None:
    pattern = r"/video/(\d+)"
    got = extract_pattern(pd.Series(["https://t.k/@a/video/123", None, ""]), pattern, "f.csv", "Link", 1)
    assert got.iloc[0] == "123" and got.iloc[1:].isna().all()
    with pytest.raises(InputError, match=r"^f\.csv: column 'Link', row 3: values without the expected form "
                                         r"\('nope'\); expected text matching"):
        extract_pattern(pd.Series(["/video/1", "nope"]), pattern, "f.csv", "Link", 1)


def test_times_from_ids_reads_the_top_32_bits_as_unix_seconds() -> None:
    seconds = 1_700_000_000
    got = times_from_ids(pd.Series([str(seconds << 32 | 12345)]), "f.csv", "Video ID", 1)
    assert got.iloc[0] == pd.Timestamp(seconds, unit="s")
    with pytest.raises(InputError, match=r"^f\.csv: column 'Video ID', row 2: ids that hold no time \('42'\)"):
        times_from_ids(pd.Series(["42"]), "f.csv", "Video ID", 1)


def test_has_description_row_tells_descriptions_from_numbers() -> None:
    assert has_description_row(pd.DataFrame({"Reach": ["Lifetime: the number of people", "12"]}), "Reach")
    assert not has_description_row(pd.DataFrame({"Reach": ["1 250", "12"]}), "Reach")
    assert not has_description_row(pd.DataFrame({"Reach": ["x"]}), None)
    assert not has_description_row(pd.DataFrame({"Reach": []}), "Reach")


def test_read_action_sheet_finds_the_action_type_sheet_and_drops_its_descriptions(tmp_path: Path) -> None:
    book = tmp_path / "insights.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"Post ID": ["1"], "Lifetime Post Total Reach": [10]}).to_excel(writer, sheet_name="Key Metrics", index=False)
        pd.DataFrame({"Post ID": ["", "1"], "like": ["Lifetime: likes", "7"]}).to_excel(
            writer, sheet_name="Lifetime Post Stories by act...", index=False)
    sheet = read_action_sheet(book, str(book))
    assert sheet is not None and list(sheet.columns) == ["Post ID", "like"] and sheet["like"].tolist() == ["7"]
    plain = tmp_path / "plain.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(plain, index=False)
    assert read_action_sheet(plain, str(plain)) is None
    text = tmp_path / "posts.csv"
    text.write_text("a\n1\n")
    assert read_action_sheet(text, str(text)) is None


def test_uci_dates_walk_back_from_the_last_matching_day_of_the_month() -> None:
    # 2014-12-31 is a Wednesday (UCI weekday 4); the next row, Monday (2) 10:00, is two days earlier.
    got = uci_dates(np.array([12, 12]), np.array([4, 2]), np.array([9, 10]), "f.csv",
                    {"month": "Post Month", "weekday": "Post Weekday", "hour": "Post Hour"}, 1)
    assert got.tolist() == [pd.Timestamp("2014-12-31 09:00"), pd.Timestamp("2014-12-29 10:00")]
    with pytest.raises(InputError, match=r"^f\.csv: column 'Post Month', row 3: Post Month rises down the file"):
        uci_dates(np.array([11, 12]), np.array([4, 2]), np.array([9, 10]), "f.csv",
                  {"month": "Post Month", "weekday": "Post Weekday", "hour": "Post Hour"}, 1)


def test_paid_flags_read_the_usual_words_and_the_layouts_own() -> None:
    got = paid_flags(pd.Series(["Yes", "organic", None, " BOOSTED "]), "f.csv", "Paid", 1)
    assert str(got.dtype) == "boolean" and got.tolist()[:2] == [True, False] and got.iloc[3]
    assert pd.isna(got.iloc[2])
    own = paid_flags(pd.Series(["payé"]), "f.csv", "Paid", 1, {**PAID_WORDS, "payé": True})
    assert own.tolist() == [True]
    with pytest.raises(InputError, match=r"^f\.csv: column 'Paid', row 3: unreadable paid flag \('maybe'\)"):
        paid_flags(pd.Series(["yes", "maybe"]), "f.csv", "Paid", 1)


def test_label_column_strips_renames_and_leaves_empty_labels_missing() -> None:
    got = label_column(pd.Series([" Photos ", "", "Status", None]), {"photos": "Photo"})
    assert str(got.dtype) == "string" and got.iloc[0] == "Photo" and got.iloc[2] == "Status"
    assert got.iloc[1:2].isna().all() and pd.isna(got.iloc[3])


def test_repeated_column_holds_one_value_on_every_row() -> None:
    col = repeated_column("facebook", 3)
    assert str(col.dtype) == "string" and list(col) == ["facebook"] * 3


def test_blank_missing_words_empties_the_exports_no_value_words_in_text_columns() -> None:
    df = pd.DataFrame({"Reach": ["12", " N/A ", "-"], "Likes": [1, 2, 3], "Title": ["N/A", "a", "b"]})
    out = blank_missing_words(df, ["Reach", "Likes"], ["n/a", "-"])
    assert out["Reach"].iloc[0] == "12" and out["Reach"].iloc[1:].isna().all()
    assert out["Likes"].tolist() == [1, 2, 3] and out["Title"].iloc[0] == "N/A"
    assert blank_missing_words(df, ["Title"], []) is df
