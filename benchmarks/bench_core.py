#!/usr/bin/env python3
"""Throughput of om-markdoc's core against plain markdown-it-py with the same preset, on two trees.

Trees (both only read; the second is generated into a temporary folder and removed at the end):

* the **corpus**: every ``*.md``/``*.mdoc``/``*.markdoc``/``*.markdown`` file under ``--pages``,
  recursively (default ``../shared/corpus/openmetadata-docs/content/v1.5.x``), the pages the core
  was tuned on;
* a **generated** tree (``gen_tree.py``): blocks of every corpus version shuffled and recombined
  with a seed, in other tag mixes and other page sizes, which the core was not tuned on.

Engines:

* ``om-markdoc`` -- per page: tokenize, AST build, declare unknown tags (the oracle's default
  ``render`` mode, as ``render_document`` does), validate, transform, ``render_html``;
* ``markdown-it-py`` -- ``MarkdownIt("js-default").disable("lheading").render(src)``: the preset
  and rule set om-markdoc's ``Tokenizer`` starts from, without the Markdoc rules;
* ``markdoc (node)`` (corpus only, when node and the oracle are available): the reference
  timing itself in its own process (mean of its passes), shown for scale, never paired.

Method (``measure.py``): both engines are built and warmed up here, then every timed pass runs in
a forked child (so it starts from the same warm state) and is measured by the CPU and wall
seconds of that child; the passes alternate (om md, md om, ...) and the figure is the median of
the per-pass ratios, printed with every pass's ratio and the load average.  One more in-process
pass gives om-markdoc's phase breakdown.  Target (issue #21): om-markdoc at >= 1.0x
markdown-it-py's throughput on every tree, CPU.

Usage: ``python benchmarks/bench_core.py [--pages DIR] [--runs N] [--gen-pages N] [--seed S]
[--json] [--no-oracle] [--quick]``.  ``--quick``: 20 pages of each tree, one run, no oracle.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs" / "content" / "v1.5.x"
EXTS = {".md", ".mdoc", ".markdoc", ".markdown"}  # as the oracle's --bench lists them
TARGET_THROUGHPUT = 1.0
"""om-markdoc's throughput as a multiple of markdown-it-py's, at least (issue #21)."""
QUICK_PAGES = 20
PHASES = ("tokenize", "ast_build", "declare_unknown_tags", "validate", "transform", "render")
# The oracle's names for the phases it times (it does not time its unknown-tags declaration).
ORACLE_PHASES = {"tokenize": "tokenize", "ast_build": "ast_build", "validate": "validate",
                 "transform": "transform", "render": "render"}

if str(REPO_ROOT) not in sys.path:  # run from a checkout without an editable install
    sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "benchmarks"))

from benchmarks import (
    gen_tree,
    measure,
)

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
        phases = dict(zip(PHASES, (t_tok, t_ast, t_decl, t_val, t_tr, t_ren), strict=True))
        phases["total"] = sum(phases.values())
        phases["failures"] = failures
        return phases

    return one_pass


def make_markdown_it() -> Callable[[list[tuple[str, str]]], dict[str, float]]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default").disable("lheading")  # om_markdoc.core.tokenizer.Tokenizer's base
    render = md.render

    def one_pass(pages: list[tuple[str, str]]) -> dict[str, float]:
        t0 = perf()
        for _file, src in pages:
            render(src)
        return {"total": perf() - t0}

    return one_pass


def paired_passes(pages: list[tuple[str, str]], engines: dict[str, Callable], runs: int) -> measure.Paired:
    """A warm-up pass of each engine here, then ``runs`` alternating passes, each in a forked child."""
    for engine in engines.values():
        engine(pages)
    om, mdit = engines["om-markdoc"], engines["markdown-it-py"]
    return measure.paired(lambda: measure.run_callable(lambda: om(pages)),
                          lambda: measure.run_callable(lambda: mdit(pages)), runs)


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

def throughput(pair: measure.Paired, field: str) -> list[float]:
    """om-markdoc's throughput as a multiple of markdown-it-py's, per pass (the inverse time ratio)."""
    return [1 / r for r in pair.ratios(field)]


def tree_report(label: str, root: Path, pages: list[tuple[str, str]], pair: measure.Paired, note: str) -> dict[str, Any]:
    nbytes = sum(len(src.encode("utf-8")) for _f, src in pages)
    out: dict[str, Any] = {"tree": label, "dir": str(root), "files": len(pages), "input_mb": round(nbytes / 1e6, 3), "note": note,
                           "passes": measure.as_json(pair)}
    for field in ("cpu_s", "wall_s"):
        each = throughput(pair, field)
        out[f"throughput_{field}"] = [round(x, 3) for x in each]
        out[f"throughput_{field}_median"] = round(statistics.median(each), 3)
    out["target_met"] = out["throughput_cpu_s_median"] >= TARGET_THROUGHPUT
    return out


def phases_report(phases: dict[str, float], oracle: dict[str, Any] | None) -> dict[str, Any]:
    """om-markdoc's phases of one in-process corpus pass, beside the oracle's when it ran."""
    out: dict[str, Any] = {k: round(phases[k] * 1000, 1) for k in (*PHASES, "total")}
    out["failures"] = phases.get("failures", 0)
    if oracle is not None:
        ms = oracle.get("ms_per_iteration", {})
        out["oracle_ms"] = {k: ms.get(v) for k, v in ORACLE_PHASES.items()} | {"total": ms.get("total")}
        out["oracle"] = {"markdoc": oracle.get("markdoc_version"), "node": oracle.get("node"), "files": oracle.get("files")}
    return out


def print_report(rep: dict[str, Any]) -> None:
    print(f"om-markdoc core against markdown-it-py {rep['markdown_it_py']} (preset js-default, lheading off) on Python {rep['python']}")
    for tree in rep["trees"]:
        print(f"  {tree['tree']:<10} {tree['files']} pages, {tree['input_mb']:.2f} MB: {tree['dir']}  {tree['note']}")
    print(f"  {rep['runs']} paired passes per tree after a warm-up, each pass in a forked child")
    print()
    rows = [(f"{t['tree']}: om-markdoc / markdown-it-py time", rep["pairs"][t["tree"]]) for t in rep["trees"]]
    measure.print_table("time per pass (a = om-markdoc, b = markdown-it-py; per-pass ratios in brackets)", rows)
    print()
    for tree in rep["trees"]:
        each = " ".join(f"{x:.2f}" for x in tree["throughput_cpu_s"])
        wall = " ".join(f"{x:.2f}" for x in tree["throughput_wall_s"])
        print(f"throughput vs markdown-it-py, {tree['tree']:<10} CPU {tree['throughput_cpu_s_median']:.2f}x ({each}), "
              f"wall {tree['throughput_wall_s_median']:.2f}x ({wall}); target >= {TARGET_THROUGHPUT:g}x: "
              f"{'met' if tree['target_met'] else 'NOT met'}")
    print()
    phases = rep["phases"]
    oracle_ms = phases.get("oracle_ms")
    print("om-markdoc phases, one in-process corpus pass (not paired; for where the time goes):")
    for k in (*PHASES, "total"):
        node = oracle_ms.get(k) if oracle_ms else None
        beside = f"   markdoc on node {node:.1f} ms (own process, mean)" if node else ""
        print(f"  {k:<22}{phases[k]:>9.1f} ms{beside}")
    if rep.get("oracle_unavailable"):
        print(f"oracle: unavailable ({rep['oracle_unavailable']})")
    if phases["failures"]:
        print(f"note: {phases['failures']} validate/transform exceptions per pass (caught, as render_document does)")


def generated_tree(args: argparse.Namespace, dest: Path) -> tuple[list[tuple[str, str]], str]:
    mixes = gen_tree.generate(args.gen_source, dest, args.gen_pages, args.seed)
    note = f"(gen_tree.py, seed {args.seed}: " + ", ".join(f"{n} {mix}" for mix, n in mixes.items()) + ")"
    return load_pages(dest), note


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of pages (default: %(default)s)")
    ap.add_argument("--runs", type=int, default=5, help="paired passes per tree after 1 warm-up (default: 5)")
    ap.add_argument("--gen-pages", type=int, default=300, help="pages of the generated tree (default: 300)")
    ap.add_argument("--gen-source", type=Path, default=gen_tree.DEFAULT_SOURCE, help="what gen_tree.py recombines")
    ap.add_argument("--seed", type=int, default=21, help="the generated tree's seed (default: 21)")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object")
    ap.add_argument("--no-oracle", action="store_true", help="skip the Node oracle")
    ap.add_argument("--oracle-timeout", type=float, default=600, help="seconds (default: %(default)s)")
    ap.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} pages of each tree, one run, no oracle (smoke test)")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.gen_pages, args.no_oracle = 1, QUICK_PAGES, True
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    if not args.pages.exists():
        ap.error(f"--pages {args.pages}: not found")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    pages_dir = args.pages.resolve()
    corpus = load_pages(pages_dir)[: QUICK_PAGES if args.quick else None]
    if not corpus:
        print(f"--pages {args.pages}: no {'/'.join(sorted(EXTS))} files", file=sys.stderr)
        return 2
    engines = {"om-markdoc": make_om_markdoc(), "markdown-it-py": make_markdown_it()}
    with tempfile.TemporaryDirectory(prefix="om-markdoc-bench-core-") as temp:
        generated, note = generated_tree(args, Path(temp))
        pairs = {"corpus": paired_passes(corpus, engines, args.runs), "generated": paired_passes(generated, engines, args.runs)}
        trees = [tree_report("corpus", pages_dir, corpus, pairs["corpus"], "(the pages the core was tuned on)"),
                 tree_report("generated", Path(temp), generated, pairs["generated"], note)]
    phases = engines["om-markdoc"](corpus)
    oracle = oracle_error = None
    if args.no_oracle:
        oracle_error = "--no-oracle"
    else:
        try:
            oracle = run_oracle(pages_dir, args.runs, args.oracle_timeout)
        except RuntimeError as exc:
            oracle_error = str(exc)
    import markdown_it

    report: dict[str, Any] = {
        "python": platform.python_version(), "markdown_it_py": markdown_it.__version__, "runs": args.runs,
        "trees": trees, "phases": phases_report(phases, oracle), "oracle_unavailable": oracle_error,
        "target_throughput": TARGET_THROUGHPUT, "cpus": os.cpu_count(), "loadavg_1m": measure.load_average(),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report({**report, "pairs": pairs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
