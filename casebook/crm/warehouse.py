"""The customer summary in the engine (room crm): one row per customer from an order history of any size.

Takes an Ibis table with the canonical columns ``customer_id``, ``timestamp`` and ``amount`` (and
``invoice`` when known: what :func:`casebook.io.orders.open_orders` returns) and writes the summary once,
as Ibis expressions: the engine (DuckDB embedded by default; any Ibis backend with exact aggregates) does
the work and only the results come back to pandas, one row per customer, one row per distinct
``(frequency, recency, T)`` with its count, or one row per day. It is the only customer summary of the
book: RFM (:func:`casebook.crm.rfm.rfm_table`), the model (:func:`casebook.crm.bgnbd.fit`,
:func:`~casebook.crm.bgnbd.holdout_check`, :func:`~casebook.crm.bgnbd.tracking`) and the early-warning
list (:func:`casebook.crm.churn.customer_status`) all read it. Names follow lifetimes and pymc-marketing:

- purchase occasions are calendar days (several orders on one day are one occasion);
- ``frequency`` (repeat purchase days up to the calibration end), ``recency`` (first to last of them),
  ``T`` (first purchase to the calibration end), in days or weeks; ``monetary_value`` is the mean value of
  the calibration purchase days, the first included (lifetimes leaves the first purchase out);
- ``frequency_holdout`` (purchase days after the calibration end, up to the holdout end) and
  ``duration_holdout`` (that period's length);
- over the whole history: ``first_purchase``, ``last_purchase`` (days), ``last_purchase_at`` (the last
  timestamp), ``purchase_days``, ``total_spend`` and, when the orders carry invoice numbers, ``invoices``
  (distinct invoices).

May import: the foundation and crm, ibis; never io (takes tables).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from casebook import paths
from casebook.crm.bgnbd import unit_days
from casebook.errors import ParameterError
from casebook.i18n import gettext as _

#: Columns of a purchase-days table (:func:`purchase_days`).
DAY_COLUMNS = ("customer_id", "day", "amount", "last_at")
#: Amounts are added as exact decimals (to 10 decimal places) and returned as floats: a sum of floats by
#: several threads depends on the order they finish in, an exact sum does not, so every figure is the same
#: from one run to the next.
EXACT = "decimal(38, 10)"
#: Model columns, empty for customers whose first purchase falls after the calibration end.
MODEL_COLUMNS = ("frequency", "recency", "T", "monetary_value", "frequency_holdout", "duration_holdout")


def purchase_days(orders: ir.Table) -> ir.Table:
    """One row per customer and calendar day with a purchase: ``customer_id``, ``day``, ``amount`` (the
    day's total, exact: :data:`EXACT`), ``last_at`` (the day's last timestamp) and, when the orders have an
    ``invoice`` column, ``invoices`` (the day's distinct invoice numbers). Lazy: nothing runs until it is
    used. Invoices are counted by grouping twice (by invoice, then by day), not with a distinct count per
    group, which is several times slower in the engine on large histories."""
    day = orders.timestamp.date()
    amount = orders.amount.cast(EXACT)
    if "invoice" not in orders.columns:
        return orders.group_by(customer_id=orders.customer_id, day=day).aggregate(
            amount=amount.sum(), last_at=orders.timestamp.max())
    inv = orders.group_by(customer_id=orders.customer_id, day=day, invoice=orders.invoice).aggregate(
        amount=amount.sum(), last_at=orders.timestamp.max())
    return inv.group_by("customer_id", "day").aggregate(
        amount=inv.amount.sum(), last_at=inv.last_at.max(), invoices=inv.invoice.count())


def _days(table: ir.Table) -> ir.Table:
    """``table`` if it already is a purchase-days table, else its purchase days."""
    cols = set(table.columns)
    if set(DAY_COLUMNS) <= cols and "timestamp" not in cols:
        return table
    missing = {"customer_id", "timestamp", "amount"} - cols
    if missing:
        raise ParameterError(f"the orders table lacks columns {sorted(missing)}; open it with "
                             "casebook.io.orders.open_orders()")
    return purchase_days(table)


def store_days(orders: ir.Table) -> ir.Table:
    """The purchase days computed once and kept in the engine (a temporary table), for several summaries.

    One pass over the order lines; every function here then reads the (much smaller) table of days.
    """
    con = orders.get_backend()
    return con.create_table(f"casebook_days_{uuid.uuid4().hex[:12]}", _days(orders), temp=True)


def periods(
    first: pd.Timestamp,
    last: pd.Timestamp,
    calibration_end: str | pd.Timestamp | None = None,
    holdout_end: str | pd.Timestamp | None = None,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Calibration and holdout ends from the first and last timestamps of the data (a cleaning report's
    ``first`` and ``last``). Empty or None means: the holdout ends on the last day of the data and lasts
    13 weeks (91 days), or a third of the data's span when that is shorter."""
    first, last = pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize()
    h_end = pd.Timestamp(holdout_end).normalize() if holdout_end else last
    if calibration_end:
        c_end = pd.Timestamp(calibration_end).normalize()
    else:
        c_end = h_end - pd.Timedelta(days=max(1, min(91, (h_end - first).days // 3)))
    if not first <= c_end < h_end:
        raise ParameterError(f"calibration_end ({c_end:%Y-%m-%d}) must fall between the first day of the data "
                             f"({first:%Y-%m-%d}) and holdout_end ({h_end:%Y-%m-%d})")
    return c_end, h_end


def _ends(calibration_end: str | pd.Timestamp, holdout_end: str | pd.Timestamp | None
          ) -> tuple[pd.Timestamp, pd.Timestamp | None]:
    cal = pd.Timestamp(calibration_end).normalize()
    if holdout_end is None:
        return cal, None
    hold = pd.Timestamp(holdout_end).normalize()
    if hold <= cal:
        raise ParameterError(f"holdout_end ({hold:%Y-%m-%d}) must come after calibration_end ({cal:%Y-%m-%d})")
    return cal, hold


def summary_table(
    orders: ir.Table,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
) -> ir.Table:
    """The per-customer summary as an Ibis expression (lazy; see :func:`summarise` for the columns).

    ``orders`` is the canonical order table or its purchase days (:func:`store_days`).
    """
    unit = unit_days(time_unit)
    cal, hold = _ends(calibration_end, holdout_end)
    d = _days(orders)
    cal_day = ibis.date(cal.date())
    in_cal = d.day <= cal_day
    metrics: dict[str, ir.Scalar] = {
        "first_purchase": d.day.min(),
        "last_purchase": d.day.max(),
        "last_purchase_at": d.last_at.max(),
        "purchase_days": d.count(),
        "total_spend": d.amount.sum(),
        "n_cal": d.count(where=in_cal),
        "last_cal": d.day.max(where=in_cal),
        "spend_cal": d.amount.sum(where=in_cal),
    }
    if "invoices" in d.columns:
        metrics["invoices"] = d.invoices.sum()
    if hold is not None:
        metrics["n_hold"] = d.count(where=(d.day > cal_day) & (d.day <= ibis.date(hold.date())))
    g = d.group_by("customer_id").aggregate(**metrics)
    cohort = g.first_purchase <= cal_day
    out = {
        "customer_id": g.customer_id.cast("string"),
        "first_purchase": g.first_purchase,
        "last_purchase": g.last_purchase,
        "last_purchase_at": g.last_purchase_at,
        "purchase_days": g.purchase_days,
        "total_spend": g.total_spend.cast("float64"),
        **({"invoices": g.invoices} if "invoices" in d.columns else {}),
        "in_calibration": cohort,
        "frequency": ibis.ifelse(cohort, g.n_cal - 1, ibis.null("int64")),
        "recency": ibis.ifelse(cohort, g.last_cal.delta(g.first_purchase, unit="day").cast("float64") / unit, ibis.null("float64")),
        "T": ibis.ifelse(cohort, cal_day.delta(g.first_purchase, unit="day").cast("float64") / unit, ibis.null("float64")),
        "monetary_value": ibis.ifelse(cohort, g.spend_cal.cast("float64") / g.n_cal, ibis.null("float64")),
    }
    if hold is not None:
        out["frequency_holdout"] = ibis.ifelse(cohort, g.n_hold, ibis.null("int64"))
        out["duration_holdout"] = ibis.ifelse(cohort, ibis.literal((hold - cal).days / unit), ibis.null("float64"))
    return g.select(**out).order_by("customer_id")


#: How titles name the bundled customer data (the UCI Online Retail file).
BUNDLED_NAME = "UK online retailer"


def source_name(source: str | Path, table: str = "") -> str:
    """How chart titles name the customer data: :data:`BUNDLED_NAME` for the bundled retail file, else the
    file's or folder's own name (no folder above it; for a database URL, no host and no credentials),
    with the table when one is named; the words in the current language."""
    text = str(source)
    if "://" not in text and Path(text).resolve() == paths.dataset("online_retail").resolve():
        return _("UK online retailer")  # BUNDLED_NAME
    name = _("database") if "://" in text or text.startswith("local[") else Path(text.rstrip("/")).name or text
    if "/" in table:  # a Parquet path given to Spark: its own name only, as for files
        return Path(table.rstrip("/")).name
    return _("{name}, table {table}").format(name=name, table=table) if table else name


def _to_pandas(table: ir.Table) -> pd.DataFrame:
    """Run ``table`` and return it as pandas, through Arrow (fast on columns with NULLs)."""
    return table.to_pyarrow().to_pandas(date_as_object=False)


def summarise(
    orders: ir.Table,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp | None = None,
    time_unit: str = "W",
) -> pd.DataFrame:
    """One row per customer of the whole history, indexed by ``customer_id`` (text, sorted).

    Columns: ``first_purchase``, ``last_purchase``, ``last_purchase_at``, ``purchase_days``,
    ``total_spend`` and ``invoices`` (when known; whole history); ``in_calibration`` (first purchase on or before ``calibration_end``);
    and for those customers (empty for the others) ``frequency``, ``recency``, ``T``, ``monetary_value``,
    plus ``frequency_holdout`` and ``duration_holdout`` with ``holdout_end``. :func:`calibration` keeps
    the calibration cohort (the customers the model learns from).
    """
    df = _to_pandas(summary_table(orders, calibration_end, holdout_end, time_unit))
    df = df.set_index("customer_id")
    if not df.index.is_monotonic_increasing:  # the engine sorted; a backend may collate differently
        df = df.sort_index()
    for col in ("first_purchase", "last_purchase", "last_purchase_at"):
        df[col] = df[col].astype("datetime64[ns]")
    for col in ("purchase_days", "invoices"):
        if col in df.columns:
            df[col] = df[col].astype("int64")
    df["in_calibration"] = df["in_calibration"].astype(bool)
    for col in ("frequency", "frequency_holdout"):
        if col in df.columns:
            df[col] = df[col].astype("Int64")
    return df


def calibration(summary: pd.DataFrame) -> pd.DataFrame:
    """The calibration cohort of :func:`summarise`: its model columns, counts as int64 (what
    :func:`casebook.crm.bgnbd.fit` takes)."""
    cols = [c for c in MODEL_COLUMNS if c in summary.columns]
    out = summary.loc[summary["in_calibration"], cols].copy()
    for col in ("frequency", "frequency_holdout"):
        if col in out.columns:
            out[col] = out[col].astype("int64")
    return out


def triples(summary: pd.DataFrame | ir.Table) -> pd.DataFrame:
    """One row per distinct ``(frequency, recency, T)`` of the calibration cohort, with its ``count``:
    all the BG/NBD likelihood needs. From :func:`summarise`'s frame, or in the engine from
    :func:`summary_table`'s expression (then only the triples come back)."""
    keys = ["frequency", "recency", "T"]
    if isinstance(summary, ir.Table):
        s = summary.filter(summary.in_calibration)
        out = _to_pandas(s.group_by(keys).aggregate(count=s.count()))
    else:
        s = calibration(summary) if "in_calibration" in summary.columns else summary
        out = s.groupby(keys, sort=False).size().reset_index(name="count")
    out = out.sort_values(keys, ignore_index=True)
    out["frequency"] = out["frequency"].astype("int64")
    out["count"] = out["count"].astype("int64")
    return out


def daily_repeats(
    orders: ir.Table,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
) -> pd.DataFrame:
    """What the tracking chart counts, one row per day with a purchase of the calibration cohort, up to
    ``holdout_end``: ``day``, ``first_purchases`` (customers whose first purchase day it is) and
    ``repeat_purchases`` (purchase days of cohort customers after their first): what
    :func:`casebook.crm.bgnbd.tracking` reads."""
    cal, hold = _ends(calibration_end, holdout_end)
    d = _days(orders)
    d = d.filter(d.day <= ibis.date(hold.date()))
    d = d.mutate(first=d.day.min().over(group_by=d.customer_id))
    d = d.filter(d.first <= ibis.date(cal.date()))
    out = _to_pandas(d.group_by("day").aggregate(first_purchases=d.count(where=d.day == d.first),
                                                 repeat_purchases=d.count(where=d.day > d.first)))
    out["day"] = out["day"].astype("datetime64[ns]")
    for col in ("first_purchases", "repeat_purchases"):
        out[col] = out[col].astype("int64")
    return out.sort_values("day", ignore_index=True)


__all__ = ["BUNDLED_NAME", "DAY_COLUMNS", "MODEL_COLUMNS", "calibration", "daily_repeats", "periods",
           "purchase_days", "store_days", "source_name", "summarise", "summary_table",
           "triples"]
