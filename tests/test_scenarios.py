"""The reusable scenarios (fpbx_api.testing.scenarios) for every resource of the project."""

from __future__ import annotations

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
