"""What the ``cache`` options govern (DECISIONS.md, Caching): never FusionPBX data,
only HTTP validators on GET responses and brief lookups of settings."""

from __future__ import annotations

import time

from flask import Flask, current_app, request


class TtlCache:
    """A small per-process map whose entries expire after ``ttl`` seconds."""

    def __init__(self, ttl: int, size: int = 4096):
        self.ttl, self.size = ttl, size
        self._items: dict = {}

    def get(self, key, compute, ttl: float | None = None):
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = compute()
        if len(self._items) >= self.size:
            self._items.clear()
        self._items[key] = (now + min(self.ttl, ttl or self.ttl), value)
        return value


def lookup(key, compute, ttl: float | None = None):
    """``compute()``, kept for ``cache.ttl`` seconds (at most ``ttl``) when caching is on."""
    cache = current_app.extensions.get("fpbx_lookups")
    return cache.get(key, compute, ttl) if cache else compute()


def _conditional(response):
    """ETag every cacheable GET and answer a matching If-None-Match with 304."""
    options = current_app.config["FPBX"]["cache"]
    path = request.path.removeprefix("/api/v1/")
    if (request.method == "GET" and response.status_code == 200 and response.is_json
            and not any(path.startswith(p) for p in options["exclude_endpoints"])):
        response.add_etag(weak=True)
        response.headers["Cache-Control"] = "private, no-cache"
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    options = app.config["FPBX"]["cache"]
    if options["enabled"]:
        app.extensions["fpbx_lookups"] = TtlCache(options["ttl"]) if options["ttl"] else None
        app.after_request(_conditional)
