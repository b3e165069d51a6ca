"""Every cache key a write clears is really gone on every switch, so FreeSWITCH sees the
change: the simulators authenticate phones the way FusionPBX's Lua does, through a
file cache that never expires, and the tests register as a phone would."""

from __future__ import annotations

import os
import pathlib

import pytest

from fpbx_api.config import ConfigError, load_config
from fpbx_api.freeswitch import esl, file_cache
from fpbx_api.freeswitch.switches import SOFIA_CONF, Change, apply_change

DOMAIN = "example.com"
METHODS = ["files", "luarun"]
ONE_KEY = ["directory:1001@example.com"]  # extension 1001's, without an alias


def app_for(make_app, switches, method, **options):
    return make_app(freeswitch={"switches": [s.switch(cache_clear=method) for s in switches],
                                "timeout": 1.0, **options})


def new_extension(client, tenants, **fields) -> str:
    r = client.post("/api/v1/extensions", json={"extension": "1001", **fields},
                    headers=tenants.a.headers)
    assert r.status_code == 201, r.json
    return r.json["data"]["extension_uuid"]


@pytest.mark.parametrize("method", METHODS)
def test_a_new_password_registers_and_the_old_one_is_refused(make_app, tenants, switches,
                                                             method):
    client = app_for(make_app, switches, method).test_client()
    uuid = new_extension(client, tenants, password="Old-Secret-1", number_alias="501")
    for sim in switches:  # the phone registers: each switch now has the entry cached
        assert sim.register("1001", DOMAIN, "Old-Secret-1")
        assert sim.cache_get(f"directory:1001@{DOMAIN}") is not None

    r = client.put(f"/api/v1/extensions/{uuid}", json={"password": "New-Secret-2"},
                   headers=tenants.a.headers)
    assert r.status_code == 200 and r.json["applied"] == {"cache": {
        "state": "cleared", "keys": ["directory:1001@example.com", "directory:501@example.com"]}}
    for sim in switches:
        assert sim.register("1001", DOMAIN, "New-Secret-2")
        assert not sim.register("1001", DOMAIN, "Old-Secret-1")
        assert sim.register("501", DOMAIN, "New-Secret-2")  # by its alias too


@pytest.mark.parametrize("method", METHODS)
def test_a_disabled_or_deleted_extension_no_longer_registers(make_app, tenants, switches,
                                                             method):
    client = app_for(make_app, switches, method).test_client()
    uuid = new_extension(client, tenants, password="Secret-Pass-1")
    assert all(sim.register("1001", DOMAIN, "Secret-Pass-1") for sim in switches)

    client.put(f"/api/v1/extensions/{uuid}", json={"enabled": "false"},
               headers=tenants.a.headers)
    assert not any(sim.register("1001", DOMAIN, "Secret-Pass-1") for sim in switches)

    client.put(f"/api/v1/extensions/{uuid}", json={"enabled": "true"},
               headers=tenants.a.headers)
    assert all(sim.register("1001", DOMAIN, "Secret-Pass-1") for sim in switches)
    r = client.delete(f"/api/v1/extensions/{uuid}", headers=tenants.a.headers)
    assert r.headers["X-Applied"] == "cache=cleared"
    assert r.headers["X-Applied-Keys"] == "directory:1001@example.com"
    assert not any(sim.register("1001", DOMAIN, "Secret-Pass-1") for sim in switches)


def test_a_renumbered_extension_answers_only_on_its_new_number(esl_client, tenants, switches):
    uuid = new_extension(esl_client, tenants, password="Secret-Pass-1")
    assert switches[0].register("1001", DOMAIN, "Secret-Pass-1")
    esl_client.put(f"/api/v1/extensions/{uuid}", json={"extension": "2001"},
                   headers=tenants.a.headers)
    assert not switches[0].register("1001", DOMAIN, "Secret-Pass-1")
    assert switches[0].register("2001", DOMAIN, "Secret-Pass-1")


def test_luarun_runs_fusionpbxs_clear_cache_script(make_app, tenants, switches):
    """Each key's file and its ``.tmp`` (the temp file Lua's Cache.set falls back to),
    both of which Lua's Cache.del removes; a ``<file>.<uuid>.tmp`` cannot be named."""
    client = app_for(make_app, switches, "luarun").test_client()
    for sim in switches:
        touch(pathlib.Path(sim.cache_dir), "directory.1001@example.com",
              "directory.1001@example.com.tmp", "directory.501@example.com.tmp")
    new_extension(client, tenants, number_alias="501")
    script = "api luarun app/servers/resources/clear_cache.lua delete"
    for sim in switches:
        assert sim.received("api luarun") == [
            f"{script} directory.1001@example.com", f"{script} directory.1001@example.com.tmp",
            f"{script} directory.501@example.com", f"{script} directory.501@example.com.tmp"]
        assert os.listdir(sim.cache_dir) == []


def test_files_need_no_switch_and_luarun_reports_a_switch_that_is_down(make_app, tenants,
                                                                      switches, fpbx_db):
    """Deleting files in a shared folder works with the switch down; luarun cannot."""
    fs1, fs2 = switches
    fs2.misbehave("silent")
    client = make_app(freeswitch={"switches": [fs1.switch(cache_clear="luarun"),
                                               fs2.switch(cache_clear="files")],
                                  "timeout": 0.5}).test_client()
    uuid = new_extension(client, tenants, password="Old-Secret-1")
    fs2.misbehave(None)
    assert fs1.register("1001", DOMAIN, "Old-Secret-1")
    assert fs2.register("1001", DOMAIN, "Old-Secret-1")
    fs1.misbehave("silent")
    r = client.put(f"/api/v1/extensions/{uuid}", json={"password": "New-Secret-2"},
                   headers=tenants.a.headers)
    assert r.status_code == 200 and r.json["applied"] == {"cache": {"state": "failed",
                                                                    "keys": ONE_KEY}}
    assert fpbx_db.rows("v_extensions")[0]["password"] == "New-Secret-2"
    assert fs2.register("1001", DOMAIN, "New-Secret-2")
    fs1.misbehave(None)
    assert fs1.register("1001", DOMAIN, "Old-Secret-1"), "fs1 was down: still stale"


def test_a_missing_cache_folder_is_reported_failed(make_app, tenants, switches, tmp_path):
    switch = {**switches[0].switch(), "cache_folder": str(tmp_path / "nowhere")}
    client = make_app(freeswitch={"switches": [switch]}).test_client()
    r = client.post("/api/v1/extensions", json={"extension": "1001"},
                    headers=tenants.a.headers)
    assert r.status_code == 201 and r.json["applied"] == {"cache": {"state": "failed",
                                                                    "keys": ONE_KEY}}


def test_clearing_can_be_turned_off(make_app, tenants, switches):
    client = app_for(make_app, switches, "files", clear_cache_on_update=False).test_client()
    uuid = new_extension(client, tenants, password="Old-Secret-1")
    assert switches[0].register("1001", DOMAIN, "Old-Secret-1")
    r = client.put(f"/api/v1/extensions/{uuid}", json={"password": "New-Secret-2"},
                   headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": {"state": "disabled", "keys": ONE_KEY}}
    assert switches[0].register("1001", DOMAIN, "Old-Secret-1")
    assert switches[0].received() == []


def test_memcache_method_sends_the_event_and_memcache_delete(make_app, tenants, switches):
    app = make_app(freeswitch={"switches": [switches[0].switch()], "cache_method": "memcache"})
    app.test_client().post("/api/v1/extensions", json={"extension": "1001"},
                           headers=tenants.a.headers)
    (event,) = switches[0].received("sendevent")
    assert event.splitlines() == [
        "sendevent CUSTOM", "Event-Name: CUSTOM", "Event-Subclass: fusion::memcache",
        "API-Command: memcache", "API-Command-Argument: delete directory:1001@example.com"]
    assert switches[0].received("api memcache") == ["api memcache delete "
                                                    "directory:1001@example.com"]


@pytest.mark.parametrize("method", METHODS)
def test_apply_change_expands_the_hostname_and_runs_commands(make_app, tenants, switches,
                                                             method):
    for sim in switches:
        for key in (f"{sim.hostname}:configuration:sofia.conf", "configuration:sofia.conf",
                    "configuration:acl.conf"):
            sim.cache_set(key, "<configuration/>")
    app = app_for(make_app, switches, method)
    change = Change(SOFIA_CONF, [esl.Command("sofia", ("profile", "external", "rescan")),
                                 esl.Command("reloadacl")])
    with app.test_request_context():
        assert apply_change(change) == {
            "cache": {"state": "cleared", "keys": ["{hostname}:configuration:sofia.conf",
                                                   "configuration:sofia.conf"]},
            "reload": {"state": "applied",
                       "commands": ["sofia profile external rescan", "reloadacl"]}}
    for sim in switches:
        assert sim.cache_get(f"{sim.hostname}:configuration:sofia.conf") is None
        assert sim.cache_get("configuration:sofia.conf") is None
        assert sim.cache_get("configuration:acl.conf") == "<configuration/>"
        assert sim.received("api sofia") + sim.received("api reloadacl") == [
            "api sofia profile external rescan", "api reloadacl"]


def test_a_key_that_can_be_cleared_is_even_when_another_cannot(make_app, tenants, switches):
    """{hostname} needs the switch; with it down the other keys are still deleted."""
    sim = switches[0]
    sim.cache_set("configuration:sofia.conf", "<configuration/>")
    sim.misbehave("refuse")
    app = make_app(freeswitch={"switches": [sim.switch()], "timeout": 0.5})
    with app.test_request_context():
        assert apply_change(Change(SOFIA_CONF)) == {"cache": {"state": "failed",
                                                              "keys": list(SOFIA_CONF)}}
    assert sim.cache_get("configuration:sofia.conf") is None


def test_a_change_that_fails_after_the_commit_is_reported_not_raised(esl_app, tenants,
                                                                      monkeypatch):
    def broken(*_args):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(file_cache, "delete", broken)
    with esl_app.test_request_context():
        assert apply_change(Change(["directory:1001@example.com"])) == {
            "cache": {"state": "failed", "keys": ["directory:1001@example.com"]}}
        assert apply_change(None) == {"cache": {"state": "failed", "keys": []}}


# --- the files, as FusionPBX names and deletes them ---------------------------------------------

def touch(folder, *names):
    for name in names:
        (folder / name).write_text("x")


def test_file_names_follow_fusionpbxs_lua():
    assert file_cache.file_name("directory:1001@example.com") == "directory.1001@example.com"
    assert file_cache.file_name("a/b\\c:d") == "a_b_c.d"


def test_delete_removes_the_file_its_tmp_files_and_nothing_else(tmp_path):
    touch(tmp_path, "directory.1001@example.com", "directory.1001@example.com.tmp",
          "directory.1001@example.com.2b1c0a4e-1111-4222-8333-444455556666.tmp",
          "directory.10011@example.com", "directory.1001@example.comx")
    file_cache.delete(str(tmp_path), "directory:1001@example.com")
    assert sorted(os.listdir(tmp_path)) == ["directory.10011@example.com",
                                            "directory.1001@example.comx"]


def test_delete_globs_a_trailing_star_only(tmp_path):
    touch(tmp_path, "dialplan.public.123", "dialplan.public.456", "dialplan.publicity",
          "dialplan.example.com", "a*b", "axb")
    file_cache.delete(str(tmp_path), "dialplan:public:*")
    assert sorted(os.listdir(tmp_path)) == ["a*b", "axb", "dialplan.example.com",
                                            "dialplan.publicity"]
    file_cache.delete(str(tmp_path), "a*b")
    assert sorted(os.listdir(tmp_path)) == ["axb", "dialplan.example.com", "dialplan.publicity"]


def test_delete_never_leaves_the_folder(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    touch(tmp_path, "outside")
    for key in ("../outside", "..", ".", "/outside", "*"):
        file_cache.delete(str(folder), key)
    assert (tmp_path / "outside").exists() and folder.is_dir()


# --- configuration -------------------------------------------------------------------------------

def test_each_switch_says_how_its_cache_is_cleared():
    (switch,) = load_config(env={}, overrides={"freeswitch": {"switches": [
        {"name": "fs1", "host": "10.0.0.5"}]}})["freeswitch"]["switches"]
    assert (switch["cache_clear"], switch["cache_folder"]) == ("files", "/var/cache/fusionpbx")
    for bad in ({"cache_clear": "lua"}, {"cache_folder": "relative/path"}):
        with pytest.raises(ConfigError, match="cache_"):
            load_config(env={}, overrides={"freeswitch": {"switches": [
                {"name": "fs1", "host": "10.0.0.5", **bad}]}})
