"""split_valid's shortcut around full pandera validation gives exactly pandera's verdict, reasons and issues."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pandas as pd
import pytest

from crm_pipelines.core import columns as c
from crm_pipelines.core import validation
from crm_pipelines.core.columns import EntitySchema, Int, Object, Text, Timestamp
from crm_pipelines.core.entity import EntitySpec
from crm_pipelines.core.processing import record_processor


class Widget(EntitySchema):
    id: Text = c.key(str_matches=r"^[0-9]+$")
    code: Text = c.optional(str_matches=r"^[A-Z]{2}")
    kind: Text = c.optional(isin=["a", "b"])
    size: Int = c.optional(ge=0)
    email: Text = c.email()
    owner: Text = c.key()
    modified: Timestamp = c.optional()
    tags: Object = c.string_list()


class Plain(EntitySchema):
    id: Text = c.key(str_matches=r"^[0-9]+$")
    email: Text = c.email()
    name: Text = c.optional()


def _spec(schema) -> EntitySpec:
    return EntitySpec(crm="t", name=schema.__name__.lower(), schema=schema, resource_key="unused", partitioned=False,
                      fetch=lambda client, request: iter(()), process=record_processor(schema, dict, None))


def _records(n: int, seed: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    choice = rnd.choice
    return [{"id": choice([str(i), str(i), "x1", None, f" {i}", ""]),
             "code": choice(["AB1", "ab", None, "ZZ", "Q"]), "kind": choice(["a", "b", "c", None]),
             "size": choice(["1", "-3", None, "x"]), "email": choice(["a@b.co", "bad", None, "A@B.CO "]),
             "owner": choice(["o1", None, "o2"]), "name": choice(["n", None]),
             "modified": choice(["2026-01-01T00:00:00Z", "soon", None]), "tags": choice(["a;b", None])}
            for i in range(n)]


def _full(model, frame):
    model.validate(frame, lazy=True)


@pytest.mark.parametrize("schema", [Widget, Plain])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_rows_and_reasons_as_full_pandera(schema, seed, monkeypatch):
    spec = _spec(schema)
    processed = spec.process(_records(400, seed))
    fast_valid, fast_quarantined = validation.split_valid(spec, processed)
    monkeypatch.setattr(validation, "_validate", _full)
    full_valid, full_quarantined = validation.split_valid(spec, processed)
    pd.testing.assert_frame_equal(fast_valid, full_valid)
    assert [(q.source_id, q.reasons) for q in fast_quarantined] == \
        [(q.source_id, q.reasons) for q in full_quarantined]
    assert any("failed" in r for q in full_quarantined for r in q.reasons)
    assert full_valid["_issues"].notna().any()  # non-key failures load with issues, on both paths


def test_a_frame_that_does_not_fit_its_schema_still_fails_loudly():
    spec = _spec(Plain)
    frame = spec.process(_records(10, 1)).frame.drop(columns=["name"])
    with pytest.raises(ValueError, match="does not fit its schema"):
        validation.split_valid(spec, validation.Processed(frame=frame, issues=pd.Series([None] * 10)))


def test_a_non_str_value_in_a_text_column_is_judged_by_pandera_itself(monkeypatch):
    spec = _spec(Plain)
    processed = spec.process(_records(50, 4))
    processed.frame["name"] = np.array([7] + [None] * 49, dtype=object)
    fast = validation.split_valid(spec, processed)[0]
    monkeypatch.setattr(validation, "_validate", _full)
    full = validation.split_valid(spec, processed)[0]
    pd.testing.assert_frame_equal(fast, full)
    assert any("name" in (issues or {}) for issues in full["_issues"]) and full["name"].isna().all()
