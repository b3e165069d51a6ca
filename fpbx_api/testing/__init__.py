"""Test support for fpbx-api and its plugins: a PostgreSQL database with the
real FusionPBX schema, two domains with keys, and an HTTP client that sends
the auth headers. Loaded by pytest through the ``fpbx_api`` pytest11 plugin."""

from fpbx_api.testing.database import FUSIONPBX_55_COLUMNS, TestDatabase
from fpbx_api.testing.tenants import Tenant, Tenants

__all__ = ["FUSIONPBX_55_COLUMNS", "TestDatabase", "Tenant", "Tenants"]
