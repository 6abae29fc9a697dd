"""Where the wall time of ``casebook run`` goes: ``python -m bench.chapter_run SLUG OUT SPAWNED``.

Runs ``casebook run SLUG -q --out OUT`` on the bundled data in this fresh process, as the command runs
(``casebook.cli.main.main`` without arguments, the process ended by ``exit_now``), with timers around
the kernel's start (``casebook.execute.start_kernel``), the executor
(``casebook.execute.execute_notebook``) and the report writer (``casebook.build.report.write_report``).
``SPAWNED`` is the parent's clock (``time.time()``) just before it started this process. Prints one
JSON line of clock readings as the process ends; :func:`split` turns them, with the moment the process
ended, into the parts:

- start-up: interpreter, imports (spawn to the kernel claimed or started);
- kernel start: to the first cell: the kernel starting and importing the chapter's modules, while this
  process checks the parameters, imports papermill, reads the chapter and warms Sphinx up;
- execution: first cell sent to last cell done (papermill's own cell times);
- report build: ``write_report``;
- the rest: the notebook and figures.json written, waiting for the report's set-up when the chapter
  ran faster, kernel stop, the rename, the process exiting.
"""

from __future__ import annotations

import time

STARTED = time.time()  # first statement after the interpreter's own start (only ``time`` imported)

import datetime as dt  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def cell_times(notebook: Any) -> tuple[float, float]:
    """Clock of the first executed cell's start and of the last one's end (papermill's metadata)."""
    stamps = [c.metadata.get("papermill", {}) for c in notebook.cells if c.cell_type == "code"]
    stamps = [s for s in stamps if s.get("start_time") and s.get("end_time")]
    return (dt.datetime.fromisoformat(stamps[0]["start_time"]).timestamp(),
            dt.datetime.fromisoformat(stamps[-1]["end_time"]).timestamp())


def split(marks: dict[str, float], spawned: float, ended: float) -> dict[str, float]:
    """Seconds of each part of one run, from its clock readings; they add up to ``total``."""
    parts = {
        "start-up": marks["kernel_started"] - spawned,
        "kernel start": marks["first_cell"] - marks["kernel_started"],
        "execution": marks["last_cell"] - marks["first_cell"],
        "report": marks["report_done"] - marks["report_called"],
    }
    parts["rest"] = (ended - spawned) - sum(parts.values())
    parts["total"] = ended - spawned
    return {k: round(v, 3) for k, v in parts.items()}


def main(argv: list[str]) -> int:
    """Run the chapter with timers; print the clock readings as one JSON line; the command's exit code."""
    slug, out = argv[0], Path(argv[1])
    marks: dict[str, float] = {"started": STARTED, "spawned": float(argv[2])}
    from casebook import execute
    from casebook.cli import main as cli

    starter, executor = execute.start_kernel, execute.execute_notebook

    def timed_starter(**kwargs: Any) -> Any:
        marks["kernel_started"] = time.time()
        return starter(**kwargs)

    def timed_writer(writer: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            marks["report_called"] = time.time()
            result = writer(*args, **kwargs)
            marks["report_done"] = time.time()
            return result

        return timed

    def timed_executor(path: Path, **kwargs: Any) -> execute.Executed:
        marks["executor_called"] = time.time()
        run = executor(path, **kwargs)
        marks["first_cell"], marks["last_cell"] = cell_times(run.notebook)
        # the command imports the report's modules once the kernel has started: time its writer from here
        from casebook.build import report

        report.write_report = timed_writer(report.write_report)
        return run

    execute.start_kernel = timed_starter
    execute.execute_notebook = timed_executor
    exit_now = cli.exit_now

    def report_and_exit(code: int) -> None:
        print(json.dumps(marks), flush=True)
        exit_now(code)

    cli.exit_now = report_and_exit
    sys.argv = ["casebook", "run", slug, "-q", "--out", str(out)]
    return cli.main()  # as the command: ends through exit_now, which prints the readings first


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
