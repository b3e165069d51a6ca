"""Start the API under gunicorn, as deployed, for tests that need real processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from fpbx_api.testing.tenants import GLOBAL_KEY

ROOT = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int, *, serve: bool = False, **env: str):
    """A gunicorn serving wsgi:app with gunicorn.conf.py, or (``serve``) the same API
    started by ``fpbx-api serve``; ``env`` holds FPBX_API_* settings. Yields the base URL."""
    port = free_port()
    environment = {**os.environ, "FPBX_API_DATABASE__URL": database_url,
                   "FPBX_API_SECURITY__AUTH_MODE": "both",
                   "FPBX_API_SECURITY__GLOBAL_KEY": GLOBAL_KEY, **env}
    bind = ["--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    command = (["-m", "fpbx_api.cli", "serve", *bind] if serve
               else ["-m", "gunicorn", "-c", "gunicorn.conf.py", *bind, "wsgi:app"])
    server = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # every worker has booted when several answer
            try:
                requests.get(f"{base}/api/v1/docs/assets/swagger-ui.css", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        time.sleep(1)
        yield base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
        from tests.conftest import LOG_LINES

        LOG_LINES.extend(errors.decode(errors="replace").splitlines())
