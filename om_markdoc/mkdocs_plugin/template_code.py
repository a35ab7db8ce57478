"""The theme's templates compiled once per process, not once per build.

MkDocs makes a new Jinja environment for every build, so ``serve`` recompiled Material's
templates (about forty, a few tenths of a second) on every save.  Jinja's bytecode cache hook
lets the environment ask for a template's code before compiling it; this cache answers from
memory, keyed by Jinja's own key (template name and file), the checksum of the source and the
environment's extensions (they change how a template compiles), so an edited template (a
project's ``overrides/``) or a newly enabled extension gets a fresh compile.
"""

from __future__ import annotations

from types import CodeType

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class TemplateCode(BytecodeCache):
    """Compiled template code for the life of the process (see the module's docstring)."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str, tuple[str, ...]], CodeType] = {}

    @staticmethod
    def _key(bucket: Bucket) -> tuple[str, str, tuple[str, ...]]:
        return bucket.key, bucket.checksum, tuple(sorted(bucket.environment.extensions))

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(self._key(bucket))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.codes[self._key(bucket)] = bucket.code
