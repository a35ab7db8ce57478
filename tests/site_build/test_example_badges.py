"""Readers see what was tested: example badges on the rendered fences (issue #11).

A small site with an ``examples:`` configuration is built as ``mkdocs build`` does and as
``serve`` does; the assertions read the fences' markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from .conftest import write_config

SCHEMA = {"type": "object", "properties": {"port": {"type": "integer"}, "host": {"type": "string"}}, "additionalProperties": False}

PAGE = """---
title: Guide
slug: /guide
---

# Guide

```yaml
port: 8585
```

```yaml
port: "not a number"
```

```yaml {% expect="invalid" %}
port: [1, 2]
```

```yaml
plain: yaml
```

```yaml
broken: [yaml
```

{% partial file="/v1.0/server.md" /%}
"""

PARTIAL = "```yaml\nhost: example.com\n```\n"

BADGE = re.compile(r'<span class="om-example-badge om-example-badge--(\w+)"[^>]*>([^<]*)</span>')


def site(root: Path) -> Path:
    files = {
        "docs/v1.0.x/guide.md": PAGE,
        "snippets/v1.0/server.md": PARTIAL,
        "schemas/server.json": json.dumps(SCHEMA),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    examples = {
        "validators": {"server": {"type": "jsonschema", "schema": "schemas/server.json", "label": "1.7"}},
        "rules": [{"language": "yaml", "contains": "^(port|host):", "validator": "server"}],
    }
    return write_config(
        root / "mkdocs.yml",
        {"site_name": "Badges", "docs_dir": "docs", "theme": {"name": "material"},
         "plugins": ["search", {"om-markdoc": {"examples": examples}}]},  # fmt: skip
    )


def built(root: Path, *, serving: bool) -> str:
    config = load_config(str(site(root)), site_dir=str(root / "site"))
    if serving:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    return (root / "site" / "v1.0.x" / "guide" / "index.html").read_text(encoding="utf-8")


def fences(html: str) -> list[str]:
    """Each fence's markup (Material's ``div.highlight``), in page order."""
    return re.findall(r'<div class="language-[^"]*highlight">.*?</pre></div>', html, re.S)


def test_a_build_badges_what_a_configured_validator_accepted(tmp_path: Path) -> None:
    html = built(tmp_path, serving=False)
    blocks = fences(html)
    assert len(blocks) == 6, blocks
    found = [BADGE.findall(block) for block in blocks]
    assert found == [
        [("passed", "validated: server, 1.7")],
        [],  # fails its validator: a published page says nothing rather than "validated"
        [("xfailed", "invalid on purpose: rejected by server, 1.7")],
        [],  # only syntax-checked: no badge
        [],  # unparseable: not shown outside serve
        [("passed", "validated: server, 1.7")],  # inside a partial, found by the partial's own line
    ]
    assert '<span class="om-example-badge om-example-badge--passed" data-validator="server">' in blocks[0]
    assert blocks[0].index("om-example-badge") < blocks[0].index("<pre")  # above the code


def test_serve_marks_failing_examples_with_their_first_problem(tmp_path: Path) -> None:
    html = built(tmp_path, serving=True)
    found = [BADGE.findall(block) for block in fences(html)]
    assert found[0] == [("passed", "validated: server, 1.7")]
    [(status, text)] = found[1]
    assert status == "failed" and text.startswith("fails server, 1.7: ") and "integer" in text and "[validator" not in text, text
    [(status, text)] = found[4]
    assert status == "failed" and text.startswith("fails yaml: "), text
    assert found[3] == []  # passing syntax checks stay unbadged in serve too
    title = re.search(r'om-example-badge--failed"[^>]*title="([^"]*)"', fences(html)[1])
    assert title and title.group(1).startswith("docs/v1.0.x/guide.md:13:7: "), title


def test_badges_are_styled_with_material_variables() -> None:
    css = (Path(__file__).resolve().parents[2] / "om_markdoc" / "assets" / "om-markdoc.css").read_text(encoding="utf-8")
    for status in ("passed", "xfailed", "failed"):
        assert f".om-example-badge--{status}" in css
    rule = css[css.index(".md-typeset .om-example-badge {"):]
    assert "var(--md-" in rule[: rule.index("}")]
