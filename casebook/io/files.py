"""Files before they are read (room io): a regular file of bounded size, a workbook that is no zip bomb.

Light on purpose (no pandas): the command line checks a run's inputs with it before anything starts.
May import: the foundation.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from casebook.errors import InputError

#: Resource bounds (README, "Limits"): beyond them a file is refused with one line, before it is parsed.
MAX_FILE_BYTES = 2 * 2**30
MAX_XLSX_UNPACKED = 32 * 2**20


def check_file(path: str | Path) -> Path:
    """``path`` if it is a regular file of at most :data:`MAX_FILE_BYTES`; else one InputError line.

    A folder, a named pipe, a socket or a device is refused at once (reading a pipe would wait for
    ever), and so is a path that cannot be resolved (a symbolic link loop).
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(str(path), "no such file", expected="the path of an existing export") from None
    except OSError as exc:
        raise InputError(str(path), f"the path cannot be read ({exc.strerror or type(exc).__name__})",
                         expected="the path of an existing export") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(str(path), "this is a folder, not a file", expected="the path of a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(str(path), "this is a named pipe, socket or device, not a file",
                         expected="the path of an exported file")
    if st.st_size > MAX_FILE_BYTES:
        raise InputError(str(path), f"the file is too large ({st.st_size / 2**30:.1f} GiB)",
                         expected=f"a file of at most {MAX_FILE_BYTES // 2**30} GiB")
    return p


def check_workbook(p: Path, name: str) -> None:
    """Refuse a workbook whose parts would unpack to more than :data:`MAX_XLSX_UNPACKED` (a zip bomb)."""
    try:
        with zipfile.ZipFile(p) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError):
        raise InputError(name, "not a readable Excel workbook (not a zip archive)",
                         expected="an .xlsx export") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputError(name, f"the workbook unpacks to {unpacked / 2**20:,.0f} MiB",
                         expected=f"a workbook of at most {MAX_XLSX_UNPACKED // 2**20} MiB unpacked "
                                  "(save a large export as CSV)")


#: At most this many exports in one run (README, "Limits").
MAX_EXPORTS = 50
#: The file types a folder of exports is searched for.
EXPORT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")


def expand_paths(value: str | Path | list[str] | list[Path]) -> list[Path]:
    """The export files named by a path, a folder (its exports, by name) or a glob pattern, or a list
    of them, in the order given and each once; one InputError line when a folder or pattern names none."""
    items = [value] if isinstance(value, (str, Path)) else list(value)
    out: list[Path] = []
    for item in items:
        text = str(item)
        p = Path(text).expanduser()
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in EXPORT_SUFFIXES
                           and not f.name.startswith(".") and f.is_file())
            if not found:
                raise InputError(text, "this folder holds no export",
                                 expected="a folder with " + ", ".join(EXPORT_SUFFIXES) + " files")
        elif any(ch in p.name for ch in "*?["):
            found = sorted(f for f in p.parent.glob(p.name) if f.is_file() and not f.name.startswith("."))
            if not found:
                raise InputError(text, "the pattern matches no file", expected="a pattern such as exports/*.csv")
        else:
            found = [p]
        out += [f for f in found if f not in out]
    if not out:
        raise InputError(None, "no export given", expected="at least one export file")
    if len(out) > MAX_EXPORTS:
        raise InputError(str(items[0]), f"{len(out)} exports in one run", expected=f"at most {MAX_EXPORTS}")
    return out
