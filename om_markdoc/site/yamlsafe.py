"""A YAML loader that cannot be turned against the build.

Front matter, menus, config examples and the configuration files themselves (``mkdocs.yml``,
``om-markdoc.yml``) come from contributors: aliases can expand a small document into billions of
nodes (billion laughs) and a huge block can stall a build.  Every YAML the project reads goes
through this loader.  The loader
here counts aliases and nodes on the composed graph before anything is constructed, and
``load_yaml`` turns every problem into a located diagnostic instead of an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import Diagnostic, error

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
"""YAML bigger than this is refused: real menus are ~160 kB, pages a few hundred bytes."""
DEFAULT_MAX_ALIASES = 100
"""Aliases (``*name``) allowed per document; real docs use none."""
DEFAULT_MAX_NODES = 200_000
"""Nodes after alias expansion; a 1,300-entry menu is ~10,000."""


_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(yaml.MarkedYAMLError):
    """Raised inside the loader when a document exceeds the alias/node caps."""

    rule = "frontmatter-alias-bomb"


class GuardedSafeLoader(_BaseLoader):  # type: ignore[misc]  # libyaml or pure loader, chosen at import
    """``SafeLoader`` (libyaml when available) that refuses alias bombs before constructing.

    PyYAML shares aliased nodes, so ``yaml.safe_load`` of a billion-laughs document is cheap, but
    anything that then walks or serialises the value (Jinja, JSON, our own code) explodes. The
    composed node graph is measured first: aliases are counted (a node reached a second time),
    the size after expansion is summed with memoisation, and recursive anchors are refused.
    """

    max_aliases: int = DEFAULT_MAX_ALIASES
    max_nodes: int = DEFAULT_MAX_NODES
    max_chars: int = DEFAULT_MAX_BYTES

    def get_single_node(self) -> Any:
        node = super().get_single_node()
        if node is not None:
            measure_node_graph(node, self.max_aliases, self.max_nodes, self.max_chars)
        return node


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def measure_node_graph(root: yaml.Node, max_aliases: int, max_nodes: int, max_chars: int = DEFAULT_MAX_BYTES) -> int:
    """The node count of ``root`` with aliases expanded; raises ``YamlLimitError`` over the caps.

    What the aliases expand to is measured twice: in nodes (``max_nodes``) and in the characters
    of its scalars (``max_chars``), since one alias of a long string repeated is as costly to
    whatever walks or serialises the value as many small nodes.  Without aliases the characters
    are bounded by the text, so the byte cap of the text is the natural ``max_chars``.
    Iterative (no recursion limit) and linear in the composed graph, whose size the byte cap bounds.
    """
    sizes: dict[int, tuple[int, int]] = {}
    visiting: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if leaving:
            visiting.discard(key)
            children = [sizes[id(c)] for c in _children(node)]
            nodes = 1 + sum(n for n, _ in children)
            chars = (len(node.value) if isinstance(node, yaml.ScalarNode) else 0) + sum(c for _, c in children)
            if nodes > max_nodes:
                raise YamlLimitError(None, None, f"YAML expands to more than {max_nodes} nodes (alias bomb?)", node.start_mark)
            if chars > max_chars:
                message = f"YAML expands to more than {max_chars} characters (alias bomb?)"
                raise YamlLimitError(None, None, message, node.start_mark)
            sizes[key] = (nodes, chars)
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
    return sizes[id(root)][0]


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
    limit_rule: str = YamlLimitError.rule,
    loader_for: Callable[[str], GuardedSafeLoader] = GuardedSafeLoader,
) -> YamlResult:
    """Load one YAML document with the guards above; errors become diagnostics in file coordinates.

    ``first_line`` is the 1-based file line holding the YAML's first line, so a mark at YAML
    line 0 is reported there.  ``rule`` names syntax errors and ``limit_rule`` documents over
    the caps; ``loader_for`` makes the loader (a ``GuardedSafeLoader`` subclass with tags of its
    own, such as the configuration files' ``!ENV``).
    """
    size = len(text.encode("utf-8", "replace"))
    if size > max_bytes:
        return YamlResult(
            diagnostics=[error("frontmatter-too-large", f"YAML block is {size} bytes (limit {max_bytes})", file, first_line)],
            ok=False,
        )
    loader = loader_for(text)
    loader.max_aliases = max_aliases
    loader.max_nodes = max_nodes
    loader.max_chars = max_bytes
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
        return YamlResult(value, node)
    except YamlLimitError as exc:
        mark = exc.problem_mark
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        return YamlResult(
            diagnostics=[error(limit_rule, str(exc.problem), file, first_line + line, column + 1)],
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
        if isinstance(exc.character, int):
            message = f"invalid YAML: unacceptable character #x{exc.character:04x}"
        else:
            message = f"invalid YAML: {exc}"
        return YamlResult(diagnostics=[error(rule, message, file, first_line + line, column + 1)], ok=False)
    except RecursionError:
        return YamlResult(diagnostics=[error(rule, "invalid YAML: nested too deeply", file, first_line)], ok=False)
    except Exception as exc:  # noqa: BLE001 - e.g. ValueError for `date: 2024-02-30`; never propagate
        return YamlResult(diagnostics=[error(rule, f"invalid YAML: {exc}", file, first_line)], ok=False)
    finally:
        loader.dispose()
