"""What the ``cache`` options govern: never FusionPBX data (its own UI writes the same
tables), only HTTP validators on GET responses and brief lookups of settings."""

from __future__ import annotations

import threading

from cachetools import TTLCache
from flask import Flask, current_app, request

LOOKUP_ENTRIES = 4096  # per lifetime and worker; the least recently used entry goes first


class Lookups:
    """Brief per-process lookups: one bounded ``TTLCache`` per lifetime asked for.

    An entry expires on its own and a full cache drops its least recently used
    entry, so a burst of new keys (say, guessed API keys) cannot empty it.
    """

    def __init__(self, ttl: int):
        self.ttl = ttl
        self._caches: dict[float, TTLCache] = {}
        self._lock = threading.Lock()  # cachetools caches are not thread-safe

    def get(self, key, compute, ttl: float | None = None, remember_none: bool = True):
        lifetime = min(self.ttl, ttl or self.ttl)
        with self._lock:
            cache = self._caches.setdefault(lifetime, TTLCache(LOOKUP_ENTRIES, lifetime))
            if key in cache:
                return cache[key]
        value = compute()
        if value is not None or remember_none:
            with self._lock:
                cache[key] = value
        return value


def lookup(key, compute, ttl: float | None = None, *, remember_none: bool = True):
    """``compute()``, kept for ``cache.ttl`` seconds (at most ``ttl``) when caching is on.

    ``remember_none=False`` keeps only what was found, so that misses (a guessed
    key) never displace real entries.
    """
    cache = current_app.extensions.get("fpbx_lookups")
    return cache.get(key, compute, ttl, remember_none) if cache else compute()


class Conditional:
    """ETag every cacheable GET and answer a matching If-None-Match with 304. The
    excluded paths are read once, at start-up."""

    def __init__(self, exclude: list[str]):
        self.exclude = tuple("/api/v1/" + p for p in exclude)

    def __call__(self, response):
        if (request.method == "GET" and response.status_code == 200 and response.is_json
                and not request.path.startswith(self.exclude)):
            response.add_etag(weak=True)
            response.headers["Cache-Control"] = "private, no-cache"
            response.make_conditional(request)
        return response


def init_app(app: Flask) -> None:
    options = app.config["FPBX"]["cache"]
    if options["enabled"]:
        app.extensions["fpbx_lookups"] = Lookups(options["ttl"]) if options["ttl"] else None
        app.after_request(Conditional(options["exclude_endpoints"]))
