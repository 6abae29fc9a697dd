"""The casebook command line: list, argument errors, and validate on a corpus of malformed or tricky files.

The million-post file is an integration test (``make integration``); the rest runs in the unit stage.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from casebook.cli import main as cli
from casebook.io.posts import load_posts
from casebook.paths import ROOT
from tests.test_conversations import CORPUS as CONVERSATIONS_CORPUS

BAD = Path(__file__).parent / "fixtures" / "bad"
FIX_POSTS = Path(__file__).parent / "fixtures" / "posts"

# (kind, file, exit code, substrings of the one-line message on stderr; for exit 0, of stdout)
CORPUS = [
    ("survey", "empty.csv", 2, ["the file is empty", "expected a header row and at least one data row"]),
    ("survey", "header_only.csv", 2, ["the file has a header but no data rows"]),
    (
        "survey",
        "missing_n_column.csv",
        2,
        ["column 'n': missing column (the file has: study, year, question, option, count)"],
    ),
    (
        "survey",
        "text_in_count.csv",
        2,
        ["column 'count', row 2: text where a number was expected", "expected numbers only"],
    ),
    ("survey", "negative_count.csv", 2, ["column 'count', row 3: values below 0 (-5)"]),
    (
        "survey",
        "count_over_n.csv",
        2,
        ["column 'count', row 2: count larger than the sample size n", "expected 0 ≤ count ≤ n"],
    ),
    ("survey", "fractional_n.csv", 2, ["column 'n', row 2: fractional values in a count"]),
    (
        "survey",
        "duplicate_option.csv",
        2,
        ["column 'option', row 4: the same study, year, question and option appear twice"],
    ),
    ("survey", "empty_study.csv", 2, ["column 'study', row 2: empty cells; expected a label in every row"]),
    ("survey", "binary_garbage.csv", 2, ["this is a binary file, not a table"]),
    ("survey", "utf16.csv", 0, ["encoding: utf-16", "rows: 1; studies: 1", "problems: none"]),
    (
        "survey",
        "latin1_semicolon_decimal_comma.csv",
        0,
        ["encoding: latin-1; delimiter: ';'; decimal mark: ','", "rows: 2", "problems: none"],
    ),
    ("survey", "bom.csv", 0, ["encoding: utf-8-sig", "rows: 2", "years: 2020 to 2020"]),
    ("survey", "formula_in_option.csv", 0, ["rows: 1", "problems: none"]),
    ("posts", "empty.csv", 2, ["the file is empty"]),
    ("posts", "header_only.csv", 2, ["the file has a header but no data rows"]),
    (
        "posts",
        "missing_reach_column.csv",
        2,
        [
            "column 'Reach': missing column",
            "expected Meta Business Suite Facebook post export: a column for reach",
        ],
    ),
    ("posts", "text_in_reach.csv", 2, ["column 'Reach', row 4: text where a number was expected ('lots')"]),
    (
        "posts",
        "negative_likes.csv",
        2,
        ["column 'Reactions', row 3: negative counts (-3)", "expected counts of 0 or more"],
    ),
    (
        "posts",
        "unparseable_dates.csv",
        2,
        ["column 'Publish time', row 3: dates that do not parse ('yesterday')"],
    ),
    ("posts", "future_dates.csv", 2, ["column 'Publish time', row 3: dates after 2026-11-23"]),
    ("posts", "duplicate_ids.csv", 2, ["column 'Post ID', rows 2, 4: duplicate post ids (1001, 1001)"]),
    ("posts", "binary_garbage.csv", 2, ["this is a binary file, not a table"]),
    ("posts", "unknown_layout.csv", 2, ["unrecognised post export (the file has: when, what, how many)"]),
    ("posts", "ragged_row.csv", 2, ["row 3: a row has more fields than the header"]),
    ("posts", "utf16.tsv", 0, ["encoding: utf-16; delimiter: tab", "posts kept: 2"]),
    (
        "posts",
        "latin1_semicolon_decimal_comma.csv",
        0,
        [
            "encoding: latin-1; delimiter: ';'; decimal mark: ','",
            "posts kept: 2",
            "date range: 2024-01-15 10:00 to 2024-01-16 11:00",
        ],
    ),
    ("posts", "bom.csv", 0, ["encoding: utf-8-sig", "posts kept: 2"]),
    ("posts", "formula_in_message.csv", 0, ["posts kept: 2", "problems: none"]),
    ("transactions", "empty.csv", 2, ["the file is empty"]),
    ("transactions", "header_only.csv", 2, ["the file has a header but no data rows"]),
    (
        "transactions",
        "missing_date_column.csv",
        2,
        ["no date column found (the file has: InvoiceNo, Quantity, UnitPrice, CustomerID)"],
    ),
    (
        "transactions",
        "text_in_price.csv",
        2,
        ["column 'UnitPrice', row 4: text where a number was expected ('free')"],
    ),
    ("transactions", "unparseable_dates.csv", 2, ["column 'InvoiceDate', row 4: dates that do not parse"]),
    (
        "transactions",
        "future_dates.csv",
        2,
        ["column 'InvoiceDate', row 4: dates after 2026-11-23 (2031-01-01)"],
    ),
    ("transactions", "only_cancellations.csv", 2, ["no transaction is left after cleaning (2 cancellations"]),
    (
        "transactions",
        "no_customer_ids.csv",
        2,
        ["no transaction is left after cleaning (1 lines without a customer id)"],
    ),
    ("transactions", "binary_garbage.csv", 2, ["this is a binary file, not a table"]),
    ("transactions", "utf16.csv", 0, ["read as: csv, utf-16, ',' separated, 2 rows", "customers: 2"]),
    (
        "transactions",
        "latin1_semicolon_decimal_comma.csv",
        0,
        ["read as: csv, latin-1, ';' separated, decimal comma, 3 rows", "revenue kept: 49.75"],
    ),
    ("transactions", "bom.csv", 0, ["read as: csv, utf-8-sig", "lines kept: 2", "revenue kept: 23.80"]),
    (
        "transactions",
        "negative_quantities.csv",
        0,
        ["removed, lines with a quantity of zero or less: 2", "lines kept: 2"],
    ),
]


CORPUS += [("conversations", name, 2, parts) for name, parts in CONVERSATIONS_CORPUS]


def run_main(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_corpus_has_at_least_25_files_across_the_kinds() -> None:
    files = {(k, f) for k, f, _, _ in CORPUS}
    on_disk = {(p.parent.name, p.name) for p in BAD.rglob("*") if p.is_file()}
    assert files == on_disk
    assert len(files) >= 25
    assert {k for k, _ in files} == {"posts", "transactions", "survey", "conversations"}


@pytest.mark.parametrize(("kind", "name", "code", "shown"), CORPUS, ids=[f"{k}/{f}" for k, f, _, _ in CORPUS])
def test_validate_corpus(
    capsys: pytest.CaptureFixture, kind: str, name: str, code: int, shown: list[str]
) -> None:
    path = BAD / kind / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    got, out, err = run_main(capsys, "validate", kind, str(path))
    assert got == code, err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # input never modified
    if code == 2:
        assert err.count("\n") == 1 and err.startswith(f"casebook: error: {path}: "), err
        for s in shown:
            assert s in err, (s, err)
        assert "Traceback" not in err
        assert f"file: {path}" in out and "  blocking: " in out
    else:
        assert err == ""
        for s in shown:
            assert s in out, (s, out)
        summary = [line for line in out.splitlines() if line.startswith("problems: ")]
        assert len(summary) == 1 and "blocking" not in summary[0].replace("0 blocking", "")
        assert "the file is usable" in summary[0]


def test_formula_text_is_kept_as_text() -> None:
    posts, _ = load_posts(BAD / "posts" / "formula_in_message.csv")
    assert posts["message"].iloc[0] == '=HYPERLINK("http://example.com/x","Win a prize")'
    assert posts["reach"].tolist() == [1000, 1000]


@pytest.mark.integration
def test_validate_a_million_posts(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    n = 1_000_000
    rng = np.random.default_rng(6)
    minutes = np.sort(rng.integers(0, 60 * 24 * 365 * 4, n))
    stamp = pd.Timestamp("2020-01-01") + pd.to_timedelta(minutes, unit="min")
    reach = rng.integers(100, 50_000, n)
    likes = rng.integers(0, 500, n)
    df = pd.DataFrame(
        {
            "Post ID": np.arange(n) + 10**9,
            "Publish time": stamp.strftime("%m/%d/%Y %H:%M"),
            "Title": "Post",
            "Post type": rng.choice(["Photos", "Links", "Videos"], n),
            "Reach": reach,
            "Views": reach * 2,
            "Reactions": likes,
            "Comments": 3,
            "Shares": 1,
        }
    )
    path = tmp_path / "million_posts.csv"
    df.to_csv(path, index=False)
    code, out, err = run_main(capsys, "validate", "posts", str(path))
    assert code == 0, err
    assert "rows read: 1,000,000; posts kept: 1,000,000" in out
    first, last = stamp.min(), stamp.max()
    assert f"date range: {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}" in out
    assert "layout: Meta Business Suite Facebook post export" in out


def test_validate_unknown_kind(capsys: pytest.CaptureFixture) -> None:
    code, _, err = run_main(capsys, "validate", "orders", str(BAD / "posts" / "bom.csv"))
    assert code == 2
    assert err == "casebook: error: unknown kind 'orders'; valid kinds: posts, transactions, survey, conversations\n"


def test_list_shows_every_chapter_with_parameters_and_their_domains(capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run_main(capsys, "list")
    assert code == 0
    assert "survey-evidence: What the surveys say\n" in out
    assert (
        "    confidence (number strictly between 0 and 1; default 0.95): confidence level of every interval, "
        "strictly between 0 and 1\n" in out
    )
    assert "    data_path (path of a file; default '../data/survey_counts.csv'): survey counts: " in out
    assert ("    data_path (path of a file, a folder or a pattern of Parquet or CSV parts, a DuckDB file, a PostgreSQL "
            "URL or a Spark master; default '../data/uci_online_retail/online_retail.parquet'): orders: " in out)
    assert "    time_unit (one of W, D; default 'W'): " in out
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"\n{nb.stem}: " in "\n" + out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "no-such-chapter"], "casebook: error: unknown chapter 'no-such-chapter'; valid chapters: "),
        (
            ["run", "survey-evidence", "-p", "colour=red"],
            "casebook: error: chapter 'survey-evidence' has no parameter 'colour'; valid parameters: "
            "confidence (float), data_path (str), lang (str)\n",
        ),
        (
            ["run", "survey-evidence", "-p", "confidence=high"],
            "casebook: error: parameter 'confidence' of chapter 'survey-evidence' expects number strictly "
            "between 0 and 1 (default 0.95), got 'high' (Input should be a valid number); valid parameters: "
            "confidence (float), data_path (str), lang (str)\n",
        ),
    ],
)
def test_run_argument_errors_exit_2_before_running(
    capsys: pytest.CaptureFixture, tmp_path: Path, args: list[str], message: str
) -> None:
    code, out, err = run_main(capsys, *args, "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


def test_run_with_a_missing_data_file_fails_before_any_kernel(
    capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(capsys, "run", "survey-evidence", "--data", "mine.csv", "--out", "out")
    assert code == 2
    assert (
        err
        == f"casebook: error: {tmp_path / 'mine.csv'}: no such file; expected the path of an existing export\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_run_out_is_a_file(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("keep me")
    code, _, err = run_main(capsys, "run", "survey-evidence", "--out", str(target))
    assert code == 2 and f"--out {target} is a file" in err
    assert target.read_text() == "keep me"


def subprocess_casebook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "casebook", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_python_m_casebook_bad_file_exits_2_with_one_line() -> None:
    path = BAD / "posts" / "negative_likes.csv"
    proc = subprocess_casebook("validate", "posts", str(path))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"casebook: error: {path}: column 'Reactions', row 3: negative counts (-3); "
        "expected counts of 0 or more\n"
    )


def test_python_m_casebook_good_file_and_list() -> None:
    proc = subprocess_casebook(
        "validate", "survey", str(BAD / "survey" / "latin1_semicolon_decimal_comma.csv")
    )
    assert proc.returncode == 0, proc.stderr
    assert "encoding: latin-1; delimiter: ';'; decimal mark: ','" in proc.stdout
    proc = subprocess_casebook("list")
    assert proc.returncode == 0 and "survey-evidence: What the surveys say" in proc.stdout


def test_python_m_casebook_unknown_chapter(tmp_path: Path) -> None:
    proc = subprocess_casebook("run", "nope", "--out", str(tmp_path / "x"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("casebook: error: unknown chapter 'nope'; valid chapters: ")
    assert "survey-evidence" in proc.stderr and proc.stderr.count("\n") == 1


def _evil_notebook(folder: Path, canary: Path) -> Path:
    """A notebook that would create ``canary`` if anything executed it."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"open({str(canary)!r}, 'w').write('ran')")]
    path = folder / "evil.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("form", ["absolute", "relative", "dotted"])
def test_run_never_executes_a_notebook_named_by_path(
    capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    canary = tmp_path / "canary"
    evil = _evil_notebook(tmp_path, canary)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    slug = {"absolute": str(evil.with_suffix("")), "relative": "../evil", "dotted": "../.." + str(evil)[:-6]}[form]
    code, _, err = run_main(capsys, "run", slug, "-q", "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith(f"casebook: error: unknown chapter {slug!r}; valid chapters: ") and err.count("\n") == 1
    assert not canary.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "value",
    [
        "{!!binary KEY: message}",
        "{message: !!binary KEY}",
        "{message: !!python/object/apply:os.system [CMD]}",
        "{message: !!set {a: null}}",
        "!!omap [{message: a}]",
    ],
)
def test_a_parameter_value_never_runs_code(capsys: pytest.CaptureFixture, tmp_path: Path, value: str) -> None:
    import base64

    canary = tmp_path / "canary"
    # the key papermill once wrote unescaped: a bytes key whose text closes the string and calls os.system
    payload = f"\" + __import__('os').system('touch {canary}') + \"".encode()
    raw = value.replace("KEY", base64.b64encode(payload).decode()).replace("CMD", f"'touch {canary}'")
    code, _, err = run_main(capsys, "run", "monceau-fleurs", "-q", "-p", f"column_mapping={raw}",
                            "--out", str(tmp_path / "out"))
    assert code == 2
    assert "YAML tags" in err and err.count("\n") == 1
    assert not canary.exists() and not (tmp_path / "out").exists()


MANY = ("Post ID,Publish time,Post type,Reach,Reactions,Comments,Shares,Funded content status\n"
        "1,01/02/2014 10:00,Photos,lots,5,1,0,\n"
        "2,13/45/2014 10:00,Photos,100,5,1,0,Boosted\n"
        "3,01/04/2014 10:00,Photos,100,x,1,0,maybe\n"
        "1,01/05/2014 10:00,Photos,100,5,1,,\n")


def test_validate_lists_every_problem_blocking_and_warning(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "many.csv"
    path.write_text(MANY)
    code, out, err = run_main(capsys, "validate", "posts", str(path))
    assert code == 2
    assert "problems: 5 blocking, 1 warning" in out
    blocking = [line for line in out.splitlines() if line.startswith("  blocking: ")]
    for shown in ("column 'Reach', row 2: text where a number", "column 'Reactions', row 4:",
                  "column 'Publish time', row 3: dates that do not parse", "column 'Funded content status', row 4",
                  "column 'Post ID', rows 2, 5: duplicate post ids"):
        assert any(shown in line for line in blocking), (shown, blocking)
    assert "  warning: Shares: 1 empty cell (row 5)" in out
    assert err.count("\n") == 1 and err.startswith(f"casebook: error: {path}: column 'Reach', row 2")
    assert "(and 4 more blocking problems, listed above)" in err


def test_validate_names_the_first_five_rows_and_the_count(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    rows = "".join(f"{i},01/0{1 + i % 9}/2014 10:00,Photos,{'n/a?' if i % 2 else 100},5,1,0\n" for i in range(1, 21))
    path = tmp_path / "ten.csv"
    path.write_text("Post ID,Publish time,Post type,Reach,Reactions,Comments,Shares\n" + rows)
    code, out, _ = run_main(capsys, "validate", "posts", str(path))
    assert code == 2 and "rows 2, 4, 6, 8, 10, … (10 in all)" in out


def test_validate_several_files_each_with_its_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(MANY)
    good = FIX_POSTS / "mbs_facebook_organic.csv"
    code, out, err = run_main(capsys, "validate", "posts", str(good), str(bad))
    assert code == 2 and out.count("file: ") == 2 and "the file is usable" in out
    assert err.startswith(f"casebook: error: {bad}: ")


def test_layouts_lists_every_layout_file(capsys: pytest.CaptureFixture) -> None:
    from casebook.io.layouts import HERE

    code, out, _ = run_main(capsys, "layouts")
    assert code == 0
    names = sorted(p.stem for p in HERE.glob("*.toml"))
    assert sorted(line.split(":")[0] for line in out.splitlines()) == names
    code, out, _ = run_main(capsys, "layouts", "-v")
    assert "source: " in out and "funded content status" in out.lower() and "(empty = false)" in out


# --- connection strings (casebook.cli.sources): what is one, what reaches the kernel, what is shown ------

def test_connection_strings_are_told_from_paths() -> None:
    from casebook.cli import sources

    for value in ("postgresql://localhost/shop", "postgres://h:5432/db", " postgresql://u:p@h/db ",
                  "spark://host:7077", "local", "local[2]", "local[*]"):
        assert sources.is_connection(value), value
    for value in ("orders.csv", "local.csv", "localhost/shop", "data/local[2].csv", "http://host/x.csv",
                  "file:///tmp/x.csv", "", 3, ["postgresql://h/db"]):
        assert not sources.is_connection(value), value


def test_credentials_leave_the_url_for_libpqs_environment() -> None:
    from casebook.cli import sources

    split = sources.split_credentials
    assert split("postgresql://bob:s3cr%40t@db.example:5432/shop") == (
        "postgresql://db.example:5432/shop", {"PGUSER": "bob", "PGPASSWORD": "s3cr@t"})
    assert split("postgres://bob@[::1]:5432/shop?sslmode=require") == (
        "postgres://[::1]:5432/shop?sslmode=require", {"PGUSER": "bob"})
    assert split("postgresql://h/shop?user=ann&password=pw&application_name=cb") == (
        "postgresql://h/shop?application_name=cb", {"PGUSER": "ann", "PGPASSWORD": "pw"})
    assert split("postgresql:///shop") == ("postgresql:///shop", {})  # all from the environment, .pgpass
    assert split("local[2]") == ("local[2]", {}) and split("spark://h:7077") == ("spark://h:7077", {})
    assert split("orders.csv") == ("orders.csv", {})
    with pytest.raises(sources.ParameterError, match=r"^data_path spark://h:7077: a Spark master URL holds no "
                                                     r"user or password"):
        split("spark://u:pw@h:7077")


def test_what_reports_and_messages_show_of_a_connection_string() -> None:
    from casebook.cli import sources

    assert sources.display("postgresql://bob:pw@localhost:5432/shop?password=x") == "postgresql://localhost:5432/shop"
    assert sources.display("local[2]") == "local[2]"
    assert sources.redact("cannot reach postgresql://bob:s3cret@h:5432/db (or postgres://ann@h/x); 'spark://u:p@h'") \
        == "cannot reach postgresql://h:5432/db (or postgres://h/x); 'spark://h'"
    assert sources.redact("a@b.c, x.csv, postgresql://h/db") == "a@b.c, x.csv, postgresql://h/db"


def test_an_error_naming_a_url_never_prints_its_password(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    from casebook.cli import runner
    from casebook.errors import InputError

    def failing(slug: str, **kwargs: object) -> None:
        raise InputError("postgresql://bob:s3cret@h:5432/shop", "could not connect",
                         expected="a server reachable")

    monkeypatch.setattr(runner, "run_chapter", failing)
    assert cli.main(["run", "volvo", "--data", "postgresql://bob:s3cret@h:5432/shop", "--table", "orders"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casebook: error: postgresql://h:5432/shop: could not connect")
    assert "s3cret" not in err and "bob" not in err
