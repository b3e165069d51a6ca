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
