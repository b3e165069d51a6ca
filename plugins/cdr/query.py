"""CDR queries built for tables of millions of rows: every filter and order that a
report uses is served by an index of ``fpbx-api db indexes`` (domain + start time,
domain + extension + start time, trigram caller id), and the cursor reads the next
page by key instead of by OFFSET (``v_xml_cdr``, filled by FusionPBX's xml_cdr service)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, time, timedelta
from uuid import UUID

from sqlalchemy import Select, and_, func, or_, select, tuple_

from fpbx_api import db
from fpbx_api.fusionpbx.models import Extension, XmlCdr
from fpbx_api.fusionpbx.settings import domain_time_zone
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import LIKE_ESCAPE
from fpbx_api.kit.scoping import scoped

ORDERS = {"start_stamp": XmlCdr.start_stamp, "duration": XmlCdr.duration,
          "billsec": XmlCdr.billsec}
LIST_COLUMNS = [XmlCdr.xml_cdr_uuid, XmlCdr.direction, XmlCdr.caller_id_name,
                XmlCdr.caller_id_number, XmlCdr.caller_destination, XmlCdr.destination_number,
                XmlCdr.start_stamp, XmlCdr.answer_stamp, XmlCdr.end_stamp, XmlCdr.duration,
                XmlCdr.billsec, XmlCdr.hangup_cause, XmlCdr.record_name, XmlCdr.extension_uuid,
                XmlCdr.status, XmlCdr.leg, XmlCdr.missed_call]


def bounds(args: dict) -> tuple[datetime | None, datetime | None]:
    """start_date/end_date as instants: a bare date is a whole day in the domain's time
    zone, both ends inclusive; a date-time with an offset is exact."""
    zone = domain_time_zone() or datetime.now().astimezone().tzinfo

    def instant(value, end: bool):
        if value is None:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=zone)
        try:
            day = value + timedelta(days=1) if end else value
        except OverflowError:  # the day after 9999-12-31
            raise validation_error("end_date", "Must be before 9999-12-31.") from None
        return datetime.combine(day, time.min, tzinfo=zone)

    return instant(args.get("start_date"), False), instant(args.get("end_date"), True)


def filtered(args: dict) -> Select:
    """The domain's CDRs matching every filter given (no order, no page)."""
    stmt = scoped(XmlCdr)
    start, end = bounds(args)
    if start and end and end <= start:
        raise validation_error("end_date", "Must not be before start_date.")
    if start:
        stmt = stmt.where(XmlCdr.start_stamp >= start)
    if end:
        stmt = stmt.where(XmlCdr.start_stamp < end)
    for name in ("direction", "hangup_cause", "status", "leg"):
        if args.get(name):
            stmt = stmt.where(getattr(XmlCdr, name) == args[name])
    if args.get("extension"):
        stmt = stmt.where(_extension(args["extension"]))
    if args.get("caller_id"):
        term = "".join(LIKE_ESCAPE + c if c in "%_\\" else c for c in args["caller_id"])
        pattern = f"%{term}%"
        stmt = stmt.where(or_(XmlCdr.caller_id_name.ilike(pattern, escape=LIKE_ESCAPE),
                              XmlCdr.caller_id_number.ilike(pattern, escape=LIKE_ESCAPE)))
    if args.get("min_duration") is not None:
        stmt = stmt.where(XmlCdr.duration >= args["min_duration"])
    if args.get("max_duration") is not None:
        stmt = stmt.where(XmlCdr.duration <= args["max_duration"])
    if args.get("answered") is True:
        stmt = stmt.where(XmlCdr.billsec > 0)
    elif args.get("answered") is False:
        stmt = stmt.where(or_(XmlCdr.billsec == 0, XmlCdr.billsec.is_(None)))
    return stmt


def _extension(number: str):
    """Calls to or from an extension: FusionPBX's extension_uuid link, or the number as
    caller or destination."""
    uuids = select(Extension.extension_uuid).where(
        Extension.domain_uuid == XmlCdr.domain_uuid,
        or_(Extension.extension == number, Extension.number_alias == number))
    return or_(XmlCdr.extension_uuid.in_(uuids.scalar_subquery()),
               XmlCdr.caller_id_number == number, XmlCdr.destination_number == number)


def ordered(stmt: Select, args: dict) -> Select:
    """PostgreSQL's own null order (last going up, first going down), so that the
    (domain_uuid, start_stamp DESC, xml_cdr_uuid DESC) index serves the order too."""
    column, descending = order_of(args)
    if descending:
        return stmt.order_by(column.desc(), XmlCdr.xml_cdr_uuid.desc())
    return stmt.order_by(column.asc(), XmlCdr.xml_cdr_uuid.asc())


def order_of(args: dict):
    name = args.get("order") or "-start_stamp"
    return ORDERS[name.removeprefix("-")], name.startswith("-")


def count(stmt: Select) -> int:
    return db.session().scalar(select(func.count()).select_from(
        stmt.with_only_columns(XmlCdr.xml_cdr_uuid).order_by(None).subquery()))


def after(stmt: Select, args: dict, cursor: str) -> Select:
    """Rows past the cursor's row in the current order (keyset: no OFFSET scan). NULLs
    come first going down and last going up, as ``ordered`` sorts them."""
    value, key = read_cursor(cursor, args_order(args))
    column, descending = order_of(args)
    uuid_col, nulls = XmlCdr.xml_cdr_uuid, column.is_(None)
    if value is None:
        past_nulls = and_(nulls, uuid_col < key if descending else uuid_col > key)
        return stmt.where(or_(past_nulls, column.is_not(None)) if descending else past_nulls)
    pair = tuple_(column, uuid_col)
    return stmt.where(pair < (value, key) if descending else or_(pair > (value, key), nulls))


def read_cursor(cursor: str, order: str) -> tuple:
    """The (value, uuid) pair ``cursor_for`` wrote, each of the type its column takes: a
    cursor is the client's input, and a forged one must be a 400, not a value of the
    wrong type in the SQL."""
    try:
        pair = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)):
            raise ValueError
        value, key = pair[0], str(UUID(pair[1]))
        if value is None:
            return None, key
        if order == "start_stamp":
            return datetime.fromisoformat(value), key
        if type(value) is not int:
            raise ValueError
        return value, key
    except (ValueError, TypeError):
        raise validation_error("after", "Not a cursor returned by this list.") from None


def args_order(args: dict) -> str:
    return (args.get("order") or "-start_stamp").removeprefix("-")


def cursor_for(row, args: dict) -> str:
    value = getattr(row, args_order(args))
    if isinstance(value, datetime):
        value = value.isoformat()
    elif value is not None:
        value = int(value)
    raw = json.dumps([value, str(row.xml_cdr_uuid)]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def formatter():
    """A function turning a row into the contract's fields, in the domain's time zone."""
    zone = domain_time_zone()

    def stamp(value: datetime | None) -> str | None:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if value else None

    def number(value):
        return None if value is None else int(value)

    def row_out(row) -> dict:
        return {
            "xml_cdr_uuid": str(row.xml_cdr_uuid), "direction": row.direction,
            "caller_id_name": row.caller_id_name, "caller_id_number": row.caller_id_number,
            "caller_destination": row.caller_destination,
            "destination_number": row.destination_number,
            "start_stamp": stamp(row.start_stamp), "answer_stamp": stamp(row.answer_stamp),
            "end_stamp": stamp(row.end_stamp), "duration": number(row.duration),
            "billsec": number(row.billsec), "hangup_cause": row.hangup_cause,
            "recording_file": row.record_name,
            "extension_uuid": str(row.extension_uuid) if row.extension_uuid else None,
            "status": row.status, "leg": row.leg, "missed_call": bool(row.missed_call),
        }

    return row_out

