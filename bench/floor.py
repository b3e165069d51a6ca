"""The floor: what serving the benchmark's requests costs without the framework.

A bare WSGI app on the same gunicorn settings, running the same SQL through raw psycopg2
(and the same event-socket exchange for active calls) and answering the same JSON. It keeps
what any server of this API must do per request: look the presented key up (a SHA-256
digest, kept per worker for 30 s as the API keeps it, one query on a miss) and count the
request in Redis in one round trip. It leaves out validation, the ORM, the envelope's
schemas, ETags, request logging, the key's last-use write (once a minute a key) and the
switch's cache clear after a write. The API's throughput is reported as a fraction of
this one's, and its write latency as a multiple.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import threading
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs

import psycopg2
import redis

DSN = os.environ["FLOOR_DSN"]
ESL = os.environ.get("FLOOR_ESL", "")  # host:port:password
REDIS = redis.Redis.from_url(os.environ.get("FLOOR_REDIS", "redis://127.0.0.1:6379/0"))
KEY_SECONDS = 30
LIST_COLUMNS = ("extension_uuid, extension, number_alias, effective_caller_id_name, "
                "effective_caller_id_number, outbound_caller_id_name, "
                "outbound_caller_id_number, user_context, enabled, description")
CDR_COLUMNS = ("xml_cdr_uuid, direction, caller_id_name, caller_id_number, caller_destination, "
               "destination_number, start_stamp, answer_stamp, end_stamp, duration, billsec, "
               "hangup_cause, record_name, extension_uuid, status, leg, missed_call")
# the API's claim of a new number (fpbx_api/kit/numbers.py): every column holding a
# dialable number, in one statement
CLAIM = "SELECT number, source FROM (" + " UNION ALL ".join(
    f"SELECT {column}::varchar AS number, {n} AS source FROM {table} WHERE {column} IN "
    f"(%(number)s) AND domain_uuid = %(domain)s{extra}"
    for n, (table, column, extra) in enumerate([
        ("v_call_center_queues", "queue_extension", ""),
        ("v_call_flows", "call_flow_extension", ""),
        ("v_call_flows", "call_flow_feature_code", ""),
        ("v_conference_centers", "conference_center_extension", ""),
        ("v_conferences", "conference_extension", ""),
        ("v_destinations", "destination_number", " AND destination_type = 'local'"),
        ("v_extensions", "extension", ""),
        ("v_extensions", "number_alias", ""),
        ("v_fax", "fax_extension", ""),
        ("v_ivr_menus", "ivr_menu_extension", ""),
        ("v_ring_groups", "ring_group_extension", ""),
        ("v_dialplans", "dialplan_number",
         " AND app_uuid = '4b821450-926b-175a-af93-a03c441818b1'")])) + \
    ") AS claimed ORDER BY source LIMIT 1"
_local = threading.local()  # one connection a thread, as the API's pool gives a request
_keys: dict[str, tuple[float, str, str]] = {}  # digest: (looked up at, domain uuid, name)


def conn():
    if getattr(_local, "conn", None) is None or _local.conn.closed:
        _local.conn = psycopg2.connect(DSN)
        _local.conn.autocommit = True
    return _local.conn


def authenticate(environ) -> bool:
    """The key's domain (kept 30 s) and one Redis round trip counting the request."""
    digest = hashlib.sha256(environ.get("HTTP_X_API_KEY", "").encode()).hexdigest()
    known = _keys.get(digest)
    if known is None or known[0] < time.monotonic() - KEY_SECONDS:
        found = rows("SELECT k.domain_uuid::text AS uuid, d.domain_name AS name FROM v_api_keys k "
                     "JOIN v_domains d USING (domain_uuid) WHERE k.key_hash = %s AND "
                     "k.revoked_at IS NULL AND d.domain_enabled", (digest,))
        if not found:
            return False
        known = _keys[digest] = (time.monotonic(), found[0]["uuid"], found[0]["name"])
    _local.domain = known[1:]
    pipe = REDIS.pipeline(transaction=False)
    pipe.incr(f"floor:{digest[:32]}:{int(time.time() // 60)}")
    pipe.expire(f"floor:{digest[:32]}:{int(time.time() // 60)}", 60)
    pipe.execute()
    return True


def domain() -> str:
    return _local.domain[0]


def domain_name() -> str:
    return _local.domain[1]


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
    found = rows(f"SELECT {LIST_COLUMNS}, count(*) OVER () AS _total FROM v_extensions "
                 "WHERE domain_uuid = %s ORDER BY extension ASC NULLS LAST, extension_uuid "
                 "LIMIT %s OFFSET %s", (domain(), per_page, (page_no - 1) * per_page))
    total = found[0].pop("_total") if found else 0
    for r in found[1:]:
        del r["_total"]
    return page([{k: plain(v) for k, v in r.items()} for r in found], page_no, per_page, total)


def extension(uuid_):
    (ext,) = rows("SELECT * FROM v_extensions WHERE domain_uuid = %s AND extension_uuid = %s",
                  (domain(), uuid_))
    box = rows("SELECT voicemail_uuid, voicemail_id, voicemail_password, voicemail_mail_to, "
               "voicemail_enabled, voicemail_description FROM v_voicemails WHERE "
               "domain_uuid = %s AND voicemail_id = %s", (domain(), ext["extension"]))
    user = rows("SELECT u.user_uuid, u.username, c.contact_name_given, c.contact_name_family "
                "FROM v_users u JOIN v_extension_users eu ON eu.user_uuid = u.user_uuid "
                "LEFT JOIN v_contacts c ON c.contact_uuid = u.contact_uuid "
                "WHERE eu.extension_uuid = %s AND eu.domain_uuid = %s AND u.domain_uuid = %s",
                (uuid_, domain(), domain()))
    data = {k: plain(v) for k, v in ext.items() if k != "password"}
    data["voicemail"] = {k: plain(v) for k, v in box[0].items()} if box else None
    data["user"] = {"user_uuid": user[0]["user_uuid"], "username": user[0]["username"]} \
        if user else None
    return {"success": True, "data": data}


def create(body):
    """The statements the API sends for POST /extensions, in one transaction: the number's
    lock, its claim against every number column, the mailbox check, both inserts, the audit
    row."""
    ext_uuid, box_uuid, number = str(uuid.uuid4()), str(uuid.uuid4()), body["extension"]
    lock = int.from_bytes(hashlib.sha256(f"number:{domain()}:{number}".encode()).digest()[:8],
                          "big", signed=True)
    with conn().cursor() as cur:
        cur.execute("BEGIN")
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (lock,))
        cur.execute(CLAIM, {"domain": domain(), "number": number})
        cur.execute("INSERT INTO v_extensions (extension_uuid, domain_uuid, extension, password, "
                    "accountcode, user_context, limit_max, limit_destination, call_timeout, "
                    "extension_dialect, extension_voice, extension_type, enabled, "
                    "directory_visible, directory_exten_visible, call_screen_enabled, "
                    "force_ping, insert_date) VALUES (%s, %s, %s, %s, %s, %s, '5', "
                    "'!USER_BUSY', 30, 'us', 'callie', 'default', true, false, false, false, "
                    "false, now())", (ext_uuid, domain(), number, "x" * 20, domain_name(),
                                      domain_name()))
        cur.execute("SELECT * FROM v_voicemails WHERE domain_uuid = %s AND voicemail_id = %s",
                    (domain(), number))
        cur.execute("INSERT INTO v_voicemails (voicemail_uuid, domain_uuid, voicemail_id, "
                    "voicemail_password, voicemail_file, voicemail_local_after_email, "
                    "voicemail_enabled, insert_date) VALUES (%s, %s, %s, '12345678', 'attach', "
                    "true, true, now())", (box_uuid, domain(), number))
        cur.execute("SELECT * FROM v_voicemails WHERE voicemail_uuid = %s", (box_uuid,))
        audit(cur, "add", None, {"extensions": [{"extension_uuid": ext_uuid, "extension": number}],
                                 "voicemails": [{"voicemail_uuid": box_uuid}]})
        cur.execute("COMMIT")
    return {"success": True, "data": {"extension_uuid": ext_uuid, "extension": number}}


def delete(uuid_):
    """The statements the API sends for DELETE /extensions/{uuid}: the row, its children,
    its mailbox and the mailbox's children, the audit row."""
    with conn().cursor() as cur:
        cur.execute("BEGIN")
        cur.execute("SELECT * FROM v_extensions WHERE domain_uuid = %s AND extension_uuid = %s",
                    (domain(), uuid_))
        found = cur.fetchone()
        if found is None:
            cur.execute("ROLLBACK")
            return
        number = found[2]
        for table in ("v_extension_users", "v_extension_settings"):
            cur.execute(f"DELETE FROM {table} WHERE domain_uuid = %s AND extension_uuid = %s",
                        (domain(), uuid_))
        cur.execute("DELETE FROM v_ring_group_destinations WHERE domain_uuid = %s AND "
                    "destination_number IN (%s)", (domain(), number))
        cur.execute("SELECT voicemail_uuid FROM v_voicemails WHERE domain_uuid = %s AND "
                    "voicemail_id = %s", (domain(), number))
        box = cur.fetchone()
        if box:
            for table in ("v_voicemail_options", "v_voicemail_messages"):
                cur.execute(f"DELETE FROM {table} WHERE domain_uuid = %s AND voicemail_uuid = %s",
                            (domain(), box[0]))
            cur.execute("DELETE FROM v_voicemail_destinations WHERE domain_uuid = %s AND "
                        "(voicemail_uuid = %s OR voicemail_uuid_copy = %s)",
                        (domain(), box[0], box[0]))
        cur.execute("DELETE FROM v_voicemail_greetings WHERE domain_uuid = %s AND "
                    "voicemail_id = %s", (domain(), number))
        cur.execute("DELETE FROM v_extensions WHERE extension_uuid = %s", (uuid_,))
        if box:
            cur.execute("DELETE FROM v_voicemails WHERE voicemail_uuid = %s", (box[0],))
            cur.execute("SELECT * FROM v_voicemails WHERE voicemail_uuid = %s", (box[0],))
        audit(cur, "delete", {"extensions": [{"extension_uuid": uuid_}]}, None)
        cur.execute("COMMIT")


def audit(cur, kind, old, new):
    cur.execute("INSERT INTO v_database_transactions (domain_uuid, database_transaction_uuid, "
                "app_name, transaction_code, transaction_address, transaction_type, "
                "transaction_date, transaction_old, transaction_new, transaction_result, "
                "insert_date) VALUES (%s, %s, 'Extensions', '200', '127.0.0.1', %s, %s, %s, "
                "%s, %s, now())",
                (domain(), str(uuid.uuid4()), kind, datetime.now(UTC),
                 old and json.dumps(old, indent=4), new and json.dumps(new, indent=4),
                 json.dumps({"message": "OK", "code": "200"})))


def cdr(q):
    per_page, page_no = int(q.get("per_page", 50)), int(q.get("page", 1))
    where, params = ["domain_uuid = %s"], [domain()]
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
             for r in body.get("rows", []) if r["context"] == domain_name()]
    return page(calls[:50], 1, 50, len(calls))


def app(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    status = "200 OK"
    if not path.startswith("/api/v1/"):
        start_response("404 NOT FOUND", [])
        return [b""]
    if not authenticate(environ):
        start_response("401 UNAUTHORIZED", [])
        return [b""]
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
