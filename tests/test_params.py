"""Chapter parameters read from the notebooks' parameters cells, and -p values checked by type."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from casebook import params
from casebook.errors import ParameterError
from casebook.paths import NOTEBOOKS

CELL = """# Parameters of this chapter
confidence = 0.95  # confidence level, strictly between 0 and 1
brand = "Acme"  # display name
shares = [0, 0.25,  # first comment
          1]  # second comment
answers = {"budget": "no", "owner": "no"}
flag = False  # a switch
start = ""  # first day, empty = all
computed = len("abc")  # not a literal: not a parameter
"""


def chapter() -> params.Chapter:
    return params.Chapter("demo", Path("demo.ipynb"), "Demo", tuple(params.parse_parameters(CELL)))


def test_parse_parameters_reads_names_defaults_types_and_help() -> None:
    got = params.parse_parameters(CELL)
    assert [p.name for p in got] == ["confidence", "brand", "shares", "answers", "flag", "start"]
    assert [p.default for p in got] == [
        0.95,
        "Acme",
        [0, 0.25, 1],
        {"budget": "no", "owner": "no"},
        False,
        "",
    ]
    assert [p.type_name for p in got] == ["float", "str", "list", "dict", "bool", "str"]
    assert got[0].help == "confidence level, strictly between 0 and 1"
    assert got[2].help == "first comment second comment"
    assert got[3].help == ""


def test_survey_chapter_parameters_come_from_its_notebook() -> None:
    ch = params.load_chapter("survey-evidence")
    nb = nbformat.read(NOTEBOOKS / "survey-evidence.ipynb", as_version=4)
    source = params.parameters_cell(nb).source
    assert ch.title == "What the surveys say"
    assert [(p.name, p.default) for p in ch.parameters] == [
        ("confidence", 0.95),
        ("data_path", "../data/survey_counts.csv"),
    ]
    for p in ch.parameters:
        assert f"# {p.help}" in source
    assert ch.signature() == "confidence (float), data_path (str)"


def test_every_chapter_has_a_title_and_helped_parameters() -> None:
    slugs = params.chapter_slugs()
    assert "survey-evidence" in slugs
    for slug in slugs:
        ch = params.load_chapter(slug)
        assert ch.title, slug
        assert ch.parameters, slug
        assert all(p.help for p in ch.parameters), [p.name for p in ch.parameters if not p.help]


def test_unknown_chapter_lists_the_valid_ones() -> None:
    with pytest.raises(ParameterError) as exc:
        params.load_chapter("survey")
    msg = str(exc.value)
    assert msg.startswith("unknown chapter 'survey'; valid chapters: ")
    assert "survey-evidence" in msg and "\n" not in msg


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("confidence", "0.9", 0.9),
        ("confidence", "1", 1.0),  # an int is accepted for a float
        ("brand", "3M", "3M"),  # text as typed
        ("brand", "yes", "yes"),  # not the YAML boolean
        ("brand", "'<b>Acme</b>'", "<b>Acme</b>"),
        ("start", "2011-09-09", "2011-09-09"),  # a YAML date becomes ISO text
        ("shares", "[0, 0.5, 1]", [0, 0.5, 1]),
        ("answers", "{budget: yes, owner: partly}", {"budget": True, "owner": "partly"}),
        ("flag", "true", True),
        ("confidence", "1e-1", 0.1),  # YAML 1.1 reads 1e-1 as text: still a number
        ("shares", "[1e9, 2]", [1e9, 2]),
        ("answers", "{owner: partly}", {"owner": "partly"}),
    ],
)
def test_coerce_accepts_values_of_the_default_type(name: str, raw: str, expected: object) -> None:
    ch = chapter()
    value = params.coerce(ch, ch.parameter(name), raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("name", "raw", "shown"),
    [
        ("confidence", "high", "expects float (default 0.95), got 'high'"),
        ("confidence", "true", "expects float"),
        ("flag", "1", "expects bool (default False), got '1'"),
        ("shares", "0.5", "expects list"),
        ("answers", "[1, 2]", "expects dict"),
        ("brand", "[a, b]", "expects str"),
        (
            "shares",
            "[0, lots]",
            "expects list (default [0, 0.25, 1]), got '[0, lots]' (item 2 ('lots') is not a number)",
        ),
        (
            "answers",
            "{budgt: yes}",
            "expects dict (default {'budget': 'no', 'owner': 'no'}), got '{budgt: yes}' "
            "(unknown key 'budgt' (keys: budget, owner))",
        ),
    ],
)
def test_coerce_rejects_wrong_types_listing_valid_parameters(name: str, raw: str, shown: str) -> None:
    ch = chapter()
    with pytest.raises(ParameterError) as exc:
        params.coerce(ch, ch.parameter(name), raw)
    msg = str(exc.value)
    assert shown in msg
    assert msg.endswith(
        "valid parameters: confidence (float), brand (str), shares (list), answers (dict), "
        "flag (bool), start (str)"
    )


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
