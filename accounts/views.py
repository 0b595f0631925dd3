"""Login, logout, password reset and the second factor. The password
pages are Django's, with the portal's throttling and audit rows around
them; the lockout page is what django-axes shows a refused login."""

from __future__ import annotations

import math
from base64 import b32encode

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from agencies.forms import PortalAuthenticationForm, PortalPasswordResetForm
from core.audit import client_ip
from core.views import safe_next

from . import services, throttling
from .forms import CodeForm, SetupForm
from .session_state import has_device, set_has_device, two_factor_required

FRESH_CODES = "accounts.fresh_codes"


# --- Password ------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_succeeded(user=form.get_user())
        return response

    def form_invalid(self, form):
        # Set by the throttling handler when a password was checked and was
        # wrong (a refused attempt is not checked, and shows the lockout page).
        if getattr(self.request, "login_failed", False):
            services.login_failed(
                username=(self.request.POST.get("username") or "").strip(),
                lock_reasons=getattr(self.request, "login_lock_reasons", []),
            )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.logged_out(user=request.user)
        return super().post(request, *args, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page a refused login gets (HTTP 429)."""
    until = AxesProxyHandler.get_implementation().locked_until(request, credentials)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {"until": timezone.localtime(until), "minutes": minutes}
    return render(request, "accounts/lockout.html", context, status=429)


def admin_login(request):
    """The admin signs in through the portal's login: one throttled form,
    followed by the second factor."""
    target = safe_next(request, reverse("admin:index"))
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        raise PermissionDenied
    return redirect(reverse("login") + "?" + urlencode({"next": target}))


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm

    def post(self, request, *args, **kwargs):
        email = (request.POST.get("email") or "").strip()
        by_address = throttling.count("password-reset-address", client_ip(request) or "-")
        by_email = throttling.count("password-reset-email", email)
        over = by_address > settings.PASSWORD_RESET_PER_ADDRESS or by_email > settings.PASSWORD_RESET_PER_EMAIL
        if over:
            # One audit row when a limit is first passed, not one per request of a flood.
            if (
                by_address == settings.PASSWORD_RESET_PER_ADDRESS + 1
                or by_email == settings.PASSWORD_RESET_PER_EMAIL + 1
            ):
                services.password_reset_throttled(email=email)
            return render(request, "accounts/reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever can read the account's mail may log in again at once.
        AxesProxyHandler.reset_attempts(username=throttling.attempted_username(None, {"username": form.user.username}))
        return response


# --- Second factor -----------------------------------------------------------------


def _qr_svg(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, title=_("Mã QR để thêm vào ứng dụng xác thực"))
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308  (drawn here, no user text)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _verified_login(request, device) -> None:
    django_otp.login(request, device)
    # A session that gained a factor gets a new key, as at login.
    request.session.cycle_key()


@login_required
def security(request):
    """Tài khoản › Xác thực hai bước: the state and what can be done."""
    user = request.user
    enrolled = user_has_device(user)
    set_has_device(request, enrolled)
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count() if enrolled else 0
    return render(
        request,
        "accounts/security.html",
        {"enrolled": enrolled, "required": two_factor_required(user), "codes_left": left},
    )


@login_required
def setup(request):
    """Scan, confirm with a code, then read the recovery codes once. A user
    who has a factor and has not confirmed it this session cannot set up
    another in its place."""
    user = request.user
    if has_device(request) and not user.is_verified():
        return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": request.get_full_path()}))
    device = services.totp_device_pending(user=user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_enrol(
            user=user, device=device, token=services.normalise_code(form.cleaned_data["code"])
        )
        if codes is None:
            form.add_error("code", _("Mã không đúng. Hãy nhập 6 chữ số ứng dụng đang hiện (mã đổi sau mỗi 30 giây)."))
        else:
            device.refresh_from_db()
            _verified_login(request, device)
            set_has_device(request, True)
            request.session[FRESH_CODES] = codes
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect(
                reverse("two_factor_codes") + "?" + urlencode({"next": safe_next(request, reverse("home"))})
            )
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": _grouped(secret),
        "required": two_factor_required(user),
        "next": safe_next(request, ""),
        # Changing phones from the account page keeps the menu; a first setup after the password has none.
        "layout": "auth_base.html" if user.is_verified() else "accounts/gate_base.html",
    }
    return render(request, "accounts/setup.html", context)


@login_required
def codes(request):
    """The recovery codes just made, shown once."""
    fresh = request.session.pop(FRESH_CODES, None)
    if not fresh:
        return redirect("account_security")
    shown = [f"{code[:4]}-{code[4:]}" for code in fresh]
    return render(request, "accounts/codes.html", {"codes": shown, "next": safe_next(request, reverse("home"))})


@login_required
def verify(request):
    """After the password: a code from the app, or a recovery code."""
    user = request.user
    target = safe_next(request, reverse("home"))
    if user.is_verified():
        return redirect(target)
    if request.method == "GET":
        # Asked afresh: an administrator may have reset it meanwhile.
        set_has_device(request, user_has_device(user))
    if not has_device(request):
        return redirect(reverse("two_factor_setup") + "?" + urlencode({"next": target}))
    recovery = request.GET.get("ma-khoi-phuc") == "1" or request.POST.get("recovery") == "1"
    form = CodeForm(request.POST or None, recovery=recovery)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, token=form.cleaned_data["code"])
        except services.Throttled as throttled:
            seconds = max(1, math.ceil((throttled.until - timezone.now()).total_seconds())) if throttled.until else 1
            form.add_error(
                "code",
                _("Đã nhập sai nhiều lần. Hãy chờ %(seconds)d giây rồi thử lại.") % {"seconds": seconds},
            )
        else:
            if device is None:
                form.add_error("code", _("Mã không đúng. Hãy kiểm tra lại và nhập mã mới nhất."))
            else:
                _verified_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _(
                            "Bạn vừa dùng một mã khôi phục; còn %(count)d mã. Hãy thiết lập lại ứng dụng "
                            "xác thực hoặc tạo mã khôi phục mới ở mục Xác thực hai bước."
                        )
                        % {"count": left},
                    )
                return redirect(target)
    return render(request, "accounts/verify.html", {"form": form, "recovery": recovery, "next": target})


@require_POST
@login_required
def regenerate(request):
    if not has_device(request):
        return redirect("account_security")
    request.session[FRESH_CODES] = services.recovery_codes_regenerate(user=request.user)
    messages.success(request, _("Đã tạo 10 mã khôi phục mới; các mã cũ không còn dùng được."))
    return redirect("two_factor_codes")


@require_POST
@login_required
def disable(request):
    user = request.user
    if two_factor_required(user):
        messages.error(request, _("Vai trò của bạn bắt buộc dùng xác thực hai bước; không thể tắt."))
        return redirect("account_security")
    services.two_factor_disable(actor=user, user=user)
    set_has_device(request, False)
    messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("account_security")
