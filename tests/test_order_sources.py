"""The parts of open_orders shared across io's order modules: sources opened raw, fetched, typed and cleaned,
and the column look-up of io.transactions they reuse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from casebook.errors import InputError
from casebook.io.order_cleaning import clean_orders
from casebook.io.order_sources import (
    GLOB_CHARS,
    ConversionError,
    RawSource,
    connect,
    csv_types,
    fetch_arrow,
    first_line,
    open_raw,
)
from casebook.io.transactions import find_column, headerless_defaults, is_whitespace_table


def test_first_line_is_the_first_non_blank_line_or_the_errors_type() -> None:
    assert first_line(ValueError("\n  Conversion Error: bad \nLINE 1: SELECT")) == "Conversion Error: bad"
    assert first_line(KeyError()) == "KeyError"


def test_a_conversion_error_is_an_input_error_naming_its_column() -> None:
    exc = ConversionError("orders.csv", "amount", ValueError("Could not convert 'x'\ndetails"))
    assert isinstance(exc, InputError) and exc.column_name == "amount"
    assert str(exc) == ("orders.csv: column 'amount': the engine could not read it (Could not convert 'x'); "
                        "expected one type of value per column")


def test_glob_chars_mark_patterns_of_parts() -> None:
    assert GLOB_CHARS.search("orders/*.parquet") and GLOB_CHARS.search("part-[0-9].csv")
    assert not GLOB_CHARS.search("orders/2024.parquet")


def test_fetch_arrow_returns_rows_as_arrow_and_engine_errors_as_input_errors() -> None:
    table = ibis.memtable(pa.table({"a": [1, 2, None]}))
    assert fetch_arrow(table, "t").to_pydict() == {"a": [1, 2, None]}
    assert fetch_arrow(table["a"].sum().name("s"), "t").to_pydict() == {"s": [3]}
    with pytest.raises(InputError, match=r"^src: the engine could not read it \(Conversion Error: .*\); expected a "
                                         r"readable source"):
        fetch_arrow(ibis.literal("x").cast("int64").name("n"), "src")


def test_csv_types_read_integer_measures_as_doubles_integer_ids_as_text_and_offsets_as_text() -> None:
    t = ibis.memtable(pa.table({"id": [1], "qty": [3], "price": [1.5],
                                "at": pa.array([dt.datetime(2024, 1, 1)], pa.timestamp("us", tz="UTC")),
                                "day": pa.array([dt.datetime(2024, 1, 1)], pa.timestamp("us"))}))
    assert csv_types(t, "at", ["id"], ["qty", "price"]) == {"qty": "DOUBLE", "id": "VARCHAR", "at": "VARCHAR"}
    assert csv_types(t, "day", [], ["price"]) == {}


def test_open_raw_opens_a_csv_file_for_the_engine_and_refuses_a_pattern_without_files(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("cust,day,amt\n1,2024-01-02,10\n2,2024-01-03,5\n")
    raw = open_raw(connect(temp_directory=tmp_path / "spill"), path, None, [])
    assert isinstance(raw, RawSource) and raw.name == str(path) and raw.frame is None and raw.reread is not None
    assert raw.describe == "csv, utf-8, ',' separated" and list(raw.table.columns) == ["cust", "day", "amt"]
    assert raw.retyped({"amt": "DOUBLE"}).schema()["amt"].is_floating()
    with pytest.raises(InputError, match=r"no file matches this pattern"):
        open_raw(connect(temp_directory=tmp_path / "spill"), tmp_path / "*.parquet", None, [])
    with pytest.raises(InputError, match=r"a table name \('orders'\) is given, but this is not a database file"):
        open_raw(connect(temp_directory=tmp_path / "spill"), path, "orders", [])


def test_clean_orders_counts_what_it_removes_and_returns_the_canonical_table() -> None:
    t = ibis.memtable(pa.table({"cust": ["a", "b", None, "a"],
                                "day": ["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],
                                "amt": [10.0, 5.5, 3.0, -2.0]}))
    clean, report = clean_orders(RawSource(t, "orders.csv", "csv"), t, "orders.csv", "cust", "day", "amt",
                                 None, None, None, False)
    assert report.removed == {"missing_customer": 1, "negative_amount": 1}
    assert (report.lines_read, report.lines_kept, report.customers, report.revenue) == (4, 2, 2, 15.5)
    assert fetch_arrow(clean, "orders.csv").to_pydict() == {
        "customer_id": ["a", "b"], "timestamp": [dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 3)],
        "amount": [10.0, 5.5]}


def test_find_column_takes_the_named_column_or_the_first_usual_name() -> None:
    df = pd.DataFrame({"Customer ID": ["1"], "Order Date": ["x"], "amount": [1]})
    assert find_column(df, None, ("customerid",), "customer id", "f.csv") == "Customer ID"
    assert find_column(df, "order_date", ("date",), "date", "f.csv") == "Order Date"  # spacing and case ignored
    assert find_column(df, None, ("price",), "unit price", "f.csv", required=False) is None
    with pytest.raises(InputError, match=r"^f\.csv: column 'nope': no column named 'nope' for the date \(the file "
                                         r"has: Customer ID, Order Date, amount\)"):
        find_column(df, "nope", ("date",), "date", "f.csv")
    with pytest.raises(InputError, match=r"expected a column named Date, or its name given explicitly$"):
        find_column(df, None, ("price",), "date", "f.csv", usual="Date")


def test_headerless_defaults_guess_the_cdnow_roles() -> None:
    df = pd.DataFrame({"column_1": ["00001", "00002"], "column_2": ["19970101", "19970102"],
                       "column_3": ["1", "2"], "column_4": ["9.5", "3"]})
    assert headerless_defaults(df) == {"customer": "column_1", "date": "column_2", "amount": "column_4",
                                       "quantity": "column_3"}
    assert headerless_defaults(df[["column_1", "column_2", "column_4"]])["quantity"] is None
    assert headerless_defaults(df[["column_1", "column_3"]])["date"] is None


def test_is_whitespace_table_tells_runs_of_spaces_from_delimited_text() -> None:
    assert is_whitespace_table("00001 19970101 1 29.33\n00002  19970112 2 11.77\n")
    assert not is_whitespace_table("a,b\n1,2\n")
    assert not is_whitespace_table("one\ntwo\n") and not is_whitespace_table("\n \n")
