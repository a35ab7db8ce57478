"""``run_check(path, options) -> CheckReport``: the whole check of one tree.

1. the project (``om_markdoc.site.project.Project``) and its ``check:`` configuration;
2. every page rendered or taken from the cache (``collect.collect``);
3. cross-page rules (``rules.run_rules``) and, when asked, external links;
4. severities (catalogue defaults, then ``check.severity``), ``--only``/``--ignore``, per-path
   ignores, inline ignores, ``--changed-since``; identical findings reached through several
   includes are reported once;
5. with ``--new-only``, only what the change since ``--changed-since REF`` introduced
   (``new_since``).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..examples.bind import ExamplesConfigError
from ..examples.runner import ExampleSession
from ..rules import default_severity
from ..site.project import Project
from .baseline import apply_baseline, entries
from .collect import Collected, collect
from .config import CheckConfig, ConfigError, cache_dir_of, check_config
from .external import ExternalChecker
from .model import CheckOptions, CheckReport, rule_matches
from .rules import RuleResult, run_rules


def _git(project: Project, *args: str, text: bool = True) -> Any:
    """The output of ``git args`` run in the tree (``ConfigError`` when git fails)."""
    try:
        done = subprocess.run(["git", "-C", str(project.root), *args], capture_output=True, text=text, check=False)
    except OSError as exc:
        raise ConfigError(f"--changed-since needs git: {exc}") from exc
    if done.returncode != 0:
        error = done.stderr if text else done.stderr.decode("utf-8", "replace")
        raise ConfigError(f"git {' '.join(args)} failed: {error.strip()}")
    return done.stdout


def changed_files(project: Project, ref: str) -> set[str]:
    """Files (relative to the tree root) changed since the git ``ref``, plus untracked ones."""

    def git(*args: str) -> str:
        return _git(project, *args)

    top = Path(git("rev-parse", "--show-toplevel").strip()).resolve()
    names = git("diff", "--name-only", ref, "--").splitlines()
    names += git("ls-files", "--others", "--exclude-standard", "--full-name").splitlines()
    out = set()
    for name in names:
        if not name.strip():
            continue
        path = (top / name.strip()).resolve()
        try:
            out.add(path.relative_to(project.root).as_posix())
        except ValueError:
            continue
    return out


def _ignored_inline(finding: Diagnostic, marks: dict[str, dict[str, Any]]) -> bool:
    entry = marks.get(finding.file)
    if not entry:
        return False
    if rule_matches(finding.rule, entry.get("file", ())):
        return True
    return rule_matches(finding.rule, entry.get("lines", {}).get(str(finding.line), ()))


def _dedupe(findings: list[Diagnostic]) -> list[Diagnostic]:
    groups: dict[tuple[Any, ...], list[Diagnostic]] = {}
    for f in findings:
        groups.setdefault((f.rule, f.severity, f.file, f.line, f.column, f.message), []).append(f)
    out = []
    for group in groups.values():
        first = min(group, key=lambda f: (len(f.chain), f.chain))
        chains = {f.chain for f in group}
        if len(chains) > 1:
            first = Diagnostic(first.rule, first.severity, f"{first.message} (reached through {len(chains)} includes)",
                               first.file, first.line, first.column, first.chain)  # fmt: skip
        out.append(first)
    return out


def apply_policy(
    findings: list[Diagnostic],
    config: CheckConfig,
    options: CheckOptions,
    inline: dict[str, dict[str, Any]],
    changed: set[str] | None,
) -> list[Diagnostic]:
    kept = []
    for f in findings:
        severity = config.severity_for(f.rule, default_severity(f.rule, f.severity))
        if severity is None:
            continue
        if options.only and not rule_matches(f.rule, options.only):
            continue
        if options.ignore and rule_matches(f.rule, options.ignore):
            continue
        if config.ignored(f.file, f.rule) or _ignored_inline(f, inline):
            continue
        if changed is not None and f.file not in changed and not any(file in changed for file, _ in f.chain):
            continue
        kept.append(f if severity == f.severity else f.with_severity(severity))
    return sorted(_dedupe(kept), key=Diagnostic.sort_key)


def external_findings(
    config: CheckConfig, result: RuleResult, options: CheckOptions, cache_dir: Path | None
) -> tuple[list[Diagnostic], int]:
    settings = config.external
    excluded = [str(p) for p in settings.get("exclude", []) or []]
    import fnmatch

    urls = sorted(u for u in result.external if not any(fnmatch.fnmatchcase(u, p) for p in excluded))
    checker = ExternalChecker(
        cache_dir=cache_dir,
        ttl=float(options.external_ttl if options.external_ttl is not None else settings.get("ttl", 24 * 3600)),
        timeout=float(options.external_timeout if options.external_timeout is not None else settings.get("timeout", 10)),
        per_host=int(settings.get("per_host", 2)),
        workers=int(settings.get("workers", 16)),
    )
    statuses = checker.check(urls, options.progress)
    out = []
    for url in urls:
        status = statuses[url]
        if status.ok:
            continue
        for file, line, column, chain in result.external[url]:
            message = f"external link {url}: {status.message}"
            out.append(Diagnostic("external-link-broken", "warning", message, file, line, column, chain))
    return out, len(urls)


def example_findings(project: Project, wanted: bool | None, cache_dir: Path | None = None) -> list[Diagnostic]:
    """``example-*`` findings of the executable guides (see om_markdoc.examples).

    On by default: every YAML, JSON and ``.env`` example is parsed even without configuration
    (the format told from the content when the fence names none); schemas and other validators
    run where ``examples:`` binds them.  ``--no-examples`` turns it off.  ``cache_dir``: the
    check's cache, where each page's example findings are kept (``examples.cache``)."""
    if wanted is False:
        return []
    try:
        return ExampleSession(project).check(default_syntax=True if wanted else None, cache_dir=cache_dir)
    except ExamplesConfigError as exc:
        raise ConfigError(f"examples configuration: {exc}") from exc


class _Later:
    """A result computed now (``value``) or in a forked process (``future``)."""

    def __init__(self, value: list[Diagnostic] | None = None, future: Any = None, pool: Any = None) -> None:
        self.value, self.future, self.pool = value, future, pool

    def result(self) -> list[Diagnostic]:
        if self.future is None:
            return self.value or []
        try:
            return self.future.result()
        finally:
            self.pool.shutdown()


def start_example_findings(project: Project, wanted: bool | None, cache_dir: Path | None, jobs: int | None) -> _Later:
    """``example_findings``, in a forked process while the pages render when there is more than
    one core: collecting examples parses the pages again (about 3 s on the corpus when its
    cache is cold), work the page renders' processes leave a core free for at their ends."""
    if wanted is False:
        return _Later([])
    cores = jobs if jobs else (os.cpu_count() or 1)
    if cores < 2 or not sys.platform.startswith("linux"):
        return _Later(example_findings(project, wanted, cache_dir))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    return _Later(future=pool.submit(example_findings, project, wanted, cache_dir), pool=pool)


@dataclass
class CheckRun:
    """A finished check with what produced it, for callers that act on the findings
    (``check --fix`` re-checks single pages against the same project, records and policy)."""

    project: Project
    config: CheckConfig
    options: CheckOptions
    collected: Collected
    changed: set[str] | None
    report: CheckReport


def run_check(path: str | Path, options: CheckOptions | None = None) -> CheckReport:
    """Check the project at ``path`` (raises ``ProjectError`` for usage/configuration problems)."""
    return check_run(path, options).report


def check_run(path: str | Path, options: CheckOptions | None = None) -> CheckRun:
    """``run_check``, keeping the project, configuration and per-page records."""
    options = options or CheckOptions()
    started = time.perf_counter()
    project = Project.load(path, config_file=options.config_file)
    config = check_config(project)
    changed = changed_files(project, options.changed_since) if options.changed_since else None
    if options.cache_dir:
        cache_dir: Path | None = Path(options.cache_dir).resolve()
    else:
        cache_dir = cache_dir_of(project) if options.use_cache else None
    page_cache = cache_dir if options.use_cache else None
    examples = start_example_findings(project, options.examples, page_cache, options.jobs)
    collected = collect(project, cache_dir=page_cache, jobs=options.jobs, progress=options.progress)
    result = run_rules(project, collected)
    findings = list(result.findings)
    checked = 0
    if options.external:
        extra, checked = external_findings(config, result, options, cache_dir)
        findings.extend(extra)
    findings.extend(examples.result())
    report = CheckReport(
        root=str(project.root),
        findings=apply_policy(findings, config, options, result.ignores, changed),
        pages=len(collected.pages),
        partials=len(collected.partial_names),
        rendered=collected.rendered,
        cached=collected.cached,
        versions=[v.name for v in project.versions],
        external_checked=checked,
    )
    report.seconds = time.perf_counter() - started
    return CheckRun(project, config, options, collected, changed, report)


def new_since(run: CheckRun, ref: str) -> tuple[CheckReport, int]:
    """``run``'s report without the findings the tree already had at the git ``ref``
    (``--changed-since REF --new-only``), and how many were left out.

    The tree as it was at ``ref`` is taken out of git (``git archive`` of the tree's own folder,
    nothing else of the repository) into a temporary folder and checked with the same options;
    a finding is old when the files changed since ``ref`` held one with the same baseline key
    there (``baseline.keys``: rule, file, message and source line, not the line number), so a
    finding that only moved because lines were added above it stays old."""
    changed = run.changed or set()
    if not _tree_existed(run.project, ref):  # the tree is new since ``ref``: all of it is new
        return run.report, 0
    with tempfile.TemporaryDirectory(prefix="om-markdoc-ref-") as folder:
        old_root = _tree_at(run.project, ref, Path(folder))
        cache = cache_dir_of(run.project) if run.options.use_cache and not run.options.cache_dir else run.options.cache_dir
        options = replace(run.options, changed_since=None, progress=None, cache_dir=str(cache) if cache else None)
        before = check_run(old_root, options).report.findings
        touched = [f for f in before if f.file in changed or any(file in changed for file, _ in f.chain)]
        known = entries(touched, old_root)
    left = apply_baseline(run.report, known, Path(run.report.root))
    fields = {name: getattr(run.report, name) for name in run.report.__dataclass_fields__}
    return CheckReport(**{**fields, "findings": left.findings}), left.suppressed


def _tree_existed(project: Project, ref: str) -> bool:
    """Whether the tree's folder is in the commit ``ref`` (``ref`` itself is known to be good:
    ``changed_files`` asked git about it first)."""
    top = Path(_git(project, "rev-parse", "--show-toplevel").strip()).resolve()
    inner = project.root.resolve().relative_to(top).as_posix()
    try:
        _git(project, "cat-file", "-e", f"{ref}:{inner}" if inner != "." else f"{ref}^{{tree}}")
    except ConfigError:
        return False
    return True


def _tree_at(project: Project, ref: str, folder: Path) -> Path:
    """The tree's folder as it was at ``ref``, written into ``folder`` (returned).  Run in the
    tree's folder, ``git archive`` holds only that folder, its names relative to it."""
    data = _git(project, "archive", "--format=tar", ref, text=False)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(folder, filter="data")  # no links out, no absolute paths
    return folder


def terminal_progress(stream: Any = None) -> Any:
    """A ``\\r`` progress line on a terminal outside CI; ``None`` otherwise."""
    stream = stream or sys.stderr
    if os.environ.get("CI") or not getattr(stream, "isatty", lambda: False)():
        return None
    last = [0.0]

    def show(done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.1:
            return
        last[0] = now
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r{label}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\r" + " " * (width + len(label) + 24) + "\r")
        stream.flush()

    return show
