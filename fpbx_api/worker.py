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
import socket
import time
from functools import partial

from gunicorn.workers.gthread import ThreadWorker

# A client has this long to send a whole request. Buffers are bounded: at most
# HEAD_LIMIT + BODY_LIMIT (and one read) per connection, times worker_connections.
READ_TIMEOUT = 10.0
HEAD_LIMIT = 32 * 1024
BODY_LIMIT = 64 * 1024  # the API's bodies are a few KiB; larger ones are read by the thread
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d{1,12})[ \t]*\r?$", re.I | re.M)
_WAITS_FOR_US = re.compile(rb"^(transfer-encoding|expect):", re.I | re.M)


class PendingRequest:
    """The bytes of a request read so far, and whether they make a whole one. Each byte is
    scanned once, however thinly the client spreads them."""

    __slots__ = ("data", "deadline", "needed", "refused", "scanned")

    def __init__(self):
        self.data = bytearray()
        self.deadline = time.monotonic() + READ_TIMEOUT
        self.needed: int | None = None  # bytes that make the request, once the head is in
        self.scanned = 0
        self.refused = False  # answered already (head too large); what follows is discarded

    def feed(self, chunk: bytes) -> bool | None:
        """Adds ``chunk``: True when the request is whole, None when its head is too large."""
        self.data += chunk
        if self.needed is None:
            end = _HEAD_END.search(self.data, max(0, self.scanned - 3), HEAD_LIMIT + 4)
            self.scanned = len(self.data)
            if end is None:
                return None if len(self.data) > HEAD_LIMIT else False
            head = self.data[:end.start()]
            length = _CONTENT_LENGTH.search(head)
            body = int(length.group(1)) if length else 0
            waits = _WAITS_FOR_US.search(head) or body > BODY_LIMIT
            self.needed = end.end() + (0 if waits else body)
        return len(self.data) >= self.needed


def _too_large(data: bytearray) -> bytes:
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
        self.reading: dict = {}  # connection -> PendingRequest, oldest first

    def enqueue_req(self, conn):
        """Every way a connection reaches a thread (new, kept alive, pipelined) comes here."""
        if self.cfg.is_ssl or getattr(self.cfg, "http2_cleartext", "off") != "off" \
                or conn.is_http2:
            return super().enqueue_req(conn)
        pending = PendingRequest()
        if pending.feed(conn.parser.unreader.take_buffered() if conn.parser else b""):
            conn.parser.unreader.unread(bytes(pending.data))
            return super().enqueue_req(conn)
        conn.sock.setblocking(False)
        self.reading[conn] = pending
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
        pending = self.reading[conn]
        if pending.refused:
            return  # discarded until the client closes or its time is up
        complete = pending.feed(data)
        if complete is False:
            return
        if complete is None:
            return self._refuse(conn, pending)
        self.poller.unregister(conn.sock)
        del self.reading[conn]
        conn.data_ready = True  # no wait for data in the thread
        conn.init()
        conn.parser.unreader.unread(bytes(pending.data))
        super().enqueue_req(conn)

    def _refuse(self, conn, pending):
        """Answers a head over the limit, then reads and discards what the client still
        sends until it closes: closing with unread bytes would reset the connection, and
        the client would lose the answer. Nothing here waits."""
        try:
            conn.sock.send(_too_large(pending.data))
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            return self._drop(conn)
        pending.refused, pending.data = True, bytearray()

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
            if self.alive and self.reading[conn].deadline > now:
                break
            self._drop(conn)
