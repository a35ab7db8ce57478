"""The U+FEFF cases through the front door of plain Markdoc, ``om-markdoc render --json``.

``test_conformance.py`` calls ``render_document``; these cases (the byte-order mark trimmed as
JavaScript trims it, in headings, table lines and cells, reference labels and link
destinations) are also run through the CLI, one file each, and compared with the oracle's
fixtures, so the command users run gives the reference's HTML too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_conformance import CASES, EXPECTED  # this folder is no package: pytest puts it on sys.path

from om_markdoc.cli import main

BOM_CASES = [case for case in CASES if "bom-" in case["name"] and case["name"] != "bom-at-start"]


def test_the_bom_cases_are_there() -> None:
    assert len(BOM_CASES) >= 14, [case["name"] for case in BOM_CASES]


@pytest.mark.parametrize("case", BOM_CASES, ids=[f"{c['stem']}::{c['name']}" for c in BOM_CASES])
def test_render_cli_trims_the_bom_as_the_reference(case: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert not any(case["options"][k] for k in ("allowComments", "allowIndentation", "slots"))
    page = tmp_path / "page.md"
    page.write_bytes(case["source"].encode("utf-8"))
    config = tmp_path / "config.json"
    config.write_text(json.dumps(case["config"]), encoding="utf-8")
    main(["render", "--json", "--config", str(config), "--unknown-tags", case["options"]["unknownTags"], str(page)])
    record = json.loads(capsys.readouterr().out)
    assert record["html"] == EXPECTED[case["stem"]][case["name"]]["html"]
