#!/usr/bin/env python3
"""Site build time: MkDocs + Material + om-markdoc against plain MkDocs + Material, on one version.

Both builds use the same pages of one corpus version (default
``../shared/corpus/openmetadata-docs/content/v1.5.x`` beside the repository root):

* ``om-markdoc``: ``docs_dir`` is the version folder itself, read in place; plugins ``search`` and
  ``om-markdoc`` (partials and images found by the OpenMetadata layout, commercial-edition pages
  left out, as by default).
* ``baseline``: the same pages copied to a temporary folder with every ``{% ... %}`` tag removed
  (the text between an opening and a closing tag is kept, self-closing tags such as partials
  simply disappear; front matter is kept), built by plain MkDocs + Material (Python-Markdown,
  MkDocs' default extensions, the default ``search`` plugin).  Menus and commercial-edition pages
  are left out as the plugin leaves them out, and the same ``images/`` folder is linked in so that
  both builds copy the same static files.

Navigation has the same size and shape in both builds (Material's navigation rendering is a
large part of a build with ~1,000 pages, so unequal navigations would skew the ratio):

* ``--nav folders`` (default): the plugin's ``nav: folders`` against MkDocs' own folder navigation;
* ``--nav menu``: the plugin's ``nav: menu`` (from ``menu.md``) against an equivalent ``nav:``
  written into the baseline's ``mkdocs.yml`` from the same ``menu.md`` entries, mapped to the
  stripped files by front-matter slug.

Method: every build is a fresh ``python -m mkdocs build -q -f <cfg>`` subprocess (both pay the
same start-up); the two alternate and the order flips each iteration; the median wall-clock time
is reported.  Then one extra om-markdoc build runs in this process with timers wrapped around the
plugin's hooks, the dialect pipeline and MkDocs' page building, to show where the time goes:
om-markdoc's share = time in its hooks / total build time (target < 25%).

Targets (issue #14, without ``navigation.prune``): the om-markdoc build at most 0.25x the plain
build's time, and under 6 s for the ~1,000 pages of v1.5.x on the project's 2-core machine (the
plugin uses one process per core unless ``--jobs`` says otherwise).  The profile build runs with
``jobs: 1``, so that its hook timers measure work rather than waiting for workers.

Usage: ``python benchmarks/bench_site.py [--version v1.5.x] [--content DIR] [--iterations N]
[--nav folders|menu] [--jobs N] [--prune] [--no-profile] [--json]``.  Standard library only (plus the project and the
MkDocs it is installed with).  All temporary files live in one temp dir, removed at the end.
"""
from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = ROOT.parent / "shared" / "corpus" / "openmetadata-docs" / "content"
DEFAULT_VERSION = "v1.5.x"
TARGET_SHARE = 0.25
TARGET_RATIO = 0.25
"""om-markdoc's build at most this fraction of plain MkDocs' (issue #14, without prune)."""
TARGET_SECONDS = 6.0
"""...and under this many seconds for a ~1,000-page version on the project's 2-core machine."""

sys.path.insert(0, str(ROOT))

from om_markdoc.site.menu import load_menu  # noqa: E402
from om_markdoc.site.pages import load_page  # noqa: E402
from om_markdoc.site.slugs import SlugIndex  # noqa: E402

TAG_RE = re.compile(r"\{%.*?%\}", re.S)
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
MENU_NAMES = ("menu.md",)
EDITION_FLAG = "collate"


# --------------------------------------------------------------------------- preparing the builds


def is_menu(path: Path) -> bool:
    return path.name in MENU_NAMES or path.name.endswith("-menu.md")


def strip_tags(text: str) -> str:
    """Front matter untouched; every Markdoc tag (opening, closing, self-closing) removed."""
    match = FRONT_MATTER_RE.match(text)
    head, body = (text[: match.end()], text[match.end():]) if match else ("", text)
    return head + TAG_RE.sub("", body)


def prepare_baseline(version_dir: Path, target: Path) -> tuple[list[Any], int, int]:
    """Copy the kept pages, stripped, to ``target``; return (kept pages, tags removed, bytes)."""
    kept = []
    removed = 0
    size = 0
    for path in sorted(version_dir.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(version_dir)
        out = target / rel
        if path.suffix != ".md":
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out)
            continue
        if is_menu(path):
            continue
        page = load_page(path, version=version_dir.name, rel_path=rel.as_posix(), edition_flags=(EDITION_FLAG,))
        if page.edition_only:
            continue
        kept.append(page)
        text = path.read_text(encoding="utf-8", errors="replace")
        removed += len(TAG_RE.findall(text))
        size += len(text.encode("utf-8"))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(strip_tags(text), encoding="utf-8")
    return kept, removed, size


def menu_nav(version_dir: Path, pages: list[Any]) -> tuple[list[Any], int]:
    """``nav:`` for the baseline, shaped as the plugin's ``_menu_items`` shapes the menu."""
    menu = load_menu(version_dir / "menu.md", version_dir.parent)
    index = SlugIndex(pages)
    count = 0

    def items(nodes: list[Any]) -> list[Any]:
        nonlocal count
        out: list[Any] = []
        for node in nodes:
            entry = None
            if node.url is not None:
                target = index.lookup(node.url)
                entry = target.rel_path if target is not None else None
            children = items(node.children)
            if entry is not None:
                count += 1
            if children:
                out.append({node.title: ([entry] if entry is not None else []) + children})
            elif entry is not None:
                out.append(entry)
        return out

    return items(menu.roots), count


def write_config(path: Path, docs_dir: Path, site_dir: Path, plugins: list[Any] | None, nav: list[Any] | None,
                 features: list[str] | None = None) -> None:
    """mkdocs.yml as JSON (a subset of YAML), so no YAML writer is needed."""
    config: dict[str, Any] = {
        "site_name": "bench",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"name": "material", "features": features or []},
    }
    if plugins is not None:
        config["plugins"] = plugins
    if nav is not None:
        config["nav"] = nav
    path.write_text(json.dumps(config, indent=1), encoding="utf-8")


def count_html(site_dir: Path) -> int:
    """Pages in the output (directory URLs: one ``index.html`` per page)."""
    return sum(1 for _ in site_dir.rglob("index.html"))


# --------------------------------------------------------------------------- timed builds


def timed_build(config: Path, site_dir: Path) -> float:
    shutil.rmtree(site_dir, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        capture_output=True, text=True, cwd=str(config.parent),
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"mkdocs build -f {config.name} failed (exit {proc.returncode})")
    return elapsed


# --------------------------------------------------------------------------- in-process profile


class Profiler:
    """Inclusive and self (exclusive of nested timed calls) time per wrapped function."""

    def __init__(self) -> None:
        self.inclusive: dict[str, float] = defaultdict(float)
        self.own: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.stack: list[list[float]] = []

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            frame = [0.0]
            self.stack.append(frame)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                self.stack.pop()
                self.inclusive[name] += elapsed
                self.own[name] += elapsed - frame[0]
                self.calls[name] += 1
                if self.stack:
                    self.stack[-1][0] += elapsed

        return wrapper



def plugin_hooks(plugin_class: type) -> list[str]:
    """Every MkDocs event handler the plugin class defines itself (``on_config``, ``on_files``,
    ``on_nav``, ``on_page_markdown``, ``on_page_content``, ``on_post_build``...)."""
    return [name for name, value in vars(plugin_class).items() if name.startswith("on_") and callable(value)]

PIPELINE = (  # (label, module attribute of om_markdoc.dialect.pipeline)
    ("tokenize", None),  # Tokenizer.tokenize, patched on the class
    ("recover", "recover"),
    ("parse (AST)", "parse"),
    ("validate", "validate"),
    ("transform", "transform"),
    ("render_html", "render_html"),
)


def hook_parts() -> list[tuple[Any, str, str]]:
    """Helpers of ``on_page_markdown`` timed apart from ``DialectRenderer.render`` (skipped when
    the plugin no longer has them)."""
    from om_markdoc.mkdocs_plugin import plugin, site_files

    return [
        (site_files.SiteFiles, "partial_diagnostics", "partial_diagnostics"),
        (plugin.OmMarkdocPlugin, "_page_key", "_page_key"),
        (plugin, "log_diagnostic", "log_diagnostic"),
        (site_files.SiteFiles, "link", "SiteFiles.link"),
        (site_files.SiteFiles, "image", "SiteFiles.image"),
    ]


def profile_build(config_path: Path) -> dict[str, Any]:
    """One om-markdoc build in this process, with timers around hooks, pipeline and MkDocs."""
    import mkdocs.commands.build as mkbuild
    from mkdocs.config import load_config

    from om_markdoc.dialect import pipeline
    from om_markdoc.mkdocs_plugin.plugin import OmMarkdocPlugin

    prof = Profiler()
    saved: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attr: str, label: str) -> None:
        original = getattr(owner, attr)
        saved.append((owner, attr, original))
        setattr(owner, attr, prof.wrap(label, original))

    hooks_wrapped = plugin_hooks(OmMarkdocPlugin)
    for hook in hooks_wrapped:
        patch(OmMarkdocPlugin, hook, f"hook:{hook}")
    patch(pipeline.Tokenizer, "tokenize", "tokenize")
    for label, attr in PIPELINE[1:]:
        patch(pipeline, attr, label)
    patch(pipeline.DialectRenderer, "render", "DialectRenderer.render")
    for owner, attr, label in hook_parts():
        if callable(getattr(owner, attr, None)):
            patch(owner, attr, label)
    patch(mkbuild, "_populate_page", "mkdocs:_populate_page")
    patch(mkbuild, "_build_page", "mkdocs:_build_page")
    patch(mkbuild, "build", "mkdocs:build")

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # as `mkdocs build -q`
    cwd = os.getcwd()
    try:
        os.chdir(config_path.parent)
        config = load_config(config_file=str(config_path))
        config.plugins["om-markdoc"].config.jobs = 1  # serial: hook timers would otherwise time waiting
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkbuild.build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        os.chdir(cwd)
        logger.setLevel(level)
        for owner, attr, original in reversed(saved):
            setattr(owner, attr, original)

    total = prof.inclusive["mkdocs:build"]
    hooks = {hook: prof.inclusive[f"hook:{hook}"] for hook in hooks_wrapped}
    hooks_total = sum(hooks.values())
    # Self times of everything timed inside the hooks: they add up to the hooks' total.
    inside: dict[str, float] = {label: prof.own[label] for label, _ in PIPELINE}
    inside["DialectRenderer.render, rest (config, diagnostics, toc)"] = prof.own["DialectRenderer.render"]
    for _, _, label in hook_parts():
        if label in prof.calls:
            inside[label] = prof.own[label]
    inside["the hooks' own code"] = sum(prof.own[f"hook:{hook}"] for hook in hooks_wrapped)
    mkdocs_parts = {
        "page build (Material templates, on_post_page...)": prof.own["mkdocs:_build_page"],
        "page read + Python-Markdown (excl. om-markdoc)": prof.own["mkdocs:_populate_page"],
        "rest (files, nav, static copy, search index...)": prof.own["mkdocs:build"],
    }
    return {
        "total_build_s": total,
        "om_markdoc_hooks_s": hooks_total,
        "share": hooks_total / total if total else 0.0,
        "target_share": TARGET_SHARE,
        "pages_rendered": prof.calls["hook:on_page_markdown"],
        "hooks_s": hooks,
        "dialect_render_s": prof.inclusive["DialectRenderer.render"],
        "inside_hooks_self_s": inside,
        "mkdocs_self_s": mkdocs_parts,
    }


# --------------------------------------------------------------------------- report


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   - "


def print_report(result: dict[str, Any]) -> None:
    print(f"corpus:     {result['corpus']}")
    print(f"pages:      {result['pages']} built by both ({result['bytes'] / 1e6:.1f} MB of Markdoc source; "
          f"{result['tags_removed']} tags stripped for the baseline)")
    nav = result["nav"]
    print(f"navigation: {nav['mode']} for both -- {nav['description']}")
    print(f"iterations: {result['iterations']} (fresh `python -m mkdocs build -q` per build, interleaved, median)")
    print(f"machine:    {result['cpus']} CPUs, load average {result['loadavg_1m']}")
    print()
    print(f"{'build':<34} {'seconds (median)':>16} {'pages/s':>9} {'vs baseline':>12}")
    for build in result["builds"].values():
        print(f"{build['label']:<34} {build['median_s']:>16.2f} {build['pages_per_s']:>9.1f} {build['ratio_vs_baseline']:>11.2f}x")
    runs = ", ".join(
        f"{a:.2f}/{b:.2f}"
        for a, b in zip(result["builds"]["om-markdoc"]["seconds"], result["builds"]["baseline"]["seconds"], strict=False)
    )
    print(f"per iteration (om-markdoc/baseline s): {runs}")
    print(
        f"ratio (om-markdoc time / baseline time): {result['ratio']:.2f}x"
        f"  (site pages in output: om-markdoc {result['builds']['om-markdoc']['html_files']},"
        f" baseline {result['builds']['baseline']['html_files']})"
    )
    seconds = result["builds"]["om-markdoc"]["median_s"]
    print(
        f"targets: ratio <= {TARGET_RATIO:g}x: {'ok' if result['ratio'] <= TARGET_RATIO else 'MISSED'};"
        f" om-markdoc build < {TARGET_SECONDS:g} s: {'ok' if seconds < TARGET_SECONDS else 'MISSED'}"
        f" (jobs: {result['jobs'] or 'one per core'}, Material features: {', '.join(result['features']) or 'none'})"
    )
    prof = result.get("profile")
    if not prof:
        return
    total = prof["total_build_s"]
    print()
    print(f"Where the time goes (one in-process om-markdoc build: {total:.2f} s, {prof['pages_rendered']} pages rendered):")
    verdict = "ok" if prof["share"] < prof["target_share"] else "ABOVE TARGET"
    print(
        f"  om-markdoc share of the build: {100 * prof['share']:.1f}%  "
        f"({prof['om_markdoc_hooks_s']:.2f} s in its hooks / {total:.2f} s; target < {100 * prof['target_share']:.0f}%: {verdict})"
    )
    width = 60
    print(f"  {'part':<{width}} {'seconds':>8} {'of build':>8}")
    print("  om-markdoc hooks (inclusive):")
    for hook, secs in prof["hooks_s"].items():
        print(f"    {hook:<{width - 2}} {secs:>8.2f} {pct(secs, total):>8}")
    print(
        f"  inside the hooks (self times, adding up to {prof['om_markdoc_hooks_s']:.2f} s;"
        f" DialectRenderer.render inclusive: {prof['dialect_render_s']:.2f} s):"
    )
    for label, secs in prof["inside_hooks_self_s"].items():
        print(f"    {label:<{width - 2}} {secs:>8.2f} {pct(secs, total):>8}")
    print("  MkDocs + Material (self times):")
    for label, secs in prof["mkdocs_self_s"].items():
        print(f"    {label:<{width - 2}} {secs:>8.2f} {pct(secs, total):>8}")
    print(
        "  (tokenize/recover/parse include partials parsed on demand; validate includes the once-per-build"
        " partial checks; SiteFiles.link/image run during transform)"
    )


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="the corpus content/ folder")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="version folder under --content (default v1.5.x)")
    parser.add_argument("--iterations", type=int, default=1, help="timed builds of each kind (default 1)")
    parser.add_argument(
        "--nav", choices=("folders", "menu"), default="folders", help="navigation for both builds (default folders)"
    )
    parser.add_argument("--jobs", type=int, default=0, help="the plugin's `jobs` (default 0: one process per core)")
    parser.add_argument("--prune", action="store_true", help="Material's navigation.prune in both builds (default off)")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process 'where the time goes' build")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    version_dir = (args.content / args.version).resolve()
    if not version_dir.is_dir():
        parser.error(f"no version folder {version_dir}")
    if args.nav == "menu" and not (version_dir / "menu.md").is_file():
        parser.error(f"--nav menu: {version_dir} has no menu.md")
    images = version_dir.parent.parent / "images"

    tmp = Path(tempfile.mkdtemp(prefix="om-markdoc-bench-site-"))
    try:
        stripped = tmp / "stripped"
        stripped.mkdir()
        pages, tags_removed, size = prepare_baseline(version_dir, stripped)
        if images.is_dir():  # the plugin copies this folder into its site; the baseline copies it too
            (stripped / "images").symlink_to(images, target_is_directory=True)

        if args.nav == "menu":
            nav, entries = menu_nav(version_dir, pages)
            description = (
                f"plugin `nav: menu` from menu.md; baseline `nav:` generated from the same menu.md "
                f"({entries} entries mapped to the stripped files by slug)"
            )
        else:
            nav = None
            description = "plugin `nav: folders`; baseline MkDocs' default folder navigation"

        plugin_cfg, base_cfg = tmp / "om-markdoc.yml", tmp / "baseline.yml"
        plugin_site, base_site = tmp / "site-om-markdoc", tmp / "site-baseline"
        features = ["navigation.prune"] if args.prune else []
        write_config(
            plugin_cfg, version_dir, plugin_site, ["search", {"om-markdoc": {"nav": args.nav, "jobs": args.jobs}}], None, features
        )
        write_config(base_cfg, stripped, base_site, None, nav, features)

        times: dict[str, list[float]] = {"om-markdoc": [], "baseline": []}
        runs = [("om-markdoc", plugin_cfg, plugin_site), ("baseline", base_cfg, base_site)]
        for i in range(args.iterations):
            for name, cfg, site in runs if i % 2 == 0 else runs[::-1]:
                if not args.json:
                    print(f"  iteration {i + 1}/{args.iterations}: {name} ...", file=sys.stderr, flush=True)
                times[name].append(timed_build(cfg, site))
        html = {"om-markdoc": count_html(plugin_site), "baseline": count_html(base_site)}

        profile = None
        if not args.no_profile:
            if not args.json:
                print("  profiling one om-markdoc build in-process ...", file=sys.stderr, flush=True)
            shutil.rmtree(plugin_site, ignore_errors=True)
            profile = profile_build(plugin_cfg)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    medians = {name: statistics.median(values) for name, values in times.items()}
    labels = {"om-markdoc": "MkDocs + Material + om-markdoc", "baseline": "MkDocs + Material (tags stripped)"}
    result: dict[str, Any] = {
        "corpus": str(version_dir),
        "pages": len(pages),
        "bytes": size,
        "tags_removed": tags_removed,
        "nav": {"mode": args.nav, "description": description},
        "iterations": args.iterations,
        "builds": {
            name: {
                "label": labels[name],
                "seconds": times[name],
                "median_s": medians[name],
                "pages_per_s": len(pages) / medians[name],
                "ratio_vs_baseline": medians[name] / medians["baseline"],
                "html_files": html[name],
            }
            for name in ("om-markdoc", "baseline")
        },
        "ratio": medians["om-markdoc"] / medians["baseline"],
        "profile": profile,
        "jobs": args.jobs,
        "features": features,
        "targets": {"ratio": TARGET_RATIO, "seconds": TARGET_SECONDS},
        "cpus": os.cpu_count(),
        "loadavg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
