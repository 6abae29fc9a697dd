"""Printable handouts (room build): ``make handouts`` writes one A4 PDF per chapter and language,
``_build/handouts/SLUG.pdf`` in English and ``_build/handouts/fr/SLUG.pdf`` in French.

A handout is one page, or two when the chapter has no-code exercises: the chapter's title, its key
figures (sentences quoting glued numbers, formatted from the notebook's glued values), its main chart
(the first ``{glue:figure}``, or the one :data:`casebook.build.kit.OVERRIDES` names) with its caption,
the key takeaways, then the exercise sheet: each no-code exercise with lines to write on, without its
solution. The parts are read from the executed notebook rendered by the book's pipeline, as the slides
read them (:func:`casebook.build.kit.chapter_parts`). The HTML is printed by Debian's Chromium once
the chart has drawn, with requests to other hosts blocked, as the PDF edition is (casebook/build/pdf.py).
The French handout is read from the chapter executed in French; its fixed words are ``_()`` messages
(``casebook/i18n/locales/fr/LC_MESSAGES/casebook.po``).

May import: the foundation (paths, i18n), build.browser, build.pdf, build.kit and build.slides (its tags
and output folders); never the executor.
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from casebook import i18n
from casebook.build import kit
from casebook.build.kit import Chapter, Figure
from casebook.build.slides import LANGS, out_dir, tag
from casebook.i18n import gettext as _
from casebook.paths import ROOT

OUT = ROOT / "_build" / "handouts"
#: Key-figure sentences on a handout (fewer than on the slides: the page is small).
KEY_SENTENCES = 4
#: Ruled lines under each exercise of the sheet.
ANSWER_LINES = 5
MARGINS = {"top": "12mm", "bottom": "12mm", "left": "14mm", "right": "14mm"}
#: The printable area of an A4 page within MARGINS, in CSS pixels (96 per inch): 182 mm by 273 mm.
PRINTABLE = {"width": 688, "height": 1031}
#: Each page-sized part (the front, the exercise sheet) that runs longer than a page is zoomed out to fit
#: it, so a handout is one page, or two with its sheet, however long a chapter's takeaways grow.
FIT_JS = """(height) => Array.from(document.querySelectorAll('.cb-page')).map(el => {
    const h = el.getBoundingClientRect().height;
    if (h > height) { el.style.zoom = String(Math.floor(1000 * height / h) / 1000); }
    return h; })"""

HANDOUT_CSS = """
@page { size: A4; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #222; }
body { margin: 0; }
.cb-kicker { margin: 0; font-size: 8pt; text-transform: uppercase; letter-spacing: .06em; color: #666; }
h1 { font-size: 18pt; margin: 2mm 0 4mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; color: #1f5f8b; }
ul { margin: 0; padding-left: 5mm; }
li { margin: 1mm 0; line-height: 1.3; }
li p { margin: 0; }
strong { color: #1f5f8b; }
figure { margin: 3mm 0; break-inside: avoid; }
.casebook-chart { display: flex; justify-content: center; }
.casebook-chart svg { max-height: 85mm; max-width: 100%; width: auto; height: auto; }
figcaption, .cb-caption { font-size: 8.5pt; color: #444; margin-top: 1mm; }
.cb-simulated-tag, .cb-simulated { color: #7a5b00; font-size: 8pt; text-transform: uppercase; letter-spacing: .05em; }
.cb-takeaways { border-left: 3pt solid #1f5f8b; padding-left: 3mm; }
.cb-sheet { break-before: page; }
.cb-exercise { break-inside: avoid; margin-bottom: 5mm; }
.cb-exercise h3 { font-size: 10.5pt; margin: 0 0 1mm; }
.cb-exercise p { margin: 0 0 1mm; line-height: 1.3; }
.cb-line { border-bottom: .5pt solid #999; height: 8mm; }
.cb-foot { margin-top: 4mm; font-size: 7.5pt; color: #777; }
.bibtex-citation { color: #666; font-size: 8pt; }
.vega-embed .vega-actions { display: none; }
"""


def main_chart(chapter: Chapter) -> Figure | None:
    """The handout's chart: the one the chapter's override names, else the chapter's first."""
    wanted = kit.OVERRIDES.get(chapter.slug, {}).get("main_chart")
    figures = chapter.figures
    return next((f for f in figures if f.label == wanted), figures[0] if figures else None)


def exercise_sheet(chapter: Chapter, lines: int = ANSWER_LINES) -> str:
    """The no-code exercises with room to answer, without solutions ("" when the chapter has none), in
    the chapter's language."""
    if not chapter.exercises:
        return ""
    esc = html.escape
    rule = '<div class="cb-line"></div>' * lines
    items = "".join(f'<div class="cb-exercise"><h3>{esc(ex.title)}</h3>{ex.body}{rule}</div>'
                    for ex in chapter.exercises)
    with i18n.using(chapter.lang):
        kicker = _("{kicker} · exercise sheet").format(kicker=chapter.kicker)
        heading = _("No-code exercises: {title}").format(title=chapter.title)
        intro = _("Work with a pen from the charts each exercise names (they are on the slides and in the "
                  "chapter) and the key figures; no computer needed.")
    return (f'<section class="cb-page cb-sheet"><p class="cb-kicker">{esc(kicker)}</p>'
            f"<h2>{esc(heading)}</h2><p>{esc(intro)}</p>" + items + "</section>")


def handout_html(chapter: Chapter, assets: str = "assets", key_sentences: int = KEY_SENTENCES) -> str:
    """The handout as one HTML document in the chapter's language (the vega bundle in ``assets``, a
    folder beside it, or ``../assets`` for a handout in a language's subfolder)."""
    with i18n.using(chapter.lang):
        return _handout_html(chapter, assets, key_sentences)


def _handout_html(chapter: Chapter, assets: str, key_sentences: int) -> str:
    esc = html.escape
    kicker = _("The social media casebook · {kicker} · handout").format(kicker=chapter.kicker)
    parts = [f'<p class="cb-kicker">{esc(kicker)}</p>', f"<h1>{esc(chapter.title)}</h1>"]
    if chapter.key_figures:
        items = "".join(f"<li>{s}</li>" for s in chapter.key_figures[:key_sentences])
        heading = _("Key figures")
        parts.append(f'<h2>{esc(heading)}</h2><ul class="cb-key-figures">{items}</ul>')
    figure = main_chart(chapter)
    if figure is not None:
        note = f'<p class="cb-simulated-tag">{esc(tag(figure.note))}</p>' if figure.note else ""
        parts.append(f"<figure>{figure.chart}{note}<figcaption>{figure.caption}</figcaption></figure>")
    if chapter.takeaways:
        parts.append(f'<h2>{esc(chapter.takeaways.title)}</h2><div class="cb-takeaways">{chapter.takeaways.body}</div>')
    foot = _("Every number here is computed by the chapter's notebook; the chapter gives the sources.")
    parts.append(f'<p class="cb-foot">{esc(foot, quote=False)}</p>')
    sheet = exercise_sheet(chapter)
    title = esc(_("{kicker}: {title} · handout").format(kicker=chapter.kicker, title=chapter.title))
    return (f'<!DOCTYPE html>\n<html lang="{chapter.lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f"<style>{HANDOUT_CSS}</style>\n<script src=\"{assets}/casebook-vega.js\"></script>\n</head>\n"
            f"<body>\n<section class=\"cb-page cb-front\">{''.join(parts)}</section>{sheet}\n</body>\n</html>\n")


def _fit_page(page: Any) -> None:
    """Print media, then zoom a page that would run past the printable height back onto it."""
    page.emulate_media(media="print")
    page.evaluate(FIT_JS, PRINTABLE["height"] - 8)


def print_pdfs(pages: list[tuple[Path, Path]]) -> list[Path]:
    """Print each ``(html, pdf)`` pair on A4 the PDF edition's way (:func:`casebook.build.pdf.print_pages`),
    each page fitted to the printable height first; return the PDFs."""
    from casebook.build.pdf import print_pages

    return print_pages(pages, viewport=PRINTABLE, prepare=_fit_page, format="A4", margin=MARGINS,
                       print_background=True)


def build(chosen: list[str] | None = None, out: Path = OUT, langs: tuple[str, ...] = LANGS) -> list[Path]:
    """Write the handout of every chapter (or of ``chosen``) in each of ``langs`` (HTML and PDF) into
    ``out`` (English) and ``out/LANG`` (another language; the HTML shares ``out/assets``); return the PDFs."""
    out.mkdir(parents=True, exist_ok=True)
    pages: list[tuple[Path, Path]] = []
    with tempfile.TemporaryDirectory(prefix="casebook-handouts-") as tmp:
        for lang in langs:
            folder = out_dir(out, lang)
            folder.mkdir(parents=True, exist_ok=True)
            for slug in chosen or kit.slugs():
                work = Path(tmp) / lang / slug
                chapter = kit.chapter_of(slug, work, lang)
                if not pages:
                    (out / "assets").mkdir(exist_ok=True)
                    shutil.copyfile(kit.vega_bundle(work), out / "assets" / "casebook-vega.js")
                source = folder / f"{slug}.html"
                kit.write_atomically(source, handout_html(chapter, "assets" if folder == out else "../assets"))
                pages.append((source, folder / f"{slug}.pdf"))
    written = print_pdfs(pages)
    for pdf in written:
        print(f"{pdf.relative_to(out).with_suffix('')}: handout -> {pdf}")
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m casebook.build.handouts [SLUG ...] [--lang en|fr] [--out DIR]``."""
    return kit.command(build, "handouts", OUT, argv)


if __name__ == "__main__":
    sys.exit(main())
