"""The floor: what serving the benchmark's requests costs without the framework.

A bare WSGI app on the same gunicorn settings, running the same SQL through raw psycopg2
(and the same event-socket exchange for active calls) and answering the same JSON, with
no auth, validation, rate limiting or ORM. The API's throughput is reported as a
fraction of this one's.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import uuid
from datetime import datetime
from urllib.parse import parse_qs

import psycopg2

DSN = os.environ["FLOOR_DSN"]
DOMAIN = os.environ["FLOOR_DOMAIN_UUID"]
DOMAIN_NAME = os.environ.get("FLOOR_DOMAIN_NAME", "")
ESL = os.environ.get("FLOOR_ESL", "")  # host:port:password
LIST_COLUMNS = ("extension_uuid, extension, number_alias, effective_caller_id_name, "
                "effective_caller_id_number, outbound_caller_id_name, "
                "outbound_caller_id_number, user_context, enabled, description")
CDR_COLUMNS = ("xml_cdr_uuid, direction, caller_id_name, caller_id_number, caller_destination, "
               "destination_number, start_stamp, answer_stamp, end_stamp, duration, billsec, "
               "hangup_cause, record_name, extension_uuid, status, leg, missed_call")
_conn = None


def conn():
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg2.connect(DSN)
        _conn.autocommit = True
    return _conn


def rows(sql, params=()):
    with conn().cursor() as cur:
        cur.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def plain(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if hasattr(value, "as_integer_ratio") and not isinstance(value, float):
        return int(value)
    return None if value is None else str(value) if isinstance(value, uuid.UUID) else value


def page(items, page_no, per_page, total):
    return {"success": True, "data": items, "pagination": {
        "page": page_no, "per_page": per_page, "total": total,
        "total_pages": -(-total // per_page) if total else 0}}


def extensions(q):
    per_page, page_no = int(q.get("per_page", 50)), int(q.get("page", 1))
    total = rows("SELECT count(*) AS n FROM v_extensions WHERE domain_uuid = %s", (DOMAIN,))[0]
    found = rows(f"SELECT {LIST_COLUMNS} FROM v_extensions WHERE domain_uuid = %s ORDER BY "
                 "extension ASC NULLS LAST, extension_uuid LIMIT %s OFFSET %s",
                 (DOMAIN, per_page, (page_no - 1) * per_page))
    return page([{k: plain(v) for k, v in r.items()} for r in found], page_no, per_page,
                total["n"])


def extension(uuid_):
    (ext,) = rows("SELECT * FROM v_extensions WHERE domain_uuid = %s AND extension_uuid = %s",
                  (DOMAIN, uuid_))
    box = rows("SELECT voicemail_uuid, voicemail_id, voicemail_password, voicemail_mail_to, "
               "voicemail_enabled, voicemail_description FROM v_voicemails WHERE "
               "domain_uuid = %s AND voicemail_id = %s", (DOMAIN, ext["extension"]))
    data = {k: plain(v) for k, v in ext.items() if k != "password"}
    data["voicemail"] = {k: plain(v) for k, v in box[0].items()} if box else None
    data["user"] = None
    return {"success": True, "data": data}


def create(body):
    ext_uuid, box_uuid = str(uuid.uuid4()), str(uuid.uuid4())
    with conn().cursor() as cur:
        cur.execute("BEGIN")
        cur.execute("INSERT INTO v_extensions (extension_uuid, domain_uuid, extension, password, "
                    "user_context, enabled, insert_date) VALUES (%s, %s, %s, %s, %s, true, now())",
                    (ext_uuid, DOMAIN, body["extension"], "x" * 20, DOMAIN_NAME))
        cur.execute("INSERT INTO v_voicemails (voicemail_uuid, domain_uuid, voicemail_id, "
                    "voicemail_password, insert_date) VALUES (%s, %s, %s, '12345678', now())",
                    (box_uuid, DOMAIN, body["extension"]))
        cur.execute("COMMIT")
    return {"success": True, "data": {"extension_uuid": ext_uuid}}


def delete(uuid_):
    with conn().cursor() as cur:
        cur.execute("BEGIN")
        cur.execute("DELETE FROM v_voicemails WHERE domain_uuid = %s AND voicemail_id = (SELECT "
                    "extension FROM v_extensions WHERE extension_uuid = %s)", (DOMAIN, uuid_))
        cur.execute("DELETE FROM v_extensions WHERE domain_uuid = %s AND extension_uuid = %s",
                    (DOMAIN, uuid_))
        cur.execute("COMMIT")


def cdr(q):
    per_page, page_no = int(q.get("per_page", 50)), int(q.get("page", 1))
    where, params = ["domain_uuid = %s"], [DOMAIN]
    if "start_date" in q:
        where.append("start_stamp >= %s::date")
        params.append(q["start_date"])
    if "end_date" in q:
        where.append("start_stamp < %s::date + 1")
        params.append(q["end_date"])
    if "caller_id" in q:
        where.append("(caller_id_name ILIKE %s OR caller_id_number ILIKE %s)")
        params += [f"%{q['caller_id']}%"] * 2
    clause = " AND ".join(where)
    total = rows(f"SELECT count(*) AS n FROM v_xml_cdr WHERE {clause}", params)[0]["n"]
    keyset, offset = "", (page_no - 1) * per_page
    if "after" in q:
        stamp, key = json.loads(base64.urlsafe_b64decode(q["after"].encode()))
        keyset, offset = " AND (start_stamp, xml_cdr_uuid) < (%s, %s)", 0
        params += [stamp, key]
    found = rows(f"SELECT {CDR_COLUMNS} FROM v_xml_cdr WHERE {clause}{keyset} ORDER BY "
                 "start_stamp DESC NULLS LAST, xml_cdr_uuid DESC LIMIT %s OFFSET %s",
                 [*params, per_page, offset])
    items = [{k: plain(v) for k, v in r.items()} for r in found]
    return page(items, page_no, per_page, total)


def active_calls():
    host, port, password = ESL.split(":")
    sock = socket.create_connection((host, int(port)), timeout=2)
    stream = sock.makefile("rb")

    def frame():
        headers = {}
        while (line := stream.readline().decode().rstrip("\n")):
            name, _, value = line.partition(": ")
            headers[name] = value
        return stream.read(int(headers.get("Content-Length", 0))).decode()

    frame()
    sock.sendall(f"auth {password}\n\n".encode())
    frame()
    sock.sendall(b"api show channels as json\n\n")
    body = json.loads(frame())
    sock.close()
    now = int(time.time())
    calls = [{"call_uuid": r["uuid"], "caller_id_name": r["cid_name"],
              "caller_id_number": r["cid_num"], "destination_number": r["dest"],
              "call_direction": r["direction"], "call_state": r["state"],
              "created_epoch": int(r["created_epoch"]),
              "duration": now - int(r["created_epoch"])}
             for r in body.get("rows", []) if r["context"] == DOMAIN_NAME]
    return page(calls[:50], 1, 50, len(calls))


def app(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    status = "200 OK"
    if path == "/api/v1/extensions" and method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        result, status = create(json.loads(environ["wsgi.input"].read(length))), "201 CREATED"
    elif path == "/api/v1/extensions":
        result = extensions(q)
    elif path.startswith("/api/v1/extensions/") and method == "DELETE":
        delete(path.rsplit("/", 1)[1])
        start_response("204 NO CONTENT", [])
        return [b""]
    elif path.startswith("/api/v1/extensions/"):
        result = extension(path.rsplit("/", 1)[1])
    elif path == "/api/v1/cdr":
        result = cdr(q)
    elif path == "/api/v1/active-calls":
        result = active_calls()
    else:
        start_response("404 NOT FOUND", [])
        return [b""]
    body = json.dumps(result).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
    return [body]
