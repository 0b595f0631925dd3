"""What a user may not do is not offered; what goes wrong is said in
Vietnamese with a way back, by `make run` as by production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import path, reverse

from config.urls import urlpatterns as portal_urlpatterns

from .conftest import client_for

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def fails(request):
    raise RuntimeError("một lỗi bất ngờ")


def refuses(request):
    raise SuspiciousOperation("yêu cầu hỏng")


# This module is also the URLconf of the error tests: the portal's, plus two
# pages that fail.
urlpatterns = [path("thu-loi/500/", fails), path("thu-loi/400/", refuses), *portal_urlpatterns]


@pytest.mark.parametrize(
    ("listing", "create"),
    [("conferences:list", "conferences:create"), ("conferences:plan-list", "conferences:plan-create")],
)
def test_only_who_may_create_is_offered_the_button(listing, create, administrator, organiser):
    for user, allowed in ((administrator, False), (organiser, True)):
        client = client_for(user)
        page = client.get(reverse(listing)).content.decode()
        assert (f'href="{reverse(create)}"' in page) is allowed, user.role
        assert client.get(reverse(create)).status_code == (200 if allowed else 403), user.role


def way_back(page: str) -> bool:
    return "Về trang tổng quan" in page and "Quay lại trang trước" in page and "js/back.js" in page


def test_a_missing_page_is_said_in_vietnamese_with_a_way_back(organiser):
    response = client_for(organiser).get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page and way_back(page)
    assert "Not Found" not in page


def test_a_refused_page_is_said_in_vietnamese_with_a_way_back(official):
    response = client_for(official).get(reverse("core:audit"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền mở trang này" in page and way_back(page)


@pytest.mark.urls("tests.test_refusals")
def test_a_failure_is_said_in_vietnamese_with_a_way_back(organiser):
    client = client_for(organiser)
    client.raise_request_exception = False
    response = client.get("/thu-loi/500/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp lỗi" in page and way_back(page)
    assert "một lỗi bất ngờ" not in page and "Traceback" not in page


@pytest.mark.urls("tests.test_refusals")
def test_a_bad_request_is_said_in_vietnamese_with_a_way_back(organiser):
    response = client_for(organiser).get("/thu-loi/400/")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in page and way_back(page)


def test_an_expired_form_is_said_in_vietnamese_with_a_way_back():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in page and way_back(page)
    assert "CSRF verification failed" not in page


def test_make_run_serves_the_pages_users_see_and_its_static_files():
    """`make run` (scripts/serve.sh) turns DEBUG off unless asked: a missing
    page is the portal's, and WhiteNoise still serves the static files
    straight from the source folders."""
    assert 'export DJANGO_DEBUG="${DJANGO_DEBUG:-False}"' in (ROOT / "scripts/serve.sh").read_text()
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(SERVER_NAME='127.0.0.1'); "
        "r = c.get('/khong-co-trang-nay/'); print(r.status_code, 'Không tìm thấy trang' in r.content.decode()); "
        "r = c.get('/static/css/portal.css'); print(r.status_code, r['Content-Type'].split(';')[0]); "
        "r = c.get('/static/admin/css/base.css'); print(r.status_code)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "False"})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.split("\n")[-4:] == ["404 True", "200 text/css", "200", ""], result.stderr
