"""Incremental builds: how long ``serve`` takes from a saved file to its HTML, and how long a
warm ``om-markdoc build`` takes, against a full MkDocs build of the same version.

Measured on temporary copies of the OpenMetadata corpus (never on the corpus itself):

(a) a full build of one version: a fresh ``python -m mkdocs build -q -f <config>`` subprocess
    with the config ``serve`` generates (``om_markdoc.build.builder._generated_config`` without
    the manifest/cache keys);
(b) ``serve``-style rebuilds in this process (``om_markdoc.build.serve._loader``, one
    ``on_startup(command="serve")``, ``build(config, dirty=True)``), timed from "file saved" to
    "``build`` returned" for: one page edit, one edit of the most-included partial, a ``menu.md``
    edit (an entry renamed) and a no-op rebuild; rendered pages are the plugin's count (``stats["rendered"]``: pages
    whose Markdoc was rendered, in this process or in its workers; a menu edit reuses every
    page's body and re-runs only the templates);
(c) ``om-markdoc build`` (``build_site``) of all corpus versions into an empty site folder (cold),
    then again with nothing changed (warm).

Targets: page edit < 1 s, partial edit < 3 s, ``menu.md`` edit < 2 s, warm all-versions build < 5 s.
Standard library + om_markdoc + mkdocs only.  Every temporary file is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import yaml  # noqa: E402  (a dependency of mkdocs)
from mkdocs.commands.build import build  # noqa: E402

from om_markdoc.build.builder import _generated_config, build_site  # noqa: E402
from om_markdoc.build.plan import plan_build  # noqa: E402
from om_markdoc.build.serve import _loader  # noqa: E402
from om_markdoc.mkdocs_plugin import incremental  # noqa: E402
from om_markdoc.site.partials import PartialResolver  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs"
TARGETS = {"page_edit": 1.0, "partial_edit": 3.0, "menu_edit": 2.0, "warm_all_versions": 5.0}


# --- helpers ------------------------------------------------------------------------------------


def copy_tree(corpus: Path, destination: Path, versions: list[str] | None) -> Path:
    """``content/<versions>``, ``content/partials`` and ``images`` of the corpus, copied."""
    content = corpus / "content"
    names = versions if versions is not None else sorted(p.name for p in content.iterdir() if p.is_dir())
    for name in [*names, "partials"] if versions is not None else names:
        shutil.copytree(content / name, destination / "content" / name)
    if (corpus / "images").is_dir():
        shutil.copytree(corpus / "images", destination / "images")
    return destination


class PluginCounter:
    """Pages whose Markdoc the last build rendered, as the plugin counts them (its workers'
    renders included, which a wrapper in this process would miss)."""

    def __init__(self) -> None:
        self.config: Any = None

    def take(self) -> int:
        return int(self.config.plugins["om-markdoc"].stats["rendered"]) if self.config is not None else 0

    def restore(self) -> None:
        pass


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def rename_menu_entry(menu: Path, i: int) -> None:
    """A real menu edit: the first nested entry's title gets `` (edit i)``, which changes the
    navigation of every page (a whitespace edit would change none)."""
    lines = menu.read_text(encoding="utf-8").splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.lstrip().startswith("- category:") and " / " in line:
            lines[n] = line.rstrip().split(" (edit ")[0] + f" (edit {i})\n"
            break
    else:
        raise SystemExit(f"{menu}: no nested entry to rename")
    menu.write_text("".join(lines), encoding="utf-8")


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


# --- (a) full build -------------------------------------------------------------------------------


def full_build(tree: Path, version: str, work: Path, iterations: int) -> dict[str, Any]:
    plan = plan_build(tree)
    site = work / "full-site"
    generated = _generated_config(plan, plan.version(version), site, Path(), Path())
    options = generated["plugins"][1]["om-markdoc"]
    for key in ("versions_manifest", "cache_dir"):
        options.pop(key)
    config = work / "full-mkdocs.yml"
    config.write_text(yaml.safe_dump(generated), encoding="utf-8")
    times = []
    for _ in range(iterations):
        shutil.rmtree(site, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
        times.append(time.perf_counter() - started)
    pages = html_pages(site)
    shutil.rmtree(site, ignore_errors=True)
    return {"seconds": times, "median_s": statistics.median(times), "pages": pages}


# --- (b) serve-style rebuilds ---------------------------------------------------------------------


def serve_rebuilds(tree: Path, version: str, work: Path, iterations: int) -> dict[str, Any]:
    plan = plan_build(tree)
    site = work / "serve-site"
    config_dir = work / "serve-config"
    config_dir.mkdir()
    get_config = _loader(plan, version, site, config_dir, None)
    counter = PluginCounter()
    try:
        config = get_config()
        config.plugins.on_startup(command="serve", dirty=True)
        counter.config = config
        started = time.perf_counter()
        build(config, dirty=True)
        first = time.perf_counter() - started
        first_pages = counter.take()

        # what the plugin recorded: every page's partials, direct and indirect
        scope = next(s for s in incremental._MEMORY if f"|{site}|" in s)  # noqa: SLF001 - what the plugin keeps
        records = incremental._MEMORY[scope].pages  # noqa: SLF001
        includers: dict[str, int] = {}
        for record in records.values():
            for name in record.partials:
                includers[name] = includers.get(name, 0) + 1
        resolver = PartialResolver(plan.partials_root)
        partial_name, partial_path = None, None
        for name, _ in sorted(includers.items(), key=lambda item: (-item[1], item[0])):
            path = resolver.resolve(name).path
            if path is not None and Path(path).is_file():
                partial_name, partial_path = name, Path(path)
                break
        page_uri = sorted(uri for uri, record in records.items() if not record.partials and not uri.endswith("index.md"))[0]
        page_path = Path(plan.content_root, page_uri)
        menu_path = Path(plan.content_root, version, "menu.md")

        def timed(label: str, change) -> dict[str, Any]:
            times, counts = [], []
            for i in range(iterations):
                if change is not None:
                    change(i)
                config = counter.config = get_config()
                started = time.perf_counter()
                build(config, dirty=True)
                times.append(time.perf_counter() - started)
                counts.append(counter.take())
            return {"label": label, "seconds": times, "median_s": statistics.median(times), "rendered": counts}

        results = {
            "noop": timed("no-op rebuild", None),
            "page_edit": timed(f"page edit ({page_uri})", lambda i: append(page_path, f"\n\nBenchmark edit {i}.\n")),
            "partial_edit": timed(
                f"partial edit ({partial_name})", lambda i: append(partial_path, f"\n\nBenchmark edit {i}.\n")  # type: ignore[arg-type]
            ),
            "menu_edit": timed(f"menu.md edit ({version}: an entry renamed)", lambda i: rename_menu_entry(menu_path, i)),
        }
        results["partial_edit"]["includers"] = includers.get(partial_name or "", 0)
        return {
            "first_build_s": first,
            "first_build_rendered": first_pages,
            "pages": len(records),
            "page": page_uri,
            "partial": partial_name,
            "rebuilds": results,
        }
    finally:
        counter.restore()
        config.plugins.on_shutdown()
        shutil.rmtree(site, ignore_errors=True)


# --- (c) om-markdoc build, all versions ----------------------------------------------------------


def all_versions(tree: Path, work: Path, jobs: int | None) -> dict[str, Any]:
    plan = plan_build(tree)
    site = work / "all-site"
    out: dict[str, Any] = {"versions": [v.name for v in plan.versions]}
    for label in ("cold", "warm"):
        started = time.perf_counter()
        report = build_site(plan, site, jobs=jobs)
        total = time.perf_counter() - started
        out[label] = {
            "total_s": total,
            "ok": report.ok,
            "per_version": {
                r.version: {"seconds": r.seconds, "skipped": r.skipped, "pages": r.pages, "error": r.error}
                for r in report.results
            },
        }
    shutil.rmtree(site, ignore_errors=True)
    return out


# --- report ---------------------------------------------------------------------------------------


def print_report(data: dict[str, Any]) -> None:
    full = data["full_build"]["median_s"]
    serve = data["serve"]
    print(f"corpus: {data['corpus']}  version: {data['version']}  ({serve['pages']} pages)")
    print(f"cpus: {data['cpus']}  load average (1 min): {data['loadavg_1m']}  iterations: {data['iterations']}")
    print()
    print(f"{'what':<84} {'seconds':>9} {'vs full':>8} {'rendered':>9} {'target':>8}")
    print("-" * 122)

    def row(label: str, seconds: float, rendered: str = "", target: float | None = None) -> None:
        mark = "" if target is None else (f"< {target:g} s " + ("ok" if seconds < target else "MISSED"))
        print(f"{label:<84} {seconds:9.2f} {seconds / full:7.2f}x {rendered:>9} {mark:>8}")

    row("(a) full mkdocs build (subprocess, median)", full, str(data["full_build"]["pages"]))
    row("(b) serve: first build (in process)", serve["first_build_s"], str(serve["first_build_rendered"]))
    for key, item in serve["rebuilds"].items():
        rendered = "/".join(str(c) for c in item["rendered"])
        row(f"(b) serve: {item['label']}", item["median_s"], rendered, TARGETS.get(key))
    partial = serve["rebuilds"]["partial_edit"]
    print(
        f"    the partial is included (directly or not) by {partial['includers']} pages; rendered per edit: "
        f"{', '.join(str(c) for c in partial['rendered'])}"
    )
    every = data["all_versions"]
    for label in ("cold", "warm"):
        run = every[label]
        for version, item in run["per_version"].items():
            state = "skipped" if item["skipped"] else ("FAILED" if item["error"] else f"{item['pages']} pages")
            print(f"    (c) {label} {version:<18} {item['seconds']:6.2f} s  {state}")
        row(
            f"(c) om-markdoc build, all versions, {label} (total)",
            run["total_s"],
            "",
            TARGETS["warm_all_versions"] if label == "warm" else None,
        )
    print()
    print(
        "vs full = seconds / (a)'s median.  rendered = pages whose Markdoc the plugin rendered (workers included), per iteration."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="an OpenMetadata tree (content/, images/)")
    parser.add_argument("--version", default="v1.5.x", help="the version of (a) and (b)")
    parser.add_argument("--iterations", type=int, default=3, help="edits of each kind, and full builds, timed")
    parser.add_argument("--jobs", type=int, default=None, help="parallel version builds in (c)")
    parser.add_argument("--no-all-versions", action="store_true", help="skip (c)")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = parser.parse_args(argv)
    if not (args.corpus / "content" / args.version).is_dir():
        parser.error(f"no {args.corpus}/content/{args.version}")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the corpus has warnings; they are not timed

    work = Path(tempfile.mkdtemp(prefix="om-markdoc-bench-incr-"))
    try:
        one = copy_tree(args.corpus, work / "one", [args.version]).resolve()
        data: dict[str, Any] = {
            "corpus": str(args.corpus),
            "version": args.version,
            "iterations": args.iterations,
            "cpus": os.cpu_count(),
            "loadavg_1m": round(os.getloadavg()[0], 2),
            "targets_s": TARGETS,
        }
        data["full_build"] = full_build(one, args.version, work, args.iterations)
        data["serve"] = serve_rebuilds(one, args.version, work, args.iterations)
        if not args.no_all_versions:
            every = copy_tree(args.corpus, work / "all", None).resolve()
            data["all_versions"] = all_versions(every, work, args.jobs)
        full = data["full_build"]["median_s"]
        data["ratios_vs_full"] = {key: item["median_s"] / full for key, item in data["serve"]["rebuilds"].items()}
        if "all_versions" in data:
            data["ratios_vs_full"].update(
                {f"all_versions_{k}": data["all_versions"][k]["total_s"] / full for k in ("cold", "warm")}
            )
        checks = {
            "page_edit": data["serve"]["rebuilds"]["page_edit"]["median_s"],
            "partial_edit": data["serve"]["rebuilds"]["partial_edit"]["median_s"],
            "menu_edit": data["serve"]["rebuilds"]["menu_edit"]["median_s"],
        }
        if "all_versions" in data:
            checks["warm_all_versions"] = data["all_versions"]["warm"]["total_s"]
        data["targets_met"] = {key: value < TARGETS[key] for key, value in checks.items()}
        if args.json:
            print(json.dumps(data, indent=2))
        else:
            if "all_versions" not in data:
                data["all_versions"] = {
                    "cold": {"per_version": {}, "total_s": float("nan")},
                    "warm": {"per_version": {}, "total_s": float("nan")},
                }
            print_report(data)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
