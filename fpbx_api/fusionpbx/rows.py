"""Values every FusionPBX row carries: a uuid4 key, a UTC timestamp, and the
built-in groups its installer creates."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

# FusionPBX's built-in groups (v_groups rows with no domain) and their levels, as its
# installer creates them (core/groups/app_config.php).
BUILTIN_GROUPS = {"superadmin": 80, "admin": 50, "user": 30, "agent": 20, "public": 10}


def new_uuid() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)
