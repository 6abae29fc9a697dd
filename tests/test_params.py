"""Chapter parameters read from the notebooks' parameters cells, and -p values checked by type."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import nbformat
import pytest

from casebook.cli import params
from casebook.errors import ParameterError
from casebook.paths import NOTEBOOKS

CELL = """# Parameters of this chapter
confidence: "Level" = 0.95  # confidence level, strictly between 0 and 1
brand: "Text" = "Acme"  # display name
shares: "list[Share]" = [0, 0.25,
          1]  # shares of the gain
answers: "dict[str, Choice[yes, partly, no]]" = {"budget": "no", "owner": "no"}
flag: "bool" = False  # a switch
start: "Day" = ""  # first day, empty: all
top_n: "Int[1, 100]" = 5  # rows listed
"""


def chapter() -> params.Chapter:
    return params.Chapter("demo", Path("demo.ipynb"), "Demo", tuple(params.parse_parameters(CELL)))


def test_parse_parameters_reads_names_defaults_domains_and_help() -> None:
    got = params.parse_parameters(CELL)
    assert [p.name for p in got] == ["confidence", "brand", "shares", "answers", "flag", "start", "top_n"]
    assert [p.default for p in got] == [0.95, "Acme", [0, 0.25, 1], {"budget": "no", "owner": "no"}, False, "", 5]
    assert [p.type_name for p in got] == ["float", "str", "list", "dict", "bool", "str", "int"]
    assert got[0].help == "confidence level, strictly between 0 and 1"
    assert got[2].help == "shares of the gain"
    assert got[6].domain.words == "whole number from 1 to 100"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ('seed = 3  # no domain', "declares no domain"),
        ('seed: "Whole" = 3  # unknown domain', "unknown parameter domain 'Whole'"),
        ('seed: "Int[1, 10]" = 30  # default outside', "outside its domain"),
    ],
)
def test_parse_parameters_refuses_undeclared_or_inconsistent_domains(source: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        params.parse_parameters(source)


def test_survey_chapter_parameters_come_from_its_notebook() -> None:
    ch = params.load_chapter("survey-evidence")
    nb = nbformat.read(NOTEBOOKS / "survey-evidence.ipynb", as_version=4)
    source = params.parameters_cell(nb).source
    assert ch.title == "What the surveys say"
    assert [(p.name, p.default, p.domain.annotation) for p in ch.parameters] == [
        ("confidence", 0.95, "Level"),
        ("data_path", "../data/survey_counts.csv", "Path"),
        ("lang", "en", "Choice[en, fr]"),
    ]
    for p in ch.parameters:
        assert f"# {p.help}" in source
    assert ch.signature() == "confidence (float), data_path (str), lang (str)"


def test_every_chapter_has_a_title_and_helped_parameters_each_with_a_domain() -> None:
    slugs = params.chapter_slugs()
    assert "survey-evidence" in slugs
    for slug in slugs:
        ch = params.load_chapter(slug)
        assert ch.title, slug
        assert ch.parameters, slug
        assert all(p.help for p in ch.parameters), [p.name for p in ch.parameters if not p.help]
        # papermill's inspection found every assignment of the cell (a line it cannot read is skipped)
        nb = nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4)
        tree = ast.parse(params.parameters_cell(nb).source)
        assigned = [n.target.id for n in tree.body if isinstance(n, ast.AnnAssign)]
        assert assigned == [p.name for p in ch.parameters], slug
        assert all(isinstance(n, ast.AnnAssign) for n in tree.body), slug


def test_unknown_chapter_lists_the_valid_ones() -> None:
    with pytest.raises(ParameterError) as exc:
        params.load_chapter("survey")
    msg = str(exc.value)
    assert msg.startswith("unknown chapter 'survey'; valid chapters: ")
    assert "survey-evidence" in msg and "\n" not in msg


@pytest.mark.parametrize("slug", ["/tmp/evil", "../../x/evil", "../notebooks/volvo", "volvo.ipynb", "./volvo", ""])
def test_a_slug_is_one_of_the_books_chapters_never_a_path(tmp_path: Path, slug: str) -> None:
    evil = tmp_path / "evil.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), evil)
    with pytest.raises(ParameterError, match="unknown chapter"):
        params.load_chapter(slug.replace("/tmp", str(tmp_path)))


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("confidence", "0.9", 0.9),
        ("confidence", "1e-1", 0.1),  # YAML 1.2: a number
        ("brand", "3M", "3M"),  # text as typed
        ("brand", "yes", "yes"),  # no YAML 1.1 booleans
        ("brand", "007", "007"),
        ("brand", "'<b>Acme</b>'", "<b>Acme</b>"),
        ("brand", "Acme: the brand", "Acme: the brand"),
        ("brand", "[a, b]", "[a, b]"),
        ("brand", "!!binary aGk=", "!!binary aGk="),  # text, never decoded
        ("start", "2011-09-09", "2011-09-09"),  # a day stays text
        ("start", "", ""),
        ("shares", "[0, 0.5, 1]", [0.0, 0.5, 1.0]),
        ("answers", "{budget: yes, owner: partly}", {"budget": "yes", "owner": "partly"}),
        ("answers", "{owner: partly}", {"owner": "partly"}),
        ("flag", "true", True),
        ("top_n", "12", 12),
    ],
)
def test_coerce_accepts_values_in_the_domain(name: str, raw: str, expected: object) -> None:
    ch = chapter()
    value = params.coerce(ch, ch.parameter(name), raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("name", "raw", "shown"),
    [
        ("confidence", "high", "expects number strictly between 0 and 1 (default 0.95), got 'high'"),
        ("confidence", "true", "expects number strictly between 0 and 1"),
        ("confidence", "1", "less than 1"),
        ("confidence", ".inf", "less than 1"),
        ("flag", "1", "expects true or false (default False), got '1'"),
        ("flag", "yes", "expects true or false"),
        ("shares", "0.5", "expects list of (number from 0 to 1)"),
        ("shares", "[0, lots]", "1: Input should be a valid number"),
        ("shares", "[0, 2]", "1: Input should be less than or equal to 1"),
        ("answers", "[1, 2]", "expects mapping of names to (one of yes, partly, no)"),
        ("answers", "{budget: maybe}", "budget: Input should be 'yes', 'partly' or 'no'"),
        ("answers", "{budget: 1}", "budget: Input should be 'yes', 'partly' or 'no'"),
        ("answers", "{budgt: yes}", "unknown key 'budgt'; keys: budget, owner"),
        ("brand", "x" * 301, "at most 300 characters"),
        ("start", "2011-02-30", "a date YYYY-MM-DD that exists"),
        ("start", "2011-09-09T10:00:00+02:00", "a date YYYY-MM-DD"),
        ("start", "yesterday", "a date YYYY-MM-DD"),
        ("top_n", "0", "greater than or equal to 1"),
        ("top_n", "-3", "greater than or equal to 1"),
        ("top_n", "1e12", "valid integer"),
        ("top_n", "2.5", "valid integer"),
    ],
)
def test_coerce_rejects_values_outside_the_domain_in_one_line(name: str, raw: str, shown: str) -> None:
    ch = chapter()
    with pytest.raises(ParameterError) as exc:
        params.coerce(ch, ch.parameter(name), raw)
    msg = str(exc.value)
    assert shown in msg
    assert "\n" not in msg
    assert msg.endswith(
        "valid parameters: confidence (float), brand (str), shares (list), answers (dict), "
        "flag (bool), start (str), top_n (int)"
    )


CANARY = "casebook-canary"


@pytest.mark.parametrize(
    "raw",
    [
        "{budget: !!binary aGk=}",
        "{!!binary aGk=: yes}",
        "{budget: !!set {a, b}}",
        "{budget: !!omap [{a: 1}]}",
        "!!omap [{budget: yes}]",
        "{budget: !!pairs [{a: 1}]}",
        "{budget: !!timestamp 2011-01-01}",
        "{budget: !!python/object/apply:os.system [touch CANARY]}",
        "!!python/name:os.system",
        "{budget: !!str yes}",
        "{budget: !custom yes}",
        "{budget: &a yes, owner: *a}",
        "[&a [x, x], &b [*a, *a], [*b, *b]]",  # billion laughs
        "{? [a, b] : yes}",  # a key that is not text
        "{1: yes}",
        "[[[[[[[1]]]]]]]",
    ],
)
def test_no_yaml_tag_alias_or_non_text_key_reaches_a_chapter(raw: str, tmp_path: Path) -> None:
    ch = chapter()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for name in ("answers", "shares"):
            with pytest.raises(ParameterError) as exc:
                params.coerce(ch, ch.parameter(name), raw.replace("CANARY", CANARY))
            assert "\n" not in str(exc.value)
        if "!!" in raw:  # a text parameter keeps the text as typed: a str, never an object
            assert params.coerce(ch, ch.parameter("brand"), raw) == raw
    finally:
        os.chdir(cwd)
    assert not (tmp_path / CANARY).exists()


@pytest.mark.parametrize(
    "raw",
    ["{budget: yes}", "a\udcffb", "x" * (params.MAX_VALUE_CHARS + 1)],
)
def test_parse_value_is_plain_data_of_bounded_size(raw: str) -> None:
    if raw == "{budget: yes}":
        assert params.parse_value(raw) == {"budget": "yes"}
        return
    with pytest.raises(params._DataError):
        params.parse_value(raw)


def test_every_value_that_passes_is_plain_data_papermill_writes_as_a_literal() -> None:
    from papermill.translators import PythonTranslator

    ch = chapter()
    value = params.coerce(ch, ch.parameter("brand"), "'a\\\" + __import__(\"os\").system(\"x\") + \"'")
    code = PythonTranslator.translate(value)
    assert ast.literal_eval(code) == value


@pytest.mark.parametrize(
    ("slug", "item", "shown"),
    [
        ("sncf", "reach={size: 1000000000000}", "size: Input should be less than or equal to 1000000"),
        ("sncf", "reach={size: 0}", "size: Input should be greater than or equal to 1"),
        ("sncf", "reach={colour: red}", "unknown key 'colour'"),
        ("sncf", "simulations=0", "greater than or equal to 100"),
        ("sncf", "simulations=100000000000", "less than or equal to 1000000"),
        ("sncf", "seed=-1", "greater than or equal to 0"),
        ("sncf", "ranges={booking_rate: [0.9, 0.5]}", "two numbers [low, high] with low <= high"),
        ("sncf", "n_organisers=-5", "greater than or equal to 1"),
        ("monceau-fleurs", "silent_posts_per_week=0", "greater than 0"),
        ("monceau-fleurs", "since=2011-13-01", "a date YYYY-MM-DD that exists"),
        ("monceau-fleurs", "column_mapping={message: 3}", "message: Input should be a valid string"),
        ("1800-flowers", "frequency_cap=1000000000", "less than or equal to 100"),
        ("volvo", "readiness_answers={budget: !!set {yes}}", "YAML tags (!!set) are not accepted"),
        ("volvo", "time_unit=M", "Input should be 'W' or 'D'"),
    ],
)
def test_book_chapters_check_their_domains_before_a_kernel_starts(slug: str, item: str, shown: str) -> None:
    ch = params.load_chapter(slug)
    with pytest.raises(ParameterError) as exc:
        params.parse_overrides(ch, [item])
    assert shown in str(exc.value)


def test_parse_overrides_unknown_name_and_missing_equals() -> None:
    ch = chapter()
    with pytest.raises(
        ParameterError,
        match=r"chapter 'demo' has no parameter 'colour'; valid parameters: "
        r"confidence \(float\)",
    ):
        params.parse_overrides(ch, ["colour=red"])
    with pytest.raises(ParameterError, match=r"'-p confidence' is not NAME=VALUE"):
        params.parse_overrides(ch, ["confidence"])


def test_parse_overrides_resolves_paths_against_the_callers_folder(tmp_path: Path) -> None:
    ch = params.load_chapter("survey-evidence")
    got = params.parse_overrides(ch, ["data_path=mine/counts.csv", "confidence=0.8"], base=tmp_path)
    assert got == {"data_path": str(tmp_path / "mine" / "counts.csv"), "confidence": 0.8}
    got = params.parse_overrides(ch, [f"data_path={tmp_path}/a.csv"], base=Path("/elsewhere"))
    assert got["data_path"] == str(tmp_path / "a.csv")


def test_page_chapters_take_several_exports_as_paths(tmp_path: Path) -> None:
    ch = params.load_chapter("1800-flowers")
    assert ch.parameter("data_path").is_path and ch.parameter("data_path").domain.annotation == "Paths"
    got = params.parse_overrides(ch, ["data_path=[a.csv, exports/*.csv]"], base=tmp_path)
    assert got["data_path"] == [str(tmp_path / "a.csv"), str(tmp_path / "exports" / "*.csv")]
    assert params.parse_overrides(ch, ["data_path=b.csv"], base=tmp_path)["data_path"] == str(tmp_path / "b.csv")
    for raw in ("data_path=[]", "data_path=[1, 2]", "data_path=[" + ", ".join(["x"] * 51) + "]"):
        with pytest.raises(ParameterError, match="data_path"):
            params.parse_overrides(ch, [raw], base=tmp_path)


def test_a_path_of_a_chapter_that_reads_databases_is_described_as_every_source_it_takes() -> None:
    volvo, survey = params.load_chapter("volvo"), params.load_chapter("survey-evidence")
    assert volvo.reads_databases and not survey.reads_databases
    data = volvo.parameter("data_path")
    assert volvo.words(data) == params.SOURCE_WORDS != data.domain.words == "path of a file"
    for words in ("a folder or a pattern of Parquet or CSV parts", "a DuckDB file", "a PostgreSQL URL", "Spark"):
        assert words in volvo.words(data)
    assert survey.words(survey.parameter("data_path")) == "path of a file"
    table = volvo.parameter("table")
    assert volvo.words(table) == table.domain.words  # only paths take the sources' words
