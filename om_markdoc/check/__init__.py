"""``om-markdoc check``: the docs tree's CI gate, from the sources (no site build).

``run_check(path, CheckOptions(...))`` returns a ``CheckReport`` of ``Diagnostic``s; ``render_report``
prints it as text, JSON, GitHub annotations, SARIF or JUnit. See ``docs/guide/check.md``.
"""

from ..site.project import ProjectError
from .config import CheckConfig, ConfigError, check_config
from .formats import FORMATS, render_report
from .model import CheckOptions, CheckReport
from .runner import run_check

__all__ = [
    "FORMATS",
    "CheckConfig",
    "CheckOptions",
    "CheckReport",
    "ConfigError",
    "ProjectError",
    "check_config",
    "render_report",
    "run_check",
]
