"""Configuration: a TOML file overlaid by environment variables.

Every option of the contract's configuration reference is here, plus what a
Python deployment needs (database, rate-limit storage, event socket). Values
are validated once, at start-up, so a typo stops the process with a message
naming the key instead of surfacing later as a 500.
"""

from __future__ import annotations

import ipaddress
import json
import os
import tomllib
from dataclasses import dataclass
from typing import Any

ENV_PREFIX = "FPBX_API_"


class ConfigError(ValueError):
    """A configuration value is missing or invalid; the message names the key."""


@dataclass(frozen=True)
class Option:
    """One option: its type, default and an optional check."""

    kind: str  # bool | int | float | str | list | switches
    default: Any
    choices: tuple = ()
    minimum: float | None = None


OPTIONS: dict[str, dict[str, Option]] = {
    "database": {
        "url": Option("str", ""),
        "pool_size": Option("int", 5, minimum=1),
        "max_overflow": Option("int", 5, minimum=0),
        "pool_timeout": Option("float", 5.0, minimum=0.1),
        "statement_timeout_ms": Option("int", 10000, minimum=0),
        "lock_timeout_ms": Option("int", 5000, minimum=0),
        "answer_timeout": Option("float", 15.0, minimum=0.1),
    },
    "rate_limit": {
        "enabled": Option("bool", True),
        "requests_per_minute": Option("int", 60, minimum=1),
        "requests_per_hour": Option("int", 1000, minimum=1),
        "by_key": Option("bool", True),
        "storage_url": Option("str", "memory://"),
        "strategy": Option("str", "moving-window", choices=("moving-window", "fixed-window")),
        "fail_open": Option("bool", True),
        "storage_timeout": Option("float", 0.5, minimum=0.05),
        "key_prefix": Option("str", "fpbx-api"),
        "failed_auth_per_minute": Option("int", 20, minimum=0),
    },
    "pagination": {
        "default_per_page": Option("int", 50, minimum=1),
        "max_per_page": Option("int", 100, minimum=1),
        "min_per_page": Option("int", 1, minimum=1),
    },
    "cache": {
        "enabled": Option("bool", True),
        "ttl": Option("int", 300, minimum=0),
        "exclude_endpoints": Option("list", ["active-calls", "registrations", "dashboard/stats"]),
    },
    "security": {
        "require_https": Option("bool", False),
        "allowed_origins": Option("list", []),
        "max_request_size": Option("int", 10485760, minimum=1),
        "auth_mode": Option("str", "global_key", choices=("global_key", "per_key", "both")),
        "global_key": Option("str", ""),
        "allowed_ips": Option("list", []),
        "trusted_proxies": Option("list", []),
        # SIP profiles a key without the system scope may put its gateways on
        "tenant_gateway_profiles": Option("list", ["external"]),
    },
    "freeswitch": {
        "auto_regenerate_xml": Option("bool", True),
        "clear_cache_on_update": Option("bool", True),
        "cache_method": Option("str", "file", choices=("file", "memcache")),
        "timeout": Option("float", 2.0, minimum=0.05),
        "switches": Option("switches", []),
    },
    "logging": {
        "enabled": Option("bool", True),
        "level": Option("str", "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
        "log_requests": Option("bool", True),
        "log_errors": Option("bool", True),
        "log_slow_requests": Option("bool", True),
        "slow_request_threshold": Option("int", 1000, minimum=0),
    },
    "plugins": {
        "fail_on_error": Option("bool", True),
        "disabled": Option("list", []),
    },
}

SWITCH_KEYS = {"name": str, "host": str, "port": int, "password": str, "cache_clear": str,
               "cache_folder": str}
CACHE_CLEAR = ("files", "luarun")
TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def _coerce(key: str, opt: Option, value: Any) -> Any:
    """Turn a TOML or environment value into the option's type, or raise naming the key."""
    try:
        if opt.kind == "bool":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in TRUE or text in FALSE:
                return text in TRUE
            raise ValueError("expected true or false")
        if opt.kind in ("int", "float"):
            if isinstance(value, bool):
                raise ValueError("expected a number")
            number = int(value) if opt.kind == "int" else float(value)
            if opt.minimum is not None and number < opt.minimum:
                raise ValueError(f"must be at least {opt.minimum}")
            return number
        if opt.kind == "str":
            if not isinstance(value, str):
                raise ValueError("expected a string")
            if opt.choices and value not in opt.choices:
                raise ValueError(f"must be one of {', '.join(opt.choices)}")
            return value
        if opt.kind == "list":
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError("expected a list of strings")
            return value
        return _switches(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key}: {exc}") from None


def _switches(value: Any) -> list[dict]:
    """Validate the list of FreeSWITCH hosts (name, host, port, password)."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    if not isinstance(value, list):
        raise ValueError("expected a list of {name, host, port, password, cache_clear, "
                         "cache_folder}")
    switches = []
    for item in value:
        if not isinstance(item, dict) or set(item) - set(SWITCH_KEYS):
            raise ValueError(f"each switch takes only {', '.join(SWITCH_KEYS)}")
        switch = {"name": item.get("host", ""), "port": 8021, "password": "ClueCon",
                  "cache_clear": "files", "cache_folder": "/var/cache/fusionpbx", **item}
        for name, kind in SWITCH_KEYS.items():
            if not isinstance(switch.get(name), kind) or switch[name] in ("", None):
                raise ValueError(f"switch {name} must be a non-empty {kind.__name__}")
        if switch["cache_clear"] not in CACHE_CLEAR:
            raise ValueError(f"switch cache_clear must be one of {', '.join(CACHE_CLEAR)}")
        if not switch["cache_folder"].startswith("/"):
            raise ValueError("switch cache_folder must be an absolute path")
        switches.append(switch)
    if len({s["name"] for s in switches}) != len(switches):
        raise ValueError("switch names must be unique")
    return switches


def _check_networks(key: str, values: list[str]) -> None:
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ConfigError(f"{key}: {value!r} is not an address or CIDR range") from None


def load_config(path: str | None = None, env: dict | None = None,
                overrides: dict | None = None) -> dict[str, dict[str, Any]]:
    """Build the validated configuration.

    Precedence, lowest first: defaults, the TOML file (``path`` or
    ``$FPBX_API_CONFIG``), ``overrides`` (used by tests and the demo), then
    environment variables named ``FPBX_API_<SECTION>__<KEY>``.
    """
    env = os.environ if env is None else env
    path = path or env.get(f"{ENV_PREFIX}CONFIG")
    raw: dict[str, dict[str, Any]] = {}
    if path:
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except OSError as exc:
            raise ConfigError(f"config file {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path}: {exc}") from None
    for section, values in (overrides or {}).items():
        raw.setdefault(section, {}).update(values)
    for name, value in env.items():
        if name.startswith(ENV_PREFIX) and "__" in name:
            section, _, key = name[len(ENV_PREFIX):].lower().partition("__")
            raw.setdefault(section, {})[key] = value

    config: dict[str, dict[str, Any]] = {}
    for section, values in raw.items():
        if section not in OPTIONS:
            raise ConfigError(f"{section}: unknown configuration section")
        if not isinstance(values, dict):
            raise ConfigError(f"{section}: expected a table")
        for key in values:
            if key not in OPTIONS[section]:
                raise ConfigError(f"{section}.{key}: unknown configuration key")
    for section, options in OPTIONS.items():
        given = raw.get(section, {})
        config[section] = {
            key: _coerce(f"{section}.{key}", opt, given[key]) if key in given else opt.default
            for key, opt in options.items()
        }
    _check_networks("security.allowed_ips", config["security"]["allowed_ips"])
    _check_networks("security.trusted_proxies", config["security"]["trusted_proxies"])
    database = config["database"]
    if database["answer_timeout"] * 1000 <= database["statement_timeout_ms"]:
        raise ConfigError("database.answer_timeout: must exceed statement_timeout_ms, so "
                          "that a slow statement gets the server's own error first")
    pages = config["pagination"]
    if not pages["min_per_page"] <= pages["default_per_page"] <= pages["max_per_page"]:
        raise ConfigError("pagination.default_per_page: must lie between min and max per page")
    return config
