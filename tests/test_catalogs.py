"""The French catalogs (casebook.build.catalogs): complete, in step with the English text and the code,
faithful to each message's markup, and in French typography."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from casebook import i18n
from casebook.build import catalogs

NBSP, NNBSP = "\u00a0", "\u202f"


def entries(path: Path) -> list:
    with path.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def test_french_typography_finds_what_breaks_it() -> None:
    ok = f"Le taux{NBSP}: 27,8{NBSP}% ; mais{NNBSP}? «{NBSP}oui{NBSP}» {{glue:text}}`x:.0%`, `a: b` et https://a.b/c"
    assert catalogs.french_typography(ok.replace(" ;", f"{NNBSP};")) == []
    assert "plain space before ':'" in catalogs.french_typography("Le taux : bien")[0]
    assert "no space before ';'" in catalogs.french_typography("Bien; mal")[0]
    assert "no space before ':'" in catalogs.french_typography("Le titre: ici")[0]
    assert "'%'" in catalogs.french_typography("27%")[0]
    assert "straight double quote" in catalogs.french_typography('Il dit "oui"')[0]
    assert "guillemets" in catalogs.french_typography("« oui »")[-1]
    assert "no space before ';'" in catalogs.french_typography("{glue:text}`n:d`; et")[0]  # a role is a word


def test_markup_problems_names_what_a_translation_lost() -> None:
    msgid = "See {term}`reach`, {glue:text}`share:.0%` {cite:p}`kaushik2011`, `code` and [methods](../book/methods.md)."
    good = "Voir la {term}`portée <reach>`, {glue:text}`share:.0%` {cite:p}`kaushik2011`, `code` et [méthodes](../book/methods.md)."
    assert catalogs.markup_problems(msgid, good) == []
    assert "roles differ" in catalogs.markup_problems(msgid, good.replace("portée <reach>", "portée"))[0]
    assert "roles differ" in catalogs.markup_problems(msgid, good.replace("share:.0%", "share:.1%"))[0]
    assert "inline code" in catalogs.markup_problems(msgid, good.replace("`code`", "code"))[0]
    assert "link targets" in catalogs.markup_problems(msgid, good.replace("methods.md", "methodes.md"))[0]


def test_problems_lists_untranslated_and_fuzzy_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    po = tmp_path / "a.po"
    po.write_text('msgid "One"\nmsgstr "Un"\n\nmsgid "Two"\nmsgstr ""\n\n#, fuzzy\nmsgid "Three"\nmsgstr "Trois"\n',
                  encoding="utf-8")
    found = list(catalogs.problems("fr", [po]))
    assert [(p.message, p.kind) for p in found] == [("Two", "untranslated"), ("Three", "fuzzy")]
    assert str(found[0]) == "a.po: untranslated: 'Two'"


def test_every_french_message_is_translated() -> None:
    todo = [str(p) for p in catalogs.problems("fr")]
    assert todo == [], f"{len(todo)} message(s) to translate (make catalogs lists them):\n" + "\n".join(todo[:20])


@pytest.mark.parametrize("path", catalogs.catalogs("fr"), ids=lambda p: str(p.relative_to(catalogs.ROOT)))
def test_every_translation_keeps_its_markup_and_french_typography(path: Path) -> None:
    bad = []
    for m in entries(path):
        if not m.string:
            continue
        bad += [f"{m.id[:60]!r}: {p}" for p in catalogs.markup_problems(m.id, m.string)]
        bad += [f"{m.id[:60]!r}: {p}" for p in catalogs.french_typography(m.string)]
    assert bad == [], "\n".join(bad[:20])


def test_every_computed_word_of_the_code_has_its_french() -> None:
    french = i18n.messages("fr")
    missing = [m.id for m in catalogs.computed_template() if m.id and m.id not in french]
    assert missing == [], f"{len(missing)} word(s) marked _() or tr() without French (make catalogs): {missing[:20]}"


@pytest.mark.integration
def test_the_prose_catalogs_are_in_step_with_the_english_text(tmp_path: Path) -> None:
    """Every message of the English pages and chapters today (Sphinx's gettext build) has its French."""
    templates = catalogs.sphinx_templates(tmp_path)
    missing = []
    pots = sorted(templates.rglob("*.pot"))
    assert len(pots) >= 20
    for pot in pots:
        po = catalogs.LOCALES / "fr" / "LC_MESSAGES" / pot.relative_to(templates).with_suffix(".po")
        translated = {m.id for m in entries(po) if m.string and not m.fuzzy} if po.exists() else set()
        missing += [f"{po.name}: {m.id[:70]!r}" for m in entries(pot) if m.id not in translated]
    assert missing == [], f"{len(missing)} English message(s) without French (run make catalogs):\n" + "\n".join(missing[:20])


def test_make_catalogs_merges_the_computed_words_into_one_catalog_and_keeps_runtime_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from babel.messages.catalog import Catalog

    template = Catalog()
    for word in ("Posts", "Reach", "New word"):
        template.add(word, locations=[("casebook/x.py", None)])
    monkeypatch.setattr(catalogs, "computed_template", lambda: template)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "casebook-a.po").write_text('msgid "Posts"\nmsgstr "Publications"\n\nmsgid "Cosmetics page"\n'
                                          'msgstr "Page de cosmétiques"\n', encoding="utf-8")
    (folder / "casebook-b.po").write_text('msgid "Reach"\nmsgstr "Portée"\n\nmsgid "Posts"\nmsgstr "Posts"\n',
                                          encoding="utf-8")
    try:
        conflicts = catalogs.update_computed(("fr",))
        assert sorted(p.name for p in folder.iterdir()) == ["casebook.po", "runtime.po"]
        main = {m.id: m.string for m in entries(folder / "casebook.po")}
        assert main == {"Posts": "Publications", "Reach": "Portée", "New word": ""}
        assert {m.id: m.string for m in entries(folder / "runtime.po")} == {"Cosmetics page": "Page de cosmétiques"}
        assert conflicts == ["casebook-b.po: 'Posts': 'Posts' (kept 'Publications')"]
        assert catalogs.update_computed(("fr",)) == []  # a second run changes nothing
        assert {m.id: m.string for m in entries(folder / "casebook.po")} == main
    finally:
        i18n.messages.cache_clear()
