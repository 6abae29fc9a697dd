"""Running a chapter on a reader's data (cli room): the one executor, a temporary folder, then one rename.

:func:`run_chapter` executes ``notebooks/SLUG.ipynb`` with :mod:`casebook.execute` (papermill, working
folder ``notebooks/``, so the chapter's relative defaults work), then writes ``SLUG.ipynb``, ``SLUG.html``
and ``figures.json`` into a temporary folder next to the output folder and renames it into place only
when everything succeeded. A failed or interrupted run leaves the output folder as it was; inputs are never written.

The kernel is what a run waits for, so it starts first, as soon as the slug names a chapter, and imports
the chapter's modules while this process checks the parameters, the data files and the output folder
(reading the parameters imports papermill), imports the report's modules and warms Sphinx up. A check
that fails stops it: no cell of the chapter runs before every check has passed. This module imports
only the executor when it loads; the rest comes after the kernel has started.

May import: the foundation (errors, execute, notebook, paths), cli.params, build.report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casebook import execute
from casebook.cli import sources
from casebook.errors import CasebookError, ParameterError
from casebook.io.files import expand_paths
from casebook.paths import NOTEBOOKS, ROOT

if TYPE_CHECKING:
    import nbformat

    from casebook.cli.params import Chapter


def __getattr__(name: str) -> Any:
    """``runner.report``: the report module, imported when first needed (after the kernel has started)."""
    if name == "report":
        from casebook.build import report

        return report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Exception names raised inside a chapter's kernel that mean "bad input", not a bug.
USER_ERRORS = {"InputError", "ParameterError", "CasebookError"}
TIMEOUT = 1800


class ChapterError(Exception):
    """A genuine error inside a chapter run (not bad input): the command line exits with 1."""


@dataclass
class RunResult:
    """Where a run wrote its outputs, what it glued and how long it took."""

    out: Path
    notebook: Path
    html: Path
    figures_path: Path
    figures: dict[str, Any]
    seconds: float


def default_out(slug: str) -> Path:
    """``reports/SLUG`` under the current folder."""
    return Path("reports") / slug


def tag_injected_parameters(notebook: nbformat.NotebookNode) -> int:
    """Tag papermill's ``injected-parameters`` cell ``remove-cell`` and hide its source; return how many."""
    n = 0
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell.metadata["tags"] = [*tags, *(t for t in ("remove-cell",) if t not in tags)]
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            n += 1
    return n


def _names(value: str | list[str]) -> str | list[str]:
    """A path's file name, or each of a list's: the folders of the reader's machine stay out of reports;
    a connection string as :func:`casebook.cli.sources.display` shows it (no user, no password)."""
    if isinstance(value, str):
        return sources.display(value) if sources.is_connection(value) else Path(value).name
    return [Path(v).name for v in value]


def data_display(chapter: Chapter, values: dict[str, Any], user: dict[str, Any]) -> str | None:
    """The data file(s) as the header shows them: the reader's file names (never the folders of their
    machine) or database (``postgresql://localhost:5432/shop, table orders``: no user, no password), or
    the bundled file relative to the book."""
    if "data_path" not in values:
        return None
    value = values["data_path"]
    if not value:
        return None
    table = f", table {user['table']}" if user.get("table") else ""
    if sources.is_connection(value):
        return sources.display(value) + table
    if "data_path" in user:
        if parts_source(chapter, value) is not None:
            return Path(value).name + table  # the folder or pattern, not its parts
        return ", ".join(p.name for p in expand_paths(value)) + table
    path = (NOTEBOOKS / value).resolve()
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def parts_source(chapter: Chapter, value: object) -> Path | None:
    """For a chapter that reads databases (one with a ``table`` parameter), a data value naming a folder of
    parts or a pattern of them: the folder they are in (the chapter's reader finds and checks the parts,
    however many and however nested); else None."""
    if not chapter.reads_databases or not isinstance(value, str):
        return None
    path = Path(value)
    if path.is_dir():
        return path
    return path.parent if any(ch in path.name for ch in "*?[") else None


def private_paths(chapter: Chapter, user: dict[str, Any]) -> dict[str, str | list[str]]:
    """The reader's file paths among ``user`` values, each mapped to its bare file name (or names).

    Reports are meant to be sent: they name the reader's files, never the folders of their machine.
    """
    return {p.name: _names(user[p.name]) for p in chapter.parameters if p.is_path and user.get(p.name)}


def scrub_paths(notebook: nbformat.NotebookNode, slug: str, shown: dict[str, str]) -> None:
    """Replace the machine's folders in the executed notebook: paths of the reader's files become
    their names (parameters cell and papermill's record), the book's and the output's folders go."""
    meta = notebook.metadata.get("papermill")
    if meta is not None:
        meta["input_path"] = f"notebooks/{slug}.ipynb"
        meta["output_path"] = f"{slug}.ipynb"
        meta["parameters"] = {**meta.get("parameters", {}), **shown}
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            lines = cell.source.splitlines()
            for i, line in enumerate(lines):
                name = line.split("=", 1)[0].strip()
                if name in shown:
                    lines[i] = f"{name} = {shown[name]!r}"
            cell.source = "\n".join(lines)


def _out_error(out_dir: Path, exc: OSError) -> CasebookError:
    """One line naming the output folder and why it cannot be written (full disk, read-only, ...)."""
    return CasebookError(f"--out {out_dir}: cannot write the report there ({exc.strerror or exc}); "
                         "expected a writable folder (any previous report there is unchanged)")


def output_names(slug: str) -> set[str]:
    """The files a run writes: ``SLUG.ipynb``, ``SLUG.html`` and ``figures.json``."""
    return {f"{slug}.ipynb", f"{slug}.html", "figures.json"}


def check_out_dir(out_dir: Path, slug: str, inputs: Sequence[Path] = ()) -> None:
    """Refuse an output folder that is a file, holds anything but a previous report of ``slug``, or
    holds one of the run's ``inputs`` (the folder is replaced as a whole: one rule for all three).
    """
    for path in inputs:
        if path == out_dir or out_dir in path.parents:
            raise ParameterError(
                f"--out {out_dir} holds the input {path.name}, which the run would replace; "
                "expected an output folder that holds none of the run's inputs"
            )
    if out_dir.exists() and not out_dir.is_dir():
        raise ParameterError(f"--out {out_dir} is a file; expected a folder (created if missing)")
    if out_dir.is_dir():
        others = sorted(p.name for p in out_dir.iterdir() if p.name not in output_names(slug))
        if others:
            shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
            raise ParameterError(
                f"--out {out_dir} holds other files ({shown}) that the run would replace; "
                f"expected a new folder or one holding only a previous report of {slug}"
            )


#: What a run's temporary folder holds while it runs: the id of the process that owns it.
OWNER = ".owner"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(out_dir: Path) -> list[Path]:
    """Remove the temporary folders of earlier runs into ``out_dir`` whose process is gone (killed,
    out of memory); return them. A folder whose owner still runs is left alone."""
    removed = []
    for tmp in out_dir.parent.glob(f".{out_dir.name}.*.tmp"):
        try:
            pid = int((tmp / OWNER).read_text())
        except (OSError, ValueError):
            pid = 0
        if not pid or not _alive(pid):
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
    return removed


class _DeferSignals:
    """Hold SIGINT and SIGTERM while the report is swapped into place; re-raise them afterwards as a
    KeyboardInterrupt that says the report was complete."""

    def __enter__(self) -> _DeferSignals:
        self.caught: list[int] = []
        self.previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, lambda signum, frame: self.caught.append(signum))
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        if self.caught and exc[0] is None:
            raise KeyboardInterrupt("complete")


def _swap_into_place(tmp: Path, out: Path) -> None:
    """Rename ``tmp`` to ``out``, replacing an existing ``out`` only once ``tmp`` is complete."""
    if not out.exists():
        os.rename(tmp, out)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    backup.rmdir()
    os.rename(out, backup)
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def run_chapter(
    slug: str,
    *,
    data: str | Path | list[str] | list[Path] | None = None,
    parameters: list[str] | None = None,
    out: str | Path | None = None,
    progress: bool = True,
    kernel_name: str = "python3",
    table: str | None = None,
    lang: str | None = None,
) -> RunResult:
    """Execute chapter ``slug`` on ``data`` with ``-p``-style ``parameters`` and write its three outputs.

    ``lang`` (``en`` or ``fr``) sets the chapter's ``lang`` parameter: the report, its charts, figures'
    wording and numbers are written in that language (``figures.json`` holds the same numbers).

    ``data`` may be a connection string (:mod:`casebook.cli.sources`), then ``table`` names the table
    (the chapter's ``table`` parameter). Credentials in it reach the kernel through its environment only.
    Raises ParameterError (unknown chapter or parameter, wrong type), CasebookError with the chapter's
    one-line message (bad data or parameters, raised as InputError/ParameterError in its kernel) or
    ChapterError (any other failure inside the notebook). The chapter's kernel is stopped whatever happens.
    """
    given = [data] if isinstance(data, (str, Path)) else list(data or [])
    env = {}
    for value in given:  # the usual case of credentials: known before the kernel starts
        with contextlib.suppress(ParameterError):  # said once the parameters are checked
            env.update(sources.split_credentials(str(value))[1])
    kernels = [start_chapter_kernel(slug, kernel_name, env=env)]
    try:
        result = _run_chapter(slug, data, [*(parameters or []), *([f"lang={lang}"] if lang else [])], out, progress,
                              kernel_name, kernels, env, table)
    finally:
        for kernel in kernels:  # stopped by the executor, unless the run failed before it ran
            if kernel is not None:
                execute.stop_kernel(kernel)
    return result


def _chapter_path(slug: str) -> Path | None:
    """``notebooks/SLUG.ipynb`` if ``slug`` names a chapter (:func:`casebook.cli.params.load_chapter` says
    why not otherwise)."""
    path = NOTEBOOKS / f"{slug}.ipynb"
    if not slug or slug.startswith(".") or Path(slug).name != slug or not path.is_file():
        return None
    return path


def start_chapter_kernel(
    slug: str, kernel_name: str = "python3", env: dict[str, str] | None = None
) -> execute.QuietKernelManager | None:
    """A new kernel for chapter ``slug``, in ``notebooks/``, importing the chapter's modules as it starts,
    with ``env`` added to its environment (credentials); None when ``slug`` names no chapter."""
    path = _chapter_path(slug)
    if path is None:
        return None
    extra = {"env": {**os.environ, **env}} if env else {}
    return execute.start_kernel(kernel_name=kernel_name, preload=execute.notebook_imports(path), **extra)


def check_table(chapter: Chapter, table: str) -> str:
    """``--table``'s value for the chapter's ``table`` parameter, checked against its domain."""
    from pydantic import ValidationError

    if not chapter.reads_databases:
        raise ParameterError(f"chapter '{chapter.slug}' reads no database table (no table parameter), so "
                             f"--table does not apply; valid parameters: {chapter.signature()}")
    param = chapter.parameter("table")
    try:
        return param.domain.validate(table)
    except ValidationError:
        raise ParameterError(f"--table {table[:80]!r}: expected {param.domain.words}") from None


def hide_credentials(chapter: Chapter, user: dict[str, Any]) -> dict[str, str]:
    """Take the credentials out of the connection strings among ``user``'s path values (in place) and
    return them as the kernel's environment variables (:func:`casebook.cli.sources.split_credentials`).

    A connection string is for a chapter that reads databases (one with a ``table`` parameter); any
    other chapter refuses it, with one line.
    """
    env: dict[str, str] = {}
    for p in chapter.parameters:
        value = user.get(p.name)
        if not (p.is_path and sources.is_connection(value)):
            continue
        if not chapter.reads_databases:
            raise ParameterError(f"{p.name} {sources.display(value)}: chapter '{chapter.slug}' reads files, "
                                 "not databases; expected the path of a file")
        user[p.name], found = sources.split_credentials(value)
        env.update(found)
    return env


def _run_chapter(
    slug: str,
    data: str | Path | list[str] | list[Path] | None,
    parameters: list[str] | None,
    out: str | Path | None,
    progress: bool,
    kernel_name: str,
    kernels: list[execute.QuietKernelManager | None],
    env: dict[str, str],
    table: str | None,
) -> RunResult:
    import nbformat

    from casebook import notebook as book
    from casebook.cli.params import absolute, load_chapter, parse_overrides
    from casebook.io.files import check_file

    chapter = load_chapter(slug)
    user = parse_overrides(chapter, parameters or [])
    if data is not None:
        if "data_path" not in {p.name for p in chapter.parameters}:
            raise ParameterError(
                f"chapter '{slug}' takes no data file (no data_path parameter); "
                f"valid parameters: {chapter.signature()}"
            )
        many = [data] if isinstance(data, (str, Path)) else list(data)
        paths = [str(d).strip() if sources.is_connection(d) else absolute(str(d)) for d in many]
        user["data_path"] = paths[0] if len(paths) == 1 else paths
        if "brand" in {p.name for p in chapter.parameters} and "brand" not in user:
            user["brand"] = ""  # the reader's page is named by its export, not by the bundled page's name
    if table is not None:
        user["table"] = check_table(chapter, table)
    secrets = hide_credentials(chapter, user)
    if secrets != env:  # credentials given with -p: the kernel started without them is replaced
        execute.stop_kernel(kernels[-1])
        kernels.append(start_chapter_kernel(slug, kernel_name, env=secrets))
    kernel = kernels[-1]
    inputs = []
    for p in chapter.parameters:  # fail fast, before the chapter runs, on a data file that cannot be read
        value = user.get(p.name)
        if not p.is_path or not value or sources.is_connection(value):
            continue
        folder = parts_source(chapter, value)
        inputs += [folder] if folder is not None else [check_file(f) for f in expand_paths(value)]
    out_dir = Path(out) if out is not None else default_out(slug)
    out_dir = Path(absolute(str(out_dir)))
    try:
        check_out_dir(out_dir, slug, inputs)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out_dir)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
        (tmp / OWNER).write_text(str(os.getpid()))
    except OSError as exc:
        raise _out_error(out_dir, exc) from None

    start = time.perf_counter()
    warm, lang = None, "en"
    try:
        from papermill.exceptions import PapermillExecutionError

        from casebook.build import report

        # Sphinx sets the report up meanwhile; while the kernel starts (a few seconds) it first renders a
        # rehearsal page, which makes the report itself cheaper.
        values = {p.name: user.get(p.name, p.default) for p in chapter.parameters}
        lang = str(values.get("lang", "en"))
        warm = report.warm_up(slug, lang=lang)
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the report folder is an ordinary one
        shown = private_paths(chapter, user)
        info = report.RunInfo(
            slug=slug,
            title=chapter.title,
            parameters=[(name, shown.get(name, value), name in user) for name, value in values.items()],
            data_file=data_display(chapter, values, user),
            run_at=dt.datetime.now(dt.UTC),
            brand=str(values["brand"]) if values.get("brand") not in (None, "") else None,
            lang=lang,
        )
        nb_path = tmp / f"{slug}.ipynb"
        try:
            run = execute.execute_notebook(
                chapter.path, parameters=user, progress=progress, kernel_name=kernel_name, timeout=TIMEOUT,
                kernel=kernel,
            )
        except PapermillExecutionError as exc:
            if exc.ename in USER_ERRORS:
                text = str(exc.evalue).strip()
                raise CasebookError(text.splitlines()[0] if text else exc.ename) from None
            raise ChapterError(
                f"chapter '{slug}' failed in cell {exc.exec_count}: {exc.ename}: "
                f"{str(exc.evalue).strip().splitlines()[0] if str(exc.evalue).strip() else ''}"
            ) from None
        nb = run.notebook
        tag_injected_parameters(nb)
        scrub_paths(nb, slug, shown)
        nbformat.write(nb, nb_path)
        figures = book.glued_scalars(nb)
        figures_path = tmp / "figures.json"
        figures_path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        warm.join()  # the report's application is ready (or, if setting it up failed, built anew)
        report.write_report(nb, info, tmp / f"{slug}.html")
        (tmp / OWNER).unlink()
        with _DeferSignals():
            _swap_into_place(tmp, out_dir)
    except OSError as exc:  # a full disk, a read-only folder: the previous report is intact
        shutil.rmtree(tmp, ignore_errors=True)
        raise _out_error(out_dir, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:  # a run that failed early waits for the warm-up, then drops what it prepared
        if warm is not None:
            warm.join(timeout=60)
            report.discard_prepared(slug, lang)
    seconds = time.perf_counter() - start
    return RunResult(
        out_dir,
        out_dir / f"{slug}.ipynb",
        out_dir / f"{slug}.html",
        out_dir / "figures.json",
        figures,
        seconds,
    )
