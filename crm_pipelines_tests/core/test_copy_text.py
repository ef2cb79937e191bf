"""The COPY text payload loads exactly what psycopg's per-row binary COPY loads, awkward values included."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest

from crm_pipelines.core import columns as c
from crm_pipelines.core import copy_text
from crm_pipelines.core.columns import Bool, EntitySchema, Float, Int, Object, Text, Timestamp
from crm_pipelines.core.entity import EntitySpec
from crm_pipelines.core.processing import record_processor
from crm_pipelines.core.validation import split_valid


class Odd(EntitySchema):
    id: Text = c.key()
    name: Text = c.optional()
    size: Int = c.optional()
    ratio: Float = c.optional()
    flag: Bool = c.optional()
    seen: Timestamp = c.optional()
    day: Object = c.date()
    price: Object = c.money()
    tags: Object = c.string_list()
    extra: Object = c.json()


SPEC = EntitySpec(crm="copytext", name="odd", schema=Odd, resource_key="unused",
                  fetch=lambda client, request: iter(()), process=record_processor(Odd, dict, "seen"))

NAMES = ["back\\slash", "tab\there", "new\nline", "cr\rhere", "\\N", "Ünïcode ✓ 🎉", "x" * 5000, "'quote\"", "",
         "   ", None, "trailing\\"]
SIZES = ["-9223372036854775807", "9223372036854775807", "0", "-17", None, "1,234"]
RATIOS = ["0.1", "1e16", "-0", "5e-324", "1.7976931348623157e308", "123456789.123456789", None, "-3.5"]
FLAGS = ["true", "false", None, "No"]
SEEN = ["2026-01-01T00:00:00.123456789Z", "1969-12-31T23:59:59.9999995Z", "1970-01-01T00:00:00Z",
        "2262-04-11T23:47:16Z", "1677-09-22T00:00:00Z", "2024-02-29T12:00:00+05:30", None, "1700000000000"]
DAYS = ["0001-01-01", "9999-12-31", "2024-02-29", "1736380800000", None]
PRICES = ["1e3", "-0.00", "$1,250.50", "0.1000000000000000055511151231257827", "12345678901234567890.5", None]
TAGS = ["a;b", "back\\slash;tab\there", "Ü;\"q\"", None, ";;"]
EXTRAS = ['{"k": "v\\\\w", "n": [1, 2.5, null, true], "u": "\\u00fc\\n"}', "[]", None, '{"deep": {"a": {"b": []}}}']


def _records(n: int = 60) -> list[dict[str, Any]]:
    def pick(values: list, i: int, salt: int) -> Any:
        return values[(i * salt + salt) % len(values)]

    return [{"id": str(i), "name": pick(NAMES, i, 1), "size": pick(SIZES, i, 5), "ratio": pick(RATIOS, i, 7),
             "flag": pick(FLAGS, i, 3), "seen": pick(SEEN, i, 11), "day": pick(DAYS, i, 13),
             "price": pick(PRICES, i, 17), "tags": pick(TAGS, i, 19), "extra": pick(EXTRAS, i, 23),
             "raw\tkey": "back\\slash \u2028 \x01"} for i in range(n)]


def _table(db, spec: EntitySpec) -> list[tuple]:
    return db.execute(f"SELECT id, name, size, ratio, flag, seen, day, price::text, tags, extra, _raw, "
                      f"_source_updated_at FROM {spec.crm}.{spec.name} ORDER BY id").fetchall()


def test_text_payload_loads_the_same_rows_as_the_binary_path(warehouse, db, monkeypatch):
    frame, quarantined = split_valid(SPEC, SPEC.process(_records()))
    assert len(frame) > 30 and copy_text.encode_batch(frame, [("id", "text")]) is not None
    with warehouse.session(SPEC, "run-text") as session:
        assert session.load(frame) == (len(frame), 0)

    binary = dataclasses.replace(SPEC, crm="copybinary")
    monkeypatch.setattr(copy_text, "encode_batch", lambda *args: None)
    with warehouse.session(binary, "run-binary") as session:
        assert session.load(frame) == (len(frame), 0)

    text_rows, binary_rows = _table(db, SPEC), _table(db, binary)
    assert text_rows == binary_rows
    assert any(row[1] == "tab\there" for row in text_rows)
    assert any(row[1] is None for row in text_rows)


def test_reloading_through_the_text_path_is_a_no_op(warehouse):
    frame, _ = split_valid(SPEC, SPEC.process(_records()))
    with warehouse.session(SPEC, "run-1") as session:
        session.load(frame)
    with warehouse.session(SPEC, "run-2") as session:
        assert session.load(frame) == (0, 0)


@pytest.mark.parametrize("series, pg_type", [
    (pd.Series([1, "two"], dtype=object), "text"),
    (pd.Series([1.5, 2.0]), "bigint"),
    (pd.Series(["2026-01-01"], dtype=object), "timestamptz"),
    (pd.Series([1.5], dtype=object), "numeric"),
    (pd.Series([{1, 2}], dtype=object), "jsonb"),
    (pd.Series(["x"], dtype=object), "uuid"),
])
def test_unknown_shapes_fall_back_to_the_generic_path(series, pg_type):
    assert copy_text.encode_batch(pd.DataFrame({"col": series}), [("col", pg_type)]) is None


def test_a_nan_or_na_in_a_text_column_takes_the_path_that_nulls_it():
    for odd in (float("nan"), pd.NA):
        frame = pd.DataFrame({"col": pd.Series(["x", None, odd], dtype=object)})
        assert copy_text.encode_batch(frame, [("col", "text")]) is None
    frame = pd.DataFrame({"col": pd.Series([["a"], None, float("nan")], dtype=object)})
    assert copy_text.encode_batch(frame, [("col", "jsonb")]) == b'["a"]\n\\N\n\\N\n'



def test_intervals_and_times_round_trip_through_the_text_path(db):
    """A MySQL TIME beyond 24 h stays that many hours (not '1 day ...'); negative and fractional ones too."""
    import datetime as dt

    spans = [dt.timedelta(hours=26, minutes=15), dt.timedelta(hours=838, minutes=59, seconds=59),
             -dt.timedelta(hours=1), dt.timedelta(seconds=1, microseconds=5), None]
    times = [dt.time(0, 0), dt.time(23, 59, 59), dt.time(12, 30, 0, 250), None, dt.time(7)]
    frame = pd.DataFrame({"span": pd.Series(spans, dtype=object), "at": pd.Series(times, dtype=object)})
    payload = copy_text.encode_batch(frame, [("span", "interval"), ("at", "time")])
    assert payload is not None
    db.execute("CREATE TEMP TABLE t (span interval, at time)")
    with db.cursor().copy("COPY t (span, at) FROM STDIN") as copy:
        copy.write(payload)
    rows = db.execute("SELECT span, at, extract(hour FROM span) FROM t").fetchall()
    assert [r[0] for r in rows] == spans and [r[1] for r in rows] == times
    assert rows[0][2] == 26 and rows[1][2] == 838
