"""Spec-driven fuzzing: schemathesis generates requests for every operation of the
generated OpenAPI document and runs them against the app on PostgreSQL.

Checks: no 5xx, status codes, content types, headers and bodies as documented, and
the contract's error envelope on every 4xx. ``pytest --deep`` runs many more examples.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.figures import FIGURES


@schemathesis.check
def error_envelope(ctx, response, case):
    """Every 4xx but 429 carries {success: false, error: {code, message}}."""
    if 400 <= response.status_code < 500 and response.status_code != 429:
        body = response.json()
        assert body["success"] is False, "4xx without success: false"
        assert body["error"]["code"] and body["error"]["message"], "4xx without code/message"


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, error_envelope]


def test_every_operation_survives_generated_requests(make_app, tenants, switches, fpbx_db,
                                                     request):
    examples = 300 if request.config.getoption("--deep") else 12
    app = make_app(freeswitch={"switches": [s.switch() for s in switches], "timeout": 1.0})
    for path, body in (("/api/v1/extensions", {"extension": "1001"}),
                       ("/api/v1/users", {"username": "alice", "password": "Passw0rd-Passw0rd"})):
        app.test_client().post(path, json=body, headers=tenants.a.headers)
    switches[0].add_call(caller="1001", destination="1002", domain="example.com")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            nonlocal calls
            calls += 1
            case.call_and_validate(headers=tenants.a.headers, checks=CHECKS)

        fuzz()
    FIGURES["operations fuzzed"] = operations
    FIGURES["fuzzed requests"] = calls
    assert operations >= 14


@pytest.fixture(autouse=True)
def _quiet_hypothesis_database(monkeypatch):
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", "/tmp/fpbx-api-hypothesis")
