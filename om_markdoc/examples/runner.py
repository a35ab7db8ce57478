"""Running the examples of a docs tree: ``check_examples`` for ``om-markdoc check``, and the
``ExampleSession`` the pytest plugin shares.

The tree, its partials, renderer settings and ``examples:`` configuration come from the project
model (``om_markdoc.site.project.Project``), as for every other front door.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..diagnostics import Diagnostic
from ..site.pages import iter_page_files
from ..site.project import Project
from .bind import Binding, ExamplesConfig, bind, load_config
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


class ExampleSession:
    """The examples of one project: collected with the project's renderer and partials, bound
    with its ``examples:`` configuration (or ``config``, which overrides it), checked with
    validators built once.  File names are relative to the project root, as in every other
    diagnostic."""

    def __init__(self, project: Project, *, config: Any = None) -> None:
        self.project = project
        self.root = project.root
        self.docs_dir = project.docs_root
        if config is None:
            source = str(project.config_file or project.root)
            self.config: ExamplesConfig = ExamplesConfig.from_mapping(project.settings.examples, project.root, source=source)
        else:
            self.config = load_config(project.root, config)
        self.renderer = project.renderer()
        self.store = project.partial_store(self.renderer)
        open_delim = self.renderer.delimiter
        close = "%}" if open_delim == "{%" else "%>"
        self.collector = Collector(
            lambda source, name: self.renderer.parse(source, name)[0],
            partials=self.store,
            display_root=self.root,
            delimiter=open_delim,
            close=close,
        )
        self.validators = Validators(self.config.validators, self.config.base_dir)
        self._seen: set[tuple[Any, ...]] = set()

    # -- files -----------------------------------------------------------------------------

    def is_partial(self, path: Path) -> bool:
        return self.project.is_partial(path)

    def pages(self, patterns: Iterable[str] | None = None) -> list[Path]:
        """The project's pages (every version, then unversioned pages), optionally filtered by
        globs on their display path."""
        globs = list(patterns or [])
        found = []
        for source in self.project.sources():
            for path, _rel in iter_page_files(source.directory, skip_dirs=source.skip_dirs):
                if not globs or any(fnmatch.fnmatchcase(self.display(path), g) for g in globs):
                    found.append(path)
        return found

    def display(self, path: Path) -> str:
        return self.project.rel(path)

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


    def check(self, paths: Iterable[str] | None = None, *, default_syntax: bool | None = None) -> list[Diagnostic]:
        """Every problem of every example (of the pages matching ``paths``), sorted.

        ``default_syntax``: whether the examples no rule binds are parsed as YAML, JSON or
        ``.env`` when they are written in one of those (``True``: always, even where the
        configuration says ``parse_unbound: false``; ``False``: never; ``None``: as the
        configuration says, which is yes unless told otherwise)."""
        found: list[Diagnostic] = []
        for outcome in self.run_all(paths, default_syntax=default_syntax):
            found.extend(outcome.diagnostics())
        return sorted(found, key=Diagnostic.sort_key)


def check_examples(
    root: Path | str, *, config: Any = None, paths: Iterable[str] | None = None, default_syntax: bool | None = None
) -> list[Diagnostic]:
    """Every problem of every fenced example of the project at ``root``, as sorted diagnostics.

    ``config``: an ``ExamplesConfig``, an ``examples`` mapping, or a YAML file (default: the
    project's ``examples:`` settings). ``paths``: globs on the pages' display paths
    (``docs/v1.7.x/deployment/**``) to check part of the tree.  A tree without any ``examples``
    configuration gets the syntax check (``default_syntax``, see ``ExampleSession.check``).
    """
    return ExampleSession(Project.around(Path(root)), config=config).check(paths, default_syntax=default_syntax)


__all__ = ["RULES", "Outcome", "ExampleSession", "check_examples", "unique"]
