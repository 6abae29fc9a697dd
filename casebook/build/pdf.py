"""The PDF edition (room build): ``make pdf`` runs ``python -m casebook.build.pdf`` to build the whole book as one PDF.

What Jupyter Book's ``pdfhtml`` builder does (a single-page HTML build printed by Chromium through
playwright), with Debian's Chromium, in two steps, and the small Sphinx extension that build loads:

- the ``singlehtml`` build: sphinx-exercise registers ``singlehtml`` node handlers, which hides every
  handler registered for ``html`` only (myst-nb's hidden-cell node among them) from the single-page
  builder, so the extension copies the missing ``html`` handlers over. The page is written at the root
  document's path (``book/intro.html``) with resource paths relative to the top level, and
  ``index.html`` only redirects to it: the extension writes the page itself as ``index.html``, so the
  book's root page can stay where it is. It also adds a print stylesheet (long code lines wrap).
- the print: ``pdfhtml`` launches playwright's own browser (not downloadable here) and prints as soon
  as the network is idle. Measured: one print in three came out cut short (68 to 72 pages instead of
  90) because the charts were still drawing. Here Chromium is launched from ``/usr/bin/chromium``,
  requests to other hosts are blocked, and the page is printed once every chart has drawn, with
  ``pdfhtml``'s margins and page-break style.

The build reads the notebooks' stored outputs (execution off: nbval checks they are current).

May import: the foundation, charts, notebook and the executor.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from casebook.build import browser
from casebook.build.browser import CHARTS_DRAWN_JS, HEADLESS_ARGS
from casebook.paths import ROOT

OUT = ROOT / "_build" / "pdf"
SINGLE = OUT / "_build" / "singlehtml"
PDF = ROOT / "_build" / "casebook.pdf"
#: Each edition's PDF, and the folder its single page is built in.
PDFS = {"en": PDF, "fr": ROOT / "_build" / "casebook-fr.pdf"}
OUTS = {"en": OUT, "fr": ROOT / "_build" / "pdf-fr"}
CHROMIUM = Path(browser.CHROMIUM)
#: Jupyter Book's pdfhtml margins and style (jupyter_book/pdf.py).
MARGINS = {"left": "0in", "right": "0in", "top": ".5in", "bottom": ".5in"}
PAGE_STYLE = """div.cell_input, div.cell_output {
  -webkit-column-break-inside: avoid; page-break-inside: avoid; break-inside: avoid; }"""


PRINT_CSS = """@media print {
  /* Long code lines wrap instead of running off the page. */
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
}
"""


def _inherit_html_handlers(app: Any) -> None:
    if app.builder.name == "singlehtml":
        app.add_css_file("pdf-print.css")
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, pair in handlers.get("html", {}).items():
        single.setdefault(node, pair)


def _single_page_at_top(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "singlehtml":
        return
    outdir = Path(app.outdir)
    (outdir / "_static" / "pdf-print.css").write_text(PRINT_CSS, encoding="utf-8")
    page = outdir / f"{app.config.root_doc}.html"
    if page.parent == outdir:
        return
    shutil.copyfile(page, outdir / "index.html")  # its resource paths are relative to the top level


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point (loaded by the PDF build only, through its own copy of _config.yml)."""
    app.connect("builder-inited", _inherit_html_handlers)
    app.connect("build-finished", _single_page_at_top, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def pdf_config() -> Path:
    """Write the PDF build's configuration: the book's, with stored outputs and this extension."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    extensions = config.setdefault("sphinx", {}).setdefault("extra_extensions", [])
    extensions.append("casebook.build.pdf")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "_config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def print_pages(pages: Sequence[tuple[Path, Path]], *, viewport: dict[str, int] | None = None,
                prepare: Callable[[Any], None] | None = None, **options: Any) -> list[Path]:
    """Print each ``(html, pdf)`` pair with Debian's Chromium, requests to other hosts blocked, once every
    chart has drawn and the fonts are ready; ``prepare(page)`` runs just before the print, ``options`` go to
    playwright's ``page.pdf``. Each PDF is written under a temporary name, then renamed. Return the PDFs."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: install Debian's chromium (see .ci/run)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=HEADLESS_ARGS)
        for source, pdf in pages:
            page = chromium.new_page(viewport=viewport) if viewport else chromium.new_page()
            page.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
            page.goto(source.as_uri(), wait_until="load")
            page.wait_for_function(CHARTS_DRAWN_JS, timeout=120_000)
            page.evaluate("document.fonts.ready.then(() => true)")
            if prepare is not None:
                prepare(page)
            tmp = pdf.with_name(f".{pdf.name}.tmp")
            page.pdf(path=str(tmp), **options)
            tmp.replace(pdf)
            page.close()
        chromium.close()
    return [pdf for _, pdf in pages]


def print_pdf(html: Path, pdf: Path) -> Path:
    """Print the single page to ``pdf`` once every chart has drawn, with pdfhtml's margins; return ``pdf``."""
    return print_pages([(html, pdf)], prepare=lambda page: page.add_style_tag(content=PAGE_STYLE),
                       margin=MARGINS)[0]


def single_page(lang: str) -> Path:
    """The single page the ``lang`` edition's PDF is printed from."""
    return OUTS[lang] / "_build" / "singlehtml" / "index.html"


def build(lang: str = "en") -> Path:
    """Build the ``lang`` edition's PDF (``_build/casebook.pdf``, ``_build/casebook-fr.pdf``) from the
    chapters executed in that language (``make book`` stores them); return its path."""
    from casebook.build import book

    config = pdf_config()
    source = book.ROOT if lang == book.LANGS[0] else book.link_source(lang)
    overrides = {k: v for k, v in book.edition_overrides(lang).items() if k != "casebook_edition_links"}
    out = OUTS[lang] / "_build"
    code = book.sphinx(source, out / "singlehtml", "singlehtml", overrides, doctrees=out / ".doctrees", config=config)
    if code:
        sys.exit(f"the single-page build of the {lang} edition failed (exit {code})")
    print_pdf(single_page(lang), PDFS[lang])
    print(f"The PDF edition ({lang}) is ready: {PDFS[lang]}")
    return PDFS[lang]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m casebook.build.pdf [LANG ...]``: the PDF of each edition (default: both)."""
    from casebook.build import book

    for lang in list(argv or []) or book.LANGS:
        build(lang)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
