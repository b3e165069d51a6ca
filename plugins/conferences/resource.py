"""How FusionPBX writes a conference (``app/conferences/conference_edit.php``): the row
and a v_dialplans row whose XML runs FreeSWITCH's conference application."""

from __future__ import annotations

import re

from fpbx_api_plugins.conferences import schemas
from sqlalchemy import case, delete, func, literal, select

from fpbx_api import db
from fpbx_api.fusionpbx.dialplans import (
    number_expression,
    sanitize,
    save_dialplan,
)
from fpbx_api.fusionpbx.models import (
    Conference,
    ConferenceProfile,
    ConferenceProfileParam,
    ConferenceUser,
    User,
)
from fpbx_api.http.errors import validation_error
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.accountcodes import check_account_code
from fpbx_api.kit.events import on
from fpbx_api.kit.resource import Resource
from fpbx_api.kit.scoping import domain_name, domain_uuid

# FusionPBX writes conference dialplans (and conference centers') with this app_uuid.
APP_UUID = "b81412e8-7253-91f4-e48e-42fc2c9a38d9"
DIALPLAN_ORDER = 333
# Contract fields kept as member flags in conference_flags: field -> flag.
FLAG_FIELDS = {"mute": "mute", "wait_mod": "wait-mod"}
# Contract fields kept in the conference profile's params: field -> param.
PROFILE_FIELDS = {"moderator_pin": "moderator-pin", "max_members": "max-members"}


@on("user.deleted")
def forget_user(user: User) -> None:
    """A deleted user's conference memberships (FusionPBX's user delete leaves them)."""
    db.session().execute(delete(ConferenceUser).where(
        ConferenceUser.domain_uuid == domain_uuid(), ConferenceUser.user_uuid == user.user_uuid))


def has_flag(flag: str):
    """SQL: conference_flags (a '|'-separated list) holds ``flag``."""
    flags = literal("|") + func.coalesce(Conference.conference_flags, "") + literal("|")
    return flags.like(f"%|{flag}|%")


def profile_param(param: str):
    """SQL: the value of ``param`` in the conference's profile (enabled params only)."""
    return (select(ConferenceProfileParam.profile_param_value)
            .join(ConferenceProfile, ConferenceProfile.conference_profile_uuid
                  == ConferenceProfileParam.conference_profile_uuid)
            .where(ConferenceProfile.profile_name == Conference.conference_profile,
                   ConferenceProfileParam.profile_param_name == param,
                   ConferenceProfileParam.profile_param_enabled.is_(True))
            .order_by(ConferenceProfileParam.conference_profile_param_uuid)
            .limit(1).correlate(Conference).scalar_subquery())


# The contract's fields FusionPBX keeps elsewhere, as SQL over a conference row: listed,
# filtered and shown by GET alike.
LIST_EXTRA = {
    **{field: has_flag(flag) for field, flag in FLAG_FIELDS.items()},
    "member_type": case((has_flag("moderator"), "moderator"), else_="participant"),
    **{field: profile_param(param) for field, param in PROFILE_FIELDS.items()},
}


class Conferences(Resource):
    noun = Noun("a conference")
    model = Conference
    dialplan_apps = (APP_UUID,)
    app_name, app_uuid = "conferences", "b81412e8-7253-91f4-e48e-42fc2c9a38d9"
    dialplan = "dialplan_uuid"  # FusionPBX clears the dialplan of the session's domain
    # conferences::delete (app/conferences/resources/classes/conferences.php) deletes its
    # members with it
    deletes_with = (ConferenceUser,)
    list_spec = ListSpec(
        Conference,
        filters=["conference_extension", "conference_name", "conference_profile",
                 "conference_enabled", "mute", "wait_mod", "member_type"],
        search=["conference_name", "conference_extension", "conference_description"],
        sort=["conference_name", "conference_extension", "conference_order",
              "conference_profile"],
        extra=LIST_EXTRA,
    )
    list_schema = schemas.ConferenceListItemSchema
    detail_schema = schemas.ConferenceSchema
    schema = schemas.ConferenceWriteSchema
    virtual_fields = frozenset({*FLAG_FIELDS, "member_type"})
    list_extra = LIST_EXTRA
    numbers = ("conference_extension",)
    # The PIN is also inside the dialplan XML (the conference application's data).
    secrets = ("conference_pin_number", "moderator_pin", "dialplan_xml")

    def prepare(self, values):
        """FusionPBX's clean-up of the name: letters, digits, spaces and '-' only."""
        if "conference_name" in values:
            values["conference_name"] = re.sub(r"[^A-Za-z0-9\- ]", "",
                                               values["conference_name"] or "").strip()
            if not values["conference_name"]:
                raise validation_error("conference_name", "Use letters, digits, spaces "
                                       "or '-'.")
        return values

    def defaults(self, values):
        return {"conference_context": domain_name(), "conference_profile": "default",
                "conference_enabled": True}

    def check(self, values, row=None):
        context = values.get("conference_context")
        if context is not None and context != domain_name():
            raise validation_error("conference_context", "Only the domain's own context "
                                   f"({domain_name()}) is accepted.")
        check_account_code(values.get("conference_account_code"),
                           field="conference_account_code")

    def written(self, row, values, before):
        """The contract's flag fields into conference_flags, then the dialplan row,
        rebuilt on every save as FusionPBX does."""
        row.conference_flags = with_flags(row.conference_flags, values)
        dialplan = save_dialplan(
            row.dialplan_uuid, app_uuid=APP_UUID, name=row.conference_name,
            number=row.conference_extension, context=row.conference_context,
            order=DIALPLAN_ORDER, enabled=row.conference_enabled,
            description=row.conference_description,
            xml=lambda uuid: dialplan_xml(row, uuid, domain_name()))
        row.dialplan_uuid = dialplan.dialplan_uuid
        return {}


def flag_set(flags: str | None) -> list[str]:
    return [f for f in (flags or "").split("|") if f]


def with_flags(flags: str | None, values: dict) -> str | None:
    """``flags`` with the contract's flag fields given in ``values`` set or cleared (the
    other flags kept, in their order)."""
    wanted = {flag: values[field] for field, flag in FLAG_FIELDS.items() if field in values}
    if "member_type" in values:
        wanted["moderator"] = values["member_type"] == "moderator"
    kept = [f for f in flag_set(flags) if wanted.get(f, True)]
    kept += [f for f, on in wanted.items() if on and f not in kept]
    return "|".join(kept) or None


def dialplan_xml(row: Conference, dialplan_uuid: str, domain: str) -> str:
    """The exact snippet FusionPBX's conference_edit.php writes."""
    pin = f"+{row.conference_pin_number}" if row.conference_pin_number else ""
    number = sanitize(row.conference_extension)
    return "\n".join([
        f'<extension name="{sanitize(row.conference_name)}" continue="" '
        f'uuid="{sanitize(dialplan_uuid)}">',
        f'\t<condition field="destination_number" '
        f'expression="{sanitize(number_expression(row.conference_extension))}">',
        '\t\t<action application="answer" data=""/>',
        f'\t\t<action application="set" data="conference_uuid='
        f'{sanitize(row.conference_uuid)}" inline="true"/>',
        f'\t\t<action application="set" data="conference_extension={number}" '
        'inline="true"/>',
        f'\t\t<action application="conference" data="{number}@{domain}@'
        f"{sanitize((row.conference_profile or '') + pin)}+flags{{'"
        f"{sanitize(row.conference_flags)}'}}\"/>",
        "\t</condition>",
        "</extension>",
    ]) + "\n"
