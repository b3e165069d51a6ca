"""Conference profiles (``app/conference_profiles``): the settings FreeSWITCH's
conference.conf is built from, read live by FusionPBX's conference.conf.lua
(``app/switch/resources/scripts/app/xml_handler/resources/scripts/configuration/``),
which caches nothing: mod_conference asks for it as each conference starts, so a write
clears no key (conference_profile_edit.php clears none either). System-wide: every
tenant's conferences name them, so any key reads them and only a key with the system
scope writes them."""

from __future__ import annotations

from fpbx_api_plugins.conference_centers import schemas

from fpbx_api.fusionpbx.models import ConferenceProfile, ConferenceProfileParam
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import Child, Resource, children_of, columns


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
    schema = schemas.ConferenceProfileWriteSchema
    # Written with the profile, replaced as a whole when given, deleted with it (as
    # conference_profiles::delete deletes them).
    children = (Child("params", ConferenceProfileParam, "conference_profile_uuid",
                      schemas.ParamSchema, order_by=("profile_param_name",)),)
    unique = ("profile_name",)
    # A param's value may be a PIN (moderator-pin, pin): values stay out of the audit trail.
    secrets = ("profile_param_value",)

    def defaults(self, values):
        return {"profile_enabled": True}

    def audit(self, row):
        return {"conference_profiles": [{**columns(row), "conference_profile_params": [
            columns(p) for p in children_of(self.children[0], row)]}]}
