"""A strict Content-Security-Policy (every script and style a file of ours,
nothing inline, nothing from elsewhere), a Permissions-Policy and a
Referrer-Policy on every response; and, in a real browser, the pages each
role uses daily — forms with pickers, htmx panels, the document editor, the
admin — run without a single violation."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from conferences.models import Conference
from documents.models import Document

from .test_browser import login

pytestmark = pytest.mark.django_db


def test_every_response_carries_the_policies(client, organiser):
    client.force_login(organiser)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and "unsafe" not in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    login_page = client.get(reverse("login"))
    assert "Content-Security-Policy" in login_page


def _pages(live_server) -> dict[str, list[str]]:
    upcoming = Conference.objects.filter(province__code="lang-son", status="invited").first()
    held = Conference.objects.filter(province__code="lang-son", status="held").first()
    document = Document.objects.filter(province__code="lang-son").first()
    return {
        "langson.noivu": [
            "/",
            "/hoi-nghi/",
            f"/hoi-nghi/{upcoming.pk}/",
            f"/hoi-nghi/{upcoming.pk}/theo-doi/",
            f"/hoi-nghi/{upcoming.pk}/gui-giay-moi/",
            f"/hoi-nghi/{upcoming.pk}/muc/thanh-phan/",
            f"/hoi-nghi/{upcoming.pk}/muc/nhiem-vu/",
            f"/hoi-nghi/{held.pk}/nhac-han/",
            f"/van-ban/{document.pk}/",
            f"/van-ban/{document.pk}/soan/",
            "/chi-so/",
            "/danh-ba/",
            "/thong-bao/",
        ],
        "langson.taichinh": [
            "/",
            "/giay-moi/",
            "/nhiem-vu/",
            "/tham-luan/",
            "/thong-bao/",
            "/tai-khoan/lich-rieng/",
            # The API's reference page (Swagger UI, served by us).
            "/api/v1/docs/",
        ],
        "quantri": [
            "/quan-tri/",
            "/quan-tri/agencies/agency/",
            "/quan-tri/core/auditentry/",
            "/quan-tri/api/apitoken/add/",
            "/quan-tri/notifications/webhooksubscription/add/",
        ],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_daily_pages_run_without_a_policy_violation(page, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append((page.url, message.text))
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    for username, paths in _pages(live_server).items():
        login(page, live_server, username)  # the login page, anonymous, is checked on the way
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            if path.endswith("/soan/") or "/muc/" in path:
                # Pickers and the live preview start on interaction.
                edit = page.locator("main a:has-text('Sửa'), main button:has-text('Sửa')").first
                if edit.count():
                    edit.click()
                    page.wait_for_load_state("networkidle")
        page.context.clear_cookies()
    assert violations == []
