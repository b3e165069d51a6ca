"""What the API logs cannot be forged: control characters are escaped in every record of
the fpbx_api loggers, whoever logs it."""

from __future__ import annotations

import logging

FORGED = "INFO:fpbx_api.requests:GET /api/v1/admin -> 200"


def test_a_path_cannot_forge_a_log_line(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/api/v1/x%0a" + FORGED.replace(" ", "%20") + "%0d%1b[2J")
    logged = [r for r in caplog.records if "/api/v1/admin" in r.getMessage()]
    assert logged, "the request was not logged"
    for record in logged:
        assert record.name == "fpbx_api.requests"
        message = record.getMessage()
        assert "\n" not in message and "\r" not in message and "\x1b" not in message
        assert "/api/v1/x\\n" + FORGED + "\\r\\x1b[2J" in message
    assert not any(line.startswith(FORGED) for line in caplog.text.splitlines())


def test_messages_arguments_and_tracebacks_are_escaped(app, caplog):
    caplog.set_level(logging.INFO)
    for name in ("fpbx_api.anything", "fpbx_api_plugins.someone"):
        try:
            raise ValueError("bad\n" + FORGED)
        except ValueError:
            logging.getLogger(name).exception("failed on %s\u2028", "x\ny")
        record = caplog.records[-1]
        text = logging.Formatter("%(name)s %(message)s").format(record)
        assert text.count("\n") == 1, text  # the formatter's own, before the traceback
        assert text.startswith(f"{name} failed on x\\ny\\u2028\nTraceback")
        assert "ValueError: bad\\n" + FORGED in text


def test_other_loggers_are_left_alone(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("someone.else").info("two\nlines")
    assert caplog.records[-1].getMessage() == "two\nlines"


def test_one_structured_line_per_request(client, tenants, caplog):
    caplog.set_level(logging.INFO)
    client.get("/api/v1/extensions?per_page=5", headers={**tenants.a.headers,
                                                         "X-Request-ID": "req-log"})
    (record,) = [r for r in caplog.records if r.name == "fpbx_api.requests"]
    assert record.getMessage().startswith("GET /api/v1/extensions -> 200 in ")
    assert (record.method, record.path, record.status, record.request_id) == (
        "GET", "/api/v1/extensions", 200, "req-log")
    assert record.domain == tenants.a.name and record.duration_ms >= 0


def test_nothing_logged_below_the_level(make_app, tenants, caplog):
    caplog.set_level(logging.INFO)
    client = make_app(logging={"level": "WARNING"}).test_client()
    assert client.get("/api/v1/extensions", headers=tenants.a.headers).status_code == 200
    # (a request slower than the slow-request threshold still warns, on a loaded machine)
    assert not [r for r in caplog.records
                if r.name == "fpbx_api.requests" and r.levelno < logging.WARNING]


def test_a_handler_is_added_when_nobody_configured_one(make_app, monkeypatch):
    """Under gunicorn the root logger has no handler: request lines would go nowhere."""
    root, ours = logging.getLogger(), logging.getLogger("fpbx_api")
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(ours, "handlers", [])
    monkeypatch.setattr(ours, "propagate", True)
    make_app()
    assert [type(h) for h in ours.handlers] == [logging.StreamHandler]
    make_app()  # not twice
    assert len(ours.handlers) == 1


def test_a_request_line_is_written_once_when_the_root_logger_gets_a_handler_later(
        make_app, tenants, monkeypatch, capsys):
    """greenswitch's ``logging.debug`` gives the root logger a handler after start-up."""
    root, ours = logging.getLogger(), logging.getLogger("fpbx_api")
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(ours, "handlers", [])
    monkeypatch.setattr(ours, "propagate", True)
    client = make_app().test_client()
    logging.basicConfig()
    try:
        assert client.get("/api/v1/extensions", headers=tenants.a.headers).status_code == 200
    finally:
        for handler in root.handlers:
            root.removeHandler(handler)
    lines = [line for line in capsys.readouterr().err.splitlines()
             if "GET /api/v1/extensions -> 200" in line]
    assert len(lines) == 1, lines
