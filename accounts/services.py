"""Every change to a login or a second factor, with its audit row. The
client's address comes from the request being served (core.audit)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "app"
RECOVERY_DEVICE_NAME = "recovery"


def _account(username: str):
    return get_user_model()._default_manager.filter(username=username).first() if username else None


# --- Logins --------------------------------------------------------------------


def login_succeeded(*, user) -> None:
    audit.record(actor=user, action="auth.login", target=user)


def login_failed(*, username: str, lock_reasons: list[str]) -> None:
    """A wrong password (it was checked), and the lockout it started, if any."""
    account = _account(username)
    name = _("Tên đăng nhập “%(username)s”") % {"username": username[:100]}
    audit.record(actor=None, actor_name=name, action="auth.login_failed", target=account)
    if lock_reasons:
        why = {"account": _("tài khoản nhập sai quá số lần cho phép"), "address": _("địa chỉ máy nhập sai quá số lần")}
        audit.record(
            actor=None,
            actor_name=name,
            action="auth.lockout",
            target=account,
            note="; ".join(str(why[reason]) for reason in lock_reasons),
        )


def logged_out(*, user, idle: bool = False) -> None:
    audit.record(actor=user, action="auth.idle_logout" if idle else "auth.logout", target=user)


def password_reset_throttled(*, email: str) -> None:
    audit.record(
        actor=None,
        actor_name=_("Thư điện tử “%(email)s”") % {"email": email[:100]},
        action="auth.password_reset_throttled",
        target=get_user_model()._default_manager.filter(email__iexact=email).first() if email else None,
    )


# --- Second factor -----------------------------------------------------------------


def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device per user, kept
    while the page is reloaded so its QR code does not change under the user."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def two_factor_enrol(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code it shows; it replaces
    any earlier one, and a new set of recovery codes replaces the old.
    Returns the recovery codes (shown once), or None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        audit.record(actor=user, action="two_factor.verify_failed", target=user, note=_("Khi bật xác thực hai bước"))
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit.record(actor=user, action="two_factor.enrol", target=user)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    codes = _new_recovery_codes(user)
    audit.record(actor=user, action="two_factor.recovery_regenerate", target=user)
    return codes


class Throttled(Exception):
    """Too many wrong codes: the device refuses until `until`."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def normalise_code(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def is_app_code(token: str) -> bool:
    return token.isdigit() and len(token) == 6


@transaction.atomic
def two_factor_verify(*, user, token: str):
    """The device that accepts `token`: the authenticator for six digits,
    else the recovery codes (each works once). None when wrong; raises
    Throttled while the device's back-off runs (django-otp doubles it
    after every wrong code)."""
    token = normalise_code(token)
    model = TOTPDevice if is_app_code(token) else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        audit.record(actor=user, action="two_factor.verify_failed", target=user)
        return None
    allowed, details = device.verify_is_allowed()
    if not allowed:
        raise Throttled((details or {}).get("locked_until"))
    if not device.verify_token(token):
        audit.record(actor=user, action="two_factor.verify_failed", target=user)
        return None
    if model is StaticDevice:
        left = device.token_set.count()
        audit.record(
            actor=user,
            action="two_factor.recovery_used",
            target=user,
            note=_("Còn %(count)d mã khôi phục chưa dùng") % {"count": left},
        )
    else:
        audit.record(actor=user, action="two_factor.verify", target=user)
    return device


@transaction.atomic
def two_factor_disable(*, actor, user) -> None:
    """Remove the user's second factor: by the user (where not required),
    or by an administrator for someone who lost both phone and codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action="two_factor.disable" if actor == user else "two_factor.reset", target=user)
