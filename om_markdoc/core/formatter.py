"""The Markdoc formatter: print an AST back to Markdoc source, as ``Markdoc.format`` does.

The goal is byte-identical output with ``Markdoc.format(Markdoc.parse(src))`` of
``@markdoc/markdoc`` 0.5.10, so that a repository formatted by ``om-markdoc fmt`` stays formatted
for anyone using the JavaScript tooling, and the other way round.  That rules out a "nicer"
printer: every quirk that shows in the output is reproduced on purpose, including those that
change what a page renders (they are listed in ``docs/guide/differences.md``).

Why the printer is a tree of generators of *pieces*: the reference builds its output from a
stream of fragments, and several of its rules look at the fragments rather than at the text.
``trimStart`` drops leading fragments that are blank, a table collects its rows as the fragments
its children produced (a row is a list of cell strings, and a tag between rows contributes its
separate string fragments, each printed on a line of its own), and ``thead`` keeps only its first
fragment.  Producing the same fragments is the simplest way to make those rules come out the same.

``faithful=True`` departs from the reference where its output would change the page, and only
there (``om-markdoc fmt`` uses it; see ``format_safe.py``): a GFM table keeps its column
alignment row; a code span keeps the spaces and backticks of its content; a backslash that
would escape what follows, and a list marker a reflowed line would start with, are escaped; the
items of a tight list get no blank line between their blocks; a rule that starts a page is
written ``***`` (``---`` on line 1 opens front matter); and a tag the grammar cannot parse (an
``error`` node, which the reference prints as nothing) is written back as the source text it
came from.  Everywhere else the output is the reference's, byte for byte.

Lengths are measured in UTF-16 code units (JavaScript's ``String.length``) and whitespace is
JavaScript's, because both decide table padding and where long tag openings are broken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from .ast import UNDEFINED, Function, Node, Variable
from .jsvalue import JS_WHITESPACE, js_json_stringify, js_number_to_string, js_object, js_trim
from .tokenizer.delimiters import BY_NAME, CURLY, Delimiters

__all__ = ["FormatError", "FormatOptions", "format_ast", "format_source", "format_value"]

# A piece of output: text, or the cells of one table row (see the module docstring).
Piece = str | list[str]

MAX_TAG_OPENING_WIDTH = 80
_WRAPPING = ("strong", "em", "s")
_IDENTIFIER = re.compile(r"[a-zA-Z0-9_-]+")
_FENCE_RUN = re.compile(r"`{3,}")
_BACKTICK_RUN = re.compile(r"`+")
_PARENTHESES = re.compile(r"[()]")
_WS = "[" + re.escape(JS_WHITESPACE) + "]"
# Inside **strong**, _em_ and ~~s~~ every marker character is escaped ...
_WRAPPED_SPECIALS = re.compile(r"[*_~]")
# ... elsewhere only the first of: a leading `*` (list item), `#`s before a space (heading),
# a leading `>` (blockquote).  The reference uses a non-global regex: one replacement at most.
_LEADING_SPECIALS = re.compile(r"^\*|#+" + _WS + r"|^>")
# What ``faithful`` escapes besides: a backslash that would escape what follows it (or, at the
# end of a text, the line break after it), and a list marker a reflowed line could start with.
_LIVE_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)|^([-+])(?=[ \t]|$)")


class FormatError(ValueError):
    """The AST holds something the reference formatter throws on (e.g. ``class=null``)."""


@dataclass(frozen=True)
class FormatOptions:
    """``Markdoc.format``'s options, plus the tag delimiters of the site (``{% %}`` or ``<% %>``).

    ``faithful`` and ``error_sources`` are ours (see the module docstring): ``error_sources``
    maps ``id()`` of an ``error`` node to the source text of the broken tag it stands for.
    ``parent`` and ``indent`` are the reference's internal options: the node whose children are
    being printed (text escaping depends on it) and the current indentation in spaces.
    """

    allow_indentation: bool = False
    max_tag_opening_width: int = MAX_TAG_OPENING_WIDTH
    ordered_list_mode: Literal["repeat", "increment"] = "repeat"
    delimiters: Delimiters = CURLY
    faithful: bool = False
    error_sources: Mapping[int, str] | None = None
    tight: bool = False
    """Printing the items of a tight list (``faithful`` only: see ``_item``)."""
    parent: Node | None = None
    indent: int = 0

    def deeper(self, by: int = 2) -> FormatOptions:
        return replace(self, indent=self.indent + by)


def _is_identifier(value: Any) -> bool:
    return isinstance(value, str) and _IDENTIFIER.fullmatch(value) is not None


def _js_length(text: str) -> int:
    """``String.length``: characters outside the BMP count twice (surrogate pairs)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _trim_start(text: str) -> str:
    return text.lstrip(JS_WHITESPACE)


def _js_text(piece: Piece) -> str:
    """A piece as JavaScript's ``+``/``join`` would turn it into text (arrays join with commas)."""
    if isinstance(piece, list):
        return ",".join(_js_text(p) for p in piece)
    return piece


def _join(pieces: Iterable[Piece]) -> str:
    return "".join(p if isinstance(p, str) else _js_text(p) for p in pieces)


def _escape(text: str, pattern: re.Pattern[str], count: int = 0) -> str:
    # No-break spaces would be read back as plain spaces by nobody, but the reference prints the
    # entity so they stay visible; kept for identical output.
    return pattern.sub(lambda m: "\\" + m.group(), text, count=count).replace("\xa0", "&nbsp;")


# ---------------------------------------------------------------------------------------------
# Values: attribute values, variables, functions
# ---------------------------------------------------------------------------------------------


def _keys(value: Any) -> list[str]:
    """``Object.keys``: arrays give their indices, objects their keys in JavaScript order."""
    if isinstance(value, list):
        return [str(i) for i in range(len(value))]
    return list(js_object(value.items()))


def _scalar(value: Any, options: FormatOptions) -> str | None:
    """An attribute value as tag source; ``None`` stands for JavaScript's ``undefined``."""
    if value is UNDEFINED:
        return None
    if isinstance(value, (Node, Variable, Function)):
        return _format(value, replace(options, parent=None, indent=0))
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v, options) or "" for v in value) + "]"
    if isinstance(value, dict):
        entries = js_object(value.items()).items()
        # Keys that are not identifiers are quoted as they are, unescaped (as the reference does).
        return "{" + ", ".join(
            f"{k if _is_identifier(k) else chr(34) + k + chr(34)}: {_scalar(v, options)}" for k, v in entries
        ) + "}"
    text = js_json_stringify(value)
    return None if text is UNDEFINED else text


def _attribute(kind: str, name: str, value: Any, options: FormatOptions) -> str | None:
    """One attribute as written inside a tag: ``"primary"``, ``#id``, ``.class`` or ``name=value``."""
    text = _scalar(value, options)
    if text is None:
        return None
    if name == "primary":
        return text
    if name == "id" and _is_identifier(value):
        return "#" + value
    if kind == "class" and _is_identifier(name):
        return "." + name
    return f"{name}={text}"


def _tag_attributes(node: Node, options: FormatOptions) -> Iterator[str]:
    """A tag's attributes in AST order; a class object becomes ``.name`` shorthands."""
    for key, value in js_object(node.attributes.items()).items():
        if key == "class" and (value is None or isinstance(value, (dict, list))):
            if value is None:
                raise FormatError("cannot format class=null (the reference throws a TypeError)")
            names = _keys(value)
            items = [_attribute("class", name, value, options) for name in names]
        else:
            items = [_attribute("attribute", key, value, options)]
        yield from (item for item in items if item is not None)


def _annotations(node: Node, options: FormatOptions) -> Iterator[Piece]:
    if node.annotations:
        delimiters = options.delimiters
        yield delimiters.open + " "
        yield " ".join(_attribute(a["type"], a["name"], a["value"], options) or "" for a in node.annotations)
        yield " " + delimiters.close


def _variable(variable: Variable) -> str:
    out = []
    for i, part in enumerate(variable.path):
        if i == 0:
            out.append(part if isinstance(part, str) else js_number_to_string(part))
        elif _is_identifier(part):
            out.append("." + part)
        elif isinstance(part, (int, float)) and not isinstance(part, bool):
            out.append(f"[{js_number_to_string(part)}]")
        else:
            out.append(f'["{part}"]')
    return "$" + "".join(out)


def _function(function: Function, options: FormatOptions) -> str:
    # Named parameters lose their names (`f(a, b=1)` prints `f(a, 1)`): reference behaviour.
    params = js_object(function.parameters.items()).values()
    return function.name + "(" + ", ".join(_scalar(v, options) or "" for v in params) + ")"


def format_value(value: Any, options: FormatOptions) -> Iterator[Piece]:
    """Pieces of any value the AST holds (``formatValue``): nodes, scalars, variables, functions."""
    if value is None or value is UNDEFINED:
        return
    if isinstance(value, bool):
        yield "true" if value else "false"
    elif isinstance(value, (int, float)):
        yield js_number_to_string(value)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from format_value(item, options)
    elif isinstance(value, Node):
        yield from _node(value, options)
    elif isinstance(value, Variable):
        yield _variable(value)
    elif isinstance(value, Function):
        yield _function(value, options)
    else:
        raise FormatError(f"cannot format a {type(value).__name__} value (the reference throws)")


def _format(value: Any, options: FormatOptions) -> str:
    """``format(v, options)``: the whole text, leading whitespace removed."""
    return _trim_start(_join(format_value(value, options)))


def _children(node: Node, options: FormatOptions) -> Iterator[Piece]:
    for child in node.children:
        yield from format_value(child, options)


def _skip_blank_start(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """``trimStart`` over a stream: drop blank leading pieces, left-trim the first other one."""
    for piece in pieces:
        if not isinstance(piece, str):
            raise FormatError("a table row cannot start a document or heading")
        piece = _trim_start(piece)
        if piece:
            yield piece
            break
    yield from pieces


# ---------------------------------------------------------------------------------------------
# Nodes
# ---------------------------------------------------------------------------------------------


def _node(node: Node, options: FormatOptions) -> Iterator[Piece]:
    printer = _PRINTERS.get(node.type)
    if printer is not None:
        yield from printer(node, replace(options, parent=node), options)


def _document(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    frontmatter = n.attributes.get("frontmatter")
    if frontmatter:
        yield "---\n" + frontmatter + "\n---\n\n"
    body = _skip_blank_start(_children(n, o))
    if o.faithful and not frontmatter:
        # A rule that starts a page without front matter: `---` on line 1 would open some.
        first = next(body, None)
        if first is not None:
            yield "***" if first == "---" else first
    yield from body


def _heading(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield "\n"
    yield " " * o.indent
    yield "#" * (n.attributes.get("level") or 1)
    yield " "
    yield from _skip_blank_start(_children(n, o))
    yield from _annotations(n, o)
    yield "\n"


def _paragraph(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield "\n"
    yield from _children(n, o)
    yield from _annotations(n, o)
    yield "\n"


def _inline(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield " " * o.indent
    yield from _children(n, o)


def _destination(value: Any, o: FormatOptions) -> Iterator[Piece]:
    """A link or image URL: parentheses escaped so they cannot end the destination early."""
    if isinstance(value, str):
        yield _escape(value, _PARENTHESES)
    else:
        yield from format_value(value, o)


def _title(n: Node) -> Iterator[Piece]:
    title = n.attributes.get("title")
    if title:
        yield f' "{title}"'


def _image(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield "!"
    yield "["
    yield from format_value(n.attributes.get("alt"), o)
    yield "]"
    yield "("
    yield from _destination(n.attributes.get("src"), o)
    yield from _title(n)
    yield ")"


def _link(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    text = _join(_children(n, o))
    href = n.attributes.get("href")
    if text == href and not n.attributes.get("title"):
        yield f"<{href}>"  # an autolink reads back the same
        return
    yield "["
    yield text
    yield "]"
    yield "("
    yield from _destination(href, o)
    yield from _title(n)
    yield ")"


def _text(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    content = n.attributes.get("content")
    if isinstance(content, (Node, Variable, Function)):
        yield o.delimiters.open + " "
        yield from format_value(content, o)
        yield " " + o.delimiters.close
    elif outer.parent is not None and outer.parent.type in _WRAPPING:
        yield _escape(_LIVE_BACKSLASH.sub(r"\\\\", content) if o.faithful else content, _WRAPPED_SPECIALS)
    elif o.faithful:
        escaped = _escape(_LIVE_BACKSLASH.sub(r"\\\\", content), _LEADING_SPECIALS, count=1)
        yield _LIST_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else "\\" + m[3], escaped)
    else:
        yield _escape(content, _LEADING_SPECIALS, count=1)


def _blockquote(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    prefix = "\n" + " " * o.indent + "> "
    flat = replace(o, indent=0)
    inner = "\n\n".join(js_trim(_format(child, flat)) for child in n.children)
    yield prefix + inner.replace("\n", prefix) + "\n"


def _hr(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield "\n"
    yield " " * o.indent
    yield "---"
    yield "\n"


def _fence(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    indent = " " * o.indent
    content: str = n.attributes.get("content")
    longest = max((len(run) for run in _FENCE_RUN.findall(content)), default=0)
    boundary = "`" * (longest + 1 if longest else 3)
    yield "\n"
    yield indent
    yield boundary
    if n.attributes.get("language"):
        yield n.attributes["language"]
    if n.annotations:
        yield " "
    yield from _annotations(n, o)
    yield "\n"
    yield indent
    yield content.replace("\n", "\n" + indent)
    if not content.endswith("\n"):
        yield "\n"
    yield boundary
    yield "\n"


def _tag(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    indent = " " * o.indent
    open_, close = o.delimiters.open, o.delimiters.close
    if not n.inline:
        yield "\n"
        yield indent
    words = [open_ + " " + (n.tag or ""), *_tag_attributes(n, o)]
    one_line = " ".join(words)
    too_long = _js_length(one_line) + 2 * (len(open_) + 1) > (outer.max_tag_opening_width or MAX_TAG_OPENING_WIDTH)
    opening = ("\n" + " " * (len(open_) + 1) + indent).join(words) if too_long and not n.inline else one_line
    yield opening + " " + ("" if n.children else "/") + close
    if n.children:
        yield from _children(n, o.deeper() if o.allow_indentation else o)
        if not n.inline:
            yield indent
        yield f"{open_} /{n.tag} {close}"
    if not n.inline:
        yield "\n"


def _list_marker(n: Node, i: int, o: FormatOptions) -> str:
    attributes = n.attributes
    if not attributes.get("ordered"):
        marker = attributes.get("marker")
        return "-" if marker is None else marker
    start = attributes.get("start")
    start = 1 if start is None else start
    if o.ordered_list_mode == "increment":
        number = js_number_to_string(_js_parse_int(start) + i)
    else:
        number = js_number_to_string(start) if i == 0 else "1"
    marker = attributes.get("marker")
    return number + ("." if marker is None else marker)


def _js_parse_int(value: Any) -> int:
    match = re.match(r"\s*([+-]?\d+)", js_number_to_string(value) if not isinstance(value, str) else value)
    if match is None:
        raise FormatError(f"ordered list start {value!r} is not a number")
    return int(match.group(1))


def _list(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    indent = " " * o.indent
    loose = any(c.type == "paragraph" for item in n.children for c in item.children)
    last = len(n.children) - 1
    for i, item in enumerate(n.children):
        marker = _list_marker(n, i, o)
        text = _format(item, replace(o.deeper(_js_length(marker) + 1), tight=o.faithful and not loose))
        if not loose or i == last:
            text = js_trim(text)
        yield "\n" + indent + marker + " " + text
    yield "\n"


def _item(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    if o.tight:
        yield from _tight_item(n, o)
        return
    for i, child in enumerate(n.children):
        yield from format_value(child, o)
        if i == 0:
            yield from _annotations(n, o)


def _tight_item(n: Node, o: FormatOptions) -> Iterator[Piece]:
    """An item of a tight list with no blank line between its blocks: the reference puts one
    between two blocks in a row (two nested lists), and that makes the whole list loose."""
    inner = replace(o, tight=False)
    previous = ""
    for i, child in enumerate(n.children):
        text = _join(format_value(child, inner)) + (_join(_annotations(n, inner)) if i == 0 else "")
        if previous.endswith("\n") and text.startswith("\n"):
            text = text[1:]
        previous = text
        yield text


def _wrapped(default_marker: str, fixed: bool = False) -> Callable[[Node, FormatOptions, FormatOptions], Iterator[Piece]]:
    """strong, em and s: the original marker around the trimmed inline content."""

    def printer(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
        marker = n.attributes.get("marker")
        marker = default_marker if fixed or marker is None else marker
        yield marker
        yield js_trim(_join(_children(n, o)))
        yield marker

    return printer


def _code(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    content = _join(format_value(n.attributes.get("content"), o))
    trimmed = js_trim(content)
    if not o.faithful or (trimmed == content and "`" not in content):
        yield "`"
        yield trimmed
        yield "`"
        return
    yield _code_span(content)


def _code_span(content: str) -> str:
    """A code span that reads back as exactly ``content`` (CommonMark's rules): a backtick run
    longer than any inside, and one padding space each side where the reader strips one."""
    fence = "`" * (max((len(run) for run in _BACKTICK_RUN.findall(content)), default=0) + 1)
    stripped = content.startswith(" ") and content.endswith(" ") and content.strip(" ") != ""
    pad = " " if stripped or content.startswith("`") or content.endswith("`") else ""
    return fence + pad + content + pad + fence


def _hardbreak(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield "\\\n"
    yield " " * o.indent


def _softbreak(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield "\n"
    yield " " * o.indent


def _row_text(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    rows = list(_children(n, o.deeper()))
    parent = outer.parent
    if parent is not None and parent.type == "tag" and parent.tag == "table":
        yield from _table_as_lists(rows, " " * o.indent)
    else:
        yield from _table_as_pipes(rows, _alignments(n) if o.faithful else [])


def _alignments(table: Node) -> list[str | None]:
    """The ``align`` of each header cell of a GFM table (``left``, ``center``, ``right`` or None)."""
    for part in table.children:
        if part.type == "thead":
            for row in part.children:
                return [cell.attributes.get("align") for cell in row.children]
    return []


# The shortest delimiter cell that says each alignment (`-`, `:-`, `-:`, `:-:`).
_ALIGN_WIDTH = {None: 1, "left": 2, "right": 2, "center": 3}


def _delimiter_cell(align: str | None, width: int) -> str:
    """A delimiter-row cell of ``width`` characters that keeps the column's alignment."""
    if align == "left":
        return ":" + "-" * (width - 1)
    if align == "right":
        return "-" * (width - 1) + ":"
    if align == "center":
        return ":" + "-" * (width - 2) + ":"
    return "-" * width


def _table_as_lists(rows: list[Piece], indent: str) -> Iterator[Piece]:
    """A ``{% table %}`` body: one ``- cell`` per line, ``---`` between rows; the strings a tag
    between rows (``{% if %}``) produced each go on a line of their own."""
    for i, row in enumerate(rows):
        if isinstance(row, str):
            if js_trim(row):
                yield "\n"
                yield row
            continue
        if i != 0:
            yield "\n"
            yield indent + "---"
        for cell in row:
            yield "\n" + indent + "- " + _js_text(cell)
    yield "\n"


def _table_as_pipes(rows: list[Piece], aligns: list[str | None]) -> Iterator[Piece]:
    """A GFM table, cells padded to their column's width; the delimiter row says ``aligns``
    (empty: none, as the reference writes it), widening a column where ``:-:`` needs room."""
    if any(isinstance(row, str) for row in rows):
        raise FormatError("a GFM table holds something other than rows (the reference throws)")
    if not rows:
        raise FormatError("a GFM table without a header row (the reference throws)")
    widths: list[int] = [_ALIGN_WIDTH.get(align, 1) for align in aligns]
    for row in rows:
        for i, cell in enumerate(row):
            width = _js_length(cell)
            if i < len(widths):
                widths[i] = max(widths[i], width)
            else:
                widths.append(width)
    head, *body = rows

    def padded(row: list[str]) -> list[str]:
        return [cell + " " * (widths[i] - _js_length(cell)) for i, cell in enumerate(row)]

    yield "\n"
    yield _row_text(padded(head))
    yield "\n"
    yield _row_text([_delimiter_cell(aligns[i] if i < len(aligns) else None, widths[i]) for i in range(len(head))])
    yield "\n"
    for row in body:
        yield _row_text(padded(row))
        yield "\n"


def _thead(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    first = next(iter(_children(n, o)), None)
    # JavaScript's `head || []`: any array is truthy, an empty string is not.
    yield first if isinstance(first, list) or first else []


def _tr(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield list(_children(n, o))


def _cell(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield js_trim(_join([*_children(n, o), *_annotations(n, o)]))


def _tbody(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield from _children(n, o)


def _comment(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    yield "<!-- " + str(n.attributes.get("content")) + " -->\n"


def _error(n: Node, o: FormatOptions, outer: FormatOptions) -> Iterator[Piece]:
    """A tag that did not parse: nothing (the reference), or its own source text, where a block
    tag would stand or inline where it was."""
    source = (o.error_sources or {}).get(id(n))
    if source is None:
        return
    if n.inline:
        yield source
        return
    yield "\n"
    yield " " * o.indent
    yield source
    yield "\n"


_PRINTERS = {
    "document": _document,
    "heading": _heading,
    "paragraph": _paragraph,
    "inline": _inline,
    "image": _image,
    "link": _link,
    "text": _text,
    "blockquote": _blockquote,
    "hr": _hr,
    "fence": _fence,
    "tag": _tag,
    "list": _list,
    "item": _item,
    "strong": _wrapped("**"),
    "em": _wrapped("*"),
    "s": _wrapped("~~", fixed=True),
    "code": _code,
    "hardbreak": _hardbreak,
    "softbreak": _softbreak,
    "table": _table,
    "thead": _thead,
    "tr": _tr,
    "td": _cell,
    "th": _cell,
    "tbody": _tbody,
    "comment": _comment,
    "error": _error,
}


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------


def format_ast(
    ast: Node | Variable | Function | list[Any],
    *,
    allow_indentation: bool = False,
    max_tag_opening_width: int = MAX_TAG_OPENING_WIDTH,
    ordered_list_mode: Literal["repeat", "increment"] = "repeat",
    delimiters: Delimiters | str = CURLY,
    faithful: bool = False,
    error_sources: Mapping[int, str] | None = None,
) -> str:
    """``Markdoc.format(ast, options)``: Markdoc source for an AST (or any value it holds).

    ``faithful`` and ``error_sources`` keep what the reference would lose (module docstring);
    without them the output is the reference's.  Raises :class:`FormatError` where the
    reference throws, and ``RecursionError`` for trees nested deeper than Python's stack allows
    (callers report it; see ``cli/fmt_cmd.py``).
    """
    if isinstance(delimiters, str):
        delimiters = BY_NAME[delimiters]
    options = FormatOptions(
        allow_indentation=allow_indentation,
        max_tag_opening_width=max_tag_opening_width,
        ordered_list_mode=ordered_list_mode,
        delimiters=delimiters,
        faithful=faithful,
        error_sources=error_sources,
    )
    return _format(ast, options)


def format_source(
    source: str,
    *,
    allow_comments: bool = False,
    allow_indentation: bool = False,
    max_tag_opening_width: int = MAX_TAG_OPENING_WIDTH,
    ordered_list_mode: Literal["repeat", "increment"] = "repeat",
    delimiters: Delimiters | str = CURLY,
    tokenizer: Any = None,
) -> str:
    """``Markdoc.format(Markdoc.parse(source))``: parse with the default tokenizer (or the one
    given), then print.  ``allow_indentation`` both parses and prints indented tag bodies, as a
    site using the option needs; ``delimiters`` selects ``{% %}`` or ``<% %>`` on both sides."""
    from .api import default_tokenizer, parse

    name = delimiters if isinstance(delimiters, str) else ("angle" if delimiters == BY_NAME["angle"] else "curly")
    tokenizer = tokenizer or default_tokenizer(allow_comments, allow_indentation, name)
    ast = parse(source, tokenizer=tokenizer, location=False)
    return format_ast(
        ast,
        allow_indentation=allow_indentation,
        max_tag_opening_width=max_tag_opening_width,
        ordered_list_mode=ordered_list_mode,
        delimiters=tokenizer.delimiters,
    )
