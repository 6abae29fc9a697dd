"""Post export layouts (room io): each layout is one declarative TOML file in this folder, read here.

May import: the foundation and io.tables.

A layout file names the export's columns for each canonical column (English first, then the localised
headers found in real files), what an empty cell means in each (``error``, ``missing``, ``zero``,
``false``, or ``drop``: a row without it is not a post), rows to skip, ids inside links, the date
formats, the engagement-rate basis the export supports (``reach`` or ``impressions``), how its
header is recognised, and the public sources it rests on. Adding a layout is adding a file (plus a
fixture and its test): see ``casebook layouts`` and the book's data appendix.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from casebook.errors import InputError
from casebook.io.tables import header_text
from casebook.schemas import CANONICAL

HERE = Path(__file__).resolve().parent
UCI_CATEGORIES = {1: "action", 2: "product", 3: "inspiration"}
UCI_YEAR = 2014
UCI_PAPER_POSTS = 790

#: Canonical names a layout may map beyond the canonical table: helpers the loader reads and drops.
HELPERS = ("month", "weekday", "hour", "paid_impressions", "description")
#: The start of the error a column mapping raises on an export without its columns.
MAPPING_MISMATCH = "the mapping names a column the file does not have"
#: What an empty cell may mean.
Empty = Literal["error", "missing", "zero", "false", "drop"]

#: Post type words shared by every layout (a layout's own ``[types]`` table comes first).
TYPE_NAMES = {"photos": "Photo", "photo": "Photo", "videos": "Video", "video": "Video", "links": "Link",
              "link": "Link", "status": "Status", "statuses": "Status", "reels": "Reel", "reel": "Reel"}
#: Paid-flag words shared by every layout (a layout's ``true_words``/``false_words`` add to them).
PAID_WORDS = {"1": True, "1.0": True, "true": True, "yes": True, "paid": True, "boosted": True,
              "funded": True, "sponsored": True, "0": False, "0.0": False, "false": False, "no": False,
              "organic": False, "not boosted": False, "unpaid": False, "not funded": False}


def norm(name: str) -> str:
    """A header name compared without case, BOM or repeated spaces."""
    return re.sub(r"\s+", " ", str(name).replace("\ufeff", "")).strip().lower()


class ColumnSpec(BaseModel):
    """One canonical column of a layout: the export's names for it and what an empty cell means."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    names: list[str] = Field(min_length=1)
    empty: Empty = "missing"
    true_words: list[str] = []
    false_words: list[str] = []
    note: str = ""
    #: Leading rows whose cell is one of these are not posts (YouTube's "Total" row): left out.
    skip: list[str] = []
    #: A regular expression whose first group is the value (the id inside a link).
    pattern: str = ""
    #: ``id_unix_seconds``: the column is not read; the value comes from the post id's top 32 bits.
    derive: Literal["", "id_unix_seconds"] = ""

    @field_validator("pattern")
    @classmethod
    def _one_group(cls, pattern: str) -> str:
        if pattern and re.compile(pattern).groups != 1:
            raise ValueError("a pattern needs exactly one group: the value")
        return pattern


class Source(BaseModel):
    """A public source a layout rests on."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://")
    supports: str = Field(min_length=1)


class Layout(BaseModel):
    """A post export layout, as declared in its TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    network: str
    status: Literal["recognised", "mapping"]
    basis: Literal["reach", "impressions"]
    date_formats: list[str] = []
    detect: list[list[str]] = []
    missing_words: list[str] = []
    #: Words of localised dates -> the English ones the formats read ("sept." -> "Sep").
    date_words: dict[str, str] = {}
    notes: list[str] = []
    types: dict[str, str] = {}
    columns: dict[str, ColumnSpec] = {}
    sources: list[Source] = []

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, columns: dict[str, ColumnSpec]) -> dict[str, ColumnSpec]:
        unknown = sorted(set(columns) - set(CANONICAL) - set(HELPERS))
        if unknown:
            raise ValueError(f"unknown canonical columns {unknown}; expected names among {CANONICAL + list(HELPERS)}")
        return columns

    @model_validator(mode="after")
    def _sourced(self) -> Layout:
        if self.status == "recognised" and len({s.url for s in self.sources}) < 2:
            raise ValueError("a recognised layout needs at least two independent sources")
        if self.status == "recognised" and not self.detect:
            raise ValueError("a recognised layout needs its detect groups")
        if self.basis not in self.columns and self.name != "mapping":
            raise ValueError(f"basis {self.basis!r} is not one of the layout's columns")
        return self

    def names(self, canon: str) -> list[str]:
        """The export's names of a canonical column (normalised), empty if the layout has none."""
        spec = self.columns.get(canon)
        return [norm(n) for n in spec.names] if spec else []

    def empty(self, canon: str) -> str:
        """What an empty cell of ``canon`` means in this layout."""
        spec = self.columns.get(canon)
        return spec.empty if spec else ("error" if canon in ("post_id", "published") else "missing")

    def detects(self, columns: set[str], documented: bool = False) -> bool:
        """True when every detect group has one of its names among the (normalised) ``columns``; a
        layout documented for the column-mapping route only when ``documented``."""
        ok = self.status == "recognised" or (documented and self.status == "mapping")
        return ok and bool(self.detect) and all(any(norm(n) in columns for n in g) for g in self.detect)

    def type_names(self) -> dict[str, str]:
        """Post type words -> canonical type: the layout's own, then the shared ones."""
        return {**TYPE_NAMES, **{norm(k): v for k, v in self.types.items()}}

    def paid_words(self) -> dict[str, bool]:
        """Paid-flag words -> True/False: the shared ones and the layout's own."""
        spec = self.columns.get("paid")
        own = {} if spec is None else {**{norm(w): True for w in spec.true_words},
                                       **{norm(w): False for w in spec.false_words}}
        return {**PAID_WORDS, **own}


#: The layout of an export read through the caller's column mapping.
MAPPING = Layout(name="mapping", title="column mapping given by the caller", network="other", status="mapping",
                 basis="reach", date_formats=["ISO8601", "%Y%m%d", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M",
                                              "%d/%m/%Y", "%m/%d/%Y"])


@functools.cache
def layouts() -> dict[str, Layout]:
    """Every layout file of this folder by name (recognised first, then by name), plus ``mapping``."""
    found = {}
    for path in sorted(HERE.glob("*.toml")):
        try:
            layout = Layout.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, ValidationError) as exc:
            raise RuntimeError(f"layout file {path.name} is invalid: {exc}") from None
        if layout.name != path.stem:
            raise RuntimeError(f"layout file {path.name} declares name {layout.name!r}; expected {path.stem!r}")
        found[layout.name] = layout
    ordered = sorted(found.values(), key=lambda lay: (lay.status != "recognised", lay.name))
    return {**{lay.name: lay for lay in ordered}, "mapping": MAPPING}


def layout_title(name: str) -> str:
    """A layout's title, for reports."""
    return layouts()[name].title


def detect_layout(columns: list[str], documented: bool = False) -> str | None:
    """Name the export layout from a header (case and spacing ignored), or None.

    Every recognised layout whose detect groups all match is a candidate; the most specific (most
    groups) wins, so an Instagram export (post id, publish time, account) is not read as Facebook's.
    With ``documented``, layouts documented for the column-mapping route are candidates too.
    """
    cols = {norm(c) for c in columns}
    candidates = [lay for lay in layouts().values() if lay.detects(cols, documented)]
    if not candidates:
        return None
    return max(candidates, key=lambda lay: len(lay.detect)).name


def resolve_columns(header: list[str], layout: str, mapping: Mapping[str, str] | None, path: str) -> dict[str, str]:
    """Canonical (or helper) name -> file column, from the layout's names and the caller's mapping."""
    by_norm: dict[str, str] = {}
    for c in header:
        by_norm.setdefault(norm(c), c)
    lay = layouts()[layout]
    found = {}
    for canon in lay.columns:
        for n in lay.names(canon):
            if n in by_norm:
                found[canon] = by_norm[n]
                break
    for canon, col in (mapping or {}).items():
        if canon not in CANONICAL and canon not in HELPERS:
            raise InputError(path, f"unknown canonical name {canon!r} in the column mapping",
                             expected="keys among " + ", ".join(CANONICAL))
        if col not in header and norm(col) not in by_norm:
            raise InputError(path, f"{MAPPING_MISMATCH} (the file has: {header_text(header)})",
                             column=col, expected=f"a column of the file for {canon}")
        found[canon] = col if col in header else by_norm[norm(col)]
    return found


def basis_of(cols: Mapping[str, str], layout: str) -> str:
    """The engagement-rate basis of an export: the layout's, or for a mapping reach if mapped, else impressions."""
    if layout == "mapping":
        return "reach" if "reach" in cols or "impressions" not in cols else "impressions"
    return layouts()[layout].basis


def needed_columns(cols: Mapping[str, str], layout: str) -> list[str]:
    """The canonical columns a layout cannot do without."""
    needed = [basis_of(cols, layout)] + (["month", "weekday", "hour"] if layout == "uci" else ["published"])
    if "interactions" not in cols:
        needed += ["likes", "comments", "shares"]
    if layout not in ("uci", "mapping"):
        needed.append("post_id")
    return needed


def require_layout_columns(cols: Mapping[str, str], layout: str, header: list[str], path: str) -> None:
    """Raise one InputError naming every column the layout needs and the file lacks (with the names the
    column has in the export's other languages)."""
    lay = layouts()[layout]
    lacking = [canon for canon in needed_columns(cols, layout) if canon not in cols]
    if lacking:
        names = [lay.columns[c].names if c in lay.columns else [c] for c in lacking]
        other = "; ".join(f"{n[0]}: also {' or '.join(n[1:])}" for n in names if len(n) > 1)
        raise InputError(path, f"missing column{'s' if len(lacking) > 1 else ''} "
                         + (f"(in other languages: {other}) " if other else "")
                         + f"(the file has: {header_text(header)})",
                         column="', '".join(n[0] for n in names),
                         expected=f"{lay.title}: a column for {', '.join(lacking)} (or pass mapping={{"
                         + ", ".join(f"'{c}': '<your column>'" for c in lacking) + "})")


def choose_layout(header: list[str], layout: str | None, mapping: Mapping[str, str] | None, path: str) -> str:
    """The export's layout: the caller's, else detected from the header (with a mapping, a layout documented
    for that route too: its network, dates and words then apply), else "mapping" if one is given."""
    detected = layout or detect_layout(header) or (detect_layout(header, documented=True) if mapping else None)
    if detected is None:
        if not mapping:
            known = ", ".join(lay.title for lay in layouts().values() if lay.status == "recognised")
            raise InputError(path, f"unrecognised post export (the file has: {header_text(header)})",
                             expected=f"one of the recognised layouts ({known}; see casebook layouts), "
                                      "or mapping={'published': ..., 'reach': ..., 'interactions': ...}")
        detected = "mapping"
    if detected not in layouts():
        raise InputError(path, f"unknown layout {detected!r}", expected="one of " + ", ".join(layouts()))
    return detected
