"""The packages are found, never listed: every folder of ``fpbx_api/`` (the migrations'
``versions/`` has no ``__init__.py``) and of ``plugins/``, installed as
``fpbx_api_plugins.<name>`` (setup.cfg maps the directory). setup.cfg's ``find:`` cannot
rename a directory, hence this file."""

from setuptools import find_namespace_packages, setup

SKIP = ["*__pycache__*"]

setup(packages=[
    *find_namespace_packages(include=["fpbx_api", "fpbx_api.*"], exclude=SKIP),
    "fpbx_api_plugins",
    *(f"fpbx_api_plugins.{name}" for name in find_namespace_packages("plugins", exclude=SKIP)),
])
