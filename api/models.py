"""What other systems and calendars reach the portal with: API tokens (one
per system, province and scopes; only a hash is kept, the key is shown once)
with a log of every use, and each user's private calendar feed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from core.scoping import province_scoped


class Scope(models.TextChoices):
    """What a token may read: one scope per part of the portal."""

    DIRECTORY = "directory", _("Danh bạ (tỉnh, đơn vị)")
    CONFERENCES = "conferences", _("Hội nghị, giấy mời, nhiệm vụ")
    SUBMISSIONS = "submissions", _("Tham luận")
    DOCUMENTS = "documents", _("Văn bản đã ban hành")
    INDICES = "indices", _("Chỉ số, kết quả, xếp hạng")


class ApiToken(models.Model):
    name = models.CharField(_("hệ thống dùng mã"), max_length=150, help_text=_("Ví dụ: Hệ thống quản lý văn bản."))
    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+")
    scopes = models.JSONField(_("phạm vi được đọc"), default=list)
    # The key's first characters, kept plain to find the row; the whole key only as a hash.
    prefix = models.CharField(_("đầu mã"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("mã băm"), max_length=64, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thu hồi"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng gần nhất lúc"), null=True, blank=True)

    objects = province_scoped("province")

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def scope_labels(self) -> str:
        return ", ".join(str(Scope(s).label) for s in self.scopes if s in Scope.values)


class ApiTokenUse(models.Model):
    """One call made with a token, whatever its answer (refusals included)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    method = models.CharField(_("phương thức"), max_length=8)
    path = models.CharField(_("địa chỉ"), max_length=500)
    status = models.PositiveSmallIntegerField(_("mã trả lời"))
    client_ip = models.GenericIPAddressField(_("địa chỉ máy"), null=True, blank=True)

    objects = province_scoped("token__province")

    class Meta:
        verbose_name = _("lần dùng mã truy cập")
        verbose_name_plural = _("nhật ký dùng mã truy cập")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"


class CalendarFeed(models.Model):
    """A user's private calendar address. The URL carries the nonce signed
    with the portal's secret (so a copy of the database alone cannot forge
    one); a new nonce revokes every earlier address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    nonce = models.UUIDField(_("mã riêng"), default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("đọc gần nhất lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("địa chỉ lịch riêng")
        verbose_name_plural = _("địa chỉ lịch riêng")

    def __str__(self):
        return str(self.user)
