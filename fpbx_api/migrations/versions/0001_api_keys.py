"""Per-domain API keys.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    uuid = sa.Uuid(as_uuid=False)
    stamp = sa.DateTime(timezone=True)
    op.create_table(
        "v_api_keys",
        sa.Column("api_key_uuid", uuid, primary_key=True),
        sa.Column("domain_uuid", uuid, nullable=False),
        sa.Column("key_prefix", sa.Text, nullable=False),
        sa.Column("key_hash", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text),
        sa.Column("scopes", sa.Text, nullable=False),
        sa.Column("expires_at", stamp),
        sa.Column("revoked_at", stamp),
        sa.Column("last_used_at", stamp),
        sa.Column("insert_date", stamp),
        sa.Column("insert_user", uuid),
        sa.Column("update_date", stamp),
        sa.Column("update_user", uuid),
    )
    op.create_index("ix_v_api_keys_domain_uuid", "v_api_keys", ["domain_uuid"])


def downgrade():
    op.drop_table("v_api_keys")
