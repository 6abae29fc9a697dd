"""Tests of casebook.execute: the kernel chapters run in keeps its own stderr off the terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat


def test_quiet_kernel_keeps_the_kernels_own_stderr_off_the_terminal(tmp_path: Path) -> None:
    """What a kernel process writes to its file descriptor 2 never reaches the command's stderr."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nos.write(2, b'kernel noise\\n')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "noise.ipynb"
    nbformat.write(nb, path)
    script = (
        "import sys, papermill as pm\n"
        "from casebook import execute as kernel\n"
        "quiet = sys.argv[2] == 'quiet'\n"
        "pm.execute_notebook(sys.argv[1], sys.argv[1], progress_bar=False, log_output=False,\n"
        "    **({'kernel_manager_class': kernel.QuietKernelManager} if quiet else {}))\n"
    )
    loud = subprocess.run([sys.executable, "-c", script, str(path), "loud"], capture_output=True, text=True,
                          timeout=300, check=True)
    quiet = subprocess.run([sys.executable, "-c", script, str(path), "quiet"], capture_output=True, text=True,
                           timeout=300, check=True)
    assert "kernel noise" in loud.stderr  # the check can fail: without the class the noise shows
    assert "kernel noise" not in quiet.stderr
