"""The PDF edition: ``make pdf`` runs this file to build the whole book as one PDF.

It drives Jupyter Book's ``pdfhtml`` builder (single-page HTML printed by Chromium through playwright)
with Debian's Chromium, and is also the small Sphinx extension that build loads:

- playwright looks for its own downloaded browser; a symlink at the path it expects (under
  ``_build/pdf/browsers``, through ``PLAYWRIGHT_BROWSERS_PATH``) points it at ``/usr/bin/chromium``;
- sphinx-exercise registers ``singlehtml`` node handlers, which hides every handler registered for
  ``html`` only (myst-nb's hidden-cell node among them) from the single-page builder: the extension
  copies the missing ``html`` handlers over;
- the single page is written at the root document's path (``book/intro.html``) but links ``_static/``
  as if it sat at the top level: the extension links ``book/_static`` (and the other ``_`` folders) to
  the top-level ones, so the book's root page can stay where it is.

The PDF build reads the notebooks' stored outputs (execution off: nbval checks they are current).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "_build" / "pdf"
BROWSERS = OUT / "browsers"
PDF = ROOT / "_build" / "casebook.pdf"
CHROMIUM = Path(os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium"))


def _inherit_html_handlers(app: Any) -> None:
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, pair in handlers.get("html", {}).items():
        single.setdefault(node, pair)


def _link_resource_folders(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.name != "singlehtml":
        return
    outdir = Path(app.outdir)
    page_dir = (outdir / app.config.root_doc).parent
    if page_dir == outdir:
        return
    for folder in outdir.iterdir():
        link = page_dir / folder.name
        if folder.is_dir() and folder.name.startswith("_") and not link.exists():
            link.symlink_to(os.path.relpath(folder, page_dir), target_is_directory=True)


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point (loaded by the PDF build only, as a ``local_extensions`` entry)."""
    app.connect("builder-inited", _inherit_html_handlers)
    app.connect("build-finished", _link_resource_folders)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def pdf_config() -> Path:
    """Write the PDF build's configuration: the book's, with stored outputs and this extension."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    config.setdefault("sphinx", {}).setdefault("local_extensions", {})["pdf_edition"] = str(Path(__file__).parent)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "_config.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def expected_browser_path() -> Path:
    """Where playwright (as Jupyter Book launches it) looks for its own headless Chromium."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            p.chromium.launch().close()
        except Error as exc:
            found = re.search(r"Executable doesn't exist at (\S+)", str(exc))
            if found:
                return Path(found.group(1))
            raise
    return Path()  # a browser is already in place


def link_system_chromium() -> None:
    """Point playwright's expected browser path at Debian's Chromium (nothing is downloaded)."""
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: install Debian's chromium (see .ci/run)")
    os.environ["PLAYWRIGHT_BROWSERS_PATH"] = str(BROWSERS)
    target = expected_browser_path()
    if target == Path():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(CHROMIUM)


def build() -> Path:
    """Build ``_build/casebook.pdf``; return its path."""
    link_system_chromium()
    config = pdf_config()
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--builder", "pdfhtml",
           "--path-output", str(OUT), "--config", str(config), "--warningiserror", "--keep-going"]
    subprocess.run(cmd, cwd=ROOT, check=True, env=os.environ)
    shutil.copyfile(OUT / "_build" / "pdf" / "book.pdf", PDF)
    print(f"The PDF edition is ready: {PDF}")
    return PDF


if __name__ == "__main__":
    build()
