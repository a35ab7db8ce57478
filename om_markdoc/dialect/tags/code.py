"""Code presentation: annotated code (``codePreview``), titled blocks, language-selector tabs.

The fences themselves are rendered by the site's fence transform as Material's highlighted
blocks (``<div class="language-x highlight" [data-sr-number="N"]>``); these tags arrange and
label them.  ``codePreview`` pairs numbered explanations (``codeInfo srNumber=N``) with the
fences annotated ``{% srNumber=N %}``: after its children are rendered it gives each such
fence an id and turns each note's number into a link to it.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import (
    Node,
    Tag,
    attr,
    ctx,
    diagnose,
    flatten,
    has_class,
    iter_tags,
    number_attr,
    number_text,
    text_attr,
)

THEMES = ["default", "light", "gray", "dark"]

# --- codeInfo / codePreview -------------------------------------------------------------------


def _code_info(node: Node, config: dict[str, Any]) -> Tag:
    number = number_attr(node, "srNumber")
    body = Tag("div", {"class": "om-code-info__body"}, node.transform_children(config))
    if number is None:
        return Tag("div", {"class": "om-code-info"}, [body])
    label = number_text(number)
    return Tag(
        "div",
        {"class": "om-code-info", "id": ctx(config).unique_id(f"code-info-{label}"), "data-sr-number": label},
        [Tag("span", {"class": "om-code-info__number"}, [label]), body],
    )


def link_code_infos(children: list[Any], config: dict[str, Any]) -> None:
    """Give every numbered code block an id and link each note's number to the first block with it.

    Works on the rendered tree, so fences and notes that come from partials are paired too.
    """
    blocks: dict[str, str] = {}
    infos: list[Tag] = []
    for tag in iter_tags(children):
        attributes = tag.attributes or {}
        number = attributes.get("data-sr-number")
        if number is None:
            continue
        number = number_text(number) if isinstance(number, (int, float)) else str(number)
        if has_class(tag, "om-code-info"):
            infos.append(tag)
        elif has_class(tag, "highlight"):
            if "id" not in attributes:
                attributes["id"] = ctx(config).unique_id(f"code-{number}")
                tag.attributes = attributes
            blocks.setdefault(number, attributes["id"])
    for info in infos:
        target = blocks.get(str(info.attributes["data-sr-number"]))
        if target is None:
            continue
        for i, child in enumerate(info.children):
            if isinstance(child, Tag) and has_class(child, "om-code-info__number"):
                info.children[i] = Tag(
                    "a",
                    {"class": "om-code-info__number", "href": f"#{target}", "title": "Show the code"},
                    list(child.children),
                )


def _code_preview(node: Node, config: dict[str, Any]) -> Tag:
    children = node.transform_children(config)
    link_code_infos(children, config)
    return Tag("div", {"class": "om-code-preview"}, children)


def _code_info_container(node: Node, config: dict[str, Any]) -> Tag:
    return Tag("div", {"class": "om-code-info-container"}, node.transform_children(config))


# --- codeBlock ----------------------------------------------------------------------------------


def title_block(block: Tag, title: str) -> bool:
    """Put Material's code title (``<span class="filename">``) into a highlighted block; False if not one."""
    if not has_class(block, "highlight"):
        return False
    children = block.children or []
    if not any(isinstance(c, Tag) and has_class(c, "filename") for c in children):
        block.children = [Tag("span", {"class": "filename"}, [title]), *children]
    return True


def _code_block(node: Node, config: dict[str, Any]) -> Tag:
    children = node.transform_children(config)
    file_name = text_attr(node, "fileName").strip()
    if file_name:
        first = next((t for t in flatten(children) if isinstance(t, Tag) and has_class(t, "highlight")), None)
        if first is None or not title_block(first, file_name):
            children = [Tag("p", {"class": "om-code-block__title"}, [file_name]), *children]
    return Tag("div", {"class": "om-code-block"}, children)


# --- codeWithLanguageSelector -------------------------------------------------------------------

LANGUAGE_LABELS: dict[str, str] = {
    "implicit": "Implicit",
    "authcode": "Auth Code",
    "json": "JSON",
    "yaml": "YAML",
    "yml": "YAML",
    "sql": "SQL",
    "js": "JavaScript",
    "javascript": "JavaScript",
    "ts": "TypeScript",
    "typescript": "TypeScript",
    "py": "Python",
    "sh": "Shell",
    "commandline": "Command Line",
    "env": ".env",
    "xml": "XML",
    "ini": "INI",
    "csv": "CSV",
    "md": "Markdown",
    "k8s": "Kubernetes",
    "cli": "CLI",
    "api": "API",
    "ui": "UI",
}


def language_label(language: str) -> str:
    """A tab label for a fence "language" (a tab id such as ``authcode``): a known name, else title case."""
    key = language.strip()
    if key.lower() in LANGUAGE_LABELS:
        return LANGUAGE_LABELS[key.lower()]
    words = re.split(r"[-_\s]+|(?<=[a-z0-9])(?=[A-Z])", key)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or key


def tabbed_set(number: int, tabs: list[tuple[str, list[Any]]], extra: dict[str, Any] | None = None) -> Tag:
    """``pymdownx.tabbed`` markup in its alternate style, which Material styles as content tabs."""
    name = f"__tabbed_{number}"
    inputs, labels, blocks = [], [], []
    for i, (label, content) in enumerate(tabs, start=1):
        tab_id = f"{name}_{i}"
        inputs.append(Tag("input", {**({"checked": "checked"} if i == 1 else {}), "id": tab_id, "name": name, "type": "radio"}))
        labels.append(Tag("label", {"for": tab_id}, [label]))
        blocks.append(Tag("div", {"class": "tabbed-block"}, content))
    return Tag(
        "div",
        {"class": "tabbed-set tabbed-alternate", "data-tabs": f"{number}:{len(tabs)}", **(extra or {})},
        [*inputs, Tag("div", {"class": "tabbed-labels"}, labels), Tag("div", {"class": "tabbed-content"}, blocks)],
    )


def _code_with_language_selector(node: Node, config: dict[str, Any]) -> Any:
    order = [x for x in node.attributes.get("languagesArray") or [] if isinstance(x, str)]
    title = text_attr(node, "title").strip()
    fences: list[tuple[str, list[Any]]] = []
    others: list[Any] = []
    for child in node.children:
        if child.type != "fence":
            others.append(child.transform(config))
            continue
        rendered = child.transform(config)
        if title:
            for tag in flatten(rendered):
                if isinstance(tag, Tag):
                    title_block(tag, title)
        fences.append((str(child.attributes.get("language") or ""), rendered if isinstance(rendered, list) else [rendered]))
    rank = {language: i for i, language in enumerate(order)}
    fences.sort(key=lambda item: rank.get(item[0], len(rank)))  # stable: unlisted fences keep document order
    missing = [language for language in order if language not in {f[0] for f in fences}]
    if missing:
        diagnose(config, node, "language-selector-missing", f"languagesArray lists {missing} but no such fence follows")
    if any(flatten(o) for o in others):
        diagnose(config, node, "language-selector-content", "only fences become tabs; other content is shown after them")
    if not fences:
        return others
    context = ctx(config)
    extra = {"id": context.unique_id(text_attr(node, "id"))} if text_attr(node, "id") else {}
    tabs = [(language_label(language) if language else f"Tab {i}", content) for i, (language, content) in enumerate(fences, 1)]
    return [tabbed_set(next(context.counter), tabs, extra), *others] if others else tabbed_set(next(context.counter), tabs, extra)


def code_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the code family."""
    theme = attr(
        "Colour theme of the original site; Material's light/dark palette decides here, so it is ignored.", matches=THEMES
    )
    return {
        "codePreview": {
            "description": "Annotated code: numbered explanations (`codeInfoContainer`) beside the code (`codeBlock`); "
            "each `codeInfo` number links to the fence annotated with the same `srNumber`.",
            "transform": _code_preview,
        },
        "codeInfoContainer": {
            "description": "The explanations column of a `codePreview`, holding `codeInfo` notes.",
            "transform": _code_info_container,
        },
        "codeInfo": {
            "description": "A numbered explanation of the code fence(s) annotated `{% srNumber=N %}`.",
            "attributes": {"srNumber": attr("The number shown, matching the fence's `srNumber` annotation.", "Number")},
            "transform": _code_info,
        },
        "codeBlock": {
            "description": "The code column of a `codePreview`: its fences, with the file name as the title of the first.",
            "attributes": {"fileName": attr("File name shown as the code block's title."), "theme": theme},
            "transform": _code_block,
        },
        "codeWithLanguageSelector": {
            "description": "Alternative code snippets as content tabs: one tab per fence, the fence's language naming "
            "the tab (`implicit` → “Implicit”, `authcode` → “Auth Code”).",
            "attributes": {
                "title": attr("Title shown on every snippet."),
                "id": attr("Element id of the tab set (made unique on the page)."),
                "languagesArray": attr("Tab order, by fence language; unlisted fences follow in document order.", "Array"),
                "theme": dict(theme),
            },
            "transform": _code_with_language_selector,
        },
    }
