"""The formatter against ``Markdoc.format`` of @markdoc/markdoc 0.5.10, case by case.

Every case of ``cases/*.yaml`` is formatted with ``om_markdoc.core.formatter`` and compared with
``expected/<stem>.json`` (written by ``regenerate.py`` from the reference): ``formatted`` is the
reference's output, ``reformatted`` its output on ``formatted``.  Both must match exactly, so the
port is not only right once but repeats the reference's second pass too (including the few cases
where the reference is not idempotent).  Test ids are ``<file-stem>::<case-name>``.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.core.formatter import format_source
from om_markdoc.core.tokenizer import Tokenizer

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("om_markdoc_format_regenerate", HERE / "regenerate.py")
assert _spec is not None and _spec.loader is not None
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)

CASES: list[dict[str, Any]] = regenerate.load_cases()
MIN_CASES = 300


def _expected(stem: str) -> dict[str, Any]:
    path = regenerate.EXPECTED_DIR / f"{stem}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


EXPECTED = {stem: _expected(stem) for stem in sorted({c["stem"] for c in CASES})}
_TOKENIZERS: dict[tuple[bool, bool], Tokenizer] = {}


def fmt(source: str, options: dict[str, Any]) -> str:
    tokenizer_options, format_options = regenerate.python_options(options)
    key = (tokenizer_options["allow_comments"], tokenizer_options["allow_indentation"])
    tokenizer = _TOKENIZERS.get(key) or _TOKENIZERS.setdefault(key, Tokenizer(**tokenizer_options))
    return format_source(source, tokenizer=tokenizer, **format_options)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['stem']}::{c['name']}" for c in CASES])
def test_case_matches_reference(case: dict[str, Any]) -> None:
    expected = EXPECTED[case["stem"]].get(case["name"])
    assert expected is not None, f"no fixture for {case['name']}: run tests/format/regenerate.py"
    formatted = fmt(case["source"], case["options"])
    assert formatted == expected["formatted"], "first pass differs from Markdoc.format"
    assert fmt(formatted, case["options"]) == expected["reformatted"], "second pass differs from Markdoc.format"


def test_suite_is_complete() -> None:
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} cases"
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    on_disk = {p.stem for p in regenerate.EXPECTED_DIR.glob("*.json")}
    assert on_disk == set(EXPECTED), f"stale or missing fixture files: {on_disk ^ set(EXPECTED)}"
    for stem, fixtures in EXPECTED.items():
        wanted = {c["name"] for c in CASES if c["stem"] == stem}
        assert set(fixtures) == wanted, f"{stem}: fixtures and cases disagree: {set(fixtures) ^ wanted}"


def test_options_reach_the_formatter() -> None:
    """Each option changes the output of at least one case (a dropped option would not show)."""
    for option in ("allowComments", "allowIndentation", "maxTagOpeningWidth", "orderedListMode"):
        cases = [c for c in CASES if option in c["options"]]
        assert cases, option
        without = [
            c for c in cases
            if fmt(c["source"], {k: v for k, v in c["options"].items() if k != option})
            != EXPECTED[c["stem"]][c["name"]]["formatted"]
        ]
        assert without, f"no case shows the effect of {option}"
