"""Customer summaries (room crm): purchase occasions (one row per customer and purchase day), cleaning figures.

Takes the canonical transactions table (``customer_id``, ``timestamp``, ``amount``); reads no file.
May import: numpy and pandas only.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd


def customer_categories(ids: pd.Series) -> pd.Series:
    """Customer ids as a categorical (categories in order of first appearance; categorical ids kept as they are)."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return ids
    return ids.astype(pd.CategoricalDtype(pd.unique(ids.dropna())))


def purchase_days(tx: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and calendar day with a purchase: ``customer_id``, ``day``, ``amount``.

    Several invoices on the same day count as one purchase occasion, as in the BG/NBD literature.
    Rows are sorted by customer (in the order of the customer categories) and day.
    """
    lines = pd.DataFrame({
        "customer_id": customer_categories(tx["customer_id"]),
        "day": tx["timestamp"].dt.floor("D").astype("datetime64[ns]"),
        "amount": tx["amount"].astype(float),
    })
    groups = lines.groupby(["customer_id", "day"], observed=True)
    return groups.size().index.to_frame(index=False).assign(amount=row_order_sum(groups, lines["amount"]))


def row_order_sum(groups: pd.api.typing.DataFrameGroupBy, values: pd.Series) -> np.ndarray:
    """Sum of ``values`` per group (in the groups' order), added in row order.

    pandas' own ``sum`` compensates rounding (Kahan); adding in row order keeps every published figure
    identical to the last digit with the book's earlier editions.
    """
    return np.bincount(groups.ngroup(), weights=values.to_numpy(dtype=float), minlength=groups.ngroups)


class Cleaning(Protocol):
    """What a loader's cleaning report tells (``casebook.io.transactions.CleaningReport`` is one)."""

    lines_read: int
    lines_kept: int
    customers: int
    removed: dict[str, int]
    revenue: float
    first: pd.Timestamp | None
    last: pd.Timestamp | None


def cleaning_figures(cleaning: Cleaning) -> dict[str, object]:
    """The figures of the cleaning section: customers, lines read and kept, lines removed for a missing
    customer id (and their share) or as cancellations, revenue kept, and the first and last days."""
    missing = cleaning.removed.get("missing_customer", 0)
    return {
        "customers": cleaning.customers,
        "lines_read": cleaning.lines_read,
        "lines_kept": cleaning.lines_kept,
        "removed_missing_id": missing,
        "removed_missing_id_share": missing / cleaning.lines_read,
        "removed_cancellations": cleaning.removed.get("cancellation", 0),
        "revenue_kept": cleaning.revenue,
        "first_day": cleaning.first.strftime("%d %B %Y"),
        "last_day": cleaning.last.strftime("%d %B %Y"),
    }
