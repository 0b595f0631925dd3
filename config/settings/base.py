"""Settings shared by every environment. Everything that differs between
machines is read from the environment (or an optional `.env` file)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# The environment file (.env, or CCHC_ENV_FILE) was read when the config
# package chose these settings (config.environment.choose_settings).

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -----------------------------------------------------------
INSTALLED_APPS = [
    # The pickers' autocomplete (its JS; select2 and jQuery come from the admin's static files).
    "dal",
    "dal_select2",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    # Login throttling and the second factor (TOTP, recovery codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Own apps, base first: later apps may import earlier ones, never the reverse.
    "core",
    "agencies",
    "documents",
    "indices",
    "conferences",
    "submissions",
    "notifications",
    "accounts",
    # The API for the province's other systems: over every app, imported by none.
    "api",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # First, so that every log line of the request and every answer, a
    # redirect to HTTPS included, carries its id and is counted.
    "config.middleware.RequestIdMiddleware",
    "config.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a request body: refuses one too large for its path.
    "core.middleware.UploadLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.ScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After the messages (they say why) and the scope (audit rows get the client's address).
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # Last: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# A strict Content-Security-Policy: every script and style is a file of ours
# (no inline script, style or attribute, nothing from elsewhere). Pages and
# templates hold no inline code; tests/test_csp.py loads every role's pages
# in a browser and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Nothing of the portal uses the browser's devices.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],  # the check-in page reads QR codes with the phone's own camera app, not the browser
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "agencies.User"
# Object permissions are named predicates (the `rules` library), asked by
# views and asserted by services alike.
AUTHENTICATION_BACKENDS = [
    # First: a locked-out account or address is refused before any password is hashed.
    "accounts.throttling.ThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.portal",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite when DATABASE_URL is unset keeps `make run` free of any service.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cchc",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------
# Without Redis, tasks run inline (eager): the portal works on one machine with
# nothing else installed. With Redis, real workers and beat do the work.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# A task is acknowledged after it ran, so a killed worker's task is delivered
# again; every task is written to be safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "config.heartbeat", "schedule": 60.0},
    # Due reminder steps become messages; queued messages are dispatched.
    "reminder-sweep": {"task": "notifications.sweep", "schedule": 120.0},
    # Renders, batches and booklets queued but not handed over (broker down) or
    # running past their time limit (worker killed) are handed over again.
    "jobs-sweep": {"task": "core.sweep_jobs", "schedule": 120.0},
    # The organisers' summary of what is overdue, each working morning.
    "overdue-summary": {"task": "conferences.overdue_summary", "schedule": crontab(hour=7, minute=30)},
}
# How long without a heartbeat before organisers are warned that no worker runs.
WORKER_HEARTBEAT_STALE_SECONDS = env.int("WORKER_HEARTBEAT_STALE_SECONDS", default=180)

# --- Passwords and sessions ------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 60 * 60 * 12
# A session left alone this long is logged out (accounts.middleware.IdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60

# --- Login throttling (django-axes) and the second factor (django-otp) --------
# Wrong passwords are counted per account and per client address; past either
# limit the next attempt is refused before the password hasher runs. Each
# further lockout of the same account or address within a day lasts twice as
# long as the one before (15 min, 30 min, 1 h … at most LOGIN_COOLOFF_MAX_HOURS).
AXES_HANDLER = "accounts.throttling.PortalAxesHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
# Higher: an office behind one NAT address shares it.
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
LOGIN_COOLOFF_MAX_HOURS = env.int("LOGIN_COOLOFF_MAX_HOURS", default=24)
AXES_COOLOFF_TIME = "accounts.throttling.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True
# A refused attempt cost nothing; it neither counts nor restarts the cool-off.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_username"
# The same rule as the audit trail: X-Forwarded-For only behind TRUSTED_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
# Logins and logouts are in the audit trail; axes keeps only the counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Password reset requests per client address and per e-mail address, each hour.
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=5)
PASSWORD_RESET_PER_EMAIL = env.int("PASSWORD_RESET_PER_EMAIL", default=3)
# Administrators and organisers must confirm a second factor (TOTP or a
# recovery code) after the password; everyone else may turn it on.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
TWO_FACTOR_REQUIRED_ROLES = ["administrator", "organiser"]
OTP_TOTP_ISSUER = env("PORTAL_NAME", default="Cổng CCHC")

# --- Language, time, formats -------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files are private: they are never served from a
# public URL, only through views that check permission.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DIRECTORY_IMPORT_MAX_BYTES = env.int("DIRECTORY_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
DUTY_FILE_MAX_BYTES = env.int("DUTY_FILE_MAX_BYTES", default=25 * 1024 * 1024)
PRESENTATION_MAX_BYTES = env.int("PRESENTATION_MAX_MB", default=25) * 1024 * 1024
# The signed copy of a document registered from outside the portal (a scan).
REGISTERED_FILE_MAX_BYTES = env.int("REGISTERED_FILE_MAX_MB", default=25) * 1024 * 1024
# A spreadsheet to import (index scores, national results, a framework).
SPREADSHEET_MAX_BYTES = env.int("SPREADSHEET_MAX_BYTES", default=10 * 1024 * 1024)
# An uploaded spreadsheet is read in a child process with these bounds: a
# small file can still describe a sheet of billions of cells.
SPREADSHEET_MAX_ROWS = 100_000
SPREADSHEET_MAX_COLUMNS = 1_000
SPREADSHEET_MAX_CELLS = 1_000_000
SPREADSHEET_READ_MEMORY = 768 * 1024 * 1024
SPREADSHEET_READ_SECONDS = 20
# Request bodies, refused from their declared length before they are read
# (core.middleware.UploadLimitMiddleware) and counted again as files stream
# in (core.uploads.LimitedUploadHandler): a visitor who is not signed in
# sends a login form at most; a signed-in user what the path takes, by the
# longest matching URL prefix.
_MB = 1024 * 1024
ANONYMOUS_UPLOAD_MAX_BYTES = 64 * 1024
# …except the public page that checks a PDF someone holds (throttled there).
ANONYMOUS_UPLOAD_PATHS = ("/xac-minh/",)
# A form's fields other than its files (Django's default, stated here).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_LIMITS = {
    "/": 5 * _MB,
    "/tham-luan/": PRESENTATION_MAX_BYTES + _MB,
    "/nhiem-vu/": DUTY_FILE_MAX_BYTES + _MB,
    # The score form carries one evidence file per criterion.
    "/chi-so/danh-gia/": 4 * DUTY_FILE_MAX_BYTES,
    "/chi-so/bo/": SPREADSHEET_MAX_BYTES + _MB,
    "/chi-so/toan-quoc/": SPREADSHEET_MAX_BYTES + _MB,
    "/chi-so/bang-xep-hang/": SPREADSHEET_MAX_BYTES + _MB,
    "/danh-ba/nhap/": DIRECTORY_IMPORT_MAX_BYTES + _MB,
    "/van-ban/": REGISTERED_FILE_MAX_BYTES + _MB,
    # The public page that checks an uploaded PDF (VERIFY_UPLOAD_MAX_BYTES).
    "/xac-minh/": env.int("VERIFY_UPLOAD_MAX_MB", default=20) * _MB + _MB,
    "/quan-tri/": SPREADSHEET_MAX_BYTES + _MB,
}
FILE_UPLOAD_HANDLERS = [
    "core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# LibreOffice converts Word, PowerPoint and ODT presentations for the booklet;
# empty: found on PATH (soffice), and without it those files are listed instead.
LIBREOFFICE_BINARY = env.str("LIBREOFFICE_BINARY", default="")

# --- E-mail -------------------------------------------------------------------
# EMAIL_URL, e.g. smtp://user:pass@mail.example.gov.vn:587/?tls=True
# Without it mail goes to the console: fine on a developer's machine; in
# production a system check refuses it (EMAIL_DELIVERY_REQUIRED, core.checks).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng CCHC <cchc@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Forms ----------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Audit ------------------------------------------------------------------------
# How many proxies of ours (nginx…) append to X-Forwarded-For in front of the
# portal: the audit trail records the address the nearest untrusted hop gave.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

PORTAL_NAME = env("PORTAL_NAME", default="Cổng CCHC")
# Written into backup manifests and /metrics; empty: the checkout's git commit.
PORTAL_VERSION = env("PORTAL_VERSION", default="")
# /metrics (Prometheus) answers only a bearer of this token or these
# addresses or networks (the client as TRUSTED_PROXY_COUNT finds it); 404 to anyone else.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# Links in e-mails point here (the address officials open the portal at).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# --- Digital signatures (documents/signing.py) -------------------------------
# Encrypts the body keys kept in the database (documents/secrets.py); keep it
# apart from SECRET_KEY and from the database's backups.
SIGNING_KEY_SECRET = env("SIGNING_KEY_SECRET", default="")
# An RFC 3161 time-stamping authority for the body's signatures (optional).
SIGNING_TSA_URL = env("SIGNING_TSA_URL", default="")
# Fetch CRLs named in certificates when checking a signature (intranets
# without a route to the CA keep this off and load CRLs in the admin).
SIGNING_FETCH_REVOCATION = env.bool("SIGNING_FETCH_REVOCATION", default=False)
# Anonymous checks of uploaded PDFs on the public verification page.
VERIFY_UPLOAD_MAX_BYTES = env.int("VERIFY_UPLOAD_MAX_MB", default=20) * 1024 * 1024
VERIFY_UPLOAD_RATE = env("VERIFY_UPLOAD_RATE", default="10/m")
# Reminders: a message still "sending" after this long lost its worker and is
# queued again; transient SMTP failures are retried this many times.
NOTIFICATION_SENDING_TIMEOUT = env.int("NOTIFICATION_SENDING_TIMEOUT", default=300)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)

# Every line names its request (X-Request-ID) or Celery task (config/logs.py);
# LOG_FORMAT=json writes one JSON object per line (production's default).
# Celery workers use this configuration too (config/celery.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s%(context)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", default="plain"),
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO: one line per page.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- API for other systems (api/) -------------------------------------------
# Read-only, by token (one per system, province and scopes) or by a signed-in
# person's session; every list paginated, filterable and ordered.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "api.authentication.PortalSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasReadScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE", default="600/min")},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filters.StrictOrdering",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.PortalAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "api.exceptions.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCHC Portal API",
    "DESCRIPTION": (
        "API chỉ đọc cho các hệ thống của tỉnh (quản lý văn bản, báo cáo, cổng thông tin). "
        "Read-only API for the province's other systems. "
        "Xác thực / Authentication: `Authorization: Bearer cchc_…` (mã do quản trị cấp, theo tỉnh và phạm vi)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The reference page's scripts and styles are files of ours (no CDN: intranets have no internet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {},
    # OpenAPI 3.1: its `webhooks` describe what the portal POSTs (api/webhook_docs.py).
    "OAS_VERSION": "3.1.0",
    "WEBHOOKS": [
        f"api.webhook_docs.{name}"
        for name in (
            "document_issued",
            "document_revoked",
            "invitation_replied",
            "presentation_uploaded",
            "duty_completed",
            "results_published",
        )
    ],
}
# Webhook deliveries: attempts before a delivery is failed, and how long one
# may stay "sending" (a worker killed mid-POST) before the sweep retries it.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_SENDING_TIMEOUT = env.int("WEBHOOK_SENDING_TIMEOUT", default=120)
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=10)
