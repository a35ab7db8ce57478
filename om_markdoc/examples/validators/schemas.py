"""Loading JSON Schemas: a folder of schema files as a ``referencing`` registry, and the index
of property names used for "belongs under" hints."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse


class SchemaFolder:
    """The JSON files of a folder as a ``referencing`` registry.

    Every file is reachable by its ``$id`` and by its ``file:`` URI; a reference nobody
    registered (an ``$id`` whose path does not match the file's place, as happens upstream) is
    retrieved by the longest trailing part of its path that names a file of the folder.
    """

    def __init__(self, folder: Path, default_spec: Any) -> None:
        from referencing import Registry, Resource
        from referencing.exceptions import NoSuchResource

        self.folder = folder
        self.default_spec = default_spec
        self.files: dict[str, Path] = {}
        for path in sorted(folder.rglob("*.json")):
            self.files[path.relative_to(folder).as_posix()] = path
        self._by_name: dict[str, list[Path]] = {}
        for path in self.files.values():
            self._by_name.setdefault(path.name, []).append(path)
        self._cache: dict[Path, Any] = {}

        def retrieve(uri: str) -> Any:
            path = self._find(uri)
            if path is None:
                raise NoSuchResource(ref=uri)
            return Resource.from_contents(self.load(path), default_specification=self.default_spec)

        registry = Registry(retrieve=retrieve)
        for path in self.files.values():
            contents = self.load(path)
            resource = Resource.from_contents(contents, default_specification=self.default_spec)
            registry = registry.with_resource(path.resolve().as_uri(), resource)
            ident = contents.get("$id") if isinstance(contents, dict) else None
            if isinstance(ident, str) and urlparse(ident).scheme:
                registry = registry.with_resource(ident.split("#")[0], resource)
        self.registry = registry

    def load(self, path: Path) -> Any:
        if path not in self._cache:
            self._cache[path] = json.loads(path.read_text(encoding="utf-8"))
        return self._cache[path]

    def _find(self, uri: str) -> Path | None:
        parts = [p for p in unquote(urlparse(uri).path).split("/") if p and p != "."]
        for start in range(len(parts)):
            candidate = self.files.get("/".join(parts[start:]))
            if candidate is not None:
                return candidate
        named = self._by_name.get(parts[-1], []) if parts else []
        return named[0] if len(named) == 1 else None


def property_index(schema: Any, resolve: Callable[[str], Any], limit: int = 20000) -> dict[str, list[tuple[str, ...]]]:
    """Property name → the schema paths it is defined at (for "belongs under" hints)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    stack: list[tuple[Any, tuple[str, ...], int]] = [(schema, (), 0)]
    visited = 0
    seen_refs: set[tuple[str, int]] = set()
    while stack and visited < limit:
        node, path, depth = stack.pop()
        visited += 1
        if not isinstance(node, dict) or depth > 12:
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#") and (ref, len(path)) not in seen_refs:
            seen_refs.add((ref, len(path)))
            target = resolve(ref)
            if target is not None:
                stack.append((target, path, depth + 1))
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key) or []:
                stack.append((sub, path, depth + 1))
        for name, sub in (node.get("properties") or {}).items():
            index.setdefault(name, []).append((*path, name))
            stack.append((sub, (*path, name), depth + 1))
    return index
