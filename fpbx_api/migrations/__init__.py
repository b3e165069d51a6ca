"""The API's own schema (``v_api_keys``), managed by Alembic.

FusionPBX's tables are never created or altered here; the version table has
its own name so it cannot collide with anything of FusionPBX's.
"""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config

VERSION_TABLE = "fpbx_api_alembic_version"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", os.path.dirname(__file__))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
