"""Loading a brand page's post export (room io) into one canonical post table.

May import: the foundation and the other io modules (tables, convert, layouts, post_schema).

:func:`load_posts` reads any of the layouts a marketing team really has and returns the same table:

- ``uci``: the UCI "Facebook metrics" file (Moro, Rita & Vala 2016), ``;``-separated, no dates;
- ``insights``: the legacy Facebook Insights "Post data" export, CSV or XLSX, whose second row holds
  descriptions (in an XLSX, likes/comments/shares may sit on a "Lifetime Post Stories by action type"
  sheet, merged on the post id);
- ``mbs_facebook`` / ``mbs_instagram``: the Meta Business Suite post CSVs (UTF-8 with BOM, header
  capitalisation varies);
- ``mapping``: any other table, through an explicit ``mapping`` of canonical name -> file column.

The layout is detected from the header (case and spacing ignored). Encoding, delimiter and decimal
mark are sniffed by :func:`casebook.io.tables.read_table`.

Canonical columns (one row per post, sorted by ``published``):

==============  ================  ==========================================================
column          dtype             meaning
==============  ================  ==========================================================
post_id         string            the export's post id (UCI: derived, ``uci-0001`` = oldest)
published       datetime64[ns]    publication time (UCI: reconstructed, see below)
type            string            post type as exported (``Photos`` -> ``Photo`` etc.)
category        string, nullable  UCI Category 1/2/3 = action / product / inspiration;
                                  MBS "Custom labels"; else from ``mapping``
paid            boolean, nullable True for a paid (boosted) post, <NA> when unknown
reach           int64             people reached (lifetime total)
impressions     Int64, nullable   impressions / views
engaged_users   Int64, nullable   people who engaged (legacy exports only)
comments        Int64, nullable   comments
likes           Int64, nullable   likes / reactions
shares          Int64, nullable   shares
interactions    int64             comments + likes + shares (the export's own total if it has one)
page_likes      Int64, nullable   page followers when the post was published (UCI: Page total likes)
message         string, nullable  the post text, verbatim (``=HYPERLINK(...)`` stays plain text)
==============  ================  ==========================================================

UCI dates are reconstructed. The file gives only Post Month, Post Weekday and Post Hour of 2014, with
rows in reverse chronological order (Page total likes falls down the file). Post Weekday is read as
1 = Sunday ... 7 = Saturday: with that reading every row fits the calendar, with 1 = Monday 13 rows
do not. Rule: the newest post (first row) is the latest day of its month in 2014 with its weekday;
walking down the file, each older post takes the smallest gap back (0 days if same weekday and an
hour no later, else 1-7 days) that matches its weekday; when the month changes it takes the latest
day of its month with its weekday. The file holds 500 of the paper's 790 posts, so the gaps between
reconstructed dates partly reflect withheld posts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from casebook.errors import InputError, ParameterError, format_rows, sheet_rows
from casebook.io.convert import to_datetime, to_number
from casebook.io.layouts import (
    PAID_WORDS,
    UCI_CATEGORIES,
    UCI_PAPER_POSTS,
    UCI_YEAR,
    Layout,
    basis_of,
    choose_layout,
    layouts,
    norm,
    require_layout_columns,
    resolve_columns,
)
from casebook.io.post_report import LoadReport, MissingValues, Problems
from casebook.io.post_schema import schema_problems
from casebook.io.tables import read_table, require_rows
from casebook.schemas import CANONICAL, COUNTS, DTYPES, OPTIONAL_COUNTS


def _skip_leading(df: pd.DataFrame, cols: Mapping[str, str], lay: Layout, header_rows: int,
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
                report.notes.append(f"{lead} leading row{'s' if lead > 1 else ''} with '{cols[canon]}' = "
                                    f"{' or '.join(spec.skip)} left out (the export's totals, not posts)")
                header_rows += lead
    return df, header_rows


def _date_words(values: pd.Series, words: Mapping[str, str]) -> pd.Series:
    """Localised month names made English ("28 sept. 2026" -> "28 Sep 2026"), so one format reads both."""
    if not words or pd.api.types.is_datetime64_any_dtype(values):
        return values
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    lookup = {w.lower(): e for w, e in words.items()}
    text = values.astype("string")
    return text.str.replace(f"(?i)(?<![\\w.])({pattern})(?![\\w])", lambda m: lookup[m.group(1).lower()], regex=True)


def _extract(values: pd.Series, pattern: str, path: str, column: str, header_rows: int) -> pd.Series:
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


def _id_seconds(ids: pd.Series, path: str, column: str, header_rows: int) -> pd.Series:
    """Publication times from post ids whose top 32 bits are the Unix time in seconds (TikTok), UTC."""
    number = pd.to_numeric(ids.astype("string").str.strip(), errors="coerce")
    bad = number.isna() | (number < 2**32) | (number >= 2**64)
    if bad.any():
        raise InputError(path, f"ids that hold no time ({', '.join(repr(str(v)) for v in ids[bad].head(3))})",
                         column=column, rows=sheet_rows(bad.to_numpy().nonzero()[0], header_rows),
                         expected="numeric post ids (the digits after /video/ in the link)")
    seconds = np.array([int(v) >> 32 for v in ids.astype("string").str.strip()], dtype="int64")
    return pd.Series(pd.to_datetime(seconds, unit="s"), index=ids.index)


def _description_row(df: pd.DataFrame, reach_col: str | None) -> bool:
    """True when the first record holds descriptions (legacy Insights), not numbers."""
    if reach_col is None or len(df) == 0:
        return False
    first = str(df[reach_col].iloc[0]).strip()
    return bool(first) and not re.fullmatch(r"-?[\d\s.,\u00a0]*", first) and first.lower() != "nan"


def _read_action_sheet(path: Path, info_path: str) -> pd.DataFrame | None:
    """The likes/comments/shares sheet of a legacy Insights workbook, if it has one."""
    try:
        sheets = pd.ExcelFile(path).sheet_names
    except Exception:  # already read once by read_table; a failure here means no extra sheet
        return None
    for name in sheets[1:]:
        if norm(name).startswith(("lifetime post stories by act", "lifetime talking about this")):
            df, _ = read_table(path, sheet=name)
            df.columns = [str(c).strip() for c in df.columns]
            if len(df) and _description_row(df, next((c for c in df.columns if norm(c) == "like"), None)):
                df = df.iloc[1:]
            return df
    return None


def _uci_dates(month: np.ndarray, weekday: np.ndarray, hour: np.ndarray, path: str, cols: dict[str, str],
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


def _paid(values: pd.Series, path: str, column: str, header_rows: int,
          words: Mapping[str, bool] = PAID_WORDS) -> pd.Series:
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


def _labels(values: pd.Series, names: Mapping[str, str] | None = None) -> pd.Series:
    """Short text labels (type, category): stripped, empty -> missing, renamed through ``names``."""
    return _per_value(values, lambda v: _label(v, names), "string")[0]


def _missing(n: int, dtype: str) -> pd.api.extensions.ExtensionArray:
    """An all-missing column of ``dtype`` with ``n`` rows, built without per-row Python objects."""
    if dtype == "Int64":
        return pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), np.ones(n, dtype=bool))
    return pd.Series(pd.NA, index=pd.RangeIndex(n), dtype=dtype).array


def _nullable_int(values: pd.Series) -> pd.arrays.IntegerArray:
    """Whole numbers (int or float with NaN, as :func:`~casebook.io.convert.to_number` returns) as Int64."""
    if pd.api.types.is_integer_dtype(values.dtype) and not isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        return pd.arrays.IntegerArray(values.to_numpy(dtype="int64"), np.zeros(len(values), dtype=bool))
    f = values.to_numpy(dtype="float64", na_value=np.nan)
    mask = np.isnan(f)
    return pd.arrays.IntegerArray(np.where(mask, 0.0, np.round(f)).astype("int64"), mask)


def _ids(values: pd.Series) -> pd.Series:
    """Post ids as text: whole numbers as written, other ids stripped of spaces (blank -> missing)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("string")
    ids = values.astype("string").str.strip()
    return ids.where(ids != "", pd.NA)


def _text(values: pd.Series) -> pd.Series:
    out = values.astype("string")
    return out.where(out.str.strip() != "", pd.NA)


def _missing_words(df: pd.DataFrame, columns: list[str], words: list[str]) -> pd.DataFrame:
    """The export's words for "no value" (``N/A``, ``-``) in ``columns``, made empty cells."""
    if not words:
        return df
    wanted = {w.strip().lower() for w in words}
    for c in columns:
        if c in df.columns and not pd.api.types.is_numeric_dtype(df[c].dtype):
            text = df[c].astype("string").str.strip().str.lower()
            df[c] = df[c].where(~text.isin(wanted).fillna(False).to_numpy())
    return df


def load_posts(
    path: str | Path,
    *,
    mapping: Mapping[str, str] | None = None,
    since: str | pd.Timestamp | None = None,
    until: str | pd.Timestamp | None = None,
    layout: str | None = None,
    sheet: str | int = 0,
    problems: Problems | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Read a post export (any layout of ``casebook layouts``, or any table via ``mapping``).

    ``mapping`` maps canonical names (see the module docstring) to the file's columns; it overrides
    the detected layout's names, and is required for a layout the loader does not know.
    ``since`` / ``until`` keep posts published in that closed date window (``until`` whole day).
    Returns the canonical table and a :class:`LoadReport`; bad input raises InputError (with
    ``problems=Problems(collect=True)`` every problem is kept there instead, and the table may be partial).
    """
    name = str(path)
    problems = problems or Problems()
    header: list[str] = []

    def found(columns: list[str]) -> dict[str, str]:
        """The file columns of the layout (none when it cannot be told: the checks below explain)."""
        try:
            return resolve_columns(columns, choose_layout(columns, layout, mapping, name), mapping, name)
        except InputError:
            return {}

    def keep(columns: list[str]) -> list[str]:
        """The columns the layout uses; all of them when one is missing (the error then lists them)."""
        header[:] = columns
        used = set(found(columns).values())
        return [c for c in columns if c in used] if used else columns

    def labels(columns: list[str]) -> list[str]:
        """Post types, labels, paid flags and page names: a few values repeated on every row."""
        cols = found(columns)
        return [cols[c] for c in ("type", "category", "paid", "page") if c in cols]

    df, info = read_table(path, sheet=sheet, keep=keep, labels=labels)
    detected = choose_layout(header, layout, mapping, name)
    lay = layouts()[detected]
    cols = resolve_columns(header, detected, mapping, name)
    report = LoadReport(name, detected, info, basis=basis_of(cols, detected), network=lay.network)

    header_rows = 1
    if detected == "insights" and _description_row(df, cols.get("reach")):
        df = df.iloc[1:].reset_index(drop=True)
        header_rows = 2
        report.notes.append("row 2 holds the export's metric descriptions and was skipped")
    df, header_rows = _skip_leading(df, cols, lay, header_rows, report)
    require_rows(df, name)
    if detected == "insights" and info.format == "xlsx" and not ({"likes", "comments", "shares"} & set(cols)):
        actions = _read_action_sheet(Path(path), name)
        if actions is not None and "post id" in {norm(c) for c in actions.columns}:
            acols = {norm(c): c for c in actions.columns}
            extra = {k: acols[k] for k in ("like", "comment", "share") if k in acols}
            right = actions[[acols["post id"], *extra.values()]].rename(
                columns={acols["post id"]: "__pid", **{v: f"__{k}" for k, v in extra.items()}})
            right["__pid"] = right["__pid"].astype("string")
            df = df.assign(__pid=df[cols["post_id"]].astype("string")).merge(right, on="__pid", how="left")
            for k, canon in (("like", "likes"), ("comment", "comments"), ("share", "shares")):
                if k in extra:
                    cols[canon] = f"__{k}"
            report.notes.append("likes, comments and shares read from the workbook's action-type sheet")
    require_layout_columns(cols, detected, header, name)

    def col(canon: str) -> str:
        c = cols[canon]
        return c[2:] if c.startswith("__") else c

    for canon, spec in lay.columns.items():
        if spec.pattern and canon in cols:
            with problems.check(canon):
                df[cols[canon]] = _extract(df[cols[canon]], spec.pattern, name, col(canon), header_rows)
    n = len(df)
    numeric = [*COUNTS, "month", "weekday", "hour", "paid_impressions"]
    df = _missing_words(df, [cols[c] for c in numeric if c in cols], lay.missing_words)
    data: dict[str, object] = {}
    num = {}
    for canon in numeric:
        if canon not in cols:
            continue
        empty = lay.empty(canon) if detected != "mapping" else ("missing" if canon in OPTIONAL_COUNTS else "error")
        with problems.check(canon):
            num[canon] = to_number(df[cols[canon]], path=name, column=col(canon), header_rows=header_rows,
                                   allow_missing=empty != "error" or canon == "paid_impressions", integer=True,
                                   decimal=info.decimal)
        if canon not in num:  # collected: carry on without this column's values
            num[canon] = pd.Series(np.nan, index=df.index)
            continue
        gaps = num[canon].isna()
        if empty == "zero" and gaps.any():
            num[canon] = num[canon].fillna(0)
            report.missing.append(MissingValues(col(canon), sheet_rows(gaps.to_numpy().nonzero()[0], header_rows),
                                                "read as 0 (the export leaves a count of nothing empty)"))
        elif canon in OPTIONAL_COUNTS and gaps.any():
            how = "left empty"
            if canon in ("likes", "comments", "shares"):
                how += ("; the file's total interactions count it as 0" if "interactions" in cols
                        else "; counted as 0 in interactions")
            if canon == report.basis:
                how += f"; these posts have no engagement rate by {canon}"
            report.missing.append(MissingValues(col(canon), sheet_rows(gaps.to_numpy().nonzero()[0], header_rows), how))

    if detected == "uci":
        published = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        if {"month", "weekday", "hour"} & problems.failed:  # unreadable, already listed: nothing to rebuild
            problems.failed.add("published")
        else:
            with problems.check("published"):
                published = _uci_dates(num["month"].to_numpy("int64"), num["weekday"].to_numpy("int64"),
                                       num["hour"].to_numpy("int64"), name, cols, header_rows)
        report.dates_reconstructed = True
        width = max(4, len(str(n)))
        pid = "uci-" + pd.Series(np.arange(n, 0, -1)).astype("string").str.zfill(width)
        if "post_id" in cols:
            pid = df[cols["post_id"]].astype("string").str.strip()
        data["post_id"] = pid.array
        report.notes.append(
            f"dates reconstructed from Post Month, Weekday (1 = Sunday) and Hour of {UCI_YEAR} (newest row first)")
        report.notes.append(
            f"the file holds {n} of the paper's {UCI_PAPER_POSTS} posts: some gaps are withheld posts")
        report.notes.append("post ids derived from file order: uci-0001 is the last (oldest) row")
    else:
        published = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        with problems.check("published"):
            if lay.columns.get("published") and lay.columns["published"].derive == "id_unix_seconds":
                published = _id_seconds(df[cols["post_id"]], name, col("post_id"), header_rows)
                report.notes.append(f"publication times from the post ids (their top 32 bits are the Unix time, "
                                    f"UTC); '{col('published')}' has no year")
            else:
                published = to_datetime(_date_words(df[cols["published"]], lay.date_words), path=name,
                                        column=col("published"),
                                        header_rows=header_rows, formats=tuple(lay.date_formats),
                                        allow_missing=lay.empty("published") in ("drop", "missing"))
        if "post_id" in cols:
            ids = _ids(df[cols["post_id"]])
            empty_ids = ids.isna()
            if empty_ids.any():
                with problems.check("post_id"):
                    raise InputError(name, "empty post ids", column=col("post_id"),
                                     rows=sheet_rows(empty_ids.to_numpy().nonzero()[0], header_rows),
                                     expected="a post id in every row")
                ids = ids.fillna("row-" + pd.Series(np.arange(n) + header_rows + 1, index=ids.index).astype("string"))
            data["post_id"] = ids.array
        else:
            data["post_id"] = ("row-" + pd.Series(np.arange(n) + header_rows + 1).astype("string")).array
            report.notes.append("no post id column: ids are the spreadsheet row numbers (row-2, row-3, ...)")
    data["published"] = pd.Series(published).to_numpy().astype("datetime64[ns]", copy=False)
    data["type"] = (_labels(df[cols["type"]], lay.type_names()).array if "type" in cols
                    else _missing(n, "string"))
    if "category" in cols:
        raw = df[cols["category"]]
        if detected == "uci":
            codes = pd.Series(np.nan, index=raw.index)
            with problems.check("category"):
                codes = to_number(raw, path=name, column=col("category"), header_rows=header_rows,
                                  allow_missing=True, integer=True, decimal=info.decimal)
            category = codes.map(UCI_CATEGORIES).astype("string")
            bad = codes.notna() & category.isna()
            if bad.any():
                with problems.check("category"):
                    raise InputError(name, "unknown category code", column=col("category"),
                                     rows=sheet_rows(bad.to_numpy().nonzero()[0], header_rows),
                                     expected="1 (action), 2 (product) or 3 (inspiration)")
            data["category"] = category.array
        else:
            data["category"] = _labels(raw).array
    else:
        data["category"] = _missing(n, "string")
    if "paid" in cols:
        paid = pd.Series(pd.NA, index=df.index, dtype="boolean")
        with problems.check("paid"):
            paid = _paid(df[cols["paid"]], name, col("paid"), header_rows, lay.paid_words())
        if lay.empty("paid") == "false" and detected != "mapping":
            unset = paid.isna()
            if unset.any():
                paid = paid.fillna(False)
                report.notes.append(f"{col('paid')}: {int(unset.sum()):,} empty cell{'s' if unset.sum() != 1 else ''}"
                                    " read as not paid (the export leaves the status of an organic post empty)")
        if "paid_impressions" in num:
            boosted = (num["paid_impressions"] > 0).to_numpy()
            caught = int((boosted & ~paid.fillna(True).to_numpy(dtype=bool)).sum())
            paid = paid.mask(pd.Series(boosted, index=paid.index), True)
            report.notes.append(f"paid also where '{col('paid_impressions')}' is above 0 ({caught:,} post"
                                f"{'s' if caught != 1 else ''} with an empty or organic status)")
        elif lay.empty("paid") == "false" and detected != "mapping":
            report.notes.append(f"the export has no boosted reach column: a boosted post whose {col('paid')} is "
                                "empty counts as organic (Meta Business Suite leaves it empty on some boosted "
                                "posts; tick Reach from Boosted posts when exporting)")
        data["paid"] = paid.array
    elif "paid_impressions" in cols:
        pi = num["paid_impressions"]
        data["paid"] = (pi > 0).astype("boolean").where(pi.notna(), pd.NA).array
        report.notes.append(f"paid = '{col('paid_impressions')}' above 0")
    else:
        data["paid"] = _missing(n, "boolean")
    if "paid" in cols or "paid_impressions" in cols:
        paid_na = pd.isna(data["paid"])
        if paid_na.any() and 0 < paid_na.sum() < n:
            report.missing.append(MissingValues(col("paid" if "paid" in cols else "paid_impressions"),
                                                sheet_rows(paid_na.nonzero()[0], header_rows),
                                                "left unknown; excluded from paid share and paid vs organic"))
    for canon in ("reach", "impressions", "engaged_users", "comments", "likes", "shares", "page_likes", "saves",
                  "follows"):
        data[canon] = _nullable_int(num[canon]) if canon in num else _missing(n, "Int64")
    if "interactions" in num:
        data["interactions"] = num["interactions"].fillna(0).to_numpy("int64")
    else:
        data["interactions"] = (num["comments"].fillna(0) + num["likes"].fillna(0)
                                + num["shares"].fillna(0)).to_numpy("int64")
        report.notes.append("interactions = comments + likes + shares (no total column in the file)")
    message = _text(df[cols["message"]]) if "message" in cols else pd.Series(_missing(n, "string"))
    if "description" in cols and "message" in cols and cols["description"] != cols["message"]:
        message = message.fillna(pd.Series(_text(df[cols["description"]]).array, index=message.index))
    data["message"] = message.array
    stem = Path(name).stem
    if "page" in cols:
        data["page"] = _labels(df[cols["page"]]).fillna(stem).array
    else:
        data["page"] = pd.array([stem] * n, dtype="string") if n else _missing(0, "string")
    data["network"] = pd.array([lay.network] * n, dtype="string") if n else _missing(0, "string")
    del df, num  # the raw table is no longer needed: free it before validation
    out = pd.DataFrame(data, index=pd.RangeIndex(n), copy=False).astype(DTYPES)
    report.absent = [c for c in ("type", "category", "paid", "reach", "impressions", "engaged_users", "comments",
                                 "likes", "shares", "page_likes", "message", "saves", "follows")
                     if c not in cols and not (c == "paid" and "paid_impressions" in cols)
                     and (c not in ("saves", "follows") or c in lay.columns)]

    undated = out["published"].isna()
    if undated.any() and "published" not in problems.failed:
        out = out[~undated]  # the index keeps the file positions: later errors name the right rows
        report.notes.append(f"{int(undated.sum()):,} row{'s' if undated.sum() != 1 else ''} without a publication "
                            f"date left out ({format_rows(sheet_rows(undated.to_numpy().nonzero()[0], header_rows))})"
                            ": not published posts")
        require_rows(out, name)
    source = {c: col(c) for c in cols}
    if detected == "uci":
        source["published"] = cols["month"]
    out, found_problems = schema_problems(out[CANONICAL], path=name, source_columns=source, header_rows=header_rows)
    for exc in found_problems:  # a column whose cells could not be read is not checked a second time
        if not any(exc.column == col(c) for c in problems.failed if c in cols):
            with problems.check():
                raise exc
    if problems.errors:
        report.posts = len(out)
        return out, report

    if not out["published"].is_monotonic_increasing:
        out = out.sort_values("published", kind="stable")
    out = out.reset_index(drop=True)
    n_before = len(out)
    span = (out["published"].iloc[0], out["published"].iloc[-1]) if n_before else None
    out = filter_posts(out, since=since, until=until)
    if span is not None and len(out) == 0:
        raise ParameterError(
            f"since/until ({since or 'the first post'} to {until or 'the last post'}) leave no post of {name}; "
            f"expected days within its posts, {span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d}"
        )
    report.filtered_out = n_before - len(out)
    report.posts = len(out)
    report.pages = list(dict.fromkeys(out["page"].tolist()))
    if len(out):
        report.first, report.last = out["published"].iloc[0], out["published"].iloc[-1]
    return out, report


def filter_posts(posts: pd.DataFrame, *, since: str | pd.Timestamp | None = None,
                 until: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Posts published from ``since`` (inclusive) to the end of the day ``until``."""
    keep = pd.Series(True, index=posts.index)
    if since is not None and str(since) != "":
        keep &= posts["published"] >= pd.Timestamp(since)
    if until is not None and str(until) != "":
        keep &= posts["published"] < pd.Timestamp(until).normalize() + pd.Timedelta(days=1)
    return posts[keep].reset_index(drop=True)
