"""The reusable scenarios (fpbx_api.testing.scenarios) for every resource of the project."""

from __future__ import annotations

import uuid

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


IVR_OPTION = {"ivr_menu_option_digits": "1", "ivr_menu_option_action": "menu-exec-app",
              "ivr_menu_option_param": "transfer 1001 XML example.com"}


class TestIvrMenuScenarios(CrudScenarios):
    path, key = "/api/v1/ivr-menus", "ivr_menu_uuid"
    required = ("ivr_menu_name", "ivr_menu_extension")
    update = {"ivr_menu_name": "Renamed", "ivr_menu_timeout": "4000"}
    search = "Menu-0"
    refused = ({"ivr_menu_exit_app": "transfer",
                "ivr_menu_exit_data": "1001 XML other.example"},
               {"options": [{**IVR_OPTION,
                             "ivr_menu_option_param": "transfer 1001 XML other.example"}]},
               {"options": [{**IVR_OPTION, "ivr_menu_option_param": "system id"}]})

    def body(self, n):
        return {"ivr_menu_name": f"Menu-{n}", "ivr_menu_extension": f"{5100 + n}",
                "options": [IVR_OPTION]}

    def body_for(self, tenant, n):
        option = {**IVR_OPTION, "ivr_menu_option_param": f"transfer 1001 XML {tenant.name}"}
        return {**self.body(n), "options": [option]}


class TestCallFlowScenarios(CrudScenarios):
    path, key = "/api/v1/call-flows", "call_flow_uuid"
    required = ("call_flow_name", "call_flow_extension", "call_flow_app", "call_flow_data")
    update = {"call_flow_status": "false", "call_flow_alternate_label": "Night"}
    search = "Flow-0"
    refused = ({"call_flow_app": "transfer", "call_flow_data": "1001 XML other.example"},
               {"call_flow_alternate_app": "lua", "call_flow_alternate_data": "x.lua"})

    def body(self, n):
        return {"call_flow_name": f"Flow-{n}", "call_flow_extension": f"{30 + n}",
                "call_flow_feature_code": f"*{30 + n}", "call_flow_pin_number": "4321",
                "call_flow_app": "transfer", "call_flow_data": "1001"}


class TestIvrMenuOptionScenarios(CrudScenarios):
    path, key = "/api/v1/ivr-menus/{ivr_menu_uuid}/options", "ivr_menu_option_uuid"
    parent = TestIvrMenuScenarios
    required = ("ivr_menu_option_digits", "ivr_menu_option_action")
    update = {"ivr_menu_option_description": "Changed", "ivr_menu_option_order": 5}
    search = "Option-0"
    refused = ({"ivr_menu_option_param": "transfer 1001 XML other.example"},
               {"ivr_menu_option_param": "system id"})

    def make_parent(self, client, tenant, n):
        body = {**self.parent().body_for(tenant, n), "options": [],
                "ivr_menu_extension": f"menu{n}"}  # no other scenario's number
        return client.post(self.parent.path, json=body,
                           headers=tenant.headers).json["data"]["ivr_menu_uuid"]

    def body(self, n):
        return {**IVR_OPTION, "ivr_menu_option_digits": str(10 + n),
                "ivr_menu_option_description": f"Option-{n}"}

    def body_for(self, tenant, n):
        return {**self.body(n), "ivr_menu_option_param": f"transfer 1001 XML {tenant.name}"}
def _to(tenant_name: str = "example.com") -> dict:
    """One action as the shorthand pair (the hostile-value scenario sets the pair)."""
    return {"destination_app": "transfer", "destination_data": f"1001 XML {tenant_name}"}


class TestDestinationScenarios(CrudScenarios):
    path, key, required = "/api/v1/destinations", "destination_uuid", ("destination_number",)
    exclusive = (("destination_actions",), ("destination_app", "destination_data"))
    update = {"destination_description": "changed", "destination_record": True}
    search = "2125550100"
    refused = ({"destination_data": "1001 XML other.example"},
               {"destination_app": "system", "destination_data": "id"},
               {"destination_context": "other.example"})
    system_only = ({"destination_accountcode": "other.example"},)

    def body(self, n):
        return {"destination_number": f"21255501{n:02d}", "destination_prefix": "1", **_to()}

    def body_for(self, tenant, n):
        return {**self.body(n), "destination_number": f"21255502{n:02d}"
                if tenant.name != "example.com" else f"21255501{n:02d}", **_to(tenant.name)}


class TestInboundRouteScenarios(CrudScenarios):
    path, key, required = "/api/v1/inbound-routes", "dialplan_uuid", ("dialplan_number",)
    exclusive = (("destination_actions",), ("destination_app", "destination_data"))
    update = {"dialplan_description": "changed", "dialplan_order": 110}
    search = "Route-0"
    refused = ({"destination_data": "1001 XML other.example"},)

    def body(self, n):
        return {"dialplan_name": f"Route-{n}", "dialplan_number": f"31255501{n:02d}", **_to()}

    def body_for(self, tenant, n):
        return {**self.body(n), "dialplan_number": f"31255502{n:02d}"
                if tenant.name != "example.com" else f"31255501{n:02d}", **_to(tenant.name)}


GATEWAYS = {"example.com": "0c4a1f0e-0000-4000-8000-00000000000a",
            "other.example": "0c4a1f0e-0000-4000-8000-00000000000b"}


class TestOutboundRouteScenarios(CrudScenarios):
    path, key, required = "/api/v1/outbound-routes", "dialplan_uuid", ("gateway",)
    update = {"dialplan_description": "changed", "limit": 5}
    search = "Trunk-0"
    refused = ({"dialplan_expression": "(a+)+$"}, {"toll_allow": ".*"})
    duplicate = False  # FusionPBX allows two routes for one pattern (tried by order)

    @pytest.fixture(autouse=True)
    def gateways(self, fpbx_db, tenants):
        """A gateway of each tenant, for its routes."""
        for tenant in (tenants.a, tenants.b):
            fpbx_db.execute("INSERT INTO v_gateways (gateway_uuid, domain_uuid, gateway, "
                            "profile, enabled) VALUES (:g, :d, 'trunk', 'external', true)",
                            g=GATEWAYS[tenant.name], d=tenant.domain_uuid)

    def body(self, n):
        return {"gateway": GATEWAYS["example.com"], "dialplan_expression": rf"^9{n}(\d{{7}})$",
                "dialplan_name": f"Trunk-{n}"}

    def body_for(self, tenant, n):
        return {**self.body(n), "gateway": GATEWAYS[tenant.name]}

    def create(self, client, tenant, n=0):
        """Through a gateway the tenant adds first (other suites create routes without
        this class's fixture)."""
        listed = client.get("/api/v1/gateways?search=route-trunk", headers=tenant.headers)
        gateways = [g["gateway_uuid"] for g in listed.json["data"]]
        if not gateways:
            r = client.post("/api/v1/gateways", headers=tenant.headers, json={
                "gateway": "route-trunk", "proxy": "sip.example.net", "password": "s3cret"})
            gateways = [r.json["data"]["gateway_uuid"]]
        r = client.post(self.path, json={**self.body_for(tenant, n), "gateway": gateways[0]},
                        headers=tenant.headers)
        assert r.status_code == 201, r.get_data(as_text=True)
        return r.json["data"][self.key]


class TestTimeConditionScenarios(CrudScenarios):
    path, key = "/api/v1/time-conditions", "dialplan_uuid"
    required = ("dialplan_name", "dialplan_number")
    update = {"dialplan_name": "Renamed", "dialplan_anti_action": "hangup:"}
    search = "Hours-0"
    refused = ({"dialplan_anti_action": "transfer:1001 XML other.example"},
               {"conditions": [{"conditions": [{"variable": "wday", "start": "2"}],
                                "dialplan_action": "transfer:1001 XML other.example"}]})

    def body(self, n):
        return self.body_for(None, n)

    def body_for(self, tenant, n):
        domain = tenant.name if tenant else "example.com"
        return {"dialplan_name": f"Hours-{n}", "dialplan_number": f"{7100 + n}",
                "conditions": [{"conditions": [{"variable": "wday", "start": "2",
                                                "stop": "6"}],
                                "dialplan_action": f"transfer:1001 XML {domain}"}],
                "dialplan_anti_action": f"transfer:*991001 XML {domain}"}


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
    path, key = "/api/v1/number-translations", "number_translation_uuid"
    scope = "system"
    required = ("number_translation_name",)
    update = {"number_translation_description": "changed"}
    search = "profile-0"

    def body(self, n):
        return {"number_translation_name": f"profile-{n}", "number_translation_details": [
            {"number_translation_detail_regex": r"^\+1(\d{10})$",
             "number_translation_detail_replace": "$1"}]}


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
        return {"conference_room_name": f"Room-{n}", "moderator_pin": f"{n:09d}1",
                "participant_pin": f"{n:09d}2"}

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


class TestQueueTierScenarios(CrudScenarios):
    """A queue's tiers, each naming an agent of the tenant's. The agents are made through
    the API the first time a body names them (``agent``), under the client that made the
    tenant's queue; agent 0 of domain a before each test, as ``body(0)`` is posted as it is
    (after a snapshot of the database, by some scenarios)."""

    path = "/api/v1/call-centers/queues/{call_center_queue_uuid}/tiers"
    key = "call_center_tier_uuid"
    parent = TestQueueScenarios
    required = ("call_center_agent_uuid",)
    update = {"tier_level": 2, "tier_position": 3}

    @pytest.fixture(autouse=True)
    def _first_agent(self, _under_a_parent, tenants):
        self.tenant = tenants.a  # whose queue ``path`` is under
        self.agent(tenants.a, 0)

    def make_parent(self, client, tenant, n):
        self.__dict__.setdefault("_makers", {})[tenant.name] = client, tenant
        return super().make_parent(client, tenant, n)

    def agent(self, tenant, n: int) -> str:
        """Agent ``n`` of ``tenant``: made once through the API. Without a queue of the
        tenant yet, none is made: the isolation matrix posts a body under another domain's
        queue, which is a 404 before the body is read, so it names an agent nobody has."""
        made = self.__dict__.setdefault("_agents", {})
        if (tenant.name, n) not in made and tenant.name in self.__dict__.get("_makers", {}):
            client, _ = self._makers[tenant.name]
            r = client.post("/api/v1/call-centers/agents", headers=tenant.headers, json={
                "agent_name": f"Tier agent {n}", "agent_contact": f"user/10{n:02d}@{tenant.name}"})
            assert r.status_code == 201, r.get_data(as_text=True)
            made[tenant.name, n] = r.json["data"]["call_center_agent_uuid"]
        return made.get((tenant.name, n), str(uuid.uuid4()))

    def body(self, n):
        return self.body_for(self.tenant, n)

    def body_for(self, tenant, n):
        return {"call_center_agent_uuid": self.agent(tenant, n), "tier_level": 1 + n % 9}
