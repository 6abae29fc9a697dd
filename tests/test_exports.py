"""Several exports read as pages side by side (casebook.io.exports, casebook.io.files.expand_paths) and the
Meta Business Suite paid-flag semantics the page chapters' headline figures depend on."""

from pathlib import Path

import pandas as pd
import pytest

from casebook.errors import InputError
from casebook.io.exports import load_pages
from casebook.io.files import MAX_EXPORTS, expand_paths
from casebook.io.posts import load_posts
from casebook.pages import metrics

FIX = Path(__file__).parent / "fixtures" / "posts"
MBS = FIX / "mbs_facebook_posts.csv"
ORGANIC = FIX / "mbs_facebook_organic.csv"
IG = FIX / "mbs_instagram_posts.csv"


def test_mbs_export_of_the_bundled_page_gives_the_issue_figures():
    posts, report = load_posts(MBS)
    f = metrics.chapter_figures(posts)
    assert (f["posts_total"], round(f["engagement_rate_median"], 6), f["paid_share"], f["top_post_type"]) == (
        500, 0.021234, 0.278, "Photo")
    assert any("Reach from Boosted posts" in n for n in report.notes)


def test_a_page_that_never_boosted_has_paid_share_zero_not_nan():
    posts, report = load_posts(ORGANIC)
    assert metrics.chapter_figures(posts)["paid_share"] == 0.0
    assert any("no boosted reach column" in n for n in report.notes)


def test_boosted_status_words_and_empty_organic_cells(tmp_path):
    """An export whose status names boosted posts and leaves organic ones empty (no boosted reach column)."""
    df = pd.read_csv(MBS, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df["Funded content status"] = df["Reach from Boosted posts"].astype(int).gt(0).map({True: "Boosted", False: ""})
    path = tmp_path / "export.csv"
    df.drop(columns=["Reach from Organic posts", "Reach from Boosted posts"]).to_csv(path, index=False)
    posts, _ = load_posts(path)
    assert posts["paid"].notna().all() and metrics.chapter_figures(posts)["paid_share"] == 0.278


def test_two_exports_are_two_pages_with_their_own_figures():
    pages = load_pages([MBS, ORGANIC])
    assert pages.names == ["UCI cosmetics page (fixture)", "Organic-only page (fixture)"]
    got = {p["name"]: p for p in metrics.pages_figures(pages.posts)}
    assert got["UCI cosmetics page (fixture)"]["paid_share"] == 0.278
    assert got["Organic-only page (fixture)"]["paid_share"] == 0.0
    assert len(pages.main) == 500 and pages.main["page"].eq("UCI cosmetics page (fixture)").all()
    assert set(pages.posts["network"]) == {"Facebook"} and len(pages.reports) == 2
    assert pages.lines()[0] == f"file: {MBS}" and "" in pages.lines()


def test_one_export_reads_as_load_posts_does():
    pages = load_pages(str(MBS))
    posts, report = load_posts(MBS)
    pd.testing.assert_frame_equal(pages.posts, posts)
    assert pages.lines() == report.lines()[1:]


def test_same_page_name_twice_gets_the_file_name(tmp_path):
    copy = tmp_path / "again.csv"
    copy.write_bytes(MBS.read_bytes())
    assert load_pages([MBS, copy]).names == ["UCI cosmetics page (fixture)", "UCI cosmetics page (fixture) (again)"]


def test_names_override_the_export_page_names():
    assert load_pages([MBS, IG], names=["Ours", ""]).names == ["Ours", "uci_fixture"]


def test_folder_and_pattern_expand_in_name_order(tmp_path):
    for name in ("b.csv", "a.csv", ".hidden.csv", "notes.md"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    assert [p.name for p in expand_paths(tmp_path)] == ["a.csv", "b.csv"]
    assert [p.name for p in expand_paths(str(tmp_path / "*.csv"))] == ["a.csv", "b.csv"]
    assert [p.name for p in expand_paths([tmp_path / "b.csv", str(tmp_path)])] == ["b.csv", "a.csv"]


@pytest.mark.parametrize(("given", "problem"), [
    ("empty", "this folder holds no export"), ("empty/*.csv", "the pattern matches no file")])
def test_folder_or_pattern_naming_nothing_is_one_line(tmp_path, given, problem):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=problem) as exc:
        expand_paths(str(tmp_path / given))
    assert "\n" not in str(exc.value)


def test_too_many_exports_are_refused(tmp_path):
    for i in range(MAX_EXPORTS + 1):
        (tmp_path / f"p{i:03d}.csv").write_text("x")
    with pytest.raises(InputError, match=f"expected at most {MAX_EXPORTS}"):
        expand_paths(tmp_path)


def test_a_mapping_for_one_export_leaves_a_recognised_one_alone():
    linkedin = Path(__file__).parent / "fixtures" / "layouts" / "linkedin_page.csv"
    mapping = {"post_id": "Post link", "published": "Created date", "impressions": "Impressions",
               "likes": "Likes", "comments": "Comments", "shares": "Reposts"}
    pages = load_pages([MBS, linkedin], mapping=mapping)
    assert list(pages.posts.groupby("page", sort=False)["network"].first()) == ["Facebook", "LinkedIn"]
    assert any("without the mapping" in n for n in pages.reports[0].notes)
    with pytest.raises(InputError, match="the mapping names a column the file does not have"):
        load_pages([linkedin], mapping={**mapping, "reach": "Reach"})
