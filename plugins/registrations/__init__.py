"""Registrations: the domain's SIP registrations on every switch."""

from fpbx_api_plugins.registrations.routes import blp

from fpbx_api.plugins import Plugin

plugin = Plugin(name="registrations", blueprint=blp, version="1.0.0",
                description="Live SIP registrations of the domain on every switch")
