"""``make test`` checks its prerequisites first: one line naming what is missing and how to install it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.build import prereqs


def test_nothing_missing_prints_nothing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(prereqs.shutil, "which", lambda cmd, path=None: f"/usr/bin/{cmd}")
    assert prereqs.missing() == []
    assert prereqs.main() == 0
    assert capsys.readouterr() == ("", "")


def test_missing_tools_are_named_on_one_line_with_their_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(prereqs.shutil, "which",
                        lambda cmd, path=None: None if cmd in (prereqs.CHROMIUM, "pdftoppm") else cmd)
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
                          env={"CASEBOOK_CHROMIUM": str(absent), "PATH": os.environ["PATH"]}, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert f"Chromium for the browser checks and the PDF ({absent} not found): apt-get install chromium" in proc.stderr


def _fake_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, on_path: set[str], debian: dict[str, set[str]]) -> Path:
    """Commands on PATH (``on_path``) and in Debian-style /usr/lib/postgresql/NN/bin folders (``debian``)."""
    root = tmp_path / "postgresql"
    for version, commands in debian.items():
        (root / version / "bin").mkdir(parents=True)
        for c in commands:
            exe = root / version / "bin" / c
            exe.write_text("#!/bin/sh\n")
            exe.chmod(0o755)
    real_which = prereqs.shutil.which
    monkeypatch.setattr(prereqs.shutil, "which",
                        lambda cmd, path=None: real_which(cmd, path=path) if path else
                        (f"/usr/bin/{cmd}" if cmd in on_path else None))
    monkeypatch.setattr(prereqs, "POSTGRES_DIRS", str(root / "*" / "bin"))
    monkeypatch.setattr(prereqs, "TOOLS", tuple(
        prereqs.Tool(t.name, t.commands, t.install, t.used_for, str(root / "*" / "bin")) if t.also_in else t
        for t in prereqs.TOOLS))
    return root


def test_postgres_is_found_in_debians_folder_off_path_newest_version_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    everything_else = {prereqs.CHROMIUM, "pdfinfo", "pdftoppm", "java"}
    root = _fake_machine(monkeypatch, tmp_path, everything_else, {"9.6": {"initdb", "pg_ctl"}, "15": {"initdb", "pg_ctl"}})
    assert prereqs.missing(prereqs.TOOLS) == []
    assert prereqs.postgres_bin() == root / "15" / "bin"  # 15 > 9.6, compared as numbers


def test_missing_postgres_and_java_are_named_with_their_debian_packages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    _fake_machine(monkeypatch, tmp_path, {prereqs.CHROMIUM, "pdfinfo", "pdftoppm"}, {"15": {"initdb"}})
    assert prereqs.postgres_bin() is None  # initdb without pg_ctl is no server
    assert prereqs.main() == 1
    assert capsys.readouterr().err == (
        "make test needs PostgreSQL for the database tests (pg_ctl not found): apt-get install postgresql; "
        "Java for the Spark tests (java not found): apt-get install openjdk-17-jre-headless\n"
    )
