"""Regenerate ``fixtures/corpus_v15_findings.json`` from the current checker.

    .venv/bin/python tests/check/regenerate_corpus_fixture.py

Review the diff before committing it: every added or removed triple is a change in what
``om-markdoc check`` reports on the real corpus. Only ``(rule, file, line)`` triples are stored
(no corpus text). Selection: findings located in ``content/v1.5.x/`` or ``content/partials/v1.5/``
of a check of the whole tree (partials are shared by versions, so a v1.5 partial's problems are
reported once, whichever version's page reaches it first). Nothing is excluded.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus_v15_findings.json"
PREFIXES = ("content/v1.5.x/", "content/partials/v1.5/")


def v15_triples(findings) -> list[list]:
    return sorted([f.rule, f.file, f.line] for f in findings if f.file.startswith(PREFIXES))


def main() -> int:
    sys.path.insert(0, str(REPO))
    from om_markdoc.check import CheckOptions, run_check

    with tempfile.TemporaryDirectory() as cache:
        report = run_check(CORPUS, CheckOptions(cache_dir=cache))
    triples = v15_triples(report.findings)
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(
        "[\n" + ",\n".join(json.dumps(t) for t in triples) + "\n]\n", encoding="utf-8"
    )
    print(f"{len(triples)} findings written to {FIXTURE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
