"""Workshop slides (room build): ``make slides`` writes one reveal.js deck per chapter and language,
``_build/slides/SLUG.html`` in English and ``_build/slides/fr/SLUG.html`` in French.

Each deck is made from the executed notebook (its stored outputs), read by :mod:`casebook.build.kit`,
and its slides are chosen from the chapter's structure, so nobody tags cells by hand: the title; the
learning objectives; one slide per ``{glue:figure}`` chart (the stored Vega-Lite spec, drawn by the
book's offline bundle, interactive) with its caption, tagged "Simulated data" where the chapter says the
data is simulated; each fact-check box in reading order; the key figures (sentences quoting glued
numbers); the key takeaways; and the no-code exercises, each with its solution folded.

reveal.js comes from the ``sphinx-revealjs`` package, which bundles it (reveal.js only: the deck is put
together here from the book's rendered page, not by its Sphinx builder); its files, the vega bundle and
the deck's stylesheet are copied into ``_build/slides/assets/``, which the French decks share
(``../assets``). A deck opens from disk and loads nothing from another host.

The French deck is made from the chapter executed in French (:func:`casebook.build.kit.chapter_of`); its
fixed words (slide titles, tags, the kicker) are ``_()`` messages translated in
``casebook/i18n/locales/fr/LC_MESSAGES/casebook.po``.

May import: the foundation (paths, i18n) and build.kit; never the executor.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from casebook import i18n
from casebook.build import kit
from casebook.build.kit import Chapter, Figure
from casebook.i18n import gettext as _
from casebook.paths import ROOT

OUT = ROOT / "_build" / "slides"
#: The languages ``make slides`` and ``make handouts`` build, each but the first in a subfolder named after it.
LANGS = i18n.LANGS
#: Charts an exercise slide shows again, at most (the ones its statement refers to).
MAX_EXERCISE_CHARTS = 2
#: Text lengths (characters) from which a slide's text is set smaller, then smaller again.
DENSE, VERY_DENSE = 1000, 1600
#: The reveal.js files a deck needs, relative to sphinx-revealjs's ``revealjs`` folder.
REVEAL_FILES = ["dist/reveal.js", "dist/reveal.css", "dist/theme/white.css", "dist/theme/fonts/source-sans-pro"]


# ---------------------------------------------------------------------------------------------------
# The deck


@dataclass
class Slide:
    """One slide: its kind (title, objectives, chart, fact-check, key-figures, takeaways, exercise), its
    heading and its body's HTML."""

    kind: str
    heading: str
    body: str

    @property
    def density(self) -> str:
        """"", "cb-dense" or "cb-very-dense", from the length of the slide's text (charts excepted)."""
        if self.kind == "chart":
            return ""
        n = len(kit.text_of(BeautifulSoup(self.body, "html.parser")))
        return "cb-very-dense" if n >= VERY_DENSE else "cb-dense" if n >= DENSE else ""


def tag(note: str) -> str:
    """The tag a chart carries, in the current language, when the chapter says its data is simulated
    (``note`` "simulated") or that it shows an illustration ("illustration")."""
    return {"simulated": _("Simulated data"), "illustration": _("Illustration, not a measurement")}[note]


def out_dir(out: Path, lang: str) -> Path:
    """Where the kit of ``lang`` goes: ``out`` itself in English, ``out/LANG`` in another language."""
    return out if i18n.check(lang) == LANGS[0] else out / lang


def select_slides(chapter: Chapter) -> list[Slide]:
    """The deck's slides, in order: title, objectives, charts and fact checks as the chapter reads, key
    figures, takeaways, no-code exercises (solution folded); fixed words in the chapter's language."""
    with i18n.using(chapter.lang):
        return _select_slides(chapter)


def _select_slides(chapter: Chapter) -> list[Slide]:
    esc = html.escape
    book, sub, solved = _("The social media casebook"), _("Workshop slides"), _("Solution")
    slides = [Slide("title", chapter.title, f'<p class="cb-kicker">{esc(book)} · {esc(chapter.kicker)}</p>'
                    f'<h1>{esc(chapter.title)}</h1><p class="cb-sub">{esc(sub)}</p>')]
    if chapter.objectives:
        slides.append(Slide("objectives", chapter.objectives.title, chapter.objectives.body))
    for item in chapter.items:
        if isinstance(item, Figure):
            note = f'<p class="cb-simulated-tag">{esc(tag(item.note))}</p>' if item.note else ""
            slides.append(Slide("chart", item.section or chapter.title,
                                f'<div class="cb-figure">{item.chart}</div>{note}<div class="cb-caption">{item.caption}</div>'))
        else:
            slides.append(Slide("fact-check", item.title, item.body))
    if chapter.key_figures:
        items = "".join(f"<li>{s}</li>" for s in chapter.key_figures)
        slides.append(Slide("key-figures", _("Key figures"), f'<ul class="cb-key-figures">{items}</ul>'))
    if chapter.takeaways:
        slides.append(Slide("takeaways", chapter.takeaways.title, chapter.takeaways.body))
    for n, ex in enumerate(chapter.exercises, start=1):
        solution = (f'<details class="cb-solution"><summary>{esc(solved)}</summary>{ex.solution}</details>'
                    if ex.solution else "")
        shown = [f for f in map(chapter.figure, ex.figures) if f is not None][:MAX_EXERCISE_CHARTS]
        charts = "".join(f'<div class="cb-ex-figure">{copy_chart(f, f"x{n}")}<div class="cb-caption">'
                         f"{_caption_number(f)}</div></div>" for f in shown)
        body = ex.body + solution + (f'<div class="cb-ex-figures">{charts}</div>' if charts else "")
        slides.append(Slide("exercise", _("No-code exercise · {title}").format(title=ex.title), body))
    return slides


def copy_chart(figure: Figure, suffix: str) -> str:
    """A second drawing of a chart (for an exercise slide): its element id made unique with ``suffix``."""
    ids = set(re.findall(r'id="(cb-chart-[^"]+)"', figure.chart))
    out = figure.chart
    for old in ids:
        out = out.replace(f'"{old}"', f'"{old}-{suffix}"')
    return out


def _caption_number(figure: Figure) -> str:
    number = re.search(r'<span class="caption-number">(.*?)</span>', figure.caption)
    return f"<strong>{number.group(1).strip()}</strong>" if number else ""


def render_slide(slide: Slide) -> str:
    """One ``<section>`` of the deck."""
    classes = " ".join(c for c in (f"cb-{slide.kind}", slide.density) if c)
    head = "" if slide.kind == "title" else f"<h2>{html.escape(slide.heading)}</h2>"
    return f'<section class="{classes}" data-kind="{slide.kind}">{head}<div class="cb-body">{slide.body}</div></section>'


#: Reveal's settings: a 16:9 slide, no transition, slide numbers; links in the deck are the slides'.
REVEAL_CONFIG = {"width": 1280, "height": 720, "margin": 0.04, "hash": True, "transition": "none",
                 "slideNumber": "c/t", "controls": True, "progress": True, "center": False}

SLIDES_CSS = """
.reveal { font-size: 26px; }
.reveal .slides section { text-align: left; height: 100%; }
.reveal h1 { font-size: 2.1em; text-transform: none; }
.reveal h2 { font-size: 1.35em; text-transform: none; margin-bottom: .5em; color: #1f5f8b; }
.reveal p, .reveal li { line-height: 1.3; }
.reveal ul { display: block; margin-left: 1.1em; }
.reveal li { margin: .25em 0; }
.reveal code { font-size: .85em; background: #f3f3f3; padding: 0 .2em; }
.reveal .slides section.cb-title { text-align: center; padding-top: 180px; box-sizing: border-box; }
.reveal .cb-title .cb-kicker { text-transform: uppercase; letter-spacing: .06em; color: #666; font-size: .8em; }
.reveal .cb-sub { color: #666; }
.reveal .cb-dense .cb-body { font-size: .82em; }
.reveal .cb-very-dense .cb-body { font-size: .66em; }
.reveal .cb-chart .cb-figure { display: flex; justify-content: center; }
.reveal .cb-chart .casebook-chart svg { height: 400px; width: auto; max-width: 1180px; }
.reveal .cb-caption { font-size: .62em; color: #444; margin: .4em 0 0; }
.reveal .cb-caption p { margin: 0; }
.reveal .cb-caption .caption-number { font-weight: 600; }
.reveal .cb-simulated-tag { display: inline-block; font-size: .55em; text-transform: uppercase; letter-spacing: .05em;
  background: #fff3cd; color: #7a5b00; padding: .1em .5em; margin: .3em 0 0; }
.reveal .cb-simulated { color: #7a5b00; font-size: .85em; }
.reveal .cb-fact-check h2 { color: #8a3b12; }
.reveal .cb-fact-check .cb-body { border-left: 6px solid #d9822b; padding-left: .8em; }
.reveal .cb-takeaways .cb-body { border-left: 6px solid #1f5f8b; padding-left: .8em; }
.reveal .cb-key-figures strong { color: #1f5f8b; }
.reveal .cb-ex-figures { display: flex; gap: 24px; justify-content: center; margin-top: .6em; }
.reveal .cb-ex-figure .casebook-chart svg { max-height: 330px; height: auto; width: auto; max-width: 600px; }
.reveal .cb-ex-figures .cb-caption { text-align: center; }
.reveal details.cb-solution { margin-top: 1em; font-size: .8em; color: #333; }
.reveal details.cb-solution summary { cursor: pointer; color: #1f5f8b; }
.reveal .bibtex-citation, .reveal .cite { color: #666; font-size: .8em; }
.vega-embed .vega-actions { display: none; }
#vg-tooltip-element { font-size: 14px; }
"""


def deck_html(chapter: Chapter, slides: list[Slide], assets: str = "assets") -> str:
    """The deck as one HTML document in the chapter's language whose scripts and styles are the files of
    ``assets`` (a folder beside it, or ``../assets`` for a deck in a language's subfolder)."""
    sections = "\n".join(render_slide(s) for s in slides)
    with i18n.using(chapter.lang):
        title = html.escape(_("{kicker}: {title} · workshop slides").format(kicker=chapter.kicker, title=chapter.title))
    return f"""<!DOCTYPE html>
<html lang="{chapter.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/reveal.css">
<link rel="stylesheet" href="{assets}/white.css">
<link rel="stylesheet" href="{assets}/slides.css">
<script src="{assets}/casebook-vega.js"></script>
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script src="{assets}/reveal.js"></script>
<script>Reveal.initialize({json.dumps(REVEAL_CONFIG)});</script>
</body>
</html>
"""


def reveal_dir() -> Path:
    """reveal.js as sphinx-revealjs bundles it."""
    import sphinx_revealjs

    return Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"


def write_assets(dest: Path, vega: Path) -> Path:
    """Copy reveal.js (script, styles, the white theme and its fonts), the vega bundle and the deck's
    stylesheet into ``dest``; return it."""
    dest.mkdir(parents=True, exist_ok=True)
    src = reveal_dir()
    for rel in REVEAL_FILES:
        path = src / rel
        if path.is_dir():
            shutil.copytree(path, dest / "fonts" / path.name, dirs_exist_ok=True)
        else:
            shutil.copyfile(path, dest / path.name)
    shutil.copyfile(src / "LICENSE", dest / "reveal-LICENSE")
    shutil.copyfile(vega, dest / "casebook-vega.js")
    (dest / "slides.css").write_text(SLIDES_CSS, encoding="utf-8")
    return dest


def build(chosen: list[str] | None = None, out: Path = OUT, langs: tuple[str, ...] = LANGS) -> list[Path]:
    """Write the deck of every chapter (or of ``chosen``) in each of ``langs`` into ``out`` (English) and
    ``out/LANG`` (another language; the decks share ``out/assets``); return their paths."""
    written = []
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="casebook-slides-") as tmp:
        for lang in langs:
            folder = out_dir(out, lang)
            folder.mkdir(parents=True, exist_ok=True)
            assets = "assets" if folder == out else "../assets"
            for slug in chosen or kit.slugs():
                work = Path(tmp) / lang / slug
                chapter = kit.chapter_of(slug, work, lang)
                if not written:
                    write_assets(out / "assets", kit.vega_bundle(work))
                path = folder / f"{slug}.html"
                slides = select_slides(chapter)
                kit.write_atomically(path, deck_html(chapter, slides, assets))
                written.append(path)
                print(f"{lang}/{slug}: {len(slides)} slides -> {path}")
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m casebook.build.slides [SLUG ...] [--lang en|fr] [--out DIR]``."""
    return kit.command(build, "slides", OUT, argv)


if __name__ == "__main__":
    sys.exit(main())
