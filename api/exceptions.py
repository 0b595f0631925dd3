"""The API's refusals in Vietnamese, each with a stable `code` for programs
(DRF's own messages are English, and its catalogue lacks Vietnamese)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def _messages(exc) -> dict:
    return {
        exceptions.NotAuthenticated: _(
            "Chưa xác thực: gửi mã truy cập trong tiêu đề Authorization: Bearer cchc_… (hoặc đăng nhập cổng)."
        ),
        exceptions.PermissionDenied: _("Không được đọc dữ liệu này."),
        exceptions.NotFound: _("Không có (hoặc không thuộc tỉnh, phạm vi được đọc)."),
        exceptions.MethodNotAllowed: _("API chỉ đọc: chỉ dùng GET."),
        exceptions.Throttled: _("Gọi quá nhiều lần; thử lại sau %(seconds)s giây.")
        % {"seconds": int(getattr(exc, "wait", 0) or 0) + 1},
        exceptions.NotAcceptable: _("Chỉ trả lời JSON (Accept: application/json)."),
    }


def handle(exc, context):
    # Django's own refusals, as DRF's handler turns them into its own.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(response.data, dict) and "detail" in response.data:
        if isinstance(exc, exceptions.Throttled) or str(exc.detail) == str(type(exc).default_detail):
            message = next((m for kind, m in _messages(exc).items() if isinstance(exc, kind)), None)
            if message:
                response.data["detail"] = message
        response.data["code"] = getattr(exc.detail, "code", None) or code
    return response
