"""One file (room build): a built HTML page with its stylesheets, scripts, fonts and images inlined.

Used by :mod:`casebook.build.report`: the report opens from disk with no network.

May import: nothing of the casebook (Beautiful Soup only).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from bs4 import BeautifulSoup

#: Scripts a one-page report does not need (search, and the icon script: the CSS font draws the icons).
UNUSED_SCRIPTS = {"searchtools.js", "language_data.js", "searchindex.js", "fontawesome.js"}
_KEEP_HREF = re.compile(r"^(#|https?:|mailto:)", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1\s*\)?\s*;""")
_OTHER_FONT = re.compile(r""",\s*url\([^)]*\)\s*format\(["'](?:truetype|opentype|woff|embedded-opentype)["']\)""")


def data_uri(path: Path) -> str:
    """A ``data:`` URI holding the file."""
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _local(base: Path, ref: str) -> Path | None:
    """The file a relative reference names (query and fragment dropped), if it is one under ``base``."""
    if re.match(r"^([a-z][a-z0-9+.-]*:|//|#)", ref, re.I):
        return None
    path = (base / ref.split("#", 1)[0].split("?", 1)[0]).resolve()
    return path if path.is_file() else None


def inline_css(text: str, base: Path) -> str:
    """A stylesheet with its local ``@import`` rules replaced by the files and every ``url()`` of a local
    file by its data (fonts in woff2 only, which every current browser reads)."""

    def imported(m: re.Match) -> str:
        path = _local(base, m.group(2))
        return inline_css(path.read_text(encoding="utf-8"), path.parent) if path else m.group(0)

    def url(m: re.Match) -> str:
        path = _local(base, m.group(2))
        return f'url("{data_uri(path)}")' if path else m.group(0)

    text = _CSS_IMPORT.sub(imported, _OTHER_FONT.sub("", text))
    return _CSS_URL.sub(url, text).replace("</style", "<\\/style")


def inline_assets(page: Path) -> BeautifulSoup:
    """The built page with stylesheets, scripts and images inlined, and links to other files unwrapped
    (their text stays); links to anchors and to web pages stay."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    base = page.parent
    for link in soup.find_all("link"):
        path = _local(base, link.get("href", ""))
        if "stylesheet" in link.get("rel", []) and path:
            style = soup.new_tag("style")
            style.string = inline_css(path.read_text(encoding="utf-8"), path.parent)
            link.replace_with(style)
        else:
            link.decompose()
    for script in soup.find_all("script", src=True):
        path = _local(base, script["src"])
        if path is None or path.name in UNUSED_SCRIPTS:
            script.decompose()
            continue
        del script["src"]
        script.string = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
    for img in soup.find_all(["img", "source"], src=True):
        path = _local(base, img["src"])
        if path:
            img["src"] = data_uri(path)
    for a in soup.find_all("a", href=True):
        if not _KEEP_HREF.match(a["href"]):
            a.unwrap()
    for form in soup.find_all("form"):
        form.decompose()
    return soup
