"""Logging in: wrong passwords counted per account and per address and
refused before the password is hashed, with a back-off; the admin and the
password reset behind the same guard; a second factor required of
administrators and organisers (TOTP, or a recovery code once); idle
sessions ended; every step in the audit trail with the real address."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.session_state import LAST_SEEN
from agencies.models import Role
from core.models import AuditEntry
from notifications.models import Message

from .conftest import client_for
from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"


@pytest.fixture
def hashes(monkeypatch):
    """Every run of the password hasher (a check, or the dummy hash Django
    makes for an unknown account), counted."""
    calls = []
    verify, encode = MD5PasswordHasher.verify, MD5PasswordHasher.encode

    def counted_verify(self, password, encoded):
        calls.append("verify")
        return verify(self, password, encoded)

    def counted_encode(self, password, salt):
        calls.append("encode")
        return encode(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counted_verify)
    monkeypatch.setattr(MD5PasswordHasher, "encode", counted_encode)
    return calls


@pytest.fixture
def second_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True
    return settings


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def confirmed_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- Throttling --------------------------------------------------------------------


def test_sixth_wrong_password_is_refused_with_the_lockout_page_without_hashing(organiser, hashes):
    client = Client()
    for attempt in range(1, 5):
        response = post_login(client, organiser.username, f"sai-{attempt}")
        assert response.status_code == 200
        assert "không đúng" in text(response)
    assert hashes.count("verify") == 4
    fifth = post_login(client, organiser.username, "sai-5")
    assert fifth.status_code == 429 and "Tạm khóa đăng nhập" in text(fifth)
    assert "Hãy thử lại sau 15 phút" in text(fifth)
    hashes.clear()
    sixth = post_login(client, organiser.username, "sai-6")
    assert sixth.status_code == 429 and "Tạm khóa đăng nhập" in text(sixth)
    # Even the right password waits out the lockout, and costs no hash either.
    right = post_login(client, organiser.username, PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert hashes == []


def test_the_account_is_locked_from_every_address_and_in_every_spelling(organiser, hashes):
    for attempt in range(5):
        post_login(Client(), organiser.username, f"sai-{attempt}", REMOTE_ADDR=f"10.0.0.{attempt + 1}")
    hashes.clear()
    response = post_login(Client(), f"  {organiser.username.upper()} ", "sai", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert hashes == []


def test_an_address_is_locked_after_its_limit_of_failures_over_any_accounts(settings, organiser, official, hashes):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    for attempt in range(7):
        response = post_login(Client(), f"khong-co-{attempt}", "sai", REMOTE_ADDR="198.51.100.20")
        assert response.status_code == 200
    eighth = post_login(Client(), official.username, "sai", REMOTE_ADDR="198.51.100.20")
    assert eighth.status_code == 429
    hashes.clear()
    refused = post_login(Client(), organiser.username, PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert refused.status_code == 429 and hashes == []
    # Another address, and the same account, are not affected.
    elsewhere = Client()
    assert post_login(elsewhere, organiser.username, PASSWORD, REMOTE_ADDR="198.51.100.21").status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(organiser.pk)


def test_each_further_lockout_lasts_twice_as_long(organiser):
    client = Client()
    for attempt in range(5):
        response = post_login(client, organiser.username, f"sai-{attempt}")
    assert "sau 15 phút" in text(response)
    # The cool-off passed: the rows of that lockout have expired.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    AccessAttemptExpiration.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert post_login(client, organiser.username, PASSWORD).status_code == 302
    client = Client()
    for attempt in range(5):
        response = post_login(client, organiser.username, f"lai-sai-{attempt}")
    assert response.status_code == 429 and "sau 30 phút" in text(response)
    # Still locked a quarter of an hour later: the rows live as long as the longer cool-off.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=20))
    assert post_login(client, organiser.username, PASSWORD).status_code == 429


def test_forwarded_address_counts_only_behind_a_trusted_proxy(settings, organiser):
    # No proxy of ours: X-Forwarded-For is whatever the client wrote, ignored.
    for attempt in range(5):
        post_login(
            Client(), organiser.username, "sai", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}"
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.5"}
    failed = AuditEntry.objects.filter(action="auth.login_failed")
    assert set(failed.values_list("client_ip", flat=True)) == {"192.0.2.5"}
    AccessAttempt.objects.all().delete()
    AuditEntry.objects.all().delete()
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind one nginx: the hop it appended is the client; what the client forged before it is not.
    post_login(
        Client(), organiser.username, "sai", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert (entry.client_ip, entry.object_id, entry.actor_id) == ("203.0.113.7", str(organiser.pk), None)
    assert organiser.username in entry.actor_name


def test_login_logout_and_lockout_are_in_the_audit_trail(organiser, lang_son):
    client = Client()
    post_login(client, organiser.username, "sai", REMOTE_ADDR="10.1.2.3")
    post_login(client, organiser.username, PASSWORD, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    for attempt in range(4):
        post_login(client, organiser.username, f"sai-{attempt}", REMOTE_ADDR="10.1.2.4")
    rows = list(AuditEntry.objects.order_by("pk").values_list("action", "actor_id", "client_ip", "province_id"))
    assert rows == [
        ("auth.login_failed", None, "10.1.2.3", lang_son.pk),
        ("auth.login", organiser.pk, "10.1.2.3", lang_son.pk),
        ("auth.logout", organiser.pk, "10.1.2.3", lang_son.pk),
        *[("auth.login_failed", None, "10.1.2.4", lang_son.pk)] * 4,
        ("auth.lockout", None, "10.1.2.4", lang_son.pk),
    ]
    assert AuditEntry.objects.get(action="auth.lockout").note == "tài khoản nhập sai quá số lần cho phép"


def test_the_admin_login_is_the_portals_and_equally_throttled(organiser, administrator, hashes):
    anonymous = Client()
    response = anonymous.get("/quan-tri/")
    assert response.status_code == 302
    followed = anonymous.get(response["Location"])
    assert followed.status_code == 302 and followed["Location"] == f"{LOGIN}?next=%2Fquan-tri%2F"
    # Django's admin form is gone: a password posted there is never checked.
    posted = anonymous.post("/quan-tri/login/", {"username": administrator.username, "password": "sai"})
    assert posted.status_code == 302 and hashes == []
    for attempt in range(5):
        post_login(anonymous, administrator.username, f"sai-{attempt}")
    hashes.clear()
    assert post_login(anonymous, administrator.username, PASSWORD).status_code == 429
    assert hashes == []
    # Someone logged in who may not enter the admin is refused, not sent round in a loop.
    assert client_for(organiser).get("/quan-tri/login/?next=/quan-tri/").status_code == 403


def reset_mails() -> int:
    """Reset links handed to the outbox (every mail of the portal goes through it)."""
    return Message.objects.filter(ref="auth.password_reset", channel="email").count()


def test_password_reset_is_throttled_per_address_and_per_email(organiser, official):
    url = reverse("password_reset")
    for attempt in range(5):
        response = Client().post(url, {"email": f"nguoi{attempt}@cchc.example"}, REMOTE_ADDR="10.2.0.1")
        assert response.status_code == 302
    refused = Client().post(url, {"email": official.email}, REMOTE_ADDR="10.2.0.1")
    assert refused.status_code == 429 and "quá nhiều lần" in text(refused)
    assert reset_mails() == 0
    for attempt in range(3):
        assert Client().post(url, {"email": organiser.email}, REMOTE_ADDR=f"10.3.0.{attempt}").status_code == 302
    sent = reset_mails()
    assert sent >= 1  # the same link asked for within a second is one mail
    assert Client().post(url, {"email": organiser.email.upper()}, REMOTE_ADDR="10.3.0.9").status_code == 429
    assert reset_mails() == sent
    throttled = AuditEntry.objects.filter(action="auth.password_reset_throttled")
    assert throttled.count() == 2


def test_a_password_reset_by_email_unlocks_the_account(organiser):
    for attempt in range(5):
        post_login(Client(), organiser.username, f"sai-{attempt}")
    uid = urlsafe_base64_encode(force_bytes(organiser.pk))
    client = Client()
    start = client.get(reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(organiser)]))
    new = "mat-khau-moi-2026-xyz"
    assert client.post(start["Location"], {"new_password1": new, "new_password2": new}).status_code == 302
    assert post_login(Client(), organiser.username, new).status_code == 302


# --- Second factor -----------------------------------------------------------------


def test_an_organiser_must_set_up_a_second_factor_before_any_page(second_factor, organiser):
    client = Client()
    response = post_login(client, organiser.username, PASSWORD)
    assert response.status_code == 302
    for url in ("/", reverse("conferences:list"), reverse("core:audit"), reverse("account_security"), "/quan-tri/"):
        blocked = client.get(url)
        assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("two_factor_setup")), url
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert '<svg role="img"' in page.content.decode()
    device = TOTPDevice.objects.get(user=organiser, confirmed=False)
    secret = text(page).split("theo thời gian):")[1].split()[:8]
    assert "".join(secret) == __import__("base64").b32encode(device.bin_key).decode()
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 200 and "Mã không đúng" in text(wrong)
    device.throttle_reset()
    done = client.post(reverse("two_factor_setup"), {"code": current_code(device), "next": "/"})
    assert done.status_code == 302 and done["Location"].startswith(reverse("two_factor_codes"))
    codes_page = client.get(done["Location"])
    listed = codes_page.content.decode().split('id="recovery-codes"')[1].split("</ol>")[0]
    shown = re.findall(r"\b[a-z2-7]{4}-[a-z2-7]{4}\b", listed)
    assert len(shown) == 10
    assert sorted(c.replace("-", "") for c in shown) == sorted(StaticToken.objects.values_list("token", flat=True))
    # Shown once.
    assert client.get(reverse("two_factor_codes")).status_code == 302
    assert client.get("/").status_code == 200
    assert list(AuditEntry.objects.filter(actor=organiser).order_by("pk").values_list("action", flat=True)) == [
        "auth.login",
        "two_factor.verify_failed",
        "two_factor.enrol",
    ]


def test_an_enrolled_organiser_is_asked_for_the_code_and_a_wrong_one_is_refused(second_factor, organiser):
    device = confirmed_totp(organiser)
    client = Client()
    post_login(client, organiser.username, PASSWORD, REMOTE_ADDR="10.4.0.1")
    blocked = client.get(reverse("conferences:list"))
    assert blocked["Location"] == f"{reverse('two_factor_verify')}?next=%2Fhoi-nghi%2F"
    # Setting up another factor instead of confirming this one is not a way round.
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/hoi-nghi/"}, REMOTE_ADDR="10.4.0.1")
    assert wrong.status_code == 200 and "Mã không đúng" in text(wrong)
    # django-otp's back-off: right after a wrong code even the right one waits.
    waiting = client.post(reverse("two_factor_verify"), {"code": current_code(device)})
    assert "Hãy chờ" in text(waiting)
    device.throttle_reset()
    ok = client.post(
        reverse("two_factor_verify"), {"code": current_code(device), "next": "/hoi-nghi/"}, REMOTE_ADDR="10.4.0.1"
    )
    assert ok.status_code == 302 and ok["Location"] == "/hoi-nghi/"
    assert client.get(reverse("conferences:list")).status_code == 200
    rows = AuditEntry.objects.filter(action__startswith="two_factor").order_by("pk")
    assert [(r.action, r.client_ip) for r in rows] == [
        ("two_factor.verify_failed", "10.4.0.1"),
        ("two_factor.verify", "10.4.0.1"),
    ]


def test_an_administrator_reaches_the_admin_only_after_the_second_factor(second_factor, administrator):
    device = confirmed_totp(administrator)
    client = Client()
    response = client.post(
        f"{LOGIN}?next=/quan-tri/", {"username": administrator.username, "password": PASSWORD, "next": "/quan-tri/"}
    )
    assert response["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/")["Location"] == f"{reverse('two_factor_verify')}?next=%2Fquan-tri%2F"
    client.post(reverse("two_factor_verify"), {"code": current_code(device)})
    assert client.get("/quan-tri/").status_code == 200


def test_a_recovery_code_works_once(second_factor, organiser):
    confirmed_totp(organiser)
    recovery = StaticDevice.objects.create(user=organiser, name="recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token="abcd2345")
    StaticToken.objects.create(device=recovery, token="efgh6723")
    client = Client()
    post_login(client, organiser.username, PASSWORD)
    page = client.get(reverse("two_factor_verify") + "?ma-khoi-phuc=1")
    assert "Mã khôi phục" in text(page)
    used = client.post(reverse("two_factor_verify"), {"code": "ABCD-2345", "recovery": "1"}, follow=True)
    assert used.status_code == 200 and "còn 1 mã" in text(used)
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]
    assert AuditEntry.objects.get(action="two_factor.recovery_used").note == "Còn 1 mã khôi phục chưa dùng"
    client.post(reverse("logout"))
    again = Client()
    post_login(again, organiser.username, PASSWORD)
    refused = again.post(reverse("two_factor_verify"), {"code": "abcd-2345", "recovery": "1"})
    assert refused.status_code == 200 and "Mã không đúng" in text(refused)
    assert again.get("/")["Location"].startswith(reverse("two_factor_verify"))


def test_an_official_may_skip_the_second_factor_or_turn_it_on(second_factor, official):
    client = Client()
    post_login(client, official.username, PASSWORD)
    assert client.get("/").status_code == 200
    page = client.get(reverse("account_security"))
    assert "Chưa bật" in text(page)
    assert client.get("/").content.decode().count(reverse("account_security")) == 1  # in the account menu
    # Once turned on, it is asked at every login.
    device = confirmed_totp(official)
    later = Client()
    post_login(later, official.username, PASSWORD)
    assert later.get("/")["Location"].startswith(reverse("two_factor_verify"))
    later.post(reverse("two_factor_verify"), {"code": current_code(device)})
    assert later.post(reverse("two_factor_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=official).exists()
    assert AuditEntry.objects.filter(action="two_factor.disable", actor=official).count() == 1


def test_the_demo_and_test_settings_do_not_require_it(organiser):
    client = Client()
    post_login(client, organiser.username, PASSWORD)
    assert client.get("/").status_code == 200


def test_reset_two_factor_command_clears_devices_and_lockout(organiser):
    from django.core.management import call_command

    confirmed_totp(organiser)
    for attempt in range(5):
        post_login(Client(), organiser.username, f"sai-{attempt}")
    call_command("reset_two_factor", organiser.username, "--unlock", stdout=open("/dev/null", "w"))
    assert not TOTPDevice.objects.filter(user=organiser).exists()
    assert post_login(Client(), organiser.username, PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="two_factor.reset", object_id=str(organiser.pk)).count() == 1


# --- Idle sessions -------------------------------------------------------------------


def test_an_idle_session_is_logged_out_with_a_message(settings, official):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client = client_for(official)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/chi-so/", REMOTE_ADDR="10.5.0.1")
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next=%2Fchi-so%2F"
    login_page = client.get(response["Location"])
    assert "Phiên làm việc đã hết sau 30 phút không hoạt động" in text(login_page)
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="auth.idle_logout")
    assert (entry.actor, entry.client_ip) == (official, "10.5.0.1")


def test_an_idle_htmx_request_sends_the_whole_page_to_login(official):
    client = client_for(official)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 24 * 60 * 60
    session.save()
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(LOGIN)


def test_roles_that_require_the_second_factor(second_factor):
    from accounts.session_state import two_factor_required

    assert two_factor_required(UserFactory.build(role=Role.ADMINISTRATOR, agency=None))
    assert two_factor_required(UserFactory.build(role=Role.ORGANISER))
    assert not two_factor_required(UserFactory.build(role=Role.OFFICIAL))
    assert not two_factor_required(UserFactory.build(role=Role.LEADER))
    second_factor.TWO_FACTOR_REQUIRED = False
    assert not two_factor_required(UserFactory.build(role=Role.ADMINISTRATOR, agency=None))


def test_after_an_administrators_reset_the_next_page_asks_to_set_up_again(second_factor, organiser):
    from django.core.management import call_command

    device = confirmed_totp(organiser)
    client = Client()
    post_login(client, organiser.username, PASSWORD)
    client.post(reverse("two_factor_verify"), {"code": current_code(device)})
    assert client.get("/").status_code == 200
    call_command("reset_two_factor", organiser.username, stdout=open("/dev/null", "w"))
    to_verify = client.get("/")
    assert to_verify["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(to_verify["Location"])["Location"].startswith(reverse("two_factor_setup"))
    assert client.get(reverse("two_factor_setup")).status_code == 200
