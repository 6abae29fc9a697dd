"""The customer chapter (room crm) in French: verdicts, labels, dates and chart words, and English unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from casebook import i18n, paths
from casebook.crm import bgnbd, churn, readiness, rfm
from casebook.crm import charts as crm_charts
from casebook.crm import warehouse as wh
from casebook.crm.bgnbd import BGNBDParams
from casebook.crm.summary import day_text

NB, NN = "\u00a0", "\u202f"


@pytest.fixture
def fr() -> Iterator[None]:
    i18n.use("fr")
    yield
    i18n.use("en")


def test_readiness_title_and_subtitle_in_french(fr: None) -> None:
    card = readiness.scorecard()
    book = dict(readiness.VOLVO_FRANCE_ILLUSTRATION)
    assert readiness.chart_title("Volvo France", book) == (
        f"Illustration, pas une mesure{NB}: la préparation de Volvo France selon notre lecture de l’article")
    assert readiness.chart_subtitle(book, card) == (
        "Notre lecture de l’article, pas des données Volvo · score illustratif 25 / 100")
    mine = {key: "yes" for key in readiness.QUESTIONS}
    assert readiness.chart_title("Ma marque", mine) == f"Grille de préparation{NB}: Ma marque"
    assert readiness.chart_subtitle(mine, readiness.scorecard(mine)) == "Réponses données en paramètres · score 100 / 100"


def test_readiness_title_stays_english_in_english() -> None:
    assert readiness.chart_title("My brand", {"objectives": "yes"}) == "Readiness scorecard: My brand"


def test_readiness_table_and_figures_in_french_keep_english_keys(fr: None) -> None:
    card = readiness.scorecard()
    table = card.table.set_index("key")
    assert table.loc["owner", "label"] == "qui l’anime"
    assert table.loc["budget", "question"] == f"Un budget est-il alloué, pour les équipes comme pour les médias{NN}?"
    assert table.loc["owner", "answer"] == "no"  # data, not words
    figures = readiness.readiness_figures(card)
    assert [figures[f"readiness_gap_{i}"] for i in (1, 2, 3)] == ["qui l’anime", "organigramme", "budget"]
    assert figures["readiness_score"] == 25.0
    answers = {key: "yes" for key in readiness.QUESTIONS} | {"tools": "partly"}
    assert readiness.readiness_figures(readiness.scorecard(answers))["readiness_gap_2"] == "aucun"
    assert readiness.answer_labels() == {"yes": "oui", "partly": "en partie", "no": "non"}


def test_readiness_words_in_english_whatever_the_language(fr: None) -> None:
    assert readiness.labels(str) == readiness.LABELS
    assert readiness.LABELS["owner"] == "who runs it"
    assert readiness.QUESTIONS["owner"] == ("Who will run it, by name, with time set aside?", 2.0)
    assert readiness.answer_labels(str) == {"yes": "yes", "partly": "partly", "no": "no"}
    assert readiness.questions()["owner"] == f"Qui l’animera, nommément, avec du temps dédié{NN}?"


def _params(a: float, b: float) -> BGNBDParams:
    return BGNBDParams(r=0.5, alpha=5.0, a=a, b=b, log_likelihood=-1.0, customers=10)


def test_dropout_verdict_in_french_and_english() -> None:
    finds = _params(0.793, 2.426)  # mean drop-out 0.793 / 3.219 = 24.6%
    limit = _params(0.0, float("nan"))
    assert bgnbd.dropout_verdict(finds).startswith(
        "The fit finds drop-out: after each purchase a customer leaves for good with probability 25% on average,")
    assert bgnbd.dropout_verdict(limit).startswith("The fit reaches the no-drop-out limit (a = 0, b undefined)")
    i18n.use("fr")
    try:
        assert bgnbd.dropout_verdict(finds) == (
            f"L’ajustement met en évidence le décrochage{NB}: après chaque achat, un client part définitivement avec une "
            f"probabilité de 25{NB}% en moyenne{NN}; la probabilité d’être encore actif distingue donc les clients "
            "partis pour de bon de ceux qui sont simplement entre deux achats.")
        assert bgnbd.dropout_verdict(limit).startswith(f"L’ajustement atteint la limite sans décrochage (a = 0, b indéfini){NB}:")
        assert bgnbd.unit_words() == {"W": "semaines", "D": "jours"}
        assert bgnbd.UNIT_WORDS == {"W": "weeks", "D": "days"}
    finally:
        i18n.use("en")


def test_model_figures_words_and_dates_in_french_numbers_the_same(fr: None) -> None:
    summary = pd.DataFrame({"frequency": [0, 2], "recency": [0.0, 8.0], "T": [10.0, 12.0],
                            "frequency_holdout": [0, 1], "duration_holdout": [13.0, 13.0]})
    args = (_params(0.793, 2.426), summary, pd.Timestamp("1997-09-30"), pd.Timestamp("1998-01-01"))
    french = bgnbd.model_figures(*args)
    i18n.use("en")
    english = bgnbd.model_figures(*args)
    assert (english["calibration_end"], english["holdout_end"]) == ("30 September 1997", "01 January 1998")
    assert (french["calibration_end"], french["holdout_end"]) == ("30 septembre 1997", "1er janvier 1998")
    assert (english["time_unit_word"], french["time_unit_word"]) == ("weeks", "semaines")
    text = {"calibration_end", "holdout_end", "time_unit_word", "bgnbd_verdict"}
    assert {k: v for k, v in french.items() if k not in text} == {k: v for k, v in english.items() if k not in text}


def test_day_text_in_both_languages() -> None:
    day = pd.Timestamp("2011-01-03")
    assert (day_text(day), day_text(day, short=True)) == ("03 January 2011", "03 Jan 2011")
    i18n.use("fr")
    try:
        assert (day_text(day), day_text(day, short=True)) == ("3 janvier 2011", "3 janv. 2011")
        assert day_text(pd.Timestamp("2010-12-01")) == "1er décembre 2010"
    finally:
        i18n.use("en")


def test_segment_names_in_french_data_in_english(fr: None) -> None:
    assert rfm.segment_label("Can't Lose Them") == "À ne pas perdre"
    assert rfm.segment_label(rfm.OTHERS) == "Autres"
    assert rfm.segment_label("My own segment") == "My own segment"
    assert set(rfm.segment_labels()) == {name for name, *_ in rfm.SEGMENTS} | {rfm.OTHERS}
    names = [name for name, *_ in rfm.SEGMENTS] + [rfm.OTHERS]
    counts = [0 if name in ("New Customers", "Promising") else 1 for name in names]
    summary = pd.DataFrame({"segment": names, "customers": counts, "revenue": [10.0 * c for c in counts],
                            "median_recency_days": 1.0, "customer_share": [c / sum(counts) for c in counts],
                            "revenue_share": [c / sum(counts) for c in counts]})
    assert rfm.segment_figures(summary)["empty_segments"] == f"«{NB}Nouveaux clients{NB}», «{NB}Prometteurs{NB}»"
    i18n.use("en")
    assert rfm.segment_figures(summary)["empty_segments"] == '"New Customers", "Promising"'
    assert rfm.segment_label("At Risk") == "At Risk"


def test_reasons_and_silence_bands_in_french(fr: None) -> None:
    assert churn.reason_labels()["silence beyond usual gap"] == "silence au-delà de l’écart habituel"
    assert set(churn.reason_labels()) == set(churn.REASONS) | {"total"}
    status = pd.DataFrame({"silence_ratio": [0.2, 0.7, 6.0], "revenue": [1.0, 2.0, 3.0]})
    bands = list(churn.silence_distribution(status)["band"])
    assert bands == ["0–0,5", "0,5–1", "1–1,5", "1,5–2", "2–3", "3–5", "5+"]
    i18n.use("en")
    assert list(churn.silence_distribution(status)["band"])[:2] == ["0–0.5", "0.5–1"]
    assert churn.reason_labels()["total"] == "total"


def test_source_name_in_french(fr: None) -> None:
    assert wh.source_name(paths.dataset("online_retail")) == "e-commerçant britannique"
    assert wh.source_name("postgresql://me:secret@db.example/shop", "orders") == "base de données, table orders"
    assert wh.source_name("/srv/shop.duckdb") == "shop.duckdb"


def test_crm_charts_words_in_french(fr: None) -> None:
    card = readiness.scorecard()
    spec = crm_charts.readiness_chart(card.table, "t").to_dict()
    layer = spec["layer"][0]["encoding"]
    assert layer["color"]["title"] == "Réponse"
    assert layer["color"]["scale"]["domain"] == ["oui", "en partie", "non"]
    assert [t["title"] for t in layer["tooltip"]] == ["question", "réponse", "poids", "points obtenus"]
    rows = next(iter(spec["datasets"].values()))
    assert {r["key"]: r["answer"] for r in rows}["tools"] == "en partie"
    dist = pd.DataFrame({"band_start": [0.0, 0.5], "band_end": [0.5, 1.0], "customers": [3, 7],
                         "revenue": [30.0, 70.0]})
    spec = crm_charts.p_alive_chart(dist, 0.5, "t").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["band"]: r["status"] for r in rows} == {"0,00–0,50": "sous le seuil", "0,50–1,00": "au seuil ou au-dessus"}
    assert spec["encoding"]["y"]["title"] == "Clients"
    summary = pd.DataFrame({"segment": ["Champions"], "customer_share": [0.2], "revenue_share": [0.9]})
    rows = next(iter(crm_charts.segment_chart(summary, "t").to_dict()["datasets"].values()))
    assert {r["measure"] for r in rows} == {"part des clients", "part du chiffre d’affaires"}


def test_crm_charts_words_in_english() -> None:
    spec = crm_charts.readiness_chart(readiness.scorecard().table, "t").to_dict()
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["yes", "partly", "no"]
    assert spec["layer"][0]["encoding"]["color"]["title"] == "Answer"


def test_french_words_of_the_chapter_follow_french_typography(fr: None) -> None:
    from casebook.build.catalogs import french_typography
    from casebook.charts import tooltip_problems

    card = readiness.scorecard()
    texts = [bgnbd.dropout_verdict(_params(0.793, 2.426)), bgnbd.dropout_verdict(_params(0.0, float("nan"))),
             readiness.chart_title("Volvo France", dict(readiness.VOLVO_FRANCE_ILLUSTRATION)),
             readiness.chart_subtitle(dict(readiness.VOLVO_FRANCE_ILLUSTRATION), card),
             *readiness.questions().values(), *readiness.labels().values(), *rfm.segment_labels().values(),
             *churn.reason_labels().values()]
    assert [t for t in texts if french_typography(t)] == []
    assert tooltip_problems(crm_charts.readiness_chart(card.table, "t").to_dict()) == []
