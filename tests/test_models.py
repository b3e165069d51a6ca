"""The declared models against FusionPBX's real schema, on 5.6 and 5.5 databases."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Boolean, DateTime, Numeric, Text, text

from fpbx_api.app import create_app
from fpbx_api.config import load_config
from fpbx_api.fusionpbx.models import Base
from fpbx_api.fusionpbx.models.base import Uuid
from fpbx_api.testing import FUSIONPBX_55_COLUMNS, Tenants, TestDatabase
from fpbx_api.testing.tenants import GLOBAL_KEY

PG_TYPES = {Uuid: {"uuid"}, Text: {"text", "character"}, Boolean: {"boolean"},
            Numeric: {"numeric"}, DateTime: {"timestamp with time zone"}, JSON: {"jsonb", "json"}}


def pg_types(column) -> set[str]:
    return next(names for kind, names in PG_TYPES.items() if isinstance(column.type, kind))


def test_every_mapped_column_exists_with_a_compatible_type(fpbx_database):
    with fpbx_database.engine.connect() as conn:
        actual = {(r.table_name, r.column_name): r.data_type for r in conn.execute(text(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public'"))}
    checked = 0
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            assert actual.get((table.name, column.name)) in pg_types(column), (
                f"{table.name}.{column.name}")
            checked += 1
        primary = [c.name for c in table.primary_key.columns]
        assert primary == [f"{table.name.removeprefix('v_').rstrip('s')}_uuid"] or \
            len(primary) == 1
    assert checked > 200


def test_columns_missing_in_5_5_are_deferred():
    for table, columns in FUSIONPBX_55_COLUMNS.items():
        if table in Base.metadata.tables:
            model = next(m for m in Base.registry.mappers if m.local_table.name == table)
            for column in columns:
                assert model.attrs[column].deferred, f"{table}.{column}"


@pytest.fixture(scope="module")
def database_55():
    database = TestDatabase(version="5.5")
    yield database
    database.drop()


def test_extensions_work_on_a_fusionpbx_5_5_database(database_55):
    tenants = Tenants.create(database_55.engine)
    app = create_app(load_config(env={}, overrides={
        "database": {"url": database_55.url},
        "security": {"auth_mode": "both", "global_key": GLOBAL_KEY}}))
    client = app.test_client()
    created = client.post("/api/v1/extensions", json={"extension": "1001"},
                          headers=tenants.a.headers)
    assert created.status_code == 201, created.json
    uuid = created.json["data"]["extension_uuid"]
    got = client.get(f"/api/v1/extensions/{uuid}", headers=tenants.a.headers)
    assert got.json["data"]["voicemail"]["voicemail_id"] == "1001"
    assert client.put(f"/api/v1/extensions/{uuid}", json={"description": "x"},
                      headers=tenants.a.headers).status_code == 200
    assert client.delete(f"/api/v1/extensions/{uuid}", headers=tenants.a.headers
                         ).status_code == 204
    assert database_55.rows("v_voicemails") == []


def test_a_password_change_works_on_a_fusionpbx_5_5_database(database_55):
    """5.5 has no remember-me tokens (no v_user_logs.remember_* columns): the change
    is still logged, and nothing asks for the missing columns."""
    tenants = Tenants.create(database_55.engine)
    app = create_app(load_config(env={}, overrides={
        "database": {"url": database_55.url},
        "security": {"auth_mode": "both", "global_key": GLOBAL_KEY}}))
    client = app.test_client()
    created = client.post("/api/v1/users", json={"username": "pat", "password": "Old-Pass-1234"},
                          headers=tenants.a.headers)
    assert created.status_code == 201, created.json
    uuid = created.json["data"]["user_uuid"]
    assert client.put(f"/api/v1/users/{uuid}", json={"password": "New-Pass-12345"},
                      headers=tenants.a.headers).status_code == 200
    assert [r["type"] for r in database_55.rows("v_user_logs", username="pat")] == [
        "Password Changed"]
