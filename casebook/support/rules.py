"""A brand page's rules made measurable (room support): seed 003's list, one row per check.

May import: the foundation and pages.metrics (every number comes from the page chapters' metrics:
cadence, audit scorecard, engagement rates and groups; nothing is recomputed here). Never io.

Seed 003 (a French blog post on brands and social media, ../shared/seeds/003) lists rules for a brand
page, paraphrased in :data:`RULES`. A post export (the canonical post table of
:mod:`casebook.io.posts`) can check some of them; a conversation export (the answers of
:func:`casebook.support.replies.support_figures`) checks the answering ones; the rest are listed with
how a team checks them by hand. The seed gives one number only (45 messages a day is too many; one a
day is "already a lot"): other rows are measured and left to the team's judgement ("to judge"),
or graded against the page chapters' own thresholds (:class:`casebook.pages.metrics.AuditThresholds`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casebook import i18n
from casebook.i18n import gettext as _
from casebook.pages import metrics

SEED = "seed 003"
FROM_POSTS = "checked from the post export"
FROM_CONVERSATIONS = "checked from a conversation export"
BY_HAND = "not checkable from an export"
#: Categories that are selling rather than talking (UCI coding: action = offers and contests, product =
#: product advertising; Moro, Rita & Vala 2016). Other exports' labels are matched case-insensitively.
COMMERCIAL = ("action", "product", "offer", "offers", "promotion", "promo", "sales", "advert", "advertising")
#: The seed's warning: 45 messages a day is far too many.
SEED_DAILY_WARNING = 45
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")


@dataclass(frozen=True)
class Rule:
    """One of the seed's rules, paraphrased."""

    number: int
    summary: str


#: Seed 003's rules in English (paraphrased; 0 is its opening question, 9 its closing advice).
RULES = [
    Rule(0, "A brand nobody knows yet need not be on social networks at all: presence serves a marketing plan, "
            "it does not replace one."),
    Rule(1, "On social networks a brand sits among customers' friends and family, and everything is immediate: "
            "it publishes, and it receives a great deal."),
    Rule(2, "Respect that closeness: adapt the messages; heavily commercial ones tire people and backfire."),
    Rule(3, "Never post 45 times a day; once a day is already a lot; if the rhythm is weekly, keep the "
            "appointment; presence means every day of the week, almost round the clock."),
    Rule(4, "Speak in the brand's own voice (young and playful, or mature and more reserved); the audience "
            "is rather young."),
    Rule(5, "Messages work best from community managers close to the audience: recruit with care and do not "
            "outsource, at least at first."),
    Rule(6, "Have something to say that fits the brand: the marketing plan gives the community managers key "
            "messages, and the brand's values shape what is said."),
    Rule(7, "People react, often unprompted: be transparent; moderating away criticism damages credibility "
            "for a long time; accept messages that do not fit the corporate line."),
    Rule(8, "Use it to improve: listen to customers, take their opinions into account, serve them well."),
    Rule(9, "Posts last and define the brand: frame the key messages, brief the team, and follow closely at "
            "the start."),
]


def _row(rule: int, check: str, status: str, measured: str, value: float = np.nan, threshold: str = "",
         source: str = SEED, grade: str = "", how: str = "") -> dict[str, object]:
    """One check of the table, its words already in the current language."""
    summary = next(r.summary for r in RULES if r.number == rule)
    return {"rule": rule, "rule_summary": summary, "check": check, "status": status, "measured": measured,
            "value": value, "threshold": threshold, "source": source, "grade": grade, "how_to_check": how}


def status_label(status: str) -> str:
    """How the table shows a check's status, in the current language ("post export" for
    :data:`FROM_POSTS`; the other statuses in full)."""
    labels = {FROM_POSTS: _("post export"), FROM_CONVERSATIONS: _("checked from a conversation export"),
              BY_HAND: _("not checkable from an export")}
    return labels.get(status, status)


def _card(card: pd.DataFrame, criterion: str) -> pd.Series:
    """The scorecard's row of ``criterion``, named in English or in the current language."""
    return card.loc[criterion] if criterion in card.index else card.loc[_(criterion)]


def _commercial(posts: pd.DataFrame) -> pd.Series:
    """True for posts whose category names selling (:data:`COMMERCIAL`), False otherwise, NA if no category."""
    cat = posts["category"].astype("string").str.strip().str.lower()
    return cat.isin(COMMERCIAL).astype("boolean").where(cat.notna(), pd.NA)


def _tone(messages: pd.Series) -> dict[str, float]:
    """Shares of post texts with an exclamation mark, a question, an emoji (markers, not a verdict)."""
    text = messages.dropna().astype(str)
    return {"posts with text": float(len(text)),
            "exclamation": float(text.str.contains("!", regex=False).mean()),
            "question": float(text.str.contains("?", regex=False).mean()),
            "emoji": float(text.str.contains(_EMOJI).mean())}


def page_rules(posts: pd.DataFrame, *, answers: Mapping[str, object] | None = None,
               thresholds: metrics.AuditThresholds | None = None,
               start: str | pd.Timestamp | None = None, end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Seed 003's rules on a page: one row per check, with its status (:data:`FROM_POSTS`,
    :data:`FROM_CONVERSATIONS` or :data:`BY_HAND`), what was measured, the threshold and its source, a
    grade ("good", "weak", "too much", "to judge", "not measured" or "" for the checks by hand) and, for
    those, how a team checks it.

    ``posts`` is the canonical post table; ``answers`` the figures of
    :func:`casebook.support.replies.support_figures` for the same brand, when a conversation export exists;
    ``thresholds`` the page chapters' (default :class:`~casebook.pages.metrics.AuditThresholds`).
    Check, measured, threshold, grade and how_to_check are written in the current language
    (:mod:`casebook.i18n`); the status stays English, a key (:func:`status_label` shows it).
    """
    thresholds = thresholds or metrics.AuditThresholds()
    c = metrics.cadence(posts, start, end)
    card = metrics.audit_scorecard(posts, thresholds, start=start, end=end,
                                   response_rate=None if answers is None else float(answers["reply_rate"]))
    card = card.set_index("criterion")
    rows = []
    rows.append(_row(0, _("Is a presence on social networks part of a marketing plan?"), BY_HAND, "",
                     how=_("Read the marketing plan: which messages go to which channel, and why this network.")))

    comments = metrics.kaushik_rates(posts).loc["conversation"]
    per_post = float(comments["per_post"])
    rows.append(_row(1, _("Comments received per post (Kaushik's conversation rate)"), FROM_POSTS,
                     _("not in this export") if np.isnan(per_post) else i18n.fmt(per_post, ",.1f"), per_post,
                     _("none in the seed"), grade=_("not measured") if np.isnan(per_post) else _("to judge")))
    if answers is not None:
        med = float(answers["first_reply_median_min"])
        rows.append(_row(1, _("How fast customers are answered (median minutes to the first reply)"),
                         FROM_CONVERSATIONS, _("{minutes} min").format(minutes=i18n.fmt(med, ",.1f")), med,
                         _("none in the seed"), grade=_("to judge")))
    else:
        rows.append(_row(1, _("How fast customers are answered"), BY_HAND, _("not in a post export"),
                         how=_("Load the page's conversation export (casebook.io.conversations) or time twenty "
                               "answers from the page's inbox by hand.")))

    shares = _commercial(posts)
    if shares.notna().any() and shares.fillna(False).any():
        er = metrics.engagement_rate(posts)
        known = shares.notna().to_numpy(dtype=bool)
        flag = shares.fillna(False).to_numpy(dtype=bool)
        share = float(flag[known].mean())
        er_sell, er_other = float(er[flag].median()), float(er[known & ~flag].median())
        grade = _("weak") if er_sell < er_other else _("good")
        rows.append(_row(2, _("Share of commercial posts (offers, contests, product ads) and their median "
                              "engagement against the others'"), FROM_POSTS,
                         _("{share} of posts; median engagement {selling} against {other}").format(
                             share=i18n.fmt(share, ".0%"), selling=i18n.fmt(er_sell, ".2%"),
                             other=i18n.fmt(er_other, ".2%")), share,
                         _("commercial posts should not engage less (the seed: they backfire)"),
                         source=f"{SEED}, rule 2; categories as labelled in the export", grade=grade))
    else:
        rows.append(_row(2, _("Share of commercial posts"), BY_HAND, _("the export labels no post as commercial"),
                         how=_("Tag a month of posts as selling or not, then compare their engagement rates.")))

    most = int(c["max_posts_per_day"])
    rows.append(_row(3, _("Most posts in a single day"), FROM_POSTS, f"{most}", most,
                     _("fewer than {n}").format(n=SEED_DAILY_WARNING), source=f"{SEED}, rule 3",
                     grade=_("good") if most < SEED_DAILY_WARNING else _("too much")))
    ppw = float(c["posts_per_week"])
    rows.append(_row(3, _("Posts per week"), FROM_POSTS, i18n.fmt(ppw, ".1f"), ppw,
                     _("at most {n} (one a day is 'already a lot')").format(
                         n=i18n.fmt(thresholds.posts_per_week_max, "g")),
                     source=f"{SEED}, rule 3; {metrics.SOURCES['posts_per_week_max']}",
                     grade=_(str(_card(card, "Posts per week")["grade"]))))
    silent = int(c["silent_weeks"])
    rows.append(_row(3, _("Weeks without a post (a weekly appointment missed)"), FROM_POSTS,
                     _("{n} of {total}").format(n=silent, total=c["weeks"]), silent, _("none"),
                     source=f"{SEED}, rule 3", grade=_(str(_card(card, "Weeks without a post")["grade"]))))
    days = metrics.engagement_by(posts, "weekday")
    hours = metrics.engagement_by(posts, "hour")
    n_days = int((days["posts"] > 0).sum())
    rows.append(_row(3, _("Days of the week with posts"), FROM_POSTS, _("{n} of {total}").format(n=n_days, total=7),
                     n_days, _("all 7"),
                     source=f"{SEED}, rule 3 ('7 days a week')", grade=_("good") if n_days == 7 else _("weak")))
    n_hours = int((hours["posts"] > 0).sum())
    rows.append(_row(3, _("Hours of the day with posts"), FROM_POSTS, _("{n} of {total}").format(n=n_hours, total=24),
                     n_hours, _("none ('round the clock, or almost')"), source=f"{SEED}, rule 3", grade=_("to judge")))

    if posts["message"].notna().any():
        tone = _tone(posts["message"])
        rows.append(_row(4, _("Tone markers in post texts (exclamation marks, questions, emoji)"), FROM_POSTS,
                         _("{exclamation} with '!', {question} with '?', {emoji} with an emoji (of {texts} texts)"
                           ).format(exclamation=i18n.fmt(tone["exclamation"], ".0%"),
                                    question=i18n.fmt(tone["question"], ".0%"),
                                    emoji=i18n.fmt(tone["emoji"], ".0%"),
                                    texts=i18n.fmt(tone["posts with text"], ",.0f")),
                         tone["exclamation"], _("none: markers, not a verdict"), grade=_("to judge"),
                         how=_("Read a sample of posts against the brand's positioning: the markers only point "
                               "at where to look.")))
    else:
        rows.append(_row(4, _("Tone of the posts"), BY_HAND, _("the export has no post texts"),
                         how=_("Read twenty posts against the brand's positioning (a short tone-of-voice guide).")))
    rows.append(_row(4, _("Age of the audience"), BY_HAND, _("not in a post export"),
                     how=_("The audience report of the platform's insights (age brackets of followers).")))
    rows.append(_row(5, _("Who writes the posts, and whether the work is outsourced"), BY_HAND, "",
                     how=_("The team roster and contracts: who posts, their profile, any agency.")))
    variety = _card(card, "Content variety (post types)")
    rows.append(_row(6, _("Content variety (post types)"), FROM_POSTS, str(variety["measured"]),
                     float(variety["value"]), str(variety["threshold"]), source=str(variety["source"]),
                     grade=_(str(variety["grade"]))))
    rows.append(_row(6, _("Posts carry the plan's key messages and the brand's values"), BY_HAND, "",
                     how=_("Set a month of posts beside the editorial plan and count those that carry a key "
                           "message.")))
    answered = _card(card, "Fans' posts answered")
    rows.append(_row(7, _("Customers' messages answered"), FROM_CONVERSATIONS if answers is not None else BY_HAND,
                     str(answered["measured"]), float(answered["value"]), str(answered["threshold"]),
                     source=str(answered["source"]), grade=_(str(answered["grade"])),
                     how="" if answers is not None else _("Load the conversation export, or count the answered "
                                                          "messages of one week in the page's inbox.")))
    rows.append(_row(7, _("Criticism left visible (no moderation of unwelcome comments)"), BY_HAND,
                     _("hidden and deleted comments are not exported"),
                     how=_("The page's moderation log: comments hidden or deleted, and why.")))
    rows.append(_row(8, _("A listening routine feeds improvements"), BY_HAND, "",
                     how=_("Who reads what customers say (comments, mentions, reviews, the call centre), how often, "
                           "and where it goes (seed 004).")))
    rows.append(_row(9, _("Key messages framed, team briefed, close follow-up at launch"), BY_HAND, "",
                     how=_("The brief and the first weeks' review notes.")))
    return pd.DataFrame(rows)


def rules_summary(table: pd.DataFrame) -> dict[str, object]:
    """What the closing note quotes: rules with at least one check from an export, rules checked by hand
    only, and the counts of checks of each status."""
    measured = table[table["status"] != BY_HAND]
    auto = sorted(set(measured["rule"].astype(int)))
    hand = sorted(set(table["rule"].astype(int)) - set(auto))
    return {
        "rules_total": len(RULES),
        "rules_checked": len(auto),
        "rules_checked_list": ", ".join(map(str, auto)),
        "rules_by_hand": len(hand),
        "rules_by_hand_list": ", ".join(map(str, hand)),
        "checks_from_posts": int((table["status"] == FROM_POSTS).sum()),
        "checks_from_conversations": int((table["status"] == FROM_CONVERSATIONS).sum()),
        "checks_by_hand": int((table["status"] == BY_HAND).sum()),
    }


def rules_figures(table: pd.DataFrame, dates_reconstructed: bool = False) -> dict[str, object]:
    """:func:`rules_summary` and the values the chapter quotes from a :func:`page_rules` table: the most
    posts in a day against the seed's 45 (``rule3_max_per_day``, ``rule3_max_grade``), posts per week
    (``rule3_posts_per_week``, ``rule3_posts_per_week_grade``), weeks without a post
    (``rule3_silent_weeks``, text such as "4 of 51"), the commercial-posts check (``rule2_measured``,
    ``rule2_grade``: "to check by hand" when the export labels no post as commercial), content variety (``rule6_measured``, ``rule6_grade``), the
    seed's daily warning (``seed_daily_warning``) and whether the page's dates were reconstructed
    (``page_dates``: "reconstructed" or "as exported")."""
    rows = table.set_index("check")

    def cell(check: str, column: str) -> object:
        """The ``column`` of the check named ``check`` (in English: looked up in the table's language)."""
        check = check if check in rows.index else _(check)
        return rows.loc[check, column] if check in rows.index else ""

    commercial = table[table["rule"] == 2]
    return {
        **rules_summary(table),
        "seed_daily_warning": SEED_DAILY_WARNING,
        "rule3_max_per_day": int(cell("Most posts in a single day", "value")),
        "rule3_max_grade": str(cell("Most posts in a single day", "grade")),
        "rule3_posts_per_week": float(cell("Posts per week", "value")),
        "rule3_posts_per_week_grade": str(cell("Posts per week", "grade")),
        "rule3_silent_weeks": str(cell("Weeks without a post (a weekly appointment missed)", "measured")),
        "rule2_measured": str(commercial["measured"].iloc[0]) if len(commercial) else "",
        "rule2_grade": (str(commercial["grade"].iloc[0]) or _("to check by hand")) if len(commercial) else "",
        "rule6_measured": str(cell("Content variety (post types)", "measured")),
        "rule6_grade": str(cell("Content variety (post types)", "grade")),
        "page_dates": _("reconstructed") if dates_reconstructed else _("as exported"),
    }


__all__ = ["BY_HAND", "COMMERCIAL", "FROM_CONVERSATIONS", "FROM_POSTS", "RULES", "Rule", "SEED_DAILY_WARNING",
           "page_rules", "rules_figures", "rules_summary", "status_label"]
