"""Hostile values for every destination field a resource declares (``x-fpbx-destination``
in the OpenAPI spec, see fpbx_api/destinations.py): every other FreeSWITCH application,
other domains' contexts, variables, quotes, line breaks and markup. The scenario kit runs
it for each resource, so a new resource is covered by declaring its fields."""

from __future__ import annotations

import re

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
    # an IVR option's param: '<application> <data>' after menu-exec-app
    params = ([f"{app} 1001 XML {domain}" for app in FREESWITCH_APPLICATIONS]
              + [f"transfer {d}" for d in data]
              + [f"bridge group/sales@{c}" for c in OTHER_CONTEXTS]
              + [f"bridge user/1001@{domain}", "bridge sofia/gateway/x/1", "hangup ${x}",
                 "hangup USER_BUSY,x", f"transfer:1001 XML {domain}", ""] + HOSTILE_TEXT)
    return {"action": actions,
            "app": FREESWITCH_APPLICATIONS + ["Transfer", "${x}", "transfer\n",
                                              "transfer:", 1, ["transfer"]],
            "data": data + ["", "group/sales@other.example"],
            "number": data + actions,
            "limit": data + actions + ["!USER_BUSY XML other.example", "!${x}"],
            "ivr-action": FREESWITCH_APPLICATIONS + [
                "menu-play-sound", "menu-say-phrase", "MENU-TOP", "menu-exec-app:", "${x}",
                "menu-top\n", 1, ["menu-top"]],
            "ivr-param": params,
            }[kind]


VALID_SPLIT = {"app": "transfer", "data": "1001 XML {domain}",
               "ivr-action": "menu-exec-app", "ivr-param": "transfer 1001 XML {domain}"}
PARTNER = {"app": "data", "data": "app", "ivr-action": "ivr-param", "ivr-param": "ivr-action"}


def destination_fields(spec: dict) -> list[tuple[str, str, str, dict]]:
    """(method, path, field, property) of every destination field of every request body;
    a field of the items of a list is named as its errors name it: ``options.0.<name>``."""
    found = []
    for path, operations in spec["paths"].items():
        for method in ("post", "put"):
            body = operations.get(method, {}).get("requestBody")
            if not body:
                continue
            schema = resolve(spec, body["content"]["application/json"]["schema"])
            for field, prop in schema.get("properties", {}).items():
                if "x-fpbx-destination" in prop:
                    found.append((method, path, field, prop))
                    continue
                nested = resolve(spec, prop.get("items", prop))
                inner = [(name, p) for name, p in nested.get("properties", {}).items()
                         if "x-fpbx-destination" in p]
                assert not inner or prop.get("type") == "array", (
                    f"{path} {field}: nested destination fields; extend this test")
                found += [(method, path, f"{field}.0.{name}", p) for name, p in inner]
    return found


def route(spec_path: str) -> re.Pattern:
    """The paths a spec path serves (``{name}`` stands for any one segment), so a nested
    collection's scenario (``/ivr-menus/<a menu's uuid>/options``) finds its fields."""
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(spec_path)))


def with_value(body: dict, field: str, value) -> dict:
    """A copy of ``body`` with ``field`` set; ``list.0.name`` sets it in the list's first
    item (made when the scenario's body has none, e.g. a time condition's presets)."""
    outer, _, name = field.partition(".0.")
    if not name:
        return {**body, field: value}
    first, *rest = body.get(outer) or [{}]
    return {**body, outer: [{**first, name: value}, *rest]}


def resolve(spec: dict, schema: dict) -> dict:
    """``schema`` with its ``$ref`` followed to the component it names."""
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def spec_of(app) -> dict:
    with app.app_context():
        return app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def accepted_hostile_values(client, tenant, fpbx_db, switches, scenario) -> list:
    """Send every refused value to every destination field of ``scenario``'s resource, on
    create and on update; return what was not a 400 naming the field, wrote rows or
    reached a switch."""
    wrong = []
    collection = scenario.path
    fields = [(method, field, prop) for method, path, field, prop
              in destination_fields(spec_of(client.application))
              if any(route(path).fullmatch(p) for p in (collection, f"{collection}/x"))]
    for n, (method, field, prop) in enumerate(fields):
        kind = prop["x-fpbx-destination"]
        partner = prop.get("x-fpbx-destination-pair")
        base = scenario.body_for(tenant, 50 + n)
        for group in getattr(scenario, "exclusive", ()):  # the field's form, not another
            if field.partition(".")[0] not in group:
                base = {k: v for k, v in base.items() if k not in group}
        plain = base  # what a PUT's row is created from: a list item may need more fields
        if partner:  # the split form: both halves valid, then one of them hostile
            partner = field.rpartition(".")[0] + "." + partner if "." in field else partner
            base = with_value(base, field, VALID_SPLIT[kind].format(domain=tenant.name))
            base = with_value(base, partner,
                              VALID_SPLIT[PARTNER[kind]].format(domain=tenant.name))
        url = collection
        if method == "put":
            created = client.post(collection, json=plain if ".0." in field else base,
                                  headers=tenant.headers)
            assert created.status_code == 201, created.json
            url = f"{collection}/{created.json['data'][scenario.key]}"
        before = fpbx_db.fingerprint()
        sent = [len(s.received()) for s in switches]
        for value in refused_values(kind, tenant.name):
            r = getattr(client, method)(url, json=with_value(base, field, value),
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


