"""Registrations: the domain's SIP registrations on every switch."""

from fpbx_api_plugins.registrations.routes import blp

from fpbx_api.plugins import Plugin

plugin = Plugin(name="registrations", blueprint=blp)
