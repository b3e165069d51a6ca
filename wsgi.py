"""WSGI entry point: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Configuration comes from ``$FPBX_API_CONFIG`` and ``FPBX_API_*`` variables.
"""

from fpbx_api import create_app

app = create_app()
