"""gunicorn as fpbx-api runs it: the settings ``gunicorn.conf.py`` (deployment) and
``fpbx-api serve`` (CLI) share, and the CLI's server."""

from __future__ import annotations

import ipaddress

from gunicorn.app.base import BaseApplication

from fpbx_api.app import create_app
from fpbx_api.worker import HEAD_LIMIT


def settings(config: dict, *, bind: str, workers: int, threads: int = 4) -> dict:
    """gunicorn's settings for this API; each answers a way it was attacked or misread."""
    proxies = [str(ipaddress.ip_network(p, strict=False))
               for p in config["security"]["trusted_proxies"]]
    return {
        "bind": bind, "workers": workers, "threads": threads,
        # Reads each request in the poller and runs only complete ones on a thread, so slow
        # clients hold sockets, not threads or workers (fpbx_api/worker.py says why not
        # sync or gthread). Threads are cheap next to the database pool (pool_size).
        "worker_class": "fpbx_api.worker.RequestBufferingWorker",
        # above the statement timeout, so a slow query fails before its worker is killed
        "timeout": 30, "graceful_timeout": 20, "preload_app": False, "accesslog": None,
        # Only security.trusted_proxies may say a request came over HTTPS. gunicorn's own
        # default believes X-Forwarded-Proto/-Ssl/-Protocol from 127.0.0.1 and marks the
        # request secure, which would let anyone on the host pass require_https.
        "forwarded_allow_ips": ",".join(proxies),
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"},
        # Long request lines reach the app, which answers them in the JSON envelope (414);
        # 0 is gunicorn's "no limit" (any value from 8190 up means 8190). The worker bounds
        # the whole head instead (HEAD_LIMIT) and answers over it in the envelope too.
        "limit_request_line": 0, "limit_request_field_size": HEAD_LIMIT,
        # gunicorn 27's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl):
        # a second instance replaced the first one's socket and removed it on stop.
        # Nothing here uses gunicornc; signals still manage the master.
        "control_socket_disable": True,
    }


class Server(BaseApplication):
    def __init__(self, config: dict, options: dict):
        self.fpbx_config = config
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.fpbx_config)


def run(config: dict, *, bind: str, workers: int, threads: int = 4) -> None:
    Server(config, settings(config, bind=bind, workers=workers, threads=threads)).run()
