"""The benchmark's split of a ``casebook run`` into its parts (the benchmark itself runs in ``make bench``)."""

from __future__ import annotations

import nbformat
import pytest

from bench import chapter_run


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
