"""The book's fixed "today", so that runs are reproducible whatever the calendar says (foundation).

Imports nothing from the rooms.
"""

from __future__ import annotations

import os

import pandas as pd

#: The date the book's outputs are computed as of. ``CASEBOOK_TODAY=YYYY-MM-DD`` overrides it.
BOOK_TODAY = "2026-11-23"


def today() -> pd.Timestamp:
    """The fixed date of this edition (or ``$CASEBOOK_TODAY``), as a midnight timestamp."""
    return pd.Timestamp(os.environ.get("CASEBOOK_TODAY", BOOK_TODAY)).normalize()


def end_of_today() -> pd.Timestamp:
    """The last instant of :func:`today`: later dates cannot be in an export."""
    return today() + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
