"""The SQL the client sends Athena (window, keyset, literals), and lead-result lists turned into columns and
line items, without a server."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crm_pipelines.sources.salespro import athena, lead_results
from crm_pipelines.sources.salespro.entities import LEAD_RESULTS, LINE_ITEMS

UTC = dt.timezone.utc


def test_a_window_is_half_open_in_utc_and_ordered_by_the_keyset():
    sql = athena.select("estimate", "estimate_id", dt.datetime(2026, 11, 28, 1, tzinfo=dt.timezone(dt.timedelta(hours=2))),
                        dt.datetime(2026, 11, 29, tzinfo=UTC), None, 50_000)
    assert sql == ("SELECT * FROM estimate WHERE updated_at >= timestamp '2026-11-27 23:00:00.000' AND "
                   "updated_at < timestamp '2026-11-29 00:00:00.000' ORDER BY updated_at ASC NULLS LAST, "
                   "estimate_id ASC NULLS FIRST LIMIT 50000")


def test_the_keyset_continues_after_the_last_row_read():
    after = athena.after(("2026-11-28 10:00:00.123", "ab'c"), "estimate_id", full=False)
    assert after == ("(updated_at > timestamp '2026-11-28 10:00:00.123' OR (updated_at = timestamp "
                     "'2026-11-28 10:00:00.123' AND estimate_id > 'ab''c'))")
    # A full read also reaches rows without updated_at (they sort last), and rows without a key (first).
    assert athena.after(("2026-11-28 10:00:00.123", None), "customer_id", full=True) == (
        "(updated_at > timestamp '2026-11-28 10:00:00.123' OR (updated_at = timestamp '2026-11-28 10:00:00.123' "
        "AND customer_id IS NOT NULL) OR updated_at IS NULL)")
    assert athena.after((None, "k1"), "customer_id", full=True) == "(updated_at IS NULL AND customer_id > 'k1')"
    with pytest.raises(ValueError):
        athena.select("estimate; DROP", "estimate_id", None, None, None, 10)


def _record(pairs, estimate_id="E1"):
    return {"estimate_id": estimate_id, "company_id": "4711", "lead_results": json.dumps(pairs),
            "created_at": "2026-11-28 09:00:00.000", "updated_at": "2026-11-28 10:00:00.000"}


def test_titles_become_typed_columns_and_the_list_is_kept():
    pairs = [{"title": "Appointment Result ", "value": "[HRE] Demo Not Sold"},
             {"title": "Both Homeowners Present?", "value": "No"}, {"title": "Job Size", "value": "$12,000.00"},
             {"title": "Customer’s Final Price Commitment", "value": "$12,500.00"},
             {"title": "Additional Services Demoed \\u0026 Priced", "value": "Gutters"},
             {"title": "Project Notes", "value": "Back gate"},
             {"title": "Color Selection (Default Color in Parentheses) Drip Edge Color (White)", "value": "Black"},
             {"title": "Total Job Amount", "value": "twelve"}, {"title": "Mystery", "value": "x"}]
    processed = LEAD_RESULTS.process([_record(pairs)])
    row = processed.frame.iloc[0]
    assert row["appointment_result"] == "[HRE] Demo Not Sold" and row["status_bucket"] == "[HRE]"
    assert processed.frame["both_homeowners_present"].tolist() == [False]  # "No" is False, not null
    assert str(row["job_size"]) == "12000.00" and str(row["customers_final_price_commitment"]) == "12500.00"
    assert row["additional_services_demoed_priced"] == "Gutters" and row["notes_for_install_team"] == "Back gate"
    assert row["color_selection"] == "Black"
    assert row["total_job_amount"] is None and "total_job_amount" in processed.issues.iloc[0]
    assert row["lead_results"] == pairs  # the original list, unknown titles included


def test_job_type_pairs_become_line_items():
    pairs = [{"title": "Job Type 1", "value": "Windows"}, {"title": "Job Type 1 Amount", "value": "$1,000.00"},
             {"title": "Job Type 3", "value": ""}, {"title": "Job Type 3 Amount", "value": "$5.00"},
             {"title": "Job Type 4", "value": ""}, {"title": "Job Type 4 Amount", "value": ""},
             {"title": "Job Type 7", "value": "Roofing"}]
    frame = LINE_ITEMS.process([_record(pairs), "not an object"]).frame
    assert frame[["estimate_id", "job_type_number", "job_type"]].values.tolist() == [["E1", 1, "Windows"],
                                                                                        ["E1", 3, None]]
    assert [str(v) for v in frame["amount"]] == ["1000.00", "5.00"]


@pytest.mark.parametrize("text", ["[{not json", '{"title": "x"}', "", None])
def test_a_list_that_cannot_be_read_gives_no_columns(text):
    assert lead_results.pairs(text) is None
    assert lead_results.line_items({"estimate_id": "E1", "lead_results": text}) == []
