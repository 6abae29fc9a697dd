"""The columns of a post export turned into canonical ones (room io): ids, dates, paid flags, labels, counts.

Used by :func:`casebook.io.posts.load_posts`, whose docstring describes the canonical table and the UCI
file's reconstructed dates; each function here converts or checks one kind of column and names the
file, column and rows of any value it cannot read.

May import: the foundation and the other io modules (tables, convert, layouts, post_report).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from casebook.errors import InputError, sheet_rows
from casebook.i18n import gettext as _
from casebook.io.layouts import (
    PAID_WORDS,
    UCI_YEAR,
    Layout,
    norm,
)
from casebook.io.post_report import LoadReport
from casebook.io.report_words import plain
from casebook.io.tables import read_table


def skip_leading_rows(df: pd.DataFrame, cols: Mapping[str, str], lay: Layout, header_rows: int,
                      report: LoadReport) -> tuple[pd.DataFrame, int]:
    """Leave out the leading rows the layout says are not posts (YouTube's "Total" row)."""
    for canon, spec in lay.columns.items():
        if spec.skip and canon in cols and len(df):
            text = df[cols[canon]].astype("string").str.strip()
            lead = int((~text.isin(spec.skip).fillna(False)).to_numpy().argmax()) if len(text) else 0
            if text.isin(spec.skip).fillna(False).all():
                lead = len(text)
            if lead:
                df = df.iloc[lead:].reset_index(drop=True)
                report.notes.append((_("{n} leading row with '{column}' = {values} left out (the export's totals, "
                                       "not posts)") if lead == 1 else
                                     _("{n} leading rows with '{column}' = {values} left out (the export's totals, "
                                       "not posts)")).format(n=plain(lead), column=cols[canon],
                                                             values=_(" or ").join(spec.skip)))
                header_rows += lead
    return df, header_rows


def english_months(values: pd.Series, words: Mapping[str, str]) -> pd.Series:
    """Localised month names made English ("28 sept. 2026" -> "28 Sep 2026"), so one format reads both."""
    if not words or pd.api.types.is_datetime64_any_dtype(values):
        return values
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    lookup = {w.lower(): e for w, e in words.items()}
    text = values.astype("string")
    return text.str.replace(f"(?i)(?<![\\w.])({pattern})(?![\\w])", lambda m: lookup[m.group(1).lower()], regex=True)


def extract_pattern(values: pd.Series, pattern: str, path: str, column: str, header_rows: int) -> pd.Series:
    """The first group of ``pattern`` in each cell (a post id inside a link); empty cells stay empty."""
    text = values.astype("string").str.strip()
    got = text.str.extract(pattern, expand=False)
    bad = got.isna() & text.notna() & (text != "")
    if bad.any():
        examples = ", ".join(repr(v) for v in text[bad].head(3))
        raise InputError(path, f"values without the expected form ({examples})", column=column,
                         rows=sheet_rows(bad.to_numpy().nonzero()[0], header_rows),
                         expected=f"text matching {pattern}")
    return got


def times_from_ids(ids: pd.Series, path: str, column: str, header_rows: int) -> pd.Series:
    """Publication times from post ids whose top 32 bits are the Unix time in seconds (TikTok), UTC."""
    number = pd.to_numeric(ids.astype("string").str.strip(), errors="coerce")
    bad = number.isna() | (number < 2**32) | (number >= 2**64)
    if bad.any():
        raise InputError(path, f"ids that hold no time ({', '.join(repr(str(v)) for v in ids[bad].head(3))})",
                         column=column, rows=sheet_rows(bad.to_numpy().nonzero()[0], header_rows),
                         expected="numeric post ids (the digits after /video/ in the link)")
    seconds = np.array([int(v) >> 32 for v in ids.astype("string").str.strip()], dtype="int64")
    return pd.Series(pd.to_datetime(seconds, unit="s"), index=ids.index)


def has_description_row(df: pd.DataFrame, reach_col: str | None) -> bool:
    """True when the first record holds descriptions (legacy Insights), not numbers."""
    if reach_col is None or len(df) == 0:
        return False
    first = str(df[reach_col].iloc[0]).strip()
    return bool(first) and not re.fullmatch(r"-?[\d\s.,\u00a0]*", first) and first.lower() != "nan"


def read_action_sheet(path: Path, info_path: str) -> pd.DataFrame | None:
    """The likes/comments/shares sheet of a legacy Insights workbook, if it has one."""
    try:
        sheets = pd.ExcelFile(path).sheet_names
    except Exception:  # already read once by read_table; a failure here means no extra sheet
        return None
    for name in sheets[1:]:
        if norm(name).startswith(("lifetime post stories by act", "lifetime talking about this")):
            df, _ = read_table(path, sheet=name)
            df.columns = [str(c).strip() for c in df.columns]
            if len(df) and has_description_row(df, next((c for c in df.columns if norm(c) == "like"), None)):
                df = df.iloc[1:]
            return df
    return None


def uci_dates(month: np.ndarray, weekday: np.ndarray, hour: np.ndarray, path: str, cols: dict[str, str],
              header_rows: int, year: int = UCI_YEAR) -> pd.Series:
    """Reconstruct publication times of UCI rows (newest first); see the module docstring for the rule."""
    n = len(month)
    bad_m = (month < 1) | (month > 12)
    bad_w = (weekday < 1) | (weekday > 7)
    bad_h = (hour < 0) | (hour > 23)
    for bad, canon, exp in ((bad_m, "month", "1 to 12"), (bad_w, "weekday", "1 (Sunday) to 7 (Saturday)"),
                            (bad_h, "hour", "0 to 23")):
        if bad.any():
            raise InputError(path, "value out of range", column=cols[canon],
                             rows=sheet_rows(bad.nonzero()[0], header_rows), expected=exp)
    up = np.zeros(n, dtype=bool)
    up[1:] = month[1:] > month[:-1]
    if up.any():
        raise InputError(path, "Post Month rises down the file", column=cols["month"],
                         rows=sheet_rows(up.nonzero()[0], header_rows),
                         expected="rows newest first, as in the UCI file (one year of posts)")
    # Gap (days back) from the row above, within a month: weekday difference mod 7, 7 if same weekday
    # but a later hour (the row above is newer).
    gap = np.zeros(n, dtype=np.int64)
    gap[1:] = (weekday[:-1] - weekday[1:]) % 7
    same_day_later = np.zeros(n, dtype=bool)
    same_day_later[1:] = (gap[1:] == 0) & (hour[1:] > hour[:-1])
    gap[same_day_later] = 7
    new_month = np.ones(n, dtype=bool)
    new_month[1:] = month[1:] != month[:-1]
    starts = new_month.nonzero()[0]
    days = np.empty(n, dtype="datetime64[D]")
    for i, s in enumerate(starts):  # one step per month block (at most 12), not per row
        e = starts[i + 1] if i + 1 < len(starts) else n
        m = int(month[s])
        last = (pd.Timestamp(year=year, month=m, day=1) + pd.offsets.MonthEnd(0))
        # UCI weekday 1 = Sunday; pandas day_of_week 0 = Monday -> UCI = (dow + 1) % 7 + 1.
        back = (((last.day_of_week + 1) % 7 + 1) - int(weekday[s])) % 7
        anchor = np.datetime64(last.date()) - np.timedelta64(back, "D")
        offs = np.cumsum(gap[s:e]) - gap[s]
        block = anchor - offs.astype("timedelta64[D]")
        out_of_month = block < np.datetime64(f"{year}-{m:02d}-01")
        if out_of_month.any():
            raise InputError(path, "more distinct posting days than the month holds", column=cols["month"],
                             rows=sheet_rows(s + out_of_month.nonzero()[0], header_rows),
                             expected="rows newest first whose weekdays fit the calendar of " + str(year))
        days[s:e] = block
    return pd.Series(days.astype("datetime64[ns]") + hour.astype("timedelta64[h]"))


def _per_value(values: pd.Series, func, dtype: str) -> tuple[pd.Series, np.ndarray, list]:
    """Apply ``func`` to each distinct value only (exports repeat a few labels millions of times).

    Returns the mapped column of ``dtype`` (built by one ``take``, with no per-row Python objects),
    the codes of each row into the distinct values (-1 = missing) and the mapped distinct values.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = [func(u) for u in uniques]
    typed = pd.array([None if m == "?" else m for m in mapped], dtype=dtype)
    out = typed.take(codes, allow_fill=True)
    return pd.Series(out, index=values.index), codes, mapped


def _paid_word(value: object, words: Mapping[str, bool]) -> object:
    text = norm(str(value))
    if text in ("", "nan", "<na>", "none"):
        return None
    return words.get(text, "?")


def paid_flags(values: pd.Series, path: str, column: str, header_rows: int,
               words: Mapping[str, bool] = PAID_WORDS) -> pd.Series:
    """Paid flags as booleans (1/0, yes/no, paid/organic, boosted/not boosted or the layout's ``words``)."""
    out, codes, mapped = _per_value(values, lambda v: _paid_word(v, words), "boolean")
    bad = np.isin(codes, [i for i, m in enumerate(mapped) if m == "?"])
    if bad.any():
        ex = ", ".join(repr(str(v).strip()) for v in values[bad].head(3))
        own = [w for w in words if w not in PAID_WORDS]
        raise InputError(path, f"unreadable paid flag ({ex})", column=column,
                         rows=sheet_rows(bad.nonzero()[0], header_rows),
                         expected="1/0, yes/no, paid/organic or boosted/not boosted"
                         + (f" (or {', '.join(own)})" if own else ""))
    return out


def _label(value: object, names: Mapping[str, str] | None = None) -> object:
    text = str(value).strip()
    if text == "":
        return None
    return (names or {}).get(text.lower(), text)


def label_column(values: pd.Series, names: Mapping[str, str] | None = None) -> pd.Series:
    """Short text labels (type, category): stripped, empty -> missing, renamed through ``names``."""
    return _per_value(values, lambda v: _label(v, names), "string")[0]


def missing_column(n: int, dtype: str) -> pd.api.extensions.ExtensionArray:
    """An all-missing column of ``dtype`` with ``n`` rows, built without per-row Python objects."""
    if dtype == "Int64":
        return pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool))
    return pd.Series(pd.NA, index=pd.RangeIndex(n), dtype=dtype).array


def repeated_column(value: str, n: int) -> pd.api.extensions.ExtensionArray:
    """``value`` on each of ``n`` rows as a string column, built without a list of ``n`` Python objects."""
    return pd.Series(value, index=pd.RangeIndex(n), dtype="string").array


def nullable_int(values: pd.Series) -> pd.arrays.IntegerArray:
    """Whole numbers (int or float with NaN, as :func:`~casebook.io.convert.to_number` returns) as Int64."""
    if pd.api.types.is_integer_dtype(values.dtype) and not isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        return pd.arrays.IntegerArray(values.to_numpy(dtype="int64"), np.zeros(len(values), dtype=bool))
    f = values.to_numpy(dtype="float64", na_value=np.nan)
    mask = np.isnan(f)
    return pd.arrays.IntegerArray(np.where(mask, 0.0, np.round(f)).astype("int64"), mask)


def post_ids(values: pd.Series) -> pd.Series:
    """Post ids as text: whole numbers as written, other ids stripped of spaces (blank -> missing)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("string")
    ids = values.astype("string").str.strip()
    return ids.where(ids != "", pd.NA)


def blank_missing_words(df: pd.DataFrame, columns: list[str], words: list[str]) -> pd.DataFrame:
    """The export's words for "no value" (``N/A``, ``-``) in ``columns``, made empty cells."""
    if not words:
        return df
    wanted = {w.strip().lower() for w in words}
    for c in columns:
        if c in df.columns and not pd.api.types.is_numeric_dtype(df[c].dtype):
            text = df[c].astype("string").str.strip().str.lower()
            df[c] = df[c].where(~text.isin(wanted).fillna(False).to_numpy())
    return df
