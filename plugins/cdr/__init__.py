"""CDR: call detail records, paged, by cursor, or exported as CSV."""

from fpbx_api_plugins.cdr.routes import blp

from fpbx_api.plugins import Plugin

plugin = Plugin(name="cdr", blueprint=blp, version="1.0.0",
                description="Call detail records: filters, cursor paging, CSV export")
