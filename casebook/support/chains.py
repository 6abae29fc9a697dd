"""Reply chains (room support): who answered whom, conversations, and the inbound messages addressed to a brand.

The definitions (brand, reply chain, brand reply, attribution, first-reply time, business hours) are
those of :mod:`casebook.support.replies`, which builds the chapter's tables and figures on these.

May import: the foundation. Never io: every function takes the canonical message table of
:mod:`casebook.io.conversations` (``message_id, author, inbound, created, reply_to, text``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from casebook import i18n
from casebook.errors import ParameterError

#: The canonical message table (mirrors :data:`casebook.io.conversations.CONVERSATION_COLUMNS`).
COLUMNS = ["message_id", "author", "inbound", "created", "reply_to", "text"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
BUSINESS_DAYS = (0, 1, 2, 3, 4)
#: How an inbound message was attributed to a brand (see :mod:`casebook.support.replies`).
ATTRIBUTION = ("answered", "replies to", "mention")
_LEADING_MENTIONS = re.compile(r"^\s*((?:[@\uff20]\w+[\s,:;.]*)+)")
_HANDLE = re.compile(r"[@\uff20](\w+)")


def day_text(day: pd.Timestamp) -> str:
    """A day as the chapter writes it: ``2017-10-31`` in English (as it always read), ``31 octobre 2017``
    in French (:func:`casebook.i18n.date`)."""
    return day.strftime("%Y-%m-%d") if i18n.current() == "en" else i18n.date(day)


def check_messages(msgs: pd.DataFrame) -> None:
    """ValueError unless ``msgs`` has the columns of the canonical message table (:data:`COLUMNS`)."""
    missing = [c for c in COLUMNS if c not in msgs.columns]
    if missing:
        raise ValueError(f"not a canonical message table: missing {', '.join(missing)} "
                         "(read exports with casebook.io.conversations.load_conversations)")


def check_business_hours(business_hours: Sequence[int], business_days: Iterable[int] = BUSINESS_DAYS
                         ) -> tuple[int, int, tuple[int, ...]]:
    """``(start, end, days)`` checked: 0 <= start < end <= 24 and days among 0 (Monday) to 6."""
    try:
        hours = [float(h) for h in business_hours]
        days = tuple(sorted({int(d) for d in business_days}))
    except (TypeError, ValueError):
        hours = []
    if len(hours) != 2 or any(h != int(h) for h in hours):
        raise ParameterError(f"business_hours must be two whole hours like (9, 18), not {business_hours!r}")
    start, end = (int(h) for h in hours)
    if not 0 <= start < end <= 24:
        raise ParameterError(f"business_hours must be (start, end) with 0 <= start < end <= 24, not {business_hours!r}")
    if not days or any(d < 0 or d > 6 for d in days):
        raise ParameterError(f"business_days must be weekdays 0 (Monday) to 6 (Sunday), not {business_days!r}")
    return start, end, days


# --- reply chains --------------------------------------------------------------------------------

def _positions(msgs: pd.DataFrame) -> np.ndarray:
    """Position of each message's reply-to message in ``msgs``; -1 when empty or outside the file."""
    index = pd.Index(msgs["message_id"].astype(object).to_numpy(dtype=object))
    wanted = msgs["reply_to"].astype(object).where(msgs["reply_to"].notna(), None).to_numpy(dtype=object)
    return index.get_indexer(wanted)


def _roots(parent: np.ndarray) -> np.ndarray:
    """The root position of each message, by pointer doubling (a cycle's members keep themselves)."""
    n = len(parent)
    root = np.where(parent >= 0, parent, np.arange(n))
    for _ in range(64):  # depth up to 2**64
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root
        root = nxt
    return np.where(parent[root] >= 0, np.arange(n), root)  # unresolved: inside a reply cycle


def threads(msgs: pd.DataFrame) -> pd.DataFrame:
    """One row per message: its id, author, inbound flag, time, the conversation it belongs to (the
    root message's id) and whether its reply-to message is in the file."""
    check_messages(msgs)
    parent = _positions(msgs)
    root = _roots(parent)
    ids = msgs["message_id"].to_numpy(dtype=object)
    return pd.DataFrame({"message_id": msgs["message_id"].to_numpy(), "author": msgs["author"].to_numpy(),
                         "inbound": msgs["inbound"].to_numpy(dtype=bool), "created": msgs["created"].to_numpy(),
                         "conversation": pd.array(ids[root], dtype="string"),
                         "reply_in_file": parent >= 0})


def brand_accounts(msgs: pd.DataFrame) -> list[str]:
    """Authors of messages that are not inbound, most messages first (then by name)."""
    check_messages(msgs)
    counts = msgs.loc[~msgs["inbound"].to_numpy(dtype=bool), "author"].value_counts()
    return sorted(counts.index.astype(str), key=lambda b: (-int(counts[b]), b))


def reply_pairs(msgs: pd.DataFrame) -> pd.DataFrame:
    """One row per brand reply: the reply, its brand, the inbound message it answers and the minutes
    between them (negative when the clocks disagree)."""
    check_messages(msgs)
    parent = _positions(msgs)
    inbound = msgs["inbound"].to_numpy(dtype=bool)
    is_reply = ~inbound & (parent >= 0)
    is_reply[is_reply] = inbound[parent[is_reply]]
    r = np.flatnonzero(is_reply)
    p = parent[r]
    created = msgs["created"].to_numpy()
    minutes = (created[r] - created[p]) / np.timedelta64(1, "s") / 60
    return pd.DataFrame({"reply_id": msgs["message_id"].to_numpy()[r], "brand": msgs["author"].to_numpy()[r],
                         "inbound_id": msgs["message_id"].to_numpy()[p], "position": r, "inbound_position": p,
                         "asked": created[p], "replied": created[r], "minutes": minutes})


def _leading_brand(texts: pd.Series, brands: Iterable[str]) -> pd.Series:
    """The first known brand account among the @mentions that open each text (case ignored), else NA."""
    known = {b.lower(): b for b in brands}
    lead = texts.astype("string").str.extract(_LEADING_MENTIONS, expand=False)

    def first(block: object) -> object:
        if not isinstance(block, str):
            return None
        return next((known[h.lower()] for h in _HANDLE.findall(block) if h.lower() in known), None)

    return pd.Series(pd.array([first(b) for b in lead], dtype="string"), index=texts.index)


def inbound_messages(msgs: pd.DataFrame, business_hours: Sequence[int] = (9, 18),
                     business_days: Iterable[int] = BUSINESS_DAYS) -> pd.DataFrame:
    """One row per inbound message: who it is addressed to and how that was decided, the conversation,
    the hour and weekday it was sent, whether in business hours, whether a brand answered it, how many
    brand replies it got and the first-reply time in minutes (NaN if unanswered)."""
    start, end, days = check_business_hours(business_hours, business_days)
    t = threads(msgs)
    pairs = reply_pairs(msgs)
    brands = brand_accounts(msgs)
    inbound = t["inbound"].to_numpy()
    pos = np.flatnonzero(inbound)
    out = pd.DataFrame({"message_id": t["message_id"].to_numpy()[pos], "customer": t["author"].to_numpy()[pos],
                        "created": t["created"].to_numpy()[pos], "conversation": t["conversation"].to_numpy()[pos]},
                       index=pos)
    first = pairs.sort_values(["inbound_position", "replied", "position"], kind="stable").drop_duplicates(
        "inbound_position")
    answered_by = pd.Series(first["brand"].to_numpy(), index=first["inbound_position"].to_numpy(), dtype="string")
    first_min = pd.Series(first["minutes"].where(first["minutes"] >= 0).to_numpy(),
                          index=first["inbound_position"].to_numpy())
    parent = _positions(msgs)
    par = parent[pos]
    replies_to = pd.Series(pd.NA, index=pos, dtype="string")
    to_brand = (par >= 0)
    to_brand[to_brand] = ~inbound[par[to_brand]]
    replies_to[to_brand] = msgs["author"].to_numpy()[par[to_brand]]
    mention = _leading_brand(msgs["text"].iloc[pos].set_axis(pos), brands)
    answered = answered_by.reindex(pos)
    out["brand"] = answered.fillna(replies_to).fillna(mention).astype("string")
    out["attributed_by"] = pd.Series(np.select([answered.notna().to_numpy(), replies_to.notna().to_numpy(),
                                                mention.notna().to_numpy()], list(ATTRIBUTION), ""), index=pos)
    out["attributed_by"] = out["attributed_by"].replace("", pd.NA).astype("string")
    out["answered"] = answered.notna().to_numpy()
    out["brand_replies"] = pairs.groupby("inbound_position").size().reindex(pos, fill_value=0).to_numpy("int64")
    out["first_reply_min"] = first_min.reindex(pos).to_numpy(dtype="float64")
    stamp = pd.DatetimeIndex(out["created"])
    out["hour"] = stamp.hour.to_numpy("int64")
    out["weekday"] = stamp.day_of_week.to_numpy("int64")
    out["business"] = (out["hour"] >= start) & (out["hour"] < end) & out["weekday"].isin(days)
    return out.reset_index(drop=True)


def conversations(msgs: pd.DataFrame, business_hours: Sequence[int] = (9, 18),
                  business_days: Iterable[int] = BUSINESS_DAYS) -> pd.DataFrame:
    """One row per conversation holding an inbound message addressed to a brand: its brand (that of its
    earliest addressed inbound message), when it started, inbound messages, exchanges (those a brand
    answered), brand replies, whether it was answered, and the first-reply time of its opening message."""
    return conversations_from_inbound(inbound_messages(msgs, business_hours, business_days))


def conversations_from_inbound(inb: pd.DataFrame) -> pd.DataFrame:
    """:func:`conversations` from the table :func:`inbound_messages` returned (built once, used twice)."""
    inb = inb[inb["brand"].notna()].sort_values(["created"], kind="stable")
    g = inb.groupby("conversation", sort=False)
    opening = inb.drop_duplicates("conversation").set_index("conversation")  # its earliest addressed message
    out = pd.DataFrame({
        "brand": opening["brand"],
        "started": opening["created"],
        "inbound": g.size().astype("int64"),
        "exchanges": g["answered"].sum().astype("int64"),
        "brand_replies": g["brand_replies"].sum().astype("int64"),
        "first_reply_min": opening["first_reply_min"],
    })
    out["answered"] = out["exchanges"] > 0
    return out.rename_axis("conversation").reset_index()


def scope_brands(accounts: Sequence[str], brands: Sequence[str] | str | None) -> list[str]:
    """The brands analysed among ``accounts`` (:func:`brand_accounts`): all of them, or those given (a list,
    or one text with commas; each must be one, case and a leading @ ignored)."""
    if brands is None or (not isinstance(brands, str) and len(brands) == 0):
        return list(accounts)
    wanted = [b for b in re.split(r"[,\s]+", brands) if b] if isinstance(brands, str) else [str(b) for b in brands]
    by_lower = {b.lower(): b for b in accounts}
    unknown = [b for b in wanted if b.strip().lstrip("@").lower() not in by_lower]
    if unknown:
        shown = ", ".join(accounts[:8]) + (", …" if len(accounts) > 8 else "")
        raise ParameterError(f"brands: {', '.join(map(repr, unknown))} wrote no brand message in this export; "
                             f"expected brand accounts among: {shown}")
    return list(dict.fromkeys(by_lower[b.strip().lstrip("@").lower()] for b in wanted))
