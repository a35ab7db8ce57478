"""The Markdoc tokenizer: markdown-it-py configured and extended the way Markdoc configures markdown-it.

``Tokenizer(...).tokenize(source)`` returns markdown-it-py tokens with Markdoc's extra token
types (``tag_open``, ``tag_close``, ``tag``, ``variable``, ``annotation``, ``error``,
``frontmatter``, ``comment``).  Options mirror the reference's ``new Markdoc.Tokenizer({...})``,
plus ``delimiters`` ("curly" for ``{% %}``, "angle" for ``<% %>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .block_tag import make_block_rule
from .comments import comment_block, comment_inline
from .delimiters import ANGLE, BY_NAME, CURLY, Delimiters, find_tag_end
from .fence_tags import make_fence_rule, split_fence_body
from .frontmatter import frontmatter
from .inline_tag import make_inline_rule
from .js_whitespace import BLOCK_RULES, INLINE_RULES, js_normalize_link, js_validate_link
from .link_validation import make_link_validation_rule
from .paragraph import list_any_indent, make_paragraph_rule

__all__ = ["Tokenizer", "Delimiters", "CURLY", "ANGLE", "find_tag_end", "split_fence_body"]


def _never(*_args: Any) -> bool:
    return False


class Tokenizer:
    """Builds one markdown-it-py parser for a set of options; reuse it, it is the expensive part."""

    def __init__(
        self,
        *,
        allow_comments: bool = False,
        allow_indentation: bool = False,
        allow_link_validation: bool = False,
        validated_protocols: Sequence[str] = ("http", "https"),
        delimiters: Delimiters | str = CURLY,
        **markdown_it_options: Any,
    ) -> None:
        self.delimiters = BY_NAME[delimiters] if isinstance(delimiters, str) else delimiters
        self.allow_comments = allow_comments
        self.allow_indentation = allow_indentation
        md = MarkdownIt("js-default", markdown_it_options or None)
        md.block.ruler.before("paragraph", "annotations", make_block_rule(self.delimiters), {"alt": ["paragraph", "blockquote"]})
        md.inline.ruler.push("containers", make_inline_rule(self.delimiters))
        md.core.ruler.push("annotations", make_fence_rule(self.delimiters))
        md.block.ruler.before("hr", "frontmatter", frontmatter)
        md.disable("lheading")
        for name, (rule, alt) in BLOCK_RULES.items():
            md.block.ruler.at(name, rule, {"alt": alt})
        for name, inline_rule in INLINE_RULES.items():
            md.inline.ruler.at(name, inline_rule)
        md.normalizeLink = js_normalize_link  # type: ignore[method-assign]
        md.validateLink = js_validate_link  # type: ignore[method-assign]
        md.block.ruler.at("paragraph", make_paragraph_rule(allow_indentation))
        if allow_indentation:
            md.disable("code")
            # `Ruler.at` resets a rule's `alt` list unless given, so restate the list rule's.
            md.block.ruler.at("list", list_any_indent, {"alt": ["paragraph", "reference", "blockquote"]})
        else:
            # Keep `code` enabled but inert: markdown-it-py lifts every four-column check
            # (StateBlock.is_code_block) when the rule is disabled, unlike markdown-it 12.
            md.block.ruler.at("code", _never)
        if allow_comments:
            md.block.ruler.before("table", "comment", comment_block, {"alt": ["paragraph"]})
            md.inline.ruler.push("comment", comment_inline)
        if allow_link_validation:
            md.core.ruler.push("link_url_validation", make_link_validation_rule(validated_protocols, self.delimiters))
        for ch in self.delimiters.open[0] + "<":
            md.inline.add_terminator_char(ch)
        self.md = md

    def tokenize(self, source: str) -> list[Token]:
        """Tokenize ``source`` (markdown-it normalises line endings and NUL characters)."""
        return self.md.parse(str(source), {})
