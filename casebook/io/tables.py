"""Reading any table people export (room io): sniffed encoding, delimiter and decimal comma.

May import: the foundation. CSV/TSV go through pyarrow's CSV reader or pandas' C parser, as shipped.

Every loader of the book (posts, transactions, survey counts) reads through :func:`read_table`,
so a file is read the same way by a chapter and by ``casebook validate``. Problems are raised as
one-line :class:`~casebook.errors.InputError` messages, never as a pandas traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from casebook.errors import InputError, sheet_rows
from casebook.i18n import gettext as _
from casebook.io.files import check_file, check_workbook
from casebook.io.report_words import delimiter, row_count

SAMPLE_BYTES = 256 * 1024
#: Resource bounds (README, "Limits"): beyond them a file is refused with one line, before it is parsed.
MAX_COLUMNS = 1_000
SNIFF_CHARS = 16 * 1024
#: Bytes of a file each of pyarrow's parsing threads takes at a time.
ARROW_BLOCK_BYTES = 4 * 1024 * 1024
#: Cells read as missing, as pandas reads them by default: both parsers read a file alike.
NA_TEXT = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
           "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
#: Picks the columns to keep from a file's (stripped) column names.
Selector = Callable[[list[str]], Iterable[str]]
DELIMITERS = [",", ";", "\t"]
#: A field written with a decimal comma (``12,5``, ``1.250,5``, ``1 250,5``) in a ``;`` or tab separated file.
_DECIMAL_COMMA = re.compile(r"(?:^|[;\t])\s*-?(?:\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d+),\d+\s*(?=$|[;\t])", re.M)


@dataclass
class TableInfo:
    """How a file was read: what ``casebook validate`` reports."""

    path: str
    format: str  # "csv", "xlsx" or "parquet"
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str = "."
    rows: int = 0
    skipped_rows: list[int] = field(default_factory=list)

    def describe(self) -> str:
        """One line for reports: 'csv, utf-8-sig, ';' separated, decimal comma, 500 rows'."""
        bits = [self.format]
        if self.encoding:
            bits.append(self.encoding)
        if self.delimiter:
            bits.append(_("{delimiter} separated").format(delimiter=delimiter(self.delimiter)))
        if self.decimal == ",":
            bits.append(_("decimal comma"))
        bits.append(row_count(self.rows))
        return ", ".join(bits)


def sniff_encoding(raw: bytes, path: str) -> str:
    """Name the encoding of ``raw``: a BOM first, then UTF-8 if it decodes, else latin-1."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in raw[:SAMPLE_BYTES]:
        # UTF-16 without a BOM shows as every other byte NUL in ASCII text.
        sample = raw[:SAMPLE_BYTES]
        if sample[1::2].count(0) > 0.4 * len(sample[1::2]):
            return "utf-16-le"
        if sample[0::2].count(0) > 0.4 * len(sample[0::2]):
            return "utf-16-be"
        raise InputError(path, "this is a binary file, not a table", expected="a CSV, TSV or XLSX export")
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_delimiter(text: str, path: str) -> str:
    """The delimiter among ``,``, ``;`` and tab that splits the first lines most consistently.

    ``csv.Sniffer`` backtracks badly on some crafted lines, so it sees a bounded sample only
    (:data:`SNIFF_CHARS` characters of the first 20 lines).
    """
    lines = [ln for ln in text[: SNIFF_CHARS * 4].splitlines()[:20] if ln.strip()]
    if not lines:
        raise InputError(path, "the file is empty", expected="a header row and at least one data row")
    try:
        return csv.Sniffer().sniff("\n".join(lines)[:SNIFF_CHARS], delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def sniff_decimal(text: str, delimiter: str) -> str:
    """``","`` when a non-comma-separated file writes numbers like ``12,5``, else ``"."``."""
    if delimiter == ",":
        return "."
    return "," if _DECIMAL_COMMA.search(text[:SAMPLE_BYTES]) else "."


def read_table(
    path: str | Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: str | None = None,
    sheet: str | int = 0,
    skip_rows: list[int] | None = None,
    keep: Selector | None = None,
    labels: Selector | None = None,
) -> tuple[pd.DataFrame, TableInfo]:
    """Read a CSV/TSV (any of the sniffed layouts), XLSX or Parquet file into a DataFrame.

    Column names are stripped of surrounding whitespace. Values keep pandas' inferred dtypes;
    the loaders convert and check each column they need. ``skip_rows`` are 0-based positions of
    records to drop right after the header (e.g. the description row of a Facebook Insights export).
    ``keep`` is called with the file's column names and returns those to keep: a large CSV's other
    columns are then never converted (every row is still checked for its number of fields).
    ``labels`` picks columns of a few values repeated on every row (post types, flags): they are
    read as pandas categoricals, encoded while parsing.
    """
    p = check_file(path)
    name = str(path)
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        try:
            require_distinct_header(pq.read_schema(p).names, name)
            df = pd.read_parquet(p)
        except InputError:
            raise
        except Exception as exc:  # pyarrow raises many types for a corrupt file
            raise InputError(name, f"not a readable Parquet file ({type(exc).__name__})",
                             expected="a Parquet file") from None
        info = TableInfo(name, "parquet")
    elif suffix in (".xlsx", ".xlsm"):
        check_workbook(p, name)
        try:
            df = pd.read_excel(p, sheet_name=sheet, dtype=object)
            header = pd.read_excel(p, sheet_name=sheet, header=None, nrows=1, dtype=object)  # before renaming
        except Exception as exc:
            raise InputError(name, f"not a readable Excel workbook ({type(exc).__name__})",
                             expected="an .xlsx export") from None
        require_distinct_header(header.iloc[0] if len(header) else [], name)
        info = TableInfo(name, "xlsx")
    else:
        df, info = _read_text_table(p, name, delimiter=delimiter, encoding=encoding, decimal=decimal, keep=keep,
                                    labels=labels)
    df.columns = [str(c).strip() for c in df.columns]
    if info.format != "csv":  # the text reader selects and encodes while it parses
        df = _select(df, keep, labels)
    if skip_rows:
        info.skipped_rows = sheet_rows(skip_rows)
        df = df.drop(index=df.index[skip_rows]).reset_index(drop=True)
    info.rows = len(df)
    return df, info


def _read_text_table(
    p: Path, name: str, *, delimiter: str | None, encoding: str | None, decimal: str | None,
    keep: Selector | None = None,
    labels: Selector | None = None,
) -> tuple[pd.DataFrame, TableInfo]:
    """Sniff a delimited text file from its first bytes, then parse it whole.

    UTF-8 files with a decimal point go through pyarrow's multithreaded parser; other encodings and
    decimal commas, and any file pyarrow rejects, through pandas' C parser, whose errors name lines.
    """
    with p.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
        truncated = bool(f.read(1))
    if not head.strip():
        raise InputError(name, "the file is empty", expected="a header row and at least one data row")
    if truncated and not encoding:
        head = head[: head.rfind(b"\n") + 1] or head  # do not cut a character in two
    enc = encoding or sniff_encoding(head, name)
    try:  # incrementally: a UTF-16 head cut after a line break's first byte keeps its last byte for later
        text = codecs.getincrementaldecoder(enc)().decode(head, final=not truncated)
    except (UnicodeDecodeError, LookupError):
        raise InputError(name, f"the file cannot be decoded as {enc}",
                         expected="UTF-8, UTF-16 or latin-1 text") from None
    if "\x00" in text:
        raise InputError(name, "this is a binary file, not a table", expected="a CSV, TSV or XLSX export")
    if truncated and not codecs.lookup(enc).name.startswith("utf-16"):  # UTF-16 text is half NUL bytes
        require_no_nul(p, name)
    text = text.lstrip("\ufeff")
    sep = delimiter or sniff_delimiter(text, name)
    header = next((r for r in csv.reader(io.StringIO(text), delimiter=sep) if r), [])
    require_distinct_header(header, name)
    dec = decimal or sniff_decimal(text, sep)
    if enc in ("utf-8", "utf-8-sig") and dec == ".":
        df = _read_with_arrow(p, sep=sep, header=header, keep=keep, labels=labels)
        if df is not None:
            return df, TableInfo(name, "csv", encoding=enc, delimiter=sep, decimal=dec)
    df = _read_with_c_parser(p, name, sep=sep, dec=dec, enc=enc)
    if enc == "utf-8" and df is None:
        enc = "latin-1"  # valid UTF-8 at the start, not further on
        df = _read_with_c_parser(p, name, sep=sep, dec=dec, enc=enc)
    df.columns = [str(c).lstrip("\ufeff").strip() for c in df.columns]
    df = _select(df, keep, labels)
    return df, TableInfo(name, "csv", encoding=enc, delimiter=sep, decimal=dec)


def require_distinct_header(names: Iterable[object], path: str) -> None:
    """Raise an InputError naming the first column name a header repeats (compared stripped of spaces).

    Readers rename repeated names (pandas writes ``Reach.1``), so the check reads the header as written.
    Empty names are left to the readers (pandas calls them ``Unnamed: 2``).
    """
    names = list(names)
    if len(names) > MAX_COLUMNS:
        raise InputError(path, f"the header has {len(names):,} columns", rows=[1],
                         expected=f"at most {MAX_COLUMNS:,} columns")
    seen: set[str] = set()
    for raw in names:
        key = "" if pd.isna(raw) else str(raw).lstrip("\ufeff").strip()
        if key in seen:
            raise InputError(path, "the header names this column twice", column=key, rows=[1],
                             expected="a different name for every column")
        if key:
            seen.add(key)


def find_nul(path: str | Path, chunk: int = 16 * 1024 * 1024) -> tuple[int, int] | None:
    """Where the file's first NUL byte is, as (byte offset, line number), or None: text files hold none.

    Reads the file in chunks and searches each with ``bytes.find``; lines are counted only when one is found.
    """
    with open(path, "rb") as f:
        pos = 0
        while data := f.read(chunk):
            at = data.find(b"\x00")
            if at >= 0:
                f.seek(0)
                offset, line = pos + at, 1
                while offset - f.tell() > 0:
                    line += f.read(min(chunk, offset - f.tell())).count(b"\n")
                return offset, line
            pos += len(data)
    return None


def require_no_nul(path: str | Path, name: str) -> None:
    """Raise an InputError, as for a binary file, when a NUL byte appears anywhere in a text file."""
    found = find_nul(path)
    if found is not None:
        raise InputError(name, f"this is a binary file, not a table (a NUL byte on line {found[1]:,}, "
                         f"byte {found[0]:,})", expected="a CSV, TSV or XLSX export")


def _select(df: pd.DataFrame, keep: Selector | None, labels: Selector | None) -> pd.DataFrame:
    """The columns ``keep`` picks from ``df``'s, in file order, those ``labels`` picks as categoricals."""
    header = list(df.columns)
    if keep is not None:
        wanted = set(keep(header))
        df = df[[c for c in header if c in wanted]]
    if labels is not None:
        df = df.astype({c: "category" for c in labels(header) if c in df.columns})
    return df


def _read_with_arrow(p: Path, *, sep: str, header: list[str], keep: Selector | None,
                     labels: Selector | None) -> pd.DataFrame | None:
    """pyarrow's multithreaded CSV reader on the whole file, converting only the columns ``keep`` picks.

    ``header`` is the file's first row as written. Columns ``labels`` picks come back as pandas
    categoricals. None when pyarrow cannot read the file as pandas would (a malformed row, a column
    without a name, text that is not UTF-8): pandas' C parser then reads it or names the problem.
    """
    stripped = [n.strip() for n in header]
    if "" in stripped:
        return None  # pandas names such a column "Unnamed: 2"
    wanted = set(keep(stripped)) if keep is not None else set(stripped)
    categories = set(labels(stripped)) if labels is not None else set()
    chosen = [n for n, s in zip(header, stripped, strict=True) if s in wanted]
    read = pacsv.ReadOptions(block_size=ARROW_BLOCK_BYTES)
    # Label columns are encoded while parsing (no string per row); _as_inferred then gives them the
    # type pyarrow would have inferred (numbers stay numbers).
    coded = {n: pa.dictionary(pa.int32(), pa.string()) for n in chosen if n.strip() in categories}
    convert = pacsv.ConvertOptions(null_values=NA_TEXT, strings_can_be_null=True, include_columns=chosen,
                                   column_types=coded)
    try:
        table, parse = _arrow_csv(p, sep, header, read, convert)
        zoned = {f.name: pa.string() for f in table.schema if pa.types.is_timestamp(f.type) and f.type.tz}
        if zoned:  # pyarrow turns timestamps with offsets into UTC: keep their text, to_datetime keeps the local time
            convert.column_types = {**coded, **zoned}
            table = pacsv.read_csv(p, read_options=read, parse_options=parse, convert_options=convert)
        for name in coded:
            table = table.set_column(table.column_names.index(name), name, _as_inferred(table.column(name), convert))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, KeyError):  # its messages name no line
        return None
    if any(pa.types.is_binary(t) for t in table.schema.types):
        return None  # not UTF-8 after all (pyarrow keeps such text as bytes)
    for i, (name, kind) in enumerate(zip(table.column_names, table.schema.types, strict=True)):
        if pa.types.is_null(kind):  # an all-empty column: NaN floats, as pandas reads it
            table = table.set_column(i, name, table.column(i).cast(pa.float64()))
        if name.strip() in categories and not pa.types.is_dictionary(table.column(i).type):
            table = table.set_column(i, name, pc.dictionary_encode(table.column(i)))
    return table.to_pandas(split_blocks=True, self_destruct=True)


def _as_inferred(column: pa.ChunkedArray, convert: pacsv.ConvertOptions) -> pa.ChunkedArray:
    """A column read as dictionary-encoded text, with the type pyarrow infers for it when it reads the file.

    That type depends only on the column's distinct values: they are written as a one-column CSV and
    read back with the same options. Text stays dictionary-encoded; other types (numbers, flags) are
    the values read back, taken for each row.
    """
    distinct = pc.unique(pa.chunked_array([c.dictionary for c in column.chunks], type=pa.string()))
    sink = io.BytesIO()
    pacsv.write_csv(pa.table({"v": distinct}), sink)
    typed = pacsv.read_csv(io.BytesIO(sink.getvalue()), parse_options=pacsv.ParseOptions(newlines_in_values=True),
                           convert_options=pacsv.ConvertOptions(null_values=convert.null_values,
                                                                strings_can_be_null=True)).column(0)
    if pa.types.is_string(typed.type):
        return column
    values = typed.combine_chunks()
    return pa.chunked_array([values.take(pc.index_in(c.dictionary, value_set=distinct).take(c.indices))
                             for c in column.chunks], type=values.type)


def _arrow_csv(p: Path, sep: str, header: list[str], read: pacsv.ReadOptions,
               convert: pacsv.ConvertOptions) -> tuple[pa.Table, pacsv.ParseOptions]:
    """pyarrow's read of ``p`` and the parse options that read it right.

    A quoted value may hold line breaks (post texts do), which pyarrow reads right only if told
    (``newlines_in_values``): it then finds where its blocks end by following the quotes, one block
    after the other, which is slower on a large file. A file of more than one block is first read
    without that option, and the read is kept only if it cannot have cut a row at a block's end:
    no error, one row for every line (:func:`count_lines`), and no line break in the last column's
    values. A cut row either lacks a row (dropped), lacks fields (an error), or, when the quote it
    cut opened in the last column, ends that column's value with the line break it was cut at (a
    number or date column then fails to convert: an error). Else the file is read again with the
    option, so that no row is ever lost or cut.
    """
    slow = pacsv.ParseOptions(delimiter=sep, newlines_in_values=True)
    if len(header) >= 2 and p.stat().st_size > read.block_size:
        fast = pacsv.ParseOptions(delimiter=sep, newlines_in_values=False)
        last = header[-1]
        chosen = list(convert.include_columns) or list(header)
        check = pacsv.ConvertOptions(null_values=convert.null_values, strings_can_be_null=convert.strings_can_be_null,
                                     column_types=convert.column_types,
                                     include_columns=chosen if last in chosen else [*chosen, last])
        try:
            table = pacsv.read_csv(p, read_options=read, parse_options=fast, convert_options=check)
        except pa.ArrowInvalid:
            table = None
        if table is not None and table.num_rows + 1 == count_lines(p) and not _breaks_in(table.column(last)):
            return (table if last in chosen else table.drop_columns([last])), fast
    return pacsv.read_csv(p, read_options=read, parse_options=slow, convert_options=convert), slow


def _breaks_in(column: pa.ChunkedArray) -> bool:
    """A text column holds a value with a line break (other types cannot)."""
    if pa.types.is_dictionary(column.type):
        return any(_breaks_in(pa.chunked_array([c.dictionary], type=column.type.value_type)) for c in column.chunks)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return False
    return bool(pc.any(pc.match_substring_regex(column, "[\\r\\n]")).as_py())


def count_lines(path: str | Path, chunk: int = 16 * 1024 * 1024) -> int:
    """The lines of a text file: line breaks (``\n``, ``\r\n`` or ``\r``), plus one for a last line
    without one; empty lines included. Counted chunk by chunk with ``bytes.count``."""
    lines, last = 0, b""
    with open(path, "rb") as f:
        while data := f.read(chunk):
            lines += data.count(b"\n")
            if b"\r" in data:  # rarely: most files break lines with \n alone
                lines += data.count(b"\r") - data.count(b"\r\n")
            if last == b"\r" and data[:1] == b"\n":  # a CRLF cut between two chunks: one break
                lines -= 1
            last = data[-1:]
    return lines + (last not in (b"", b"\n", b"\r"))


def _read_with_c_parser(p: Path, name: str, *, sep: str, dec: str, enc: str) -> pd.DataFrame | None:
    """pandas' C parser; None when a UTF-8 guess fails further into the file."""
    try:
        return pd.read_csv(p, sep=sep, decimal=dec, encoding=enc, skip_blank_lines=True, low_memory=False)
    except UnicodeDecodeError:
        if enc == "utf-8":
            return None
        raise InputError(name, f"the file cannot be decoded as {enc}",
                         expected="UTF-8, UTF-16 or latin-1 text") from None
    except pd.errors.EmptyDataError:
        raise InputError(name, "the file is empty", expected="a header row and at least one data row") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        rows = [int(m.group(1))] if m else None
        raise InputError(name, "a row has more fields than the header", rows=rows,
                         expected=f"every row split by {sep!r} into as many fields as the header") from None


def header_text(columns: Iterable[object], limit: int = 12) -> str:
    """A file's first column names for an error message: 'Post ID, Reach, …'."""
    names = [str(c) for c in columns]
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")


def require_columns(df: pd.DataFrame, columns: list[str], path: str, what: str) -> None:
    """Raise an InputError naming the first missing column and the columns the file has."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(path, f"missing column (the file has: {header_text(df.columns)})", column=missing[0],
                         expected=f"{what} with columns {', '.join(columns)}")


def require_unique(
    df: pd.DataFrame, subset: list[str], *, path: str, column: str, what: str, expected: str,
    rows: pd.Series | None = None,
) -> None:
    """Raise an InputError naming the repeated rows when ``subset`` identifies a record more than once.

    ``rows`` holds each record's spreadsheet row when ``df`` is no longer in file order (else derived).
    """
    dup = df.duplicated(subset=subset, keep="first")
    if dup.any():
        where = rows[dup] if rows is not None else sheet_rows(dup.to_numpy().nonzero()[0])
        raise InputError(path, f"the same {what} appear twice", column=column, rows=where, expected=expected)


def require_rows(df: pd.DataFrame, path: str) -> None:
    """Raise an InputError for a file that has a header but no data rows."""
    if len(df) == 0:
        raise InputError(path, "the file has a header but no data rows", expected="at least one data row")
