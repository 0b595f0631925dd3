import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Django checks only what manage.py runs; a server must not start half-configured.
from core.checks import refuse_to_start  # noqa: E402

refuse_to_start()
