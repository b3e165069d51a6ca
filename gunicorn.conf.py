"""gunicorn settings for fpbx-api: the same as ``fpbx-api serve`` (fpbx_api/server.py says
why each is set), from the same configuration as the app ($FPBX_API_CONFIG and FPBX_API_*),
so that gunicorn believes forwarded headers from ``security.trusted_proxies`` only."""

import multiprocessing
import os

from fpbx_api.config import load_config
from fpbx_api.server import settings

globals().update(settings(
    load_config(),
    bind=os.environ.get("FPBX_API_BIND", "127.0.0.1:8080"),
    workers=int(os.environ.get("FPBX_API_WORKERS", multiprocessing.cpu_count() * 2)),
    threads=int(os.environ.get("FPBX_API_THREADS", 4)),
))
