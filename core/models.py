"""The audit trail: one row per change that matters, written by the service
that makes the change (signals would miss bulk updates and COPY). Who, when,
what, before and after, and the client's address. Rows are never changed
or deleted by the portal."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import action_label
from .formatting import vn_datetime
from .scoping import province_scoped


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name at the time: a user renamed or deleted later still reads as they were.
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    # Plain ids, not foreign keys: the trail outlives what it speaks of, and
    # core imports no app (the directory's Province included).
    province_id = models.PositiveBigIntegerField(_("tỉnh"), null=True, blank=True, db_index=True)
    action = models.CharField(_("thao tác"), max_length=60, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    before = models.JSONField(_("trước"), default=dict, blank=True)
    after = models.JSONField(_("sau"), default=dict, blank=True)
    # A bulk write (an import, a freeze of invitations) is one row: how many it touched.
    count = models.PositiveIntegerField(_("số bản ghi"), default=1)
    note = models.TextField(_("ghi chú"), blank=True)
    client_ip = models.GenericIPAddressField(_("địa chỉ máy"), null=True, blank=True)

    objects = province_scoped("province_id")

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{vn_datetime(self.created_at)} {self.actor_name}: {action_label(self.action)}"
