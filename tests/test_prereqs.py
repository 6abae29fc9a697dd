"""``make test`` checks its prerequisites first: one line naming what is missing and how to install it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from casebook.build import prereqs


def test_nothing_missing_prints_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(prereqs.shutil, "which", lambda cmd: f"/usr/bin/{cmd}")
    assert prereqs.missing() == []
    assert prereqs.main() == 0
    assert capsys.readouterr() == ("", "")


def test_missing_tools_are_named_on_one_line_with_their_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(prereqs.shutil, "which", lambda cmd: None if cmd in (prereqs.CHROMIUM, "pdftoppm") else cmd)
    assert prereqs.main() == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"make test needs Chromium for the browser checks and the PDF ({prereqs.CHROMIUM} not found): "
        "apt-get install chromium; poppler for the PDF checks (pdftoppm not found): apt-get install poppler-utils\n"
    )


def test_a_missing_chromium_stops_the_command_before_any_test(tmp_path: Path) -> None:
    """Through a real process, with CASEBOOK_CHROMIUM naming a browser that is not there."""
    absent = tmp_path / "no-chromium"
    proc = subprocess.run([sys.executable, "-m", "casebook.build.prereqs"], capture_output=True, text=True,
                          env={"CASEBOOK_CHROMIUM": str(absent), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert f"Chromium for the browser checks and the PDF ({absent} not found): apt-get install chromium" in proc.stderr
