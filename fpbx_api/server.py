"""Serving with gunicorn from the CLI (``wsgi.py`` serves a deployed gunicorn)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from fpbx_api.app import create_app


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


def run(config: dict, *, bind: str, workers: int, threads: int = 1) -> None:
    Server(config, {"bind": bind, "workers": workers, "threads": threads,
                    "worker_class": "gthread" if threads > 1 else "sync",
                    "timeout": 30, "accesslog": None}).run()
