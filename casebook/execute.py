"""The one executor (foundation): papermill running a notebook in a quiet kernel.

Used by ``make book`` and ``python -m casebook.build.book execute`` (outputs stored in the chapters),
``casebook run`` (a chapter on a reader's data) and the benchmarks.

May import: paths.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager

from casebook.paths import NOTEBOOKS

#: Seconds a single cell may run before the execution stops.
TIMEOUT = 1800


class QuietKernelManager(AsyncKernelManager):
    """A kernel whose process writes nothing to the terminal.

    A chapter's output goes into the notebook; what a kernel prints to its own stderr (tornado and
    zmq log lines when it shuts down, the warning about unencrypted local TCP) would otherwise land
    between the command's own messages.
    """

    async def start_kernel(self, **kw: Any) -> None:
        """Start the kernel with its stderr sent to /dev/null."""
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super().start_kernel(**kw)


@dataclass(frozen=True)
class Executed:
    """An executed notebook (papermill's records included) and the wall-clock seconds it took."""

    notebook: nbformat.NotebookNode
    seconds: float


def execute_notebook(
    path: Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    cwd: Path = NOTEBOOKS,
    timeout: int = TIMEOUT,
    progress: bool = False,
    kernel_name: str = "python3",
) -> Executed:
    """Execute the notebook at ``path`` in ``cwd`` with papermill; nothing is written to disk.

    ``parameters`` are injected after the cell tagged ``parameters`` (papermill's ``injected-parameters``
    cell); none, and the notebook runs as it is. ``progress`` shows papermill's bar, cell by cell.
    A failing cell raises ``papermill.PapermillExecutionError`` (its ``ename``, ``evalue``, ``exec_count``).
    """
    import papermill as pm

    start = time.perf_counter()
    nb = pm.execute_notebook(
        str(path),
        None,
        parameters=dict(parameters) if parameters else None,
        cwd=str(cwd),
        progress_bar=progress,
        kernel_name=kernel_name,
        log_output=False,
        request_save_on_cell_execute=False,
        execution_timeout=timeout,
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        kernel_manager_class=QuietKernelManager,
        shutdown_kernel="immediate",  # every output is in; a graceful stop costs about a second
    )
    return Executed(nb, time.perf_counter() - start)


def with_outputs(source: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``source`` with the outputs and execution counts of ``executed`` (the same cells, run).

    Everything else stays as in ``source``: papermill's and nbclient's records of the run (start and end
    times, durations, the empty ``tags`` lists papermill adds) never reach a stored chapter, so a
    re-execution that computes the same outputs leaves the file byte for byte as it was.
    """
    if len(source.cells) != len(executed.cells):
        raise ValueError(f"executed notebook has {len(executed.cells)} cells, its source {len(source.cells)}")
    out = nbformat.from_dict(source)
    for cell, run in zip(out.cells, executed.cells, strict=True):
        if cell.cell_type == "code":
            cell.outputs = run.outputs
            cell.execution_count = run.execution_count
    if "language_info" in executed.metadata:
        out.metadata["language_info"] = executed.metadata["language_info"]
    return out
