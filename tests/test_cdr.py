"""CDR through HTTP against PostgreSQL: filters, order, cursor, CSV, tenant isolation."""

from __future__ import annotations

import base64
import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

START = datetime(2024, 1, 15, 10, 0, tzinfo=UTC)


def add_cdr(db, domain_uuid, *, at, direction="inbound", caller="5551234567",
            name="John Doe", dest="1001", duration=60, billsec=55, cause="NORMAL_CLEARING",
            extension_uuid=None, leg="a"):
    cdr = str(uuid.uuid4())
    db.execute(
        "INSERT INTO v_xml_cdr (xml_cdr_uuid, domain_uuid, direction, caller_id_name, "
        "caller_id_number, caller_destination, destination_number, start_stamp, answer_stamp, "
        "end_stamp, duration, billsec, hangup_cause, extension_uuid, leg, record_name, "
        "json) VALUES (:u, :d, :dir, :name, :caller, :dest, :dest, :at, :ans, :end, :dur, "
        ":bill, :cause, :ext, :leg, :rec, '{\"variables\": {\"x\": 1}}')",
        u=cdr, d=domain_uuid, dir=direction, name=name, caller=caller, dest=dest, at=at,
        ans=at + timedelta(seconds=duration - billsec) if billsec else None,
        end=at + timedelta(seconds=duration), dur=duration, bill=billsec, cause=cause,
        ext=extension_uuid, leg=leg, rec=f"{cdr}.wav")
    return cdr


@pytest.fixture
def cdrs(fpbx_db, tenants):
    """Six calls in example.com over three days, and one in other.example."""
    a, b = tenants.a.domain_uuid, tenants.b.domain_uuid
    made = {
        "jan15_in": add_cdr(fpbx_db, a, at=START),
        "jan15_out": add_cdr(fpbx_db, a, at=START + timedelta(hours=1), direction="outbound",
                             caller="1001", name="Alice", dest="2125550100", duration=300,
                             billsec=290),
        "jan16_missed": add_cdr(fpbx_db, a, at=START + timedelta(days=1), caller="8005550000",
                                name="ACME Sales", billsec=0, duration=20,
                                cause="NO_ANSWER"),
        "jan16_local": add_cdr(fpbx_db, a, at=START + timedelta(days=1, hours=2),
                               direction="local", caller="1002", name="Bob", dest="1003",
                               duration=5, billsec=3),
        "jan17_in": add_cdr(fpbx_db, a, at=START + timedelta(days=2), caller="2125551111",
                            name="Big_Co 100%", duration=1200, billsec=1190),
        "jan17_late": add_cdr(fpbx_db, a, at=datetime(2024, 1, 17, 23, 30, tzinfo=UTC),
                              duration=30, billsec=25),
        "other": add_cdr(fpbx_db, b, at=START, caller="5551234567"),
    }
    return made


def listed(client, tenants, query=""):
    r = client.get(f"/api/v1/cdr{query}", headers=tenants.a.headers)
    assert r.status_code == 200, r.json
    return r.json


def uuids(body):
    return [row["xml_cdr_uuid"] for row in body["data"]]


def test_list_is_newest_first_in_the_contract_shape(client, tenants, cdrs):
    body = listed(client, tenants)
    assert body["pagination"]["total"] == 6
    assert uuids(body)[0] == cdrs["jan17_late"] and cdrs["other"] not in uuids(body)
    row = next(r for r in body["data"] if r["xml_cdr_uuid"] == cdrs["jan15_in"])
    assert row == {
        "xml_cdr_uuid": cdrs["jan15_in"], "direction": "inbound", "caller_id_name": "John Doe",
        "caller_id_number": "5551234567", "caller_destination": "1001",
        "destination_number": "1001", "start_stamp": "2024-01-15 10:00:00",
        "answer_stamp": "2024-01-15 10:00:05", "end_stamp": "2024-01-15 10:01:00",
        "duration": 60, "billsec": 55, "hangup_cause": "NORMAL_CLEARING",
        "recording_file": f"{cdrs['jan15_in']}.wav", "extension_uuid": None, "status": None,
        "leg": "a", "missed_call": "false"}


def test_dates_are_whole_days_in_the_domains_time_zone(client, tenants, fpbx_db, cdrs):
    assert set(uuids(listed(client, tenants, "?start_date=2024-01-16&end_date=2024-01-16"))) \
        == {cdrs["jan16_missed"], cdrs["jan16_local"]}
    fpbx_db.execute(
        "INSERT INTO v_domain_settings (domain_setting_uuid, domain_uuid, "
        "domain_setting_category, domain_setting_subcategory, domain_setting_name, "
        "domain_setting_value, domain_setting_enabled) VALUES (gen_random_uuid(), :d, "
        "'domain', 'time_zone', 'name', 'America/New_York', true)", d=tenants.a.domain_uuid)
    client = client.application.test_client()
    body = listed(client, tenants, "?start_date=2024-01-17&end_date=2024-01-17")
    # 23:30 UTC on the 17th is 18:30 in New York: still the 17th; the 10:00 UTC call too
    assert set(uuids(body)) == {cdrs["jan17_in"], cdrs["jan17_late"]}
    exact = listed(client, tenants, "?start_date=2024-01-17T23:00:00Z")
    assert uuids(exact) == [cdrs["jan17_late"]]


def test_filters(client, tenants, fpbx_db, cdrs):
    assert uuids(listed(client, tenants, "?direction=outbound")) == [cdrs["jan15_out"]]
    assert uuids(listed(client, tenants, "?hangup_cause=NO_ANSWER")) == [cdrs["jan16_missed"]]
    assert set(uuids(listed(client, tenants, "?answered=false"))) == {cdrs["jan16_missed"]}
    assert uuids(listed(client, tenants, "?min_duration=301")) == [cdrs["jan17_in"]]
    assert set(uuids(listed(client, tenants, "?max_duration=20"))) == {cdrs["jan16_missed"],
                                                                      cdrs["jan16_local"]}
    assert uuids(listed(client, tenants, "?caller_id=acme")) == [cdrs["jan16_missed"]]
    assert uuids(listed(client, tenants, "?caller_id=555000")) == [cdrs["jan16_missed"]]
    assert uuids(listed(client, tenants, "?caller_id=_co%20100%25")) == [cdrs["jan17_in"]]
    # extension: by number as caller or destination ...
    assert set(uuids(listed(client, tenants, "?extension=1001"))) == {
        cdrs["jan15_in"], cdrs["jan15_out"], cdrs["jan16_missed"], cdrs["jan17_in"],
        cdrs["jan17_late"]}
    # ... or by FusionPBX's extension_uuid link
    ext = client.post("/api/v1/extensions", json={"extension": "1009"},
                      headers=tenants.a.headers).json["data"]["extension_uuid"]
    linked = add_cdr(fpbx_db, tenants.a.domain_uuid, at=START, caller="x", dest="y",
                     extension_uuid=ext)
    assert uuids(listed(client, tenants, "?extension=1009")) == [linked]


def test_order(client, tenants, cdrs):
    assert uuids(listed(client, tenants, "?order=duration"))[0] == cdrs["jan16_local"]
    assert uuids(listed(client, tenants, "?order=-billsec"))[0] == cdrs["jan17_in"]
    assert uuids(listed(client, tenants, "?order=start_stamp"))[0] == cdrs["jan15_in"]


def test_cursor_walks_the_whole_range_without_offset(client, tenants, cdrs):
    seen, query = [], "?per_page=2"
    while True:
        body = listed(client, tenants, query)
        seen += uuids(body)
        cursor = body["pagination"].get("next_cursor")
        if not cursor:
            break
        query = f"?per_page=2&after={cursor}"
    assert seen == uuids(listed(client, tenants))
    by_duration, query = [], "?per_page=4&order=duration"
    body = listed(client, tenants, query)
    by_duration += uuids(body)
    body = listed(client, tenants, f"{query}&after={body['pagination']['next_cursor']}")
    assert by_duration + uuids(body) == uuids(listed(client, tenants, "?order=duration"))


def test_csv_export_streams_every_matching_row(client, tenants, cdrs):
    r = client.get("/api/v1/cdr?direction=inbound", buffered=True,
                   headers={**tenants.a.headers, "Accept": "text/csv"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert {row["xml_cdr_uuid"] for row in rows} == {
        cdrs["jan15_in"], cdrs["jan16_missed"], cdrs["jan17_in"], cdrs["jan17_late"]}
    assert rows[0]["start_stamp"] == "2024-01-17 23:30:00"


def test_csv_cells_a_spreadsheet_would_run_are_quoted(client, tenants, fpbx_db):
    """A caller chooses its caller-id name: '=HYPERLINK(…)' must reach a spreadsheet as
    text. A phone number with its sign stays as it is."""
    add_cdr(fpbx_db, tenants.a.domain_uuid, at=START, name='=HYPERLINK("http://x")',
            caller="+15551234567")
    r = client.get("/api/v1/cdr", buffered=True,
                   headers={**tenants.a.headers, "Accept": "text/csv"})
    row = next(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert row["caller_id_name"] == "'=HYPERLINK(\"http://x\")"
    assert row["caller_id_number"] == "+15551234567"


def test_get_one_in_full_and_isolated(client, tenants, cdrs):
    r = client.get(f"/api/v1/cdr/{cdrs['jan15_in']}", headers=tenants.a.headers)
    assert r.status_code == 200
    assert r.json["data"]["json"] == {"variables": {"x": 1}}
    assert r.json["data"]["start_stamp"] == "2024-01-15 10:00:00"
    assert client.get(f"/api/v1/cdr/{cdrs['other']}", headers=tenants.a.headers
                      ).status_code == 404
    other = client.get("/api/v1/cdr", headers=tenants.b.headers).json
    assert uuids(other) == [cdrs["other"]] and other["pagination"]["total"] == 1


@pytest.mark.parametrize("query, field", [
    ("?start_date=2024-13-01", "start_date"), ("?end_date=yesterday", "end_date"),
    ("?start_date=2024-01-17&end_date=2024-01-15", "end_date"),
    ("?direction=sideways", "direction"), ("?min_duration=-1", "min_duration"),
    ("?max_duration=lots", "max_duration"), ("?answered=maybe", "answered"),
    ("?order=caller_id_name", "order"), ("?after=garbage", "after"),
    ("?hangup_cause=normal clearing", "hangup_cause"), ("?extension=10%2001", "extension"),
    ("?caller_id=" + "x" * 65, "caller_id"), ("?per_page=500", "per_page"),
])
def test_bad_filter_values_are_400(client, tenants, cdrs, query, field):
    r = client.get(f"/api/v1/cdr{query}", headers=tenants.a.headers)
    assert r.status_code == 400, r.json
    assert field in [e["field"] for e in r.json["error"]["errors"]]


FORGED_CURSORS = [{}, [1, 2], True, None, ["abc", str(uuid.uuid4())], [1.5, str(uuid.uuid4())],
                  [True, str(uuid.uuid4())], [[1], str(uuid.uuid4())], [1, str(uuid.uuid4()), 3],
                  [{"a": 1}, str(uuid.uuid4())], [1, ["x"]]]


@pytest.mark.parametrize("order", ["duration", "-billsec", "start_stamp", "-start_stamp"])
def test_forged_cursors_are_400(client, tenants, cdrs, order):
    for forged in FORGED_CURSORS:
        cursor = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode()
        r = client.get(f"/api/v1/cdr?order={order}&after={cursor}", headers=tenants.a.headers)
        assert (r.status_code, r.json["error"]["errors"][0]["field"]) == (400, "after"), forged
