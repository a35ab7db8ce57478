"""JavaScript value semantics that leak through Markdoc's behaviour.

The reference implementation is JavaScript, and several of its observable outputs are really
JavaScript's: the order in which object keys are enumerated, how ``String(value)`` renders numbers
and arrays in HTML attributes, what ``JSON.stringify`` produces for ``debug()``, and which values
count as "truthy" for ``if``.  Python's defaults differ in each case (``repr(1e16) == '1e+16'``,
dicts keep insertion order, ``str([1, 2]) == '[1, 2]'``), so this module reimplements the JS rules
for the value types Markdoc attributes can hold: ``None`` (JS ``null``), ``UNDEFINED``, ``bool``,
``int``/``float`` (JS numbers), ``str``, ``list`` (arrays), ``dict`` with ``str`` keys (plain
objects) and the AST's ``Variable``/``Function`` objects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from .values import UNDEFINED

# ---------------------------------------------------------------------------------------------
# Object key order
# ---------------------------------------------------------------------------------------------

_MAX_ARRAY_INDEX = 2**32 - 1  # ECMAScript: an array index is an integer in [0, 2**32 - 2].


def _is_array_index(key: str) -> bool:
    """Is ``key`` the canonical decimal form of an array index ("0", "42"; not "01", "-1")?

    JavaScript enumerates exactly these keys first, in ascending numeric order.
    """
    if not key or not key.isascii() or not key.isdigit():
        return False
    if key[0] == "0" and len(key) > 1:
        return False
    return int(key) < _MAX_ARRAY_INDEX


def _js_key_order(obj: dict[str, Any]) -> dict[str, Any]:
    """Return ``obj`` (or an equal reordered copy) with its keys in JavaScript enumeration order."""
    index_keys = [key for key in obj if _is_array_index(key)]
    if not index_keys:
        return obj
    ordered = {key: obj[key] for key in sorted(index_keys, key=int)}
    ordered.update((key, value) for key, value in obj.items() if key not in ordered)
    return ordered


def js_object(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Build a dict whose iteration order is that of the equivalent JavaScript object.

    Array-index keys come first in ascending numeric order, then the remaining keys in the
    order they were first set.  Setting a key again keeps its original position but takes the
    new value, like repeated assignment ``obj[key] = value`` in JavaScript.
    """
    obj: dict[str, Any] = {}
    for key, value in pairs:
        obj[key] = value
    return _js_key_order(obj)


def _object_key(key: Any) -> str:
    """The property key JavaScript would use for ``key`` (keys are always strings there)."""
    return key if isinstance(key, str) else js_string(key)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

_SAFE_INTEGER = 2**53


def js_number(text_or_float: str | int | float) -> int | float:
    """Normalise a JavaScript number (a double) to the Python type the port uses.

    ``text_or_float`` is a number or the source text of a numeric literal as the tag grammar
    matches it (``-?[0-9]+(\\.[0-9]+)?``, read with ``parseFloat``).  JS has only doubles, so
    ``1.0`` and ``1`` are the same value and ``-0`` prints as ``0``; returning an ``int`` for every
    integral finite value makes Python's equality, hashing and ``str`` agree with that.
    """
    if isinstance(text_or_float, int) and -_SAFE_INTEGER < text_or_float < _SAFE_INTEGER:
        return int(text_or_float)  # exact already; also turns True into 1 like Number(true)
    value = _to_double(text_or_float)
    if math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _to_double(number: str | int | float) -> float:
    """``float(number)``, except that ints too large for a double become infinite as in JS."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf  # type: ignore[operator]


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-tripping decimal digits ``s`` and point position ``n`` of ``value > 0``.

    ``value == 0.s * 10**n``.  Python's ``repr`` and JS's ``Number::toString`` both pick the
    shortest digit string that round-trips (closest one on ties), only the layout differs.
    """
    mantissa, _, exponent = repr(value).partition("e")
    integer_part, _, fraction = mantissa.partition(".")
    digits = integer_part + fraction
    point = len(integer_part) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    return stripped.rstrip("0"), point


def _format_digits(digits: str, point: int) -> str:
    """Lay out ``0.digits * 10**point`` exactly as ECMAScript ``Number::toString`` (radix 10)."""
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exponent = point - 1
    sign = "+" if exponent >= 0 else "-"
    mantissa = digits if count == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{sign}{abs(exponent)}"


def js_number_to_string(n: int | float) -> str:
    """``Number.prototype.toString()``: ``1e+21``, ``1e-7``, ``0.30000000000000004``, ``NaN``.

    Python ints beyond 2**53 are first rounded to a double, as JavaScript would hold them
    (``123456789012345678901`` prints ``123456789012345680000``).
    """
    if isinstance(n, int) and not isinstance(n, bool) and -_SAFE_INTEGER < n < _SAFE_INTEGER:
        return str(n)
    value = _to_double(n)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"  # String(-0) === "0"
    sign = "-" if value < 0 else ""
    return sign + _format_digits(*_shortest_digits(abs(value)))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ---------------------------------------------------------------------------------------------
# String(), truthiness, constructor names
# ---------------------------------------------------------------------------------------------


def js_string(value: Any) -> str:
    """JavaScript ``String(value)``, as the HTML renderer applies it to attribute values.

    Arrays use ``Array.prototype.join(",")``, which renders ``null``/``undefined`` items as empty
    strings and joins nested arrays recursively; plain objects and Markdoc's ``Variable`` /
    ``Function`` instances are ``"[object Object]"``.
    """
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return js_number_to_string(value)
    if isinstance(value, list):
        return ",".join("" if item is None or item is UNDEFINED else js_string(item) for item in value)
    # Plain objects, Variable/Function, Tag (slots rendered into attributes): all "[object Object]".
    return "[object Object]"


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness (``!!value``): ``false``, ``0``, ``NaN``, ``""``, ``null``, ``undefined`` are falsy."""
    if value is None or value is UNDEFINED or value is False:
        return False
    if _is_number(value):
        return bool(value == value and value != 0)
    if isinstance(value, str):
        return value != ""
    return True


# ECMAScript WhiteSpace and LineTerminator code points, what String.prototype.trim removes.
JS_WHITESPACE = (
    "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def js_trim(text: str) -> str:
    """``String.prototype.trim``: unlike ``str.strip`` it removes U+FEFF and keeps U+001C–U+001F and U+0085."""
    return text.strip(JS_WHITESPACE)


def markdoc_truthy(value: Any) -> bool:
    """Markdoc's ``truthy``: only ``false``, ``null`` and ``undefined`` are falsy (``0``, ``""`` are not)."""
    return value is not False and value is not None and value is not UNDEFINED


def js_type_of(value: Any) -> str:
    """The constructor name Markdoc's validator compares (``value.constructor === Type``).

    ``bool`` is a ``Boolean``, never a ``Number``; ``Variable``/``Function`` instances have their
    own constructors, so they match none of the built-in types and give ``""``, as do ``null``
    and ``undefined`` (which have no constructor).
    """
    if isinstance(value, str):
        return "String"
    if isinstance(value, bool):
        return "Boolean"
    if _is_number(value):
        return "Number"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return ""


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------

_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters JSON.stringify escapes: quote, backslash, C0 controls and (well-formed
# JSON.stringify, ES2019) lone surrogates.  Everything else, including non-ASCII, is kept.
_JSON_ESCAPED = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')


def _json_escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _JSON_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _json_quote(text: str) -> str:
    return '"' + _JSON_ESCAPED.sub(_json_escape_char, text) + '"'


def _json_prepare(value: Any) -> Any:
    """Apply ``toJSON`` (our ``to_json``) and map functions to ``undefined`` as JSON.stringify does."""
    to_json = getattr(value, "to_json", None)
    if to_json is not None:
        return to_json()
    if callable(value):
        return UNDEFINED
    return value


def js_json_stringify(value: Any, indent: int | None = None) -> Any:
    """``JSON.stringify(value, null, indent)``; returns ``UNDEFINED`` where JS returns ``undefined``.

    Reproduced details: ``undefined`` (and functions) are omitted from objects and become
    ``null`` in arrays; non-finite numbers are ``null``; numbers use JS formatting; object keys
    are enumerated in JS order; without ``indent`` there are no spaces at all, with it each
    member goes on its own line and keys are followed by ``": "``; empty containers stay ``[]``
    and ``{}``.  ``indent`` is clamped to 10 like JS; below 1 means no indentation.
    """
    step = " " * min(indent, 10) if indent and indent > 0 else ""
    return _stringify(_json_prepare(value), step, "")


def _stringify(value: Any, step: str, current: str) -> Any:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _json_quote(value)
    if _is_number(value):
        return js_number_to_string(value) if math.isfinite(value) else "null"
    if isinstance(value, (list, tuple)):
        return _stringify_array(value, step, current)
    if isinstance(value, dict):
        return _stringify_object(value, step, current)
    return UNDEFINED


def _stringify_array(items: list[Any] | tuple[Any, ...], step: str, current: str) -> str:
    inner = current + step
    parts = []
    for item in items:
        text = _stringify(_json_prepare(item), step, inner)
        parts.append("null" if text is UNDEFINED else text)
    return _join_members("[", parts, "]", step, current)


def _stringify_object(obj: dict[Any, Any], step: str, current: str) -> str:
    inner = current + step
    colon = ": " if step else ":"
    ordered = _js_key_order({_object_key(key): value for key, value in obj.items()})
    parts = []
    for key, item in ordered.items():
        text = _stringify(_json_prepare(item), step, inner)
        if text is not UNDEFINED:
            parts.append(_json_quote(key) + colon + text)
    return _join_members("{", parts, "}", step, current)


def _join_members(open_: str, parts: list[str], close: str, step: str, current: str) -> str:
    if not parts:
        return open_ + close
    if not step:
        return open_ + ",".join(parts) + close
    inner = "\n" + current + step
    return open_ + inner + ("," + inner).join(parts) + "\n" + current + close


def to_json_value(value: Any) -> Any:
    """Convert an attribute value tree to plain JSON-able Python, as ``JSON.stringify`` sees it.

    ``Variable``/``Function`` become their ``$$mdtype`` objects, ``UNDEFINED`` is dropped from
    dicts and becomes ``None`` in lists, non-finite numbers become ``None``, integral floats
    become ints and dict keys are put in JS order.  Used for AST JSON dumps.
    """
    value = _json_prepare(value)
    if isinstance(value, (list, tuple)):
        out = [to_json_value(item) for item in value]
        return [None if item is UNDEFINED else item for item in out]
    if isinstance(value, dict):
        converted = ((_object_key(key), to_json_value(item)) for key, item in value.items())
        return _js_key_order({key: item for key, item in converted if item is not UNDEFINED})
    if _is_number(value):
        return js_number(value) if math.isfinite(value) else None
    return value
