"""A deliberately broken plugin: it forgets tenant scoping (it reads rows by uuid and
lists the whole table instead of going through fpbx_api.kit.scoping). The scenario kit
must catch it (tests/test_scenario_kit.py)."""

import uuid

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import select

from fpbx_api import db
from fpbx_api.fusionpbx.models import Gateway
from fpbx_api.http.envelope import Blueprint, Page, Result
from fpbx_api.http.errors import NotFound
from fpbx_api.kit.scoping import domain_uuid
from fpbx_api.plugins import Plugin

blp = Blueprint("leaky", __name__, url_prefix="/leaky-gateways", description="Broken")


class LeakySchema(ma.Schema):
    gateway_uuid = ma.fields.String(dump_only=True)
    gateway = ma.fields.String(required=True)
    description = ma.fields.String()


class LeakyUpdateSchema(LeakySchema):
    gateway = ma.fields.String()


@blp.route("")
class Leaky(MethodView):
    @blp.envelope(200, LeakySchema, paginated=True)
    def get(self):
        rows = list(db.session().scalars(select(Gateway)))  # BUG: every domain's rows
        return Page(rows, 1, 50, len(rows))

    @blp.arguments(LeakySchema)
    @blp.envelope(201, LeakySchema)
    def post(self, values):
        row = Gateway(gateway_uuid=str(uuid.uuid4()), domain_uuid=domain_uuid(), **values)
        db.session().add(row)
        db.session().commit()
        return Result(row)


@blp.route("/<uuid:gateway_uuid>")
class LeakyItem(MethodView):
    @blp.envelope(200, LeakySchema)
    def get(self, gateway_uuid):
        row = db.session().get(Gateway, str(gateway_uuid))  # BUG: no domain check
        if row is None:
            raise NotFound("not found")
        return row

    @blp.arguments(LeakyUpdateSchema)
    @blp.envelope(200, LeakySchema)
    def put(self, values, gateway_uuid):
        row = db.session().get(Gateway, str(gateway_uuid))  # BUG
        if row is None:
            raise NotFound("not found")
        for key, value in values.items():
            setattr(row, key, value)
        db.session().commit()
        return row

    @blp.no_content()
    def delete(self, gateway_uuid):
        row = db.session().get(Gateway, str(gateway_uuid))  # BUG
        if row is None:
            raise NotFound("not found")
        db.session().delete(row)
        db.session().commit()


plugin = Plugin(name="leaky", blueprint=blp, version="0.0.1")
