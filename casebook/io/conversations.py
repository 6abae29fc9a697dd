"""Loading a customer-support conversation export (room io) into one canonical message table.

May import: the foundation and the other io modules (files, tables, convert).

:func:`load_conversations` reads two kinds of file and returns the same table:

- ``twcs``: the "Customer Support on Twitter" data set (Kaggle, Thought Vector 2017), recognised from
  its header ``tweet_id, author_id, inbound, created_at, text, response_tweet_id,
  in_response_to_tweet_id``. Sources that agree on it: the publisher's export script
  (github.com/soaxelbrooke/twitter-customer-support-collector, export.py), the Kaggle column
  descriptions (republished in github.com/adenm1/ecommerce-risk-nlp, readme.txt) and the bundled real
  sample (``data/twcs_customer_support``). Copies saved by pandas carry a first, unnamed row-number
  column: it is ignored. ``created_at`` is Twitter's ``Tue Oct 31 22:10:47 +0000 2017`` form, in UTC
  (developer.x.com/overview/api/tweets, ``created_at``).
- ``mapping``: any other export (a help-desk or social-inbox tool), through ``mapping``, a dict of
  canonical name -> the file's column.

Canonical columns (one row per message, sorted by ``created``, file order within a time):

==============  ================  ==========================================================
column          dtype             meaning
==============  ================  ==========================================================
message_id      string            the export's message id, as text (never a float)
author          string            who wrote it: a brand account or a customer id
inbound         boolean           True = a customer's message to a brand; False = the brand's
created         datetime64[ns]    when it was sent: UTC when the file writes offsets (twcs:
                                  ``+0000``), else the time as written
reply_to        string, nullable  the id of the message it answers (may lie outside the file)
text            string, nullable  the message, as written (bare ``\\r`` kept)
==============  ================  ==========================================================

Ids are read as text: platform ids are longer than a float holds exactly (Twitter's exceed 2**53,
developer.x.com/overview/api/tweets, ``id``), and a reply-to column with empty cells would otherwise
be read as floats. For the same reason a delimited file is read here with pandas' C parser (the
sniffing, encodings and one-line errors are :mod:`casebook.io.tables`'), ``\\n`` being the only line
end: twcs texts hold bare carriage returns, which split a row in two otherwise. XLSX and Parquet go
through :func:`casebook.io.tables.read_table`.

Blocking problems raise one-line :class:`~casebook.errors.InputError` messages (file, column, rows,
what was expected). A reply to a message absent from the file is a warning in the report, not an
error: a sample cuts conversations.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from casebook import clock
from casebook.errors import InputError, sheet_rows
from casebook.i18n import gettext as _
from casebook.io.conversation_cells import (
    INBOUND_WORDS,
    example_values,
    mask_rows,
    position_of,
    stripped_lower,
    to_created,
    to_ids,
    to_inbound,
)
from casebook.io.convert import to_text
from casebook.io.files import check_file
from casebook.io.report_words import count, delimiter, plural, rows_text, span, translated
from casebook.io.tables import (
    SAMPLE_BYTES,
    TableInfo,
    header_text,
    read_table,
    require_distinct_header,
    require_no_nul,
    require_rows,
    sniff_delimiter,
    sniff_encoding,
)

#: The canonical message table, in order (mirrored by :data:`casebook.support.replies.COLUMNS`).
CONVERSATION_COLUMNS = ["message_id", "author", "inbound", "created", "reply_to", "text"]
REQUIRED = ["message_id", "author", "inbound", "created"]
DTYPES = {"message_id": "string", "author": "string", "inbound": "boolean", "created": "datetime64[ns]",
          "reply_to": "string", "text": "string"}

#: The twcs layout: canonical name -> column of Kaggle's twcs.csv.
TWCS_COLUMNS = {"message_id": "tweet_id", "author": "author_id", "inbound": "inbound", "created": "created_at",
                "reply_to": "in_response_to_tweet_id", "text": "text"}
TWCS_HEADER = ["tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
               "in_response_to_tweet_id"]
LAYOUT_TITLES = {"twcs": "Customer Support on Twitter (Kaggle twcs.csv)", "mapping": "column mapping"}
#: The credit and licence line every table or chart derived from the twcs data carries.
TWCS_CREDIT = "Data: Customer Support on Twitter, CC BY-NC-SA 4.0"

_INDEX_NAMES = {"", "unnamed: 0", "index"}


@dataclass
class ConversationReport:
    """What :func:`load_conversations` read: the lines ``casebook validate`` prints."""

    path: str
    layout: str
    table: TableInfo
    columns: dict[str, str] = field(default_factory=dict)
    messages: int = 0
    inbound: int = 0
    brand_messages: int = 0
    brands: int = 0
    customers: int = 0
    replies: int = 0
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    outside_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def outside(self) -> int:
        """Messages whose reply_to names a message absent from the file."""
        return len(self.outside_rows)

    @property
    def credit(self) -> str:
        """The data credit for charts and tables: the twcs licence line, else the file's name."""
        return TWCS_CREDIT if self.layout == "twcs" else f"Data: {Path(self.path).name}"

    @property
    def warnings(self) -> list[str]:
        """Problems that do not block the analysis but bias it (a sample cut mid-conversation)."""
        if not self.outside_rows:
            return []
        return [plural(self.outside, _("{n} message answers a message absent from the file ({rows}): their "
                                       "conversations begin outside it, and a brand reply among them cannot be "
                                       "timed"),
                       _("{n} messages answer a message absent from the file ({rows}): their conversations begin "
                         "outside it, and a brand reply among them cannot be timed"),
                       rows=rows_text(self.outside_rows))]

    def lines(self) -> list[str]:
        """The report as lines of text, one fact per line."""
        titles = {"twcs": _("Customer Support on Twitter (Kaggle twcs.csv)"), "mapping": _("column mapping")}
        out = [
            _("file: {path}").format(path=self.path),
            _("layout: {title}").format(title=titles.get(self.layout, self.layout)),
            _("format: {format}; encoding: {encoding}; delimiter: {delimiter}").format(
                format=self.table.format, encoding=self.table.encoding or _("n/a"),
                delimiter=delimiter(self.table.delimiter)),
            _("columns: {columns}").format(columns=", ".join(f"{k} <- {v}" for k, v in self.columns.items())),
            _("rows read: {rows}; messages: {messages}").format(rows=count(self.table.rows),
                                                                messages=count(self.messages)),
            _("inbound (customer) messages: {inbound}; brand messages: {brand} from {accounts}; {customers}").format(
                inbound=count(self.inbound), brand=count(self.brand_messages),
                accounts=plural(self.brands, _("{n} brand account"), _("{n} brand accounts")),
                customers=plural(self.customers, _("{n} customer"), _("{n} customers"))),
            _("replies (messages with a reply-to id): {n}").format(n=count(self.replies)),
        ]
        if self.first is not None and self.last is not None:
            out.append(_("date range: {span}").format(span=span(self.first, self.last)))
        out += [_("warning: {warning}").format(warning=w) for w in self.warnings]
        out += [_("note: {note}").format(note=n) for n in self.notes]
        if self.layout == "twcs":
            out.append(_("licence: CC BY-NC-SA 4.0 (NonCommercial, ShareAlike): tables and charts derived from "
                         "this file carry it ({credit})").format(
                credit=_("Data: Customer Support on Twitter, CC BY-NC-SA 4.0")))
        return out


# --- reading ---------------------------------------------------------------------------------------

def _decode_error(name: str, enc: str) -> InputError:
    return InputError(name, f"the file cannot be decoded as {enc}", expected="UTF-8, UTF-16 or latin-1 text")


def _read_delimited(p: Path, name: str) -> tuple[pd.DataFrame, TableInfo]:
    """Read a CSV/TSV with every cell as text and ``\\n`` as the only line end (see the module docstring)."""
    with p.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
        truncated = bool(f.read(1))
    if not head.strip():
        raise InputError(name, "the file is empty", expected="a header row and at least one data row")
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(name, "the file is UTF-32 text", expected="UTF-8, UTF-16 or latin-1 text "
                         "(save the export again as UTF-8 CSV)")
    if truncated:
        head = head[: head.rfind(b"\n") + 1] or head  # do not cut a character in two
    enc = sniff_encoding(head, name)
    try:
        text = codecs.getincrementaldecoder(enc)().decode(head, final=not truncated)
    except (UnicodeDecodeError, LookupError):
        raise _decode_error(name, enc) from None
    if "\x00" in text:
        raise InputError(name, "this is a binary file, not a table", expected="a CSV, TSV or XLSX export")
    if truncated and not enc.startswith("utf-16"):
        require_no_nul(p, name)
    text = text.lstrip("\ufeff")
    sep = sniff_delimiter(text, name)
    header = next((r for r in csv.reader(io.StringIO(text), delimiter=sep) if r), [])
    require_distinct_header([h.rstrip("\r") for h in header], name)
    crlf = "\r\n" in text
    kwargs = {"sep": sep, "dtype": str, "keep_default_na": False, "na_values": [""], "skip_blank_lines": True,
              "lineterminator": "\n" if "\n" in text else None}
    df = None
    for attempt in (enc, "latin-1") if enc == "utf-8" else (enc,):
        try:
            with p.open(encoding=attempt, newline="") as fh:  # newline="": a bare "\r" stays inside its text
                df = pd.read_csv(fh, **kwargs)
        except UnicodeDecodeError:
            if attempt != "utf-8":
                raise _decode_error(name, attempt) from None
            continue  # valid UTF-8 at the start, not further on
        except pd.errors.EmptyDataError:
            raise InputError(name, "the file is empty", expected="a header row and at least one data row") from None
        except pd.errors.ParserError as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise InputError(name, "a row has more fields than the header", rows=[int(m.group(1))] if m else None,
                             expected=f"every row split by {sep!r} into as many fields as the header") from None
        enc = attempt
        break
    assert df is not None
    df.columns = [str(c).lstrip("\ufeff").strip() for c in df.columns]
    if crlf and len(df.columns):  # "\n" ends rows: a CRLF file leaves "\r" at the end of each last cell
        last = df.columns[-1]
        cells = df[last].str.removesuffix("\r")
        df[last] = cells.where(cells != "", None)
    return df, TableInfo(name, "csv", encoding=enc, delimiter=sep, rows=len(df))


def read_conversation_table(path: str | Path) -> tuple[pd.DataFrame, TableInfo]:
    """Read a conversation export as it is: delimited text cell by cell as text, XLSX and Parquet through
    :func:`~casebook.io.tables.read_table`."""
    p = check_file(path)
    if p.suffix.lower() in (".xlsx", ".xlsm", ".parquet"):
        df, info = read_table(path)
        if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0:
            df = df.reset_index()  # a Parquet file's stored index becomes a column again ("index" if unnamed)
    else:
        df, info = _read_delimited(p, str(path))
    info.rows = len(df)
    return df, info


# --- layout ------------------------------------------------------------------------------------------

def detect_layout(header: list[str]) -> str | None:
    """``"twcs"`` when the header has at least three of the twcs columns, else None."""
    names = {stripped_lower(c) for c in header}
    return "twcs" if len(names & set(TWCS_HEADER)) >= 3 else None


def resolve_columns(header: list[str], mapping: Mapping[str, str] | None, path: str) -> tuple[str, dict[str, str]]:
    """The layout and its canonical name -> file column; one InputError for an unknown name or column."""
    by_norm: dict[str, str] = {}
    for c in header:
        by_norm.setdefault(stripped_lower(c), c)
    layout = detect_layout(header)
    cols: dict[str, str] = {}
    if layout == "twcs":
        cols = {canon: by_norm[col] for canon, col in TWCS_COLUMNS.items() if col in by_norm}
    for canon, col in (mapping or {}).items():
        if canon not in CONVERSATION_COLUMNS:
            raise InputError(path, f"unknown canonical name {canon!r} in the column mapping",
                             expected="keys among " + ", ".join(CONVERSATION_COLUMNS))
        if col not in header and stripped_lower(col) not in by_norm:
            raise InputError(path, f"the column mapping names a column the file does not have "
                             f"(the file has: {header_text(header)})", column=col,
                             expected=f"a column of the file for {canon}")
        cols[canon] = col if col in header else by_norm[stripped_lower(col)]
    if layout is None:
        if not mapping:
            raise InputError(path, f"unrecognised conversation export (the file has: {header_text(header)})",
                             expected="the twcs columns (" + ", ".join(TWCS_HEADER) + ") or a column_mapping of "
                             + ", ".join(REQUIRED) + " (and reply_to, text) to the file's columns")
        layout = "mapping"
    lacking = [c for c in REQUIRED if c not in cols]
    if lacking:
        named = [TWCS_COLUMNS[c] if layout == "twcs" else c for c in lacking]
        raise InputError(path, f"missing column{'s' if len(lacking) > 1 else ''} (the file has: "
                         f"{header_text(header)})", column="', '".join(named),
                         expected=f"{LAYOUT_TITLES[layout]}: a column for {', '.join(lacking)} (or pass "
                         "mapping={" + ", ".join(f"'{c}': '<your column>'" for c in lacking) + "})")
    return layout, cols


# --- schema ------------------------------------------------------------------------------------------

def _schema(latest: pd.Timestamp) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "message_id": pa.Column("string", unique=True, nullable=False),
            "author": pa.Column("string", nullable=False),
            "inbound": pa.Column("boolean", nullable=False),
            "created": pa.Column("datetime64[ns]", pa.Check.le(latest), nullable=False),
            "reply_to": pa.Column("string", nullable=True),
            "text": pa.Column("string", nullable=True),
        },
        strict=True, ordered=True,
    )


def validate_conversations(msgs: pd.DataFrame, *, path: str = "input", source_columns: Mapping[str, str] | None = None,
                           header_rows: int = 1) -> pd.DataFrame:
    """Check a canonical message table with its pandera schema; raise the first failure as one InputError.

    ``msgs`` must still have its file positions as index (0 = first record) for the rows to be named.
    """
    latest = clock.end_of_today()
    try:
        return _schema(latest).validate(msgs, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        col, check = fc.iloc[0]["column"], str(fc.iloc[0]["check"])
        bad = fc[(fc["column"] == col) & (fc["check"].astype(str) == check)]
        idx = [int(i) for i in bad["index"].dropna()]
        if check == "field_uniqueness":
            dup = msgs[str(col)].duplicated(keep=False).to_numpy()
            idx = [int(i) for i in msgs.index[dup]]
        name = (source_columns or {}).get(str(col), str(col))
        examples = ", ".join(str(v) for v in bad["failure_case"].head(3))
        problem, expected = {
            "field_uniqueness": (f"duplicate message ids ({examples})", "each message id once"),
            "not_nullable": ("empty cells", "a value in every row"),
        }.get(check, (f"failed check {check} ({examples})", f"values of the canonical type {DTYPES.get(str(col))}"))
        raise InputError(path, problem, column=name, rows=sheet_rows(idx, header_rows), expected=expected) from None


# --- the loader --------------------------------------------------------------------------------------

def load_conversations(path: str | Path, *, mapping: Mapping[str, str] | None = None
                       ) -> tuple[pd.DataFrame, ConversationReport]:
    """Read a conversation export (twcs, or any table through ``mapping``) into the canonical table.

    ``mapping`` maps canonical names (module docstring) to the file's columns and overrides the twcs
    names. Returns the table and a :class:`ConversationReport`; bad input raises one InputError line.
    """
    name = str(path)
    if mapping is not None and not isinstance(mapping, Mapping):
        raise InputError(name, f"the column mapping is a {type(mapping).__name__}",
                         expected="a dict of canonical name -> column, e.g. {'message_id': 'id'}")
    mapping = {k: v for k, v in (mapping or {}).items() if v not in (None, "")}
    df, info = read_conversation_table(path)
    header = [str(c) for c in df.columns]
    layout, cols = resolve_columns(header, mapping, name)
    report = ConversationReport(name, layout, info, columns=dict(cols))
    require_rows(df, name)
    used = set(cols.values())
    first = header[0] if header else ""
    if (stripped_lower(first).startswith("unnamed") or stripped_lower(first) in _INDEX_NAMES) and first not in used:
        report.notes.append(_("the first, unnamed column (row numbers written with the file) is ignored"))

    n = len(df)
    data = {
        "message_id": to_ids(df[cols["message_id"]], path=name, column=cols["message_id"]),
        "author": to_ids(df[cols["author"]], path=name, column=cols["author"], what="authors"),
        "inbound": to_inbound(df[cols["inbound"]], path=name, column=cols["inbound"]),
        "created": to_created(df[cols["created"]], path=name, column=cols["created"], notes=report.notes),
        "reply_to": (to_ids(df[cols["reply_to"]], path=name, column=cols["reply_to"], allow_missing=True)
                     if "reply_to" in cols else pd.Series(pd.NA, index=df.index, dtype="string")),
        "text": to_text(df[cols["text"]]) if "text" in cols else pd.Series(pd.NA, index=df.index, dtype="string"),
    }
    if "reply_to" not in cols:
        report.notes.append(_("no reply-to column: replies cannot be matched (map one with "
                              "mapping={'reply_to': ...})"))
    msgs = pd.DataFrame(data, index=pd.RangeIndex(n)).astype(DTYPES)
    msgs = validate_conversations(msgs, path=name, source_columns=cols)

    own = (msgs["reply_to"] == msgs["message_id"]).fillna(False).to_numpy(dtype=bool)
    if own.any():
        raise InputError(name, f"messages that answer themselves ({example_values(msgs['message_id'], own)})",
                         column=cols["reply_to"], rows=mask_rows(own),
                         expected="the id of another message (or an empty cell)")
    inbound = msgs["inbound"].to_numpy(dtype=bool)
    if inbound.all() or not inbound.any():
        who = "customers' (inbound)" if inbound.all() else "brands' (not inbound)"
        raise InputError(name, f"every message is a {who} message", column=cols["inbound"],
                         expected="both customers' messages (True) and brand replies (False): "
                         "with one side only there is no conversation to measure")

    has_reply = msgs["reply_to"].notna().to_numpy(dtype=bool)
    parent = position_of(msgs["message_id"], msgs["reply_to"])
    report.outside_rows = mask_rows(has_reply & (parent < 0))
    created = msgs["created"].to_numpy()
    early = (parent >= 0) & (created < created[np.maximum(parent, 0)])
    if early.any():
        one = _("{n} reply is dated before the message it answers ({rows}): clocks disagree; its reply time is "
                "left out") if translated() else None
        report.notes.append(plural(int(early.sum()), one,
                                   _("{n} replies are dated before the message they answer ({rows}): clocks "
                                     "disagree; their reply times are left out"), rows=rows_text(mask_rows(early))))
    if "text" in cols:
        bare_cr = msgs["text"].str.contains("\r", regex=False).fillna(False)
        if bare_cr.any():
            report.notes.append(plural(int(bare_cr.sum()), _("{n} text with a carriage return, kept as written "
                                                             "({rows})"),
                                       _("{n} texts with a carriage return, kept as written ({rows})"),
                                       rows=rows_text(mask_rows(bare_cr))))
    if layout == "twcs" and "response_tweet_id" in {stripped_lower(c) for c in header}:
        col = next(c for c in header if stripped_lower(c) == "response_tweet_id")
        listed = df[col].dropna().astype("string").str.split(",").explode().str.strip()
        listed = listed[listed.notna() & (listed != "")]
        missing = int((position_of(msgs["message_id"], listed) < 0).sum())
        if missing:
            one = _("{n} response listed in {column} is not in the file (the sample cuts conversations): some "
                    "messages may be answered outside it, so reply rates are a lower bound") if translated() else None
            report.notes.append(plural(missing, one, _("{n} responses listed in {column} are not in the file (the "
                                                       "sample cuts conversations): some messages may be answered "
                                                       "outside it, so reply rates are a lower bound"), column=col))

    if layout == "twcs":
        report.notes.append(_("the publisher kept only conversations a brand answered (its export walks out from "
                              "brand replies): customers never answered are not in twcs"))
    report.messages = n
    report.inbound = int(inbound.sum())
    report.brand_messages = n - report.inbound
    report.brands = int(msgs.loc[~msgs["inbound"].astype(bool), "author"].nunique())
    report.customers = int(msgs.loc[msgs["inbound"].astype(bool), "author"].nunique())
    report.replies = int(has_reply.sum())
    report.first, report.last = msgs["created"].min(), msgs["created"].max()
    if not msgs["created"].is_monotonic_increasing:
        msgs = msgs.sort_values("created", kind="stable")
    return msgs.reset_index(drop=True), report


__all__ = ["CONVERSATION_COLUMNS", "ConversationReport", "DTYPES", "INBOUND_WORDS", "TWCS_COLUMNS", "TWCS_CREDIT",
           "detect_layout", "load_conversations", "read_conversation_table", "resolve_columns", "to_created",
           "to_ids", "to_inbound", "validate_conversations"]
