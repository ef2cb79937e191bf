"""Emails (email-validator is the judge; the ASCII fast path is proven a subset of it) and bytes values."""

from __future__ import annotations

import random
import string

import email_validator
import orjson
import pandas as pd
import pytest

from crm_pipelines.core import copy_text, jsonb, normalize
from crm_pipelines.core.normalize import convert_frame, to_bool, to_email, to_int, to_json, to_text
from crm_pipelines_tests.core.normalize_support import one


@pytest.mark.parametrize("raw, expected", [
    ("John@Example.COM", "john@example.com"), ("  a.b+tag@sub.example.co.uk ", "a.b+tag@sub.example.co.uk"),
    ("o'brien@example.ie", "o'brien@example.ie"), ("user_name@example-domain.com", "user_name@example-domain.com"),
    ("a@b.io", "a@b.io"), ("a@b-c.d-e.org", "a@b-c.d-e.org"), ("1234@example.com", "1234@example.com"),
    ("first.last@a1.b2.museum", "first.last@a1.b2.museum"),
    # Internationalised local parts and domains (RFC 6531), stored in email-validator's normalized form.
    ("O.Müller1@Example.COM", "o.müller1@example.com"), ("josé@example.com", "josé@example.com"),
    ("jose@exämple.com", "jose@exämple.com"), ("x@xn--bcher-kva.de", "x@bücher.de"), ("a@b.xn--p1ai", "a@b.рф"),
    ("用户@例子.广告", "用户@例子.广告"), ("jose\u0301@example.com", "jos\u00e9@example.com"),  # NFC
])
def test_to_email_valid(raw, expected):
    assert one(to_email, raw) == (expected, False)


@pytest.mark.parametrize("raw", [
    "john doe@x.com", "johndoe@x .com", "john@ex ample.com", "a@b", "@example.com", "john@", "john",
    "a@@b.com", "a@b@c.com", "john.@x.com", ".john@x.com", "jo..hn@x.com", "john@-x.com", "john@x-.com",
    "john@x..com", "john@.x.com", "john@x.com.", "John Doe <john@x.com>", "mailto:john@x.com",
    "john@x.com;jane@y.com", "john@x.com, jane@y.com", "a@my_host.com", "a@b.test", "a@b.localhost",
    "x@ab--cd.com", "x@xn--zz.com", "a@" + "b" * 64 + ".com", "a" * 250 + "@b.com", "a@b.c1", 42,
])
def test_to_email_invalid(raw):
    value, invalid = one(to_email, raw)
    assert value is None and invalid


def _adversarial(rng: random.Random) -> str:
    """ASCII texts near the edges of the grammar: dots, dashes, specials, long labels, xn--, special TLDs."""
    atext = string.ascii_lowercase + string.digits + "!#$%&'*+/=?^_`{|}~-." + string.ascii_lowercase * 3
    atoms = rng.choice([atext, atext, atext + '"(),:;<>[]\\ @'])
    local = "".join(rng.choice(atoms) for _ in range(rng.choice([1, 2, 5, 20, 64, 65, 200])))
    labels = []
    for _ in range(rng.randint(1, 4)):
        size = rng.choice([1, 2, 3, 4, 10, 61, 62, 63, 64])
        label = "".join(rng.choice(string.ascii_lowercase + string.digits + "-" * 4) for _ in range(size))
        labels.append(rng.choice([label, "xn--" + label, label[:2] + "--" + label[2:], label]))
    labels.append(rng.choice(["com", "test", "local", "localhost", "invalid", "onion", "arpa", "c0m", "x",
                              "museum", "example", "a" * 63, "a" * 64, "xn--p1ai"]))
    return local + "@" + ".".join(labels)


def test_fast_path_accepts_only_what_email_validator_accepts_unchanged():
    rng = random.Random(20261202)
    corpus = [_adversarial(rng) for _ in range(60_000)]
    corpus += [f"user{i}.x@{'d' * (i % 70)}.com" for i in range(300)]  # label and total length edges
    corpus += ["a" * n + "@b.com" for n in range(240, 256)]
    fast = [text for text in corpus if normalize._EMAIL.fullmatch(text)]
    assert len(fast) > 1_500  # the corpus really exercises the fast path
    for text in fast:
        # Raises if the library rejects what the fast path accepted; the stored text must be the same too.
        assert email_validator.validate_email(text, check_deliverability=False).normalized == text


def _library(text: str) -> str | None:
    try:
        return email_validator.validate_email(text, check_deliverability=False).normalized
    except email_validator.EmailNotValidError:
        return None


def test_the_converter_gives_email_validators_verdict_on_every_address():
    rng = random.Random(7)
    corpus = [_adversarial(rng) for _ in range(20_000)]
    locals_ = ["a", "o.müller", "x" * 64, "x" * 200, "j.doe+tag", "bad..dots"]
    domains = ["xn--bcher-kva.de", "bücher.de", "例子.广告", "b.xn--p1ai", "xn--zz.com", "ab--c.com", "a.test",
               "x" * 63 + ".com", "y" * 64 + ".com", ".".join(["d" * 60] * 4) + ".com", "ｅｘａｍｐｌｅ.com"]
    corpus += [f"{local}@{domain}" for local in locals_ for domain in domains]
    corpus += [f"{rng.choice(locals_[:2] + locals_[4:])}{i}@{rng.choice(domains)}" for i in range(2_000)]
    corpus = [text.lower() for text in corpus]
    converted = to_email(pd.Series(corpus, dtype=object)).values.tolist()
    mismatches = [(t, got) for t, got in zip(corpus, converted) if got != _library(t.strip())]  # trimmed first
    assert not mismatches[:5]
    assert sum(v is not None for v in converted) > 1_500  # the corpus has plenty of valid addresses too


def test_common_addresses_take_the_fast_path():
    assert all(normalize._EMAIL.fullmatch(t) for t in ["john@example.com", "a.b+tag@sub.example.co.uk", "x_1@a-b.io"])


# --- bytes (MySQL BIT/BLOB) ------------------------------------------------------------------------------

def test_text_decodes_utf8_bytes_and_flags_undecodable_ones():
    result = to_text(pd.Series([b"caf\xc3\xa9", bytearray(b" plain "), b"\xff\xfe", "a\x00b", b""], dtype=object))
    assert result.values.tolist() == ["café", "plain", None, None, None]
    assert result.invalid.tolist() == [False, False, True, True, False]


def test_bool_takes_bit1_and_int_takes_big_endian_bits():
    flags = to_bool(pd.Series([b"\x00", b"\x01", b"\x02", None], dtype=object))
    assert flags.values.tolist() == [False, True, pd.NA, pd.NA] and flags.invalid.tolist() == [False, False, True, False]
    numbers = to_int(pd.Series([b"\x01\x00", b"\x00\x00\x00\x05", b"\xff" * 8, "7"], dtype=object))
    assert numbers.values.tolist() == [256, 5, pd.NA, 7]  # 2**64 - 1 does not fit int64
    assert numbers.invalid.tolist() == [False, False, True, False]


def test_other_kinds_read_bytes_as_text():
    assert one(to_email, b"A@B.com") == ("a@b.com", False)
    assert one(to_json, b'{"a": 1}') == ({"a": 1}, False)
    frame, issues = convert_frame(pd.DataFrame({"t": [b"\xc3"], "n": [b"\x01"]}, dtype=object),
                                  {"t": "text", "n": "int"})
    assert frame["n"].tolist() == [1] and issues.tolist() == [{"t": "not text"}]
    assert "b'" not in str(frame.iloc[0].tolist())


def test_raw_json_never_fails_on_bytes_nor_writes_their_repr():
    record = {"blob": b"caf\xc3\xa9", "bit": b"\x01", "bad": b"\xff\x00", "n": 1}
    assert orjson.loads(jsonb.dumps(record)) == {"blob": "café", "bit": "\\x01", "bad": "\\xff00", "n": 1}
    payload = copy_text.encode_batch(pd.DataFrame({"_raw": [record]}), [("_raw", "jsonb")])
    assert payload is not None and b"b'" not in payload
