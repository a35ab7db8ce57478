"""No escape from the tree: partial names with ``..``, absolute paths, symlinks leading outside,
image paths with ``..``. Each is refused with a diagnostic; nothing outside the docs roots is
read (a secret marker in a sibling folder never shows up, and every file opened during a
build/check is recorded and checked), and nothing is written outside the site directory.
"""

from __future__ import annotations

import builtins
import io
import os
import sys
from pathlib import Path

import pytest

from om_markdoc.core.ast import Node
from om_markdoc.dialect.context import PageContext
from om_markdoc.site.partials import PartialResolver, PartialStore

from .conftest import REPO, SECRET, assert_located, small_tree, write

HOSTILE_NAMES = [
    "../../../etc/passwd",
    "/../../../etc/passwd",
    "../outside/secret.md",
    "/v1.0/../../secret.md",
    "//etc/passwd",
    "C:/Windows/win.ini",
    "\\..\\secret.md",
    "v1.0/\x00.md",
    "",
    "   ",
]


def _symlink(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not available here")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_resolver_refuses_names_leaving_the_root(tmp_path: Path, outside: Path, name: str) -> None:
    root = write(tmp_path / "content" / "partials", {"v1.0/ok.md": "fine"})
    resolved = PartialResolver(root).resolve(name, file="page.md", line=7, column=3)
    assert resolved.path is None
    assert resolved.diagnostic is not None
    assert resolved.diagnostic.rule in ("partial-outside-root", "partial-invalid", "partial-missing")
    assert (resolved.diagnostic.file, resolved.diagnostic.line, resolved.diagnostic.column) == ("page.md", 7, 3)


def test_absolute_path_to_an_existing_outside_file_is_refused(tmp_path: Path, outside: Path) -> None:
    root = write(tmp_path / "partials", {"ok.md": "fine"})
    # an absolute path is read as a name inside the root ("/tmp/.../secret.md" → root/tmp/.../secret.md)
    resolved = PartialResolver(root).resolve(str(outside / "secret.md"), file="p.md")
    assert resolved.path is None or resolved.path.resolve().is_relative_to(root.resolve())


def test_symlinks_leading_outside_are_refused(renderer, tmp_path: Path, outside: Path) -> None:
    root = write(tmp_path / "partials", {"ok.md": "fine"})
    _symlink(root / "leak.md", outside / "secret.md")
    _symlink(root / "dir", outside)
    reads: list[str] = []

    def parse(source: str, name: str) -> Node:
        reads.append(source)
        return renderer.parse(source, name)[0]

    store = PartialStore(PartialResolver(root), parse)
    for name in ("/leak.md", "/dir/secret.md"):
        resolved = store.resolve(name, file="page.md", line=2)
        assert resolved.path is None and resolved.diagnostic is not None
        assert resolved.diagnostic.rule == "partial-outside-root"
        assert name not in store
    assert "/leak.md" not in set(store) and "/dir/secret.md" not in set(store)
    page = '{% partial file="/leak.md" /%}\n\n{% partial file="/dir/secret.md" /%}\n\n{% partial file="../../outside/secret.md" /%}\n'
    result = renderer.render(page, file="page.md", context=PageContext(file="page.md"), partials=store)
    assert SECRET not in result.html
    assert not any(SECRET in r for r in reads)
    assert not any(SECRET in d.message for d in result.diagnostics)
    assert_located(result.diagnostics, {"page.md"})


# ---------------------------------------------------------------------------------------------
# Whole build / check with every file access recorded
# ---------------------------------------------------------------------------------------------


class AccessLog:
    """Records every path opened (read or write) through the usual Python entry points."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads: list[Path] = []
        self.writes: list[Path] = []
        real_open = builtins.open
        real_os_open = os.open
        log = self

        def record(file, mode) -> None:
            if isinstance(file, int):
                return
            path = Path(os.fsdecode(file)).absolute()
            (log.writes if any(c in str(mode) for c in "wax+") else log.reads).append(path)

        def fake_open(file, mode="r", *args, **kwargs):
            record(file, mode)
            return real_open(file, mode, *args, **kwargs)

        def fake_os_open(path, flags, *args, **kwargs):
            record(path, "w" if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) else "r")
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_open)
        monkeypatch.setattr(os, "open", fake_os_open)
        # pathlib.Path.read_text/read_bytes/write_text go through io.open in 3.10-3.13


ALLOWED_READ_ROOTS = [
    Path(p).resolve()
    for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/etc/mime.types", "/etc/ssl", "/dev/null", "/proc/self"}
]
ALLOWED_READ_ROOTS += [REPO / "om_markdoc", REPO / "om_markdoc.egg-info"]
"""Python, MkDocs/Material (in the venv), the om_markdoc package itself, MIME tables."""


def _inside(path: Path, roots: list[Path]) -> bool:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):
        real = path
    return any(real == root or real.is_relative_to(root) or path.is_relative_to(root) for root in roots)


def _hostile_tree(root: Path, outside: Path) -> Path:
    body = "\n\n".join(
        [
            '{% partial file="../../../etc/passwd" /%}',
            f'{{% partial file="{outside / "secret.md"}" /%}}',
            '{% partial file="/v1.0/leak.md" /%}',
            '{% partial file="/v1.0/../../../outside/secret.md" /%}',
            '{% image src="/images/v1.0/../../../outside/secret.png" alt="x" /%}',
            "![x](/images/v1.0/../../outside/secret.png)",
            "![y](../../../../outside/secret.png)",
            f"[z]({outside / 'secret.md'})",
        ]
    )
    small_tree(root, guide_body=body)
    _symlink(root / "content/partials/v1.0/leak.md", outside / "secret.md")
    return root


def test_build_reads_and_writes_nothing_outside(tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from om_markdoc.build.builder import build_site
    from om_markdoc.build.plan import plan_build

    tree = _hostile_tree(tmp_path / "tree", outside)
    site = tmp_path / "site"
    sibling = write(tmp_path / "sibling", {"keep.txt": "unchanged"})
    before = {p: p.read_bytes() for p in [*sibling.rglob("*"), *outside.rglob("*")] if p.is_file()}
    plan = plan_build(tree)
    log = AccessLog(monkeypatch)
    report = build_site(plan, site, jobs=1)
    monkeypatch.undo()
    assert report.ok, [r.error for r in report.results]
    outside_real = outside.resolve()
    assert not [p for p in log.reads if _inside(p, [outside_real])], "read outside the tree"
    allowed = [tree.resolve(), site.resolve(), *ALLOWED_READ_ROOTS]
    strays = sorted(
        {str(p) for p in log.reads if not _inside(p, allowed) and not p.name.startswith("__editable__")}
    )  # import hook
    assert not strays, strays
    wrote = sorted({str(p) for p in log.writes if not _inside(p, [site.resolve()]) and "__pycache__" not in p.parts})
    assert not wrote, wrote
    after = {p: p.read_bytes() for p in [*sibling.rglob("*"), *outside.rglob("*")] if p.is_file()}
    assert after == before
    for path in site.rglob("*"):
        if path.is_file() and not path.is_symlink():
            assert SECRET.encode() not in path.read_bytes(), path


def test_check_reads_nothing_outside_and_reports_each_escape(
    tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from om_markdoc.check import CheckOptions, run_check

    tree = _hostile_tree(tmp_path / "tree", outside)
    cache = tmp_path / "cache"
    log = AccessLog(monkeypatch)
    report = run_check(tree, CheckOptions(cache_dir=str(cache), jobs=1))
    monkeypatch.undo()
    assert not [p for p in log.reads if _inside(p, [outside.resolve()])]
    strays = sorted(
        {
            str(p)
            for p in log.reads
            if not _inside(p, [tree.resolve(), cache.resolve(), *ALLOWED_READ_ROOTS]) and not p.name.startswith("__editable__")
        }
    )
    assert not strays, strays
    wrote = sorted({str(p) for p in log.writes if not _inside(p, [cache.resolve()]) and "__pycache__" not in p.parts})
    assert not wrote, wrote
    guide = [f for f in report.findings if f.file == "content/v1.0.x/guide.md"]
    by_line = {(f.line, f.rule) for f in guide}
    for line, rules in [
        (8, {"partial-outside-root"}),
        (10, {"partial-outside-root", "partial-missing"}),
        (12, {"partial-outside-root"}),
        (14, {"partial-outside-root"}),
    ]:
        assert any((line, r) in by_line for r in rules), (line, sorted(by_line))
    for line in (16, 18, 20):  # images with '..'
        assert any(f.line == line for f in guide), (line, sorted(by_line))
    assert not any(SECRET in f.message for f in report.findings)


def test_page_symlink_leading_outside_is_not_published(tmp_path: Path, outside: Path) -> None:
    from om_markdoc.build.builder import build_site
    from om_markdoc.build.plan import plan_build

    tree = small_tree(tmp_path / "tree")
    _symlink(tree / "content/v1.0.x/leak.md", outside / "secret.md")
    site = tmp_path / "site"
    build_site(plan_build(tree), site, jobs=1)
    leaked = [str(p) for p in site.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert not leaked, leaked


def test_check_does_not_read_page_symlinks_leading_outside(
    tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from om_markdoc.check import CheckOptions, run_check

    tree = small_tree(tmp_path / "tree")
    _symlink(tree / "content/v1.0.x/leak.md", outside / "secret.md")
    log = AccessLog(monkeypatch)
    report = run_check(tree, CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=1))
    monkeypatch.undo()
    assert not [p for p in log.reads if _inside(p, [outside.resolve()])]
    assert any(f.file == "content/v1.0.x/leak.md" and "outside" in f.message for f in report.findings)


def test_image_symlink_leading_outside_is_not_published(tmp_path: Path, outside: Path) -> None:
    from om_markdoc.build.builder import build_site
    from om_markdoc.build.plan import plan_build

    tree = small_tree(
        tmp_path / "tree", guide_body='{% image src="/images/v1.0/leak.png" alt="x" /%}\n\n![y](/images/v1.0/leak.png)'
    )
    _symlink(tree / "images/v1.0/leak.png", outside / "secret.png")
    site = tmp_path / "site"
    build_site(plan_build(tree), site, jobs=1)
    leaked = [str(p) for p in site.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert not leaked, leaked
