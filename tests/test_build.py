from pathlib import Path

import nbformat

from casebook.build import book as build
from casebook.build import sphinxext


def test_chapters_and_fingerprint_follow_inputs(tmp_path, monkeypatch):
    assert any(p.name == "survey-evidence.ipynb" for p in build.chapters())
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "casebook").mkdir()
    (data / "a.csv").write_text("x\n1\n")
    monkeypatch.setattr(build, "DATA", data)
    monkeypatch.setattr(build, "ROOT", tmp_path)
    first = build.inputs_fingerprint()
    assert build.inputs_fingerprint() == first
    (data / "a.csv").write_text("x\n2\n")
    assert build.inputs_fingerprint() != first


def test_refresh_cache_key_drops_stale_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "BUILD", tmp_path)
    monkeypatch.setattr(build, "CACHE", tmp_path / ".jupyter_cache")
    monkeypatch.setattr(build, "FINGERPRINT", tmp_path / "key")
    keys = iter(["k1", "k1", "k2"])
    monkeypatch.setattr(build, "inputs_fingerprint", lambda: next(keys))
    build.refresh_cache_key()
    (tmp_path / ".jupyter_cache").mkdir()
    build.refresh_cache_key()
    assert (tmp_path / ".jupyter_cache").exists()
    build.refresh_cache_key()
    assert not (tmp_path / ".jupyter_cache").exists()
    assert (tmp_path / "key").read_text() == "k2"


def test_execute_notebook_stores_outputs_without_timing(tmp_path: Path):
    path = tmp_path / "n.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    assert build.execute_notebook(path) > 0
    cell = nbformat.read(path, as_version=4).cells[0]
    assert cell.outputs[0]["text"] == "42\n"
    assert "execution" not in cell.metadata


class _Script(str):
    def __new__(cls, filename, body=""):
        obj = super().__new__(cls, filename or "")
        obj.filename, obj.attributes = filename, {"body": body}
        return obj


def test_sphinxext_drops_thebe_scripts_only():
    context = {"script_files": [_Script("_static/casebook-vega.js"), _Script(None, 'const THEBE_JS_URL = "x"'),
                                _Script("_static/sphinx-thebe.js")]}
    sphinxext._drop_thebe(None, "p", "t", context, None)
    assert [s.filename for s in context["script_files"]] == ["_static/casebook-vega.js"]
