"""Transactions loader: canonical table, cleaning counts, whitespace files, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import ibis
import pandas as pd
import pytest

from casebook import paths
from casebook.crm.warehouse import purchase_days
from casebook.errors import InputError
from casebook.io.transactions import load_transactions, standardise

FIX = Path(__file__).parent / "fixtures" / "transactions"


def test_uci_online_retail_usual_cleaning() -> None:
    """SOURCE.md: CustomerID not null and Quantity > 0 leaves 397,924 lines and 4,339 customers."""
    tx, rep = load_transactions(paths.dataset("online_retail"))
    assert len(tx) == 397_924
    assert tx["customer_id"].nunique() == 4_339
    assert rep.lines_read == 541_909
    assert rep.removed == {"missing_customer": 135_080, "cancellation": 8_905, "adjustment": 0,
                           "non_positive_quantity": 0, "negative_amount": 0}
    assert rep.zero_amount_kept == 40
    assert rep.columns["amount"] == "Quantity × UnitPrice"
    assert tx["customer_id"].iloc[0] == "17850"  # float ids lose their ".0"
    assert list(tx.columns) == ["customer_id", "timestamp", "amount", "quantity", "invoice"]
    assert rep.first == pd.Timestamp("2010-12-01 08:26") and rep.last == pd.Timestamp("2011-12-09 12:50")


def test_retail_fixture_counts_every_rule() -> None:
    tx, rep = load_transactions(FIX / "retail_small.csv")
    # line 4 has no id; C536379 is a cancellation; A563185 an adjustment; 536381 has quantity -12
    assert rep.removed == {"missing_customer": 1, "cancellation": 1, "adjustment": 1,
                           "non_positive_quantity": 1, "negative_amount": 0}
    assert rep.zero_amount_kept == 1
    assert rep.lines_kept == 4 and rep.customers == 3 and rep.invoices == 3
    assert tx["amount"].round(2).tolist() == [15.30, 20.34, 0.00, 15.30]
    assert rep.revenue == pytest.approx(50.94)
    lines = rep.lines()
    assert "removed, cancellations (invoice number starting with 'C'): 1" in lines
    assert "kept, lines with a zero amount (free items): 1" in lines
    assert "customers: 3" in lines
    assert "date range: 2010-12-01 08:26 to 2010-12-02 11:00" in lines


def test_drop_zero_amount_is_counted() -> None:
    tx, rep = load_transactions(FIX / "retail_small.csv", drop_zero_amount=True)
    assert rep.removed["zero_amount"] == 1 and len(tx) == 3 and rep.zero_amount_kept == 0


def test_cdnow_layout_whitespace_yyyymmdd_without_header() -> None:
    tx, rep = load_transactions(FIX / "cdnow_style.txt")
    assert rep.table == "text, utf-8, whitespace separated, 5 rows"
    assert rep.columns == {"customer_id": "column_1", "timestamp": "column_2", "amount": "column_4",
                           "quantity": "column_3"}
    assert tx["customer_id"].tolist() == ["00001", "00001", "00001", "00002", "00003"]
    assert tx["timestamp"].iloc[2] == pd.Timestamp("2011-01-10")
    assert tx["amount"].sum() == pytest.approx(64.75)
    days = purchase_days(ibis.memtable(tx)).to_pyarrow().to_pandas()
    # customer 00001 bought twice on 3 January: one purchase occasion worth 15.50
    assert len(days) == 4
    assert days.loc[(days.customer_id == "00001") & (days.day == pd.Timestamp("2011-01-03").date()),
                    "amount"].item() == 15.5


def test_whitespace_file_with_header() -> None:
    tx, rep = load_transactions(FIX / "whitespace_header.txt")
    assert rep.columns["customer_id"] == "cust" and rep.columns["amount"] == "dollars"
    assert tx["customer_id"].tolist() == ["A1", "A1", "B2"]


def test_real_cdnow_sample_reads() -> None:
    tx, rep = load_transactions(paths.dataset("cdnow"), customer_col="column_2")
    assert rep.lines_read == 6_919 and rep.customers == 2_357
    assert rep.first == pd.Timestamp("1997-01-01") and rep.last == pd.Timestamp("1998-06-30")


def test_explicit_mapping_and_decimal_comma() -> None:
    tx, rep = load_transactions(FIX / "mapped_semicolon.csv", customer_col="ref_client", date_col="when",
                                amount_col="paid", invoice_col="order")
    assert tx["amount"].tolist() == [19.9, 5.0, 100.0]
    assert tx["customer_id"].tolist() == ["K-1", "K-1", "K-2"]
    assert rep.invoices == 3


def test_empty_string_means_detect() -> None:
    tx, _ = load_transactions(FIX / "retail_small.csv", customer_col="", date_col="", amount_col="")
    assert len(tx) == 4


@pytest.mark.parametrize(
    ("name", "kwargs", "parts"),
    [
        ("bad_dates.csv", {}, ["bad_dates.csv", "column 'order_date'", "rows 3, 4", "'2011-31-31'",
                               "expected dates like"]),
        ("text_amount.csv", {}, ["text_amount.csv", "column 'amount'", "row 4", "'twelve'", "numbers only"]),
        ("no_date_column.csv", {}, ["no_date_column.csv", "no date column found",
                                    "the file has: customer_id, amount", "InvoiceDate, date or order_date"]),
        ("no_amount.csv", {}, ["no_amount.csv", "no amount column", "Quantity and UnitPrice"]),
        ("header_only.csv", {}, ["header_only.csv", "header but no data rows"]),
        ("future_dates.csv", {}, ["future_dates.csv", "column 'date'", "row 3", "2031-05-01",
                                  "no later than the export"]),
        ("ragged.txt", {}, ["ragged.txt", "row 2", "more fields", "space-separated"]),
        ("all_cancelled.csv", {}, ["all_cancelled.csv", "no transaction is left", "2 cancellations"]),
        ("mapped_semicolon.csv", {}, ["mapped_semicolon.csv", "no customer id column found",
                                      "ref_client, when, paid, order", "customer_col"]),
        ("mapped_semicolon.csv", {"customer_col": "client_ref"},
         ["column 'client_ref'", "no column named 'client_ref'", "ref_client"]),
        ("missing.csv", {}, ["missing.csv", "no such file"]),
    ],
)
def test_malformed_files_raise_one_line_messages(name: str, kwargs: dict, parts: list[str]) -> None:
    with pytest.raises(InputError) as err:
        load_transactions(FIX / name, **kwargs)
    msg = str(err.value)
    assert "\n" not in msg
    for part in parts:
        assert part in msg, (part, msg)


def test_standardise_a_frame_in_memory() -> None:
    raw = pd.DataFrame({"client": [" x ", "y", ""], "order_date": ["20200102", "20200103", "20200104"],
                        "revenue": [1.0, 2.5, 3.0]})
    tx, rep = standardise(raw)
    assert tx["customer_id"].tolist() == ["x", "y"]  # blank id removed, spaces stripped
    assert rep.removed["missing_customer"] == 1
    assert tx["timestamp"].tolist() == [pd.Timestamp("2020-01-02"), pd.Timestamp("2020-01-03")]


def test_parquet_reads_only_the_columns_it_needs() -> None:
    from casebook.io.transactions import read_transactions_table

    df, info, header_rows = read_transactions_table(paths.dataset("online_retail"))
    assert list(df.columns) == ["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"]
    assert info.rows == 541_909 and header_rows == 1
    df, _, _ = read_transactions_table(paths.dataset("online_retail"), ["Country"])
    assert "Country" in df.columns


def test_large_file_errors_still_name_the_right_rows() -> None:
    n = 60_000
    raw = pd.DataFrame({"customer_id": [f"c{i % 500}" for i in range(n)],
                        "date": ["2011-01-0" + str(1 + i % 9) for i in range(n)],
                        "amount": [1.0] * n})
    raw.loc[55_000, "date"] = "2011-13-45"
    with pytest.raises(InputError) as err:
        standardise(raw, path="big.csv")
    assert "column 'date', row 55002: dates that do not parse ('2011-13-45')" in str(err.value)
    raw.loc[55_000, "date"] = "2011-01-05"
    tx, rep = standardise(raw, path="big.csv")
    assert rep.customers == 500 and tx["timestamp"].iloc[8] == pd.Timestamp("2011-01-09")


def test_a_large_csv_is_read_for_its_useful_columns_only(tmp_path):
    from casebook.io.transactions import read_transactions_table

    path = tmp_path / "big.csv"
    path.write_text("InvoiceNo,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                    "536365,WHITE HEART,6,2010-12-01 08:26,2.55,17850,United Kingdom\n")
    df, info, header_rows = read_transactions_table(path)
    assert list(df.columns) == ["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"]
    assert header_rows == 1 and info.rows == 1
    df, _, _ = read_transactions_table(path, explicit=["Country"])
    assert "Country" in df.columns


def test_quoted_thousands_keep_revenue_at_its_size(tmp_path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text('customer_id,date,amount\nc1,2020-01-02,"1,250"\nc2,2020-01-03,"2,500.50"\nc3,2020-01-04,12.5\n')
    tx, rep = load_transactions(path)
    assert tx["amount"].tolist() == [1250.0, 2500.5, 12.5] and rep.revenue == pytest.approx(3763.0)
    path.write_text('customer_id,date,amount\nc1,2020-01-02,"1,25"\n')
    with pytest.raises(InputError, match=r"column 'amount', row 2: ambiguous numbers \('1,25'\)"):
        load_transactions(path)


def test_decimal_comma_files_read_points_as_thousands(tmp_path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text("client;date;amount\nc1;2020-01-02;1.250,50\nc2;2020-01-03;19,90\n")
    tx, _ = load_transactions(path)
    assert tx["amount"].tolist() == [1250.5, 19.9]


def test_infinite_quantities_are_refused(tmp_path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text("customer_id,date,quantity,price\nc1,2020-01-02,1e309,2.5\nc2,2020-01-03,2,2.5\n")
    with pytest.raises(InputError, match=r"column 'quantity', row 2: infinite or overflowing numbers"):
        load_transactions(path)


def test_timestamps_keep_their_local_time_and_may_not_mix_offsets(tmp_path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text("customer_id,date,amount\nc1,2020-03-28T21:30:00+01:00,1\nc1,2020-03-30T21:30:00+02:00,1\n")
    tx, _ = load_transactions(path)
    assert tx["timestamp"].dt.hour.tolist() == [21, 21]
    path.write_text("customer_id,date,amount\nc1,2020-03-28T21:30:00+01:00,1\nc1,2020-03-30 21:30:00,1\n"
                    "c2,2020-03-31T08:00:00+02:00,1\n")
    with pytest.raises(InputError, match=r"column 'date', row 3: timestamps with and without a UTC offset"):
        load_transactions(path)


def test_a_repeated_header_name_is_refused(tmp_path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text("customer_id,date,amount,amount\nc1,2020-01-02,1,2\n")
    with pytest.raises(InputError, match=r"column 'amount', row 1: the header names this column twice"):
        load_transactions(path)
    path = tmp_path / "tx.txt"
    path.write_text("cust date dollars dollars\nA1 20200102 1 2\n")
    with pytest.raises(InputError, match=r"column 'dollars', row 1: the header names this column twice"):
        load_transactions(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "tx.parquet"
    pq.write_table(pa.table([pa.array(["c1"]), pa.array(["2020-01-02"]), pa.array([1.0]), pa.array([2.0])],
                            names=["customer_id", "date", "amount", "amount"]), path)
    with pytest.raises(InputError, match=r"column 'amount', row 1: the header names this column twice"):
        load_transactions(path)


def test_order_columns_finds_each_role_by_name_guess_or_usual_name() -> None:
    from casebook.io.transactions import order_columns

    df = pd.DataFrame(columns=["CustomerID", "InvoiceDate", "Quantity", "UnitPrice", "InvoiceNo"])
    assert order_columns(df, "f.csv") == ("CustomerID", "InvoiceDate", None, "Quantity", "UnitPrice", "InvoiceNo")
    # an explicit name wins, matched whatever its case and separators; a header-less guess comes next
    df = pd.DataFrame(columns=["column_1", "column_2", "column_3", "Total"])
    cols = order_columns(df, "f.csv", guess={"customer": "column_1", "date": "column_2", "amount": "column_3"},
                         amount_col="total")
    assert (cols.customer, cols.date, cols.amount, cols.price, cols.invoice) == (
        "column_1", "column_2", "Total", None, None)


def test_order_columns_without_amount_need_quantity_and_price() -> None:
    from casebook.io.transactions import order_columns

    df = pd.DataFrame(columns=["CustomerID", "InvoiceDate", "Quantity"])
    with pytest.raises(InputError, match=r"f\.csv: no amount column, and no quantity and unit price to compute "
                                         r"it \(the file has: CustomerID, InvoiceDate, Quantity\)"):
        order_columns(df, "f.csv")
