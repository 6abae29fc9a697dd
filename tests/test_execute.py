"""Tests of casebook.execute, the one executor: outputs merged into a stored chapter (unit), and real kernels
(integration: parameters, working folder, failures, a kernel's own stderr kept off the terminal)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from casebook import execute


def notebook(*sources: str, parameters: str | None = None) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})] if parameters else []
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), *cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


def test_with_outputs_takes_outputs_and_counts_only() -> None:
    source = notebook("print(1)")
    source.cells[1].metadata["tags"] = ["remove-cell"]
    run = nbformat.from_dict(source)
    run.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    run.cells[1].execution_count = 1
    run.cells[1].metadata["papermill"] = {"duration": 0.1}
    run.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    run.cells[0].metadata["tags"] = []  # papermill adds empty tag lists
    run.metadata["papermill"] = {"duration": 1.0}
    run.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    stored = execute.with_outputs(source, run)
    assert stored.cells[1].outputs[0]["text"] == "1\n" and stored.cells[1].execution_count == 1
    assert stored.cells[1].metadata == {"tags": ["remove-cell"]}
    assert stored.cells[0].metadata == {}
    assert "papermill" not in stored.metadata and stored.metadata["language_info"]["version"] == "3.11.7"
    assert source.cells[1].outputs == []  # the source is not modified


def test_with_outputs_refuses_other_cells() -> None:
    run = notebook("x = 1", parameters="y = 2")
    with pytest.raises(ValueError, match="executed notebook has 3 cells, its source 2"):
        execute.with_outputs(notebook("x = 1"), run)


@pytest.mark.integration
def test_execute_notebook_injects_parameters_in_the_working_folder(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("from the working folder")
    path = write(notebook("print(open('data.txt').read(), colour * 2)", parameters="colour = 'red'"),
                 tmp_path / "nb.ipynb")
    before = path.read_bytes()
    run = execute.execute_notebook(path, parameters={"colour": "blue"}, cwd=tmp_path)
    assert run.notebook.cells[-1].outputs[0]["text"] == "from the working folder blueblue\n"
    assert [c.metadata.get("tags") for c in run.notebook.cells[1:3]] == [["parameters"], ["injected-parameters"]]
    assert path.read_bytes() == before  # nothing written


@pytest.mark.integration
def test_execute_notebook_without_parameters_injects_nothing_and_raises_on_error(tmp_path: Path) -> None:
    path = write(notebook("x = 6 * 7", "raise ValueError(f'bad {x}')", parameters="y = 1"), tmp_path / "nb.ipynb")
    with pytest.raises(PapermillExecutionError) as err:
        execute.execute_notebook(path, cwd=tmp_path)
    assert (err.value.ename, err.value.evalue, err.value.exec_count) == ("ValueError", "bad 42", 3)


@pytest.mark.integration
def test_quiet_kernel_keeps_the_kernels_own_stderr_off_the_terminal(tmp_path: Path) -> None:
    """What a kernel process writes to its file descriptor 2 never reaches the command's stderr."""
    path = write(notebook("import os\nos.write(2, b'kernel noise\\n')"), tmp_path / "noise.ipynb")
    script = (
        "import sys, papermill as pm\n"
        "from casebook import execute\n"
        "quiet = sys.argv[2] == 'quiet'\n"
        "pm.execute_notebook(sys.argv[1], None, progress_bar=False, log_output=False,\n"
        "    **({'kernel_manager_class': execute.QuietKernelManager} if quiet else {}))\n"
        "if quiet:\n"
        "    execute.execute_notebook(sys.argv[1], cwd=sys.argv[3])\n"
    )
    loud = subprocess.run([sys.executable, "-c", script, str(path), "loud", str(tmp_path)], capture_output=True,
                          text=True, timeout=300, check=True)
    quiet = subprocess.run([sys.executable, "-c", script, str(path), "quiet", str(tmp_path)], capture_output=True,
                           text=True, timeout=300, check=True)
    assert "kernel noise" in loud.stderr  # the check can fail: without the class the noise shows
    assert "kernel noise" not in quiet.stderr


def test_notebook_imports_lists_top_level_imports_in_order(tmp_path: Path) -> None:
    nb = notebook(
        "import pandas as pd\nfrom casebook import notebook as book, paths\nfrom . import local\nbook.setup()",
        "%matplotlib inline\nimport skipped_magic_cell",  # not plain Python: skipped
        "if False:\n    import conditional\ndef f():\n    import inside\nfrom os.path import *\nimport json, csv",
        parameters="x = 1",
    )
    nb.cells.append(nbformat.v4.new_markdown_cell("import markdown_text"))
    path = write(nb, tmp_path / "nb.ipynb")
    assert execute.notebook_imports(path) == [
        "pandas", "casebook", "casebook.notebook", "casebook.paths", "os.path", "json", "csv"
    ]


def test_preload_argument_imports_without_touching_the_namespace() -> None:
    assert execute.preload_argument([]) == []
    (arg,) = execute.preload_argument(["json", "no_such_module_anywhere", "xml.dom"])
    name, _, statement = arg.partition("=")
    assert name == "--IPKernelApp.exec_lines"
    namespace: dict = {}
    sys.modules.pop("xml.dom", None)
    assert eval(compile(statement, "<exec_lines>", "eval"), namespace) is None  # nothing to display
    assert set(namespace) == {"__builtins__"} and "xml.dom" in sys.modules  # a missing module is skipped


@pytest.mark.integration
def test_a_kernel_started_ahead_runs_the_notebook_with_its_modules_loaded(tmp_path: Path) -> None:
    """start_kernel: the kernel imports the notebook's modules as it starts, in its working folder, and leaves
    no name and no execution count behind; execute_notebook runs the notebook in it, then stops it."""
    (tmp_path / "data.txt").write_text("here")
    path = write(notebook(
        "import sys, os\nprint('csv' in sys.modules, open('data.txt').read(), sorted(set(dir()) & {'importlib', 'name'}))",
        "import csv",
    ), tmp_path / "nb.ipynb")
    assert execute.notebook_imports(path) == ["sys", "os", "csv"]
    km = execute.start_kernel(cwd=tmp_path, preload=execute.notebook_imports(path))
    pid, connection = km.provisioner.pid, Path(km.connection_file)
    assert connection.exists()
    run = execute.execute_notebook(path, kernel=km)
    cells = [c for c in run.notebook.cells if c.cell_type == "code"]
    assert cells[0].outputs[0]["text"] == "True here []\n"  # csv loaded before the first cell
    assert [c.execution_count for c in cells] == [1, 2]
    assert not connection.exists()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    execute.stop_kernel(km)  # a second stop does nothing


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.integration
def test_a_kernel_never_used_is_stopped(tmp_path: Path) -> None:
    km = execute.start_kernel(cwd=tmp_path)
    pid, connection = km.provisioner.pid, Path(km.connection_file)
    execute.stop_kernel(km)
    assert not connection.exists()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)



@pytest.mark.integration
def test_a_kernel_started_with_an_environment_sees_it_and_the_notebook_does_not_hold_it(tmp_path: Path) -> None:
    """What ``casebook run`` hands a chapter through the environment (a database password) reaches the
    kernel, not the notebook's source."""
    import os

    path = write(notebook("import os\nprint(len(os.environ.get('PGPASSWORD', '')))"), tmp_path / "nb.ipynb")
    km = execute.start_kernel(cwd=tmp_path, env={**os.environ, "PGPASSWORD": "s3cret"})
    run = execute.execute_notebook(path, kernel=km)
    assert run.notebook.cells[-1].outputs[0]["text"] == "6\n"
    assert "s3cret" not in nbformat.writes(run.notebook)
