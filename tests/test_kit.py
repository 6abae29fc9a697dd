"""Unit tests of casebook.build.kit: what slides and handouts read from a chapter (no browser, no Sphinx)."""

from __future__ import annotations

import pytest

from casebook.build import kit

RECORD = "application/papermill.record/"


def glue_output(name: str, value: object) -> dict:
    """A stored output as ``book.glue`` leaves it in an executed notebook."""
    return {"output_type": "display_data", "data": {RECORD + "text/plain": repr(value)},
            "metadata": {"scrapbook": {"name": name, "mime_prefix": RECORD}}}


def notebook(*markdown: str, glued: dict | None = None) -> dict:
    cells = [{"id": f"md{i}", "cell_type": "markdown", "metadata": {}, "source": text} for i, text in enumerate(markdown)]
    outputs = [glue_output(k, v) for k, v in (glued or {}).items()]
    cells.append({"id": "glue", "cell_type": "code", "metadata": {}, "source": "", "outputs": outputs,
                  "execution_count": 1})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


PAGE = """<html><body><article>
<section id="chapter"><h1><span class="section-number">3. </span>The chapter<a class="headerlink" href="#chapter">#</a></h1>
<div class="tip admonition"><p class="admonition-title">Learning objectives</p><ul><li><p>read a chart</p></li></ul></div>
<section id="s1"><h2><span class="section-number">3.1. </span>First part<a class="headerlink" href="#s1">#</a></h2>
<figure class="align-default" id="fig-one"><div class="output text_html"><div class="casebook-chart" id="cb-chart-1"></div>
<script>draw(1)</script></div><figcaption><p><span class="caption-number">Fig. 3.1 </span>Simulated posts per week
<a class="reference internal" href="#x">link</a>.</p></figcaption></figure>
<div class="fact-check admonition"><p class="admonition-title">Fact check: the claim</p><p id="p1">It was <em>not</em> so.</p></div>
</section>
<section id="s2"><h2>Second part</h2>
<figure id="fig-two"><div class="output text_html"><div class="casebook-chart" id="cb-chart-2"></div><script>draw(2)</script></div>
<figcaption><p><span class="caption-number">Fig. 3.2 </span>Real posts.</p></figcaption></figure>
<figure id="fig-picture"><img src="x.png"><figcaption><p>Not a chart.</p></figcaption></figure>
</section>
<section id="ex"><h2>Exercises</h2>
<div class="exercise no-code admonition" id="ex-chapter-talk-1"><p class="admonition-title"><span class="caption-number">Exercise 3.1 </span>(Read it)</p>
<section id="exercise-content"><p>In <a class="reference internal" href="#fig-one"><span class="std std-numref">Fig. 3.1</span></a>,
which week was busiest?</p></section></div>
<div class="solution dropdown admonition" id="chapter-solution-2"><p class="admonition-title">Solution to<a class="reference internal" href="#ex-chapter-talk-1"> Exercise 3.1</a></p>
<section id="solution-content"><p>Week <span class="pasted-text">12</span>.</p></section></div>
<div class="exercise analyst admonition" id="ex-chapter-1"><p class="admonition-title">Exercise 3.2 (For analysts)</p>
<section id="exercise-content"><p>Compute it.</p></section></div>
</section>
<div class="important admonition"><p class="admonition-title">Key takeaways</p><ul><li><p>Post often.</p></li></ul></div>
</section></article></body></html>"""


def test_format_glued_formats_as_the_page_does():
    assert kit.format_glued(0.21349, ".1%") == "21.3%"
    assert kit.format_glued(1988, ",d") == "1,988"
    assert kit.format_glued(1988.0, ",d") == "1,988"
    assert kit.format_glued(5.06, ".0f") == "5"
    assert kit.format_glued("a page", "s") == "a page"


def test_inline_html_formats_glued_numbers_and_drops_citations():
    text = "Of {glue:text}`n:,d` people {cite:p}`seed001`, {glue:text}`share:.0%` said yes."
    assert kit.inline_html(text, {"n": 1988, "share": 0.214}) == (
        "Of <strong>1,988</strong> people, <strong>21%</strong> said yes.")


def test_inline_html_roles_code_and_emphasis():
    out = kit.inline_html("On *{glue:text}`page`* the {term}`RFM <recency>` and {term}`reach` of `er_q1` "
                          "are **high**, see [the note](https://example.org).", {"page": "A <b> page"})
    assert out == ("On <em><strong>A &lt;b&gt; page</strong></em> the RFM and reach of <code>er_q1</code> are "
                   "<strong>high</strong>, see the note.")


def test_inline_html_escapes_text():
    assert kit.inline_html("a < b & {glue:text}`x`", {"x": "<script>"}) == (
        "a &lt; b &amp; <strong>&lt;script&gt;</strong>")


def test_inline_html_refuses_a_name_not_glued():
    with pytest.raises(KeyError, match="'missing'"):
        kit.inline_html("{glue:text}`missing:.1%`", {})


def test_analysis_sections_leave_out_blocks_and_the_closing_sections():
    nb = notebook(
        "# Title\n\nIntro before any section.",
        "## The case\n\nFirst paragraph.\nSame paragraph.\n\n- a list item\n\n"
        ":::{admonition} Fact check\n:class: fact-check\nNot prose.\n:::\n\n```{glue:figure} fig\nCaption.\n```",
        "(label-next)=\n## Next\n\nIts paragraph.",
        "## Try it on your brand\n\nRun it.",
        "## Exercises\n\nDo it.",
    )
    assert kit.analysis_sections(nb) == [("The case", ["First paragraph. Same paragraph."]),
                                         ("Next", ["Its paragraph."])]


def test_key_figures_take_sections_in_turn_with_numbers_from_the_notebook():
    nb = notebook(
        "## One\n\nA has {glue:text}`a:d` posts. B has {glue:text}`b:d`. No number here. C has {glue:text}`c:d`.",
        "## Two\n\nD is {glue:text}`d:.1%`.",
        "## Exercises\n\nE is {glue:text}`e:d`.",
        glued={"a": 1, "b": 2, "c": 3, "d": 0.5, "e": 9},
    )
    assert kit.key_figures(nb, limit=3) == [
        "A has <strong>1</strong> posts.", "B has <strong>2</strong>.", "D is <strong>50.0%</strong>."]
    assert len(kit.key_figures(nb)) == 4  # the exercise's number is not a key figure


def test_key_figures_mark_sentences_of_simulated_or_illustrative_sections():
    nb = notebook("## Silence\n\nIt left {glue:text}`w:d` weeks empty. The simulated page had {glue:text}`w:d`.",
                  "## Score\n\nThe score is {glue:text}`w:d`.", glued={"w": 33})
    marked, said, score = kit.key_figures(nb, notes={"Silence": "simulated", "Score": "illustration"})
    assert marked.endswith('<span class="cb-simulated">(simulated)</span>')
    assert "cb-simulated" not in said
    assert score == 'The score is <strong>33</strong>. <span class="cb-simulated">(illustration)</span>'


def test_page_parts_reads_the_chapter_in_order():
    chapter = kit.page_parts(PAGE, "chapter", 3)
    assert (chapter.title, chapter.kicker) == ("The chapter", "Chapter 3")
    assert "read a chart" in chapter.objectives.body and "admonition-title" not in chapter.objectives.body
    assert chapter.takeaways.title == "Key takeaways" and "Post often." in chapter.takeaways.body
    assert [type(i).__name__ for i in chapter.items] == ["Figure", "Box", "Figure"]
    one, two = chapter.figures
    assert (one.label, one.section, two.section) == ("fig-one", "First part", "Second part")
    assert one.chart.startswith('<div class="casebook-chart" id="cb-chart-1"></div>') and "draw(1)" in one.chart
    assert one.simulated and not two.simulated
    assert (one.note, two.note) == ("simulated", "")
    assert kit.Figure("f", "", "", "An illustration, not a measurement.").note == "illustration"
    assert "<a" not in one.caption and "link" in one.caption and "Fig. 3.1" in one.caption
    assert chapter.fact_checks[0].title == "Fact check: the claim"
    assert 'id="p1"' not in chapter.fact_checks[0].body
    [exercise] = chapter.exercises  # the analysts' exercise is not a no-code one
    assert (exercise.label, exercise.title) == ("ex-chapter-talk-1", "Exercise 3.1 (Read it)")
    assert exercise.body == '<p>In <span class="std std-numref">Fig. 3.1</span>,\nwhich week was busiest?</p>'
    assert exercise.figures == ["fig-one"] and chapter.figure("fig-one") is one and chapter.figure("nope") is None
    assert "12" in exercise.solution


def test_page_parts_follows_overrides(monkeypatch):
    monkeypatch.setitem(kit.OVERRIDES, "chapter", {"skip": ["fig-two", "Fact check: the claim"]})
    chapter = kit.page_parts(PAGE, "chapter")
    assert [f.label for f in chapter.figures] == ["fig-one"] and chapter.fact_checks == []
    assert chapter.kicker == "Chapter"


def test_clean_unwraps_links_and_drops_heading_signs_and_code_input():
    html = ('<div id="x"><h2>T<a class="headerlink" href="#t">#</a></h2><a href="https://example.org">site</a>'
            '<div class="cell_input">code</div><div class="casebook-chart" id="cb-1"></div></div>')
    assert kit.clean(html) == '<div><h2>T</h2>site<div class="casebook-chart" id="cb-1"></div></div>'


def test_write_atomically_replaces_the_file(tmp_path):
    path = tmp_path / "deck.html"
    path.write_text("old", encoding="utf-8")
    kit.write_atomically(path, "new")
    assert path.read_text(encoding="utf-8") == "new" and list(tmp_path.iterdir()) == [path]


def test_vega_bundle_prefers_the_page_builds(tmp_path):
    built = tmp_path / "html" / "_static" / "casebook-vega.js"
    built.parent.mkdir(parents=True)
    built.write_text("/* bundle */", encoding="utf-8")
    assert kit.vega_bundle(tmp_path) == built


def test_load_notebook_and_slugs():
    assert "survey-evidence" in kit.slugs()
    assert kit.load_notebook("survey-evidence")["cells"]


def test_chapter_parts_renders_the_notebook_with_the_books_pipeline(tmp_path):
    nb = notebook(
        "# A small chapter\n\n:::{admonition} Learning objectives\n:class: tip\n- one aim\n:::",
        "## The case\n\nIt had {glue:text}`n:,d` posts.",
        "## Exercises\n\n```{exercise-start}\n:label: ex-small-talk-1\n:class: no-code\n```\nRead the chart.\n"
        "```{exercise-end}\n```\n\n```{solution-start} ex-small-talk-1\n:class: dropdown\n```\nWeek 3.\n"
        "```{solution-end}\n```",
        ":::{admonition} Key takeaways\n:class: important\n- one lesson\n:::",
        glued={"n": 1234},
    )
    nb["metadata"] = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    chapter = kit.chapter_parts(nb, "small", tmp_path)
    assert chapter.title == "A small chapter" and chapter.number is None
    assert "one aim" in chapter.objectives.body and "one lesson" in chapter.takeaways.body
    assert [(e.label, e.body, e.solution) for e in chapter.exercises] == [
        ("ex-small-talk-1", "<p>Read the chart.</p>", "<p>Week 3.</p>")]
    assert chapter.key_figures == ["It had <strong>1,234</strong> posts."]


def test_chapter_of_names_the_notebook_whose_outputs_are_stale(monkeypatch, tmp_path):
    nb = notebook("# T", "## The case\n\nIt had {glue:text}`gone:d` posts.")
    monkeypatch.setattr(kit, "load_notebook", lambda slug, lang="en": nb)
    monkeypatch.setattr("casebook.build.report.build_page",
                        lambda notebook, slug, workdir, lang="en": (tmp_path / "p.html", ""))
    (tmp_path / "p.html").write_text("<article><h1>T</h1></article>", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"^notebooks/demo.ipynb: \{glue\} 'gone' is quoted in the prose but not "
                                         r"glued in the notebook; re-execute the chapter$"):
        kit.chapter_of("demo", tmp_path)


def test_command_gives_the_builder_the_chapters_and_the_resolved_folder(tmp_path, monkeypatch):
    calls = []
    monkeypatch.chdir(tmp_path)
    record = lambda slugs, out, langs: calls.append((slugs, out, langs))  # noqa: E731
    assert kit.command(record, "slides", tmp_path / "d", []) == 0
    assert kit.command(record, "slides", tmp_path / "d", ["sncf", "volvo", "--out", "here"]) == 0
    assert kit.command(record, "slides", tmp_path / "d", ["--lang", "fr"]) == 0
    assert calls == [(None, tmp_path / "d", ("en", "fr")), (["sncf", "volvo"], tmp_path / "here", ("en", "fr")),
                     (None, tmp_path / "d", ("fr",))]
    with pytest.raises(SystemExit):
        kit.command(record, "slides", tmp_path / "d", ["--lang", "de"])


# ---------------------------------------------------------------------------------------------------
# French

NB, NNB = "\u00a0", "\u202f"

PAGE_FR = f"""<html><body><article>
<section id="chapter"><h1><span class="section-number">3. </span>SNCF{NB}: le chapitre<a class="headerlink" href="#chapter">#</a></h1>
<div class="tip admonition"><p class="admonition-title">Objectifs pédagogiques</p><ul><li><p>lire un graphique</p></li></ul></div>
<section id="s1"><h2><span class="section-number">3.1. </span>Quelle hypothèse compte le plus{NNB}?<a class="headerlink" href="#s1">#</a></h2>
<figure id="fig-one"><div class="output text_html"><div class="casebook-chart" id="cb-chart-1"></div><script>draw(1)</script></div>
<figcaption><p><span class="caption-number">Fig. 3.1 </span>Simulé{NB}: les réservations.</p></figcaption></figure>
<div class="fact-check admonition"><p class="admonition-title">Vérification des faits{NB}: l’article</p><p>Non.</p></div>
</section>
<section id="s2"><h2>Des pages simulées</h2>
<figure id="fig-two"><div class="casebook-chart" id="cb-chart-2"></div><figcaption><p>Pages simulées.</p></figcaption></figure>
<figure id="fig-three"><div class="casebook-chart" id="cb-chart-3"></div><figcaption><p>Une illustration.</p></figcaption></figure>
<figure id="fig-four"><div class="casebook-chart" id="cb-chart-4"></div><figcaption><p>Des publications réelles.</p></figcaption></figure>
</section>
<div class="important admonition"><p class="admonition-title">À retenir</p><ul><li><p>Publier souvent.</p></li></ul></div>
</section></article></body></html>"""


def test_page_parts_reads_a_french_page():
    chapter = kit.page_parts(PAGE_FR, "chapter", 3, "fr")
    assert (chapter.title, chapter.kicker, chapter.lang) == (f"SNCF{NB}: le chapitre", "Chapitre 3", "fr")
    assert "lire un graphique" in chapter.objectives.body and chapter.objectives.title == "Objectifs pédagogiques"
    assert chapter.takeaways.title == "À retenir" and "Publier souvent." in chapter.takeaways.body
    assert [f.note for f in chapter.figures] == ["simulated", "simulated", "illustration", ""]
    assert chapter.figures[0].section == f"Quelle hypothèse compte le plus{NNB}?"
    assert chapter.fact_checks[0].title == f"Vérification des faits{NB}: l’article"
    assert kit.page_parts(PAGE_FR, "chapter", None, "fr").kicker == "Chapitre"
    assert kit.page_parts(PAGE, "chapter", 3, "en").kicker == "Chapter 3"  # the English page stays English


def test_says_reads_both_languages():
    assert kit.says("Simulé : x", "simulated") and kit.says("les tirages simulés", "simulated")
    assert kit.says("A simulation", "simulated") and not kit.says("Similar", "simulated")
    assert kit.says("Une illustration", "illustration") and not kit.says("Une mesure", "illustration")


def test_format_glued_writes_french_numbers():
    assert kit.format_glued(0.21349, ".1%", "fr") == f"21,3{NB}%"
    assert kit.format_glued(1988, ",d", "fr") == f"1{NNB}988"
    assert kit.format_glued(1988.0, ",d", "fr") == f"1{NNB}988"
    assert kit.format_glued(5.06, ".2f", "fr") == "5,06"
    assert kit.format_glued(2011, "", "fr") == "2011"
    assert kit.format_glued("une page", "s", "fr") == "une page"
    assert kit.format_glued(None, ".1f", "fr") == "NaN"


def test_inline_html_in_french_keeps_no_break_spaces():
    text = f"Sur {{glue:text}}`n:,d` personnes {{cite:p}}`seed001`{NB}: {{glue:text}}`share:.0%` disent oui{NNB}!"
    assert kit.inline_html(text, {"n": 1988, "share": 0.214}, "fr") == (
        f"Sur <strong>1{NNB}988</strong> personnes{NB}: <strong>21{NB}%</strong> disent oui{NNB}!")
    assert kit.inline_html("Note {cite:p}`k`.", {}, "fr") == "Note."


def test_sentences_split_french_prose():
    text = (f"Le taux est {{glue:text}}`a:.1%`. « Oui{NB}», dit-elle. Est-ce vrai{NNB}? "
            "Évidemment. À la fin, c’est ça. fin")
    assert kit.sentences(text, "fr") == [
        "Le taux est {glue:text}`a:.1%`.", f"« Oui{NB}», dit-elle.", f"Est-ce vrai{NNB}?", "Évidemment.",
        "À la fin, c’est ça. fin"]
    assert kit.sentences("It is 5. Évidemment.") == ["It is 5. Évidemment."]  # English splits as it did


def test_key_figures_in_french_translate_each_paragraph_and_format_its_numbers():
    nb = notebook(
        "## The case: a page\n\nThe page had {glue:text}`n:,d` posts.\nIt grew {glue:text}`g:.1%`.",
        "## Silence\n\nIt left {glue:text}`w:d` weeks empty.",
        "## Not translated\n\nIt is {glue:text}`x:.2f`.",
        glued={"n": 12345, "g": 0.278, "w": 33, "x": 2.5},
    )
    translations = {
        "The case: a page": f"Le cas{NB}: une page",
        "The page had {glue:text}`n:,d` posts. It grew {glue:text}`g:.1%`.":
            f"La page comptait {{glue:text}}`n:,d` publications. Elle a progressé de {{glue:text}}`g:.1%`{NNB}!",
        "Silence": "Le silence",
        "It left {glue:text}`w:d` weeks empty.": "Elle a laissé {glue:text}`w:d` semaines vides.",
    }
    notes = {f"Le cas{NB}: une page": "simulated", "Silence": "illustration"}  # page headings, or English ones
    out = kit.key_figures(nb, notes=notes, lang="fr", translations=translations)
    assert out == [
        f'La page comptait <strong>12{NNB}345</strong> publications. <span class="cb-simulated">(simulé)</span>',
        f'Elle a progressé de <strong>27,8{NB}%</strong>{NNB}! <span class="cb-simulated">(simulé)</span>',
        "Elle a laissé <strong>33</strong> semaines vides. <span class=\"cb-simulated\">(illustration)</span>",
        "It is <strong>2,50</strong>.",  # no translation yet: the English sentence, the French number
    ]


def test_prose_catalog_reads_the_chapters_french_catalog():
    assert kit.prose_catalog("sncf", "en") == {} and kit.prose_catalog("no-such-chapter", "fr") == {}
    catalog = kit.prose_catalog("sncf", "fr")
    assert catalog["Key takeaways"] == "À retenir"
    paragraphs = [p for _, paras in kit.analysis_sections(kit.load_notebook("sncf")) for p in paras]
    assert paragraphs and all(p in catalog for p in paragraphs)  # msgids are the paragraphs, lines joined


def test_notebook_path_per_language():
    assert kit.notebook_path("sncf") == kit.ROOT / "notebooks" / "sncf.ipynb"
    assert kit.notebook_path("sncf", "fr") == kit.ROOT / "_build" / "fr" / "src" / "notebooks" / "sncf.ipynb"


def test_load_notebook_says_when_the_french_run_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(kit, "notebook_path", lambda slug, lang="en": tmp_path / "gone.ipynb")
    with pytest.raises(SystemExit, match="make site-build"):
        kit.load_notebook("sncf", "fr")


def test_chapter_kicker_follows_its_own_language_not_the_current_one():
    from casebook import i18n

    with i18n.using("fr"):
        assert kit.Chapter("s", "T", 2).kicker == "Chapter 2"
    assert kit.Chapter("s", "T", 2, lang="fr").kicker == "Chapitre 2"
    with pytest.raises(ValueError):
        kit.Chapter("s", "T", lang="de")
