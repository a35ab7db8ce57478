"""``env``: ``.env`` / ``docker run -e`` / ``export`` lines, their syntax and (with a template or
a list of names) whether each variable is one the configuration reads."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..envfile import parse_env, template_variables
from ..example import Example
from ..yamlmap import load_documents
from .base import Problem, config_path


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
            path = config_path(base, template, f"validator {name!r}: template")
            self.known = (self.known or set()) | set(template_variables(path.read_text(encoding="utf-8")))
            sources.append(path.name)
        names_from = options.get("names_from")
        for source in [names_from] if isinstance(names_from, str) else list(names_from or []):
            path = config_path(base, source, f"validator {name!r}: names_from")
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
