"""Call centers through HTTP against PostgreSQL: row by row against FusionPBX's own writes
(tests/golden/call_centers.json), the exact dialplan XML, and mod_callcenter's state in
the simulated switches after each write."""

from __future__ import annotations

import pytest

from tests.helpers import (
    add_user,
    golden,
    golden_step,
    same_create,
    same_delete,
    same_rows,
    same_update,
)

GOLDEN = golden("call_centers")
QUEUES = "/api/v1/call-centers/queues"
AGENTS = "/api/v1/call-centers/agents"
VOLATILE = {"call_center_queue_uuid", "call_center_agent_uuid", "call_center_tier_uuid",
            "dialplan_uuid", "domain_uuid", "user_uuid"}
FORM_ONLY = {"<csrf_token_name>", "queue_context"}  # the API derives the context


def form(fields: dict) -> dict:
    """A golden form as a JSON body: the tier rows become ``tiers``, empty rows dropped."""
    body = {k: v for k, v in fields.items() if k not in FORM_ONLY and "[" not in k}
    rows: dict[str, dict] = {}
    for key, value in fields.items():
        if key.startswith("call_center_tiers["):
            index, name = key[len("call_center_tiers["):].rstrip("]").split("][")
            rows.setdefault(index, {})[name] = value
    tiers = [{k: v for k, v in row.items() if k != "call_center_tier_uuid"}
             for row in rows.values() if row["call_center_agent_uuid"]]
    return {**body, "tiers": tiers} if rows else body


def settings(db) -> None:
    """The settings of the install that recorded the golden file (its switch folders shown
    as <switch_dir>) and FusionPBX's shipped call_center/export_vars."""
    for category, subcategory, value in (("switch", "sounds", "<switch_dir>/sounds"),
                                         ("switch", "recordings", "<switch_dir>/recordings"),
                                         ("call_center", "export_vars", "hold_music")):
        db.execute("INSERT INTO v_default_settings (default_setting_uuid, "
                   "default_setting_category, default_setting_subcategory, "
                   "default_setting_name, default_setting_value, default_setting_enabled) "
                   "VALUES (gen_random_uuid(), :c, :s, 'text', :v, true)",
                   c=category, s=subcategory, v=value)


def alice(db, tenant) -> str:
    user = add_user(db, tenant.domain_uuid, "alice")
    db.execute("UPDATE v_users SET user_status = 'Available' WHERE user_uuid = :u", u=user)
    return user


def agent_body(user_uuid: str, step: str = "create_agent") -> dict:
    body = {k: v for k, v in GOLDEN[step]["input"].items()
            if k not in FORM_ONLY | {"call_center_agent_uuid"}}
    return {**body, "user_uuid": user_uuid}


def queue_body(agent_uuid: str) -> dict:
    body = form(GOLDEN["input"])
    golden_agent = GOLDEN["create_agent"]["rows_added"]["v_call_center_agents"][0]
    for tier in body["tiers"]:
        assert tier["call_center_agent_uuid"] == golden_agent["call_center_agent_uuid"]
        tier["call_center_agent_uuid"] = agent_uuid
    return body


def queue_uuids(rows: dict) -> dict:
    """The golden file's queue and dialplan uuids (they appear inside the XML)."""
    return {"queue": rows["v_call_center_queues"][0]["call_center_queue_uuid"],
            "dialplan": rows["v_dialplans"][0]["dialplan_uuid"]}


def changed_columns(pair) -> set[str]:
    old, new = pair
    return {k for k in new if old[k] != new[k]}


def test_golden_replay_writes_what_fusionpbx_writes(esl_client, tenants, fpbx_db, switches):
    settings(fpbx_db)
    headers = tenants.a.headers
    user = alice(fpbx_db, tenants.a)

    # the agent
    before = fpbx_db.snapshot()
    r = esl_client.post(AGENTS, json=agent_body(user), headers=headers)
    assert r.status_code == 201, r.json
    agent = r.json["data"]["call_center_agent_uuid"]
    changes = fpbx_db.changes(before)
    step = GOLDEN["create_agent"]
    expected = golden_step(GOLDEN, "create_agent", "rows_added")
    assert {t for t in changes if changes[t]["added"]} == set(expected) | {
        "v_database_transactions"}
    same_rows(changes["v_call_center_agents"]["added"], expected["v_call_center_agents"],
              VOLATILE)
    (pair,) = changes["v_users"]["changed"]
    assert changed_columns(pair) == set(step["rows_changed"]["v_users"][0]["changed_columns"])

    # the queue, with the agent as its tier
    r, changes, replace = same_create(esl_client, fpbx_db, QUEUES, queue_body(agent), headers,
                                      GOLDEN, VOLATILE, uuids=queue_uuids)
    queue = r.json["data"]["call_center_queue_uuid"]
    (tier,) = changes["v_call_center_tiers"]["added"]
    assert str(tier["call_center_agent_uuid"]) == agent
    for sim in switches:
        assert sim.callcenter.tiers == {("8000@example.com", agent): {
            "state": "Ready", "level": 1, "position": 1}}

    # the queue's update: only what the form changed
    before = fpbx_db.snapshot()
    r = esl_client.put(f"{QUEUES}/{queue}", json=GOLDEN["update"]["fields_changed_in_form"],
                       headers=headers)
    assert r.status_code == 200, r.json
    same_update(fpbx_db.changes(before), GOLDEN, VOLATILE | {"dialplan_xml"})

    # the agent's update: status and wrap-up time; the user's status follows
    before = fpbx_db.snapshot()
    r = esl_client.put(f"{AGENTS}/{agent}", json=GOLDEN["update_agent"][
        "fields_changed_in_form"], headers=headers)
    assert r.status_code == 200, r.json
    changes = fpbx_db.changes(before)
    for table, rows in GOLDEN["update_agent"]["rows_changed"].items():
        (pair,) = changes[table]["changed"]
        assert changed_columns(pair) == set(rows[0]["changed_columns"]) - {"update_user"}
        same_rows([pair[1]], [rows[0]["after"]],
                  VOLATILE | {"contact_uuid", "password", "add_user", "add_date", "user_email",
                              "user_type"})

    for sim in switches:
        assert sim.callcenter.agents[agent]["status"] == "On Break"
        assert sim.callcenter.agents[agent]["wrap_up_time"] == 20

    # deletes: the queue (tiers, dialplan), then the agent
    for path, step in ((f"{QUEUES}/{queue}", "delete"), (f"{AGENTS}/{agent}", "delete_agent")):
        before = fpbx_db.snapshot()
        assert esl_client.delete(path, headers=headers).status_code == 204
        same_delete(fpbx_db.changes(before), GOLDEN, VOLATILE, replace, step=step)
    for sim in switches:
        assert sim.callcenter.agents == {} and sim.callcenter.tiers == {}


# --- what the switches hear and hold --------------------------------------------------------

def agent(client, tenant, n: int = 0, **fields) -> str:
    body = {"agent_name": f"agent{n}", "agent_contact": f"user/10{n:02d}@{tenant.name}",
            "agent_status": "Available", **fields}
    r = client.post(AGENTS, json=body, headers=tenant.headers)
    assert r.status_code == 201, r.json
    return r.json["data"]["call_center_agent_uuid"]


CALLCENTER_CONF_CLEARED = {"state": "cleared", "keys": [
    "{hostname}:configuration:callcenter.conf", "configuration:callcenter.conf"]}
QUEUE_KEYS_CLEARED = {"state": "cleared", "keys": [
    "dialplan:example.com", *CALLCENTER_CONF_CLEARED["keys"]]}


def callcenter_commands(sim) -> list[str]:
    return [c.removeprefix("api ") for c in sim.received("api callcenter_config")]


def test_an_agent_reaches_mod_callcenter_in_fusionpbxs_order(esl_client, tenants, switches):
    uuid = agent(esl_client, tenants.a, agent_call_timeout="15", agent_wrap_up_time="20")
    expected = [
        f"callcenter_config agent add {uuid} 'callback'",
        f"callcenter_config agent set contact {uuid} "
        "{call_timeout=15,sip_invite_domain=example.com}user/1000@example.com",
        f"callcenter_config agent set status {uuid} 'Available'",
        f"callcenter_config agent set reject_delay_time {uuid} 90",
        f"callcenter_config agent set busy_delay_time {uuid} 90",
        f"callcenter_config agent set no_answer_delay_time {uuid} 30",
        f"callcenter_config agent set max_no_answer {uuid} 0",
        f"callcenter_config agent set wrap_up_time {uuid} 20",
    ]
    for sim in switches:
        assert callcenter_commands(sim) == expected
        state = sim.callcenter.agents[uuid]
        assert state["status"] == "Available" and state["wrap_up_time"] == 20
        assert state["contact"] == ("{call_timeout=15,sip_invite_domain=example.com}"
                                    "user/1000@example.com")


def test_an_agents_update_changes_its_type_and_status_on_the_switch(esl_client, tenants,
                                                                    switches):
    """FusionPBX re-sends ``agent add`` on an update, which mod_callcenter refuses: a changed
    type never arrived. The update sets it, and is reported applied."""
    uuid = agent(esl_client, tenants.a)
    r = esl_client.put(f"{AGENTS}/{uuid}", json={"agent_type": "uuid-standby",
                                                 "agent_status": "On Break"},
                       headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": CALLCENTER_CONF_CLEARED, "reload": {
        "state": "applied", "commands": [
            f"callcenter_config agent set type {uuid} 'uuid-standby'",
            f"callcenter_config agent set contact {uuid} "
            "{call_timeout=20,sip_invite_domain=example.com}user/1000@example.com",
            f"callcenter_config agent set status {uuid} 'On Break'",
            f"callcenter_config agent set reject_delay_time {uuid} 90",
            f"callcenter_config agent set busy_delay_time {uuid} 90",
            f"callcenter_config agent set no_answer_delay_time {uuid} 30",
            f"callcenter_config agent set max_no_answer {uuid} 0",
            f"callcenter_config agent set wrap_up_time {uuid} 10"]}}
    for sim in switches:
        assert sim.callcenter.agents[uuid]["type"] == "uuid-standby"
        assert sim.callcenter.agents[uuid]["status"] == "On Break"


def test_a_gateway_contact_confirms_and_times_out(esl_client, tenants, fpbx_db, switches):
    gateway = "0b3a6d9e-8c1f-4f7e-9d61-2c7a1e3b5f00"
    fpbx_db.execute("INSERT INTO v_gateways (gateway_uuid, domain_uuid, gateway) "
                    "VALUES (:g, :d, 'trunk')", g=gateway, d=tenants.a.domain_uuid)
    uuid = agent(esl_client, tenants.a, agent_contact=f"sofia/gateway/{gateway}/15551234567",
                 agent_call_timeout="25")
    assert switches[0].callcenter.agents[uuid]["contact"] == (
        "{group_confirm_file=custom/press_1_to_accept_this_call.wav,group_confirm_key=1,"
        "group_confirm_read_timeout=2000,leg_timeout=25,call_timeout=25,"
        f"sip_invite_domain=example.com}}sofia/gateway/{gateway}/15551234567")


@pytest.mark.parametrize("contact", [
    "user/1001@other.example", "user/1001", "{api_on_answer=shutdown}user/1001@example.com",
    "user/1001@example.com,user/1002@example.com", "loopback/1001", "sofia/internal/1001",
    "sofia/gateway/0b3a6d9e-8c1f-4f7e-9d61-2c7a1e3b5f00/1555", "user/1 001@example.com",
    "user/${x}@example.com", "user/1001@example.com\n"])
def test_contacts_fusionpbx_does_not_offer_are_400(esl_client, tenants, fpbx_db, switches,
                                                   contact):
    before = fpbx_db.fingerprint()
    r = esl_client.post(AGENTS, json={"agent_name": "x", "agent_contact": contact},
                        headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "agent_contact"
    assert fpbx_db.fingerprint() == before
    assert callcenter_commands(switches[0]) == []


def test_a_queues_tiers_reach_mod_callcenter_with_their_position(esl_client, tenants,
                                                                 switches):
    """FusionPBX's ``tier set position <queue> <position>`` leaves out the agent and is
    refused; here the position arrives."""
    first, second = agent(esl_client, tenants.a, 0), agent(esl_client, tenants.a, 1)
    for sim in switches:
        sim.commands.clear()
    r = esl_client.post(QUEUES, json={
        "queue_name": "Support", "queue_extension": "8000",
        "tiers": [{"call_center_agent_uuid": first, "tier_level": 1, "tier_position": 2},
                  {"call_center_agent_uuid": second, "tier_level": 2, "tier_position": 1}]},
        headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    queue = "8000@example.com"
    commands = [f"callcenter_config tier add {queue} {first} 1 2",
                f"callcenter_config tier set level {queue} {first} 1",
                f"callcenter_config tier set position {queue} {first} 2",
                f"callcenter_config tier add {queue} {second} 2 1",
                f"callcenter_config tier set level {queue} {second} 2",
                f"callcenter_config tier set position {queue} {second} 1"]
    assert r.json["applied"] == {"cache": QUEUE_KEYS_CLEARED,
                                 "reload": {"state": "applied", "commands": commands}}
    for sim in switches:
        assert callcenter_commands(sim) == commands
        assert sim.callcenter.tiers == {
            (queue, first): {"state": "Ready", "level": 1, "position": 2},
            (queue, second): {"state": "Ready", "level": 2, "position": 1}}


def test_changing_tiers_adds_moves_and_removes_agents_on_the_switch(esl_client, tenants,
                                                                    switches, fpbx_db):
    a, b, c = (agent(esl_client, tenants.a, n) for n in range(3))
    uuid = esl_client.post(QUEUES, json={
        "queue_name": "Support", "queue_extension": "8000",
        "tiers": [{"call_center_agent_uuid": a}, {"call_center_agent_uuid": b}]},
        headers=tenants.a.headers).json["data"]["call_center_queue_uuid"]
    kept = {r["call_center_agent_uuid"]: r["call_center_tier_uuid"]
            for r in fpbx_db.rows("v_call_center_tiers")}
    r = esl_client.put(f"{QUEUES}/{uuid}", json={"tiers": [
        {"call_center_agent_uuid": b, "tier_level": 3},
        {"call_center_agent_uuid": c}]}, headers=tenants.a.headers)
    queue = "8000@example.com"
    assert r.json["applied"] == {"cache": QUEUE_KEYS_CLEARED, "reload": {
        "state": "applied", "commands": [
            f"callcenter_config tier del {queue} {a}",
            f"callcenter_config queue reload {queue}",
            f"callcenter_config tier add {queue} {c} 1 1",  # the tiers by level
            f"callcenter_config tier set level {queue} {c} 1",
            f"callcenter_config tier set position {queue} {c} 1",
            f"callcenter_config tier set level {queue} {b} 3",
            f"callcenter_config tier set position {queue} {b} 1"]}}
    rows = {str(r["call_center_agent_uuid"]): r for r in fpbx_db.rows("v_call_center_tiers")}
    assert set(rows) == {b, c} and rows[b]["call_center_tier_uuid"] == kept[
        rows[b]["call_center_agent_uuid"]]
    for sim in switches:
        assert {k[1]: v["level"] for k, v in sim.callcenter.tiers.items()} == {b: 3, c: 1}
    # a new number moves the queue in mod_callcenter
    esl_client.put(f"{QUEUES}/{uuid}", json={"queue_extension": "8001"},
                   headers=tenants.a.headers)
    for sim in switches:
        assert set(sim.callcenter.tiers) == {("8001@example.com", b), ("8001@example.com", c)}
        assert queue not in sim.callcenter.loaded


def test_deleting_a_queue_removes_its_tiers_from_the_switch_too(esl_client, tenants,
                                                                switches):
    """FusionPBX unloads the queue but leaves its tiers in mod_callcenter's tiers table."""
    a = agent(esl_client, tenants.a)
    uuid = esl_client.post(QUEUES, json={"queue_name": "Support", "queue_extension": "8000",
                                         "tiers": [{"call_center_agent_uuid": a}]},
                           headers=tenants.a.headers).json["data"]["call_center_queue_uuid"]
    r = esl_client.delete(f"{QUEUES}/{uuid}", headers=tenants.a.headers)
    assert r.status_code == 204
    assert r.headers["X-Applied"] == "cache=cleared,reload=applied"
    assert r.headers["X-Applied-Commands"] == (
        "callcenter_config queue unload 8000@example.com,"
        f"callcenter_config tier del 8000@example.com {a}")
    for sim in switches:
        assert callcenter_commands(sim)[-2:] == [
            "callcenter_config queue unload 8000@example.com",
            f"callcenter_config tier del 8000@example.com {a}"]
        assert sim.callcenter.tiers == {} and sim.callcenter.loaded == set()


def test_deleting_an_agent_removes_it_and_its_tiers(esl_client, tenants, switches, fpbx_db):
    a = agent(esl_client, tenants.a)
    esl_client.post(QUEUES, json={"queue_name": "Support", "queue_extension": "8000",
                                  "tiers": [{"call_center_agent_uuid": a}]},
                    headers=tenants.a.headers)
    assert esl_client.delete(f"{AGENTS}/{a}", headers=tenants.a.headers).status_code == 204
    assert fpbx_db.rows("v_call_center_tiers") == []
    for sim in switches:
        assert sim.callcenter.agents == {} and sim.callcenter.tiers == {}


def test_the_status_action_sets_the_agents_status_on_every_switch(esl_client, tenants,
                                                                   switches, fpbx_db):
    user = alice(fpbx_db, tenants.a)
    uuid = agent(esl_client, tenants.a, user_uuid=user)
    for sim in switches:
        sim.commands.clear()
        sim.callcenter.agents[uuid]["state"] = "Receiving"
    r = esl_client.post(f"{AGENTS}/{uuid}/status", json={"agent_status": "On Break"},
                        headers=tenants.a.headers)
    assert r.status_code == 200, r.json
    assert r.json["data"] == {"call_center_agent_uuid": uuid, "agent_status": "On Break"}
    assert r.json["applied"] == {"cache": CALLCENTER_CONF_CLEARED, "reload": {
        "state": "applied", "commands": [f"callcenter_config agent set status {uuid} 'On Break'"]}}
    for sim in switches:
        assert callcenter_commands(sim) == [
            f"callcenter_config agent set status {uuid} 'On Break'"]
        assert sim.callcenter.agents[uuid]["status"] == "On Break"
    assert fpbx_db.rows("v_call_center_agents")[0]["agent_status"] == "On Break"
    assert fpbx_db.rows("v_users", user_uuid=user)[0]["user_status"] == "On Break"
    esl_client.post(f"{AGENTS}/{uuid}/status", json={"agent_status": "Available"},
                    headers=tenants.a.headers)
    for sim in switches:
        assert sim.callcenter.agents[uuid]["status"] == "Available"
        assert sim.callcenter.agents[uuid]["state"] == "Waiting"


@pytest.mark.parametrize("status", ["Busy", "on break'; agent del x", "", None,
                                    "Available\n", "Unknown"])
def test_a_status_outside_mod_callcenters_list_is_400(esl_client, tenants, switches,
                                                      fpbx_db, status):
    uuid = agent(esl_client, tenants.a)
    for sim in switches:
        sim.commands.clear()
    before = fpbx_db.fingerprint()
    r = esl_client.post(f"{AGENTS}/{uuid}/status", json={"agent_status": status},
                        headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "agent_status"
    assert fpbx_db.fingerprint() == before
    assert [callcenter_commands(sim) for sim in switches] == [[], []]


def test_another_domains_agent_has_no_status_to_set(esl_client, tenants, switches, fpbx_db):
    theirs = agent(esl_client, tenants.b)
    r = esl_client.post(f"{AGENTS}/{theirs}/status", json={"agent_status": "On Break"},
                        headers=tenants.a.headers)
    assert r.status_code == 404
    assert switches[0].callcenter.agents[theirs]["status"] == "Available"


def test_tiers_as_a_nested_collection(esl_client, tenants, switches, fpbx_db):
    a, b = agent(esl_client, tenants.a, 0), agent(esl_client, tenants.a, 1)
    queue = esl_client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8000",
                                          "tiers": [{"call_center_agent_uuid": a}]},
                            headers=tenants.a.headers).json["data"]["call_center_queue_uuid"]
    tiers = f"{QUEUES}/{queue}/tiers"
    r = esl_client.post(tiers, json={"call_center_agent_uuid": b, "tier_level": 2,
                                     "tier_position": 3}, headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    tier = r.json["data"]["call_center_tier_uuid"]
    name = "8000@example.com"
    assert switches[1].callcenter.tiers[(name, b)] == {"state": "Ready", "level": 2,
                                                       "position": 3}
    again = esl_client.post(tiers, json={"call_center_agent_uuid": b},
                            headers=tenants.a.headers)
    assert again.status_code == 409
    listed = esl_client.get(tiers, headers=tenants.a.headers).json
    assert listed["pagination"]["total"] == 2
    esl_client.put(f"{tiers}/{tier}", json={"tier_position": 1}, headers=tenants.a.headers)
    assert switches[0].callcenter.tiers[(name, b)]["position"] == 1
    assert esl_client.delete(f"{tiers}/{tier}", headers=tenants.a.headers).status_code == 204
    assert set(switches[0].callcenter.tiers) == {(name, a)}
    other = esl_client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8000"},
                            headers=tenants.b.headers).json["data"]["call_center_queue_uuid"]
    for method, body in (("get", None), ("post", {"call_center_agent_uuid": a}),
                         ("post", {"tier_level": "not a level"})):
        r = getattr(esl_client, method)(f"{QUEUES}/{other}/tiers", headers=tenants.a.headers,
                                        json=body)
        assert r.status_code == 404, (method, body)  # before the body is read
    r = esl_client.get(f"{QUEUES}/{other}/tiers?tier_level=x", headers=tenants.a.headers)
    assert r.status_code == 404


def test_writes_clear_the_callcenter_configuration(esl_client, tenants, switches):
    """The Lua caches callcenter.conf under the switch's hostname; FusionPBX's agent page
    clears only the plain key."""
    for sim in switches:
        sim.cache_set(f"{sim.hostname}:configuration:callcenter.conf", "stale")
        sim.cache_set("configuration:callcenter.conf", "stale")
    agent(esl_client, tenants.a)
    for sim in switches:
        assert sim.cache_get(f"{sim.hostname}:configuration:callcenter.conf") is None
        assert sim.cache_get("configuration:callcenter.conf") is None


def test_tiers_name_agents_of_the_domain_once(esl_client, tenants, fpbx_db):
    mine, theirs = agent(esl_client, tenants.a), agent(esl_client, tenants.b)
    before = fpbx_db.fingerprint()
    for tiers in ([{"call_center_agent_uuid": theirs}],
                  [{"call_center_agent_uuid": mine}, {"call_center_agent_uuid": mine}],
                  [{"call_center_agent_uuid": mine, "tier_level": 10}]):
        r = esl_client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8000",
                                          "tiers": tiers}, headers=tenants.a.headers)
        assert r.status_code == 400, tiers
    assert fpbx_db.fingerprint() == before


def test_the_agent_password_is_never_shown_or_audited(client, tenants, fpbx_db):
    uuid = agent(client, tenants.a, agent_id="5501", agent_password="918273")
    assert "agent_password" not in client.get(f"{AGENTS}/{uuid}",
                                              headers=tenants.a.headers).json["data"]
    client.put(f"{AGENTS}/{uuid}", json={"agent_password": "564738"},
               headers=tenants.a.headers)
    client.delete(f"{AGENTS}/{uuid}", headers=tenants.a.headers)
    audit = " ".join(str(r) for r in fpbx_db.rows("v_database_transactions"))
    assert "918273" not in audit and "564738" not in audit and "[redacted]" in audit


def test_a_queue_number_is_claimed(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "8000"}, headers=tenants.a.headers)
    r = client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8000"},
                    headers=tenants.a.headers)
    assert r.status_code == 409 and r.json["error"]["code"] == "DUPLICATE_ERROR"
    uuid = client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8001"},
                       headers=tenants.a.headers).json["data"]["call_center_queue_uuid"]
    for path, body in (("/api/v1/extensions", {"extension": "8001"}),
                       ("/api/v1/ring-groups", {"ring_group_name": "R",
                                                "ring_group_extension": "8001"})):
        r = client.post(path, json=body, headers=tenants.a.headers)
        assert r.status_code == 409 and "call center queue" in r.json["error"]["message"]
    assert client.put(f"{QUEUES}/{uuid}", json={"queue_extension": "8001"},
                      headers=tenants.a.headers).status_code == 200  # its own number
    assert client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8001"},
                       headers=tenants.b.headers).status_code == 201  # another domain's


def test_a_disabled_queue_keeps_its_row_and_stops_its_dialplan(client, tenants, fpbx_db):
    """FusionPBX has no queue_enabled column: the contract's field is the dialplan's
    dialplan_enabled, which FusionPBX's form always saves true."""
    uuid = client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8000"},
                       headers=tenants.a.headers).json["data"]["call_center_queue_uuid"]
    assert client.get(f"{QUEUES}/{uuid}", headers=tenants.a.headers).json["data"][
        "queue_enabled"] == "true"
    client.put(f"{QUEUES}/{uuid}", json={"queue_enabled": False}, headers=tenants.a.headers)
    assert fpbx_db.rows("v_dialplans")[0]["dialplan_enabled"] is False
    client.put(f"{QUEUES}/{uuid}", json={"queue_description": "x"}, headers=tenants.a.headers)
    assert fpbx_db.rows("v_dialplans")[0]["dialplan_enabled"] is False
    assert client.get(f"{QUEUES}/{uuid}", headers=tenants.a.headers).json["data"][
        "queue_enabled"] == "false"


def test_the_queue_list_counts_agents_in_one_query_per_page(client, tenants, statements):
    agents = [agent(client, tenants.a, n) for n in range(3)]
    for n, count in enumerate((3, 0, 1)):
        client.post(QUEUES, headers=tenants.a.headers, json={
            "queue_name": f"Q{n}", "queue_extension": f"800{n}", "queue_enabled": n != 1,
            "tiers": [{"call_center_agent_uuid": a} for a in agents[:count]]})
    statements.clear()
    listed = client.get(QUEUES, headers=tenants.a.headers).json["data"]
    assert [(q["queue_name"], q["agent_count"], q["queue_enabled"]) for q in listed] == [
        ("Q0", 3, "true"), ("Q1", 0, "false"), ("Q2", 1, "true")]
    assert len([s for s in statements if "v_call_center" in s]) == 1  # not one per queue

    def names(query):
        r = client.get(f"{QUEUES}?{query}", headers=tenants.a.headers)
        assert r.status_code == 200, r.json
        return [q["queue_name"] for q in r.json["data"]]

    assert names("order=-agent_count") == ["Q0", "Q2", "Q1"]
    assert names("queue_enabled=false") == ["Q1"]
    assert names("queue_strategy=longest-idle-agent&search=Q2") == ["Q2"]
    assert names("queue_strategy=round-robin") == []


def test_the_agent_list_filters_by_status_and_type(client, tenants):
    agent(client, tenants.a, 0)
    agent(client, tenants.a, 1, agent_status="On Break", agent_type="uuid-standby")

    def names(query):
        r = client.get(f"{AGENTS}?{query}", headers=tenants.a.headers)
        assert r.status_code == 200, r.json
        return [a["agent_name"] for a in r.json["data"]]

    assert names("agent_status=On Break") == ["agent1"]
    assert names("agent_type=callback") == ["agent0"]
    assert names("search=agent&order=-agent_name") == ["agent1", "agent0"]
    listed = client.get(AGENTS, headers=tenants.a.headers).json["data"][0]
    assert listed["agent_call_timeout"] == "20" and "agent_password" not in listed


@pytest.mark.parametrize("field, value", [
    ("queue_moh_sound", "/var/lib/freeswitch/recordings/other.example/secret.wav"),
    ("queue_moh_sound", "local_stream://a b"), ("queue_greeting", "lua:evil.lua"),
    ("queue_greeting", "/etc/passwd"), ("queue_extension", "80 00"),
    ("queue_strategy", "hunt"), ("queue_language", "en/us/callie/x"),
    ("queue_cc_exit_keys", "12a"), ("queue_limit", "-1")])
def test_queue_values_fusionpbx_does_not_offer_are_400(client, tenants, fpbx_db, field, value):
    before = fpbx_db.fingerprint()
    r = client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8000", field: value},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == field
    assert fpbx_db.fingerprint() == before


def test_the_language_splits_and_the_cid_prefix_is_cleaned_as_fusionpbx_does(client, tenants,
                                                                            fpbx_db):
    client.post(QUEUES, json={"queue_name": "S", "queue_extension": "8000",
                              "queue_language": "fr/ca/louise", "queue_cid_prefix": 'A:B"@/',
                              "queue_moh_sound": "local_stream://jazz"},
                headers=tenants.a.headers)
    (row,) = fpbx_db.rows("v_call_center_queues")
    assert (row["queue_language"], row["queue_dialect"], row["queue_voice"]) == (
        "fr", "ca", "louise")
    assert row["queue_cid_prefix"] == "A-B"
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    assert "sound_prefix=/usr/share/freeswitch/sounds/fr/ca/louise" in xml
    assert "effective_caller_id_name=A-B#${caller_id_name}" in xml


def test_the_simulator_answers_as_mod_callcenter_does():
    """Replies of mod_callcenter.c's callcenter_config, FusionPBX's buggy position
    command among them."""
    from fpbx_api.freeswitch.simulator import Simulator

    sim = Simulator()
    cc = "callcenter_config "
    assert sim.api(cc + "agent set status a1 'Available'") == "-ERR Agent not found!\n"
    assert sim.api(cc + "agent add a1 'callback'") == "+OK\n"
    assert sim.api(cc + "agent add a1 'callback'") == "-ERR Agent already exist!\n"
    assert sim.api(cc + "agent add a2 'robot'") == "-ERR Agent type invalid!\n"
    assert sim.api(cc + "agent set status a1 'Busy'") == "-ERR Invalid Agent Status!\n"
    assert sim.api(cc + "agent get status a1") == "Logged Out"
    assert sim.api(cc + "tier add 8000@example.com a1 1 1") == "-ERR Queue not found!\n"
    sim.callcenter.loaded.add("8000@example.com")
    assert sim.api(cc + "tier add 8000@example.com a1 1 1") == "+OK\n"
    assert sim.api(cc + "tier set position 8000@example.com 2") == "-ERR Invalid!\n"
    assert sim.api(cc + "tier set position 8000@example.com a1 2") == "+OK\n"
    assert sim.callcenter.tiers[("8000@example.com", "a1")]["position"] == 2
    assert sim.api(cc + "agent del a1") == "+OK\n"
    assert sim.callcenter.tiers == {}
