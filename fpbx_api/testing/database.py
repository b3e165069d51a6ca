"""Throw-away PostgreSQL databases holding FusionPBX's real schema."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg2
from sqlalchemy import create_engine, text

from fpbx_api import migrations

SCHEMA_SQL = Path(__file__).with_name("fusionpbx-5.6.4-dev-schema.sql")
ADMIN_DSN = os.environ.get("FPBX_API_TEST_ADMIN_DSN", "host=127.0.0.1 port=5432 user=postgres "
                                                      "dbname=postgres")
# The columns FusionPBX 5.6 added over 5.5 (FusionPBX's app_config.php files of 5.5 and 5.6).
FUSIONPBX_55_COLUMNS = {
    "v_voicemails": ["alternate_voicemail_destination", "alternate_voicemail_enabled",
                     "voicemail_transcription_prompt", "voicemail_transcription_prompt_enabled"],
    "v_ring_groups": ["ring_group_wait_announcement", "ring_group_wait_interval"],
    "v_recordings": ["recording_speed"],
    "v_user_logs": ["remember_selector", "remember_validator"],
    "v_xml_cdr": ["processed"],
}


OWN_TABLES = {"v_api_keys", migrations.VERSION_TABLE}


class TestDatabase:
    """A new database with the FusionPBX schema and the API's migrations applied."""

    __test__ = False

    def __init__(self, version: str = "5.6"):
        self.name = f"fpbx_test_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{self.name}"')
        dsn = ADMIN_DSN.replace("dbname=postgres", f"dbname={self.name}")
        conn = psycopg2.connect(dsn)
        try:
            with conn.cursor() as cur:
                cur.execute(SCHEMA_SQL.read_text())
                if version == "5.5":
                    for table, columns in FUSIONPBX_55_COLUMNS.items():
                        for column in columns:
                            cur.execute(f"ALTER TABLE public.{table} DROP COLUMN {column} "
                                        "CASCADE")
            conn.commit()
        finally:
            conn.close()
        params = dict(p.split("=", 1) for p in ADMIN_DSN.split())
        self.url = (f"postgresql+psycopg2://{params.get('user', 'postgres')}@"
                    f"{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/{self.name}")
        migrations.upgrade(self.url)
        self.engine = create_engine(self.url)
        with self.engine.connect() as conn:
            self.tables = conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
            # Rows are told apart by their primary key: the first column is often
            # domain_uuid (v_dialplans, v_dialplan_details, v_destinations).
            self.keys = dict(conn.execute(text(
                "SELECT c.relname, a.attname FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                "WHERE i.indisprimary")).all())

    def _admin(self, statement: str) -> None:
        conn = psycopg2.connect(ADMIN_DSN)
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(statement)
        finally:
            conn.close()

    def truncate(self) -> None:
        """Empty every table (FusionPBX's and the API's) for the next test.

        Only the tables holding rows are truncated, found in one query: TRUNCATE gives
        each table new files, and doing so for all 119 tables of the schema after every
        test cost 2 s a test on a loaded machine (58 ms now)."""
        with self.engine.begin() as conn:
            names = conn.execute(text(self._holding_rows)).scalars().all()
            if names:
                conn.execute(text("TRUNCATE " + ", ".join(f'public."{t}"' for t in names)))

    @property
    def _holding_rows(self) -> str:
        return " UNION ALL ".join(
            f"SELECT '{t}' WHERE EXISTS (SELECT FROM public.\"{t}\")"
            for t in self.tables if t != migrations.VERSION_TABLE)

    def rows(self, table: str, **where) -> list[dict]:
        """Rows of ``table`` matching ``where``, as dicts (for asserting what was written)."""
        clause = " AND ".join(f"{k} = :{k}" for k in where) or "TRUE"
        with self.engine.connect() as conn:
            result = conn.execute(text(f"SELECT * FROM {table} WHERE {clause}"), where)
            return [dict(r._mapping) for r in result]

    def snapshot(self) -> dict[str, dict]:
        """Every row of every FusionPBX table, keyed by table and primary key (the API's
        own tables are left out: a key's last use is not a FusionPBX change)."""
        snap = {}
        with self.engine.connect() as conn:
            for table in self.tables:
                if table in OWN_TABLES:
                    continue
                rows = conn.execute(text(f'SELECT * FROM public."{table}"')).mappings().all()
                if rows:
                    key = self.keys.get(table) or next(iter(rows[0]))
                    snap[table] = {str(r[key]): dict(r) for r in rows}
        return snap

    def changes(self, before: dict) -> dict[str, dict[str, list]]:
        """What was added, removed and changed since ``before`` (a ``snapshot()``)."""
        after = self.snapshot()
        out: dict[str, dict[str, list]] = {}
        for table in set(before) | set(after):
            old, new = before.get(table, {}), after.get(table, {})
            diff = {"added": [new[k] for k in new.keys() - old.keys()],
                    "removed": [old[k] for k in old.keys() - new.keys()],
                    "changed": [(old[k], new[k]) for k in old.keys() & new.keys()
                                if old[k] != new[k]]}
            if any(diff.values()):
                out[table] = diff
        return out

    def fingerprint(self) -> str:
        """One digest of every FusionPBX row, in one round trip: cheaper than a snapshot
        when only "did anything change?" matters."""
        parts = " UNION ALL ".join(
            f"SELECT '{t}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "
            f'AS h FROM public."{t}" x' for t in self.tables if t not in OWN_TABLES)
        with self.engine.connect() as conn:
            rows = conn.execute(text(f"SELECT md5(string_agg(t || h, ',' ORDER BY t)) "
                                     f"FROM ({parts}) s")).scalar()
        return rows

    def execute(self, sql: str, **params) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(sql), params)

    def drop(self) -> None:
        self.engine.dispose()
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
