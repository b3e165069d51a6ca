"""The plugin's tests: the kit's scenarios, plus its own rule."""

import pytest

from fpbx_api.testing.scenarios import CrudScenarios


@pytest.fixture
def extension(client, tenants):
    """An extension in each test domain (example.com and other.example)."""
    return {t.name: client.post("/api/v1/extensions", json={"extension": "1001"},
                                headers=t.headers).json["data"]["extension_uuid"]
            for t in (tenants.a, tenants.b)}


class TestExtensionSettingScenarios(CrudScenarios):
    path, key = "/api/v1/extension-settings", "extension_setting_uuid"
    required = ("extension_uuid", "extension_setting_type", "extension_setting_name")
    update = {"extension_setting_value": "false"}
    duplicate = False
    search = "var_0"

    @pytest.fixture(autouse=True)
    def _extensions(self, extension):
        self.extensions = extension

    def body_for(self, tenant, n):
        return {**self.body(n), "extension_uuid": self.extensions[tenant.name]}

    def body(self, n):
        return {"extension_uuid": self.extensions["example.com"],
                "extension_setting_type": "variable",
                "extension_setting_name": f"var_{n}", "extension_setting_value": "true"}


@pytest.mark.parametrize("domain, name, field", [
    ("other.example", "x", "extension_uuid"),  # another domain's extension
    ("example.com", "x\n", "extension_setting_name"),  # a trailing newline
])
def test_bad_settings_are_400_naming_the_field(client, tenants, extension, domain, name,
                                               field):
    r = client.post("/api/v1/extension-settings", headers=tenants.a.headers, json={
        "extension_uuid": extension[domain], "extension_setting_type": "variable",
        "extension_setting_name": name})
    assert r.status_code == 400
    assert r.json["error"]["errors"][0]["field"] == field


def test_a_change_clears_the_extensions_directory_cache(esl_client, tenants, switches):
    ext = esl_client.post("/api/v1/extensions", json={"extension": "1001"},
                          headers=tenants.a.headers).json["data"]
    for sim in switches:  # a phone registers: the switch caches the directory entry
        assert sim.register("1001", "example.com", ext["password"])
    r = esl_client.post("/api/v1/extension-settings", headers=tenants.a.headers, json={
        "extension_uuid": ext["extension_uuid"], "extension_setting_type": "variable",
        "extension_setting_name": "sip_secure_media", "extension_setting_value": "true"})
    assert r.json["applied"] == {"cache": {"state": "cleared",
                                           "keys": ["directory:1001@example.com"]}}
    assert [sim.cache_get("directory:1001@example.com") for sim in switches] == [None, None]


def test_the_docs_name_the_resource(client):
    spec = client.get("/api/v1/openapi.json").json
    create = spec["paths"]["/api/v1/extension-settings"]["post"]
    assert create["operationId"] == "createExtensionSetting"
    assert create["summary"] == "Create an extension setting"
    assert create["tags"] == ["Extension settings"]
