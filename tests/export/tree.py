"""A small OpenMetadata tree whose pages use every tag of the dialect, for the export tests.

``TAGS_USED`` is checked against the dialect's tags, so a tag added to the dialect must be added
here too, and then the export tests show whether it has a Markdown form.
"""

from __future__ import annotations

from pathlib import Path

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
"""Enough bytes for a file that is an image by name; its content is never decoded."""

MENU = """---
site_menu:
  - category: Home
    url: /
  - category: Guide
    url: /guide
  - category: Guide / Steps
    url: /guide/steps
  - category: Connectors
    url: /connectors
---
"""

HOME = """---
title: Home
slug: /
---

# Welcome

{% note %}
Read the [guide](/guide) first.
{% /note %}

{% important %}
Keep your tokens secret.
{% /important %}

{% tip %}
A tip.
{% /tip %}

{% info title="Good to know" %}
An info.
{% /info %}

{% warning %}
A warning.
{% /warning %}

{% caution %}
A caution.
{% /caution %}

{% danger %}
A danger.
{% /danger %}

{% tilesContainer %}
{% tile title="The guide" description="How to start" link="/guide" icon="play_arrow" /%}
{% tile title="Steps" link="/guide/steps" %}
Walk through it.
{% /tile %}
{% /tilesContainer %}

{% inlineCalloutContainer %}
{% inlineCallout icon="celebration" bold="Connectors" href="/connectors" %}
Every connector.
{% /inlineCallout %}
{% inlineCallout bold="Outside" href="https://example.org/x" isExternalLink=true %}
An external page.
{% /inlineCallout %}
{% /inlineCalloutContainer %}

{% roadmap href="https://example.org/roadmap" /%}

{% list of things %}
Free text in a list tag.
{% /list %}
"""

GUIDE = """---
title: Guide
slug: /guide
---

# The guide

Text with *emphasis*, **strong**, `code`, ~~gone~~ and a literal \\{% not a tag %\\}.

{% partial file="/v1.0/shared.md" variables={product: "Widget"} /%}

{% codeWithLanguageSelector title="Client" id="client" languagesArray=["python","bash"] %}

```python
print("hello")
```

```bash
echo ```three```
```

{% /codeWithLanguageSelector %}

{% codePreview %}

{% codeInfoContainer %}

{% codeInfo srNumber=1 %}
The first line sets the name.
{% /codeInfo %}

{% /codeInfoContainer %}

{% codeBlock fileName="config.yaml" %}

```yaml {% srNumber=1 %}
name: demo
```

{% /codeBlock %}

{% /codePreview %}

| Feature | Supported |
|---|---|
| Lineage | {% icon iconName="check" /%} |
| Pipes | a \\| b |

{% multiTablesWrapper %}

| One | Two |
|---|---|
| 1 | 2 |

{% /multiTablesWrapper %}

{% youtube videoId="cZdIobCpI9U" start="0:10" caption="A short tour" /%}

{% apiPageContainer %}
{% apiInfoContainer %}
{% apiDescription %}
The API description.
{% /apiDescription %}
{% apiVisualInfo %}
The API visual.
{% /apiVisualInfo %}
{% /apiInfoContainer %}
{% /apiPageContainer %}

See [the steps](/guide/steps#the-end), [the old guide](/v0.9.x/old) and [a missing page](/nowhere).
"""

STEPS = """---
title: Steps
slug: /guide/steps
---

# Steps

## Setup

{% stepsContainer %}

{% step srNumber=1 %}
{% stepDescription title="1. Open the page" %}
Open the services page.
{% /stepDescription %}
{% stepVisualInfo %}
{% image src="/images/v1.0/services.png" alt="The services page" caption="Services" /%}
{% /stepVisualInfo %}
{% /step %}

{% extraContent parentTagName="stepsContainer" %}
Between the steps.
{% /extraContent %}

{% step srNumber=2 %}
{% stepDescription title="2. Save" %}
Press save.
{% /stepDescription %}
{% stepVisualInfo %}
{% image src="/images/v1.0/services.png" alt="Again" /%}
{% /stepVisualInfo %}
{% /step %}

{% /stepsContainer %}

## The end

Back [home](/).
"""

CONNECTORS = """---
title: Connectors
slug: /connectors
---

# Connectors

{% connectorDetailsHeader name="MySQL" stage="PROD" platform="Collate"
   availableFeatures=["Metadata", "Lineage"] unavailableFeatures=["Owners"] /%}

{% connectorsListContainer %}
{% connectorInfoCard name="MySQL" stage="BETA" href="/connectors" platform="OpenMetadata" /%}
{% /connectorsListContainer %}

{% tagReference /%}
"""

COLLATE = """---
title: Collate only
slug: /collate-only
collate: true
---

# Collate only
"""

OLD = """---
title: Old guide
slug: /old
---

# Old guide
"""

SHARED = """The {% $product %} partial text.

![A partial image](/images/v1.0/services.png)
"""

PAGES = {
    "index.md": HOME,
    "guide/index.md": GUIDE,
    "guide/steps.md": STEPS,
    "connectors/index.md": CONNECTORS,
    "collate-only.md": COLLATE,
}

TAGS_USED = frozenset(
    {
        "note", "important", "tip", "info", "warning", "caution", "danger", "image", "codePreview",
        "codeInfoContainer", "codeInfo", "codeBlock", "codeWithLanguageSelector", "stepsContainer", "step",
        "stepDescription", "stepVisualInfo", "extraContent", "tilesContainer", "tile", "inlineCalloutContainer",
        "inlineCallout", "youtube", "connectorDetailsHeader", "connectorInfoCard", "connectorsListContainer", "icon",
        "multiTablesWrapper", "apiPageContainer", "apiInfoContainer", "apiDescription", "apiVisualInfo", "roadmap",
        "list", "tagReference", "partial",
    }
)  # fmt: skip
"""Every tag the pages above write (checked against the pages' text by the tests)."""


def make_tree(root: Path) -> Path:
    """Write the tree under ``root`` (``content/v1.0.x``, ``content/partials``, ``images``); returns ``root``."""
    version = root / "content" / "v1.0.x"
    for rel, text in PAGES.items():
        path = version / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (version / "menu.md").write_text(MENU, encoding="utf-8")
    old = root / "content" / "v0.9.x" / "old.md"
    old.parent.mkdir(parents=True)
    old.write_text(OLD, encoding="utf-8")
    partial = root / "content" / "partials" / "v1.0" / "shared.md"
    partial.parent.mkdir(parents=True)
    partial.write_text(SHARED, encoding="utf-8")
    images = root / "images" / "v1.0"
    images.mkdir(parents=True)
    (images / "services.png").write_bytes(PNG)
    (images / "unused.png").write_bytes(PNG)
    return root
