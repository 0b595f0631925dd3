"""Presentations (tham luận): what an organiser asks of an agency, the
versions the agency sends, the organiser's decisions, and the booklet.

An Assignment is the topic as the plan prints it; it is owed by one agency,
or by a group (seed 004's "communes awarded Bằng khen") that is resolved
into agencies later. Each agency that owes it has one Presentation: the
thread of its versions and the decisions on them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyKind
from conferences.models import Conference, ProgrammeItem
from core import jobs
from core.formatting import vn_date
from core.scoping import province_scoped
from core.workflow import status_flags
from documents.models import RenderStatus


class Assignment(models.Model):
    class Assignee(models.TextChoices):
        AGENCY = "agency", _("Một cơ quan, đơn vị")
        AWARDEES = "awardees", _("Đơn vị được khen thưởng tại hội nghị")
        GROUP = "group", _("Nhóm đơn vị theo loại")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="presentation_assignments")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    topic = models.TextField(_("nội dung tham luận"))
    guidance = models.TextField(
        _("hướng dẫn"),
        blank=True,
        help_text=_("Ví dụ: tập trung vào các tiêu chí chưa đạt điểm tối đa, nêu rõ trách nhiệm, đề xuất giải pháp."),
    )
    assignee = models.CharField(_("giao cho"), max_length=20, choices=Assignee.choices, default=Assignee.AGENCY)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("đơn vị tham luận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presentation_assignments",
    )
    group_label = models.CharField(
        _("tên nhóm (như in)"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Các xã, phường được Chủ tịch UBND tỉnh tặng Bằng khen."),
    )
    group_kinds = models.JSONField(_("các loại đơn vị"), default=list, blank=True)
    group_under = models.ForeignKey(
        Agency,
        verbose_name=_("thuộc đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Chỉ các đơn vị thuộc đơn vị này. Để trống: địa bàn của cơ quan ban hành."),
    )
    # No date: a programme slot only, nothing to send by a day. It is never
    # overdue, never late, and nobody is reminded of it.
    due_date = models.DateField(
        _("hạn gửi"),
        null=True,
        blank=True,
        help_text=_("Bỏ trống nếu tham luận chỉ là một mục trong chương trình, không có hạn gửi."),
    )
    due_time = models.TimeField(_("giờ"), null=True, blank=True, help_text=_("Bỏ trống: hết ngày."))
    programme_item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("mục trong chương trình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    allow_late = models.BooleanField(
        _("nhận tệp gửi muộn"), default=True, help_text=_("Tệp gửi sau hạn vẫn được nhận và đánh dấu là muộn.")
    )
    # Overrides the conference's reminder policy for this topic only.
    reminder_days = models.JSONField(_("nhắc riêng (số ngày trước hạn)"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("conference__province")

    class Meta:
        ordering = ["conference", "order", "pk"]
        verbose_name = _("tham luận được giao")
        verbose_name_plural = _("tham luận được giao")

    def __str__(self):
        return self.topic[:80]

    def clean(self):
        errors = {}
        if self.assignee == self.Assignee.AGENCY:
            if not self.agency_id:
                errors["agency"] = _("Chọn đơn vị tham luận.")
        else:
            if not self.group_label.strip():
                errors["group_label"] = _("Ghi tên nhóm như sẽ in trên kế hoạch.")
            if self.assignee == self.Assignee.GROUP and not self.group_kinds:
                errors["group_kinds"] = _("Chọn ít nhất một loại đơn vị.")
        unknown = set(self.group_kinds or []) - set(AgencyKind.values)
        if unknown:
            errors["group_kinds"] = _("Loại đơn vị không hợp lệ.")
        if self.agency_id and self.conference_id and self.agency.province_id != self.conference.province_id:
            errors["agency"] = _("Đơn vị không thuộc tỉnh của hội nghị.")
        if self.due_time and not self.due_date:
            errors["due_time"] = _("Chưa có ngày hạn gửi thì không ghi giờ.")
        if self.due_date and self.conference_id and self.conference.date and self.due_date >= self.conference.date:
            errors["due_date"] = _("Hạn gửi phải trước ngày hội nghị (%(day)s) để kịp tổng hợp tài liệu.") % {
                "day": vn_date(self.conference.date)
            }
        if self.programme_item_id and self.programme_item.conference_id != self.conference_id:
            errors["programme_item"] = _("Mục này không thuộc chương trình của hội nghị.")
        if errors:
            raise ValidationError(errors)

    @property
    def province_id(self):
        return self.conference.province_id

    @property
    def is_group(self) -> bool:
        return self.assignee != self.Assignee.AGENCY

    @property
    def assignee_label(self) -> str:
        """The presenting unit as the plan's appendix prints it."""
        if self.is_group:
            return self.group_label
        return self.agency.name if self.agency_id else ""

    @property
    def has_deadline(self) -> bool:
        return self.due_date is not None

    @property
    def due_at(self) -> dt.datetime | None:
        """The moment after which an upload is late: the stated time, or the
        end of the day; None for a topic without a deadline."""
        if self.due_date is None:
            return None
        moment = dt.datetime.combine(self.due_date, self.due_time or dt.time(23, 59, 59))
        return timezone.make_aware(moment)

    def is_past_due(self, now: dt.datetime | None = None) -> bool:
        """After the deadline; never, for a topic without one."""
        due_at = self.due_at
        return due_at is not None and (now or timezone.now()) > due_at


@status_flags()
class Presentation(models.Model):
    """One agency's thread for one assignment."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Chưa gửi")
        SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
        REVISION = "revision", _("Cần chỉnh sửa")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        REJECTED = "rejected", _("Không chấp nhận")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="presentations")
    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="presentations")
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.AWAITING)
    current_version = models.ForeignKey("Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    late = models.BooleanField(_("gửi muộn"), default=False)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("agency__province")

    class Meta:
        ordering = ["assignment", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["assignment", "agency"], name="presentation_once_per_agency")]
        indexes = [models.Index(fields=["agency", "status"])]
        verbose_name = _("tham luận")
        verbose_name_plural = _("tham luận")

    def __str__(self):
        return f"{self.assignment} — {self.agency}"

    @property
    def province_id(self):
        return self.agency.province_id

    @property
    def can_upload_now(self) -> bool:
        return self.status in (self.Status.AWAITING, self.Status.SUBMITTED, self.Status.REVISION)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.AWAITING and self.assignment.is_past_due()


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    DOC = "doc", "Word 97–2003 (DOC)"
    PPTX = "pptx", "PowerPoint (PPTX)"
    ODT = "odt", "OpenDocument (ODT)"


def version_path(instance: Version, filename: str) -> str:
    # The stored name is generated: the agency's own name is kept for display only.
    conference_id = instance.presentation.assignment.conference_id
    return f"presentations/{conference_id}/{instance.sha256[:16]}-{instance.token}.{instance.file_type}"


class Version(models.Model):
    presentation = models.ForeignKey(Presentation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("lần gửi"))
    token = models.CharField(max_length=32, editable=False)
    file = models.FileField(_("tệp"), upload_to=version_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    file_type = models.CharField(_("định dạng"), max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    note = models.TextField(_("ghi chú của đơn vị"), blank=True)
    is_late = models.BooleanField(_("gửi muộn"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)

    objects = province_scoped("presentation__agency__province")

    class Meta:
        ordering = ["presentation", "number"]
        constraints = [models.UniqueConstraint(fields=["presentation", "number"], name="version_number_once")]
        verbose_name = _("phiên bản tham luận")
        verbose_name_plural = _("phiên bản tham luận")

    def __str__(self):
        return f"{self.original_name} (lần {self.number})"


@status_flags("decision")
class Review(models.Model):
    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Chấp nhận")
        REVISE = "revise", _("Yêu cầu chỉnh sửa")
        REJECT = "reject", _("Không chấp nhận")

    presentation = models.ForeignKey(Presentation, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("quyết định"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("nhận xét"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)

    objects = province_scoped("presentation__agency__province")

    class Meta:
        ordering = ["presentation", "created_at", "pk"]
        verbose_name = _("ý kiến xem xét")
        verbose_name_plural = _("ý kiến xem xét")

    def __str__(self):
        return f"{self.get_decision_display()} — {self.presentation}"


BOOKLET_TIME_LIMIT = 1900  # seconds; the booklet task's hard limit
BOOKLET_RUNNING_TIMEOUT = dt.timedelta(seconds=BOOKLET_TIME_LIMIT + 60)


@status_flags()
class Booklet(models.Model):
    """ "Tài liệu Hội nghị": the accepted presentations as one PDF and a zip of
    the originals. Keyed by the hash of what goes in, so asking again for
    the same content returns the same row."""

    Status = RenderStatus

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="booklets")
    content_hash = models.CharField(max_length=64)
    status = models.CharField(_("trạng thái"), max_length=20, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    pdf = models.FileField(max_length=255, blank=True)
    zip = models.FileField(max_length=255, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    not_converted = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    requested_at = models.DateTimeField(default=timezone.now)
    # Background state (core.jobs): when it was last queued and handed to a
    # worker, how many workers took it; the sweep hands over what was lost.
    queued_at = models.DateTimeField(_("vào hàng chờ lúc"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("chuyển cho máy chủ xử lý lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần xử lý"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = province_scoped("conference__province")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["conference", "content_hash"], name="booklet_once_per_content")]
        verbose_name = _("tài liệu hội nghị")
        verbose_name_plural = _("tài liệu hội nghị")

    def __str__(self):
        return f"{self.conference} ({self.get_status_display()})"

    @property
    def is_stalled(self) -> bool:
        """Running for longer than the task may live: its worker is gone."""
        return (
            self.status == RenderStatus.RUNNING
            and self.started_at is not None
            and timezone.now() - self.started_at > BOOKLET_RUNNING_TIMEOUT
        )

    @property
    def is_waiting(self) -> bool:
        """Queued for a while: the page says it waits for the server."""
        return jobs.is_waiting(self)
