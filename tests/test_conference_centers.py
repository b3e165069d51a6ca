"""Conference centers and rooms through HTTP against PostgreSQL, row by row against
FusionPBX's own writes (tests/golden/conference_centers.json), with the exact dialplan XML."""

from __future__ import annotations

import json

from tests.helpers import add_user, golden, same_create, same_delete, same_update

GOLDEN = golden("conference_centers")
CENTERS, ROOMS = "/api/v1/conference-centers/centers", "/api/v1/conference-centers/rooms"
ADMIN = "de3d4839-25c1-4347-81e7-7c1ec3ee5c45"  # the golden file's acting user
VOLATILE = {"conference_center_uuid", "dialplan_uuid", "domain_uuid", "conference_room_uuid",
            "conference_room_user_uuid", "created", "created_by"}


def form(step: str | None = None) -> dict:
    """A golden form's fields, as posted, without the CSRF token and the page's ids."""
    return {k: v for k, v in (GOLDEN[step] if step else GOLDEN)["input"].items()
            if not k.startswith("<") and k not in ("conference_room_uuid", "dialplan_uuid")}


def uuids_of(rows: dict) -> dict:
    """The golden file's center and dialplan uuids (they appear inside the XML)."""
    center = rows["v_conference_centers"][0]
    return {"center": center["conference_center_uuid"], "dialplan": center["dialplan_uuid"]}


def test_crud_writes_what_fusionpbx_writes(client, tenants, fpbx_db):
    headers = tenants.a.headers
    add_user(fpbx_db, tenants.a.domain_uuid, "admin", user_uuid=ADMIN)

    r, _, replace = same_create(client, fpbx_db, CENTERS, form(), headers, GOLDEN, VOLATILE,
                                uuids=uuids_of)
    center = r.json["data"]["conference_center_uuid"]

    room_body = {**form("create_room"), "conference_center_uuid": center, "user_uuid": ADMIN}
    r, _, _ = same_create(client, fpbx_db, ROOMS, room_body, headers, GOLDEN, VOLATILE,
                          replace=replace, step="create_room")
    room = r.json["data"]["conference_room_uuid"]

    for step, path in (("update", f"{ROOMS}/{room}"), ("update_center", f"{CENTERS}/{center}")):
        before = fpbx_db.snapshot()
        r = client.put(path, json=GOLDEN[step]["fields_changed_in_form"], headers=headers)
        assert r.status_code == 200, r.json
        same_update(fpbx_db.changes(before), GOLDEN, VOLATILE, replace, step=step)

    for step, path in (("delete_room", f"{ROOMS}/{room}"), ("delete", f"{CENTERS}/{center}")):
        before = fpbx_db.snapshot()
        assert client.delete(path, headers=headers).status_code == 204
        same_delete(fpbx_db.changes(before), GOLDEN, VOLATILE, replace, step=step)


def center(client, tenant, **values) -> str:
    body = {"conference_center_name": "Acme Meetings", "conference_center_extension": "3500",
            "conference_center_pin_length": 6, **values}
    r = client.post(CENTERS, json=body, headers=tenant.headers)
    assert r.status_code == 201, r.json
    return r.json["data"]["conference_center_uuid"]


def test_short_pin_lengths_also_answer_the_number_with_the_pin(client, tenants, fpbx_db):
    center(client, tenants.a, conference_center_pin_length=3)
    xml = fpbx_db.rows("v_dialplans")[0]["dialplan_xml"]
    assert '<condition field="destination_number" expression="^(3500)(\\d{3})$" ' \
           'break="on-true">' in xml
    assert '<action application="set" data="pin_number=$2"/>' in xml


def test_pins_are_generated_unique_and_checked(client, tenants, fpbx_db):
    uuid = center(client, tenants.a)
    r = client.post(ROOMS, json={"conference_center_uuid": uuid, "conference_room_name": "A"},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    (room,) = fpbx_db.rows("v_conference_rooms")
    assert len(room["moderator_pin"]) == 6 and room["moderator_pin"].isdigit()
    assert room["moderator_pin"] != room["participant_pin"]
    taken = room["participant_pin"]
    r = client.post(ROOMS, json={"conference_center_uuid": uuid, "conference_room_name": "B",
                                 "moderator_pin": taken}, headers=tenants.a.headers)
    assert r.status_code == 409 and r.json["error"]["field"] == "moderator_pin"
    for change, field in (({"moderator_pin": "12345"}, "moderator_pin"),
                          ({"moderator_pin": "123456", "participant_pin": "123 456"},
                           "participant_pin")):
        r = client.post(ROOMS, json={"conference_center_uuid": uuid,
                                     "conference_room_name": "B", **change},
                        headers=tenants.a.headers)
        assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == field
    r = client.post(ROOMS, json={"conference_center_uuid": uuid, "conference_room_name": "B",
                                 "moderator_pin": "112-233", "participant_pin": "445566"},
                    headers=tenants.a.headers)
    assert r.status_code == 201
    assert {r["moderator_pin"] for r in fpbx_db.rows("v_conference_rooms")} >= {"112233"}


def test_a_room_needs_a_center_of_the_domain(client, tenants, fpbx_db):
    theirs = center(client, tenants.b)
    r = client.post(ROOMS, json={"conference_center_uuid": theirs,
                                 "conference_room_name": "A"}, headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "conference_center_uuid"
    r = client.post(ROOMS, json={"conference_center_uuid": center(client, tenants.a),
                                 "conference_room_name": "A",
                                 "user_uuid": "00000000-0000-4000-8000-000000000000"},
                    headers=tenants.a.headers)
    assert r.status_code == 400 and r.json["error"]["errors"][0]["field"] == "user_uuid"


def test_pins_are_redacted_in_the_audit_trail(client, tenants, fpbx_db):
    uuid = center(client, tenants.a)
    client.post(ROOMS, json={"conference_center_uuid": uuid, "conference_room_name": "A",
                             "moderator_pin": "918273", "participant_pin": "564738"},
                headers=tenants.a.headers)
    trail = json.dumps(fpbx_db.rows("v_database_transactions"), default=str)
    assert "918273" not in trail and "564738" not in trail


def test_deleting_a_center_removes_its_rooms(client, tenants, fpbx_db):
    uuid = center(client, tenants.a)
    add_user(fpbx_db, tenants.a.domain_uuid, "admin", user_uuid=ADMIN)
    client.post(ROOMS, json={"conference_center_uuid": uuid, "conference_room_name": "A",
                             "user_uuid": ADMIN}, headers=tenants.a.headers)
    assert client.delete(f"{CENTERS}/{uuid}", headers=tenants.a.headers).status_code == 204
    for table in ("v_conference_centers", "v_conference_rooms", "v_conference_room_users",
                  "v_dialplans"):
        assert fpbx_db.rows(table) == [], table


def test_the_center_number_is_claimed(client, tenants):
    client.post("/api/v1/extensions", json={"extension": "3500"}, headers=tenants.a.headers)
    r = client.post(CENTERS, json={"conference_center_name": "X",
                                   "conference_center_extension": "3500"},
                    headers=tenants.a.headers)
    assert r.status_code == 409


def test_filters(client, tenants):
    uuid = center(client, tenants.a)
    other = center(client, tenants.a, conference_center_extension="3501")
    for n, parent in enumerate((uuid, uuid, other)):
        client.post(ROOMS, json={"conference_center_uuid": parent,
                                 "conference_room_name": f"Room {n}"},
                    headers=tenants.a.headers)
    data = client.get(f"{ROOMS}?conference_center_uuid={uuid}&order=-conference_room_name",
                      headers=tenants.a.headers).json["data"]
    assert [r["conference_room_name"] for r in data] == ["Room 1", "Room 0"]
    data = client.get(f"{CENTERS}?conference_center_extension=3501",
                      headers=tenants.a.headers).json["data"]
    assert [c["conference_center_uuid"] for c in data] == [other]


def test_center_writes_clear_the_dialplan_cache(esl_client, tenants, switches):
    for sim in switches:
        sim.cache_set("dialplan:example.com", "<context/>")
    r = esl_client.post(CENTERS, json={"conference_center_name": "X",
                                       "conference_center_extension": "3500"},
                        headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": {"state": "cleared", "keys": ["dialplan:example.com"]}}
    assert [sim.cache_get("dialplan:example.com") for sim in switches] == [None, None]


def test_the_center_name_cannot_be_cleared(client, tenants, fpbx_db):
    uuid = center(client, tenants.a)
    r = client.put(f"{CENTERS}/{uuid}", json={"conference_center_name": None},
                   headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "conference_center_name"


def test_a_room_goes_to_the_first_center_by_default(client, tenants, fpbx_db):
    r = client.post(ROOMS, json={"conference_room_name": "A"}, headers=tenants.a.headers)
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == "conference_center_uuid"
    center(client, tenants.a, conference_center_name="Zulu")
    first = center(client, tenants.a, conference_center_name="Alpha",
                   conference_center_extension="3501")
    assert client.post(ROOMS, json={"conference_room_name": "A"},
                       headers=tenants.a.headers).status_code == 201
    assert str(fpbx_db.rows("v_conference_rooms")[0]["conference_center_uuid"]) == first
