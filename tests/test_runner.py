"""``casebook run`` end to end: every chapter on its default data and on another data file.

Tests that start a kernel are marked ``integration`` (``make integration``); the others (argument and
output-folder checks, failures with the executor replaced) are unit tests. Each chapter runs once per
case (one test per case, so pytest-xdist never runs a chapter twice).
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from casebook import execute
from casebook import notebook as book
from casebook.cli import main as cli
from casebook.cli import params, runner
from casebook.paths import NOTEBOOKS, ROOT

XSS = "<script>alert(1)</script>"
SLUGS = params.chapter_slugs()


class FakeKernel:
    """What a unit test's run gets instead of a kernel: the arguments it was started with, and stops."""

    def __init__(self, **kwargs: object) -> None:
        self.kwargs = kwargs
        self.stops = 0


@pytest.fixture(autouse=True)
def kernels(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[FakeKernel]:
    """Unit tests never start a kernel (their executor is stubbed): the runner's kernel starts are recorded."""
    started: list[FakeKernel] = []
    if request.node.get_closest_marker("integration") is None:
        def start(**kwargs: object) -> FakeKernel:
            started.append(FakeKernel(**kwargs))
            return started[-1]

        def stop(kernel: FakeKernel) -> None:
            kernel.stops += 1

        monkeypatch.setattr(execute, "start_kernel", start)
        monkeypatch.setattr(execute, "stop_kernel", stop)
    return started


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_outputs(out: Path, slug: str) -> tuple[nbformat.NotebookNode, str, dict]:
    """The three outputs exist, and nothing else is left in the folder or beside it."""
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{slug}.ipynb", f"{slug}.html", "figures.json"])
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []  # no temporary folder left
    nb = nbformat.read(out / f"{slug}.ipynb", as_version=4)
    html = (out / f"{slug}.html").read_text(encoding="utf-8")
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert figures == book.glued_scalars(nb)
    assert html.startswith("<!DOCTYPE html>") and html.count("vegaEmbed(el,spec") >= 1
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert 'class="missing"' not in html  # every {glue:text} and {glue:figure} found its value
    visible = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    assert not re.search(
        r"\{(glue|cite|numref|ref|download)[:}]|:::|```|^:(class|name|label):", visible, re.M
    )
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert errors == []
    return nb, html, figures


@pytest.mark.integration
def test_default_run_through_python_m_casebook_shows_progress(tmp_path: Path) -> None:
    """The survey chapter through a real ``python -m casebook run``, replacing an older report atomically."""
    out = tmp_path / "reports" / "survey-evidence"
    out.mkdir(parents=True)
    (out / "survey-evidence.html").write_text("an older report")
    (out / "figures.json").write_text("{}")
    data = ROOT / "data" / "survey_counts.csv"
    before = digest(data), digest(NOTEBOOKS / "survey-evidence.ipynb")
    proc = subprocess.run(
        [sys.executable, "-m", "casebook", "run", "survey-evidence", "--out", "reports/survey-evidence"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Executing: 100%" in proc.stderr  # papermill's progress bar, cell by cell
    assert f"report:   {out / 'survey-evidence.html'}" in proc.stdout
    nb, html, figures = check_outputs(out, "survey-evidence")
    committed = nbformat.read(NOTEBOOKS / "survey-evidence.ipynb", as_version=4)
    assert figures == book.glued_scalars(committed)
    assert figures["mck2008_satisfied_n"] == 1988 and figures["n_for_3_points"] == 1068
    assert (digest(data), digest(NOTEBOOKS / "survey-evidence.ipynb")) == before
    assert "<dt>Data file</dt><dd><code>data/survey_counts.csv</code></dd>" in html
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)  # nothing injected


@pytest.mark.integration
@pytest.mark.parametrize("slug", SLUGS)
def test_a_french_run_writes_a_french_report_with_the_same_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture, slug: str
) -> None:
    out = tmp_path / slug
    code = cli.main(["run", slug, "-q", "--lang", "fr", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    nb, html, figures = check_outputs(out, slug)
    english = book.glued_scalars(nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4))
    assert figures.keys() == english.keys()

    def numbers(f: dict) -> dict:
        return {k: v for k, v in f.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}

    assert numbers(figures) == numbers(english)
    assert re.search(r'<html[^>]* lang="fr"', html) and "<caption>Paramètres</caption>" in html
    assert "Chapitre</dt>" in html and "Objectifs pédagogiques" in html
    title = BeautifulSoup(html, "html.parser").select_one("header.cb-header h1").get_text()
    assert title and title != params.load_chapter(slug).title  # the chapter's French title
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "lang = \"fr\"" in injected[0].source


@pytest.mark.integration
@pytest.mark.parametrize("slug", [s for s in SLUGS if s != "survey-evidence"])
def test_default_run_reproduces_the_books_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture, slug: str
) -> None:
    out = tmp_path / slug
    code = cli.main(["run", slug, "-q", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    _, html, figures = check_outputs(out, slug)
    committed = nbformat.read(NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    expected = book.glued_scalars(committed)
    assert figures.keys() == expected.keys()
    assert figures == expected, {k: (figures[k], expected[k]) for k in figures if figures[k] != expected[k]}
    title = params.load_chapter(slug).title
    assert f"<h1>{title.replace('&', '&amp;').replace(chr(39), '&#x27;')}</h1>" in html


# ---------------------------------------------------------------------------------------------------
# Another data file (or other parameters) per chapter kind

Case = Callable[[Path], tuple[list[str], Callable[[dict, str], None]]]


def survey_case(tmp: Path) -> tuple[list[str], Callable[[dict, str], None]]:
    counts = pd.read_csv(ROOT / "data" / "survey_counts.csv")
    subset = counts[counts["study"].str.startswith("McKinsey")]
    path = tmp / "mckinsey only.csv"
    subset.to_csv(path, index=False)

    def check(figures: dict, html: str) -> None:
        assert len(subset) == 5
        assert figures["studies"] == 3  # McKinsey 2008, 2009, 2010
        assert figures["confidence_pct"] == 90.0
        assert figures["mck2008_satisfied_n"] == 1988
        assert figures["ibm57_estimate"] is None  # not in the subset: null in figures.json
        assert "<td><code>0.9</code></td><td>set for this run</td>" in html

    return ["--data", str(path), "-p", "confidence=0.9"], check


def posts_case(tmp: Path) -> tuple[list[str], Callable[[dict, str], None]]:
    path = ROOT / "tests" / "fixtures" / "posts" / "mbs_facebook_posts.csv"

    def check(figures: dict, html: str) -> None:
        assert figures["posts_total"] == 500  # the fixture's 500 rows
        assert figures["brand"] == XSS
        assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    return ["--data", str(path), "-p", f"brand={XSS}"], check


def transactions_case(tmp: Path) -> tuple[list[str], Callable[[dict, str], None]]:
    lines = pd.read_parquet(ROOT / "data" / "uci_online_retail" / "online_retail.parquet")
    subset = lines[lines["CustomerID"].notna() & (lines["CustomerID"] % 4 == 0)]
    path = tmp / "orders.csv"
    subset.to_csv(path, index=False, sep=";", decimal=",")
    kept = subset[
        ~subset["InvoiceNo"].str[0].isin(["C", "A"])
        & (subset["Quantity"] > 0)
        & (subset["Quantity"] * subset["UnitPrice"] >= 0)
    ]

    def check(figures: dict, html: str) -> None:
        assert figures["customers"] == kept["CustomerID"].nunique()
        assert f"<code>{path.name}</code>" in html and str(path.parent) not in html

    return ["--data", str(path), "-p", "brand=Acme Motors"], check


def nike_case(tmp: Path) -> tuple[list[str], Callable[[dict, str], None]]:
    series = pd.read_csv(ROOT / "data" / "nike_plus" / "nike_plus_series.csv")
    series["brand"] = series["brand"].replace("Nike", "Acme Running")
    path = tmp / "acme_series.csv"
    series.to_csv(path, index=False)

    def check(figures: dict, html: str) -> None:
        assert figures["brand"] == "Acme Running"
        assert figures["share_gain_points"] == pytest.approx(61 - 48)

    return ["--data", str(path), "-p", "brand=Acme Running"], check


def sncf_case(tmp: Path) -> tuple[list[str], Callable[[dict, str], None]]:
    def check(figures: dict, html: str) -> None:
        assert figures["n_organisers"] == 500 and figures["simulations"] == 20_000
        assert figures["k_factor"] == pytest.approx(4 * 0.5 * 0.7 * 0.15)
        assert figures["model_organisers"] == pytest.approx(500 / (1 - 0.21))

    return ["-p", "n_organisers=500", "-p", "simulations=20000"], check


def conversations_case(tmp: Path) -> tuple[list[str], Callable[[dict, str], None]]:
    from casebook.io.conversations import load_conversations

    path = ROOT / "tests" / "fixtures" / "conversations" / "twcs_small.csv"
    msgs, _ = load_conversations(path)

    def check(figures: dict, html: str) -> None:
        assert figures["inbound_messages"] == int(msgs["inbound"].sum())
        assert figures["brands"] == msgs.loc[~msgs["inbound"], "author"].nunique()
        assert "<code>twcs_small.csv</code>" in html and str(path.parent) not in html

    return ["--data", str(path)], check


BY_DATA: dict[str, Case] = {
    "twcs_first5000.csv": conversations_case,
    "survey_counts.csv": survey_case,
    "dataset_Facebook.csv": posts_case,
    "online_retail.parquet": transactions_case,
    "nike_plus_series.csv": nike_case,
}
BY_SLUG: dict[str, Case] = {"sncf": sncf_case}


def case_for(slug: str) -> Case:
    chapter = params.load_chapter(slug)
    data = {p.name: p.default for p in chapter.parameters}.get("data_path")
    case = BY_SLUG.get(slug) or (BY_DATA.get(Path(data).name) if data else None)
    assert case is not None, f"add a second-data case for chapter {slug} (default data {data!r})"
    return case


@pytest.mark.integration
@pytest.mark.parametrize("slug", SLUGS)
def test_run_on_other_data(tmp_path: Path, capsys: pytest.CaptureFixture, slug: str) -> None:
    args, check = case_for(slug)(tmp_path)
    inputs = [Path(a) for a in args if Path(a).is_file()]
    before = [digest(p) for p in inputs]
    out = tmp_path / "reports" / slug
    code = cli.main(["run", slug, "-q", "--out", str(out), *args])
    err = capsys.readouterr().err
    assert code == 0, err
    nb, html, figures = check_outputs(out, slug)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "remove-cell" in injected[0].metadata["tags"]
    assert injected[0].metadata["jupyter"]["source_hidden"] is True
    assert nb.metadata["papermill"]["output_path"] == f"{slug}.ipynb"
    # a report is meant to be sent: no folder of this machine in any of its files
    for name in (f"{slug}.ipynb", f"{slug}.html", "figures.json"):
        text = (out / name).read_text(encoding="utf-8")
        for folder in {str(tmp_path), str(ROOT), str(Path.home())} - {"/"}:
            assert folder not in text, (name, folder)
    assert [digest(p) for p in inputs] == before
    check(figures, html)


# ---------------------------------------------------------------------------------------------------
# Failures leave the output folder as it was


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    out = tmp_path / "reports" / "survey-evidence"
    out.mkdir(parents=True)
    (out / "figures.json").write_text('{"old": 1}')
    return out


def unchanged(out: Path) -> None:
    assert [p.name for p in out.iterdir()] == ["figures.json"] and (
        out / "figures.json"
    ).read_text() == '{"old": 1}'
    assert [p.name for p in out.parent.iterdir()] == ["survey-evidence"]


@pytest.mark.integration
def test_bad_data_inside_the_kernel_exits_2_with_the_chapters_message(previous: Path) -> None:
    """Through a real process: stderr is exactly the chapter's one-line message (no kernel noise)."""
    bad = ROOT / "tests" / "fixtures" / "bad" / "survey" / "negative_count.csv"
    before = digest(bad)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "casebook",
            "run",
            "survey-evidence",
            "-q",
            "--data",
            str(bad),
            "--out",
            str(previous),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        f"casebook: error: {bad}: column 'count', row 3: values below 0 (-5); "
        "expected numbers of at least 0\n"
    )
    assert proc.stdout == ""
    unchanged(previous)
    assert digest(bad) == before


def test_parameter_outside_its_domain_exits_2_before_a_kernel(
    previous: Path, capsys: pytest.CaptureFixture, kernels: list[FakeKernel]
) -> None:
    code = cli.main(["run", "survey-evidence", "-q", "-p", "confidence=1.5", "--out", str(previous)])
    assert [k.stops for k in kernels] == [1]  # started ahead of the checks, stopped when one failed
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "casebook: error: parameter 'confidence' of chapter 'survey-evidence' expects number strictly between "
        "0 and 1 (default 0.95), got '1.5' (Input should be less than 1); valid parameters: confidence (float), "
        "data_path (str), lang (str)\n"
    )
    unchanged(previous)


def test_interrupted_run_leaves_the_folder_as_it_was(
    previous: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, kernels: list[FakeKernel]
) -> None:
    temporary: list[Path] = []

    def interrupted(path: Path, **kwargs: object) -> None:
        temporary.extend(p for p in previous.parent.iterdir() if p.name.endswith(".tmp"))
        raise KeyboardInterrupt

    monkeypatch.setattr(execute, "execute_notebook", interrupted)
    code = cli.main(["run", "survey-evidence", "-q", "--out", str(previous)])
    assert code == 130
    assert [k.stops for k in kernels] == [1]  # the interrupted run's kernel is stopped
    assert capsys.readouterr().err == "casebook: interrupted; nothing was written\n"
    assert len(temporary) == 1  # the run's temporary folder existed when it was interrupted ...
    unchanged(previous)  # ... and is gone


@pytest.mark.integration
def test_killed_run_leaves_the_folder_as_it_was(previous: Path) -> None:
    """A real run stopped with SIGTERM while its kernel works: exit 130, old report intact, no temp folder."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "casebook", "run", "survey-evidence", "-q", "--out", str(previous)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while (
        not [p for p in previous.parent.iterdir() if p.name.endswith(".tmp")] and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    time.sleep(2)  # the kernel is starting or executing
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err == "casebook: interrupted; nothing was written\n"
    unchanged(previous)


def test_genuine_error_in_a_chapter_exits_1(
    previous: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, kernels: list[FakeKernel]
) -> None:
    from papermill.exceptions import PapermillExecutionError

    def broken(path: Path, **kwargs: object) -> None:
        raise PapermillExecutionError(
            cell_index=6,
            exec_count=4,
            source="1/0",
            ename="ZeroDivisionError",
            evalue="division by zero",
            traceback=["..."],
        )

    monkeypatch.setattr(execute, "execute_notebook", broken)
    code = cli.main(["run", "survey-evidence", "-q", "--out", str(previous)])
    assert code == 1
    assert [k.stops for k in kernels] == [1]  # the failed run's kernel is stopped
    assert capsys.readouterr().err == (
        "casebook: internal error: chapter 'survey-evidence' failed in cell 4: "
        "ZeroDivisionError: division by zero\n"
    )
    unchanged(previous)


def test_bad_input_raised_in_a_chapter_exits_2_with_its_first_line(
    previous: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from papermill.exceptions import PapermillExecutionError

    def bad_input(path: Path, **kwargs: object) -> None:
        raise PapermillExecutionError(6, 4, "load()", "InputError", "x.csv: column 'n': missing\nmore", ["..."])

    monkeypatch.setattr(execute, "execute_notebook", bad_input)
    code = cli.main(["run", "survey-evidence", "-q", "--out", str(previous)])
    assert code == 2
    assert capsys.readouterr().err == "casebook: error: x.csv: column 'n': missing\n"
    unchanged(previous)


def test_run_passes_parameters_and_progress_to_the_executor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernels: list[FakeKernel]
) -> None:
    """The executor receives the checked values and the kernel started for them (the chapter's modules
    imported as it starts); its notebook becomes the report's (papermill stubbed)."""
    calls: list[dict] = []
    committed = nbformat.read(NOTEBOOKS / "survey-evidence.ipynb", as_version=4)

    def fake(path: Path, **kwargs: object) -> execute.Executed:
        calls.append({"path": path, **kwargs})
        return execute.Executed(committed, 0.5)

    monkeypatch.setattr(execute, "execute_notebook", fake)
    result = runner.run_chapter("survey-evidence", parameters=["confidence=0.9"], out=tmp_path / "o", progress=False)
    assert len(kernels) == 1
    assert kernels[0].kwargs == {"kernel_name": "python3",
                                 "preload": execute.notebook_imports(NOTEBOOKS / "survey-evidence.ipynb")}
    assert "casebook.survey.stats" in kernels[0].kwargs["preload"]
    assert calls == [{"path": NOTEBOOKS / "survey-evidence.ipynb", "parameters": {"confidence": 0.9},
                      "progress": False, "kernel_name": "python3", "timeout": runner.TIMEOUT,
                      "kernel": kernels[0]}]
    assert kernels[0].stops == 1  # stopped once the run is over, whatever the executor did
    assert result.figures == book.glued_scalars(committed)
    assert sorted(p.name for p in result.out.iterdir()) == ["figures.json", "survey-evidence.html",
                                                             "survey-evidence.ipynb"]


def test_out_folder_with_other_files_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "figures.json").write_text("{}")
    code = cli.main(["run", "survey-evidence", "--out", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"casebook: error: --out {tmp_path} holds other files (notes.txt) that the run would replace; "
        "expected a new folder or one holding only a previous report of survey-evidence\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.json", "notes.txt"]


def test_run_without_data_path_parameter_rejects_data(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    no_data = [s for s in SLUGS if "data_path" not in {p.name for p in params.load_chapter(s).parameters}]
    assert no_data, "every chapter takes a data file"
    code = cli.main(["run", no_data[0], "--data", "x.csv", "--out", str(tmp_path / "o")])
    assert code == 2
    assert f"chapter '{no_data[0]}' takes no data file" in capsys.readouterr().err


def test_tag_injected_parameters() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("x = 2", metadata={"tags": ["injected-parameters"]}),
        ]
    )
    assert runner.tag_injected_parameters(nb) == 1
    assert nb.cells[1].metadata["tags"] == ["injected-parameters", "remove-cell"]
    assert nb.cells[0].metadata["tags"] == ["parameters"]


# Another brand's valid file, in another layout than the bundled one: every chapter must run on it.
FIXTURES = ROOT / "tests" / "fixtures"
OTHER_BRANDS = [
    ("survey-evidence", ["--data", str(FIXTURES / "survey" / "other_brand.csv")]),  # no 2008 rows
    ("monceau-fleurs", ["--data", str(FIXTURES / "posts" / "mbs_facebook_posts.csv")]),
    ("1800-flowers", ["--data", str(FIXTURES / "posts" / "mbs_facebook_posts.csv")]),
    ("volvo", ["--data", str(FIXTURES / "transactions" / "other_shop.csv")]),  # offsets, "1,275.51"
    ("nike-plus", ["--data", str(FIXTURES / "community" / "other_brand_series.csv"),
                   "-p", "brand=Acme Run", "-p", "community_metric=runs_logged"]),
    ("sncf", ["-p", "n_organisers=20", "-p", "simulations=500", "-p", "acceptance_rate=0.9"]),
    ("community-manager", ["--data", str(FIXTURES / "conversations" / "mapped_inbox.csv"), "-p",
                           'column_mapping={"message_id": "id", "author": "from", "inbound": "direction", '
                           '"created": "sent at", "reply_to": "in reply to", "text": "message"}']),
]


def test_other_brands_cover_every_chapter() -> None:
    assert sorted(slug for slug, _ in OTHER_BRANDS) == SLUGS


@pytest.mark.integration
@pytest.mark.parametrize(("slug", "args"), OTHER_BRANDS, ids=[s for s, _ in OTHER_BRANDS])
def test_every_chapter_runs_on_another_brands_valid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture, slug: str, args: list[str]
) -> None:
    inputs = [Path(a) for a in args if Path(a).is_file()]
    before = [digest(p) for p in inputs]
    code = cli.main(["run", slug, "-q", "--out", str(tmp_path / "out"), *args])
    err = capsys.readouterr().err
    assert code == 0, err
    _, _, figures = check_outputs(tmp_path / "out", slug)
    assert figures
    assert [digest(p) for p in inputs] == before


# ---------------------------------------------------------------------------------------------------
# Lost data, interrupted runs, unwritable folders (issue 17): checked without a kernel


def test_an_output_folder_holding_an_input_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    data = out / "figures.json"  # an input under an output's name
    data.write_text("study,year\n")
    with pytest.raises(runner.ParameterError, match="holds the input figures.json, which the run would replace"):
        runner.check_out_dir(out, "survey-evidence", [data])
    with pytest.raises(runner.ParameterError, match="holds the input"):
        runner.check_out_dir(tmp_path, "survey-evidence", [tmp_path / "sub" / "counts.csv"])
    runner.check_out_dir(tmp_path / "new", "survey-evidence", [data])  # elsewhere: fine


def test_a_run_on_an_input_inside_out_leaves_it_untouched(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "report"
    out.mkdir()
    data = out / "survey-evidence.html"
    data.write_bytes((ROOT / "data" / "survey_counts.csv").read_bytes())
    before = digest(data)
    code = cli.main(["run", "survey-evidence", "-q", "--data", str(data), "--out", str(out)])
    assert code == 2 and "holds the input survey-evidence.html" in capsys.readouterr().err
    assert digest(data) == before


def test_stale_temporary_folders_of_dead_runs_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "report"
    dead = tmp_path / ".report.abc.tmp"
    dead.mkdir()
    (dead / runner.OWNER).write_text("999999999")  # no such process
    orphan = tmp_path / ".report.def.tmp"
    orphan.mkdir()  # killed before it wrote its owner
    live = tmp_path / ".report.ghi.tmp"
    live.mkdir()
    (live / runner.OWNER).write_text(str(__import__("os").getpid()))
    assert sorted(runner.clean_stale(out)) == sorted([dead, orphan])
    assert live.exists() and not dead.exists() and not orphan.exists()


def test_a_signal_during_the_swap_is_held_until_the_report_is_in_place(tmp_path: Path) -> None:
    import os

    tmp, out = tmp_path / ".out.x.tmp", tmp_path / "out"
    tmp.mkdir()
    (tmp / "figures.json").write_text("{}")
    with pytest.raises(KeyboardInterrupt) as exc, runner._DeferSignals():
        os.kill(os.getpid(), signal.SIGINT)
        runner._swap_into_place(tmp, out)
    assert exc.value.args == ("complete",)
    assert (out / "figures.json").exists() and not tmp.exists()


@pytest.mark.parametrize("where", ["under a file", "name too long"])
def test_an_unwritable_output_folder_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture, where: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    out = tmp_path / "file.txt" / "report" if where == "under a file" else tmp_path / ("r" * 300) / "report"
    code = cli.main(["run", "survey-evidence", "-q", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"casebook: error: --out {out}: cannot write the report there (")


@pytest.mark.integration
def test_a_run_failing_early_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    """A window that leaves no post fails in the kernel's first cells, while the report warms up."""
    proc = subprocess.run(
        [sys.executable, "-m", "casebook", "run", "monceau-fleurs", "-q", "-p", "since=2030-01-01",
         "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("casebook: error: since/until (2030-01-01 to the last post) leave no post")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("errno_name", ["ENOSPC", "EROFS"])
def test_a_full_disk_or_read_only_folder_is_one_line_and_keeps_the_previous_report(
    previous: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, errno_name: str
) -> None:
    import errno
    import os

    committed = nbformat.read(NOTEBOOKS / "survey-evidence.ipynb", as_version=4)
    monkeypatch.setattr(execute, "execute_notebook", lambda path, **kw: execute.Executed(committed, 0.1))
    code_no = getattr(errno, errno_name)

    def full(notebook: object, info: object, dest: Path) -> Path:
        raise OSError(code_no, os.strerror(code_no), str(dest))

    monkeypatch.setattr(runner.report, "write_report", full)
    code = cli.main(["run", "survey-evidence", "-q", "--out", str(previous)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err == (f"casebook: error: --out {previous}: cannot write the report there ({os.strerror(code_no)}); "
                   "expected a writable folder (any previous report there is unchanged)\n")
    unchanged(previous)


# ---------------------------------------------------------------------------------------------------
# Several exports: pages side by side

PAGES = ROOT / "tests" / "fixtures" / "posts"


def test_repeated_data_becomes_a_list_of_paths_and_the_export_names_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two --data: data_path is the list of both files, brand is left to the exports (executor stubbed)."""
    calls: list[dict] = []
    committed = nbformat.read(NOTEBOOKS / "1800-flowers.ipynb", as_version=4)

    def fake(path: Path, **kwargs: object) -> execute.Executed:
        calls.append(kwargs["parameters"])
        return execute.Executed(committed, 0.5)

    monkeypatch.setattr(execute, "execute_notebook", fake)
    files = [PAGES / "mbs_facebook_posts.csv", PAGES / "mbs_facebook_organic.csv"]
    result = runner.run_chapter("1800-flowers", data=files, out=tmp_path / "o", progress=False)
    assert calls == [{"data_path": [str(f) for f in files], "brand": ""}]
    html = result.html.read_text(encoding="utf-8")
    assert "mbs_facebook_posts.csv, mbs_facebook_organic.csv" in html and str(PAGES) not in html


def test_a_folder_with_no_export_is_refused_before_a_kernel(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "empty").mkdir()
    code = cli.main(["run", "1800-flowers", "-q", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "this folder holds no export" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


@pytest.mark.integration
def test_two_exports_in_one_run_give_two_pages(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "two"
    code = cli.main(["run", "monceau-fleurs", "-q", "--out", str(out), "--data", str(PAGES / "mbs_facebook_posts.csv"),
                     "--data", str(PAGES / "mbs_facebook_organic.csv")])
    assert code == 0, capsys.readouterr().err
    nb, html, figures = check_outputs(out, "monceau-fleurs")
    pages = {p["name"]: p for p in figures["pages"]}
    assert list(pages) == ["UCI cosmetics page (fixture)", "Organic-only page (fixture)"]
    ours, theirs = pages["UCI cosmetics page (fixture)"], pages["Organic-only page (fixture)"]
    assert (ours["posts_total"], round(ours["engagement_rate_median"], 6), ours["paid_share"],
            ours["top_post_type"], ours["er_basis"]) == (500, 0.021234, 0.278, "Photo", "reach")
    assert theirs["paid_share"] == 0.0 and theirs["network"] == "Facebook"
    assert figures["paid_share"] == 0.278 and figures["brand"] == "UCI cosmetics page (fixture)"
    assert figures["pages_shown"] == 2  # the simulated page stands beside a single export only
    assert "Organic-only page (fixture)" in html and "fig-monceau-pages" in html


def test_the_command_ends_with_its_code_and_output_flushed() -> None:
    code = "from casebook.cli.main import exit_now; print('done', end=''); exit_now(3)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stdout) == (3, "done")


# ---------------------------------------------------------------------------------------------------
# A database as data: connection strings, --table, and credentials that never reach the notebook


def _parameterized(monkeypatch: pytest.MonkeyPatch, slug: str) -> list[dict]:
    """Stub the executor with papermill's own parameter injection into the stored chapter (no kernel):
    the notebook it returns holds exactly what the kernel would have been given."""
    import copy

    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    calls: list[dict] = []
    committed = load_notebook_node(str(NOTEBOOKS / f"{slug}.ipynb"))

    def fake(path: Path, **kwargs: object) -> execute.Executed:
        calls.append(kwargs)
        return execute.Executed(parameterize_notebook(copy.deepcopy(committed), dict(kwargs["parameters"])), 0.1)

    monkeypatch.setattr(execute, "execute_notebook", fake)
    return calls


def test_a_database_url_reaches_the_chapter_without_its_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernels: list[FakeKernel], capsys: pytest.CaptureFixture
) -> None:
    calls = _parameterized(monkeypatch, "volvo")
    url = "postgresql://bob:s3cr%40t@db.example:5432/shop?sslmode=require"
    code = cli.main(["run", "volvo", "-q", "--data", url, "--table", "orders", "--out", str(tmp_path / "o")])
    assert code == 0, capsys.readouterr().err
    assert [k.kwargs.get("env", {}).get(v) for k in kernels for v in ("PGUSER", "PGPASSWORD")] == ["bob", "s3cr@t"]
    assert calls[0]["parameters"]["data_path"] == "postgresql://db.example:5432/shop?sslmode=require"
    assert calls[0]["parameters"]["table"] == "orders"
    files = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "o").iterdir()}
    assert sorted(files) == ["figures.json", "volvo.html", "volvo.ipynb"]
    for name, text in files.items():
        assert "s3cr" not in text and "bob" not in text, name  # nowhere: notebook, report, figures
    assert "postgresql://db.example:5432/shop, table orders" in files["volvo.html"]  # the header
    assert "data_path = 'postgresql://db.example:5432/shop'" in files["volvo.ipynb"]


def test_credentials_given_with_p_restart_the_kernel_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernels: list[FakeKernel]
) -> None:
    calls = _parameterized(monkeypatch, "volvo")
    runner.run_chapter("volvo", parameters=["data_path=postgres://ann:pw@h/db", "table=public.orders"],
                       out=tmp_path / "o", progress=False)
    assert [k.kwargs.get("env", {}).get("PGPASSWORD") for k in kernels] == [None, "pw"]
    assert [k.stops >= 1 for k in kernels] == [True, True]  # the first is stopped when replaced
    assert calls[0]["kernel"] is kernels[1]
    assert calls[0]["parameters"] == {"data_path": "postgres://h/db", "table": "public.orders"}


def test_a_spark_master_is_given_as_it_is_and_needs_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernels: list[FakeKernel]
) -> None:
    calls = _parameterized(monkeypatch, "volvo")
    result = runner.run_chapter("volvo", data="local[2]", table="/data/orders.parquet", out=tmp_path / "o",
                                progress=False)
    assert {k: calls[0]["parameters"][k] for k in ("data_path", "table")} == {
        "data_path": "local[2]", "table": "/data/orders.parquet"}
    assert "env" not in kernels[0].kwargs
    assert "local[2], table /data/orders.parquet" in result.html.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["survey-evidence", "--data", "postgresql://bob:s3cret@h/shop"],
     "casebook: error: data_path postgresql://h/shop: chapter 'survey-evidence' reads files, not databases; "
     "expected the path of a file\n"),
    (["survey-evidence", "--table", "orders"],
     "casebook: error: chapter 'survey-evidence' reads no database table (no table parameter), so --table does "
     "not apply; valid parameters: confidence (float), data_path (str), lang (str)\n"),
    (["volvo", "--data", "spark://u:s3cret@h:7077"],
     "casebook: error: data_path spark://h:7077: a Spark master URL holds no user or password; expected "
     "spark://HOST:PORT, local or local[N]\n"),
])
def test_a_database_where_it_does_not_belong_is_one_line_before_any_cell_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    calls = _parameterized(monkeypatch, args[0])
    assert cli.main(["run", *args, "-q", "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == message
    assert calls == [] and not (tmp_path / "o").exists()


def test_a_folder_or_pattern_of_parts_goes_to_a_database_chapter_unlisted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """Order histories come in many parts, nested: the chapter's reader finds them; the command neither
    lists them (a report header names the folder) nor caps their number, and keeps --out out of them."""
    calls = _parameterized(monkeypatch, "volvo")
    parts = tmp_path / "orders"
    for i in range(60):  # more than the 50 exports of a page run
        (parts / f"year={2000 + i % 3}").mkdir(parents=True, exist_ok=True)
        (parts / f"year={2000 + i % 3}" / f"part-{i}.parquet").write_bytes(b"PAR1")
    result = runner.run_chapter("volvo", data=str(parts), out=tmp_path / "o", progress=False)
    assert calls[-1]["parameters"]["data_path"] == str(parts)
    chapter = params.load_chapter("volvo")
    user = {"data_path": str(parts), "table": "t"}
    assert runner.data_display(chapter, {**user}, user) == "orders, table t"  # the folder, not 60 names
    assert result.html.exists()
    result = runner.run_chapter("volvo", data=str(parts / "*" / "*.parquet"), out=tmp_path / "p", progress=False)
    assert calls[-1]["parameters"]["data_path"] == str(parts / "*" / "*.parquet")
    code = cli.main(["run", "volvo", "-q", "--data", str(parts), "--out", str(parts)])
    assert code == 2 and "holds the input orders" in capsys.readouterr().err
