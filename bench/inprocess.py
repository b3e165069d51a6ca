"""The API's own cost per request, in one process, without wrk or gunicorn in between.

    python bench/inprocess.py [--n 300] [--profile list|get|write] [--redis]

Runs the deployed app (per-domain keys, request logging, the limiter on Redis with
``--redis``) against the database ``bench/run.py`` leaves behind (``fpbx_bench``), through
Flask's test client, and prints the CPU and wall time per request of GET /extensions (page of
50), GET /extensions/{uuid} and POST + DELETE of an extension, each next to the floor's
(bench/floor.py, same SQL through raw psycopg2, in the same process). ``--profile`` runs one
scenario under pyinstrument and prints where its time goes. Counts of Redis and PostgreSQL
round trips per request are printed too. Use this to measure a change before the full run:
CPU per request is much less noisy on a shared machine than wrk's throughput.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/fpbx_bench"
DSN = "host=127.0.0.1 port=5432 user=postgres dbname=fpbx_bench"


def app_and_keys(redis: bool, switch: bool = False):
    if switch:  # the bench's simulated FreeSWITCH, cleared after each write
        from fpbx_api.freeswitch.simulator import Simulator
        simulator = Simulator(hostname="bench-fs").start()
        os.environ["FPBX_API_FREESWITCH__SWITCHES"] = json.dumps([simulator.switch()])
    os.environ.update({
        "FPBX_API_DATABASE__URL": DB_URL, "FPBX_API_SECURITY__AUTH_MODE": "per_key",
        "FPBX_API_RATE_LIMIT__REQUESTS_PER_MINUTE": "10000000",
        "FPBX_API_RATE_LIMIT__REQUESTS_PER_HOUR": "100000000",
    })
    if redis:
        os.environ["FPBX_API_RATE_LIMIT__STORAGE_URL"] = "redis://127.0.0.1:6379/0"
    from fpbx_api import create_app
    app = create_app()
    # request logging on, as deployed, but to a buffer (the formatting work is kept)
    handler = logging.StreamHandler(io.StringIO())
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    keys = (ROOT / "bench" / "results" / "keys.txt").read_text().split()
    return app, keys


def counted(app):
    """Statements executed, round trips to PostgreSQL (waits for its answer) and Redis
commands, per request."""
    from sqlalchemy import event

    from fpbx_api import db
    counts = {"sql": 0, "pg": 0, "redis": 0}
    import psycopg2.extensions
    waiting = psycopg2.extensions.get_wait_callback()

    def wait(conn):  # every wait for PostgreSQL's answer: a round trip
        counts["pg"] += 1
        return waiting(conn)
    psycopg2.extensions.set_wait_callback(wait)

    @event.listens_for(db.engine(app), "before_cursor_execute")
    def _sql(*_args):
        counts["sql"] += 1

    try:
        import redis
        original = redis.Redis.execute_command

        def execute_command(self, *args, **kwargs):
            counts["redis"] += 1
            return original(self, *args, **kwargs)
        redis.Redis.execute_command = execute_command
    except ImportError:
        pass
    return counts


def scenarios(client, keys, ext_uuid):
    state = {"n": 0}

    def header():
        state["n"] += 1
        return {"X-API-Key": keys[state["n"] % len(keys)]}

    def listing():
        response = client.get("/api/v1/extensions?per_page=50", headers=header())
        assert response.status_code == 200, response.data

    def get():
        response = client.get(f"/api/v1/extensions/{ext_uuid}", headers=header())
        assert response.status_code == 200, response.data

    def write():
        number = str(8000000 + state["n"])
        response = client.post("/api/v1/extensions", headers=header(),
                               json={"extension": number})
        assert response.status_code == 201, response.data
        uuid = response.get_json()["data"]["extension_uuid"]
        response = client.delete(f"/api/v1/extensions/{uuid}", headers=header())
        assert response.status_code == 204, response.data

    return {"list": listing, "get": get, "write": write}


def floor_scenarios(ext_uuid, domain_uuid):
    """The floor's handlers called as WSGI apps in this process."""
    os.environ.setdefault("FLOOR_DSN", DSN)
    os.environ.setdefault("FLOOR_REDIS", "redis://127.0.0.1:6379/0")
    from werkzeug.test import Client

    from bench import floor
    client = Client(floor.app)
    keys = (ROOT / "bench" / "results" / "keys.txt").read_text().split()
    state = {"n": 0}

    def header():
        state["n"] += 1
        return {"X-API-Key": keys[state["n"] % len(keys)]}

    def listing():
        client.get("/api/v1/extensions?per_page=50", headers=header())

    def get():
        client.get(f"/api/v1/extensions/{ext_uuid}", headers=header())

    def write():
        response = client.post("/api/v1/extensions", headers=header(),
                               json={"extension": str(8500000 + state["n"])})
        uuid = json.loads(response.get_data())["data"]["extension_uuid"]
        client.delete(f"/api/v1/extensions/{uuid}", headers=header())

    return {"list": listing, "get": get, "write": write}


def timed(run, n):
    for _ in range(min(20, n)):  # warm: caches, key lookups, statement cache
        run()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        run()
    return ((time.process_time() - cpu) / n * 1000, (time.perf_counter() - wall) / n * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--profile", choices=("list", "get", "write"))
    parser.add_argument("--redis", action="store_true", help="the limiter on Redis")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--switch", action="store_true",
                        help="a simulated FreeSWITCH whose cache a write clears")
    args = parser.parse_args()
    import psycopg2
    conn = psycopg2.connect(DSN)
    with conn.cursor() as cur:
        cur.execute("SELECT extension_uuid::text, domain_uuid::text FROM v_extensions "
                    "JOIN v_domains USING (domain_uuid) "
                    "WHERE domain_name = 'tenant0.example' LIMIT 1")
        ext_uuid, domain_uuid = cur.fetchone()
    conn.close()
    app, keys = app_and_keys(args.redis, args.switch)
    counts = counted(app)
    runs = scenarios(app.test_client(), keys, ext_uuid)
    if args.profile:
        from pyinstrument import Profiler
        run = runs[args.profile]
        timed(run, 20)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.n):
            run()
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
        return
    floors = {} if args.no_floor else floor_scenarios(ext_uuid, domain_uuid)
    for name, run in runs.items():
        before = dict(counts)
        cpu, wall = timed(run, args.n)
        trips = {k: (counts[k] - before[k]) / (args.n + min(20, args.n)) for k in counts}
        line = (f"{name:6} api cpu {cpu:6.2f} ms wall {wall:6.2f} ms "
                f"(sql {trips['sql']:.1f}, pg trips {trips['pg']:.1f}, redis {trips['redis']:.1f})")
        if name in floors:
            fcpu, fwall = timed(floors[name], args.n)
            line += f" | floor cpu {fcpu:5.2f} wall {fwall:5.2f} | cpu ×{cpu / fcpu:.1f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
