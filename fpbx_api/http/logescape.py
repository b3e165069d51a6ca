"""Log lines nobody can forge: control characters in what the API logs are escaped.

A request path, a header or an exception message can carry a newline (``/x%0aINFO:…``):
logged as is, it would start a fake log line. Every record of the ``fpbx_api`` loggers
(and the plugins', ``fpbx_api_plugins``) has its message, and its traceback text, escaped
once when it is made, so no call site has to remember it.

It is done in the log record factory because a filter on the ``fpbx_api`` logger would
not see the records of its children (``fpbx_api.requests`` …), and the handlers belong to
whoever runs the app (gunicorn, pytest).
"""

from __future__ import annotations

import logging
import re
import traceback

OURS = ("fpbx_api",)  # also matches fpbx_api_plugins
# C0 and C1 controls, DEL, the Unicode line and paragraph separators, lone surrogates
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """``text`` with each control character written as a visible escape (``\\n``, ``\\x1b``)."""
    return CONTROL.sub(lambda m: NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"
                                           if ord(m.group()) < 0x100
                                           else f"\\u{ord(m.group()):04x}"), text)


def _escaped(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format: leave it to logging to report
        return record
    record.msg, record.args = escape(message), None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = escape("".join(traceback.format_exception(*record.exc_info)))
    if record.stack_info:
        record.stack_info = escape(record.stack_info)
    return record


def install() -> None:
    """Wrap the current record factory, once per process."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "escapes_fpbx_api", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        return _escaped(record) if record.name.startswith(OURS) else record

    factory.escapes_fpbx_api = True
    logging.setLogRecordFactory(factory)
