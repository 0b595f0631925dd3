"""Settings per environment, checked in fresh processes so that each one
reads its own environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 20 + "-production-secret-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "cchc.langson.gov.vn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "EMAIL_URL": "smtp+tls://cchc:secret@mail.langson.gov.vn:587",
    "SIGNING_KEY_SECRET": "y" * 20 + "-the-body-keys-secret-0123456789abcdef",
    "PORTAL_BASE_URL": "https://cchc.langson.gov.vn",
}


def run(args, env):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a
    # production process never has it (check --deploy warns about it).
    dropped = {*PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_under_production_prints_no_warning():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_warns_when_body_keys_would_be_encrypted_under_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SIGNING_KEY_SECRET"}
    result = run(["manage.py", "check", "--deploy"], env)
    assert "core.W002" in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PORTAL_BASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_local_defaults_to_sqlite_and_eager_celery():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run(["-c", code], {"DJANGO_SETTINGS_MODULE": "config.settings.local"})
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_local_uses_postgres_and_workers_when_urls_are_set():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": PRODUCTION_ENV["DATABASE_URL"],
        "REDIS_URL": "redis://127.0.0.1:6379/3",
    }
    result = run(["-c", code], env)
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "redis://127.0.0.1:6379/3"]


def test_language_time_zone_and_formats(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    import datetime as dt
    from decimal import Decimal

    template = Template(
        "{% load vn l10n %}{{ score }}|{{ big }}|{{ day|date:'SHORT_DATE_FORMAT' }}|{{ day|vn_date }}|{{ "
        "early|vn_date }}|{{ day|vn_weekday }}"
    )
    with translation.override("vi"):
        out = template.render(
            Context({"score": Decimal("85.97"), "big": 1234, "day": dt.date(2026, 5, 29), "early": dt.date(2026, 2, 5)})
        )
    assert out == "85,97|1.234|29/05/2026|29/5/2026|05/02/2026|thứ Sáu"


def test_vn_number_stays_vietnamese_in_english_interface():
    from decimal import Decimal

    from core.formatting import vn_number

    with translation.override("en"):
        assert vn_number(Decimal("81.51"), 2) == "81,51"
        assert vn_number(3321) == "3.321"


def test_date_input_accepts_dd_mm_yyyy():
    from agencies.forms import AgencyForm

    field = AgencyForm.base_fields["active_from"]
    with translation.override("vi"):
        assert field.clean("29/5/2026").isoformat() == "2026-05-29"


def test_manage_py_takes_the_settings_named_in_the_environment_file(tmp_path):
    # A server's manage.py reads the deployment's file (README "Deployment"),
    # so `migrate` and `collectstatic` run with the settings the units use.
    env_file = tmp_path / "cchc.env"
    lines = [f"{key}={value}" for key, value in PRODUCTION_ENV.items()]
    env_file.write_text("\n".join([*lines, 'DEFAULT_FROM_EMAIL="Cổng CCHC <cchc@langson.gov.vn>"', ""]))
    code = (
        "import sys; sys.argv = ['manage.py', 'shell', '-c', "
        "'from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG, s.DEFAULT_FROM_EMAIL)']; "
        "import manage; manage.main()"
    )
    result = run(["-c", code], {"CCHC_ENV_FILE": str(env_file)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "config.settings.production False Cổng CCHC <cchc@langson.gov.vn>"
    # The process's own environment still wins over the file.
    result = run(["-c", code], {"CCHC_ENV_FILE": str(env_file), "DJANGO_SETTINGS_MODULE": "config.settings.local"})
    assert result.stdout.splitlines()[-1].startswith("config.settings.local ")


def test_the_worker_unit_names_its_node_as_celery_expects():
    # systemd turns %% into %; Celery then expands %h (the host name). A
    # specifier Celery does not know stops the worker at every start.
    from celery.utils.nodenames import host_format

    unit = (ROOT / "deploy/systemd/cchc-worker.service").read_text()
    command = next(line for line in unit.splitlines() if line.startswith("ExecStart=")).split()
    name = command[command.index("-n") + 1].replace("%%", "%")
    assert host_format(name) == "worker@" + __import__("socket").gethostname()
