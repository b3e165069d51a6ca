"""A third-party-style plugin: a system-wide resource and a route that fails."""

import marshmallow as ma
from flask.views import MethodView

from fpbx_api.http.envelope import Blueprint
from fpbx_api.plugins import Plugin

blp = Blueprint("notes", __name__, url_prefix="/notes", description="Test-only notes")


class NoteSchema(ma.Schema):
    text = ma.fields.String(required=True, metadata={"description": "The note"})


@blp.route("")
class Notes(MethodView):
    @blp.envelope(200, NoteSchema, many=True)
    def get(self):
        """List notes"""
        return [{"text": "hello"}]

    @blp.arguments(NoteSchema)
    @blp.envelope(201, NoteSchema)
    def post(self, note):
        """Add a note (system-wide: needs the system scope)"""
        return note


@blp.route("/boom")
class Boom(MethodView):
    @blp.envelope(200, NoteSchema)
    def get(self):
        """Fail unexpectedly"""
        raise RuntimeError("secret internals")


plugin = Plugin(name="notes", blueprint=blp, version="0.1.0", system_wide=True)
