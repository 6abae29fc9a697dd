"""Unit tests of casebook.build.slides: which slides a chapter gets and the deck's HTML (no browser)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from casebook.build import slides
from casebook.build.kit import Box, Chapter, Exercise, Figure


def chapter(**changes) -> Chapter:
    base = Chapter(
        slug="demo", title="Demo & co", number=2,
        objectives=Box("Learning objectives", "<ul><li>aim</li></ul>"),
        takeaways=Box("Key takeaways", "<ul><li>lesson</li></ul>"),
        items=[Figure("fig-a", "Cadence", '<div class="casebook-chart" id="cb-chart-1"></div><script>draw()</script>',
                      '<span class="caption-number">Fig. 2.1 </span>Simulated weeks.'),
               Box("Fact check: a claim", "<p>Not so.</p>", "Cadence"),
               Figure("fig-b", "", '<div class="casebook-chart" id="cb-chart-2"></div>', "Fig. 2.2 Real posts.")],
        exercises=[Exercise("ex-demo-talk-1", "Exercise 2.1 (Read)", "<p>Which?</p>", "<p>That one.</p>",
                            ["fig-a", "fig-missing"]),
                   Exercise("ex-demo-talk-2", "Exercise 2.2", "<p>Why?</p>")],
        key_figures=["It had <strong>12</strong> posts."],
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def test_select_slides_follows_the_chapter():
    deck = slides.select_slides(chapter())
    assert [s.kind for s in deck] == ["title", "objectives", "chart", "fact-check", "chart", "key-figures",
                                      "takeaways", "exercise", "exercise"]
    assert [s.heading for s in deck][2:5] == ["Cadence", "Fact check: a claim", "Demo & co"]
    assert "Simulated data" in deck[2].body and "Simulated data" not in deck[4].body
    assert "<strong>12</strong>" in deck[5].body
    assert deck[7].heading == "No-code exercise · Exercise 2.1 (Read)"
    assert '<details class="cb-solution"><summary>Solution</summary><p>That one.</p></details>' in deck[7].body
    assert "details" not in deck[8].body  # no solution, nothing to fold
    soup = BeautifulSoup(deck[7].body, "html.parser")  # the chart it refers to, drawn again under a new id
    assert [c["id"] for c in soup.select(".cb-ex-figures .casebook-chart")] == ["cb-chart-1-x1"]
    assert soup.select_one(".cb-ex-figure .cb-caption").get_text() == "Fig. 2.1"
    assert "cb-ex-figures" not in deck[8].body


def test_copy_chart_renames_the_element_its_script_draws_into():
    chart = slides.kit.Figure("f", "", '<div class="casebook-chart" id="cb-chart-ab-1"></div>'
                              '<script>var el=document.getElementById("cb-chart-ab-1");</script>', "")
    assert slides.copy_chart(chart, "x2") == ('<div class="casebook-chart" id="cb-chart-ab-1-x2"></div>'
                                              '<script>var el=document.getElementById("cb-chart-ab-1-x2");</script>')


def test_select_slides_leaves_out_what_the_chapter_lacks():
    deck = slides.select_slides(chapter(objectives=None, takeaways=None, items=[], exercises=[], key_figures=[]))
    assert [s.kind for s in deck] == ["title"]
    assert "Chapter 2" in deck[0].body and "Demo &amp; co" in deck[0].body


def test_density_grows_with_text_and_spares_charts():
    assert slides.Slide("takeaways", "T", "<p>short</p>").density == ""
    assert slides.Slide("takeaways", "T", f"<p>{'word ' * 220}</p>").density == "cb-dense"
    assert slides.Slide("takeaways", "T", f"<p>{'word ' * 340}</p>").density == "cb-very-dense"
    assert slides.Slide("chart", "T", f"<p>{'word ' * 340}</p>").density == ""


def test_render_slide_escapes_the_heading():
    html = slides.render_slide(slides.Slide("fact-check", "Fact check: <b>", "<p>x</p>"))
    assert html == ('<section class="cb-fact-check" data-kind="fact-check"><h2>Fact check: &lt;b&gt;</h2>'
                    '<div class="cb-body"><p>x</p></div></section>')


def test_deck_html_loads_only_its_assets_folder():
    doc = slides.deck_html(chapter(), slides.select_slides(chapter()))
    soup = BeautifulSoup(doc, "html.parser")
    refs = [el.get("src") or el.get("href") for el in soup.find_all(["script", "link"]) if el.get("src") or el.get("href")]
    assert refs == ["assets/reveal.css", "assets/white.css", "assets/slides.css", "assets/casebook-vega.js",
                    "assets/reveal.js"]
    assert len(soup.select("div.reveal > div.slides > section")) == 9
    assert soup.title.string == "Chapter 2: Demo & co · workshop slides"
    assert "Reveal.initialize(" in doc and not re.search(r"(src|href)=\"(https?:)?//", doc)


def test_write_assets_copies_reveal_and_the_bundle(tmp_path):
    vega = tmp_path / "casebook-vega.js"
    vega.write_text("/* vega */", encoding="utf-8")
    out = slides.write_assets(tmp_path / "assets", vega)
    for name in ("reveal.js", "reveal.css", "white.css", "slides.css", "casebook-vega.js", "reveal-LICENSE"):
        assert (out / name).is_file(), name
    assert (out / "fonts" / "source-sans-pro" / "source-sans-pro.css").is_file()
    assert "reveal.js 5." in (out / "reveal.js").read_text(encoding="utf-8")[:200]
    for css in out.rglob("*.css"):  # every stylesheet loads local files only
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"(@import|url\()\s*['\"]?(https?:)?//", text), css


def test_build_writes_a_deck_per_chapter(tmp_path, monkeypatch):
    def fake_parts(notebook, slug, workdir):
        bundle = workdir / "html" / "_static" / "casebook-vega.js"
        bundle.parent.mkdir(parents=True)
        bundle.write_text("/* vega */", encoding="utf-8")
        return chapter(slug=slug)

    def fake_chapter_of(slug, workdir, lang="en"):
        chapter = fake_parts({}, slug, workdir)
        chapter.lang = lang
        return chapter

    monkeypatch.setattr(slides.kit, "chapter_of", fake_chapter_of)
    paths = slides.build(["one", "two"], tmp_path)
    assert paths == [tmp_path / "one.html", tmp_path / "two.html", tmp_path / "fr" / "one.html",
                     tmp_path / "fr" / "two.html"]
    assert (tmp_path / "assets" / "casebook-vega.js").read_text(encoding="utf-8") == "/* vega */"
    assert not (tmp_path / "fr" / "assets").exists()  # the French decks share the English ones' assets
    french = BeautifulSoup((tmp_path / "fr" / "one.html").read_text(encoding="utf-8"), "html.parser")
    assert french.html["lang"] == "fr" and french.find("script", src=True)["src"] == "../assets/casebook-vega.js"
    assert BeautifulSoup((tmp_path / "one.html").read_text(encoding="utf-8"), "html.parser").html["lang"] == "en"
    assert slides.main(["one", "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "one.html").is_file() and (tmp_path / "again" / "fr" / "one.html").is_file()
    assert slides.main(["one", "--lang", "fr", "--out", str(tmp_path / "fr-only")]) == 0
    assert [p.relative_to(tmp_path / "fr-only").as_posix() for p in (tmp_path / "fr-only").rglob("*.html")] == [
        "fr/one.html"]


def test_a_chart_slide_says_illustration_where_the_chapter_does():
    figure = Figure("f", "Score", '<div class="casebook-chart" id="cb-chart-9"></div>', "An illustration of answers.")
    deck = slides.select_slides(chapter(items=[figure]))
    assert '<p class="cb-simulated-tag">Illustration, not a measurement</p>' in deck[2].body


def test_a_french_deck_says_everything_in_french():
    nb, nnb = "\u00a0", "\u202f"
    french = chapter(lang="fr", title=f"Démo{nb}: le cas", key_figures=[f"Il comptait <strong>1{nnb}234</strong>."])
    deck = slides.select_slides(french)
    assert "Chapitre 2" in deck[0].body and "Les réseaux sociaux en cas pratiques" in deck[0].body
    assert "Diapositives de l’atelier" in deck[0].body and "Workshop" not in deck[0].body
    assert "Données simulées" in deck[2].body
    assert deck[5].heading == "Chiffres clés" and f"1{nnb}234" in deck[5].body
    assert deck[7].heading == "Exercice sans code · Exercise 2.1 (Read)"
    assert "<summary>Solution</summary>" in deck[7].body
    doc = slides.deck_html(french, deck, "../assets")
    soup = BeautifulSoup(doc, "html.parser")
    assert soup.html["lang"] == "fr"
    assert soup.title.string == f"Chapitre 2{nb}: Démo{nb}: le cas · diapositives de l’atelier"
    assert {el.get("src") or el.get("href") for el in soup.find_all(["script", "link"])} - {None} == {
        "../assets/reveal.css", "../assets/white.css", "../assets/slides.css", "../assets/casebook-vega.js",
        "../assets/reveal.js"}
    illustration = Figure("f", "Score", '<div class="casebook-chart" id="cb-chart-9"></div>', "Une illustration.")
    assert "Illustration, pas une mesure" in slides.select_slides(chapter(lang="fr", items=[illustration]))[2].body
    assert slides.i18n.current() == "en"  # the deck's language does not leak


def test_out_dir_puts_a_translation_in_its_folder(tmp_path):
    assert slides.out_dir(tmp_path, "en") == tmp_path and slides.out_dir(tmp_path, "fr") == tmp_path / "fr"
