"""The book build (build room): execute the chapters whose inputs changed, then build the site.

``python -m casebook.build.book book`` (``make book``) executes, with the one executor
(:mod:`casebook.execute`), every chapter whose fingerprint changed: its code cells, the bundled data
and the ``casebook`` package. The outputs are stored in the chapter itself (committed, checked by nbval),
then Jupyter Book builds the site from the stored outputs (``execute_notebooks: 'off'``) with warnings
as errors. The French edition is built from the same sources: each chapter is executed again with
``lang="fr"`` into ``_build/fr/src/notebooks/`` (a build product, checked by nbval in the integration
stage), and Sphinx builds ``_build/html/fr/`` with the catalogs of ``book/locales/fr`` (prose) and the
package's (computed words). English and French executions run two at a time, and the two sites are
built side by side. ``python -m casebook.build.book execute [NOTEBOOK ...]`` executes notebooks unconditionally
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

from casebook.paths import BOOK, DATA, NOTEBOOKS, ROOT

BUILD = ROOT / "_build"
#: One record per chapter executed by this build folder: fingerprint, executed_at, seconds, status.
STATE = BUILD / "execution.json"
TIMEOUT = 900
#: The languages of the book; the first is the source's, the others are editions built from it.
LANGS = ("en", "fr")
#: The prose catalogs (Sphinx gettext, one folder per translated language).
LOCALES = BOOK / "locales"
#: The French edition's title and footer (the rest of its configuration is the book's).
TITLES = {"en": "The social media casebook", "fr": "Les réseaux sociaux en cas pratiques"}
FOOTERS = {"fr": "<p>Texte sous licence CC BY 4.0 ; code sous licence MIT. Les jeux de données gardent leur "
                 "propre licence (voir l’annexe des données). Ce site ne charge rien depuis d’autres serveurs.</p>"}


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


def site_dir(lang: str) -> Path:
    """Where an edition's site is written: English at the root of ``_build/html``, the others in a folder
    named after their language."""
    return BUILD / "html" if lang == LANGS[0] else BUILD / "html" / lang


def edition_source(lang: str) -> Path:
    """The folder an edition is built from: the book's own for English; for another language, a folder of
    links to the book's files whose ``notebooks/`` holds the chapters executed in that language."""
    return ROOT if lang == LANGS[0] else BUILD / lang / "src"


def executed_path(path: Path, lang: str) -> Path:
    """Where chapter ``path`` executed in ``lang`` is stored (the chapter itself in English)."""
    return path if lang == LANGS[0] else edition_source(lang) / "notebooks" / path.name


def record_key(path: Path, lang: str) -> str:
    """The chapter's key in the execution records: its slug, ``fr/slug`` for the French run."""
    return path.stem if lang == LANGS[0] else f"{lang}/{path.stem}"


def language_inputs(inputs: str, lang: str) -> str:
    """``inputs`` plus, for a translated edition, the package's catalogs of that language."""
    if lang == LANGS[0]:
        return inputs
    h = hashlib.sha256(inputs.encode())
    for p in sorted((ROOT / "casebook" / "i18n" / "locales" / lang).rglob("*.po")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
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


def stale(paths: list[Path], state: dict[str, dict[str, Any]], inputs: str, lang: str = "en") -> list[Path]:
    """The chapters among ``paths`` whose last successful execution in ``lang`` was on other inputs (or
    never, or whose stored French copy is gone)."""
    inputs = language_inputs(inputs, lang)
    out = []
    for p in paths:
        rec = state.get(record_key(p, lang), {})
        if (rec.get("status") != "ok" or rec.get("fingerprint") != chapter_fingerprint(p, inputs)
                or not executed_path(p, lang).is_file()):
            out.append(p)
    return out


def execute_chapter(path: Path, records: dict[str, dict[str, Any]], inputs: str, timeout: int = TIMEOUT,
                    lang: str = "en") -> float:
    """Execute ``path`` (cwd = its folder) in ``lang``, store its outputs (in the chapter for English, in
    :func:`executed_path` for another language) and record the run in ``records``.

    The file is rewritten only when an output changed. Returns the seconds the execution took; a failing
    cell raises ExecutionError (the failure is recorded too, so the next build tries again).
    """
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from casebook import execute

    key = record_key(path, lang)
    record: dict[str, Any] = {"executed_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    source = nbformat.read(path, as_version=4)
    parameters = None if lang == LANGS[0] else {"lang": lang}
    try:
        run = execute.execute_notebook(path, cwd=path.parent, timeout=timeout, parameters=parameters)
    except PapermillExecutionError as exc:
        first = str(exc.evalue).strip().splitlines()
        message = f"{path.name} ({lang}): cell {exc.exec_count} failed: {exc.ename}: {first[0] if first else ''}"
        records[key] = {**record, "status": "failed", "seconds": None, "error": message}
        raise ExecutionError(message) from None
    stored = execute.with_parameters(source, run.notebook)
    dest = executed_path(path, lang)
    if not dest.is_file() or stored != nbformat.read(dest, as_version=4):
        dest.parent.mkdir(parents=True, exist_ok=True)
        # through a temporary file: the other language's run of this chapter may be reading it right now
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(stored, f)
        os.replace(tmp, dest)
    records[key] = {**record, "status": "ok", "seconds": round(run.seconds, 2),
                    "fingerprint": chapter_fingerprint(path, language_inputs(inputs, lang))}
    return run.seconds


def execute_chapters(paths: list[Path], timeout: int = TIMEOUT, langs: tuple[str, ...] = ("en",),
                     jobs: int = 1, todo: dict[str, list[Path]] | None = None) -> dict[str, float]:
    """Execute ``paths`` in each of ``langs`` (or the chapters ``todo`` lists by language), ``jobs`` at a
    time, storing outputs and records; seconds by record key. The first failure (ExecutionError) is
    raised after the runs under way end and every record is saved."""
    from concurrent.futures import ThreadPoolExecutor

    records: dict[str, dict[str, Any]] = {}
    inputs, seconds = inputs_fingerprint(), {}
    plan = todo if todo is not None else dict.fromkeys(langs, paths)
    runs = [(p, lang) for lang, chosen in plan.items() for p in chosen]

    def run(item: tuple[Path, str]) -> None:
        path, lang = item
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"Executing {shown} ({lang}) ...", flush=True)
        seconds[record_key(path, lang)] = execute_chapter(path, records, inputs, timeout, lang)
        print(f"  {shown} ({lang}): {seconds[record_key(path, lang)]:.1f} s", flush=True)

    try:
        if jobs <= 1:
            for item in runs:
                run(item)
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                for future in [pool.submit(run, item) for item in runs]:
                    future.result()
    finally:
        if records:
            save_records(records)
    return seconds


def status_rows(paths: list[Path], state: dict[str, dict[str, Any]],
                lang: str = "en") -> list[tuple[str, str, str, str]]:
    """(chapter, last executed, seconds, status) of each chapter's run in ``lang``, for the Execution
    status page, in the language in use."""
    from casebook import i18n
    from casebook.i18n import gettext as _

    rows = []
    for p in paths:
        rec = state.get(record_key(p, lang))
        if rec is None:
            rows.append((p.stem, _("not by this build"), "", _("stored outputs")))
            continue
        when = dt.datetime.fromisoformat(rec["executed_at"]).strftime("%Y-%m-%d %H:%M UTC")
        secs = i18n.number(rec["seconds"], 1) if rec.get("seconds") is not None else ""
        status = _("ran without error") if rec.get("status") == "ok" else _("failed: {error}").format(
            error=rec.get("error", ""))
        rows.append((p.stem, when, secs, status))
    return rows


def link_source(lang: str) -> Path:
    """Make :func:`edition_source` of ``lang``: a link to every top-level file and folder of the book but
    ``notebooks/`` (a real folder, for the chapters executed in ``lang``) and the build folder."""
    src = edition_source(lang)
    (src / "notebooks").mkdir(parents=True, exist_ok=True)
    for entry in sorted(ROOT.iterdir()):
        if entry.name in {"notebooks", "_build", ".git", ".venv"} or entry.name.startswith("."):
            continue
        link = src / entry.name
        if link.is_symlink() and link.resolve() == entry.resolve():
            continue
        link.unlink(missing_ok=True)
        link.symlink_to(entry)
    return src


def edition_overrides(lang: str) -> dict[str, Any]:
    """The Sphinx settings that make an edition: links to the other language; for a translated one, its
    language (French stemming in search), its catalogs (one per page), title and footer."""
    conf: dict[str, Any] = {"casebook_edition_links": True}
    if lang == LANGS[0]:
        return conf
    from jupyter_book.config import get_final_config

    base, _ = get_final_config(user_yaml=ROOT / "_config.yml", sourcedir=ROOT,
                               cli_config={"latex_individualpages": False})
    theme = {**base.get("html_theme_options", {}), "extra_footer": FOOTERS[lang]}
    return {**conf, "language": lang, "locale_dirs": [str(LOCALES)], "gettext_compact": False,
            "html_title": TITLES[lang], "html_theme_options": theme}


def build_edition(lang: str, force_all: bool = False) -> int:
    """Build the ``lang`` edition's site into :data:`SITES` from its stored outputs; its exit code."""
    src = link_source(lang) if lang != LANGS[0] else ROOT
    doctrees = BUILD / (".doctrees" if lang == LANGS[0] else f"{lang}/.doctrees")
    return sphinx(src, site_dir(lang), "html", edition_overrides(lang), doctrees=doctrees, force_all=force_all)


def launch_edition(lang: str, force_all: bool = False) -> subprocess.Popen:
    """Start :func:`build_edition` of ``lang`` in a process of its own (the two sites build side by side)."""
    cmd = [sys.executable, "-m", "casebook.build.book", "edition", lang, *(["--all"] if force_all else [])]
    return subprocess.Popen(cmd, cwd=ROOT)


def sphinx(source: Path, out: Path, builder: str = "html", overrides: dict[str, Any] | None = None,
           doctrees: Path | None = None, force_all: bool = False, quiet: bool = False,
           config: Path | None = None) -> int:
    """Jupyter Book's Sphinx build of the book in ``source`` (its ``_config.yml``, or ``config``, and its
    ``_toc.yml``) into ``out``, what ``jupyter-book build`` runs, with Sphinx settings ``overrides``;
    warnings as errors. Returns the exit code."""
    from jupyter_book.sphinx import build_sphinx

    conf = {"external_toc_path": (source / "_toc.yml").as_posix(), "latex_individualpages": False,
            **(overrides or {})}
    config = config or source / "_config.yml"
    result = build_sphinx(source, out, noconfig=True, path_config=str(config), confoverrides=conf,
                          builder=builder, doctreedir=doctrees, force_all=force_all, warningiserror=True,
                          keep_going=True, quiet=quiet, really_quiet=quiet)
    if isinstance(result, Exception):
        print(f"{out}: {result}", file=sys.stderr)
        return 1
    return int(result)


def site_fingerprint(lang: str = "en") -> str:
    """A digest of every file the ``lang`` site is built from: configuration, table of contents, prose
    pages and their assets, the chapters (with their stored outputs, in that language), the catalogs,
    the package (its Sphinx extension), the pinned versions and the execution records shown on the
    execution-status page."""
    h = hashlib.sha256(lang.encode())
    files = [ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "requirements.txt", STATE]
    files += sorted(p for p in (ROOT / "book").rglob("*") if p.is_file() and p.name != "casebook-vega.js"
                    and p.suffix not in (".po", ".mo"))
    files += [executed_path(p, lang) for p in chapters()] + sorted((ROOT / "casebook").rglob("*.py"))
    if lang != LANGS[0]:
        files += sorted((ROOT / "book" / "locales" / lang).rglob("*.po"))
    for f in files:
        h.update(str(f.relative_to(ROOT)).encode() + b"\0")
        h.update(f.read_bytes() if f.is_file() else b"(absent)")
    return h.hexdigest()


def build_book(builder: str = "html", extra: list[str] | None = None, langs: tuple[str, ...] = LANGS) -> int:
    """Execute the chapters whose inputs changed, in every language (two at a time), then build each
    edition's site (side by side, one process each); 0 on success.

    An edition whose sources are all as they were at its last successful build is not built again.
    """
    state, inputs = load_state(), inputs_fingerprint()
    todo = {lang: stale(chapters(), state, inputs, lang) for lang in langs}
    try:
        execute_chapters([], todo=todo, jobs=2)
    except ExecutionError as exc:
        print(f"make book: {exc}", file=sys.stderr)
        return 1
    if builder != "html":
        return subprocess.call([sys.executable, "-m", "casebook.build.book", "edition", LANGS[0],
                                "--builder", builder, *(extra or [])], cwd=ROOT)
    force = "--all" in (extra or [])
    builds = {}
    for lang in langs:
        key, record = site_fingerprint(lang), BUILD / f".site-{lang}.sha256"
        if not force and (site_dir(lang) / "index.html").is_file() and record.is_file() and record.read_text() == key:
            print(f"The {lang} site is up to date: no source changed since its last build.")
            continue
        record.unlink(missing_ok=True)
        builds[lang] = (launch_edition(lang, force), key, record)
    code = 0
    for lang, (proc, key, record) in builds.items():
        if proc.wait() == 0:
            record.write_text(key)
        else:
            print(f"make book: the {lang} site failed to build (exit {proc.returncode})", file=sys.stderr)
            code = 1
    return code


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``execute`` or ``book``."""
    parser = argparse.ArgumentParser(prog="python -m casebook.build.book")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute", help="execute notebooks (default: every chapter), storing their outputs")
    ex.add_argument("notebooks", nargs="*", type=Path)
    bk = sub.add_parser("book", help="execute the chapters whose inputs changed, build both sites into _build/html")
    bk.add_argument("--builder", default="html")
    bk.add_argument("--all", action="store_true", help="rebuild every page")
    ed = sub.add_parser("edition", help="build one edition's site from its stored outputs")
    ed.add_argument("lang", choices=LANGS)
    ed.add_argument("--builder", default="html")
    ed.add_argument("--all", action="store_true", help="rebuild every page")
    args = parser.parse_args(argv)
    if args.command == "execute":
        try:
            execute_chapters([nb.resolve() for nb in args.notebooks] or chapters())
        except ExecutionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "edition":
        if args.builder != "html":
            return sphinx(ROOT, BUILD / args.builder, args.builder, force_all=args.all)
        return build_edition(args.lang, force_all=args.all)
    code = build_book(args.builder, ["--all"] if args.all else None)
    if code == 0 and args.builder == "html":
        print(f"The book is ready: {site_dir('en') / 'index.html'} (French: {site_dir('fr') / 'index.html'})")
    return code


if __name__ == "__main__":
    sys.exit(main())
