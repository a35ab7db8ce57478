"""Differential conformance suite: the port against fixtures produced by the reference oracle.

Every case in ``cases/*.yaml`` is rendered through ONE entry point of the port,
``om_markdoc.core.document.render_document``, and compared with ``expected/<stem>.json``
(written by ``regenerate.py`` from ``@markdoc/markdoc`` 0.5.10).  Test ids are
``<file-stem>::<case-name>``.

Comparison rules (see :func:`normalise_errors`):

* ``html`` is compared exactly (string equality);
* ``errors`` are compared as lists, same order, each reduced to the keys ``id``, ``level``,
  ``message``, ``lines``, ``type`` and ``location``; a key whose value is ``None`` (JSON null) or
  missing is dropped on both sides, also inside ``location`` (so ``character``/``file`` that the
  reference omits may be ``None`` or absent in the port); tuples compare equal to lists;
* when the reference threw (fixture has ``exception``), the port must report an ``exception``
  too (any message); html/errors are then not compared.

If the import of the port fails, every case fails (it is not skipped).
"""
from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.core.errors import ERROR_IDS

HERE = Path(__file__).resolve().parent
EXPECTED_DIR = HERE / "expected"

_spec = importlib.util.spec_from_file_location("om_markdoc_conformance_regenerate", HERE / "regenerate.py")
assert _spec is not None and _spec.loader is not None
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)

CASES: list[dict] = regenerate.load_cases()
EXPECTED: dict[str, dict] = {
    p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTED_DIR.glob("*.json"))
}

MIN_CASES = 300
# Every error id of the library's catalogue (SPEC §10.1 lists 24) except `href-format-invalid`:
# that one needs the tokenizer option allowLinkValidation, which the oracle does not expose
# (see README.md), so 23 ids must each appear in at least one fixture.
REPRODUCIBLE_ERROR_IDS = ERROR_IDS - {"href-format-invalid"}

ERROR_KEYS = ("id", "level", "message", "lines", "type", "location")

# Deliberate deviations from the reference, each documented in docs/reference/deviations.md.
# They are strict xfails: should the port start matching the reference, the test fails and this
# list (and the docs) must be updated.
DEVIATIONS = {
    "05-ast-annotations::class-string-then-shortcut-exception":
        "the reference throws a TypeError; the port reports an error and renders the page",
    "13-commonmark::cm-emphasis-unicode-punctuation":
        "markdown-it-py follows CommonMark 0.31 (symbols count as punctuation for emphasis)",
    "13-commonmark::cm-backslash-trailing-spaces":
        "markdown-it-py 4 treats a backslash before trailing spaces as text, markdown-it 12 as a hard break",
}


def _clean(value: Any) -> Any:
    """Drop None-valued keys recursively, turn tuples into lists."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def normalise_errors(errors: Any) -> list[dict] | None:
    """Reduce a list of error records to the compared keys (see module docstring)."""
    if errors is None:
        return None
    out = []
    for err in errors:
        if not isinstance(err, dict):  # e.g. a dataclass in the port
            err = {k: getattr(err, k, None) for k in ERROR_KEYS}
        out.append({k: _clean(err.get(k)) for k in ERROR_KEYS if err.get(k) is not None})
    return out


def _case_id(case: dict) -> str:
    return f"{case['stem']}::{case['name']}"


def _render(case: dict) -> dict:
    # Imported here so that a missing port fails each test (ImportError) instead of the collection.
    from om_markdoc.core.document import render_document

    opts = case["options"]
    return render_document(
        case["source"],
        file=case["file"],
        config=copy.deepcopy(case["config"]),
        allow_comments=opts["allowComments"],
        allow_indentation=opts["allowIndentation"],
        slots=opts["slots"],
        unknown_tags=opts["unknownTags"],
        validate=opts["validate"],
    )


def _param(case: dict) -> Any:
    reason = DEVIATIONS.get(_case_id(case))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=_case_id(case), marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_conformance(case: dict) -> None:
    expected = EXPECTED.get(case["stem"], {}).get(case["name"])
    assert expected is not None, f"no fixture for {_case_id(case)}: run `make fixtures`"
    result = _render(case)
    assert isinstance(result, dict), f"render_document returned {type(result).__name__}"
    src = f"source={case['source']!r}"
    if "exception" in expected:
        assert result.get("exception"), (
            f"the reference throws ({expected['exception']}) but the port did not; {src}; got {result!r}")
        return
    assert not result.get("exception"), f"the port threw: {result.get('exception')}; {src}"
    assert result.get("html") == expected["html"], f"html differs; {src}"
    assert normalise_errors(result.get("errors")) == normalise_errors(expected["errors"]), (
        f"errors differ; {src}")


# ---------------------------------------------------------------------------------------------
# Suite integrity (these pass without the port)
# ---------------------------------------------------------------------------------------------

def test_suite_has_enough_cases() -> None:
    assert len(CASES) >= MIN_CASES, f"only {len(CASES)} conformance cases"


def test_case_names_unique() -> None:
    seen: dict[str, str] = {}
    dupes = []
    for c in CASES:
        if c["name"] in seen:
            dupes.append(f"{c['name']} ({seen[c['name']]}, {c['stem']})")
        seen[c["name"]] = c["stem"]
    assert not dupes, f"duplicate case names: {dupes}"


def test_every_case_has_a_fixture_and_no_stale_fixtures() -> None:
    missing = [_case_id(c) for c in CASES if c["name"] not in EXPECTED.get(c["stem"], {})]
    assert not missing, f"{len(missing)} case(s) without fixture (run `make fixtures`): {missing[:10]}"
    names = {(c["stem"], c["name"]) for c in CASES}
    stale = [f"{stem}::{n}" for stem, fx in EXPECTED.items() for n in fx if (stem, n) not in names]
    assert not stale, f"{len(stale)} fixture(s) without a case (run `make fixtures`): {stale[:10]}"


def test_fixture_shape() -> None:
    for stem, fixtures in EXPECTED.items():
        for name, fx in fixtures.items():
            assert set(fx) <= {"errors", "html", "exception"}, f"{stem}::{name}: {sorted(fx)}"
            assert "exception" in fx or isinstance(fx["html"], str), f"{stem}::{name}: no html"


def test_reproducible_error_ids_all_covered() -> None:
    seen = {e["id"] for fx in EXPECTED.values() for r in fx.values() for e in (r.get("errors") or [])}
    missing = REPRODUCIBLE_ERROR_IDS - seen
    assert not missing, f"error ids never produced by any fixture: {sorted(missing)}"


def test_deviations_name_existing_cases() -> None:
    ids = {_case_id(c) for c in CASES}
    assert set(DEVIATIONS) <= ids, sorted(set(DEVIATIONS) - ids)


def test_string_class_plus_shortcut_is_reported_not_raised() -> None:
    from om_markdoc.core.document import render_document

    result = render_document('{% t class="x" .foo /%}\n', config={"tags": {"t": {"render": "span"}}})
    assert "exception" not in result
    assert result["html"] == '<article><span class="x"></span></article>'
    assert [e["id"] for e in result["errors"]] == ["attribute-type-invalid"]
    assert result["errors"][0]["lines"] == [0, 1]
