"""``helm-values``: ``jsonschema`` with a Helm chart's ``values.schema.json`` over its ``values.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .base import config_path
from .jsonschema_validator import JsonSchemaValidator


def helm_values_validator(name: str, options: Mapping[str, Any], base: Path) -> JsonSchemaValidator:
    """``chart``: a chart folder (its ``values.schema.json``, over its ``values.yaml``), or
    ``schema`` (+ ``defaults``) as for ``jsonschema``."""
    opts = dict(options)
    chart = opts.pop("chart", None)
    if chart:
        folder = config_path(base, chart, f"validator {name!r}: chart")
        opts.setdefault("schema", str(config_path(folder, "values.schema.json", f"validator {name!r}: chart schema")))
        if (folder / "values.yaml").is_file() and opts.get("defaults", True) is not False:
            opts.setdefault("defaults", str(folder / "values.yaml"))
            opts.setdefault("template", False)
        if opts.get("defaults") is True:
            opts.pop("defaults")
    opts.setdefault("draft", "7")
    return JsonSchemaValidator(name, opts, base)
