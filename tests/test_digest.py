"""One content digest for every cache (issue #20: the checker hashed with BLAKE2b, the MkDocs
plugin with SHA-256, each in a function of its own)."""

from __future__ import annotations

import ast
from pathlib import Path

import om_markdoc
from om_markdoc.digest import DIGEST_LENGTH, digest

PACKAGE = Path(om_markdoc.__file__).resolve().parent


def test_parts_are_separated_and_the_length_is_fixed() -> None:
    assert digest("ab", "c") != digest("a", "bc") != digest("abc")
    assert digest("abc") == digest(b"abc")
    assert digest("\udcff") == digest(b"\xed\xb3\xbf")  # an undecodable name hashes, surrogate and all
    values = {digest(), digest(""), digest("x" * 100_000), digest(b"\0")}
    assert len(values) == 4 and {len(v) for v in values} == {DIGEST_LENGTH}
    assert all(set(v) <= set("0123456789abcdef") for v in values)


def test_no_other_module_defines_a_content_digest() -> None:
    """A cache keys its records with ``om_markdoc.digest.digest``, not a ``digest`` of its own."""
    own = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(node, ast.FunctionDef) and node.name == "digest" for node in tree.body):
            own.append(path.relative_to(PACKAGE).as_posix())
    assert own == ["digest.py"]
