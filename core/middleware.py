import errno

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .audit import RequestContext, client_ip
from .scoping import user_scope
from .uploads import UploadTooLarge, body_limit


class ScopeMiddleware:
    """Every request runs in its user's province scope (see core.scoping),
    and the audit rows it writes carry its client's address. Placed after
    the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with RequestContext(client_ip(request)), user_scope(request.user):
            return self.get_response(request)


class UploadLimitMiddleware:
    """A request body is judged by its declared length before a byte of it
    is read: a visitor who is not signed in may send a small form only (a
    login), a signed-in user what the path takes (settings.UPLOAD_LIMITS).
    A form with files is then read here, so that a file passing the limit
    as it streams (LimitedUploadHandler) or a disk filling up while it is
    spooled answers with a page that says so, not with an error. Placed
    after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH"):
            refused = self.refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def refusal(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        anonymous = not request.user.is_authenticated
        public = request.path_info.startswith(settings.ANONYMOUS_UPLOAD_PATHS)
        if length > settings.ANONYMOUS_UPLOAD_MAX_BYTES and anonymous and not public:
            return too_large(request, settings.ANONYMOUS_UPLOAD_MAX_BYTES)
        limit = body_limit(request)
        if length > limit:
            return too_large(request, limit)
        if request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018 — read now, under this guard, rather than by the CSRF check
            except UploadTooLarge as error:
                return too_large(request, error.limit)
            except RequestDataTooBig:
                # The form's fields other than its files (DATA_UPLOAD_MAX_MEMORY_SIZE).
                return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            except OSError as error:
                if error.errno not in (errno.ENOSPC, errno.EDQUOT):
                    raise
                return render(
                    request,
                    "upload_refused.html",
                    {
                        "title": _("Chưa lưu được tệp"),
                        "message": _(
                            "Máy chủ đã hết chỗ lưu trữ tạm nên chưa nhận được tệp vừa gửi; chưa có gì được ghi. "
                            "Hãy thử lại sau ít phút; nếu vẫn không được, hãy báo quản trị hệ thống của Sở Nội vụ."
                        ),
                    },
                    status=507,
                )
        return None


def too_large(request, limit: int):
    # The body is left unread (a proxy in front, nginx's client_max_body_size, can close the connection early).
    return render(
        request,
        "upload_refused.html",
        {
            "title": _("Tệp quá lớn"),
            "message": _(
                "Dữ liệu gửi lên vượt quá %(limit)s cho phép ở trang này nên không được nhận; chưa có gì được "
                "ghi. Hãy giảm dung lượng tệp (ví dụ nén ảnh, lưu lại dưới dạng PDF) rồi gửi lại."
            )
            % {"limit": filesizeformat(limit)},
        },
        status=413,
    )
