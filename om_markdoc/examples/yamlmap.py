"""YAML documents together with where each key and item sits in the text.

A schema error names a place in the data (``authenticationConfiguration.oidcConfiguration.id``);
a reader wants the line of the docs page. ``load_documents`` parses a YAML text once, through the
composer, and keeps the start mark of every mapping key and sequence item beside the data, so a
data path can be turned back into a 0-based ``(line, column, offset)`` inside the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..site.yamlsafe import DEFAULT_MAX_ALIASES, DEFAULT_MAX_NODES, YamlLimitError, measure_node_graph

try:  # the C loader is 5-10x faster and keeps marks too
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Path = tuple[Any, ...]


@dataclass(frozen=True)
class Mark:
    """A 0-based place in the text: ``line``, ``column`` and character ``offset``."""

    line: int
    column: int
    offset: int


@dataclass
class KeyMap:
    """Data path → mark of the key (for mapping entries) or of the item (for sequence items).

    The root path ``()`` maps to the start of the document.
    """

    marks: dict[Path, Mark] = field(default_factory=dict)
    values: dict[Path, Mark] = field(default_factory=dict)

    def __contains__(self, path: object) -> bool:
        return tuple(path) in self.marks if isinstance(path, (tuple, list)) else False

    def mark(self, path: Iterable[Any]) -> Mark | None:
        """The mark of ``path`` itself, or ``None`` when the text does not contain it."""
        return self.marks.get(tuple(path))

    def shifted(self, delta: int) -> KeyMap:
        """The same marks ``delta`` characters further on (the text lost or gained a prefix on its
        first line)."""

        def move(mark: Mark) -> Mark:
            column = mark.column + delta if mark.line == 0 else mark.column
            return Mark(mark.line, max(0, column), max(0, mark.offset + delta))

        return KeyMap({p: move(m) for p, m in self.marks.items()}, {p: move(m) for p, m in self.values.items()})

    def nearest(self, path: Iterable[Any]) -> tuple[Path, Mark]:
        """The deepest prefix of ``path`` the text contains, with its mark (at worst the root)."""
        parts = tuple(path)
        for end in range(len(parts), -1, -1):
            found = self.marks.get(parts[:end])
            if found is not None:
                return parts[:end], found
        return (), Mark(0, 0, 0)


@dataclass
class YamlDocument:
    data: Any
    keys: KeyMap


class YamlSyntaxError(ValueError):
    """A YAML text that does not parse; ``mark`` is where the parser gave up."""

    def __init__(self, message: str, mark: Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class YamlTooLarge(YamlSyntaxError):
    """A YAML text over the alias/node caps (an alias bomb): refused before it is built."""


def _mark(node_mark: Any) -> Mark:
    return Mark(node_mark.line, node_mark.column, node_mark.index)


def _scalar_key(loader: Any, node: yaml.Node) -> Any:
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value if isinstance(node, yaml.ScalarNode) else None
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _index(loader: Any, root: yaml.Node, keys: KeyMap) -> None:
    """Record the marks of every key and item below ``root`` (iterative; aliases visited once)."""
    keys.marks[()] = _mark(root.start_mark)
    keys.values[()] = _mark(root.start_mark)
    stack: list[tuple[yaml.Node, Path]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *base` keeps the parent's paths
                    stack.append((value_node, path))
                    continue
                child = (*path, _scalar_key(loader, key_node))
                keys.marks.setdefault(child, _mark(key_node.start_mark))
                keys.values.setdefault(child, _mark(value_node.start_mark))
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                keys.marks.setdefault(child, _mark(item.start_mark))
                keys.values.setdefault(child, _mark(item.start_mark))
                stack.append((item, child))


def load_documents(text: str, *, with_keys: bool = True) -> list[YamlDocument]:
    """Every document of a YAML text, with its key map (empty documents give ``None`` data).

    Raises ``YamlSyntaxError`` (with the parser's mark) when the text is not YAML.
    """
    loader = _Loader(text)
    documents: list[YamlDocument] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            keys = KeyMap()
            if node is None:
                documents.append(YamlDocument(None, keys))
                continue
            # Alias bombs ("billion laughs") expand to more nodes than any config example has:
            # measured on the composed graph, before anything is built from it.
            measure_node_graph(node, DEFAULT_MAX_ALIASES, DEFAULT_MAX_NODES)
            if with_keys:
                _index(loader, node, keys)
            data = loader.construct_document(node)
            documents.append(YamlDocument(data, keys))
    except YamlLimitError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlTooLarge(exc.problem or str(exc), _mark(mark) if mark is not None else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = exc.context_mark  # the parser ran off the end: point at what it was parsing
        message = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        raise YamlSyntaxError(message, _mark(mark) if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc), None) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. out-of-range timestamps
        raise YamlSyntaxError(f"cannot construct value: {exc}", None) from None
    finally:
        loader.dispose()
    return documents


def format_path(path: Iterable[Any]) -> str:
    """A JSONPath-style rendering: ``$.a.b[0]['odd key']``."""
    out = "$"
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and part.replace("_", "a").replace("-", "a").isalnum() and not part[:1].isdigit():
            out += f".{part}"
        else:
            out += f"[{str(part)!r}]"
    return out
