"""A bad resource setting fails when the resource is built, naming the setting."""

from __future__ import annotations

import pytest

from crm_pipelines.sources.hubspot.resource import HubSpotResource


def test_bad_resource_config_names_the_setting():
    with pytest.raises(Exception, match="search_page_size"):
        HubSpotResource(access_token="x", search_page_size=500)
    with pytest.raises(Exception, match="base_url"):
        HubSpotResource(access_token="x", base_url="api.hubapi.com")
    with pytest.raises(Exception, match="search_windows_in_flight must be between 1 and 16, got 0"):
        HubSpotResource(access_token="x", search_windows_in_flight=0)
