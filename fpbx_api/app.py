"""The application factory."""

from __future__ import annotations

import os

import flask_swagger_ui
from flask import Flask, current_app, request, send_from_directory
from flask_smorest import Api as SmorestApi

from fpbx_api import __version__, db
from fpbx_api.config import ConfigError, load_config
from fpbx_api.http import caching, health, ratelimit, reqlog, security
from fpbx_api.http.auth import authenticate, authorize
from fpbx_api.http.envelope import ErrorSchema
from fpbx_api.http.errors import http_error_response, register_error_handlers
from fpbx_api.http.openapi import document
from fpbx_api.plugins import discover

PREFIX = "/api/v1"
PUBLIC_BLUEPRINTS = {"api-docs", "meta"}
SWAGGER_ASSETS = os.path.join(os.path.dirname(flask_swagger_ui.__file__), "dist")


class Api(SmorestApi):
    """flask-smorest's Api answering errors with the contract's envelope."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return http_error_response(error)


class App(Flask):
    """Flask, with a view whose pooled connection was found dead run once more."""

    def dispatch_request(self):
        return db.once_more_if_dead(super().dispatch_request)


def create_app(config: dict | None = None, *, config_path: str | None = None,
               overrides: dict | None = None) -> Flask:
    """Build the API: ``config`` as returned by ``load_config``, or loaded here."""
    config = config or load_config(config_path, overrides=overrides)
    if not config["database"]["url"]:
        raise ConfigError("database.url: required (for example "
                          "postgresql+psycopg2://fusionpbx@127.0.0.1/fusionpbx)")
    app = App("fpbx_api")
    app.config.update(
        FPBX=config,
        API_TITLE="FusionPBX REST API",
        API_VERSION=config.get("version", "1.0"),
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=PREFIX,
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=f"{PREFIX}/docs/assets/",
        JSON_SORT_KEYS=False,
    )
    app.json.sort_keys = False
    app.url_map.strict_slashes = False

    db.init_app(app, config["database"]["url"], config["database"])
    reqlog.init_app(app)
    caching.init_app(app)
    security.init_app(app)
    app.before_request(security.assign_request_id)
    app.before_request(security.check_transport)
    ratelimit.init_app(app)
    app.before_request(_authenticate)
    register_error_handlers(app)

    api = Api(app)
    report = discover(config["plugins"]["disabled"], config["plugins"]["fail_on_error"])
    app.extensions["fpbx_plugins"] = report
    app.extensions["fpbx_system_wide"] = {p.blueprint.name for p in report.loaded
                                          if p.system_wide}
    for plugin in report.loaded:
        api.register_blueprint(plugin.blueprint,
                               url_prefix=PREFIX + (plugin.blueprint.url_prefix or ""))
    app.add_url_rule(f"{PREFIX}/", "meta.index", _index)
    app.add_url_rule(f"{PREFIX}/health", "meta.health", health.health)
    app.add_url_rule(f"{PREFIX}/docs/assets/<path:filename>", "meta.swagger_assets",
                     lambda filename: send_from_directory(SWAGGER_ASSETS, filename))
    document(api, report)
    return app


def _authenticate():
    """Authenticate every plugin route; the index and the docs are public."""
    if request.method == "OPTIONS":
        return current_app.make_default_options_response()
    if request.endpoint is None or request.blueprint in PUBLIC_BLUEPRINTS \
            or request.endpoint.startswith("meta."):
        return None
    authenticate()
    authorize(request.blueprint in current_app.extensions["fpbx_system_wide"])
    return None


def _index():
    report = current_app.extensions["fpbx_plugins"]
    return {"success": True, "data": {
        "name": "fpbx-api",
        "version": __version__,
        "plugins": [{"name": p.name, "version": p.version, "description": p.description}
                    for p in report.loaded],
        "failed_plugins": sorted(report.failed),
    }}
