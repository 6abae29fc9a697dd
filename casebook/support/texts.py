"""What the texts of the brand's messages say about the team and the channel (room support): sign-offs and
replies naming a private channel.

May import: the foundation, support.chains. Never io: every function takes the canonical message table
of :mod:`casebook.io.conversations`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from casebook.support.chains import brand_accounts, check_messages, day_text, reply_pairs, scope_brands

#: What a reply carries after its words and is set aside before a sign-off is looked for: links and
#: "1/2" counters of a reply split in several messages.
_TRAILER = re.compile(r"(?:\s*https?://\S+|\s*\(?\d/\d\)?)+\s*$")
#: A sign-off ending a brand's message: a marker (``^``, ``*``, ``~``, ``/`` or a dash) then initials or a
#: first name, as support teams sign ("^FJ", "*TJN", "-Becky", "- James", "/BH").
_SIGN_OFF = re.compile(r"(?:^|[\s.!?)\]:;,\d])(?:[\^*~/]|[-\u2013\u2014]{1,2})\s?([A-Z][A-Za-z]{0,15}(?:\s[A-Z]{1,3})?)\s*$")
#: Words that name a private channel in a brand's reply (case ignored). Web forms and links ("send us a
#: note via https://…") are not counted.
PRIVATE_CHANNEL = re.compile(r"\bDMs?\b|\bDM'?d\b|direct messag|private messag|\bPM us\b", re.IGNORECASE)


def _scoped(msgs: pd.DataFrame, brands: Sequence[str] | str | None) -> list[str]:
    """The brands asked for, checked as :meth:`casebook.support.replies.Replies.scope` does, without
    rebuilding the chains."""
    return scope_brands(brand_accounts(msgs), brands)


def sign_off(texts: pd.Series) -> pd.Series:
    """The sign-off closing each text (initials or a first name after ``^``, ``*``, ``~``, ``/`` or a dash,
    trailing links and "1/2" counters set aside), else NA."""
    body = texts.astype("string").str.replace(_TRAILER, "", regex=True)
    return body.str.extract(_SIGN_OFF, expand=False).astype("string")


def sign_off_table(msgs: pd.DataFrame, brands: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Per brand (all, or ``brands``, in that order): its messages, those ending with a sign-off, the
    distinct sign-offs, and the same on its busiest day (the calendar day of the data's clock with most
    of its messages; ties: the earliest).

    Distinct sign-offs are a floor on the people writing for the account, not a count: agents who do not
    sign are missed, and two agents with the same initials count once.
    """
    check_messages(msgs)
    scope = _scoped(msgs, brands)
    mine = msgs[~msgs["inbound"].to_numpy(dtype=bool)]
    mine = mine.assign(sign_off=sign_off(mine["text"]))
    rows = []
    for brand in scope:
        m = mine[mine["author"] == brand]
        day = m["created"].dt.normalize()
        counts = day.value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        busiest = m[day == counts.index[0]] if len(m) else m
        rows.append({"brand": brand, "brand_messages": len(m), "signed": int(m["sign_off"].notna().sum()),
                     "sign_offs": int(m["sign_off"].nunique()),
                     "signed_share": float(m["sign_off"].notna().mean()) if len(m) else np.nan,
                     "busiest_day": day_text(counts.index[0]) if len(m) else "",
                     "busiest_day_messages": len(busiest), "busiest_day_sign_offs": int(busiest["sign_off"].nunique())})
    return pd.DataFrame(rows)


def private_channel_table(msgs: pd.DataFrame, brands: Sequence[str] | str | None = None) -> pd.DataFrame:
    """Per brand (all, or ``brands``): its replies to customers (:func:`reply_pairs`), those naming a
    private channel (:data:`PRIVATE_CHANNEL`: DM, direct or private message) and their share.

    A count of words, not of conversations moved: a reply may name a DM without asking for one, and a link
    to a web form takes the customer away without naming a private channel.
    """
    check_messages(msgs)
    scope = _scoped(msgs, brands)
    pairs = reply_pairs(msgs)
    texts = msgs["text"].astype("string").to_numpy(dtype=object)[pairs["position"].to_numpy()]
    named = pd.Series(texts, dtype="string").str.contains(PRIVATE_CHANNEL).fillna(False).to_numpy(dtype=bool)
    pairs = pairs.assign(private=named)
    rows = []
    for brand in scope:
        p = pairs[pairs["brand"] == brand]
        rows.append({"brand": brand, "brand_replies": len(p), "private_channel": int(p["private"].sum()),
                     "private_share": float(p["private"].mean()) if len(p) else np.nan})
    return pd.DataFrame(rows)


def team_figures(signs: pd.DataFrame, private: pd.DataFrame) -> dict[str, object]:
    """The chapter's figures on the people and the channel behind the accounts, from
    :func:`sign_off_table` and :func:`private_channel_table` of the same brands.

    Keys: signing_brands (brands with a sign-off), sign_off_brand (most distinct sign-offs; ties by name),
    sign_off_count, sign_off_messages, sign_off_day, sign_off_day_messages, sign_off_day_count (its busiest
    day: messages and distinct sign-offs), private_replies, private_share (over every reply of
    the brands), private_top_brand and private_top_share (highest share among brands with 20 replies or
    more; "" and NaN when none has).
    """
    figures: dict[str, object] = {"signing_brands": int((signs["sign_offs"] > 0).sum())}
    if len(signs) and int(signs["sign_offs"].max()) > 0:
        top = signs.sort_values(["sign_offs", "brand"], ascending=[False, True], kind="stable").iloc[0]
        figures.update(sign_off_brand=str(top["brand"]), sign_off_count=int(top["sign_offs"]),
                       sign_off_messages=int(top["brand_messages"]), sign_off_day=str(top["busiest_day"]),
                       sign_off_day_messages=int(top["busiest_day_messages"]),
                       sign_off_day_count=int(top["busiest_day_sign_offs"]))
    else:
        figures.update(sign_off_brand="", sign_off_count=0, sign_off_messages=0, sign_off_day="",
                       sign_off_day_messages=0, sign_off_day_count=0)
    replies_n = int(private["brand_replies"].sum())
    figures["private_replies"] = int(private["private_channel"].sum())
    figures["private_share"] = figures["private_replies"] / replies_n if replies_n else float("nan")
    big = private[private["brand_replies"] >= 20]
    if len(big):
        top = big.sort_values(["private_share", "brand"], ascending=[False, True], kind="stable").iloc[0]
        figures.update(private_top_brand=str(top["brand"]), private_top_share=float(top["private_share"]))
    else:
        figures.update(private_top_brand="", private_top_share=float("nan"))
    return figures
