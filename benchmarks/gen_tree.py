#!/usr/bin/env python3
"""A page tree the core was not tuned on: corpus pages cut into blocks, shuffled and recombined.

The core's speed work was measured on v1.5.x of the corpus, so a benchmark on those pages alone
can reward tuning to them.  This module builds another tree from the same kind of material, with
seeded randomness (the same ``--seed`` gives the same tree):

* **blocks**: every source page is cut at blank lines that lie outside code fences and outside
  any open Markdoc tag, so most blocks are whole paragraphs, lists, tables, fences or balanced
  tag bodies;
* **tag mixes**: each generated page draws one mix: ``prose`` (blocks without tags only),
  ``tags`` (blocks with tags only), ``mixed`` (any block), or ``wrapped`` (any block, a third of
  them wrapped in a tag of a name the corpus does not use, nested at random);
* **sizes**: the number of blocks per page is drawn log-uniformly from 1 to 400, so the tree
  holds tiny pages and pages far larger than any in the corpus.

The tree is written into a folder the caller names (the benchmarks use a temporary folder, removed
at the end); nothing generated is ever committed.

Usage: ``python benchmarks/gen_tree.py DEST [--source DIR] [--pages N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs" / "content"
MIXES = ("prose", "tags", "mixed", "wrapped")
MAX_BLOCKS = 400
INVENTED_TAGS = ("benchbox", "benchpanel", "benchnote")
"""Tag names no corpus page uses, rendered as unknown tags (the benchmark's ``render`` mode)."""

FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
OPEN_TAG_RE = re.compile(r"\{%\s*(?!/)[A-Za-z][^%]*?(?<!/)%\}")
CLOSE_TAG_RE = re.compile(r"\{%\s*/[A-Za-z][\w-]*\s*%\}")
TAG_RE = re.compile(r"\{%")


def split_blocks(text: str) -> list[str]:
    """Blocks of ``text`` cut at blank lines outside fences and outside open tags."""
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None
    depth = 0
    for line in text.splitlines():
        marker = FENCE_RE.match(line)
        if marker and (fence is None or marker.group(1)[0] == fence[0]):
            fence = marker.group(1) if fence is None else None
        elif fence is None:
            depth = max(0, depth + len(OPEN_TAG_RE.findall(line)) - len(CLOSE_TAG_RE.findall(line)))
        if not line.strip() and fence is None and depth == 0:
            if current:
                blocks.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def load_blocks(source: Path) -> list[str]:
    """Every block of every ``.md`` page under ``source``, in a stable order."""
    blocks: list[str] = []
    for path in sorted(source.rglob("*.md")):
        blocks.extend(split_blocks(path.read_text(encoding="utf-8", errors="replace")))
    return blocks


def wrap(rng: random.Random, blocks: list[str]) -> list[str]:
    """A third of the blocks wrapped in invented tags, some of them nested two deep."""
    out = []
    for block in blocks:
        for _ in range(rng.choice((0, 0, 0, 0, 1, 2))):
            name = rng.choice(INVENTED_TAGS)
            block = f'{{% {name} kind="{rng.randrange(5)}" %}}\n\n{block}\n\n{{% /{name} %}}'
        out.append(block)
    return out


def make_page(rng: random.Random, pools: dict[str, list[str]]) -> tuple[str, str]:
    """One page: (its tag mix, its text)."""
    mix = rng.choice(MIXES)
    pool = pools["prose" if mix == "prose" else "tags" if mix == "tags" else "all"]
    count = max(1, round(math.exp(rng.uniform(0, math.log(MAX_BLOCKS)))))
    blocks = [rng.choice(pool) for _ in range(count)]
    if mix == "wrapped":
        blocks = wrap(rng, blocks)
    title = f"---\ntitle: Generated page {rng.randrange(10**6)}\n---\n\n"
    return mix, title + "\n\n".join(blocks) + "\n"


def generate(source: Path, dest: Path, pages: int, seed: int) -> dict[str, int]:
    """Write ``pages`` pages into ``dest`` (in nested folders); return how many of each mix."""
    blocks = load_blocks(source)
    if not blocks:
        raise SystemExit(f"gen_tree: no .md pages under {source}")
    pools = {"all": blocks, "tags": [b for b in blocks if TAG_RE.search(b)], "prose": [b for b in blocks if not TAG_RE.search(b)]}
    pools = {name: pool or blocks for name, pool in pools.items()}
    rng = random.Random(seed)
    mixes = dict.fromkeys(MIXES, 0)
    for i in range(pages):
        mix, text = make_page(rng, pools)
        mixes[mix] += 1
        path = dest / f"part-{i % 7}" / f"section-{i % 3}" / f"page-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return mixes


def sample_version(content: Path, version: str, pages: int, target: Path) -> Path:
    """A small copy of one version for the benchmarks' ``--quick`` runs: its menu, its first
    ``pages`` pages (sorted) and the shared partials; return the new ``content`` folder."""
    source = content / version
    out = target / "content"
    chosen = [p for p in sorted(source.rglob("*.md")) if not p.name.endswith("menu.md")][:pages]
    for path in [source / "menu.md", *chosen]:
        if path.is_file():
            dest = out / version / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
    if (content / "partials").is_dir():
        shutil.copytree(content / "partials", out / "partials")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="folder to write the tree into")
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="pages to cut into blocks (default: the corpus content/)"
    )
    parser.add_argument("--pages", type=int, default=300, help="pages to generate (default 300)")
    parser.add_argument("--seed", type=int, default=21, help="random seed (default 21)")
    args = parser.parse_args(argv)
    mixes = generate(args.source, args.dest, args.pages, args.seed)
    print(f"{args.pages} pages in {args.dest}: " + ", ".join(f"{n} {mix}" for mix, n in mixes.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
