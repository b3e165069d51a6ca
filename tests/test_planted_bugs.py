"""Each kind of bug the reliability suite exists for, planted once in a throwaway plugin
(tests/sample_plugins), is caught by the suite's own checks."""

from __future__ import annotations

import pytest

from fpbx_api.freeswitch.simulator import Simulator
from tests.bounded import answers_within
from tests.test_hostile_input import HOSTILE, Tally
from tests.test_scenario_kit import LeakyScenarios


@pytest.fixture
def planted_app(make_app, tenants, sample_plugins):
    sim = Simulator().start()
    sim.misbehave("silent")
    yield make_app(freeswitch={"switches": [sim.switch()], "timeout": 1.0})
    sim.stop()


def test_missing_domain_filter_is_caught(planted_app, tenants, fpbx_db):
    with pytest.raises(AssertionError, match="reached another domain's object"):
        LeakyScenarios().test_another_domains_object_is_404_on_every_verb(
            planted_app.test_client(), tenants, fpbx_db)


def test_unguarded_int_on_a_query_parameter_is_caught(planted_app, tenants, fpbx_db):
    tally = Tally(planted_app.test_client(), tenants.a, fpbx_db)
    with pytest.raises(AssertionError, match="INTERNAL_ERROR"):
        for value in HOSTILE:
            tally.send("GET", "/api/v1/planted/count", query_string={"limit": value})


def test_unbounded_socket_read_is_caught(planted_app, tenants):
    r = answers_within(planted_app.test_client(), "GET", "/api/v1/planted/switch-status", 2.0,
                       headers=tenants.a.headers)
    assert r is None, "the planted unbounded read should have hung past the deadline"
    # ... while the API's own event-socket client answers within the deadline:
    r = answers_within(planted_app.test_client(), "GET", "/api/v1/active-calls", 2.0,
                       headers=tenants.a.headers)
    assert r is not None and r.status_code == 503
