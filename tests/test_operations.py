"""Operating the portal: the first administrator of an empty database, and
production refusing to start without a mail server."""

import io
import os
import subprocess
import sys

import psycopg2
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory

from agencies.models import Role, User
from core.models import AuditEntry

from .test_settings import PRODUCTION_ENV, ROOT, run

PASSWORD = "Hoi-nghi-CCHC-2026!"


# --- The first administrator ------------------------------------------------------------


def test_createsuperuser_on_an_empty_database_makes_an_administrator(db, monkeypatch):
    # The test database was created and migrated from zero for this run.
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert User.objects.count() == 0
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)

    call_command(
        "createsuperuser", interactive=False, username="quantri", email="quantri@langson.gov.vn", stdout=io.StringIO()
    )

    user = User.objects.get()
    assert (user.username, user.role, user.agency, user.is_staff, user.is_superuser) == (
        "quantri",
        Role.ADMINISTRATOR,
        None,
        True,
        True,
    )
    assert authenticate(RequestFactory().post("/"), username="quantri", password=PASSWORD) == user
    assert user.is_administrator
    assert user.has_perm("agencies.administer")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("user.create", None, str(user.pk))


def test_createadmin_reads_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    out = io.StringIO()

    call_command(
        "createadmin", username="quantri", email="quantri@langson.gov.vn", full_name="Nguyễn Văn An", stdout=out
    )

    user = User.objects.get()
    assert (user.role, user.agency, user.full_name, user.is_staff, user.is_superuser) == (
        Role.ADMINISTRATOR,
        None,
        "Nguyễn Văn An",
        True,
        True,
    )
    assert user.check_password(PASSWORD)
    assert out.getvalue() == "Đã tạo tài khoản quản trị “quantri”.\n"


def test_createadmin_refuses_a_weak_password(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "12345678")
    with pytest.raises(CommandError) as refused:
        call_command("createadmin", username="quantri", email="quantri@langson.gov.vn")
    assert "12345678" not in str(refused.value)
    assert str(refused.value)
    assert User.objects.count() == 0


def test_createadmin_refuses_an_existing_username(db, administrator, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="Đã có tài khoản “admin”"):
        call_command("createadmin", username="admin", email="admin@langson.gov.vn")
    assert User.objects.count() == 1


def test_createadmin_without_a_password_and_no_terminal_refuses(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD"):
        call_command("createadmin", username="quantri", email="quantri@langson.gov.vn", interactive=False)
    assert User.objects.count() == 0


@pytest.fixture
def fresh_database(db):
    """A database of its own, created empty for the test and dropped after it."""
    name = f"{connection.settings_dict['NAME']}_fresh"[:63]
    params = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres", user=params["USER"], password=params["PASSWORD"], host=params["HOST"], port=params["PORT"]
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    port = params["PORT"] or 5432
    url = f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST'] or '127.0.0.1'}:{port}/{name}"
    yield url, name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_first_administrator_following_the_readme_on_a_fresh_database(fresh_database):
    url, name = fresh_database
    env = {**PRODUCTION_ENV, "DATABASE_URL": url, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}

    migrated = run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    created = run(["manage.py", "createadmin", "--username", "quantri", "--email", "quantri@langson.gov.vn"], env)
    assert created.returncode == 0, created.stderr
    django_way = run(["manage.py", "createsuperuser", "--noinput", "--username", "qt2", "--email", "qt2@a.vn"], env)
    assert django_way.returncode == 0, django_way.stderr

    rows = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    with rows, rows.cursor() as cursor:
        cursor.execute("SELECT username, role, agency_id, is_staff, is_superuser FROM agencies_user ORDER BY id")
        assert cursor.fetchall() == [
            ("quantri", "administrator", None, True, True),
            ("qt2", "administrator", None, True, True),
        ]
    rows.close()


# --- Production needs a mail server -------------------------------------------------------


@pytest.mark.parametrize("email_url", [None, "consolemail://", "memorymail://", "dummymail://"])
def test_check_deploy_refuses_an_email_backend_that_delivers_nothing(email_url):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    if email_url:
        env["EMAIL_URL"] = email_url
    result = run(["manage.py", "check", "--deploy"], env)
    assert result.returncode == 1
    assert "(core.E001) EMAIL_BACKEND is django.core.mail.backends." in result.stderr
    assert "Set EMAIL_URL" in result.stderr


def test_web_server_refuses_to_boot_without_email_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"}
    result = run(["-c", "import config.wsgi"], env)
    assert result.returncode == 1
    assert "ImproperlyConfigured: ?: (core.E001)" in result.stderr


def test_web_server_boots_with_email_url():
    result = run(["-c", "import config.wsgi; print('ready')"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ready"


def test_worker_refuses_to_start_without_email_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"EMAIL_URL", "DJANGO_SETTINGS_MODULE"}}
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", "refused-start"],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "The worker refuses to start: ?: (core.E001)" in result.stderr
