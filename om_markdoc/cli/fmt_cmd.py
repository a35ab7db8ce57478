"""``om-markdoc fmt``: format Markdoc files in place, in the layout of ``Markdoc.format``.

Exit codes: 0 nothing to report; 1 ``--check`` found files that would change, or a file was
skipped or could not be written (reported as ``file:line:column: error: ... [fmt-...]``, with
the ``fmt-*`` rules of ``rules.py``); 2 usage problems (a path that does not exist, bad options).
A file whose page the formatting would change is left as it is, with a warning, unless ``--force``
is given (see ``core/format_safe.py`` for why).

A file is rewritten with its own line breaks (LF or CRLF) and its BOM, and only when its text
changes; a file this cannot promise for (CR-only or mixed line breaks, invalid UTF-8, a symbolic
link, a read-only file) is skipped with a ``skipped, because ...`` error and never written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..core.format_safe import FormatOutcome, format_checked
from ..core.formatter import MAX_TAG_OPENING_WIDTH, FormatError
from ..core.tokenizer import Tokenizer
from ..diagnostics import Diagnostic, error, warning
from ..site.textfile import BOM_BYTES, line_break_style, patch_diff

HELP = "Format Markdoc files in place (the layout of Markdoc.format of @markdoc/markdoc 0.5.10)."

SUFFIXES = (".md",)
MAX_FILE_BYTES = 2_000_000  # the page size cap of the site pipeline (dialect/pipeline.py)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="files, or folders searched for .md files; - for stdin to stdout"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; list the files that would change and exit 1 if any")
    parser.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of each change")
    parser.add_argument(
        "--force", action="store_true", help="rewrite even files whose rendered HTML or text the formatting would change"
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="print exactly what Markdoc.format prints, even where that drops table alignment, "
        "code-span spaces or tags that do not parse (such pages are still left unchanged without --force)",
    )
    parser.add_argument(
        "--delimiters", choices=("curly", "angle"), default="curly", help="tag delimiters {%% %%} (curly) or <%% %%> (angle)"
    )
    parser.add_argument("--allow-indentation", action="store_true", help="parse with allowIndentation and indent tag bodies by 2")
    parser.add_argument("--allow-comments", action="store_true", help="parse <!-- --> as Markdoc comments")
    parser.add_argument(
        "--max-width",
        type=int,
        default=MAX_TAG_OPENING_WIDTH,
        metavar="N",
        help=f"break tag openings longer than N characters, one attribute a line (default {MAX_TAG_OPENING_WIDTH})",
    )
    parser.add_argument(
        "--ordered-list-mode",
        choices=("repeat", "increment"),
        default="repeat",
        help="number ordered lists 1. 1. 1. after the first item (repeat, default) or 1. 2. 3.",
    )


def _files(paths: list[str]) -> Iterator[Path]:
    """Files named on the command line, and the .md files under folders (hidden folders skipped)."""
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        found: list[Path] = []
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(root, n) for n in names if n.lower().endswith(SUFFIXES))
        yield from sorted(found)


_LINE_BREAK_NAMES = {"\r\n": "CRLF", "\r": "CR", "\n": "LF"}


@dataclass(frozen=True)
class PageText:
    """A file's text as the formatter sees it (BOM removed, line breaks LF), and how to write
    text back in the file's own form: its BOM and its one line-break style."""

    text: str
    bom: bool
    newline: str

    def encode(self, text: str) -> str:
        """``text`` (LF line breaks, no BOM) as the file would hold it."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return "\ufeff" + text if self.bom else text


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return line, column


def _skipped(name: str, why: str, line: int = 1, column: int = 1) -> Diagnostic:
    return error("fmt-skipped", f"skipped, because {why}", name, line, column)


def decode_page(data: bytes, name: str) -> tuple[PageText | None, Diagnostic | None]:
    """The text of a file's bytes, or why the file is skipped: invalid UTF-8, or line breaks
    that could not be written back as they are (CR only, or more than one kind)."""
    bom = data.startswith(BOM_BYTES)
    body = data[len(BOM_BYTES) :] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(body, exc.start)
        return None, _skipped(name, f"it is not valid UTF-8 (byte 0x{body[exc.start]:02x})", line, column)
    newline, other = line_break_style(text)
    if other is not None:
        first = _LINE_BREAK_NAMES[newline]
        return None, _skipped(name, f"its line breaks are mixed (line 1 ends in {first}, line {other} does not)", other)
    if newline == "\r":
        return None, _skipped(name, "its lines end in CR only (old Mac line breaks)")
    if newline == "\r\n":
        text = text.replace("\r\n", "\n")
    return PageText(text, bom, newline or "\n"), None


def read_page(path: Path, name: str) -> tuple[PageText | None, Diagnostic | None]:
    """The file's text, or a diagnostic saying why it is skipped."""
    try:
        if path.is_symlink():
            return None, _skipped(name, "it is a symbolic link (rewriting it would replace the link with a file)")
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, _skipped(name, f"the file is over {MAX_FILE_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        return None, _skipped(name, f"it cannot be read: {exc.strerror or exc}")
    return decode_page(data, name)


def format_text(
    text: str, name: str, args: argparse.Namespace, tokenizer: Tokenizer
) -> tuple[FormatOutcome | None, list[Diagnostic]]:
    """Format one text; problems are diagnostics, never exceptions."""
    try:
        outcome = format_checked(
            text,
            tokenizer=tokenizer,
            force=args.force,
            reference=args.reference,
            allow_indentation=args.allow_indentation,
            max_tag_opening_width=args.max_width,
            ordered_list_mode=args.ordered_list_mode,
        )
    except RecursionError:
        return None, [error("fmt-failed", "nested too deeply to format", name)]
    except FormatError as exc:
        return None, [error("fmt-failed", f"cannot format: {exc}", name)]
    problems = []
    if outcome.changes_rendering:
        action = "rewritten anyway (--force)" if args.force else "left unchanged (--force rewrites it)"
        what = "the rendered page" if outcome.damage == "rendering" else "the page's text"
        problems.append(
            warning("fmt-changes-page", f"formatting would change {what} from here; {action}", name, outcome.render_line or 1)
        )
    if not outcome.converged:
        problems.append(warning("fmt-unsettled", f"formatting did not settle after {outcome.rounds} passes", name))
    return outcome, problems


def _read_only(path: Path) -> bool:
    """No write permission bit set: root may write anyway, but the owner said no."""
    return not path.stat().st_mode & 0o222


def _write(path: Path, name: str, text: str) -> Diagnostic | None:
    """Replace the file's text; a read-only file is reported and left alone."""
    try:
        if _read_only(path):
            return error("fmt-read-only", "not rewritten, because the file is read-only", name)
        write_atomic(path, text)
    except OSError as exc:
        return error("fmt-failed", f"cannot write: {exc.strerror or exc}", name)
    return None


def _format_stdin(args: argparse.Namespace, tokenizer: Tokenizer) -> bool:
    """``-``: standard input to standard output, bytes as they came where nothing changes.
    True if it failed (the input is then written back unchanged)."""
    data = sys.stdin.buffer.read()
    page, problem = decode_page(data, "<stdin>")
    outcome, problems = format_text(page.text, "<stdin>", args, tokenizer) if page else (None, [problem])
    for item in problems:
        print(item, file=sys.stderr)
    sys.stdout.flush()
    if page is None or outcome is None or not outcome.changed:
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.buffer.write(page.encode(outcome.text).encode("utf-8"))
    sys.stdout.buffer.flush()
    return outcome is None


def run(args: argparse.Namespace) -> int:
    if args.max_width < 1:
        print("om-markdoc fmt: error: --max-width must be at least 1", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if p != "-" and not Path(p).exists()]
    if missing:
        for path in missing:
            print(f"om-markdoc fmt: error: no such file or directory: {path}", file=sys.stderr)
        return 2
    tokenizer = Tokenizer(
        allow_comments=args.allow_comments, allow_indentation=args.allow_indentation, delimiters=args.delimiters
    )
    write = not (args.check or args.diff)
    changed: list[str] = []
    failed = False
    count = 0
    for raw in args.paths:
        if raw == "-":
            failed |= _format_stdin(args, tokenizer)
            continue
        for path in _files([raw]):
            count += 1
            name = str(path)
            page, problem = read_page(path, name)
            outcome, problems = format_text(page.text, name, args, tokenizer) if page else (None, [problem])
            for item in problems:
                print(item, file=sys.stderr)
            if page is None or outcome is None:
                failed = True
                continue
            if not outcome.changed:
                continue
            changed.append(name)
            before, after = page.encode(outcome.source), page.encode(outcome.text)
            if args.diff:  # lines cut at LF only, as patch and git apply cut them (not at U+2028)
                sys.stdout.write(patch_diff(name, before.encode("utf-8"), after.encode("utf-8")).decode("utf-8"))
            if args.check:
                print(f"would reformat {name}")
            if write:
                problem = _write(path, name, after)
                if problem is not None:
                    print(problem, file=sys.stderr)
                    changed.pop()
                    failed = True
    if count:
        verb = "reformatted" if write else "would be reformatted"
        print(f"{len(changed)} of {count} file(s) {verb}", file=sys.stderr)
    return 1 if failed or (args.check and changed) else 0
