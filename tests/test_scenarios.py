"""The reusable scenarios (fpbx_api.testing.scenarios) for every resource of the project."""

from __future__ import annotations

import dataclasses

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


def dialplan_detail(tag, kind, data=""):
    return {"dialplan_detail_tag": tag, "dialplan_detail_type": kind,
            "dialplan_detail_data": data}


class TestDialplanScenarios(CrudScenarios):
    path, key, required = "/api/v1/dialplans", "dialplan_uuid", ("dialplan_name",)
    update = {"dialplan_description": "changed", "dialplan_enabled": "false"}
    duplicate = False  # FusionPBX allows two dialplans of one name
    search = "custom-0"
    refused = ({"details": [dialplan_detail("action", "system", "id")]},
               {"details": [dialplan_detail("condition", "destination_number", "(a+)+$")]})
    system_only = ({"dialplan_context": "public"},
                   {"details": [dialplan_detail("action", "lua", "app.lua call_block")]})

    def body(self, n):
        return self.body_for(None, n)

    def body_for(self, tenant, n):
        domain = tenant.name if tenant else "example.com"
        return {"dialplan_name": f"custom-{n}", "dialplan_number": f"55{n}",
                "details": [dialplan_detail("condition", "destination_number", f"^55{n}$"),
                            dialplan_detail("action", "transfer", f"1001 XML {domain}")]}


class TestCallBlockScenarios(CrudScenarios):
    path, key = "/api/v1/call-block", "call_block_uuid"
    update = {"call_block_action": "busy", "call_block_enabled": "false"}
    duplicate = False  # FusionPBX allows one number twice (for two extensions, say)
    search = "Blocked-0"

    def body(self, n):
        return {"call_block_name": f"Blocked-{n}", "call_block_number": f"800555{n:04d}",
                "call_block_action": "hold"}


class TestNumberTranslationScenarios(CrudScenarios):
    """System-wide: the scenarios run with each domain's system-scope key (a write key is a
    403, tests/test_number_translations.py); rows of no domain have no isolation to test."""

    path, key = "/api/v1/number-translations", "number_translation_uuid"
    required = ("number_translation_name",)
    update = {"number_translation_description": "changed"}
    search = "profile-0"

    @pytest.fixture
    def tenants(self, tenants):
        def system(tenant):
            return dataclasses.replace(tenant, headers={"X-API-Key": tenant.system_key})
        return dataclasses.replace(tenants, a=system(tenants.a), b=system(tenants.b))

    def create(self, client, tenant, n=0):
        r = client.post(self.path, json=self.body_for(tenant, n),
                        headers={"X-API-Key": tenant.system_key})
        assert r.status_code == 201, r.get_data(as_text=True)
        return r.json["data"][self.key]

    def body(self, n):
        return {"number_translation_name": f"profile-{n}", "number_translation_details": [
            {"number_translation_detail_regex": r"^\+1(\d{10})$",
             "number_translation_detail_replace": "$1"}]}

    def test_another_domains_object_is_404_on_every_verb(self):
        pytest.skip("system-wide: every domain reads them")

    def test_lists_never_show_or_count_another_domains_objects(self):
        pytest.skip("system-wide: every domain lists the same profiles")
