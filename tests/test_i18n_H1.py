"""The page chapters in French (room pages): verdicts, sentences, labels and tables in the language in use,
English unchanged. Each test runs in English, then in French, and leaves the book in English."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from casebook import i18n
from casebook.pages import audit, compare, simulate
from casebook.pages import metrics as m

NB, NN = "\u00a0", "\u202f"  # no-break space (before : and %), narrow no-break space (before ; ! ?)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")




def both(function, *args, **kwargs) -> tuple[object, object]:
    """``function(*args)`` in English, then in French."""
    i18n.use("en")
    en = function(*args, **kwargs)
    i18n.use("fr")
    fr = function(*args, **kwargs)
    i18n.use("en")
    return en, fr


def test_trend_verdict_in_french():
    flat = {"slope": 0.001, "low": -0.002, "high": 0.003}
    assert both(audit.trend_verdict, flat) == (
        "the interval includes zero, so the data show no clear trend",
        f"l’intervalle contient zéro{NB}: les données ne montrent pas de tendance nette")
    assert both(audit.trend_verdict, {"slope": 0.01, "low": 0.005, "high": 0.02}) == (
        "engagement per post rose over the period", "l’engagement par publication a progressé sur la période")
    assert both(audit.trend_verdict, {"slope": -0.01, "low": -0.02, "high": -0.005})[1] == (
        "l’engagement par publication a reculé sur la période")
    nan = float("nan")
    assert both(audit.trend_verdict, {"slope": nan, "low": nan, "high": nan}) == (
        "too few months to tell", "trop peu de mois pour conclure")


def test_paid_verdict_in_french():
    assert both(audit.paid_verdict, -0.01, 0.02) == (
        "cannot tell paid from organic posts",
        "ne permettent pas de distinguer publications sponsorisées et organiques")
    assert both(audit.paid_verdict, 0.01, 0.02) == (
        "paid posts engage more per person reached",
        "les publications sponsorisées engagent davantage par personne touchée")
    assert both(audit.paid_verdict, -0.02, -0.01)[1] == (
        "les publications sponsorisées engagent une moindre part des personnes touchées")
    assert both(audit.paid_verdict, np.nan, np.nan)[1] == (
        "comptent trop peu de publications dans un groupe pour conclure")


def test_action_phrase_in_french():
    table = pd.DataFrame({"category": ["product", "inspiration", "action"]})
    assert both(audit.action_phrase, table) == (
        "action posts (offers and contests) rank 3 of 3 categories by median rate",
        "les publications action (offres et jeux-concours) se classent 3e sur 3 catégories au taux médian")
    assert both(audit.action_phrase, table.iloc[:2])[1] == "cet export n’a pas de catégorie action"


def test_best_slot_in_french():
    cells = pd.DataFrame({"weekday": ["Monday", "Wednesday"], "hour": [9, 14], "posts": [3, 4],
                          "er_median": [0.01, 0.02]})
    en, fr = both(audit.best_slot, cells, 3)
    assert (en["best_slot"], fr["best_slot"]) == ("Wednesday at 14:00", "le mercredi à 14 h")
    assert en["best_slot_er"] == fr["best_slot_er"] == 0.02
    assert both(audit.best_slot, cells, 9)[1]["best_slot"] == "aucun créneau"


def test_failing_in_french(posts):
    card = m.audit_scorecard(posts)
    card.loc[[0, 1], "grade"] = ["weak", "too much"]
    en, fr = both(audit.failing, card)
    assert en == "posts per week (weak); posting days with more than 2 posts (too much); longest silence (days) (weak)"
    assert fr == (f"publications par semaine (faible){NN}; jours avec plus de 2 publications (excessif){NN}; "
                  "plus long silence (jours) (faible)")
    good = card.assign(grade="good")
    assert both(audit.failing, good) == ("none", "aucun")


def test_overview_words_and_days_in_french(posts):
    en, fr = both(audit.overview, posts, "Acme", True)
    assert en["er_basis_phrase"] == "of the people it reached (interactions ÷ reach)"
    assert fr["er_basis_phrase"] == "des personnes qu’elle a touchées (interactions ÷ portée)"
    assert (en["dates_reconstructed"], fr["dates_reconstructed"]) == ("reconstructed", "reconstituées")
    assert (en["er_basis"], fr["er_basis"]) == ("reach", "portée")
    assert (en["top_post_type"], fr["top_post_type"]) == ("Video", "Vidéo")
    assert en["first_day"] == pd.Timestamp("2024-01-01 09:00") and fr["first_day"] == "1 janvier 2024"
    assert fr["last_day"] == "12 janvier 2024"
    assert {k: v for k, v in en.items() if isinstance(v, (int, float))} == {
        k: v for k, v in fr.items() if isinstance(v, (int, float))}


def test_day_text():
    day = pd.Timestamp("2011-09-09")
    assert both(audit.day_text, day) == (day, "9 septembre 2011")


def test_shown_translates_the_tables_english_labels():
    assert both(m.shown, "too much") == ("too much", "excessif")
    assert both(m.shown, "Posting days with more than 2 posts") == (
        "Posting days with more than 2 posts", "Jours avec plus de 2 publications")
    assert both(m.shown, "Wednesday") == ("Wednesday", "mercredi")
    assert both(m.shown, "2–3 days") == ("2–3 days", "2 à 3 jours")
    assert both(m.shown, "Acme") == ("Acme", "Acme")  # a name it does not know stays as it is


def test_audit_scorecard_writes_its_values_in_french_and_keeps_its_keys(posts):
    en, fr = both(m.audit_scorecard, posts)
    assert en["criterion"].tolist() == fr["criterion"].tolist()
    assert en["grade"].tolist() == fr["grade"].tolist()
    assert en["value"].equals(fr["value"])
    assert en.loc[0, "threshold"] == "1.5 to 7" and fr.loc[0, "threshold"] == "de 1,5 à 7"
    assert en.loc[2, "measured"] == "8 days" and fr.loc[2, "measured"] == "8 jours"
    assert en.loc[3, "measured"] == "0 of 2" and fr.loc[3, "measured"] == "0 sur 2"
    assert en.loc[4, "measured"] == "0.995%" and fr.loc[4, "measured"] == f"0,995{NB}%"
    assert en.loc[4, "threshold"] == "at least 0.064%" and fr.loc[4, "threshold"] == f"au moins 0,064{NB}%"
    assert fr.loc[5, "measured"] == f"3 types, en tête Photo à 50{NB}%"
    assert fr.loc[6, "measured"] == "absent d’un export de publications"
    assert fr.loc[2, "source"].startswith(f"règle du livre{NB}: une semaine entière")
    assert en.loc[2, "source"] == m.SOURCES["longest_silence_max_days"]


def test_compare_tables_in_french(posts):
    table = compare.side_by_side(posts)
    en, fr = both(compare.readable, table)
    assert list(en.columns) == ["Network", "Posts", "Posts a week", "Longest silence (days)", "Median engagement rate",
                                "Rate basis", "Paid posts", "Top post type", "Audit (good / failed)"]
    assert fr.index.name == "Page" and fr.columns[2] == "Publications par semaine"
    assert en["Median engagement rate"].iloc[0] == "7.50%" and fr["Taux d’engagement médian"].iloc[0] == f"7,50{NB}%"
    assert (en["Rate basis"].iloc[0], fr["Base du taux"].iloc[0]) == ("reach", "portée")
    en, fr = both(compare.scorecards, posts)
    assert en["criterion"].iloc[0] == "Posts per week" and fr["criterion"].iloc[0] == "Publications par semaine"
    assert (en["page"].iloc[2], fr["page"].iloc[2]) == ("weak", "faible")


def test_compare_figures_words_in_french(posts):
    en, fr = both(compare.compare_figures, posts)
    assert en["pages_basis"] == "interactions ÷ reach (people reached)"
    assert fr["pages_basis"] == "interactions ÷ portée (personnes touchées)"
    assert en["pages"] == fr["pages"]  # the figures are the same in both languages
    assert fr["fig-pages-compare"].to_dict()["title"]["text"].startswith("Engagement par type de publication")


def test_the_simulated_page_and_its_assumptions_in_french(posts):
    assert both(simulate.silent_name) == ("Silent page (simulated)", "Page silencieuse (simulée)")
    a = simulate.SilentPageAssumptions(posts_per_week=0.7)
    en, fr = both(a.describe)
    assert en["value"].iloc[0] == "0.7" and fr["value"].iloc[0] == "0,7"
    assert en["assumption"].tolist() == fr["assumption"].tolist()
    assert both(simulate.label, "reach_ratio") == ("Reach ratio", "Rapport de portée")
    en, fr = both(simulate.simulate_silent_page, posts, simulate.SilentPageAssumptions(start="2024-01-01", weeks=2))
    assert set(en["page"]) == {"Silent page (simulated)"} and set(fr["page"]) == {"Page silencieuse (simulée)"}
    assert en["interactions"].equals(fr["interactions"])


def test_chart_words_in_french(posts):
    en, fr = both(audit.best_time_figures, posts, "Acme", 1)
    spec = fr["fig-flowers-heatmap"].to_dict()
    assert spec["title"]["text"] == f"Taux d’engagement médian par jour et par heure{NB}: Acme"
    assert spec["encoding"]["x"]["title"] == "Heure de publication"
    assert spec["encoding"]["y"]["scale"]["domain"][0] == "lundi"
    assert en["fig-flowers-heatmap"].to_dict()["encoding"]["x"]["title"] == "Hour of publication"


def test_every_word_of_the_page_chapters_has_a_french_translation():
    import io

    from babel.messages.extract import extract

    from casebook.build.catalogs import KEYWORDS, _notebook_code, french_typography
    from casebook.paths import NOTEBOOKS, ROOT

    sources = [(ROOT / "casebook" / "pages" / f).read_bytes() for f in
               ("metrics.py", "audit.py", "charts.py", "compare.py", "simulate.py")]
    sources += [_notebook_code(NOTEBOOKS / f"{slug}.ipynb").encode() for slug in ("monceau-fleurs", "1800-flowers")]
    words = {message for source in sources
             for _line, message, _comments, _context in extract("python", io.BytesIO(source), keywords=KEYWORDS)}
    french = i18n.messages("fr")
    assert len(words) > 150
    assert sorted(w for w in words if w not in french) == []
    assert [w for w in words if french_typography(french[w])] == []
    assert not any(w.startswith(("posts_per", "er_followers")) for w in words)  # no dict keys taken for words


def test_the_label_lists_are_the_labels_the_tables_keep():
    labels = m._label_words()
    assert set(m.GAP_LABELS) <= set(labels) and set(m.WEEKDAYS) <= set(labels)
    assert set(m.SOURCES.values()) <= set(labels)
    i18n.use("fr")
    assert m._label_words()[:4] == ["bon", "faible", "excessif", "non mesuré"]
    assert compare._basis_words() == [compare.basis_words("reach"), compare.basis_words("impressions")]
    assert simulate._assumption_words()[1] == simulate.label("irregularity") == "Irrégularité"
