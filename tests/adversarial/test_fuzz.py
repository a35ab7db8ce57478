"""A mutation fuzz over real pages, bounded by a count of inputs: a few in CI, many on demand.

Each input is a corpus page mutated at random (see ``conftest.mutate``), pushed through the
UTF-8 decoder, the front-matter reader, the renderer (with a partial store, so mutated
``{% partial %}`` tags resolve for real), the config-example YAML loader and the .env parser.
Any exception or a diagnostic without file:line:column is a finding; failing inputs are saved
so they can be replayed.  The run is a number of inputs (and trees), not a time, so a busy
machine makes it slower, never shorter or failing.

    FUZZ_INPUTS=100000 FUZZ_TREES=3000 .venv/bin/python -m pytest tests/adversarial/test_fuzz.py   # long run
    .venv/bin/python benchmarks/fuzz.py --inputs 100000                                           # same, with a report
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import assert_located, corpus_sample, mutate, write

CI_INPUTS = 1000
"""Mutated pages per CI run (~15 s on a quiet 2-core machine); FUZZ_INPUTS overrides."""
CI_TREES = 40
"""Mutated trees checked per CI run (~8 s); FUZZ_TREES overrides."""

FENCE = re.compile(r"```(\w*)[^\n]*\n(.*?)```", re.S)


@dataclass
class FuzzStats:
    inputs: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    diagnostics: int = 0
    failures: list[str] = field(default_factory=list)


def count(name: str, default: int) -> int:
    """How many of something a run does: the environment variable ``name``, else ``default``."""
    return int(os.environ.get(name) or default)


def fuzz_for(inputs: int, seed: int, workdir: Path, crash_dir: Path | None = None) -> FuzzStats:
    """Fuzz ``inputs`` mutated pages; returns what happened (``failures`` names each crash)."""
    from om_markdoc.dialect.context import PageContext
    from om_markdoc.dialect.pipeline import DialectRenderer
    from om_markdoc.examples.envfile import parse_env
    from om_markdoc.examples.yamlmap import YamlSyntaxError, load_documents
    from om_markdoc.site.frontmatter import split_front_matter
    from om_markdoc.site.partials import PartialResolver, PartialStore
    from om_markdoc.site.textfile import decode_bytes

    rng = random.Random(seed)
    pages = corpus_sample(300, seed)
    renderer = DialectRenderer()
    partials = write(workdir / "partials", {"v1.0/a.md": 'A {% $x %}\n\n{% partial file="/v1.0/b.md" /%}\n', "v1.0/b.md": "B\n"})
    store = PartialStore(PartialResolver(partials), lambda s, f: renderer.parse(s, f)[0])
    stats = FuzzStats()
    started = time.perf_counter()
    while stats.inputs < inputs:
        rel, data = rng.choice(pages)
        mutant = mutate(data, rng, rng.choice(pages)[1])
        if rng.random() < 0.3:  # aim at partials: rewrite some names to ones that resolve
            mutant = re.sub(
                rb'file="[^"]*"', lambda m: rng.choice([b'file="/v1.0/a.md"', m.group(0), b'file="../../x.md"']), mutant
            )
        began = time.perf_counter()
        try:
            text, found = decode_bytes(mutant, rel)
            fm = split_front_matter(text, rel)
            result = renderer.render(text, file=rel, context=PageContext(file=rel), partials=store, variables={"x": "<b>"})
            found = [*found, *fm.diagnostics, *result.diagnostics]
            assert_located(found, {rel})
            stats.diagnostics += len(found)
            for _language, body in FENCE.findall(text)[:4]:
                with contextlib.suppress(YamlSyntaxError):
                    load_documents(body)
                parse_env(body)
        except Exception as exc:  # noqa: BLE001 - every escape is a finding
            stats.failures.append(f"{rel} (seed {seed}, input {stats.inputs}): {type(exc).__name__}: {exc}")
            if crash_dir is not None:
                crash_dir.mkdir(parents=True, exist_ok=True)
                (crash_dir / f"crash-{seed}-{stats.inputs}.md").write_bytes(mutant)
                (crash_dir / f"crash-{seed}-{stats.inputs}.txt").write_text(traceback.format_exc())
        stats.slowest = max(stats.slowest, time.perf_counter() - began)  # reported, never judged
        stats.inputs += 1
    stats.seconds = time.perf_counter() - started
    return stats


@pytest.mark.corpus
def test_fuzz_render_pipeline(tmp_path: Path) -> None:
    stats = fuzz_for(
        count("FUZZ_INPUTS", CI_INPUTS), seed=count("FUZZ_SEED", 1), workdir=tmp_path, crash_dir=tmp_path / "crashes"
    )
    print(f"fuzz: {stats.inputs} inputs in {stats.seconds:.0f} s, slowest {stats.slowest:.2f} s, {len(stats.failures)} failures")
    assert stats.inputs == count("FUZZ_INPUTS", CI_INPUTS)
    assert not stats.failures, "\n".join(stats.failures[:20])


@pytest.mark.corpus
def test_fuzz_check_trees(tmp_path: Path) -> None:
    """Whole mutated trees through ``run_check`` (pages, partials and the menu mutated together)."""
    from om_markdoc.check import CheckOptions, run_check

    from .conftest import small_tree

    rng = random.Random(count("FUZZ_SEED", 1) + 7)
    pages = corpus_sample(60, 7)
    trees = 0
    while trees < count("FUZZ_TREES", CI_TREES):
        root = tmp_path / f"t{trees}"
        extra: dict[str, str | bytes] = {f"content/v1.0.x/m{i}.md": mutate(rng.choice(pages)[1], rng) for i in range(3)}
        extra["content/partials/v1.0/m.md"] = mutate(rng.choice(pages)[1], rng)
        extra["content/v1.0.x/menu.md"] = mutate(
            b"---\nsite_menu:\n  - category: Home\n    url: /\n  - category: Home / M\n    url: /m0\n---\n", rng
        )
        small_tree(root, guide_body='{% partial file="/v1.0/m.md" /%}', extra=extra)
        report = run_check(root, CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=1))
        for finding in report.findings:
            assert finding.line >= 1 and finding.column >= 1 and finding.file, finding
        trees += 1
    print(f"fuzz: {trees} mutated trees checked")
