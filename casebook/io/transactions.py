"""Customer transactions (room io): read an order export into one canonical table and clean it, with counts.

The canonical table has one row per transaction line:

- ``customer_id`` (string), ``timestamp`` (datetime64), ``amount`` (float, the line's value),
- ``invoice`` (string) when the file has an invoice/order number, ``quantity`` (float) when known.

Columns are found by their usual names (``CustomerID``, ``customer_id``, ``client``; ``InvoiceDate``,
``date``, ``order_date``; ``amount``, or ``Quantity`` × ``UnitPrice``) or named explicitly. Besides the
layouts :func:`casebook.io.tables.read_table` sniffs (CSV with ``,`` ``;`` or tab, XLSX, Parquet), a
whitespace-separated text file is read too, with or without a header: the classic CDNOW layout
(customer id, ``YYYYMMDD`` date, quantity, amount). Cleaning is explicit; every rule reports how many
lines it removed (:class:`CleaningReport`).

May import: the foundation and io.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from casebook import clock, i18n
from casebook.errors import InputError
from casebook.i18n import gettext as _
from casebook.io.convert import to_datetime, to_number
from casebook.io.files import check_file
from casebook.io.report_words import count, row_count, span
from casebook.io.tables import (
    TableInfo,
    header_text,
    read_table,
    require_distinct_header,
    require_no_nul,
    require_rows,
    sniff_encoding,
)

#: Usual column names, compared after lower-casing and dropping spaces, ``_`` and ``-``.
CUSTOMER_NAMES = ("customerid", "customer", "client", "cust", "custid", "clientid", "customerno", "customernumber",
                  "userid", "memberid", "buyerid", "accountid")
DATE_NAMES = ("invoicedate", "date", "orderdate", "timestamp", "purchasedate", "transactiondate",
              "datetime", "createdat", "time")
AMOUNT_NAMES = ("amount", "revenue", "sales", "value", "ordervalue", "total", "totalamount",
                "linetotal", "spend", "monetary", "dollarvalue", "dollars")
QUANTITY_NAMES = ("quantity", "qty", "units", "nbitems", "items")
PRICE_NAMES = ("unitprice", "price", "itemprice", "priceeach")
INVOICE_NAMES = ("invoiceno", "invoice", "invoiceid", "invoicenumber", "orderid", "orderno",
                 "ordernumber", "transactionid", "receiptid")

#: Cleaning rules, in the order they are applied; each counts the lines it removes.
RULES = {
    "missing_customer": "lines without a customer id",
    "cancellation": "cancellations (invoice number starting with 'C')",
    "adjustment": "adjustments (invoice number starting with 'A')",
    "non_positive_quantity": "lines with a quantity of zero or less",
    "negative_amount": "lines with a negative amount",
    "zero_amount": "lines with a zero amount",
}


def rule_words() -> dict[str, str]:
    """The cleaning rules of :data:`RULES` as a report names them, in the language in use."""
    return {
        "missing_customer": _("lines without a customer id"),
        "cancellation": _("cancellations (invoice number starting with 'C')"),
        "adjustment": _("adjustments (invoice number starting with 'A')"),
        "non_positive_quantity": _("lines with a quantity of zero or less"),
        "negative_amount": _("lines with a negative amount"),
        "zero_amount": _("lines with a zero amount"),
    }


@dataclass
class CleaningReport:
    """What :func:`load_transactions` read and removed: the lines ``casebook validate`` prints."""

    path: str
    table: str
    columns: dict[str, str]
    lines_read: int
    removed: dict[str, int] = field(default_factory=dict)
    zero_amount_kept: int = 0
    lines_kept: int = 0
    customers: int = 0
    invoices: int | None = None
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    revenue: float = 0.0

    def lines(self) -> list[str]:
        """Human-readable report, one fact per line."""
        rules = rule_words()
        out = [_("file: {path}").format(path=self.path), _("read as: {table}").format(table=self.table)]
        out.append(_("columns: {columns}").format(columns=", ".join(f"{k} <- {v}" for k, v in self.columns.items())))
        out.append(_("lines read: {n}").format(n=count(self.lines_read)))
        for key, n in self.removed.items():
            out.append(_("removed, {rule}: {n}").format(rule=rules.get(key, RULES[key]), n=count(n)))
        if self.zero_amount_kept:
            out.append(_("kept, lines with a zero amount (free items): {n}").format(n=count(self.zero_amount_kept)))
        out.append(_("lines kept: {n}").format(n=count(self.lines_kept)))
        out.append(_("customers: {n}").format(n=count(self.customers)))
        if self.invoices is not None:
            out.append(_("invoices: {n}").format(n=count(self.invoices)))
        if self.first is not None and self.last is not None:
            out.append(_("date range: {span}").format(span=span(self.first, self.last)))
        out.append(_("revenue kept: {amount}").format(amount=i18n.fmt(self.revenue, ",.2f")))
        return out


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", str(name)).lower()


def find_column(df: pd.DataFrame, explicit: str | None, names: tuple[str, ...], what: str, path: str,
                required: bool = True, usual: str = "") -> str | None:
    """The column for ``what``: the explicit name if given (must exist), else the first usual name."""
    if explicit:
        if explicit not in df.columns:
            by_key = {_key(c): c for c in df.columns}
            if _key(explicit) in by_key:
                return by_key[_key(explicit)]
            raise InputError(path, f"no column named '{explicit}' for the {what} "
                             f"(the file has: {header_text(df.columns)})",
                             column=explicit, expected=f"the name of the {what} column")
        return explicit
    keys = {_key(c): c for c in reversed(list(df.columns))}
    for n in names:
        if n in keys:
            return keys[n]
    if required:
        raise InputError(path, f"no {what} column found (the file has: {header_text(df.columns)})",
                         expected=f"a column named {usual}, or its name given explicitly")
    return None


def is_whitespace_table(text: str) -> bool:
    """True when the first lines hold no , ; or tab but split on runs of spaces into 2+ fields."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    if not lines:
        return False
    if any(c in ln for ln in lines for c in ",;\t"):
        return False
    return all(len(ln.split()) >= 2 for ln in lines)


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def read_whitespace_table(path: str | Path) -> tuple[pd.DataFrame, TableInfo]:
    """Read a whitespace-separated text file; a first line of numbers only means there is no header.

    Without a header, columns are named ``column_1`` … ``column_n``, all read as text (ids keep their
    leading zeros).
    """
    name = str(path)
    raw = Path(path).read_bytes()
    enc = sniff_encoding(raw, name)
    if not enc.startswith("utf-16"):  # sniff_encoding looked for binary data in the first bytes only
        require_no_nul(path, name)
    text = raw.decode(enc).lstrip("\ufeff")
    first = next(ln for ln in text.splitlines() if ln.strip()).split()
    has_header = not all(_NUMBER.match(tok) for tok in first)
    if has_header:
        require_distinct_header(first, name)
    try:
        df = pd.read_csv(io.StringIO(text), sep=r"\s+", header=0 if has_header else None, dtype=str,
                         skip_blank_lines=True)
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(name, "a row has more fields than the first row",
                         rows=[int(m.group(1))] if m else None,
                         expected="the same number of space-separated fields on every line") from None
    if not has_header:
        df.columns = [f"column_{i + 1}" for i in range(df.shape[1])]
    info = TableInfo(name, "text", encoding=enc, delimiter="whitespace", rows=len(df))
    return df, info


def _parquet_columns(path: Path, explicit: list[str]) -> list[str] | None:
    """The columns of a Parquet file worth reading: usual and explicit names (None: read them all)."""
    try:
        import pyarrow.parquet as pq

        names = [str(n) for n in pq.read_schema(path).names]
    except Exception:  # a corrupt file: let read_table raise the user-facing error
        return None
    require_distinct_header(names, str(path))
    return _useful_columns(names, explicit)


def _useful_columns(names: list[str], explicit: list[str]) -> list[str] | None:
    """The columns with usual or ``explicit`` names, if they include a customer and a date (else None)."""
    usual = {*CUSTOMER_NAMES, *DATE_NAMES, *AMOUNT_NAMES, *QUANTITY_NAMES, *PRICE_NAMES, *INVOICE_NAMES}
    wanted = {_key(e) for e in explicit if e}
    keep = [n for n in names if _key(n) in usual or _key(n) in wanted]
    keys = {_key(n) for n in keep}
    has_customer = bool(keys & (set(CUSTOMER_NAMES) | wanted))
    has_date = bool(keys & (set(DATE_NAMES) | wanted))
    return keep if has_customer and has_date and len(keep) < len(names) else None


def read_transactions_table(path: str | Path, explicit: list[str] | None = None) -> tuple[pd.DataFrame, TableInfo, int]:
    """Read any supported layout; returns the frame, how it was read and the number of header rows.

    Only the columns with usual or ``explicit`` names are converted (Parquet: read), which matters
    at millions of rows.
    """
    p = check_file(path)
    if p.suffix.lower() == ".parquet":
        keep = _parquet_columns(p, explicit or [])
        if keep is not None:
            df = pd.read_parquet(p, columns=keep)
            return df, TableInfo(str(path), "parquet", rows=len(df)), 1
    if p.suffix.lower() not in (".parquet", ".xlsx", ".xlsm"):
        with p.open("rb") as f:
            head = f.read(65536)
        if head.strip() and b"\x00" not in head:
            try:
                sample = head.decode(sniff_encoding(head, str(path)), errors="ignore")
            except InputError:
                sample = ""
            if is_whitespace_table(sample):
                df, info = read_whitespace_table(path)
                header_rows = 0 if str(df.columns[0]) == "column_1" else 1
                return df, info, header_rows
    df, info = read_table(path, keep=lambda names: _useful_columns(names, explicit or []) or names,
                          labels=lambda names: [n for n in names if _key(n) in INVOICE_NAMES])
    return df, info, 1


class OrderColumns(NamedTuple):
    """The columns of an order export that hold each role (None: not in the file)."""

    customer: str
    date: str
    amount: str | None
    quantity: str | None
    price: str | None
    invoice: str | None


def order_columns(df: pd.DataFrame, path: str, *, guess: Mapping[str, str | None] | None = None,
                  customer_col: str | None = None, date_col: str | None = None, amount_col: str | None = None,
                  quantity_col: str | None = None, price_col: str | None = None,
                  invoice_col: str | None = None, holder: str = "the file") -> OrderColumns:
    """Find each role's column of ``df`` (its columns are what counts): the explicit name, else the
    header-less ``guess`` (:func:`headerless_defaults`), else the usual names. Without an amount, both a
    quantity and a unit price are needed; their absence is one InputError naming the columns ``holder``
    (the file, or a source of parts or a database table) has."""
    guess = guess or {}
    cust = find_column(df, customer_col or guess.get("customer"), CUSTOMER_NAMES, "customer id", path,
                       usual="CustomerID, customer_id or client (parameter customer_col)")
    date = find_column(df, date_col or guess.get("date"), DATE_NAMES, "date", path,
                       usual="InvoiceDate, date or order_date (parameter date_col)")
    amount = find_column(df, amount_col or guess.get("amount"), AMOUNT_NAMES, "amount", path, required=False)
    qty = find_column(df, quantity_col or guess.get("quantity"), QUANTITY_NAMES, "quantity", path, required=False)
    inv = find_column(df, invoice_col, INVOICE_NAMES, "invoice", path, required=False)
    price = None
    if amount is None:
        price = find_column(df, price_col, PRICE_NAMES, "unit price", path, required=False)
        if qty is None or price is None:
            raise InputError(path, f"no amount column, and no quantity and unit price to compute it "
                             f"({holder} has: {header_text(df.columns)})",
                             expected="a column named amount, revenue or sales (parameter amount_col), "
                             "or both Quantity and UnitPrice")
    return OrderColumns(cust, date, amount, qty, price, inv)  # type: ignore[arg-type]  # required ones raise


def headerless_defaults(df: pd.DataFrame) -> dict[str, str | None]:
    """Column roles of a header-less file: id first, the YYYYMMDD column, amount last, quantity between."""
    cols = list(df.columns)
    sample = df.head(200)
    date_col = None
    for c in cols[1:]:
        if sample[c].astype(str).str.fullmatch(r"(19|20)\d{6}").all():
            date_col = c
            break
    out: dict[str, str | None] = {"customer": cols[0], "date": date_col, "amount": cols[-1], "quantity": None}
    if date_col is not None:
        i = cols.index(date_col)
        if len(cols) - i == 3:
            out["quantity"] = cols[i + 1]
    return out


def _text_codes(values: pd.Series) -> pd.Series:
    """Ids as a categorical of text, computed once per distinct value (fast at millions of rows).

    Whole floats lose their ``.0`` (Excel and pandas read numeric ids as floats); surrounding spaces
    are stripped; blanks become missing.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = pd.Series(uniques)
    if pd.api.types.is_float_dtype(labels) and bool((labels % 1 == 0).all()):
        labels = labels.astype("int64").astype("string")
    else:
        labels = labels.astype("string").str.strip()
        labels = labels.mask(labels == "")
    new_codes, categories = pd.factorize(labels, use_na_sentinel=True)
    if len(new_codes) and not np.array_equal(new_codes, np.arange(len(new_codes))):  # values merged or blanked
        final = np.where(codes >= 0, new_codes[np.maximum(codes, 0)], -1)
    else:
        final = codes
    cat = pd.Categorical.from_codes(final, categories=pd.Index(categories.astype(str), dtype="string"))
    return pd.Series(cat, index=values.index)


def _dates(values: pd.Series, *, path: str, column: str, header_rows: int, latest: pd.Timestamp) -> pd.Series:
    """:func:`casebook.io.convert.to_datetime`, parsing each distinct text once when values repeat a lot.

    On any problem the whole column is parsed again, so that the error names the right rows.
    """
    kw = {"path": path, "column": column, "header_rows": header_rows, "latest": latest}
    if len(values) > 50_000 and not pd.api.types.is_datetime64_any_dtype(values):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if len(uniques) < len(values) // 4 and (codes >= 0).all():
            try:
                parsed = to_datetime(pd.Series(uniques), **kw)
            except InputError:
                pass
            else:
                return pd.Series(parsed.to_numpy()[codes], index=values.index)
    return to_datetime(values, **kw)


def standardise(
    df: pd.DataFrame,
    *,
    path: str = "input",
    header_rows: int = 1,
    customer_col: str | None = None,
    date_col: str | None = None,
    amount_col: str | None = None,
    quantity_col: str | None = None,
    price_col: str | None = None,
    invoice_col: str | None = None,
    drop_zero_amount: bool = False,
    latest: pd.Timestamp | None = None,
    table: str = "data frame",
    decimal: str = ".",
) -> tuple[pd.DataFrame, CleaningReport]:
    """Map a raw transactions frame to the canonical table and clean it (see :data:`RULES`).

    Empty strings for the ``*_col`` arguments mean "detect". The amount is ``amount_col`` if given or
    found, else quantity × unit price. Lines with a zero amount are kept (free items still are
    purchases) unless ``drop_zero_amount``. ``decimal`` is the file's decimal mark, for numbers read as text.
    """
    require_rows(df, path)
    headerless = str(df.columns[0]) == "column_1" and header_rows == 0
    cust, date, amount, qty, price, inv = order_columns(
        df, path, guess=headerless_defaults(df) if headerless else None, customer_col=customer_col,
        date_col=date_col, amount_col=amount_col, quantity_col=quantity_col, price_col=price_col,
        invoice_col=invoice_col)
    mapping = {"customer_id": cust, "timestamp": date}
    num = {"path": path, "header_rows": header_rows, "decimal": decimal}
    out = pd.DataFrame({"customer_id": _text_codes(df[cust])})
    out["timestamp"] = _dates(df[date], path=path, column=date, header_rows=header_rows,
                              latest=latest if latest is not None else clock.end_of_today())
    quantity = to_number(df[qty], column=qty, **num) if qty is not None else None
    if amount is not None:
        out["amount"] = to_number(df[amount], column=amount, **num).astype("float64")
        mapping["amount"] = amount
    else:
        unit = to_number(df[price], column=price, **num)
        out["amount"] = quantity * unit
        mapping["amount"] = f"{qty} × {price}"
    if quantity is not None:
        out["quantity"] = quantity
        mapping["quantity"] = qty
    if inv is not None:
        out["invoice"] = _text_codes(df[inv])
        mapping["invoice"] = inv

    n = len(out)
    keep = np.ones(n, dtype=bool)
    removed: dict[str, int] = {}

    def rule(key: str, bad: np.ndarray) -> None:
        nonlocal keep
        hit = bad & keep
        removed[key] = int(hit.sum())
        keep &= ~bad

    rule("missing_customer", out["customer_id"].isna().to_numpy())
    if inv is not None:
        codes = out["invoice"].cat.codes.to_numpy()
        first = out["invoice"].cat.categories.str.slice(0, 1).str.upper()
        for key, letter in (("cancellation", "C"), ("adjustment", "A")):
            hit = np.append(np.asarray(first == letter, dtype=bool), False)  # code -1 (missing) -> False
            rule(key, hit[codes])
    if quantity is not None:
        rule("non_positive_quantity", (quantity <= 0).to_numpy())
    amounts = out["amount"].to_numpy()
    rule("negative_amount", amounts < 0)
    zero = (amounts == 0) & keep
    if drop_zero_amount:
        rule("zero_amount", amounts == 0)
    clean = out.loc[keep].reset_index(drop=True)
    report = CleaningReport(
        path=path, table=table, columns=mapping, lines_read=n, removed=removed,
        zero_amount_kept=0 if drop_zero_amount else int(zero.sum()), lines_kept=len(clean),
        customers=int(clean["customer_id"].nunique()),
        invoices=int(clean["invoice"].nunique()) if inv is not None else None,
        first=clean["timestamp"].min() if len(clean) else None,
        last=clean["timestamp"].max() if len(clean) else None,
        revenue=float(clean["amount"].sum()),
    )
    if clean.empty:
        raise InputError(path, "no transaction is left after cleaning (" + "; ".join(
            f"{v:,} {RULES[k]}" for k, v in removed.items() if v) + ")",
            expected="purchases with a customer id, a positive quantity and a non-negative amount")
    return clean, report


def load_transactions(
    path: str | Path,
    *,
    customer_col: str | None = None,
    date_col: str | None = None,
    amount_col: str | None = None,
    quantity_col: str | None = None,
    price_col: str | None = None,
    invoice_col: str | None = None,
    drop_zero_amount: bool = False,
) -> tuple[pd.DataFrame, CleaningReport]:
    """Read a transactions export and return the cleaned canonical table and its cleaning report.

    Dates may be ISO (``2011-12-09 12:50``), ``YYYYMMDD`` or day/month/year; dates after the book's
    fixed today (:func:`casebook.clock.today`) are rejected. See :func:`standardise` for the rules.
    """
    df, info, header_rows = read_transactions_table(
        path, [c for c in (customer_col, date_col, amount_col, quantity_col, price_col, invoice_col) if c])
    return standardise(
        df, path=str(path), header_rows=header_rows, customer_col=customer_col, date_col=date_col,
        amount_col=amount_col, quantity_col=quantity_col, price_col=price_col, invoice_col=invoice_col,
        drop_zero_amount=drop_zero_amount, decimal=info.decimal,
        table=(_("text, {encoding}, whitespace separated").format(encoding=info.encoding) + f", {row_count(info.rows)}"
               if info.delimiter == "whitespace" else info.describe()),
    )


__all__ = ["CleaningReport", "OrderColumns", "RULES", "find_column", "headerless_defaults", "is_whitespace_table", "load_transactions",
           "read_transactions_table", "read_whitespace_table", "standardise"]
