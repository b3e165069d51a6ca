"""Deliberately buggy routes, each of a kind the reliability suite must catch
(tests/test_planted_bugs.py): an unguarded int() on a query parameter, and an
event-socket read with no deadline."""

import socket

import marshmallow as ma
from flask import current_app, request
from flask.views import MethodView

from fpbx_api.http.envelope import Blueprint
from fpbx_api.plugins import Plugin

blp = Blueprint("planted", __name__, url_prefix="/planted", description="Broken on purpose")


class CountSchema(ma.Schema):
    count = ma.fields.Integer()


@blp.route("/count")
class Count(MethodView):
    @blp.envelope(200, CountSchema)
    def get(self):
        return {"count": int(request.args.get("limit", "10"))}  # BUG: unguarded int()


@blp.route("/switch-status")
class SwitchStatus(MethodView):
    @blp.envelope(200, CountSchema)
    def get(self):
        switch = current_app.config["FPBX"]["freeswitch"]["switches"][0]
        conn = socket.create_connection((switch["host"], switch["port"]))
        greeting = conn.recv(4096)  # BUG: no deadline; a silent switch hangs the worker
        return {"count": len(greeting)}


plugin = Plugin(name="planted", blueprint=blp, version="0.0.1")
