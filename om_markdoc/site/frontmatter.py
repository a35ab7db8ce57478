"""Front matter: recognising it in a page and reading its values without ever raising.

Why this module exists separately from the core: Markdoc only *recognises* front matter (it keeps
the raw text); the site needs the values (``slug``, ``title``, the edition flag, ``site_menu``),
with errors located in the file rather than in the YAML snippet, and with protection against
hostile or accidental YAML (alias bombs, huge blocks) because docs trees accept contributions.

Recognition is exactly Markdoc's: the first line, trimmed, is ``---`` and a later line, trimmed, is
``---``. Lines end at ``\\r\\n``, ``\\r`` or ``\\n`` (what markdown-it normalises), so CRLF files
keep their text and still get the right line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..core.jsvalue import js_trim
from ..diagnostics import Diagnostic, error, warning
from .textfile import FENCE, LINE_BREAK
from .yamlsafe import DEFAULT_MAX_ALIASES, DEFAULT_MAX_BYTES, DEFAULT_MAX_NODES, load_yaml


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
                warning(
                    "frontmatter-duplicate-key", f"front-matter key {key!r} appears again; the last value wins", file, line, col
                )
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
