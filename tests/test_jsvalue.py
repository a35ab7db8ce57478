"""Tests for JavaScript value semantics (``om_markdoc.core.jsvalue``).

Expected strings were produced by Node.js (``String(n)``, ``JSON.stringify``) and pasted here.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from om_markdoc.core.ast import UNDEFINED, Function, Variable
from om_markdoc.core.jsvalue import (
    js_json_stringify,
    js_number,
    js_number_to_string,
    js_object,
    js_string,
    js_type_of,
    markdoc_truthy,
    to_json_value,
)

# -- js_object ---------------------------------------------------------------------------------


def test_js_object_puts_array_indices_first_in_numeric_order() -> None:
    # JS: Object.keys({b: true, a: true, 1: true}) → ["1", "b", "a"]
    assert list(js_object([("b", True), ("a", True), ("1", True)])) == ["1", "b", "a"]


def test_js_object_only_canonical_indices_below_2_32_minus_1_are_indices() -> None:
    # JS: Object.keys({"x y": 1, 2: 3, "01": 4, 4294967295: 5, 4294967294: 6, "-1": 7, "10": 8})
    pairs = [("x y", 1), ("2", 3), ("01", 4), ("4294967295", 5), ("4294967294", 6), ("-1", 7), ("10", 8)]
    assert list(js_object(pairs)) == ["2", "10", "4294967294", "x y", "01", "4294967295", "-1"]


def test_js_object_non_ascii_digits_are_not_indices() -> None:
    assert list(js_object([("b", 1), ("²", 2), ("١", 3)])) == ["b", "²", "١"]


def test_js_object_repeated_key_keeps_first_position_and_last_value() -> None:
    obj = js_object([("a", 1), ("b", 2), ("a", 3), ("0", 4), ("0", 5)])
    assert list(obj.items()) == [("0", 5), ("a", 3), ("b", 2)]


def test_js_object_empty() -> None:
    assert js_object([]) == {}


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected", "expected_type"),
    [
        ("1", 1, int),
        ("1.0", 1, int),
        ("-0", 0, int),
        (-0.0, 0, int),
        ("1.5", 1.5, float),
        ("-2.25", -2.25, float),
        (3.0, 3, int),
        (7, 7, int),
        ("123456789012345678901234567890", 123456789012345677877719597056, int),
        (math.inf, math.inf, float),
        (2**70 + 1, 2**70, int),  # rounded to the nearest double, like JS would hold it
        (10**400, math.inf, float),
    ],
)
def test_js_number(given: Any, expected: Any, expected_type: type) -> None:
    result = js_number(given)
    assert result == expected
    assert type(result) is expected_type


def test_js_number_nan_stays_float() -> None:
    assert math.isnan(js_number(math.nan))


# (number, String(number)) from Node.js.
NUMBER_STRINGS = [
    (0, "0"),
    (-0.0, "0"),
    (1, "1"),
    (-1, "-1"),
    (1.5, "1.5"),
    (0.1 + 0.2, "0.30000000000000004"),
    (1e21, "1e+21"),
    (1e-7, "1e-7"),
    (1e-6, "0.000001"),
    (1.5e-7, "1.5e-7"),
    (123456789012345680000.0, "123456789012345680000"),
    (1e16, "10000000000000000"),
    (2.0**53, "9007199254740992"),
    (2.0**53 + 2, "9007199254740994"),
    (1e300, "1e+300"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (-1e21, "-1e+21"),
    (0.000001234, "0.000001234"),
    (123.456, "123.456"),
    (100, "100"),
    (100.0, "100"),
    (1 / 3, "0.3333333333333333"),
    (-2.5e-10, "-2.5e-10"),
    (999999999999999900000.0, "999999999999999900000"),
    (1e20, "100000000000000000000"),
    (12345678901234567890, "12345678901234567000"),
    (123456789012345678901, "123456789012345680000"),
    (10**400, "Infinity"),
    (math.nan, "NaN"),
    (math.inf, "Infinity"),
    (-math.inf, "-Infinity"),
]


@pytest.mark.parametrize(("number", "expected"), NUMBER_STRINGS)
def test_js_number_to_string(number: int | float, expected: str) -> None:
    assert js_number_to_string(number) == expected


@settings(max_examples=500)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_js_number_to_string_round_trips(number: float) -> None:
    """The output always parses back to the same double (JS's shortest-round-trip property)."""
    assert float(js_number_to_string(number)) == number


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_js_number_to_string_layout(bits: int) -> None:
    """JS layout: plain digits for 1e-7 < |x| < 1e21, otherwise ``d.ddde±n`` without padding."""
    number = struct.unpack("<d", struct.pack("<Q", bits))[0]
    text = js_number_to_string(number)
    if math.isnan(number) or math.isinf(number):
        return
    magnitude = abs(number)
    if magnitude == 0 or 1e-7 <= magnitude < 1e21:
        assert "e" not in text
    else:
        mantissa, exponent = text.lstrip("-").split("e")
        assert exponent[0] in "+-" and not exponent[1:].startswith("0")
        assert "." not in mantissa or not mantissa.endswith("0")


# -- String() ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", "text"),
        ("", ""),
        (None, "null"),
        (UNDEFINED, "undefined"),
        (True, "true"),
        (False, "false"),
        (1, "1"),
        (1.0, "1"),
        (-0.0, "0"),
        (1e21, "1e+21"),
        # Node: String([1,[2,"x"],{k:null}]) etc.
        ([1, [2, "x"], {"k": None}], "1,2,x,[object Object]"),
        ([None, UNDEFINED, 1], ",,1"),
        ([[None], [[3]]], ",3"),
        ([], ""),
        ([True, False], "true,false"),
        ({"a": 1}, "[object Object]"),
        ({}, "[object Object]"),
        (Variable(["x"]), "[object Object]"),
        (Function("f", {}), "[object Object]"),
        ([Variable(["x"]), 1.5], "[object Object],1.5"),
    ],
)
def test_js_string(value: Any, expected: str) -> None:
    assert js_string(value) == expected


# -- truthiness and type names -----------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 0.0, "", [], {}, True, "false", Variable(["x"]), math.nan])
def test_markdoc_truthy_values(value: Any) -> None:
    assert markdoc_truthy(value) is True


@pytest.mark.parametrize("value", [False, None, UNDEFINED])
def test_markdoc_falsy_values(value: Any) -> None:
    assert markdoc_truthy(value) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s", "String"),
        ("", "String"),
        (0, "Number"),
        (1.5, "Number"),
        (math.nan, "Number"),
        (True, "Boolean"),
        (False, "Boolean"),
        ([], "Array"),
        ({}, "Object"),
        (None, ""),
        (UNDEFINED, ""),
        (Variable(["x"]), ""),
        (Function("f", {}), ""),
    ],
)
def test_js_type_of(value: Any, expected: str) -> None:
    assert js_type_of(value) == expected


# -- JSON.stringify ----------------------------------------------------------------------------

SAMPLE = {
    "b": 1,
    "a": [1, UNDEFINED, None, math.nan, math.inf, -0.0, 1e21, 'x"\\\n\x01\x7f\u2028é😀'],
    "2": {},
    "1": [],
    "u": UNDEFINED,
    "f": lambda: 1,
    "n": {"x": {"y": [1, {"z": 2}]}},
}


def test_json_stringify_compact() -> None:
    # Node: JSON.stringify(sample)
    assert js_json_stringify(SAMPLE) == (
        '{"1":[],"2":{},"b":1,"a":[1,null,null,null,null,0,1e+21,"x\\"\\\\\\n\\u0001\x7f\u2028é😀"],'
        '"n":{"x":{"y":[1,{"z":2}]}}}'
    )


def test_json_stringify_indented() -> None:
    # Node: JSON.stringify(sample, null, 2)
    assert js_json_stringify(SAMPLE, 2) == (
        '{\n  "1": [],\n  "2": {},\n  "b": 1,\n  "a": [\n    1,\n    null,\n    null,\n    null,\n'
        '    null,\n    0,\n    1e+21,\n    "x\\"\\\\\\n\\u0001\x7f\u2028é😀"\n  ],\n  "n": {\n'
        '    "x": {\n      "y": [\n        1,\n        {\n          "z": 2\n        }\n      ]\n'
        "    }\n  }\n}"
    )


def test_json_stringify_indent_is_clamped_to_ten() -> None:
    assert js_json_stringify(SAMPLE, 20) == js_json_stringify(SAMPLE, 10)
    assert js_json_stringify([1], 20) == "[\n          1\n]"


@pytest.mark.parametrize(
    ("value", "indent", "expected"),
    [
        # Node: JSON.stringify(null), ([undefined]), ({a: undefined}), ([], null, 2), ({}, null, 2), ([[]], null, 2)
        (None, None, "null"),
        ([UNDEFINED], None, "[null]"),
        ({"a": UNDEFINED}, None, "{}"),
        ([], 2, "[]"),
        ({}, 2, "{}"),
        ([[]], 2, "[\n  []\n]"),
        ([1], 0, "[1]"),
        ([1], -3, "[1]"),
        ("\ud800x", None, '"\\ud800x"'),
        (True, None, "true"),
        ({1: "a"}, None, '{"1":"a"}'),
        ((1, 2), None, "[1,2]"),
        (Variable(["a", 0]), None, '{"$$mdtype":"Variable","path":["a",0]}'),
        (
            Function("f", {"0": Variable(["x"]), "k": UNDEFINED}),
            None,
            '{"$$mdtype":"Function","name":"f","parameters":{"0":{"$$mdtype":"Variable","path":["x"]}}}',
        ),
    ],
)
def test_json_stringify_cases(value: Any, indent: int | None, expected: str) -> None:
    assert js_json_stringify(value, indent) == expected


def test_json_stringify_undefined_at_top_is_undefined() -> None:
    assert js_json_stringify(UNDEFINED) is UNDEFINED
    assert js_json_stringify(lambda: 1) is UNDEFINED


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300)
@given(JSON_VALUES, st.sampled_from([None, 2]))
def test_json_stringify_is_valid_json_of_the_value(value: Any, indent: int | None) -> None:
    text = js_json_stringify(value, indent)
    # JSON numbers are doubles in JS: "45054061230848540" denotes 45054061230848544.
    assert json.loads(text, parse_int=float) == to_json_value(value)


# -- to_json_value -----------------------------------------------------------------------------


def test_to_json_value() -> None:
    value = {
        "b": [UNDEFINED, 1.0, math.inf, Variable(["x"])],
        "u": UNDEFINED,
        "1": Function("f", {"0": Variable(["y"])}),
    }
    result = to_json_value(value)
    assert result == {
        "1": {"$$mdtype": "Function", "name": "f", "parameters": {"0": {"$$mdtype": "Variable", "path": ["y"]}}},
        "b": [None, 1, None, {"$$mdtype": "Variable", "path": ["x"]}],
    }
    assert list(result) == ["1", "b"]
    assert type(result["b"][1]) is int
