"""Tests of the post export layouts (casebook/io/layouts/*.toml) on the fixtures of tests/fixtures/layouts.

Fast (no kernels). The fixtures are written by tests/fixtures/layouts/make_layout_fixtures.py from real header
rows; every expected count and date below is computed from that script's row literals, never from the loader.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import io
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from casebook.errors import InputError
from casebook.io import layouts as layouts_module
from casebook.io.exports import load_pages
from casebook.io.layouts import Layout, detect_layout, layouts, norm
from casebook.io.posts import load_posts
from casebook.paths import dataset

FIX = Path(__file__).parent / "fixtures" / "layouts"
POSTS_FIX = Path(__file__).parent / "fixtures" / "posts"


def _script():
    spec = importlib.util.spec_from_file_location("make_layout_fixtures", FIX / "make_layout_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fx = _script()

#: Every fixture of tests/fixtures/layouts and the layout it is an export of.
FIXTURES = {
    "tiktok_content.csv": "tiktok_content",
    "youtube_studio.csv": "youtube_studio",
    "youtube_studio_fr.csv": "youtube_studio",
    "x_tweet_activity.csv": "x_tweet_activity",
    "x_tweet_activity_fr.csv": "x_tweet_activity",
    "x_posts.csv": "x_posts",
    "linkedin_page.csv": "linkedin_page",
    "linkedin_page_fr_excel.csv": "linkedin_page",
    "mbs_facebook_fr.csv": "mbs_facebook",
    "mbs_instagram_es.csv": "mbs_instagram",
}
#: Older fixtures (and the bundled UCI file) whose headers are checked too: the layouts without a file above.
OTHER_HEADERS = {
    dataset("facebook_metrics"): "uci",
    POSTS_FIX / "insights_post_data.csv": "insights",
    POSTS_FIX / "mbs_facebook_posts.csv": "mbs_facebook",
    POSTS_FIX / "mbs_instagram_posts.csv": "mbs_instagram",
}
ALL_HEADERS = {**{FIX / name: lay for name, lay in FIXTURES.items()}, **OTHER_HEADERS}


def header_of(path: Path) -> list[str]:
    """The first row of a CSV, as written (BOM dropped; ';' when the first line has more of them)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    first = text.splitlines()[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    return next(csv.reader(io.StringIO(text), delimiter=sep))


# --- 1. the layout files -------------------------------------------------------------------------

def test_every_layout_file_loads_under_its_own_name():
    files = sorted(Path(layouts_module.HERE).glob("*.toml"))
    assert files
    assert set(layouts()) == {p.stem for p in files} | {"mapping"}
    for path in files:
        layout = Layout.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        assert layout.name == path.stem, path.name


def test_every_recognised_layout_rests_on_two_sources_with_distinct_urls():
    thin = {name: [s.url for s in lay.sources] for name, lay in layouts().items()
            if lay.status == "recognised" and len({s.url for s in lay.sources}) < 2}
    assert thin == {}


def test_every_layout_file_has_a_fixture_and_every_fixture_is_listed():
    assert {p.name for p in FIX.glob("*.csv")} == set(FIXTURES)
    files = {p.stem for p in Path(layouts_module.HERE).glob("*.toml")}
    assert files <= set(ALL_HEADERS.values()), f"layouts without a fixture: {sorted(files - set(ALL_HEADERS.values()))}"


@pytest.mark.parametrize("path", list(ALL_HEADERS), ids=lambda p: p.name)
def test_each_real_header_is_detected_as_exactly_its_own_layout(path):
    own = ALL_HEADERS[path]
    header = header_of(path)
    cols = {norm(c) for c in header}
    if layouts()[own].status != "recognised":  # documented only: read through a column mapping
        assert detect_layout(header) is None
        return
    candidates = [lay for lay in layouts().values() if lay.detects(cols)]
    assert candidates, f"no layout recognises {path.name}"
    most = max(len(lay.detect) for lay in candidates)
    assert [lay.name for lay in candidates if len(lay.detect) == most] == [own]
    assert detect_layout(header) == own


# --- 2. each fixture read right -----------------------------------------------------------------

@dataclass
class Expect:
    file: str
    layout: str
    dates: list[pd.Timestamp]
    likes: int
    comments: int
    shares: int
    interactions: int
    impressions: int
    basis: str
    page: str
    network: str
    reach: int | None = None
    #: Each entry: words that must all appear in one of the report's notes.
    notes: list[tuple[str, ...]] = field(default_factory=list)
    mapping: dict[str, str] | None = None


def _ts(value: date | datetime) -> pd.Timestamp:
    return pd.Timestamp(value)


def expect_tiktok() -> Expect:
    rows = fx.TIKTOK
    likes, comments, shares = (sum(r.likes for r in rows), sum(r.comments for r in rows), sum(r.shares for r in rows))
    return Expect("tiktok_content.csv", "tiktok_content", [_ts(r.posted) for r in rows], likes, comments, shares,
                  likes + comments + shares, sum(r.views for r in rows), "impressions", "tiktok_content", "TikTok",
                  notes=[("publication times from the post ids",)])


def expect_youtube() -> Expect:
    kept = [v for v in fx.YOUTUBE if v.published is not None]
    undated_row = 3 + next(i for i, v in enumerate(fx.YOUTUBE) if v.published is None)  # header, Total, videos
    likes, comments, shares = (sum(v.likes or 0 for v in kept), sum(v.comments or 0 for v in kept),
                               sum(v.shares or 0 for v in kept))
    return Expect("youtube_studio.csv", "youtube_studio", [_ts(v.published) for v in kept], likes, comments, shares,
                  likes + comments + shares, sum(v.views or 0 for v in kept), "impressions", "youtube_studio",
                  "YouTube", notes=[("1 leading row", "Total", "left out"),
                                    ("1 row without a publication date", f"row {undated_row}", "left out")])


def expect_youtube_fr() -> Expect:
    rows = fx.YOUTUBE_FR
    likes, comments, shares = (sum(v.likes for v in rows), sum(v.comments for v in rows), sum(v.shares for v in rows))
    return Expect("youtube_studio_fr.csv", "youtube_studio", [_ts(v.published) for v in rows], likes, comments, shares,
                  likes + comments + shares, sum(v.views for v in rows), "impressions", "youtube_studio_fr",
                  "YouTube", notes=[("1 leading row", "Total", "left out")])


def expect_x_classic() -> Expect:
    rows = fx.X_CLASSIC
    return Expect("x_tweet_activity.csv", "x_tweet_activity", [_ts(t.time) for t in rows],
                  sum(t.likes for t in rows), sum(t.replies for t in rows), sum(t.retweets for t in rows),
                  sum(t.engagements for t in rows), sum(t.impressions for t in rows), "impressions",
                  "x_tweet_activity", "X")


def expect_x_classic_fr() -> Expect:
    rows = fx.X_CLASSIC_FR
    return Expect("x_tweet_activity_fr.csv", "x_tweet_activity", [_ts(t.time) for t in rows],
                  sum(t.likes for t in rows), sum(t.replies for t in rows), sum(t.retweets for t in rows),
                  sum(t.engagements for t in rows), sum(t.impressions for t in rows), "impressions",
                  "x_tweet_activity_fr", "X")


def expect_x_posts() -> Expect:
    rows = fx.X_POSTS
    return Expect("x_posts.csv", "x_posts", [_ts(p.day) for p in rows], sum(p.likes for p in rows),
                  sum(p.replies for p in rows), sum(p.reposts for p in rows), sum(p.engagements for p in rows),
                  sum(p.impressions for p in rows), "impressions", "x_posts", "X")


def expect_linkedin(file: str) -> Expect:
    rows = fx.LINKEDIN
    likes, comments, shares = (sum(p.likes for p in rows), sum(p.comments for p in rows),
                               sum(p.reposts for p in rows))
    # Read through the reader's column mapping: the header is the documented LinkedIn one, so its layout
    # (network, date formats, words) applies, with the mapping's names.
    return Expect(file, "linkedin_page", [_ts(p.created) for p in rows], likes, comments, shares,
                  likes + comments + shares, sum(p.impressions for p in rows), "impressions", Path(file).stem,
                  "LinkedIn", mapping=fx.LINKEDIN_MAPPING)


def expect_mbs_facebook_fr() -> Expect:
    rows = fx.MBS_FB_FR
    likes, comments, shares = (sum(p.reactions for p in rows), sum(p.comments for p in rows),
                               sum(p.shares for p in rows))
    return Expect("mbs_facebook_fr.csv", "mbs_facebook", [_ts(p.published) for p in rows], likes, comments, shares,
                  likes + comments + shares, sum(p.views or 0 for p in rows), "reach", fx.MBS_FB_PAGE, "Facebook",
                  reach=sum(p.reach for p in rows),
                  notes=[(f"{len(rows)} empty cells read as not paid",)])


def expect_mbs_instagram_es() -> Expect:
    rows = fx.MBS_IG_ES
    likes, comments, shares = (sum(p.likes for p in rows), sum(p.comments for p in rows), sum(p.shares for p in rows))
    return Expect("mbs_instagram_es.csv", "mbs_instagram", [_ts(p.published) for p in rows], likes, comments, shares,
                  likes + comments + shares, sum(p.views for p in rows), "reach", fx.MBS_IG_ACCOUNT[1], "Instagram",
                  reach=sum(p.reach for p in rows))


def check(e: Expect) -> tuple[pd.DataFrame, object]:
    posts, report = load_posts(FIX / e.file, mapping=e.mapping)
    assert report.layout == e.layout
    assert report.posts == len(posts) == len(e.dates)
    assert posts["published"].tolist() == sorted(e.dates)
    assert (report.first, report.last) == (min(e.dates), max(e.dates))
    got = {c: int(posts[c].sum()) for c in ("likes", "comments", "shares", "interactions", "impressions")}
    assert got == {"likes": e.likes, "comments": e.comments, "shares": e.shares, "interactions": e.interactions,
                   "impressions": e.impressions}
    if e.reach is not None:
        assert int(posts["reach"].sum()) == e.reach
    assert report.basis == e.basis
    assert posts["page"].unique().tolist() == [e.page] and report.pages == [e.page]
    assert posts["network"].unique().tolist() == [e.network]
    for words in e.notes:
        assert any(all(w in note for w in words) for note in report.notes), (words, report.notes)
    return posts, report


EXPECTS = {
    "tiktok_content": expect_tiktok,
    "youtube_studio": expect_youtube,
    "x_tweet_activity": expect_x_classic,
    "x_tweet_activity_fr": expect_x_classic_fr,
    "x_posts": expect_x_posts,
    "linkedin_page": lambda: expect_linkedin("linkedin_page.csv"),
    "linkedin_page_fr_excel": lambda: expect_linkedin("linkedin_page_fr_excel.csv"),
    "mbs_facebook_fr": expect_mbs_facebook_fr,
    "mbs_instagram_es": expect_mbs_instagram_es,
}


@pytest.mark.parametrize("name", list(EXPECTS))
def test_fixture_is_read_right(name):
    check(EXPECTS[name]())


def test_french_youtube_export_is_read_right():
    check(expect_youtube_fr())


def test_youtube_ids_lose_their_leading_space_and_empty_counts_are_zero():
    posts, report = load_posts(FIX / "youtube_studio.csv")
    ids = posts.set_index("post_id")
    assert "-Fq3kTz9LbA" in ids.index and " -Fq3kTz9LbA" not in ids.index
    short = next(v for v in fx.YOUTUBE if v.likes is None and v.views is not None)
    assert ids.loc[short.video_id, ["likes", "comments", "shares", "interactions"]].tolist() == [0, 0, 0, 0]
    assert ids.loc[short.video_id, "impressions"] == short.views
    unpublished = next(v for v in fx.YOUTUBE if v.published is None)
    assert unpublished.video_id not in ids.index and "Total" not in ids.index
    likes_gaps = next(m for m in report.missing if m.column == "Likes")
    assert "read as 0" in likes_gaps.handling


def test_tiktok_dates_come_from_the_video_ids():
    posts, _ = load_posts(FIX / "tiktok_content.csv")
    expected = sorted((fx.tiktok_id(p.posted, 0x5A17C3E1 + 7919 * i), p.posted) for i, p in enumerate(fx.TIKTOK))
    got = sorted(zip(posts["post_id"].astype(int), posts["published"], strict=True))
    assert got == [(i, pd.Timestamp(t)) for i, t in expected]
    assert posts["published"].dt.year.min() == 2025  # "Post time" has no year: one post is from the year before


def test_meta_facebook_french_export_is_organic_with_multiline_captions():
    posts, report = load_posts(FIX / "mbs_facebook_fr.csv")
    assert report.encoding == "utf-8-sig"
    assert posts["paid"].notna().all() and not posts["paid"].any()  # paid share 0, not nan
    assert posts["message"].str.contains("\n").sum() == sum("\n" in p.title for p in fx.MBS_FB_FR)
    blank = next(p for p in fx.MBS_FB_FR if p.views is None)
    assert pd.isna(posts.set_index("post_id").loc[str(blank.post_id), "impressions"])  # left unknown, not 0


def test_x_classic_keeps_multiline_text_and_reads_dash_promoted_columns_as_nothing():
    posts, _ = load_posts(FIX / "x_tweet_activity.csv")
    texts = set(posts["message"])
    assert {t.text for t in fx.X_CLASSIC} == texts
    assert any("\n\n" in t for t in texts)


def test_linkedin_french_spreadsheet_save_reads_like_the_english_one():
    en, _ = load_posts(FIX / "linkedin_page.csv", mapping=fx.LINKEDIN_MAPPING)
    fr, report = load_posts(FIX / "linkedin_page_fr_excel.csv", mapping=fx.LINKEDIN_MAPPING)
    assert (report.encoding, report.delimiter, report.decimal) == ("utf-8-sig", ";", ",")
    pd.testing.assert_frame_equal(en.drop(columns="page"), fr.drop(columns="page"))


def test_pages_of_several_networks_side_by_side():
    files = [FIX / "mbs_facebook_fr.csv", FIX / "mbs_instagram_es.csv", FIX / "tiktok_content.csv",
             FIX / "youtube_studio.csv", FIX / "x_posts.csv"]
    pages = load_pages(files)
    assert pages.names == [fx.MBS_FB_PAGE, fx.MBS_IG_ACCOUNT[1], "tiktok_content", "youtube_studio", "x_posts"]
    assert [r.network for r in pages.reports] == ["Facebook", "Instagram", "TikTok", "YouTube", "X"]
    assert [r.basis for r in pages.reports] == ["reach", "reach", "impressions", "impressions", "impressions"]
    assert len(pages.posts) == sum(r.posts for r in pages.reports)


# --- 3. bad files ----------------------------------------------------------------------------------

def without_column(src: Path, column: str, dst: Path) -> Path:
    """A copy of ``src`` without ``column`` (same delimiter, BOM kept)."""
    raw = src.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    first = text.splitlines()[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    i = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
    dst.write_bytes((("\ufeff" if bom else "") + out.getvalue()).encode("utf-8"))
    return dst


@pytest.mark.parametrize("file, column", [
    ("tiktok_content.csv", "Total likes"),
    ("youtube_studio.csv", "Likes"),
    ("x_posts.csv", "Post id"),
    ("x_tweet_activity.csv", "time"),
    ("mbs_facebook_fr.csv", "Couverture"),
    ("mbs_instagram_es.csv", "Alcance"),
    ("x_tweet_activity_fr.csv", "heure"),
])
def test_a_missing_required_column_is_named(tmp_path, file, column):
    """By its first (English) name, with its names in the layout's other languages in the message."""
    path = without_column(FIX / file, column, tmp_path / file)
    with pytest.raises(InputError) as info:
        load_posts(path)
    assert "missing column" in str(info.value) and column in str(info.value)
    assert f"column '{info.value.column}'" in str(info.value)


def test_a_tiktok_link_without_a_video_id_is_named_with_its_row(tmp_path):
    text = (FIX / "tiktok_content.csv").read_text(encoding="utf-8")
    link = fx.tiktok_link(fx.TIKTOK[2], 2)  # third post: spreadsheet row 4
    assert text.count(link) == 1
    path = tmp_path / "Content.csv"
    path.write_text(text.replace(link, f"https://www.tiktok.com/@{fx.TIKTOK_HANDLE}"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_posts(path)
    assert info.value.column == "Video link" and info.value.rows == [4]
    assert "column 'Video link', row 4" in str(info.value)


# --- 4. the Layout model refuses bad layout files ------------------------------------------------------------

BASE = {
    "name": "demo_export",
    "title": "Demo export",
    "network": "Demo",
    "status": "recognised",
    "basis": "impressions",
    "detect": [["post id"], ["views"]],
    "columns": {"post_id": {"names": ["Post id"], "empty": "error"}, "impressions": {"names": ["Views"]},
                "published": {"names": ["Date"], "empty": "error"}},
    "sources": [{"title": "A", "url": "https://a.example/export.csv", "supports": "columns"},
                {"title": "B", "url": "https://b.example/reader.py", "supports": "columns"}],
}


def test_layout_model_accepts_a_well_formed_layout():
    assert Layout.model_validate(BASE).name == "demo_export"
    one_source = copy.deepcopy(BASE) | {"status": "mapping"}
    one_source["sources"] = one_source["sources"][:1]
    assert Layout.model_validate(one_source).status == "mapping"  # a documented-only layout may rest on one


def _unknown_column(d):
    d["columns"]["reach_total"] = {"names": ["Total reach"]}


def _one_source(d):
    d["sources"] = d["sources"][:1]


def _same_url_twice(d):
    d["sources"][1]["url"] = d["sources"][0]["url"]


def _pattern_without_group(d):
    d["columns"]["post_id"]["pattern"] = r"/video/\d+"


def _pattern_with_two_groups(d):
    d["columns"]["post_id"]["pattern"] = r"/(video|photo)/(\d+)"


@pytest.mark.parametrize("change, words", [
    (_unknown_column, "unknown canonical columns ['reach_total']"),
    (_one_source, "at least two independent sources"),
    (_same_url_twice, "at least two independent sources"),
    (_pattern_without_group, "exactly one group"),
    (_pattern_with_two_groups, "exactly one group"),
])
def test_layout_model_refuses(change, words):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(ValidationError, match=re.escape(words)):
        Layout.model_validate(data)
