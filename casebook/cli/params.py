"""Chapter parameters (room cli): found in each notebook's ``parameters`` cell, their domains, and ``-p`` values.

The notebook is the one place a parameter is declared, as ``name: "Domain" = default  # help`` in the
cell tagged ``parameters``; papermill's own inspection reads it. The domain (a small language, below)
says what values are allowed; :func:`coerce` parses a command-line value as YAML 1.2 core-schema data
(no tags, no aliases), checks that it is plain data, then validates it against the domain with
pydantic, before any kernel starts. Nothing but str, int, float, bool, None, lists and str-keyed
dicts of those ever reaches papermill.

Domains: ``int``, ``float``, ``str``, ``bool``; ``Text`` (one line of text), ``Path`` (a file; in a chapter
that reads databases, one with a ``table`` parameter, also parts, a DuckDB file or a server), ``Paths``
(a file, folder or pattern, or a list of them),
``Day`` (``YYYY-MM-DD`` or empty), ``Level`` (a number strictly between 0 and 1), ``Share`` (0 to 1),
``Seed`` (0 to 2**32 - 1), ``Int[lo, hi]``, ``Float[lo, hi]``, ``Positive[hi]`` (above 0, at most
hi), ``Range[lo, hi]`` (``[low, high]`` within lo..hi), ``Choice[a, b]``, ``list[D]``,
``dict[str, D]``, ``Audience`` and ``Network`` (the SNCF chapter's audiences).

May import: every room and the executor (the top of the house).
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import nbformat
import yaml
from pydantic import AfterValidator, ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

from casebook.cli.sources import is_connection
from casebook.errors import ParameterError
from casebook.io.files import MAX_EXPORTS
from casebook.paths import NOTEBOOKS

#: Longest ``-p`` value accepted (characters), and deepest nesting of lists and mappings.
MAX_VALUE_CHARS = 10_000
MAX_DEPTH = 4
#: Longest text parameter (characters) and path.
MAX_TEXT = 300
MAX_PATH = 4096

_STRICT = ConfigDict(strict=True)


def _valid_unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text that is not valid Unicode (a lone surrogate)") from None
    if any(ch in text for ch in "\x00\r\n"):
        raise ValueError("one line of text without control characters")
    return text


def _day(text: str) -> str:
    if text == "":
        return text
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"a date YYYY-MM-DD that exists, or empty; got {text!r}") from None
    return text


def _range(pair: list[float]) -> list[float]:
    if len(pair) != 2 or pair[0] > pair[1]:
        raise ValueError("two numbers [low, high] with low <= high")
    return pair


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_valid_unicode)]


@with_config(ConfigDict(strict=True, extra="forbid"))
class _Audience(TypedDict, total=False):
    size: Annotated[int, Field(ge=1, le=1_000_000)]
    conversion: Annotated[float, Field(ge=0, le=1)]
    relay: Annotated[float, Field(ge=0, le=1)]


@with_config(ConfigDict(strict=True, extra="forbid"))
class _Network(TypedDict, total=False):
    fanout: Annotated[float, Field(ge=0, le=10_000)]
    conversion: Annotated[float, Field(ge=0, le=1)]
    relay: Annotated[float, Field(ge=0, le=1)]



#: A path as a parameter holds it: a file (or, in a list, a folder or a glob pattern).
PathText = Annotated[str, Field(min_length=1, max_length=MAX_PATH), AfterValidator(_valid_unicode)]

#: Named domains: (pydantic type, Python type name, words for ``casebook list``).
NAMED: dict[str, tuple[Any, str, str]] = {
    "int": (int, "int", "whole number"),
    "float": (float, "float", "number"),
    "str": (Text, "str", "text"),
    "bool": (bool, "bool", "true or false"),
    "Text": (Text, "str", f"text, at most {MAX_TEXT} characters"),
    "Path": (PathText, "str", "path of a file"),
    "Paths": (PathText | Annotated[list[PathText], Field(min_length=1, max_length=MAX_EXPORTS)], "str",
              f"path of a file, a folder or a pattern (*.csv), or a list of up to {MAX_EXPORTS} of them"),
    "Day": (Annotated[str, AfterValidator(_day)], "str", "date YYYY-MM-DD, or empty"),
    "Level": (Annotated[float, Field(gt=0, lt=1)], "float", "number strictly between 0 and 1"),
    "Share": (Annotated[float, Field(ge=0, le=1)], "float", "number from 0 to 1"),
    "Seed": (Annotated[int, Field(ge=0, le=2**32 - 1)], "int", "whole number from 0 to 4294967295"),
    "Audience": (_Audience, "dict",
                 "{size: whole number 1 to 1000000, conversion: 0 to 1, relay: 0 to 1}"),
    "Network": (_Network, "dict", "{fanout: number 0 to 10000, conversion: 0 to 1, relay: 0 to 1}"),
}
#: What a ``Path`` parameter takes in a chapter that reads databases (:attr:`Chapter.reads_databases`), for
#: ``casebook list``: the sources :func:`casebook.io.orders.open_orders` opens.
SOURCE_WORDS = "path of a file, a folder or a pattern of Parquet or CSV parts, a DuckDB file, a PostgreSQL URL or a Spark master"


@dataclass(frozen=True)
class Domain:
    """A parameter's allowed values: the pydantic type, the Python type name and a description."""

    annotation: str
    type: Any
    type_name: str
    words: str

    def validate(self, value: Any) -> Any:
        """``value`` checked (an int is fine for a float); pydantic's ValidationError otherwise."""
        config = None if self.type in (_Audience, _Network) else _STRICT  # these carry their own
        return TypeAdapter(self.type, config=config).validate_python(value)


def _numbers(node: ast.expr, count: int, annotation: str) -> list[int]:
    items = node.elts if isinstance(node, ast.Tuple) else [node]
    if len(items) != count or not all(isinstance(i, ast.Constant) and isinstance(i.value, int) for i in items):
        raise ValueError(f"domain {annotation!r}: expected {count} whole-number bound(s)")
    return [i.value for i in items]  # type: ignore[attr-defined]


def _build(node: ast.expr, annotation: str) -> tuple[Any, str, str]:
    """The (type, type name, words) of one node of a domain annotation."""
    if isinstance(node, ast.Name) and node.id in NAMED:
        return NAMED[node.id]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        head, arg = node.value.id, node.slice
        if head in ("Int", "Float"):
            lo, hi = _numbers(arg, 2, annotation)
            base = int if head == "Int" else float
            word = "whole number" if head == "Int" else "number"
            return Annotated[base, Field(ge=lo, le=hi)], base.__name__, f"{word} from {lo} to {hi}"
        if head == "Positive":
            (hi,) = _numbers(arg, 1, annotation)
            return Annotated[float, Field(gt=0, le=hi)], "float", f"number above 0, at most {hi}"
        if head == "Range":
            lo, hi = _numbers(arg, 2, annotation)
            return (Annotated[list[Annotated[float, Field(ge=lo, le=hi)]], AfterValidator(_range)], "list",
                    f"[low, high] within {lo} to {hi}")
        if head == "Choice":
            items = arg.elts if isinstance(arg, ast.Tuple) else [arg]
            names = [i.id for i in items if isinstance(i, ast.Name)]
            if len(names) != len(items):
                raise ValueError(f"domain {annotation!r}: Choice takes plain words")
            return Literal[tuple(names)], "str", "one of " + ", ".join(names)
        if head == "list":
            inner, _, words = _build(arg, annotation)
            return list[inner], "list", f"list of ({words})"
        if head == "dict" and isinstance(arg, ast.Tuple) and len(arg.elts) == 2:
            inner, _, words = _build(arg.elts[1], annotation)
            return dict[str, inner], "dict", f"mapping of names to ({words})"
    raise ValueError(f"unknown parameter domain {annotation!r}")


def domain(annotation: str) -> Domain:
    """Parse a domain annotation such as ``Int[1, 100]`` or ``dict[str, Choice[yes, no]]``."""
    try:
        node = ast.parse(annotation.strip(), mode="eval").body
    except SyntaxError:
        raise ValueError(f"unknown parameter domain {annotation!r}") from None
    tp, name, words = _build(node, annotation)
    return Domain(annotation.strip(), tp, name, words)


@dataclass(frozen=True)
class Parameter:
    """One parameter of a chapter: name, default value, domain and one-line help."""

    name: str
    default: Any
    domain: Domain
    help: str = ""

    @property
    def type_name(self) -> str:
        """'int', 'float', 'str', 'bool', 'list' or 'dict'."""
        return self.domain.type_name

    @property
    def is_path(self) -> bool:
        """True for a file path (resolved against the caller's folder before the run)."""
        return self.domain.annotation in ("Path", "Paths")


@dataclass(frozen=True)
class Chapter:
    """A chapter notebook: slug (file stem), title (first ``#`` heading) and parameters."""

    slug: str
    path: Path
    title: str
    parameters: tuple[Parameter, ...]

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``, or a ParameterError listing the valid names and types."""
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(
            f"chapter '{self.slug}' has no parameter {name!r}; valid parameters: {self.signature()}"
        )

    def signature(self) -> str:
        """'confidence (float), data_path (str)'."""
        return ", ".join(f"{p.name} ({p.type_name})" for p in self.parameters) or "none"

    @property
    def reads_databases(self) -> bool:
        """True for a chapter with a ``table`` parameter: its paths may also name parts, a database or a server."""
        return any(p.name == "table" for p in self.parameters)

    def words(self, param: Parameter) -> str:
        """The values ``param`` takes, as ``casebook list`` says them: its domain's words, or
        :data:`SOURCE_WORDS` for a ``Path`` of a chapter that reads databases."""
        if param.domain.annotation == "Path" and self.reads_databases:
            return SOURCE_WORDS
        return param.domain.words


def chapter_slugs(folder: Path = NOTEBOOKS) -> list[str]:
    """Slugs of every chapter notebook (file stems), sorted."""
    return sorted(p.stem for p in folder.glob("*.ipynb"))


def parameters_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    """The code cell tagged ``parameters``, or None."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            return cell
    return None


def parse_parameters(source: str) -> list[Parameter]:
    """Parameters declared in a ``parameters`` cell, read by papermill's inspection.

    Each must be ``name: "Domain" = literal  # help``; a missing or unknown domain, or a default
    outside its domain, is a ValueError (a bug of the book, caught by its tests).
    """
    from papermill.translators import PythonTranslator

    out = []
    for found in PythonTranslator.inspect(nbformat.v4.new_code_cell(source)):
        if found.inferred_type_name in (None, "None"):
            raise ValueError(f"parameter {found.name!r} declares no domain (name: \"Domain\" = default)")
        dom = domain(found.inferred_type_name)
        default = ast.literal_eval(found.default)
        try:
            dom.validate(default)
        except ValidationError as exc:
            raise ValueError(f"default of {found.name!r} is outside its domain {dom.annotation}: {exc}") from None
        out.append(Parameter(found.name, default, dom, found.help.strip()))
    return out


def title_of(notebook: nbformat.NotebookNode) -> str:
    """The chapter title: the first level-1 heading of its markdown cells."""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return ""


def load_chapter(slug: str, folder: Path = NOTEBOOKS) -> Chapter:
    """Read the book's chapter ``slug``; anything else (a path, an unknown name) is a ParameterError."""
    slugs = chapter_slugs(folder)
    if slug not in slugs:
        raise ParameterError(f"unknown chapter {slug!r}; valid chapters: {', '.join(slugs)}")
    path = folder / f"{slug}.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = parameters_cell(nb)
    params = tuple(parse_parameters(cell.source)) if cell is not None else ()
    return Chapter(slug, path, title_of(nb), params)


# YAML 1.2 core schema: null, true/false, decimal and hex integers, floats; everything else is text
# (no timestamps, no yes/no booleans, no sexagesimal or octal numbers of YAML 1.1).
class _CoreLoader(yaml.SafeLoader):
    """PyYAML's safe loader restricted to the YAML 1.2 core schema's implicit types."""


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
              r"|\.(?:nan|NaN|NAN))$", list("-+.0123456789")),
):
    _CoreLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


class _DataError(Exception):
    """A ``-p`` value that is not plain data (the message says why)."""


def _events_check(raw: str) -> None:
    """Refuse explicit tags (``!!binary``, ``!!set``, ``!!python/...``), anchors and aliases."""
    for event in yaml.parse(raw, Loader=_CoreLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _DataError("YAML anchors and aliases (& and *) are not accepted")
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, (yaml.DocumentStartEvent, yaml.StreamStartEvent)):
            raise _DataError(f"YAML tags ({tag.replace('tag:yaml.org,2002:', '!!')}) are not accepted")


def _plain(value: Any, depth: int = 0) -> Any:
    """``value`` if it is str, int, float, bool, None, or lists and str-keyed dicts of those."""
    if depth > MAX_DEPTH:
        raise _DataError(f"values nested deeper than {MAX_DEPTH} levels are not accepted")
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _DataError("text that is not valid Unicode (a lone surrogate)") from None
        return value
    if isinstance(value, list):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise _DataError(f"mapping keys must be text, got {key!r}")
        return {k: _plain(v, depth + 1) for k, v in value.items()}
    raise _DataError(f"only text, numbers, true/false, lists and mappings are accepted, got {type(value).__name__}")


def parse_value(raw: str) -> Any:
    """A ``-p`` value as plain data: YAML 1.2 core schema, no tags, no aliases, bounded size.

    Text that is not valid YAML (``Acme: the brand``, ``[oops``) is taken as it is.
    """
    if len(raw) > MAX_VALUE_CHARS:
        raise _DataError(f"values longer than {MAX_VALUE_CHARS:,} characters are not accepted")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise _DataError("text that is not valid Unicode (a lone surrogate)") from None
    if not raw.strip():
        return ""
    try:
        _events_check(raw)
        value = yaml.load(raw, Loader=_CoreLoader)  # noqa: S506 - the core-schema safe loader above
    except yaml.YAMLError:
        return raw
    return _plain(value)


def _why(exc: ValidationError) -> str:
    """pydantic's first complaint on one line: 'budget: Input should be 'yes', 'partly' or 'no''."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "constrained-")))
    msg = err["msg"].replace("Value error, ", "")
    return f"{where}: {msg}" if where else msg


def coerce(chapter: Chapter, param: Parameter, raw: str) -> Any:
    """Parse ``raw`` and check it against the parameter's domain; ParameterError with one line otherwise.

    A text parameter takes the text as typed (``-p brand=3M`` stays ``"3M"``, ``[a, b]`` too), without
    its YAML quotes if quoted. A non-empty default mapping fixes the keys
    allowed (a subset may be given).
    """

    def refuse(detail: str) -> ParameterError:
        return ParameterError(
            f"parameter {param.name!r} of chapter '{chapter.slug}' expects {param.domain.words} "
            f"(default {param.default!r}), got {raw[:80]!r} ({detail}); valid parameters: {chapter.signature()}"
        )

    try:
        value = parse_value(raw)
    except _DataError as exc:
        if param.type_name != "str" or len(raw) > MAX_VALUE_CHARS:
            raise refuse(str(exc)) from None
        value = None
    several = param.domain.annotation == "Paths" and isinstance(value, list)  # [a.csv, b.csv]
    if param.type_name == "str" and not isinstance(value, str) and not several:
        value = raw.strip()  # text as typed: numbers, dates, brackets and tags included
    if isinstance(param.default, dict) and param.default and isinstance(value, dict):
        unknown = [k for k in value if k not in param.default]
        if unknown:
            raise refuse(f"unknown key {unknown[0]!r}; keys: {', '.join(param.default)}")
    try:
        checked = param.domain.validate(value)
    except ValidationError as exc:
        raise refuse(_why(exc)) from None
    return _plain(checked)


def parse_overrides(chapter: Chapter, items: list[str], base: Path | None = None) -> dict[str, Any]:
    """Turn ``["name=value", ...]`` into checked values; path parameters become absolute paths (but
    connection strings, :func:`casebook.cli.sources.is_connection`).

    Relative paths are resolved against ``base`` (the caller's working folder), since chapters run
    with their own folder as working directory.
    """
    out: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"'-p {item[:80]}' is not NAME=VALUE; valid parameters: {chapter.signature()}")
        param = chapter.parameter(name)
        value = coerce(chapter, param, raw)
        if param.is_path and not is_connection(value):  # a database URL is no file: given as it is
            value = absolute(value, base) if isinstance(value, str) else [absolute(v, base) for v in value]
        out[name] = value
    return out


def absolute(path: str, base: Path | None = None) -> str:
    """``path`` as an absolute path, relative ones taken from ``base`` (default: the current folder)."""
    p = Path(path).expanduser()
    if not p.is_absolute():
        p = (base or Path.cwd()) / p
    try:
        return str(p.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        raise ParameterError(f"{path}: the path cannot be resolved (a symbolic link loop?)") from None
