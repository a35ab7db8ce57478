"""The catalogue of Markdoc error ids, as the reference library produces them.

Every id the core can report, with its level; ``om-markdoc check`` and the docs use the same
list, and tests check that nothing outside it is ever reported.
"""

from __future__ import annotations

ERROR_LEVELS: dict[str, str] = {
    "parse-error": "critical",
    "fence-tag-error": "error",
    "missing-opening": "critical",
    "missing-closing": "critical",
    "no-inline-annotations": "error",
    "duplicate-attribute": "warning",
    "table-syntax": "critical",
    "href-format-invalid": "error",
    "tag-undefined": "critical",
    "node-undefined": "critical",
    "tag-placement-invalid": "critical",
    "tag-selfclosing-has-children": "critical",
    "slot-undefined": "error",
    "slot-missing-required": "error",
    "attribute-undefined": "error",
    "attribute-missing-required": "error",
    "attribute-type-invalid": "error",
    "attribute-value-invalid": "error",
    "variable-undefined": "error",
    "function-undefined": "critical",
    "parameter-undefined": "error",
    "parameter-type-invalid": "error",
    "parameter-missing-required": "error",
    "child-invalid": "warning",
}
"""Error id → the level the reference gives it (``attribute-*`` follow ``errorLevel`` when set)."""

ERROR_IDS = frozenset(ERROR_LEVELS)
