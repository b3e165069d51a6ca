"""The scenario kit catches a plugin that forgets tenant scoping."""

from __future__ import annotations

import pytest

from fpbx_api.testing.scenarios import CrudScenarios


class LeakyScenarios(CrudScenarios):
    """The kit pointed at tests/sample_plugins/leaky.py (not collected: no Test prefix)."""

    path, key, required = "/api/v1/leaky-gateways", "gateway_uuid", ("gateway",)
    update = {"description": "stolen"}

    def body(self, n):
        return {"gateway": f"gw{n}"}


@pytest.fixture
def leaky_client(make_app, tenants, sample_plugins):
    return make_app().test_client()


def test_kit_catches_a_plugin_that_reads_other_domains_objects(leaky_client, tenants, fpbx_db):
    with pytest.raises(AssertionError, match="reached another domain's object"):
        LeakyScenarios().test_another_domains_object_is_404_on_every_verb(
            leaky_client, tenants, fpbx_db)


def test_kit_catches_a_plugin_that_lists_other_domains_objects(leaky_client, tenants):
    with pytest.raises(AssertionError):
        LeakyScenarios().test_lists_never_show_or_count_another_domains_objects(
            leaky_client, tenants)
