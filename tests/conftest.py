"""Fixtures of the project's own tests (the shared ones come from fpbx_api.testing)."""

from __future__ import annotations

import importlib
import logging
import sys

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAMPLE_PLUGINS = {"notes": "tests.sample_plugins.notes:plugin",
                  "leaky": "tests.sample_plugins.leaky:plugin",
                  "planted": "tests.sample_plugins.planted:plugin",
                  "shapes": "tests.sample_plugins.shapes:plugin",
                  "scopes": "tests.sample_plugins.scopes:plugin"}
BROKEN_PLUGIN = "zz_broken = tests.sample_plugins.broken:plugin\n"


@pytest.fixture
def sample_plugins(tmp_path, monkeypatch):
    """Register tests/sample_plugins as entry points of an installed distribution, as a
    third-party package would be: a dist-info folder on sys.path. Yields its entry-point
    file."""
    dist = tmp_path / "fpbx_sample_plugins-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fpbx-sample-plugins\n"
                                   "Version: 0.1.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in SAMPLE_PLUGINS.items())
    (dist / "entry_points.txt").write_text(f"[fpbx_api.plugins]\n{lines}")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield dist / "entry_points.txt"
    sys.modules.pop("tests.sample_plugins.broken", None)


@pytest.fixture
def broken_plugin(sample_plugins):
    """The sample plugins plus ``zz_broken``, whose import fails."""
    with sample_plugins.open("a") as entry_points:
        entry_points.write(BROKEN_PLUGIN)


@pytest.fixture
def redis_server():
    """A redis-server of this test only (see tests/redis_server.py)."""
    from tests.redis_server import RedisServer

    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def statements():
    """SQL statements run while the test runs (one query per page, not one per row)."""
    seen = []

    def note(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    yield seen
    event.remove(Engine, "before_cursor_execute", note)


def pytest_addoption(parser):
    parser.addoption("--deep", action="store_true",
                     help="fuzz with many more examples (slow; not for CI)")


def pytest_terminal_summary(terminalreporter):
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("reliability figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")


# --- secrets never reach a log line -------------------------------------------------------
# Every log record of the whole run is kept; every secret the run handled (keys, passwords
# and PINs sent or generated) is remembered; at the end none may appear in any record.

SECRET_FIELDS = {"password", "voicemail_password", "api_key"}
SECRETS: set[str] = set()
LOG_LINES: list[str] = []


class _Keep(logging.Handler):
    def emit(self, record):
        LOG_LINES.append(self.format(record))


def pytest_configure(config):
    handler = _Keep(level=logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.DEBUG)


def remember_secrets(values) -> None:
    """Note secret fields of a request or response body."""
    if isinstance(values, dict):
        for key, value in values.items():
            if key in SECRET_FIELDS and isinstance(value, str) and len(value) >= 8:
                SECRETS.add(value)
            remember_secrets(value)
    elif isinstance(values, list):
        for value in values:
            remember_secrets(value)


def _note_secrets(response):
    from flask import request

    if response.status_code < 300 and response.is_json:
        remember_secrets(response.get_json(silent=True))
        remember_secrets(request.get_json(silent=True))
    key = request.headers.get("X-API-Key")
    if key and len(key) >= 8:
        SECRETS.add(key)
    return response


@pytest.fixture
def make_app(make_app):
    """The kit's factory, with every app noting the secrets it handles."""

    def factory(**sections):
        app = make_app(**sections)
        app.after_request(_note_secrets)
        return app

    return factory


def leaked(secrets, lines) -> list[str]:
    """The secrets (shown by their first characters) that appear in a log line."""
    text = "\n".join(lines)
    return sorted(s[:4] + "…" for s in secrets if s in text)


def pytest_sessionfinish(session, exitstatus):
    """Check this process's log lines for secrets. Under pytest-xdist each worker checks
    its own and hands its figures to the controller (``workeroutput``), which fails the
    run if any worker found a leak."""
    from tests.figures import FIGURES

    if not session.config.pluginmanager.has_plugin("dsession"):  # not the xdist controller
        leaks = leaked(SECRETS, LOG_LINES)
        FIGURES["secrets checked against log lines"] = f"{len(SECRETS)} x {len(LOG_LINES)}"
        if leaks:
            FIGURES[LEAKED] = ", ".join(leaks)
    if hasattr(session.config, "workeroutput"):  # an xdist worker
        session.config.workeroutput["figures"] = {k: str(v) for k, v in FIGURES.items()}
    if LEAKED in FIGURES:
        session.exitstatus = 1


LEAKED = "SECRETS LEAKED INTO LOGS"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller's summary: each figure of every worker, side by side."""
    from tests.figures import FIGURES

    for name, value in getattr(node, "workeroutput", {}).get("figures", {}).items():
        FIGURES[name] = f"{FIGURES[name]}; {value}" if name in FIGURES else value
