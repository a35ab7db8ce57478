"""Running the examples of a docs tree: ``check_examples`` for ``om-markdoc check``, and the
``ExampleSession`` the pytest plugin shares.

A tree is either a repository with ``mkdocs.yml`` (its ``docs_dir`` and the plugin's
``partials_dir``), or a bare tree in the OpenMetadata layout (``content/vX.Y.z``,
``content/partials``) with an optional ``om-markdoc.yml`` beside it.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..site.diagnostics import Diagnostic, display_path
from .bind import Binding, ExamplesConfig, bind, load_config, plugin_options, read_yaml
from .collect import Collector, Example, unique
from .validators import Problem, ValidatorConfigError, Validators

RULES: dict[str, str] = {
    "example-invalid": "a fenced example does not pass its validator (schema, unknown variable...)",
    "example-unparseable": "a fenced example is not valid YAML, JSON or environment syntax",
    "example-too-large": "a fenced example expands past the YAML alias/node caps (an alias bomb); not validated",
    "example-expected-invalid": 'an example marked expect="invalid" passes its validator',
    "example-config": "an example's validator cannot run (unknown name, missing schema file)",
}

PASSED, FAILED, SKIPPED, XFAILED, UNCHECKED = "passed", "failed", "skipped", "xfailed", "unchecked"


@dataclass
class Outcome:
    """What running one example gave.

    ``status``: ``passed``; ``failed`` (problems, or an ``expect="invalid"`` example that
    passed, or a configuration problem); ``xfailed`` (expected invalid, and it is); ``skipped``;
    ``unchecked`` (nothing binds it).
    """

    example: Example
    binding: Binding
    problems: list[Problem] = field(default_factory=list)
    status: str = PASSED

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def diagnostics(self) -> list[Diagnostic]:
        """The outcome as findings, each at its line and column in the example's file."""
        return [d for d, _ in self.findings()]

    def findings(self) -> list[tuple[Diagnostic, str | None]]:
        """``(diagnostic, JSON path or None)`` pairs."""
        example = self.example
        if self.status != FAILED:
            return []
        if not self.problems or (self.binding.expect == "invalid" and not any(p.rule == "example-config" for p in self.problems)):
            return [
                (Diagnostic(
                    "example-expected-invalid",
                    "error",
                    f'example is marked expect="invalid" but validator {self.binding.validator!r} accepts it',
                    example.file,
                    example.line,
                    1,
                    example.chain,
                ), None)
            ]
        out = []
        for problem in self.problems:
            line, column = example.locate(problem.text_offset(example))
            if problem.offset is None and problem.line is None:
                line, column = example.line, 1
            out.append((Diagnostic(problem.rule, "error", self.message(problem), example.file, line, column, example.chain), problem.json_path))
        return out

    def message(self, problem: Problem) -> str:
        text = problem.message
        if problem.json_path and problem.json_path != "$" and problem.json_path not in text:
            text += f" (at {problem.json_path})"
        if self.binding.validator and problem.rule != "example-config":
            text += f" [validator {self.binding.validator}]"
        return text


def _tree(root: Path) -> tuple[Path, Path | None, Path, str]:
    """``(docs dir, partials dir, display root, delimiters)`` of the tree at ``root``."""
    mkdocs = root / "mkdocs.yml"
    if mkdocs.is_file():
        data = read_yaml(mkdocs) or {}
        options = plugin_options(data)
        docs = root / str(data.get("docs_dir") or "docs")
        partials = options.get("partials_dir")
        partials_dir = root / partials if partials else next(
            (p for p in (root / "snippets", docs.parent / "partials", docs / "partials") if p.is_dir()), None
        )
        return docs, partials_dir, root, str(options.get("delimiters") or "curly")
    from ..site.layout import detect_layout

    layout = detect_layout(root)
    if layout.kind == "unknown":
        return root, (root / "partials") if (root / "partials").is_dir() else None, root, "curly"
    return layout.content_root, layout.partials_root, layout.display_root, "curly"


class ExampleSession:
    """The examples of one tree: collected with the site's renderer and partials, bound with its
    configuration, checked with validators built once."""

    def __init__(self, root: Path | str, *, config: Any = None) -> None:
        from ..dialect.pipeline import DialectRenderer
        from ..site.partials import PartialResolver, PartialStore

        self.root = Path(root).resolve()
        self.docs_dir, self.partials_dir, self.display_root, delimiters = _tree(self.root)
        self.config: ExamplesConfig = load_config(self.root, config)
        self.renderer = DialectRenderer(delimiters=delimiters)
        self.store = None
        if self.partials_dir is not None and self.partials_dir.is_dir():
            self.store = PartialStore(
                PartialResolver(self.partials_dir, display_root=self.display_root),
                lambda source, name: self.renderer.parse(source, name)[0],
            )
        open_delim = self.renderer.delimiter
        close = "%}" if open_delim == "{%" else "%>"
        self.collector = Collector(
            lambda source, name: self.renderer.parse(source, name)[0],
            partials=self.store,
            display_root=self.display_root,
            delimiter=open_delim,
            close=close,
        )
        self.validators = Validators(self.config.validators, self.config.base_dir)
        self._seen: set[tuple[Any, ...]] = set()

    # -- files -----------------------------------------------------------------------------

    def is_partial(self, path: Path) -> bool:
        if self.partials_dir is None:
            return False
        try:
            path.resolve().relative_to(self.partials_dir.resolve())
        except ValueError:
            return False
        return True

    def pages(self, patterns: Iterable[str] | None = None) -> list[Path]:
        """The ``.md`` pages of the docs dir (partials excluded), optionally filtered by globs on
        their display path."""
        found = []
        globs = list(patterns or [])
        for path in sorted(self.docs_dir.rglob("*.md")):
            if any(part.startswith(".") for part in path.relative_to(self.docs_dir).parts) or self.is_partial(path):
                continue
            if globs and not any(fnmatch.fnmatchcase(self.display(path), g) for g in globs):
                continue
            found.append(path)
        return found

    def display(self, path: Path) -> str:
        return display_path(path, self.display_root)

    # -- examples --------------------------------------------------------------------------

    def collect(self, path: Path | str) -> list[Example]:
        """Every example of a page (with its partials), not deduplicated."""
        path = Path(path)
        return self.collector.collect_file(path, file=self.display(path.resolve() if not path.is_absolute() else path))

    def bound(self, examples: Iterable[Example]) -> list[tuple[Example, Binding]]:
        return [(e, bind(e, self.config)) for e in examples]

    def new(self, example: Example, binding: Binding, seen: set[tuple[Any, ...]] | None = None) -> bool:
        """Whether this (example, binding) has not been seen yet (in ``seen``, by default in this
        session: the pytest plugin makes one item per distinct example across all pages)."""
        seen = self._seen if seen is None else seen
        key = (*example.key(), binding.validator, binding.expect, binding.skip)
        if key in seen:
            return False
        seen.add(key)
        return True

    def run(self, example: Example, binding: Binding | None = None, *, default_syntax: bool | None = None) -> Outcome:
        binding = binding or bind(example, self.config, default_syntax=default_syntax)
        if binding.skip:
            return Outcome(example, binding, [], SKIPPED)
        if binding.validator is None:
            return Outcome(example, binding, [], UNCHECKED)
        try:
            validator = self.validators.get(binding.validator)
        except ValidatorConfigError as exc:
            return Outcome(example, binding, [Problem(str(exc), rule="example-config")], FAILED)
        problems = validator(example)
        if any(p.rule == "example-config" for p in problems):
            return Outcome(example, binding, problems, FAILED)
        if binding.expect == "invalid":
            return Outcome(example, binding, problems, XFAILED if problems else FAILED)
        return Outcome(example, binding, problems, FAILED if problems else PASSED)

    def run_all(self, patterns: Iterable[str] | None = None, *, default_syntax: bool | None = None) -> list[Outcome]:
        """Every distinct example of the pages (``patterns``: globs on their display paths), run.
        ``default_syntax``: parse the examples nothing binds (see ``bind``)."""
        outcomes = []
        seen: set[tuple[Any, ...]] = set()
        for page in self.pages(patterns):
            for example in self.collect(page):
                binding = bind(example, self.config, default_syntax=default_syntax)
                if self.new(example, binding, seen):
                    outcomes.append(self.run(example, binding))
        return outcomes


def check_examples(
    root: Path | str, *, config: Any = None, paths: Iterable[str] | None = None, default_syntax: bool | None = None
) -> list[Diagnostic]:
    """Every problem of every fenced example under ``root``, as sorted ``Diagnostic`` objects.

    ``config``: an ``ExamplesConfig``, an ``examples`` mapping, or a YAML file (default: from
    ``mkdocs.yml`` or ``om-markdoc.yml``). ``paths``: globs on the pages' display paths
    (``docs/v1.7.x/deployment/**``) to check part of the tree. ``default_syntax``: whether the
    examples no rule binds are parsed as YAML, JSON or ``.env`` when they are written in one of
    those (``True``: always, even where the configuration says ``parse_unbound: false``;
    ``False``: never; ``None``: as the configuration says, which is yes unless told otherwise).
    A tree without any ``examples`` configuration gets that syntax check and nothing more.
    """
    session = ExampleSession(root, config=config)
    found: list[Diagnostic] = []
    for outcome in session.run_all(paths, default_syntax=default_syntax):
        found.extend(outcome.diagnostics())
    return sorted(found, key=Diagnostic.sort_key)


__all__ = ["RULES", "Outcome", "ExampleSession", "check_examples", "unique"]
