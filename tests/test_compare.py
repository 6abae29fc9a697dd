"""Pages side by side (casebook.pages.compare) and its chart."""

import pandas as pd
import pytest

from casebook.pages import compare
from casebook.pages.simulate import SILENT
from casebook.schemas import CANONICAL, DTYPES


def table(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in CANONICAL:
        if c not in df:
            df[c] = {"network": "Facebook"}.get(c, pd.NA)
    df["post_id"] = [f"p{i}" for i in range(len(df))]
    df["published"] = pd.to_datetime(df["published"])
    return df[CANONICAL].astype(DTYPES)


def week(page: str, er: float, kind: str = "Photo", paid: bool = False, **extra) -> list[dict]:
    return [dict(published=f"2024-01-0{d} 10:00", page=page, type=kind, reach=1000, impressions=2000,
                 interactions=int(er * 1000), paid=paid, **extra) for d in range(1, 8)]


@pytest.fixture
def two() -> pd.DataFrame:
    return table(week("Busy", 0.05, "Video", paid=True) + week("Quiet", 0.01)[:2])


def test_side_by_side_one_row_per_page_in_order(two):
    t = compare.side_by_side(two)
    assert t["page"].tolist() == ["Busy", "Quiet"]
    busy, quiet = t.iloc[0], t.iloc[1]
    assert busy["posts"] == 7 and busy["paid_share"] == 1.0 and busy["top_post_type"] == "Video"
    assert busy["er_median"] == pytest.approx(0.05) and quiet["er_median"] == pytest.approx(0.01)
    assert busy["posts_per_week"] == pytest.approx(7.0) and set(t["er_basis"]) == {"reach"}
    assert busy["criteria_good"] + busy["criteria_failed"] <= 7


def test_scorecards_one_grade_column_per_page(two):
    s = compare.scorecards(two)
    assert list(s.columns) == ["criterion", "Busy", "Quiet"] and len(s) == 7


def test_by_type_uses_the_common_basis_else_each_pages_own():
    mixed = table(week("fb", 0.05) + [dict(published="2024-01-02 10:00", page="x", network="X", type="Text",
                                           impressions=1000, interactions=30)])
    t = compare.by_type(mixed)
    assert set(t["er_basis"]) == {"impressions"}
    assert t.loc[t["page"] == "fb", "er_median"].iloc[0] == pytest.approx(0.025)


def test_compare_figures_pages_entries_and_chart(two):
    f = compare.compare_figures(two)
    assert [p["name"] for p in f["pages"]] == ["Busy", "Quiet"] and f["pages_shown"] == 2
    assert f["pages_basis"].startswith("interactions ÷ reach")
    spec = f["fig-pages-compare"].to_dict()
    assert "simulated" not in str(spec["title"]).lower()
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 2  # aggregated: one row per page and type


def test_a_single_page_is_compared_with_the_reference_which_is_never_one_of_the_pages():
    one = table(week("Ours", 0.03))
    silent = table(week(SILENT, 0.01)[:1])
    f = compare.compare_figures(one, reference=silent)
    assert [p["name"] for p in f["pages"]] == ["Ours"] and f["pages_shown"] == 2
    assert "simulated" in str(f["fig-pages-compare"].to_dict()["title"]).lower()
    assert compare.side_by_side(one, reference=silent)["page"].tolist() == ["Ours", SILENT]
    two = table(week("Ours", 0.03) + week("Theirs", 0.02))
    assert compare.side_by_side(two, reference=silent)["page"].tolist() == ["Ours", "Theirs"]


def test_pages_without_a_shared_basis_are_flagged():
    apart = table(week("fb", 0.05) + [dict(published="2024-01-02 10:00", page="x", impressions=1000, interactions=30)])
    apart.loc[apart["page"] == "fb", "impressions"] = pd.NA
    f = compare.compare_figures(apart)
    assert "not comparable" in f["pages_basis"]
    assert [p["er_basis"] for p in f["pages"]] == ["reach", "impressions"]


def test_readable_labels_and_missing_figures():
    t = compare.readable(compare.side_by_side(table(week("A", 0.05, paid=True) + week("B", 0.01)[:2])))
    assert list(t.index) == ["A", "B"] and t.loc["A", "Paid posts"] == "100%"
    assert t.loc["A", "Median engagement rate"] == "5.00%" and t.loc["B", "Posts"] == 2
    ig = table(week("C", 0.02))
    ig["paid"] = pd.array([pd.NA] * len(ig), dtype="boolean")
    assert compare.readable(compare.side_by_side(ig)).loc["C", "Paid posts"] == "not in the export"
