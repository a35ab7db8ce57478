#!/usr/bin/env python3
"""Throughput of om-markdoc against plain markdown-it-py (and the Node Markdoc oracle), in one run.

All engines read the same pages (every ``*.md``/``*.mdoc``/``*.markdoc``/``*.markdown`` file under
``--pages``, recursively; default: ``../shared/corpus/openmetadata-docs/content/v1.5.x`` beside the
repository root).  The corpus is only read, never copied into the project.

Engines:

* ``om-markdoc`` -- per page: tokenize, AST build (``api.parse`` on the tokens), declare unknown tags
  (the oracle's default ``render`` mode, as ``render_document`` does), validate, transform,
  ``render_html``.  Each phase is timed separately and summed into the end-to-end figure.
* ``markdown-it-py`` -- ``MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(src)``:
  the floor for a design that sits on markdown-it-py.
* ``markdoc (node)`` -- the reference ``@markdoc/markdoc`` through ``node render.mjs --bench`` (when
  node and the oracle are available; it times itself in its own process and reports the mean).

Method: one warm-up pass per Python engine, then N timed passes (``--iterations``, default 3) that
alternate om-markdoc and markdown-it-py (the order flips every pass), so machine noise hits both;
the median pass is reported.  The ratio is om-markdoc throughput / markdown-it-py throughput
(target: >= 0.8, issue #14).  Standard library only.

Usage: ``python benchmarks/bench_core.py [--pages DIR] [--iterations N] [--json] [--check-ratio X]
[--no-oracle]``
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs" / "content" / "v1.5.x"
EXTS = {".md", ".mdoc", ".markdoc", ".markdown"}  # as the oracle's --bench lists them
TARGET_RATIO = 0.8
PHASES = ("tokenize", "ast_build", "declare_unknown_tags", "validate", "transform", "render")
# The oracle's names for the phases it times (it does not time its unknown-tags declaration).
ORACLE_PHASES = {"tokenize": "tokenize", "ast_build": "ast_build", "validate": "validate",
                 "transform": "transform", "render": "render"}

if str(REPO_ROOT) not in sys.path:  # run from a checkout without an editable install
    sys.path.insert(0, str(REPO_ROOT))

perf = time.perf_counter


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------

def list_pages(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if os.path.splitext(name)[1].lower() in EXTS:
                out.append(Path(dirpath) / name)
    return out


def load_pages(root: Path) -> list[tuple[str, str]]:
    # Bytes then decode: no newline translation, exactly the text node reads.
    return [(str(p), p.read_bytes().decode("utf-8")) for p in list_pages(root)]


# --------------------------------------------------------------------------------------------
# Engines (each returns the seconds of one pass over all pages; om-markdoc also its phases)
# --------------------------------------------------------------------------------------------

def make_om_markdoc() -> Callable[[list[tuple[str, str]]], dict[str, float]]:
    from om_markdoc.core import api
    from om_markdoc.core.document import declare_unknown_tags

    tokenizer = api.default_tokenizer()
    parse, validate, transform, render_html = api.parse, api.validate, api.transform, api.render_html

    def one_pass(pages: list[tuple[str, str]]) -> dict[str, float]:
        t_tok = t_ast = t_decl = t_val = t_tr = t_ren = 0.0
        failures = 0
        for file, src in pages:
            t0 = perf()
            tokens = tokenizer.tokenize(src)
            t1 = perf()
            ast = parse(tokens, file, tokenizer=tokenizer)
            t2 = perf()
            config = declare_unknown_tags({}, [ast], "render")
            t3 = perf()
            try:  # as render_document: reading through null raises, like the reference
                validate(ast, config)
            except (TypeError, RecursionError):
                failures += 1
            t4 = perf()
            try:
                content = transform(ast, config)
                t5 = perf()
                render_html(content)
            except (TypeError, RecursionError):
                failures += 1
                t5 = perf()
            t6 = perf()
            t_tok += t1 - t0
            t_ast += t2 - t1
            t_decl += t3 - t2
            t_val += t4 - t3
            t_tr += t5 - t4
            t_ren += t6 - t5
        phases = dict(zip(PHASES, (t_tok, t_ast, t_decl, t_val, t_tr, t_ren), strict=False))
        phases["total"] = sum(phases.values())
        phases["failures"] = failures
        return phases

    return one_pass


def make_markdown_it() -> Callable[[list[tuple[str, str]]], dict[str, float]]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    render = md.render

    def one_pass(pages: list[tuple[str, str]]) -> dict[str, float]:
        t0 = perf()
        for _file, src in pages:
            render(src)
        return {"total": perf() - t0}

    return one_pass


def timed_passes(pages, engines: dict[str, Callable], iterations: int) -> dict[str, list[dict]]:
    """One warm-up pass per engine, then ``iterations`` interleaved timed passes."""
    names = list(engines)
    for name in names:
        engines[name](pages)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for i in range(iterations):
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            gc.collect()
            runs[name].append(engines[name](pages))
    return runs


# --------------------------------------------------------------------------------------------
# Oracle
# --------------------------------------------------------------------------------------------

@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Keep child processes' chatter (npm install) out of stdout, which may carry --json output."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def find_oracle() -> Path:
    """``MARKDOC_ORACLE``, else the cached copy prepared by ``tests/conformance/regenerate.py``."""
    env = os.environ.get("MARKDOC_ORACLE")
    if env:
        p = Path(env)
        script = p / "render.mjs" if p.is_dir() else p
        if not script.is_file():
            raise RuntimeError(f"MARKDOC_ORACLE={env}: render.mjs not found")
        return script
    if shutil.which("npm") is None:
        raise RuntimeError("npm not found and MARKDOC_ORACLE not set")
    conformance = REPO_ROOT / "tests" / "conformance"
    if str(conformance) not in sys.path:
        sys.path.insert(0, str(conformance))
    try:
        import regenerate  # type: ignore[import-not-found]
    except ImportError as exc:
        raise RuntimeError(f"cannot import tests/conformance/regenerate.py: {exc}") from exc
    try:
        with stdout_to_stderr():
            return regenerate.locate_oracle()
    except SystemExit as exc:  # locate_oracle exits with a message when it cannot find one
        raise RuntimeError(str(exc.code)) from None
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"preparing the oracle failed: {exc}") from None


def run_oracle(pages_dir: Path, iterations: int, timeout: float) -> dict[str, Any]:
    if shutil.which("node") is None:
        raise RuntimeError("node not found")
    script = find_oracle()
    cmd = ["node", str(script), "--bench", str(pages_dir), "--iterations", str(iterations)]
    try:
        proc = subprocess.run(cmd, cwd=script.parent, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"node --bench took longer than {timeout:.0f}s") from None
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        raise RuntimeError(f"node exited {proc.returncode}: {lines[-1] if lines else ''}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"unreadable --bench output: {exc}") from None


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------

def rate(mb: float, seconds: float) -> float | None:
    return mb / seconds if seconds > 0 else None


def rnd(x: float | None, nd: int) -> float | None:
    return None if x is None else round(x, nd)


def summarise(runs: list[dict], mb: float, keys: tuple[str, ...] = ("total",)) -> dict[str, Any]:
    totals = [r["total"] for r in runs]
    med = statistics.median(totals)
    out: dict[str, Any] = {
        "mb_per_s": rnd(rate(mb, med), 3),
        "ms_per_iteration": round(med * 1000, 1),
        "ms_all_iterations": [round(t * 1000, 1) for t in totals],
    }
    if len(keys) > 1:
        out["phases_ms"] = {k: round(statistics.median(r[k] for r in runs) * 1000, 1) for k in keys}
        out["phases_mb_per_s"] = {k: rnd(rate(mb, statistics.median(r[k] for r in runs)), 2) for k in keys}
        out["failures_per_iteration"] = runs[0].get("failures", 0)
    return out


def build_report(args, pages_dir: Path, pages, runs, oracle, oracle_error) -> dict[str, Any]:
    nbytes = sum(len(src.encode("utf-8")) for _f, src in pages)
    mb = nbytes / 1e6
    om = summarise(runs["om-markdoc"], mb, PHASES + ("total",))
    mdit = summarise(runs["markdown-it-py"], mb)
    paired = [m["total"] / o["total"] for o, m in zip(runs["om-markdoc"], runs["markdown-it-py"], strict=False)]
    ratio = mdit["ms_per_iteration"] / om["ms_per_iteration"] if om["ms_per_iteration"] else None
    import markdown_it

    report: dict[str, Any] = {
        "corpus": {"dir": str(pages_dir), "files": len(pages), "input_mb": round(mb, 3)},
        "iterations": args.iterations,
        "warmup": 1,
        "statistic": "median",
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "markdown_it_py": markdown_it.__version__,
        "engines": {"om-markdoc": om, "markdown-it-py": mdit},
        "ratio_vs_markdown_it_py": rnd(ratio, 3),
        "ratio_paired": [round(r, 3) for r in paired],
        "ratio_paired_median": round(statistics.median(paired), 3),
        "cpus": os.cpu_count(),
        "loadavg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "target_ratio": TARGET_RATIO,
    }
    if oracle is not None:
        ms = oracle.get("ms_per_iteration", {})
        total = ms.get("total")
        report["engines"]["markdoc (node)"] = {
            "mb_per_s": rnd(rate(oracle.get("input_mb", mb), total / 1000), 3) if total else None,
            "ms_per_iteration": total,
            "statistic": "mean",
            "files": oracle.get("files"),
            "input_mb": oracle.get("input_mb"),
            "markdoc": oracle.get("markdoc_version"),
            "node": oracle.get("node"),
            "phases_ms": {k: ms.get(v) for k, v in ORACLE_PHASES.items()},
        }
    else:
        report["engines"]["markdoc (node)"] = {"unavailable": oracle_error}
    return report


def print_table(rep: dict[str, Any]) -> None:
    c = rep["corpus"]
    print(f"corpus: {c['dir']}")
    print(f"        {c['files']} pages, {c['input_mb']:.3f} MB; {rep['warmup']} warm-up + "
          f"{rep['iterations']} timed iterations, median (Python {rep['python']}, "
          f"markdown-it-py {rep['markdown_it_py']})")
    if rep["loadavg_1m"] is not None:
        print(f"        machine: {rep['cpus']} CPUs, 1-minute load average {rep['loadavg_1m']} at the end")
    print()
    engines = rep["engines"]
    base_ms = engines["markdown-it-py"]["ms_per_iteration"]
    print(f"{'engine':<22}{'MB/s':>9}{'ms/iter':>11}{'vs markdown-it-py':>20}")
    print("-" * 62)
    for name, e in engines.items():
        if "unavailable" in e:
            continue
        ms = e["ms_per_iteration"]
        ratio = f"{base_ms / ms:.2f}x" if ms else "-"
        note = "  (mean, own process)" if e.get("statistic") == "mean" else ""
        print(f"{name:<22}{e['mb_per_s']:>9.2f}{ms:>11.1f}{ratio:>20}{note}")
    oracle = engines["markdoc (node)"]
    if "unavailable" in oracle:
        print(f"oracle: unavailable ({oracle['unavailable']})")
    elif oracle.get("files") != c["files"]:
        print(f"warning: the oracle read {oracle.get('files')} pages, this script {c['files']}")
    print()
    ratio = rep["ratio_vs_markdown_it_py"]
    verdict = "meets" if ratio is not None and ratio >= rep["target_ratio"] else "BELOW"
    paired = ", ".join(f"{r:.2f}" for r in rep["ratio_paired"])
    print(f"om-markdoc / markdown-it-py throughput: {ratio:.3f}  ({verdict} target "
          f">= {rep['target_ratio']})")
    print(f"  per paired iteration: {paired}  (median {rep['ratio_paired_median']:.3f})")
    print()
    om = engines["om-markdoc"]
    has_oracle = "phases_ms" in oracle
    head = f"{'om-markdoc phase':<22}{'ms/iter':>9}{'MB/s':>9}{'share':>8}"
    if has_oracle:
        head += f"{'node ms':>10}{'x node':>8}"
    print(head)
    print("-" * len(head))
    total = om["phases_ms"]["total"]
    for k in PHASES + ("total",):
        v = om["phases_ms"][k]
        r = om["phases_mb_per_s"][k]
        line = f"{k:<22}{v:>9.1f}{(r if r is not None else float('nan')):>9.1f}{(100 * v / total if total else 0):>7.1f}%"
        if has_oracle:
            nv = oracle["ms_per_iteration"] if k == "total" else oracle["phases_ms"].get(k)
            if nv:
                line += f"{nv:>10.1f}{v / nv:>7.1f}x"
            else:
                line += f"{'-':>10}{'-':>8}"
        print(line)
    print("(phase figures are per-phase medians, so they need not add up exactly to the total)")
    if om.get("failures_per_iteration"):
        print(f"note: {om['failures_per_iteration']} validate/transform exceptions per iteration (caught, as render_document does)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of pages (default: %(default)s)")
    ap.add_argument("--iterations", type=int, default=3, help="timed iterations after 1 warm-up (default: 3)")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object")
    ap.add_argument("--check-ratio", type=float, metavar="X", help="exit 1 if om-markdoc / markdown-it-py throughput is below X")
    ap.add_argument("--no-oracle", action="store_true", help="skip the Node oracle")
    ap.add_argument("--oracle-timeout", type=float, default=600, help="seconds (default: %(default)s)")
    args = ap.parse_args(argv)
    if args.iterations < 1:
        ap.error("--iterations must be >= 1")
    pages_dir = args.pages.resolve()
    if not pages_dir.exists():
        ap.error(f"--pages {args.pages}: not found")
    pages = load_pages(pages_dir)
    if not pages:
        ap.error(f"--pages {args.pages}: no {'/'.join(sorted(EXTS))} files")

    engines = {"om-markdoc": make_om_markdoc(), "markdown-it-py": make_markdown_it()}
    runs = timed_passes(pages, engines, args.iterations)

    oracle = oracle_error = None
    if args.no_oracle:
        oracle_error = "--no-oracle"
    else:
        try:
            oracle = run_oracle(pages_dir, args.iterations, args.oracle_timeout)
        except RuntimeError as exc:
            oracle_error = str(exc)

    report = build_report(args, pages_dir, pages, runs, oracle, oracle_error)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    if args.check_ratio is not None:
        ratio = report["ratio_vs_markdown_it_py"] or 0.0
        if ratio < args.check_ratio:
            print(f"check-ratio: {ratio:.3f} < {args.check_ratio}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
