"""The tag-interior grammar: a hand-written port of Markdoc's ``src/grammar/tag.pegjs``.

``parse_tag`` receives the trimmed text between ``{%`` and ``%}`` and returns the same result
objects the pegjs-generated parser returns, or raises ``TagSyntaxError`` with the very message
pegjs would produce.  Those messages are user-visible (``parse-error``), so the port emulates
pegjs's error reporting rather than inventing its own:

* **Furthest failure.**  Whenever a rule is *attempted* (successfully or not) its expectation is
  recorded at the current position; a record at a later position discards the earlier ones.
  Named rules (``tag name``, ``identifier``, ``string``, ...) record only their name, and the
  rules they call stay silent.  The message lists the expectations at the furthest position,
  sorted and de-duplicated: ``Expected A, B, or C but "x" found.``
* **Ordered choice commits.**  ``Top`` takes the first alternative that matches a prefix; if
  text is left over, ``end of input`` is expected there and the parse fails.

Recording expectations costs time, so a parse first runs without recording; only a failing parse
is run again with recording switched on, to build the message.

Nesting.  Arrays, hashes and function calls nest.  The reference parser recurses and dies with a
``RangeError`` (not a parse error) at a few thousand levels.  This port never recurses on
nesting: composite values are generators driven by an explicit stack (``_TagParser._run``).
Nesting deeper than ``MAX_NESTING`` levels is reported as a ``TagSyntaxError`` (a deliberate
deviation: it keeps hostile input away from the recursive value walkers downstream and from the
reference's crash); up to that depth results and messages are the reference's.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Generator
from typing import Any

from .ast import Function, Variable
from .jsvalue import js_number, js_object

MAX_NESTING = 256
"""Deepest accepted nesting of arrays, hashes and function calls inside one value."""

_IDENTIFIER = re.compile(r"[a-zA-Z0-9_\-]+")
_WHITESPACE = re.compile(r"[ \n\t]*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# '"' chars* '"' with chars = [^\0-\x1F"\\] / '\\' ["\\nrt], written as an unrolled loop so that a
# missing closing quote fails in linear time.
_STRING = re.compile(r'"([^\x00-\x1f"\\]*(?:\\["\\nrt][^\x00-\x1f"\\]*)*)"')
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}
_SPACE_CHARS = frozenset(" \n\t")
_IDENTIFIER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")

# Rule display names and literal expectations, as pegjs describes them.
_TAG_NAME = "tag name"
_IDENT = "identifier"
_CLASS = "class"
_ID = "id"
_VARIABLE = "variable"
_NULL = "null"
_BOOLEAN = "boolean"
_STRING_NAME = "string"
_NUMBER_NAME = "number"
_SPACE = "whitespace"
_END = "end of input"
# Expectations of Value's last four alternatives (Array, Hash, Function, Variable).
_LATER_VALUE_EXPECTATIONS = ('"["', '"{"', _IDENT, _VARIABLE)

_Result = tuple[Any, int] | None
"""A rule's outcome: ``(value, position after the match)``, or ``None`` for a failure."""
_Composite = Generator[int, _Result, _Result]
"""A composite value's parser: yields positions where it needs a ``Value``, is sent the results."""


class TagSyntaxError(Exception):
    """A tag interior the grammar rejects; ``message`` is the exact pegjs message.

    ``start``/``end`` are the pegjs location offsets into the parsed text: the furthest failure
    position and the position after the character found there (equal at end of input).  They
    count code points, where JavaScript counts UTF-16 units; callers mapping them onto a JS
    source offset must convert.
    """

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


def parse_tag(text: str) -> dict[str, Any]:
    """Parse a trimmed tag interior into the pegjs result object (see module docstring).

    Shapes: ``{"type": "variable", "meta": {"variable": ...}}``,
    ``{"type": "annotation", "meta": {"attributes": [...]}}``,
    ``{"type": "tag_open" | "tag", "nesting": 1 | 0, "meta": {"tag", "attributes"}}`` and
    ``{"type": "tag_close", "nesting": -1, "meta": {"tag"}}``.  For tags without any attribute
    ``meta["attributes"]`` is ``None``, as in the reference.
    """
    cached = _PARSED.get(text)
    if cached is not None:
        parsed: dict[str, Any] = pickle.loads(cached)
        return parsed
    result = _TagParser(text, recording=False).parse()
    if result is not None:
        if len(text) <= _CACHED_LENGTH:
            if len(_PARSED) >= _CACHED_TAGS:
                _PARSED.clear()
            _PARSED[text] = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        return result
    parser = _TagParser(text, recording=True)
    parser.parse()
    raise parser.error()


_PARSED: dict[str, bytes] = {}
"""Successful parses by tag text, pickled: a site repeats the same tags (``/note``,
``/codeInfo``) thousands of times.  Unpickling is faster than parsing again, gives every caller
objects of its own (no caller can change what the next one gets), and leaves the cache holding
no objects for the garbage collector to visit."""
_CACHED_TAGS = 4096
_CACHED_LENGTH = 256
"""Longer tag texts are parsed every time (they are rare, and would make the cache large)."""


def _unescape(body: str) -> str:
    return _ESCAPE.sub(lambda match: _UNESCAPED[match.group(1)], body) if "\\" in body else body


def _js_truthy(value: Any) -> bool:
    """JavaScript truthiness of a parsed value: ``null``, ``false``, ``0`` and ``""`` are falsy."""
    if isinstance(value, (list, dict, Variable, Function)):
        return True
    return bool(value)


def _hash_object(items: list[tuple[str, Any]]) -> dict[str, Any]:
    """``Object.assign(head, ...tail)`` over the ``{[key]: value}`` objects of a hash literal.

    Items keyed ``$$mdtype`` are ``{}`` (so AST objects cannot be forged).  A ``__proto__`` key
    becomes an own property only in the head object (a computed key defines it); in a later item
    ``Object.assign``'s assignment hits the prototype setter instead and the key disappears, unless
    the head already owns a ``__proto__`` property, which is then simply overwritten.
    """
    pairs = []
    head_owns_proto = False
    for index, (key, value) in enumerate(items):
        if key == "$$mdtype":
            continue
        if key == "__proto__":
            if index == 0:
                head_owns_proto = True
            elif not head_owns_proto:
                continue
        pairs.append((key, value))
    return js_object(pairs)


def _function_parameters(params: list[tuple[str | None, Any]]) -> dict[str, Any]:
    """``parameters[name || index] = value`` on a fresh object, the index counting every parameter.

    Assigning ``__proto__`` there sets the prototype rather than a property, so it is dropped.
    """
    return js_object(
        (name or str(index), value) for index, (name, value) in enumerate(params) if name != "__proto__"
    )


_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _found(char: str) -> str:
    """pegjs ``describeFound``: the character JS ``charAt`` sees, quoted with ``literalEscape``.

    ``charAt`` reads one UTF-16 unit, so for a character outside the BMP the reference's message
    holds a lone high surrogate.  We show the whole character instead (a documented deviation):
    a lone surrogate cannot be printed or encoded as UTF-8, and a diagnostic must never crash.
    """
    code = ord(char)
    if char in _LITERAL_ESCAPES:
        char = _LITERAL_ESCAPES[char]
    elif code <= 0x1F or 0x7F <= code <= 0x9F:
        char = f"\\x{code:02X}"
    return f'"{char}"'


def _describe_expected(descriptions: list[str]) -> str:
    unique = sorted(set(descriptions))
    if len(unique) == 1:
        return unique[0]
    if len(unique) == 2:
        return f"{unique[0]} or {unique[1]}"
    return ", ".join(unique[:-1]) + ", or " + unique[-1]


class _TagParser:
    """One parse of one tag interior.  Rules return ``(value, end)`` or ``None``."""

    def __init__(self, text: str, recording: bool) -> None:
        self.text = text
        self.recording = recording
        self.fail_pos = 0
        self.expected: list[str] = []

    # -- error reporting --------------------------------------------------------------------

    def _expect(self, pos: int, description: str) -> None:
        """pegjs ``peg$expect``: keep only the expectations at the furthest position."""
        if not self.recording or pos < self.fail_pos:
            return
        if pos > self.fail_pos:
            self.fail_pos = pos
            self.expected = []
        self.expected.append(description)

    def error(self) -> TagSyntaxError:
        pos, text = self.fail_pos, self.text
        found = _found(text[pos]) if pos < len(text) else _END
        message = f"Expected {_describe_expected(self.expected)} but {found} found."
        return TagSyntaxError(message, pos, pos + 1 if pos < len(text) else pos)

    # -- Top -----------------------------------------------------------------------------------

    def parse(self) -> dict[str, Any] | None:
        """``Top = TopLevelValue / Annotation / TagOpen / TagClose``, then end of input."""
        result = self._top_level_value() or self._annotation() or self._tag_open() or self._tag_close()
        if result is None:
            return None
        value, end = result
        if end == len(self.text):
            top: dict[str, Any] = value
            return top
        self._expect(end, _END)
        return None

    def _top_level_value(self) -> _Result:
        """``(Variable / Function)`` → ``{type: 'variable', meta: {variable}}``."""
        self._expect(0, _VARIABLE)
        result = self._variable(0)
        if result is None:
            self._expect(0, _IDENT)
            result = self._run(self._function(0), 0)
        if result is None:
            return None
        return {"type": "variable", "meta": {"variable": result[0]}}, result[1]

    def _annotation(self) -> _Result:
        """``TagAttributes _*`` → ``{type: 'annotation', meta: {attributes}}`` (no ``nesting``)."""
        attributes = self._tag_attributes(0)
        if attributes is None:
            return None
        return {"type": "annotation", "meta": {"attributes": attributes[0]}}, self._spaces(attributes[1])

    def _tag_open(self) -> _Result:
        """``TagName _* (Value _?)? TagAttributes? _* '/'?``, with the falsy-primary quirk.

        The primary is tried right after the name, so keyword and number prefixes win
        (``nullable=1`` is ``null`` then ``able=1``), only one whitespace may follow it, and a
        falsy primary (``null``, ``false``, ``0``, ``""``) is dropped by the action's ``if``.
        """
        name = self._tag_name(0)
        if name is None:
            return None
        pos = self._spaces(name[1])
        primary = self._value(pos)
        if primary is not None:
            pos = self._optional_space(primary[1])
        attributes: list[dict[str, Any]] | None = None
        parsed = self._tag_attributes(pos)
        if parsed is not None:
            attributes, pos = parsed
        if primary is not None and _js_truthy(primary[0]):
            attributes = [{"type": "attribute", "name": "primary", "value": primary[0]}, *(attributes or [])]
        pos = self._spaces(pos)
        self._expect(pos, '"/"')
        closed = self.text.startswith("/", pos)
        meta = {"tag": name[0], "attributes": attributes}
        if closed:
            return {"type": "tag", "nesting": 0, "meta": meta}, pos + 1
        return {"type": "tag_open", "nesting": 1, "meta": meta}, pos

    def _tag_close(self) -> _Result:
        """``'/' TagName`` → ``{type: 'tag_close', nesting: -1, meta: {tag}}``."""
        self._expect(0, '"/"')
        if not self.text.startswith("/"):
            return None
        name = self._tag_name(1)
        if name is None:
            return None
        return {"type": "tag_close", "nesting": -1, "meta": {"tag": name[0]}}, name[1]

    # -- attributes ----------------------------------------------------------------------------

    def _tag_attributes(self, pos: int) -> _Result:
        """``TagAttributesItem (_+ TagAttributesItem)*`` → list of attribute items."""
        item = self._attribute_item(pos)
        if item is None:
            return None
        items = [item[0]]
        end = item[1]
        while True:
            next_pos = self._spaces(end)
            if next_pos == end:
                break
            item = self._attribute_item(next_pos)
            if item is None:
                break
            items.append(item[0])
            end = item[1]
        return items, end

    def _attribute_item(self, pos: int) -> _Result:
        """``TagShortcutId / TagShortcutClass / TagAttribute``."""
        text = self.text
        self._expect(pos, _ID)
        if text.startswith("#", pos) and (match := _IDENTIFIER.match(text, pos + 1)):
            return {"type": "attribute", "name": "id", "value": match.group()}, match.end()
        self._expect(pos, _CLASS)
        if text.startswith(".", pos) and (match := _IDENTIFIER.match(text, pos + 1)):
            return {"type": "class", "name": match.group(), "value": True}, match.end()
        self._expect(pos, _IDENT)
        match = _IDENTIFIER.match(text, pos)
        if match is None:
            return None
        equals = match.end()
        self._expect(equals, '"="')
        if not text.startswith("=", equals):
            return None
        value = self._value(equals + 1)
        if value is None:
            return None
        return {"type": "attribute", "name": match.group(), "value": value[0]}, value[1]

    # -- terminals -----------------------------------------------------------------------------

    def _tag_name(self, pos: int) -> _Result:
        self._expect(pos, _TAG_NAME)
        match = _IDENTIFIER.match(self.text, pos)
        return (match.group(), match.end()) if match else None

    def _spaces(self, pos: int) -> int:
        """``_*`` (and ``_+``, whose caller checks that it advanced).

        Every ``_`` attempt records ``whitespace``; only the last, failing one (at the end of the
        run) can be the furthest, so it is the only one recorded.
        """
        end = _WHITESPACE.match(self.text, pos).end()  # type: ignore[union-attr]
        self._expect(end, _SPACE)
        return end

    def _optional_space(self, pos: int) -> int:
        """``_?``: at most one whitespace character."""
        self._expect(pos, _SPACE)
        return pos + 1 if self.text[pos : pos + 1] in _SPACE_CHARS else pos

    def _variable(self, pos: int) -> _Result:
        """``[$@] Identifier VariableTail*`` (a named rule: silent inside).

        ``$`` builds a ``Variable``; ``@`` yields the bare path list.  Tail segments are
        ``.identifier`` or ``[number]`` / ``["string"]`` only.
        """
        text = self.text
        prefix = text[pos : pos + 1]
        if prefix not in ("$", "@") or not (match := _IDENTIFIER.match(text, pos + 1)):
            return None
        path: list[Any] = [match.group()]
        end = match.end()
        while (segment := self._variable_tail(end)) is not None:
            path.append(segment[0])
            end = segment[1]
        return (path if prefix == "@" else Variable(path)), end

    def _variable_tail(self, pos: int) -> _Result:
        text = self.text
        if text.startswith(".", pos):
            match = _IDENTIFIER.match(text, pos + 1)
            return (match.group(), match.end()) if match else None
        if not text.startswith("[", pos):
            return None
        segment = self._number(pos + 1) or self._string(pos + 1)
        if segment is None or not text.startswith("]", segment[1]):
            return None
        return segment[0], segment[1] + 1

    def _number(self, pos: int) -> _Result:
        """``-? [0-9]+ ('.' [0-9]+)?`` read with ``parseFloat`` (no exponent, no ``.5``, no ``+``)."""
        match = _NUMBER.match(self.text, pos)
        return (js_number(match.group()), match.end()) if match else None

    def _string(self, pos: int) -> _Result:
        """Double-quoted; escapes ``\\" \\\\ \\n \\r \\t`` only; no raw U+0000–U+001F."""
        match = _STRING.match(self.text, pos)
        return (_unescape(match.group(1)), match.end()) if match else None

    # -- values ----------------------------------------------------------------------------------

    def _value(self, pos: int) -> _Result:
        """``Value`` at ``pos``; leaves are parsed directly, composites by the driver."""
        step = self._value_step(pos)
        return step if step is None or isinstance(step, tuple) else self._run(step, pos)

    def _value_step(self, pos: int) -> _Result | _Composite:
        """``Null / Boolean / String / Number / Array / Hash / Function / Variable``.

        The leaves are tried in order.  The remaining alternatives start with distinct characters
        (``[``, ``{``, an identifier character, ``$``/``@``), so only the one matching the first
        character can get past ``pos``; the others' expectations are recorded at ``pos`` up
        front, which is all pegjs records for them before they fail.
        """
        text = self.text
        self._expect(pos, _NULL)
        if text.startswith("null", pos):
            return None, pos + 4
        self._expect(pos, _BOOLEAN)
        if text.startswith("true", pos):
            return True, pos + 4
        if text.startswith("false", pos):
            return False, pos + 5
        self._expect(pos, _STRING_NAME)
        leaf = self._string(pos)
        if leaf is None:
            self._expect(pos, _NUMBER_NAME)
            leaf = self._number(pos)
        if leaf is not None:
            return leaf
        for description in _LATER_VALUE_EXPECTATIONS:
            self._expect(pos, description)
        first = text[pos : pos + 1]
        if first == "[":
            return self._array(pos)
        if first == "{":
            return self._hash(pos)
        if first in _IDENTIFIER_CHARS:
            return self._function(pos)
        return self._variable(pos)

    def _run(self, step: _Result | _Composite, pos: int) -> _Result:
        """Drive composite-value generators with an explicit stack instead of recursion.

        A generator yields the position where it needs a nested ``Value`` and is sent that
        value's result; its return value is its own result, passed on to its parent.  ``pos``
        is where ``step`` started (reported if it nests too deep).
        """
        stack: list[_Composite] = []
        while True:
            if step is None or isinstance(step, tuple):  # a leaf: its result goes to the waiting parent
                if not stack:
                    return step
                reply: _Result = step
            else:
                if len(stack) >= MAX_NESTING:
                    raise TagSyntaxError(f"Values nested more than {MAX_NESTING} levels deep.", pos, pos + 1)
                stack.append(step)
                reply = None  # primes the new generator
            while True:
                try:
                    request = stack[-1].send(reply)
                except StopIteration as done:
                    stack.pop()
                    reply = done.value
                    if not stack:
                        return reply
                    continue
                step = self._value_step(request)
                pos = request
                break

    def _array(self, pos: int) -> _Composite:
        """``'[' _* (Value (_* ',' _* Value)* TrailingComma)? _* ']'`` (``[1,]`` ok, ``[,]`` not)."""
        items: list[Any] = []
        end = self._spaces(pos + 1)
        item = yield end
        if item is not None:
            items.append(item[0])
            end = item[1]
            while (item := (yield from self._separated_value(end))) is not None:
                items.append(item[0])
                end = item[1]
            end = self._trailing_comma(end)
        close = self._close(end, "]")
        return None if close is None else (items, close)

    def _hash(self, pos: int) -> _Composite:
        """``'{' _* (Item (_* ',' _* Item)* TrailingComma)? _* '}'``; ``Item = key ':' _* Value``."""
        items: list[tuple[str, Any]] = []
        end = self._spaces(pos + 1)
        item = yield from self._hash_item(end)
        if item is not None:
            items.append(item[0])
            end = item[1]
            while (comma := self._comma(end)) is not None:
                item = yield from self._hash_item(comma)
                if item is None:
                    break
                items.append(item[0])
                end = item[1]
            end = self._trailing_comma(end)
        close = self._close(end, "}")
        return None if close is None else (_hash_object(items), close)

    def _hash_item(self, pos: int) -> _Composite:
        """``key:(Identifier / ValueString) ':' _* Value`` → ``(key, value)``."""
        self._expect(pos, _IDENT)
        match = _IDENTIFIER.match(self.text, pos)
        if match is not None:
            key: _Result = (match.group(), match.end())
        else:
            self._expect(pos, _STRING_NAME)
            key = self._string(pos)
        if key is None:
            return None
        self._expect(key[1], '":"')
        if not self.text.startswith(":", key[1]):
            return None
        value = yield self._spaces(key[1] + 1)
        return None if value is None else ((key[0], value[0]), value[1])

    def _function(self, pos: int) -> _Composite:
        """``Identifier '(' _* FunctionParameter? (_* ',' _* FunctionParameter)* ')'``.

        As in the generated parser the tail loop runs even when the first parameter failed, and
        the action then discards every parameter: ``f(,1)`` is ``f`` with no parameters.
        """
        text = self.text
        match = _IDENTIFIER.match(text, pos)
        if match is None:
            return None
        open_paren = match.end()
        self._expect(open_paren, '"("')
        if not text.startswith("(", open_paren):
            return None
        end = self._spaces(open_paren + 1)
        params: list[tuple[str | None, Any]] = []
        head = yield from self._parameter(end)
        if head is not None:
            params.append(head[0])
            end = head[1]
        while (comma := self._comma(end)) is not None:
            param = yield from self._parameter(comma)
            if param is None:
                break
            params.append(param[0])
            end = param[1]
        self._expect(end, '")"')
        if not text.startswith(")", end):
            return None
        return Function(match.group(), _function_parameters(params if head else [])), end + 1

    def _parameter(self, pos: int) -> _Composite:
        """``(Identifier '=')? Value`` → ``(name or None, value)``."""
        self._expect(pos, _IDENT)
        name = None
        start = pos
        match = _IDENTIFIER.match(self.text, pos)
        if match is not None:
            self._expect(match.end(), '"="')
            if self.text.startswith("=", match.end()):
                name = match.group()
                start = match.end() + 1
        value = yield start
        return None if value is None else ((name, value[0]), value[1])

    def _separated_value(self, pos: int) -> _Composite:
        """``_* ',' _* Value`` (an array tail)."""
        comma = self._comma(pos)
        if comma is None:
            return None
        return (yield comma)

    def _comma(self, pos: int) -> int | None:
        """``_* ',' _*``: the position after the comma and its trailing whitespace."""
        comma = self._spaces(pos)
        self._expect(comma, '","')
        if not self.text.startswith(",", comma):
            return None
        return self._spaces(comma + 1)

    def _trailing_comma(self, pos: int) -> int:
        """``(_* ',')?``."""
        comma = self._spaces(pos)
        self._expect(comma, '","')
        return comma + 1 if self.text.startswith(",", comma) else pos

    def _close(self, pos: int, bracket: str) -> int | None:
        """``_* ']'`` / ``_* '}'`` ending an array or hash: the position after the bracket."""
        end = self._spaces(pos)
        self._expect(end, f'"{bracket}"')
        return end + 1 if self.text.startswith(bracket, end) else None
