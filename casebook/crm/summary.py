"""The cleaning figures of the customer chapter (room crm), from a loader's cleaning report.

The per-customer summary itself is :mod:`casebook.crm.warehouse`'s, computed by the engine.
May import: pandas and the foundation (i18n).
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from casebook import i18n


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
    customer id (and their share) or as cancellations, revenue kept (to the cent), and the first and last days
    (text, :func:`day_text`)."""
    missing = cleaning.removed.get("missing_customer", 0)
    return {
        "customers": cleaning.customers,
        "lines_read": cleaning.lines_read,
        "lines_kept": cleaning.lines_kept,
        "removed_missing_id": missing,
        "removed_missing_id_share": missing / cleaning.lines_read,
        "removed_cancellations": cleaning.removed.get("cancellation", 0),
        "revenue_kept": round(cleaning.revenue, 2),  # cents: an engine's float sum varies in its last digits
        "first_day": day_text(cleaning.first),
        "last_day": day_text(cleaning.last),
    }


def day_text(day: pd.Timestamp, short: bool = False) -> str:
    """A day as the chapter writes it, in the current language: ``03 January 2011`` (``short``:
    ``03 Jan 2011``) in English, as it always was; ``3 janvier 2011``, ``1er décembre 2010`` (``short``:
    ``3 janv. 2011``) in French."""
    if i18n.current() == "en":
        return day.strftime("%d %b %Y" if short else "%d %B %Y")
    text = i18n.date(day, "d MMM y" if short else "d MMMM y")
    return "1er" + text[1:] if day.day == 1 and i18n.current() == "fr" else text
