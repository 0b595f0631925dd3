"""The administrator's side of integration: API tokens (the key shown once)
with their use log, and webhook subscriptions (the secret shown once) with
their delivery log. Rows are made through services; shown read-only."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from core.admin import ReadOnlyAdmin, ServiceFormAdmin
from core.formatting import vn_datetime
from notifications.models import WEBHOOK_EVENTS, WebhookDelivery, WebhookSubscription
from notifications.services import webhooks

from . import services
from .models import ApiToken, ApiTokenUse, Scope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Hệ thống dùng mã"), max_length=150, help_text=_("Ví dụ: Hệ thống quản lý văn bản."))
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Province.objects.order_by("name"))
    scopes = forms.MultipleChoiceField(label=_("Được đọc"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(
        label=_("Hết hạn ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Để trống: không tự hết hạn (vẫn thu hồi được bất cứ lúc nào)."),
    )


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Hệ thống nhận"), max_length=150)
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=Province.objects.order_by("name"))
    url = forms.URLField(label=_("Địa chỉ nhận (URL)"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Sự kiện"), choices=list(WEBHOOK_EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )


def _end_of(day: dt.date | None):
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@admin.register(ApiToken)
class ApiTokenAdmin(ServiceFormAdmin):
    add_form = TokenForm
    add_title = _("Cấp mã truy cập API")
    list_display = ["name", "province", "prefix", "scope_list", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["province"]
    search_fields = ["name", "prefix"]
    fields = ["name", "province", "prefix", "scopes", "expires_at", "revoked_at", "created_by", "created_at",
              "last_used_at"]  # fmt: skip
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("Được đọc"))
    def scope_list(self, obj):
        return obj.scope_labels()

    def create(self, request, data):
        return services.token_create(
            actor=request.user,
            name=data["name"],
            province=data["province"],
            scopes=data["scopes"],
            expires_at=_end_of(data["expires_on"]),
        )

    def created(self, request, row):
        # The key exists only in this answer: the database keeps its hash.
        return render(
            request,
            "admin/api/shown_once.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Mã truy cập của %(name)s") % {"name": row.token.name},
                "label": _("Mã truy cập"),
                "value": row.key,
                "warning": _(
                    "Chép ngay và giao cho người quản trị hệ thống kia: cổng chỉ hiện mã một lần này và chỉ "
                    "giữ mã băm của nó. Mất thì thu hồi và cấp mã mới."
                ),
                "usage": "Authorization: Bearer " + row.key,
            },
        )

    @admin.action(description=_("Thu hồi các mã đã chọn (hệ thống dùng mã không đọc được nữa)"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("Đã thu hồi các mã đã chọn."))

    def has_change_permission(self, request, obj=None):
        # For the revoke action only; the row itself stays read-only.
        return obj is None and request.user.is_authenticated and request.user.is_administrator


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnlyAdmin):
    list_display = ["at", "token", "method", "path", "status", "client_ip"]
    list_filter = ["status", "token"]
    search_fields = ["path", "token__name"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ServiceFormAdmin):
    add_form = SubscriptionForm
    add_title = _("Đăng ký nhận sự kiện (webhook)")
    list_display = ["name", "province_name", "url", "event_list", "active", "created_at"]
    list_filter = ["active"]
    fields = ["name", "province_name", "url", "event_list", "active", "created_by", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The province's name read with the rows (the subscription keeps a
        # plain id: notifications imports no app), not one query per row.
        name = Province.objects.filter(pk=OuterRef("province_id")).values("name")[:1]
        return super().get_queryset(request).annotate(province_label=Subquery(name))

    @admin.display(description=_("Tỉnh"))
    def province_name(self, obj):
        return getattr(obj, "province_label", None) or "—"

    actions = ["deactivate", "reactivate"]

    @admin.display(description=_("Sự kiện"))
    def event_list(self, obj):
        return obj.event_labels()

    def create(self, request, data):
        return webhooks.subscription_create(
            actor=request.user,
            province_id=data["province"].pk,
            name=data["name"],
            url=data["url"],
            events=data["events"],
        )

    def created(self, request, row):
        return render(
            request,
            "admin/api/shown_once.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Khóa ký sự kiện của %(name)s") % {"name": row.name},
                "label": _("Khóa bí mật (HMAC-SHA256)"),
                "value": row.secret,
                "warning": _(
                    "Chép ngay và giao cho người quản trị hệ thống nhận: cổng giữ khóa để ký từng lần gửi nhưng "
                    "không hiện lại. Mất thì thôi dùng đăng ký này và đăng ký mới."
                ),
                "usage": _(
                    "Hệ thống nhận tính HMAC-SHA256 (dạng hex) với khóa là cả chuỗi trên (kể cả “whsec_”) trên "
                    "X-CCHC-Timestamp + “.” + nội dung nhận được, so với X-CCHC-Signature (sau “sha256=”); từ chối "
                    "khi thời điểm lệch quá 5 phút; bỏ qua sự kiện có Idempotency-Key đã nhận. Xem thêm mục "
                    "Webhooks trên trang /api/v1/docs/."
                ),
            },
        )

    @admin.action(description=_("Thôi gửi sự kiện cho các đăng ký đã chọn"))
    def deactivate(self, request, queryset):
        for row in queryset.filter(active=True):
            webhooks.subscription_set_active(actor=request.user, subscription=row, active=False)
        messages.success(request, _("Đã thôi gửi sự kiện cho các đăng ký đã chọn."))

    @admin.action(description=_("Bật lại các đăng ký đã chọn"))
    def reactivate(self, request, queryset):
        for row in queryset.filter(active=False):
            webhooks.subscription_set_active(actor=request.user, subscription=row, active=True)
        messages.success(request, _("Đã bật lại các đăng ký đã chọn."))

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.is_authenticated and request.user.is_administrator


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "subscription",
        "event",
        "state",
        "attempts",
        "last_status",
        "next_try",
        "delivered_at",
    ]
    list_filter = ["state", "event", "subscription"]
    search_fields = ["event_id"]
    exclude = ["next_attempt_at", "payload"]
    readonly_fields = ["next_try", "body_sent"]
    list_select_related = ["subscription"]

    @admin.display(description=_("nội dung gửi (đúng từng byte được ký)"))
    def body_sent(self, obj):
        return webhooks.body(obj.payload).decode()

    actions = ["retry"]

    @admin.display(description=_("gửi lại lúc"))
    def next_try(self, obj):
        # Only while it waits: a delivered or failed one has no next try.
        if obj.state != "queued":
            return "—"
        return vn_datetime(obj.next_attempt_at) if obj.next_attempt_at else _("ngay khi máy chủ xử lý nhận")

    @admin.action(description=_("Gửi ngay các lần gửi đã chọn (chưa gửi được hoặc đang chờ)"))
    def retry(self, request, queryset):
        waiting = list(queryset.filter(state__in=["failed", "queued"]))
        for row in waiting:
            webhooks.delivery_retry(actor=request.user, delivery=row)
        if waiting:
            messages.success(request, _("Đã gửi lại %(count)s lần gửi đã chọn.") % {"count": len(waiting)})
        else:
            messages.info(request, _("Các lần gửi đã chọn đều đã được nhận hoặc đang gửi: không có gì để gửi lại."))

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.is_authenticated and request.user.is_administrator
