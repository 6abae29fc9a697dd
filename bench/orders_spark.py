"""The customer summary on servers: ``python -m bench.orders_spark [--lines 10000000] [--postgres URL --table T]``.

Spark: a seeded order history of ``--lines`` lines (:func:`bench.orders.generate`, Parquet parts) is
summarised by Spark in local mode (``local[2]``, this machine's two cores) through
:func:`casebook.io.orders.open_orders` and :mod:`casebook.crm.warehouse`, then by the embedded DuckDB
engine in a fresh process (:func:`bench.orders.run`) for reference; both give the same check values.

PostgreSQL (optional): the same workload on a table of a running server (``--postgres URL --table T``,
credentials from libpq's environment), against DuckDB on the bundled CDNOW file when the table holds it.

Seconds exclude the imports; Spark's session start is timed apart. Peak memory: the Python process's VmHWM
and, for Spark, the JVM's (the driver runs in a child process). The markdown goes to
``bench/orders_spark_results.md``. Run by ``make bench`` (after :mod:`bench.run` and :mod:`bench.orders`);
without Java it prints one line, writes nothing and exits 0, so the other results still count. Never part of
``make test``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.cases import Steps, peak_memory_mb
from bench.orders import check_values, generate, run, same_values
from casebook.build import prereqs
from casebook.paths import ROOT, dataset

RESULTS = ROOT / "bench" / "orders_spark_results.md"
MASTER = "local[2]"


def server_workload(source: str, table: str | None) -> tuple[dict[str, float], dict]:
    """open_orders on a server (cleaning counts there), the warehouse summary, its triples, the BG/NBD fit."""
    from casebook.crm import bgnbd
    from casebook.crm import warehouse as wh
    from casebook.io.orders import open_orders

    s = Steps()
    orders, report = open_orders(source, table=table)
    s.mark("open_and_clean")
    cal, hold = wh.periods(report.first, report.last)
    summary = wh.summarise(orders, cal, hold)
    s.mark("summary")
    tri = wh.triples(summary)
    s.mark("triples")
    params = bgnbd.fit(wh.calibration(summary))
    s.mark("fit")
    counts = {"lines_kept": report.lines_kept, "customers": report.customers, "invoices": report.invoices,
              "removed": sum(report.removed.values()), "revenue": round(report.revenue, 2)}
    return s.times, check_values(counts, summary, tri, params)


def jvm_peak_mb() -> float:
    """The peak resident memory (VmHWM) of this process's Java children (Spark's driver), in MB."""
    peak = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            if "java" in child.name():
                status = Path(f"/proc/{child.pid}/status").read_text()
                peak += int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM:"))) / 1024
        except (psutil.Error, OSError, StopIteration):
            continue
    return peak


def java_missing() -> str | None:
    """One line saying the benchmark is skipped for want of Java (Spark's runtime), or None when Java is there."""
    java = next(t for t in prereqs.TOOLS if t.name == "Java")
    if not prereqs.missing((java,)):
        return None
    return (f"bench.orders_spark: skipped, Java not found (Spark local needs a Java 17 runtime: {java.install}); "
            "nothing written")


def _row(what: str, times: dict[str, float], peak: str, same: bool | None) -> str:
    steps = ", ".join(f"{k} {v:.2f}" for k, v in times.items())
    verdict = "—" if same is None else "yes" if same else "no"
    return f"| {what} | {sum(times.values()):.2f} | {steps} | {peak} | {verdict} |"


#: Under the table when PostgreSQL was measured: what its table holds.
POSTGRES_NOTE = ("The PostgreSQL table is the bundled CDNOW sample loaded with typed columns (text id, date, "
                 "integer quantity, numeric amount), compared with DuckDB reading the bundled file.")


def main(argv: list[str] | None = None) -> None:
    """Measure Spark (and PostgreSQL when asked) against DuckDB; write and print the markdown."""
    ap = argparse.ArgumentParser(prog="python -m bench.orders_spark", description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=10_000_000)
    ap.add_argument("--postgres", help="a PostgreSQL URL (credentials from libpq's environment)")
    ap.add_argument("--table", default="orders", help="the PostgreSQL table (default: orders)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    if (skipped := java_missing()) is not None:
        print(skipped, file=sys.stderr)
        return
    from casebook.io.order_servers import spark_session

    started = dt.datetime.now(dt.UTC)
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="casebook-spark-bench-") as tmp:
        folder = Path(tmp) / "orders"
        info = generate(args.lines, folder)
        t0 = time.perf_counter()
        session = spark_session(MASTER)
        start_s = time.perf_counter() - t0
        times, check = server_workload(MASTER, str(folder))
        spark_peak = f"{peak_memory_mb():,.0f} + JVM {jvm_peak_mb():,.0f}"
        session.stop()
        ref = run("casebook", folder)
        same = same_values(check, ref["check"]) if "check" in ref else False
        rows.append(_row(f"Spark {MASTER}, {args.lines:,} lines ({info['parts']} parts, {info['mb']:,.0f} MB)",
                         times, spark_peak, same))
        if "steps" in ref:
            rows.append(_row("DuckDB (embedded), same lines, fresh process", ref["steps"], f"{ref['peak_mb']:,.0f}", None))
    if args.postgres:
        from casebook.io.order_servers import public_name

        best = min((server_workload(args.postgres, args.table) for _ in range(3)), key=lambda r: sum(r[0].values()))
        ref_times, ref_check = server_workload(str(dataset("cdnow")), None)
        rows.append(_row(f"PostgreSQL {public_name(args.postgres)}, table '{args.table}' (best of 3)", best[0],
                         "—", same_values(best[1], ref_check)))
        rows.append(_row("DuckDB (embedded), the bundled CDNOW file", ref_times, "—", None))
    text = "\n".join([
        "# Customer summary on servers: Spark (local mode) and PostgreSQL against DuckDB",
        "",
        f"Measured by `python -m bench.orders_spark` on {started:%Y-%m-%d} (started {started:%H:%M} UTC), "
        f"{os.cpu_count()} cores shared with other work (load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end). Spark's session start: {start_s:.1f} s (not in the totals).",
        "",
        "| engine | seconds | steps (s) | peak MB | same check values as DuckDB |",
        "|---|---:|---|---:|---|",
        *rows,
        "",
        *([POSTGRES_NOTE, ""] if args.postgres else []),
    ])
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
