"""The translation catalogs (room build): ``make catalogs``, the command a writer runs after changing English text.

Two kinds of catalog, both gettext ``.po`` files edited by translators:

- **the prose**: every paragraph, heading, caption, table cell and glossary entry of the book's pages
  and the chapters' markdown, one catalog per page under ``book/locales/fr/LC_MESSAGES/`` (Sphinx's
  ``gettext`` builder writes the templates, sphinx-intl updates the catalogs);
- **the computed words**: chart titles, axis labels, table headers and verdict sentences, marked
  ``_("...")`` in the package and ``tr("...")`` in the chapters' code, in
  ``casebook/i18n/locales/fr/LC_MESSAGES/casebook.po`` (Babel extracts and updates it).

A message whose English changed comes back untranslated (or fuzzy, when sphinx-intl finds a close
match), and ``make test`` fails until it is translated: :func:`problems` lists them.

May import: the foundation (paths, i18n).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from casebook import i18n
from casebook.paths import BOOK, NOTEBOOKS, ROOT

#: The prose catalogs, one folder per translated language.
LOCALES = BOOK / "locales"
#: Keywords that mark a computed message: ``_`` and ``gettext`` in the package, ``tr`` in the chapters.
KEYWORDS = {"_": None, "gettext": None, "tr": None}
TRANSLATED = i18n.LANGS[1:]


def sphinx_templates(out: Path) -> Path:
    """Write the prose's message templates (one ``.pot`` per page) into ``out/gettext``; returns that folder.

    The book's own configuration, one catalog per page, no source locations (they would change the
    catalogs whenever a line moves).
    """
    from casebook.build import book

    dest = out / "gettext"
    code = book.sphinx(ROOT, dest, "gettext", {"gettext_compact": False, "gettext_location": False,
                                               "gettext_uuid": False}, doctrees=out / ".doctrees", quiet=True)
    if code:
        raise RuntimeError(f"the gettext build of the English text failed (exit {code})")
    return dest


def update_prose(templates: Path, langs: tuple[str, ...] = TRANSLATED) -> None:
    """Bring the prose catalogs of ``langs`` in step with ``templates`` (sphinx-intl: new messages empty,
    changed ones fuzzy, removed ones dropped)."""
    from sphinx_intl import basic

    basic.update(str(LOCALES), str(templates), langs, line_width=-1, ignore_obsolete=True)


def _notebook_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in nb["cells"] if c["cell_type"] == "code")


def computed_template() -> object:
    """The computed words' template: every ``_()``/``tr()`` message of the package and the chapters, and the
    words of the post export layouts the data appendix shows (a Babel catalog; locations are file names
    only, so the catalog does not change when a line moves)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract, extract_from_dir

    template = Catalog(project="casebook", charset="utf-8")
    package = ROOT / "casebook"
    for filename, _line, message, _comments, _context in extract_from_dir(
            package, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        template.add(message, locations=[(f"casebook/{filename}", None)])
    from casebook.build.editions import exercise_titles, toc_captions
    from casebook.build.references import bib_messages
    from casebook.build.sphinxext import layout_messages

    for message, where in layout_messages() + bib_messages():  # the layouts' and references' describing words
        template.add(message, locations=[(where, None)])
    for caption in toc_captions():
        template.add(caption, locations=[("_toc.yml", None)])
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        for _line, message, _comments, _context in extract("python", io.BytesIO(_notebook_code(nb).encode()),
                                                           keywords=KEYWORDS):
            template.add(message, locations=[(f"notebooks/{nb.name}", None)])
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "markdown":
                for title in exercise_titles("".join(cell["source"])):
                    template.add(title, locations=[(f"notebooks/{nb.name}", None)])
    return template


#: The computed words the code cannot mark where they are written (chart field labels, data labels
#: translated when shown): kept by hand beside the extracted catalog, never rewritten by make catalogs.
RUNTIME = "runtime.po"


def _read(path: Path) -> object:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f)


def _entries(catalog: object) -> list[tuple]:
    return [(m.id, m.string, sorted(m.locations), sorted(m.flags)) for m in catalog if m.id]


def _write(path: Path, catalog: object) -> None:
    """Write ``catalog`` to ``path``, unless the file holds the same messages already (its header's date
    would be the only change)."""
    from babel.messages.pofile import write_po

    if path.exists() and _entries(_read(path)) == _entries(catalog):
        return
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, omit_header=False, sort_output=False, include_previous=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def update_computed(langs: tuple[str, ...] = TRANSLATED) -> list[str]:
    """Bring the package's catalogs of ``langs`` in step with the code: ``casebook.po`` holds every
    ``_()``/``tr()`` message (new ones empty), translated from any catalog of the folder; translations of
    words the code no longer marks move to :data:`RUNTIME` (words translated at run time); any other
    catalog of the folder is merged and removed. Returns the conflicts found (one line each)."""
    from babel.messages.catalog import Catalog

    template = computed_template()
    conflicts = []
    for lang in langs:
        main = i18n.catalog_path(lang)
        folder = main.parent
        known: dict[str, str] = {}
        sources = sorted(folder.glob("*.po")) if folder.is_dir() else []
        for path in sources:
            for m in _read(path):
                if not m.id or not m.string or m.fuzzy:
                    continue
                if m.id in known and known[m.id] != m.string:
                    conflicts.append(f"{path.name}: {m.id!r}: {m.string!r} (kept {known[m.id]!r})")
                    continue
                known[m.id] = m.string
        catalog = Catalog(locale=lang, project="casebook", charset="utf-8")
        for m in template:
            if m.id:
                catalog.add(m.id, known.get(m.id, ""), locations=m.locations, flags=m.flags - {"fuzzy"})
        runtime = Catalog(locale=lang, project="casebook", charset="utf-8")
        for msgid, msgstr in sorted(known.items()):
            if catalog.get(msgid) is None:
                runtime.add(msgid, msgstr)
        _write(main, catalog)
        _write(folder / RUNTIME, runtime)
        for path in sources:
            if path.name not in (main.name, RUNTIME):
                path.unlink()
        i18n.messages.cache_clear()
    return conflicts


@dataclass(frozen=True)
class Problem:
    """A message a reader of ``lang`` would see in English: untranslated or fuzzy."""

    catalog: str
    message: str
    kind: str  # "untranslated" or "fuzzy"

    def __str__(self) -> str:
        return f"{self.catalog}: {self.kind}: {self.message[:90]!r}"


def catalogs(lang: str) -> list[Path]:
    """Every catalog of ``lang``: the prose's, then the computed words'."""
    return sorted((LOCALES / lang / "LC_MESSAGES").rglob("*.po")) + sorted(i18n.catalog_path(lang).parent.glob("*.po"))


#: What French typography checks leave alone: inline code, roles (their targets are English names),
#: link targets, web addresses and HTML tags.
_UNCHECKED = re.compile(r"\{[\w:-]+\}`[^`]*`|`[^`]*`|\]\([^)]*\)|https?://\S+|<[^>]+>")
_TYPO = [
    (re.compile(r" [;:!?%»]"), "a plain space before {0!r}: use a no-break space (U+00A0 before : % », U+202F before ; ! ?)"),
    (re.compile(r"[^\s\u00a0\u202f(\[][;!?](?=\s|$)"), "no space before {0!r}: put U+202F before ; ! ?"),
    (re.compile(r"[^\s\u00a0\u202f\d(\[]:(?=\s|$)"), "no space before ':': put U+00A0 before it"),
    (re.compile(r"\d%"), "no space before '%': write 27,8\u00a0% (U+00A0)"),
    (re.compile(r"\""), "a straight double quote: use « » with no-break spaces (U+00A0) inside"),
    (re.compile(r"«(?!\u00a0)|(?<!\u00a0)»"), "guillemets need a no-break space (U+00A0) inside: «\u00a0…\u00a0»"),
]


_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_CODE = re.compile(r"(?<![}`])`([^`{}]+)`")
_LINK = re.compile(r"\]\(([^)]*)\)")
#: Roles whose shown text a translation may change (the target in <...> stays).
_LABELLED = ("term", "ref", "doc", "download", "numref", "eq")


def _target(role: str, content: str) -> str:
    if role in _LABELLED:
        m = re.match(r"^(.*?)\s*<([^>]*)>$", content, re.S)
        return m.group(2) if m else content
    return content


def markup_problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation lost or changed of its message's markup: roles (their targets: glued names,
    citation keys, figure labels, glossary entries; a glossary term may be shown in other words),
    inline code and link targets must all be kept; empty when all is kept."""
    from collections import Counter

    found = []
    for name, pattern in (("roles", None), ("inline code", _CODE), ("link targets", _LINK)):
        if pattern is None:
            a = Counter((r, _target(r, c)) for r, c in _ROLE.findall(msgid))
            b = Counter((r, _target(r, c)) for r, c in _ROLE.findall(msgstr))
        else:
            a, b = (Counter(pattern.findall(_ROLE.sub("", t) if pattern is _CODE else t)) for t in (msgid, msgstr))
        if a != b:
            found.append(f"{name} differ: missing {dict(a - b)}, added {dict(b - a)}")
    return found


def french_typography(text: str) -> list[str]:
    """What breaks French typography in ``text`` (a translated message or a sentence shown to a reader),
    leaving alone code, roles, link targets and web addresses; empty when all is well."""
    plain = _UNCHECKED.sub("X", text)
    found = []
    for pattern, why in _TYPO:
        m = pattern.search(plain)
        if m:
            found.append(f"{why.format(m.group(0)[-1])} near {plain[max(0, m.start() - 25):m.end() + 5]!r}")
    return found


def problems(lang: str = "fr", paths: list[Path] | None = None) -> Iterator[Problem]:
    """Every untranslated or fuzzy message in ``lang``'s catalogs."""
    from babel.messages.pofile import read_po

    for path in paths or catalogs(lang):
        with path.open("rb") as f:
            catalog = read_po(f)
        for m in catalog:
            if not m.id:
                continue
            if m.fuzzy:
                yield Problem(str(path.relative_to(ROOT)), str(m.id), "fuzzy")
            elif not m.string:
                yield Problem(str(path.relative_to(ROOT)), str(m.id), "untranslated")


def main(argv: list[str] | None = None) -> int:
    """``python -m casebook.build.catalogs``: update every catalog, then list what needs translating."""
    parser = argparse.ArgumentParser(prog="python -m casebook.build.catalogs", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only list untranslated and fuzzy messages")
    args = parser.parse_args(argv)
    if not args.check:
        with tempfile.TemporaryDirectory(prefix="casebook-gettext-") as tmp:
            update_prose(sphinx_templates(Path(tmp)))
        for conflict in update_computed():
            print(f"two translations of one word: {conflict}")
    todo = [p for lang in TRANSLATED for p in problems(lang)]
    for p in todo:
        print(p)
    count = sum(len(list(problems(lang, [path]))) == 0 for lang in TRANSLATED for path in catalogs(lang))
    print(f"{len(todo)} message(s) to translate; {count} catalog(s) complete.")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
