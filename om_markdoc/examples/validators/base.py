"""What every validator shares: ``Problem`` (what it found), ``ValidatorConfigError`` (it cannot
be built) and the ``Validator`` type, plus the path helper for options."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..example import Example
from ..yamlmap import format_path


@dataclass
class Problem:
    """What a validator found.

    Place it with ``offset`` (0-based, into ``example.text``) or ``line``/``column`` (1-based,
    within ``example.text``); with neither, it is reported at the example's first line. ``path``
    is the JSON path of the offending value when there is one. ``rule`` is
    ``example-invalid`` (the example is wrong), ``example-unparseable`` (not even parseable)
    or ``example-config`` (the validator itself could not run).
    """

    message: str
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    path: tuple[Any, ...] | None = None
    rule: str = "example-invalid"

    @property
    def json_path(self) -> str | None:
        return format_path(self.path) if self.path is not None else None

    def text_offset(self, example: Example) -> int:
        if self.offset is not None:
            return self.offset
        if self.line is not None:
            return example.offset_of(self.line - 1, (self.column or 1) - 1)
        return 0


class ValidatorConfigError(ValueError):
    """A validator cannot be built (unknown type, missing schema file...)."""


Validator = Callable[[Example], list[Problem]]


def config_path(base: Path, value: Any, what: str) -> Path:
    if not isinstance(value, (str, os.PathLike)) or not str(value):
        raise ValidatorConfigError(f"{what} must be a path")
    path = Path(value)
    path = path if path.is_absolute() else base / path
    if not path.exists():
        raise ValidatorConfigError(f"{what} {path} does not exist")
    return path
