"""Plugin discovery: every resource is a blueprint announced through the
``fpbx_api.plugins`` entry-point group. The core never imports a plugin."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from fpbx_api.http.envelope import Blueprint

log = logging.getLogger("fpbx_api.plugins")
GROUP = "fpbx_api.plugins"


@dataclass(frozen=True)
class Index:
    """An index a plugin's queries want on a FusionPBX table. FusionPBX's schema script
    leaves unknown indexes alone; ``fpbx-api db indexes`` creates them (opt-in)."""

    name: str
    table: str
    definition: str           # what follows "ON <table>", e.g. "(domain_uuid, start_stamp)"
    purpose: str
    extension: str | None = None  # a PostgreSQL extension it needs (e.g. pg_trgm)


@dataclass
class Plugin:
    """What a plugin's entry point names: its blueprint and a little about it.

    ``system_wide`` marks resources without a domain: writing
    them needs a key with the ``system`` scope. ``description`` defaults to the
    blueprint's (written once), ``title`` (the docs' tag, "Ring groups") to the name's
    words.
    """

    name: str
    blueprint: Blueprint
    version: str = "1.0.0"
    description: str = ""
    system_wide: bool = False
    indexes: tuple[Index, ...] = ()
    title: str = ""

    def __post_init__(self):
        self.description = self.description or self.blueprint.description or ""
        self.title = self.title or self.name.replace("_", " ").capitalize()


@dataclass
class LoadReport:
    loaded: list[Plugin] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


class PluginError(RuntimeError):
    """A plugin failed to load and ``plugins.fail_on_error`` is set."""


def discover(disabled: list[str], fail_on_error: bool) -> LoadReport:
    """Load every entry point of the group, sorted by name so the spec is stable."""
    report = LoadReport()
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if ep.name in disabled or ep.name in {p.name for p in report.loaded}:
            continue
        try:
            plugin = ep.load()
            if not isinstance(plugin, Plugin):
                raise TypeError(f"{ep.value} is not an fpbx_api.plugins.Plugin")
        except Exception as exc:  # a broken plugin must not take the API down
            if fail_on_error:
                raise PluginError(f"plugin {ep.name} failed to load: {exc}") from exc
            log.error("plugin %s failed to load: %s: %s", ep.name, type(exc).__name__, exc)
            report.failed[ep.name] = f"{type(exc).__name__}: {exc}"
            continue
        report.loaded.append(plugin)
    return report
