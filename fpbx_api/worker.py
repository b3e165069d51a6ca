"""A gunicorn worker that slow clients cannot take down (slowloris).

``sync`` gives each connection a whole worker until its request has arrived: four sockets
trickling a header line every few seconds held all four workers. gunicorn 27's ``gthread``
parks a new connection in its poller only while it has sent nothing, after waiting up to
5 s for it in a thread (``DEFAULT_WORKER_DATA_TIMEOUT``); once a byte has arrived, a thread
reads the head and the body with blocking reads for as long as the client takes, so a few
dozen trickling sockets hold every thread. ``gevent`` would not block on a slow client, but
psycopg2 would block its whole loop.

This worker is ``gthread`` reading every request in its poller, without blocking: the head,
and a body of known length up to ``BODY_LIMIT``. A thread gets the connection only once the
request is complete, so threads only ever run the app. A request that has not arrived within
``READ_TIMEOUT`` is dropped; a head over ``HEAD_LIMIT`` is answered in the API's error
envelope. Bodies that are larger, chunked, or wait for ``100 Continue`` are read by the
thread as in ``gthread``. A TLS listener (gunicorn's ``certfile``) or cleartext HTTP/2 keeps
``gthread``'s own behaviour: TLS is terminated in front of gunicorn (README, deployment).
"""

from __future__ import annotations

import json
import re
import selectors
import time
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

READ_TIMEOUT = 10.0
HEAD_LIMIT = 64 * 1024
BODY_LIMIT = 256 * 1024
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d{1,12})[ \t]*\r?$", re.I | re.M)
_WAITS_FOR_US = re.compile(rb"^(transfer-encoding|expect):", re.I | re.M)


def request_complete(data: bytes) -> bool | None:
    """Whether ``data`` holds a whole request (None: a head over ``HEAD_LIMIT``)."""
    end = _HEAD_END.search(data, 0, HEAD_LIMIT + 4)
    if end is None:
        return None if len(data) > HEAD_LIMIT else False
    head = data[:end.start()]
    if _WAITS_FOR_US.search(head):
        return True
    length = _CONTENT_LENGTH.search(head)
    body = int(length.group(1)) if length else 0
    return body > BODY_LIMIT or len(data) - end.end() >= body


def _too_large(data: bytes) -> bytes:
    """The contract's error envelope for a head over the limit, as raw HTTP: 414 when the
    request line alone is too long, else 431."""
    status, code, what = ((414, "URI_TOO_LONG", "Request line") if b"\n" not in data[:HEAD_LIMIT]
                          else (431, "HEADERS_TOO_LARGE", "Request line and headers"))
    body = json.dumps({"success": False, "error": {
        "code": code, "message": f"{what} over {HEAD_LIMIT} bytes"}}).encode()
    reason = {414: "URI Too Long", 431: "Request Header Fields Too Large"}[status]
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


class RequestBufferingWorker(ThreadWorker):
    """``gthread``, but a connection reaches a thread only with a complete request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading: dict = {}  # connection -> bytes so far, oldest first

    def enqueue_req(self, conn):
        """Every way a connection reaches a thread (new, kept alive, pipelined) comes here."""
        if self.cfg.is_ssl or self.cfg.http2_cleartext != "off" or conn.is_http2:
            return super().enqueue_req(conn)
        held = conn.parser.unreader.take_buffered() if conn.parser else b""
        if held and request_complete(held):
            conn.parser.unreader.unread(held)
            return super().enqueue_req(conn)
        conn.sock.setblocking(False)
        conn.read_deadline = time.monotonic() + READ_TIMEOUT
        self.reading[conn] = held
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, conn))

    def _readable(self, conn, _sock):
        try:
            data = conn.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            return self._drop(conn)
        held = self.reading[conn] = self.reading[conn] + data
        complete = request_complete(held)
        if complete is False:
            return
        if complete is None:
            try:
                conn.sock.setblocking(True)
                conn.sock.settimeout(1.0)
                conn.sock.sendall(_too_large(held))
            except OSError:
                pass  # the client is gone or not reading: nothing more to tell it
            return self._drop(conn)
        self.poller.unregister(conn.sock)
        del self.reading[conn]
        conn.data_ready = True  # no wait for data in the thread
        conn.init()
        conn.parser.unreader.unread(held)
        super().enqueue_req(conn)

    def _drop(self, conn):
        self.poller.unregister(conn.sock)
        del self.reading[conn]
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """Also drop requests that did not arrive in time (all of them when stopping)."""
        super().murder_pending()
        now = time.monotonic()
        for conn in list(self.reading):
            if self.alive and conn.read_deadline > now:
                break
            self._drop(conn)
