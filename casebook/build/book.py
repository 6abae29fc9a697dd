"""Build helpers behind ``make book``: execute notebooks in place and build the static site.

``python -m casebook.build.book execute [NOTEBOOK ...]`` re-executes chapter notebooks and stores their
outputs (what nbval later compares); ``python -m casebook.build.book book`` invalidates the execution cache when the data or the package changed, and runs
Jupyter Book with warnings as errors.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from casebook.execute import QuietKernelManager
from casebook.paths import DATA, NOTEBOOKS, ROOT

BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
FINGERPRINT = BUILD / ".inputs.sha256"
TIMEOUT = 900


def chapters() -> list[Path]:
    """Every chapter notebook, in file-name order."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def inputs_fingerprint() -> str:
    """A digest of what notebook outputs depend on besides their code: the data and the package."""
    h = hashlib.sha256()
    files = sorted(p for p in DATA.rglob("*") if p.is_file())
    files += sorted((ROOT / "casebook").rglob("*.py"))
    for p in files:
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def execute_notebook(path: Path, timeout: int = TIMEOUT) -> float:
    """Execute a notebook in place (cwd = its folder) and return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                   kernel_manager_class=QuietKernelManager,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, path)
    return elapsed


def refresh_cache_key() -> None:
    """Drop the execution cache when data files or package modules changed since the last build."""
    key = inputs_fingerprint()
    if FINGERPRINT.exists() and FINGERPRINT.read_text() == key:
        return
    if CACHE.exists():
        print("Data or package changed since the last build: re-executing every notebook.")
        shutil.rmtree(CACHE)
    BUILD.mkdir(exist_ok=True)
    FINGERPRINT.write_text(key)


def build_book(builder: str = "html", extra: list[str] | None = None) -> int:
    """Build the book with warnings as errors; return the exit code of jupyter-book."""
    refresh_cache_key()
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--builder", builder,
           "--warningiserror", "--keep-going", *(extra or [])]
    return subprocess.call(cmd, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``execute`` or ``book``."""
    parser = argparse.ArgumentParser(prog="python -m casebook.build.book")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="execute notebooks in place, storing their outputs")
    ex.add_argument("notebooks", nargs="*", type=Path)
    bk = sub.add_parser("book", help="build the static site into _build/html")
    bk.add_argument("--builder", default="html")
    bk.add_argument("--all", action="store_true", help="rebuild every page")
    args = parser.parse_args(argv)
    if args.command == "execute":
        for nb in args.notebooks or chapters():
            print(f"{nb}: {execute_notebook(nb.resolve()):.1f} s")
        return 0
    code = build_book(args.builder, ["--all"] if args.all else None)
    if code == 0 and args.builder == "html":
        print(f"The book is ready: {BUILD / 'html' / 'index.html'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
