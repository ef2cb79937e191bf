"""Vectorised converters from raw CRM values to typed pandas Series.

Sources hand us strings (HubSpot returns every property as one), None, and now and then real JSON numbers,
bools, lists or objects. Each `to_xxx(raw, **opts)` returns a `Converted(values, invalid)` with raw's index:
empty values (None, NaN, blank, or a placeholder from EMPTY_PLACEHOLDERS) become null and are not invalid;
non-empty values that cannot be converted become null and are flagged invalid, so the caller can record the
problem (the row's `_issues`) instead of loading a silently wrong value.

Emails: trimmed and lower-cased, then judged by the `email-validator` library (RFC 5321/6531 syntax, no DNS):
internationalised local parts and IDN domains are valid. The stored value is the library's normalized form of
the lower-cased text (local part NFC-normalized, domain in its Unicode form: "x@xn--bcher-kva.de" is stored
as "x@bücher.de"), so one address has one spelling in the warehouse. Plain ASCII addresses (nearly all) take
a fast path whose acceptance is a subset of the library's and whose output equals the library's; an address
with a plain ASCII local part has only its domain judged by the library, once per distinct domain
(crm_pipelines_tests/core/test_normalize_email.py proves both give the library's own verdict).

Bytes (MySQL BIT/BLOB columns): int and bool read them as a big-endian unsigned integer (BIT(1) b"\\x01" is
1, hence True); every other kind reads them as UTF-8 text, and bytes that are not valid UTF-8 are invalid.

This is the hot path of every sync: converters parse each distinct value once (see Distinct) with
pandas/numpy string ops, and per-value Python only runs on rare fallbacks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import email_validator
import numpy as np
import pandas as pd
import phonenumbers

from crm_pipelines.core.normalize_base import (
    EMPTY_PLACEHOLDERS, Converted, Distinct, as_objects, as_text, bits_as_ints, build, case_variants, distinct, each,
    matching, non_text, storable,
)
from crm_pipelines.core.normalize_datetime import to_date, to_datetime_utc

__all__ = [
    "CONVERTERS", "EMPTY_PLACEHOLDERS", "PROBLEMS", "Converted", "convert_frame", "to_bool", "to_date",
    "to_datetime_utc", "to_decimal", "to_email", "to_float", "to_int", "to_json", "to_list", "to_phone_e164",
    "to_text",
]

# re.ASCII throughout: a bare \d would also take "١٢٣", which int() and float() then happily read.
_INT = re.compile(r"([+-]?(?:\d+|\d{1,3}(?:,\d{3})+))(?:\.0*)?", re.ASCII)
# One optional sign on either side of an optional "$"; the lookahead demands a digit so "$", "-" or "e5" fail.
_NUMBER = re.compile(r"(?:[+-]\$?|\$[+-]?)?(?=\.?\d)(?:\d+|\d{1,3}(?:,\d{3})+)?(?:\.\d*)?(?:[eE][+-]?\d+)?",
                     re.ASCII)
# Within these characters float() and Decimal() accept exactly what _NUMBER does, so such texts (nearly all)
# skip the regex and let the parser reject the odd "1-2"; outside them both parsers take "nan", "1_0", "١".
_PLAIN_NUMBER_CHARS = "0123456789.+-eE"
_BOOLS = {variant: flag
          for words, flag in ((("true", "t", "yes", "y", "1", "on"), True),
                              (("false", "f", "no", "n", "0", "off"), False))
          for word in words for variant in case_variants(word)}
# Email fast path, applied to lower-cased text: RFC 5322 dot-atoms @ hostname labels and an alphabetic TLD,
# ASCII, at most 254 characters. A label may not carry "--" in its third and fourth characters ("xn--"
# Punycode and the like go to the library, which also turns them into Unicode), and no label may start a
# special-use name the library rejects (".test", ".local", ...).
_ATOM = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = re.compile(rf"{_ATOM}(?:\.{_ATOM})*", re.ASCII)
_SPECIAL = "|".join(re.escape(name) for name in email_validator.SPECIAL_USE_DOMAIN_NAMES)
_LABEL = rf"(?!(?:{_SPECIAL})\Z)(?!..--)[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?"
_EMAIL = re.compile(rf"(?=.{{1,254}}\Z){_DOT_ATOM.pattern}@(?:{_LABEL}\.)+(?!(?:{_SPECIAL})\Z)[a-z]{{2,63}}",
                    re.ASCII)
# NANP fast path, applied after deleting " ()-.": area code and exchange never start with 0 or 1; an extension
# may follow. Anything else (other countries, odd layouts) goes through libphonenumber.
_NANP_NATIONAL = re.compile(r"[2-9]\d\d[2-9]\d{6}", re.ASCII)
_NANP_TAIL = rf"({_NANP_NATIONAL.pattern})(?:(?:ext(?:ension)?|x|#)\d{{1,7}})?"
_NANP_LOCAL = re.compile(rf"(?:\+1|1)?{_NANP_TAIL}", re.IGNORECASE | re.ASCII)
_NANP_INTERNATIONAL = re.compile(rf"\+1{_NANP_TAIL}", re.IGNORECASE | re.ASCII)
_EXTENSION = re.compile(r"\s*[,;]?\s*(?:ext(?:ension)?\.?|x|#)\s*\d{1,7}\Z", re.IGNORECASE | re.ASCII)
_LETTER = re.compile(r"[^\W\d_]")


def to_text(raw: pd.Series) -> Converted:
    """Trimmed text; invalid when PostgreSQL text cannot hold it (a NUL, or bytes that were not UTF-8)."""
    d = distinct(as_objects(raw))
    return build(raw, d, d.text.to_numpy(dtype=object, copy=True), storable(d.text), "object")


def to_int(raw: pd.Series) -> Converted:
    """Int64 from "17", " 17 ", "17.0", "1,234", JSON ints or BIT(n) bytes; fractions and values beyond int64
    are invalid."""
    d = distinct(bits_as_ints(as_objects(raw)))
    int_match = _INT.fullmatch
    digits = each(lambda text: (m := int_match(text)) and m[1].replace(",", ""), d.text)
    found = np.flatnonzero(pd.notna(digits))
    digits = digits[found]
    data = np.zeros(len(d.text), dtype=np.int64)
    ok = np.zeros(len(d.text), dtype=bool)
    try:
        data[found] = digits.astype(np.int64)
        ok[found] = True
    except OverflowError:  # rare: at least one value is beyond int64, so check them one by one
        for i, text in zip(found, digits):
            value = int(text)
            if -(2**63) <= value < 2**63:
                data[i], ok[i] = value, True
    return build(raw, d, data, ok, "Int64")


def _number_texts(d: Distinct) -> tuple[np.ndarray, np.ndarray]:
    """(positions in d.text, texts for float()/Decimal()) of the candidate numbers, "$" and "," removed."""
    texts = d.text.to_numpy()
    plain = each(lambda t: not t.strip(_PLAIN_NUMBER_CHARS), texts, bool)
    marked = [i for i in np.flatnonzero(~plain) if _NUMBER.fullmatch(texts[i])]
    positions = np.concatenate([np.flatnonzero(plain), np.array(marked, dtype=np.intp)])
    cleaned = [texts[i].replace("$", "").replace(",", "") for i in marked]
    return positions, np.concatenate([texts[plain], np.array(cleaned, dtype=object)])


def to_float(raw: pd.Series) -> Converted:
    """Float64 from "1250.5", "-3", "1e3", "$1,250.50" or JSON numbers; overflow to infinity is invalid."""
    d = distinct(as_objects(raw))
    positions, texts = _number_texts(d)
    data = np.full(len(d.text), np.nan)
    try:
        data[positions] = texts.astype(np.float64)  # Python's float(): correctly rounded
    except ValueError:  # some plain-looking text such as "1-2" or "e": parse one by one
        for i, text in zip(positions, texts):
            try:
                data[i] = float(text)
            except ValueError:
                pass
    return build(raw, d, data, np.isfinite(data), "Float64")


def to_decimal(raw: pd.Series) -> Converted:
    """Exact decimal.Decimal (money, Postgres numeric) from the same forms as to_float; never via float."""
    d = distinct(as_objects(raw))
    positions, texts = _number_texts(d)
    data = np.full(len(d.text), None, dtype=object)
    for i, text in zip(positions, texts):
        try:
            data[i] = Decimal(text)
        except InvalidOperation:
            pass
    return build(raw, d, data, pd.notna(data), "object")


def to_bool(raw: pd.Series) -> Converted:
    """boolean from true/false, t/f, yes/no, y/n, 1/0, on/off (any case), JSON bools, 0/1 and BIT(1) bytes."""
    d = distinct(bits_as_ints(as_objects(raw)))
    flags = d.text.map(_BOOLS)
    ok = flags.notna().to_numpy()
    return build(raw, d, flags.where(ok, False).to_numpy(dtype=bool), ok, "boolean")


def to_email(raw: pd.Series) -> Converted:
    """Lower-cased address in email-validator's normalized form; invalid unless RFC 5321/6531 syntax allows it."""
    d = distinct(as_objects(raw))
    data = each(str.lower, d.text)
    for i in np.flatnonzero(~matching(_EMAIL, data)):  # the few the fast path cannot take
        data[i] = _email_other(data[i])
    return build(raw, d, data, pd.notna(data), "object")


def _email_other(text: str) -> str | None:
    local, at, domain = text.rpartition("@")
    if at and _DOT_ATOM.fullmatch(local) is not None:  # only the domain needs the library
        return _with_domain(text, local, domain)
    return _email_slow(text)


def _with_domain(text: str, local: str, domain: str) -> str | None:
    """email-validator's verdict on an address whose local part is a plain ASCII dot-atom: the library
    judges such a local part valid and unchanged, and the domain on its own (once per distinct domain);
    what is left is its length rule, in UTF-8 bytes, on the text, the normalized form and the ASCII form."""
    forms = _email_domain(domain)
    if forms is None:
        return None
    normalized = f"{local}@{forms[0]}"
    if max(len(text.encode()), len(normalized.encode()), len(local) + 1 + len(forms[1])) > 254:
        return None
    return normalized


@lru_cache(maxsize=8192)
def _email_domain(domain: str) -> tuple[str, str] | None:
    """(normalized domain, its IDNA ASCII form), or None when email-validator rejects the domain."""
    try:
        checked = email_validator.validate_email(f"a@{domain}", check_deliverability=False)
    except (email_validator.EmailNotValidError, UnicodeError, ValueError):
        return None
    return checked.domain, checked.ascii_domain


@lru_cache(maxsize=8192)
def _email_slow(text: str) -> str | None:
    try:
        return email_validator.validate_email(text, check_deliverability=False).normalized
    except (email_validator.EmailNotValidError, UnicodeError, ValueError):
        return None


# Both caches live as long as the process and fill up over a long sync with mostly one-off values
# (merged-contact id lists): 65,536 such entries hold ~21 MB, which showed as peak-RSS growth between a
# 100k and a 1M sync. 8,192 entries still keep every value that repeats within a batch.
@lru_cache(maxsize=8192)
def _phone_slow(text: str, region: str) -> str | None:
    """E.164 via libphonenumber for what the NANP fast path cannot take (other countries, odd layouts)."""
    core = _EXTENSION.sub("", text)
    if _LETTER.search(core):  # vanity numbers ("1-800-FLOWERS") and free text are not phone numbers
        return None
    try:
        number = phonenumbers.parse(core, region)
    except phonenumbers.NumberParseException:
        return None
    # IS_POSSIBLE_LOCAL_ONLY (a 7-digit US number) would format as a truncated, undialable E.164.
    if phonenumbers.is_possible_number_with_reason(number) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    # libphonenumber only counts digits here, so a NANP number must still pass the fast path's shape rule.
    if number.country_code == 1 and not _NANP_NATIONAL.fullmatch(str(number.national_number)):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def to_phone_e164(raw: pd.Series, region: str = "US") -> Converted:
    """E.164 string ("+15552345678"); extensions are dropped; letters or too few digits are invalid."""
    region = region.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"unknown phone region {region!r}")
    d = distinct(as_objects(raw))
    # Outside the NANP a bare 10-digit number is not American, so only "+1..." takes the fast path there.
    fast = (_NANP_LOCAL if phonenumbers.country_code_for_region(region) == 1 else _NANP_INTERNATIONAL).fullmatch

    def convert(text: str) -> str | None:
        match = fast(text.replace(" ", "").replace("-", "").replace("(", "").replace(")", "").replace(".", ""))
        return "+1" + match[1] if match else _phone_slow(text, region)

    data = each(convert, d.text)
    return build(raw, d, data, pd.notna(data), "object")


def _split_containers(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values with lists/dicts replaced by None, positions of the lists/dicts): those bypass text parsing."""
    values = as_objects(raw)
    others = non_text(values)
    found = others[[isinstance(values[i], (list, tuple, dict, np.ndarray)) for i in others]]
    if len(found):
        values = values.copy()
        values[found] = None
    return values, found


@lru_cache(maxsize=8192)
def _items(text: str, sep: str) -> tuple[str, ...]:
    return tuple(item for item in (part.strip() for part in text.split(sep)) if item)


def to_list(raw: pd.Series, sep: str = ";") -> Converted:
    """list[str] from "a;b;c" (HubSpot multi-select) or a JSON list; a list with no items is empty (None)."""
    values, containers = _split_containers(raw)
    d = distinct(values)
    per_text = np.full(len(d.text) + 1, None, dtype=object)  # the last slot serves the empty rows
    for i, text in enumerate(d.text):
        per_text[i] = _items(text, sep) or None
    # Every row gets its own list: a shared one would let a caller's edit of one row leak into others.
    out = np.fromiter((None if t is None else list(t) for t in per_text[d.codes]), dtype=object, count=len(raw))
    invalid = np.zeros(len(raw), dtype=bool)
    originals = as_objects(raw)
    for i in containers:
        if isinstance(originals[i], dict):
            invalid[i] = True
            continue
        texts = (as_text(item) for item in originals[i])
        out[i] = [t.strip() for t in texts if t is not None and t.strip()] or None
    return Converted(pd.Series(out, index=raw.index, name=raw.name, dtype=object),
                     pd.Series(invalid, index=raw.index, name=raw.name))


def to_json(raw: pd.Series) -> Converted:
    """dict/list values pass through; strings holding a JSON object or array are parsed; nothing else is valid."""
    values, containers = _split_containers(raw)
    d = distinct(values)
    texts = d.text.to_numpy()
    out = np.full(len(raw), None, dtype=object)
    invalid = np.zeros(len(raw), dtype=bool)
    # Parsed per row, not per distinct text, so no two rows share one mutable dict.
    for row in np.flatnonzero(d.codes >= 0):
        text = texts[d.codes[row]]
        if text[0] in "{[":
            try:
                out[row] = json.loads(text)
                continue
            except ValueError:
                pass
        invalid[row] = True
    originals = as_objects(raw)
    for i in containers:
        out[i] = originals[i] if isinstance(originals[i], (dict, list)) else list(originals[i])
    return Converted(pd.Series(out, index=raw.index, name=raw.name, dtype=object),
                     pd.Series(invalid, index=raw.index, name=raw.name))


CONVERTERS: dict[str, Callable[..., Converted]] = {
    "text": to_text, "int": to_int, "float": to_float, "decimal": to_decimal, "bool": to_bool,
    "datetime": to_datetime_utc, "date": to_date, "email": to_email, "phone": to_phone_e164,
    "list": to_list, "json": to_json,
}

PROBLEMS = {
    "text": "not text", "int": "not an integer", "float": "not a number", "decimal": "not a decimal number",
    "bool": "not a boolean", "datetime": "not a datetime", "date": "not a date",
    "email": "not a valid email address", "phone": "not a valid phone number", "list": "not a list",
    "json": "not a JSON object or array",
}


def convert_frame(raw: pd.DataFrame, kinds: Mapping[str, str], *,
                  options: Mapping[str, Mapping[str, Any]] = {}) -> tuple[pd.DataFrame, pd.Series]:
    """Typed frame (one column per key of kinds; a column missing from raw becomes all-null) and the issues
    of each row: None when the row converted cleanly, else {field: problem} for the fields that could not be
    converted (and are null in the frame), e.g. {"email": "not a valid email address"}. The raw value is
    not repeated: it stays in the record.

    options are converter keyword arguments keyed by field name, or by kind for every field of that kind
    (a field's own options win), e.g. {"datetime": {"naive_tz": "America/New_York"}, "phone": {"region": "GB"}}.
    """
    unknown = sorted(set(kinds.values()) - set(CONVERTERS))
    if unknown:
        raise ValueError(f"unknown kinds {unknown}; known: {sorted(CONVERTERS)}")
    columns: dict[str, Any] = {}
    issues = np.full(len(raw), None, dtype=object)
    for field, kind in kinds.items():
        column = raw[field] if field in raw.columns else pd.Series(None, index=raw.index, dtype=object)
        converted = CONVERTERS[kind](column, **{**options.get(kind, {}), **options.get(field, {})})
        columns[field] = converted.values.array
        # Issues are built only for the (rare) bad rows so the clean path stays vectorised.
        for i in np.flatnonzero(converted.invalid.to_numpy()):
            if issues[i] is None:
                issues[i] = {}
            issues[i][field] = PROBLEMS[kind]
    frame = pd.DataFrame(columns, index=raw.index)
    return frame, pd.Series(issues, index=raw.index, dtype=object)
