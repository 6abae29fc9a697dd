"""Pages side by side (room pages): several exports read together, one row per page, and one chart.

May import: the foundation, charts, pages. Never io: every function takes the canonical post table,
whose ``page`` and ``network`` columns name each post's page (:func:`casebook.io.exports.load_pages`).

Engagement rates are compared on the basis every page supports (:func:`~casebook.pages.metrics.common_basis`):
reach when all pages have it, else impressions (views). When the pages share no basis, each page is read
on its own and every table, chart and entry says which basis it used: they are never mixed silently.
"""

from __future__ import annotations

import pandas as pd

from casebook import i18n
from casebook.i18n import gettext as _
from casebook.pages import charts, metrics
from casebook.pages.metrics import shown
from casebook.pages.simulate import silent_name

BASIS_WORDS = {"reach": "interactions ÷ reach (people reached)",
               "impressions": "interactions ÷ impressions or views (times shown)"}


def basis_words(basis: str) -> str:
    """What a rate on ``basis`` divides, in the current language."""
    text = BASIS_WORDS[basis]
    return _(text)


def _basis_words() -> list[str]:
    """:data:`BASIS_WORDS` spelled out once, so ``make catalogs`` extracts them."""
    return [_("interactions ÷ reach (people reached)"), _("interactions ÷ impressions or views (times shown)")]


def _pages(posts: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [(name, posts[posts["page"] == name]) for name in metrics.page_names(posts)]


def with_reference(posts: pd.DataFrame, reference: pd.DataFrame | None) -> pd.DataFrame:
    """``posts`` and, when they hold a single page, the ``reference`` page beside it (a simulated page,
    named as such): a comparison is never of one page. The reference is never one of the ``pages``."""
    if reference is None or len(metrics.page_names(posts)) > 1:
        return posts
    return pd.concat([posts, reference[posts.columns]], ignore_index=True)


def side_by_side(posts: pd.DataFrame, start: str | None = None, end: str | None = None,
                 reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per page: network, posts, posts per week, longest silence, median engagement rate (and its
    basis), paid share, top post type, and how many audit criteria the page meets and fails (with the
    ``reference`` page when there is one page: :func:`with_reference`)."""
    posts = with_reference(posts, reference)
    rows = []
    for (name, page), fig in zip(_pages(posts), metrics.pages_figures(posts, start, end), strict=True):
        cad = metrics.cadence(page, start, end)
        card = metrics.audit_scorecard(page, start=start, end=end)
        rows.append({
            "page": name, "network": fig["network"], "posts": fig["posts_total"],
            "posts_per_week": fig["posts_per_week"], "longest_silence_days": cad["longest_silence_days"],
            "er_median": fig["engagement_rate_median"], "er_basis": fig["er_basis"],
            "paid_share": fig["paid_share"], "top_post_type": fig["top_post_type"],
            "criteria_good": int((card["grade"] == "good").sum()),
            "criteria_failed": int(card["grade"].isin(["weak", "too much"]).sum()),
        })
    return pd.DataFrame(rows)


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`side_by_side` as a reader sees it, in the current language: labelled columns, rates in
    percent, "not in the export" where a page's export lacks a figure (its paid flag, its post types)."""
    missing = _("not in the export")

    def pct(v: float, digits: int) -> str:
        return missing if pd.isna(v) else i18n.percent(float(v), digits)

    return pd.DataFrame({
        _("Page"): [shown(p) for p in table["page"]], _("Network"): table["network"], _("Posts"): table["posts"],
        _("Posts a week"): table["posts_per_week"].round(1),
        _("Longest silence (days)"): table["longest_silence_days"],
        _("Median engagement rate"): [pct(v, 2) for v in table["er_median"]],
        _("Rate basis"): [shown(b) for b in table["er_basis"]],
        _("Paid posts"): [pct(v, 0) for v in table["paid_share"]],
        _("Top post type"): [shown(t) if t else missing for t in table["top_post_type"]],
        _("Audit (good / failed)"): [f"{g} / {f}" for g, f in zip(table["criteria_good"], table["criteria_failed"],
                                                                   strict=True)],
    }).set_index(_("Page"))


def by_type(posts: pd.DataFrame) -> pd.DataFrame:
    """Median engagement rate of each post type on each page (long table: page, type, posts, er_median,
    er_basis), on the pages' common basis (each page's own when they share none)."""
    shared = metrics.common_basis(posts)
    parts = []
    for name, page in _pages(posts):
        basis = shared or metrics.basis_of(page)
        table = metrics.engagement_by(page, "type", basis)[["type", "posts", "er_median"]]
        parts.append(table.assign(page=name, er_basis=basis))
    return pd.concat(parts, ignore_index=True)[["page", "type", "posts", "er_median", "er_basis"]]


def scorecards(posts: pd.DataFrame, start: str | None = None, end: str | None = None,
               reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """The animation audit of every page: one row per criterion, one column of grades per page (criteria
    and grades in the current language, pages under the names :func:`~casebook.pages.metrics.shown` gives
    them; the first column is named ``criterion``)."""
    posts = with_reference(posts, reference)
    cards = [metrics.audit_scorecard(page, start=start, end=end)[["criterion", "grade"]].set_index("criterion")
             .rename(columns={"grade": shown(name)}) for name, page in _pages(posts)]
    table = pd.concat(cards, axis=1).reset_index()
    return table.map(lambda v: shown(v) if isinstance(v, str) else v)


def compare_figures(posts: pd.DataFrame, start: str | None = None, end: str | None = None,
                    reference: pd.DataFrame | None = None) -> dict[str, object]:
    """What the side-by-side section glues: ``pages`` (one entry per page: name, network, posts_total,
    posts_per_week, engagement_rate_median, paid_share, top_post_type, er_basis; what ``figures.json``
    holds; never the reference), the number of pages shown, the basis words, and the comparison chart (median engagement rate by
    post type, one colour per page; "simulated" in its title when a simulated page is among them)."""
    entries = metrics.pages_figures(posts, start, end)
    posts = with_reference(posts, reference)
    shared = metrics.common_basis(posts)
    simulated = silent_name() in set(posts["page"])
    subtitle = (_("Median per post; {basis}").format(basis=basis_words(shared)) if shared else
                _("Median per post; the pages share no basis: each is read on its own (see the table)"))
    return {
        "pages": entries,
        "pages_shown": len(metrics.page_names(posts)),
        "pages_basis": basis_words(shared) if shared else _("each page on its own basis (not comparable)"),
        "fig-pages-compare": charts.pages_chart(by_type(posts), _("Engagement by post type, page by page"),
                                                subtitle=subtitle, simulated=simulated),
    }
