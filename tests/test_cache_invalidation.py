"""Extension writes clear FusionPBX's directory cache on every switch (SIDE_EFFECTS.md §2)."""

from __future__ import annotations

from fpbx_api.freeswitch import SOFIA_CONF, apply_change


def cache_events(sim) -> list[str]:
    """The cache keys a switch was told to delete, in order."""
    return [line.rpartition("delete ")[2] for c in sim.received("sendevent CUSTOM")
            for line in c.splitlines() if line.startswith("API-Command-Argument")]


def test_create_update_delete_clear_directory_keys_on_every_switch(esl_client, tenants,
                                                                   switches):
    r = esl_client.post("/api/v1/extensions", json={"extension": "1001", "number_alias": "501"},
                        headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": "cleared"}
    uuid = r.json["data"]["extension_uuid"]
    for sim in switches:
        assert cache_events(sim) == ["directory.1001@example.com", "directory.501@example.com"]
        (event,) = sim.received("sendevent CUSTOM")[:1]
        assert event.splitlines() == [
            "sendevent CUSTOM", "Event-Name: CUSTOM", "Event-Subclass: fusion::file",
            "API-Command: cache", "API-Command-Argument: delete directory.1001@example.com"]

    esl_client.put(f"/api/v1/extensions/{uuid}", json={"extension": "2001"},
                   headers=tenants.a.headers)
    assert sorted(cache_events(switches[0])[2:]) == [
        "directory.1001@example.com", "directory.2001@example.com", "directory.501@example.com"]

    r = esl_client.delete(f"/api/v1/extensions/{uuid}", headers=tenants.a.headers)
    assert r.headers["X-Applied"] == "cache=cleared"
    assert cache_events(switches[1])[-2:] == ["directory.2001@example.com",
                                              "directory.501@example.com"]


def test_memcache_method_also_runs_memcache_delete(make_app, tenants, switches):
    app = make_app(freeswitch={"switches": [switches[0].switch()], "cache_method": "memcache"})
    app.test_client().post("/api/v1/extensions", json={"extension": "1001"},
                           headers=tenants.a.headers)
    assert "Event-Subclass: fusion::memcache" in switches[0].received("sendevent")[0]
    assert switches[0].received("api memcache") == ["api memcache delete "
                                                    "directory:1001@example.com"]


def test_a_write_while_a_switch_is_down_commits_and_says_so(make_app, tenants, switches,
                                                            fpbx_db):
    switches[1].misbehave("silent")
    app = make_app(freeswitch={"switches": [s.switch() for s in switches], "timeout": 0.5})
    r = app.test_client().post("/api/v1/extensions", json={"extension": "1001"},
                               headers=tenants.a.headers)
    assert r.status_code == 201 and r.json["applied"] == {"cache": "failed"}
    assert len(fpbx_db.rows("v_extensions")) == 1
    assert cache_events(switches[0]) == ["directory.1001@example.com"]


def test_clearing_can_be_turned_off(make_app, tenants, switches):
    app = make_app(freeswitch={"switches": [switches[0].switch()],
                               "clear_cache_on_update": False})
    r = app.test_client().post("/api/v1/extensions", json={"extension": "1001"},
                               headers=tenants.a.headers)
    assert r.json["applied"] == {"cache": "disabled"}
    assert switches[0].received() == []


def test_apply_change_expands_the_hostname_and_runs_commands(esl_app, switches):
    with esl_app.app_context():
        report = apply_change(SOFIA_CONF, ["sofia profile external rescan", "reloadacl"])
    assert report == {"cache": "cleared", "reload": "applied"}
    for sim in switches:
        assert cache_events(sim) == [f"{sim.hostname}.configuration.sofia.conf",
                                     "configuration.sofia.conf"]
        assert sim.received("api ") == ["api hostname", "api sofia profile external rescan",
                                        "api reloadacl"]
