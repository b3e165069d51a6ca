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


class ExtensionScenarios(CrudScenarios):
    """The kit pointed at the extensions plugin (not collected: no Test prefix)."""

    path, key, required = "/api/v1/extensions", "extension_uuid", ("extension",)
    update = {"description": "changed"}

    def body(self, n):
        return {"extension": f"10{n:02d}"}


def test_scenarios_that_do_not_apply_skip_with_the_reason(client, tenants, fpbx_db):
    scenarios = ExtensionScenarios()
    scenarios.search, scenarios.duplicate = None, False
    with pytest.raises(pytest.skip.Exception, match="search is None"):
        scenarios.test_search(client, tenants)
    with pytest.raises(pytest.skip.Exception, match="duplicate = False"):
        scenarios.test_duplicate_is_409(client, tenants, fpbx_db)


def test_apply_report_scenario_fails_on_a_refused_update(esl_client, tenants):
    """A refused PUT has no ``applied`` report at all: the scenario must not pass on it."""
    ExtensionScenarios().test_every_write_reports_what_was_applied(esl_client, tenants)
    scenarios = ExtensionScenarios()
    scenarios.update = {"extension": "not a number"}
    with pytest.raises(AssertionError, match="PUT answered 400"):
        scenarios.test_every_write_reports_what_was_applied(esl_client, tenants)
