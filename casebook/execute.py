"""The one executor (foundation): papermill running a notebook in a quiet kernel.

Used by ``make book`` and ``python -m casebook.build.book execute`` (outputs stored in the chapters),
``casebook run`` (a chapter on a reader's data) and the benchmarks.

A kernel can be started ahead of its notebook (:func:`start_kernel`): the process starts at once and
imports, if asked, the modules the notebook imports (:func:`notebook_imports`), while the caller does
its own work; :func:`execute_notebook` then hands it to papermill, which runs the cells in it.

May import: paths.
"""

from __future__ import annotations

import ast
import json
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client.manager import AsyncKernelManager

from casebook.paths import NOTEBOOKS

if TYPE_CHECKING:
    import nbformat

#: Seconds a single cell may run before the execution stops.
TIMEOUT = 1800
#: The kernel's own log: nothing below CRITICAL.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


class QuietKernelManager(AsyncKernelManager):
    """A kernel whose process writes nothing to the terminal.

    A chapter's output goes into the notebook; what a kernel prints to its own stderr (tornado and
    zmq log lines when it shuts down, the warning about unencrypted local TCP) would otherwise land
    between the command's own messages. The clients it hands out are kept, so :func:`stop_kernel`
    closes their channels.
    """

    async def start_kernel(self, **kw: Any) -> None:
        """Start the kernel with its stderr sent to /dev/null."""
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super().start_kernel(**kw)

    def client(self, **kwargs: Any) -> Any:
        """A client of this kernel (papermill's), remembered for :func:`stop_kernel`."""
        kc = super().client(**kwargs)
        self.__dict__.setdefault("casebook_clients", []).append(kc)
        return kc


@dataclass(frozen=True)
class Executed:
    """An executed notebook (papermill's records included) and the wall-clock seconds it took."""

    notebook: nbformat.NotebookNode
    seconds: float


def notebook_imports(path: Path) -> list[str]:
    """The modules a notebook imports unconditionally, in order: every ``import a.b`` and ``from a import
    b`` at the top level of its code cells (``a.b`` is listed too: it may be a module). Read with ``json``
    and ``ast`` only, so asking costs milliseconds; a cell that is not plain Python is skipped."""
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    names: list[str] = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError:  # IPython magics, shell escapes
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__":
                names += [node.module or "", *(f"{node.module}.{a.name}" for a in node.names if a.name != "*")]
    return list(dict.fromkeys(n for n in names if n))


def preload_argument(modules: Sequence[str]) -> list[str]:
    """The kernel argument that imports ``modules`` while the kernel starts, before it answers.

    One IPython ``exec_lines`` statement: it runs ``exec`` in a namespace of its own, so no name reaches
    the notebook's namespace, the execution count does not move and nothing is displayed. A module that
    cannot be imported is skipped: the notebook's own cell then fails as it would have.
    """
    if not modules:
        return []
    code = (
        "import importlib\n"
        f"for name in {list(modules)!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        pass\n"
    )
    return [f"--IPKernelApp.exec_lines=exec({code!r}, {{}})"]


def start_kernel(
    *, cwd: Path = NOTEBOOKS, kernel_name: str = "python3", preload: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> QuietKernelManager:
    """Start a kernel process in ``cwd`` now and return its manager, without waiting for it to answer.

    ``preload`` names modules the kernel imports as it starts (see :func:`preload_argument`); ``env`` is
    its whole environment (default: this process's). Hand the manager to :func:`execute_notebook`
    (``kernel=``), which runs one notebook in it and stops it; a kernel that is never used is stopped
    with :func:`stop_kernel`.
    """
    from jupyter_core.utils import run_sync

    km = QuietKernelManager(kernel_name=kernel_name)
    extra = {"env": dict(env)} if env is not None else {}
    run_sync(km.start_kernel)(cwd=str(cwd), extra_arguments=[*KERNEL_ARGUMENTS, *preload_argument(preload)],
                              **extra)
    return km


def stop_kernel(km: QuietKernelManager) -> None:
    """Stop a kernel at once: close its clients' channels, kill its process group, remove its connection
    file. Every output is in when this is called, so the kernel is not asked
    to stop politely (which costs about a second) and its end is not waited for. Calling it again does
    nothing."""
    from jupyter_core.utils import run_sync

    for kc in km.__dict__.pop("casebook_clients", []):
        kc.stop_channels()
    if km.__dict__.get("casebook_stopped"):
        return
    km.__dict__["casebook_stopped"] = True
    if km.has_kernel:
        run_sync(km.provisioner.kill)()
    run_sync(km.cleanup_resources)()


def execute_notebook(
    path: Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    cwd: Path = NOTEBOOKS,
    timeout: int = TIMEOUT,
    progress: bool = False,
    kernel_name: str = "python3",
    kernel: QuietKernelManager | None = None,
) -> Executed:
    """Execute the notebook at ``path`` in ``cwd`` with papermill; nothing is written to disk.

    ``parameters`` are injected after the cell tagged ``parameters`` (papermill's ``injected-parameters``
    cell); none, and the notebook runs as it is. ``progress`` shows papermill's bar, cell by cell.
    ``kernel`` is a kernel from :func:`start_kernel` (its working folder is the one it was started in);
    without it one is started here, in ``cwd``. Either way the kernel runs this notebook only and is
    stopped when it ends. A failing cell raises ``papermill.PapermillExecutionError`` (its ``ename``,
    ``evalue``, ``exec_count``).
    """
    import papermill as pm

    start = time.perf_counter()
    km = kernel if kernel is not None else start_kernel(cwd=cwd, kernel_name=kernel_name)
    try:
        nb = pm.execute_notebook(
            str(path),
            None,
            parameters=dict(parameters) if parameters else None,
            progress_bar=progress,
            kernel_name=kernel_name,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
            km=km,  # papermill passes it to nbclient, which uses the running kernel and leaves it running
        )
    finally:
        stop_kernel(km)
    return Executed(nb, time.perf_counter() - start)


def with_outputs(source: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``source`` with the outputs and execution counts of ``executed`` (the same cells, run).

    Everything else stays as in ``source``: papermill's and nbclient's records of the run (start and end
    times, durations, the empty ``tags`` lists papermill adds) never reach a stored chapter, so a
    re-execution that computes the same outputs leaves the file byte for byte as it was.
    """
    import nbformat

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


def with_parameters(source: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Like :func:`with_outputs`, for a run with injected parameters (a French edition's chapter):
    papermill's ``injected-parameters`` cell is kept, tagged ``remove-cell`` so no page shows it, and the
    notebook re-runs as it was run (nbval checks it that way)."""
    import nbformat

    injected = [i for i, c in enumerate(executed.cells) if "injected-parameters" in c.metadata.get("tags", [])]
    if not injected:
        return with_outputs(source, executed)
    out = nbformat.from_dict(source)
    cell = nbformat.v4.new_code_cell(executed.cells[injected[0]].source,
                                     metadata={"tags": ["injected-parameters", "remove-cell"]})
    cell.id = "injected-parameters"
    out.cells.insert(injected[0], cell)
    return with_outputs(out, executed)
