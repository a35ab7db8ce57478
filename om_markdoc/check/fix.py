"""``check --fix``: apply the proposals of ``fix_edits`` that provably make a file better.

A fix is trusted only after the file is checked again with it.  Each proposal is applied to
the file's current text on its own (the last one first, so earlier offsets stay valid), and the
pages it affects are rendered again through the project's renderer, exactly as ``check`` renders
them: the page itself, or for a partial the partial on its own and every page whose render read
it.  The fix is kept when

* no finding appears that was not there before (findings are compared with the lines after the
  edit shifted back, so an inserted line does not make every later finding look new);
* the page's findings strictly decrease and the one the edit was made for is gone (a ``.md``
  link rewritten to its slug is not a finding: the findings must simply stay the same);
* the HTML is unchanged outside the edited region: for a tag written the wrong way
  (``tag-toggle-close``, ``tag-close-recovered``, ``tag-auto-closed``) the whole page must render
  the same, since the recovery already read the tag as meant; for the other fixes every
  top-level block before and after the edited lines must render the same, and in a page
  including an edited partial every block that holds no ``partial`` tag.

Everything else is skipped with the reason, and so is every fix in a file that is not valid
UTF-8 (writing it would turn its invalid bytes into U+FFFD).  Nothing is written here:
``FixPlan`` holds each file's old and new bytes, which differ only inside the accepted edits
(the BOM and every line break are the file's own), and the command writes them (atomically,
inside the docs and partials folders only, never over a read-only file or one changed since it
was read) or prints them as a diff.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.renderers.html import render_html
from ..diagnostics import Diagnostic
from ..dialect.context import PageContext, page_context
from ..site.pages import Page
from ..site.project import Project
from ..site.textfile import decode_bytes, encode_like_original
from .baseline import normalise_message
from .collect import Collected, PageItem
from .fix_edits import SYNTAX_ONLY, Edit, Proposer
from .model import rule_matches
from .recorder import PAGE, CheckState, check_partial, render_page
from .rules import RuleResult, check_images, check_links, check_partials, record_row
from .runner import CheckRun, apply_policy

FIX_KEY = "\x00fix"
"""Record key of the page being re-checked (records are otherwise keyed by text hash)."""


@dataclass(frozen=True)
class Block:
    """One top-level block of a render: its 1-based lines and HTML."""

    first: int
    last: int
    html: str
    includes: bool
    """The block holds a ``partial`` tag (its HTML may change when a partial does)."""


@dataclass
class Subject:
    """What one re-check of a file gives: findings (after the check's policy) and each
    affected render's blocks, keyed by the file rendered."""

    findings: list[Diagnostic]
    blocks: dict[str, list[Block]]


@dataclass
class FixPlan:
    """Accepted edits, skipped ones with the reason, and the files' old and new texts."""

    applied: list[Edit] = field(default_factory=list)
    skipped: list[tuple[Edit, str]] = field(default_factory=list)
    texts: dict[Path, tuple[bytes, bytes]] = field(default_factory=dict)
    """Absolute path → (bytes read, bytes with the accepted edits)."""
    names: dict[Path, str] = field(default_factory=dict)
    """Absolute path → the file as findings name it."""


class Verifier:
    """Re-checks single pages and partials of a finished check with new texts."""

    def __init__(self, run: CheckRun) -> None:
        self.run = run
        self.project: Project = run.project
        self.collected: Collected = run.collected
        self.state = CheckState(self.project)
        self.indexes = self.project.indexes(item.page for item in self.collected.pages)
        self.items: dict[str, PageItem] = {item.page.file: item for item in self.collected.pages}
        self.partial_files: dict[str, str] = {file: name for name, file in self.collected.partial_names.items()}
        self.by_page = {id(item.page): item for item in self.collected.pages}
        self.by_docs_path = {
            item.page.path.relative_to(self.project.docs_root).as_posix(): item.page
            for item in self.collected.pages
            if item.page.path.is_relative_to(self.project.docs_root)
        }
        self.ids_only = {key: {"ids": record.get("ids", [])} for key, record in self.collected.renders.items()}
        self.options = replace(run.options, only=(), ignore=())
        """Re-checks see every rule: a fix for the rules asked about must not break another."""
        self.texts: dict[str, str] = {}
        """Current text of every file read or changed so far (accepted edits included), without
        a BOM, decoded as ``check`` decodes it."""
        self.originals: dict[str, bytes] = {}
        """The bytes each text was read from (the new bytes get its BOM back)."""
        self.undecodable: set[str] = set()
        """Files holding invalid UTF-8: re-checked as ``check`` reads them, never fixed."""

    # -- reading -------------------------------------------------------------------------------

    def path(self, file: str) -> Path | None:
        """The file behind a finding's name, when it is a page or a partial of the project."""
        if file in self.items:
            return self.items[file].page.path
        name = self.partial_files.get(file)
        if name is not None and self.collected.resolver is not None:
            return self.collected.resolver.path_for(name)
        return None

    def text(self, file: str) -> str | None:
        if file not in self.texts:
            path = self.path(file)
            if path is None:
                return None
            try:
                data = path.read_bytes()
            except OSError:
                return None
            text, problems = decode_bytes(data, file)
            if problems:
                self.undecodable.add(file)
            self.originals[file] = data
            self.texts[file] = text
        return self.texts[file]

    # -- re-checking ---------------------------------------------------------------------------

    def subject(self, file: str, text: str) -> Subject:
        """Findings and renders of ``file`` with ``text``, and of the pages including it."""
        findings: list[Diagnostic] = []
        ignores: dict[str, dict[str, Any]] = {}
        blocks: dict[str, list[Block]] = {}
        if file in self.items:
            pages = [(self.items[file], text)]
        else:
            name = self.partial_files[file]
            self.state.replace_partial(name, text)  # every later render reads ``text`` as the partial
            record = check_partial(self.state, name)
            findings.extend(record_row(row) for row in record["findings"])
            ignores[file] = record.get("ignores", {})
            blocks[file] = self._blocks(text, file)
            pages = [(item, self.text(item.page.file) or "") for item in self._includers(name)]
        for item, page_text in pages:
            record = self._page(item, page_text, findings)
            ignores[item.page.file] = record["ignores"]
            blocks[item.page.file] = self._blocks(page_text, item.page.file)
        return Subject(apply_policy(findings, self.run.config, self.options, ignores, None), blocks)

    def _includers(self, name: str) -> list[PageItem]:
        return [
            item for item in self.collected.pages if name in (self.collected.renders.get(item.hash) or {}).get("deps", {})
        ]

    def _page(self, item: PageItem, text: str, findings: list[Diagnostic]) -> dict[str, Any]:
        """Render ``item`` with ``text`` and add its findings (page-local and cross-page rules,
        the other pages taken as the check found them) to ``findings``; returns the record."""
        page = item.page
        record = render_page(self.state, text)
        mine = PageItem(page, FIX_KEY, [])
        result = RuleResult(findings=[record_row(row, page.file) for row in record["findings"]])
        result.findings.extend(check_images(self.project, page, record["images"]))
        collected = Collected(pages=[*self._targets(item, record), mine], renders={**self.ids_only, FIX_KEY: record})
        check_links(self.project, collected, self.indexes, result)
        check_partials(Collected(pages=[mine], renders={FIX_KEY: record}, resolver=self.collected.resolver), result)
        findings.extend(result.findings)
        return record

    def _targets(self, item: PageItem, record: dict[str, Any]) -> list[PageItem]:
        """The other pages the record's links reach (``check_links`` needs their ids only)."""
        index = self.indexes[item.page.version]
        found: dict[int, PageItem] = {}
        for href, *_ in record.get("links", ()):
            target = index.resolve_link(href, item.page)
            page = target.page if target.kind in ("page", "anchor-only") else self._relative_page(item.page, href)
            if page is not None and page is not item.page:
                found[id(page)] = self.by_page[id(page)]
        return list(found.values())

    def _relative_page(self, page: Page, href: str) -> Page | None:
        md_path = self.project.md_link_target(page.path, href)
        return self.by_docs_path.get(md_path) if md_path is not None else None

    def _blocks(self, text: str, file: str) -> list[Block]:
        """The top-level blocks of ``text`` rendered in one pass (ids stay page-unique)."""
        renderer = self.state.renderer
        try:
            ast, _ = renderer.parse(text, file)
            config = renderer.config(PageContext(file=file), self.state.store or {}, None)
            outputs = [child.transform(config) for child in ast.children]
            page_context(config).settle_extra_ids()
            blocks = []
            for child, output in zip(ast.children, outputs, strict=True):
                first = child.lines[0] + 1 if child.lines else 0
                last = max(child.lines) if child.lines else 0
                includes = any(node.type == "tag" and node.tag == "partial" for node in child.walk()) or (
                    child.type == "tag" and child.tag == "partial"
                )
                blocks.append(Block(first, max(first, last), render_html(output), includes))
            return blocks
        except Exception as exc:  # noqa: BLE001 - a page that fails to render compares as its failure
            return [Block(0, 0, f"<failed {type(exc).__name__}: {exc}>", False)]


def _keys(findings: list[Diagnostic], file: str, first: int, last: int, delta: int, after: bool) -> Counter[tuple[Any, ...]]:
    """Findings as comparable keys: lines of ``file`` after the edit shifted back by ``delta``,
    findings inside the edited lines ``first..last`` (before the edit) without a column."""
    end = last + delta if after else last

    def line(at: str, number: int) -> int:
        return number - delta if after and at == file and number > end else number

    out: Counter[tuple[Any, ...]] = Counter()
    for f in findings:
        inside = f.file == file and first <= f.line <= end
        chain = tuple((at, line(at, number)) for at, number in f.chain)
        out[(f.rule, f.severity, f.file, first if inside else line(f.file, f.line), None if inside else f.column, f.message, chain)] += 1
    return out


def _hits(keys: Counter[tuple[Any, ...]], finding: Diagnostic, first: int) -> int:
    """How many of ``keys`` are ``finding`` in the edited region (reached through any chain,
    however many includes reach it)."""
    message = normalise_message(finding.message)
    return sum(
        n for key, n in keys.items()
        if key[0] == finding.rule and key[2] == finding.file and key[3] == first and normalise_message(key[5]) == message
    )  # fmt: skip


def _same_outside(before: list[Block], after: list[Block], first: int, last: int, delta: int) -> int | None:
    """``None`` when every top-level block outside the edited region renders the same; else
    the line of the first one that does not.  The region is the edited lines grown to the
    blocks that touch them, before or after the edit (a tag that now parses takes its content
    with it): lines ``first..last`` before the edit, ``first..last + delta`` after it."""
    while True:
        grown_first, grown_last = first, last
        for block in before:
            if block.first <= last and block.last >= first:
                grown_first, grown_last = min(grown_first, block.first), max(grown_last, block.last)
        for block in after:
            if block.first <= last + delta and block.last >= first:
                grown_first, grown_last = min(grown_first, block.first), max(grown_last, block.last - delta)
        if (grown_first, grown_last) == (first, last):
            break
        first, last = grown_first, grown_last
    head_before = [b for b in before if b.last < first]
    head_after = [b for b in after if b.last < first]
    tail_before = [b for b in before if b.first > last]
    tail_after = [b for b in after if b.first > last + delta]
    for old_blocks, new_blocks, where in ((head_before, head_after, first), (tail_before, tail_after, last + 1)):
        for old, new in zip(old_blocks, new_blocks, strict=False):
            if old.html != new.html:
                return old.first
        if len(old_blocks) != len(new_blocks):
            return where
    return None


def _same_around_includes(before: list[Block], after: list[Block]) -> int | None:
    """For a page including an edited partial: ``None`` when every block without a ``partial``
    tag renders the same, else the line of the first one that does not."""
    if len(before) != len(after):
        return before[0].first if before else 1
    for old, new in zip(before, after, strict=True):
        if old.html != new.html and not (old.includes and new.includes):
            return old.first
    return None


def judge(edit: Edit, text: str, base: Subject, trial: Subject) -> str | None:
    """Why the edit must not be applied (``None``: it may)."""
    first, last = edit.lines(text)
    delta = edit.line_delta(text)
    before = _keys(base.findings, edit.file, first, last, delta, False)
    after = _keys(trial.findings, edit.file, first, last, delta, True)
    added = after - before
    if added:
        rule, _severity, file, line, _column, message, _chain = next(iter(added))
        return f"it would add {file}:{line}: {message} [{rule}]"
    if edit.finding is not None:
        if sum(after.values()) >= sum(before.values()) or _hits(after, edit.finding, first) >= _hits(before, edit.finding, first):
            return "the finding would remain"
    elif after != before:
        return "the findings would change"
    for file, blocks in base.blocks.items():
        changed = trial.blocks.get(file, [])
        if edit.kind in SYNTAX_ONLY:
            if [b.html for b in blocks] != [b.html for b in changed]:
                where = next((o.first for o, n in zip(blocks, changed, strict=False) if o.html != n.html), first)
                return f"the rendered page {file} would change (line {where})"
            continue
        line = _same_outside(blocks, changed, first, last, delta) if file == edit.file else _same_around_includes(blocks, changed)
        if line is not None:
            return f"the rendered page {file} would change outside the edit (line {line})"
    return None


# -- planning ----------------------------------------------------------------------------------


def _md_links(verifier: Verifier, item: PageItem, proposer: Proposer) -> list[Edit]:
    """Edits for the page's relative or absolute ``.md`` links that reach a page of its version."""
    record = verifier.collected.renders.get(item.hash) or {}
    index = verifier.indexes[item.page.version]
    out = []
    for href, file, line, column, _chain in record.get("links", ()):
        path = urlsplit(href).path
        if file != PAGE or not path.endswith(".md") or index.is_external(href):
            continue
        target = index.resolve_link(href, item.page)
        if target.kind != "page" or target.page is None or target.version != item.page.version:
            continue
        edit = proposer.relink(href, int(line), int(column), target.page.slug)
        if edit is not None:
            out.append(edit)
    return out


def near_slug(verifier: Verifier, item: PageItem, finding: Diagnostic, proposer: Proposer) -> Edit | None:
    """A ``link-broken`` to a version-less slug (``/a/b_c``) that one slug of the page's version
    equals up to letter case and ``_``/``-`` (``/a/b-c``): the link rewritten to that slug.
    Relative links, links to other versions and slugs with several such neighbours are left."""
    found = re.match(r"link to '(?P<href>.*)': no page in (?P<version>\S+) has slug (?P<slug>\S+)$", finding.message)
    index = verifier.indexes.get(item.page.version)
    if found is None or index is None or found.group("version") != item.page.version or not found.group("href").startswith("/"):
        return None
    if found.group("href").lstrip("/").split("/")[0] == found.group("version"):
        return None

    def fold(slug: str) -> str:
        return slug.lower().replace("_", "-")

    wanted = fold(found.group("slug"))
    near = [slug for slug in index.by_slug if fold(slug) == wanted]
    if len(near) != 1:
        return None
    return proposer.relink(found.group("href"), finding.line, finding.column, near[0], finding)


def proposals(verifier: Verifier) -> dict[str, list[Edit]]:
    """File → candidate edits (deduplicated), from the report's findings and the pages' links."""
    run = verifier.run
    delimiters = verifier.state.renderer.tokenizer.delimiters
    by_file: dict[str, list[Diagnostic]] = {}
    for finding in run.report.findings:
        by_file.setdefault(finding.file, []).append(finding)
    wants_links = rule_matches("md-link", run.options.only or ("*",)) and not rule_matches("md-link", run.options.ignore)
    files = sorted(set(by_file) | (set(verifier.items) if wants_links else set()))
    out: dict[str, list[Edit]] = {}
    for file in files:
        text = verifier.text(file)  # `files` holds only reported files and pages
        if text is None:
            continue
        proposer = Proposer(file, text, delimiters)
        edits = [e for e in (proposer.propose(f) for f in by_file.get(file, [])) if e is not None]
        if file in verifier.items:
            broken = (f for f in by_file.get(file, []) if f.rule == "link-broken")
            edits.extend(e for e in (near_slug(verifier, verifier.items[file], f, proposer) for f in broken) if e is not None)
        if wants_links and file in verifier.items and not run.config.ignored(file, "md-link") and (run.changed is None or file in run.changed):
            edits.extend(_md_links(verifier, verifier.items[file], proposer))
        unique = {(e.start, e.end, e.replacement): e for e in edits}
        if unique:
            out[file] = sorted(unique.values(), key=lambda e: (e.start, e.end), reverse=True)
    return out


def plan_fixes(run: CheckRun) -> FixPlan:
    """Every fix that passes ``judge``, applied to the texts in memory (nothing is written)."""
    verifier = Verifier(run)
    plan = FixPlan()
    candidates = proposals(verifier)
    # partials first: the pages checked after them then render with the fixed partials
    for file in sorted(candidates, key=lambda f: (f in verifier.items, f)):
        original = verifier.text(file)
        assert original is not None
        if file in verifier.undecodable:
            why = "the file is not valid UTF-8 (writing it would replace its invalid bytes)"
            plan.skipped.extend((edit, why) for edit in candidates[file])
            continue
        text = original
        try:
            base = verifier.subject(file, text)
        except Exception as exc:  # noqa: BLE001 - one file that cannot be re-checked is not fixed
            why = f"the file cannot be checked again ({type(exc).__name__}: {exc})"
            plan.skipped.extend((edit, why) for edit in candidates[file])
            continue
        limit = len(text) + 1
        for edit in candidates[file]:
            if edit.end > limit:
                plan.skipped.append((edit, "it overlaps another fix"))
                continue
            changed = edit.apply(text)
            try:
                trial = verifier.subject(file, changed)
            except Exception as exc:  # noqa: BLE001 - the edit is what broke the re-check
                plan.skipped.append((edit, f"checking the file with it failed ({type(exc).__name__}: {exc})"))
                continue
            reason = judge(edit, text, base, trial)
            if reason is None:
                text, base, limit = changed, trial, edit.start
                plan.applied.append(edit)
            else:
                plan.skipped.append((edit, reason))
        verifier.texts[file] = text
        if file in verifier.partial_files:
            verifier.subject(file, text)  # keep the partial's final text for the pages after it
        if text != original:
            path = verifier.path(file)
            assert path is not None
            data = verifier.originals[file]
            plan.texts[path] = (data, encode_like_original(text, data))
            plan.names[path] = file
    plan.applied.sort(key=lambda e: (e.file, e.start))
    plan.skipped.sort(key=lambda s: (s[0].file, s[0].start))
    return plan


def writable(project: Project, path: Path) -> bool:
    """Fixes are written only to files inside the docs or partials folder."""
    resolved = path.resolve()
    roots = [root for root in (project.docs_root, project.partials_root) if root is not None]
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def unwritable(project: Project, path: Path, read: bytes) -> str | None:
    """Why the fixed bytes must not replace ``path`` (``None``: they may).  A file outside the
    docs and partials folders, a read-only one (replacing it by a rename would succeed even so)
    and one whose bytes are no longer those the fixes were planned on are left alone."""
    if not writable(project, path):
        return "the file is outside the docs and partials folders"
    try:
        if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:
            return "the file is read-only"
        if path.read_bytes() != read:
            return "the file changed while it was checked"
    except OSError as exc:
        return f"the file cannot be read again ({exc.strerror or exc})"
    return None
