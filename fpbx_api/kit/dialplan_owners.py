"""Which resource writes the ``v_dialplans`` rows of each FusionPBX app.

A feature's dialplan (a ring group's, an IVR's, an inbound route's…) is rebuilt from the
feature's own rows on every save, so it is written through that feature's resource
only. Each resource declares the app_uuids of the dialplans it generates
(``Resource.dialplan_apps``, by default its slice's ``app_uuid``); the kit learns them
when the resource is registered, as it learns number columns (``fpbx_api.kit.numbers``).
The core keeps no list of apps: a plugin that is not installed (or is disabled) owns no
dialplans.
"""

from __future__ import annotations

from flask import current_app, url_for

# app_uuid -> {resource class: (noun phrase, endpoint of its collection)}
_owners: dict[str, dict[type, tuple[str, str]]] = {}


def apps_of(resource) -> tuple[str, ...]:
    """The app_uuids of the dialplans ``resource`` generates."""
    sliced = resource.slice.get("app_uuid")
    return tuple(resource.dialplan_apps) or ((sliced,) if sliced else ())


def declare(resource, endpoint: str) -> None:
    """Learn the dialplan apps of ``resource``, served at ``endpoint`` (registering it
    twice, as a second app in one process does, changes nothing)."""
    for app_uuid in apps_of(resource):
        _owners.setdefault(str(app_uuid).lower(), {})[type(resource)] = (
            resource.noun.phrase, endpoint)


def owner(app_uuid) -> tuple[str, str] | None:
    """``(what, where)`` for a dialplan of a feature's app ("a ring group",
    "/api/v1/ring-groups"; several joined by "or"), or None for a dialplan of no
    installed feature."""
    owners = [(phrase, endpoint) for phrase, endpoint in
              _owners.get(str(app_uuid).lower(), {}).values()
              if endpoint in current_app.view_functions]  # not a disabled plugin's
    if not owners:
        return None
    phrases = dict.fromkeys(phrase for phrase, _ in owners)
    paths = dict.fromkeys(url_for(endpoint) for _, endpoint in owners)
    return " or ".join(phrases), " or ".join(paths)
