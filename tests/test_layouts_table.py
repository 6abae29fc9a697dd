"""The data appendix's table of post export layouts (casebook/build/sphinxext.py, ``layouts-table``),
built from the layout files without a Sphinx build."""

from __future__ import annotations

import html
import re

from docutils import nodes

from casebook.build import editions, sphinxext
from casebook.io.layouts import layouts

#: What tests/site/test_static_site.py takes for a remote script address.
REMOTE_SCRIPT = re.compile(r"https?://[^\"'\s]+\.m?js\b", re.I)


def _urls(tree: nodes.Node) -> list[str]:
    """Every link target in a doctree."""
    return [ref["refuri"] for ref in tree.findall(nodes.reference) if ref.get("refuri")]


def _rows(table: nodes.table) -> dict[str, nodes.row]:
    """Body rows by layout name (the first cell)."""
    return {row.children[0].children[0].astext(): row for row in table.findall(nodes.row)
            if row.parent.tagname == "tbody"}


def test_every_recognised_layout_has_a_row_with_its_sources_linked():
    table = sphinxext.layouts_table()
    rows = _rows(table)
    recognised = [lay for lay in layouts().values() if lay.status == "recognised"]
    assert len(recognised) >= 2
    for lay in recognised:
        assert lay.name in rows, lay.name
        cells = [c.astext() for c in rows[lay.name].children]
        assert cells[0] == f"{lay.name}\n\n{lay.network}"
        assert cells[1:3] == [lay.title, "recognised"]
        assert cells[3].startswith(lay.basis)
        assert cells[4] == " + ".join(group[0].lower() for group in lay.detect)
        assert set(_urls(rows[lay.name])) == {s.url for s in lay.sources}, lay.name


def test_mapping_layouts_are_shown_as_such_and_the_callers_mapping_is_not():
    rows = _rows(sphinxext.layouts_table())
    assert "mapping" not in rows
    for lay in layouts().values():
        if lay.status == "mapping" and lay.name != "mapping":
            cells = [c.astext() for c in rows[lay.name].children]
            assert cells[2] == "column mapping"
            assert "column_mapping" in cells[4]
            assert set(_urls(rows[lay.name])) == {s.url for s in lay.sources}


def test_the_table_has_a_header_and_one_row_per_layout_file():
    table = sphinxext.layouts_table()
    head = [e.astext() for e in next(table.findall(nodes.thead)).findall(nodes.entry)]
    assert head == ["Layout", "Export", "Status", "Engagement rate ÷", "Detected by", "Sources"]
    assert list(_rows(table)) == [name for name in layouts() if name != "mapping"]


def test_no_link_reads_as_a_remote_script_to_the_site_checks():
    # A source that is a .js file is cited by its folder (the file named in the title): the offline
    # site checks take any https address ending in .js for a script.
    for tree in [sphinxext.layouts_table(), *sphinxext.layout_notes()]:
        for ref in tree.findall(nodes.reference):
            assert REMOTE_SCRIPT.findall(ref["refuri"]) == []


def test_notes_give_each_layout_its_empty_cells_notes_and_sources():
    text = html.unescape("\n".join(n.astext() for n in sphinxext.layout_notes()))  # raw links hold HTML
    for lay in layouts().values():
        if lay.name == "mapping":
            continue
        assert f"({lay.name})" in text
        for note in lay.notes:
            assert note in text
        for src in lay.sources:
            assert src.title in text
    fb = sphinxext.empty_cells(layouts()["mbs_facebook"]).replace("\x00", "").replace("\x01", "")
    assert "read as not paid in Funded content status" in fb
    yt = sphinxext.empty_cells(layouts()["youtube_studio"]).replace("\x00", "").replace("\x01", "")
    assert "read as 0 in Views" in yt and "Rows whose Content is Total are left out" in yt


def test_sources_are_numbered_as_in_the_notes_with_their_titles_on_hover():
    lay = layouts()["mbs_facebook"]
    cell = _rows(sphinxext.layouts_table())["mbs_facebook"].children[5]
    refs = list(cell.findall(nodes.reference))
    assert [r.astext() for r in refs] == [str(i) for i in range(1, len(lay.sources) + 1)]
    assert [r["reftitle"].split(": ")[0] for r in refs] == [s.title for s in lay.sources]
    notes = sphinxext.layout_notes([lay])
    numbered = next(n for n in notes if isinstance(n, nodes.enumerated_list))
    assert [item.astext().split(": ")[0] for item in numbered.children] == [s.title for s in lay.sources]


def test_the_directive_is_registered():
    registered = {}

    class App:
        def add_directive(self, name, cls):
            registered[name] = cls

        def connect(self, *args, **kwargs):
            pass

        def add_config_value(self, name, default, rebuild, types=()):
            registered[name] = default

        def add_transform(self, transform):
            registered[transform.__name__] = transform

        def add_post_transform(self, transform):
            registered[transform.__name__] = transform

    sphinxext.setup(App())
    assert registered["casebook_edition_links"] is False
    assert registered["SortTranslatedGlossary"] is editions.SortTranslatedGlossary
    assert registered["TranslateSolutionTitles"] is editions.TranslateSolutionTitles
    assert registered["layouts-table"] is sphinxext.LayoutsTable
    assert {"notes", "no-table"} <= set(sphinxext.LayoutsTable.option_spec)
