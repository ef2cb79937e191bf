"""End to end: a malformed email keeps no contact out of its table; internationalised emails are stored."""

from __future__ import annotations

from crm_pipelines_tests.sources.hubspot.conftest import ids, quarantined, sync

FULL = {"full_refresh": True}
ANY_DAY = "2026-11-01"


def test_full_sync_loads_every_live_contact_with_bad_emails_null_and_international_ones_stored(
        control, hubspot, warehouse, db):
    live = sorted(control.truth("contacts"))
    international = {live[0]: ("O.Müller1@Example.COM", "o.müller1@example.com"),
                     live[1]: (" 用户@例子.广告 ", "用户@例子.广告"),
                     live[2]: ("Ana@XN--BCHER-KVA.de", "ana@bücher.de")}
    malformed = {live[3]: "john doe@x.com", live[4]: "a@@b.com", live[5]: "O.Müller1@"}
    pinned = {**{i: raw for i, (raw, _) in international.items()}, **malformed}
    for record_id, email in pinned.items():
        control.mutate(object_type="contacts", ids=[record_id], action="set", properties={"email": email})

    result, meta = sync("contacts", hubspot, warehouse, partition=ANY_DAY, config=FULL)

    assert sorted(ids(db, "hubspot.contacts")) == live  # every live record, none quarantined
    assert quarantined(db, "contacts") == {} and meta["records_quarantined"] == 0
    rows = {r[0]: r[1:] for r in db.execute(
        "SELECT id, email, _issues->>'email', _raw->'properties'->>'email' FROM hubspot.contacts "
        "WHERE id = ANY(%s)", (list(pinned),))}  # other fields of these records may carry the sandbox's mess
    for record_id, (raw, stored) in international.items():
        assert rows[record_id] == (stored, None, raw)
    for record_id, raw in malformed.items():
        assert rows[record_id] == (None, "not a valid email address", raw)

    with_issues = db.execute("SELECT count(*) FROM hubspot.contacts WHERE _issues IS NOT NULL").fetchone()[0]
    assert meta["records_with_issues"] == with_issues >= len(malformed)
    assert meta["data_quality_score"] == round((meta["records_fetched"] - with_issues) / meta["records_fetched"], 4)
    check = next(e for e in result.get_asset_check_evaluations() if e.check_name == "data_quality")
    assert check.metadata["data_quality_score"].value == meta["data_quality_score"]
