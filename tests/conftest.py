"""Fixtures of the project's own tests (the shared ones come from fpbx_api.testing)."""

from __future__ import annotations

import importlib
import sys

import pytest

SAMPLE_PLUGINS = {"notes": "tests.sample_plugins.notes:plugin",
                  "zz_broken": "tests.sample_plugins.broken:plugin",
                  "leaky": "tests.sample_plugins.leaky:plugin"}


@pytest.fixture
def sample_plugins(tmp_path, monkeypatch):
    """Register tests/sample_plugins as entry points of an installed distribution, as a
    third-party package would be: a dist-info folder on sys.path."""
    dist = tmp_path / "fpbx_sample_plugins-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fpbx-sample-plugins\n"
                                   "Version: 0.1.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in SAMPLE_PLUGINS.items())
    (dist / "entry_points.txt").write_text(f"[fpbx_api.plugins]\n{lines}")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield
    sys.modules.pop("tests.sample_plugins.broken", None)


def pytest_addoption(parser):
    parser.addoption("--deep", action="store_true",
                     help="fuzz with many more examples (slow; not for CI)")


def pytest_terminal_summary(terminalreporter):
    from tests.figures import FIGURES

    if FIGURES:
        terminalreporter.section("reliability figures")
        for name, value in FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
