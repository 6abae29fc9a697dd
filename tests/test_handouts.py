"""Unit tests of casebook.build.handouts: the handout's parts and HTML (no browser)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from casebook.build import handouts
from tests.test_slides import chapter


def test_main_chart_is_the_first_unless_overridden(monkeypatch):
    assert handouts.main_chart(chapter()).label == "fig-a"
    monkeypatch.setitem(handouts.kit.OVERRIDES, "demo", {"main_chart": "fig-b"})
    assert handouts.main_chart(chapter()).label == "fig-b"
    assert handouts.main_chart(chapter(items=[])) is None


def test_exercise_sheet_has_room_to_answer_and_no_solution():
    sheet = handouts.exercise_sheet(chapter(), lines=3)
    soup = BeautifulSoup(sheet, "html.parser")
    assert [h.get_text() for h in soup.find_all("h3")] == ["Exercise 2.1 (Read)", "Exercise 2.2"]
    assert len(soup.select(".cb-line")) == 6
    assert "That one." not in sheet and "Which?" in sheet
    assert handouts.exercise_sheet(chapter(exercises=[])) == ""


def test_handout_html_holds_title_figures_chart_takeaways_and_sheet():
    doc = handouts.handout_html(chapter(key_figures=[f"F{i} <strong>{i}</strong>." for i in range(6)]),
                                key_sentences=4)
    soup = BeautifulSoup(doc, "html.parser")
    assert soup.h1.get_text() == "Demo & co"
    assert [li.get_text() for li in soup.select(".cb-key-figures li")] == ["F0 0.", "F1 1.", "F2 2.", "F3 3."]
    assert [f.select_one(".casebook-chart")["id"] for f in soup.find_all("figure")] == ["cb-chart-1"]
    assert "Simulated data" in soup.figure.get_text()
    assert "lesson" in soup.select_one(".cb-takeaways").get_text()
    front, sheet = soup.select("section.cb-page")
    assert "cb-front" in front["class"] and "cb-sheet" in sheet["class"]
    assert [s["src"] for s in soup.find_all("script", src=True)] == ["assets/casebook-vega.js"]
    assert not re.search(r"(src|href)=\"(https?:)?//", doc)


def test_handout_without_exercises_is_one_part():
    soup = BeautifulSoup(handouts.handout_html(chapter(exercises=[])), "html.parser")
    assert len(soup.select("section.cb-page")) == 1


def test_build_prints_every_handout(tmp_path, monkeypatch):
    def fake_parts(notebook, slug, workdir):
        bundle = workdir / "html" / "_static" / "casebook-vega.js"
        bundle.parent.mkdir(parents=True)
        bundle.write_text("/* vega */", encoding="utf-8")
        return chapter(slug=slug)

    printed = []
    def fake_chapter_of(slug, workdir, lang="en"):
        chapter = fake_parts({}, slug, workdir)
        chapter.lang = lang
        return chapter

    monkeypatch.setattr(handouts.kit, "chapter_of", fake_chapter_of)
    monkeypatch.setattr(handouts, "print_pdfs", lambda pages: printed.extend(pages) or [p for _, p in pages])
    assert handouts.build(["one"], tmp_path) == [tmp_path / "one.pdf", tmp_path / "fr" / "one.pdf"]
    assert printed == [(tmp_path / "one.html", tmp_path / "one.pdf"),
                       (tmp_path / "fr" / "one.html", tmp_path / "fr" / "one.pdf")]
    assert (tmp_path / "assets" / "casebook-vega.js").is_file() and not (tmp_path / "fr" / "assets").exists()
    french = BeautifulSoup((tmp_path / "fr" / "one.html").read_text(encoding="utf-8"), "html.parser")
    assert french.html["lang"] == "fr" and french.find("script", src=True)["src"] == "../assets/casebook-vega.js"
    assert handouts.main(["one", "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "one.html").is_file() and (tmp_path / "again" / "fr" / "one.html").is_file()
    printed.clear()
    assert handouts.main(["one", "--lang", "en", "--out", str(tmp_path / "en-only")]) == 0
    assert printed == [(tmp_path / "en-only" / "one.html", tmp_path / "en-only" / "one.pdf")]


def test_a_french_handout_says_everything_in_french():
    nb, nnb = "\u00a0", "\u202f"
    doc = handouts.handout_html(chapter(lang="fr", key_figures=[f"Il comptait <strong>1{nnb}234</strong>."]),
                                "../assets")
    soup = BeautifulSoup(doc, "html.parser")
    assert soup.html["lang"] == "fr" and soup.title.string == f"Chapitre 2{nb}: Demo & co · fiche de synthèse"
    assert soup.select_one(".cb-kicker").get_text() == "Les réseaux sociaux en cas pratiques · Chapitre 2 · fiche de synthèse"
    assert [h.get_text() for h in soup.select(".cb-front h2")] == ["Chiffres clés", "Key takeaways"]
    assert "Données simulées" in soup.figure.get_text()
    assert "Chaque chiffre de cette fiche" in soup.select_one(".cb-foot").get_text()
    sheet = soup.select_one(".cb-sheet")
    assert sheet.select_one(".cb-kicker").get_text() == "Chapitre 2 · fiche d’exercices"
    assert sheet.h2.get_text() == f"Exercices sans code{nb}: Demo & co" and "nul besoin d’ordinateur" in sheet.get_text()
    assert not re.search(r"(src|href)=\"(https?:)?//", doc)
    english = BeautifulSoup(handouts.handout_html(chapter()), "html.parser")
    assert english.html["lang"] == "en" and english.select_one(".cb-foot").get_text() == (
        "Every number here is computed by the chapter's notebook; the chapter gives the sources.")
