#!/usr/bin/env python3
"""Site build cost: MkDocs + Material + om-markdoc against plain MkDocs + Material with the same features.

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

Equal features: Material's ``navigation.prune`` in both (``--no-prune`` turns it off in both), and
navigation of the same shape: ``--nav menu`` (default) gives the plugin ``nav: menu`` and the
baseline a ``nav:`` written from the same ``menu.md`` entries (mapped to the stripped files by
front-matter slug); ``--nav folders`` uses folder navigation in both.

Measured (every build a fresh ``python -m mkdocs build -q`` child process, CPU seconds of its whole
process tree, see ``measure.py``; pairs alternate, ratios are per run, then their median):

* cold, one process each: om-markdoc with ``jobs: 1`` against the baseline (CPU and wall);
* cold, om-markdoc with one process per core (``jobs: 0``) against the same one-process baseline:
  the wall ratio is what the second core buys, the CPU ratio what it costs;
* warm, nothing changed: ``mkdocs build --dirty`` again into the site of an earlier build, for
  both (om-markdoc with its ``cache_dir``, ``jobs: 1``).

Optionally (``--profile``) one more om-markdoc build runs in this process with timers wrapped
around the plugin's hooks, the dialect pipeline and MkDocs' page building, to show where the time
goes.

Targets (issue #21): cold one-process CPU <= 0.9x the baseline's; cold wall with the second core
<= 0.5x; warm no-change CPU <= the baseline's ``--dirty`` build.

Usage: ``python benchmarks/bench_site.py [--version v1.5.x] [--content DIR] [--runs N]
[--nav menu|folders] [--no-prune] [--profile] [--quick] [--json]``.  ``--quick`` builds a
20-page sample of the version once (a smoke test, not a measurement).  Standard library only
(plus the project and the MkDocs it is installed with).  All temporary files live in one temp
dir, removed at the end.
"""
from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import re
import shutil
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
TARGETS = {"cold_one_process_cpu": 0.9, "cold_two_cores_wall": 0.5, "warm_no_change_cpu": 1.0}
"""Issue #21: om-markdoc / baseline, at most (the baseline always one process, same features)."""
QUICK_PAGES = 20

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchmarks import (
    gen_tree,
    measure,
)
from om_markdoc.site.menu import load_menu
from om_markdoc.site.pages import load_page
from om_markdoc.site.slugs import SlugIndex

TAG_RE = re.compile(r"\{%.*?%\}", re.DOTALL)
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
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


def mkdocs_build(config: Path, *, dirty: bool = False) -> measure.Sample:
    """One ``python -m mkdocs build -q`` child process (``--dirty`` into the existing site)."""
    argv = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), *(["--dirty"] if dirty else [])]
    return measure.run_command(argv, cwd=config.parent)


def cold_build(config: Path, site_dir: Path) -> Callable[[], measure.Sample]:
    """A build into an empty site folder."""

    def run() -> measure.Sample:
        shutil.rmtree(site_dir, ignore_errors=True)
        return mkdocs_build(config)

    return run


def warm_build(config: Path) -> Callable[[], measure.Sample]:
    """A ``--dirty`` build into the site an earlier build left, nothing changed in between."""
    return lambda: mkdocs_build(config, dirty=True)


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


def target_verdict(value: float, target: float) -> str:
    return f"<= {target:g}x: {'met' if value <= target else 'NOT met'}"


def print_report(result: dict[str, Any], pairs: dict[str, measure.Paired]) -> None:
    print(f"corpus:     {result['corpus']}")
    print(f"pages:      {result['pages']} built by both ({result['bytes'] / 1e6:.1f} MB of Markdoc source; "
          f"{result['tags_removed']} tags stripped for the baseline); pages in output: "
          f"om-markdoc {result['html_files']['om-markdoc']}, baseline {result['html_files']['baseline']}")
    print(f"navigation: {result['nav']['mode']} for both -- {result['nav']['description']}")
    print(f"features:   Material {', '.join(result['features']) or 'none'} in both builds")
    print(f"runs:       {result['runs']} per build kind (fresh `python -m mkdocs build -q` child processes, alternating)")
    print()
    measure.print_table("om-markdoc / plain MkDocs + Material (a / b; per-run ratios in brackets)", [
        ("cold, one process each (jobs: 1)", pairs["cold_one_process"]),
        ("cold, om-markdoc on every core (jobs: 0)", pairs["cold_all_cores"]),
        ("warm no-change, both `mkdocs build --dirty`", pairs["warm_no_change"]),
    ], "CPU = user + system seconds of each build's whole process tree; peak RSS = its largest process.")
    ratios = result["ratios"]
    print(f"targets (issue #21): cold one-process CPU {ratios['cold_one_process_cpu']:.2f}x "
          f"{target_verdict(ratios['cold_one_process_cpu'], TARGETS['cold_one_process_cpu'])}; "
          f"cold wall with the second core {ratios['cold_two_cores_wall']:.2f}x "
          f"{target_verdict(ratios['cold_two_cores_wall'], TARGETS['cold_two_cores_wall'])}; "
          f"warm no-change CPU {ratios['warm_no_change_cpu']:.2f}x "
          f"{target_verdict(ratios['warm_no_change_cpu'], TARGETS['warm_no_change_cpu'])}")
    prof = result.get("profile")
    if not prof:
        return
    total = prof["total_build_s"]
    print()
    print(f"Where the time goes (one in-process om-markdoc build: {total:.2f} s, {prof['pages_rendered']} pages rendered):")
    verdict = "ok" if prof["share"] < prof["target_share"] else "ABOVE TARGET"
    print(f"  om-markdoc share of the build: {100 * prof['share']:.1f}%  "
          f"({prof['om_markdoc_hooks_s']:.2f} s in its hooks / {total:.2f} s; target < {100 * prof['target_share']:.0f}%: {verdict})")
    width = 60
    print(f"  {'part':<{width}} {'seconds':>8} {'of build':>8}")
    print("  om-markdoc hooks (inclusive):")
    for hook, secs in prof["hooks_s"].items():
        print(f"    {hook:<{width - 2}} {secs:>8.2f} {pct(secs, total):>8}")
    print(f"  inside the hooks (self times, adding up to {prof['om_markdoc_hooks_s']:.2f} s;"
          f" DialectRenderer.render inclusive: {prof['dialect_render_s']:.2f} s):")
    for label, secs in prof["inside_hooks_self_s"].items():
        print(f"    {label:<{width - 2}} {secs:>8.2f} {pct(secs, total):>8}")
    print("  MkDocs + Material (self times):")
    for label, secs in prof["mkdocs_self_s"].items():
        print(f"    {label:<{width - 2}} {secs:>8.2f} {pct(secs, total):>8}")
    print("  (tokenize/recover/parse include partials parsed on demand; validate includes the once-per-build"
          " partial checks; SiteFiles.link/image run during transform)")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="the corpus content/ folder")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="version folder under --content (default v1.5.x)")
    parser.add_argument("--runs", type=int, default=3, help="paired runs of each comparison (default 3)")
    parser.add_argument("--nav", choices=("menu", "folders"), default="menu", help="navigation for both builds (default menu)")
    parser.add_argument("--no-prune", action="store_true", help="leave Material's navigation.prune off in both builds")
    parser.add_argument("--profile", action="store_true", help="add the in-process 'where the time goes' build")
    parser.add_argument("--quick", action="store_true", help=f"a {QUICK_PAGES}-page sample, one run (smoke test)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 1
    if args.runs < 1:
        parser.error("--runs must be >= 1")
    if not (args.content / args.version).is_dir():
        parser.error(f"no version folder {args.content / args.version}")
    if args.nav == "menu" and not (args.content / args.version / "menu.md").is_file():
        parser.error(f"--nav menu: {args.content / args.version} has no menu.md")
    return args


def prepare(args: argparse.Namespace, version_dir: Path, tmp: Path) -> dict[str, Any]:
    """The stripped copy and the four configs (cold and warm, om-markdoc and baseline)."""
    stripped = tmp / "stripped"
    stripped.mkdir()
    pages, tags_removed, size = prepare_baseline(version_dir, stripped)
    images = version_dir.parent.parent / "images"
    if images.is_dir():  # the plugin copies this folder into its site; the baseline copies it too
        (stripped / "images").symlink_to(images, target_is_directory=True)
    if args.nav == "menu":
        nav, entries = menu_nav(version_dir, pages)
        description = (f"plugin `nav: menu` from menu.md; baseline `nav:` generated from the same menu.md "
                       f"({entries} entries mapped to the stripped files by slug)")
    else:
        nav, description = None, "plugin `nav: folders`; baseline MkDocs' default folder navigation"
    features = [] if args.no_prune else ["navigation.prune"]

    def plugin(jobs: int, cache: Path | None = None) -> list[Any]:
        options: dict[str, Any] = {"nav": args.nav, "jobs": jobs}
        if cache is not None:
            options["cache_dir"] = str(cache)
        return ["search", {"om-markdoc": options}]

    configs = {
        "om-1": (plugin(1), version_dir, None), "om-all": (plugin(0), version_dir, None),
        "base": (None, stripped, nav), "om-warm": (plugin(1, tmp / "cache"), version_dir, None),
        "base-warm": (None, stripped, nav),
    }
    paths = {}
    for name, (plugins, docs, nav_for) in configs.items():
        paths[name] = (tmp / f"{name}.yml", tmp / f"site-{name}")
        write_config(paths[name][0], docs, paths[name][1], plugins, nav_for, features)
    return {"pages": pages, "tags_removed": tags_removed, "bytes": size, "nav": {"mode": args.nav, "description": description},
            "features": features, "paths": paths}


def measure_all(runs: int, paths: dict[str, tuple[Path, Path]], say: Callable[[str], None]) -> dict[str, measure.Paired]:
    """The three paired comparisons; the warm sites are built once, unmeasured, beforehand."""
    cold = {name: cold_build(*paths[name]) for name in ("om-1", "om-all", "base")}
    pairs = {}
    say("cold, one process each")
    pairs["cold_one_process"] = measure.paired(cold["om-1"], cold["base"], runs, say)
    say("cold, om-markdoc on every core")
    pairs["cold_all_cores"] = measure.paired(cold["om-all"], cold["base"], runs, say)
    say("warm no-change: priming both sites")
    for name in ("om-warm", "base-warm"):
        cold_build(*paths[name])()
    pairs["warm_no_change"] = measure.paired(warm_build(paths["om-warm"][0]), warm_build(paths["base-warm"][0]), runs, say)
    return pairs


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    say = (lambda _text: None) if args.json else (lambda text: print(f"  {text} ...", file=sys.stderr, flush=True))
    tmp = Path(tempfile.mkdtemp(prefix="om-markdoc-bench-site-"))
    try:
        content = gen_tree.sample_version(args.content, args.version, QUICK_PAGES, tmp / "sample") if args.quick else args.content
        version_dir = (content / args.version).resolve()
        prepared = prepare(args, version_dir, tmp)
        paths = prepared["paths"]
        pairs = measure_all(args.runs, paths, say)
        html = {"om-markdoc": count_html(paths["om-1"][1]), "baseline": count_html(paths["base"][1])}
        profile = None
        if args.profile:
            say("profiling one om-markdoc build in-process")
            shutil.rmtree(paths["om-1"][1], ignore_errors=True)
            profile = profile_build(paths["om-1"][0])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    result: dict[str, Any] = {
        "corpus": str(args.content / args.version) + (f" (--quick: first {QUICK_PAGES} pages)" if args.quick else ""),
        "pages": len(prepared["pages"]), "bytes": prepared["bytes"], "tags_removed": prepared["tags_removed"],
        "nav": prepared["nav"], "features": prepared["features"], "runs": args.runs, "html_files": html,
        "comparisons": {name: measure.as_json(pair) for name, pair in pairs.items()},
        "ratios": {
            "cold_one_process_cpu": pairs["cold_one_process"].median("cpu_s"),
            "cold_two_cores_wall": pairs["cold_all_cores"].median("wall_s"),
            "warm_no_change_cpu": pairs["warm_no_change"].median("cpu_s"),
        },
        "targets": TARGETS, "profile": profile, "cpus": os.cpu_count(), "loadavg_1m": measure.load_average(),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result, pairs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
