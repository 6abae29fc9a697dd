"""Canonical tables (foundation): the columns every room agrees on, so analyses never import loaders.

Imports nothing from the package.
"""

from __future__ import annotations

#: The canonical post table every post loader returns and the page analyses take.
CANONICAL = ["post_id", "published", "type", "category", "paid", "reach", "impressions", "engaged_users",
             "comments", "likes", "shares", "interactions", "page_likes", "message", "saves", "follows", "page",
             "network"]
COUNTS = ["reach", "impressions", "engaged_users", "comments", "likes", "shares", "interactions", "page_likes",
          "saves", "follows"]
OPTIONAL_COUNTS = ["reach", "impressions", "engaged_users", "comments", "likes", "shares", "page_likes", "saves",
                   "follows"]
DTYPES = {"post_id": "string", "published": "datetime64[ns]", "type": "string", "category": "string",
          "paid": "boolean", "reach": "Int64", "impressions": "Int64", "engaged_users": "Int64",
          "comments": "Int64", "likes": "Int64", "shares": "Int64", "interactions": "int64",
          "page_likes": "Int64", "message": "string", "saves": "Int64", "follows": "Int64", "page": "string",
          "network": "string"}
#: Engagement-rate bases: the canonical column each divides interactions by (``views`` are counted with
#: impressions: both count times shown, see the methods appendix).
BASES = {"reach": "reach", "impressions": "impressions", "followers": "page_likes"}

#: Metric names of a dated community series (percent market share; a cumulative community count).
SHARE = "market_share"
MILES = "miles_logged"
