"""Every example request body of the contract is accepted as written.

The examples are parsed from the contract document itself (a verbatim copy in
tests/fixtures/contract/), each posted unchanged. An example for a route this API does
not serve yet is skipped, naming the route, so the test grows as resources arrive. What
an example refers to (a user, a live call, the extensions it rings) is created first,
from the values in the example.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import add_user

CONTRACT = Path(__file__).parent / "fixtures" / "contract" / "fusionpbx-api-v1.md"


def examples() -> list[tuple[str, str, dict]]:
    """(method, path, body) of each ```http block followed by a JSON request body."""
    text = CONTRACT.read_text()
    found = []
    for method, path, rest in re.findall(r"```http\n(\w+) (/api/v1/\S+)\n.*?```(.*?)(?=```http|\Z)",
                                         text, re.S):
        body = re.search(r"\*\*Request Body:\*\*[^\n]*\n```json\n(.*?)\n```", rest, re.S)
        if body:
            found.append((method, path, json.loads(body.group(1))))
    return found


EXAMPLES = examples()


def served(spec: dict, method: str, path: str) -> bool:
    shape = re.sub(r"\{\w+\}", "{}", path)
    return any(re.sub(r"\{\w+\}", "{}", p) == shape and method.lower() in ops
               for p, ops in spec["paths"].items())


# --- what the examples refer to, made from the example's own values -----------------------

def linked_user(client, tenant, db, switch, body):
    add_user(db, tenant.domain_uuid, "linked-user", user_uuid=body["user_uuid"])


def extension_to_update(client, tenant, db, switch, body):
    r = client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenant.headers)
    return r.json["data"]["extension_uuid"]


def live_call(client, tenant, db, switch, body):
    switch.add_call(caller="1001", destination="1002", domain=tenant.name,
                    call_uuid=body["call_uuid"])


def rung_extensions(client, tenant, db, switch, body):
    for destination in body["destinations"]:
        client.post("/api/v1/extensions", json={"extension": destination["destination_number"]},
                    headers=tenant.headers)


def sip_profile(client, tenant, db, switch, body):
    db.execute("INSERT INTO v_sip_profiles (sip_profile_uuid, sip_profile_name, "
               "sip_profile_enabled) VALUES (gen_random_uuid(), :name, true)",
               name=body["profile"])


REFERENCES = {
    ("POST", "/api/v1/extensions"): linked_user,
    ("PUT", "/api/v1/extensions/{extension_uuid}"): extension_to_update,
    ("POST", "/api/v1/active-calls/hangup"): live_call,
    ("POST", "/api/v1/active-calls/transfer"): live_call,
    ("POST", "/api/v1/ring-groups"): rung_extensions,
    ("POST", "/api/v1/gateways"): sip_profile,
}


def test_the_contract_has_examples():
    assert len(EXAMPLES) >= 8
    assert ("POST", "/api/v1/ring-groups") in {(m, p) for m, p, _ in EXAMPLES}


@pytest.mark.parametrize("method, path, body", EXAMPLES,
                         ids=[f"{m} {p}" for m, p, _ in EXAMPLES])
def test_contract_example_is_accepted_as_written(esl_client, tenants, fpbx_db, switches,
                                                method, path, body):
    spec = esl_client.get("/api/v1/openapi.json").json
    if not served(spec, method, path):
        pytest.skip(f"{method} {path} is not served yet")
    setup = REFERENCES.get((method, path))
    uuid = setup(esl_client, tenants.a, fpbx_db, switches[0], body) if setup else None
    target = re.sub(r"\{\w+\}", uuid or "", path)
    r = esl_client.open(target, method=method, json=body, headers=tenants.a.headers)
    assert 200 <= r.status_code < 300, r.json
