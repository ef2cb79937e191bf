"""Offset-less Edm.DateTime values are the company's local time: converted to UTC across DST changes
(ambiguous and skipped times as BEHAVIOR.md says), and UTC partition windows become local-time filters."""

from __future__ import annotations

import datetime as dt

import pytest

from crm_pipelines.sources.marketsharp.resource import MarketSharpResource, UtcText, odata_datetime, parse_local

UTC = dt.timezone.utc


def _client(zone: str = "America/New_York") -> MarketSharpResource:
    return MarketSharpResource(company_id="1", api_key="k", secret_key="c2VjcmV0", timezone=zone)


@pytest.mark.parametrize("local, utc", [
    ("2026-07-01T12:00:00", "2026-07-01T16:00:00+00:00"),    # EDT, UTC-4
    ("2026-12-01T12:00:00", "2026-12-01T17:00:00+00:00"),    # EST, UTC-5
    ("2026-11-01T00:59:59", "2026-11-01T04:59:59+00:00"),    # just before clocks go back
    ("2026-11-01T01:30:00", "2026-11-01T05:30:00+00:00"),    # ambiguous: read as the first (EDT) 01:30
    ("2026-11-01T02:00:00", "2026-11-01T07:00:00+00:00"),    # after the change, EST
    ("2026-03-08T01:59:00", "2026-03-08T06:59:00+00:00"),    # just before clocks go forward
    ("2026-03-08T02:30:00", "2026-03-08T07:30:00+00:00"),    # skipped: read with the offset before (EST)
    ("2026-03-08T03:00:00", "2026-03-08T07:00:00+00:00"),    # after the change, EDT
])
def test_local_times_become_utc_across_dst_changes(local, utc):
    assert _client().to_utc(parse_local(local)).isoformat() == utc


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"])
def test_the_per_hour_offset_cache_agrees_with_the_zone_on_every_minute_of_its_changes(zone):
    client = _client(zone)
    convert = UtcText(client)
    # Days of 2026 holding each zone's changes (Lord Howe moves by 30 minutes, at 02:00), every 7 minutes.
    for day in (dt.datetime(2026, 3, 8), dt.datetime(2026, 4, 5), dt.datetime(2026, 10, 4), dt.datetime(2026, 11, 1)):
        for minute in range(0, 24 * 60, 7):
            local = day + dt.timedelta(minutes=minute, seconds=13, microseconds=500)
            assert convert(local) == client.to_utc(local).isoformat(), local
    if zone == "Australia/Lord_Howe":  # 01:45, before its 02:00 change back from +11:00 to +10:30
        assert convert(dt.datetime(2026, 4, 5, 1, 45)) == "2026-04-04T14:45:00+00:00"


def test_the_zone_is_configurable():
    assert _client("America/Los_Angeles").to_utc(parse_local("2026-07-01T12:00:00")).hour == 19


def test_edm_datetime_literals_with_up_to_seven_fractional_digits():
    assert parse_local("2025-03-01T14:22:05.12") == dt.datetime(2025, 3, 1, 14, 22, 5, 120000)
    assert parse_local("2025-03-01T14:22:05.1234567") == dt.datetime(2025, 3, 1, 14, 22, 5, 123456)
    assert parse_local("2025-03-01T14:22") == dt.datetime(2025, 3, 1, 14, 22)
    assert parse_local(" 2025-03-01T14:22:05 ") == dt.datetime(2025, 3, 1, 14, 22, 5)
    for text in ("2025-03-01T14:22:05Z", "2025-03-01T14:22:05+02:00", "2025-03-01", "2025-03-01T14:22:05\n!"):
        with pytest.raises(ValueError):
            parse_local(text)


def test_a_utc_partition_window_becomes_local_time_filters_on_a_dst_day():
    client = _client()
    start, end = dt.datetime(2026, 11, 1, tzinfo=UTC), dt.datetime(2026, 11, 2, tzinfo=UTC)
    # 2026-11-01 00:00Z is 20:00 EDT the day before; 2026-11-02 00:00Z is 19:00 EST.
    assert odata_datetime(client.to_local(start)) == "datetime'2026-10-31T20:00:00.000000'"
    assert odata_datetime(client.to_local(end)) == "datetime'2026-11-01T19:00:00.000000'"
    # Every local time of that window maps back inside it (the repeated hour included).
    local = client.to_local(start)
    while local < client.to_local(end):
        assert start <= client.to_utc(local) < end
        local += dt.timedelta(minutes=30)
