from django.core.wsgi import get_wsgi_application

# The settings are named by the environment (the units' EnvironmentFile, or
# the project's .env): importing this module ran config/__init__.py first,
# whose Celery app already chose them (config.environment).

application = get_wsgi_application()

# Django checks only what manage.py runs; a server must not start half-configured.
from core.checks import refuse_to_start  # noqa: E402

refuse_to_start()
