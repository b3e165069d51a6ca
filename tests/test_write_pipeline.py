"""The core's write pipeline around every resource: secrets redacted from what each
resource declares, the FreeSWITCH change built (and checked) before the commit, and
nothing after the commit able to fail the request."""

from __future__ import annotations

import json

from fpbx_api_plugins.ring_groups.resource import RingGroups

RING_GROUP = {"ring_group_name": "Sales", "ring_group_extension": "2000",
              "ring_group_description": "door code 4711",
              "destinations": [{"destination_number": "1001"}]}


def test_a_secret_a_plugin_declares_is_redacted_in_the_audit_row(client, tenants, fpbx_db,
                                                                  monkeypatch):
    # FusionPBX copies the description into the ring group's dialplan row, which the
    # audit row holds too: a declaration names the field in every table of audit().
    monkeypatch.setattr(RingGroups, "secrets", ("ring_group_description",
                                                "dialplan_description"))
    r = client.post("/api/v1/ring-groups", json=RING_GROUP, headers=tenants.a.headers)
    assert r.status_code == 201
    uuid = r.json["data"]["ring_group_uuid"]
    client.put(f"/api/v1/ring-groups/{uuid}", json={"ring_group_description": "now 0815"},
               headers=tenants.a.headers)
    client.delete(f"/api/v1/ring-groups/{uuid}", headers=tenants.a.headers)
    rows = fpbx_db.rows("v_database_transactions")
    assert sorted(r["transaction_type"] for r in rows) == ["add", "delete", "update"]
    for row in rows:
        text = f"{row['transaction_new']} {row['transaction_old']}"
        assert "4711" not in text and "0815" not in text
    added = next(r for r in rows if r["transaction_type"] == "add")
    saved = json.loads(added["transaction_new"])["ring_groups"][0]
    assert saved["ring_group_description"] == "[redacted]"
    assert saved["ring_group_name"] == "Sales"


def test_gateway_password_is_redacted_in_the_audit_row(client, tenants, fpbx_db):
    r = client.post("/api/v1/gateways", json={"gateway": "trunk", "proxy": "sip.example.net",
                                              "password": "Tr0nk-Secret"},
                    headers=tenants.a.headers)
    assert r.status_code == 201
    (row,) = fpbx_db.rows("v_database_transactions")
    assert "Tr0nk-Secret" not in row["transaction_new"]
    assert json.loads(row["transaction_new"])["gateways"][0]["password"] == "[redacted]"


# --- the FreeSWITCH change: built before the commit, never failing the write after it -----

def test_a_change_hook_that_raises_never_fails_a_committed_write(esl_client, tenants, fpbx_db,
                                                                 monkeypatch):
    def broken(self, row, before):
        raise RuntimeError("bug in a plugin")

    monkeypatch.setattr(RingGroups, "change", broken)
    r = esl_client.post("/api/v1/ring-groups", json=RING_GROUP, headers=tenants.a.headers)
    # the change could not be built: which keys it had is unknown
    assert r.status_code == 201 and r.json["applied"] == {"cache": {"state": "failed",
                                                                    "keys": []}}
    uuid = r.json["data"]["ring_group_uuid"]
    assert [str(row["ring_group_uuid"]) for row in fpbx_db.rows("v_ring_groups")] == [uuid]
    r = esl_client.put(f"/api/v1/ring-groups/{uuid}", json={"ring_group_name": "Support"},
                       headers=tenants.a.headers)
    assert r.status_code == 200 and r.json["applied"] == {"cache": {"state": "failed",
                                                                    "keys": []}}
    assert fpbx_db.rows("v_ring_groups")[0]["ring_group_name"] == "Support"
    r = esl_client.delete(f"/api/v1/ring-groups/{uuid}", headers=tenants.a.headers)
    assert r.status_code == 204 and r.headers["X-Applied"] == "cache=failed"
    assert "X-Applied-Keys" not in r.headers
    assert fpbx_db.rows("v_ring_groups") == []


def test_applying_that_raises_after_the_commit_is_reported_failed(esl_client, tenants, fpbx_db,
                                                                  monkeypatch):
    from fpbx_api.freeswitch import switches as freeswitch

    def broken(*_args):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(freeswitch, "_command", broken)
    r = esl_client.post("/api/v1/gateways", json={"gateway": "trunk",
                                                  "proxy": "sip.example.net"},
                        headers=tenants.a.headers)
    assert r.status_code == 201
    assert r.json["applied"] == {  # a bug: no guess at what went through
        "cache": {"state": "failed", "keys": ["{hostname}:configuration:sofia.conf",
                                              "configuration:sofia.conf"]},
        "reload": {"state": "failed", "commands": ["sofia profile external rescan"]}}
    assert len(fpbx_db.rows("v_gateways")) == 1


def test_a_stored_value_the_switch_cannot_take_is_400_before_anything_is_written(
        esl_client, tenants, fpbx_db, switches):
    """FusionPBX's UI stores any profile text; killgw must name the old profile, so the
    update is refused before it is written instead of half-applied after. (The system key:
    a tenant key is refused earlier, since such a profile is not one tenants may use.)"""
    system = {"X-API-Key": tenants.a.system_key}
    r = esl_client.post("/api/v1/gateways", json={"gateway": "trunk",
                                                  "proxy": "sip.example.net"},
                        headers=system)
    uuid = r.json["data"]["gateway_uuid"]
    fpbx_db.execute("UPDATE v_gateways SET profile = 'ext ernal'")
    sent = len(switches[0].received())
    r = esl_client.put(f"/api/v1/gateways/{uuid}", json={"description": "changed"},
                       headers=system)
    assert r.status_code == 400 and r.json["error"]["code"] == "VALIDATION_ERROR"
    assert fpbx_db.rows("v_gateways")[0]["description"] is None
    assert switches[0].received()[sent:] == []


def test_a_domain_name_the_switch_cannot_take_writes_nothing(esl_client, tenants, fpbx_db,
                                                             switches):
    fpbx_db.execute("UPDATE v_domains SET domain_name = 'bücher.example' WHERE domain_uuid = :d",
                    d=tenants.a.domain_uuid)
    before = fpbx_db.snapshot()
    r = esl_client.post("/api/v1/extensions", json={"extension": "1001"},
                        headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["code"] == "VALIDATION_ERROR"
    assert fpbx_db.changes(before) == {}
    assert switches[0].received() == []
