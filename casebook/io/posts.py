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

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from casebook.errors import InputError, ParameterError, sheet_rows
from casebook.i18n import gettext as _
from casebook.io.convert import to_datetime, to_number, to_text
from casebook.io.layouts import (
    UCI_CATEGORIES,
    UCI_PAPER_POSTS,
    UCI_YEAR,
    basis_of,
    choose_layout,
    layouts,
    norm,
    require_layout_columns,
    resolve_columns,
)
from casebook.io.post_columns import (
    blank_missing_words,
    english_months,
    extract_pattern,
    has_description_row,
    label_column,
    missing_column,
    nullable_int,
    paid_flags,
    post_ids,
    read_action_sheet,
    repeated_column,
    skip_leading_rows,
    times_from_ids,
    uci_dates,
)
from casebook.io.post_report import LoadReport, MissingValues, Problems, basis_word
from casebook.io.post_schema import schema_problems
from casebook.io.report_words import plain, plural, rows_text
from casebook.io.tables import read_table, require_rows
from casebook.schemas import CANONICAL, COUNTS, DTYPES, OPTIONAL_COUNTS


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
    if detected == "insights" and has_description_row(df, cols.get("reach")):
        df = df.iloc[1:].reset_index(drop=True)
        header_rows = 2
        report.notes.append(_("row 2 holds the export's metric descriptions and was skipped"))
    df, header_rows = skip_leading_rows(df, cols, lay, header_rows, report)
    require_rows(df, name)
    if detected == "insights" and info.format == "xlsx" and not ({"likes", "comments", "shares"} & set(cols)):
        actions = read_action_sheet(Path(path), name)
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
            report.notes.append(_("likes, comments and shares read from the workbook's action-type sheet"))
    require_layout_columns(cols, detected, header, name)

    def col(canon: str) -> str:
        c = cols[canon]
        return c[2:] if c.startswith("__") else c

    for canon, spec in lay.columns.items():
        if spec.pattern and canon in cols:
            with problems.check(canon):
                df[cols[canon]] = extract_pattern(df[cols[canon]], spec.pattern, name, col(canon), header_rows)
    n = len(df)
    numeric = [*COUNTS, "month", "weekday", "hour", "paid_impressions"]
    df = blank_missing_words(df, [cols[c] for c in numeric if c in cols], lay.missing_words)
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
                                                _("read as 0 (the export leaves a count of nothing empty)")))
        elif canon in OPTIONAL_COUNTS and gaps.any():
            how = _("left empty")
            if canon in ("likes", "comments", "shares"):
                how += (_("; the file's total interactions count it as 0") if "interactions" in cols
                        else _("; counted as 0 in interactions"))
            if canon == report.basis:
                how += _("; these posts have no engagement rate by {basis}").format(basis=basis_word(canon))
            report.missing.append(MissingValues(col(canon), sheet_rows(gaps.to_numpy().nonzero()[0], header_rows), how))

    if detected == "uci":
        published = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        if {"month", "weekday", "hour"} & problems.failed:  # unreadable, already listed: nothing to rebuild
            problems.failed.add("published")
        else:
            with problems.check("published"):
                published = uci_dates(num["month"].to_numpy("int64"), num["weekday"].to_numpy("int64"),
                                      num["hour"].to_numpy("int64"), name, cols, header_rows)
        report.dates_reconstructed = True
        width = max(4, len(str(n)))
        pid = "uci-" + pd.Series(np.arange(n, 0, -1)).astype("string").str.zfill(width)
        if "post_id" in cols:
            pid = df[cols["post_id"]].astype("string").str.strip()
        data["post_id"] = pid.array
        report.notes.append(_("dates reconstructed from Post Month, Weekday (1 = Sunday) and Hour of {year} "
                              "(newest row first)").format(year=UCI_YEAR))
        report.notes.append(_("the file holds {n} of the paper's {paper} posts: some gaps are withheld posts").format(
            n=plain(n), paper=plain(UCI_PAPER_POSTS)))
        report.notes.append(_("post ids derived from file order: uci-0001 is the last (oldest) row"))
    else:
        published = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        with problems.check("published"):
            if lay.columns.get("published") and lay.columns["published"].derive == "id_unix_seconds":
                published = times_from_ids(df[cols["post_id"]], name, col("post_id"), header_rows)
                report.notes.append(_("publication times from the post ids (their top 32 bits are the Unix time, "
                                      "UTC); '{column}' has no year").format(column=col("published")))
            else:
                published = to_datetime(english_months(df[cols["published"]], lay.date_words), path=name,
                                        column=col("published"),
                                        header_rows=header_rows, formats=tuple(lay.date_formats),
                                        allow_missing=lay.empty("published") in ("drop", "missing"))
        if "post_id" in cols:
            ids = post_ids(df[cols["post_id"]])
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
            report.notes.append(_("no post id column: ids are the spreadsheet row numbers (row-2, row-3, ...)"))
    data["published"] = pd.Series(published).to_numpy().astype("datetime64[ns]", copy=False)
    data["type"] = (label_column(df[cols["type"]], lay.type_names()).array if "type" in cols
                    else missing_column(n, "string"))
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
            data["category"] = label_column(raw).array
    else:
        data["category"] = missing_column(n, "string")
    if "paid" in cols:
        paid = pd.Series(pd.NA, index=df.index, dtype="boolean")
        with problems.check("paid"):
            paid = paid_flags(df[cols["paid"]], name, col("paid"), header_rows, lay.paid_words())
        if lay.empty("paid") == "false" and detected != "mapping":
            unset = paid.isna()
            if unset.any():
                paid = paid.fillna(False)
                report.notes.append(plural(int(unset.sum()), _("{column}: {n} empty cell read as not paid (the "
                                                                "export leaves the status of an organic post empty)"),
                                           _("{column}: {n} empty cells read as not paid (the export leaves the "
                                             "status of an organic post empty)"), column=col("paid")))
        if "paid_impressions" in num:
            boosted = (num["paid_impressions"] > 0).to_numpy()
            caught = int((boosted & ~paid.fillna(True).to_numpy(dtype=bool)).sum())
            paid = paid.mask(pd.Series(boosted, index=paid.index), True)
            report.notes.append(plural(caught, _("paid also where '{column}' is above 0 ({n} post with an empty or "
                                                 "organic status)"),
                                       _("paid also where '{column}' is above 0 ({n} posts with an empty or "
                                         "organic status)"), column=col("paid_impressions")))
        elif lay.empty("paid") == "false" and detected != "mapping":
            report.notes.append(_("the export has no boosted reach column: a boosted post whose {column} is "
                                  "empty counts as organic (Meta Business Suite leaves it empty on some boosted "
                                  "posts; tick Reach from Boosted posts when exporting)").format(column=col("paid")))
        data["paid"] = paid.array
    elif "paid_impressions" in cols:
        pi = num["paid_impressions"]
        data["paid"] = (pi > 0).astype("boolean").where(pi.notna(), pd.NA).array
        report.notes.append(_("paid = '{column}' above 0").format(column=col("paid_impressions")))
    else:
        data["paid"] = missing_column(n, "boolean")
    if "paid" in cols or "paid_impressions" in cols:
        paid_na = pd.isna(data["paid"])
        if paid_na.any() and 0 < paid_na.sum() < n:
            report.missing.append(MissingValues(col("paid" if "paid" in cols else "paid_impressions"),
                                                sheet_rows(paid_na.nonzero()[0], header_rows),
                                                _("left unknown; excluded from paid share and paid vs organic")))
    for canon in ("reach", "impressions", "engaged_users", "comments", "likes", "shares", "page_likes", "saves",
                  "follows"):
        data[canon] = nullable_int(num[canon]) if canon in num else missing_column(n, "Int64")
    if "interactions" in num:
        data["interactions"] = num["interactions"].fillna(0).to_numpy("int64")
    else:
        data["interactions"] = (num["comments"].fillna(0) + num["likes"].fillna(0)
                                + num["shares"].fillna(0)).to_numpy("int64")
        report.notes.append(_("interactions = comments + likes + shares (no total column in the file)"))
    message = to_text(df[cols["message"]]) if "message" in cols else pd.Series(missing_column(n, "string"))
    if "description" in cols and "message" in cols and cols["description"] != cols["message"]:
        message = message.fillna(pd.Series(to_text(df[cols["description"]]).array, index=message.index))
    data["message"] = message.array
    stem = Path(name).stem
    if "page" in cols:
        data["page"] = label_column(df[cols["page"]]).fillna(stem).array
    else:
        data["page"] = repeated_column(stem, n)
    data["network"] = repeated_column(lay.network, n)
    del df, num  # the raw table is no longer needed: free it before validation
    out = pd.DataFrame(data, index=pd.RangeIndex(n), copy=False).astype(DTYPES)
    report.absent = [c for c in ("type", "category", "paid", "reach", "impressions", "engaged_users", "comments",
                                 "likes", "shares", "page_likes", "message", "saves", "follows")
                     if c not in cols and not (c == "paid" and "paid_impressions" in cols)
                     and (c not in ("saves", "follows") or c in lay.columns)]

    undated = out["published"].isna()
    if undated.any() and "published" not in problems.failed:
        out = out[~undated]  # the index keeps the file positions: later errors name the right rows
        report.notes.append(plural(int(undated.sum()), _("{n} row without a publication date left out ({rows}): "
                                                         "not published posts"),
                                   _("{n} rows without a publication date left out ({rows}): not published posts"),
                                   rows=rows_text(sheet_rows(undated.to_numpy().nonzero()[0], header_rows))))
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
    report.pages = out["page"].unique().tolist()  # in order of first appearance
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
