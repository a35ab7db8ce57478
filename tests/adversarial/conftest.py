"""Shared helpers of the adversarial suite: corpus sampling, mutation operators, small trees,
location checks and resource measurement.

Corpus pages are read at test time from ``../shared/corpus/openmetadata-docs`` (beside the
repository) and only ever mutated in memory or written into ``tmp_path``: nothing of the corpus
is stored in the project.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from om_markdoc.diagnostics import Diagnostic

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
CORPUS_CONTENT = CORPUS / "content"

SECRET = "OM-MARKDOC-SECRET-7f3a9c1e"
"""Marker written into files outside the docs tree: it must never appear in any output."""

# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------

_PAGES: list[Path] | None = None


def corpus_files() -> list[Path]:
    """Every ``.md`` file of the corpus, sorted (cached)."""
    global _PAGES
    if _PAGES is None:
        _PAGES = sorted(CORPUS_CONTENT.rglob("*.md")) if CORPUS_CONTENT.is_dir() else []
    return _PAGES


def corpus_sample(count: int, seed: int, *, max_bytes: int = 60_000) -> list[tuple[str, bytes]]:
    """``count`` corpus pages ``(relative path, bytes)``, chosen by ``seed``; fails without corpus."""
    files = corpus_files()
    if not files:
        pytest.fail(f"corpus not found at {CORPUS_CONTENT} (it lives in ../shared beside the repository)")
    rng = random.Random(seed)
    out: list[tuple[str, bytes]] = []
    for path in rng.sample(files, min(len(files), count * 2)):
        data = path.read_bytes()
        if len(data) <= max_bytes:
            out.append((path.relative_to(CORPUS_CONTENT).as_posix(), data))
        if len(out) == count:
            break
    return out


# ---------------------------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------------------------

TOKENS = [
    b"{%",
    b"%}",
    b"/%}",
    b'"',
    b"\n",
    b"---",
    b"\r\n",
    b"{% /",
    b"[",
    b"]",
    b"(",
    b")",
    b"`",
    b"```",
    b"*",
    b"$",
    b"{",
    b"}",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\x00",
    b"\r",
    b">",
]


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(0, len(data))]


def _duplicate_token(data: bytes, rng: random.Random) -> bytes:
    token = rng.choice(TOKENS)
    positions = [i for i in range(len(data)) if data.startswith(token, i)] or [rng.randint(0, len(data))]
    i = rng.choice(positions)
    return data[:i] + token * rng.randint(1, 4) + data[i:]


def _remove_token(data: bytes, rng: random.Random) -> bytes:
    token = rng.choice(TOKENS)
    positions = [i for i in range(len(data)) if data.startswith(token, i)]
    if not positions:
        return _insert_token(data, rng)
    i = rng.choice(positions)
    return data[:i] + data[i + len(token) :]


def _insert_token(data: bytes, rng: random.Random) -> bytes:
    i = rng.randint(0, len(data))
    return data[:i] + rng.choice(TOKENS) + data[i:]


def _splice(data: bytes, rng: random.Random, other: bytes) -> bytes:
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)) :]


def _shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _crlf(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([data.replace(b"\n", b"\r\n"), data.replace(b"\n", b"\r"), b"\xef\xbb\xbf" + data])


OPERATORS = [_flip, _truncate, _duplicate_token, _remove_token, _insert_token, _shuffle_lines, _crlf]


def mutate(data: bytes, rng: random.Random, other: bytes = b"", rounds: int | None = None) -> bytes:
    """``data`` after 1-4 random mutations (byte flips, truncation, duplicated/removed delimiters,
    quotes, newlines and fences, line swaps, line-ending changes, or a splice with ``other``)."""
    for _ in range(rounds or rng.randint(1, 4)):
        data = _splice(data, rng, other) if other and rng.random() < 0.15 else rng.choice(OPERATORS)(data, rng)
    return data


# ---------------------------------------------------------------------------------------------
# Diagnostics
# ---------------------------------------------------------------------------------------------


def assert_located(diagnostics: Iterable[Diagnostic], files: Iterable[str] | None = None) -> None:
    """Every diagnostic names a file, a 1-based line and a 1-based column (and a known file)."""
    allowed = set(files) if files is not None else None
    for d in diagnostics:
        assert isinstance(d.file, str) and d.file, d
        assert isinstance(d.line, int) and d.line >= 1, d
        assert isinstance(d.column, int) and d.column >= 1, d
        assert d.severity in ("error", "warning", "info"), d
        if allowed is not None:
            assert d.file in allowed, (d, allowed)


# ---------------------------------------------------------------------------------------------
# Trees
# ---------------------------------------------------------------------------------------------


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def page(title: str, slug: str, body: str) -> str:
    return f"---\ntitle: {title}\nslug: {slug}\n---\n\n# {title}\n\n{body}\n"


MENU = "---\nsite_menu:\n  - category: Home\n    url: /\n  - category: Guide\n    url: /guide\n---\n"


def small_tree(
    root: Path, index_body: str = "Welcome.", guide_body: str = "Guide text.", extra: dict[str, str | bytes] | None = None
) -> Path:
    """A one-version OpenMetadata-layout tree (``content/v1.0.x``, partials, menu, one image)."""
    from tests.build import png_bytes

    files: dict[str, str | bytes] = {
        "content/v1.0.x/index.md": page("Home", "/", index_body),
        "content/v1.0.x/guide.md": page("Guide", "/guide", guide_body),
        "content/v1.0.x/menu.md": MENU,
        "content/partials/v1.0/p.md": "Partial text.\n",
        "images/v1.0/a.png": png_bytes(),
    }
    files.update(extra or {})
    return write(root, files)


# ---------------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------------


@dataclass
class Usage:
    peak_bytes: int = 0
    maxrss_bytes: int = 0


@contextmanager
def measured(trace: bool = True) -> Iterator[Usage]:
    """The tracemalloc peak (Python allocations) and process max RSS of the block.  Memory, not
    time: what a hostile input costs is bounded by bytes and counted work, which a machine busy
    with other jobs does not change (it stretches wall and even CPU time)."""
    usage = Usage()
    if trace:
        tracemalloc.start()
    try:
        yield usage
    finally:
        if trace:
            usage.peak_bytes = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        usage.maxrss_bytes = rss if sys.platform == "darwin" else rss * 1024


MEMORY_LIMIT = 1 << 30
"""Bytes (1 GiB) any single hostile input may allocate."""


def limited_child(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with its address space capped at twice
    ``MEMORY_LIMIT``: an input that is not refused dies of the cap instead of taking the machine.
    ``HANG_GUARD_CPU_SECONDS`` of CPU time end a child that loops forever; no test's verdict
    rests on it."""
    cap = MEMORY_LIMIT * 2
    prelude = (
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({HANG_GUARD_CPU_SECONDS}, {HANG_GUARD_CPU_SECONDS}))\n"
    )
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True)


HANG_GUARD_CPU_SECONDS = 600
"""Far beyond any child's work here (each needs a few CPU seconds): a hang guard, not a bound."""


@pytest.fixture(scope="session")
def renderer():
    from om_markdoc.dialect.pipeline import DialectRenderer

    return DialectRenderer()


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside every docs tree holding files with the secret marker."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.md").write_text(f"# {SECRET}\n\n{SECRET}\n", encoding="utf-8")
    (folder / "secret.png").write_bytes(SECRET.encode())
    (folder / "secret.yaml").write_text(f"key: {SECRET}\n", encoding="utf-8")
    return folder
