"""Two tenants with keys, and clients that speak for them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fpbx_api.fusionpbx.models import Domain, Group
from fpbx_api.fusionpbx.rows import BUILTIN_GROUPS, now
from fpbx_api.http import keys

GLOBAL_KEY = "test-global-key-0123456789abcdef0123"


@dataclass
class Tenant:
    """A domain and its keys: ``key`` read-write, ``read_key`` read-only."""

    name: str
    domain_uuid: str
    key: str = ""
    read_key: str = ""
    system_key: str = ""
    headers: dict = field(default_factory=dict)

    def auth_modes(self) -> dict[str, dict]:
        """Headers for the three ways to act for this domain: the global key (all scopes),
        a per-domain write key and a per-domain key with the system scope."""
        return {"global key": {"X-API-Key": GLOBAL_KEY, "X-Domain": self.name},
                "write key": {"X-API-Key": self.key},
                "system key": {"X-API-Key": self.system_key}}


@dataclass
class Tenants:
    """Two domains (``a`` example.com, ``b`` other.example) on a database that has
    FusionPBX's built-in groups."""

    a: Tenant
    b: Tenant

    @classmethod
    def create(cls, engine) -> Tenants:
        made = []
        with Session(engine) as db:
            if db.scalars(select(Group)).first() is None:
                db.add_all(Group(group_uuid=str(uuid.uuid4()), group_name=name,
                                 group_level=level, group_protected=False)
                           for name, level in BUILTIN_GROUPS.items())
            for name in ("example.com", "other.example"):
                domain = Domain(domain_uuid=str(uuid.uuid4()), domain_name=name,
                                domain_enabled=True, insert_date=now())
                db.add(domain)
                tenant = Tenant(name, domain.domain_uuid)
                tenant.key = keys.create_key(db, domain.domain_uuid, scopes=["write"])[1]
                tenant.read_key = keys.create_key(db, domain.domain_uuid, scopes=["read"])[1]
                tenant.system_key = keys.create_key(db, domain.domain_uuid,
                                                    scopes=["system"])[1]
                tenant.headers = {"X-API-Key": tenant.key}
                made.append(tenant)
            db.commit()
        return cls(*made)
