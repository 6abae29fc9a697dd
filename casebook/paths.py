"""Where the book's files live (foundation): the one registry of data and notebook paths.

May import: the standard library only.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
STATIC = BOOK / "_static"

#: Data sets shipped with the book, by short name (see book/data.md for provenance).
DATASETS: dict[str, Path] = {
    "survey_counts": DATA / "survey_counts.csv",
    "facebook_metrics": DATA / "uci_facebook_metrics" / "dataset_Facebook.csv",
    "online_retail": DATA / "uci_online_retail" / "online_retail.parquet",
    "nike_plus_series": DATA / "nike_plus" / "nike_plus_series.csv",
    "mybo_figures": DATA / "nike_plus" / "mybo_figures.csv",
    "cdnow": DATA / "cdnow" / "CDNOW_sample.txt",
    "cdnow_summary": DATA / "cdnow" / "cdnow_customers_summary.csv",
    "twcs": DATA / "twcs_customer_support" / "twcs_first5000.csv",
}


def dataset(name: str) -> Path:
    """Path of a bundled data set, by its short name."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown data set {name!r}; known: {', '.join(sorted(DATASETS))}") from None
