"""Book build timings, measured on a clean copy of the book as it stands (the files git tracks or would
track: committed or not, never ``_build`` or the virtualenv).

The copy lives in a temporary folder and uses the project's installed virtualenv (``make`` is told the
install is done: "after install"), with ``PYTHONPATH`` pointing at the copy so the notebooks' kernels
import the copy's package. Four builds, in order:

1. cold ``make book``: no ``_build`` at all (every chapter executes, no Sphinx environment);
2. warm ``make book``: nothing changed (three runs, the median kept);
3. after a prose edit of one chapter (a sentence added to a markdown cell: no re-execution);
4. after a code edit of one chapter (a comment added to a code cell: that notebook re-executes).

Each notebook's execution time is read from the copy's execution records (``_build/execution.json``)
after the cold build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from casebook.paths import ROOT

EDITED = "survey-evidence"


@dataclass
class BookTimings:
    """Seconds of each build and of each notebook's execution."""

    commit: str
    builds: dict[str, float] = field(default_factory=dict)
    notebooks: dict[str, float] = field(default_factory=dict)
    ok: dict[str, bool] = field(default_factory=dict)
    warm_split: dict[str, float] = field(default_factory=dict)


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def clean_copy(dest: Path) -> str:
    """Copy the book's files (tracked or new, as they are on disk) into ``dest`` and link the installed
    virtualenv; return what was copied (the commit, and whether the working tree differs from it)."""
    files = [f for f in _git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0") if f]
    for name in files:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    (dest / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    commit = _git("rev-parse", "--short", "HEAD").strip()
    changed = bool(_git("status", "--porcelain", "--untracked-files=no").strip())
    return f"commit `{commit}`" + (" with uncommitted changes" if changed else "")


def timed_make(copy: Path, log: Path) -> tuple[float, bool]:
    """Run ``make book`` (install treated as done) in the copy; return seconds and success."""
    env = dict(os.environ, PYTHONPATH=str(copy))
    start = time.perf_counter()
    with log.open("a") as out:
        code = subprocess.call(
            ["make", "-o", ".venv/.installed", "book"],
            cwd=copy,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return time.perf_counter() - start, code == 0


def edit_notebook(path: Path, kind: str) -> None:
    """Add a sentence to the last markdown cell (``prose``) or a comment to the last code cell (``code``)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell_type = "markdown" if kind == "prose" else "code"
    cell = [c for c in nb["cells"] if c["cell_type"] == cell_type][-1]
    source = "".join(cell["source"])
    cell["source"] = source + (
        "\n\nThis sentence was added by the benchmark." if kind == "prose" else "\n# edited by the benchmark"
    )
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _seconds(cmd: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(cwd))
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def warm_split(copy: Path) -> dict[str, float]:
    """Where a warm build's time goes: finding what to execute (Python start, fingerprints of the data, the
    package and each chapter's code), and jupyter-book alone (its own Python start, Sphinx and extension
    imports, and the incremental build)."""
    python = str(ROOT / ".venv" / "bin" / "python")
    jb = str(ROOT / ".venv" / "bin" / "jupyter-book")
    stale = ("from casebook.build import book as b; "
             "b.stale(b.chapters(), b.load_state(), b.inputs_fingerprint())")
    return {
        "python start + fingerprints (nothing to execute)": _seconds([python, "-c", stale], copy),
        "jupyter-book build alone (incremental, nothing to do)": _seconds(
            [jb, "build", str(copy), "--builder", "html", "--warningiserror", "--keep-going"], copy
        ),
        "jupyter-book --version (its Python start and CLI imports)": _seconds([jb, "--version"], copy),
    }


def execution_times(build: Path) -> dict[str, float]:
    """Seconds each notebook took to execute, from the execution records of a build."""
    state = json.loads((build / "execution.json").read_text(encoding="utf-8"))
    return {slug: float(r["seconds"]) for slug, r in state.items() if r.get("seconds") is not None}


def measure(log: Path) -> BookTimings:
    """The four builds and the notebooks' execution times."""
    with tempfile.TemporaryDirectory(prefix="casebook-book-") as tmp:
        copy = Path(tmp)
        timings = BookTimings(clean_copy(copy))
        cold = "cold make book (no _build)"
        timings.builds[cold], timings.ok[cold] = timed_make(copy, log)
        timings.notebooks = execution_times(copy / "_build")
        warm = [timed_make(copy, log) for _ in range(3)]  # the machine is shared: the median of three
        name = "warm make book, nothing changed (median of " + ", ".join(f"{s:.2f}" for s, _ in warm) + ")"
        timings.builds[name] = sorted(s for s, _ in warm)[1]
        timings.ok[name] = all(ok for _, ok in warm)
        timings.warm_split = warm_split(copy)
        for edit, name in (
            ("prose", f"after a prose edit of one chapter ({EDITED})"),
            ("code", f"after a code edit of one chapter ({EDITED}, re-executed)"),
        ):
            edit_notebook(copy / "notebooks" / f"{EDITED}.ipynb", edit)
            timings.builds[name], timings.ok[name] = timed_make(copy, log)
        shutil.rmtree(copy / "_build", ignore_errors=True)
    return timings
