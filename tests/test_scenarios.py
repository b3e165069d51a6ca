"""The reusable scenarios (fpbx_api.testing.scenarios) for every resource of the project."""

from __future__ import annotations

import pytest

from fpbx_api.testing.scenarios import CrudScenarios


class TestExtensionScenarios(CrudScenarios):
    path, key, required = "/api/v1/extensions", "extension_uuid", ("extension",)
    update = {"effective_caller_id_name": "Changed"}
    search = "1100"
    refused = ({"limit_destination": "2001 XML other.example"},
               {"accountcode": "x,domain_name=other.example"})
    system_only = ({"accountcode": "other.example"},)

    def body(self, n):
        return {"extension": f"{1100 + n}", "effective_caller_id_name": f"Person {n}"}


class TestRingGroupScenarios(CrudScenarios):
    path, key = "/api/v1/ring-groups", "ring_group_uuid"
    required = ("ring_group_name", "ring_group_extension")
    update = {"ring_group_name": "Renamed", "destinations": [{"destination_number": "1001"}]}
    search = "Group-0"
    refused = ({"ring_group_forward_destination": "2001 XML other.example"},
               {"ring_group_timeout_app": "transfer",
                "ring_group_timeout_data": "2001 XML other.example"},
               {"ring_group_timeout_app": "system", "ring_group_timeout_data": "id"},
               {"destinations": [{"destination_number": "2001@other.example"}]})

    def body(self, n):
        return {"ring_group_name": f"Group-{n}", "ring_group_extension": f"{2100 + n}",
                "destinations": [{"destination_number": "1001"}]}


class TestGatewayScenarios(CrudScenarios):
    path, key, required = "/api/v1/gateways", "gateway_uuid", ("gateway", "proxy")
    update = {"description": "changed", "channels": 5}
    search = "trunk-0"
    refused = ({"extension": "2001 XML other.example"},)
    system_only = ({"context": "other.example"}, {"profile": "internal"},
                   {"context": "default"})

    def body(self, n):
        return {"gateway": f"trunk-{n}", "proxy": "sip.example.net", "password": "s3cret"}


class TestUserScenarios(CrudScenarios):
    path, key, required = "/api/v1/users", "user_uuid", ("username", "password")
    update = {"user_status": "On Break"}
    search = "person0"
    system_only = ({"groups": ["superadmin"]}, {"api_key": "K" * 40})

    def body(self, n):
        return {"username": f"person{n}", "password": "Passw0rd-Passw0rd",
                "user_email": f"person{n}@example.com"}


class TestConferenceScenarios(CrudScenarios):
    path, key = "/api/v1/conferences", "conference_uuid"
    required = ("conference_name", "conference_extension")
    update = {"conference_description": "changed", "mute": True}
    search = "Bridge-0"
    refused = ({"conference_context": "other.example"},
               {"conference_flags": "mute'}+flags{'moderator"})
    system_only = ({"conference_account_code": "other.example"},)

    def body(self, n):
        return {"conference_name": f"Bridge-{n}", "conference_extension": f"{3100 + n}",
                "conference_pin_number": f"{2468 + n}"}


class TestFaxScenarios(CrudScenarios):
    path, key = "/api/v1/fax/accounts", "fax_uuid"
    required = ("fax_name", "fax_extension")
    update = {"fax_description": "changed", "fax_email": ["fax@example.com"]}
    search = "Fax-0"
    refused = ({"fax_forward_number": "1001 XML other.example"},)
    system_only = ({"accountcode": "other.example"},)

    def body(self, n):
        return {"fax_name": f"Fax-{n}", "fax_extension": f"{9100 + n}"}


class TestConferenceCenterScenarios(CrudScenarios):
    path, key = "/api/v1/conference-centers/centers", "conference_center_uuid"
    required = ("conference_center_name", "conference_center_extension")
    update = {"conference_center_description": "changed"}
    search = "Center-0"

    def body(self, n):
        return {"conference_center_name": f"Center-{n}",
                "conference_center_extension": f"{3500 + n}"}



class TestConferenceRoomScenarios(CrudScenarios):
    """Rooms belong to a center of the poster's domain (by default its first): each
    tenant's is found or made through the API before a room is."""

    path, key = "/api/v1/conference-centers/rooms", "conference_room_uuid"
    required = ("conference_room_name",)
    update = {"max_members": 30, "mute": True}
    search = "Room-0"
    duplicate = False  # rooms have no number: two rooms may share a name
    system_only = ({"account_code": "other.example"},)

    @pytest.fixture(autouse=True)
    def _center(self, client, tenants):
        self.center_of(client, tenants.a)

    @staticmethod
    def center_of(client, tenant) -> None:
        centers = "/api/v1/conference-centers/centers"
        if not client.get(centers, headers=tenant.headers).json["data"]:
            client.post(centers, json={"conference_center_name": "Rooms",
                                       "conference_center_extension": "3999"},
                        headers=tenant.headers)

    def body(self, n):
        return {"conference_room_name": f"Room-{n}"}

    def create(self, client, tenant, n=0):
        self.center_of(client, tenant)
        return super().create(client, tenant, n)


class TestConferenceProfileScenarios(CrudScenarios):
    path, key = "/api/v1/conference-centers/profiles", "conference_profile_uuid"
    scope = "system"
    required = ("profile_name",)
    update = {"profile_description": "changed", "profile_enabled": False}
    search = "wideband-0"

    def body(self, n):
        return {"profile_name": f"wideband-{n}", "profile_description": f"Profile {n}"}
