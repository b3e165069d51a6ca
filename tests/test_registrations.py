"""Registrations gathered from every enabled SIP profile on two simulated switches."""

from __future__ import annotations

import pytest


@pytest.fixture
def profiles(fpbx_db):
    fpbx_db.execute(
        "INSERT INTO v_sip_profiles (sip_profile_uuid, sip_profile_name, sip_profile_enabled) "
        "VALUES (gen_random_uuid(), 'internal', true), (gen_random_uuid(), 'external', true), "
        "(gen_random_uuid(), 'disabled', false)")


def test_only_the_domains_registrations_from_every_switch(esl_client, tenants, switches,
                                                          profiles):
    fs1, fs2 = switches
    fs1.add_registration(user="1001", domain="example.com", ip="192.0.2.10", port=5062)
    fs2.add_registration(user="1002", domain="example.com", profile="external")
    fs1.add_registration(user="1001", domain="other.example")
    r = esl_client.get("/api/v1/registrations", headers=tenants.a.headers)
    assert r.status_code == 200
    rows = sorted(r.json["data"], key=lambda x: x["user"])
    assert [(x["user"], x["switch"], x["profile"]) for x in rows] == [
        ("1001", "fs1", "internal"), ("1002", "fs2", "external")]
    first = rows[0]
    assert first["sip_realm"] == "example.com" and first["status"] == "Registered"
    assert first["contact"] == '"" <sip:1001@192.0.2.10:5062>'
    assert (first["network_ip"], first["network_port"]) == ("192.0.2.10", "5062")
    asked = fs1.received("api sofia xmlstatus")
    assert asked == ["api sofia xmlstatus profile external reg",
                     "api sofia xmlstatus profile internal reg"]


def test_profile_that_is_not_running_gives_no_rows(esl_client, tenants, switches, fpbx_db):
    fpbx_db.execute("INSERT INTO v_sip_profiles (sip_profile_uuid, sip_profile_name, "
                    "sip_profile_enabled) VALUES (gen_random_uuid(), 'stopped', true)")
    r = esl_client.get("/api/v1/registrations", headers=tenants.a.headers)
    assert r.status_code == 200 and r.json["data"] == []
