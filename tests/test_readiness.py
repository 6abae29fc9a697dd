"""Readiness scorecard: the score and the order of the gaps, worked by hand."""

from __future__ import annotations

import pytest

from casebook.crm import readiness
from casebook.errors import ParameterError


def test_volvo_illustration_score_by_hand() -> None:
    card = readiness.scorecard()
    # weights 3,2,1,2,1,3,2 (total 14); points: objectives 1.5, tools 0.5, measurement 1.5 -> 3.5 / 14
    assert card.score == 25.0
    # shortfalls: owner 2, org_chart 2, budget 2, objectives 1.5, measurement 1.5, role 1, tools 0.5
    assert card.gaps == ["owner", "org_chart", "budget", "objectives", "measurement", "role", "tools"]
    assert card.table["answer"].tolist() == ["partly", "no", "no", "no", "partly", "partly", "no"]


def test_all_yes_and_partial_answers() -> None:
    assert readiness.scorecard({k: "yes" for k in readiness.QUESTIONS}).score == 100.0
    card = readiness.scorecard({"objectives": "Yes ", "measurement": "yes", "owner": "partly"})
    assert card.score == round(100 * 7 / 14, 1)  # 3 + 3 + 1; unanswered questions count as "no"
    assert card.gaps[:3] == ["org_chart", "budget", "owner"]


def test_yaml_booleans_are_yes_and_no() -> None:
    card = readiness.scorecard({"objectives": True, "measurement": True, "budget": False})
    assert card.table.set_index("key").loc[["objectives", "budget"], "answer"].tolist() == ["yes", "no"]
    assert card.score == round(100 * 6 / 14, 1)


def test_custom_weights() -> None:
    card = readiness.scorecard({"budget": "yes"}, weights={"budget": 10})
    assert card.score == round(100 * 10 / 22, 1)
    assert card.gaps[0] in ("objectives", "measurement") and card.gaps[0] == "objectives"


@pytest.mark.parametrize(
    ("answers", "weights", "msg"),
    [
        ({"budget": "maybe"}, None, "readiness answer 'maybe' for 'budget' is not valid; valid answers: yes, partly, no"),
        ({"website": "yes"}, None, "unknown readiness question(s) 'website'; valid questions: objectives, owner"),
        (["yes"], None, "must be a mapping"),
        ({}, {"cost": 1}, "unknown question(s) in weights 'cost'"),
        ({}, {"budget": -1}, "weights must be numbers of at least 0"),
    ],
)
def test_bad_answers_list_valid_values(answers, weights, msg: str) -> None:
    with pytest.raises(ParameterError) as err:
        readiness.scorecard(answers, weights)
    assert msg in str(err.value)


def test_labels_cover_every_question() -> None:
    card = readiness.scorecard()
    assert set(readiness.LABELS) == set(readiness.QUESTIONS)
    assert card.table.set_index("key").loc["org_chart", "label"] == "organisation chart"
