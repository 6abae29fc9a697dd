"""Several exports at once (room io): each file is a page, read by :func:`~casebook.io.posts.load_posts`,
and the pages joined in one canonical post table, in the order given.

May import: the foundation and the other io modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from casebook.errors import InputError
from casebook.i18n import gettext as _
from casebook.io.files import expand_paths
from casebook.io.layouts import MAPPING_MISMATCH
from casebook.io.post_report import LoadReport
from casebook.io.posts import load_posts


@dataclass
class Pages:
    """Pages read together: the joined post table (``page`` and ``network`` name each post's page) and
    one load report per export."""

    posts: pd.DataFrame
    reports: list[LoadReport]

    @property
    def names(self) -> list[str]:
        """The pages, in the order their exports were given."""
        return list(dict.fromkeys(self.posts["page"].tolist()))

    @property
    def main(self) -> pd.DataFrame:
        """The first page's posts: the page a chapter audits (the others are shown beside it)."""
        return self.posts[self.posts["page"] == self.names[0]].reset_index(drop=True)

    @property
    def report(self) -> LoadReport:
        """The first export's load report."""
        return self.reports[0]

    def lines(self) -> list[str]:
        """What was read, as lines of text: the load report of each export (without its file line when
        there is only one: the chapter's header names it)."""
        if len(self.reports) == 1:
            return self.reports[0].lines()[1:]
        out = []
        for rep in self.reports:
            out += [*rep.lines(), ""]
        return out[:-1]


def _unique_names(posts: pd.DataFrame, taken: set[str], stem: str) -> pd.DataFrame:
    """Rename pages whose name an earlier export already used: 'Name (file stem)'."""
    clash = {n for n in posts["page"].unique() if n in taken}
    if clash:
        posts = posts.assign(page=posts["page"].where(~posts["page"].isin(clash), posts["page"] + f" ({stem})"))
    taken.update(posts["page"].unique())
    return posts


def load_pages(
    paths: str | Path | list[str] | list[Path],
    *,
    mapping: Mapping[str, str] | None = None,
    since: str | pd.Timestamp | None = None,
    until: str | pd.Timestamp | None = None,
    names: list[str] | None = None,
) -> Pages:
    """Read one or several post exports (paths, folders or glob patterns) as pages side by side.

    Each export is a page named by its page or account column, else by its file name; a name an
    earlier export already used gets the file name in brackets; ``names`` (in the order of the exports)
    name pages instead. A ``mapping`` applies to the exports that have its columns: a recognised export
    without them is read as its layout says (so a mapped LinkedIn file can sit beside a Meta export).
    Bad input raises InputError naming the file.
    """
    frames, reports = [], []
    taken: set[str] = set()
    for i, path in enumerate(expand_paths(paths)):
        try:
            posts, report = load_posts(path, mapping=mapping, since=since, until=until)
        except InputError as exc:  # a mapping written for another export of the run: not for a recognised one
            if not mapping or not exc.problem.startswith(MAPPING_MISMATCH):
                raise
            try:
                posts, report = load_posts(path, since=since, until=until)
            except InputError:
                raise exc from None  # not a recognised export either: the mapping's error is the one to fix
            report.notes.append(_("the column mapping names columns this export does not have: it was read as "
                                  "its recognised layout, without the mapping"))
        if names and i < len(names) and names[i]:
            posts = posts.assign(page=names[i])
        posts = _unique_names(posts, taken, path.stem)
        report.pages = list(dict.fromkeys(posts["page"].tolist()))
        frames.append(posts)
        reports.append(report)
    posts = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return Pages(posts, reports)
