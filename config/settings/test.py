"""The test suite runs against real PostgreSQL and Redis (both on
127.0.0.1 on our machines); tasks run eagerly unless a test starts a worker."""

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = "test-only-not-secret-5d1c7e8f2a9b4c3d"
DEBUG = False
ALLOWED_HOSTS = ["*"]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/cchc"),
}
DATABASES["default"]["CONN_MAX_AGE"] = 0

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cchc-test",
    }
}
CELERY_BROKER_URL = REDIS_URL
# The bench turns this off to measure real workers.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-memory mail, unless a test's worker is pointed at a real SMTP server.
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEMO_DATA_ALLOWED = True
# Most tests log in with force_login; tests/test_auth_security.py turns this on.
TWO_FACTOR_REQUIRED = False

INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

# Serve static files straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Rendered documents and uploads go to a scratch folder, never the checkout's media/.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(tempfile.gettempdir()) / "cchc-test-media"
