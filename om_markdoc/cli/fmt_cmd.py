"""``om-markdoc fmt``: format Markdoc files in place, as ``Markdoc.format`` of @markdoc/markdoc does.

Exit codes: 0 nothing to report; 1 ``--check`` found files that would change, or a file could
not be formatted (reported as ``file:line:column: error: ...``); 2 usage problems (a path that
does not exist, bad options).  A file whose rendering the formatting would change is left as it
is, with a warning, unless ``--force`` is given (see ``core/format_safe.py`` for why).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..atomic import write_atomic
from ..core.format_safe import FormatOutcome, format_checked
from ..core.formatter import MAX_TAG_OPENING_WIDTH, FormatError
from ..core.tokenizer import Tokenizer

HELP = "Format Markdoc files in place (the output of Markdoc.format of @markdoc/markdoc 0.5.10)."

SUFFIXES = (".md",)
MAX_FILE_BYTES = 2_000_000  # the page size cap of the site pipeline (dialect/pipeline.py)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders searched for .md files; - for stdin to stdout")
    parser.add_argument("--check", action="store_true", help="write nothing; list the files that would change and exit 1 if any")
    parser.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of each change")
    parser.add_argument("--force", action="store_true", help="rewrite even files whose rendered HTML the formatting would change")
    parser.add_argument("--delimiters", choices=("curly", "angle"), default="curly", help="tag delimiters {%% %%} (curly) or <%% %%> (angle)")
    parser.add_argument("--allow-indentation", action="store_true", help="parse with allowIndentation and indent tag bodies by 2")
    parser.add_argument("--allow-comments", action="store_true", help="parse <!-- --> as Markdoc comments")
    parser.add_argument("--max-width", type=int, default=MAX_TAG_OPENING_WIDTH, metavar="N",
                        help=f"break tag openings longer than N characters, one attribute a line (default {MAX_TAG_OPENING_WIDTH})")
    parser.add_argument("--ordered-list-mode", choices=("repeat", "increment"), default="repeat",
                        help="number ordered lists 1. 1. 1. after the first item (repeat, default) or 1. 2. 3.")


@dataclass
class Problem:
    """A diagnostic in the usual ``file:line:column: level: message`` shape."""

    file: str
    line: int
    column: int
    level: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.level}: {self.message}"


def _files(paths: list[str]) -> Iterator[Path]:
    """Files named on the command line, and the .md files under folders (hidden folders skipped)."""
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        found = []
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(root, n) for n in names if n.lower().endswith(SUFFIXES))
        yield from sorted(found)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return line, column


def read_text(path: Path, name: str) -> tuple[str | None, Problem | None]:
    """The file's text, or a diagnostic saying why it cannot be formatted."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, Problem(name, 1, 1, "error", f"file is over {MAX_FILE_BYTES:,} bytes; not formatted")
        data = path.read_bytes()
    except OSError as exc:
        return None, Problem(name, 1, 1, "error", f"cannot read: {exc.strerror or exc}")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        return None, Problem(name, line, column, "error", f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); not formatted")


def format_text(text: str, name: str, args: argparse.Namespace, tokenizer: Tokenizer) -> tuple[FormatOutcome | None, list[Problem]]:
    """Format one text; problems are diagnostics, never exceptions."""
    try:
        outcome = format_checked(
            text,
            tokenizer=tokenizer,
            force=args.force,
            allow_indentation=args.allow_indentation,
            max_tag_opening_width=args.max_width,
            ordered_list_mode=args.ordered_list_mode,
        )
    except RecursionError:
        return None, [Problem(name, 1, 1, "error", "nested too deeply to format")]
    except FormatError as exc:
        return None, [Problem(name, 1, 1, "error", f"cannot format: {exc}")]
    problems = []
    if outcome.changes_rendering:
        action = "rewritten anyway (--force)" if args.force else "left unchanged (--force rewrites it)"
        problems.append(Problem(name, outcome.render_line or 1, 1, "warning",
                                f"formatting would change the rendered page from here; {action}"))
    if not outcome.converged:
        problems.append(Problem(name, 1, 1, "warning", f"formatting did not settle after {outcome.rounds} passes"))
    return outcome, problems


def _diff(name: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def run(args: argparse.Namespace) -> int:
    if args.max_width < 1:
        print("om-markdoc fmt: error: --max-width must be at least 1", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if p != "-" and not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"om-markdoc fmt: error: no such file or directory: {path}", file=sys.stderr)
        return 2
    tokenizer = Tokenizer(allow_comments=args.allow_comments, allow_indentation=args.allow_indentation, delimiters=args.delimiters)
    write = not (args.check or args.diff)
    changed: list[str] = []
    failed = False
    count = 0
    for raw in args.paths:
        if raw == "-":
            text = sys.stdin.read()
            outcome, problems = format_text(text, "<stdin>", args, tokenizer)
            for problem in problems:
                print(problem, file=sys.stderr)
            failed |= outcome is None
            sys.stdout.write(outcome.text if outcome else text)
            continue
        for path in _files([raw]):
            count += 1
            name = str(path)
            text, problem = read_text(path, name)
            outcome, problems = format_text(text, name, args, tokenizer) if text is not None else (None, [problem])
            for item in problems:
                print(item, file=sys.stderr)
            if outcome is None:
                failed = True
                continue
            if not outcome.changed:
                continue
            changed.append(name)
            if args.diff:
                sys.stdout.write(_diff(name, outcome.source, outcome.text))
            if args.check:
                print(f"would reformat {name}")
            if write:
                try:
                    write_atomic(path, outcome.text)
                except OSError as exc:
                    print(Problem(name, 1, 1, "error", f"cannot write: {exc.strerror or exc}"), file=sys.stderr)
                    failed = True
    if count:
        verb = "reformatted" if write else "would be reformatted"
        print(f"{len(changed)} of {count} file(s) {verb}", file=sys.stderr)
    return 1 if failed or (args.check and changed) else 0
