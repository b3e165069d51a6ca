"""Domains: the authenticated domain, as the contract shows it."""

from fpbx_api_plugins.domains.routes import blp

from fpbx_api.plugins import Plugin

plugin = Plugin(name="domains", blueprint=blp)
