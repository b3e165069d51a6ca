"""Load under gunicorn with 4 workers and Redis storage (a redis-server of this test's own):
the rate limit holds exactly across workers, and concurrent creates of one extension number
give one 201 and the rest 409."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.figures import FIGURES
from tests.gunicorn_server import gunicorn


@pytest.mark.slow
def test_four_workers_share_the_limit_and_never_duplicate(fpbx_db, tenants, redis_server):
    with gunicorn(fpbx_db.url, 4, FPBX_API_RATE_LIMIT__STORAGE_URL=redis_server.url,
                  FPBX_API_RATE_LIMIT__REQUESTS_PER_MINUTE="60") as base:
        def get(_):
            return requests.get(f"{base}/api/v1/domains", headers=tenants.a.headers,
                                timeout=10).status_code

        with ThreadPoolExecutor(12) as pool:
            statuses = list(pool.map(get, range(150)))
        assert statuses.count(200) == 60, statuses.count(200)
        assert statuses.count(429) == 90

        def create(_):
            return requests.post(f"{base}/api/v1/extensions", json={"extension": "5000"},
                                 headers=tenants.b.headers, timeout=10).status_code

        with ThreadPoolExecutor(12) as pool:
            creates = list(pool.map(create, range(24)))
        assert sorted(creates) == [201] + [409] * 23, creates
        assert len(fpbx_db.rows("v_extensions", extension="5000")) == 1
        assert len(fpbx_db.rows("v_voicemails", voicemail_id="5000")) == 1
    FIGURES["requests under load"] = (
        f"{len(statuses)} GETs over 4 workers: {statuses.count(200)} accepted (limit 60), "
        f"{statuses.count(429)} limited; {len(creates)} concurrent creates of one number: "
        f"{creates.count(201)} created, {creates.count(409)} duplicate")
