"""Dashboards per role, language, and list pages whose query count must not
grow with their rows."""

import pytest
from django.urls import reverse

from .factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fixture, heading",
    [
        ("organiser", "Xin chào"),
        ("official", "Giấy mời cần trả lời"),
        ("leader", "Tổng quan tỉnh Lạng Sơn"),
        ("administrator", "Quản trị hệ thống"),
    ],
)
def test_home_dashboard_per_role(client, request, fixture, heading):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_interface_is_vietnamese_even_for_english_browsers(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_language_can_be_switched_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "en"
    assert "Log in" in page.content.decode()


def test_password_reset_sends_vietnamese_mail(client, organiser, mailoutbox, django_capture_on_commit_callbacks):
    # Through the outbox: the mail is handed to the worker after commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": organiser.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "Đặt lại mật khẩu" in mailoutbox[0].subject
    assert "/tai-khoan/dat-lai-mat-khau/" in mailoutbox[0].body
    # The account is named, so a person with two accounts knows which one.
    assert f"cho tài khoản “{organiser.username}”" in mailoutbox[0].body


def _fill(province, n):
    for _i in range(n):
        agency = AgencyFactory(province=province, parent=None)
        PersonFactory(agency=agency)
        PersonFactory(agency=agency)


@pytest.mark.parametrize("route", ["agencies:agency-list", "agencies:person-list", "agencies:agency-export"])
def test_list_query_count_does_not_grow_with_rows(client, organiser, lang_son, route, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    counts = []
    for extra in (1, 2, 27):  # 1, 3 and 30 agencies beyond the organiser's own
        _fill(lang_son, extra)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(route)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts
