"""Benchmark inputs: seeded resamples of the book's real data sets, written as the CSV a reader exports.

- Posts: rows of the UCI Facebook metrics file (500 real posts) drawn with replacement and written as a
  Meta Business Suite post export (the layout ``casebook.io.posts`` detects), with publication times drawn
  uniformly over 2013-2014 (the UCI file has no dates) and written in time order, as exports are.
- Transactions: whole customers of the UCI Online Retail file drawn with replacement (each draw is a
  new customer id, keeping that customer's invoices, dates and lines), plus the lines without a
  customer id in their real share, until the requested number of lines; written as the Online Retail
  CSV (same columns). Resampling whole customers keeps the purchase rhythms the BG/NBD fit models.

Nothing here is brand data: the files live in a temporary folder and are never committed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from casebook.paths import dataset

SEED = 20140101
MBS_TYPES = {"Photo": "Photos", "Video": "Videos", "Link": "Links", "Status": "Status"}
CATEGORIES = {1: "action", 2: "product", 3: "inspiration"}
WINDOW = (pd.Timestamp("2013-01-01"), pd.Timestamp("2015-01-01"))


def _write_csv(table: pd.DataFrame, path: Path, rows: int) -> Path:
    if len(table) != rows:
        raise AssertionError(f"{path.name}: generated {len(table):,} rows instead of {rows:,}")
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(pa.Table.from_pandas(table, preserve_index=False), path)
    return path


def posts_csv(n: int, path: Path, seed: int = SEED) -> Path:
    """Write ``n`` resampled posts as a Meta Business Suite Facebook export; return the path."""
    uci = pd.read_csv(dataset("facebook_metrics"), sep=";")
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(uci), n)
    start, end = (int(t.value // 60_000_000_000) for t in WINDOW)
    minutes = np.sort(rng.integers(start, end, n))
    published = pd.to_datetime(minutes * 60, unit="s")
    src = uci.iloc[pick].reset_index(drop=True)
    paid = src["Paid"].map({0: "Organic", 1: "Boosted"}).fillna("")
    table = pd.DataFrame(
        {
            "Post ID": np.arange(10_000_000_000, 10_000_000_000 + n, dtype=np.int64),
            "Page ID": 100004512345678,
            "Page name": "Resampled UCI cosmetics page",
            "Publish Time": published.strftime("%m/%d/%Y %H:%M"),
            "Post Type": src["Type"].map(MBS_TYPES),
            "Custom labels": src["Category"].map(CATEGORIES),
            "Funded content status": paid,
            "Views": src["Lifetime Post Total Impressions"],
            "Reach": src["Lifetime Post Total Reach"],
            "Reactions, comments and shares": src["Total Interactions"],
            "Reactions": src["like"].fillna(0).astype("int64"),
            "Comments": src["comment"],
            "Shares": src["share"].fillna(0).astype("int64"),
        }
    )
    return _write_csv(table, path, n)


def transactions_csv(n: int, path: Path, seed: int = SEED) -> Path:
    """Write about ``n`` (exactly ``n``) resampled Online Retail lines as CSV; return the path."""
    retail = pd.read_parquet(dataset("online_retail"))
    rng = np.random.default_rng(seed)
    anonymous = retail[retail["CustomerID"].isna()]
    known = retail[retail["CustomerID"].notna()]
    n_anon = int(round(n * len(anonymous) / len(retail)))
    n_known = n - n_anon
    codes, customers = pd.factorize(known["CustomerID"], sort=True)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    # Draw customers until the line count is reached (a few extra draws, then trim the last one).
    draws = rng.integers(0, len(customers), max(16, int(n_known / counts.mean() * 1.2) + 16))
    total = np.cumsum(counts[draws])
    while total[-1] < n_known:
        more = rng.integers(0, len(customers), len(draws))
        draws = np.concatenate([draws, more])
        total = np.cumsum(counts[draws])
    k = int(np.searchsorted(total, n_known)) + 1
    draws = draws[:k]
    lens = counts[draws]
    # Row positions of every drawn customer's lines, vectorised (no loop over customers).
    offsets = np.repeat(starts[draws] - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    rows = order[np.arange(lens.sum()) + offsets][:n_known]
    lines = known.iloc[rows].reset_index(drop=True)
    lines["CustomerID"] = (np.repeat(np.arange(k, dtype=np.int64), lens)[:n_known] + 100_000).astype(
        "float64"
    )
    # Invoice numbers stay unique per drawn customer: suffix the draw number (cancellations keep their 'C').
    draw_no = np.repeat(np.arange(k), lens)[:n_known].astype(str)
    lines["InvoiceNo"] = lines["InvoiceNo"].astype(str) + "-" + draw_no
    anon = anonymous.iloc[rng.integers(0, len(anonymous), n_anon)].reset_index(drop=True)
    table = pd.concat([lines, anon], ignore_index=True)
    table = table.iloc[np.argsort(table["InvoiceDate"].to_numpy(), kind="stable")].reset_index(drop=True)
    return _write_csv(table, path, n)
