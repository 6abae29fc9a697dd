"""Order histories where they live (room io): a file, parts, a DuckDB file, PostgreSQL or Spark, as one clean Ibis table.

:func:`open_orders` returns the canonical transactions table of :mod:`casebook.io.transactions`
(``customer_id``, ``timestamp``, ``amount``; ``quantity`` and ``invoice`` when known) as an Ibis
expression over an embedded DuckDB engine, with the same :class:`~casebook.io.transactions.CleaningReport`.
Nothing is loaded into Python: DuckDB reads the Parquet or CSV files (or the database table) when a
query runs, out of core, within a memory limit, spilling to a temporary folder. Only the layouts DuckDB
does not read (XLSX, whitespace-separated text such as CDNOW, UTF-16 or latin-1 text, decimal commas)
go through the pandas reader of :mod:`casebook.io.transactions` and are registered as an in-memory table.
Sources are opened in :mod:`casebook.io.order_sources`, cleaned in :mod:`casebook.io.order_cleaning`;
PostgreSQL tables and Spark tables or Parquet paths (:mod:`casebook.io.order_servers`) are cleaned and
summarised by their server the same way.

Columns are found by the same usual names as :func:`~casebook.io.transactions.load_transactions` (its
constants and its look-up) or named explicitly, and the cleaning rules are its :data:`RULES`, written as
Ibis filters: every count is computed by the engine, in one pass over the lines (two when text ids or
invoice numbers carry surrounding spaces to strip).

Differences from the pandas loader, by design: a problem is reported with up to three offending values
but no row numbers (rows of a folder of parts or of a database table have no spreadsheet number);
whole-number customer ids stay integers in the table (grouping on integers is faster; the summaries turn
them into text); and a CSV's integer-looking ids are read as text (exact, leading zeros kept).

May import: the foundation and io, ibis and duckdb.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from casebook.io.order_cleaning import DATE_FORMATS, clean_orders
from casebook.io.order_servers import open_server, public_name, require_typed, server_kind
from casebook.io.order_sources import (
    DATABASE_SUFFIXES,
    GLOB_CHARS,
    MEMORY_LIMIT,
    THREADS,
    ConversionError,
    connect,
    csv_types,
    open_raw,
)
from casebook.io.transactions import CleaningReport, headerless_defaults, order_columns


def open_orders(
    source: str | Path,
    *,
    table: str | None = None,
    customer_col: str | None = None,
    date_col: str | None = None,
    amount_col: str | None = None,
    quantity_col: str | None = None,
    price_col: str | None = None,
    invoice_col: str | None = None,
    drop_zero_amount: bool = False,
    con: ibis.BaseBackend | None = None,
) -> tuple[ir.Table, CleaningReport]:
    """Open an order history where it lives; return the clean canonical table (lazy) and its cleaning report.

    ``source`` is a CSV, XLSX, Parquet or whitespace-separated text file; a folder of Parquet or CSV parts
    (read recursively, matched by column name); a glob of parts (``orders/*.parquet``); or a DuckDB file
    (``.duckdb``, ``.db``) with ``table`` (optional when the database holds one table). Empty strings for
    the ``*_col`` arguments mean "detect", as in :func:`casebook.io.transactions.standardise`, whose
    rules and report this follows. ``con`` is a :func:`connect` engine to reuse (default: a new one).

    ``source`` may also name a server (:mod:`casebook.io.order_servers`): a PostgreSQL URL
    (``postgresql://user@host:5432/shop`` with ``table="orders"``; what the URL leaves out comes from
    libpq's environment and ``~/.pgpass``) or a Spark master (``spark://host:7077`` or ``local[2]``) with
    ``table`` a catalog table (``db.orders``) or a Parquet path. The server then runs the cleaning and the
    summaries; its date and measure columns must be typed (dates, numbers).
    """
    explicit = [c for c in (customer_col, date_col, amount_col, quantity_col, price_col, invoice_col) if c]
    if server_kind(source):
        raw = open_server(str(source), table)
    else:
        raw = open_raw(con or connect(), source, table, explicit)
    name = raw.name
    cols = pd.DataFrame(columns=list(raw.table.columns))
    headerless = raw.frame is not None and raw.header_rows == 0 and str(raw.frame.columns[0]) == "column_1"
    cust, date, amount, qty, price, inv = order_columns(
        cols, name, guess=headerless_defaults(raw.frame) if headerless else None, customer_col=customer_col,
        date_col=date_col, amount_col=amount_col, quantity_col=quantity_col, price_col=price_col,
        invoice_col=invoice_col, holder="the source")
    if raw.typed_only:
        require_typed(raw, date, [c for c in (amount, qty, price) if c])
    types = {} if raw.reread is None else csv_types(
        raw.table, date, [c for c in (cust, inv) if c], [c for c in (amount, qty, price) if c])
    while True:
        try:
            return clean_orders(raw, raw.retyped(types), name, cust, date, amount, qty, price, inv, drop_zero_amount)
        except ConversionError as exc:  # a CSV typed from a sample: read that column as text, again
            if raw.reread is None or types.get(exc.column_name) == "VARCHAR":
                raise
            types[exc.column_name] = "VARCHAR"


def source_kind(source: str | Path) -> str:
    """How :func:`open_orders` reads ``source``: "postgres", "spark", "glob", "folder", "database" or "file"
    (nothing is opened)."""
    server = server_kind(source)
    if server:
        return server
    p = Path(source)
    if not p.exists() and GLOB_CHARS.search(str(source)):
        return "glob"
    if p.is_dir():
        return "folder"
    return "database" if p.suffix.lower() in DATABASE_SUFFIXES else "file"


__all__: Sequence[str] = ["DATE_FORMATS", "MEMORY_LIMIT", "THREADS", "connect", "open_orders", "public_name",
                          "server_kind", "source_kind"]
