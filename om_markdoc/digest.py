"""The one content digest of om-markdoc: what every cache keys its records by.

The checker's page records, the examples cache, the MkDocs plugin's incremental state and the
language server's render memo all ask the same question ("is this the text I saw before?"), so
they share one function and one algorithm.  It sits below every front door, so that ``check``,
``examples``, ``lsp`` and ``mkdocs_plugin`` can all use it without importing each other.

BLAKE2b with a 16-byte digest: fast on large trees, collision-safe for content addressing, and
a fixed 32-character hex string (``DIGEST_LENGTH``), which keys that are a digest followed by a
name (the checker's partial records) rely on to split again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DIGEST_LENGTH = 32
"""Characters in every ``digest(...)`` result."""


def digest(*parts: bytes | str) -> str:
    """Hex digest of ``parts``, each ended by a NUL so that ``("ab", "c")`` and ``("a", "bc")``
    differ; text is encoded as UTF-8, lone surrogates (undecodable file names) included."""
    hasher = hashlib.blake2b(digest_size=DIGEST_LENGTH // 2)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def module_stamps(*folders: str) -> list[str]:
    """``path:size:mtime`` of every module below the package ``folders`` (``"core"``,
    ``"examples"``...), sorted: what a cache adds to its key so that changed code (even without
    a version bump) never serves records it made."""
    package = Path(__file__).resolve().parent
    stamps: list[str] = []
    for folder in folders:
        for path in sorted((package / folder).rglob("*.py")):
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append(f"{path.relative_to(package).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return stamps
