"""The survey chapter's computed words and the generic chart builders in French, English unchanged."""

from collections.abc import Iterator

import pandas as pd
import pytest

from casebook import charts, i18n
from casebook.survey import stats as survey

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture
def lang() -> Iterator[object]:
    """Switch languages inside a test; English again afterwards."""
    yield i18n.use
    i18n.use("en")


def _counts() -> pd.DataFrame:
    df = pd.DataFrame({"study": ["McKinsey Web 2.0 survey", "Other study"], "year": [2008, 2008],
                       "population": ["executives", "analysts"], "question": ["Q", "Q"],
                       "option": ["Satisfied overall", "yes"], "count": [417, 21], "n": [1988, 100],
                       "percent_reported": [21, None]})
    out = survey.wilson_intervals(df)
    out.loc[1, ["low", "high", "half_width"]] = float("nan")
    return out


def test_interval_table_in_english_is_unchanged(lang):
    lang("en")
    table = survey.interval_table(_counts())
    assert list(table.columns) == ["Study", "Year", "Population", "Option", "N", "Share", "Interval", "± points"]
    assert table.iloc[0].tolist() == ["McKinsey Web 2.0 survey", "2008", "executives", "Satisfied overall", 1988,
                                      "21%", "19.2% – 22.8%", "1.8"]
    assert table.iloc[1].tolist()[-3:] == ["21.0%", "base not published", "–"]


def test_interval_table_in_french(lang):
    lang("fr")
    table = survey.interval_table(_counts())
    assert list(table.columns) == ["Étude", "Année", "Population", "Réponse", "N", "Part", "Intervalle", "± points"]
    assert table.iloc[0].tolist() == ["Enquête McKinsey sur le Web 2.0", "2008", "dirigeants",
                                      "Satisfaits dans l’ensemble", 1988, f"21{NBSP}%",
                                      f"19,2{NBSP}% – 22,8{NBSP}%", "1,8"]
    # a label the book does not know stays as it is; a missing base is said in French
    assert table.iloc[1].tolist()[2:4] == ["analysts", "yes"]
    assert table.iloc[1].tolist()[-3:] == [f"21,0{NBSP}%", "base non publiée", "–"]
    assert charts.readable(table).data.iloc[0, 1] == "2008"  # a year, never "2 008"


def test_published_percent(lang):
    lang("en")
    assert [survey.published_percent(v) for v in (57, 3.0, 12.5)] == ["57%", "3%", "12.5%"]
    lang("fr")
    assert [survey.published_percent(v) for v in (57, 3.0, 12.5)] == [f"57{NBSP}%", f"3{NBSP}%", f"12,5{NBSP}%"]


def test_label_and_for_readers(lang):
    df = _counts()
    lang("en")
    assert survey.label(df).tolist() == ["Satisfied overall (McKinsey 2008)", "yes (Other 2008)"]
    assert survey.for_readers(df).equals(df)
    lang("fr")
    assert survey.label(df).tolist() == ["Satisfaits dans l’ensemble (McKinsey 2008)", "yes (Other 2008)"]
    shown = survey.for_readers(df)
    assert shown["population"].tolist() == ["dirigeants", "analysts"]
    assert df["population"].tolist() == ["executives", "analysts"]  # the analysis keeps its keys
    assert set(survey.reader_labels()) >= {"consumers", "executives", "online adults", "Feel connected"}
    assert survey.reader_labels()["Do not engage at all"] == "Aucune interaction"


def _titles(spec: object) -> list[str]:
    if isinstance(spec, dict):
        return [v for k, v in spec.items() if k == "title" and isinstance(v, str)] + \
            [t for v in spec.values() for t in _titles(v)]
    if isinstance(spec, list):
        return [t for v in spec for t in _titles(v)]
    return []


def _proportions() -> pd.DataFrame:
    return pd.DataFrame({"label": ["a", "b"], "who": ["consumers", "executives"], "estimate": [0.2, 0.4],
                         "low": [0.1, 0.3], "high": [0.3, 0.5], "n": [100, 120]})


def test_builders_words_in_english_are_unchanged(lang):
    lang("en")
    df = _proportions()
    titles = _titles(charts.interval_chart(df, y="label", color="who", tooltip=["label", "who", "n", "low", "high"])
                     .to_dict())
    assert {"Share of respondents", "figure", "estimate", "interval from", "interval to", "respondents",
            "Who"} <= set(titles)
    assert "Share" in _titles(charts.dumbbell_chart(df, y="label", x="estimate", group="who").to_dict())


def test_builders_words_in_french(lang):
    lang("fr")
    df = _proportions()
    titles = set(_titles(charts.interval_chart(df, y="label", color="who",
                                               tooltip=["label", "who", "n", "low", "high"]).to_dict()))
    assert {"Part des répondants", "chiffre", "estimation", "intervalle de", "intervalle jusqu’à", "répondants",
            "Qui"} <= titles
    assert not titles & {"Share of respondents", "figure", "estimate", "respondents", "Who"}
    assert "Part" in _titles(charts.dumbbell_chart(df, y="label", x="estimate", group="who").to_dict())
    # a caller's title is kept as given
    assert "Mine" in _titles(charts.interval_chart(df, y="label", x_title="Mine").to_dict())


def test_tip_default_title_translated_when_a_catalog_has_it(lang):
    lang("en")
    assert charts.tip("population").to_dict()["title"] == "Population"
    assert charts.tip("who").to_dict()["title"] == "Who"
    lang("fr")
    assert charts.tip("who").to_dict()["title"] == "Qui"
    assert charts.tip("posts_per_zebra").to_dict()["title"] == "Posts per zebra"  # no translation: the readable English
    assert charts.tip("who", title="Qui a répondu").to_dict()["title"] == "Qui a répondu"


def test_chapter_sentences_in_french(lang):
    tr = lang("fr")
    subtitle = tr("Wilson score intervals at {level}; counts reconstructed from published percentages").format(
        level=i18n.percent(0.95))
    assert subtitle == f"Intervalles de Wilson à 95{NBSP}%{NNBSP}; effectifs reconstitués à partir des pourcentages publiés"
    assert tr("; a dot alone: base not published, no interval") == \
        f"{NNBSP}; point seul{NBSP}: base non publiée, pas d’intervalle"
    tr = lang("en")
    assert tr("Wilson score intervals at {level}; counts reconstructed from published percentages").format(
        level=i18n.percent(0.95)) == "Wilson score intervals at 95%; counts reconstructed from published percentages"
