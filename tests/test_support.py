"""Tests of casebook.support: reply chains, first-reply times, the brands' figures and charts, the seed's rules."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from casebook import paths
from casebook.charts import tooltip_problems
from casebook.errors import ParameterError
from casebook.io.conversations import load_conversations
from casebook.io.posts import load_posts
from casebook.notebook import plain, plain_data
from casebook.pages import metrics
from casebook.support import charts, replies, rules

FIX = Path(__file__).parent / "fixtures" / "conversations"
GLUE_KEYS = ["inbound_messages", "brand_replies", "reply_rate", "first_reply_median_min", "first_reply_p90_min",
             "brands", "fastest_brand"]


@pytest.fixture(scope="module")
def twcs() -> pd.DataFrame:
    return load_conversations(paths.dataset("twcs"))[0]


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return load_conversations(FIX / "twcs_small.csv")[0]


@pytest.fixture(scope="module")
def figures(twcs):
    return replies.support_figures(twcs)


# --- a hand-checked conversation file (tests/fixtures/conversations/make_fixtures.py) -----------------

def test_small_file_attribution_and_first_replies(small):
    inb = replies.inbound_messages(small).set_index("message_id")
    assert inb["brand"].fillna("-").to_dict() == {"1": "AcmeHelp", "3": "AcmeHelp", "6": "AcmeHelp",
                                                  "7": "ZetaCare", "13": "AcmeHelp", "11": "-", "10": "AcmeHelp"}
    assert inb["attributed_by"].fillna("-").to_dict() == {
        "1": "answered", "3": "answered", "6": "replies to", "7": "answered", "13": "answered", "11": "-",
        "10": "mention"}  # 10 opens with @acmehelp (case ignored); 11 names no brand
    assert inb["first_reply_min"].dropna().to_dict() == {"1": 10.0, "3": 30.0, "7": 120.0, "13": 5.0}
    assert inb.loc["7", "brand_replies"] == 2
    assert inb["business"].to_dict() == {"1": True, "3": True, "6": True, "7": False, "13": True, "11": True,
                                         "10": False}  # 7 at 20:00; 10 on a Saturday


def test_small_file_chains_and_pairs(small):
    t = replies.threads(small).set_index("message_id")
    assert t.loc[["1", "2", "3", "4", "5", "6"], "conversation"].eq("1").all()
    assert t.loc["12", "conversation"] == "12" and not t.loc["12", "reply_in_file"]
    pairs = replies.reply_pairs(small)
    assert list(zip(pairs["reply_id"], pairs["inbound_id"], pairs["minutes"], strict=True)) == [
        ("2", "1", 10.0), ("4", "3", 30.0), ("8", "7", 120.0), ("9", "7", 121.0), ("14", "13", 5.0)]
    conv = replies.conversations(small).set_index("conversation")
    assert conv[["brand", "inbound", "exchanges", "brand_replies", "answered"]].to_dict("index") == {
        "1": {"brand": "AcmeHelp", "inbound": 3, "exchanges": 2, "brand_replies": 2, "answered": True},
        "7": {"brand": "ZetaCare", "inbound": 1, "exchanges": 1, "brand_replies": 2, "answered": True},
        "13": {"brand": "AcmeHelp", "inbound": 1, "exchanges": 1, "brand_replies": 1, "answered": True},
        "10": {"brand": "AcmeHelp", "inbound": 1, "exchanges": 0, "brand_replies": 0, "answered": False}}


def test_small_file_figures(small):
    f = replies.support_figures(small, min_conversations=1, n_resamples=200)
    assert {k: f[k] for k in ("inbound_messages", "inbound_attributed", "unattributed_inbound", "brand_messages",
                              "brand_replies", "replies_unmatched", "answered", "brands", "conversations",
                              "replied_conversations")} == {
        "inbound_messages": 7, "inbound_attributed": 6, "unattributed_inbound": 1, "brand_messages": 7,
        "brand_replies": 5, "replies_unmatched": 2, "answered": 4, "brands": 2, "conversations": 4,
        "replied_conversations": 3}
    assert f["reply_rate"] == pytest.approx(4 / 6)
    assert f["first_reply_median_min"] == 20.0  # of 5, 10, 30, 120
    assert f["first_reply_p90_min"] == pytest.approx(93.0)  # linear interpolation: 30 + 0.7 × 90
    assert math.isnan(f["first_reply_median_low"])  # under 10 times: no interval
    assert f["reply_delay_median_min"] == 30.0  # of 5, 10, 30, 120, 121
    assert f["multi_exchange_share"] == pytest.approx(1 / 3) and f["multi_reply_share"] == pytest.approx(2 / 3)
    assert (f["fastest_brand"], f["fastest_brand_median_min"]) == ("AcmeHelp", 10.0)
    assert (f["business_median_min"], f["off_hours_median_min"]) == (10.0, 120.0)
    table = pd.DataFrame(f["brand_figures"]).set_index("brand")
    assert table.loc["AcmeHelp", ["inbound", "answered", "brand_messages", "brand_replies"]].tolist() == [5, 3, 5, 3]
    assert table.loc["ZetaCare", "reply_delay_median_min"] == 120.5


def test_hour_and_exchange_tables(small):
    hours = replies.hour_table(small)
    assert len(hours) == 24 and hours["inbound"].sum() == 6
    assert hours.set_index("hour").loc[10, ["inbound", "answered", "first_reply_median_min"]].tolist() == [2, 2, 20.0]
    ex = replies.exchanges_table(small)
    assert ex[ex["conversations"] > 0][["brand", "exchanges", "conversations"]].values.tolist() == [
        ["AcmeHelp", "1", 1], ["AcmeHelp", "2", 1], ["ZetaCare", "1", 1]]


def test_a_conversation_is_timed_by_its_opening_message(small):
    late = small[small["message_id"] != "2"].copy()  # 1 unanswered; the customer adds 3, which is answered
    late.loc[late["message_id"] == "3", "reply_to"] = "1"
    conv = replies.conversations(late).set_index("conversation")
    assert conv.loc["1", "exchanges"] == 1 and math.isnan(conv.loc["1", "first_reply_min"])


def test_a_reply_cycle_does_not_hang(small):
    cyc = small.copy()
    cyc.loc[cyc["message_id"] == "1", "reply_to"] = "6"  # 1 -> 6 -> 4 -> 3 -> 2 -> 1
    t = replies.threads(cyc).set_index("message_id")
    assert len(t) == 14 and t.loc["7", "conversation"] == "7"


def test_a_reply_dated_before_its_message_has_no_time(small):
    skewed = small.copy()
    skewed.loc[skewed["message_id"] == "14", "created"] = pd.Timestamp("2017-10-31 08:00")
    inb = replies.inbound_messages(skewed).set_index("message_id")
    assert inb.loc["13", "answered"] and math.isnan(inb.loc["13", "first_reply_min"])


# --- the bundled twcs file: SOURCE.md's check values -------------------------------------------------

def test_twcs_counts(figures):
    assert (figures["inbound_messages"], figures["brand_messages"], figures["brands"]) == (2_778, 2_222, 76)
    assert (figures["brand_replies"], figures["replies_unmatched"]) == (2_188, 13)  # 2,188 of 2,201 replies


def test_twcs_unmatched_replies_are_outside_the_sample_or_answer_the_brand(twcs):
    brand = twcs[~twcs["inbound"]]
    replying = brand[brand["reply_to"].notna()]
    assert len(replying) == 2_201
    parent_inbound = replying["reply_to"].map(twcs.set_index("message_id")["inbound"])
    assert int(parent_inbound.isna().sum()) == 3 and int((parent_inbound == False).sum()) == 10  # noqa: E712


def test_twcs_reply_delay_reproduces_the_published_medians(twcs, figures):
    assert round(figures["reply_delay_median_min"], 1) == 12.1
    table = replies.brand_table(twcs, ["AmazonHelp", "AppleSupport", "Delta", "British_Airways"],
                                n_resamples=200).set_index("brand")
    published = {"AmazonHelp": 8.9, "AppleSupport": 9.0, "Delta": 22.5, "British_Airways": 342.5}
    for brand, value in published.items():
        assert table.loc[brand, "reply_delay_median_min"].round(1) == value, brand  # AppleSupport: 8.95 -> 9.0


def test_twcs_first_reply_times(figures):
    """One time per inbound tweet, to its earliest brand reply: 11.5 min (the per-reply median is 12.1)."""
    assert round(figures["first_reply_median_min"], 1) == 11.5
    assert round(figures["first_reply_median_min"]) == 12  # the "about 12 minutes"
    assert figures["answered"] == 2_083 and figures["inbound_attributed"] == 2_616
    assert figures["reply_rate"] == pytest.approx(2_083 / 2_616)
    table = pd.DataFrame(figures["brand_figures"]).set_index("brand")
    assert table["first_reply_median_min"].round(1).to_dict() == {
        "ChipotleTweets": 9.9, "AmazonHelp": 8.9, "AppleSupport": 9.0, "Uber_Support": 17.9,
        "marksandspencer": 25.3, "Delta": 20.9, "AmericanAir": 7.1, "British_Airways": 344.1, "Tesco": 93.3,
        "TMobileHelp": 3.4}
    assert table["inbound"].tolist() == [229, 224, 161, 129, 107, 104, 100, 95, 94, 90]


def test_twcs_fastest_brand(figures):
    assert figures["fastest_brand"] == "TMobileHelp" and round(figures["fastest_brand_median_min"], 2) == 3.38
    assert figures["fastest_min_conversations"] == 20


def test_intervals_contain_the_estimates(figures):
    for stat in ("median", "p90"):
        point = figures[f"first_reply_{stat}_min"]
        assert figures[f"first_reply_{stat}_low"] <= point <= figures[f"first_reply_{stat}_high"]
    table = pd.DataFrame(figures["brand_figures"])
    for stat in ("median", "p90"):
        ok = table[f"first_reply_{stat}_low"].notna()
        assert ok.all()
        assert (table.loc[ok, f"first_reply_{stat}_low"] <= table.loc[ok, f"first_reply_{stat}_min"]).all()
        assert (table.loc[ok, f"first_reply_{stat}_min"] <= table.loc[ok, f"first_reply_{stat}_high"]).all()


def _scalars(f: dict) -> str:
    return json.dumps({k: plain_data(v) for k, v in f.items() if not k.startswith("fig-")}, sort_keys=True)


def test_seeded_results_are_identical_twice(twcs):
    a = replies.support_figures(twcs, seed=7, n_resamples=100)
    b = replies.support_figures(twcs, seed=7, n_resamples=100)
    c = replies.support_figures(twcs, seed=8, n_resamples=100)
    assert _scalars(a) == _scalars(b)
    assert a["first_reply_median_low"] != c["first_reply_median_low"] or a["first_reply_p90_low"] != c[
        "first_reply_p90_low"]


def test_a_brand_interval_does_not_depend_on_the_brands_compared(twcs):
    alone = replies.brand_table(twcs, ["Delta"], n_resamples=300).iloc[0]
    many = replies.brand_table(twcs, ["AmazonHelp", "Delta"], n_resamples=300).set_index("brand").loc["Delta"]
    assert alone["first_reply_median_low"] == many["first_reply_median_low"]


def test_glue_keys_are_plain_values(figures):
    for key in GLUE_KEYS:
        value = plain(figures[key])
        assert isinstance(value, (int, float, str)) and not isinstance(value, bool), key
    assert figures["brands_compared"].startswith("ChipotleTweets, AmazonHelp")
    records = plain_data(figures["brand_figures"])  # what glue() writes to figures.json
    assert len(records) == 10 and records[0]["brand"] == "ChipotleTweets"
    json.dumps(records)


def test_chosen_brands(twcs):
    f = replies.support_figures(twcs, brands=["@amazonhelp", "Delta"], n_resamples=200)
    assert f["brands"] == 2 and f["brands_compared"] == "AmazonHelp, Delta"
    assert f["inbound_messages"] == f["inbound_attributed"] == 224 + 104
    assert f["brand_messages"] == 192 + 111 and f["unattributed_inbound"] == 0
    assert f["fastest_brand"] == "AmazonHelp"
    assert replies.support_figures(twcs, brands="AmazonHelp, delta", n_resamples=100)["brands_compared"] == \
        "AmazonHelp, Delta"
    with pytest.raises(ParameterError, match=r"brands: 'NoSuchBrand' wrote no brand message.*AmazonHelp"):
        replies.support_figures(twcs, brands=["NoSuchBrand"])


@pytest.mark.parametrize("hours", [(18, 9), (9,), (0, 25), ("nine", 18), (9.5, 18)])
def test_bad_business_hours(twcs, hours):
    with pytest.raises(ParameterError, match="business_hours"):
        replies.support_figures(twcs, business_hours=hours)


def test_business_hours_are_per_brand_and_pooled(twcs, figures):
    biz = replies.business_table(twcs, n_resamples=200)
    assert biz["period"].tolist() == ["business hours", "off hours"]
    assert biz["inbound"].sum() == 2_616
    assert biz["definition"].iloc[0] == "09:00–18:00, Mon, Tue, Wed, Thu, Fri (data's clock)"
    assert figures["business_median_min"] == biz["first_reply_median_min"].iloc[0]


def test_fastest_needs_enough_conversations(figures):
    table = pd.DataFrame(figures["brand_figures"])
    assert replies.fastest(table, 10_000) == ("", pytest.approx(float("nan"), nan_ok=True))


def test_slowest_of_the_brands_compared(figures):
    table = pd.DataFrame(figures["brand_figures"])
    brand, minutes = replies.slowest(table)
    assert brand == "British_Airways" and round(minutes, 1) == 344.1
    assert replies.slowest(table, 10_000)[0] == ""


def test_analysis_refuses_a_frame_that_is_not_canonical():
    with pytest.raises(ValueError, match="not a canonical message table"):
        replies.threads(pd.DataFrame({"id": [1]}))


# --- charts ------------------------------------------------------------------------------------------

def test_charts_are_aggregated_and_carry_the_licence(figures):
    names = [k for k in figures if k.startswith("fig-")]
    assert names == ["fig-support-first-reply", "fig-support-reply-rate", "fig-support-hours",
                     "fig-support-business", "fig-support-exchanges"]
    for name in names:
        spec = figures[name].to_dict()
        rows = [len(v) for v in spec.get("datasets", {}).values()]
        assert rows and max(rows) <= 300, (name, rows)
        assert spec["title"]["subtitle"].endswith("Data: Customer Support on Twitter, CC BY-NC-SA 4.0"), name
        assert "CC BY-NC-SA 4.0" in json.dumps(spec["title"])
        assert tooltip_problems(spec) == [], name  # every hovered value titled and formatted


def test_charts_need_a_credit_line(figures):
    table = pd.DataFrame(figures["brand_figures"])
    with pytest.raises(ValueError, match="credit line"):
        charts.reply_rate_chart(table, "Reply rate", credit="")
    custom = charts.reply_rate_chart(table, "Reply rate", credit="Data: my_inbox.csv").to_dict()
    assert custom["title"]["subtitle"].endswith("Data: my_inbox.csv")


# --- the seed's rules on a page ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def uci_posts() -> pd.DataFrame:
    return load_posts(paths.dataset("facebook_metrics"))[0]


def test_rules_cover_every_rule_of_the_seed(uci_posts):
    table = rules.page_rules(uci_posts)
    assert sorted(set(table["rule"])) == [r.number for r in rules.RULES]
    assert set(table["status"]) <= {rules.FROM_POSTS, rules.FROM_CONVERSATIONS, rules.BY_HAND}
    hand = table[table["status"] == rules.BY_HAND]
    assert (hand["how_to_check"].str.len() > 0).all()  # every rule no export checks says how to check it
    assert (table.loc[table["status"] != rules.BY_HAND, "grade"] != "").all()


def test_rules_reuse_the_page_metrics(uci_posts):
    table = rules.page_rules(uci_posts).set_index("check")
    c = metrics.cadence(uci_posts)
    assert table.loc["Most posts in a single day", "value"] == c["max_posts_per_day"] == 13
    assert table.loc["Most posts in a single day", "grade"] == "good"  # far below the seed's 45
    assert table.loc["Posts per week", "value"] == pytest.approx(c["posts_per_week"])
    card = metrics.audit_scorecard(uci_posts).set_index("criterion")
    assert table.loc["Posts per week", "grade"] == card.loc["Posts per week", "grade"] == "too much"
    assert table.loc["Content variety (post types)", "grade"] == card.loc["Content variety (post types)", "grade"]
    assert table.loc["Days of the week with posts", "measured"] == "7 of 7"


def test_rules_with_a_conversation_export(uci_posts, figures):
    table = rules.page_rules(uci_posts, answers=figures)
    answered = table[table["check"] == "Customers' messages answered"].iloc[0]
    assert answered["status"] == rules.FROM_CONVERSATIONS and answered["grade"] == "good"  # 79.6% ≥ 47.6%
    summary = rules.rules_summary(table)
    assert summary["rules_checked_list"] == "1, 2, 3, 6, 7"
    assert summary["rules_by_hand_list"] == "0, 4, 5, 8, 9"  # UCI has no post texts: tone by hand
    assert summary["checks_from_conversations"] == 2
    without = rules.rules_summary(rules.page_rules(uci_posts))
    assert without["rules_checked"] == 4 and without["checks_from_conversations"] == 0


def test_tone_markers_only_when_the_export_has_texts(uci_posts):
    texts = uci_posts.assign(message=pd.array(["Great news!", "New in store?", "Hello 🙂", None] * 125,
                                              dtype="string"))
    row = rules.page_rules(texts).set_index("check").loc[
        "Tone markers in post texts (exclamation marks, questions, emoji)"]
    assert row["status"] == rules.FROM_POSTS and row["grade"] == "to judge"
    assert row["measured"].startswith("33% with '!', 33% with '?', 33% with an emoji (of 375 texts)")


def test_commercial_share_needs_labelled_categories(uci_posts):
    table = rules.page_rules(uci_posts).set_index("check")
    row = table.filter(like="commercial", axis=0).iloc[0]
    share = uci_posts["category"].isin(["action", "product"]).mean()
    assert row["value"] == pytest.approx(share)
    unlabelled = rules.page_rules(uci_posts.assign(category=pd.array([pd.NA] * 500, dtype="string")))
    assert unlabelled.loc[unlabelled["rule"] == 2, "status"].item() == rules.BY_HAND


def test_rule_values_are_finite_where_measured(uci_posts):
    table = rules.page_rules(uci_posts)
    measured = table[table["status"] == rules.FROM_POSTS]
    assert np.isfinite(measured["value"].astype(float)).all()


# --- the texts of the brands' messages: sign-offs and private channels ------------------------------

def _frame(rows: list[tuple[str, str, bool, str, str | None, str]]) -> pd.DataFrame:
    """A canonical message table from (id, author, inbound, time, reply_to, text) rows."""
    df = pd.DataFrame(rows, columns=replies.COLUMNS)
    return df.astype({"message_id": "string", "author": "string", "inbound": "boolean", "created": "datetime64[ns]",
                      "reply_to": "string", "text": "string"})


@pytest.mark.parametrize(("text", "expected"), [
    ("@1 Let's explore your options here: https://t.co/x ^FJ", "FJ"),
    ("@1 ...on the upgrade list. *TJN 2/2", "TJN"),
    ("@1 Photos would be perfect :) Ty - Darren", "Darren"),
    ("@1 Hi there! -Becky https://t.co/abc", "Becky"),
    ("@1 We'll take a look backstage /FR", "FR"),
    ("@1 Our carriers deliver until 8 PM", None),
    ("@1 Send us a DM and we'll continue from there.", None),
])
def test_sign_off(text, expected):
    found = replies.sign_off(pd.Series([text], dtype="string")).iloc[0]
    assert (None if pd.isna(found) else found) == expected


def test_sign_offs_and_private_channels_per_brand():
    msgs = _frame([
        ("1", "c1", True, "2017-10-31 10:00", None, "@AcmeHelp my parcel is late"),
        ("2", "AcmeHelp", False, "2017-10-31 10:05", "1", "@c1 Sorry! Send us a DM with the order number ^AB"),
        ("3", "c1", True, "2017-10-31 10:10", "2", "@AcmeHelp done"),
        ("4", "AcmeHelp", False, "2017-10-31 10:20", "3", "@c1 Thanks, replied in private message ^CD"),
        ("5", "c2", True, "2017-11-02 09:00", None, "@AcmeHelp hello"),
        ("6", "AcmeHelp", False, "2017-11-02 09:30", "5", "@c2 Hi! How can we help? ^AB"),
        ("7", "AcmeHelp", False, "2017-11-02 09:31", "6", "@c2 (we are open 8 AM to 5 PM) 2/2"),
        ("8", "c3", True, "2017-11-02 11:00", None, "@ZetaCare help"),
        ("9", "ZetaCare", False, "2017-11-02 11:30", "8", "@c3 Please direct message us."),
    ])
    signs = replies.sign_off_table(msgs).set_index("brand")
    assert signs.loc["AcmeHelp"].to_dict() == {
        "brand_messages": 4, "signed": 3, "sign_offs": 2, "signed_share": 0.75, "busiest_day": "2017-10-31",
        "busiest_day_messages": 2, "busiest_day_sign_offs": 2}  # 2 messages each day: the earliest wins
    assert signs.loc["ZetaCare", ["signed", "sign_offs"]].tolist() == [0, 0]
    private = replies.private_channel_table(msgs).set_index("brand")
    assert private.loc["AcmeHelp"].to_dict() == {"brand_replies": 3, "private_channel": 2,
                                                 "private_share": pytest.approx(2 / 3)}  # 7 answers the brand
    assert private.loc["ZetaCare", "private_channel"] == 1
    f = replies.team_figures(signs.reset_index(), private.reset_index())
    assert (f["signing_brands"], f["sign_off_brand"], f["sign_off_count"]) == (1, "AcmeHelp", 2)
    assert f["private_replies"] == 3 and f["private_share"] == pytest.approx(3 / 4)
    assert f["private_top_brand"] == "" and math.isnan(f["private_top_share"])  # no brand with 20 replies
    with pytest.raises(ParameterError, match="brands: 'Nobody'"):
        replies.sign_off_table(msgs, ["Nobody"])


def test_twcs_sign_offs_and_private_channels(twcs, figures):
    names = figures["brands_compared"].split(", ")
    signs = replies.sign_off_table(twcs, names)
    private = replies.private_channel_table(twcs, names)
    assert signs["brand"].tolist() == private["brand"].tolist() == names
    assert (private["brand_replies"].to_numpy() == pd.DataFrame(figures["brand_figures"])["brand_replies"]).all()
    f = replies.team_figures(signs, private)
    assert (f["sign_off_brand"], f["sign_off_count"], f["sign_off_messages"]) == ("AmazonHelp", 75, 192)
    assert (f["sign_off_day"], f["sign_off_day_messages"], f["sign_off_day_count"]) == ("2017-10-31", 114, 55)
    assert f["signing_brands"] == 6  # AppleSupport, Uber_Support, AmericanAir and marksandspencer do not sign
    assert (f["private_top_brand"], f["private_replies"]) == ("TMobileHelp", 225)
    assert f["private_top_share"] == pytest.approx(69 / 77)


def test_business_contrast_compares_each_brand_with_itself(figures):
    table = pd.DataFrame(figures["brand_figures"])
    c = replies.business_contrast(table)
    assert c == {"business_min_messages": 10, "business_brands": 4,
                 "business_brands_list": "AmazonHelp, marksandspencer, British_Airways, Tesco",
                 "business_faster": 1, "business_faster_list": "marksandspencer"}
    assert replies.business_contrast(table, 1_000)["business_brands_list"] == "none"


def test_time_concentration(twcs):
    c = replies.time_concentration(twcs)
    assert (c["busiest_day"], c["peak_hours"]) == ("2017-10-31", "22:00–01:00")
    assert c["busiest_day_share"] == pytest.approx(3_056 / 5_000)
    assert 0.5 < c["peak_hours_share"] < 0.7
    assert replies.time_concentration(twcs, window=24)["peak_hours_share"] == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="window"):
        replies.time_concentration(twcs, window=0)


def test_conversation_concentration(twcs, small):
    c = replies.conversation_concentration(twcs, "marksandspencer")
    assert (c["inbound"], c["conversations"]) == (107, 7)
    assert c["largest_share"] == pytest.approx(96 / 107)  # one "mince pie" thread naming several brands
    assert c["reply_rate"] == pytest.approx(23 / 107) and c["reply_rate_without_largest"] == pytest.approx(8 / 11)
    acme = replies.conversation_concentration(small, "@acmehelp")
    assert (acme["brand"], acme["inbound"], acme["conversations"]) == ("AcmeHelp", 5, 3)
    assert acme["largest_share"] == pytest.approx(3 / 5) and acme["mention_share"] == pytest.approx(1 / 5)
    assert acme["reply_rate_without_largest"] == pytest.approx(1 / 2)
    with pytest.raises(ParameterError):
        replies.conversation_concentration(small, "Nobody")


def test_rules_figures(uci_posts, figures):
    f = rules.rules_figures(rules.page_rules(uci_posts), dates_reconstructed=True)
    assert (f["rule3_max_per_day"], f["rule3_max_grade"], f["seed_daily_warning"]) == (13, "good", 45)
    assert f["rule3_posts_per_week_grade"] == "too much" and f["rule3_silent_weeks"].endswith(" of 51")
    assert f["rule2_grade"] == "weak" and f["rule2_measured"].startswith("69% of posts")
    assert (f["rules_checked_list"], f["page_dates"]) == ("1, 2, 3, 6", "reconstructed")
    unlabelled = uci_posts.assign(category=pd.array([pd.NA] * 500, dtype="string"))
    g = rules.rules_figures(rules.page_rules(unlabelled, answers=figures))
    assert (g["rule2_measured"], g["rule2_grade"]) == ("the export labels no post as commercial", "to check by hand")
    assert (g["page_dates"], g["checks_from_conversations"]) == ("as exported", 2)


def test_twcs_customers_and_time_bunching():
    """The data appendix's check values that the loader's report gives."""
    msgs, report = load_conversations(paths.dataset("twcs"))
    assert (report.customers, report.inbound, report.brand_messages, report.brands) == (1_443, 2_778, 2_222, 76)
    assert round(replies.time_concentration(msgs)["busiest_day_share"], 2) == 0.61


def test_scope_brands_picks_accounts_by_name_case_and_at_ignored() -> None:
    from casebook.support.chains import scope_brands

    accounts = ["AmazonHelp", "Delta", "AppleSupport"]
    assert scope_brands(accounts, None) == accounts and scope_brands(accounts, []) == accounts
    assert scope_brands(accounts, "@delta, amazonhelp delta") == ["Delta", "AmazonHelp"]
    assert scope_brands(accounts, ["APPLESUPPORT"]) == ["AppleSupport"]
    with pytest.raises(ParameterError, match=r"^brands: 'Nobody' wrote no brand message in this export; expected "
                                             r"brand accounts among: AmazonHelp, Delta, AppleSupport$"):
        scope_brands(accounts, "Delta, Nobody")


def test_the_split_modules_keep_every_public_name_importable_from_replies() -> None:
    from casebook.support import chains, texts

    for module in (chains, texts):
        for name in dir(module):
            if not name.startswith("_") and callable(getattr(module, name)) and getattr(module, name).__module__ == module.__name__:
                assert getattr(replies, name) is getattr(module, name), name


def test_check_messages_refuses_a_table_without_the_canonical_columns(small) -> None:
    from casebook.support.chains import check_messages

    assert check_messages(small) is None
    with pytest.raises(ValueError, match=r"^not a canonical message table: missing reply_to, text \(read exports "
                                         r"with casebook.io.conversations.load_conversations\)$"):
        check_messages(small.drop(columns=["text", "reply_to"]))


def test_conversations_from_inbound_is_conversations_without_rebuilding_the_chains(small) -> None:
    from casebook.support.chains import conversations_from_inbound

    got = conversations_from_inbound(replies.inbound_messages(small))
    pd.testing.assert_frame_equal(got, replies.conversations(small))
    assert len(got) > 1 and got["brand"].notna().all() and (got["inbound"] >= 1).all()
    assert (got["answered"] == (got["exchanges"] > 0)).all()
