"""The glossary page (book/glossary.md) and the {term} links of every page and chapter.

Reads the book's sources only; builds nothing. A broken {term} link also breaks the strict site build,
but this test names the file and the term at once, without a build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "book" / "glossary.md"
MIN_ENTRIES = 30
MIN_TERMS_PER_CHAPTER = 5

TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
EXPLICIT_TARGET = re.compile(r"<([^<>]+)>\s*$")


def glossary_entries(text: str) -> list[tuple[list[str], str]]:
    """Each entry of the first {glossary} block: its terms (first line and synonyms) and definition."""
    match = re.search(r"^```\{glossary\}\n(.*?)^```\s*$", text, re.S | re.M)
    if match is None:
        return []
    entries: list[tuple[list[str], str]] = []
    terms: list[str] = []
    definition: list[str] = []
    for line in match.group(1).splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line[0].isspace():
            definition.append(line.strip())
            continue
        if definition:
            entries.append((terms, " ".join(definition)))
            terms, definition = [], []
        terms.append(line.strip())
    if terms:
        entries.append((terms, " ".join(definition)))
    return entries


def term_targets(text: str) -> list[str]:
    """The glossary term each {term} role of a page's text points at (the text, or the part in <>),
    with runs of white space (a line break inside the role) made one space, as Sphinx does."""
    targets = []
    for content in TERM_ROLE.findall(text):
        explicit = EXPLICIT_TARGET.search(content)
        targets.append(" ".join((explicit.group(1) if explicit else content).split()))
    return targets


def page_text(path: Path) -> str:
    """The markdown a reader sees: a .md file whole, a notebook's markdown cells."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def chapters() -> list[Path]:
    """The notebooks of the table of contents' numbered part (the case studies)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [ROOT / f"{c['file']}.ipynb" for part in toc["parts"] if part.get("numbered")
            for c in part["chapters"]]


def entry_of() -> dict[str, int]:
    """Every term and synonym, lower-cased as Sphinx matches them, mapped to its entry's index."""
    return {t.lower(): i for i, (terms, _) in enumerate(glossary_entries(GLOSSARY.read_text("utf-8")))
            for t in terms}


def test_glossary_entries_parser_reads_terms_synonyms_and_definitions() -> None:
    text = "# G\n\n```{glossary}\n:sorted:\n\nreach\n  People who saw it.\n\nK-factor\nK\n  New users\n  per user.\n```\n"
    assert glossary_entries(text) == [(["reach"], "People who saw it."), (["K-factor", "K"], "New users per user.")]
    assert glossary_entries("no glossary here") == []


def test_term_targets_reads_plain_and_explicit_roles() -> None:
    text = "A {term}`reach` and {term}`rates <engagement rate>`, not `reach` nor {glue:text}`x`."
    assert term_targets(text) == ["reach", "engagement rate"]
    assert term_targets("the {term}`longest\nsilence` and {term}`K <K-factor>`s") == ["longest silence", "K-factor"]


def test_glossary_has_enough_entries_each_defined_once() -> None:
    entries = glossary_entries(GLOSSARY.read_text(encoding="utf-8"))
    assert len(entries) >= MIN_ENTRIES, f"{len(entries)} glossary entries, expected at least {MIN_ENTRIES}"
    undefined = [terms[0] for terms, definition in entries if len(definition.split()) < 5]
    assert not undefined, f"entries without a definition of a sentence: {undefined}"
    seen: dict[str, int] = {}
    for terms, _ in entries:
        for term in terms:
            seen[term.lower()] = seen.get(term.lower(), 0) + 1
    assert not [t for t, n in seen.items() if n > 1], "terms defined twice"


def test_glossary_covers_the_jargon_the_issue_names() -> None:
    known = entry_of()
    wanted = ["reach", "impressions", "views", "engagement rate", "basis", "paid post", "organic post",
              "cadence", "silence", "RFM", "CLV", "BG/NBD", "calibration period", "holdout",
              "probability alive", "K-factor", "viral coefficient", "share of voice", "UGC",
              "confidence interval", "bootstrap", "median", "Theil–Sen slope", "p-value", "log scale",
              "simulated scenario", "fact check", "first-reply time", "reply rate", "funnel",
              "community manager"]
    assert [w for w in wanted if w.lower() not in known] == []


def term_sources() -> list[Path]:
    """Every page whose {term} roles Sphinx resolves: the chapters and the prose pages."""
    return sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").rglob("*.md"))


def test_every_term_role_names_a_glossary_term() -> None:
    known = entry_of()
    broken = [f"{path.relative_to(ROOT)}: {{term}}`{target}`"
              for path in term_sources() for target in term_targets(page_text(path))
              if target.lower() not in known]
    assert not broken, "terms not in book/glossary.md (spelling must match an entry):\n" + "\n".join(broken)


@pytest.mark.parametrize("chapter", chapters(), ids=lambda p: p.stem)
def test_every_chapter_links_enough_glossary_terms(chapter: Path) -> None:
    known = entry_of()
    linked = {known[t.lower()] for t in term_targets(page_text(chapter)) if t.lower() in known}
    counts = {p.stem: len({known[t.lower()] for t in term_targets(page_text(p)) if t.lower() in known})
              for p in chapters()}
    assert len(linked) >= MIN_TERMS_PER_CHAPTER, (
        f"{chapter.stem} links {len(linked)} distinct glossary entries, expected at least "
        f"{MIN_TERMS_PER_CHAPTER}; per chapter: {counts}")
