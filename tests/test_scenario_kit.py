"""The scenario kit catches a plugin that forgets tenant scoping."""

from __future__ import annotations

import pytest

from fpbx_api.freeswitch import switches as apply_module
from fpbx_api.freeswitch.esl import Command
from fpbx_api.testing.scenarios import CrudScenarios
from tests import test_scenarios  # the plugins' scenarios (its Test classes not collected here)


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


def test_apply_report_scenario_fails_on_a_refused_update(esl_client, tenants, switches):
    """A refused PUT has no ``applied`` report at all: the scenario must not pass on it."""
    ExtensionScenarios().test_every_write_reports_what_was_applied(esl_client, tenants,
                                                                   switches)
    scenarios = ExtensionScenarios()
    scenarios.update = {"extension": "not a number"}
    with pytest.raises(AssertionError, match="PUT answered 400"):
        scenarios.test_every_write_reports_what_was_applied(esl_client, tenants, switches)


def _unsent(link, command):
    """Reports the command, sends nothing."""


def _unreported(link, command):
    """Sends the command and one more the report does not list."""
    link.conn().api(command)
    link.conn().api(Command("reloadxml"))


def _unfired(link, event):
    """Reports the event, fires nothing."""


def _uncleared(link, key):
    """Reports the key cleared, leaves it."""


@pytest.mark.parametrize("step, fault, scenarios, message", [
    ("_command", _unsent, test_scenarios.TestGatewayScenarios, "POST: fs1 received \\[\\]"),
    ("_command", _unreported, test_scenarios.TestGatewayScenarios, "'reloadxml'\\]; the report"),
    ("_event", _unfired, test_scenarios.TestCallFlowScenarios, "POST: fs1 got \\[\\]"),
    ("_clear", _uncleared, ExtensionScenarios, "PUT: fs1 still holds directory:1000@"),
], ids=["command unsent", "command unreported", "event unfired", "key uncleared"])
def test_apply_report_scenario_fails_when_the_switch_did_not_get_what_is_reported(
        esl_client, tenants, switches, monkeypatch, step, fault, scenarios, message):
    """The report and the switches' traffic must agree: a command reported and not sent,
    sent and not reported, an event not fired, a key left in the cache all fail."""
    monkeypatch.setattr(apply_module, step, fault)
    with pytest.raises(AssertionError, match=message):
        scenarios().test_every_write_reports_what_was_applied(esl_client, tenants, switches)
