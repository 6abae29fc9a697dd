"""The book build (build room): execute the chapters whose inputs changed, then build the site.

``python -m casebook.build.book book`` (``make book``) executes, with the one executor
(:mod:`casebook.execute`), every chapter whose fingerprint changed: its code cells, the bundled data
and the ``casebook`` package. The outputs are stored in the chapter itself (committed, checked by nbval),
then Jupyter Book builds the site from the stored outputs (``execute_notebooks: 'off'``) with warnings
as errors. ``python -m casebook.build.book execute [NOTEBOOK ...]`` executes notebooks unconditionally
and stores their outputs. Each execution is recorded in ``_build/execution.json`` (fingerprint, time,
seconds, status), which the Execution status page shows.

May import: the foundation (execute, paths).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from casebook.paths import DATA, NOTEBOOKS, ROOT

BUILD = ROOT / "_build"
#: One record per chapter executed by this build folder: fingerprint, executed_at, seconds, status.
STATE = BUILD / "execution.json"
TIMEOUT = 900


class ExecutionError(Exception):
    """A chapter failed while executing: the message names the notebook, the cell and the error."""


def chapters() -> list[Path]:
    """Every chapter notebook, in file-name order."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def inputs_fingerprint() -> str:
    """A digest of what every chapter's outputs depend on besides its code: the data and the package."""
    h = hashlib.sha256()
    files = sorted(p for p in DATA.rglob("*") if p.is_file())
    files += sorted((ROOT / "casebook").rglob("*.py"))
    for p in files:
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def chapter_fingerprint(path: Path, inputs: str) -> str:
    """A digest of the chapter's code cells (not its prose or outputs) and ``inputs``."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    h = hashlib.sha256(inputs.encode())
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            h.update(b"\0" + ("".join(source) if isinstance(source, list) else source).encode())
    return h.hexdigest()


def load_state(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The execution records, by chapter slug; empty when nothing ran yet (or the file is unreadable)."""
    path = path or STATE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save_records(records: dict[str, dict[str, Any]], path: Path | None = None) -> None:
    """Add ``records`` to the stored ones (replacing those of the same chapters), atomically: another
    build writing at the same time, or one stopped half-way, never leaves a truncated file."""
    path = path or STATE
    state = {**load_state(path), **records}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(state, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, path)


def stale(paths: list[Path], state: dict[str, dict[str, Any]], inputs: str) -> list[Path]:
    """The chapters among ``paths`` whose last successful execution was on other inputs (or never)."""
    return [
        p for p in paths
        if state.get(p.stem, {}).get("status") != "ok"
        or state[p.stem].get("fingerprint") != chapter_fingerprint(p, inputs)
    ]


def execute_chapter(path: Path, records: dict[str, dict[str, Any]], inputs: str, timeout: int = TIMEOUT) -> float:
    """Execute ``path`` (cwd = its folder), store its outputs in it and record the run in ``records``.

    The file is rewritten only when an output changed. Returns the seconds the execution took; a failing
    cell raises ExecutionError (the failure is recorded too, so the next build tries again).
    """
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from casebook import execute

    record: dict[str, Any] = {"executed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    source = nbformat.read(path, as_version=4)
    try:
        run = execute.execute_notebook(path, cwd=path.parent, timeout=timeout)
    except PapermillExecutionError as exc:
        first = str(exc.evalue).strip().splitlines()
        message = f"{path.name}: cell {exc.exec_count} failed: {exc.ename}: {first[0] if first else ''}"
        records[path.stem] = {**record, "status": "failed", "seconds": None, "error": message}
        raise ExecutionError(message) from None
    stored = execute.with_outputs(source, run.notebook)
    if stored != source:
        nbformat.write(stored, path)
    records[path.stem] = {**record, "status": "ok", "seconds": round(run.seconds, 2),
                        "fingerprint": chapter_fingerprint(path, inputs)}
    return run.seconds


def execute_chapters(paths: list[Path], timeout: int = TIMEOUT) -> dict[str, float]:
    """Execute ``paths`` one after the other, storing outputs and records; seconds by slug.

    Stops at the first failure (ExecutionError), after recording it.
    """
    records: dict[str, dict[str, Any]] = {}
    inputs, seconds = inputs_fingerprint(), {}
    try:
        for path in paths:
            print(f"Executing {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ...", flush=True)
            seconds[path.stem] = execute_chapter(path, records, inputs, timeout)
            print(f"  {seconds[path.stem]:.1f} s", flush=True)
    finally:
        if records:
            save_records(records)
    return seconds


def status_rows(paths: list[Path], state: dict[str, dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """(chapter, last executed, seconds, status) for the Execution status page, one per chapter."""
    rows = []
    for p in paths:
        rec = state.get(p.stem)
        if rec is None:
            rows.append((p.stem, "not by this build", "", "stored outputs"))
            continue
        when = dt.datetime.fromisoformat(rec["executed_at"]).strftime("%Y-%m-%d %H:%M UTC")
        secs = f"{rec['seconds']:.1f}" if rec.get("seconds") is not None else ""
        status = "ran without error" if rec.get("status") == "ok" else f"failed: {rec.get('error', '')}"
        rows.append((p.stem, when, secs, status))
    return rows


def jupyter_book(builder: str = "html", extra: list[str] | None = None) -> int:
    """Run Jupyter Book on the stored outputs, warnings as errors; its exit code."""
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--builder", builder,
           "--warningiserror", "--keep-going", *(extra or [])]
    return subprocess.call(cmd, cwd=ROOT)


def sphinx(source: Path, out: Path, builder: str = "html", overrides: dict[str, Any] | None = None,
           doctrees: Path | None = None, force_all: bool = False, quiet: bool = False) -> int:
    """Jupyter Book's Sphinx build of the book in ``source`` (its ``_config.yml`` and ``_toc.yml``) into
    ``out``, what ``jupyter-book build`` runs, with Sphinx settings ``overrides``; warnings as errors.
    Returns the exit code."""
    from jupyter_book.sphinx import build_sphinx

    conf = {"external_toc_path": (source / "_toc.yml").as_posix(), "latex_individualpages": False,
            **(overrides or {})}
    result = build_sphinx(source, out, noconfig=True, path_config=str(source / "_config.yml"), confoverrides=conf,
                          builder=builder, doctreedir=doctrees, force_all=force_all, warningiserror=True,
                          keep_going=True, quiet=quiet, really_quiet=quiet)
    if isinstance(result, Exception):
        print(f"{out}: {result}", file=sys.stderr)
        return 1
    return int(result)


def site_fingerprint() -> str:
    """A digest of every file the site is built from: configuration, table of contents, prose pages and
    their assets, the chapters (with their stored outputs), the package (its Sphinx extension), the
    pinned versions and the execution records shown on the execution-status page."""
    h = hashlib.sha256()
    files = [ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "requirements.txt", STATE]
    files += sorted(p for p in (ROOT / "book").rglob("*") if p.is_file() and p.name != "casebook-vega.js")
    files += chapters() + sorted((ROOT / "casebook").rglob("*.py"))
    for f in files:
        h.update(str(f.relative_to(ROOT)).encode() + b"\0")
        h.update(f.read_bytes() if f.is_file() else b"(absent)")
    return h.hexdigest()


def build_book(builder: str = "html", extra: list[str] | None = None) -> int:
    """Execute the chapters whose inputs changed, then build the book; 0 on success.

    An HTML build whose sources are all as they were at the last successful build is not run again.
    """
    todo = stale(chapters(), load_state(), inputs_fingerprint())
    try:
        execute_chapters(todo)
    except ExecutionError as exc:
        print(f"make book: {exc}", file=sys.stderr)
        return 1
    html = builder == "html" and not extra
    key, record = (site_fingerprint() if html else ""), BUILD / ".site.sha256"  # of the last HTML build
    if html and (BUILD / "html" / "index.html").is_file() and record.is_file() and record.read_text() == key:
        print("The site is up to date: no source changed since the last build.")
        return 0
    record.unlink(missing_ok=True)
    code = jupyter_book(builder, extra)
    if code == 0 and html:
        record.write_text(key)
    return code


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``execute`` or ``book``."""
    parser = argparse.ArgumentParser(prog="python -m casebook.build.book")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="execute notebooks (default: every chapter), storing their outputs")
    ex.add_argument("notebooks", nargs="*", type=Path)
    bk = sub.add_parser("book", help="execute the chapters whose inputs changed, build the site into _build/html")
    bk.add_argument("--builder", default="html")
    bk.add_argument("--all", action="store_true", help="rebuild every page")
    args = parser.parse_args(argv)
    if args.command == "execute":
        try:
            execute_chapters([nb.resolve() for nb in args.notebooks] or chapters())
        except ExecutionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    code = build_book(args.builder, ["--all"] if args.all else None)
    if code == 0 and args.builder == "html":
        print(f"The book is ready: {BUILD / 'html' / 'index.html'}")
    return code


if __name__ == "__main__":
    sys.exit(main())
