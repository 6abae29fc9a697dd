"""The cleaning figures of the customer chapter (room crm), from a loader's cleaning report.

The per-customer summary itself is :mod:`casebook.crm.warehouse`'s, computed by the engine.
May import: pandas only.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd


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
    customer id (and their share) or as cancellations, revenue kept (to the cent), and the first and last days."""
    missing = cleaning.removed.get("missing_customer", 0)
    return {
        "customers": cleaning.customers,
        "lines_read": cleaning.lines_read,
        "lines_kept": cleaning.lines_kept,
        "removed_missing_id": missing,
        "removed_missing_id_share": missing / cleaning.lines_read,
        "removed_cancellations": cleaning.removed.get("cancellation", 0),
        "revenue_kept": round(cleaning.revenue, 2),  # cents: an engine's float sum varies in its last digits
        "first_day": cleaning.first.strftime("%d %B %Y"),
        "last_day": cleaning.last.strftime("%d %B %Y"),
    }
