"""A test plugin using the kit's route shapes: several resources under one prefix, each at
its own sub-path, a nested collection, a chosen set of verbs, and an action."""

import marshmallow as ma

from fpbx_api.fusionpbx.models import Contact, RingGroup, RingGroupDestination
from fpbx_api.http.auth import has_system_scope
from fpbx_api.http.errors import Forbidden
from fpbx_api.http.fields import BoolString, Integer, Text, output_schema
from fpbx_api.http.listing import ListSpec
from fpbx_api.http.openapi import Noun
from fpbx_api.kit.resource import READ_ONLY, Change, Resource, action, resource_plugin
from fpbx_api.kit.scoping import domain_name


class GroupSchema(ma.Schema):
    ring_group_name = Text(required=True)
    ring_group_enabled = BoolString()


class Groups(Resource):
    noun = Noun("a group")
    path = "/groups"
    model = RingGroup
    list_spec = ListSpec(RingGroup, sort=["ring_group_name"])
    list_schema = detail_schema = output_schema(
        "KitGroupSchema", RingGroup, ["ring_group_uuid", "ring_group_name", "ring_group_enabled"])
    schema = GroupSchema

    def defaults(self, values):
        return {"ring_group_context": domain_name(), "ring_group_enabled": True}

    def authorize(self, values, row=None):
        """A group named "Locked ..." is enabled or disabled with the system scope only."""
        if "ring_group_enabled" in values and row is not None \
                and row.ring_group_name.startswith("Locked") and not has_system_scope():
            raise Forbidden("A locked group needs the system scope", field="ring_group_enabled")

    @action("toggle", summary="Enable a disabled group, disable an enabled one",
            response=detail_schema)
    def toggle(self, row, values):
        row.ring_group_enabled = not row.ring_group_enabled
        return self.detail(row), Change([f"dialplan:{row.ring_group_context}"], [])


class MemberSchema(ma.Schema):
    destination_number = Text(required=True)
    destination_delay = Integer()


class Members(Resource):
    """A group's destinations, each addressed on its own."""

    noun = Noun("a member")
    path = "/members"
    parent = Groups
    parent_key = "ring_group_uuid"
    model = RingGroupDestination
    list_spec = ListSpec(RingGroupDestination, sort=["destination_number"])
    list_schema = detail_schema = output_schema(
        "KitMemberSchema", RingGroupDestination,
        ["ring_group_destination_uuid", "ring_group_uuid", "destination_number",
         "destination_delay"])
    schema = MemberSchema
    unique = ("destination_number",)


class People(Resource):
    noun = Noun("a person", "people")
    path = "/people"
    verbs = READ_ONLY
    model = Contact
    list_spec = ListSpec(Contact, sort=["contact_name_given"])
    list_schema = detail_schema = output_schema(
        "KitPersonSchema", Contact, ["contact_uuid", "contact_name_given"])


plugin = resource_plugin("shapes", [Groups(), Members(), People()], url_prefix="/kit",
                         description="Test-only: the kit's route shapes")
