"""bench/orders_spark.py's helpers (the benchmark itself is never part of make test)."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from bench import orders_spark
from bench.cases import peak_memory_mb
from casebook import paths


@pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")
def test_server_workload_times_each_step_and_returns_the_check_values() -> None:
    """Any source open_orders reads: here the bundled CDNOW file in the embedded engine."""
    times, check = orders_spark.server_workload(str(paths.dataset("cdnow")), None)
    assert list(times) == ["open_and_clean", "summary", "triples", "fit"]
    assert all(t >= 0 for t in times.values())
    assert check["lines_kept"] == 6_919 and check["customers"] == 2_357 and check["customers_summarised"] == 2_357
    assert check["removed"] == 0 and check["invoices"] is None and check["triples"] > 0


class _Child:
    def __init__(self, name: str, pid: int) -> None:
        self.pid, self._name = pid, name

    def name(self) -> str:
        return self._name


def test_jvm_peak_adds_up_the_java_children_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Children faked: a "java" one that is this process (its VmHWM is known) and a shell, ignored."""
    me = os.getpid()
    children = [_Child("java", me), _Child("sh", me)]
    monkeypatch.setattr(orders_spark.psutil, "Process", lambda: type("P", (), {"children": lambda self, recursive: children})())
    assert orders_spark.jvm_peak_mb() == pytest.approx(peak_memory_mb(), rel=0.05)
    children.clear()
    assert orders_spark.jvm_peak_mb() == 0.0


def test_row_adds_up_the_steps_and_says_whether_the_checks_agree() -> None:
    times = {"open_and_clean": 1.0, "summary": 0.5}
    assert orders_spark._row("Spark", times, "10", True) == (
        "| Spark | 1.50 | open_and_clean 1.00, summary 0.50 | 10 | yes |")
    assert orders_spark._row("DuckDB", times, "—", None).endswith("| — | — |")
    assert orders_spark._row("PostgreSQL", times, "—", False).endswith("| no |")


def test_without_java_main_says_so_in_one_line_and_writes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """make bench runs this after the other benchmarks: no Java must not fail it nor start generating lines."""
    monkeypatch.setattr(orders_spark.prereqs, "find", lambda command, also_in="": None)
    monkeypatch.setattr(orders_spark, "generate", lambda *a: pytest.fail("generated lines without Java"))
    out = tmp_path / "spark.md"
    orders_spark.main(["--out", str(out)])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Java not found" in err and "openjdk-17" in err
    assert not out.exists()


def test_java_on_path_lets_the_benchmark_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(orders_spark.prereqs, "find", lambda command, also_in="": f"/opt/jdk/bin/{command}")
    assert orders_spark.java_missing() is None


def test_check_values_hold_the_counts_totals_and_parameters_two_engines_must_share() -> None:
    from bench.orders import check_values

    summary = pd.DataFrame({"in_calibration": [True, True, False], "frequency": [2, 0, 5],
                            "frequency_holdout": [1, 0, 3], "total_spend": [10.004, 5.0, 1.0]})
    params = type("P", (), {"as_dict": lambda self: {"r": 0.24312345678, "alpha": 4.4}})()
    got = check_values({"lines_kept": 9}, summary, pd.DataFrame({"x": [0, 1]}), params)
    assert got == {"lines_kept": 9, "customers_summarised": 3, "cohort": 2, "repeat_purchases": 2,
                   "holdout_purchases": 1, "spend": 16.0, "triples": 2, "r": 0.243123, "alpha": 4.4}


def test_same_values_allow_float_sums_in_another_order_but_nothing_else() -> None:
    from bench.orders import same_values

    a = {"customers": 2_357, "spend": 111_074.41, "r": float("nan")}
    assert same_values(a, {**a, "spend": 111_074.41 * (1 + 1e-12)})
    assert not same_values(a, {**a, "spend": 111_074.42})
    assert not same_values(a, {**a, "customers": 2_356})
    assert not same_values(a, {"customers": 2_357, "spend": 111_074.41})
