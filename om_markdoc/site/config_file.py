"""Reading ``mkdocs.yml`` and ``om-markdoc.yml``: the project's only YAML config loader.

``mkdocs.yml`` files carry MkDocs' own tags (``!ENV``, ``!relative``) and Python tags that
Material's documentation recommends (``!!python/name:material.extensions.emoji.twemoji``).  A
safe loader rejects them, and MkDocs' own loader would import code just to learn where the docs
folder is.  This loader gives each a harmless value instead: ``!ENV`` its variable's value or
default (as MkDocs would), ``!relative`` the config file's folder, Python tags their name as a
string.  Nothing here executes or imports anything named in the file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import error
from .yamlsafe import GuardedSafeLoader, load_yaml

CONFIG_NAMES = ("om-markdoc.yml", "om-markdoc.yaml", ".om-markdoc.yml")
"""Configuration files of a tree without ``mkdocs.yml`` (same keys as the plugin's options)."""
PLUGIN_NAMES = ("om-markdoc", "om_markdoc")
CONFIG_RULE = "config-yaml"
"""The rule of a configuration file that is no valid YAML or expands past the alias/node caps."""


class ConfigFileError(Exception):
    """A configuration file that cannot be read or has the wrong shape (the message is a
    ``file:line:column`` diagnostic when the problem is in the text)."""


class _TolerantLoader(GuardedSafeLoader):
    """The guarded safe loader plus harmless values for MkDocs' and Python's tags (see the
    module docstring); aliases are measured before anything is constructed."""

    config_dir: str = "."


def _env(loader: _TolerantLoader, node: yaml.Node) -> Any:
    """``!ENV VAR`` or ``!ENV [VAR, OTHER, default]``: the first variable set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1], items[-1] if items else None
        if len(items) == 1:
            names, default = items, None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


def _relative(loader: _TolerantLoader, node: yaml.Node) -> Any:
    suffix = loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else ""
    return os.path.join(loader.config_dir, str(suffix)) if suffix else loader.config_dir


def _named(loader: _TolerantLoader, suffix: str, node: yaml.Node) -> Any:
    """``!!python/name:x.y`` and friends: the dotted name as text, never imported."""
    return suffix or None


_TolerantLoader.add_constructor("!ENV", _env)
_TolerantLoader.add_constructor("!relative", _relative)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _named)
_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    """The mapping at the top of ``path`` (an empty file is an empty mapping)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(f"cannot read {path}: {exc}") from exc
    result = load_yaml(text, str(path), rule=CONFIG_RULE, limit_rule=CONFIG_RULE, loader_for=lambda t: _loader(t, path.parent))
    if not result.ok:
        raise ConfigFileError(result.diagnostics[0].format())
    data = result.value
    if data is None:
        return {}
    if not isinstance(data, dict):
        message = f"expected a mapping at the top level, not {type(data).__name__}"
        raise ConfigFileError(error("config-invalid", message, str(path)).format())
    return data


def _loader(text: str, config_dir: Path) -> _TolerantLoader:
    """A loader of ``text`` whose ``!relative`` means ``config_dir``."""
    loader = _TolerantLoader(text)
    loader.config_dir = str(config_dir)
    return loader


def option_position(path: Path, keys: Sequence[str | int]) -> tuple[int, int]:
    """The 1-based ``(line, column)`` in ``path`` of an option named by ``keys`` (``("check",
    "ignore", 0, "rules")``), looked up in the om-markdoc plugin's options of a ``mkdocs.yml``,
    else at the top of the file; the deepest key found when not all are, ``(1, 1)`` when none is.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1, 1
    node = load_yaml(text, str(path), loader_for=lambda t: _loader(t, path.parent)).node
    if node is None:
        return 1, 1
    root = _plugin_node(node) or node
    mark = None
    for key in keys:
        found = _child_node(root, key)
        if found is None:
            break
        mark, root = found
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _child_node(node: yaml.Node, key: str | int) -> tuple[Any, yaml.Node] | None:
    """``(mark of the key or item, value node)`` of ``key`` in a mapping or sequence node."""
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        return next(((k.start_mark, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key].start_mark, node.value[key]
    return None


def _plugin_node(node: yaml.Node) -> yaml.Node | None:
    """The node of the om-markdoc plugin's options under ``plugins:`` (a list or a mapping)."""
    found = _child_node(node, "plugins")
    entries = [] if found is None else found[1].value if isinstance(found[1], yaml.SequenceNode) else [found[1]]
    for entry in entries:
        for name in PLUGIN_NAMES:
            options = _child_node(entry, name)
            if options is not None:
                return options[1]
    return None


def plugin_options(config: dict[str, Any]) -> dict[str, Any] | None:
    """The ``om-markdoc`` plugin's options in a parsed ``mkdocs.yml`` (``None``: not enabled).

    ``plugins:`` may be a list (``- om-markdoc: {...}`` or ``- om-markdoc``) or a mapping."""
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins or []:
        if isinstance(entry, dict):
            for name in PLUGIN_NAMES:
                if name in entry:
                    options = entry[name]
                    return options if isinstance(options, dict) else {}
        elif entry in PLUGIN_NAMES:
            return {}
    return None


def find_config_file(folders: list[Path]) -> Path | None:
    """The first ``om-markdoc.yml`` (or variant) in ``folders``."""
    for name in CONFIG_NAMES:
        for folder in folders:
            if (folder / name).is_file():
                return folder / name
    return None
