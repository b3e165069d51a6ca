"""CDR: call detail records, paged, by cursor, or exported as CSV."""

from fpbx_api_plugins.cdr.routes import blp

from fpbx_api.plugins import Index, Plugin

INDEXES = (
    Index("fpbx_api_xml_cdr_domain_start", "v_xml_cdr",
          "(domain_uuid, start_stamp DESC, xml_cdr_uuid DESC)",
          "date ranges, newest-first pages, counts and the cursor"),
    Index("fpbx_api_xml_cdr_domain_extension", "v_xml_cdr",
          "(domain_uuid, extension_uuid, start_stamp DESC)", "one extension's calls"),
    Index("fpbx_api_xml_cdr_caller_name_trgm", "v_xml_cdr",
          "USING gin (caller_id_name gin_trgm_ops)", "caller_id partial search (name)",
          extension="pg_trgm"),
    Index("fpbx_api_xml_cdr_caller_number_trgm", "v_xml_cdr",
          "USING gin (caller_id_number gin_trgm_ops)", "caller_id partial search (number)",
          extension="pg_trgm"),
)

plugin = Plugin(name="cdr", blueprint=blp, title="Call detail records (CDR)",
                indexes=INDEXES)
