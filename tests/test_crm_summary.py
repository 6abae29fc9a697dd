"""Purchase occasions and cleaning figures (casebook.crm.summary), on tables worked by hand."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from casebook.crm.summary import cleaning_figures, customer_categories, purchase_days, row_order_sum
from casebook.io.transactions import load_transactions


def _tx(ids: list[str]) -> pd.DataFrame:
    stamps = ["2020-01-03 09:00", "2020-01-01 10:00", "2020-01-03 17:30", "2020-01-02 08:00", "2020-01-02 12:00"]
    return pd.DataFrame({"customer_id": ids, "timestamp": pd.to_datetime(stamps),
                         "amount": [1.0, 2.0, 4.0, 8.0, 16.0]})


def test_customer_categories_keep_first_appearance_order() -> None:
    cats = customer_categories(pd.Series(["b", "a", "b", None, "c"]))
    assert list(cats.cat.categories) == ["b", "a", "c"]
    assert cats.isna().tolist() == [False, False, False, True, False]
    given = pd.Series(pd.Categorical(["x", "y"], categories=["y", "x", "z"]))
    assert customer_categories(given) is given


def test_purchase_days_merge_same_day_invoices_sorted_by_customer_then_day() -> None:
    days = purchase_days(_tx(["B", "A", "B", "B", "A"]))
    assert days["customer_id"].tolist() == ["B", "B", "A", "A"]  # customers in order of first appearance
    assert days["day"].dt.strftime("%m-%d").tolist() == ["01-02", "01-03", "01-01", "01-02"]
    assert days["amount"].tolist() == [8.0, 5.0, 2.0, 16.0]  # B's two purchases of 3 January are one occasion
    assert str(days["day"].dtype) == "datetime64[ns]"
    assert isinstance(days["customer_id"].dtype, pd.CategoricalDtype)


def test_purchase_days_keep_categorical_ids_and_their_order() -> None:
    tx = _tx(["B", "A", "B", "B", "A"])
    tx["customer_id"] = pd.Categorical(tx["customer_id"], categories=["A", "B"])
    days = purchase_days(tx)
    assert days["customer_id"].tolist() == ["A", "A", "B", "B"]
    assert list(days["customer_id"].cat.categories) == ["A", "B"]


def test_row_order_sum_adds_in_row_order_per_group() -> None:
    frame = pd.DataFrame({"g": ["x", "y", "x", "x"], "v": [1e16, 3.0, 1.0, -1e16]})
    groups = frame.groupby("g")
    # added in row order 1e16 + 1 loses the 1 (as the book's figures always did); a compensated sum gives 1
    np.testing.assert_array_equal(row_order_sum(groups, frame["v"]), [0.0, 3.0])


def test_cleaning_figures_by_hand() -> None:
    report = SimpleNamespace(customers=3, lines_read=200, lines_kept=150, revenue=99.5,
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
