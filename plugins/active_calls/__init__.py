"""Active calls: live channels from every FreeSWITCH, and call control."""

from fpbx_api_plugins.active_calls.routes import blp

from fpbx_api.plugins import Plugin

plugin = Plugin(name="active_calls", blueprint=blp)
