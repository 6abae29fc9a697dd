"""The community room's computed words in French (Nike+ and SNCF chapters); English unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from casebook import i18n
from casebook.community import cascade, funnel, words
from casebook.community import charts as cc
from casebook.community import share as community
from casebook.errors import ParameterError

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture
def fr() -> Iterator[None]:
    i18n.use("fr")
    try:
        yield
    finally:
        i18n.use("en")


def _gain() -> community.ShareGain:
    series = pd.DataFrame({"brand": "Nike", "metric": "market_share", "value": [48.0, 61.0],
                           "date": pd.to_datetime(["2006-12-31", "2008-11-06"])})
    return community.share_gain(series)


def test_say_translates_known_labels_and_keeps_others(fr: None) -> None:
    assert words.say("straight line") == "droite"
    assert words.say("reach") == "portée"
    assert words.say("not a label") == "not a label"
    assert words.metric_label("miles_logged") == "Miles parcourus"
    assert words.rate_label("booking_rate") == "taux de réservation"


def test_say_is_identity_in_english() -> None:
    assert words.say("straight line") == "straight line"
    assert words.metric_label("miles_logged") == "Miles logged"
    assert words.rate_label("booking_rate") == "booking rate"


def test_model_title_french(fr: None) -> None:
    assert cc.model_title("Quelle hypothèse pèse le plus") == "Modèle" + NBSP + ": quelle hypothèse pèse le plus"
    assert cc.model_title("Modèle : déjà") == "Modèle : déjà"


def test_model_title_english() -> None:
    assert cc.model_title("Which assumption moves bookings most") == "Model: which assumption moves bookings most"
    assert cc.model_title("Model totals") == "Model totals"


def test_short_numbers(fr: None) -> None:
    assert cc._short(1_500_000) == "1,5" + NBSP + "M"
    assert cc._short(150_000) == "150" + NBSP + "k"
    assert cc._short(1_300_000_000) == "1,3" + NBSP + "Md"


def test_short_numbers_english() -> None:
    assert [cc._short(v) for v in (1_500_000, 150_000, 1_300_000_000, 12)] == ["1.5M", "150k", "1.3B", "12"]


def test_attribution_scenarios(fr: None) -> None:
    table = community.attribution_table(_gain(), [0, 0.25], [1e9], [0.3])
    assert list(table["scenario"]) == ["0" + NBSP + "% attribués", "25" + NBSP + "% attribués"]


def test_attribution_scenarios_english() -> None:
    table = community.attribution_table(_gain(), [0, 0.25], [1e9], [0.3])
    assert list(table["scenario"]) == ["0% credited", "25% credited"]


def test_share_chart_title(fr: None) -> None:
    series = pd.DataFrame({"brand": "Nike", "metric": "market_share", "value": [48.0, 61.0], "period": pd.NA,
                           "date": pd.to_datetime(["2006-12-31", "2008-11-06"])})
    spec = cc.share_chart(series, _gain()).to_dict()
    assert spec["title"]["text"] == "Nike" + NBSP + ": +13 points de part de marché (+27" + NBSP + "%)"


def test_share_chart_title_english() -> None:
    series = pd.DataFrame({"brand": "Nike", "metric": "market_share", "value": [48.0, 61.0], "period": pd.NA,
                           "date": pd.to_datetime(["2006-12-31", "2008-11-06"])})
    assert cc.share_chart(series, _gain()).to_dict()["title"]["text"] == "Nike: +13 points of market share (+27%)"


def test_funnel_chart_words(fr: None) -> None:
    spec = cc.funnel_chart(funnel.funnel_stages(1000, {}), 1000).to_dict()
    assert spec["title"]["text"] == ("Modèle" + NBSP + ": l’entonnoir des voyages de groupe pour 1" + NNBSP
                                     + "000 organisateurs")
    assert spec["encoding"]["tooltip"][0]["title"] == "Étape"
    stages = {row["stage"] for row in spec["datasets"][next(iter(spec["datasets"]))]}
    assert "invitations envoyées" in stages


def test_funnel_chart_words_english() -> None:
    spec = cc.funnel_chart(funnel.funnel_stages(1000, {}), 1000).to_dict()
    assert spec["title"]["text"] == "Model: the group-trip funnel for 1,000 organisers"
    assert spec["encoding"]["tooltip"][0]["title"] == "Stage"


def test_tornado_figures_words(fr: None) -> None:
    figures = funnel.tornado_figures(funnel.tornado_table(1000, {}, {}))
    assert figures["tornado_top"] == "invitations par organisateur"
    assert figures["tornado_last"] == "taux de réorganisation"


def test_tornado_figures_words_english() -> None:
    figures = funnel.tornado_figures(funnel.tornado_table(1000, {}, {}))
    assert (figures["tornado_top"], figures["tornado_last"]) == ("invitations per organiser", "reorganise rate")


def test_supercritical_message(fr: None) -> None:
    with pytest.raises(ParameterError, match="^K = 1,12 ≥ 1\u00a0: chaque voyage en suscite au moins un autre"):
        funnel.expected_totals(1000, {"reorganise_rate": 0.8})


def test_supercritical_message_english() -> None:
    with pytest.raises(ParameterError, match="^K = 1.12 ≥ 1: every trip seeds at least one more"):
        funnel.expected_totals(1000, {"reorganise_rate": 0.8})


def test_reach_relay_strategies(fr: None) -> None:
    curve = cascade.reach_vs_relay_curve({}, {}, {})
    assert list(dict.fromkeys(curve["strategy"])) == ["1" + NNBSP + "000 contacts (portée)", "10 relais"]


def test_reach_relay_strategies_english() -> None:
    curve = cascade.reach_vs_relay_curve({}, {}, {})
    assert list(dict.fromkeys(curve["strategy"])) == ["1,000 contacts (reach)", "10 relays"]


def test_usd_axis_has_no_euro(fr: None) -> None:
    table = community.attribution_table(_gain(), [0.5, 1], [1e9, 2e9], [0.3, 0.5])
    spec = cc.attribution_chart(table, "Nike").to_dict()
    text = str({k: v for k, v in spec.items() if k not in ("config", "$schema")})  # the config holds the currency
    assert "$" not in text and "USD" in text
