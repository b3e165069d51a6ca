"""Shared fixtures come from fpbx_api.testing (the pytest11 plugin)."""
