"""pytest plugin: every fenced example of the docs is a test item, reported like a doctest.

Registered through the ``pytest11`` entry point, and inert until enabled: with ``--om-markdoc``
on the command line or ``om_markdoc_examples = true`` in the ini file, ``.md`` files under
the paths pytest collects become test files, one item per example (``page.md:20``, or
``snippets/v1/x.md:3[provider=Auth0]`` for an example of a partial). The tree's configuration
(``mkdocs.yml`` or ``om-markdoc.yml``, found upwards from the file, or ``--om-markdoc-config``)
binds the examples to validators. Only this module is imported when pytest starts; the
validators load when the first Markdown file is collected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

_MARKERS = ("mkdocs.yml", "om-markdoc.yml")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("om-markdoc", "om-markdoc documentation examples")
    group.addoption(
        "--om-markdoc",
        action="store_true",
        default=False,
        dest="om_markdoc_examples",
        help="collect the fenced examples of .md files as tests",
    )
    group.addoption(
        "--om-markdoc-config",
        default=None,
        dest="om_markdoc_config",
        help="YAML file with the `examples` configuration (default: mkdocs.yml / om-markdoc.yml of the tree)",
    )
    parser.addini("om_markdoc_examples", "collect the fenced examples of .md files as tests", type="bool", default=False)
    parser.addini("om_markdoc_config", "YAML file with the `examples` configuration", default="")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("om_markdoc_examples", False) or config.getini("om_markdoc_examples"))


def _tree_root(path: Path) -> Path:
    """The nearest folder above ``path`` with ``mkdocs.yml``/``om-markdoc.yml`` or a ``content``
    folder (the OpenMetadata layout); the file's folder when there is none."""
    for folder in path.parents:
        if any((folder / marker).is_file() for marker in _MARKERS):
            return folder
        if folder.name == "content" and (folder / "partials").is_dir():
            return folder.parent
    return path.parent


def _session(config: pytest.Config, path: Path) -> Any:
    from ..site.project import Project
    from .runner import ExampleSession

    root = _tree_root(path)
    sessions: dict[Path, Any] = config.stash.setdefault(_SESSIONS, {})
    if root not in sessions:
        explicit = config.getoption("om_markdoc_config", None) or config.getini("om_markdoc_config") or None
        if explicit and not Path(explicit).is_absolute():
            explicit = str(Path(config.rootpath) / explicit)
        sessions[root] = ExampleSession(Project.around(root), config=explicit)
    return sessions[root]


_SESSIONS = pytest.StashKey[dict]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix != ".md" or not _enabled(parent.config):
        return None
    return MarkdownExamples.from_parent(parent, path=file_path)


class MarkdownExamples(pytest.File):
    """The examples reached from one page (its own and those of the partials it includes)."""

    def collect(self):
        session = _session(self.config, self.path)
        if session.is_partial(self.path):
            return  # partials are tested through the pages that include them, with their variables
        for example, binding in session.bound(session.collect(self.path)):
            if binding.validator is None and not binding.skip:
                continue
            if not session.new(example, binding):
                continue
            own = example.file == session.display(self.path)
            name = f"{self.path.name}:{example.line}" if own else example.name
            yield ExampleItem.from_parent(self, name=name, example=example, binding=binding, example_session=session)


class ExampleFailure(Exception):
    def __init__(self, outcome: Any) -> None:
        super().__init__(outcome.status)
        self.outcome = outcome


class ExampleItem(pytest.Item):
    def __init__(self, *, example: Any, binding: Any, example_session: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.example = example
        self.binding = binding
        self.example_session = example_session
        if binding.expect == "invalid":
            self.add_marker(pytest.mark.om_markdoc_expect_invalid)

    def runtest(self) -> None:
        if self.binding.skip:
            pytest.skip("skip=true")
        outcome = self.example_session.run(self.example, self.binding)
        if outcome.failed:
            raise ExampleFailure(outcome)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ExampleFailure):
            return format_failure(excinfo.value.outcome)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        example = self.example
        path = example.path or self.path
        return path, example.line - 1, f"[om-markdoc] {example.file}:{example.line}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "om_markdoc_expect_invalid: an example marked expect=\"invalid\"")


def format_failure(outcome: Any, *, context: int = 2) -> str:
    """A doctest-like report: where, the example's lines (offending ones marked ``>``), what."""
    example = outcome.example
    diagnostics = outcome.diagnostics()
    lines = [f"{example.file}:{example.line}: {example.language or 'text'} example, validator {outcome.binding.validator!r}"]
    if example.chain:
        lines.append("included via " + " → ".join(f"{f}:{n}" for f, n in example.chain))
    if example.variables:
        lines.append("with " + ", ".join(f"{k}={v!r}" for k, v in sorted(example.variables.items())))
    text_lines = example.text.split("\n")
    if text_lines and text_lines[-1] == "":
        text_lines.pop()
    numbers = [example.source_line_of(i) for i in range(len(text_lines))]
    marked = {d.line for d in diagnostics}
    if marked:
        keep = {i for i, n in enumerate(numbers) if any(abs(n - m) <= context for m in marked)}
    else:
        keep = set(range(min(len(text_lines), 2 * context + 1)))
    width = len(str(max(numbers, default=example.line)))
    previous = -1
    for index, text in enumerate(text_lines):
        if index not in keep:
            continue
        if index != previous + 1:
            lines.append("    ...")
        number = numbers[index]
        lines.append(f"{'>' if number in marked else ' '} {number:>{width}} {text}")
        for d in diagnostics:
            if d.line == number and d.column > 1:
                lines.append(" " * (width + 3) + " " * max(0, d.column - 1 - _indent(example, number)) + "^")
        previous = index
    for d in diagnostics:
        lines.append(f"{d.file}:{d.line}:{d.column}: {d.message} [{d.rule}]")
    return "\n".join(lines)


def _indent(example: Any, number: int) -> int:
    index = number - example.body_line
    return example.indents[index] if 0 <= index < len(example.indents) else 0
