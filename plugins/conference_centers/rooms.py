"""How FusionPBX writes a conference room (``app/conference_centers/
conference_room_edit.php``): a row the conference_center Lua app
(``app/switch/resources/scripts/app/conference_center/index.lua``) reads from the
database when a caller keys in a PIN; no dialplan of its own and nothing cached, so a
write clears no key (FusionPBX's edit page, toggle and delete clear none either)."""

from __future__ import annotations

from fpbx_api_plugins.conference_centers import schemas
from fpbx_api_plugins.conference_centers.centers import DEFAULT_PIN_LENGTH
from sqlalchemy import delete, or_, select

from fpbx_api import db
from fpbx_api.fusionpbx.models import ConferenceCenter, ConferenceRoom, ConferenceRoomUser, User
from fpbx_api.fusionpbx.passwords import generate_password
from fpbx_api.fusionpbx.rows import new_uuid, now
from fpbx_api.http.errors import Duplicate, validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.accountcodes import check_account_code
from fpbx_api.kit.events import on
from fpbx_api.kit.resource import Resource, columns
from fpbx_api.kit.scoping import domain_uuid, scoped

PINS = ("moderator_pin", "participant_pin")


class Rooms(Resource):
    noun = Noun("a conference room")
    path = "/rooms"
    model = ConferenceRoom
    app_name, app_uuid = "conference_centers", "8d083f5a-f726-42a8-9ffa-8d28f848f10e"
    list_spec = ListSpec(
        ConferenceRoom,
        filters=["conference_center_uuid", "conference_room_name", "profile", "enabled"],
        search=["conference_room_name", "description"],
        sort=["conference_room_name", "profile", "max_members"],
    )
    list_schema = schemas.RoomListItemSchema
    detail_schema = schemas.RoomSchema
    schema = schemas.ConferenceRoomWriteSchema
    virtual_fields = frozenset({"user_uuid"})
    references = {"user_uuid": User}
    secrets = PINS

    def defaults(self, values):
        return {"profile": "default", "max_members": 0, "enabled": True,
                "created": f"{now():%Y-%m-%d %H:%M:%S.%f}+00"}

    def check(self, values, row=None):
        center = self._center(values, row)
        values.setdefault("conference_center_uuid", center.conference_center_uuid)
        check_account_code(values.get("account_code"), field="account_code")
        self._check_pins(values, row, int(center.conference_center_pin_length or 0)
                         or DEFAULT_PIN_LENGTH)

    @staticmethod
    def _center(values, row) -> ConferenceCenter:
        """The room's center: the one given, else the stored one, else (a new room) the
        domain's first by name, which FusionPBX's form preselects."""
        stmt = scoped(ConferenceCenter)
        if values.get("conference_center_uuid"):
            stmt = stmt.where(ConferenceCenter.conference_center_uuid
                              == values["conference_center_uuid"])
        elif row is not None:
            stmt = stmt.where(ConferenceCenter.conference_center_uuid
                              == row.conference_center_uuid)
        center = db.session().scalars(stmt.order_by(
            ConferenceCenter.conference_center_name, ConferenceCenter.conference_center_uuid)
        ).first()
        if center is None:
            raise validation_error("conference_center_uuid",
                                   "No such conference center in this domain."
                                   if values.get("conference_center_uuid") else
                                   "Create a conference center first.")
        return center

    def _check_pins(self, values, row, length: int) -> None:
        """FusionPBX's rules: a PIN not given is generated (on create), every PIN is used
        by one room of the domain only, moderator and participant differ, and each has
        the center's length at least. Pins are held until the transaction ends."""
        if row is None:
            for field in PINS:
                if not values.get(field):
                    values[field] = self._free_pin(length, values)
        pins = {f: values[f] for f in PINS if values.get(f)}
        stored = {f: getattr(row, f) for f in PINS} if row is not None else {}
        final = {**stored, **pins}
        if final.get("moderator_pin") and final.get("moderator_pin") == \
                final.get("participant_pin"):
            raise validation_error("participant_pin", "Must differ from moderator_pin.")
        for field, pin in pins.items():
            if len(pin) < length:
                raise validation_error(field, f"Use at least {length} digits (the "
                                       "center's PIN length).")
            db.lock(domain_uuid(), "conference_pin", pin)
            if self._pin_taken(pin, row):
                raise Duplicate("This PIN is used by another room of this domain",
                                field=field)

    def _pin_taken(self, pin: str, row) -> bool:
        stmt = scoped(ConferenceRoom).where(or_(ConferenceRoom.moderator_pin == pin,
                                                ConferenceRoom.participant_pin == pin))
        if row is not None:
            stmt = stmt.where(ConferenceRoom.conference_room_uuid != row.conference_room_uuid)
        return db.session().scalars(stmt).first() is not None

    def _free_pin(self, length: int, values: dict) -> str:
        """FusionPBX's get_conference_pin: random digits no room of the domain uses."""
        while True:
            pin = generate_password(length, 1)
            if pin not in values.values() and not self._pin_taken(pin, None):
                return pin

    def written(self, row, values, before):
        if values.get("user_uuid") and not db.session().scalars(
                self._users(row).where(ConferenceRoomUser.user_uuid == values["user_uuid"])
        ).first():
            db.session().add(ConferenceRoomUser(
                conference_room_user_uuid=new_uuid(), domain_uuid=domain_uuid(),
                conference_room_uuid=row.conference_room_uuid, user_uuid=values["user_uuid"],
                insert_date=now()))
        return {}

    def removing(self, row):
        """v_conference_room_users, as conference_centers::delete_conference_rooms."""
        db.session().execute(delete(ConferenceRoomUser).where(
            ConferenceRoomUser.domain_uuid == domain_uuid(),
            ConferenceRoomUser.conference_room_uuid == row.conference_room_uuid))

    def detail(self, row):
        data = columns(row)
        data["users"] = [u.user_uuid for u in db.session().scalars(self._users(row))]
        return data

    @staticmethod
    def _users(row):
        return select(ConferenceRoomUser).where(
            ConferenceRoomUser.domain_uuid == domain_uuid(),
            ConferenceRoomUser.conference_room_uuid == row.conference_room_uuid)


@on("user.deleted")
def forget_user(user: User) -> None:
    """A deleted user's room assignments (FusionPBX's user delete leaves them)."""
    db.session().execute(delete(ConferenceRoomUser).where(
        ConferenceRoomUser.domain_uuid == domain_uuid(),
        ConferenceRoomUser.user_uuid == user.user_uuid))
