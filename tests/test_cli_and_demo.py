"""The command line (keys, db upgrade, openapi) and the SQLite demo."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fpbx_api.app import create_app
from fpbx_api.cli import main
from fpbx_api.demo import build_demo_database, demo_config, demo_switch, seed_through_api


@pytest.fixture
def cli_env(monkeypatch, fpbx_db):
    monkeypatch.setenv("FPBX_API_DATABASE__URL", fpbx_db.url)
    monkeypatch.setenv("FPBX_API_SECURITY__AUTH_MODE", "per_key")


def test_keys_create_list_revoke(cli_env, tenants, capsys, make_app):
    assert main(["keys", "create", "--domain", "other.example", "--scope", "write",
                 "--name", "crm"]) == 0
    out = capsys.readouterr().out
    key = next(line.split()[-1] for line in out.splitlines() if line.startswith("API key"))
    key_uuid = next(line.split()[-1] for line in out.splitlines() if line.startswith("key uuid"))
    client = make_app(security={"auth_mode": "per_key"}, cache={"ttl": 0}).test_client()
    r = client.get("/api/v1/domains", headers={"X-API-Key": key})
    assert r.json["data"][0]["domain_name"] == "other.example"

    assert main(["keys", "list", "--domain", "other.example"]) == 0
    listed = capsys.readouterr().out
    assert key_uuid in listed and "crm" in listed and key not in listed

    assert main(["keys", "revoke", key_uuid]) == 0
    assert client.get("/api/v1/domains", headers={"X-API-Key": key}).status_code == 401
    assert main(["keys", "revoke", key_uuid]) == 1


def test_keys_create_for_an_unknown_domain_fails(cli_env, tenants):
    with pytest.raises(SystemExit, match="no domain"):
        main(["keys", "create", "--domain", "nowhere.example"])


@pytest.mark.parametrize("days", ["0", "-1", "-365", "36501", "1.5", "soon"])
def test_keys_create_refuses_a_lifetime_that_is_not_one_day_or_more(cli_env, tenants, fpbx_db,
                                                                    capsys, days):
    with pytest.raises(SystemExit) as stopped:
        main(["keys", "create", "--domain", "example.com", f"--expires-days={days}"])
    assert stopped.value.code != 0
    assert "--expires-days" in capsys.readouterr().err
    assert len(fpbx_db.rows("v_api_keys")) == 6  # the tenants' keys only


def test_keys_expire_after_the_days_given_or_never(cli_env, tenants, fpbx_db, capsys):
    assert main(["keys", "create", "--domain", "example.com", "--expires-days", "1",
                 "--name", "day"]) == 0
    assert main(["keys", "create", "--domain", "example.com", "--name", "forever"]) == 0
    assert "expires:  never" in capsys.readouterr().out
    day, = fpbx_db.rows("v_api_keys", name="day")
    forever, = fpbx_db.rows("v_api_keys", name="forever")
    assert forever["expires_at"] is None
    lifetime = day["expires_at"] - day["insert_date"]
    assert timedelta(hours=23, minutes=59) < lifetime <= timedelta(days=1)


def test_db_upgrade_is_idempotent(cli_env, capsys):
    assert main(["db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_bad_configuration_stops_with_the_key(monkeypatch, capsys):
    monkeypatch.setenv("FPBX_API_SECURITY__AUTH_MODE", "nobody")
    assert main(["keys", "list"]) == 2
    assert "security.auth_mode" in capsys.readouterr().err


def test_openapi_write(tmp_path):
    target = tmp_path / "spec.json"
    assert main(["openapi", "write", str(target)]) == 0
    assert "/api/v1/extensions" in json.loads(target.read_text())["paths"]


def test_demo_database_serves_the_contract(tmp_path):
    path = tmp_path / "demo.sqlite"
    key = build_demo_database(str(path))
    switch = demo_switch(str(path))
    app = create_app(demo_config(str(path), switch))
    client = app.test_client()
    headers = {"X-API-Key": key, "X-Domain": "example.com"}
    listed = client.get("/api/v1/extensions", headers=headers)
    assert listed.status_code == 200
    assert listed.json["pagination"] == {"page": 1, "per_page": 50, "total": 3,
                                         "total_pages": 1}
    assert [e["extension"] for e in listed.json["data"]] == ["1001", "1002", "1003"]
    created = client.post("/api/v1/extensions", json={"extension": "1004"}, headers=headers)
    assert created.status_code == 201
    uuid = created.json["data"]["extension_uuid"]
    got = client.get(f"/api/v1/extensions/{uuid}", headers=headers).json["data"]
    assert got["voicemail"]["voicemail_id"] == "1004"
    assert client.delete(f"/api/v1/extensions/{uuid}", headers=headers).status_code == 204
    user = client.post("/api/v1/users", headers=headers, json={  # the contract's example
        "username": "john", "password": "SecurePassword123!", "user_email": "john@example.com",
        "user_enabled": "true", "user_status": "Available", "user_language": "en-us",
        "user_time_zone": "America/New_York", "groups": ["user", "admin"],
        "contact_name_given": "John", "contact_name_family": "Doe",
        "contact_organization": "Acme Corp", "contact_email": "john@example.com",
        "contact_url": "https://example.com", "contact_nickname": "Johnny"})
    assert user.status_code == 201, user.json
    linked = client.get(f"/api/v1/extensions/{listed.json['data'][2]['extension_uuid']}",
                        headers=headers).json["data"]
    assert linked["user"]["username"] == "alice"
    calls = client.get("/api/v1/active-calls", headers=headers).json
    assert [c["caller_id_name"] for c in calls["data"]] == ["Alice Anders", "Bob Baker"]
    registrations = client.get("/api/v1/registrations", headers=headers).json["data"]
    assert sorted(r["user"] for r in registrations) == ["1001", "1002"]
    reception = listed.json["data"][2]["extension_uuid"]
    client.put(f"/api/v1/extensions/{reception}", json={"password": "Demo-Pass-1"},
               headers=headers)
    assert switch.register("1003", "example.com", "Demo-Pass-1")
    client.put(f"/api/v1/extensions/{reception}", json={"password": "Demo-Pass-2"},
               headers=headers)
    assert not switch.register("1003", "example.com", "Demo-Pass-1")
    assert switch.register("1003", "example.com", "Demo-Pass-2")
    seed_through_api(str(path), switch, key)
    (menu,) = client.get("/api/v1/ivr-menus", headers=headers).json["data"]
    got = client.get(f"/api/v1/ivr-menus/{menu['ivr_menu_uuid']}", headers=headers).json
    assert (menu["ivr_menu_extension"], bool(got["data"]["dialplan_uuid"])) == ("5000", True)
    options = client.get(f"/api/v1/ivr-menus/{menu['ivr_menu_uuid']}/options",
                         headers=headers).json["data"]
    assert sorted(o["ivr_menu_option_digits"] for o in options) == ["1", "2"]
    (bridge,) = client.get("/api/v1/conferences", headers=headers).json["data"]
    assert (bridge["conference_extension"], bridge["conference_flags"]) == ("3000", "mute")
    queues = client.get("/api/v1/call-centers/queues", headers=headers).json["data"]
    assert [q["queue_extension"] for q in queues] == ["7000"]
    # SQLite keeps a numeric's scale: 90, not "90.0000000000" or "0E-10"
    assert (queues[0]["queue_max_wait_time_with_no_agent"],
            queues[0]["queue_max_wait_time"]) == ("90", "0")
    (agent,) = client.get("/api/v1/call-centers/agents", headers=headers).json["data"]
    assert switch.callcenter.agents[agent["call_center_agent_uuid"]]["status"] == "Available"
    assert switch.callcenter.tiers == {("7000@example.com", agent["call_center_agent_uuid"]):
                                       {"state": "Ready", "level": 1, "position": 1}}
    switch.stop()


def test_db_indexes_are_created_once_and_reported(cli_env, fpbx_db, capsys):
    assert main(["db", "indexes"]) == 0
    first = capsys.readouterr().out
    assert first.count("created") == 4 and "fpbx_api_xml_cdr_domain_start" in first
    assert main(["db", "indexes"]) == 0
    assert capsys.readouterr().out.count("exists") == 4
    names = {r["indexname"] for r in fpbx_db.rows("pg_indexes", tablename="v_xml_cdr")}
    assert {"fpbx_api_xml_cdr_domain_start", "fpbx_api_xml_cdr_caller_name_trgm"} <= names
    fpbx_db.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = "
                    "'fpbx_api_xml_cdr_domain_extension'::regclass")
    assert main(["db", "indexes"]) == 0
    assert "rebuilt (was invalid)" in capsys.readouterr().out
