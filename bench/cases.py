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

The customer summary and BG/NBD fit of the Volvo chapter are measured by :mod:`bench.orders` (transaction
lines as Parquet parts, casebook vs hand-written DuckDB SQL) and :mod:`bench.orders_spark`, which also use
:class:`Steps`.
"""

from __future__ import annotations

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


CASES: dict[str, Callable[[Path], tuple[dict, dict]]] = {
    "pages-pandas": pages_pandas,
    "pages-duckdb": pages_duckdb,
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
