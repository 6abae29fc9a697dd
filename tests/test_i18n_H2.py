"""The community manager chapter in French (room support): its tables', charts' and glued words come from
the catalog, its numbers and dates are written the French way, and the English stays as it was."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from casebook import i18n, paths
from casebook.build.catalogs import french_typography
from casebook.io.posts import load_posts
from casebook.support import charts, replies, rules

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Every test leaves the book in English, whatever language it switched to."""
    yield
    i18n.use("en")


@pytest.fixture(scope="module")
def uci_posts() -> pd.DataFrame:
    return load_posts(paths.dataset("facebook_metrics"))[0]


def _rules(posts: pd.DataFrame, lang: str, **kw: object) -> tuple[pd.DataFrame, dict[str, object]]:
    i18n.use(lang)
    table = rules.page_rules(posts, **kw)
    return table, rules.rules_figures(table, dates_reconstructed=True)


def test_rules_figures_in_french_and_english(uci_posts):
    _, en = _rules(uci_posts, "en")
    _, fr = _rules(uci_posts, "fr")
    assert en["rule2_measured"] == "69% of posts; median engagement 1.63% against 3.06%"
    assert fr["rule2_measured"] == f"69{NBSP}% des publications{NNBSP}; engagement médian de 1,63{NBSP}% contre 3,06{NBSP}%"
    assert (en["rule3_max_grade"], en["rule3_posts_per_week_grade"], en["rule2_grade"]) == ("good", "too much", "weak")
    assert (fr["rule3_max_grade"], fr["rule3_posts_per_week_grade"], fr["rule2_grade"]) == ("bon", "excessif", "faible")
    assert (en["rule3_silent_weeks"], fr["rule3_silent_weeks"]) == ("4 of 51", "4 sur 51")
    assert (en["page_dates"], fr["page_dates"]) == ("reconstructed", "reconstituées")
    numbers = [k for k, v in en.items() if not isinstance(v, str)]
    assert numbers and all(en[k] == fr[k] for k in numbers)  # glued numbers do not depend on the language


def test_rules_table_words_in_french(uci_posts):
    en, _ = _rules(uci_posts, "en")
    fr, _ = _rules(uci_posts, "fr")
    assert list(fr["status"]) == list(en["status"])  # the status is a key, never translated
    assert list(fr["value"].fillna(-1)) == list(en["value"].fillna(-1))
    row = fr.set_index("check").loc["Publications par semaine"]
    assert (row["measured"], row["threshold"], row["grade"]) == (
        "10,0", f"au plus 7 (une par jour, c’est «{NBSP}déjà beaucoup{NBSP}»)", "excessif")
    assert en.set_index("check").loc["Posts per week", "measured"] == "10.0"
    hand = fr[fr["status"] == rules.BY_HAND]
    assert hand["check"].iloc[0] == f"La présence sur les réseaux sociaux s’inscrit-elle dans un plan marketing{NNBSP}?"
    own = fr[~fr["check"].isin(["Variété des contenus (types de publication)",  # measured by the page chapters
                                "Messages de clients ayant reçu une réponse"])]
    for column in ("check", "measured", "threshold", "how_to_check"):
        for text in own[column]:
            assert not french_typography(text), (column, text)


def test_rules_unlabelled_export_in_french(uci_posts):
    unlabelled = uci_posts.assign(category=pd.array([pd.NA] * len(uci_posts), dtype="string"))
    _, fr = _rules(unlabelled, "fr")
    assert (fr["rule2_measured"], fr["rule2_grade"]) == ("l’export ne signale aucune publication comme commerciale",
                                                         "à vérifier à la main")
    _, en = _rules(unlabelled, "en")
    assert (en["rule2_measured"], en["rule2_grade"]) == ("the export labels no post as commercial", "to check by hand")


def test_status_label():
    assert [rules.status_label(s) for s in (rules.FROM_POSTS, rules.FROM_CONVERSATIONS, rules.BY_HAND)] == [
        "post export", "checked from a conversation export", "not checkable from an export"]
    i18n.use("fr")
    assert [rules.status_label(s) for s in (rules.FROM_POSTS, rules.FROM_CONVERSATIONS, rules.BY_HAND)] == [
        "export des publications", "vérifié sur un export de conversations", "non vérifiable à partir d’un export"]
    assert rules.status_label("something else") == "something else"


def test_credit_line():
    assert replies.credit_line(replies.TWCS_CREDIT) == replies.TWCS_CREDIT
    assert replies.credit_line("Data: inbox.csv") == "Data: inbox.csv"
    i18n.use("fr")
    assert replies.credit_line(replies.TWCS_CREDIT) == f"Données{NBSP}: Customer Support on Twitter, CC BY-NC-SA 4.0"
    assert replies.credit_line("Data: inbox.csv") == f"Données{NBSP}: inbox.csv"
    assert replies.credit_line("My team") == "My team"


def test_day_text():
    day = pd.Timestamp("2017-10-31")
    assert replies.day_text(day) == "2017-10-31"
    i18n.use("fr")
    assert replies.day_text(day) == "31 octobre 2017"


def _table() -> pd.DataFrame:
    return pd.DataFrame({"brand": ["Acme", "Bolt"], "business_inbound": [20, 30], "off_hours_inbound": [20, 5],
                         "business_median_min": [5.0, 2.0], "off_hours_median_min": [3.0, 9.0]})


def test_business_contrast_none_in_french():
    en = replies.business_contrast(_table())
    assert (en["business_brands_list"], en["business_faster_list"]) == ("Acme", "none")
    i18n.use("fr")
    fr = replies.business_contrast(_table())
    assert (fr["business_brands_list"], fr["business_faster_list"]) == ("Acme", "aucun")
    assert {k: v for k, v in fr.items() if not isinstance(v, str)} == \
        {k: v for k, v in en.items() if not isinstance(v, str)}


def _titles(spec: object) -> list[str]:
    """Every title, subtitle and tooltip title of a Vega-Lite spec."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("title", "subtitle", "text") and isinstance(value, str):
                found.append(value)
            else:
                found += _titles(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _titles(item)
    return found


def _brands() -> pd.DataFrame:
    return pd.DataFrame({"brand": ["Acme", "Bolt"], "inbound": [20, 30], "answered": [15, 25],
                         "reply_rate": [0.75, 25 / 30], "first_reply_median_min": [5.0, 2.0],
                         "first_reply_median_low": [4.0, 1.5], "first_reply_median_high": [6.0, 2.5],
                         "first_reply_p90_min": [30.0, 9.0], "business_inbound": [10, 15],
                         "business_median_min": [4.0, 2.5], "off_hours_inbound": [10, 15],
                         "off_hours_median_min": [6.0, 1.5]})


def test_charts_in_french():
    en = charts.first_reply_chart(_brands(), "T", credit="C").to_dict()
    assert en["title"]["subtitle"] == "Dot: median; line: its 95% bootstrap interval; orange tick: 90th percentile. C"
    i18n.use("fr")
    chart = charts.first_reply_chart(_brands(), "T", credit="C", confidence=0.9).to_dict()
    assert chart["title"]["subtitle"] == (f"Point{NBSP}: médiane{NNBSP}; trait{NBSP}: son intervalle bootstrap à "
                                          f"90{NBSP}%{NNBSP}; tiret orange{NBSP}: 90e centile. C")
    words = _titles(chart)
    assert "Minutes avant la première réponse (échelle log)" in words and "marque" in words
    assert "brand" not in words and "median first reply (min)" not in words
    business = charts.business_chart(_brands(), "T", credit="C").to_dict()
    assert {"heures ouvrées", "hors heures ouvrées"} <= {r["period"] for r in business["datasets"].values()
                                                           for r in r}
    hours = pd.DataFrame({"hour": range(24), "inbound": [12] * 24, "answered": [11] * 24,
                          "reply_rate": [11 / 12] * 24, "first_reply_median_min": [3.5] * 24})
    spec = charts.hour_chart(hours, "T", credit="C").to_dict()
    assert spec["title"]["subtitle"].startswith(f"Heures selon l’horloge des données (UTC pour twcs){NNBSP}; "
                                                "médianes des heures comptant au moins 10 messages avec réponse")
