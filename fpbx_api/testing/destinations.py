"""Hostile values for every destination field a resource declares (``x-fpbx-destination``
in the OpenAPI spec, see fpbx_api/destinations.py): every other FreeSWITCH application,
other domains' contexts, variables, quotes, line breaks and markup. The scenario kit runs
it for each resource, so a new resource is covered by declaring its fields."""

from __future__ import annotations

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
    """(method, path, field, property) of every destination field of every request body;
    a field of the objects in a list is named ``<list>[].<field>``."""
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
                else:
                    nested = resolve(spec, prop.get("items", prop))
                    inner = {f: p for f, p in nested.get("properties", {}).items()
                             if "x-fpbx-destination" in p}
                    assert not inner or prop.get("type") == "array", (
                        f"{path} {field}: nested destination fields; extend this test")
                    found += [(method, path, f"{field}[].{f}", p) for f, p in inner.items()]
    return found


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
              if path.split("/{")[0] == collection]
    for n, (method, field, prop) in enumerate(fields):
        kind = prop["x-fpbx-destination"]
        partner = prop.get("x-fpbx-destination-pair")
        base = scenario.body_for(tenant, 50 + n)
        if "[]." in field:  # one item of a list, its partner valid
            outer, inner = field.split("[].")
            item = {partner: VALID_SPLIT[{"app": "data", "data": "app"}[kind]].format(
                domain=tenant.name)} if partner else {}
            named_as = f"{outer}.0.{inner}"

            def body(value, base=base, outer=outer, inner=inner, item=item):
                return {**base, outer: [{**item, inner: value}]}
        else:
            named_as = field

            def body(value, base=base, field=field):
                return {**base, field: value}
        if partner and "[]." not in field:  # the split form: both halves valid, then one hostile
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
            r = getattr(client, method)(url, json=body(value), headers=tenant.headers)
            named = r.status_code == 400 and named_as in {
                e["field"] for e in r.json["error"].get("errors", [])}
            if not named:
                wrong.append((method, field, value, r.status_code))
        if fpbx_db.fingerprint() != before:
            wrong.append((method, field, "rows were written", None))
        if [len(s.received()) for s in switches] != sent:
            wrong.append((method, field, "commands reached a switch", None))
    return wrong


