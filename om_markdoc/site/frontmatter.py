"""Reading page files and their YAML front matter without ever raising.

Why this module exists separately from the core: Markdoc only *recognises* front matter (it keeps
the raw text); the site needs the values (``slug``, ``title``, the edition flag, ``site_menu``),
with errors located in the file rather than in the YAML snippet, and with protection against
hostile or accidental YAML (alias bombs, huge blocks) because docs trees accept contributions.

Recognition is exactly Markdoc's: the first line, trimmed, is ``---`` and a later line, trimmed, is
``---``. Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` (what markdown-it normalises), so CRLF files
keep their text and still get the right line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.jsvalue import js_trim
from ..diagnostics import Diagnostic, display_path, error, warning

FENCE = "---"
BOM_BYTES = b"\xef\xbb\xbf"
LINE_BREAK = re.compile(r"\r\n|\r|\n")

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
"""Front matter bigger than this is refused: real menus are ~160 kB, pages a few hundred bytes."""
DEFAULT_MAX_ALIASES = 100
"""Aliases (``*name``) allowed per document; real docs use none."""
DEFAULT_MAX_NODES = 200_000
"""Nodes after alias expansion; a 1,300-entry menu is ~10,000."""
MAX_UTF8_REPORTS = 20


# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Guarded YAML
# ---------------------------------------------------------------------------------------------

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(yaml.MarkedYAMLError):
    """Raised inside the loader when a document exceeds the alias/node caps."""

    rule = "frontmatter-alias-bomb"


class GuardedSafeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """``SafeLoader`` (libyaml when available) that refuses alias bombs before constructing.

    PyYAML shares aliased nodes, so ``yaml.safe_load`` of a billion-laughs document is cheap, but
    anything that then walks or serialises the value (Jinja, JSON, our own code) explodes. The
    composed node graph is measured first: aliases are counted (a node reached a second time),
    the size after expansion is summed with memoisation, and recursive anchors are refused.
    """

    max_aliases: int = DEFAULT_MAX_ALIASES
    max_nodes: int = DEFAULT_MAX_NODES

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            measure_node_graph(node, self.max_aliases, self.max_nodes)
        return node


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def measure_node_graph(root: yaml.Node, max_aliases: int, max_nodes: int) -> int:
    """The node count of ``root`` with aliases expanded; raises ``YamlLimitError`` over the caps.

    Iterative (no recursion limit) and linear in the composed graph, whose size the byte cap bounds.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if leaving:
            visiting.discard(key)
            total = 1 + sum(sizes[id(c)] for c in _children(node))
            if total > max_nodes:
                raise YamlLimitError(
                    None,
                    None,
                    f"YAML expands to more than {max_nodes} nodes (alias bomb?)",
                    node.start_mark,
                )
            sizes[key] = total
            continue
        if key in visiting:
            raise YamlLimitError(None, None, "recursive YAML alias", node.start_mark)
        if key in sizes:
            aliases += 1
            if aliases > max_aliases:
                raise YamlLimitError(None, None, f"more than {max_aliases} YAML aliases", node.start_mark)
            continue
        visiting.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(_children(node)))
    return sizes[id(root)]


@dataclass
class YamlResult:
    """A loaded YAML document: its value, its composed node (for marks), and problems found."""

    value: Any = None
    node: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ok: bool = True


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def load_yaml(
    text: str,
    file: str,
    *,
    first_line: int = 1,
    rule: str = "frontmatter-yaml",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_aliases: int = DEFAULT_MAX_ALIASES,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> YamlResult:
    """Load one YAML document with the guards above; errors become diagnostics in file coordinates.

    ``first_line`` is the 1-based file line holding the YAML's first line, so a mark at YAML
    line 0 is reported there.
    """
    size = len(text.encode("utf-8", "replace"))
    if size > max_bytes:
        return YamlResult(
            diagnostics=[error("frontmatter-too-large", f"YAML block is {size} bytes (limit {max_bytes})", file, first_line)],
            ok=False,
        )
    loader = GuardedSafeLoader(text)
    loader.max_aliases = max_aliases
    loader.max_nodes = max_nodes
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
        return YamlResult(value, node)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        return YamlResult(
            diagnostics=[error(YamlLimitError.rule, str(exc.problem), file, first_line + line, column + 1)],
            ok=False,
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        message = f"invalid YAML: {exc.problem or exc.context or 'syntax error'}"
        if exc.context and exc.problem:
            message += f" ({exc.context})"
        return YamlResult(diagnostics=[error(rule, message, file, first_line + line, column + 1)], ok=False)
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        return YamlResult(
            diagnostics=[error(rule, f"invalid YAML: unacceptable character #x{exc.character:04x}", file, first_line + line, column + 1)]
            if isinstance(exc.character, int)
            else [error(rule, f"invalid YAML: {exc}", file, first_line + line, column + 1)],
            ok=False,
        )
    except RecursionError:
        return YamlResult(diagnostics=[error(rule, "invalid YAML: nested too deeply", file, first_line)], ok=False)
    except Exception as exc:  # noqa: BLE001 - e.g. ValueError for `date: 2024-02-30`; never propagate
        return YamlResult(diagnostics=[error(rule, f"invalid YAML: {exc}", file, first_line)], ok=False)
    finally:
        loader.dispose()


# ---------------------------------------------------------------------------------------------
# Front matter
# ---------------------------------------------------------------------------------------------


@dataclass
class FrontMatter:
    """A file's front matter as the site sees it.

    ``meta`` is ``{}`` when there is none or it is broken (the problem is in ``diagnostics``);
    ``body_start_line`` is the 1-based line where Markdown starts; ``raw`` the text between the
    fences exactly (``None`` without front matter); ``key_lines`` the file line of each top-level
    key, so that e.g. a duplicate slug is reported on its ``slug:`` line.
    """

    meta: dict[str, Any]
    body_start_line: int
    raw: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of ``key`` (or of the opening fence when absent), for diagnostics."""
        return self.key_lines.get(key, 1)


def find_front_matter(lines: list[str]) -> int | None:
    """Index of the closing fence line when ``lines`` open with front matter (Markdoc's rule)."""
    if not lines or js_trim(lines[0]) != FENCE:
        return None
    return next((i for i in range(1, len(lines)) if js_trim(lines[i]) == FENCE), None)


def split_front_matter(
    source: str,
    file: str,
    *,
    complete: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_aliases: int = DEFAULT_MAX_ALIASES,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> FrontMatter:
    """Recognise and load ``source``'s front matter; never raises.

    ``complete=False`` says ``source`` may be a head of the file (see ``read_head``), so an
    unclosed fence is only reported when the text is the whole file.
    """
    if source.startswith("\ufeff"):
        source = source[1:]
    lines = LINE_BREAK.split(source)
    close = find_front_matter(lines)
    if close is None:
        diagnostics = []
        if complete and lines and js_trim(lines[0]) == FENCE and len(lines) > 1:
            diagnostics.append(
                warning(
                    "frontmatter-unclosed",
                    "file starts with '---' but no closing '---' follows; read as Markdown, not front matter",
                    file,
                )
            )
        return FrontMatter({}, 1, None, diagnostics)
    raw = "\n".join(lines[1:close])
    body_start = close + 2
    result = load_yaml(raw, file, first_line=2, max_bytes=max_bytes, max_aliases=max_aliases, max_nodes=max_nodes)
    diagnostics = list(result.diagnostics)
    meta: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    if result.ok:
        value = result.value
        if isinstance(value, dict):
            meta = value
            key_lines, duplicates = _key_lines(result.node)
            diagnostics.extend(
                warning("frontmatter-duplicate-key", f"front-matter key {key!r} appears again; the last value wins", file, line, col)
                for key, line, col in duplicates
            )
        elif value is not None:
            line = 2 + (result.node.start_mark.line if result.node is not None else 0)
            diagnostics.append(
                error(
                    "frontmatter-not-mapping",
                    f"front matter must be 'key: value' pairs, not a {_yaml_kind(value)}",
                    file,
                    line,
                )
            )
    return FrontMatter(meta, body_start, raw, diagnostics, key_lines)


def _key_lines(node: Any) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    if not isinstance(node, yaml.MappingNode):
        return lines, duplicates
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = str(key_node.value)
            line = 2 + key_node.start_mark.line
            if key in lines:
                duplicates.append((key, line, key_node.start_mark.column + 1))
            lines[key] = line
    return lines, duplicates


def _yaml_kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    return type(value).__name__
