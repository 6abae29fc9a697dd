"""Tests of casebook.io.conversations: the twcs file, a mapped export, every encoding, one-line errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from casebook import paths
from casebook.errors import InputError
from casebook.io.conversations import (
    CONVERSATION_COLUMNS,
    TWCS_CREDIT,
    load_conversations,
    validate_conversations,
)
from casebook.io.tables import read_table
from casebook.support import replies

FIX = Path(__file__).parent / "fixtures" / "conversations"
BAD = Path(__file__).parent / "fixtures" / "bad" / "conversations"
TWCS = paths.dataset("twcs")
INBOX_MAP = {"message_id": "id", "author": "from", "inbound": "direction", "created": "sent at",
             "reply_to": "in reply to", "text": "message"}


@pytest.fixture(scope="module")
def twcs():
    return load_conversations(TWCS)


# --- the bundled file --------------------------------------------------------------------------------

def test_registry_and_checksum_match_the_readme():
    assert TWCS == paths.DATA / "twcs_customer_support" / "twcs_first5000.csv"
    digest = hashlib.sha256(TWCS.read_bytes()).hexdigest()
    assert digest == "02fe3ab3a8d27030732b6f25ef369d577ddc329fc8087ef6b25199ad0211308f"
    readme = (TWCS.parent / "README.md").read_text(encoding="utf-8")
    assert digest in readme and "CC BY-NC-SA 4.0" in readme and "NonCommercial" in readme


def test_twcs_counts_and_canonical_columns(twcs):
    msgs, report = twcs
    assert list(msgs.columns) == CONVERSATION_COLUMNS
    assert {c: str(t) for c, t in msgs.dtypes.items()} == {
        "message_id": "string", "author": "string", "inbound": "boolean", "created": "datetime64[ns]",
        "reply_to": "string", "text": "string"}
    assert len(msgs) == 5_000 and msgs["message_id"].is_unique
    assert int(msgs["inbound"].sum()) == 2_778 and int((~msgs["inbound"]).sum()) == 2_222
    assert msgs.loc[~msgs["inbound"], "author"].nunique() == 76
    assert msgs["created"].is_monotonic_increasing
    assert (report.layout, report.messages, report.inbound, report.brand_messages, report.brands) == (
        "twcs", 5_000, 2_778, 2_222, 76)
    assert report.first == pd.Timestamp("2011-08-29 03:20:05")
    assert report.last == pd.Timestamp("2017-12-03 18:52:36")


def test_twcs_ids_are_text_and_reply_links_survive(twcs):
    msgs, _ = twcs
    row = msgs.set_index("message_id").loc["1"]
    assert row["author"] == "sprintcare" and row["reply_to"] == "3"  # written 3.0 in the file
    assert row["created"] == pd.Timestamp("2017-10-31 22:10:47")  # +0000: UTC
    assert not msgs["reply_to"].dropna().str.contains(".", regex=False).any()
    assert int(msgs["reply_to"].notna().sum()) == 5_000 - 1_306


def test_the_row_with_bare_carriage_returns_stays_whole(twcs):
    """tables.read_table (any reader that ends lines at \\r) splits it: 5,001 rows; the loader keeps 5,000."""
    msgs, report = twcs
    text = msgs.set_index("message_id").loc["3399", "text"]
    assert text.startswith("@AskPayPal \r\rI just love") and "https://t.co/8u1Pf5rJoN" in text
    assert len(read_table(TWCS)[0]) == 5_001
    assert any("carriage return" in n and "row 2486" in n for n in report.notes)


def test_twcs_report_lines(twcs):
    _, report = twcs
    lines = report.lines()
    assert lines[0] == f"file: {TWCS}"
    assert "layout: Customer Support on Twitter (Kaggle twcs.csv)" in lines
    assert "format: csv; encoding: utf-8; delimiter: ','" in lines
    assert "rows read: 5,000; messages: 5,000" in lines
    assert any(line.startswith("inbound (customer) messages: 2,778; brand messages: 2,222 from 76 brand "
                               "accounts; ") for line in lines)
    assert "date range: 2011-08-29 03:20 to 2017-12-03 18:52" in lines
    assert any(line.startswith("warning: 6 messages answer a message absent from the file") for line in lines)
    assert "note: the first, unnamed column (row numbers written with the file) is ignored" in lines
    assert any("CC BY-NC-SA 4.0" in line for line in lines)
    assert report.credit == TWCS_CREDIT == replies.TWCS_CREDIT
    assert report.outside == 6 and not any("\n" in line for line in lines)


def test_canonical_columns_are_those_the_analysis_reads():
    assert CONVERSATION_COLUMNS == replies.COLUMNS


# --- small fixtures ----------------------------------------------------------------------------------

def test_small_twcs_fixture():
    msgs, report = load_conversations(FIX / "twcs_small.csv")
    assert len(msgs) == 14 and report.brands == 2 and report.inbound == 7
    assert report.outside_rows == [13]  # tweet 12 answers 99, not in the file
    assert msgs.set_index("message_id").loc["11", "text"] == "I love\rmy new phone"
    assert msgs["message_id"].tolist()[:3] == ["1", "2", "3"]
    assert report.warnings == ["1 message answers a message absent from the file (row 13): their conversations "
                               "begin outside it, and a brand reply among them cannot be timed"]
    assert report.customers == 5


def test_mapped_export_keeps_long_ids_reads_words_and_converts_offsets_to_utc():
    msgs, report = load_conversations(FIX / "mapped_inbox.csv", mapping=INBOX_MAP)
    assert report.layout == "mapping" and report.table.delimiter == ";"
    assert msgs["message_id"].tolist() == ["1055000000000000001", "1055000000000000002", "1055000000000000003"]
    assert msgs["reply_to"].isna().tolist() == [True, False, True]
    assert msgs["reply_to"].iloc[1] == "1055000000000000001"
    assert msgs["inbound"].tolist() == [True, False, True]
    assert msgs["created"].tolist()[:2] == [pd.Timestamp("2018-10-29 08:00"), pd.Timestamp("2018-10-29 08:12")]
    assert msgs["text"].iloc[0] == "Où est mon colis ?"
    assert report.credit == "Data: mapped_inbox.csv"
    assert any("converted to UTC" in n for n in report.notes)
    assert "columns: message_id <- id, author <- from, inbound <- direction, created <- sent at, " \
           "reply_to <- in reply to, text <- message" in report.lines()


def test_mapping_may_rename_twcs_columns_and_ignores_empty_entries():
    msgs, report = load_conversations(FIX / "twcs_small.csv", mapping={"text": "response_tweet_id", "reply_to": ""})
    assert report.layout == "twcs" and report.columns["text"] == "response_tweet_id"
    assert msgs.set_index("message_id").loc["4", "text"] == "5,6"


def _variants(tmp_path: Path) -> dict[str, Path]:
    src = (FIX / "twcs_small.csv").read_bytes().decode("utf-8")
    raw = pd.read_csv(FIX / "twcs_small.csv", index_col=0, lineterminator="\n", dtype=str)
    out = {
        "utf16.csv": src.encode("utf-16"),
        "crlf.csv": src.replace("\n", "\r\n").encode("utf-8"),
        "bom.csv": b"\xef\xbb\xbf" + src.encode("utf-8"),
        "latin1.csv": src.replace("my new phone", "mon téléphone").encode("latin-1"),
        "tabs.tsv": src.replace(",", "\t").encode("utf-8"),
    }
    files = {}
    for name, data in out.items():
        (tmp_path / name).write_bytes(data)
        files[name] = tmp_path / name
    raw.to_excel(tmp_path / "sheet.xlsx", index=False)
    raw.to_parquet(tmp_path / "table.parquet")
    files["sheet.xlsx"] = tmp_path / "sheet.xlsx"
    files["table.parquet"] = tmp_path / "table.parquet"
    return files


def test_every_format_and_encoding_gives_the_same_table(tmp_path: Path):
    expected, _ = load_conversations(FIX / "twcs_small.csv")
    for name, path in _variants(tmp_path).items():
        got, report = load_conversations(path)
        if name == "latin1.csv":
            got["text"] = got["text"].str.replace("mon téléphone", "my new phone")
            assert report.table.encoding == "latin-1"
        if name == "sheet.xlsx":  # Excel stores a carriage return inside a cell as a line feed
            got["text"] = got["text"].str.replace("\n", "\r")
        pd.testing.assert_frame_equal(got, expected, obj=name)


def test_schema_check_names_duplicate_rows():
    msgs, _ = load_conversations(FIX / "twcs_small.csv")
    dup = msgs.copy()
    dup.loc[3, "message_id"] = dup.loc[0, "message_id"]
    with pytest.raises(InputError, match=r"column 'tweet_id', rows 2, 5: duplicate message ids"):
        validate_conversations(dup, path="x.csv", source_columns={"message_id": "tweet_id"})


# --- bad input: one line each, naming file, column, rows and what was expected ------------------------

CORPUS = [
    ("empty.csv", ["the file is empty", "expected a header row"]),
    ("header_only.csv", ["header but no data rows", "expected at least one data row"]),
    ("missing_created_at.csv", ["column 'created_at'", "missing column", "the file has: Unnamed: 0, tweet_id",
                                "mapping={'created'"]),
    ("duplicate_ids.csv", ["column 'tweet_id'", "rows 2, 4", "duplicate message ids (1, 1)", "each message id once"]),
    ("unparseable_dates.csv", ["column 'created_at'", "row 3", "'yesterday at noon'", "expected dates like Tue Oct"]),
    ("future_dates.csv", ["column 'created_at'", "row 5", "dates after", "(2031-01-03)", "no later than"]),
    ("inbound_not_boolean.csv", ["column 'inbound'", "row 4", "'maybe'", "expected True or False"]),
    ("empty_author.csv", ["column 'author_id'", "row 3", "empty authors", "a value in every row"]),
    ("empty_ids.csv", ["column 'tweet_id'", "row 5", "empty ids", "an id in every row"]),
    ("scientific_ids.csv", ["column 'tweet_id'", "row 2", "scientific notation ('9.28E+17')", "written out in full"]),
    ("reply_to_self.csv", ["column 'in_response_to_tweet_id'", "row 5", "answer themselves ('4')",
                           "the id of another message"]),
    ("only_inbound.csv", ["column 'inbound'", "every message is a customers' (inbound) message",
                          "brand replies (False)"]),
    ("unknown_layout.csv", ["unrecognised conversation export (the file has: when, who, what)",
                            "column_mapping"]),
    ("duplicate_header.csv", ["column 'text'", "row 1", "names this column twice"]),
    ("ragged_row.csv", ["row 6", "more fields than the header", "as many fields as the header"]),
    ("utf32.csv", ["UTF-32", "expected UTF-8, UTF-16 or latin-1 text"]),
    ("zipped_download.csv", ["binary file, not a table", "expected a CSV, TSV or XLSX export"]),
]


def test_bad_corpus_is_complete():
    assert {name for name, _ in CORPUS} == {p.name for p in BAD.iterdir() if p.is_file()}
    assert len(CORPUS) >= 12


@pytest.mark.parametrize(("name", "parts"), CORPUS, ids=[n for n, _ in CORPUS])
def test_bad_files_raise_one_line_and_stay_untouched(name: str, parts: list[str]):
    path = BAD / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InputError) as err:
        load_conversations(path)
    msg = str(err.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert "\n" not in msg and msg.startswith(f"{path}: ")
    assert "; expected " in msg
    for part in parts:
        assert part in msg, (part, msg)


@pytest.mark.parametrize(
    ("mapping", "parts"),
    [
        ({"sender": "from"}, ["unknown canonical name 'sender'", "keys among message_id, author"]),
        ({**INBOX_MAP, "author": "author"}, ["column 'author'", "names a column the file does not have",
                                             "the file has: id, from, direction"]),
        ({"message_id": "id"}, ["missing columns", "'author', 'inbound', 'created'", "mapping={'author'"]),
        ({**INBOX_MAP, "inbound": "message"}, ["column 'message'", "not an inbound flag"]),
    ],
)
def test_bad_mappings_raise_one_line(mapping: dict, parts: list[str]):
    with pytest.raises(InputError) as err:
        load_conversations(FIX / "mapped_inbox.csv", mapping=mapping)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(str(FIX / "mapped_inbox.csv"))
    for part in parts:
        assert part in msg, (part, msg)


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        load_conversations(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="folder, not a file"):
        load_conversations(tmp_path)
