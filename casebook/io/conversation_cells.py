"""The cells of a conversation export read into canonical values (room io): ids, inbound flags, times.

Used by :func:`casebook.io.conversations.load_conversations`; each function names the file, column and
rows of the values it cannot read, and what was expected.

May import: the foundation and the other io modules (convert, tables).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from casebook import clock
from casebook.errors import InputError, sheet_rows
from casebook.i18n import gettext as _
from casebook.io.convert import to_datetime
from casebook.io.report_words import plural, translated

#: Twitter's created_at form (developer.x.com/overview/api/tweets).
TWITTER_TIME = "%a %b %d %H:%M:%S %z %Y"
DATE_FORMATS = (TWITTER_TIME, "ISO8601", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
                "%m/%d/%Y %H:%M:%S")
#: Words read as an inbound flag (compared lower-cased and stripped).
INBOUND_WORDS = {
    "true": True, "false": False, "t": True, "f": False, "yes": True, "no": False, "y": True, "n": False,
    "1": True, "0": False, "1.0": True, "0.0": False, "inbound": True, "outbound": False, "in": True,
    "out": False, "incoming": True, "outgoing": False, "received": True, "sent": False, "customer": True,
    "brand": False,
}
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)\.0+$")
_OFFSET = re.compile(r"(?:[+-]\d\d:?\d\d|Z)(?:\s+\d{4})?\s*$")
_ZERO_OFFSET = re.compile(r"(?:[+-]00:?00|Z)(?:\s+\d{4})?\s*$")


def stripped_lower(name: str) -> str:
    """A header name or cell as compared with known words: stripped and lower-cased."""
    return str(name).strip().lower()


def mask_rows(mask: pd.Series | np.ndarray, header_rows: int = 1) -> list[int]:
    """The spreadsheet row numbers of the rows where ``mask`` is True (for messages)."""
    return sheet_rows(np.asarray(mask, dtype=bool).nonzero()[0], header_rows)


def example_values(values: pd.Series, mask: pd.Series | np.ndarray) -> str:
    """Up to three of ``values`` where ``mask`` is True, quoted, for messages."""
    return ", ".join(repr(str(v)) for v in values[np.asarray(mask, dtype=bool)].head(3))


def to_ids(values: pd.Series, *, path: str, column: str, allow_missing: bool = False, what: str = "ids"
           ) -> pd.Series:
    """Message ids as text: ``3.0`` -> ``3`` (a float column written back), blanks missing.

    Refuses ids a spreadsheet wrote in scientific notation (``9.28E+17``: digits lost) and floats above
    2**53 (not held exactly); empty ids unless ``allow_missing``.
    """
    if pd.api.types.is_float_dtype(values.dtype):
        f = values.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isnan(f) & ((np.abs(f) > 2**53) | (f % 1 != 0))
        if bad.any():
            raise InputError(path, f"ids stored as decimal numbers ({example_values(values, bad)}): long ids lose "
                             "digits", column=column, rows=mask_rows(bad),
                             expected="ids stored as text or whole numbers")
        text = pd.Series(pd.array([None if np.isnan(v) else str(int(v)) for v in f], dtype="string"),
                         index=values.index)
    else:
        text = values.astype("string").str.strip()
        text = text.str.replace(_WHOLE_FLOAT, lambda m: m.group(1), regex=True)
    text = text.where(text != "", pd.NA)
    sci = text.str.fullmatch(_SCIENTIFIC).fillna(False).to_numpy(dtype=bool)
    if sci.any():
        raise InputError(path, f"ids in scientific notation ({example_values(text, sci)}): a spreadsheet rounded them",
                         column=column, rows=mask_rows(sci),
                         expected="ids written out in full (format the column as text before saving)")
    if not allow_missing and text.isna().any():
        raise InputError(path, f"empty {what}", column=column, rows=mask_rows(text.isna()),
                         expected=f"{'an id' if what == 'ids' else 'a value'} in every row")
    return text


def to_inbound(values: pd.Series, *, path: str, column: str) -> pd.Series:
    """The inbound flag as booleans: True/False, 1/0, yes/no, inbound/outbound (see :data:`INBOUND_WORDS`)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        out = values.astype("boolean")
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        mapped = [INBOUND_WORDS.get(stripped_lower(u)) for u in uniques]
        out = pd.Series(pd.array([None if m is None else m for m in mapped], dtype="boolean").take(
            codes, allow_fill=True), index=values.index)
    bad = out.isna().to_numpy(dtype=bool)
    if bad.any():
        empty = values.isna().to_numpy(dtype=bool) | (values.astype("string").str.strip() == "").fillna(True).to_numpy()
        if (bad & ~empty).any():
            bad = bad & ~empty
            problem = f"values that are not an inbound flag ({example_values(values, bad)})"
        else:
            problem = "empty inbound flags"
        raise InputError(path, problem, column=column, rows=mask_rows(bad),
                         expected="True or False in every row (also 1/0, yes/no, inbound/outbound): "
                         "True = a customer's message to the brand")
    return out


def to_created(values: pd.Series, *, path: str, column: str, notes: list[str]) -> pd.Series:
    """Send times via :func:`~casebook.io.convert.to_datetime` (no later than the book's today); times
    written with UTC offsets other than zero are converted to UTC, so that reply times are exact."""
    latest = clock.end_of_today()
    try:
        created = to_datetime(values, path=path, column=column, formats=DATE_FORMATS, latest=latest)
    except InputError as exc:
        if not exc.problem.startswith("dates that do not parse"):
            raise
        raise InputError(exc.path, exc.problem, column=exc.column, rows=exc.rows,
                         expected="dates like Tue Oct 31 22:10:47 +0000 2017 (Twitter's created_at), "
                         "2017-10-31T22:10:47Z or 31/10/2017 22:10") from None
    if pd.api.types.is_datetime64_any_dtype(values):
        return created
    text = values.astype("string").str.strip()
    offset = text.str.contains(_OFFSET, regex=True).fillna(False)
    nonzero = offset & ~text.str.contains(_ZERO_OFFSET, regex=True).fillna(False)
    if nonzero.any():
        fmt = TWITTER_TIME if text.iloc[0:1].str.match(r"^[A-Za-z]{3} [A-Za-z]{3} ").all() else "ISO8601"
        utc = pd.to_datetime(text, format=fmt, utc=True, errors="coerce").dt.tz_localize(None)
        created = utc.where(utc.notna(), created).astype("datetime64[ns]")
        one = _("{column}: {n} time written with a UTC offset other than zero, converted to UTC (hours of day "
                "are UTC)") if translated() else None
        notes.append(plural(int(nonzero.sum()), one,
                            _("{column}: {n} times written with a UTC offset other than zero, converted to UTC "
                              "(hours of day are UTC)"), column=column))
    elif offset.any():
        notes.append(_("{column}: times written in UTC (offset +0000); hours of day are UTC").format(column=column))
    return created


def position_of(ids: pd.Series, wanted: pd.Series) -> np.ndarray:
    """Position in ``ids`` (unique) of each of ``wanted``; -1 where absent or missing (hashed, fast)."""
    index = pd.Index(ids.astype(object).where(ids.notna(), None).to_numpy(dtype=object))
    return index.get_indexer(wanted.astype(object).where(wanted.notna(), None).to_numpy(dtype=object))
