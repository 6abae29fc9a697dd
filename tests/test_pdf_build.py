from types import SimpleNamespace

import yaml

from casebook.build import pdf


def test_pdf_config_uses_stored_outputs_and_loads_the_extension(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "OUT", tmp_path)
    config = yaml.safe_load(pdf.pdf_config().read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    assert config["sphinx"]["extra_extensions"][-1] == "casebook.build.pdf"
    assert "casebook.build.sphinxext" in config["sphinx"]["extra_extensions"]


def test_single_page_builder_inherits_html_only_handlers():
    css = []
    registry = SimpleNamespace(translation_handlers={"html": {"hidden": ("v", "d"), "shared": ("h", "h")},
                                                      "singlehtml": {"shared": ("s", "s")}})
    app = SimpleNamespace(builder=SimpleNamespace(name="singlehtml"), registry=registry, add_css_file=css.append)
    pdf._inherit_html_handlers(app)
    assert registry.translation_handlers["singlehtml"] == {"shared": ("s", "s"), "hidden": ("v", "d")}
    assert css == ["pdf-print.css"]


def test_single_page_is_copied_to_the_top_level(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.html").write_text("<p>book</p>")
    (tmp_path / "_static").mkdir()
    app = SimpleNamespace(builder=SimpleNamespace(name="singlehtml"), outdir=str(tmp_path),
                          config=SimpleNamespace(root_doc="book/intro"))
    pdf._single_page_at_top(app, None)
    assert (tmp_path / "index.html").read_text() == "<p>book</p>"
    assert "pre-wrap" in (tmp_path / "_static" / "pdf-print.css").read_text()
