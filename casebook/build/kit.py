"""The chapter parts the trainer's kit shows (room build): what slides and handouts read from a chapter.

:func:`chapter_parts` renders the executed notebook (its stored outputs) as one page with the book's
own pipeline (:func:`casebook.build.report.build_page`: the site's glue, numbering, citations and chart
HTML) and reads it: the title, the learning objectives, every ``{glue:figure}`` chart with its caption,
the fact-check boxes, the key takeaways and the no-code exercises (``:class: no-code``) with their
solutions. The key figures are the sentences of the analysis sections that quote glued numbers, the
numbers formatted from :func:`casebook.notebook.glued_scalars` as the page formats them.
:data:`OVERRIDES` holds per-chapter choices, should a chapter need one (never tags in the notebooks).

Both languages: in French the notebook is the chapter executed in French (``book.executed_path``), the
page is built from the chapter's prose catalog, and the key figures are the catalog's translation of
the English paragraphs, their numbers written the French way (:func:`casebook.i18n.fmt`). A chapter
remembers its language (:attr:`Chapter.lang`); its kit's fixed words come from ``_()`` in it.

May import: the foundation (paths, notebook, i18n), build.book (the chapter list) and build.report (the
book's page pipeline); never the executor.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from casebook import i18n
from casebook.i18n import gettext as _
from casebook.notebook import glued_scalars
from casebook.paths import BOOK, ROOT

#: Per-chapter choices: ``main_chart`` (the handout's chart, a figure label; default: the first),
#: ``skip`` (figure labels or fact-check titles left off the slides and handouts).
OVERRIDES: dict[str, dict[str, Any]] = {}
#: Key-figure sentences per chapter.
KEY_SENTENCES = 6
#: Sections that are not analysis: no key figures are taken from them.
NOT_ANALYSIS = re.compile(r"^(try it|exercises|references)", re.I)
#: The titles the chapters give their learning objectives and key takeaways, in every language.
OBJECTIVES = ("learning objectives", "objectifs pédagogiques")
TAKEAWAYS = ("key takeaways", "à retenir")
#: What a caption or chart title says when its data is simulated or when it shows an illustration (the
#: stems of both languages: "simulated", « simulé », « simulée », « simulés »; "illustration" is French too).
NOTE_WORDS = {"simulated": ("simulat", "simulé"), "illustration": ("illustration",)}


def says(text: str, note: str) -> bool:
    """True when ``text`` says ``note`` ("simulated" or "illustration") in either language."""
    low = text.lower()
    return any(stem in low for stem in NOTE_WORDS[note])


# ---------------------------------------------------------------------------------------------------
# What the chapter holds


@dataclass
class Figure:
    """A ``{glue:figure}`` chart of the chapter page."""

    label: str
    section: str
    chart: str  # the chart's HTML (container and drawing script) as the page has it
    caption: str  # caption HTML, figure number included

    @property
    def simulated(self) -> bool:
        """True when the caption or the chart's title says the data is simulated (in either language)."""
        return says(self.caption + self.chart, "simulated")

    @property
    def note(self) -> str:
        """What a number of this chart's section must carry, as the chapter says it: "simulated",
        "illustration" (the chart shows an illustration, not a measurement) or ""."""
        text = self.caption + self.chart
        return "simulated" if says(text, "simulated") else "illustration" if says(text, "illustration") else ""


@dataclass
class Box:
    """An admonition of the chapter: its title and its body's HTML."""

    title: str
    body: str
    section: str = ""


@dataclass
class Exercise:
    """A no-code exercise: its title (number and name), statement and solution HTML, and the labels of
    the chapter's figures its statement refers to."""

    label: str
    title: str
    body: str
    solution: str = ""
    figures: list[str] = field(default_factory=list)


@dataclass
class Chapter:
    """The parts of a chapter that slides and handouts show, in reading order where it matters."""

    slug: str
    title: str
    number: int | None = None
    objectives: Box | None = None
    takeaways: Box | None = None
    items: list[Figure | Box] = field(default_factory=list)  # charts and fact checks, in reading order
    exercises: list[Exercise] = field(default_factory=list)
    key_figures: list[str] = field(default_factory=list)  # sentences as HTML, numbers in <strong>
    lang: str = "en"  # the language the chapter is read in

    def __post_init__(self) -> None:
        i18n.check(self.lang)

    @property
    def figures(self) -> list[Figure]:
        """The charts, in reading order."""
        return [i for i in self.items if isinstance(i, Figure)]

    def figure(self, label: str) -> Figure | None:
        """The chart labelled ``label``, if the chapter has it."""
        return next((f for f in self.figures if f.label == label), None)

    @property
    def fact_checks(self) -> list[Box]:
        """The fact-check boxes, in reading order."""
        return [i for i in self.items if isinstance(i, Box)]

    @property
    def kicker(self) -> str:
        """"Chapter N" (or "Chapter" when the book does not number it), in the chapter's language."""
        with i18n.using(self.lang):
            return _("Chapter {number}").format(number=self.number) if self.number else _("Chapter")


def text_of(tag: Tag, lang: str = "en") -> str:
    """The words of an element, white space collapsed (in French, the no-break spaces of its typography,
    U+00A0 and U+202F, kept)."""
    if lang == "en":
        return re.sub(r"\s+", " ", tag.get_text(" ")).strip()
    text = re.sub(r"[ \t\r\n]+", " ", tag.get_text(" "))
    return re.sub(" ?([\u00a0\u202f]) ?", r"\1", text).strip()


def _heading(tag: Tag | None, lang: str = "en") -> str:
    """A heading's words, without its section number or its link sign."""
    if tag is None:
        return ""
    tag = BeautifulSoup(str(tag), "html.parser")
    for junk in tag.select("span.section-number, a.headerlink"):
        junk.decompose()
    if lang != "en":
        return re.sub(r" +([,.)])", r"\1", text_of(tag, lang))
    return re.sub(r"\s+([,.:;?!])", r"\1", text_of(tag))


def _section_of(el: Tag, lang: str = "en") -> str:
    for section in el.find_parents("section"):
        head = section.find(["h2", "h3"], recursive=False)
        if head is not None:
            return _heading(head, lang)
    return ""


def clean(fragment: Tag | str) -> str:
    """A page fragment fit to stand alone: links unwrapped (their text stays), heading link signs, code
    cells' input and element ids other than charts' dropped."""
    soup = BeautifulSoup(str(fragment), "html.parser")
    for junk in soup.select("a.headerlink, div.cell_input, button"):
        junk.decompose()
    for a in soup.find_all("a"):
        a.unwrap()
    for el in soup.find_all(id=True):
        if "casebook-chart" not in el.get("class", []):
            del el["id"]
    return str(soup).strip()


def _body(admonition: Tag) -> str:
    copy = BeautifulSoup(str(admonition), "html.parser")
    title = copy.select_one(".admonition-title")
    if title is not None:
        title.decompose()
    root = copy.find()
    return clean("".join(str(c) for c in root.contents))


def _title(admonition: Tag, lang: str = "en") -> str:
    title = admonition.select_one(".admonition-title")
    return text_of(title, lang) if title is not None else ""


def _classes(el: Tag) -> list[str]:
    return list(el.get("class", []))


def _is(title: str, names: tuple[str, ...]) -> bool:
    return title.lower().startswith(names)


def page_parts(page_html: str, slug: str, number: int | None = None, lang: str = "en") -> Chapter:
    """Read a chapter page built by the book's pipeline (in ``lang``) into its parts (objectives, charts,
    fact checks, takeaways, no-code exercises with their solutions)."""
    soup = BeautifulSoup(page_html, "html.parser")
    article = soup.select_one("article") or soup
    chapter = Chapter(slug=slug, title=_heading(article.find("h1"), lang), number=number, lang=lang)
    solutions: dict[str, str] = {}
    for sol in article.select("div.solution"):
        ref = sol.select_one(".admonition-title a[href^='#']")
        if ref is not None:
            content = sol.select_one("section#solution-content") or sol
            solutions[ref["href"][1:]] = clean("".join(str(c) for c in content.contents))
    for el in article.select("div.admonition, figure"):
        classes = _classes(el)
        if el.name == "figure":
            chart = el.select_one(".casebook-chart")
            if chart is None:
                continue
            cap = el.find("figcaption")
            chart_html = "".join(str(x) for x in chart.parent.contents) if chart.parent is not el else str(chart)
            chapter.items.append(Figure(label=el.get("id", ""), section=_section_of(el, lang), chart=chart_html.strip(),
                                        caption=clean("".join(str(c) for c in cap.contents)) if cap else ""))
        elif "fact-check" in classes:
            chapter.items.append(Box(_title(el, lang), _body(el), _section_of(el, lang)))
        elif "tip" in classes and _is(_title(el), OBJECTIVES) and not chapter.objectives:
            chapter.objectives = Box(_title(el, lang), _body(el))
        elif "important" in classes and _is(_title(el), TAKEAWAYS):
            chapter.takeaways = Box(_title(el, lang), _body(el))
        elif "exercise" in classes and "no-code" in classes:
            content = el.select_one("section#exercise-content") or el
            label = el.get("id", "")
            refs = [a["href"][1:] for a in content.select("a[href^='#']")]
            chapter.exercises.append(Exercise(label, _title(el, lang), clean("".join(str(c) for c in content.contents)),
                                              solutions.get(label, ""), list(dict.fromkeys(refs))))
    skip = set(OVERRIDES.get(slug, {}).get("skip", []))
    chapter.items = [i for i in chapter.items if (i.label if isinstance(i, Figure) else i.title) not in skip]
    return chapter


# ---------------------------------------------------------------------------------------------------
# Key figures: sentences of the analysis that quote glued numbers, the numbers formatted from the notebook

_ROLE = re.compile(r"\{([a-z][\w:-]*)\}`([^`]*)`|`([^`]+)`")
_FENCE = re.compile(r"^(`{3,}|:{3,}).*?^\1\s*$", re.S | re.M)
_TARGET = re.compile(r"^\([\w.:-]+\)=\s*$")


def format_glued(value: Any, spec: str, lang: str = "en") -> str:
    """A glued value as ``{glue:text}`name:spec``` shows it on the page in ``lang``: myst-nb's own
    formatting in English, :func:`casebook.i18n.glued` in another language (as the book's French build,
    :func:`casebook.build.editions.glued_text`, writes it: ``27,8 %``, ``1 988``)."""
    from myst_nb.core.variables import format_plain_text

    if i18n.check(lang) == "en":
        return format_plain_text(repr(value), spec)
    return i18n.glued(value, spec, lang)


def _plain_md(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", text)
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)


def inline_html(text: str, scalars: dict[str, Any], lang: str = "en") -> str:
    """One line of MyST prose as HTML: glued numbers formatted from ``scalars`` (in ``<strong>``, written
    the way ``lang`` writes them), citations left out, glossary and other references as their shown
    text, inline code as code, ``**bold**``, ``*italic*`` and links as text. An unknown glued name raises
    KeyError. French no-break spaces (U+00A0, U+202F) are kept."""
    pieces: list[str] = []  # roles and code, as HTML, held out of the markdown below by placeholders

    def hold(m: re.Match) -> str:
        role, content, code = m.group(1), m.group(2), m.group(3)
        if code is not None:
            shown = f"<code>{html.escape(code)}</code>"
        elif role in ("glue:text", "glue"):
            name, _, spec = content.partition(":")
            if name not in scalars:
                raise KeyError(f"{{glue}} {name!r} is quoted in the prose but not glued in the notebook")
            value = scalars[name]
            shown = format_glued(value, spec, lang) if spec or lang != "en" else str(value)
            shown = f"<strong>{html.escape(shown)}</strong>"
        elif role.startswith("cite"):
            return ""
        else:
            label = re.match(r"^(.*?)\s*<[^>]*>$", content, re.S)
            shown = html.escape(label.group(1) if label else content)
        pieces.append(shown)
        return f"\x00{len(pieces) - 1}\x01"

    held = _ROLE.sub(hold, text)
    out = _plain_md(html.escape(held, quote=False))
    out = re.sub("\x00(\\d+)\x01", lambda m: pieces[int(m.group(1))], out)
    if lang == "en":
        return re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"\s+", " ", out)).strip()
    out = re.sub(r"[ \t\r\n]+", " ", out)  # the no-break spaces of French typography stay
    out = re.sub(r" (?=[\u00a0\u202f])", "", out)  # a citation left out before "\u00a0:"
    return re.sub(r" +([,.)])", r"\1", out).strip()


#: Where a paragraph splits into sentences: after . ! ? and white space, before what starts a sentence
#: (in French also an accented capital, « and the narrow no-break space's ? ! ending the sentence before).
_SENTENCE_END = {"en": re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9{\"“(])"),
                 "fr": re.compile(r"(?<=[.!?…])[ \t\r\n]+(?=[A-ZÀ-ÖØ-Þ0-9{\"“«(*])")}


def sentences(paragraph: str, lang: str = "en") -> list[str]:
    """The sentences of a paragraph of MyST prose in ``lang``."""
    return [s for s in _SENTENCE_END[i18n.check(lang)].split(paragraph) if s]


def analysis_sections(notebook: dict) -> list[tuple[str, list[str]]]:
    """The chapter's ``##`` sections before "Try it" and the exercises, each with its prose paragraphs
    (fenced blocks, admonitions, lists, headings and their ``(label)=`` targets left out)."""
    sections: list[tuple[str, list[str]]] = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = _FENCE.sub("", "".join(cell.get("source", "")))
        for block in re.split(r"\n\s*\n", text):
            lines = block.strip().splitlines()
            while lines and _TARGET.match(lines[0]):  # a heading's label, "(label)=": not prose
                lines = lines[1:]
            if not lines:
                continue
            if lines[0].startswith("## "):
                sections.append((lines[0][3:].strip(), []))
                lines = lines[1:]
            if not sections or not lines or lines[0].lstrip().startswith(("#", "-", "*", "|", ">", "```", ":::")):
                continue
            sections[-1][1].append(" ".join(line.strip() for line in lines))
    return [(name, paras) for name, paras in sections if not NOT_ANALYSIS.match(name)]


def prose_catalog(slug: str, lang: str) -> dict[str, str]:
    """The translated prose of chapter ``slug`` in ``lang`` (msgid → msgstr of its page's catalog,
    ``book/locales/LANG/LC_MESSAGES/notebooks/SLUG.po``; fuzzy and empty entries left out); empty in
    English or when the chapter has no catalog."""
    if i18n.check(lang) == i18n.LANGS[0]:
        return {}
    path = BOOK / "locales" / lang / "LC_MESSAGES" / "notebooks" / f"{slug}.po"
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if isinstance(m.id, str) and m.id and m.string and not m.fuzzy}


def _plain(markdown: str, lang: str) -> str:
    """A heading's MyST as the words the page shows it with (to match a translated heading with the page's)."""
    try:
        shown = inline_html(markdown, {}, lang)
    except KeyError:  # a glued value in a heading: its MyST as it is
        shown = html.escape(markdown)
    return text_of(BeautifulSoup(shown, "html.parser"), lang)


def key_figures(notebook: dict, scalars: dict[str, Any] | None = None, limit: int = KEY_SENTENCES,
                notes: dict[str, str] | None = None, lang: str = "en",
                translations: dict[str, str] | None = None) -> list[str]:
    """The sentences of the analysis sections that quote glued numbers, as HTML with the numbers
    formatted from the notebook's glued values: each section's first such sentence, then each section's
    second, and so on, up to ``limit``, in reading order. A sentence of a section that ``notes`` names
    carries its note, "(simulated)" or "(illustration)", unless it says so already.

    In another language than English, each paragraph (and section heading) is first replaced by its
    translation from ``translations`` (the chapter's prose catalog, :func:`prose_catalog`; English where it
    has none), numbers are written the way ``lang`` writes them, and ``notes`` may name a section by its
    English or its translated heading (the page's)."""
    scalars = glued_scalars(notebook) if scalars is None else scalars
    notes = notes or {}
    tr = translations or {}
    per_section = [(name, [s for p in paras for s in sentences(tr.get(p, p), lang) if "{glue" in s])
                   for name, paras in analysis_sections(notebook)]
    chosen: list[tuple[int, int]] = []  # (section, sentence) positions
    rank = 0
    while len(chosen) < limit and any(rank < len(found) for _, found in per_section):
        chosen += [(i, rank) for i, (_, found) in enumerate(per_section) if rank < len(found)]
        rank += 1
    out = []
    with i18n.using(lang):
        shown_notes = {"simulated": _("(simulated)"), "illustration": _("(illustration)")}
    for i, j in sorted(chosen[:limit]):
        name, found = per_section[i]
        text = inline_html(found[j], scalars, lang)
        note = notes.get(name) or (notes.get(_plain(tr[name], lang)) if name in tr else "") or ""
        if note and not says(text, note):
            text += f' <span class="cb-simulated">{html.escape(shown_notes[note])}</span>'
        out.append(text)
    return out


def chapter_parts(notebook: dict, slug: str, workdir: Path, lang: str = "en") -> Chapter:
    """Render the executed ``notebook`` with the book's pipeline under ``workdir`` in ``lang`` and read its parts."""
    from casebook.build import report

    page, _warnings = report.build_page(notebook, slug, workdir, lang=lang)
    chapter = page_parts(page.read_text(encoding="utf-8"), slug, report.chapter_number(slug), lang)
    notes: dict[str, str] = {}
    for figure in chapter.figures:  # "simulated" wins over "illustration" in a section that has both
        if figure.note and notes.get(figure.section) != "simulated":
            notes[figure.section] = figure.note
    chapter.key_figures = key_figures(notebook, notes=notes, lang=lang, translations=prose_catalog(slug, lang))
    return chapter


def chapter_of(slug: str, workdir: Path, lang: str = "en") -> Chapter:
    """The parts of chapter ``slug`` in ``lang`` from its stored notebook (executed in that language); a
    prose number the outputs do not hold stops the build with one line naming the notebook (its outputs
    are stale: re-execute it)."""
    try:
        return chapter_parts(load_notebook(slug, lang), slug, workdir, lang)
    except KeyError as e:
        raise SystemExit(f"{notebook_path(slug, lang).relative_to(ROOT)}: {e.args[0]}; re-execute the chapter") from None


def vega_bundle(workdir: Path) -> Path:
    """The vega bundle the page build wrote (the book's, ``_static/casebook-vega.js``)."""
    for path in (workdir / "html" / "_static" / "casebook-vega.js", ROOT / "book" / "_static" / "casebook-vega.js"):
        if path.is_file():
            return path
    raise FileNotFoundError("casebook-vega.js was not written by the page build")


def notebook_path(slug: str, lang: str = "en") -> Path:
    """Where chapter ``slug`` executed in ``lang`` is stored: ``notebooks/SLUG.ipynb`` in English, the
    French run's copy (``_build/fr/src/notebooks/SLUG.ipynb``, written by ``make site-build``) in French."""
    from casebook.build import book

    return book.executed_path(ROOT / "notebooks" / f"{slug}.ipynb", i18n.check(lang))


def load_notebook(slug: str, lang: str = "en") -> dict:
    """The stored notebook of chapter ``slug`` executed in ``lang``."""
    path = notebook_path(slug, lang)
    if not path.is_file():
        raise SystemExit(f"{path}: the chapter has not been executed in {lang}: run `make site-build`")
    return json.loads(path.read_text(encoding="utf-8"))


def slugs() -> list[str]:
    """Every chapter, by slug."""
    from casebook.build import book

    return [p.stem for p in book.chapters()]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failed build leaves no half-written file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def command(build: Callable[..., Any], what: str, out: Path, argv: Sequence[str] | None = None) -> int:
    """The command line of a kit builder (``python -m casebook.build.WHAT [SLUG ...] [--lang LANG]
    [--out DIR]``): run ``build(slugs or None, out, langs)`` (every language of the book unless
    ``--lang`` names one, which may be repeated); exit status 0."""
    import argparse

    parser = argparse.ArgumentParser(prog=f"python -m casebook.build.{what}")
    parser.add_argument("slugs", nargs="*", help="chapters (default: all)")
    parser.add_argument("--lang", action="append", choices=i18n.LANGS,
                        help=f"language (default: all, {' and '.join(i18n.LANGS)}; the French kit goes in fr/)")
    parser.add_argument("--out", type=Path, default=out,
                        help=f"output folder (default: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out})")
    args = parser.parse_args(argv)
    build(args.slugs or None, args.out.resolve(), tuple(dict.fromkeys(args.lang or i18n.LANGS)))
    return 0
