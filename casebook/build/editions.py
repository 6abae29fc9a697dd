"""The editions' side of the Sphinx extension (room build): what makes the French site, its PDF and the
French reports read as written in French, from the English sources and the catalogs.

- Each page of the two sites links to the same page in the other language (``casebook_edition_links``).
- Glued numbers are written the edition's way (myst-nb's plain-text formatter wrapped), and a translated
  message finds its chapter's glued values (Sphinx parses each message as a small document of its own).
- What Sphinx's catalogs do not reach is translated from the package's catalogs: the table of contents'
  part captions, exercise titles (and the solutions that repeat them), the references and citations
  (their styles, registered here, are in :mod:`casebook.build.references`) and myst-nb's toggles of
  hidden cells; a translated glossary is sorted again by its French terms.
- Nodes parsed from translated messages are handed back to their page, and docutils' default settings
  are built once: without these the French build took 2.5 times as long.

May import: the foundation (paths, i18n).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.transforms import Transform
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


def _(message: str) -> str:
    """``message`` in the language of the build being read (from the package's catalogs)."""
    from casebook.i18n import gettext

    return gettext(message)


#: The editions and where each sits in the published site (the English one at its root).
EDITIONS = {"en": "", "fr": "fr/"}
#: The link to the other edition, in the language of that edition.
OTHER_EDITION = {"en": "Read in English", "fr": "Lire en français"}


def edition_links(pagename: str, lang: str) -> dict[str, str]:
    """The address of page ``pagename`` in every other edition, relative to the page in edition ``lang``."""
    up = "../" * (pagename.count("/") + EDITIONS[lang].count("/"))
    return {other: f"{up}{prefix}{pagename}.html" for other, prefix in EDITIONS.items() if other != lang}


def _link_editions(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    lang = app.config.language or "en"
    if not app.config.casebook_edition_links or lang not in EDITIONS or "body" not in context:
        return
    links = edition_links(pagename, lang)
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{other}" href="{href}" />' for other, href in links.items())
    shown = "".join(f'<a href="{href}" hreflang="{other}" lang="{other}">{OTHER_EDITION[other]}</a>'
                    for other, href in links.items())
    context["body"] = f'<p class="casebook-edition">{shown}</p>\n' + context["body"]


#: The language of the build being read (set when each build's configuration is read).
_glue_lang = "en"


def glued_text(text: str, fmt_spec: str) -> str:
    """myst-nb's plain-text formatting of a glued value, in the language of the build being read:
    English exactly as myst-nb writes it, other languages through :func:`casebook.i18n.glued`."""
    from myst_nb.core.variables import format_plain_text

    if _glue_lang == "en":
        return format_plain_text(text, fmt_spec)
    from ast import literal_eval

    from casebook import i18n

    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    return i18n.glued(value, fmt_spec, _glue_lang)


def _localise_glue(app: Sphinx, config: Any) -> None:
    """Make the build's language the one the package writes in (words of :mod:`casebook.i18n`, the
    execution table) and route myst-nb's glued-text formatting through :func:`glued_text` in it; in a
    translated edition, myst-nb's toggles of hidden code cells (``nb_code_prompt_show``/``_hide``, read
    when the builder starts) are written in its language too."""
    global _glue_lang
    from myst_nb.ext.glue import crossref, roles

    from casebook import i18n

    lang = config.language or "en"
    _glue_lang = lang if lang in i18n.LANGS else "en"
    i18n.use(_glue_lang)
    if _glue_lang != i18n.LANGS[0]:  # the book hides whole cells only: myst-nb's "{type}" is "content"
        config.nb_code_prompt_show = _("Show code cell content")
        config.nb_code_prompt_hide = _("Hide code cell content")
    roles.format_plain_text = crossref.format_plain_text = glued_text
    from myst_nb.ext.glue import directives as glue_directives

    roles.retrieve_glue_data = glue_directives.retrieve_glue_data = glue_data


def _back_to_english(app: Sphinx, exception: Exception | None) -> None:
    """After a build, the process writes English again (a French report leaves nothing behind)."""
    global _glue_lang
    from casebook import i18n

    _glue_lang = "en"
    i18n.use("en")


#: Each chapter's glued values, by document, kept for its translated messages (see :func:`glue_data`).
_glue_by_doc: dict[str, Any] = {}


def glue_data(document: nodes.document, key: str) -> Any:
    """myst-nb's lookup of glued value ``key`` in ``document``, or, for a translated message, in the
    chapter being translated.

    Sphinx parses each translated message as a document of its own, which has none of the notebook's
    glued values (myst-nb drops them when the chapter's parsing ends), so ``{glue:text}`` in a
    translation would find nothing: each lookup made while the chapter is parsed keeps them by document
    name, and a translated message's lookup falls back on them.
    """
    from myst_nb.core.variables import RetrievalError, VariableOutput
    from myst_nb.ext.glue import utils

    env = getattr(document.settings, "env", None)
    if "nb_renderer" in document and env is not None:
        _glue_by_doc[env.docname] = document["nb_renderer"]
    try:
        return utils.retrieve_glue_data(document, key)
    except RetrievalError:
        element = _glue_by_doc.get(getattr(env, "docname", None))
        if element is None or key not in element.renderer.nb_client.glue_data:
            raise
        found = element.renderer.nb_client.glue_data[key]
        return VariableOutput(data=found["data"], metadata=found.get("metadata", {}), nb_renderer=element,
                              vtype="glue")


def toc_captions(toc: Path | None = None) -> list[str]:
    """The captions of the table of contents' parts (``make catalogs`` extracts them: they are not in any
    page, so Sphinx's gettext does not see them)."""
    import yaml

    from casebook.paths import ROOT

    data = yaml.safe_load((toc or ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [part["caption"] for part in data.get("parts", []) if part.get("caption")]


def _translate_toc_captions(app: Sphinx, doctree: nodes.document) -> None:
    """In a translated edition, the table of contents' part captions (the sidebar's headings) in its language."""
    if (app.config.language or "en") == "en":
        return
    from sphinx import addnodes

    for toctree in doctree.findall(addnodes.toctree):
        for key in ("caption", "rawcaption"):
            text = toctree.get(key)
            if text:
                toctree[key] = _(text)


def sort_key(term: str) -> tuple[str, str]:
    """How a glossary term sorts in a translated edition: letters without their accents, case ignored
    (``écran`` with the E's), then the term itself."""
    import unicodedata

    bare = "".join(c for c in unicodedata.normalize("NFD", term) if not unicodedata.combining(c))
    return bare.casefold(), term


#: An exercise's title in a chapter's markdown (sphinx-exercise's directives, gated or not).
EXERCISE_TITLE = re.compile(r"^(?:`{3,}|:{3,})\{exercise(?:-start)?\}[ \t]+(\S.*?)\s*$", re.M)


def exercise_titles(markdown: str) -> list[str]:
    """The titles of the exercises of a chapter's markdown (``make catalogs`` extracts them: Sphinx's
    gettext does not see a directive's argument)."""
    return EXERCISE_TITLE.findall(markdown)


class TranslateExerciseTitles(Transform):
    """sphinx-exercise writes an exercise's title (its directive's argument) as it is in the source, out of
    Sphinx's catalogs' reach: in a translated edition, a plain-text title is replaced by its translation
    from the package's catalogs (see :func:`exercise_titles`)."""

    default_priority = 21

    def apply(self, **kwargs: Any) -> None:
        if (self.document.settings.env.config.language or "en") == "en":
            return
        from sphinx_exercise.nodes import exercise_subtitle

        for node in self.document.findall(exercise_subtitle):
            if all(isinstance(child, nodes.Text) for child in node.children):
                text = node.astext()
                if _(text) != text:
                    node.children = []
                    node += nodes.Text(_(text))


class TranslateSolutionTitles(SphinxPostTransform):
    """A solution's title repeats its exercise's title, which sphinx-exercise takes from the exercise as it
    was first read (in English): after it builds those titles (priority 21), the exercise's part is put
    in the edition's language too."""

    default_priority = 22

    def run(self, **kwargs: Any) -> None:
        if (self.config.language or "en") == "en":
            return
        from sphinx_exercise.nodes import solution_node

        for solution in self.document.findall(solution_node):
            if not solution.children:
                continue
            for text in list(solution.children[0].findall(nodes.Text)):
                if _(str(text)) != str(text):
                    text.parent.replace(text, nodes.Text(_(str(text))))


class AdoptTranslatedNodes(Transform):
    """Sphinx parses each translated message as a small document of its own and moves its nodes into the
    page, where they keep pointing at that small document (docutils' ``Node._document``). Pickled with
    the page, every one of them drags its small document along: the French doctrees came out 5 to 15
    times as large as the English ones, and loading them (Sphinx loads a page's doctree for each
    ``{numref}`` to it) took most of the French build. After the Locale transform (priority 20), every
    node that points at another document is handed back to the page."""

    default_priority = 22

    def apply(self, **kwargs: Any) -> None:
        if (self.document.settings.env.config.language or "en") == "en":
            return
        for node in self.document.findall():
            if node is not self.document and node._document is not None and node._document is not self.document:
                node._document = None  # found through its parent, the page


class SortTranslatedGlossary(Transform):
    """A ``:sorted:`` glossary is sorted while the English source is read; once its terms are translated
    (Sphinx's Locale transform, priority 20), sort its entries again by their translated first term."""

    default_priority = 25

    def apply(self, **kwargs: Any) -> None:
        env = self.document.settings.env
        if (env.config.language or "en") == "en":
            return
        from sphinx import addnodes

        for glossary in self.document.findall(addnodes.glossary):
            if not glossary.get("sorted"):
                continue
            for dlist in glossary.findall(nodes.definition_list):
                items = list(dlist.children)
                items.sort(key=lambda item: sort_key(next(iter(item.findall(nodes.term))).astext()))
                dlist.children = items


def _default_settings_once() -> None:
    """docutils builds a parser's default settings from scratch on each call (3.5 ms), and myst-parser
    asks for them every time it renders a piece of markdown, even when it does not use them: once per
    translated message, 2,900 times in the French build (10 s). Build them once per set of components
    and hand out copies."""
    import copy
    import functools

    from docutils import frontend

    if getattr(frontend.get_default_settings, "casebook_cached", False):
        return
    built = functools.lru_cache(maxsize=32)(frontend.get_default_settings)

    def get_default_settings(*components: Any) -> Any:
        return copy.deepcopy(built(*components))

    get_default_settings.casebook_cached = True  # type: ignore[attr-defined]
    frontend.get_default_settings = get_default_settings


def setup(app: Sphinx) -> None:
    """Register the editions' settings, event handlers, transforms, bibliography style and citation style
    (called by :mod:`casebook.build.sphinxext`)."""
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin
    from pybtex.backends.plaintext import Backend as PlainText

    from casebook.build.references import citation_style, reference_list_style

    _default_settings_once()
    app.add_config_value("casebook_edition_links", False, "html", bool)
    app.connect("config-inited", _localise_glue)
    app.connect("build-finished", _back_to_english)
    app.connect("html-page-context", _link_editions)
    app.connect("doctree-read", _translate_toc_captions)
    app.add_transform(SortTranslatedGlossary)
    app.add_transform(TranslateExerciseTitles)
    app.add_transform(AdoptTranslatedNodes)
    app.add_post_transform(TranslateSolutionTitles)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "casebook", reference_list_style(), force=True)
    sphinxcontrib.bibtex.plugin.register_plugin("sphinxcontrib.bibtex.style.referencing", "casebook_author_year",
                                                citation_style(), force=True)
    # sphinxcontrib-bibtex looks the plain-text backend up for every citation it resolves; registered at
    # run time, pybtex finds it without scanning the installed packages' entry points (25 ms each).
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", PlainText, force=True)
