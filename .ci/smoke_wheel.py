"""The installed wheel serves every plugin: run with a venv that has the wheel (not the
source tree) installed, and the source's ``plugins/`` folder as the argument.

A package left out of the wheel fails here: its plugin's entry point cannot load, so it
is missing from ``/api/v1/`` (or listed as failed) and its paths from the spec.
"""

from __future__ import annotations

import sys
import tempfile
from importlib.resources import files
from pathlib import Path

import fpbx_api
from fpbx_api.app import PREFIX, create_app
from fpbx_api.demo import DEMO_DOMAIN, build_demo_database, demo_config, demo_switch


def main(plugins_dir: str) -> None:
    assert "site-packages" in fpbx_api.__file__, f"not the installed wheel: {fpbx_api.__file__}"
    wanted = sorted(p.parent.name for p in Path(plugins_dir).glob("*/__init__.py"))
    for package, name in [("fpbx_api.migrations", "script.py.mako"),
                          ("fpbx_api.testing", "fusionpbx-5.6.4-dev-schema.sql")]:
        assert files(package).joinpath(name).is_file(), f"{package}/{name} not in the wheel"

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "demo.sqlite")
        key = build_demo_database(path)
        switch = demo_switch()
        try:
            app = create_app(demo_config(path, switch))
            client = app.test_client()
            index = client.get("/api/v1/").json["data"]
            loaded = sorted(p["name"] for p in index["plugins"])
            assert index["failed_plugins"] == [], index["failed_plugins"]
            assert loaded == wanted, f"plugins loaded {loaded}, in the source {wanted}"

            spec = client.get("/api/v1/openapi.json").json
            for plugin in app.extensions["fpbx_plugins"].loaded:
                prefix = f"{PREFIX}{plugin.blueprint.url_prefix}"
                assert any(p.startswith(prefix) for p in spec["paths"]), f"no {prefix} paths"

            headers = {"X-API-Key": key, "X-Domain": DEMO_DOMAIN}
            listed = client.get("/api/v1/extensions", headers=headers)
            assert listed.status_code == 200 and listed.json["pagination"]["total"] == 3
        finally:
            switch.stop()
    print(f"wheel smoke test: {len(wanted)} plugins loaded, {len(spec['paths'])} paths served")


if __name__ == "__main__":
    main(sys.argv[1])
