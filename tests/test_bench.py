"""bench.run's helpers: the split of a ``casebook run`` into its parts, the page-audit cases, their comparison,
targets and report (the benchmark itself runs in ``make bench``, never in tests)."""

from __future__ import annotations

import datetime as dt

import nbformat
import pytest

from bench import cases, chapter_run, data, run


def test_cell_times_reads_papermills_first_start_and_last_end() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("1"),
                                         nbformat.v4.new_code_cell("2")])
    nb.cells[1].metadata["papermill"] = {"start_time": "2026-12-01T10:00:01+00:00",
                                         "end_time": "2026-12-01T10:00:02+00:00"}
    nb.cells[2].metadata["papermill"] = {"start_time": "2026-12-01T10:00:02+00:00",
                                         "end_time": "2026-12-01T10:00:04.500000+00:00"}
    first, last = chapter_run.cell_times(nb)
    assert last - first == pytest.approx(3.5)


def test_split_adds_up_to_the_total() -> None:
    marks = {"kernel_started": 101.0, "first_cell": 102.5, "last_cell": 104.0, "report_called": 104.2,
             "report_done": 104.7}
    parts = chapter_run.split(marks, spawned=100.0, ended=105.0)
    assert parts == {"start-up": 1.0, "kernel start": 1.5, "execution": 1.5, "report": 0.5, "rest": 0.5,
                     "total": 5.0}


def _case(size: int, pandas_s: float, duckdb_s: float, check: dict | None = None) -> run.Case:
    check = check or {"posts": size, "er_median": 0.1}
    return run.Case(run.PAGE_AUDIT, size, 1.0, {"seconds": pandas_s, "peak_mb": 100.0, "check": check,
                                                "steps": {"load": pandas_s}},
                    {"seconds": duckdb_s, "peak_mb": 90.0, "check": dict(check)})


def test_same_values_allows_float_noise_only() -> None:
    assert run.same_values({"n": 3, "x": 1.0}, {"n": 3, "x": 1.0 + 1e-12})
    assert not run.same_values({"n": 3, "x": 1.0}, {"n": 3, "x": 1.001})
    assert not run.same_values({"n": 3}, {"n": 4})
    assert not run.same_values({"n": 3}, {"m": 3})


def test_a_case_compares_both_implementations() -> None:
    case = _case(1_000, 3.0, 2.0)
    assert case.ok and case.same and case.ratio == pytest.approx(1.5)
    case.duckdb = {"error": "exit 1: boom"}
    assert not case.ok and not case.same


def test_profile_only_a_missed_target_or_a_failure() -> None:
    assert not run.needs_profile(_case(1_000_000, 1.0, 1.0))
    assert run.needs_profile(_case(1_000_000, 2.0, 1.0))
    failed = _case(1_000_000, 1.0, 1.0)
    failed.pandas = {"error": "exit 1: boom"}
    assert run.needs_profile(failed)


def test_only_the_page_audit_is_scaled_here() -> None:
    """The customer summary and fit are bench.orders' (make bench runs it): no transaction-line case here."""
    assert set(cases.CASES) == {"pages-pandas", "pages-duckdb"}
    assert not hasattr(data, "transactions_csv")


def test_the_largest_page_audit_is_checked_against_its_target() -> None:
    small, large = _case(run.POSTS_SIZES[0], 9.0, 1.0), _case(run.POSTS_SIZES[-1], 1.4, 1.0)
    lines, targets = run._scaling_section([small, large])
    assert f"| {run.PAGE_AUDIT} | {run.POSTS_SIZES[-1]:,} |" in "\n".join(lines)
    assert targets == [(f"Page audit at {run.POSTS_SIZES[-1]:,} posts within 1.5× DuckDB, plain libraries",
                        "1.40×", True)]
    _, missed = run._scaling_section([_case(run.POSTS_SIZES[-1], 2.0, 1.0)])
    assert missed[0][1:] == ("2.00×", False)


def test_results_list_the_targets_and_the_profile() -> None:
    case = _case(run.POSTS_SIZES[-1], 2.0, 1.0)
    case.profile = "casebook functions, by cumulative time:"
    text = run.write_results({"cpu": "test"}, None, None, [case], False, dt.datetime(2026, 12, 1, tzinfo=dt.UTC), 60)
    assert "| Page audit at 1,000,000 posts within 1.5× DuckDB, plain libraries | 2.00× | **missed** |" in text
    assert f"### Profile: {run.PAGE_AUDIT} at 1,000,000 (cProfile)" in text
    assert "RFM" not in text and "transaction" not in text


def test_the_runs_table_shows_each_part_and_the_floor() -> None:
    parts = {"start-up": 0.2, "kernel start": 2.5, "execution": 2.0, "report": 0.8, "rest": 0.05,
             "total": 5.55, "no execution": 3.55, "imports": 2.31}
    chapters = run.ChapterRuns({"volvo": parts, "sncf": {"error": "exit 1: boom"}}, bare_kernel=0.71)
    text = run.write_results({"cpu": "test"}, None, chapters, [], False, dt.datetime(2026, 12, 1, tzinfo=dt.UTC), 60)
    assert "| volvo | 0.20 | 2.50 | 2.00 | 0.80 | 0.05 | **5.55** | 3.55 | 2.31 |" in text
    assert "| sncf | – | – | – | – | – | – | – | failed: exit 1: boom |" in text
    assert "answers its first request after 0.71 s" in text
    assert "| `casebook run` on the bundled data within 3 s, every chapter | 5.55–5.55 s | **missed** |" in text


def test_a_chapters_imports_are_timed_in_a_fresh_interpreter() -> None:
    seconds = run.chapter_imports("sncf")
    assert isinstance(seconds, float) and 0 < seconds < run.TIMEOUT


@pytest.mark.integration
def test_a_bare_kernels_start_is_timed_to_its_first_answer() -> None:
    seconds = run.bare_kernel()
    assert isinstance(seconds, float) and 0 < seconds < run.TIMEOUT
