"""Standalone HTML reports of an executed chapter: one file that opens from disk with no network.

:func:`render_report` turns an executed notebook into one HTML page: a header (chapter title, brand,
parameters, data file, run date), the prose with its MyST markup resolved (glued numbers formatted as
the book formats them, glued figures with their captions, citations as author-year, admonitions,
exercises and solutions), code folded in ``<details>``, and every chart working offline because the
vega bundle is inlined once in ``<head>``. Text that comes from data or parameters is HTML-escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from myst_nb.core.variables import format_plain_text

from casebook import charts
from casebook.paths import ROOT

RECORD = "application/papermill.record/"
ADMONITIONS = {
    "note",
    "tip",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "hint",
    "seealso",
}
SKIPPED_DIRECTIVES = {"bibliography", "tableofcontents", "toctree", "glossary"}
_SAFE_HREF = re.compile(r"^(https?:|mailto:|#)", re.I)
_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>\s*$", re.S)


@dataclass
class RunInfo:
    """What the report header says about the run."""

    slug: str
    title: str
    parameters: list[tuple[str, Any, bool]] = field(default_factory=list)  # name, value, set by the user
    data_file: str | None = None
    run_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    brand: str | None = None


def esc(value: Any) -> str:
    """HTML-escape any value's text (quotes included)."""
    return html.escape(str(value), quote=True)


@functools.lru_cache(maxsize=1)
def inline_bundle() -> str:
    """The vega + vega-lite + vega-embed bundle, safe to place inside a ``<script>`` element."""
    return charts.vega_bundle().replace("</script", "<\\/script")


# ---------------------------------------------------------------------------------------------------
# Citations


@functools.lru_cache(maxsize=1)
def bibliography() -> dict[str, tuple[str, str]]:
    """Citation key -> (short author, year) from the bib files listed in ``_config.yml``."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}
    out: dict[str, tuple[str, str]] = {}
    for name in config.get("bibtex_bibfiles", []):
        path = ROOT / name
        if not path.is_file():
            continue
        try:
            db = parse_file(str(path), bib_format="bibtex")
        except Exception:  # a broken bib file only costs the short citations
            continue
        for key, entry in db.entries.items():
            people = entry.persons.get("author") or entry.persons.get("editor") or []

            def plain(latex: str) -> str:
                return Text.from_latex(latex).render_as("text").strip()

            if people:
                first = plain(" ".join(people[0].last_names) or " ".join(people[0].first_names))
                who = first + (
                    " et al."
                    if len(people) > 2
                    else f" and {plain(' '.join(people[1].last_names))}"
                    if len(people) == 2
                    else ""
                )
            else:
                who = plain(entry.fields.get("organization", entry.fields.get("title", key)))
            out[key] = (who, str(entry.fields.get("year", "n.d.")))
    return out


def cite(keys: str, textual: bool) -> str:
    """A short author-year citation: '(Wilson 1927; Brown et al. 2001)' or 'Wilson (1927)'."""
    bib = bibliography()
    parts = []
    for key in (k.strip() for k in keys.split(",") if k.strip()):
        who, year = bib.get(key, (key, ""))
        if textual:
            parts.append(f"{who} ({year})" if year else who)
        else:
            parts.append(f"{who} {year}".strip())
    text = "; ".join(parts)
    return f'<span class="cite">{esc(text if textual else "(" + text + ")")}</span>'


# ---------------------------------------------------------------------------------------------------
# Glued outputs


def glued_outputs(notebook: dict) -> dict[str, dict[str, Any]]:
    """Glued outputs by name: their data with the papermill record prefix removed."""
    out: dict[str, dict[str, Any]] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", RECORD)
            data = {k[len(prefix) :]: v for k, v in output.get("data", {}).items() if k.startswith(prefix)}
            out[meta["name"]] = data
    return out


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def glue_text(glued: dict[str, dict[str, Any]], spec: str) -> str:
    """``name:format`` formatted the way myst-nb's ``{glue:text}`` role formats it, escaped."""
    name, _, fmt = spec.rpartition(":") if ":" in spec else (spec, "", "")
    if name not in glued:
        name, fmt = spec, ""
    data = glued.get(name)
    if data is None or "text/plain" not in data:
        return f'<span class="missing">[{esc(spec)}]</span>'
    try:
        text = format_plain_text(_text(data["text/plain"]), fmt)
    except (ValueError, TypeError):
        text = _text(data["text/plain"])
    return esc(text)


def glue_any(glued: dict[str, dict[str, Any]], name: str) -> str:
    """A glued output as HTML: a chart or table as stored, else its escaped text."""
    data = glued.get(name.strip())
    if data is None:
        return f'<span class="missing">[{esc(name)}]</span>'
    if "text/html" in data:
        return _text(data["text/html"])
    if "image/png" in data:
        return f'<img alt="{esc(name)}" src="data:image/png;base64,{_text(data["image/png"]).strip()}">'
    return esc(_text(data.get("text/plain", "")))


# ---------------------------------------------------------------------------------------------------
# Markdown with MyST roles and directives


def split_directive(content: str) -> tuple[dict[str, str], str]:
    """Options (``:key: value`` lines or a ``---`` YAML block at the top) and the body of a directive."""
    lines = content.splitlines()
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
            options = {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
            return options, "\n".join(lines[end + 1 :])
    i = 0
    while i < len(lines):
        m = re.match(r"^:([\w-]+):\s*(.*)$", lines[i])
        if not m:
            break
        options[m.group(1)] = m.group(2).strip()
        i += 1
    return options, "\n".join(lines[i:])


class MarkdownRenderer:
    """Markdown cells to HTML, resolving the MyST roles and directives the chapters use."""

    def __init__(self, glued: dict[str, dict[str, Any]], figures: dict[str, int]) -> None:
        self.glued = glued
        self.figures = figures
        self.exercises = 0
        self.md = (
            MarkdownIt("commonmark", {"html": False, "typographer": False})
            .enable("table")
            .enable("strikethrough")
            .use(myst_role_plugin)
            .use(colon_fence_plugin)
            .use(dollarmath_plugin)
            .use(footnote_plugin)
        )
        rules: dict[str, Callable] = {
            "myst_role": self._role,
            "fence": self._fence,
            "colon_fence": self._fence,
            "math_inline": self._math_inline,
            "math_block": self._math_block,
            "link_open": self._link_open,
            "link_close": self._link_close,
            "image": self._image,
        }
        self.md.renderer.rules.update(rules)  # bound methods: add_render_rule would rebind them

    def render(self, source: str) -> str:
        """HTML for one markdown cell (or a directive's body)."""
        return self.md.render(source, {"links": []})

    # roles -------------------------------------------------------------------------------------
    def _role(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        tok = tokens[idx]
        name, content = tok.meta.get("name", ""), tok.content
        if name in ("glue:text", "glue:", "glue"):
            return glue_text(self.glued, content) if name == "glue:text" else glue_any(self.glued, content)
        if name.startswith("cite"):
            return cite(content, textual=name in ("cite:t", "cite:ts", "citet"))
        m = _TARGET.match(content)
        text, target = (m.group("text"), m.group("target")) if m else ("", content)
        if name in ("numref", "ref", "eq", "numref:") and target in self.figures:
            number = self.figures[target]
            label = (
                text.replace("%s", str(number)).replace("{number}", str(number))
                if text
                else f"Figure {number}"
            )
            return esc(label)
        if name in ("ref", "numref", "doc", "download", "eq", "term", "abbr"):
            return esc(text or target)
        if name == "math":
            return f'<span class="math">{esc(content)}</span>'
        if name in ("sub", "subscript"):
            return f"<sub>{esc(content)}</sub>"
        if name in ("sup", "superscript"):
            return f"<sup>{esc(content)}</sup>"
        return f"<code>{esc(content)}</code>"

    # directives --------------------------------------------------------------------------------
    def _fence(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        tok = tokens[idx]
        info = tok.info.strip()
        if not info.startswith("{"):
            lang = f' class="language-{esc(info.split()[0])}"' if info else ""
            return f"<pre><code{lang}>{esc(tok.content)}</code></pre>\n"
        name, _, argument = info[1:].partition("}")
        name, argument = name.strip(), argument.strip()
        opts, body = split_directive(tok.content)
        return self.directive(name, argument, opts, body)

    def directive(self, name: str, argument: str, opts: dict[str, str], body: str) -> str:
        """HTML for one MyST directive."""
        classes = " ".join(esc(c) for c in opts.get("class", "").split())
        if name in ("glue:figure", "glue:any", "glue", "glue:"):
            chart = glue_any(self.glued, argument)
            if name != "glue:figure":
                return f'<div class="glued">{chart}</div>\n'
            number = self.figures.get(opts.get("name", argument)) or self.figures.get(argument)
            caption = self.render(body).strip()
            if caption.count("<p>") == 1 and caption.startswith("<p>") and caption.endswith("</p>"):
                caption = caption[3:-4]
            label = f'<span class="fig-number">Figure {number}.</span> ' if number else ""
            return (
                f'<figure class="cb-figure" id="{esc(opts.get("name", argument))}">{chart}'
                f"<figcaption>{label}{caption}</figcaption></figure>\n"
            )
        if name == "admonition" or name in ADMONITIONS:
            title = argument if name == "admonition" else (argument or name.capitalize())
            kind = classes or ("note" if name == "admonition" else name)
            return (
                f'<aside class="admonition {kind}"><p class="admonition-title">'
                f"{self.md.renderInline(title)}</p>{self.render(body)}</aside>\n"
            )
        if name in ("exercise", "exercise-start"):
            self.exercises += 1
            head = f"Exercise {self.exercises}" + (f" ({self.md.renderInline(argument)})" if argument else "")
            open_ = f'<section class="exercise"><p class="exercise-title">{head}</p>'
            return open_ + (self.render(body) + "</section>\n" if name == "exercise" else self.render(body))
        if name == "exercise-end":
            return "</section>\n"
        if name in ("solution", "solution-start"):
            open_ = '<details class="solution"><summary>Solution</summary>'
            return open_ + (self.render(body) + "</details>\n" if name == "solution" else self.render(body))
        if name == "solution-end":
            return "</details>\n"
        if name in SKIPPED_DIRECTIVES:
            return ""
        if name in ("code-block", "code", "sourcecode"):
            return f"<pre><code>{esc(body)}</code></pre>\n"
        if name == "math":
            return f'<div class="math">{esc(body)}</div>\n'
        if name == "dropdown":
            return (
                f"<details><summary>{self.md.renderInline(argument)}</summary>{self.render(body)}</details>\n"
            )
        if name in ("figure", "image"):
            return f'<figure class="cb-figure"><figcaption>{self.render(body)}</figcaption></figure>\n'
        return f'<div class="directive {esc(name)} {classes}">{self.render(body)}</div>\n'

    # math, links, images -----------------------------------------------------------------------
    def _math_inline(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        return f'<span class="math">{esc(tokens[idx].content)}</span>'

    def _math_block(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        return f'<div class="math">{esc(tokens[idx].content)}</div>\n'

    def _link_open(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        href = str(tokens[idx].attrGet("href") or "")
        keep = bool(_SAFE_HREF.match(href))
        env.setdefault("links", []).append(keep)
        return f'<a href="{esc(href)}" rel="noopener noreferrer">' if keep else '<span class="xref">'

    def _link_close(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        stack = env.setdefault("links", [])
        return "</a>" if (stack.pop() if stack else False) else "</span>"

    def _image(self, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
        alt = "".join(c.content for c in tokens[idx].children or [])
        return f'<span class="image-alt">[{esc(alt or "image")}]</span>'


def figure_numbers(notebook: dict) -> dict[str, int]:
    """Figure number (1, 2, ...) of each ``{glue:figure}``/``{figure}``, by its name and its glue key."""
    numbers: dict[str, int] = {}
    pattern = re.compile(r"^(?:```+|:::+)\{(glue:figure|figure)\}\s*(\S*)\s*\n((?::[\w-]+:.*\n)*)", re.M)
    n = 0
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for m in pattern.finditer(_text(cell.get("source", ""))):
            n += 1
            numbers.setdefault(m.group(2), n)
            name = re.search(r"^:name:\s*(\S+)", m.group(3), re.M)
            if name:
                numbers.setdefault(name.group(1), n)
    return numbers


# ---------------------------------------------------------------------------------------------------
# Outputs and cells


def render_output(output: dict[str, Any]) -> str:
    """One cell output as HTML: HTML outputs (tables, charts) as stored, text escaped, images inline."""
    kind = output.get("output_type")
    if kind == "stream":
        return (
            f'<pre class="stream {esc(output.get("name", ""))}">{esc(_text(output.get("text", "")))}</pre>\n'
        )
    if kind == "error":
        return f'<pre class="error">{esc(output.get("ename", ""))}: {esc(output.get("evalue", ""))}</pre>\n'
    if output.get("metadata", {}).get("scrapbook"):
        return ""  # glued: shown where the prose places it
    data = output.get("data", {})
    if "text/html" in data:
        return f'<div class="output html">{_text(data["text/html"])}</div>\n'
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            return f'<img class="output" alt="output" src="data:{mime};base64,{_text(data[mime]).strip()}">\n'
    if "image/svg+xml" in data:
        b64 = base64.b64encode(_text(data["image/svg+xml"]).encode()).decode()
        return f'<img class="output" alt="output" src="data:image/svg+xml;base64,{b64}">\n'
    if "text/plain" in data:
        return f'<pre class="output">{esc(_text(data["text/plain"]))}</pre>\n'
    return ""


def render_code_cell(cell: dict[str, Any]) -> str:
    """A code cell: its code folded in ``<details>``, then its outputs (tags remove-*/hide-* honoured)."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & {"remove-cell", "parameters", "injected-parameters"}:
        return ""
    parts = []
    if "remove-input" not in tags and _text(cell.get("source", "")).strip():
        parts.append(
            '<details class="code"><summary>Code</summary>'
            f'<pre><code class="language-python">{esc(_text(cell["source"]))}</code></pre></details>\n'
        )
    if "remove-output" not in tags:
        outputs = "".join(render_output(o) for o in cell.get("outputs", []))
        if outputs and "hide-output" in tags:
            outputs = f'<details class="output"><summary>Output</summary>{outputs}</details>\n'
        parts.append(outputs)
    return "".join(parts)


def display_value(value: Any) -> str:
    """A parameter value as a reader would type it: text as is, lists and mappings as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return repr(value) if isinstance(value, float) else str(value)


def render_header(info: RunInfo) -> str:
    """The report header: brand and chapter, run date, data file and every parameter value."""
    rows = "".join(
        f'<tr><th scope="row">{esc(name)}</th><td>'
        + (
            f"<code>{esc(display_value(value))}</code>"
            if value != ""
            else '<span class="empty">(empty)</span>'
        )
        + "</td>"
        f"<td>{'set for this run' if user else 'default'}</td></tr>"
        for name, value, user in info.parameters
    )
    brand = f'<p class="cb-brand">{esc(info.brand)}</p>' if info.brand else ""
    data = f"<dt>Data file</dt><dd><code>{esc(info.data_file)}</code></dd>" if info.data_file else ""
    table = (
        (
            f'<table class="cb-params"><caption>Parameters</caption><thead><tr><th>name</th><th>value</th>'
            f"<th></th></tr></thead><tbody>{rows}</tbody></table>"
        )
        if rows
        else ""
    )
    return (
        '<header class="cb-header">'
        '<p class="cb-kicker">The social media casebook · chapter report</p>'
        f"{brand}<h1>{esc(info.title or info.slug)}</h1>"
        f"<dl><dt>Chapter</dt><dd><code>{esc(info.slug)}</code></dd>{data}"
        f"<dt>Run</dt><dd>{esc(info.run_at.strftime('%Y-%m-%d %H:%M UTC'))}</dd></dl>"
        f"{table}</header>\n"
    )


CSS = """
:root{--ink:#1d2330;--muted:#5a6272;--line:#dde1e8;--accent:#1f5f8b}
body{margin:0;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;
color:var(--ink);background:#fff}
main{max-width:820px;margin:0 auto;padding:0 20px 60px}
.cb-header{background:#f4f6f9;border-bottom:1px solid var(--line);padding:24px 20px 16px;margin:0 -20px 24px}
.cb-kicker{margin:0;color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.05em}
.cb-brand{margin:8px 0 0;font-size:18px;font-weight:600;color:var(--accent)}
.cb-header h1{margin:4px 0 12px;font-size:30px;line-height:1.2}
.cb-header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 12px;font-size:14px}
.cb-header dt{color:var(--muted)} .cb-header dd{margin:0;word-break:break-all}
table{border-collapse:collapse;font-size:14px;margin:12px 0;display:block;overflow-x:auto}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
caption{text-align:left;font-weight:600;padding:4px 0}
.cb-params td:last-child{color:var(--muted);font-size:12px}
h2{margin-top:40px;border-bottom:1px solid var(--line);padding-bottom:4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;background:#f4f6f9;
padding:1px 3px;border-radius:3px}
pre{background:#f7f8fa;border:1px solid var(--line);padding:10px;overflow-x:auto;font-size:13px}
pre code{background:none;padding:0}
pre.output,pre.stream{white-space:pre-wrap;word-break:break-word}
details.code>summary,details.output>summary{cursor:pointer;color:var(--muted);font-size:13px}
.admonition{border-left:4px solid var(--accent);background:#f3f7fb;padding:8px 16px;margin:20px 0;
border-radius:3px}
.admonition-title{font-weight:700;margin:4px 0}
.admonition.tip{border-color:#3a9a6e;background:#f1f8f4}.admonition.important{border-color:#e07b39;background:#fdf5ef}
.admonition.fact-check{border-color:#7a5ea8;background:#f6f3fa}.admonition.warning{border-color:#b8455a}
.exercise{border:1px solid var(--line);border-radius:4px;padding:8px 16px;margin:20px 0}
.exercise-title{font-weight:700;margin:4px 0}
details.solution{border:1px dashed var(--line);padding:6px 12px;margin:12px 0 20px}
details.solution>summary{cursor:pointer;font-weight:600;color:var(--accent)}
table.dataframe,table.dataframe th,table.dataframe td{border:none;border-bottom:1px solid var(--line)}
table.dataframe thead th{border-bottom:2px solid #9aa3b2}
.cb-figure{margin:24px 0}.cb-figure figcaption{font-size:14px;color:var(--muted)}
.fig-number{font-weight:700;color:var(--ink)}
.casebook-chart{overflow-x:auto}.math{font-family:ui-monospace,monospace}
.missing{color:#b8455a}.empty{color:var(--muted);font-size:13px}
footer{color:var(--muted);font-size:13px;border-top:1px solid var(--line);margin-top:40px;padding-top:8px}
"""


def render_report(notebook: dict, info: RunInfo) -> str:
    """The standalone report of an executed notebook (nbformat dict) as one HTML document."""
    glued = glued_outputs(notebook)
    renderer = MarkdownRenderer(glued, figure_numbers(notebook))
    body = []
    title_dropped = False
    for cell in notebook.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") == "markdown" and "remove-cell" not in tags:
            source = _text(cell.get("source", ""))
            if not title_dropped and re.search(r"^# ", source, re.M):
                source = re.sub(r"^# .*\n?", "", source, count=1, flags=re.M)
                title_dropped = True
            body.append(renderer.render(source))
        elif cell.get("cell_type") == "code":
            body.append(render_code_cell(cell))
    title = f"{info.title or info.slug}" + (f" — {info.brand}" if info.brand else "")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n"
        f"<script>{inline_bundle()}</script>\n</head>\n<body>\n<main>\n"
        f"{render_header(info)}{''.join(body)}"
        "<footer>Generated by <code>casebook run</code>. Charts are interactive and need no network. "
        "Code cells are folded: open “Code” to read them.</footer>\n</main>\n</body>\n</html>\n"
    )


def write_report(notebook: dict, info: RunInfo, dest: Path) -> Path:
    """Render and write the report to ``dest``."""
    dest.write_text(render_report(notebook, info), encoding="utf-8")
    return dest
