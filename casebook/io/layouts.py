"""Post export layouts (room io): each layout's column names, date formats and words, and how a header
is recognised and mapped to the canonical post table.

May import: the foundation and io.tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from casebook.errors import InputError
from casebook.io.tables import header_text
from casebook.schemas import CANONICAL

UCI_CATEGORIES = {1: "action", 2: "product", 3: "inspiration"}
UCI_YEAR = 2014
UCI_PAPER_POSTS = 790

LAYOUT_NAMES = {
    "uci": "UCI Facebook metrics (';' layout, Moro et al. 2016)",
    "insights": "legacy Facebook Insights post data",
    "mbs_facebook": "Meta Business Suite Facebook post export",
    "mbs_instagram": "Meta Business Suite Instagram post export",
    "mapping": "column mapping given by the caller",
}

#: Column names of each layout, by canonical name: the first name the file has wins (lower case).
LAYOUTS: dict[str, dict[str, list[str]]] = {
    "uci": {
        "page_likes": ["page total likes"], "type": ["type"], "category": ["category"], "paid": ["paid"],
        "reach": ["lifetime post total reach"], "impressions": ["lifetime post total impressions"],
        "engaged_users": ["lifetime engaged users"], "comments": ["comment"], "likes": ["like"],
        "shares": ["share"], "interactions": ["total interactions"],
        "month": ["post month"], "weekday": ["post weekday"], "hour": ["post hour"],
    },
    "insights": {
        "post_id": ["post id"], "message": ["post message"], "type": ["type"], "published": ["posted"],
        "reach": ["lifetime post total reach"], "impressions": ["lifetime post total impressions"],
        "engaged_users": ["lifetime engaged users"],
        "paid_impressions": ["lifetime post paid impressions", "lifetime post paid reach"],
        "likes": ["lifetime post stories by action type - like",
                  "lifetime talking about this (post) by action type - like", "like"],
        "comments": ["lifetime post stories by action type - comment",
                     "lifetime talking about this (post) by action type - comment", "comment"],
        "shares": ["lifetime post stories by action type - share",
                   "lifetime talking about this (post) by action type - share", "share"],
    },
    "mbs_facebook": {
        "post_id": ["post id"], "message": ["title", "description"], "published": ["publish time"],
        "type": ["post type"], "category": ["custom labels"], "paid": ["funded content status"],
        "reach": ["reach"], "impressions": ["views", "impressions"], "comments": ["comments"],
        "likes": ["reactions"], "shares": ["shares"], "interactions": ["reactions, comments and shares"],
    },
    "mbs_instagram": {
        "post_id": ["post id"], "message": ["description"], "published": ["publish time"],
        "type": ["post type"], "reach": ["reach"], "impressions": ["views", "impressions"],
        "comments": ["comments"], "likes": ["likes"], "shares": ["shares"],
    },
    "mapping": {},
}

#: Date formats tried for each layout, in order (MBS writes US month/day dates).
DATE_FORMATS = {
    "insights": ("ISO8601", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"),
    "mbs_facebook": ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "ISO8601"),
    "mbs_instagram": ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "ISO8601"),
    "mapping": ("ISO8601", "%Y%m%d", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y", "%m/%d/%Y"),
}

TYPE_NAMES = {"photos": "Photo", "photo": "Photo", "videos": "Video", "video": "Video", "links": "Link",
              "link": "Link", "status": "Status", "statuses": "Status", "reels": "Reel", "reel": "Reel"}
PAID_WORDS = {"1": True, "1.0": True, "true": True, "yes": True, "paid": True, "boosted": True,
              "funded": True, "sponsored": True, "0": False, "0.0": False, "false": False, "no": False,
              "organic": False, "not boosted": False, "unpaid": False, "not funded": False}


def norm(name: str) -> str:
    """A header name compared without case, BOM or repeated spaces."""
    return re.sub(r"\s+", " ", str(name).replace("\ufeff", "")).strip().lower()


def detect_layout(columns: list[str]) -> str | None:
    """Name the export layout from a header (case and spacing ignored), or None."""
    cols = {norm(c) for c in columns}
    if {"post month", "post weekday", "post hour"} <= cols:
        return "uci"
    if {"post id", "posted"} <= cols and "lifetime post total reach" in cols:
        return "insights"
    if "publish time" in cols and "post id" in cols:
        if cols & {"account id", "account username", "account name", "saves"}:
            return "mbs_instagram"
        return "mbs_facebook"
    return None


def resolve_columns(header: list[str], layout: str, mapping: Mapping[str, str] | None, path: str) -> dict[str, str]:
    """Canonical (or helper) name -> file column, from the layout's names and the caller's mapping."""
    by_norm = {}
    for c in header:
        by_norm.setdefault(norm(c), c)
    found = {}
    for canon, names in LAYOUTS[layout].items():
        for n in names:
            if n in by_norm:
                found[canon] = by_norm[n]
                break
    for canon, col in (mapping or {}).items():
        if canon not in CANONICAL and canon not in ("month", "weekday", "hour", "paid_impressions"):
            raise InputError(path, f"unknown canonical name {canon!r} in the column mapping",
                             expected="keys among " + ", ".join(CANONICAL))
        if col not in header and norm(col) not in by_norm:
            raise InputError(path, "the mapping names a column the file does not have "
                             f"(the file has: {header_text(header)})",
                             column=col, expected=f"a column of the file for {canon}")
        found[canon] = col if col in header else by_norm[norm(col)]
    return found


def needed_columns(cols: dict[str, str], layout: str) -> list[str]:
    """The canonical columns a layout cannot do without."""
    needed = ["reach"] + (["month", "weekday", "hour"] if layout == "uci" else ["published"])
    if "interactions" not in cols:
        needed += ["likes", "comments", "shares"]
    if layout not in ("uci", "mapping"):
        needed.append("post_id")
    return needed


def require_layout_columns(cols: dict[str, str], layout: str, header: list[str], path: str) -> None:
    """Raise an InputError naming the first column the layout needs and the file lacks."""
    for canon in needed_columns(cols, layout):
        if canon not in cols:
            names = LAYOUTS[layout].get(canon, [canon])
            raise InputError(path, f"missing column (the file has: {header_text(header)})",
                             column=names[0] if names else canon,
                             expected=f"a {LAYOUT_NAMES[layout]} with a column for {canon}"
                             + (" (or pass mapping={'" + canon + "': '<your column>'})"))


def choose_layout(header: list[str], layout: str | None, mapping: Mapping[str, str] | None, path: str) -> str:
    """The export's layout: the caller's, else detected from the header, else "mapping" if one is given."""
    detected = layout or detect_layout(header)
    if detected is None:
        if not mapping:
            raise InputError(path, f"unrecognised post export (the file has: {header_text(header)})",
                             expected="a UCI, Facebook Insights or Meta Business Suite post export, "
                                      "or mapping={'published': ..., 'reach': ..., 'interactions': ...}")
        detected = "mapping"
    if detected not in LAYOUTS:
        raise InputError(path, f"unknown layout {detected!r}", expected="one of " + ", ".join(LAYOUTS))
    return detected
