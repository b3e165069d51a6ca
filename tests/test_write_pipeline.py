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
