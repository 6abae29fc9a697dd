"""Dated figures (room io): the Nike+ share-and-community series and the MyBO figures, checked.

May import: the foundation and io.tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from casebook import clock
from casebook.errors import InputError, ParameterError, sheet_rows
from casebook.io.convert import to_datetime, to_number
from casebook.io.tables import read_table, require_columns, require_rows, require_unique
from casebook.paths import dataset
from casebook.schemas import SHARE

#: The chapter's own files (provenance in book/data.md).
SERIES_PATH = dataset("nike_plus_series")
MYBO_PATH = dataset("mybo_figures")

SERIES_REQUIRED = ["metric", "date", "value"]
SERIES_OPTIONAL = ["brand", "period", "unit", "source", "source_url", "confidence", "note"]
MYBO_REQUIRED = ["figure", "kind", "value", "unit", "qualifier", "compare_to", "confidence"]
CONFIDENCE = ("C", "P", "U")
KINDS = ("final", "seed_claim")
QUALIFIERS = ("about", "at least", "at most")

def _labels(df: pd.DataFrame, col: str, name: str) -> pd.Series:
    """A text column with no empty cell, stripped; raise naming the empty rows."""
    text = df[col].astype("string").str.strip()
    empty = text.isna() | (text == "")
    if empty.any():
        raise InputError(
            name,
            "empty cells",
            column=col,
            rows=sheet_rows(empty.to_numpy().nonzero()[0]),
            expected="a label in every row",
        )
    return text


def _check_choice(
    df: pd.DataFrame, col: str, name: str, allowed: tuple[str, ...], *, allow_empty: bool
) -> None:
    """Raise if a cell of ``col`` is not one of ``allowed`` (after stripping; case kept)."""
    text = df[col].astype("string").str.strip()
    empty = text.isna() | (text == "")
    bad = ~text.isin(allowed).fillna(False) & (~empty if allow_empty else True)
    if bad.any():
        examples = ", ".join(repr(v) for v in text[bad].head(3).fillna(""))
        raise InputError(
            name,
            f"unknown values ({examples})",
            column=col,
            rows=sheet_rows(bad.to_numpy().nonzero()[0]),
            expected="one of " + ", ".join(allowed) + (" or an empty cell" if allow_empty else ""),
        )


def load_series(path: str | Path | None = None, brand: str | None = None) -> pd.DataFrame:
    """Read a share-and-community series: columns metric, date, value (brand, unit, source… optional).

    One row per dated figure; ``market_share`` values are percentages (0–100). ``brand`` selects one
    brand when the file holds several. The result is sorted by metric and date and keeps each
    record's spreadsheet row in ``row``; ``attrs["path"]`` names the file for later messages.
    """
    name = str(path if path is not None else SERIES_PATH)
    df, info = read_table(name)
    require_columns(df, SERIES_REQUIRED, name, "a series of dated figures")
    require_rows(df, name)
    df["row"] = sheet_rows(range(len(df)))
    df["metric"] = _labels(df, "metric", name)
    df["date"] = to_datetime(df["date"], path=name, column="date", latest=clock.today())
    df["value"] = to_number(df["value"], path=name, column="value", minimum=0, decimal=info.decimal)
    over = (df["metric"] == SHARE) & (df["value"] > 100)
    if over.any():
        raise InputError(
            name,
            "a market share above 100",
            column="value",
            rows=sheet_rows(over.to_numpy().nonzero()[0]),
            expected="market_share in percent, between 0 and 100",
        )
    if "confidence" in df.columns:
        _check_choice(df, "confidence", name, CONFIDENCE, allow_empty=True)
    for col in SERIES_OPTIONAL:
        if col not in df.columns:
            df[col] = pd.NA
    df["brand"] = df["brand"].astype("string").str.strip().fillna(brand or "brand")
    brands = sorted(df["brand"].unique())
    if brand is not None and brand not in brands:
        raise InputError(
            name,
            f"no rows for brand {brand!r}",
            column="brand",
            expected="one of the brands in the file: " + ", ".join(brands),
        )
    if brand is None and len(brands) > 1:
        raise ParameterError(f"{name} holds several brands ({', '.join(brands)}): set brand to one of them")
    df = df[df["brand"] == (brand or brands[0])]
    require_unique(df, ["metric", "date"], path=name, column="date", what="metric and date",
                   expected="one row per metric and date", rows=df["row"])
    out = df.sort_values(["metric", "date"], kind="stable").reset_index(drop=True)
    out.attrs["path"] = name
    return out


def load_mybo(path: str | Path | None = None) -> pd.DataFrame:
    """Read MyBO figures: one row per figure, ``kind`` final or seed_claim; claims name a final figure.

    Columns figure, kind, value, unit, qualifier (about / at least / at most), compare_to (on claim
    rows: the final figure to compare with) and confidence (C / P / U).
    """
    name = str(path if path is not None else MYBO_PATH)
    df, info = read_table(name)
    require_columns(df, MYBO_REQUIRED, name, "MyBO figures")
    require_rows(df, name)
    df["row"] = sheet_rows(range(len(df)))
    df["figure"] = _labels(df, "figure", name)
    _check_choice(df, "kind", name, KINDS, allow_empty=False)
    _check_choice(df, "qualifier", name, QUALIFIERS, allow_empty=True)
    _check_choice(df, "confidence", name, CONFIDENCE, allow_empty=False)
    df["kind"] = df["kind"].astype("string").str.strip()
    df["qualifier"] = df["qualifier"].astype("string").str.strip().fillna("about")
    df["confidence"] = df["confidence"].astype("string").str.strip()
    df["compare_to"] = df["compare_to"].astype("string").str.strip()
    df["value"] = to_number(df["value"], path=name, column="value", minimum=0, decimal=info.decimal)
    require_unique(df, ["figure", "kind"], path=name, column="figure", what="figure and kind",
                   expected="one row per figure and kind", rows=df["row"])
    finals = set(df.loc[df["kind"] == "final", "figure"])
    claims = df["kind"] == "seed_claim"
    orphan = claims & ~df["compare_to"].isin(finals).fillna(False)
    if orphan.any():
        raise InputError(
            name,
            "a claim that names no final figure",
            column="compare_to",
            rows=df.loc[orphan, "row"],
            expected="the name of a figure whose kind is final",
        )
    df.attrs["path"] = name
    return df
