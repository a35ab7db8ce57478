"""The theme's templates compiled once per process, not once per build.

MkDocs makes a new Jinja environment for every build, so ``serve`` recompiled Material's
templates (about forty, a few tenths of a second) on every save.  Jinja's bytecode cache hook
lets the environment ask for a template's code before compiling it; this cache answers from
memory, keyed by Jinja's own key (template name and file) and the checksum of the source, so an
edited template (a project's ``overrides/``) is compiled again.
"""

from __future__ import annotations

from types import CodeType

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class TemplateCode(BytecodeCache):
    """Compiled template code by (Jinja's key, source checksum), for the life of the process."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str], CodeType] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.codes[(bucket.key, bucket.checksum)] = bucket.code
