"""The book build: which chapters execute, how outputs and records are stored, the execution table, and the
Sphinx extension's offline fixes. The executor is replaced by a stub (its own tests are in test_execute.py)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from casebook import execute
from casebook.build import book as build
from casebook.build import editions, sphinxext


def chapter(path: Path, *sources: str, prose: str = "# A chapter") -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(prose),
                                         *(nbformat.v4.new_code_cell(s) for s in sources)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def printed(nb: nbformat.NotebookNode, text: str) -> nbformat.NotebookNode:
    """``nb`` as the executor returns it: each code cell printed ``text``, with papermill's records."""
    run = nbformat.from_dict(nb)
    run.metadata["papermill"] = {"duration": 1.0}
    for i, cell in enumerate(c for c in run.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.execution_count = i + 1
        cell.metadata["papermill"] = {"duration": 0.5}
        cell.metadata["tags"] = []
    return run


EN = ("en",)


class FinishedBuild:
    """What :func:`build.launch_edition` returns, for a build that already ended with ``returncode``."""

    def __init__(self, returncode: int) -> None:
        self.returncode = returncode

    def wait(self) -> int:
        return self.returncode


def sites(monkeypatch: pytest.MonkeyPatch, book_dir: Path) -> list[tuple[str, bool]]:
    """Replace the site builds by a stub writing each edition's index page; the (language, --all) built."""
    built: list[tuple[str, bool]] = []

    def launch(lang: str, force_all: bool = False) -> FinishedBuild:
        built.append((lang, force_all))
        build.site_dir(lang).mkdir(parents=True, exist_ok=True)
        (build.site_dir(lang) / "index.html").write_text("<html></html>")
        return FinishedBuild(0)

    monkeypatch.setattr(build, "launch_edition", launch)
    return built


@pytest.fixture
def executor(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Replace the executor: every notebook prints 'out'; the paths executed are recorded."""
    calls: list[Path] = []

    def fake(path: Path, parameters: dict | None = None, **kwargs: object) -> execute.Executed:
        calls.append(path)
        run = printed(nbformat.read(path, as_version=4), "out\n")
        if parameters:  # what papermill does: a cell of its own after the parameters
            injected = nbformat.v4.new_code_cell(f"lang = {parameters['lang']!r}")
            injected.metadata["tags"] = ["injected-parameters"]
            run.cells.insert(1, injected)
            languages.append(parameters["lang"])
        return execute.Executed(run, 1.234)

    languages: list[str] = []

    monkeypatch.setattr(execute, "execute_notebook", fake)
    return calls


@pytest.fixture
def book_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A book folder with data/, casebook/ and notebooks/, and its _build/execution.json."""
    for name in ("data", "casebook", "notebooks"):
        (tmp_path / name).mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    (tmp_path / "casebook" / "m.py").write_text("X = 1\n")
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.setattr(build, "DATA", tmp_path / "data")
    monkeypatch.setattr(build, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(build, "BUILD", tmp_path / "_build")
    monkeypatch.setattr(build, "STATE", tmp_path / "_build" / "execution.json")
    return tmp_path


def test_the_books_chapters_are_found() -> None:
    assert any(p.name == "survey-evidence.ipynb" for p in build.chapters())


def test_inputs_fingerprint_follows_data_and_package(book_dir: Path) -> None:
    first = build.inputs_fingerprint()
    assert build.inputs_fingerprint() == first
    (book_dir / "data" / "a.csv").write_text("x\n2\n")
    second = build.inputs_fingerprint()
    assert second != first
    (book_dir / "casebook" / "m.py").write_text("X = 2\n")
    assert build.inputs_fingerprint() != second


def test_chapter_fingerprint_follows_code_not_prose_or_outputs(book_dir: Path) -> None:
    path = chapter(book_dir / "notebooks" / "c.ipynb", "x = 1")
    first = build.chapter_fingerprint(path, "inputs")
    assert build.chapter_fingerprint(path, "other inputs") != first
    chapter(path, "x = 1", prose="# Another title")
    assert build.chapter_fingerprint(path, "inputs") == first
    nbformat.write(printed(nbformat.read(path, as_version=4), "1\n"), path)
    assert build.chapter_fingerprint(path, "inputs") == first
    chapter(path, "x = 2")
    assert build.chapter_fingerprint(path, "inputs") != first


def test_build_executes_only_what_changed_and_stores_outputs_without_run_records(
    book_dir: Path, executor: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = sites(monkeypatch, book_dir)
    a = chapter(book_dir / "notebooks" / "a.ipynb", "print('a')")
    b = chapter(book_dir / "notebooks" / "b.ipynb", "print('b')")
    assert build.build_book(langs=EN) == 0
    assert sorted(executor) == [a, b] and len(built) == 1
    stored = nbformat.read(a, as_version=4)
    assert stored.cells[1].outputs[0]["text"] == "out\n"
    assert "papermill" not in stored.metadata and stored.cells[1].metadata == {}
    state = json.loads((book_dir / "_build" / "execution.json").read_text())
    assert state["a"]["status"] == "ok" and state["a"]["seconds"] == 1.23
    assert state["a"]["fingerprint"] == build.chapter_fingerprint(a, build.inputs_fingerprint())

    mtime = a.stat().st_mtime_ns
    assert build.build_book(langs=EN) == 0  # nothing changed: nothing executes, nor is the site built
    assert sorted(executor) == [a, b] and len(built) == 1
    chapter(b, "print('b')", prose="# New prose")  # prose only: no execution
    assert build.build_book(langs=EN) == 0 and sorted(executor) == [a, b]
    chapter(b, "print('b, edited')")
    assert build.build_book(langs=EN) == 0 and sorted(executor) == [a, b, b]
    (book_dir / "data" / "a.csv").write_text("x\n3\n")  # data changed: every chapter
    assert build.build_book(langs=EN) == 0 and sorted(executor[3:]) == [a, b]
    assert a.stat().st_mtime_ns == mtime  # same outputs: the file is not rewritten


def test_a_failing_chapter_stops_the_build_and_is_recorded(
    book_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def failing(path: Path, **kwargs: object) -> execute.Executed:
        raise PapermillExecutionError(1, 3, "1/0", "ZeroDivisionError", "division by zero\nmore", [])

    monkeypatch.setattr(execute, "execute_notebook", failing)
    monkeypatch.setattr(build, "launch_edition", lambda *a, **k: pytest.fail("the site must not be built"))
    path = chapter(book_dir / "notebooks" / "c.ipynb", "1/0")
    before = path.read_bytes()
    assert build.build_book(langs=EN) == 1
    assert capsys.readouterr().err.endswith(
        "make book: c.ipynb (en): cell 3 failed: ZeroDivisionError: division by zero\n")
    record = build.load_state()["c"]
    assert record["status"] == "failed" and "fingerprint" not in record
    assert build.stale([path], build.load_state(), build.inputs_fingerprint()) == [path]  # tried again next time
    assert path.read_bytes() == before
    assert build.main(["execute", str(path)]) == 1


def test_execute_command_runs_the_named_notebooks_even_when_up_to_date(book_dir: Path, executor: list[Path]) -> None:
    a = chapter(book_dir / "notebooks" / "a.ipynb", "print('a')")
    chapter(book_dir / "notebooks" / "b.ipynb", "print('b')")
    assert build.main(["execute", str(a)]) == 0
    assert build.main(["execute", str(a)]) == 0
    assert executor == [a, a]
    assert set(build.load_state()) == {"a"}


def test_records_of_concurrent_runs_are_merged(book_dir: Path) -> None:
    build.save_records({"a": {"status": "ok"}})
    build.save_records({"b": {"status": "failed"}})
    build.save_records({"a": {"status": "failed"}})
    assert build.load_state() == {"a": {"status": "failed"}, "b": {"status": "failed"}}
    assert [p.name for p in (book_dir / "_build").iterdir()] == ["execution.json"]  # no temporary file left
    (book_dir / "_build" / "execution.json").write_text("{truncated")
    assert build.load_state() == {}


def test_status_rows() -> None:
    state = {
        "a": {"executed_at": "2026-11-30T09:05:00+00:00", "seconds": 2.345, "status": "ok"},
        "b": {"executed_at": "2026-11-30T10:00:00+00:00", "seconds": None, "status": "failed",
              "error": "b.ipynb: cell 2 failed: KeyError: 'x'"},
    }
    rows = build.status_rows([Path("a.ipynb"), Path("b.ipynb"), Path("c.ipynb")], state)
    assert rows == [
        ("a", "2026-11-30 09:05 UTC", "2.3", "ran without error"),
        ("b", "2026-11-30 10:00 UTC", "", "failed: b.ipynb: cell 2 failed: KeyError: 'x'"),
        ("c", "not by this build", "", "stored outputs"),
    ]


def test_vega_bundle_is_rebuilt_only_when_its_inputs_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from casebook import charts

    writes: list[Path] = []
    monkeypatch.setattr(charts, "write_vega_bundle", lambda dest: writes.append(dest) or dest.write_text("js"))
    monkeypatch.setattr(sphinxext, "BUNDLE", tmp_path / "casebook-vega.js")
    monkeypatch.setattr(sphinxext, "BUNDLE_KEY", tmp_path / "build" / "casebook-vega.key")
    sphinxext._write_bundle(None)
    sphinxext._write_bundle(None)
    assert len(writes) == 1
    (tmp_path / "casebook-vega.js").unlink()
    sphinxext._write_bundle(None)
    assert len(writes) == 2
    monkeypatch.setattr(sphinxext, "version", lambda package: "99")
    sphinxext._write_bundle(None)
    assert len(writes) == 3


class _Script(str):
    def __new__(cls, filename, body=""):
        obj = super().__new__(cls, filename or "")
        obj.filename, obj.attributes = filename, {"body": body}
        return obj


def test_sphinxext_drops_thebe_scripts_only():
    context = {"script_files": [_Script("_static/casebook-vega.js"), _Script(None, 'const THEBE_JS_URL = "x"'),
                                _Script("_static/sphinx-thebe.js")]}
    sphinxext._drop_thebe(None, "p", "t", context, None)
    assert [s.filename for s in context["script_files"]] == ["_static/casebook-vega.js"]


def test_an_html_build_with_no_source_changed_is_not_run_again(
    book_dir: Path, executor: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = sites(monkeypatch, book_dir)
    (book_dir / "book").mkdir()
    page = book_dir / "book" / "intro.md"
    page.write_text("# Intro\n")
    a = chapter(book_dir / "notebooks" / "a.ipynb", "print('a')")
    assert build.build_book(langs=EN) == 0 and len(built) == 1
    assert build.build_book(langs=EN) == 0 and len(built) == 1  # nothing changed: no Sphinx run
    page.write_text("# Intro, edited\n")
    assert build.build_book(langs=EN) == 0 and len(built) == 2
    chapter(a, "print('a')", prose="# New prose")
    assert build.build_book(langs=EN) == 0 and len(built) == 3
    assert build.build_book(extra=["--all"], langs=EN) == 0 and len(built) == 4  # --all always builds
    (book_dir / "_build" / "html" / "index.html").unlink()
    assert build.build_book(langs=EN) == 0 and len(built) == 5  # the site is gone: built again


def test_the_french_edition_executes_each_chapter_again_in_french_and_builds_both_sites(
    book_dir: Path, executor: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = sites(monkeypatch, book_dir)
    a = chapter(book_dir / "notebooks" / "a.ipynb", "print('a')")
    english = a.read_bytes()
    assert build.build_book() == 0
    assert executor == [a, a] and sorted(built) == [("en", False), ("fr", False)]
    french = nbformat.read(book_dir / "_build" / "fr" / "src" / "notebooks" / "a.ipynb", as_version=4)
    injected = french.cells[1]
    assert injected.source == "lang = 'fr'" and injected.id == "injected-parameters"
    assert injected.metadata["tags"] == ["injected-parameters", "remove-cell"]
    assert [c.cell_type for c in french.cells] == ["markdown", "code", "code"]
    assert nbformat.read(a, as_version=4).cells[1].source == "print('a')"  # the chapter has no injected cell
    assert a.read_bytes() != english  # its English outputs are stored in it
    state = build.load_state()
    assert state["a"]["status"] == state["fr/a"]["status"] == "ok"

    catalogs = book_dir / "casebook" / "i18n" / "locales" / "fr"
    catalogs.mkdir(parents=True)
    (catalogs / "casebook.po").write_text('msgid "Posts"\nmsgstr "Publications"\n')
    del built[:]
    assert build.build_book() == 0 and executor == [a, a, a]  # a translation changed: French only
    assert build.load_state()["a"] == state["a"] and ("fr", False) in built
    (book_dir / "_build" / "fr" / "src" / "notebooks" / "a.ipynb").unlink()
    assert build.build_book() == 0 and executor == [a, a, a, a]  # the French copy is gone: run again
    del built[:]
    assert build.build_book() == 0 and executor == [a, a, a, a] and built == []  # nothing changed
    (book_dir / "book").mkdir()
    (book_dir / "book" / "locales" / "fr").mkdir(parents=True)
    (book_dir / "book" / "locales" / "fr" / "intro.po").write_text('msgid "Intro"\nmsgstr "Introduction"\n')
    assert build.build_book() == 0 and built == [("fr", False)]  # prose translated: the French site only


def test_the_french_source_links_to_the_books_files_but_holds_its_own_chapters(book_dir: Path) -> None:
    (book_dir / "_toc.yml").write_text("root: intro\n")
    (book_dir / ".git").mkdir()
    src = build.link_source("fr")
    assert src == book_dir / "_build" / "fr" / "src"
    assert (src / "_toc.yml").is_symlink() and (src / "_toc.yml").resolve() == (book_dir / "_toc.yml").resolve()
    assert (src / "notebooks").is_dir() and not (src / "notebooks").is_symlink()
    assert not (src / "_build").exists() and not (src / ".git").exists()
    assert build.link_source("fr") == src  # idempotent
    assert build.edition_source("en") == book_dir


def test_each_edition_has_its_language_catalogs_and_links_to_the_other() -> None:
    assert build.edition_overrides("en") == {"casebook_edition_links": True}
    fr = build.edition_overrides("fr")
    assert fr["language"] == "fr" and fr["gettext_compact"] is False
    assert fr["locale_dirs"] == [str(build.LOCALES)] and fr["html_title"] == build.TITLES["fr"]
    assert fr["html_theme_options"]["extra_footer"] == build.FOOTERS["fr"]
    assert build.site_dir("fr") == build.site_dir("en") / "fr"


def test_pages_link_to_the_same_page_in_the_other_language() -> None:
    assert editions.edition_links("notebooks/sncf", "en") == {"fr": "../fr/notebooks/sncf.html"}
    assert editions.edition_links("notebooks/sncf", "fr") == {"en": "../../notebooks/sncf.html"}
    assert editions.edition_links("index", "fr") == {"en": "../index.html"}
    assert editions.edition_links("book/workshop/volvo", "en") == {"fr": "../../fr/book/workshop/volvo.html"}


def test_glued_numbers_are_written_in_the_language_of_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(editions, "_glue_lang", "en")
    assert editions.glued_text("0.2784", ".1%") == "27.8%"
    assert editions.glued_text("12345", ",d") == "12,345"
    assert editions.glued_text("'Paid posts'", "s") == "Paid posts"
    monkeypatch.setattr(editions, "_glue_lang", "fr")
    assert editions.glued_text("0.2784", ".1%") == "27,8\u00a0%"
    assert editions.glued_text("12345", ",d") == "12\u202f345"
    assert editions.glued_text("3.14159", ".2f") == "3,14"
    assert editions.glued_text("2011", "s") == "2011"
    assert editions.glued_text("'Publications sponsorisées'", "s") == "Publications sponsorisées"
    assert editions.glued_text("nan", ".2f") == "NaN"


def test_a_translated_glossary_sorts_by_its_own_terms_accents_aside() -> None:
    terms = ["taux d’engagement", "écart", "Portée", "entonnoir", "abonné"]
    assert sorted(terms, key=editions.sort_key) == ["abonné", "écart", "entonnoir", "Portée", "taux d’engagement"]


def test_a_translated_message_finds_the_glued_values_of_its_chapter() -> None:
    from myst_nb.core.variables import RetrievalError

    class Settings:
        def __init__(self, docname: str) -> None:
            self.env = type("Env", (), {"docname": docname})()

    class Element:  # what myst-nb keeps on a notebook's document while parsing it
        renderer = type("R", (), {"nb_client": type("C", (), {"glue_data": {"k": {"data": {"text/plain": "0.5"}}}})()})()

    chapter_doc = {"nb_renderer": Element()}
    chapter = type("Doc", (dict,), {})(chapter_doc)
    chapter.settings = Settings("notebooks/x")
    assert editions.glue_data(chapter, "k").data == {"text/plain": "0.5"}
    translated = type("Doc", (dict,), {})()
    translated.settings = Settings("notebooks/x")
    assert editions.glue_data(translated, "k").data == {"text/plain": "0.5"}
    with pytest.raises(RetrievalError):
        editions.glue_data(translated, "missing")
    other = type("Doc", (dict,), {})()
    other.settings = Settings("notebooks/y")
    with pytest.raises(RetrievalError):
        editions.glue_data(other, "k")


def test_exercise_titles_are_found_for_translation() -> None:
    markdown = ("```{exercise-start} For analysts: a ride-sharing loop\n:label: ex-1\n```\nText.\n"
                "::::{exercise} Read the intervals\n::::\n```{solution-start} ex-1\n```\n")
    assert editions.exercise_titles(markdown) == ["For analysts: a ride-sharing loop", "Read the intervals"]
    from casebook import i18n

    with i18n.using("fr"):
        assert editions._("Read the intervals") == "Lire les intervalles"


def test_translated_nodes_are_handed_back_to_their_page() -> None:
    from docutils import nodes as dn
    from docutils.utils import new_document

    page, message = new_document("page"), new_document("message")
    page.settings.env = type("Env", (), {"config": type("C", (), {"language": "fr"})()})()
    para = dn.paragraph()
    page += para
    moved = dn.Text("portée")
    inline = dn.inline()
    inline += moved
    para += inline
    inline._document = message  # what a node parsed from a translated message keeps once moved here
    editions.AdoptTranslatedNodes(page).apply()
    assert inline._document is None and inline.document is page
