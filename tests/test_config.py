"""Configuration from TOML and the environment; bad values name their key."""

from __future__ import annotations

import pytest

from fpbx_api.config import ConfigError, load_config

TOML = """
[security]
auth_mode = "per_key"
allowed_ips = ["10.0.0.0/8"]

[rate_limit]
requests_per_minute = 30

[[freeswitch.switches]]
name = "fs1"
host = "10.0.0.5"
password = "secret"
"""


def test_defaults_match_the_contract():
    config = load_config(env={})
    assert config["rate_limit"]["requests_per_minute"] == 60
    assert config["rate_limit"]["requests_per_hour"] == 1000
    assert config["pagination"] == {"default_per_page": 50, "max_per_page": 100,
                                    "min_per_page": 1}
    assert config["security"]["max_request_size"] == 10485760
    assert config["security"]["auth_mode"] == "global_key"
    assert config["logging"]["slow_request_threshold"] == 1000
    assert config["cache"]["exclude_endpoints"] == ["active-calls", "registrations",
                                                    "dashboard/stats"]


def test_toml_then_environment(tmp_path):
    path = tmp_path / "fpbx.toml"
    path.write_text(TOML)
    config = load_config(str(path), env={"FPBX_API_RATE_LIMIT__REQUESTS_PER_MINUTE": "90",
                                         "FPBX_API_SECURITY__ALLOWED_ORIGINS": "https://a, https://b",
                                         "FPBX_API_RATE_LIMIT__ENABLED": "false"})
    assert config["security"]["auth_mode"] == "per_key"
    assert config["security"]["allowed_ips"] == ["10.0.0.0/8"]
    assert config["rate_limit"]["requests_per_minute"] == 90
    assert config["rate_limit"]["enabled"] is False
    assert config["security"]["allowed_origins"] == ["https://a", "https://b"]
    assert config["freeswitch"]["switches"] == [
        {"name": "fs1", "host": "10.0.0.5", "port": 8021, "password": "secret",
         "cache_clear": "files", "cache_folder": "/var/cache/fusionpbx"}]
    env_file = load_config(env={"FPBX_API_CONFIG": str(path)})
    assert env_file["rate_limit"]["requests_per_minute"] == 30


@pytest.mark.parametrize("env, key", [
    ({"FPBX_API_RATE_LIMIT__REQUESTS_PER_MINUTE": "lots"}, "rate_limit.requests_per_minute"),
    ({"FPBX_API_RATE_LIMIT__REQUESTS_PER_MINUTE": "0"}, "rate_limit.requests_per_minute"),
    ({"FPBX_API_SECURITY__AUTH_MODE": "anyone"}, "security.auth_mode"),
    ({"FPBX_API_SECURITY__REQUIRE_HTTPS": "perhaps"}, "security.require_https"),
    ({"FPBX_API_SECURITY__ALLOWED_IPS": "10.0.0.0/33"}, "security.allowed_ips"),
    ({"FPBX_API_SECURITY__TYPO": "1"}, "security.typo"),
    ({"FPBX_API_NOPE__X": "1"}, "nope"),
    ({"FPBX_API_FREESWITCH__SWITCHES": '[{"host": "h", "port": "x"}]'}, "freeswitch.switches"),
    ({"FPBX_API_PAGINATION__DEFAULT_PER_PAGE": "500"}, "pagination.default_per_page"),
])
def test_bad_values_name_the_key(env, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(env=env)


def test_bad_toml_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[security\n")
    with pytest.raises(ConfigError, match="bad.toml"):
        load_config(str(path), env={})
