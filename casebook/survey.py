"""Survey proportions: loading counts, Wilson intervals and the consumer/executive perception gap."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from statsmodels.stats.proportion import proportion_confint, samplesize_confint_proportion

from casebook.errors import InputError, ParameterError, sheet_rows
from casebook.tabular import read_table, require_columns, require_rows, require_unique, to_number

REQUIRED = ["study", "year", "question", "option", "count", "n"]


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` if it lies strictly between 0 and 1, else raise ParameterError."""
    if not isinstance(confidence, (int, float)) or not 0 < float(confidence) < 1:
        raise ParameterError(f"confidence must be a number between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return float(confidence)


def load_survey(path: str | Path) -> pd.DataFrame:
    """Read survey counts (columns study, year, question, option, count, n; others kept) and check them.

    Counts and sample sizes must be whole numbers with 0 ≤ count ≤ n and n > 0.
    """
    name = str(path)
    df, _ = read_table(path)
    require_columns(df, REQUIRED, name, "survey counts")
    require_rows(df, name)
    for col in ("study", "question", "option"):
        empty = df[col].isna() | (df[col].astype("string").str.strip() == "")
        if empty.any():
            raise InputError(name, "empty cells", column=col, rows=sheet_rows(empty.to_numpy().nonzero()[0]),
                             expected="a label in every row")
    df["year"] = to_number(df["year"], path=name, column="year", integer=True).astype("int64")
    df["n"] = to_number(df["n"], path=name, column="n", minimum=1, integer=True).astype("int64")
    df["count"] = to_number(df["count"], path=name, column="count", minimum=0, integer=True).astype("int64")
    over = df["count"] > df["n"]
    if over.any():
        raise InputError(name, "count larger than the sample size n", column="count",
                         rows=sheet_rows(over.to_numpy().nonzero()[0]), expected="0 ≤ count ≤ n")
    keys = ["study", "year", "question", "option"] + (["population"] if "population" in df.columns else [])
    require_unique(df, keys, path=name, column="option", what="study, year, question and option",
                   expected="one row per answer option")
    return df


def wilson_intervals(df: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Add ``estimate``, ``low``, ``high`` and ``half_width`` (Wilson score interval, statsmodels)."""
    confidence = check_confidence(confidence)
    out = df.copy()
    low, high = proportion_confint(out["count"].to_numpy(), out["n"].to_numpy(),
                                   alpha=1 - confidence, method="wilson")
    out["estimate"] = out["count"] / out["n"]
    out["low"] = low
    out["high"] = high
    out["half_width"] = (out["high"] - out["low"]) / 2
    return out


def label(df: pd.DataFrame) -> pd.Series:
    """A short row label for charts: 'Satisfied overall (McKinsey 2008)'; who was asked goes in colour."""
    publisher = df["study"].str.split().str[0]
    return df["option"] + " (" + publisher + " " + df["year"].astype(str) + ")"


def perception_gap(df: pd.DataFrame, a: str = "consumers", b: str = "executives") -> pd.DataFrame:
    """Options asked of two populations in the same study and question: both shares and the gap (b − a).

    Options reported for only one population are kept with the other share missing.
    """
    if "population" not in df.columns:
        raise ParameterError("perception_gap needs a 'population' column in the survey data")
    keys = ["study", "year", "question", "option"]
    sub = df[df["population"].isin([a, b])]
    wide = sub.pivot_table(index=keys, columns="population", values="estimate", aggfunc="first")
    wide = wide.reindex(columns=[a, b]).reset_index()
    same_question = wide.groupby(["study", "year", "question"])[[a, b]].transform("count")
    wide = wide[(same_question[a] > 0) & (same_question[b] > 0)].copy()
    wide["gap"] = wide[b] - wide[a]
    return wide.reset_index(drop=True)


def sample_size_for(half_width: float, confidence: float = 0.95, proportion: float = 0.5) -> int:
    """Respondents needed so that a proportion's interval is ± ``half_width`` (normal approximation)."""
    confidence = check_confidence(confidence)
    if not 0 < half_width < 0.5:
        raise ParameterError(f"half_width must be between 0 and 0.5, got {half_width!r}")
    n = samplesize_confint_proportion(proportion, half_width, alpha=1 - confidence)
    return int(-(-n // 1))


def pick(df: pd.DataFrame, *, study: str, year: int, option: str, population: str | None = None) -> pd.Series | None:
    """The one row of ``df`` for a study (substring match), year and option, or None when absent."""
    mask = df["study"].str.contains(study, regex=False) & (df["year"] == year) & (df["option"] == option)
    if population is not None and "population" in df.columns:
        mask &= df["population"] == population
    rows = df[mask]
    return rows.iloc[0] if len(rows) == 1 else None


def interval_table(df: pd.DataFrame) -> pd.DataFrame:
    """A reader-facing table: who was asked, what, n, the share and its interval, as formatted text."""
    cols = ["study", "year"] + (["population"] if "population" in df.columns else []) + ["option", "n"]
    out = df[cols].copy()
    out["share"] = df["estimate"].map("{:.1%}".format)
    out["interval"] = [f"{lo:.1%} – {hi:.1%}" for lo, hi in zip(df["low"], df["high"], strict=True)]
    out["± points"] = (df["half_width"] * 100).map("{:.1f}".format)
    return out.rename(columns=str.capitalize).reset_index(drop=True)
