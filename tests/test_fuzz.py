"""The fuzzer: Hypothesis writes hostile and unlucky tables and parameter values; the command must hold.

Property for files (``casebook validate`` on generated post exports, transactions and survey counts in
random layouts, encodings, delimiters, decimal marks, dates, numbers, empty cells, markup and
formulas): exit 0, or exit 2 with exactly one line on stderr; never exit 1, never a traceback, never
a changed input, never longer than the per-example deadline. Property for parameters (every
parameter of every chapter, random text): a plain value inside the parameter's domain that papermill
writes as a Python literal, or one clear ParameterError line.

The budget is fixed (derandomised, so every run tries the same examples): ``make test`` runs
``CASEBOOK_FUZZ_EXAMPLES`` (default 60) examples per property; ``make fuzz`` runs many more. Failing
examples it found are kept under ``tests/fixtures/fuzz/`` and replayed by
:func:`test_kept_regressions_end_cleanly`.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from papermill.translators import PythonTranslator

from casebook.cli import main as cli
from casebook.cli import params
from casebook.errors import ParameterError

EXAMPLES = int(os.environ.get("CASEBOOK_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=dt.timedelta(seconds=20), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
KEPT = Path(__file__).parent / "fixtures" / "fuzz"

LAYOUTS = {
    "posts": [
        ["Post ID", "Publish Time", "Post Type", "Reach", "Views", "Reactions, comments and shares",
         "Funded content status"],
        ["Type", "Category", "Post Month", "Post Weekday", "Post Hour", "Paid", "Lifetime Post Total Reach",
         "Total Interactions", "Page total likes"],
        ["Post ID", "Posted", "Type", "Lifetime Post Total Reach", "Lifetime Post Total Impressions",
         "Lifetime Engaged Users"],
    ],
    "transactions": [
        ["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"],
        ["customer_id", "date", "amount"],
        ["client", "order_date", "revenue", "order_id"],
    ],
    "survey": [["study", "year", "question", "option", "count", "n"],
               ["study", "year", "question", "option", "count", "n", "population"]],
}

numbers = st.one_of(
    st.integers(-10, 10**6).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),
    st.floats(-1e6, 1e9, allow_nan=False).map(lambda x: f"{x:.2f}"),
    st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}".replace(".", ",")),
    st.sampled_from(["1e309", "-1e309", "inf", "NaN", "1" * 40, "1 250,5", "1.250,5", "1,25", "0x1F", "-0"]),
)
dates = st.one_of(
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2026, 11, 30)).map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2026, 11, 30)).map(lambda d: d.strftime("%m/%d/%Y %H:%M")),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2026, 11, 30)).map(lambda d: d.strftime("%Y%m%d")),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2026, 11, 30)).map(lambda d: d.isoformat() + "+02:00"),
    st.sampled_from(["0001-01-01", "1677-09-21 00:00", "2262-04-12", "9999-12-31", "2011-02-30", "31/31/2011",
                     "yesterday", "2011-09-09T10:00:00Z"]),
    st.integers(2008, 2026).map(str),
)
texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "N/A",
                     "-", "", "Photo", "Link", "Video", "Organic", "Paid", "Boosted", "McKinsey", "yes", "a\"b",
                     "line\nbreak", "sem;colon", "tab\there"]),
)
cell = st.one_of(numbers, dates, texts, st.just(""))


def _quote(value: str, sep: str) -> str:
    if any(ch in value for ch in (sep, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def tables(draw: st.DrawFn, kind: str) -> bytes:
    """A small delimited file of ``kind`` as a platform or a spreadsheet might write it."""
    header = list(draw(st.sampled_from(LAYOUTS[kind])))
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 9)) == 0:
        header.append(draw(st.sampled_from([header[0], "extra", ""])))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), min_size=0, max_size=12))
    if rows and draw(st.integers(0, 9)) == 0:
        rows[-1] = rows[-1][:-1]  # a short row
    lines = [sep.join(_quote(h, sep) for h in header)] + [sep.join(_quote(v, sep) for v in r) for r in rows]
    text = "\r\n".join(lines) if draw(st.booleans()) else "\n".join(lines) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


def _validate(kind: str, data: bytes, folder: Path, suffix: str = ".csv") -> tuple[int, str, str]:
    """``casebook validate KIND FILE`` in-process on ``data``; (exit code, stdout, stderr), input unchanged."""
    path = folder / f"export-{hashlib.sha1(data).hexdigest()[:12]}{suffix}"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", kind, str(path)])
    assert path.read_bytes() == data, "the input file changed"
    path.unlink()
    return code, out.getvalue(), err.getvalue()


def _holds(code: int, err: str) -> None:
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("casebook: error: ") and err.count("\n") == 1, err
    else:
        assert err == ""


@pytest.mark.parametrize("kind", sorted(LAYOUTS))
def test_validate_ends_cleanly_on_any_table(kind: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp(f"fuzz-{kind}")

    @FUZZ
    @given(data=tables(kind))
    def check(data: bytes) -> None:
        code, _, err = _validate(kind, data, folder)
        _holds(code, err)

    check()


@pytest.mark.parametrize("kind", sorted(LAYOUTS))
def test_kept_regressions_end_cleanly(kind: str, tmp_path: Path) -> None:
    kept = sorted((KEPT / kind).glob("*")) if (KEPT / kind).is_dir() else []
    for path in kept:
        code, _, err = _validate(kind, path.read_bytes(), tmp_path, suffix=path.suffix)
        _holds(code, err)


CHAPTER_PARAMETERS = [(slug, p.name) for slug in params.chapter_slugs() for p in params.load_chapter(slug).parameters]
raw_values = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[\[{][a-z0-9_:, .\-!&*\[\]{}]{0,40}[\]}]\Z"),
    st.sampled_from(["!!binary aGk=", "{a: !!set {b}}", "&a [*a]", "[&a [x], *a]", "1e400", "-1", "0", ".nan",
                     "2011-02-30", "2011-09-09T10:00:00+02:00", "{size: 1e12}", "[]", "{}", "null", "~",
                     "\"unterminated", "\udcff", "a" * 400]),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@pytest.mark.parametrize(("slug", "name"), CHAPTER_PARAMETERS, ids=[f"{s}:{n}" for s, n in CHAPTER_PARAMETERS])
def test_any_parameter_value_is_plain_data_in_its_domain_or_one_clear_line(slug: str, name: str) -> None:
    chapter = params.load_chapter(slug)
    param = chapter.parameter(name)

    @settings(FUZZ, max_examples=max(10, EXAMPLES // 6), deadline=dt.timedelta(seconds=2))
    @given(raw=raw_values)
    def check(raw: str) -> None:
        try:
            value = params.parse_overrides(chapter, [f"{name}={raw}"], base=Path("/tmp"))[name]
        except ParameterError as exc:
            assert "\n" not in str(exc)
            return
        param.domain.validate(value if not param.is_path else "x")
        code = PythonTranslator.translate(value)
        assert ast.literal_eval(code) == value  # papermill writes it as a literal: data, never code

    check()
