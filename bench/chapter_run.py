"""Where the wall time of ``casebook run`` goes: ``python -m bench.chapter_run SLUG OUT SPAWNED``.

Runs ``casebook run SLUG -q --out OUT`` on the bundled data in this fresh process (the command's own
``main``, as the ``casebook`` script calls it), with timers around the public executor
(``casebook.execute.execute_notebook``) and report writer (``casebook.build.report.write_report``).
``SPAWNED`` is the parent's clock (``time.time()``) just before it started this process. Prints one JSON
line of clock readings; :func:`split` turns them, with the moment the process ended, into the parts:

- start-up: interpreter, imports, parameter checks (spawn to the executor's call);
- kernel start: papermill reading the chapter, the kernel starting and answering (to the first cell);
- execution: first cell sent to last cell done (papermill's own cell times);
- report build: ``write_report``;
- the rest: kernel shutdown, the notebook and figures.json written, the rename, the process exiting.
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
        "start-up": marks["executor_called"] - spawned,
        "kernel start": marks["first_cell"] - marks["executor_called"],
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
    from casebook.build import report
    from casebook.cli import main as cli

    executor, writer = execute.execute_notebook, report.write_report

    def timed_executor(path: Path, **kwargs: Any) -> execute.Executed:
        marks["executor_called"] = time.time()
        run = executor(path, **kwargs)
        marks["first_cell"], marks["last_cell"] = cell_times(run.notebook)
        return run

    def timed_writer(*args: Any, **kwargs: Any) -> Any:
        marks["report_called"] = time.time()
        result = writer(*args, **kwargs)
        marks["report_done"] = time.time()
        return result

    execute.execute_notebook = timed_executor
    report.write_report = timed_writer
    code = cli.main(["run", slug, "-q", "--out", str(out)])
    print(json.dumps(marks), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
