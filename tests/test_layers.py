"""The layer contract, read from the source with ast: data moves one way, core -> dialect -> site -> doors.

A module may import its own layer and the layers below it; the doors (the ways in: the MkDocs plugin,
`build`, `check`, the examples runner, the language server and the CLI) may not import one another. The
door-to-door imports that exist today are listed in `DOOR_EXCEPTIONS`; the list may only shrink, so a
listed import that is gone fails the test too, and the entry has to be deleted.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "om_markdoc"

DOORS = frozenset({"mkdocs_plugin", "build", "check", "examples", "export", "lsp", "cli"})
# "__init__" is the package itself: a door may read its `__version__`.
_BELOW_DOORS = frozenset({"core", "dialect", "site", "diagnostics", "rules", "atomic", "digest", "__init__"})

# What each layer may import besides itself. `diagnostics`, `rules` and `atomic` are shared leaves
# (`rules` reads core's error levels); the package's own `__init__` re-exports core's public API.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "diagnostics": frozenset(),
    "atomic": frozenset(),
    "digest": frozenset(),
    "rules": frozenset({"core"}),
    "dialect": frozenset({"core", "diagnostics", "rules"}),
    "site": frozenset({"core", "dialect", "diagnostics", "rules", "atomic", "digest"}),
    "__init__": frozenset({"core"}),
    "__main__": frozenset({"cli"}),
    **{door: _BELOW_DOORS for door in DOORS},
}

# issue #20: to be moved into the engine layer
DOOR_EXCEPTIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("om_markdoc.build.builder", "om_markdoc.mkdocs_plugin.incremental"),
        ("om_markdoc.build.builder", "om_markdoc.mkdocs_plugin.parallel"),
        ("om_markdoc.build.serve", "om_markdoc.mkdocs_plugin.incremental"),
        ("om_markdoc.check.runner", "om_markdoc.examples.bind"),
        ("om_markdoc.check.runner", "om_markdoc.examples.runner"),
        ("om_markdoc.cli.build_cmd", "om_markdoc.build.builder"),
        ("om_markdoc.cli.build_cmd", "om_markdoc.build.defaults"),
        ("om_markdoc.cli.build_cmd", "om_markdoc.build.plan"),
        ("om_markdoc.cli.build_cmd", "om_markdoc.build.site"),
        ("om_markdoc.cli.build_cmd", "om_markdoc.mkdocs_plugin.summary"),
        ("om_markdoc.cli.check_cmd", "om_markdoc.check"),
        ("om_markdoc.cli.check_cmd", "om_markdoc.check.baseline"),
        ("om_markdoc.cli.check_cmd", "om_markdoc.check.fix"),
        ("om_markdoc.cli.check_cmd", "om_markdoc.check.model"),
        ("om_markdoc.cli.check_cmd", "om_markdoc.check.runner"),
        ("om_markdoc.cli.export_cmd", "om_markdoc.export.markdown_tree"),
        ("om_markdoc.cli.lsp_cmd", "om_markdoc.lsp"),
        ("om_markdoc.cli.serve_cmd", "om_markdoc.build.plan"),
        ("om_markdoc.cli.serve_cmd", "om_markdoc.build.serve"),
        ("om_markdoc.lsp.diagnostics", "om_markdoc.check.collect"),
        ("om_markdoc.lsp.diagnostics", "om_markdoc.check.ignores"),
        ("om_markdoc.lsp.diagnostics", "om_markdoc.check.model"),
        ("om_markdoc.lsp.diagnostics", "om_markdoc.check.rules"),
        ("om_markdoc.lsp.diagnostics", "om_markdoc.check.runner"),
        ("om_markdoc.lsp.diagnostics", "om_markdoc.examples.bind"),
        ("om_markdoc.lsp.diagnostics", "om_markdoc.examples.runner"),
        ("om_markdoc.lsp.workspace", "om_markdoc.check.config"),
        ("om_markdoc.lsp.workspace", "om_markdoc.check.recorder"),
        ("om_markdoc.mkdocs_plugin.badges", "om_markdoc.examples.badges"),
        ("om_markdoc.mkdocs_plugin.plugin", "om_markdoc.check.recorder"),
        ("om_markdoc.mkdocs_plugin.plugin", "om_markdoc.check.rules"),
        ("om_markdoc.mkdocs_plugin.plugin", "om_markdoc.examples.badges"),
        ("om_markdoc.mkdocs_plugin.plugin", "om_markdoc.examples.bind"),
        ("om_markdoc.mkdocs_plugin.site_files", "om_markdoc.check.rules"),
    }
)


def module_name(path: Path, root: Path) -> str:
    """The dotted name of the module at `path` (a package's `__init__.py` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str, root: Path) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, root: Path) -> list[str]:
    """The project modules one import statement names: `from a import b` names `a.b` when that is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join(anchor + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    named = [f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}", root)]
    return named or [base]


def _type_only(tree: ast.Module) -> set[int]:
    """The ids of the import statements under `if TYPE_CHECKING:`, which never run."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            hidden.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return hidden


def project_imports(root: Path, *, type_only: bool = True) -> set[tuple[str, str]]:
    """Every (importer, imported) pair of modules inside the package; `type_only=False` keeps the run-time ones."""
    pairs: set[tuple[str, str]] = set()
    for path in sorted((root / PACKAGE).rglob("*.py")):
        module = module_name(path, root)
        tree = ast.parse(path.read_bytes(), str(path))
        hidden = set() if type_only else _type_only(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in hidden:
                for target in _imported(node, module, path.name == "__init__.py", root):
                    if target == PACKAGE or target.startswith(PACKAGE + "."):
                        pairs.add((module, target))
    return pairs


def import_cycles(pairs: set[tuple[str, str]]) -> list[list[str]]:
    """The groups of modules that import one another round a loop (strongly connected, two or more)."""
    graph: dict[str, set[str]] = {}
    for importer, imported in pairs:
        graph.setdefault(importer, set()).add(imported)
    reaches = {module: _reachable(module, graph) for module in graph}
    groups = {frozenset(m for m in reaches[module] if module in reaches.get(m, ())) | {module} for module in graph}
    return sorted(sorted(group) for group in groups if len(group) > 1)


def _reachable(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph.get(module, ()))
    return seen


def layer(module: str) -> str:
    """The layer a module belongs to: the first name under the package (`om_markdoc.core.ast` -> `core`)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def violations(pairs: set[tuple[str, str]], exceptions: frozenset[tuple[str, str]]) -> list[tuple[str, str]]:
    """The imports that cross the contract and are not a listed exception."""
    return sorted(
        (importer, imported)
        for importer, imported in pairs
        if layer(importer) != layer(imported)
        and layer(imported) not in ALLOWED[layer(importer)]
        and (importer, imported) not in exceptions
    )


def test_no_import_breaks_the_layer_contract() -> None:
    assert violations(project_imports(ROOT), DOOR_EXCEPTIONS) == []


def test_every_listed_exception_still_exists() -> None:
    """A door-to-door import that was moved away must leave the list, so the list only shrinks."""
    assert sorted(DOOR_EXCEPTIONS - project_imports(ROOT)) == []


def test_exceptions_are_door_to_door_only() -> None:
    """The lower layers get no exceptions at all."""
    assert [pair for pair in DOOR_EXCEPTIONS if not {layer(pair[0]), layer(pair[1])} <= DOORS] == []


def test_core_has_no_import_cycle() -> None:
    """Issue #20: core's modules once held one another up through a bottom-of-file import in `core/ast.py`.

    Shared values live in `core/values.py` and the transformer names `Node` for the type checker only,
    so no run-time import in core loops back, function-local imports included."""
    core = {pair for pair in project_imports(ROOT, type_only=False) if all(layer(m) == "core" for m in pair)}
    assert import_cycles(core) == []


def test_a_cycle_is_caught() -> None:
    pairs = {("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")}
    assert import_cycles(pairs) == [["a", "b", "c"]]


def test_a_bad_import_is_caught(tmp_path: Path) -> None:
    """The contract can fail: core importing the site layer, and a new door-to-door import, are both reported."""
    for folder in ("core", "site", "lsp", "build"):
        (tmp_path / PACKAGE / folder).mkdir(parents=True)
        (tmp_path / PACKAGE / folder / "__init__.py").write_text("")
    (tmp_path / PACKAGE / "__init__.py").write_text("")
    (tmp_path / PACKAGE / "site" / "project.py").write_text("")
    (tmp_path / PACKAGE / "build" / "plan.py").write_text("")
    (tmp_path / PACKAGE / "core" / "ast.py").write_text("from ..site import project\n")
    (tmp_path / PACKAGE / "lsp" / "server.py").write_text("import om_markdoc.build.plan\n")
    found = violations(project_imports(tmp_path), frozenset())
    assert found == [
        ("om_markdoc.core.ast", "om_markdoc.site.project"),
        ("om_markdoc.lsp.server", "om_markdoc.build.plan"),
    ]
