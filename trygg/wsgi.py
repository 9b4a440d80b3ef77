"""WSGI entry point for a production server (gunicorn, waitress, mod_wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
application = get_wsgi_application()
