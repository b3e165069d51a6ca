"""gunicorn settings for fpbx-api: sync workers (gevent's worker would stall psycopg2),
each with its own database pool; the timeout sits above the statement timeout."""

import multiprocessing
import os

bind = os.environ.get("FPBX_API_BIND", "127.0.0.1:8080")
workers = int(os.environ.get("FPBX_API_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
preload_app = False
accesslog = None
