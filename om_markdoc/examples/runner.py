"""Running the examples of a docs tree: ``check_examples`` for ``om-markdoc check``, and the
``ExampleSession`` the pytest plugin shares.

The tree, its partials, renderer settings and ``examples:`` configuration come from the project
model (``om_markdoc.site.project.Project``), as for every other front door.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..digest import digest
from ..site.project import Project
from ..site.textfile import read_text_file
from .bind import Binding, ExamplesConfig, bind, load_config
from .cache import ExampleCache, ExampleFindings, PageExamples, PartialRead, config_fingerprint, custom_validators
from .collect import Collector, unique
from .example import Example
from .validators import Problem, ValidatorConfigError, Validators

RULES: dict[str, str] = {
    "example-invalid": "a fenced example does not pass its validator (schema, unknown variable...)",
    "example-unparseable": "a fenced example is not valid YAML, JSON or environment syntax",
    "example-too-large": "a fenced example expands past the YAML alias/node caps (an alias bomb); not validated",
    "example-expected-invalid": 'an example marked expect="invalid" passes its validator',
    "example-config": "an example's validator cannot run (unknown name, missing schema file)",
}


class Status(str, Enum):
    """How running one example went; the words are what pytest, badges and reports show.
    (``enum.StrEnum`` would say this alone, but it needs Python 3.11; the project runs on 3.10.)"""

    def __str__(self) -> str:
        return self.value

    PASSED = "passed"
    """Its validator accepts it."""
    FAILED = "failed"
    """Problems, an ``expect="invalid"`` example that passed, or a validator that cannot run."""
    SKIPPED = "skipped"
    """Marked ``skip``."""
    XFAILED = "xfailed"
    """Marked ``expect="invalid"``, and its validator rejects it."""
    UNCHECKED = "unchecked"
    """Nothing binds it to a validator."""


@dataclass(frozen=True)
class Finding:
    """One problem of an example as a finding: the ``diagnostic`` at its place in the file, and
    the ``json_path`` (``$.a.b``) of the value it is about, when it is about one."""

    diagnostic: Diagnostic
    json_path: str | None = None


@dataclass
class Outcome:
    """What running one example gave: its ``status`` and the validator's ``problems``."""

    example: Example
    binding: Binding
    problems: list[Problem] = field(default_factory=list)
    status: Status = Status.PASSED

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED

    def diagnostics(self) -> list[Diagnostic]:
        """The outcome as findings, each at its line and column in the example's file."""
        return [f.diagnostic for f in self.findings()]

    def findings(self) -> list[Finding]:
        """The outcome as findings, each with the JSON path of the value it is about."""
        example = self.example
        if self.status is not Status.FAILED:
            return []
        if not self.problems or (self.binding.expect == "invalid" and not any(p.rule == "example-config" for p in self.problems)):
            message = f'example is marked expect="invalid" but validator {self.binding.validator!r} accepts it'
            return [Finding(Diagnostic("example-expected-invalid", "error", message, example.file, example.line, 1, example.chain))]
        out = []
        for problem in self.problems:
            line, column = example.locate(problem.text_offset(example))
            if problem.offset is None and problem.line is None:
                line, column = example.line, 1
            diagnostic = Diagnostic(problem.rule, "error", self.message(problem), example.file, line, column, example.chain)
            out.append(Finding(diagnostic, problem.json_path))
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

    def __init__(self, project: Project, *, config: Any = None, renderer: Any = None, partials: Any = None) -> None:
        self.project = project
        self.root = project.root
        self.docs_dir = project.docs_root
        if config is None:
            source = str(project.config_file or project.root)
            self.config: ExamplesConfig = ExamplesConfig.from_mapping(project.settings.examples, project.root, source=source)
        else:
            self.config = load_config(project.root, config)
        # The MkDocs plugin hands its own renderer and partial store: partials parsed once.
        self.renderer = renderer if renderer is not None else project.renderer()
        self.store = partials if partials is not None else project.partial_store(self.renderer)
        open_delim = self.renderer.delimiter
        close = "%}" if open_delim == "{%" else "%>"
        self._parsed: dict[str, Any] | None = None
        self.collector = Collector(
            self._parse,
            partials=self.store,
            display_root=self.root,
            delimiter=open_delim,
            close=close,
        )
        self.validators = Validators(self.config.validators, self.config.base_dir)
        self._seen: set[tuple[Any, ...]] = set()

    def _parse(self, source: str, name: str) -> Any:
        """A page's AST; during a whole-tree check, pages with the same text (the same page in
        several versions: half of the OpenMetadata corpus) are parsed once.  The collector
        reads only lines, attributes and annotations, never the file named in locations."""
        if self._parsed is None:
            return self.renderer.parse(source, name)[0]
        ast = self._parsed.get(source)
        if ast is None:
            ast = self._parsed[source] = self.renderer.parse(source, name)[0]
        return ast

    # -- files -----------------------------------------------------------------------------

    def is_partial(self, path: Path) -> bool:
        return self.project.is_partial(path)

    def pages(self, patterns: Iterable[str] | None = None) -> list[Path]:
        """The project's pages (every version, then unversioned pages), optionally filtered by
        globs on their display path."""
        globs = list(patterns or [])
        found = []
        for source in self.project.sources():
            for path, _rel in self.project.page_files(source):
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
            return Outcome(example, binding, [], Status.SKIPPED)
        if binding.validator is None:
            return Outcome(example, binding, [], Status.UNCHECKED)
        try:
            validator = self.validators.get(binding.validator)
        except ValidatorConfigError as exc:
            return Outcome(example, binding, [Problem(str(exc), rule="example-config")], Status.FAILED)
        problems = validator(example)
        if any(p.rule == "example-config" for p in problems):
            return Outcome(example, binding, problems, Status.FAILED)
        if binding.expect == "invalid":
            return Outcome(example, binding, problems, Status.XFAILED if problems else Status.FAILED)
        return Outcome(example, binding, problems, Status.FAILED if problems else Status.PASSED)

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


    def check(
        self, paths: Iterable[str] | None = None, *, default_syntax: bool | None = None, cache_dir: Path | None = None
    ) -> list[Diagnostic]:
        """Every problem of every example (of the pages matching ``paths``), sorted.

        ``default_syntax``: whether the examples no rule binds are parsed as YAML, JSON or
        ``.env`` when they are written in one of those (``True``: always, even where the
        configuration says ``parse_unbound: false``; ``False``: never; ``None``: as the
        configuration says, which is yes unless told otherwise).  ``cache_dir``: keep each
        page's findings there and reuse them while the page, its partials and the
        configuration are unchanged (``examples.cache``); the result is the same either way."""
        cache = ExampleCache(cache_dir, config_fingerprint(self.config, default_syntax) if cache_dir is not None else "")
        custom = custom_validators(self.config)
        partial_hashes: dict[str, str] = {}

        def partial_hash(written: str) -> str:
            if written not in partial_hashes:
                resolver = getattr(self.store, "resolver", None)
                path = resolver.resolve(written).path if resolver is not None else None
                try:
                    partial_hashes[written] = digest(path.read_bytes()) if path is not None else "missing"
                except OSError:
                    partial_hashes[written] = "missing"
            return partial_hashes[written]

        found: list[Diagnostic] = []
        seen: set[str] = set()
        problems: dict[tuple[Any, ...], Outcome] = {}
        pages = self.pages(paths)
        self._parsed = {}
        try:
            for page in pages:
                display = self.display(page)
                text, _ = read_text_file(page, self.root)
                text_hash = digest(display, text)
                record = cache.get(display, text_hash, partial_hash)
                if record is None:
                    record, looked_up, cacheable = self._page_record(page, display, text, text_hash, default_syntax, custom, problems)
                    if cacheable:
                        record.partials = [PartialRead(name, partial_hash(name)) for name in dict.fromkeys(looked_up)]
                        cache.put(display, record)
                for example in record.found:
                    if example.key not in seen:
                        seen.add(example.key)
                        found.extend(example.diagnostics)
        finally:
            self._parsed = None
        if not paths:
            cache.forget_others(self.display(p) for p in pages)
        cache.save()
        return sorted(found, key=Diagnostic.sort_key)

    def _page_record(
        self,
        page: Path,
        display: str,
        text: str,
        text_hash: str,
        default_syntax: bool | None,
        custom: set[str],
        memo: dict[tuple[Any, ...], Outcome],
    ) -> tuple[PageExamples, list[str], bool]:
        """Collect and run one page's examples: ``(record, partials looked up, cacheable)``.  An
        example met on an earlier page is not validated again (``memo``), only placed on this page."""
        looked_up: list[str] = []
        self.collector.looked_up = looked_up
        try:
            examples = self.collector.collect_source(text, display, path=page)
        finally:
            self.collector.looked_up = None
        record = PageExamples(text_hash)
        cacheable = True
        for example in examples:
            binding = bind(example, self.config, default_syntax=default_syntax)
            if binding.validator in custom:
                cacheable = False
            key = (*example.key(), binding.validator, binding.expect, binding.skip)
            earlier = memo.get(key)
            outcome = self.run(example, binding) if earlier is None else Outcome(example, binding, earlier.problems, earlier.status)
            memo.setdefault(key, outcome)
            diagnostics = outcome.diagnostics()
            if diagnostics:
                record.found.append(ExampleFindings(digest(repr(key)), diagnostics))
        return record, looked_up, cacheable


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


__all__ = ["RULES", "Status", "Finding", "Outcome", "ExampleSession", "check_examples", "unique"]
