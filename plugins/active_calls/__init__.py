"""Active calls: live channels from every FreeSWITCH, and call control."""

from fpbx_api_plugins.active_calls.routes import blp

from fpbx_api.plugins import Plugin

plugin = Plugin(name="active_calls", blueprint=blp, version="1.0.0",
                description="Live calls of the domain on every switch; hangup, transfer, "
                            "click-to-call")
