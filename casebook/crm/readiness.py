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

from dataclasses import dataclass

import pandas as pd

from casebook.errors import ParameterError

#: key -> (question, weight)
QUESTIONS: dict[str, tuple[str, float]] = {
    "objectives": ("What is the presence for: are its objectives written down and agreed?", 3.0),
    "owner": ("Who will run it, by name, with time set aside?", 2.0),
    "role": ("What is that person's role and mandate inside the brand?", 1.0),
    "org_chart": ("Does the organisation chart make room for it (who decides, who answers)?", 2.0),
    "tools": ("Which tools: listening, publishing, and the customer database behind them?", 1.0),
    "measurement": ("How will results be measured, against which baseline?", 3.0),
    "budget": ("Is a budget allocated, for people as well as media?", 2.0),
}

#: Short names of the questions, for prose and charts.
LABELS: dict[str, str] = {
    "objectives": "objectives", "owner": "who runs it", "role": "their role", "org_chart": "organisation chart",
    "tools": "tools", "measurement": "measuring results", "budget": "budget",
}

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
    """Score a brand's answers (default: the Volvo France illustration) and list its gaps."""
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
    table = pd.DataFrame({
        "key": list(QUESTIONS),
        "label": [LABELS[k] for k in QUESTIONS],
        "question": [q[0] for q in QUESTIONS.values()],
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
    """The score, the number of gaps and the labels of the ``top`` first gaps (``"none"`` past the last)."""
    labels = dict(zip(card.table["key"], card.table["label"], strict=True))
    gaps = [labels[key] for key in card.gaps[:top]]
    return {
        "readiness_score": card.score,
        "readiness_gaps": len(card.gaps),
        **{f"readiness_gap_{i + 1}": gaps[i] if i < len(gaps) else "none" for i in range(top)},
    }


def chart_title(brand: str, answers: dict[str, str]) -> str:
    """The scorecard chart's title: with the book's answers it says "illustration" first (they are our
    reading of an article, not a measurement of the brand)."""
    if answers == VOLVO_FRANCE_ILLUSTRATION:
        return f"Illustration, not a measurement: {brand}'s readiness as we read the article"
    return f"Readiness scorecard: {brand}"


def chart_subtitle(answers: dict[str, str], card: Scorecard) -> str:
    """The scorecard chart's subtitle: whether the answers are the book's illustration, and the score."""
    if answers == VOLVO_FRANCE_ILLUSTRATION:
        return f"Our reading of the article, not Volvo data · illustrative score {card.score:.0f} / 100"
    return f"Answers given as parameters · score {card.score:.0f} / 100"

