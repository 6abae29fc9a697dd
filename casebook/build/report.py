"""Standalone HTML reports (room build): the executed chapter rendered by the book's own pipeline.

:func:`render_report` builds the executed notebook as one page with Sphinx, myst-nb and the book's
extensions, theme and bibliography (configuration translated from ``_config.yml`` by Jupyter Book,
execution off), numbered as the book numbers the chapter; then it puts the run's header (chapter, data
file, run date, every parameter) in place of the page title and inlines every stylesheet, script, font
and image, the vega bundle included, so the report is one file that opens from disk with no network.
Text of the header is HTML-escaped; the page itself is escaped by docutils and myst-nb as in the book.

May import: foundation (paths), charts, build.inline; calls Sphinx (never the executor).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import functools
import html
import importlib.metadata
import io
import json
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml
from bs4 import BeautifulSoup

from casebook.build.inline import data_uri, inline_assets, inline_css  # noqa: F401 - report.inline_*
from casebook.paths import ROOT

#: Extensions of the book's configuration that change nothing on a single report page.
UNUSED_EXTENSIONS = {
    "sphinx_thebe",
    "sphinx_comments",
    "sphinx.ext.intersphinx",
    "sphinx_jupyterbook_latex",
    "sphinx_multitoc_numbering",
}
_BUILD_LOCK = threading.Lock()  # Sphinx patches docutils' global registries while it builds
_BIBLIOGRAPHY = "```{rubric} References\n```\n\n```{bibliography}\n```\n"


@dataclass
class RunInfo:
    """What the report header says about the run."""

    slug: str
    title: str
    parameters: list[tuple[str, Any, bool]] = field(default_factory=list)  # name, value, set by the user
    data_file: str | None = None
    run_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    brand: str | None = None
    lang: str = "en"  # the report's language: its page, header and computed words


def esc(value: Any) -> str:
    """HTML-escape any value's text (quotes included)."""
    return html.escape(str(value), quote=True)


# ---------------------------------------------------------------------------------------------------
# The header


def display_value(value: Any) -> str:
    """A parameter value as a reader would type it: text as is, lists and mappings as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return repr(value) if isinstance(value, float) else str(value)


def brand_name(info: RunInfo) -> str | None:
    """The page name the report shows (header and window title), in the report's language: a chapter's
    default name, a catalog message ("A cosmetics brand's page (UCI)"), translated; any other as given."""
    from casebook import i18n

    if not info.brand:
        return None
    with i18n.using(info.lang) as _:
        return _(info.brand)


def render_header(info: RunInfo) -> str:
    """The report header, in the report's language: brand and chapter, run date, data file and every
    parameter value."""
    from casebook import i18n

    with i18n.using(info.lang) as _:
        empty, user_set, default = _("(empty)"), _("set for this run"), _("default")
        data_file, parameters, name, value = _("Data file"), _("Parameters"), _("name"), _("value")
        kicker, chapter, run = _("The social media casebook · chapter report"), _("Chapter"), _("Run")
    rows = "".join(
        f'<tr><th scope="row">{esc(name_)}</th><td>'
        + (f"<code>{esc(display_value(value_))}</code>" if value_ != ""
           else f'<span class="empty">{esc(empty)}</span>')
        + "</td>"
        f"<td>{esc(user_set if user else default)}</td></tr>"
        for name_, value_, user in info.parameters
    )
    brand = f'<p class="cb-brand">{esc(brand_name(info))}</p>' if info.brand else ""
    data = f"<dt>{esc(data_file)}</dt><dd><code>{esc(info.data_file)}</code></dd>" if info.data_file else ""
    table = (
        f'<table class="cb-params table"><caption>{esc(parameters)}</caption><thead><tr>'
        f"<th>{esc(name)}</th><th>{esc(value)}</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    return (
        f'<header class="cb-header" lang="{esc(info.lang)}">'
        f'<p class="cb-kicker">{esc(kicker)}</p>'
        f"{brand}<h1>{esc(info.title or info.slug)}</h1>"
        f"<dl><dt>{esc(chapter)}</dt><dd><code>{esc(info.slug)}</code></dd>{data}"
        f"<dt>{esc(run)}</dt><dd>{esc(info.run_at.strftime('%Y-%m-%d %H:%M UTC'))}</dd></dl>"
        f"{table}</header>"
    )


HEADER_CSS = """
.cb-header{border-bottom:1px solid var(--pst-color-border);margin:0 0 1.5rem;padding-bottom:.5rem}
.cb-kicker{margin:0;color:var(--pst-color-text-muted);font-size:.8rem;text-transform:uppercase;
letter-spacing:.05em}
.cb-brand{margin:.5rem 0 0;font-size:1.1rem;font-weight:600;color:var(--pst-color-primary)}
.cb-header h1{margin:.25rem 0 .75rem}
.cb-header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 .75rem;
font-size:.9rem}
.cb-header dt{color:var(--pst-color-text-muted);font-weight:400}
.cb-header dd{margin:0;word-break:break-all}
.cb-params{font-size:.9rem;margin:0}.cb-params caption{text-align:left}
.cb-params td:last-child,.cb-header .empty{color:var(--pst-color-text-muted);font-size:.8rem}
"""


# ---------------------------------------------------------------------------------------------------
# The page, built by Sphinx as the book builds it


def chapter_number(slug: str, toc: Path = ROOT / "_toc.yml") -> int | None:
    """The number the book gives chapter ``slug`` (numbered parts count on across parts), or None."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8")) or {}
    n = 0
    for part in data.get("parts", []):
        for chapter in part.get("chapters", []) if part.get("numbered") else []:
            n += 1
            if Path(str(chapter.get("file", ""))).with_suffix("").as_posix() == f"notebooks/{slug}":
                return n
    return None


@functools.lru_cache(maxsize=1)
def book_config() -> dict[str, Any]:
    """The book's Sphinx configuration, translated from ``_config.yml`` by Jupyter Book, for one page.

    Execution is off (the notebook is already executed), paths are absolute, extensions that add
    nothing to a lone page are dropped, and the page has no sidebar, search or download buttons
    (it has no other page to go to, nothing to search and no file beside it to fetch).
    """
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=ROOT / "_config.yml",
        cli_config={"latex_individualpages": False},
        sourcedir=None,
        use_external_toc=False,
    )
    config["extensions"] = list(dict.fromkeys(e for e in config["extensions"] if e not in UNUSED_EXTENSIONS))
    config.pop("comments_config", None)  # belongs to sphinx_comments, dropped above
    config["html_static_path"] = [str(ROOT / p) for p in config.get("html_static_path", [])]
    config["bibtex_bibfiles"] = [str(ROOT / p) for p in config.get("bibtex_bibfiles", [])]
    config["html_theme_options"] = {
        **config.get("html_theme_options", {}),
        "use_download_button": False,
        "use_fullscreen_button": False,
        "show_prev_next": False,
    }
    config.update(
        nb_execution_mode="off",
        master_doc="index",
        exclude_patterns=[],
        html_sidebars={"**": []},
        html_copy_source=False,
        html_show_sourcelink=False,
        html_use_index=False,
        html_domain_indices=False,
        # A report is one page: cross-references to other pages and glossary terms (the book's glossary
        # page is not part of it) show as plain text.
        suppress_warnings=[*config.get("suppress_warnings", []), "myst.xref_missing", "ref.term"],
    )
    return config


def warm_up(slug: str | None = None, *, rehearse: bool = True, lang: str = "en") -> threading.Thread:
    """Prepare, in a background thread (returned), what rendering a chapter's report needs, so that the
    report costs only the page's own build once the chapter has run. Call it before executing a chapter:
    the work (1 to 2 s) then overlaps the kernel's.

    ``rehearse``: first render the report of a one-paragraph page, so that Sphinx, the book's extensions
    and theme, and the inlining that follows (Beautiful Soup, its CSS selectors) are imported and
    initialised, and the theme's files are in the output folder. ``slug``: then set up the Sphinx
    application of that chapter's page in ``lang`` (:class:`PreparedBuild`), which :func:`render_report`
    uses for the chapter's report; :func:`discard_prepared` drops one that was not used.
    """
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Warm-up\n\nText."),
               # a code cell and its text output: the page's highlighters (Pygments compiles a lexer's
               # patterns the first time it is used, about 0.1 s) are ready before the chapter's build
               nbformat.v4.new_code_cell("1 + 1", execution_count=1, outputs=[
                   nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)])],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                  "language_info": {"name": "python", "pygments_lexer": "ipython3"}},
    )

    def build() -> None:
        if slug is None:
            render_report(notebook, RunInfo(slug="warm-up", title="Warm-up"))
            return
        prepared = PreparedBuild(slug, rehearsal=notebook if rehearse else None, lang=lang)
        with _PREPARED_LOCK:
            old = _PREPARED.pop((slug, lang), None)
            _PREPARED[(slug, lang)] = prepared
        if old is not None:
            old.close()

    thread = threading.Thread(target=build, name="casebook-report-warm-up", daemon=True)
    thread.start()
    return thread


class PreparedBuild:
    """The Sphinx application of one chapter's report page, set up in a folder of its own before the
    chapter has run (configuration, extensions, theme, bibliography), waiting for the executed notebook.

    From its creation to the end of :meth:`build` (or :meth:`close`) it holds the build lock and the
    docutils registries Sphinx patches, as one :func:`build_page` call does for its whole length.
    ``rehearsal``: a notebook whose report is rendered first in the same output folder (see
    :func:`warm_up`).
    """

    def __init__(self, slug: str, rehearsal: dict | None = None, lang: str = "en") -> None:
        self.slug = slug
        self.lang = lang
        self.workdir = Path(tempfile.mkdtemp(prefix="casebook-report-"))
        self.warnings = io.StringIO()
        self._stack: contextlib.ExitStack | None = None
        try:
            if rehearsal is not None:
                page, _ = build_page(rehearsal, "warm-up", self.workdir)
                _finish(inline_assets(page), RunInfo(slug="warm-up", title="Warm-up"))
                (self.workdir / "src" / "warm-up.ipynb").unlink()
            else:  # Beautiful Soup's CSS selectors at least (compiling them costs about 0.1 s)
                _finish(BeautifulSoup(_TINY_PAGE, "html.parser"), RunInfo(slug="warm-up", title="Warm-up"))
            (self.workdir / "src").mkdir(exist_ok=True)
            self._stack = _locked_patches(self.workdir / "src")
            self.app = _new_app(slug, self.workdir, self.warnings, lang)
        except BaseException:
            self.close()
            raise

    def build(self, notebook: dict) -> tuple[Path, str]:
        """Build ``notebook`` as the page (as :func:`build_page` does); the page's path and the warnings."""
        from sphinx.util.console import strip_escape_sequences

        if self._stack is None:
            raise RuntimeError(f"the prepared build of {self.slug} was used or closed already")
        try:
            _write_sources(notebook, self.slug, self.workdir / "src")
            self.app.build(force_all=True)
        finally:
            self._release()
        return self.workdir / "html" / f"{self.slug}.html", strip_escape_sequences(self.warnings.getvalue())

    def _release(self) -> None:
        if self._stack is not None:
            stack, self._stack = self._stack, None
            stack.close()

    def close(self) -> None:
        """Give the lock and registries back (if still held) and remove the folder."""
        self._release()
        shutil.rmtree(self.workdir, ignore_errors=True)


_TINY_PAGE = "<html><head><title>x</title></head><body><article><h1>x</h1></article></body></html>"
_PREPARED: dict[tuple[str, str], PreparedBuild] = {}
_PREPARED_LOCK = threading.Lock()


def discard_prepared(slug: str, lang: str = "en") -> None:
    """Close the prepared build of ``slug`` in ``lang`` if :func:`render_report` did not use it (a failed run)."""
    with _PREPARED_LOCK:
        prepared = _PREPARED.pop((slug, lang), None)
    if prepared is not None:
        prepared.close()


def _renumber(slug: str, number: int) -> Any:
    """An ``env-get-updated`` handler giving the page the book's chapter number (1 -> ``number``)."""

    def handler(app: Any, env: Any) -> list[str]:
        env.toc_secnumbers[slug] = {k: (number, *v[1:]) for k, v in env.toc_secnumbers.get(slug, {}).items()}
        env.toc_fignumbers[slug] = {
            kind: {k: (number, *v[1:]) for k, v in ids.items()}
            for kind, ids in env.toc_fignumbers.get(slug, {}).items()
        }
        return []

    return handler


def _template_cache() -> Any:
    """Compiled theme templates kept between runs (compiling them costs about 0.7 s a build)."""
    from jinja2 import FileSystemBytecodeCache
    from platformdirs import user_cache_dir

    folder = Path(user_cache_dir("casebook")) / "report-templates"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


@contextlib.contextmanager
def _one_scan_of_plugins() -> Any:
    """Answer pybtex's and sphinxcontrib-bibtex's plugin look-ups from one scan of installed packages.

    Each look-up (``entry_points(group=..., name=...)``) reads every installed package's metadata again,
    about 40 ms, some 25 times a build; the two modules' ``entry_points`` are swapped for the build only.
    """
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin as bibtex_plugin

    every = importlib.metadata.entry_points()
    saved = pybtex.plugin.entry_points, bibtex_plugin.entry_points
    pybtex.plugin.entry_points = bibtex_plugin.entry_points = every.select
    try:
        yield
    finally:
        pybtex.plugin.entry_points, bibtex_plugin.entry_points = saved


def build_page(notebook: dict, slug: str, workdir: Path, lang: str = "en") -> tuple[Path, str]:
    """Build ``notebook`` as the page ``SLUG.html`` under ``workdir`` the way the book builds it.

    Returns the page's path and Sphinx's warnings. A numbered chapter sits in a numbered toctree so
    sections, figures and exercises carry the book's numbers; citations resolve to a reference list
    added at the end of the page. In a language other than English, the chapter's prose comes from its
    catalog (``book/locales/LANG/LC_MESSAGES/notebooks/SLUG.po``), as on the book's page.
    """
    with _BUILD_LOCK:
        return _build_page(notebook, slug, workdir, lang)


def _build_page(notebook: dict, slug: str, workdir: Path, lang: str = "en") -> tuple[Path, str]:
    from sphinx.util.console import strip_escape_sequences
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    src = workdir / "src"
    src.mkdir(parents=True, exist_ok=True)
    _write_sources(notebook, slug, src)
    warnings = io.StringIO()
    with patch_docutils(str(src)), docutils_namespace(), _one_scan_of_plugins():
        _new_app(slug, workdir, warnings, lang).build(force_all=True)
    return workdir / "html" / f"{slug}.html", strip_escape_sequences(warnings.getvalue())


def _write_sources(notebook: dict, slug: str, src: Path) -> None:
    """The page's sources: ``SLUG.ipynb`` (parameter cells hidden, a reference list if it cites) and an
    ``index.md`` whose toctree lists it (numbered if the book numbers the chapter)."""
    src.mkdir(parents=True, exist_ok=True)
    nb = nbformat.from_dict(json.loads(json.dumps(notebook)))  # a copy: the caller's notebook is untouched
    for cell in nb.cells:  # the header shows the values the run used, not the defaults
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            cell.metadata["tags"] = list(dict.fromkeys([*tags, "remove-cell"]))
    if any("{cite" in "".join(c.get("source", "")) for c in nb.cells if c.cell_type == "markdown"):
        nb.cells.append(nbformat.v4.new_markdown_cell(_BIBLIOGRAPHY))
    nbformat.write(nb, src / f"{slug}.ipynb")
    numbered = "\n:numbered:" if chapter_number(slug) else ""
    (src / "index.md").write_text(f"# Report\n\n```{{toctree}}\n:hidden:{numbered}\n\n{slug}\n```\n")


def _locked_patches(src: Path) -> contextlib.ExitStack:
    """The build lock taken and Sphinx's docutils patches applied, until the returned stack is closed."""
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    stack = contextlib.ExitStack()
    _BUILD_LOCK.acquire()
    stack.callback(_BUILD_LOCK.release)
    try:
        stack.enter_context(patch_docutils(str(src)))
        stack.enter_context(docutils_namespace())
        stack.enter_context(_one_scan_of_plugins())
    except BaseException:
        stack.close()
        raise
    return stack


def page_config(slug: str, lang: str = "en") -> dict[str, Any]:
    """The Sphinx settings of chapter ``slug``'s page in ``lang``: the book's, and for a translated
    language, that language and the chapter's catalog (the page's document is ``SLUG``, the catalog the
    book's page's, ``notebooks/SLUG``)."""
    config = copy.deepcopy(book_config())
    if lang != "en":
        config.update(language=lang, locale_dirs=[str(ROOT / "book" / "locales")],
                      gettext_compact=f"notebooks/{slug}")
    return config


def _new_app(slug: str, workdir: Path, warnings: io.StringIO, lang: str = "en") -> Any:
    """The Sphinx application of page ``slug`` (sources in ``workdir/src``, output in ``workdir/html``), the
    book's configuration in ``lang``, numbered as the book numbers the chapter; call it with docutils patched."""
    from sphinx.application import Sphinx

    app = Sphinx(
        srcdir=str(workdir / "src"),
        confdir=None,
        outdir=str(workdir / "html"),
        doctreedir=str(workdir / "doctrees"),
        buildername="html",
        confoverrides=page_config(slug, lang),
        status=None,
        warning=warnings,
        freshenv=True,
        parallel=0,
    )
    app.builder.search = False
    app.builder.templates.environment.bytecode_cache = _template_cache()
    number = chapter_number(slug)
    if number:
        app.connect("env-get-updated", _renumber(slug, number), priority=900)
    return app


def render_report(notebook: dict, info: RunInfo) -> str:
    """The standalone report of an executed notebook (nbformat dict) as one HTML document; built with the
    application :func:`warm_up` prepared for the chapter, if there is one."""
    with _PREPARED_LOCK:
        prepared = _PREPARED.pop((info.slug, info.lang), None)
    if prepared is not None:
        try:
            page, _ = prepared.build(notebook)
            soup = inline_assets(page)
        finally:
            prepared.close()
    else:
        with tempfile.TemporaryDirectory(prefix="casebook-report-") as tmp:
            page, _ = build_page(notebook, info.slug, Path(tmp), info.lang)
            soup = inline_assets(page)
    return _finish(soup, info)


def _finish(soup: BeautifulSoup, info: RunInfo) -> str:
    """The inlined page with the run's header in place of its title, as one HTML document."""
    title = soup.select_one("article h1")
    if title is not None and info.lang != "en":  # the chapter's title as its page shows it, translated
        for link in title.select("a.headerlink"):
            link.decompose()
        info = dataclasses.replace(info, title=title.get_text(" ", strip=True))
    header = BeautifulSoup(render_header(info), "html.parser")
    if title is not None:
        title.replace_with(header)
    else:
        soup.select_one("article").insert(0, header)
    style = soup.new_tag("style")
    style.string = HEADER_CSS
    soup.head.append(style)
    soup.title.string = f"{info.title or info.slug}" + (f" — {brand_name(info)}" if info.brand else "")
    return str(soup)


def write_report(notebook: dict, info: RunInfo, dest: Path) -> Path:
    """Render and write the report to ``dest``."""
    dest.write_text(render_report(notebook, info).lstrip(), encoding="utf-8")
    return dest
