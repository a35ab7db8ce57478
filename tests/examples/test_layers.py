"""Where the examples door sits: below nothing but the shared layers (issue #20).

``check`` runs examples, so ``examples`` must not import ``check`` (the two imported each other
through the cache's digest); and the model of an example is data that imports no other module
of the project, so validators and the collector can both read it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import om_markdoc

PACKAGE = Path(om_markdoc.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved), lazy ones included."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
    return found


def test_examples_imports_nothing_from_check() -> None:
    modules = sorted((PACKAGE / "examples").rglob("*.py"))
    assert len(modules) > 10
    crossing = {
        str(path.relative_to(PACKAGE)): sorted(
            n for n in _imports(path) if n == "om_markdoc.check" or n.startswith("om_markdoc.check.")
        )
        for path in modules
    }
    assert {k: v for k, v in crossing.items() if v} == {}


def test_the_example_model_imports_no_other_module_of_the_project() -> None:
    imports = _imports(PACKAGE / "examples" / "example.py")
    assert "dataclasses" in imports
    assert sorted(n for n in imports if n.startswith("om_markdoc")) == []
