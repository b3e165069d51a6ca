"""fpbx-api's own resources, each a plugin (installed as ``fpbx_api_plugins``)."""
