"""``om-markdoc check``: report broken links, anchors, images, partials, Markdoc errors, slugs and
menus of a docs tree, without building the site. Exit 0: no error-level finding; 1: some; 2:
usage or configuration problem.

``--fix`` / ``--diff`` apply (or show) the verified fixes of ``check.fix``; ``--baseline`` reports
only findings a baseline file does not list (``check.baseline``); ``--changed-since REF`` reports
the findings of the files changed since ``REF``, all of them unless ``--new-only`` asks for
those the change introduced (``check.runner.new_since``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..atomic import write_atomic
from ..check import FORMATS, CheckOptions, ProjectError, render_report
from ..check.baseline import BaselineError, BaselineReport, apply_baseline, read_baseline, write_baseline
from ..check.fix import FixPlan, plan_fixes, unwritable
from ..check.model import CheckReport, parse_rule_list
from ..check.runner import CheckRun, check_run, new_since, terminal_progress
from ..site.textfile import patch_diff

HELP = "Check a docs tree (mkdocs.yml repository or OpenMetadata layout) for broken links, anchors, images, partials and tag errors."


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="a folder with mkdocs.yml, a mkdocs.yml, or an OpenMetadata tree")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--only", action="append", metavar="RULES", help="report only these rules (comma-separated; globs allowed)")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="do not report these rules (comma-separated; globs allowed)")
    parser.add_argument("--changed-since", metavar="REF", default=None,
                        help="report only findings in files changed since this git ref: by default every finding of those "
                             "files, including the ones they already had at REF (see --new-only)")  # fmt: skip
    parser.add_argument("--new-only", action="store_true",
                        help="with --changed-since: report only the findings the change introduced, leaving out those the "
                             "changed files already had at REF (checks REF's version of the tree too)")  # fmt: skip
    parser.add_argument("--external", action="store_true", help="also check external http(s) links (network)")
    examples = parser.add_mutually_exclusive_group()
    examples.add_argument("--examples", dest="examples", action="store_true", default=None, help="validate fenced config examples, parsing unbound ones even where the configuration says parse_unbound: false (default: on, schemas where configured)")
    examples.add_argument("--no-examples", dest="examples", action="store_false", help="do not validate fenced config examples")
    parser.add_argument("--config", metavar="FILE", default=None, help="a mkdocs.yml or om-markdoc.yml holding the check: settings")
    parser.add_argument("--cache-dir", metavar="DIR", default=None, help="where results are cached (default: <tree>/.om-markdoc-cache)")
    parser.add_argument("--no-cache", action="store_true", help="render every page again and do not write the cache")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for rendering (default: the number of cores)")
    parser.add_argument("--output", "-o", metavar="FILE", default=None, help="write the report to FILE instead of stdout")
    fixing = parser.add_mutually_exclusive_group()
    fixing.add_argument("--fix", action="store_true", help="apply the fixes that provably remove findings, then report what is left")
    fixing.add_argument("--diff", action="store_true", help="print the fixes --fix would apply as a unified diff; write nothing")
    parser.add_argument("--baseline", metavar="FILE", default=None, help="report only findings this baseline file does not list")
    parser.add_argument("--update-baseline", action="store_true", help="write the current findings to the --baseline FILE")


def run(args: argparse.Namespace) -> int:
    options = CheckOptions(
        only=parse_rule_list(getattr(args, "only", None)),
        ignore=parse_rule_list(getattr(args, "ignore", None)),
        changed_since=getattr(args, "changed_since", None),
        external=bool(getattr(args, "external", False)),
        config_file=getattr(args, "config", None),
        cache_dir=getattr(args, "cache_dir", None),
        use_cache=not getattr(args, "no_cache", False),
        jobs=getattr(args, "jobs", None),
        progress=terminal_progress(),
        examples=getattr(args, "examples", None),
    )
    baseline = Path(args.baseline) if getattr(args, "baseline", None) else None
    if getattr(args, "update_baseline", False) and baseline is None:
        print("om-markdoc check: --update-baseline needs --baseline FILE", file=sys.stderr)
        return 2
    new_only = bool(getattr(args, "new_only", False))
    if new_only and not options.changed_since:
        print("om-markdoc check: --new-only needs --changed-since REF", file=sys.stderr)
        return 2
    try:
        run = check_run(args.path, options)
        if getattr(args, "fix", False) or getattr(args, "diff", False):
            fixed = _fix(run, write=not args.diff)
            if fixed:
                run = check_run(args.path, options)
        report: CheckReport = run.report
        if new_only:
            report = _introduced(run, options.changed_since or "")
        if baseline is not None:
            report = _baselined(run, baseline, getattr(args, "update_baseline", False))
    except (ProjectError, BaselineError) as exc:
        print(f"om-markdoc check: {exc}", file=sys.stderr)
        return 2
    fmt = getattr(args, "format", "text") or "text"
    prefix = ""
    if fmt in ("github", "sarif"):
        try:
            prefix = Path(report.root).relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            prefix = os.path.relpath(report.root) if not os.path.isabs(str(args.path)) else ""
        prefix = "" if prefix == "." else prefix
    text = render_report(report, fmt, prefix)
    notes = report.baseline_lines() if isinstance(report, BaselineReport) else []
    if fmt == "text" and notes:
        text += "\n".join(notes) + "\n"
    output = getattr(args, "output", None)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        if fmt != "text":
            print(render_report(report, "text").splitlines()[-1], file=sys.stderr)
    elif not getattr(args, "diff", False):
        sys.stdout.write(text)
    if fmt != "text" and notes:
        print(notes[-1], file=sys.stderr)
    return report.exit_code


def _fix(run: CheckRun, *, write: bool) -> bool:
    """Plan the fixes; write them (or print them on stdout as a diff that ``patch -p1`` and
    ``git apply`` take).  What was fixed and what was skipped, with the reason, goes to stderr.
    ``True`` when files were written (the tree must then be checked again)."""
    plan: FixPlan = plan_fixes(run)
    done = made = 0
    for path, (before, after) in sorted(plan.texts.items()):
        name = plan.names[path]
        edits = [edit for edit in plan.applied if edit.file == name]
        target = path.resolve()  # a link stays a link: its file is written (once: then it has changed)
        reason = unwritable(run.project, target, before) or (_write(target, after) if write else None)
        if reason is not None:
            plan.skipped.extend((edit, reason) for edit in edits)
            continue
        if not write:
            _emit(patch_diff(name, before, after))
        done += 1
        made += len(edits)
        for edit in edits:
            print(f"{'fixed' if write else 'would fix'} {edit.format()}", file=sys.stderr)
    for edit, reason in sorted(plan.skipped, key=lambda s: (s[0].file, s[0].start)):
        print(f"skipped {edit.format()}, because {reason}", file=sys.stderr)
    verb = "applied" if write else "would apply"
    print(f"om-markdoc check: {verb} {made} fix(es) in {done} file(s); {len(plan.skipped)} skipped", file=sys.stderr)
    return write and done > 0


def _emit(data: bytes) -> None:
    """``data`` on stdout as bytes: a diff must reach ``patch`` with the file's own bytes,
    whatever the terminal's encoding or newline translation."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a text-only stream (redirect_stdout into a StringIO)
        sys.stdout.write(data.decode("utf-8"))
        return
    binary.write(data)
    binary.flush()


def _write(path: Path, data: bytes) -> str | None:
    """Replace ``path`` by ``data``; why it failed, or ``None``.  ``data`` is valid UTF-8 (files
    that are not are never fixed), and ``write_atomic`` writes text as given, so the bytes on
    disk are ``data`` exactly."""
    try:
        write_atomic(path, data.decode("utf-8"))
    except OSError as exc:
        return f"the file cannot be written ({exc.strerror or exc})"
    return None


def _introduced(run: CheckRun, ref: str) -> CheckReport:
    """The findings the change since ``ref`` introduced; how many older ones were left out goes
    to stderr, so a CI log says why a known problem of a touched file is not annotated."""
    report, old = new_since(run, ref)
    print(f"om-markdoc check: --new-only: {old} finding(s) the changed files already had at {ref} not shown", file=sys.stderr)
    return report


def _baselined(run: CheckRun, path: Path, update: bool) -> BaselineReport:
    root = run.project.root
    if update:
        try:
            count = write_baseline(path, run.report.findings, root)
        except OSError as exc:
            raise BaselineError(f"baseline {path} cannot be written: {exc}") from exc
        print(f"om-markdoc check: wrote {count} finding(s) to the baseline {path}", file=sys.stderr)
    return apply_baseline(run.report, read_baseline(path), root)
