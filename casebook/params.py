"""Chapter parameters, read from each notebook's ``parameters`` cell, and ``-p NAME=VALUE`` checking.

The notebook is the one place a parameter is declared: ``name = default  # help`` in the cell tagged
``parameters``. :func:`chapter_parameters` reads names, defaults and help comments from it (no
second copy); :func:`parse_overrides` turns command-line values into Python values of the default's type.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from casebook.errors import ParameterError
from casebook.paths import NOTEBOOKS

#: Names of the parameter types shown by ``casebook list`` and in error messages.
TYPE_NAMES = {
    bool: "bool",
    int: "int",
    float: "float",
    str: "str",
    list: "list",
    dict: "dict",
    dt.date: "date",
    type(None): "any",
}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a chapter: its name, default value and one-line help."""

    name: str
    default: Any
    help: str = ""

    @property
    def type_name(self) -> str:
        """'int', 'float', 'str', 'bool', 'list', 'dict', 'date' or 'any' (default None)."""
        if isinstance(self.default, dt.date):
            return "date"
        return TYPE_NAMES.get(type(self.default), type(self.default).__name__)

    @property
    def is_path(self) -> bool:
        """True for a file path (resolved against the caller's folder before the run)."""
        return self.name.endswith("path") or (
            isinstance(self.default, str) and self.default.startswith(("../", "./"))
        )


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
            f"chapter '{self.slug}' has no parameter '{name}'; valid parameters: {self.signature()}"
        )

    def signature(self) -> str:
        """'confidence (float), data_path (str)'."""
        return ", ".join(f"{p.name} ({p.type_name})" for p in self.parameters) or "none"


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
    """Parameters declared in a ``parameters`` cell: ``name = literal  # help``, one per statement.

    The help is the comment on the statement's lines (for a value spanning lines, all its comments
    joined). A statement that is not a literal assignment is ignored.
    """
    tree = ast.parse(source)
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    out = []
    for node in tree.body:
        if not (
            isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ):
            continue
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            continue
        lines = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        help_text = " ".join(comments[n] for n in lines if n in comments)
        out.append(Parameter(node.targets[0].id, default, help_text))
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
    """Read the chapter ``slug``; unknown slug -> ParameterError listing the valid ones."""
    path = folder / f"{slug}.ipynb"
    if not path.is_file():
        raise ParameterError(f"unknown chapter '{slug}'; valid chapters: {', '.join(chapter_slugs(folder))}")
    nb = nbformat.read(path, as_version=4)
    cell = parameters_cell(nb)
    params = tuple(parse_parameters(cell.source)) if cell is not None else ()
    return Chapter(slug, path, title_of(nb), params)


class _MismatchError(Exception):
    """A value that does not fit the default's type (the message says where, if nested)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _like(value: Any, default: Any) -> Any:
    """``value`` checked against (and converted to) the type of ``default``, recursively; else _MismatchError.

    Numbers inside lists and mappings are checked where the default holds numbers; a non-empty default
    mapping also fixes the keys allowed (a subset may be given).
    """
    if default is None:
        return value
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        raise _MismatchError("")
    if _is_number(default):
        if isinstance(value, str):  # YAML 1.1 reads 1e9 as text
            try:
                value = float(value)
            except ValueError:
                raise _MismatchError("") from None
        if not _is_number(value) or (isinstance(default, int) and not isinstance(value, int)):
            raise _MismatchError("")
        return float(value) if isinstance(default, float) else value
    if isinstance(default, str):
        if isinstance(value, (list, dict)):
            raise _MismatchError("")
        return value.isoformat() if isinstance(value, dt.date) else value
    if isinstance(default, list):
        if not isinstance(value, list):
            raise _MismatchError("")
        if default and all(_is_number(d) for d in default):
            out = []
            for i, item in enumerate(value):
                try:
                    out.append(_like(item, 0.0))
                except _MismatchError:
                    raise _MismatchError(f"item {i + 1} ({item!r}) is not a number") from None
            return out
        return value
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise _MismatchError("")
        if not default:
            return value
        out = {}
        for key, item in value.items():
            if key not in default:
                raise _MismatchError(f"unknown key {key!r} (keys: {', '.join(map(str, default))})")
            try:
                out[key] = _like(item, default[key])
            except _MismatchError as exc:
                raise _MismatchError(
                    f"{key}: {exc}"
                    if str(exc)
                    else f"{key} expects {type(default[key]).__name__}, got {item!r}"
                ) from None
        return out
    if isinstance(value, type(default)):
        return value
    raise _MismatchError("")


def coerce(chapter: Chapter, param: Parameter, raw: str) -> Any:
    """Parse ``raw`` as YAML and check it against the default's type (an int is accepted for a float).

    For a text parameter the text is taken as typed (``-p brand=3M`` gives ``"3M"``), unless it parses
    to a list or a mapping. Dates given to a text parameter become ``YYYY-MM-DD`` text.
    """
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    try:
        out = _like(value, param.default)
    except _MismatchError as exc:
        detail = f" ({exc})" if str(exc) else ""
        raise ParameterError(
            f"parameter '{param.name}' of chapter '{chapter.slug}' expects {param.type_name} "
            f"(default {param.default!r}), got {raw!r}{detail}; valid parameters: {chapter.signature()}"
        ) from None
    if isinstance(param.default, str) and not isinstance(value, (str, dt.date)):
        return raw.strip()  # text as typed: "yes" stays "yes", "007" stays "007"
    return out


def parse_overrides(chapter: Chapter, items: list[str], base: Path | None = None) -> dict[str, Any]:
    """Turn ``["name=value", ...]`` into checked values; path parameters become absolute paths.

    Relative paths are resolved against ``base`` (the caller's working folder), since chapters run
    with their own folder as working directory.
    """
    out: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"'-p {item}' is not NAME=VALUE; valid parameters: {chapter.signature()}")
        param = chapter.parameter(name)
        value = coerce(chapter, param, raw)
        if param.is_path and isinstance(value, str) and value:
            value = absolute(value, base)
        out[name] = value
    return out


def absolute(path: str, base: Path | None = None) -> str:
    """``path`` as an absolute path, relative ones taken from ``base`` (default: the current folder)."""
    p = Path(path).expanduser()
    if not p.is_absolute():
        p = (base or Path.cwd()) / p
    return str(p.resolve())
