"""Conference profiles (``app/conference_profiles``): the settings FreeSWITCH's
conference.conf is built from, read live by FusionPBX's conference.conf.lua (nothing to
clear). System-wide: every tenant's conferences name them, so any key reads them and
only a key with the system scope writes them."""

from __future__ import annotations

from fpbx_api_plugins.conference_centers import schemas
from sqlalchemy import delete, select

from fpbx_api import db
from fpbx_api.fusionpbx.models import ConferenceProfile, ConferenceProfileParam
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Resource, columns


class Profiles(Resource):
    noun = Noun("a conference profile")
    path = "/profiles"
    scope = "system"
    model = ConferenceProfile
    app_name = "conference_profiles"
    list_spec = ListSpec(ConferenceProfile, filters=["profile_name", "profile_enabled"],
                         search=["profile_name", "profile_description"],
                         sort=["profile_name"])
    list_schema = schemas.ProfileListItemSchema
    detail_schema = schemas.ProfileSchema
    create_schema = schemas.ConferenceProfileCreateSchema
    update_schema = schemas.ConferenceProfileWriteSchema
    unique = ("profile_name",)

    def defaults(self, values):
        return {"profile_enabled": True}

    def detail(self, row):
        return {**columns(row), "params": list(db.session().scalars(
            params_of(row).order_by(ConferenceProfileParam.profile_param_name)))}

    def removing(self, row):
        """Its params, as conference_profiles::delete."""
        db.session().execute(delete(ConferenceProfileParam).where(
            ConferenceProfileParam.conference_profile_uuid == row.conference_profile_uuid))


class Params(Resource):
    """A profile's params, each addressed on its own (FusionPBX's
    conference_profile_param_edit.php edits one at a time)."""

    noun = Noun("a conference profile param")
    path = "/params"
    scope = "system"
    parent = Profiles
    parent_key = "conference_profile_uuid"
    model = ConferenceProfileParam
    app_name = "conference_profiles"
    list_spec = ListSpec(ConferenceProfileParam,
                         filters=["profile_param_name", "profile_param_enabled"],
                         search=["profile_param_name", "profile_param_value",
                                 "profile_param_description"],
                         sort=["profile_param_name"])
    list_schema = detail_schema = schemas.ParamSchema
    create_schema = schemas.ConferenceProfileParamCreateSchema
    update_schema = schemas.ConferenceProfileParamWriteSchema
    unique = ("profile_param_name",)
    # A value may be a PIN (moderator-pin, pin): values stay out of the audit trail.
    secrets = ("profile_param_value",)

    def defaults(self, values):
        return {"profile_param_enabled": True}


def params_of(row: ConferenceProfile):
    return select(ConferenceProfileParam).where(
        ConferenceProfileParam.conference_profile_uuid == row.conference_profile_uuid)
