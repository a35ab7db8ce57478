"""Validators: from an example's text to a list of ``Problem`` objects.

Built-in types (the ``type`` of a validator in the ``examples`` configuration):

``yaml`` / ``json``
    The text parses.
``jsonschema``
    The YAML or JSON text, optionally merged over a defaults document and placed at a JSON
    pointer, validates against a JSON Schema (Draft 7 or 2020-12; ``$ref`` across the files of
    a schema folder). Problems point at the offending key and carry its JSON path.
``helm-values``
    ``jsonschema`` with a Helm chart's ``values.schema.json``, over its ``values.yaml``.
``env``
    ``.env`` / ``docker run -e`` / ``export`` lines whose variable names a configuration
    template reads (``${VAR:-default}``), with "did you mean" suggestions.

Any other ``type`` is an entry point of the group ``om_markdoc.validators`` (or a
``module:function`` reference): a callable ``(example, options) -> list[problem]``.
"""

from __future__ import annotations

import bisect
import copy
import difflib
import importlib
import json
import os
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import unquote, urlparse

from .collect import Example
from .envfile import parse_env, resolve_template, template_variables
from .yamlmap import KeyMap, YamlSyntaxError, YamlTooLarge, format_path, load_documents

ENTRY_POINT_GROUP = "om_markdoc.validators"


@dataclass
class Problem:
    """What a validator found.

    Place it with ``offset`` (0-based, into ``example.text``) or ``line``/``column`` (1-based,
    within ``example.text``); with neither, it is reported at the example's first line. ``path``
    is the JSON path of the offending value when there is one. ``rule`` is
    ``example-invalid`` (the example is wrong), ``example-unparseable`` (not even parseable)
    or ``example-config`` (the validator itself could not run).
    """

    message: str
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    path: tuple[Any, ...] | None = None
    rule: str = "example-invalid"

    @property
    def json_path(self) -> str | None:
        return format_path(self.path) if self.path is not None else None

    def text_offset(self, example: Example) -> int:
        if self.offset is not None:
            return self.offset
        if self.line is not None:
            return example.offset_of(self.line - 1, (self.column or 1) - 1)
        return 0


class ValidatorConfigError(ValueError):
    """A validator cannot be built (unknown type, missing schema file...)."""


Validator = Callable[[Example], list[Problem]]


def _path(base: Path, value: Any, what: str) -> Path:
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise ValidatorConfigError(f"{what} must be a path")
    path = Path(value)
    path = path if path.is_absolute() else base / path
    if not path.exists():
        raise ValidatorConfigError(f"{what} {path} does not exist")
    return path


# -- parsing -----------------------------------------------------------------------------------


def parse_data(example: Example, *, fmt: str | None = None) -> tuple[list[tuple[Any, KeyMap]], list[Problem]]:
    """The documents of a YAML or JSON example with their key maps, or the syntax problem.

    JSON is YAML too, but ``json`` gives JSON's own messages for ``language: json`` examples.
    """
    fmt = fmt or ("json" if example.language.lower() in ("json", "jsonc") else "yaml")
    if fmt == "json":
        try:
            data = json.loads(example.text)
        except json.JSONDecodeError as exc:
            return [], [Problem(f"invalid JSON: {exc.msg}", offset=exc.pos, rule="example-unparseable")]
        try:  # key marks from the YAML composer (JSON is YAML 1.2; good enough for positions)
            keys = load_documents(example.text)[0].keys
        except (YamlSyntaxError, IndexError):
            keys = KeyMap()
        return [(data, keys)], []
    try:
        documents = load_documents(example.text)
    except YamlTooLarge as exc:
        offset = exc.mark.offset if exc.mark is not None else None
        return [], [Problem(f"YAML refused: {exc.message}", offset=offset, rule="example-too-large")]
    except YamlSyntaxError as exc:
        offset = exc.mark.offset if exc.mark is not None else None
        return [], [Problem(f"invalid YAML: {exc.message}", offset=offset, rule="example-unparseable")]
    return [(d.data, d.keys) for d in documents], []


def yaml_validator(name: str, options: Mapping[str, Any], base: Path) -> Validator:
    def check(example: Example) -> list[Problem]:
        return parse_data(example, fmt="yaml")[1]

    return check


def json_validator(name: str, options: Mapping[str, Any], base: Path) -> Validator:
    def check(example: Example) -> list[Problem]:
        return parse_data(example, fmt="json")[1]

    return check


# -- JSON Schema -------------------------------------------------------------------------------


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
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return False
    return True


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


def _property_index(schema: Any, resolve: Callable[[str], Any], limit: int = 20000) -> dict[str, list[tuple[str, ...]]]:
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
            schema_path = _path(base, file_part, f"validator {name!r}: schema")
            folder = _path(base, folder_opt, f"validator {name!r}: schemas") if folder_opt else schema_path.parent
        else:
            first = next(iter(sections.values()))
            folder = _path(base, folder_opt, f"validator {name!r}: schemas") if folder_opt else _path(base, str(first).partition("#")[0], f"validator {name!r}: schema").parent
        self.folder = SchemaFolder(folder, spec)

        self.defaults: Any = None
        self.defaults_keys: set[str] = set()
        if options.get("defaults"):
            self.defaults = self._load_defaults(_path(base, options["defaults"], f"validator {name!r}: defaults"), options.get("template"))
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
                path = _path(base, file_part, f"validator {name!r}: schema for {key!r}")
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
        reads it, with each placeholder replaced by its default; places map back to the text."""
        from .envfile import resolve_template_mapped

        text, segments = resolve_template_mapped(example.text)
        shadow = Example(example.file, example.line, example.language, text, text, segments=[(0, 0, True)])
        documents, problems = parse_data(shadow)
        if not problems:
            for data, keys in documents:
                problems.extend(self.check_data(data, keys))
        starts = [s[0] for s in segments]
        for problem in problems:
            if problem.offset is not None:
                out_start, raw_start, literal = segments[max(0, bisect.bisect_right(starts, problem.offset) - 1)]
                problem.offset = raw_start + (problem.offset - out_start) if literal else raw_start
                if not literal:
                    problem.message += " (after substituting the placeholder's default)"
        return problems

    def check_data(self, data: Any, keys: KeyMap) -> list[Problem]:
        from referencing.exceptions import Unresolvable

        document = _place(data, self.pointer)
        if self.defaults is not None:
            document = _deep_merge(copy.deepcopy(self.defaults), document)
        try:
            errors = list(self.validator.iter_errors(document))
        except Unresolvable as exc:
            return [Problem(f"schema reference cannot be resolved: {exc}", rule="example-config")]
        problems: list[Problem] = []
        for error in errors:
            problems.extend(self._problems(error, data, keys))
        unique: dict[tuple[Any, ...], Problem] = {}
        for problem in problems:
            unique.setdefault((problem.offset, problem.message), problem)
        return sorted(unique.values(), key=lambda p: (p.offset or 0, p.message))

    def _problems(self, error: Any, data: Any, keys: KeyMap) -> list[Problem]:
        out: list[Problem] = []
        for leaf in _leaves(error):
            out.extend(self._leaf_problems(leaf, data, keys))
        return out

    def _leaf_problems(self, error: Any, data: Any, keys: KeyMap) -> list[Problem]:
        full = tuple(error.absolute_path)
        depth = len(self.pointer)
        if tuple(full[:depth]) != tuple(self.pointer):
            return []  # outside the example: the defaults' own business
        path = full[depth:]
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

                self._index = _property_index(self._root, resolve)
        places = [p for p in self._index.get(key, []) if tuple(p[:-1]) != tuple(str(x) for x in path)]
        if places:
            shown = " or ".join(format_path(p) for p in places[:2])
            return f" ({key!r} belongs under {shown[: -len(key) - 1] if len(places) == 1 else shown})"
        return ""

    @staticmethod
    def _at(message: str, path: tuple[Any, ...], keys: KeyMap) -> Problem:
        _, mark = keys.nearest(path)
        return Problem(message, offset=mark.offset, path=path)


def helm_values_validator(name: str, options: Mapping[str, Any], base: Path) -> JsonSchemaValidator:
    """``chart``: a chart folder (its ``values.schema.json``, over its ``values.yaml``), or
    ``schema`` (+ ``defaults``) as for ``jsonschema``."""
    opts = dict(options)
    chart = opts.pop("chart", None)
    if chart:
        folder = _path(base, chart, f"validator {name!r}: chart")
        opts.setdefault("schema", str(_path(folder, "values.schema.json", f"validator {name!r}: chart schema")))
        if (folder / "values.yaml").is_file() and opts.get("defaults", True) is not False:
            opts.setdefault("defaults", str(folder / "values.yaml"))
            opts.setdefault("template", False)
        if opts.get("defaults") is True:
            opts.pop("defaults")
    opts.setdefault("draft", "7")
    return JsonSchemaValidator(name, opts, base)


# -- environment variables ----------------------------------------------------------------------


class EnvValidator:
    """Options: ``template`` (a file whose ``${VAR}`` placeholders are the known names; a list
    of files is fine), ``names`` (extra names), ``names_from`` (JSON/YAML files whose top-level
    keys are names), ``mode`` (``auto``, ``dotenv``, ``docker``, ``shell``). Without any source
    of names only the syntax is checked."""

    def __init__(self, name: str, options: Mapping[str, Any], base: Path) -> None:
        self.name = name
        self.mode = str(options.get("mode") or "auto")
        self.known: set[str] | None = None
        sources: list[str] = []
        templates = options.get("template")
        for template in [templates] if isinstance(templates, str) else list(templates or []):
            path = _path(base, template, f"validator {name!r}: template")
            self.known = (self.known or set()) | set(template_variables(path.read_text(encoding="utf-8")))
            sources.append(path.name)
        names_from = options.get("names_from")
        for source in [names_from] if isinstance(names_from, str) else list(names_from or []):
            path = _path(base, source, f"validator {name!r}: names_from")
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else load_documents(text, with_keys=False)[0].data
            self.known = (self.known or set()) | {str(k) for k in (data or {})}
            sources.append(path.name)
        if options.get("names"):
            self.known = (self.known or set()) | {str(n) for n in options["names"]}
        self.source = " and ".join(sources) or "the configuration"
        self._sorted = sorted(self.known or ())

    def __call__(self, example: Example) -> list[Problem]:
        entries, errors = parse_env(example.text, mode=self.mode)
        problems = [
            Problem(f"invalid environment syntax: {e.message}", line=e.line + 1, column=e.column + 1, rule="example-unparseable")
            for e in errors
        ]
        if self.known is not None:
            for entry in entries:
                if entry.name in self.known:
                    continue
                message = f"unknown variable {entry.name}: {self.source} does not read it"
                close = difflib.get_close_matches(entry.name, self._sorted, n=2, cutoff=0.75)
                if close:
                    message += " (did you mean " + " or ".join(close) + "?)"
                problems.append(Problem(message, line=entry.line + 1, column=entry.column + 1))
        return problems


# -- custom validators ---------------------------------------------------------------------------


def _normalise(found: Any) -> list[Problem]:
    if found is None or found is True:
        return []
    if found is False:
        return [Problem("the validator rejected the example")]
    if isinstance(found, (str, Problem, Mapping, tuple)):
        found = [found]
    out: list[Problem] = []
    for item in found:
        if isinstance(item, Problem):
            out.append(item)
        elif isinstance(item, str):
            out.append(Problem(item))
        elif isinstance(item, Mapping):
            path = item.get("path")
            out.append(
                Problem(
                    str(item.get("message", "invalid")),
                    line=item.get("line"),
                    column=item.get("column"),
                    offset=item.get("offset"),
                    path=tuple(path) if isinstance(path, (list, tuple)) else ((path,) if path is not None else None),
                    rule=str(item.get("rule", "example-invalid")),
                )
            )
        elif isinstance(item, tuple) and item:
            out.append(Problem(str(item[0]), line=item[1] if len(item) > 1 else None, column=item[2] if len(item) > 2 else None))
        else:
            out.append(Problem(str(item)))
    return out


def load_callable(kind: str) -> Callable[..., Any]:
    """An entry point of ``om_markdoc.validators`` named ``kind``, or a ``module:attr`` reference."""
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == kind:
            return entry.load()
    if ":" in kind:
        module, _, attribute = kind.partition(":")
        try:
            target: Any = importlib.import_module(module)
            for part in attribute.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError) as exc:
            raise ValidatorConfigError(f"cannot load validator {kind!r}: {exc}") from None
        return target
    raise ValidatorConfigError(f"unknown validator type {kind!r} (not built in, no entry point in {ENTRY_POINT_GROUP})")


def custom_validator(name: str, kind: str, options: Mapping[str, Any], base: Path) -> Validator:
    function = load_callable(kind)
    opts = {k: v for k, v in options.items() if k != "type"}
    opts.setdefault("base_dir", str(base))

    def check(example: Example) -> list[Problem]:
        try:
            return _normalise(function(example, opts))
        except Exception as exc:  # noqa: BLE001 - a broken plugin is a finding, not a crash
            return [Problem(f"validator {name!r} raised {type(exc).__name__}: {exc}", rule="example-config")]

    return check


BUILTIN: dict[str, Callable[[str, Mapping[str, Any], Path], Validator]] = {
    "yaml": yaml_validator,
    "json": json_validator,
    "jsonschema": JsonSchemaValidator,
    "helm-values": helm_values_validator,
    "env": EnvValidator,
}


def build_validator(name: str, spec: Mapping[str, Any], base: Path) -> Validator:
    """A validator from its configuration ``spec`` (``{"type": ..., **options}``)."""
    kind = str(spec.get("type") or "")
    if not kind:
        raise ValidatorConfigError(f"validator {name!r} has no 'type'")
    factory = BUILTIN.get(kind)
    if factory is not None:
        return factory(name, {k: v for k, v in spec.items() if k != "type"}, base)
    return custom_validator(name, kind, spec, base)


class Validators:
    """Named validators of one configuration, built on first use and kept (schemas are costly).

    The built-in types are also available under their own names (``yaml``, ``json``, ``env``)
    unless the configuration defines a validator of that name.
    """

    def __init__(self, specs: Mapping[str, Mapping[str, Any]], base: Path) -> None:
        self.specs = {**{n: {"type": n} for n in ("yaml", "json", "env")}, **dict(specs)}
        self.base = base
        self._built: dict[str, Validator | ValidatorConfigError] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Validator:
        with self._lock:
            found = self._built.get(name)
            if found is None:
                spec = self.specs.get(name)
                if spec is None:
                    known = ", ".join(sorted(self.specs))
                    close = difflib.get_close_matches(name, list(self.specs), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    found = ValidatorConfigError(f"no validator named {name!r}{hint}; configured: {known}")
                else:
                    try:
                        found = build_validator(name, spec, self.base)
                    except ValidatorConfigError as exc:
                        found = exc
                    except Exception as exc:  # noqa: BLE001 - e.g. a schema that is not JSON
                        found = ValidatorConfigError(f"validator {name!r} cannot be built: {type(exc).__name__}: {exc}")
                self._built[name] = found
        if isinstance(found, ValidatorConfigError):
            raise found
        return found

    def names(self) -> Iterable[str]:
        return self.specs.keys()
