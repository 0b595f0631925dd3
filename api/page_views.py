"""The portal's pages of the API app: a user's calendar address, and the feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from core.audit import client_ip
from core.scoping import user_scope

from . import feeds, services
from .models import CalendarFeed


def _client(group, request) -> str:
    # The real client behind our proxies (TRUSTED_PROXY_COUNT), not nginx's address.
    return client_ip(request) or "unknown"


@require_GET
@ratelimit(key=_client, rate="120/m", block=True)
def calendar_feed(request, key):
    """No session: the address is the key. A wrong or withdrawn one is a 404."""
    feed = feeds.feed_for_key(key)
    if feed is None:
        raise Http404
    with user_scope(feed.user):
        body = feeds.calendar_bytes(feed)
    feeds.note_read(feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cchc.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke(actor=request.user)
            messages.success(request, _("Đã hủy địa chỉ lịch: lịch trên điện thoại, máy tính không cập nhật nữa."))
        else:
            services.feed_reset(actor=request.user)
            messages.success(request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ (nếu có) không dùng được nữa."))
        return redirect("calendar-page")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "api/calendar_page.html",
        {"feed": feed, "feed_url": feeds.feed_url(feed) if feed else ""},
    )
