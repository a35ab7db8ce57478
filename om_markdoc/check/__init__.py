"""``om-markdoc check``: the docs tree's CI gate, from the sources (no site build).

``run_check(path, CheckOptions(...))`` returns a ``CheckReport`` of ``Finding``s; ``render_report``
prints it as text, JSON, GitHub annotations, SARIF or JUnit. See ``docs/guide/check.md``.
"""

from .config import CheckConfig, ConfigError, Tree, load_tree
from .formats import FORMATS, render_report
from .model import CHECK_RULES, CheckOptions, CheckReport, Finding
from .runner import run_check

__all__ = [
    "CHECK_RULES",
    "FORMATS",
    "CheckConfig",
    "CheckOptions",
    "CheckReport",
    "ConfigError",
    "Finding",
    "Tree",
    "load_tree",
    "render_report",
    "run_check",
]
