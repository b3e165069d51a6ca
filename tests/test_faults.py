"""PostgreSQL restarted under load: requests during the outage get a 503 envelope, the pool
recovers by itself, no acknowledged write is lost and no request is half-applied."""

from __future__ import annotations

import threading
import time

import pytest

from tests.figures import FIGURES
from tests.pgproxy import PgProxy


@pytest.fixture
def proxy():
    p = PgProxy().start()
    yield p
    p.stop()


def test_database_restart_under_load(make_app, tenants, fpbx_db, proxy):
    url = fpbx_db.url.replace(":5432/", f":{proxy.port}/")
    app = make_app(database={"url": url, "pool_size": 4, "pool_timeout": 2})
    results: list[tuple[float, str, int, dict | None]] = []
    lock = threading.Lock()
    stop = time.monotonic() + 7
    numbers = iter(range(3000, 100_000))

    def client_loop():
        client = app.test_client()
        while time.monotonic() < stop:
            with lock:
                number = str(next(numbers))
            r = client.post("/api/v1/extensions", json={"extension": number},
                            headers=tenants.a.headers)
            with lock:
                results.append((time.monotonic(), number, r.status_code, r.json))
            time.sleep(0.01)

    threads = [threading.Thread(target=client_loop) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    outage_start = time.monotonic()
    proxy.restart_begins()
    time.sleep(2)
    proxy.restart_ends()
    outage_end = time.monotonic()
    for t in threads:
        t.join()

    statuses = {status for _, _, status, _ in results}
    assert statuses <= {201, 503}, statuses
    failed = [body for _, _, status, body in results if status == 503]
    assert failed, "no request met the outage"
    assert all(body["success"] is False and body["error"]["code"] == "DATABASE_UNAVAILABLE"
               for body in failed)
    recovered = [at for at, _, status, _ in results if status == 201 and at > outage_end]
    assert recovered and recovered[0] - outage_end < 3, "the pool did not recover in time"
    acknowledged = {number for _, number, status, _ in results if status == 201}
    stored = {row["extension"] for row in fpbx_db.rows("v_extensions")}
    assert acknowledged <= stored, "an acknowledged write was lost"
    boxes = {row["voicemail_id"] for row in fpbx_db.rows("v_voicemails")}
    assert stored == boxes, "a request was half-applied (extension without its mailbox)"
    FIGURES["faults survived: postgresql restart"] = (
        f"{len(results)} requests, {len(failed)} answered 503 during a "
        f"{outage_end - outage_start:.1f} s outage, first success "
        f"{recovered[0] - outage_end:.2f} s after it")
