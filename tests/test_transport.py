"""gunicorn as deployed (gunicorn.conf.py) and as ``fpbx-api serve`` starts it: forwarded
headers believed from security.trusted_proxies only, slow clients that cannot take the API
down, long request lines answered in the envelope, one control socket per instance."""

from __future__ import annotations

import socket
import time
from contextlib import ExitStack

import pytest
import requests

from fpbx_api.testing.tenants import GLOBAL_KEY
from fpbx_api.worker import READ_TIMEOUT
from tests.figures import FIGURES
from tests.gunicorn_server import gunicorn

pytestmark = pytest.mark.slow
FORGED_SCHEMES = [{"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"},
                  {"X-Forwarded-Protocol": "ssl"}]


def credentials(mode: str, tenants) -> dict:
    if mode == "global_key":
        return {"X-API-Key": GLOBAL_KEY, "X-Domain": tenants.a.name}
    return dict(tenants.a.headers)


def envelope(response) -> tuple[int, str]:
    assert response.headers["Content-Type"] == "application/json", response.text[:200]
    return response.status_code, response.json()["error"]["code"]


@pytest.mark.parametrize("mode", ["global_key", "per_key", "both"])
def test_a_scheme_header_from_an_untrusted_peer_does_not_pass_require_https(
        fpbx_db, tenants, mode):
    with gunicorn(fpbx_db.url, 1, FPBX_API_SECURITY__AUTH_MODE=mode,
                  FPBX_API_SECURITY__REQUIRE_HTTPS="true") as base:
        for forged in FORGED_SCHEMES:
            r = requests.get(f"{base}/api/v1/domains", timeout=5,
                             headers={**credentials(mode, tenants), **forged})
            assert envelope(r) == (403, "HTTPS_REQUIRED"), forged


def test_fpbx_api_serve_believes_the_trusted_proxy_only(fpbx_db, tenants):
    with gunicorn(fpbx_db.url, 1, serve=True, FPBX_API_SECURITY__REQUIRE_HTTPS="true",
                  FPBX_API_SECURITY__TRUSTED_PROXIES="127.0.0.1") as base:
        def get(**headers):
            return requests.get(f"{base}/api/v1/domains", timeout=5,
                                headers={**tenants.a.headers, **headers})

        assert get(**{"X-Forwarded-Proto": "https"}).status_code == 200
        # the proxy says which scheme it was; other headers claiming HTTPS are not its word
        assert envelope(get(**{"X-Forwarded-Ssl": "on"})) == (403, "HTTPS_REQUIRED")
        assert envelope(get(**{"X-Forwarded-Proto": "http", "X-Forwarded-Ssl": "on"})) == (
            403, "HTTPS_REQUIRED")
    with gunicorn(fpbx_db.url, 1, serve=True, FPBX_API_SECURITY__REQUIRE_HTTPS="true") as base:
        r = requests.get(f"{base}/api/v1/domains", timeout=5,
                         headers={**tenants.a.headers, "X-Forwarded-Proto": "https"})
        assert envelope(r) == (403, "HTTPS_REQUIRED")


def slow_clients(base: str, count: int) -> list[socket.socket]:
    """``count`` connections that have started a request and will take ages to finish it:
    a third send nothing yet, a third send a head line by line, a third a body."""
    host, port = base.removeprefix("http://").split(":")
    opened = []
    for i in range(count):
        s = socket.create_connection((host, int(port)), timeout=5)
        if i % 3 == 1:
            s.sendall(b"GET /api/v1/domains HTTP/1.1\r\nHost: x\r\n")
        elif i % 3 == 2:
            s.sendall(b"POST /api/v1/extensions HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        opened.append(s)
    return opened


def test_fifty_slow_clients_do_not_hold_the_api(fpbx_db, tenants):
    with gunicorn(fpbx_db.url, 2) as base, ExitStack() as stack:
        opened, slow = time.monotonic(), slow_clients(base, 50)
        for s in slow:
            stack.callback(s.close)
        waits = []
        for second in range(6):
            for s in slow:  # one more byte each, forever short of a whole request
                s.sendall(b"X-Slow: 1\r\n")
            start = time.monotonic()
            r = requests.get(f"{base}/api/v1/domains", headers=tenants.a.headers, timeout=3)
            waits.append(time.monotonic() - start)
            assert r.status_code == 200, second
            time.sleep(0.5)
        # and none of them is kept past the time a client has to send its request
        time.sleep(max(0.0, opened + READ_TIMEOUT + 2 - time.monotonic()))
        for s in slow:
            s.settimeout(0.5)
            try:
                assert s.recv(100) == b""
            except ConnectionResetError:
                pass
    FIGURES["answer while 50 slow clients are connected"] = (
        f"slowest of {len(waits)} requests {max(waits) * 1000:.0f} ms")


def test_requests_of_every_shape_still_reach_the_app(fpbx_db, tenants):
    """What the buffering worker must hand on whole: kept-alive and pipelined requests,
    bodies sent at once, in chunks, slowly but in time, and after 100 Continue."""
    key = tenants.a.headers["X-API-Key"].encode()
    with gunicorn(fpbx_db.url, 1) as base:
        with requests.Session() as session:  # one kept-alive connection
            for _ in range(3):
                r = session.get(f"{base}/api/v1/domains", headers=tenants.a.headers, timeout=5)
                assert r.status_code == 200
            r = session.post(f"{base}/api/v1/extensions", json={"extension": "1001"},
                             headers=tenants.a.headers, timeout=5)
            assert r.status_code == 201, r.text
        chunked = requests.post(f"{base}/api/v1/extensions", timeout=5,
                                data=iter([b'{"extension"', b': "1002"}']),
                                headers={**tenants.a.headers,
                                         "Content-Type": "application/json"})
        assert chunked.status_code == 201, chunked.text
        body = b'{"extension": "1003"}'
        head = (b"POST /api/v1/extensions HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key +
                b"\r\nContent-Type: application/json\r\nContent-Length: %d\r\n" % len(body))
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as s:
            s.sendall(head + b"Expect: 100-continue\r\n\r\n")
            assert s.recv(100).startswith(b"HTTP/1.1 100")
            s.sendall(body)
            assert s.recv(100).startswith(b"HTTP/1.1 201")
        with socket.create_connection((host, int(port)), timeout=5) as s:
            for piece in (head[:20], head[20:] + b"\r\n", body[:5]):
                s.sendall(piece.replace(b"1003", b"1004"))
                time.sleep(0.3)
            pipelined = b"GET /api/v1/domains HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key
            s.sendall(body[5:].replace(b"1003", b"1004") + pipelined + b"\r\n\r\n")
            answers = b""
            while answers.count(b"HTTP/1.1 ") < 2:
                answers += s.recv(65536)
            assert answers.startswith(b"HTTP/1.1 201"), answers[:200]
            assert b"HTTP/1.1 200" in answers
    assert len(fpbx_db.rows("v_extensions")) == 4


def raw(base: str, data: bytes) -> tuple[int, str, bytes]:
    """Sends ``data`` as it is and reads the answer: status, content type, body."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(data)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), fields.get("Content-Type", ""), body


@pytest.mark.parametrize("serve", [False, True], ids=["gunicorn.conf.py", "fpbx-api serve"])
def test_long_request_lines_are_answered_in_the_envelope(fpbx_db, tenants, serve):
    with gunicorn(fpbx_db.url, 1, serve=serve) as base:
        def get(query: str) -> requests.Response:
            return requests.get(f"{base}/api/v1/extensions?{query}",
                                headers=tenants.a.headers, timeout=5)

        # over gunicorn's default 4,094 bytes: reaches the app, which judges the value
        assert envelope(get("search=" + "1" * 5_000)) == (400, "VALIDATION_ERROR")
        assert envelope(get("search=" + "1" * 9_000)) == (414, "URI_TOO_LONG")
        status, kind, _ = raw(base, b"GET /api/v1/domains?x=" + b"x" * 70_000 + b" HTTP/1.1")
        assert (status, kind) == (414, "application/json")
        status, kind, _ = raw(base, b"GET /api/v1/domains HTTP/1.1\r\nX-Big: "
                              + b"x" * 70_000 + b"\r\n\r\n")
        assert (status, kind) == (431, "application/json")


def test_each_instance_keeps_its_control_socket_to_itself(fpbx_db, tmp_path):
    """gunicorn 27 puts its control socket at $XDG_RUNTIME_DIR/gunicorn.ctl (or under
    ~/.gunicorn) for every instance alike; two instances must not share it."""
    env = {"XDG_RUNTIME_DIR": str(tmp_path), "HOME": str(tmp_path)}
    with gunicorn(fpbx_db.url, 1, **env) as first, gunicorn(fpbx_db.url, 1, serve=True,
                                                            **env) as second:
        for base in (first, second):
            assert requests.get(f"{base}/api/v1/docs/assets/swagger-ui.css",
                                timeout=5).status_code == 200
        assert not list(tmp_path.rglob("*.ctl")), list(tmp_path.rglob("*"))
