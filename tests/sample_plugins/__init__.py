"""Plugins that exist only in the test suite, registered as entry points by
tests/test_plugins.py's fixture (a dist-info written to a temporary folder)."""
