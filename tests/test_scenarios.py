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


class TestQueueScenarios(CrudScenarios):
    path = "/api/v1/call-centers/queues"
    key = "call_center_queue_uuid"
    required = ("queue_name", "queue_extension")
    update = {"queue_strategy": "round-robin"}
    search = "Queue0"
    refused = ({"queue_timeout_action": "transfer:1001 XML other.example"},
               {"queue_timeout_action": "lua:evil.lua"})

    def body(self, n):
        return {"queue_name": f"Queue{n}", "queue_extension": f"80{n:02d}",
                "queue_timeout_action": "transfer:1001 XML example.com"}

    def body_for(self, tenant, n):
        return {**self.body(n), "queue_timeout_action": f"transfer:1001 XML {tenant.name}"}


class TestAgentScenarios(CrudScenarios):
    path = "/api/v1/call-centers/agents"
    key = "call_center_agent_uuid"
    required = ("agent_name", "agent_contact")
    update = {"agent_status": "On Break"}
    search = "Agent0"
    refused = ({"agent_contact": "user/1001@other.example"},)

    def body(self, n):
        return {"agent_name": f"Agent{n}", "agent_contact": f"user/10{n:02d}@example.com"}

    def body_for(self, tenant, n):
        return {**self.body(n), "agent_contact": f"user/10{n:02d}@{tenant.name}"}
