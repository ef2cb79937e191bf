"""Tests for crm_pipelines.core.normalize (dates and datetimes: test_normalize_datetime.py; emails and bytes:
test_normalize_email.py).

Expected values are worked out by hand (epoch arithmetic, zone offsets, E.164 layouts), not copied from
the implementation's output.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from crm_pipelines.core.columns import E164_PATTERN
from crm_pipelines.core.normalize import (
    CONVERTERS, EMPTY_PLACEHOLDERS, Converted, convert_frame, to_bool, to_datetime_utc, to_decimal,
    to_email, to_float, to_int, to_json, to_list, to_phone_e164, to_text,
)
from crm_pipelines_tests.core.normalize_support import one, utc

INDEX = pd.Index(["r7", "r3", "r9"], name="hs_object_id")


# --- empties and structure -------------------------------------------------------------------------------

EMPTIES = [None, np.nan, pd.NA, "", "   ", "\t\n", "(No value)", "(no value)", "(NO VALUE)", "N/A", "n/a",
           "NA", "na", "null", "NULL", "Null", "None", "none", ".", " . ", "  null  "]


def test_empty_placeholders_export():
    assert {"(No value)", "N/A", "n/a", "NA", "null", "None", "."} <= set(EMPTY_PLACEHOLDERS)


@pytest.mark.parametrize("kind", sorted(CONVERTERS))
@pytest.mark.parametrize("empty", EMPTIES, ids=repr)
def test_empty_values_are_null_and_not_invalid(kind, empty):
    value, invalid = one(CONVERTERS[kind], empty)
    assert pd.isna(value)
    assert invalid is False


@pytest.mark.parametrize("kind", ["text", "decimal", "date", "email", "phone", "list", "json"])
def test_object_converters_use_none_for_empty(kind):
    result = CONVERTERS[kind](pd.Series(["", None, "null"], dtype=object))
    assert all(v is None for v in result.values)


@pytest.mark.parametrize("kind", sorted(CONVERTERS))
def test_index_and_name_preserved(kind):
    raw = pd.Series(["x", None, "y"], index=INDEX, name="field", dtype=object)
    result = CONVERTERS[kind](raw)
    assert isinstance(result, Converted)
    assert result.values.index.equals(INDEX) and result.invalid.index.equals(INDEX)
    assert result.values.name == "field"
    assert result.invalid.dtype == bool
    assert result.invalid.tolist()[1] is False


@pytest.mark.parametrize("kind", sorted(CONVERTERS))
def test_duplicate_index_labels(kind):
    raw = pd.Series(["x", None, "y"], index=[1, 1, 1], dtype=object)
    result = CONVERTERS[kind](raw)
    assert list(result.values.index) == [1, 1, 1] and len(result.invalid) == 3


EXPECTED_DTYPES = {"text": "object", "int": "Int64", "float": "Float64", "decimal": "object", "bool": "boolean",
                   "datetime": "datetime64[ns, UTC]", "date": "object", "email": "object", "phone": "object",
                   "list": "object", "json": "object"}


@pytest.mark.parametrize("kind", sorted(CONVERTERS))
@pytest.mark.parametrize("raw", [pd.Series([], dtype=object), pd.Series([None, None], dtype=object),
                                 pd.Series(["", "n/a"], dtype=object)], ids=["empty", "all-none", "all-blank"])
def test_dtypes_even_without_values(kind, raw):
    result = CONVERTERS[kind](raw)
    assert str(result.values.dtype) == EXPECTED_DTYPES[kind]
    assert not result.invalid.any()


def test_converters_map():
    assert set(CONVERTERS) == {"text", "int", "float", "decimal", "bool", "datetime", "date", "email", "phone",
                               "list", "json"}
    assert CONVERTERS["datetime"] is to_datetime_utc and CONVERTERS["phone"] is to_phone_e164


# --- text -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (" hi ", "hi"), ("a  b", "a  b"), ("Ünïcode", "Ünïcode"), (5, "5"), (True, "true"), (False, "false"),
    (1.5, "1.5"), (17.0, "17"), ("{not json", "{not json"), ("nullable", "nullable"), ("N/A-ish", "N/A-ish"),
])
def test_to_text(raw, expected):
    assert one(to_text, raw) == (expected, False)


# --- int ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("17", 17), (" 17 ", 17), ("17.0", 17), ("17.00", 17), ("17.", 17), ("1,234", 1234), ("1,234,567", 1234567),
    ("-5", -5), ("+5", 5), ("007", 7), ("0", 0), (17, 17), (np.int64(17), 17), (17.0, 17), (1e16, 10**16),
    ("9223372036854775807", 2**63 - 1), ("-9223372036854775808", -(2**63)),
])
def test_to_int_valid(raw, expected):
    value, invalid = one(to_int, raw)
    assert (value, invalid) == (expected, False)


@pytest.mark.parametrize("raw", [
    "17.5", "17.01", "abc", "1,23", "1,2345", ",123", "1 000", "12abc", "1e3", "$5", "--5", "5-", "0x1F",
    "9223372036854775808", "-9223372036854775809", "99999999999999999999999", 17.5, True, {"a": 1}, "١٢٣",
])
def test_to_int_invalid(raw):
    value, invalid = one(to_int, raw)
    assert pd.isna(value) and invalid


def test_to_int_overflow_does_not_spoil_the_rest():
    result = to_int(pd.Series(["1", "9223372036854775808", "-3"], index=INDEX))
    assert result.values.tolist() == [1, pd.NA, -3]
    assert result.invalid.tolist() == [False, True, False]


def test_to_int_from_numeric_dtypes():
    assert to_int(pd.Series([1, 2, 3], dtype="int64")).values.tolist() == [1, 2, 3]
    result = to_int(pd.Series([1.0, np.nan, 2.5]))
    assert result.values.tolist() == [1, pd.NA, pd.NA] and result.invalid.tolist() == [False, False, True]


# --- float / decimal ------------------------------------------------------------------------------------

NUMBERS = [
    ("1250.5", "1250.5"), ("-3", "-3"), ("1e3", "1000"), ("1E-2", "0.01"), ("$1,250.50", "1250.50"),
    ("-$1,250.50", "-1250.50"), ("$-5", "-5"), ("+$5", "5"), (".5", "0.5"), ("5.", "5"), ("+2.5", "2.5"),
    ("1,234", "1234"), (" 42 ", "42"), ("0", "0"), ("-0.001", "-0.001"), ("12,345,678.9", "12345678.9"),
    (3, "3"), (2.5, "2.5"), (0.1, "0.1"),
]
NOT_NUMBERS = ["1 250", "abc", "$", "-", "+", "1-2", "e5", "1e", "nan", "NaN", "inf", "Infinity", "1,23",
               "1_000", "١٢٣", "12%", "$$5", "5$", "1.2.3", "(5)", "--1", "0x10", True, [1]]


@pytest.mark.parametrize("raw, expected", NUMBERS)
def test_to_float_valid(raw, expected):
    assert one(to_float, raw) == (float(expected), False)


@pytest.mark.parametrize("raw", NOT_NUMBERS + ["1e999", "-1e400"])
def test_to_float_invalid(raw):
    value, invalid = one(to_float, raw)
    assert pd.isna(value) and invalid


def test_to_float_dtype_and_rounding():
    result = to_float(pd.Series(["0.1", None, "x"]))
    assert str(result.values.dtype) == "Float64"
    assert result.values[0] == 0.1  # correctly rounded, the same double as the literal


@pytest.mark.parametrize("raw, expected", NUMBERS)
def test_to_decimal_valid(raw, expected):
    value, invalid = one(to_decimal, raw)
    assert isinstance(value, Decimal) and value == Decimal(expected) and not invalid


@pytest.mark.parametrize("raw, expected_text", [
    ("0.2000000000000000111", "0.2000000000000000111"),
    ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
    ("$1,250.50", "1250.50"), ("1.10", "1.10"),
])
def test_to_decimal_is_exact(raw, expected_text):
    value, _ = one(to_decimal, raw)
    assert str(value) == expected_text


@pytest.mark.parametrize("raw", NOT_NUMBERS + ["sNaN"])
def test_to_decimal_invalid(raw):
    value, invalid = one(to_decimal, raw)
    assert value is None and invalid


# --- bool -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["true", "TRUE", " True ", "t", "T", "yes", "YES", "Yes", "y", "Y", "1", "on",
                                 "ON", "On", True, np.True_, 1, 1.0])
def test_to_bool_true(raw):
    value, invalid = one(to_bool, raw)
    assert not pd.isna(value) and bool(value) is True and not invalid


@pytest.mark.parametrize("raw", ["false", "False", "FALSE", " false ", "f", "F", "no", "No", "NO", "n", "N", "0",
                                 "off", "Off", "OFF", False, np.False_, 0, 0.0])
def test_to_bool_false(raw):
    value, invalid = one(to_bool, raw)
    assert not pd.isna(value) and bool(value) is False and not invalid


@pytest.mark.parametrize("raw", ["maybe", "2", "-1", "truthy", "yes please", "0.5", "nope", 2, -1, 0.5, "tru"])
def test_to_bool_invalid(raw):
    value, invalid = one(to_bool, raw)
    assert pd.isna(value) and invalid


def test_to_bool_false_string_is_false_not_truthy():
    result = to_bool(pd.Series(["false", "true", "false"], index=INDEX))
    assert str(result.values.dtype) == "boolean"
    assert result.values.tolist() == [False, True, False]
    assert result.values.sum() == 1


# --- phone ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "(555) 234-5678", "555-234-5678", "555.234.5678", "555 234 5678", "5552345678", "15552345678",
    "1-555-234-5678", "1 (555) 234-5678", "+1 555 234 5678", "+1 (555) 234-5678", "+1-555-234-5678",
    "+15552345678", " 555-234-5678 ", "555-234-5678 x123", "555-234-5678x123", "555-234-5678 ext. 5",
    "(555) 234-5678 ext 42", "555-234-5678 extension 7", "+1 555 234 5678 #12", "555/234/5678",
    5552345678, 15552345678,
])
def test_to_phone_us_forms(raw):
    assert one(to_phone_e164, raw) == ("+15552345678", False)
    assert re.match(E164_PATTERN, "+15552345678")


@pytest.mark.parametrize("raw, expected", [
    ("+44 20 7946 0958", "+442079460958"), ("+44 (0)20 7946 0958", "+442079460958"),
    ("+33 1 23 45 67 89", "+33123456789"), ("+49 30 12345678", "+493012345678"),
    ("011 44 20 7946 0958", "+442079460958"),  # the US international dialling prefix
    ("+44 20 7946 0958 ext. 12", "+442079460958"),
])
def test_to_phone_international(raw, expected):
    assert one(to_phone_e164, raw) == (expected, False)
    assert re.match(E164_PATTERN, expected)


@pytest.mark.parametrize("raw", [
    "555-1234", "234-5678", "12345", "555-234-567", "1-800-FLOWERS", "555-CALL-NOW", "call me", "n/a please",
    "(055) 234-5678", "(155) 234-5678", "(555) 034-5678", "(555) 134-5678", "+1 (555) 134-5678",
    "555-234-56789", "+", "+1",
    "+44 20 79", "+44 20 7946 0958 1234 5678", "+33 1 23", "+49",
])
def test_to_phone_invalid(raw):
    value, invalid = one(to_phone_e164, raw)
    assert value is None and invalid


@pytest.mark.parametrize("raw, expected", [
    ("020 7946 0958", "+442079460958"), ("+44 20 7946 0958", "+442079460958"),
    ("+1 555 234 5678", "+15552345678"), ("+1 (555) 234-5678 x9", "+15552345678"),
])
def test_to_phone_other_region(raw, expected):
    assert one(to_phone_e164, raw, region="GB") == (expected, False)


def test_to_phone_bare_ten_digits_are_not_american_outside_nanp():
    value, _ = one(to_phone_e164, "5552345678", region="GB")
    assert value != "+15552345678"


def test_to_phone_canada_is_nanp():
    assert one(to_phone_e164, "(416) 555-0199", region="CA") == ("+14165550199", False)


def test_to_phone_unknown_region():
    with pytest.raises(ValueError, match="region"):
        to_phone_e164(pd.Series(["5552345678"]), region="XX")


# --- list -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("a;b;c", ["a", "b", "c"]), (" a ; b ;; c ; ", ["a", "b", "c"]), ("single", ["single"]),
    ("Closed Won", ["Closed Won"]), (["x", " y ", None, ""], ["x", "y"]), (("x", "y"), ["x", "y"]),
    ([1, 2.5], ["1", "2.5"]), (5, ["5"]), (np.array(["p", "q"], dtype=object), ["p", "q"]),
])
def test_to_list(raw, expected):
    assert one(to_list, raw) == (expected, False)


@pytest.mark.parametrize("raw", [";;", " ; ; ", [], [None, " "], ()])
def test_to_list_without_items_is_empty(raw):
    assert one(to_list, raw) == (None, False)


def test_to_list_separator():
    assert one(to_list, "a, b,,c", sep=",") == (["a", "b", "c"], False)
    assert one(to_list, "a;b", sep=",") == (["a;b"], False)


def test_to_list_dict_is_invalid():
    value, invalid = one(to_list, {"a": 1})
    assert value is None and invalid


def test_to_list_rows_do_not_share_lists():
    result = to_list(pd.Series(["a;b", "a;b", "a;b"], index=INDEX))
    first, second, _ = result.values
    assert first == second and first is not second
    first.append("c")
    assert result.values.iloc[1] == ["a", "b"]


# --- json -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ('{"a": 1}', {"a": 1}), ("[1, 2]", [1, 2]), (' {"a": [1, {"b": null}]} ', {"a": [1, {"b": None}]}),
    ("{}", {}), ("[]", []), ({"b": 2}, {"b": 2}), ([1, "x"], [1, "x"]), ((1, 2), [1, 2]),
])
def test_to_json(raw, expected):
    assert one(to_json, raw) == (expected, False)


def test_to_json_passes_objects_through():
    payload = {"nested": {"k": [1, 2]}}
    value, _ = one(to_json, payload)
    assert value is payload


@pytest.mark.parametrize("raw", ["hello", "[bad", '"just a string"', "42", "true", "{'a': 1}", '{"a": 1} x',
                                 5, 5.5, True])
def test_to_json_invalid(raw):
    value, invalid = one(to_json, raw)
    assert value is None and invalid


def test_to_json_rows_do_not_share_dicts():
    result = to_json(pd.Series(['{"a": 1}', '{"a": 1}']))
    first, second = result.values
    first["a"] = 2
    assert second == {"a": 1}

# --- columns large enough for the "mostly distinct" path, and heavily repeated ones --------------------

@pytest.mark.parametrize("repeat", [1, 50], ids=["distinct", "repeated"])
def test_long_columns_match_row_by_row_expectations(repeat):
    n = 3000 // repeat
    base = [str(i) if i % 50 else ("" if i % 100 else "bad") for i in range(n)]
    raw = pd.Series(base * repeat, index=np.arange(len(base) * repeat)[::-1])
    result = to_int(raw)
    expected = [int(t) if t.isdigit() else pd.NA for t in base] * repeat
    assert result.values.tolist() == expected
    assert result.invalid.tolist() == [t == "bad" for t in base] * repeat
    assert result.values.index.equals(raw.index)


def test_long_email_column_with_blanks():
    base = [f"User{i}@Example.com" if i % 10 else None for i in range(1000)] + ["not an email"]
    result = to_email(pd.Series(base))
    assert result.values.iloc[1] == "user1@example.com" and result.values.iloc[0] is None
    assert result.invalid.sum() == 1 and bool(result.invalid.iloc[-1])


def test_string_dtype_input():
    raw = pd.Series([" a ", pd.NA, "null"], dtype="string")
    assert to_text(raw).values.tolist() == ["a", None, None]


# --- convert_frame --------------------------------------------------------------------------------------

@pytest.fixture
def raw_frame():
    return pd.DataFrame({
        "email": ["a@x.com", "john doe@x.com", None],
        "closedate": ["2024-01-15T10:30:00Z", "soon", "2024-01-15 10:30"],
        "amount": ["$1,250.50", "12", "twelve"],
        "flag": ["true", True, "false"],
        "unused": ["x", "y", "z"],
    }, index=pd.Index([101, 102, 103], name="row"))


KINDS = {"email": "email", "closedate": "datetime", "amount": "decimal", "flag": "bool", "num_employees": "int"}


def test_convert_frame_types_and_missing_columns(raw_frame):
    frame, reasons = convert_frame(raw_frame, KINDS)
    assert list(frame.columns) == list(KINDS)
    assert frame.index.equals(raw_frame.index) and reasons.index.equals(raw_frame.index)
    assert str(frame["closedate"].dtype) == "datetime64[ns, UTC]"
    assert str(frame["flag"].dtype) == "boolean" and str(frame["num_employees"].dtype) == "Int64"
    assert frame["num_employees"].isna().all()
    assert frame.loc[101, "amount"] == Decimal("1250.50") and frame.loc[102, "amount"] == Decimal("12")
    assert frame.loc[101, "email"] == "a@x.com" and frame.loc[102, "email"] is None
    assert frame["flag"].tolist() == [True, True, False]


def test_convert_frame_issues(raw_frame):
    _, issues = convert_frame(raw_frame, KINDS)
    assert issues.loc[101] is None
    assert issues.loc[102] == {"email": "not a valid email address", "closedate": "not a datetime"}
    assert issues.loc[103] == {"amount": "not a decimal number"}
    issues.loc[102]["mine"] = "x"
    assert issues.loc[103] == {"amount": "not a decimal number"}  # no shared dict


def test_convert_frame_options_by_field_and_by_kind(raw_frame):
    frame, _ = convert_frame(raw_frame, KINDS, options={"closedate": {"naive_tz": "America/New_York"}})
    assert frame.loc[103, "closedate"] == utc("2024-01-15T15:30Z")
    frame, _ = convert_frame(raw_frame, KINDS, options={"datetime": {"naive_tz": "Europe/Berlin"},
                                                        "closedate": {"naive_tz": "America/New_York"}})
    assert frame.loc[103, "closedate"] == utc("2024-01-15T15:30Z")
    frame, _ = convert_frame(raw_frame, KINDS, options={"datetime": {"naive_tz": "Europe/Berlin"}})
    assert frame.loc[103, "closedate"] == utc("2024-01-15T09:30Z")


def test_convert_frame_unknown_kind(raw_frame):
    with pytest.raises(ValueError, match="unknown kinds"):
        convert_frame(raw_frame, {"email": "emial"})


def test_convert_frame_duplicate_index_and_empty_frame():
    raw = pd.DataFrame({"a": ["1", "x"]}, index=[7, 7])
    frame, reasons = convert_frame(raw, {"a": "int"})
    assert frame["a"].tolist() == [1, pd.NA] and reasons.tolist() == [None, {"a": "not an integer"}]
    frame, reasons = convert_frame(pd.DataFrame({"a": []}, dtype=object), {"a": "int", "b": "datetime"})
    assert len(frame) == 0 and list(frame.columns) == ["a", "b"] and len(reasons) == 0
