"""The data appendix (book/data.md) gives a sha256 for every data file the book ships, and each is right."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from casebook.paths import DATA, ROOT

PAGE = ROOT / "book" / "data.md"


def digests(text: str) -> set[str]:
    """Every sha256 written on the page (64 hex digits in backquotes)."""
    return set(re.findall(r"`([0-9a-f]{64})`", text))


def data_files() -> dict[str, Path]:
    """The shipped data files (not the folders' README provenance notes), by their sha256."""
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in sorted(DATA.rglob("*"))
            if p.is_file() and p.name != "README.md"}


def test_digests_are_read_from_backquotes_only() -> None:
    good, other = "a" * 64, "b" * 64
    assert digests(f"sha256 `{good}` and {other} in prose") == {good}


def test_every_data_file_is_on_the_page_with_its_digest() -> None:
    listed = digests(PAGE.read_text(encoding="utf-8"))
    missing = sorted(str(p.relative_to(ROOT)) for h, p in data_files().items() if h not in listed)
    assert not missing, f"book/data.md lacks the sha256 of (or gives a stale one for): {missing}"


def test_every_digest_on_the_page_is_a_shipped_file() -> None:
    stale = sorted(digests(PAGE.read_text(encoding="utf-8")) - set(data_files()))
    assert not stale, f"book/data.md gives sha256 digests no file in data/ has: {stale}"
