"""Every event-socket endpoint answers 503 within the deadline when a switch misbehaves,
in-process and under gunicorn with two workers; no worker stays stuck."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from fpbx_api.freeswitch.simulator import Simulator
from tests.bounded import answers_within
from tests.figures import FIGURES
from tests.gunicorn_server import gunicorn

DEADLINE = 1.0
CALL = "00000000-0000-4000-8000-000000000000"
ENDPOINTS = [
    ("get", "/api/v1/active-calls", None),
    ("get", "/api/v1/registrations", None),
    ("post", "/api/v1/active-calls/hangup", {"call_uuid": CALL}),
    ("post", "/api/v1/active-calls/transfer", {"call_uuid": CALL, "destination": "1002"}),
    ("post", "/api/v1/active-calls/originate", {"extension": "1001", "destination": "1002"}),
]
MODES = ["refuse", "silent", "drop", "slow", "mute", "wrong_password"]


@pytest.fixture
def broken_switch():
    sim = Simulator(hostname="fs1").start()
    yield sim
    sim.stop()


def switch_entry(sim, mode):
    entry = sim.switch()
    if mode == "wrong_password":
        entry["password"] = "not-the-password"
    else:
        sim.misbehave(mode, delay=10)
    return entry


@pytest.mark.parametrize("mode", MODES)
def test_esl_endpoints_fail_fast_in_process(make_app, tenants, fpbx_db, broken_switch, mode):
    fpbx_db.execute("INSERT INTO v_sip_profiles (sip_profile_uuid, sip_profile_name, "
                    "sip_profile_enabled) VALUES (gen_random_uuid(), 'internal', true)")
    app = make_app(freeswitch={"switches": [switch_entry(broken_switch, mode)],
                               "timeout": DEADLINE})
    client = app.test_client()
    client.post("/api/v1/extensions", json={"extension": "1001"}, headers=tenants.a.headers)
    for method, path, body in ENDPOINTS:
        r = answers_within(client, method.upper(), path, DEADLINE + 1, json=body,
                           headers=tenants.a.headers)
        assert r is not None, f"{path} took longer than the deadline"
        assert (r.status_code, r.json["error"]["code"]) == (503, "ESL_CONNECTION_FAILED"), path


@pytest.mark.slow
def test_gunicorn_workers_answer_503_in_time_and_recover(fpbx_db, tenants, broken_switch):
    broken_switch.misbehave("silent")
    with gunicorn(fpbx_db.url, 2, FPBX_API_RATE_LIMIT__ENABLED="false",
                  FPBX_API_FREESWITCH__TIMEOUT=str(DEADLINE),
                  FPBX_API_FREESWITCH__SWITCHES=json.dumps([broken_switch.switch()])) as base:
        def timed(_):
            started = time.monotonic()
            r = requests.get(f"{base}/api/v1/active-calls", headers=tenants.a.headers,
                             timeout=10)
            return r.status_code, r.json()["error"]["code"], time.monotonic() - started

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(timed, range(4)))
        assert all(status == 503 and code == "ESL_CONNECTION_FAILED" for status, code, _ in
                   results), results
        # two workers, four requests: the last ones waited for a free worker, but each
        # worker spent at most the deadline on each.
        assert max(t for *_, t in results) < 2 * DEADLINE + 1, results

        broken_switch.misbehave(None)
        for _ in range(4):  # both workers are free again and talk to the switch
            r = requests.get(f"{base}/api/v1/active-calls", headers=tenants.a.headers, timeout=5)
            assert r.status_code == 200 and r.elapsed.total_seconds() < DEADLINE
    FIGURES["faults survived: freeswitch refusing/silent/dropping/slow/muted/bad password"] = (
        f"{len(MODES)} modes x {len(ENDPOINTS)} endpoints, 503 within the deadline; "
        "gunicorn workers recovered")
