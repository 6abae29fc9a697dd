import codecs

import pandas as pd
import pytest

from casebook.errors import InputError
from casebook.io.convert import to_datetime, to_number
from casebook.io.tables import (
    read_table,
    require_columns,
    require_rows,
    require_unique,
    sniff_decimal,
    sniff_delimiter,
    sniff_encoding,
)


def test_sniff_encoding():
    assert sniff_encoding(codecs.BOM_UTF8 + b"a,b\n", "f") == "utf-8-sig"
    assert sniff_encoding("a,b\n".encode("utf-16"), "f") == "utf-16"
    assert sniff_encoding("é;b\n".encode(), "f") == "utf-8"
    assert sniff_encoding("é;b\n".encode("latin-1"), "f") == "latin-1"
    with pytest.raises(InputError, match="binary file"):
        sniff_encoding(b"\x89PNG\x00\x01\x02\xff\x00\x00\x10", "img.csv")


def test_sniff_delimiter_and_decimal():
    assert sniff_delimiter("a;b;c\n1;2;3\n", "f") == ";"
    assert sniff_delimiter("a\tb\n1\t2\n", "f") == "\t"
    assert sniff_delimiter("a,b\n1,2\n", "f") == ","
    assert sniff_decimal("a;b\n1,5;2\n", ";") == ","
    assert sniff_decimal("a;b\n1.5;2\n", ";") == "."
    assert sniff_decimal("a,b\n1,5\n", ",") == "."


@pytest.mark.parametrize(
    ("content", "encoding"),
    [("a;b\n1,5;x\n", "latin-1"), ("a;b\n1,5;é\n", "utf-8-sig"), ("a;b\n1,5;é\n", "utf-16")],
)
def test_read_table_sniffs_layouts(write, content, encoding):
    path = write("t.csv", content, encoding=encoding)
    df, info = read_table(path)
    assert list(df.columns) == ["a", "b"]
    assert df["a"].iloc[0] == 1.5
    assert info.delimiter == ";" and info.decimal == "," and info.rows == 1
    assert "decimal comma" in info.describe()


def test_read_table_errors(write, tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_table(write("e.csv", ""))
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    with pytest.raises(InputError, match=r"row 3: a row has more fields"):
        read_table(write("r.csv", "a,b\n1,2\n1,2,3,4\n"))
    with pytest.raises(InputError, match="binary"):
        read_table(write("b.csv", b"\x00\x01\x02\x03garbage\xff\xfe\x00\x00"))


def test_read_table_skip_rows(write):
    df, info = read_table(write("d.csv", "a,b\ndescription,of b\n1,2\n"), skip_rows=[0])
    assert df["a"].tolist() == ["1"] and info.skipped_rows == [2]


def test_require_columns_and_rows():
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(InputError, match=r"f.csv: column 'b': missing column \(the file has: a\)"):
        require_columns(df, ["a", "b"], "f.csv", "counts")
    with pytest.raises(InputError, match="header but no data rows"):
        require_rows(df.iloc[:0], "f.csv")


def test_to_number_names_rows_and_values():
    s = pd.Series(["1", "2,5", "x", " 1 000 ", None])
    with pytest.raises(InputError, match=r"column 'c', row 4: text where a number was expected \('x'\)"):
        to_number(s, path="f", column="c", decimal=",")
    ok = to_number(pd.Series(["1", "2,5", " 1 000 "]), path="f", column="c", decimal=",")
    assert ok.tolist() == [1.0, 2.5, 1000.0]
    with pytest.raises(InputError, match=r"row 3: values below 0"):
        to_number(pd.Series([1, -2]), path="f", column="c", minimum=0)
    with pytest.raises(InputError, match=r"row 2: empty cells"):
        to_number(pd.Series([None, 1.0]), path="f", column="c")
    with pytest.raises(InputError, match="fractional"):
        to_number(pd.Series([1.5]), path="f", column="c", integer=True)


def test_to_datetime_formats_and_future():
    iso = to_datetime(pd.Series(["2014-01-02", "2014-03-04 10:00"]), path="f", column="d")
    assert iso.iloc[1] == pd.Timestamp("2014-03-04 10:00")
    compact = to_datetime(pd.Series(["19970101", "19970315"]), path="f", column="d")
    assert compact.iloc[1] == pd.Timestamp("1997-03-15")
    with pytest.raises(InputError, match=r"row 3: dates that do not parse \('yesterday'\)"):
        to_datetime(pd.Series(["2014-01-02", "yesterday"]), path="f", column="d")
    with pytest.raises(InputError, match="dates after 2020-01-01"):
        to_datetime(pd.Series(["2030-01-01"]), path="f", column="d", latest=pd.Timestamp("2020-01-01"))


def test_latin1_byte_after_the_sniffed_sample_falls_back(write):
    rows = "".join(f"{i};plain text\n" for i in range(30_000))
    path = write("big.csv", "id;label\n" + rows + "30000;café\n", encoding="latin-1")
    df, info = read_table(path)
    assert info.encoding == "latin-1" and df["label"].iloc[-1] == "café" and len(df) == 30_001


def test_utf8_bom_header_is_clean_on_the_fast_path(write):
    df, info = read_table(write("bom.csv", "Post ID,Reach\n1,10\n", encoding="utf-8-sig"))
    assert list(df.columns) == ["Post ID", "Reach"] and info.encoding == "utf-8-sig"


def test_to_datetime_keeps_the_wall_clock_time_written_before_an_offset():
    out = to_datetime(pd.Series(["2014-01-01T10:00:00+01:00", "2014-01-02T00:30:00Z"]), path="f", column="d")
    assert out.tolist() == [pd.Timestamp("2014-01-01 10:00"), pd.Timestamp("2014-01-02 00:30")]


def test_to_datetime_picks_the_format_that_reads_the_sample():
    out = to_datetime(pd.Series(["31/12/2014 10:00", "01/02/2014 09:00"]), path="f", column="d")
    assert out.iloc[1] == pd.Timestamp("2014-02-01 09:00")


def test_explicit_formats_read_am_pm_and_unpadded_days_and_reject_impossible_dates():
    out = to_datetime(pd.Series(["12/31/2014 01:05:00 PM", "1/2/2014 9:05:00 AM"]), path="f", column="d",
                      formats=("%m/%d/%Y %I:%M:%S %p",))
    assert out.tolist() == [pd.Timestamp("2014-12-31 13:05"), pd.Timestamp("2014-01-02 09:05")]
    with pytest.raises(InputError, match=r"row 2: dates that do not parse \('2014-13-45'\)"):
        to_datetime(pd.Series(["2014-13-45"]), path="f", column="d", formats=("%Y-%m-%d",))


def test_require_unique_names_repeats_in_file_order_or_given_rows():
    df = pd.DataFrame({"k": ["a", "b", "a", "a"], "row": [10, 11, 12, 13]})
    with pytest.raises(InputError, match=r"f: column 'k', rows 4, 5: the same key appear twice; expected one"):
        require_unique(df, ["k"], path="f", column="k", what="key", expected="one row per key")
    with pytest.raises(InputError, match=r"rows 12, 13:"):
        require_unique(df, ["k"], path="f", column="k", what="key", expected="x", rows=df["row"])
    require_unique(df.iloc[:2], ["k"], path="f", column="k", what="key", expected="x")


def _c_parser(path, **kw) -> pd.DataFrame:
    """What pandas' C parser reads: the reference the pyarrow reader must match."""
    return pd.read_csv(path, low_memory=False, **kw)


def test_quoted_line_breaks_across_parsing_blocks_read_like_pandas(write, monkeypatch):
    import casebook.io.tables as tabular

    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 40)
    text = "id,message\n" + '1,"one\nline two"\n2,"say ""hi""\nthen go"\n3,plain\n' * 50
    path = write("q.csv", text)
    got, info = read_table(path)
    pd.testing.assert_frame_equal(got, _c_parser(path))
    assert info.rows == 150 and got["message"].iloc[1] == 'say "hi"\nthen go'


def test_block_reading_matches_pandas_on_quoted_newlines_and_mixed_blocks(write, monkeypatch):
    import casebook.io.tables as tabular

    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 64)
    rows = [f'{i},"line {i}\nnext",{i}' for i in range(40)] + ["40,x,1.5", "41,,NA", "42,y,"]
    path = write("mixed.csv", "id,message,value\n" + "\n".join(rows) + "\n")
    got, info = read_table(path)
    want = _c_parser(path)
    pd.testing.assert_frame_equal(got, want)  # value: ints in early blocks, 1.5 later -> float64 like pandas
    assert got["value"].dtype == "float64" and info.rows == 43


def test_a_column_of_numbers_with_text_in_a_later_block_reads_as_text_like_pandas(write, monkeypatch):
    import casebook.io.tables as tabular

    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 32)
    path = write("t.csv", "code,n\n" + "".join(f"{i},{i}\n" for i in range(30)) + "A7,1\n")
    got, _ = read_table(path)
    pd.testing.assert_frame_equal(got, _c_parser(path))
    assert got["code"].tolist()[-1] == "A7"


def test_keep_selects_columns_and_a_ragged_row_is_still_rejected(write, monkeypatch):
    import casebook.io.tables as tabular

    path = write("k.csv", "a,b,c\n1,2,3\n4,5,6\n")
    got, _ = read_table(path, keep=lambda cols: [c for c in cols if c != "b"])
    assert list(got.columns) == ["a", "c"] and got["c"].tolist() == [3, 6]
    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 8)
    ragged = write("r.csv", "a,b,c\n1,2,3\n4,5,6,7\n")
    with pytest.raises(InputError, match=r"r.csv: row 3: a row has more fields than the header"):
        read_table(ragged, keep=lambda cols: ["a"])


def test_all_empty_column_reads_as_float_like_pandas(write):
    path = write("e.csv", "a,b\n1,\n2,\n")
    got, _ = read_table(path)
    pd.testing.assert_frame_equal(got, _c_parser(path))
    assert got["b"].dtype == "float64"


def test_dates_beyond_the_years_pandas_holds_are_reported_not_crashed_on():
    values = pd.Series(["01/02/2014 10:00", "01/01/2500 00:00", "03/02/2014 11:00"], dtype="string")
    with pytest.raises(InputError, match=r"x.csv: column 'Publish time', row 3: dates that do not parse "
                                         r"\('01/01/2500 00:00'\)"):
        to_datetime(values, path="x.csv", column="Publish time", formats=("%m/%d/%Y %H:%M",))
    fine = to_datetime(values.iloc[[0, 2]], path="x.csv", column="c", formats=("%m/%d/%Y %H:%M",))
    assert fine.dtype == "datetime64[ns]" and fine.iloc[1] == pd.Timestamp("2014-03-02 11:00")


def test_label_columns_are_read_as_categories_on_every_path(write, monkeypatch):
    import casebook.io.tables as tabular

    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 30)
    rows = "".join(f"{i},{'Photo' if i % 3 else 'Video'},{1 if i % 2 else 0}\n" for i in range(30)) + "30,,1.5\n"
    for name, content, encoding in (("fast.csv", "id,type,paid\n" + rows, "utf-8"),
                                    ("slow.csv", "id;type;paid\n" + rows.replace(",", ";").replace("1.5", "1,5"),
                                     "latin-1")):  # a decimal comma: read by pandas' C parser
        path = write(name, content, encoding)
        got, info = read_table(path, labels=lambda cols: ["type", "paid"])
        assert isinstance(got["type"].dtype, pd.CategoricalDtype) and isinstance(got["paid"].dtype, pd.CategoricalDtype)
        want = pd.read_csv(path, sep=None, engine="python", encoding=encoding, decimal="," if ";" in content else ".")
        assert info.decimal == ("," if ";" in content else ".")
        assert got["type"].astype(object).where(got["type"].notna(), None).tolist() == \
            want["type"].astype(object).where(want["type"].notna(), None).tolist()
        assert got["paid"].astype(float).tolist() == want["paid"].tolist()  # ints in early blocks, 1.5 later
        assert got["id"].tolist() == list(range(31))


# --- issue 17: wrong numbers with exit 0 -----------------------------------------------------------

def test_commas_are_thousands_only_in_valid_groups_of_a_decimal_point_file():
    ok = to_number(pd.Series(["1,250", "12,345,678.5", "-1,000", "1 000", "7.5"]), path="f", column="c")
    assert ok.tolist() == [1250.0, 12345678.5, -1000.0, 1000.0, 7.5]
    for bad in ("1,25", "12,5", "1,2345", "1,250,5", "1,250.5,0"):
        with pytest.raises(InputError, match=r"f: column 'c', row 3: ambiguous numbers \('" + bad + r"'\): "
                                             r"a comma .* decimal mark is a point; expected 1250\.5 or 1,250\.5"):
            to_number(pd.Series(["1", bad]), path="f", column="c")


def test_points_and_spaces_are_thousands_only_in_valid_groups_of_a_decimal_comma_file():
    text = ["1.250,5", "1 250,5", "1\u00a0250,5", "1\u202f250", "12.345.678", "2,5", "-3"]
    ok = to_number(pd.Series(text), path="f", column="c", decimal=",")
    assert ok.tolist() == [1250.5, 1250.5, 1250.5, 1250.0, 12345678.0, 2.5, -3.0]
    with pytest.raises(InputError, match=r"row 2: ambiguous numbers \('1\.5'\): a point .* decimal mark is a comma"):
        to_number(pd.Series(["1.5"]), path="f", column="c", decimal=",")
    with pytest.raises(InputError, match=r"row 2: text where a number was expected \('1 25,5'\)"):
        to_number(pd.Series(["1 25,5"]), path="f", column="c", decimal=",")


def test_a_quoted_thousands_value_in_a_comma_separated_file_keeps_its_size(write):
    df, info = read_table(write("t.csv", 'id,amount\n1,"1,250"\n2,"12,345.50"\n'))
    got = to_number(df["amount"], path="t.csv", column="amount", decimal=info.decimal)
    assert got.tolist() == [1250.0, 12345.5]


def test_decimal_comma_with_thousands_is_sniffed():
    assert sniff_decimal("a;b\n1.250,5;x\n", ";") == ","
    assert sniff_decimal("a\tb\n1 250,5\tx\n", "\t") == ","


@pytest.mark.parametrize("value", ["1e309", "inf", "-Infinity", "1" * 400])
def test_to_number_refuses_infinite_and_overflowing_text(value):
    with pytest.raises(InputError, match=r"^f: column 'q', row 3: infinite or overflowing numbers .*; "
                                         r"expected finite numbers$"):
        to_number(pd.Series(["1", value]), path="f", column="q")


def test_to_number_refuses_infinite_parsed_numbers(write):
    df, info = read_table(write("q.csv", "id,quantity\n1,2.5\n2,inf\n3,1e309\n"))
    with pytest.raises(InputError, match=r"column 'quantity', rows 3, 4: infinite or overflowing numbers"):
        to_number(df["quantity"], path="q.csv", column="quantity", decimal=info.decimal)


def test_counts_above_2_53_and_values_above_the_maximum_are_refused():
    with pytest.raises(InputError, match=r"column 'n', row 2: counts too large to be held exactly "
                                         r"\('1234567890123456789012345678901234567890'\); expected whole numbers "
                                         r"of at most 9,007,199,254,740,992"):
        to_number(pd.Series(["1234567890123456789012345678901234567890"]), path="f", column="n", integer=True)
    with pytest.raises(InputError, match=r"row 3: counts too large"):
        to_number(pd.Series([5, 2**60], dtype="int64"), path="f", column="n", integer=True)
    assert to_number(pd.Series([2**53]), path="f", column="n", integer=True).tolist() == [2**53]
    assert to_number(pd.Series(["1" * 20]), path="f", column="big").iloc[0] == float("1" * 20)
    with pytest.raises(InputError, match=r"row 2: values above 2026 \('3000'\); expected numbers of at most 2026"):
        to_number(pd.Series(["3000"]), path="f", column="year", maximum=2026)


def test_offsets_may_change_within_a_column_but_not_appear_on_some_rows_only():
    summer_winter = pd.Series(["2014-03-29T10:00:00+01:00", "2014-03-31T10:00:00+02:00", "2014-11-02 09:15-0500"])
    out = to_datetime(summer_winter, path="f", column="d")
    assert out.tolist() == [pd.Timestamp("2014-03-29 10:00"), pd.Timestamp("2014-03-31 10:00"),
                            pd.Timestamp("2014-11-02 09:15")]
    mixed = pd.Series(["2014-03-29 10:00", "2014-03-30 10:00", "2014-03-31T10:00+02:00", "2014-04-01 10:00"])
    with pytest.raises(InputError, match=r"^f: column 'd', row 4: timestamps with and without a UTC offset in one "
                                         r"column \(the rows named have one\); expected an offset on every"):
        to_datetime(mixed, path="f", column="d")
    stamps = pd.Series(pd.to_datetime(["2014-03-29 10:00"]).tz_localize("Europe/Paris"))
    assert to_datetime(stamps, path="f", column="d").tolist() == [pd.Timestamp("2014-03-29 10:00")]


def test_a_mixed_offset_column_beyond_the_sample_is_named_not_crashed_on():
    values = pd.Series(["2014-01-01 10:00"] * 1500 + ["2014-01-02 10:00+01:00"])
    with pytest.raises(InputError, match=r"row 1502: timestamps with and without a UTC offset"):
        to_datetime(values, path="f", column="d")


@pytest.mark.parametrize(("name", "content", "encoding"), [
    ("fast.csv", "id,Reach,Likes,Reach\n1,2,3,4\n", "utf-8"),
    ("slow.csv", "id;Reach ;Likes;Reach\n1;2,5;3;4\n", "latin-1"),
    ("spaces.csv", "id,Reach, Reach\n1,2,3\n", "utf-8"),
])
def test_read_table_refuses_a_repeated_column_name(write, name, content, encoding):
    path = write(name, content, encoding)
    with pytest.raises(InputError, match=rf"^{path}: column 'Reach', row 1: the header names this column twice; "
                                         "expected a different name for every column$"):
        read_table(path)


def test_read_table_refuses_repeated_names_in_workbooks_and_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    xlsx = tmp_path / "d.xlsx"
    pd.DataFrame([[1, 2, 3]], columns=["id", "Reach", "Reach "]).to_excel(xlsx, index=False)
    with pytest.raises(InputError, match=r"column 'Reach', row 1: the header names this column twice"):
        read_table(xlsx)
    parquet = tmp_path / "d.parquet"
    pq.write_table(pa.table([pa.array([1]), pa.array([2])], names=["Reach", "Reach"]), parquet)
    with pytest.raises(InputError, match=r"column 'Reach', row 1: the header names this column twice"):
        read_table(parquet)


def test_read_table_finds_a_nul_byte_beyond_the_sniffed_sample(write):
    import casebook.io.tables as tabular

    rows = "".join(f"{i},{i * 2}\n" for i in range(40_000))  # over 256 kB
    assert len(rows) > tabular.SAMPLE_BYTES
    path = write("n.csv", ("a,b\n" + rows + "40000,\x0080\n" + rows).encode())
    with pytest.raises(InputError, match=r"n.csv: this is a binary file, not a table \(a NUL byte on line 40,002, "
                                         r"byte [\d,]+\); expected a CSV"):
        read_table(path)
    assert tabular.find_nul(path, chunk=1000)[1] == 40_002  # the same place, read in small chunks
    utf16 = write("u.csv", "a,b\n" + rows, encoding="utf-16")  # half its bytes are NUL: text all the same
    assert read_table(utf16)[1].rows == 40_000


def test_iso_dates_beyond_the_years_pandas_holds_are_reported_not_crashed_on(write):
    with pytest.raises(InputError, match=r"x.csv: column 'date', row 3: dates that do not parse \('0001-01-01'\)"):
        to_datetime(pd.Series(["2014-01-02", "0001-01-01"]), path="x.csv", column="date")
    path = write("y.csv", "id,date\n1,2014-01-02 10:00\n2,1677-09-21 00:00\n")  # pyarrow reads it as a timestamp
    with pytest.raises(InputError, match=r"y.csv: column 'date', row 3: dates that do not parse \('1677-09-21"):
        to_datetime(read_table(path)[0]["date"], path=str(path), column="date")


# ---------------------------------------------------------------------------------------------------
# Hostile files end at once with one line (issue 17: hangs and bounds)

def test_a_named_pipe_is_refused_without_reading_it(tmp_path) -> None:
    import os

    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe, socket or device, not a file"):
        read_table(fifo)  # reading would block for ever


def test_a_symbolic_link_loop_is_refused(tmp_path) -> None:
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    with pytest.raises(InputError, match="cannot be read"):
        read_table(tmp_path / "a.csv")


def test_files_beyond_the_size_bound_are_refused_before_parsing(tmp_path, monkeypatch) -> None:
    import casebook.io.files as tables

    path = tmp_path / "big.csv"
    path.write_text("a,b\n1,2\n" * 100)
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 500)
    with pytest.raises(InputError, match="the file is too large"):
        read_table(path)


def test_a_header_of_too_many_columns_is_refused(tmp_path) -> None:
    import casebook.io.tables as tables

    path = tmp_path / "wide.csv"
    n = tables.MAX_COLUMNS + 1
    path.write_text(",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("1" * n) + "\n")
    with pytest.raises(InputError, match=f"the header has {n:,} columns"):
        read_table(path)


def test_the_delimiter_sniffer_sees_a_bounded_sample() -> None:
    import casebook.io.tables as tables

    seen: list[str] = []

    class Spy:
        def sniff(self, sample: str, delimiters: str):
            seen.append(sample)
            raise tables.csv.Error("no")

    real = tables.csv.Sniffer
    tables.csv.Sniffer = Spy  # type: ignore[misc]
    try:
        assert tables.sniff_delimiter("a;b\n" + ("x" * 10_000 + ";y\n") * 200, "f.csv") == ";"
    finally:
        tables.csv.Sniffer = real  # type: ignore[misc]
    assert len(seen[0]) <= tables.SNIFF_CHARS


def test_a_workbook_that_unpacks_too_large_is_refused_before_reading(tmp_path, monkeypatch) -> None:
    import casebook.io.files as tables

    path = tmp_path / "bomb.xlsx"
    pd.DataFrame({"a": range(2000), "b": ["x" * 20] * 2000}).to_excel(path, index=False)
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED", 10_000)
    with pytest.raises(InputError, match="the workbook unpacks to"):
        read_table(path)
    (tmp_path / "fake.xlsx").write_text("not a zip")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        read_table(tmp_path / "fake.xlsx")


# --- line breaks in quoted values: the fast read is kept only when it cannot have cut a row ---------

#: Found by fuzzing: read in blocks of 20 bytes without ``newlines_in_values``, pyarrow cuts the last
#: caption at a block's end into two rows of three fields each, as many rows as the file has lines.
CUT_BUT_SAME_COUNT = (b'c0,c1,c2\r\n"c,dkab",377,""\r\n"g""hab","lmkk",""\r\n"k","g""hlmc,dab","abg""hg""h"\r\n'
                      b'520,374,"kabkc,d"\r\n"lmlm",24,277\r\n"lmabab",715,633\r\n"lmg""hlmab",238,904\r\n'
                      b'"klm","ab",x\r\n"ablm",334,"e\nfc,dc,dab"')


def test_count_lines_counts_every_kind_of_line_break(tmp_path):
    from casebook.io.tables import count_lines

    for i, (data, lines) in enumerate([(b"", 0), (b"a", 1), (b"a\n", 1), (b"a\nb", 2), (b"a\r\nb\r\n", 2),
                                       (b"a\rb\r", 2), (b"a\n\n", 2), (b'"x\ny"\n', 2)]):
        path = tmp_path / f"{i}.csv"
        path.write_bytes(data)
        assert count_lines(path) == lines and count_lines(path, chunk=1) == lines, data  # a CRLF cut in two


def test_a_caption_cut_at_a_block_end_is_never_kept(tmp_path, monkeypatch):
    """The unsafe read loses no row count here, yet garbles the last caption: the read keeps every row whole."""
    import pyarrow.csv as pacsv

    import casebook.io.tables as tabular

    path = tmp_path / "cut.csv"
    path.write_bytes(CUT_BUT_SAME_COUNT)
    unsafe = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=20),
                            parse_options=pacsv.ParseOptions(newlines_in_values=False))
    assert unsafe.num_rows + 1 == tabular.count_lines(path)  # the row count alone would not tell
    assert "e\nfc,dc,dab" not in unsafe.column("c2").to_pylist()  # ... and the caption is cut
    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 20)
    for keep in (None, lambda cols: ["c0"]):  # the caption's column read or not
        got, info = read_table(path, keep=keep)
        want = _c_parser(path)
        assert info.rows == 9 and got["c0"].tolist() == want["c0"].tolist()
    got, _ = read_table(path)
    assert got["c2"].iloc[-1] == "e\nfc,dc,dab"


def test_a_file_of_several_blocks_without_quoted_line_breaks_is_read_fast_and_alike(write, monkeypatch):
    import pyarrow.csv as pacsv

    import casebook.io.tables as tabular

    used = []
    real = pacsv.read_csv

    def spy(*args, **kwargs):
        used.append(kwargs["parse_options"].newlines_in_values)
        return real(*args, **kwargs)

    monkeypatch.setattr(tabular.pacsv, "read_csv", spy)
    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 64)
    rows = "".join(f'{i},"caption {i}, with ""quotes""",{i * 1.5}\n' for i in range(200))
    path = write("fast.csv", "id,caption,value\n" + rows)
    got, info = read_table(path, keep=lambda cols: ["id", "value"])
    assert used == [False]  # one read, without following the quotes
    pd.testing.assert_frame_equal(got, _c_parser(path)[["id", "value"]])
    used.clear()
    path = write("slow.csv", "id,caption,value\n" + rows.replace("caption 7,", "caption\n7,"))
    got, info = read_table(path, keep=lambda cols: ["id", "value"])
    assert used == [False, True] and info.rows == 200  # a quoted line break: read again, following them
    pd.testing.assert_frame_equal(got, _c_parser(path)[["id", "value"]])


def test_a_label_column_read_encoded_keeps_every_row_whole_and_its_inferred_type(tmp_path, monkeypatch):
    """Label columns are dictionary-encoded while parsing: a caption cut at a block end in such a last
    column is still caught, and labels that are all numbers still read as numbers."""
    import casebook.io.tables as tabular

    path = tmp_path / "cut.csv"
    path.write_bytes(CUT_BUT_SAME_COUNT)
    monkeypatch.setattr(tabular, "ARROW_BLOCK_BYTES", 20)
    got, info = read_table(path, labels=lambda cols: ["c1", "c2"])
    want = _c_parser(path)
    assert info.rows == 9 and got["c2"].astype(object).tolist() == want["c2"].tolist()
    assert got["c2"].iloc[-1] == "e\nfc,dc,dab" and isinstance(got["c2"].dtype, pd.CategoricalDtype)
    numbers = tmp_path / "n.csv"
    numbers.write_text("id,paid,type\n" + "".join(f"{i},{i % 2},{'' if i == 5 else 'Photo'}\n" for i in range(40)))
    got, _ = read_table(numbers, labels=lambda cols: ["paid", "type"])
    assert got["paid"].cat.categories.dtype == "int64" and got["paid"].astype(int).tolist() == [i % 2 for i in range(40)]
    assert got["type"].isna().tolist() == [i == 5 for i in range(40)]
