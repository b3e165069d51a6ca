"""pytest fixtures for fpbx-api and third-party plugins.

``fpbx_db``: a PostgreSQL database with FusionPBX's schema (one per test
session, emptied before each test). ``tenants``: domains example.com (``a``)
and other.example (``b``), each with read-write, read-only and system keys.
``make_app(**sections)``: an app on that database; ``app``/``client``: the
default one (auth mode ``both``, the global key ``GLOBAL_KEY``).
``switches``: two FreeSWITCH simulators (``fs1``, ``fs2``) on real TCP sockets,
each reading the test database through its own file cache as FusionPBX's Lua
does (``sim.register(user, domain, password)``); ``esl_app``/``esl_client``: an
app talking to both, sharing their cache folders.
"""

from __future__ import annotations

import pytest

from fpbx_api.app import create_app
from fpbx_api.config import load_config
from fpbx_api.freeswitch.simulator import Simulator
from fpbx_api.testing.database import TestDatabase
from fpbx_api.testing.tenants import GLOBAL_KEY, Tenants


@pytest.fixture(scope="session")
def fpbx_database():
    database = TestDatabase()
    yield database
    database.drop()


@pytest.fixture
def fpbx_db(fpbx_database):
    fpbx_database.truncate()
    return fpbx_database


@pytest.fixture
def tenants(fpbx_db) -> Tenants:
    return Tenants.create(fpbx_db.engine)


@pytest.fixture
def make_app(fpbx_db):
    """Build an app on the test database; keyword arguments are config sections."""

    def factory(**sections):
        overrides = {
            "database": {"url": fpbx_db.url, "pool_size": 2},
            "security": {"auth_mode": "both", "global_key": GLOBAL_KEY},
            "rate_limit": {"requests_per_minute": 10_000, "requests_per_hour": 100_000},
        }
        for section, values in sections.items():
            overrides.setdefault(section, {}).update(values)
        app = create_app(load_config(env={}, overrides=overrides))
        app.config["TESTING"] = True
        return app

    return factory


@pytest.fixture
def app(make_app, tenants):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def switches(fpbx_database):
    """Two simulated switches, as a FusionPBX cluster would have."""
    sims = [Simulator(hostname=name, db_url=fpbx_database.url).start()
            for name in ("fs1", "fs2")]
    yield sims
    for sim in sims:
        sim.stop()


@pytest.fixture
def esl_app(make_app, tenants, switches):
    return make_app(freeswitch={"switches": [s.switch() for s in switches], "timeout": 1.0})


@pytest.fixture
def esl_client(esl_app):
    return esl_app.test_client()
