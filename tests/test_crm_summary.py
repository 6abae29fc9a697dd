"""The engine's per-customer summary (casebook.crm.warehouse) and the cleaning figures
(casebook.crm.summary), on tables worked by hand."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import ibis
import pandas as pd
import pytest

from casebook.crm import warehouse as wh
from casebook.crm.summary import cleaning_figures
from casebook.io.transactions import load_transactions


def _tx() -> pd.DataFrame:
    stamps = ["2020-01-03 09:00", "2020-01-01 10:00", "2020-01-03 17:30", "2020-01-02 08:00", "2020-01-02 12:00",
              "2020-01-03 10:00"]
    return pd.DataFrame({"customer_id": ["B", "A", "B", "B", "A", "C"], "timestamp": pd.to_datetime(stamps),
                         "amount": [1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
                         "invoice": ["i3", "i1", "i4", "i5", "i2", "i6"]})


def test_purchase_days_merge_same_day_orders() -> None:
    days = wh.purchase_days(ibis.memtable(_tx())).to_pyarrow().to_pandas().sort_values(["customer_id", "day"])
    assert days["customer_id"].tolist() == ["A", "A", "B", "B", "C"]
    assert days["amount"].tolist() == [2.0, 16.0, 8.0, 5.0, 32.0]  # B's two orders of 3 January are one day
    assert days["invoices"].tolist() == [1, 1, 1, 2, 1]


def test_summary_by_hand() -> None:
    """In days, calibration to 2 January, holdout to 3 January. A: days 1 and 2 Jan (2 + 16); B: 2 Jan (8)
    then 3 Jan (1 + 4, two invoices); C first buys on 3 January, after the calibration."""
    s = wh.summarise(ibis.memtable(_tx()), "2020-01-02", "2020-01-03", time_unit="D")
    assert s.index.tolist() == ["A", "B", "C"]
    assert s["in_calibration"].tolist() == [True, True, False]
    assert s["purchase_days"].tolist() == [2, 2, 1] and s["invoices"].tolist() == [2, 3, 1]
    assert s["total_spend"].tolist() == [18.0, 13.0, 32.0]
    assert s["last_purchase_at"].tolist() == list(pd.to_datetime(["2020-01-02 12:00", "2020-01-03 17:30",
                                                                   "2020-01-03 10:00"]))
    cohort = wh.calibration(s)
    assert cohort.index.tolist() == ["A", "B"]
    assert cohort["frequency"].tolist() == [1, 0] and cohort["frequency"].dtype == "int64"
    assert cohort["recency"].tolist() == [1.0, 0.0] and cohort["T"].tolist() == [1.0, 0.0]
    assert cohort["monetary_value"].tolist() == [9.0, 8.0]  # mean of the calibration days, first included
    assert cohort["frequency_holdout"].tolist() == [0, 1] and cohort["duration_holdout"].tolist() == [1.0, 1.0]
    assert s["frequency"].isna().tolist() == [False, False, True]  # C is not in the cohort
    weeks = wh.calibration(wh.summarise(ibis.memtable(_tx()), "2020-01-02", time_unit="W"))
    assert weeks["T"].tolist() == [1 / 7, 0.0] and "frequency_holdout" not in weeks.columns


def test_amounts_are_added_exactly() -> None:
    """Floats added in different orders differ in their last digits; the engine adds exact decimals."""
    tx = pd.DataFrame({"customer_id": ["A"] * 3, "timestamp": pd.to_datetime(["2020-01-01"] * 2 + ["2020-01-02"]),
                       "amount": [0.1, 0.2, 0.3]})
    s = wh.summarise(ibis.memtable(tx), "2020-01-02")
    assert s.loc["A", "total_spend"] == 0.6 and s.loc["A", "monetary_value"] == 0.3
    assert 0.1 + 0.2 + 0.3 != 0.6 and 0.3 + 0.2 + 0.1 == 0.6  # floats: the order decides


def test_source_name_names_the_data_without_folders() -> None:
    from casebook import paths

    assert wh.source_name(paths.dataset("online_retail")) == "UK online retailer"
    assert wh.source_name("/home/me/exports/orders.parquet") == "orders.parquet"
    assert wh.source_name("/srv/parts/", "") == "parts"
    assert wh.source_name("/srv/shop.duckdb", "orders") == "shop.duckdb, table orders"
    assert wh.source_name("postgresql://me:secret@db.example/shop", "orders") == "database, table orders"
    assert wh.source_name("spark://spark.example:7077", "sales.orders") == "database, table sales.orders"
    assert wh.source_name("local[2]", "/home/me/exports/orders/") == "orders"
    assert wh.source_name("local[2]", "/home/me/orders.parquet") == "orders.parquet"


def test_cleaning_figures_by_hand() -> None:
    report = SimpleNamespace(customers=3, lines_read=200, lines_kept=150, revenue=99.50000000000137,
                             removed={"missing_customer": 40, "cancellation": 10},
                             first=pd.Timestamp("2011-01-03"), last=pd.Timestamp("2011-12-09"))
    assert cleaning_figures(report) == {
        "customers": 3, "lines_read": 200, "lines_kept": 150, "removed_missing_id": 40,
        "removed_missing_id_share": 0.2, "removed_cancellations": 10, "revenue_kept": 99.5,
        "first_day": "03 January 2011", "last_day": "09 December 2011",
    }
    report.removed = {}
    assert cleaning_figures(report)["removed_missing_id"] == 0
    assert cleaning_figures(report)["removed_cancellations"] == 0


def test_cleaning_figures_read_the_loaders_report() -> None:
    _, report = load_transactions(Path(__file__).parent / "fixtures" / "transactions" / "retail_small.csv")
    figures = cleaning_figures(report)
    assert figures["lines_read"] == report.lines_read and figures["customers"] == report.customers
    assert figures["removed_missing_id_share"] == pytest.approx(
        report.removed.get("missing_customer", 0) / report.lines_read)
