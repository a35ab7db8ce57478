"""What the rendered site says about each example: which validator checked it, and how it went.

The MkDocs plugin renders pages and knows nothing of bindings; this module knows bindings and
nothing of HTML.  ``PageExamples.for_page`` runs the examples of one page (its partials
included) and answers, for a fence at ``(file, line)``, the ``FenceStatus`` to show:

* an example a configured validator accepts (bound by an annotation, the front matter or a
  rule): ``passed``, shown as "validated: openmetadata-server, 1.7" (the validator's name and
  its ``label:`` option, typically the release its schemas come from);
* one marked ``expect="invalid"`` that its validator rejects: ``xfailed`` ("invalid on
  purpose");
* a failing one (its validator rejects it, or its YAML/JSON/.env does not even parse), only
  when ``failures`` is asked for (``serve``): ``failed``, with the first problem.

Examples only syntax-checked by default (nothing configured binds them) get no badge when they
pass: every YAML block of a tree would carry one, and a parse is not what a reader takes
"validated" to mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from .bind import bind
from .collect import may_hold_examples
from .runner import ExampleSession, Outcome, Status

SYNTAX_ONLY = ("syntax", "none")


@dataclass(frozen=True)
class FenceStatus:
    """The badge of one fence: ``status`` is ``passed``, ``xfailed`` or ``failed``; ``text`` the
    badge's words; ``detail`` the whole first problem (the badge's tooltip)."""

    validator: str
    label: str | None
    status: Status
    text: str
    detail: str = ""


@dataclass
class PageStatuses:
    """The statuses of one page's fences, by ``(display file, 1-based line of the fence)``."""

    fences: dict[tuple[str, int], FenceStatus] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    """Every ``example-*`` finding of the page's examples, as ``om-markdoc check`` reports them
    (the build logs them: one gate, one answer)."""

    def get(self, file: str | None, line: int) -> FenceStatus | None:
        return self.fences.get((file or "", line))

    def __bool__(self) -> bool:
        return bool(self.fences)


_RANK = {Status.FAILED: 0, Status.XFAILED: 1, Status.PASSED: 2}
"""Which status a fence shows when it is reached several times: the worst."""


class PageExamples:
    """One ``ExampleSession`` for a whole build: validators are built once, and the plugin's
    renderer and partial store are reused, so partials are parsed once for both."""

    def __init__(self, project: Any, *, renderer: Any = None, partials: Any = None) -> None:
        self.session = ExampleSession(project, renderer=renderer, partials=partials)
        config = self.session.config
        self.configured = bool(config.validators or config.rules)

    def wanted(self, source: str, *, failures: bool) -> bool:
        """Whether ``for_page`` can find anything to show or report: a cheap test on the page
        text that keeps pages without a fence (or a partial, which may hold one) from being
        parsed twice."""
        if failures or self.configured or "validate=" in source:
            return True
        return self.session.config.parse_unbound and may_hold_examples(source)

    def label(self, validator: str) -> str | None:
        spec = self.session.config.validators.get(validator) or {}
        value = spec.get("label")
        return str(value) if value not in (None, "") else None

    def for_page(self, path: Path | None, file: str, source: str, *, failures: bool = False) -> PageStatuses:
        """Run the examples of the page ``file`` (its text ``source``), keep their findings and
        give each fence its badge.  ``failures``: also badge failing examples (``serve``), syntax-only ones included.
        A fence reached several times (a partial included with different variables) shows
        its worst outcome."""
        out = PageStatuses()
        for example in self.session.collector.collect_source(source, file, path=path):
            binding = bind(example, self.session.config)
            if binding.skip or binding.validator is None:
                continue
            configured = binding.origin not in SYNTAX_ONLY
            outcome = self.session.run(example, binding)
            out.problems.extend(outcome.diagnostics())
            if not configured and not failures:
                continue
            if outcome.status is Status.FAILED and not failures:
                continue
            if outcome.status not in _RANK or (outcome.status is not Status.FAILED and not configured):
                continue
            status = self._status(binding.validator, outcome)
            key = (example.file, example.line)
            known = out.fences.get(key)
            if known is None or _RANK[status.status] < _RANK[known.status]:
                out.fences[key] = status
        return out

    def _status(self, validator: str, outcome: Outcome) -> FenceStatus:
        label = self.label(validator)
        name = f"{validator}, {label}" if label else validator
        if outcome.status is Status.PASSED:
            return FenceStatus(validator, label, Status.PASSED, f"validated: {name}")
        if outcome.status is Status.XFAILED:
            return FenceStatus(validator, label, Status.XFAILED, f"invalid on purpose: rejected by {name}")
        found = outcome.diagnostics()
        first = found[0] if found else None
        if first is None:
            return FenceStatus(validator, label, Status.FAILED, f"fails {name}")
        where = f"{first.file}:{first.line}:{first.column}"
        message = first.message.removesuffix(f" [validator {validator}]")  # the badge names it already
        return FenceStatus(validator, label, Status.FAILED, f"fails {name}: {message}", f"{where}: {first.message} [{first.rule}]")


__all__ = ["FenceStatus", "PageStatuses", "PageExamples"]
