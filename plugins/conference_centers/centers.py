"""How FusionPBX writes a conference center
(``app/conference_centers/conference_center_edit.php``): the row and a v_dialplans row
whose XML hands callers to the conference_center Lua app, which asks for a room's PIN."""

from __future__ import annotations

from fpbx_api_plugins.conference_centers import schemas
from sqlalchemy import delete, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import (
    number_expression,
    sanitize,
    save_dialplan,
)
from fpbx_api.fusionpbx.models import (
    ConferenceCenter,
    ConferenceRoom,
    ConferenceRoomUser,
)
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Resource
from fpbx_api.kit.scoping import domain_name, domain_uuid

# FusionPBX writes center dialplans with the conferences app's uuid, not its own.
APP_UUID = "b81412e8-7253-91f4-e48e-42fc2c9a38d9"
# The app's own (app/conference_centers/app_config.php, the conference_centers class's
# app_uuid): a dialplan carrying it is a center's too.
CENTER_APP_UUID = "8d083f5a-f726-42a8-9ffa-8d28f848f10e"
DIALPLAN_ORDER = 333
DEFAULT_PIN_LENGTH = 9  # conference_room_edit.php's length when a center has none


class Centers(Resource):
    noun = Noun("a conference center")
    path = "/centers"
    model = ConferenceCenter
    dialplan_apps = (APP_UUID, CENTER_APP_UUID)
    app_name, app_uuid = "conference_centers", "8d083f5a-f726-42a8-9ffa-8d28f848f10e"
    dialplan = "dialplan_uuid"
    list_spec = ListSpec(
        ConferenceCenter,
        filters=["conference_center_extension", "conference_center_name",
                 "conference_center_enabled"],
        search=["conference_center_name", "conference_center_extension",
                "conference_center_description"],
        sort=["conference_center_name", "conference_center_extension"],
    )
    list_schema = schemas.CenterListItemSchema
    detail_schema = schemas.CenterSchema
    schema = schemas.ConferenceCenterWriteSchema
    numbers = ("conference_center_extension",)

    def defaults(self, values):
        return {"conference_center_pin_length": DEFAULT_PIN_LENGTH,
                "conference_center_enabled": True}

    def check(self, values, row=None):
        if "conference_center_name" in values and not values["conference_center_name"]:
            raise validation_error("conference_center_name", "Must not be empty.")

    def written(self, row, values, before):
        """The dialplan row, rebuilt on every save as FusionPBX does."""
        dialplan = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUID, name=row.conference_center_name,
            number=row.conference_center_extension, context=domain_name(),
            order=DIALPLAN_ORDER, enabled=row.conference_center_enabled,
            description=row.conference_center_description,
            xml=lambda uuid: dialplan_xml(row, uuid))
        row.dialplan_uuid = dialplan.dialplan_uuid
        return {}

    def removing(self, row):
        """The center's rooms with their users (its dialplan goes as in
        conference_centers::delete_conference_centers): FusionPBX's list only offers to
        delete a center without rooms, and rows written around it would be left pointing
        at nothing."""
        session = db.session()
        rooms = select(ConferenceRoom.conference_room_uuid).where(
            ConferenceRoom.domain_uuid == domain_uuid(),
            ConferenceRoom.conference_center_uuid == row.conference_center_uuid)
        session.execute(delete(ConferenceRoomUser).where(
            ConferenceRoomUser.domain_uuid == domain_uuid(),
            ConferenceRoomUser.conference_room_uuid.in_(rooms)))
        session.execute(delete(ConferenceRoom).where(
            ConferenceRoom.domain_uuid == domain_uuid(),
            ConferenceRoom.conference_center_uuid == row.conference_center_uuid))


def dialplan_xml(row: ConferenceCenter, dialplan_uuid: str) -> str:
    """The exact snippet conference_center_edit.php writes: with a 2- or 3-digit PIN
    length, the number followed by the PIN is answered too."""
    number = number_expression(row.conference_center_extension)[1:-1]
    length = int(row.conference_center_pin_length or 0)
    lines = [f'<extension name="{sanitize(row.conference_center_name)}" continue="" '
             f'uuid="{sanitize(dialplan_uuid)}">']
    if 1 < length < 4:
        lines += [
            f'\t<condition field="destination_number" expression="^({sanitize(number)})'
            f'(\\d{{{length}}})$" break="on-true">',
            '\t\t<action application="set" data="destination_number=$1"/>',
            '\t\t<action application="set" data="pin_number=$2"/>',
            '\t\t<action application="lua" data="app.lua conference_center"/>',
            "\t</condition>",
        ]
    lines += [
        f'\t<condition field="destination_number" expression="^{sanitize(number)}$">',
        '\t\t<action application="lua" data="app.lua conference_center"/>',
        "\t</condition>",
        "</extension>",
    ]
    return "\n".join(lines) + "\n"
