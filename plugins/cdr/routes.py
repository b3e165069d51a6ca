"""HTTP routes for /api/v1/cdr: pages, a cursor, and CSV exports streamed from the
database."""

from __future__ import annotations

import csv
import io
import re

from flask import Response, request, stream_with_context
from flask.views import MethodView
from fpbx_api_plugins.cdr import query
from fpbx_api_plugins.cdr.schemas import CdrArgs, CdrDetailSchema, CdrSchema

from fpbx_api import db
from fpbx_api.fusionpbx.models import XmlCdr
from fpbx_api.http.envelope import Blueprint, Page
from fpbx_api.http.listing import page_bounds
from fpbx_api.http.openapi import operation
from fpbx_api.kit.resource import columns
from fpbx_api.kit.scoping import get_or_404

blp = Blueprint("cdr", __name__, url_prefix="/cdr",
                description="Call detail records: filters, cursor paging, CSV export")
CSV_DOC = {"200": {"content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/CdrPageEnvelope"}},
    "text/csv": {"schema": {"type": "string"}}},
    "description": "A page of records; with Accept: text/csv, every matching record (no "
                   "paging), streamed"}}


@blp.route("")
class Cdrs(MethodView):
    @operation("list", "call detail records")
    @blp.arguments(CdrArgs, location="query")
    @blp.envelope(200, CdrSchema, paginated=True)
    @blp.doc(responses=CSV_DOC)
    def get(self, args):
        """List the domain's call detail records (newest first)

        Filters combine. Dates are whole days in the domain's time zone unless a time is
        given. `after` reads the next page by key, cheaply at any depth; `Accept:
        text/csv` streams the whole selection.
        """
        stmt = query.filtered(args)
        if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
            return export(stmt, args)
        page, per_page = page_bounds(args)
        rows_stmt = query.ordered(stmt.with_only_columns(*query.LIST_COLUMNS), args)
        if args.get("after"):
            rows_stmt = query.after(rows_stmt, args, args["after"])
        else:
            rows_stmt = rows_stmt.offset((page - 1) * per_page)
        rows = db.session().execute(rows_stmt.limit(per_page)).all()
        fmt = query.formatter()
        cursor = query.cursor_for(rows[-1], args) if len(rows) == per_page else None
        return Page([fmt(r) for r in rows], page, per_page, query.count(stmt), cursor)


@blp.route("/<uuid:xml_cdr_uuid>")
class CdrItem(MethodView):
    @operation("get", "call detail record")
    @blp.envelope(200, CdrDetailSchema)
    def get(self, xml_cdr_uuid):
        """One call detail record in full, with FreeSWITCH's JSON document"""
        row = get_or_404(XmlCdr, str(xml_cdr_uuid), "Call detail record")
        data = columns(row)
        stamps = query.formatter()(row)
        data.update({k: stamps[k] for k in ("start_stamp", "answer_stamp", "end_stamp")})
        data["json"], data["call_flow"] = row.json, row.call_flow
        return data


def export(stmt, args) -> Response:
    """Every matching row as CSV, read with a server-side cursor in chunks."""
    fmt = query.formatter()
    names = list(CdrSchema._declared_fields)
    session = db.streaming_session()

    def lines():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore")
        writer.writeheader()
        try:
            result = session.execute(query.ordered(
                stmt.with_only_columns(*query.LIST_COLUMNS), args
            ).execution_options(yield_per=2000))
            for chunk in result.partitions():
                for row in chunk:
                    writer.writerow({k: _csv(v) for k, v in fmt(row).items()})
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            yield buffer.getvalue()
        finally:
            session.close()  # end the read transaction as soon as the export ends

    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=cdr.csv"})


# What a spreadsheet runs as a formula; a plain signed number (+15551234567) is data.
FORMULA = re.compile(r"[=@\t\r]|[+-](?![0-9.]*$)")


def _csv(value):
    """Booleans as FusionPBX writes them elsewhere in the API; text that a spreadsheet
    would run as a formula (a caller sets its own caller-id name: ``=HYPERLINK(…)``)
    starts with a quote, as OWASP's CSV-injection advice has it; a phone number in
    E.164 (``+15551234567``) stays as it is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value
