"""Deadlines, their reminder steps, and the outbox.

This app knows no other app of the portal. An app hands it a deadline item
(a key such as "submissions.presentation:12", a due moment, what is owed,
a link, the people to remind) and later says the item is done; the sweep
turns due steps into messages, and the dispatcher sends them. Every message
is a row, so an organiser can read what went out, to whom, and what failed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import province_scoped


class ReminderPolicy(models.Model):
    """When to remind, for every item of a scope ("conferences.conference:3").
    The row with an empty scope is the portal's default."""

    scope = models.CharField(max_length=100, unique=True, blank=True)
    days_before = models.JSONField(
        _("nhắc trước hạn (ngày)"), default=list, help_text=_("Ví dụ: 7, 3, 1, 0 (0 là đúng ngày hạn).")
    )
    send_time = models.TimeField(_("giờ gửi"), default=dt.time(8, 0))
    overdue_every = models.PositiveSmallIntegerField(
        _("quá hạn: nhắc mỗi (ngày)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    overdue_max = models.PositiveSmallIntegerField(
        _("quá hạn: nhắc tối đa (lần)"),
        default=3,
        validators=[MaxValueValidator(10)],
        help_text=_("0: không nhắc sau hạn."),
    )
    skip_weekends = models.BooleanField(_("không gửi thứ Bảy, Chủ nhật"), default=True)
    holidays = models.JSONField(
        _("ngày nghỉ lễ"),
        default=list,
        blank=True,
        help_text=_("Các ngày không gửi, dạng dd/mm/yyyy, cách nhau bởi dấu phẩy."),
    )

    class Meta:
        verbose_name = _("chính sách nhắc hạn")
        verbose_name_plural = _("chính sách nhắc hạn")

    def __str__(self):
        return self.scope or "mặc định"


class DeadlineItem(models.Model):
    key = models.CharField(max_length=120, unique=True)
    scope = models.CharField(max_length=100, db_index=True, blank=True)
    due_at = models.DateTimeField()
    what = models.CharField(_("việc cần làm"), max_length=200)
    context = models.CharField(_("thuộc"), max_length=400, blank=True)  # the conference or plan: in the subject
    detail = models.TextField(_("nội dung"), blank=True)  # the topic or task: in the body
    link = models.CharField(max_length=300, blank=True)
    agency_name = models.CharField(max_length=255, blank=True)
    policy = models.JSONField(null=True, blank=True, help_text="Overrides of the scope's policy for this item.")
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hạn cần nhắc")
        verbose_name_plural = _("hạn cần nhắc")

    def __str__(self):
        return self.key


def recipient_key(user_id, email: str) -> str:
    return f"{user_id or ''}|{(email or '').lower()}"


class ItemRecipient(models.Model):
    item = models.ForeignKey(DeadlineItem, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=150, blank=True)
    # Who, as one non-null value ("user id|e-mail"), so the unique constraint
    # holds on every database (SQLite cannot treat NULLs as equal).
    recipient_key = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "recipient_key"], name="recipient_once_per_item")]

    def __str__(self):
        return self.email or str(self.user_id)


class StepState(models.TextChoices):
    PENDING = "pending", _("Chờ đến giờ")
    SENT = "sent", _("Đã gửi")
    DROPPED = "dropped", _("Bỏ (việc đã xong hoặc hạn đổi)")


class ReminderStep(models.Model):
    item = models.ForeignKey(DeadlineItem, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(max_length=30)  # "truoc-7", "ngay-han", "qua-han-2", "nhac-ngay-…"
    send_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=StepState.choices, default=StepState.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="step_once_per_item")]
        # The sweep's query: pending steps that are due, oldest first.
        indexes = [models.Index(fields=["send_at"], condition=Q(state="pending"), name="step_pending_due")]

    def __str__(self):
        return f"{self.item.key} {self.code}"


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    PORTAL = "portal", _("Trên cổng")


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    HELD = "held", _("Chờ gộp vào thư tổng hợp")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    MERGED = "merged", _("Đã gộp vào thư tổng hợp")
    FAILED = "failed", _("Lỗi")


class Message(models.Model):
    """One message to one person, by e-mail or in the portal."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="portal_messages"
    )
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=150, blank=True)
    recipient_key = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    attachments = models.JSONField(default=list, blank=True)  # [{"path": storage name, "name": shown name}]
    scope = models.CharField(max_length=100, db_index=True, blank=True)
    item = models.ForeignKey(DeadlineItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    step = models.ForeignKey(ReminderStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    resend_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends")
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    # What the message is about, in the words of the app that sent it
    # ("conferences.invitation:12"): its page reads each row's state by it.
    ref = models.CharField(max_length=120, blank=True, db_index=True)
    state = models.CharField(max_length=10, choices=MessageState.choices, default=MessageState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A step reaches a person once per channel: a second sweep, a
            # retried task or two organisers at once cannot send it again.
            models.UniqueConstraint(
                fields=["step", "channel", "recipient_key"],
                condition=Q(step__isnull=False),
                name="message_once_per_step",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="message_state_next"),
            models.Index(fields=["user", "channel", "read_at"], name="message_inbox"),
        ]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return f"{self.get_channel_display()} → {self.email or self.user_id}: {self.subject}"

    @property
    def is_failed(self) -> bool:
        return self.state == MessageState.FAILED

    @property
    def can_resend(self) -> bool:
        """A message that went out, or failed, may be sent again (as a new one)."""
        return self.state in (MessageState.SENT, MessageState.FAILED)

    @property
    def state_style(self) -> str:
        """The badge colour of its state on the log."""
        return {
            MessageState.SENT: "success",
            MessageState.FAILED: "danger",
            MessageState.MERGED: "secondary",
        }.get(self.state, "warning")


class Preference(models.Model):
    class Mode(models.TextChoices):
        EACH = "each", _("Mỗi việc một thư")
        DIGEST = "digest", _("Gộp một thư mỗi ngày")
        PORTAL = "portal", _("Không nhận thư, chỉ xem trên cổng")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(_("nhận thư điện tử"), max_length=10, choices=Mode.choices, default=Mode.EACH)

    class Meta:
        verbose_name = _("cài đặt nhận thông báo")

    def __str__(self):
        return f"{self.user_id}: {self.email_mode}"


# --- Webhooks: events told to the province's other systems ------------------------------------

# The events a system may subscribe to; each app emits its own (see services.webhooks.emit).
WEBHOOK_EVENTS = {
    "document.issued": _("Văn bản được ban hành"),
    "document.revoked": _("Văn bản bị thu hồi"),
    "invitation.replied": _("Đơn vị trả lời giấy mời"),
    "presentation.uploaded": _("Đơn vị gửi tham luận"),
    "duty.completed": _("Nhiệm vụ được báo hoàn thành"),
    "results.published": _("Kết quả chỉ số được công bố"),
}


class WebhookSubscription(models.Model):
    """A system told of the province's events by an HTTP POST, signed with
    its own secret (HMAC-SHA256 over the timestamp and the body)."""

    # A plain id, as on the audit trail: this app imports no other.
    province_id = models.PositiveBigIntegerField(_("tỉnh"), db_index=True)
    name = models.CharField(_("hệ thống nhận"), max_length=150)
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    # Kept readable: the portal signs every delivery with it. Shown once to the administrator.
    secret = models.CharField(max_length=80, editable=False)
    events = models.JSONField(_("sự kiện"), default=list)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = province_scoped("province_id")

    class Meta:
        verbose_name = _("đăng ký nhận sự kiện (webhook)")
        verbose_name_plural = _("đăng ký nhận sự kiện (webhook)")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def event_labels(self) -> str:
        return ", ".join(str(WEBHOOK_EVENTS.get(e, e)) for e in self.events)


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    DELIVERED = "delivered", _("Đã nhận")
    FAILED = "failed", _("Không gửi được")


class WebhookDelivery(models.Model):
    """One event for one subscription: a row from the moment the event
    happens (in its transaction) until the receiver answers 2xx, so a
    broker or worker lost on the way loses nothing. `event_id` is the same
    on every attempt: the receiver's idempotency key."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("sự kiện"), max_length=60)
    event_id = models.UUIDField(_("mã sự kiện"))
    payload = models.JSONField(_("nội dung gửi"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("chuyển cho máy chủ xử lý lúc"), null=True, blank=True)
    sending_since = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("mã trả lời gần nhất"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)

    objects = province_scoped("subscription__province_id")

    class Meta:
        verbose_name = _("lần gửi sự kiện")
        verbose_name_plural = _("nhật ký gửi sự kiện")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An event emitted twice (a retried task, a double click) is delivered once.
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_event_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(state__in=["queued", "sending"]), name="webhook_pending"
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription.name}"
