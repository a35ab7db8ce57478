"""Reading page files as text without ever raising.

Docs trees take contributions, so a file may hold a BOM, invalid UTF-8 or be unreadable: each of
those becomes a diagnostic at its line and column while the rest of the text still renders.
``read_head`` reads only up to the closing front-matter fence, which is all that scanning a
1,000-page version needs.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from pathlib import Path

from ..core.jsvalue import js_trim
from ..diagnostics import Diagnostic, display_path, error

FENCE = "---"
BOM_BYTES = b"\xef\xbb\xbf"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
MAX_UTF8_REPORTS = 20


def decode_bytes(data: bytes, file: str) -> tuple[str, list[Diagnostic]]:
    """UTF-8 text of ``data``: a BOM is dropped, invalid bytes become U+FFFD and are reported.

    Each diagnostic names the byte offset in the file (BOM included, so ``xxd`` agrees) and the
    1-based line/column where the bad byte sits; after ``MAX_UTF8_REPORTS`` the rest are counted.
    """
    base = 0
    if data.startswith(BOM_BYTES):
        data = data[len(BOM_BYTES) :]
        base = len(BOM_BYTES)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    diagnostics: list[Diagnostic] = []
    bad = 0
    pos = 0
    while pos < len(data) and bad < MAX_UTF8_REPORTS:  # each probe decodes the rest: few of them
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            start, end = pos + exc.start, pos + exc.end
            bad += 1
            if bad <= MAX_UTF8_REPORTS:
                line_start = data.rfind(b"\n", 0, start) + 1
                line = data.count(b"\n", 0, start) + 1
                column = len(data[line_start:start].decode("utf-8", "replace")) + 1
                diagnostics.append(
                    error(
                        "invalid-utf8",
                        f"invalid UTF-8 byte 0x{data[start]:02x} at byte offset {base + start}; "
                        "decoded as U+FFFD",
                        file,
                        line,
                        column,
                    )
                )
            pos = end
    text = data.decode("utf-8", "replace")
    # One U+FFFD per invalid sequence, minus those the file really contains: the total, in one pass.
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if bad > MAX_UTF8_REPORTS:
        last = diagnostics[-1]
        diagnostics[-1] = Diagnostic(
            last.rule,
            last.severity,
            f"{last.message} (and {bad - MAX_UTF8_REPORTS} more invalid sequences)",
            last.file,
            last.line,
            last.column,
        )
    return text, diagnostics


def read_text_file(path: Path | str, root: Path | str | None = None) -> tuple[str, list[Diagnostic]]:
    """The whole file as text (see ``decode_bytes``); an unreadable file gives ``""`` and a diagnostic.

    Line endings are kept: Markdoc normalises them itself, and byte-exact text keeps offsets honest.
    """
    file = display_path(path, root)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return "", [error("read-error", f"cannot read file: {exc.strerror or exc}", file)]
    return decode_bytes(data, file)


def read_head(path: Path | str, root: Path | str | None = None) -> tuple[str, bool, list[Diagnostic]]:
    """The file up to and including its closing front-matter fence: ``(text, whole_file, diagnostics)``.

    Scanning a docs tree only needs the front matter, and most of a page is body, so this stops
    reading as soon as the front matter is known: after line 1 when it is not ``---``, after the
    closing ``---`` otherwise. ``whole_file`` says whether EOF was reached (the text is complete).
    """
    file = display_path(path, root)
    chunks: list[bytes] = []
    whole = False
    try:
        with open(path, "rb") as handle:
            first = handle.readline()
            chunks.append(first)
            text_first = first.decode("utf-8", "replace").lstrip("\ufeff")
            if js_trim(text_first) == FENCE:
                while True:
                    line = handle.readline()
                    if not line:
                        whole = True
                        break
                    chunks.append(line)
                    if js_trim(line.decode("utf-8", "replace")) == FENCE:
                        break
            if not whole:
                whole = handle.read(1) == b""
    except OSError as exc:
        return "", True, [error("read-error", f"cannot read file: {exc.strerror or exc}", file)]
    text, diagnostics = decode_bytes(b"".join(chunks), file)
    return text, whole, diagnostics


# -- editing a file in place: one line rule, the file's own line endings and BOM --------------


def line_starts(text: str) -> list[int]:
    """Offset in ``text`` where each line starts (index 0 is line 1), counting lines exactly as
    the renderer does (``\\r\\n``, ``\\r`` or ``\\n`` ends one; ``str.splitlines`` would also
    split at U+2028, form feeds and more), so a finding's line names the right offset."""
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


def line_number(starts: list[int], offset: int) -> int:
    """1-based line of ``offset``, given the ``line_starts`` of its text."""
    return bisect_right(starts, offset)


def line_break_after(text: str, start: int) -> str:
    """The line break ending the line that starts at ``start`` (``""`` on a last line without one)."""
    match = LINE_BREAK.search(text, start)
    return match.group() if match is not None else ""


def newline_of(text: str) -> str:
    """The first line break ``text`` uses (``"\\n"`` when it has none): what a line added to it ends with."""
    match = LINE_BREAK.search(text)
    return match.group() if match is not None else "\n"


def encode_like_original(text: str, original: bytes) -> bytes:
    """``text`` as the bytes to write over ``original``: UTF-8, with ``original``'s BOM when it
    had one.  When ``text`` breaks lines with ``\\n`` only (it was normalised, then edited) and
    ``original`` uses one other line break throughout (all ``\\r\\n`` or all ``\\r``), its breaks
    are written in that style; text edited in the file's own line breaks is written as it is."""
    breaks = set(LINE_BREAK.findall(original.decode("utf-8", "replace")))
    if len(breaks) == 1 and breaks != {"\n"} and set(LINE_BREAK.findall(text)) <= {"\n"}:
        text = text.replace("\n", breaks.pop())
    data = text.encode("utf-8")
    return BOM_BYTES + data if original.startswith(BOM_BYTES) else data


def patch_diff(name: str, before: bytes, after: bytes) -> bytes:
    """A unified diff of two versions of the file ``name`` that ``patch -p1`` and ``git apply``
    apply byte for byte: lines end at ``\\n`` only (as those tools split them, so ``\\r``,
    U+2028 and form feeds stay inside a line and a BOM stays on line 1), and a last line without
    ``\\n`` is marked ``\\ No newline at end of file``."""
    lines = difflib.diff_bytes(
        difflib.unified_diff,
        _lf_lines(before),
        _lf_lines(after),
        _patch_name(f"a/{name}"),
        _patch_name(f"b/{name}"),
        lineterm=b"\n",
    )
    return b"".join(line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n" for line in lines)


def _lf_lines(data: bytes) -> list[bytes]:
    """``data`` cut after each ``\\n`` (``bytes.splitlines`` would also cut at ``\\r``)."""
    lines = data.split(b"\n")
    out = [line + b"\n" for line in lines[:-1]]
    return out + [lines[-1]] if lines[-1] else out


def _patch_name(name: str) -> bytes:
    """``name`` as a diff header writes it so that both tools read it back: C-quoted when it
    holds a quote, a backslash or a control character, followed by a tab when it holds a space
    (``patch`` would otherwise end the name at the space), as ``git diff`` does."""
    if any(c in '"\\' or ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        escapes = {"\"": '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
        quoted = "".join(escapes.get(c) or (f"\\{ord(c):03o}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in name)
        return f'"{quoted}"'.encode()
    return name.encode("utf-8") + (b"\t" if " " in name else b"")


def line_break_style(text: str) -> tuple[str, int | None]:
    """The line break ``text`` starts with (``"\\r\\n"``, ``"\\r"``, ``"\\n"``, or ``""`` if it
    has none), and the 1-based line that first ends in another one (``None`` if all agree).

    A tool that rewrites a file must write its line breaks back as they were; one style can be,
    a mixture cannot (which break would a new line get?), so callers refuse mixed files."""
    breaks = LINE_BREAK.finditer(text)
    first = next(breaks, None)
    if first is None:
        return "", None
    style = first.group()
    for line, other in enumerate(breaks, start=2):
        if other.group() != style:
            return style, line
    return style, None
