"""Run a request with a stopwatch that cannot hang the test."""

from __future__ import annotations

import threading


def answers_within(client, method: str, path: str, seconds: float, **kwargs):
    """The response, or None when none came within ``seconds`` (a stuck worker)."""
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(
        client.open(path, method=method, **kwargs)), daemon=True)
    worker.start()
    worker.join(seconds)
    return outcome[0] if outcome else None
