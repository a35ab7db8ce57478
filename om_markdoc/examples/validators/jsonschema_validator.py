"""``jsonschema``: YAML or JSON data, optionally merged over a defaults document and placed at a
JSON pointer, validated against a JSON Schema; problems at the offending key, with its path."""

from __future__ import annotations

import bisect
import copy
import difflib
import json
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..envfile import resolve_template
from ..example import Example
from ..yamlmap import KeyMap, YamlSyntaxError, format_path, load_documents
from .base import Problem, ValidatorConfigError, config_path
from .schemas import SchemaFolder, property_index
from .yaml_json import parse_data


def _deep_merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _deep_merge(base[key], value) if key in base else value
        return out
    return over


def _pointer_parts(pointer: str) -> list[str]:
    if not pointer or pointer == "/":
        return []
    if not pointer.startswith("/"):
        raise ValidatorConfigError(f"pointer {pointer!r} must start with '/'")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _place(data: Any, parts: list[str]) -> Any:
    for part in reversed(parts):
        data = {part: data}
    return data


def _contains(data: Any, path: tuple[Any, ...]) -> bool:
    """Whether ``path`` names a value inside ``data``."""
    for part in path:
        if isinstance(data, dict) and part in data or isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return False
    return True


_BLANK = "placeholder"
"""What a reader placeholder default becomes: a plain word, valid YAML wherever it stands."""


def _paths_at(keys: KeyMap, offsets: list[int]) -> list[tuple[Any, ...]]:
    """The data paths of the scalars that hold the given offsets (the value that starts last at
    or before each offset; the root does not count)."""
    if not offsets:
        return []
    starts = sorted((mark.offset, path) for path, mark in keys.values.items() if path)
    positions = [offset for offset, _ in starts]
    found = []
    for offset in offsets:
        index = bisect.bisect_right(positions, offset) - 1
        if index >= 0:
            found.append(starts[index][1])
    return found


def _inside(path: tuple[Any, ...] | None, opaque: tuple[tuple[Any, ...], ...]) -> bool:
    return path is not None and any(tuple(path[: len(o)]) == o for o in opaque)


def _leaves(error: Any) -> list[Any]:
    """The errors to report for ``error``: for an ``anyOf``/``oneOf`` whose branches all fail,
    the errors of the one branch the value's type fits (``[ref, null]`` unions, mostly)."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    depth = len(error.absolute_path)
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
    fitting = [
        errors
        for errors in branches.values()
        if not any(e.validator in ("type", "enum", "const") and len(e.absolute_path) == depth for e in errors)
    ]
    if len(fitting) != 1:
        return [error]
    out: list[Any] = []
    for sub in fitting[0]:
        out.extend(_leaves(sub))
    return out


class JsonSchemaValidator:
    """See the module docstring. Options (paths relative to the configuration's ``base_dir``):

    ``schema``       a schema file (``file.json`` or ``file.json#/$defs/Part``), or
    ``properties``   a mapping of top-level key → schema file, for documents made of sections
                     (``additional: false`` then refuses other top-level keys, except those of
                     the defaults document);
    ``schemas``      the folder ``$ref`` resolves in (default: the schema file's folder);
    ``defaults``     a YAML document the example is deep-merged over (a template's
                     ``${VAR:-default}`` are resolved to their defaults first);
    ``pointer``      a JSON pointer where the example goes in the document (``/a/b``);
    ``draft``        ``7`` or ``2020-12`` when the schema does not say;
    ``substitute``   resolve ``${VAR:-default}`` in the example itself first (default true).
    """

    def __init__(self, name: str, options: Mapping[str, Any], base: Path) -> None:
        import jsonschema
        from referencing import jsonschema as refspecs

        self.name = name
        self.options = dict(options)
        draft = str(options.get("draft", "")).strip()
        default_cls = jsonschema.Draft7Validator if draft in ("7", "draft7", "draft-07") else jsonschema.Draft202012Validator
        spec = refspecs.DRAFT7 if default_cls is jsonschema.Draft7Validator else refspecs.DRAFT202012

        schema_ref = options.get("schema")
        sections = options.get("properties")
        if schema_ref is None and not sections:
            raise ValidatorConfigError(f"validator {name!r}: set 'schema' or 'properties'")
        folder_opt = options.get("schemas")
        if schema_ref is not None:
            file_part, _, fragment = str(schema_ref).partition("#")
            schema_path = config_path(base, file_part, f"validator {name!r}: schema")
            folder = config_path(base, folder_opt, f"validator {name!r}: schemas") if folder_opt else schema_path.parent
        else:
            first = next(iter(sections.values()))
            folder = config_path(base, folder_opt, f"validator {name!r}: schemas") if folder_opt else config_path(base, str(first).partition("#")[0], f"validator {name!r}: schema").parent
        self.folder = SchemaFolder(folder, spec)

        self.defaults: Any = None
        self.defaults_keys: set[str] = set()
        if options.get("defaults"):
            self.defaults = self._load_defaults(config_path(base, options["defaults"], f"validator {name!r}: defaults"), options.get("template"))
            if isinstance(self.defaults, dict):
                self.defaults_keys = {str(k) for k in self.defaults}
        self.pointer = _pointer_parts(str(options.get("pointer") or ""))
        self.substitute = bool(options.get("substitute", True))

        if schema_ref is not None:
            uri = schema_path.resolve().as_uri()
            root = self.folder.load(schema_path) if schema_path.is_relative_to(folder) else json.loads(schema_path.read_text(encoding="utf-8"))
            if fragment:
                schema: Any = {"$id": uri + ".fragment", "$ref": uri + "#" + fragment}
            elif isinstance(root, dict) and not (isinstance(root.get("$id"), str) and urlparse(root["$id"]).scheme):
                schema = {**root, "$id": uri}  # relative $refs resolve beside the file
            else:
                schema = root
        else:
            props: dict[str, Any] = {}
            for key, ref in sections.items():
                file_part, _, fragment = str(ref).partition("#")
                path = config_path(base, file_part, f"validator {name!r}: schema for {key!r}")
                props[str(key)] = {"$ref": path.resolve().as_uri() + ("#" + fragment if fragment else "")}
            schema = {"$id": (folder / "__sections__.json").resolve().as_uri(), "type": "object", "properties": props}
            if options.get("additional") is False:
                for key in self.defaults_keys:
                    props.setdefault(key, {})
                schema["additionalProperties"] = False
            root = schema
        declared = schema.get("$schema") if isinstance(schema, dict) else None
        if not declared and isinstance(root, dict):
            declared = root.get("$schema")
        cls = jsonschema.validators.validator_for({"$schema": declared}, default=default_cls) if declared else default_cls
        self.schema = schema
        self.validator = cls(schema, registry=self.folder.registry)
        self._root = root
        self._index: dict[str, list[tuple[str, ...]]] | None = None
        self._lock = threading.Lock()

    @staticmethod
    def _load_defaults(path: Path, template: Any) -> Any:
        text = path.read_text(encoding="utf-8")
        if template is True or (template is None and "${" in text):
            text = resolve_template(text)
        try:
            documents = load_documents(text, with_keys=False)
        except YamlSyntaxError as exc:
            raise ValidatorConfigError(f"defaults {path} is not YAML: {exc.message}") from None
        return documents[0].data if documents else None

    # -- running -------------------------------------------------------------------------

    def __call__(self, example: Example) -> list[Problem]:
        if self.substitute and "${" in example.text:
            return self._substituted(example)
        documents, problems = parse_data(example)
        if problems:
            return problems
        out: list[Problem] = []
        for data, keys in documents:
            out.extend(self.check_data(data, keys))
        return out

    def _substituted(self, example: Example) -> list[Problem]:
        """An example written as a template (``key: ${VAR:-default}``) is checked as the server
        reads it, with each placeholder replaced by its default; places map back to the text.

        A default left for the reader to fill (``${URL:-[{your domain}/jwks]}``) is not a value:
        it is read as an opaque string, and only the key holding it is checked."""
        from ..envfile import resolve_template_mapped

        text, segments = resolve_template_mapped(example.text, blank=_BLANK)
        shadow = Example(example.file, example.line, example.language, text, text)
        blanks = [s.out for s in segments if not s.literal and text.startswith(_BLANK, s.out)]
        documents, problems = parse_data(shadow)
        if not problems:
            for data, keys in documents:
                problems.extend(self.check_data(data, keys, opaque=_paths_at(keys, blanks)))
        starts = [s.out for s in segments]
        for problem in problems:
            if problem.offset is not None:
                segment = segments[max(0, bisect.bisect_right(starts, problem.offset) - 1)]
                problem.offset = segment.raw + (problem.offset - segment.out) if segment.literal else segment.raw
                if not segment.literal:
                    problem.message += " (after substituting the placeholder's default)"
        return problems

    def check_data(self, data: Any, keys: KeyMap, *, opaque: Iterable[tuple[Any, ...]] = ()) -> list[Problem]:
        """Problems of one document; values at ``opaque`` paths (reader placeholders) are not
        checked, only the keys that hold them."""
        from referencing.exceptions import Unresolvable

        opaque = tuple(opaque)
        document = _place(data, self.pointer)
        if self.defaults is not None:
            document = _deep_merge(copy.deepcopy(self.defaults), document)
        try:
            errors = list(self.validator.iter_errors(document))
        except Unresolvable as exc:
            return [Problem(f"schema reference cannot be resolved: {exc}", rule="example-config")]
        problems: list[Problem] = []
        for error in errors:
            problems.extend(self._problems(error, data, keys, opaque))
        unique: dict[tuple[Any, ...], Problem] = {}
        for problem in problems:
            unique.setdefault((problem.offset, problem.message), problem)
        return sorted(unique.values(), key=lambda p: (p.offset or 0, p.message))

    def _problems(self, error: Any, data: Any, keys: KeyMap, opaque: tuple[tuple[Any, ...], ...] = ()) -> list[Problem]:
        out: list[Problem] = []
        for leaf in _leaves(error):
            out.extend(self._leaf_problems(leaf, data, keys, opaque))
        return out

    def _leaf_problems(self, error: Any, data: Any, keys: KeyMap, opaque: tuple[tuple[Any, ...], ...] = ()) -> list[Problem]:
        full = tuple(error.absolute_path)
        depth = len(self.pointer)
        if tuple(full[:depth]) != tuple(self.pointer):
            return []  # outside the example: the defaults' own business
        path = full[depth:]
        if _inside(path, opaque) and error.validator not in ("additionalProperties", "unevaluatedProperties", "propertyNames"):
            return []  # a value left for the reader to fill: its key is checked, not its type
        if self.defaults is not None and not _contains(data, path):
            return []  # a value the example does not set comes from the defaults
        if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
            extras = self._extras(error)
            if extras:
                out = []
                for extra in extras:
                    key_path = (*path, extra)
                    if keys.mark(key_path) is None and self.defaults is not None:
                        continue
                    message = f"{extra!r} is not allowed here" + self._hint(extra, error, (*self.pointer, *path))
                    out.append(self._at(message, key_path, keys))
                return out
        if not isinstance(error.instance, (dict, list)) and keys.values.get(tuple(path)) is not None:
            return [Problem(error.message, offset=keys.values[tuple(path)].offset, path=path)]
        return [self._at(error.message, path, keys)]

    @staticmethod
    def _extras(error: Any) -> list[str]:
        import re

        schema = error.schema if isinstance(error.schema, dict) else {}
        known = set(schema.get("properties") or {})
        patterns = [re.compile(p) for p in (schema.get("patternProperties") or {})]
        return [k for k in error.instance if k not in known and not any(p.search(str(k)) for p in patterns)]

    def _hint(self, key: str, error: Any, path: tuple[Any, ...]) -> str:
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = [str(k) for k in (schema.get("properties") or {})]
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
        if close:
            return f" (did you mean {close[0]!r}?)"
        with self._lock:
            if self._index is None:
                resolver = self.validator._resolver  # noqa: SLF001 - the public API has no pointer lookup

                def resolve(ref: str) -> Any:
                    try:
                        return resolver.lookup(ref).contents
                    except Exception:  # noqa: BLE001
                        return None

                self._index = property_index(self._root, resolve)
        places = [p for p in self._index.get(key, []) if tuple(p[:-1]) != tuple(str(x) for x in path)]
        if places:
            shown = " or ".join(format_path(p) for p in places[:2])
            return f" ({key!r} belongs under {shown[: -len(key) - 1] if len(places) == 1 else shown})"
        return ""

    @staticmethod
    def _at(message: str, path: tuple[Any, ...], keys: KeyMap) -> Problem:
        _, mark = keys.nearest(path)
        return Problem(message, offset=mark.offset, path=path)
