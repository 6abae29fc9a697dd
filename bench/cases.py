"""The measured workloads, each run alone in a fresh process: ``python -m bench.cases CASE FILE``.

Prints one JSON line: ``seconds`` (wall time of the workload: the sum of its steps, imports excluded),
``peak_mb`` (the process's peak resident memory, imports included), the seconds of each step, and ``check`` values
that both implementations compute, so the report can show they did the same work.

- ``pages-pandas``: the page audit a reader re-runs (``casebook.io.posts.load_posts`` then the
  ``casebook.pages.metrics`` tables of the page chapters, each computed from the posts frame: chapter
  figures, audit scorecard, engagement by type and by label, best-time table, weekly posts, gap table,
  frequency vs engagement).
  The bootstrap interval of paid vs organic is left out: it resamples a fixed-size sample (no SQL
  counterpart, constant cost).
- ``pages-duckdb``: the same aggregations written directly in DuckDB SQL over the same CSV.
- ``rfm-pandas``: ``casebook.io.transactions.load_transactions``, RFM scores, segments and their summary,
  then the BG/NBD summary and fit (``casebook.crm.rfm``, ``casebook.crm.bgnbd``), as in the Volvo chapter.
- ``rfm-duckdb``: the same cleaning, RFM scores, segments, summary and BG/NBD calibration summary in
  DuckDB SQL; the summary then goes to the same ``bgnbd.fit`` (a numerical optimisation, not an
  aggregation), so both sides fit identical numbers.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np


class Steps:
    """Wall time of named steps."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._t = time.perf_counter()

    def mark(self, name: str) -> None:
        """Close the step ``name`` (timed since the previous mark)."""
        now = time.perf_counter()
        self.times[name] = round(now - self._t, 3)
        self._t = now


def _r(x: float) -> float:
    return float(np.round(float(x), 9))


def pages_pandas(path: Path) -> tuple[dict, dict]:
    """The page audit with the casebook package."""
    from casebook.io import posts as ps
    from casebook.pages import metrics as pm

    s = Steps()
    posts, _ = ps.load_posts(path)
    s.mark("load")
    figures = pm.chapter_figures(posts)
    card = pm.audit_scorecard(posts)
    by_type = pm.engagement_by(posts, "type")
    by_label = pm.engagement_by(posts, "category")
    best = pm.best_time_table(posts)
    weekly = pm.weekly_posts(posts)
    gaps = pm.gap_table(posts)
    freq = pm.frequency_vs_engagement(posts)
    s.mark("metrics")
    check = {
        "posts": figures["posts_total"],
        "er_median": _r(figures["engagement_rate_median"]),
        "paid_share": _r(figures["paid_share"]),
        "top_type": figures["top_post_type"],
        "types": len(by_type),
        "labels": len(by_label),
        "best_cells": len(best),
        "weeks": len(weekly),
        "weekly_posts": int(weekly["posts"].sum()),
        "gaps": gaps["gaps"].astype(int).tolist(),
        "freq_days": int(freq["days"].sum()),
        "criteria": len(card),
    }
    return s.times, check


def _gap_case() -> str:
    from casebook.pages.metrics import GAP_BINS, GAP_LABELS

    whens = [
        f"WHEN gap <= {hi} THEN '{label}'" for hi, label in zip(GAP_BINS[1:-1], GAP_LABELS[:-1], strict=True)
    ]
    return "CASE " + " ".join(whens) + f" ELSE '{GAP_LABELS[-1]}' END"


def _type_case() -> str:
    from casebook.io.layouts import TYPE_NAMES

    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in TYPE_NAMES.items())
    return f'CASE lower(trim("Post Type")) {whens} ELSE trim("Post Type") END'


def _warm_up_fit() -> None:
    """One tiny BG/NBD fit before timing: scipy loads parts of itself on first use."""
    import pandas as pd

    from casebook.crm import bgnbd

    bgnbd.fit(
        pd.DataFrame({"frequency": [0, 1, 2, 0], "recency": [0.0, 3.0, 5.0, 0.0], "T": [6.0, 6.0, 6.0, 4.0]})
    )


def pages_duckdb(path: Path) -> tuple[dict, dict]:
    """The same page-audit aggregations in DuckDB SQL over the same file."""
    import duckdb

    from casebook.pages.metrics import GAP_LABELS

    s = Steps()
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE p AS SELECT
          "Post ID"::VARCHAR AS post_id, strptime("Publish Time", '%m/%d/%Y %H:%M') AS published,
          {_type_case()} AS type, "Custom labels" AS category,
          coalesce("Funded content status" = 'Boosted', false) AS paid,  -- empty: not funded, as the layout reads it
          "Reach" AS reach, "Views" AS impressions, "Reactions" AS likes, "Comments" AS comments,
          "Shares" AS shares, "Reactions, comments and shares" AS interactions,
          CASE WHEN "Reach" > 0 THEN "Reactions, comments and shares" / "Reach" END AS er
        FROM read_csv('{path}', header = true) ORDER BY published""")
    s.mark("load")
    q = con.execute
    fig = q("""SELECT count(*) AS posts, median(er) AS er_median,
                      count(*) FILTER (WHERE paid) / count(paid) AS paid_share,
                      count(*) / ((date_diff('day', min(published)::DATE, max(published)::DATE) + 1) / 7)
                        AS posts_per_week FROM p""").fetchone()
    by_type = q("""SELECT coalesce(type, '(none)') AS type, count(*) AS posts, median(er) AS er_median,
                          avg(er) AS er_mean, median(interactions) AS interactions_median
                   FROM p GROUP BY 1 ORDER BY er_median DESC, type""").fetchall()
    by_label = q("""SELECT coalesce(category, '(none)') AS category, count(*) AS posts, median(er), avg(er),
                           median(interactions) FROM p GROUP BY 1 ORDER BY 3 DESC, 1""").fetchall()
    best = q("""SELECT isodow(published) AS dow, hour(published) AS hour, count(*) AS posts, median(er)
                FROM p GROUP BY ALL ORDER BY 1, 2""").fetchall()
    weekly = q("""WITH w AS (SELECT date_trunc('week', published) AS week, count(*) AS posts,
                                    sum(interactions) AS interactions, median(er) AS er_median
                             FROM p GROUP BY 1),
                  r AS (SELECT unnest(generate_series(min(week), max(week), INTERVAL 7 DAY)) AS week FROM w)
                  SELECT r.week, coalesce(posts, 0) AS posts, coalesce(interactions, 0), er_median
                  FROM r LEFT JOIN w USING (week) ORDER BY 1""").fetchall()
    con.execute("""CREATE TABLE d AS SELECT published::DATE AS day, count(*) AS posts, median(er) AS er_median
                   FROM p GROUP BY 1""")
    gaps = dict(
        q(f"""SELECT {_gap_case()} AS band, count(*) FROM (
                        SELECT date_diff('day', lag(published::DATE) OVER (ORDER BY published),
                                         published::DATE)
                        AS gap FROM p) WHERE gap IS NOT NULL GROUP BY 1""").fetchall()
    )
    cadence = q("""SELECT max(posts) AS max_per_day, avg((posts > 2)::INT) AS share_over_2,
                          count(*) AS active_days,
                          max(gap) - 1 AS longest_silence FROM (
                     SELECT posts, date_diff('day', lag(day) OVER (ORDER BY day), day) AS gap
                     FROM d)""").fetchone()
    freq = q("""SELECT CASE WHEN posts >= 5 THEN '5+' ELSE posts::VARCHAR END AS k, count(*) AS days,
                       sum(posts), median(er_median), quantile_cont(er_median, 0.25),
                       quantile_cont(er_median, 0.75)
                FROM d GROUP BY 1 ORDER BY 1""").fetchall()
    variety = q(
        "SELECT type, count(*) / sum(count(*)) OVER () AS share FROM p GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    s.mark("metrics")
    check = {
        "posts": int(fig[0]),
        "er_median": _r(fig[1]),
        "paid_share": _r(fig[2]),
        "top_type": by_type[0][0],
        "types": len(by_type),
        "labels": len(by_label),
        "best_cells": len(best),
        "weeks": len(weekly),
        "weekly_posts": int(sum(w[1] for w in weekly)),
        "gaps": [int(gaps.get(g, 0)) for g in GAP_LABELS],
        "freq_days": int(sum(f[1] for f in freq)),
        "criteria": 7,
        "_extra": [cadence[0], len(variety)],
    }
    check.pop("_extra")
    return s.times, check


def rfm_pandas(path: Path) -> tuple[dict, dict]:
    """RFM and the BG/NBD fit with the casebook package."""
    from casebook.crm import bgnbd, rfm
    from casebook.io import transactions

    _warm_up_fit()
    s = Steps()
    tx, report = transactions.load_transactions(path)
    s.mark("load")
    scores = rfm.rfm_table(tx)
    segments = rfm.assign_segments(scores)
    summary = rfm.segment_summary(scores, segments)
    s.mark("rfm")
    cal_end, hold_end = bgnbd.default_periods(tx)
    calib = bgnbd.summarise(tx, cal_end, hold_end, "W")
    s.mark("bgnbd_summary")
    params = bgnbd.fit(calib, "W")
    s.mark("bgnbd_fit")
    seg = summary.set_index("segment")["customers"]
    check = {
        "lines_kept": int(len(tx)),
        "customers": int(len(scores)),
        "revenue": round(float(tx["amount"].sum()), 2),
        "champions": int(seg.get("Champions", 0)),
        "lost": int(seg.get("Lost", 0)),
        "cohort": int(len(calib)),
        "holdout_purchases": int(calib["holdout_purchases"].sum()),
        "r": round(params.r, 4),
        "a": round(params.a, 4),
    }
    return s.times, check


def rfm_duckdb(path: Path) -> tuple[dict, dict]:
    """The same cleaning, RFM and BG/NBD summary in DuckDB SQL; the same scipy fit on its summary."""
    import duckdb

    from casebook.crm import bgnbd, rfm

    _warm_up_fit()
    s = Steps()
    con = duckdb.connect()
    con.execute(f"""
        CREATE TABLE t AS SELECT CAST(CAST(CustomerID AS BIGINT) AS VARCHAR) AS customer_id,
               CAST(InvoiceDate AS TIMESTAMP) AS ts, Quantity * UnitPrice AS amount,
               InvoiceNo::VARCHAR AS invoice
        FROM read_csv('{path}', header = true)
        WHERE CustomerID IS NOT NULL AND NOT starts_with(InvoiceNo::VARCHAR, 'C')
          AND NOT starts_with(InvoiceNo::VARCHAR, 'A') AND Quantity > 0 AND Quantity * UnitPrice >= 0""")
    s.mark("load")
    segments_sql = " ".join(
        f"WHEN r BETWEEN {rr[0]} AND {rr[1]} AND f BETWEEN {ff[0]} AND {ff[1]} "
        f"AND m BETWEEN {mm[0]} AND {mm[1]} "
        f"THEN '{name.replace(chr(39), chr(39) * 2)}'"
        for name, rr, ff, mm in rfm.SEGMENTS
    )
    con.execute(f"""
        CREATE TABLE c AS
        WITH a AS (SELECT customer_id, max(ts) AS last_purchase, count(DISTINCT invoice) AS frequency,
                          sum(amount) AS monetary FROM t GROUP BY 1),
             s AS (SELECT *, date_diff('day', last_purchase, (SELECT max(ts)::DATE + 1 FROM t))
                          AS recency_days,
                          count(*) OVER () AS n FROM a),
             q AS (SELECT *, floor(5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / n)::INT + 1 AS r,
                             floor(5 * (rank() OVER (ORDER BY frequency) - 1) / n)::INT + 1 AS f,
                             floor(5 * (rank() OVER (ORDER BY monetary) - 1) / n)::INT + 1 AS m FROM s)
        SELECT *, CASE {segments_sql} ELSE '{rfm.OTHERS}' END AS segment FROM q""")
    summary = dict(con.execute("""SELECT segment, count(*) FROM c GROUP BY 1""").fetchall())
    con.execute("""SELECT segment, count(*) AS customers, count(*) / sum(count(*)) OVER () AS customer_share,
                      sum(monetary) AS revenue, sum(monetary) / sum(sum(monetary)) OVER () AS revenue_share,
                      median(recency_days) FROM c GROUP BY 1""").fetchall()
    s.mark("rfm")
    first, last = con.execute("SELECT min(ts)::DATE, max(ts)::DATE FROM t").fetchone()
    span = (last - first).days
    cal_end = last - datetime.timedelta(days=max(1, min(91, span // 3)))
    calib = con.execute(f"""
        WITH d AS (SELECT customer_id, ts::DATE AS day FROM t GROUP BY 1, 2),
             f AS (SELECT customer_id, min(day) AS first FROM d GROUP BY 1
                   HAVING min(day) <= DATE '{cal_end}'),
             cal AS (SELECT d.customer_id, count(*) AS n, min(day) AS first, max(day) AS last FROM d
                     JOIN f USING (customer_id) WHERE day <= DATE '{cal_end}' GROUP BY 1),
             hold AS (SELECT d.customer_id, count(*) AS k FROM d JOIN f USING (customer_id)
                      WHERE day > DATE '{cal_end}' AND day <= DATE '{last}' GROUP BY 1)
        SELECT cal.customer_id, n - 1 AS frequency, date_diff('day', first, last) / 7 AS recency,
               date_diff('day', first, DATE '{cal_end}') / 7 AS "T", coalesce(k, 0) AS holdout_purchases
        FROM cal LEFT JOIN hold USING (customer_id) ORDER BY cal.customer_id""").df()
    s.mark("bgnbd_summary")
    params = bgnbd.fit(calib, "W")
    s.mark("bgnbd_fit")
    lines, customers, revenue = con.execute(
        "SELECT count(*), count(DISTINCT customer_id), sum(amount) FROM t"
    ).fetchone()
    check = {
        "lines_kept": int(lines),
        "customers": int(customers),
        "revenue": round(float(revenue), 2),
        "champions": int(summary.get("Champions", 0)),
        "lost": int(summary.get("Lost", 0)),
        "cohort": int(len(calib)),
        "holdout_purchases": int(calib["holdout_purchases"].sum()),
        "r": round(params.r, 4),
        "a": round(params.a, 4),
    }
    return s.times, check


CASES: dict[str, Callable[[Path], tuple[dict, dict]]] = {
    "pages-pandas": pages_pandas,
    "pages-duckdb": pages_duckdb,
    "rfm-pandas": rfm_pandas,
    "rfm-duckdb": rfm_duckdb,
}


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM): unlike ru_maxrss, it starts afresh at exec and does
    not inherit the high-water mark of the process that started it."""
    status = Path("/proc/self/status").read_text()
    return int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM:"))) / 1024


def main(argv: list[str]) -> None:
    """Run one case on one file and print its JSON line."""
    case, path = argv[0], Path(argv[1])
    steps, check = CASES[case](path)
    seconds = sum(steps.values())
    peak_mb = peak_memory_mb()
    print(
        json.dumps(
            {
                "case": case,
                "seconds": round(seconds, 3),
                "peak_mb": round(peak_mb, 1),
                "steps": steps,
                "check": check,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
