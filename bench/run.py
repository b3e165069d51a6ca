"""The benchmark: the API against its floor, on generated FusionPBX data.

    python bench/run.py [--seconds 8] [--rows 100000 1000000] [--out bench/results]
    python bench/run.py --quick     # under a minute: 100k CDR rows, 3 s a scenario
    BENCH_API_ROOT=../other-checkout python bench/run.py --quick   # its API, this floor

Builds a PostgreSQL database with FusionPBX's schema (20 domains, 10,000 extensions, CDR
rows by generate_series), creates the CDR indexes with ``fpbx-api db indexes``, serves the
API and the floor (bench/floor.py) on the same gunicorn settings, drives both with wrk
from another process, and prints throughput, p50/p99 and API/floor per scenario, the CDR
growth ratio between the two sizes, and worker memory. Figures go to a JSON file too.
The last line sums it up: ``extensions list: API/floor = 0.NN; write: API/floor latency =
N.N; cdr p50 = N ms`` (throughput ratio of GET /extensions, p50 latency ratio of POST +
DELETE, p50 of GET /cdr page 1 on one connection at the largest size).
Needs wrk (Debian package ``wrk``; installed here when missing and run as root).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg2
import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fpbx_api import migrations  # noqa: E402
from fpbx_api.freeswitch.simulator import Simulator  # noqa: E402
from fpbx_api.http import keys  # noqa: E402
from fpbx_api.testing.database import SCHEMA_SQL  # noqa: E402

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
DB = "fpbx_bench"
DSN = f"host=127.0.0.1 port=5432 user=postgres dbname={DB}"
URL = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{DB}"
API_PORT, FLOOR_PORT = 18080, 18081
WORKERS = str((os.cpu_count() or 2) * 2)
KEYS = 20
# The deployed limits (60/minute, 1000/hour a key) would refuse most of the run's requests
# from 20 keys: the bench raises them. The limiter's work is the same at any limit: one
# script call on Redis a request.
LIMITS = {"FPBX_API_RATE_LIMIT__REQUESTS_PER_MINUTE": "10000000",
          "FPBX_API_RATE_LIMIT__REQUESTS_PER_HOUR": "100000000"}


def sql(statement: str, dsn: str = DSN, autocommit: bool = True):
    conn = psycopg2.connect(dsn)
    conn.autocommit = autocommit
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
            result = cur.fetchall() if cur.description else None
        conn.commit()
        return result
    finally:
        conn.close()


def build_database() -> None:
    sql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", ADMIN)
    sql(f"CREATE DATABASE {DB}", ADMIN)
    sql(SCHEMA_SQL.read_text(), DSN, autocommit=False)
    migrations.upgrade(URL)
    sql("""
    INSERT INTO v_domains (domain_uuid, domain_name, domain_enabled)
        SELECT gen_random_uuid(), 'tenant' || n || '.example', true
        FROM generate_series(0, 19) n;
    INSERT INTO v_extensions (extension_uuid, domain_uuid, extension, password, user_context,
            effective_caller_id_name, effective_caller_id_number, enabled, call_timeout,
            limit_max, limit_destination, insert_date)
        SELECT gen_random_uuid(), d.domain_uuid, (1000 + n)::text, md5(random()::text),
               d.domain_name, 'User ' || n, (1000 + n)::text, true, 30, '5', '!USER_BUSY',
               now()
        FROM v_domains d, generate_series(0, 499) n;
    INSERT INTO v_voicemails (voicemail_uuid, domain_uuid, voicemail_id, voicemail_password,
            voicemail_enabled, insert_date)
        SELECT gen_random_uuid(), domain_uuid, extension, '12345678', true, now()
        FROM v_extensions;
    """)
    sql("VACUUM ANALYZE")


def add_cdr(rows: int, settle: bool = True) -> None:
    """CDR rows with FusionPBX-like spreads: a year of dates (more by day than night),
    3 directions, callers from a pool of 20,000 numbers, durations skewed short."""
    sql(f"""
    INSERT INTO v_xml_cdr (xml_cdr_uuid, domain_uuid, domain_name, direction, leg,
            caller_id_name, caller_id_number, caller_destination, destination_number,
            start_stamp, answer_stamp, end_stamp, duration, billsec, hangup_cause, status,
            missed_call, extension_uuid, start_epoch)
    SELECT gen_random_uuid(), d.domain_uuid, d.domain_name,
           (ARRAY['inbound','inbound','outbound','local'])[1 + (n % 4)], 'a',
           'Caller ' || (n % 20000), '1212555' || lpad((n % 20000)::text, 4, '0'),
           (1000 + n % 500)::text, (1000 + n % 500)::text,
           s.at, CASE WHEN n % 7 = 0 THEN NULL ELSE s.at + interval '5 seconds' END,
           s.at + make_interval(secs => s.dur), s.dur,
           CASE WHEN n % 7 = 0 THEN 0 ELSE greatest(s.dur - 5, 0) END,
           (ARRAY['NORMAL_CLEARING','NORMAL_CLEARING','NORMAL_CLEARING','NO_ANSWER',
                  'USER_BUSY','ORIGINATOR_CANCEL'])[1 + (n % 6)],
           CASE WHEN n % 7 = 0 THEN 'missed' ELSE 'answered' END, n % 7 = 0, NULL,
           extract(epoch FROM s.at)
    FROM generate_series(1, {rows}) n
    CROSS JOIN LATERAL (SELECT domain_uuid, domain_name FROM v_domains
                        ORDER BY domain_name OFFSET (n % 20) LIMIT 1) d
    CROSS JOIN LATERAL (SELECT now() - (random() * 365 + n * 0) * interval '1 day'
                                     - (random() * 0.6) * interval '1 day' AS at,
                               floor(-ln(random() + 1e-9 + n * 0) * 120)::int AS dur) s;
    """)
    sql("VACUUM ANALYZE v_xml_cdr")  # what autovacuum does soon after a bulk load
    sql("CHECKPOINT")  # flush the load now rather than during the measurements
    if settle:
        time.sleep(5)


def domain(name: str = "tenant0.example") -> tuple[str, str]:
    (row,) = sql(f"SELECT domain_uuid::text, domain_name FROM v_domains "
                 f"WHERE domain_name = '{name}'")
    return row


def api_keys(domain_uuid: str, count: int, path: Path) -> Path:
    """``count`` read-write keys of the domain, one a line in ``path`` (for keys.lua)."""
    engine = create_engine(URL)
    with Session(engine) as db:
        secrets = [keys.create_key(db, domain_uuid, scopes=["write"], name="bench")[1]
                   for _ in range(count)]
        db.commit()
    engine.dispose()
    path.write_text("\n".join(secrets) + "\n")
    return path


def serve(app: str, port: int, env: dict, log: Path, root: Path = ROOT) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", WORKERS,
         "--bind", f"127.0.0.1:{port}", app],
        cwd=root, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT)


def warm(process: subprocess.Popen, port: int, settle: float) -> None:
    """Wait for every worker to answer (each loads the app on its first request)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            for _ in range(int(WORKERS) * 4):
                requests.get(f"http://127.0.0.1:{port}/nothing", timeout=5)
            time.sleep(settle)
            return
        except requests.RequestException:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    raise RuntimeError(f"port {port} did not start; see bench/results/*.log")


def wrk(url: str, script: str | None, seconds: int, connections: int = 8) -> dict:
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
               "--timeout", "10s"]
    if script:
        command += ["-s", str(ROOT / "bench" / script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": _latency(out, "50%"), "p99_ms": _latency(out, "99%"),
            "non_2xx": int(errors.group(1)) if errors else 0}


def _latency(out: str, percent: str) -> float:
    value, unit = re.search(rf"^\s+{percent}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def rss_mb(master: subprocess.Popen) -> float:
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(master.pid)],
                         capture_output=True, text=True).stdout.split()
    return max(int(kb) for kb in out) / 1024 if out else 0.0


def month_bounds() -> tuple[str, str]:
    today = date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    first = date(year, month, 1)
    last = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
    return first.isoformat(), date.fromordinal(last).isoformat()


def cursor_at_end(domain_uuid: str, start: str, end: str) -> str:
    """The cursor of the next-to-last page of the month (newest first)."""
    (row,) = sql(f"""SELECT start_stamp, xml_cdr_uuid::text FROM v_xml_cdr
        WHERE domain_uuid = '{domain_uuid}' AND start_stamp >= '{start}'::date
          AND start_stamp < '{end}'::date + 1
        ORDER BY start_stamp DESC, xml_cdr_uuid DESC
        OFFSET greatest((SELECT count(*) FROM v_xml_cdr WHERE domain_uuid = '{domain_uuid}'
          AND start_stamp >= '{start}'::date AND start_stamp < '{end}'::date + 1) - 51, 0)
        LIMIT 1""")
    stamp, key = row
    return base64.urlsafe_b64encode(json.dumps(
        [stamp.astimezone(UTC).isoformat(), key]).encode()).decode()


def scenarios(kind: str, domain_uuid: str, ext_uuid: str, month: tuple[str, str]) -> dict:
    start, end = month
    (pages,) = sql(f"SELECT ceil(count(*) / 50.0)::int FROM v_xml_cdr "
                   f"WHERE domain_uuid = '{domain_uuid}' AND start_stamp >= '{start}'::date "
                   f"AND start_stamp < '{end}'::date + 1")[0]
    span = f"start_date={start}&end_date={end}"
    cdr = {
        "GET /cdr page 1 (one month)": f"/api/v1/cdr?{span}",
        "GET /cdr deep page (last of the month)": f"/api/v1/cdr?{span}&page={max(pages, 1)}",
        "GET /cdr cursor page (end of the month)":
            f"/api/v1/cdr?{span}&after={cursor_at_end(domain_uuid, start, end)}",
        "GET /cdr caller-id search": "/api/v1/cdr?caller_id=5550042",
    }
    if kind == "cdr":
        return cdr
    return {"GET /extensions (page of 50)": "/api/v1/extensions?per_page=50",
            "GET /extensions/{uuid}": f"/api/v1/extensions/{ext_uuid}",
            "POST + DELETE /extensions": ("/api/v1/extensions", "post_delete.lua")}


def measure(urls: dict, seconds: int, results: dict, label: str = "",
            connections: int = 8) -> None:
    """Each scenario against the API (keys rotated) and the floor (no auth)."""
    for name, spec in urls.items():
        path, script = spec if isinstance(spec, tuple) else (spec, "keys.lua")
        row = {
            "api": wrk(f"http://127.0.0.1:{API_PORT}{path}", script, seconds, connections),
            "floor": wrk(f"http://127.0.0.1:{FLOOR_PORT}{path}", script, seconds, connections),
        }
        # a side that answered nothing (or only errors, counted in non_2xx) has no ratio
        row["ratio"] = round(row["api"]["rps"] / row["floor"]["rps"], 3) \
            if row["floor"]["rps"] else None
        row["latency_ratio"] = round(row["api"]["p50_ms"] / row["floor"]["p50_ms"], 2) \
            if row["floor"]["p50_ms"] else None
        results[f"{name}{label}"] = row
        ratio = "n/a" if row["ratio"] is None else f"{row['ratio']:.2f}"
        errors = "".join(f" ({side} non-2xx {row[side]['non_2xx']})" for side in ("api", "floor")
                         if row[side]["non_2xx"])
        print(f"{name + label:<48} api {row['api']['rps']:8.0f}/s p50 "
              f"{row['api']['p50_ms']:6.1f} p99 {row['api']['p99_ms']:6.1f} ms | floor "
              f"{row['floor']['rps']:8.0f}/s p50 {row['floor']['p50_ms']:6.1f} p99 "
              f"{row['floor']['p99_ms']:6.1f} ms | api/floor {ratio}{errors}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rows", type=int, nargs=2, default=[100_000, 1_000_000])
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--quick", action="store_true",
                        help="under a minute: 100k CDR rows, the three summed-up scenarios, "
                             "3 s each")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.seconds = [100_000], 3
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    started = time.monotonic()
    print("building the database …", flush=True)
    build_database()
    add_cdr(args.rows[0], settle=not args.quick)
    subprocess.run([sys.executable, "-m", "fpbx_api.cli", "db", "indexes"], check=True,
                   env={**os.environ, "FPBX_API_DATABASE__URL": URL})
    domain_uuid, domain_name = domain()
    logs = Path(args.out)
    logs.mkdir(parents=True, exist_ok=True)
    # 20 keys, each warm in every worker's key cache after the warm-up: the API looks a key
    # up at most every 30 s and records its use at most once a minute a worker, costs of a
    # key, not of a request, that a handful of cold keys would turn into most of a run
    os.environ["BENCH_KEYS"] = str(api_keys(domain_uuid, KEYS, logs / "keys.txt"))
    os.environ["BENCH_DIR"] = str(ROOT / "bench")
    (ext_uuid,) = sql(f"SELECT extension_uuid::text FROM v_extensions WHERE "
                      f"domain_uuid = '{domain_uuid}' LIMIT 1")[0]
    results = run_servers(args, domain_uuid, domain_name, ext_uuid, logs)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = logs / f"bench-{stamp}.json"
    out.write_text(json.dumps({"rows": args.rows, "workers": WORKERS, "cores": os.cpu_count(),
                               "quick": args.quick, "seconds_per_scenario": args.seconds,
                               "results": results}, indent=2))
    print(f"figures written to {out}; took {time.monotonic() - started:.0f} s")
    print(summary(results, args.rows[-1]))


def summary(results: dict, largest: int) -> str:
    """The run in one line (the issue's three targets)."""
    listing = results["GET /extensions (page of 50)"]["ratio"]
    write = results["POST + DELETE /extensions"]["latency_ratio"]
    cdr = results[f"GET /cdr page 1 (one month) @{largest // 1000}k, 1 connection"]
    return (f"extensions list: API/floor = {listing:.2f}; write: API/floor latency = "
            f"{write:.1f}; cdr p50 = {cdr['api']['p50_ms']:.0f} ms")


def run_servers(args, domain_uuid: str, domain_name: str, ext_uuid: str, logs: Path) -> dict:
    """Serve the API and the floor, measure them, stop them."""
    switch = Simulator(hostname="bench-fs").start()
    for n in range(200):
        switch.add_call(caller=str(1000 + n % 500), destination="5551234567",
                        domain=domain_name if n % 2 == 0 else "tenant1.example", age=n)
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "flushdb"], check=False,
                   capture_output=True)
    api = serve("wsgi:app", API_PORT, {  # as deployed (limits aside), Redis storage
        "FPBX_API_DATABASE__URL": URL, "FPBX_API_SECURITY__AUTH_MODE": "per_key", **LIMITS,
        "FPBX_API_RATE_LIMIT__STORAGE_URL": "redis://127.0.0.1:6379/0",
        "FPBX_API_FREESWITCH__SWITCHES": json.dumps([switch.switch()])}, logs / "api.log",
        # another checkout's API against this floor (a before/after comparison)
        Path(os.environ.get("BENCH_API_ROOT", ROOT)))
    floor = serve("bench.floor:app", FLOOR_PORT, {
        "FLOOR_DSN": DSN, "FLOOR_REDIS": "redis://127.0.0.1:6379/0",
        "FLOOR_ESL": f"127.0.0.1:{switch.port}:{switch.password}"}, logs / "floor.log")
    results: dict = {}
    try:
        warm(api, API_PORT, 0 if args.quick else 2)
        warm(floor, FLOOR_PORT, 0 if args.quick else 2)
        month = month_bounds()
        # each worker's key cache (and the API's last-use writes, once a minute a key and
        # worker) filled before anything is measured, on both servers alike
        measure({"warm-up": f"/api/v1/extensions/{ext_uuid}"}, 2 if args.quick else 5, {})
        if args.quick:
            quick(domain_uuid, ext_uuid, month, args, results)
            results["worker RSS MB (max)"] = {"api": rss_mb(api), "floor": rss_mb(floor)}
            return results
        measure(scenarios("extensions", domain_uuid, ext_uuid, month), args.seconds, results)
        cdr = scenarios("cdr", domain_uuid, ext_uuid, month)
        measure(cdr, args.seconds, results, f" @{args.rows[0] // 1000}k")
        page_one = {"GET /cdr page 1 (one month)": cdr["GET /cdr page 1 (one month)"]}
        measure(page_one, args.seconds, results, f" @{args.rows[0] // 1000}k, 1 connection",
                connections=1)
        measure({"GET /active-calls (200 channels)": "/api/v1/active-calls"}, args.seconds,
                results)
        print(f"adding CDR rows up to {args.rows[1]:,} …", flush=True)
        add_cdr(args.rows[1] - args.rows[0])
        cdr = scenarios("cdr", domain_uuid, ext_uuid, month)
        measure(cdr, args.seconds, results, f" @{args.rows[1] // 1000}k")
        page_one = {"GET /cdr page 1 (one month)": cdr["GET /cdr page 1 (one month)"]}
        measure(page_one, args.seconds, results, f" @{args.rows[1] // 1000}k, 1 connection",
                connections=1)
        big, small = (f"GET /cdr page 1 (one month) @{n // 1000}k, 1 connection"
                      for n in reversed(args.rows))
        results["growth p50 1M/100k (page 1, one month)"] = round(
            results[big]["api"]["p50_ms"] / results[small]["api"]["p50_ms"], 2)
        results["worker RSS MB (max)"] = {"api": rss_mb(api), "floor": rss_mb(floor)}
    finally:
        for process in (api, floor):
            process.send_signal(signal.SIGTERM)
        for process in (api, floor):  # a server left behind would answer the next run
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        switch.stop()
    print(f"growth ratio (CDR page 1, p50 on 1 connection, "
          f"{args.rows[1]:,}/{args.rows[0]:,} rows): "
          f"{results['growth p50 1M/100k (page 1, one month)']}")
    print(f"worker RSS after the run: api {results['worker RSS MB (max)']['api']:.0f} MB, "
          f"floor {results['worker RSS MB (max)']['floor']:.0f} MB")
    return results


def quick(domain_uuid: str, ext_uuid: str, month: tuple[str, str], args, results: dict) -> None:
    """The three scenarios of the summary line, nothing else."""
    every = scenarios("extensions", domain_uuid, ext_uuid, month)
    measure({k: every[k] for k in ("GET /extensions (page of 50)", "POST + DELETE /extensions")},
            args.seconds, results)
    page_one = scenarios("cdr", domain_uuid, ext_uuid, month)["GET /cdr page 1 (one month)"]
    measure({"GET /cdr page 1 (one month)": page_one}, args.seconds, results,
            f" @{args.rows[0] // 1000}k, 1 connection", connections=1)


if __name__ == "__main__":
    main()
