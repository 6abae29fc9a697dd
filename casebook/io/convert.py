"""Cells to values (room io): numbers with the file's decimal mark, dates in local wall-clock time and text,
or one InputError naming the column, the rows and what was expected.

May import: the foundation.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from casebook.errors import InputError, sheet_rows

#: Spaces accepted between groups of three digits whatever the decimal mark: space, no-break, narrow no-break.
THOUSANDS_SPACES = " \u00a0\u202f"
#: Largest count a float64 holds exactly: larger "counts" are overflows or typing errors.
MAX_COUNT = 2**53


def _grouped(decimal: str) -> str:
    """A number whose thousands are separated in valid groups of three, with ``decimal`` as decimal mark.

    One kind of separator per number (``1,250.5``, ``1 250.5``; ``1.250,5`` for a decimal comma).
    No backreference: pandas runs this with Arrow's RE2.
    """
    seps = ("," if decimal == "." else ".") + THOUSANDS_SPACES
    groups = "|".join(rf"\d{{1,3}}(?:{re.escape(c)}\d{{3}})+" for c in seps)
    return rf"[+-]?(?:{groups})(?:{re.escape(decimal)}\d+)?"


def to_number(
    values: pd.Series,
    *,
    path: str,
    column: str,
    header_rows: int = 1,
    allow_missing: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    integer: bool = False,
    decimal: str = ".",
) -> pd.Series:
    """Convert a column to finite numbers, or raise an InputError naming the offending rows.

    Accepts numbers already parsed, and text written with the file's ``decimal`` mark (``TableInfo.decimal``).
    Thousands separators are accepted only between groups of three digits: a comma (or a space) in a
    decimal-point file, a point or a space in a decimal-comma file. Any other use of the other mark
    (``1,25`` in a decimal-point file) is ambiguous and refused. ``integer`` counts must be whole and
    at most 2**53, the largest a float holds exactly.
    """
    s = values
    text: pd.Series | None = None

    def refuse(mask: pd.Series, problem: str, expected: str) -> None:
        """Raise naming the rows of ``mask`` and up to three of their values, as written."""
        mask = mask.fillna(False).astype(bool)  # nullable numbers compare to <NA>
        if mask.any():
            shown = (text if text is not None else s)[mask].head(3)
            examples = ", ".join(repr(v) if isinstance(v, str) else f"{v:g}" if isinstance(v, float) else str(v)
                                 for v in shown)
            raise InputError(path, problem % examples, column=column,
                             rows=sheet_rows(mask.to_numpy().nonzero()[0], header_rows), expected=expected)

    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        text = s.astype("string").str.strip()
        thousands = ("," if decimal == "." else ".") + THOUSANDS_SPACES
        grouped = text.str.fullmatch(_grouped(decimal)).fillna(False)
        plain = text.where(~grouped, text.str.replace(f"[{re.escape(thousands)}]", "", regex=True))
        comma = decimal == "."  # the mark that is not the decimal one: a comma in a decimal-point file
        refuse(plain.str.contains(thousands[0], regex=False).fillna(False),
               f"ambiguous numbers (%s): a {'comma' if comma else 'point'} that does not separate groups of "
               f"three digits, in a file whose decimal mark is a {'point' if comma else 'comma'}",
               f"1250{decimal}5 or {'1,250.5' if comma else '1.250,5'} (thousands separated only between "
               "groups of three digits)")
        num = pd.to_numeric(plain.str.replace(",", ".", regex=False), errors="coerce")
        refuse(num.isna() & text.notna() & (text != ""), "text where a number was expected (%s)", "numbers only")
        s = num.astype("float64")
    if pd.api.types.is_float_dtype(s):
        inf = np.isinf(s.to_numpy(dtype="float64", na_value=np.nan))
        refuse(pd.Series(inf, index=s.index), "infinite or overflowing numbers (%s)", "finite numbers")
    if not allow_missing and s.isna().any():
        raise InputError(path, "empty cells", column=column,
                         rows=sheet_rows(s.isna().to_numpy().nonzero()[0], header_rows),
                         expected="a number in every row")
    if minimum is not None:
        refuse(s < minimum, f"values below {minimum:g} (%s)", f"numbers of at least {minimum:g}")
    if maximum is not None:
        refuse(s > maximum, f"values above {maximum:g} (%s)", f"numbers of at most {maximum:g}")
    if integer:
        refuse(s.abs() > MAX_COUNT, "counts too large to be held exactly (%s)",
               f"whole numbers of at most {MAX_COUNT:,}")
        if not pd.api.types.is_integer_dtype(s.dtype):
            refuse(s.notna() & (s % 1 != 0), "fractional values in a count (%s)", "whole numbers")
    return s


def to_text(values: pd.Series) -> pd.Series:
    """Cells as text (pandas' string dtype), cells that are empty or only spaces missing."""
    out = values.astype("string")
    return out.where(out.str.strip() != "", pd.NA)


#: A time of day, and the UTC offset that may follow it (``10:00+01:00``, ``10:00:00.5-0500``, ``10:00Z``).
_TIME = r"\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?"
_ZONE = r"\s*(?:Z|[+-]\d\d(?::?\d\d)?)\s*$"


class _MixedOffsetsError(Exception):
    """Some timestamps of a column carry a UTC offset and others do not."""


def _has_offset(text: pd.Series) -> pd.Series:
    """True where the text ends with a time and a UTC offset (missing cells: False)."""
    return text.str.contains(_TIME + _ZONE, regex=True).fillna(False).astype(bool)


def _parse(text: pd.Series, fmt: str) -> pd.Series:
    """Parse text dates with one format (NaT where it does not fit), keeping the wall-clock time written.

    A UTC offset is dropped without converting: a page's audience lives in its local time, so
    ``10:00+02:00`` stays 10:00, whatever offset each row carries (summer and winter time).
    Raises _MixedOffsetsError when only some timestamps have an offset. Explicit formats go through
    Arrow's vectorised strptime, several times faster than pandas' on millions of rows; ISO 8601
    through pandas, which reads its many variants.
    """
    if fmt != "ISO8601":
        parsed = pc.strptime(pa.array(text.array), format=fmt, unit="s", error_is_null=True)
        try:
            parsed = parsed.cast(pa.timestamp("ns"))
        except pa.ArrowInvalid:  # beyond the years pandas holds (1678-2261): left unread, so reported
            fits = pc.and_(pc.greater_equal(parsed, pa.scalar(pd.Timestamp.min.ceil("s"), pa.timestamp("s"))),
                           pc.less_equal(parsed, pa.scalar(pd.Timestamp.max.floor("s"), pa.timestamp("s"))))
            parsed = pc.if_else(fits, parsed, pa.scalar(None, pa.timestamp("s"))).cast(pa.timestamp("ns"))
        return pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index, copy=False)
    try:  # naive timestamps, or one offset throughout (read as a time zone, then dropped)
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    except ValueError:  # offsets that differ from row to row, or only on some rows
        offset = _has_offset(text)
        if offset.any() and not offset[text.notna() & (text.str.strip() != "")].all():
            raise _MixedOffsetsError from None
        try:
            wall_clock = text.str.replace(f"({_TIME}){_ZONE}", r"\1", regex=True)
            parsed = pd.to_datetime(wall_clock, format=fmt, errors="coerce")
        except ValueError:  # offsets written in a way _ZONE does not know: reported as unread dates
            parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    parsed = parsed.dt.tz_localize(None) if parsed.dt.tz is not None else parsed
    return parsed.where(_holdable(parsed))  # beyond the years pandas holds: left unread, so reported


def _holdable(dates: pd.Series) -> pd.Series:
    """True where a date falls in the years pandas holds in nanoseconds (1677-09-21 to 2262-04-11)."""
    return (dates >= pd.Timestamp.min) & (dates <= pd.Timestamp.max)


def _to_datetime_text(values: pd.Series, *, path: str, column: str, header_rows: int,
                      formats: tuple[str, ...]) -> pd.Series:
    """Text dates parsed with the first of ``formats`` that reads every non-empty cell; raise naming the rows."""
    raw = values.astype("string")
    sample = raw.dropna().head(1000).str.strip()
    sample = sample[sample != ""]
    # Try the formats that read a sample first: one full parse instead of one per format.
    ranked = sorted(formats, key=lambda fmt: int(_parse(sample, fmt).isna().sum()))
    out = _parse(raw, ranked[0])
    if out.notna().sum() == raw.notna().sum():
        ranked = []  # every cell read as it is: no need to trim spaces and try again
    else:
        out = None
        text = raw.str.strip()
        present = text.notna() & (text != "")
    best_bad = None
    for fmt in ranked:
        parsed = _parse(text, fmt)
        bad = parsed.isna() & present
        if not bad.any():
            out = parsed
            break
        if best_bad is None or bad.sum() < best_bad.sum():
            best_bad = bad
    if out is None:
        examples = ", ".join(repr(v) for v in text[best_bad].head(3))
        raise InputError(path, f"dates that do not parse ({examples})", column=column,
                         rows=sheet_rows(best_bad.to_numpy().nonzero()[0], header_rows),
                         expected="dates like 2014-12-31, 2014-12-31 09:30 or 20141231")
    return out


def to_datetime(
    values: pd.Series,
    *,
    path: str,
    column: str,
    header_rows: int = 1,
    formats: tuple[str, ...] = ("ISO8601", "%Y%m%d", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y", "%m/%d/%Y"),
    latest: pd.Timestamp | None = None,
    allow_missing: bool = False,
) -> pd.Series:
    """Parse dates with the first format that reads every non-empty cell, or raise naming the rows
    (empty cells too, unless ``allow_missing``: they are then NaT).

    ``latest`` rejects dates after it (an export cannot hold posts from the future).
    """
    out = None
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)  # the wall-clock time, as for text with an offset
        if not _holdable(out.dropna()).all():  # read as text: reported as dates that do not parse
            values, out = out.astype("string"), None
    if out is None:
        try:
            out = _to_datetime_text(values, path=path, column=column, header_rows=header_rows, formats=formats)
        except _MixedOffsetsError:
            text = values.astype("string")
            offset = _has_offset(text)
            present = text.notna() & (text.str.strip() != "")
            fewer = offset if offset.sum() <= (present & ~offset).sum() else present & ~offset
            raise InputError(path, "timestamps with and without a UTC offset in one column (the rows named "
                             f"{'have' if fewer is offset else 'lack'} one)", column=column,
                             rows=sheet_rows(fewer.to_numpy().nonzero()[0], header_rows),
                             expected="an offset on every timestamp (2014-03-30T10:00+02:00) or on none") from None
    if out.isna().any() and not allow_missing:
        raise InputError(path, "empty dates", column=column,
                         rows=sheet_rows(out.isna().to_numpy().nonzero()[0], header_rows),
                         expected="a date in every row")
    if latest is not None:
        future = out > latest
        if future.any():
            raise InputError(path, f"dates after {latest:%Y-%m-%d} ({out[future].iloc[0]:%Y-%m-%d})",
                             column=column, rows=sheet_rows(future.to_numpy().nonzero()[0], header_rows),
                             expected="dates no later than the export itself")
    return out.astype("datetime64[ns]")
