"""The framing fuzz, bounded: a few hundred random frames to a real server (``FUZZ_SEED``
picks the seed; ``benchmarks/fuzz_lsp.py`` runs long sessions on demand)."""

from __future__ import annotations

import os
from pathlib import Path

from .fuzz_frames import run_session

ITEMS = 150


def test_framing_fuzz(tree: Path) -> None:
    seed = int(os.environ.get("FUZZ_SEED", "1"))
    session = run_session(tree, seed, ITEMS)
    assert session.failures == []
    assert session.items == ITEMS and session.answered == session.kinds.get("intact", 0) + 1
    assert session.dropped_lines > 0  # the bad frames were there, and each was logged
