"""The social-media strategy readiness scorecard (room crm): seven questions to answer before opening a page.

The questions paraphrase the list in the Volvo article (seed 000): objectives, who runs it, their role,
the organisation chart, the tools, how results are measured, the budget. Each is answered "yes",
"partly" or "no" (worth 1, 0.5 and 0). The score is the weighted share of the maximum, 0–100. The gaps are
the questions not answered "yes", largest weighted shortfall first (ties in the order of the list).

The weights are the book's editorial assumption, stated here so that a reader can change them: the
objectives and the measurement of results weigh most, because without them nothing else can be judged.

May import: the foundation and charts; never io (takes frames).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from casebook import i18n
from casebook.errors import ParameterError
from casebook.i18n import gettext as _


def questions(tr: Callable[[str], str] = _) -> dict[str, str]:
    """The seven questions by key, in the current language (``tr=str``: in English whatever the language)."""
    return {
        "objectives": tr("What is the presence for: are its objectives written down and agreed?"),
        "owner": tr("Who will run it, by name, with time set aside?"),
        "role": tr("What is that person's role and mandate inside the brand?"),
        "org_chart": tr("Does the organisation chart make room for it (who decides, who answers)?"),
        "tools": tr("Which tools: listening, publishing, and the customer database behind them?"),
        "measurement": tr("How will results be measured, against which baseline?"),
        "budget": tr("Is a budget allocated, for people as well as media?"),
    }


def labels(tr: Callable[[str], str] = _) -> dict[str, str]:
    """Short names of the questions, for prose and charts, in the current language (``tr=str``: English)."""
    return {
        "objectives": tr("objectives"), "owner": tr("who runs it"), "role": tr("their role"),
        "org_chart": tr("organisation chart"), "tools": tr("tools"), "measurement": tr("measuring results"),
        "budget": tr("budget"),
    }


def answer_labels(tr: Callable[[str], str] = _) -> dict[str, str]:
    """The answers as a reader sees them, in the current language (``tr=str``: English)."""
    return {"yes": tr("yes"), "partly": tr("partly"), "no": tr("no")}


#: The weight of each question (the book's editorial assumption, see above).
WEIGHTS: dict[str, float] = {"objectives": 3.0, "owner": 2.0, "role": 1.0, "org_chart": 2.0, "tools": 1.0,
                             "measurement": 3.0, "budget": 2.0}
#: key -> (question, weight), in English (the keys and answers are the data; :func:`questions` and
#: :func:`labels` give the words a reader sees).
QUESTIONS: dict[str, tuple[str, float]] = {k: (q, WEIGHTS[k]) for k, q in questions(str).items()}

#: Short names of the questions, in English.
LABELS: dict[str, str] = labels(str)

#: Answer -> value.
ANSWERS: dict[str, float] = {"yes": 1.0, "partly": 0.5, "no": 0.0}

#: An illustration, not Volvo data: our reading of the situation the article describes at Volvo France
#: (a CRM specialist convinced of the potential, blocked by his hierarchy, no strategy set up).
VOLVO_FRANCE_ILLUSTRATION: dict[str, str] = {
    "objectives": "partly",  # the potential (reach, loyalty) was seen, but no objectives were agreed
    "owner": "no",  # nobody was given the job
    "role": "no",
    "org_chart": "no",  # the hierarchy blocked it: the structure had no place for it
    "tools": "partly",  # CRM tools existed; no social tools
    "measurement": "partly",  # CRM measurement existed; nothing for social
    "budget": "no",
}


@dataclass
class Scorecard:
    """Answers, the score (0–100) and the gaps in priority order."""

    table: pd.DataFrame
    score: float
    gaps: list[str]


def validate_answers(answers: dict[str, str]) -> dict[str, str]:
    """Normalise answers (case, spaces, YAML booleans) and check them; missing questions count as "no"."""
    if not isinstance(answers, dict):
        raise ParameterError(f"readiness answers must be a mapping of question to answer (got {type(answers).__name__})")
    unknown = [k for k in answers if k not in QUESTIONS]
    if unknown:
        raise ParameterError(f"unknown readiness question(s) {', '.join(map(repr, unknown))}; valid questions: "
                             + ", ".join(QUESTIONS))
    out = {}
    for key in QUESTIONS:
        raw = answers.get(key, "no")
        # YAML (``casebook run -p``) reads unquoted yes / no as booleans
        value = {True: "yes", False: "no"}[raw] if isinstance(raw, bool) else str(raw).strip().lower()
        if value not in ANSWERS:
            raise ParameterError(f"readiness answer {answers.get(key)!r} for {key!r} is not valid; "
                                 "valid answers: " + ", ".join(ANSWERS))
        out[key] = value
    return out


def scorecard(answers: dict[str, str] | None = None, weights: dict[str, float] | None = None) -> Scorecard:
    """Score a brand's answers (default: the Volvo France illustration) and list its gaps; the table's
    ``label`` and ``question`` are in the current language, its ``key`` and ``answer`` in English (data)."""
    ans = validate_answers(VOLVO_FRANCE_ILLUSTRATION if answers is None else answers)
    w = {k: q[1] for k, q in QUESTIONS.items()}
    if weights:
        bad = [k for k in weights if k not in QUESTIONS]
        if bad:
            raise ParameterError(f"unknown question(s) in weights {', '.join(map(repr, bad))}; valid: "
                                 + ", ".join(QUESTIONS))
        if any(not (isinstance(v, (int, float)) and v >= 0) for v in weights.values()):
            raise ParameterError("weights must be numbers of at least 0")
        w.update(weights)
    total = sum(w.values())
    if total <= 0:
        raise ParameterError("at least one weight must be positive")
    shown, asked = labels(), questions()
    table = pd.DataFrame({
        "key": list(QUESTIONS),
        "label": [shown[k] for k in QUESTIONS],
        "question": [asked[k] for k in QUESTIONS],
        "answer": [ans[k] for k in QUESTIONS],
        "weight": [w[k] for k in QUESTIONS],
    })
    table["value"] = table["answer"].map(ANSWERS)
    table["points"] = table["value"] * table["weight"]
    table["shortfall"] = table["weight"] - table["points"]
    table["order"] = range(len(table))
    score = round(100 * float(table["points"].sum()) / total, 1)
    gaps = table[table["shortfall"] > 0].sort_values(["shortfall", "order"], ascending=[False, True])
    return Scorecard(table.drop(columns="order"), score, list(gaps["key"]))


def readiness_figures(card: Scorecard, top: int = 3) -> dict[str, object]:
    """The score, the number of gaps and the labels of the ``top`` first gaps (``"none"`` past the last),
    in the current language."""
    labels = dict(zip(card.table["key"], card.table["label"], strict=True))
    gaps = [labels[key] for key in card.gaps[:top]]
    return {
        "readiness_score": card.score,
        "readiness_gaps": len(card.gaps),
        **{f"readiness_gap_{i + 1}": gaps[i] if i < len(gaps) else _("none") for i in range(top)},
    }


def chart_title(brand: str, answers: dict[str, str]) -> str:
    """The scorecard chart's title, in the current language: with the book's answers it says "illustration"
    first (they are our reading of an article, not a measurement of the brand)."""
    if answers == VOLVO_FRANCE_ILLUSTRATION:
        return _("Illustration, not a measurement: {brand}'s readiness as we read the article").format(brand=brand)
    return _("Readiness scorecard: {brand}").format(brand=brand)


def chart_subtitle(answers: dict[str, str], card: Scorecard) -> str:
    """The scorecard chart's subtitle, in the current language: whether the answers are the book's
    illustration, and the score."""
    if answers == VOLVO_FRANCE_ILLUSTRATION:
        return _("Our reading of the article, not Volvo data · illustrative score {score} / 100").format(
            score=i18n.fmt(card.score, ".0f"))
    return _("Answers given as parameters · score {score} / 100").format(score=i18n.fmt(card.score, ".0f"))

