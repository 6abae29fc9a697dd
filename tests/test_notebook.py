import nbformat
import numpy as np
import pandas as pd
import pytest
from nbclient import NotebookClient

from casebook import notebook as book


def test_plain_converts_numpy_and_pandas_scalars():
    assert book.plain(np.float64(0.5)) == 0.5 and type(book.plain(np.float64(0.5))) is float
    assert type(book.plain(np.int64(3))) is int
    assert book.plain(pd.Timestamp("2014-01-02 10:00")) == "2014-01-02"
    assert book.plain("x") == "x"


def test_glue_rejects_tables():
    with pytest.raises(TypeError, match="expected a number, a string, a list or a chart"):
        book.glue("t", pd.DataFrame({"a": [1]}))


def test_plain_data_turns_records_into_json_ready_values():
    got = book.plain_data([{"name": "A", "n": np.int64(3), "share": np.float64("nan"), "ok": True}])
    assert got == [{"name": "A", "n": 3, "share": None, "ok": True}] and type(got[0]["n"]) is int
    with pytest.raises(TypeError, match="expected numbers, text, lists or dicts"):
        book.plain_data([{"t": pd.DataFrame()}])


def test_glued_scalars_round_trip_through_a_kernel(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy as np, altair as alt, pandas as pd\n"
        "from casebook import notebook as book\nbook.setup()\n"
        "book.glue('share', np.float64(0.25))\nbook.glue('n', np.int64(1988))\n"
        "book.glue('kind', 'Photo')\nbook.glue('missing', float('nan'))\n"
        "book.glue('pages', [{'name': 'A', 'paid_share': float('nan'), 'posts_total': np.int64(2)}])\n"
        "book.glue('fig', alt.Chart(pd.DataFrame({'a': [1]})).mark_point())\n")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    assert book.glued_scalars(nb) == {"share": 0.25, "n": 1988, "kind": "Photo", "missing": None,
                                      "pages": [{"name": "A", "paid_share": None, "posts_total": 2}]}
    chart_out = [o for o in nb.cells[0].outputs if o.metadata.get("scrapbook", {}).get("name") == "fig"]
    assert "cb-chart-" in chart_out[0].data["application/papermill.record/text/html"]


def test_glue_all_glues_each_figure_under_its_prefixed_name(monkeypatch) -> None:
    seen: list[tuple[str, object]] = []
    monkeypatch.setattr(book, "glue", lambda name, value: seen.append((name, value)))
    book.glue_all({"share": 0.25, "label": "x"}, prefix="p_")
    assert seen == [("p_share", 0.25), ("p_label", "x")]
