"""The ``casebook`` command (cli room): list the chapters, run one on your data, validate a file.

Exit codes: 0 success; 2 bad input or parameters (one line on stderr naming the file, column, rows and
what was expected, or the valid names and types); 1 a genuine internal error; 130 interrupted.

May import: the foundation (errors), cli, io (``validate`` reads a file as a chapter would).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

from casebook.cli.sources import redact
from casebook.errors import CasebookError, ParameterError

KINDS = ("posts", "transactions", "survey", "conversations")


def _value(value: object) -> str:
    return f"{value!r}" if isinstance(value, str) else str(value)


def cmd_list(args: argparse.Namespace) -> int:
    """Print every chapter: slug, title, and its parameters with the values they take, default and help."""
    from casebook.cli.params import chapter_slugs, load_chapter

    for slug in chapter_slugs():
        chapter = load_chapter(slug)
        print(f"{slug}: {chapter.title}")
        for p in chapter.parameters:
            print(
                f"    {p.name} ({chapter.words(p)}; default {_value(p.default)})"
                + (f": {p.help}" if p.help else "")
            )
        print()
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run a chapter with papermill and write SLUG.ipynb, SLUG.html and figures.json."""
    from casebook.cli.runner import run_chapter

    for name in (
        "papermill",
        "traitlets",
        "asyncio",
    ):  # notes on a stopped kernel; errors arrive as exceptions
        logging.getLogger(name).setLevel(logging.CRITICAL)
    result = run_chapter(
        args.slug, data=args.data, parameters=args.param, out=args.out, progress=not args.quiet, table=args.table,
        lang=args.lang,
    )
    print(f"{args.slug}: ran in {result.seconds:.1f} s; {len(result.figures)} figures")
    print(f"  report:   {result.html}")
    print(f"  notebook: {result.notebook}")
    print(f"  figures:  {result.figures_path}")
    return 0


def validate_survey(path: str) -> list[str]:
    """Read survey counts as the survey chapter does; the lines ``validate`` prints."""
    from casebook.io.survey import load_survey
    from casebook.io.tables import read_table

    _, info = read_table(path)
    df = load_survey(path)
    sep = {None: "n/a", "\t": "tab"}.get(info.delimiter, repr(info.delimiter))
    return [
        f"file: {path}",
        "layout: survey counts (study, year, question, option, count, n)",
        f"format: {info.format}; encoding: {info.encoding or 'n/a'}; delimiter: {sep}; "
        f"decimal mark: {info.decimal!r}",
        f"rows: {len(df):,}; studies: {df[['study', 'year']].drop_duplicates().shape[0]}",
        f"years: {df['year'].min()} to {df['year'].max()}",
    ]


def validate_posts(path: str) -> tuple[list[str], list[str], list[str]]:
    """Read a post export as the page chapters do: the loader's report lines, then every blocking
    problem and every warning (each one line naming the column, the rows and what was expected)."""
    from casebook.io.post_report import Problems
    from casebook.io.posts import load_posts

    problems = Problems(collect=True)
    _, rep = load_posts(path, problems=problems)
    lines = [line for line in rep.lines() if not line.startswith("missing values: ")]
    blocking = [_without_file(str(exc), path) for exc in problems.errors]
    warnings = [m.line() for m in rep.missing]
    return lines, blocking, warnings


def _without_file(message: str, path: str) -> str:
    """An error line without its leading file name (the report names the file once)."""
    return message[len(path) + 2:] if message.startswith(path + ": ") else message


def validate_transactions(path: str) -> list[str]:
    """Read a transactions export as the Volvo chapter does; the cleaning report lines."""
    from casebook.io.transactions import load_transactions

    _, rep = load_transactions(path)
    return rep.lines()


def detected(path: str) -> str:
    """How the file reads as a table (format, encoding, delimiter, decimal mark, rows), or why it does not."""
    from casebook.io.transactions import read_transactions_table

    try:
        _, info, _ = read_transactions_table(path)
    except CasebookError:
        return "not readable as a table"
    if info.delimiter == "whitespace":
        return f"text, {info.encoding}, whitespace separated, {info.rows:,} rows"
    return info.describe() + ("" if info.decimal == "," or info.format != "csv" else ", decimal point")


def validate_conversations(path: str) -> list[str]:
    """Read a conversation export as the community-manager chapter does; the loader's report lines."""
    from casebook.io.conversations import load_conversations

    _, rep = load_conversations(path)
    return rep.lines()


VALIDATORS: dict[str, Callable[[str], list[str]]] = {
    "transactions": validate_transactions,
    "survey": validate_survey,
    "conversations": validate_conversations,
}


def _validate_one(kind: str, path: str) -> str | None:
    """Validate one file, printing its report and problems; the first blocking problem's line, if any."""
    start = time.perf_counter()
    try:
        if kind == "posts":
            lines, blocking, warnings = validate_posts(path)
        else:
            lines, blocking, warnings = VALIDATORS[kind](path), [], []
    except CasebookError as exc:
        print(f"file: {path}")
        print(f"read as: {detected(path)}")
        print("problems: 1 blocking (the file cannot be read as it is)")
        print(f"  blocking: {_without_file(str(exc), path)}")
        return str(exc)
    for line in lines:
        print(line)
    if not blocking and not warnings:
        print(f"problems: none; the file is usable ({time.perf_counter() - start:.1f} s)")
        return None
    print(f"problems: {len(blocking)} blocking, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
          + ("" if blocking else "; the file is usable") + f" ({time.perf_counter() - start:.1f} s)")
    for text in blocking:
        print(f"  blocking: {text}")
    for text in warnings:
        print(f"  warning: {text}")
    if not blocking:
        return None
    more = len(blocking) - 1
    return f"{path}: {blocking[0]}" + (f" (and {more} more blocking problem{'s' if more > 1 else ''}, listed above)"
                                       if more else "")


def cmd_validate(args: argparse.Namespace) -> int:
    """Read each file as a chapter would and print what was detected and every problem found."""
    if args.kind not in KINDS:
        raise ParameterError(f"unknown kind '{args.kind}'; valid kinds: {', '.join(KINDS)}")
    first = []
    for i, path in enumerate(args.path):
        if i:
            print()
        line = _validate_one(args.kind, path)
        if line:
            first.append(line)
    if first:
        raise CasebookError(first[0] + (f"; {len(first) - 1} other file(s) blocked too, listed above"
                                        if len(first) > 1 else ""))
    return 0


def cmd_layouts(args: argparse.Namespace) -> int:
    """Print every post export layout: network, status, basis, columns and sources."""
    from casebook.io.layouts import layouts

    for lay in layouts().values():
        if lay.name == "mapping":
            continue
        print(f"{lay.name}: {lay.title} ({lay.network}; {lay.status}; engagement rate ÷ {lay.basis})")
        if args.verbose:
            for canon, spec in lay.columns.items():
                print(f"    {canon}: {' | '.join(spec.names)} (empty = {spec.empty})")
            for note in lay.notes:
                print(f"    note: {note}")
            for src in lay.sources:
                print(f"    source: {src.title} <{src.url}>")
            print()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``casebook`` command."""
    parser = argparse.ArgumentParser(
        prog="casebook", description="Re-run the casebook's chapters on your own data."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{list,run,validate,layouts}")
    sub.add_parser("list", help="list the chapters and their parameters").set_defaults(func=cmd_list)
    run = sub.add_parser("run", help="run a chapter and write its report")
    run.add_argument("slug", help="chapter slug (see casebook list)")
    run.add_argument("--data", metavar="PATH", action="append",
                     help="your data file (sets the chapter's data_path); page chapters take several "
                          "(repeat --data, or give a folder or a pattern such as 'exports/*.csv'); the "
                          "customer chapter also takes a database: postgresql://HOST:PORT/DB (user and "
                          "password from PGUSER, PGPASSWORD or ~/.pgpass), spark://HOST:PORT or local[N]")
    run.add_argument("--table", metavar="NAME",
                     help="the table to read from a database given with --data (sets the chapter's table)")
    run.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter; VALUE is read as YAML (0.9, 2011-09-09, [0, 0.5], text)",
    )
    run.add_argument("--lang", choices=("en", "fr"),
                     help="language of the report, its charts and numbers (default: en; sets the chapter's lang)")
    run.add_argument("--out", metavar="DIR", help="output folder (default: reports/SLUG)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)
    val = sub.add_parser("validate", help="check a data file without running a chapter")
    val.add_argument("kind", metavar="KIND", help="posts, transactions, survey or conversations")
    val.add_argument("path", metavar="PATH", nargs="+")
    val.set_defaults(func=cmd_validate)
    lay = sub.add_parser("layouts", help="list the post export layouts the page chapters read")
    lay.add_argument("-v", "--verbose", action="store_true", help="with columns, notes and sources")
    lay.set_defaults(func=cmd_layouts)
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def exit_now(code: int) -> None:
    """End the process at once with ``code``, its output flushed, skipping the interpreter's teardown.

    ``casebook run`` ends with this when it is the command itself: every file of the run is written and
    closed, the kernel stopped and the report's thread joined, and tearing down the modules papermill,
    pandas and Sphinx loaded only costs time (about half a second).
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken pipe: nothing more to say
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``casebook`` and ``python -m casebook``; returns the exit code.

    Called without ``argv`` (the command itself), ``casebook run`` ends the process with :func:`exit_now`.
    """
    args = build_parser().parse_args(argv)
    code = _main(args)
    if argv is None and args.command == "run":
        exit_now(code)
    return code


def _main(args: argparse.Namespace) -> int:
    from casebook.cli.runner import ChapterError

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # a killed run cleans up like Ctrl-C
    try:
        return args.func(args)
    except CasebookError as exc:
        print(f"casebook: error: {redact(str(exc))}", file=sys.stderr)
        return 2
    except ChapterError as exc:
        print(f"casebook: internal error: {redact(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt as exc:
        done = exc.args == ("complete",)  # the signal came while the finished report was put in place
        print("casebook: interrupted after the report was complete: it is in place" if done
              else "casebook: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("CASEBOOK_DEBUG"):
            raise
        print(
            f"casebook: internal error: {type(exc).__name__}: {redact(str(exc).splitlines()[0]) if str(exc) else ''} "
            "(set CASEBOOK_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
