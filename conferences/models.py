"""Conferences and improvement plans, held as data so that documents,
reminders and the status board come out of them instead of being retyped.

State changes live in services.py; these models only hold fields, one-row
rules and small derived properties."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyKind, Person, Province
from core.scoping import province_scoped
from core.workflow import status_flags


def weekday_name(day: dt.date) -> str:
    """'thứ Hai' … 'Chủ nhật': derived from the date, never typed."""
    from core.formatting import vn_weekday

    return vn_weekday(day)


# Days after a conference by which its conclusions are expected (the
# "thông báo kết luận" usually follows within weeks); later, it is flagged.
CONCLUDE_WITHIN = 30


class ConferenceKind(models.TextChoices):
    ANALYSE = "analyse", _("Phân tích kết quả chỉ số")
    ANNOUNCE = "announce", _("Công bố chỉ số")
    DEPLOY = "deploy", _("Triển khai nhiệm vụ năm")
    OTHER = "other", _("Khác")


class ConferenceStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PLANNED = "planned", _("Đã lên kế hoạch")
    INVITED = "invited", _("Đã gửi giấy mời")
    HELD = "held", _("Đã tổ chức")
    CONCLUDED = "concluded", _("Đã kết luận")
    CANCELLED = "cancelled", _("Đã hủy")


class PresentationsIn(models.TextChoices):
    """Where a plan lists its presentations (tham luận)."""

    APPENDIX = "appendix", _("Phụ lục (bảng)")
    DUTY = "duty", _("Trong nhiệm vụ chuẩn bị tham luận")
    BOTH = "both", _("Cả hai")


@status_flags()
class Conference(models.Model):
    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(
        _("loại hội nghị"), max_length=20, choices=ConferenceKind.choices, default=ConferenceKind.ANALYSE
    )
    title = models.TextField(
        _("trích yếu"),
        help_text=_("Như in trên giấy mời, ví dụ: Hội nghị phân tích kết quả Chỉ số SIPAS, PAR INDEX năm 2025."),
    )
    issuing_authority = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan đứng tên giấy mời, kế hoạch (thường là UBND tỉnh)."),
    )
    focal_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan đầu mối"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Cơ quan chủ trì tham mưu, tổng hợp (thường là Sở Nội vụ)."),
    )
    date = models.DateField(_("ngày tổ chức"), null=True, blank=True)
    start_time = models.TimeField(_("bắt đầu lúc"), null=True, blank=True)
    end_time = models.TimeField(_("kết thúc lúc"), null=True, blank=True)
    schedule_note = models.CharField(
        _("ghi chú thời gian"),
        max_length=255,
        blank=True,
        help_text=_("Khi chưa chốt ngày, ví dụ: Tổ chức trong ½ ngày, dự kiến trước ngày 31/3/2026."),
    )
    venue = models.CharField(_("địa điểm"), max_length=255, blank=True)
    venue_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # "To be announced": the plan says so as offices write it, invitations
    # wait until it is fixed, and fixing it drafts the announcement.
    time_tba = models.BooleanField(
        _("thời gian cụ thể thông báo sau"),
        default=False,
        help_text=_("Kế hoạch in “(thời gian cụ thể có thông báo sau)”; chưa gửi được giấy mời."),
    )
    venue_tba = models.BooleanField(
        _("địa điểm cụ thể thông báo sau"),
        default=False,
        help_text=_("Kế hoạch in “(địa điểm cụ thể có thông báo sau)”; chưa gửi được giấy mời."),
    )
    checkin_days_before = models.PositiveSmallIntegerField(
        _("mở điểm danh trước (ngày)"),
        default=0,
        help_text=_("0: điểm danh mở vào ngày hội nghị. Ví dụ 1: mở từ hôm trước, để đón đại biểu ở xa."),
    )
    presentations_in = models.CharField(
        _("danh sách tham luận in ở"),
        max_length=10,
        choices=PresentationsIn.choices,
        default=PresentationsIn.APPENDIX,
    )
    chair = models.CharField(_("chủ trì"), max_length=255, blank=True, help_text=_("Ví dụ: Lãnh đạo UBND tỉnh."))
    purposes = models.TextField(_("mục đích"), blank=True, help_text=_("Mỗi ý một dòng."))
    requirements = models.TextField(_("yêu cầu"), blank=True, help_text=_("Mỗi ý một dòng."))
    budget_note = models.TextField(_("kinh phí"), blank=True)
    contact = models.TextField(
        _("đầu mối liên hệ"),
        blank=True,
        help_text=_("Ví dụ: Phòng Cải cách hành chính, Sở Nội vụ; điện thoại 0888.333.689."),
    )
    index_years = models.JSONField(_("năm chỉ số"), default=list, blank=True)
    reference_date = models.DateField(
        _("ngày tham chiếu danh bạ"),
        null=True,
        blank=True,
        help_text=_(
            "Danh bạ lấy theo ngày này khi chưa có ngày tổ chức (ví dụ hồ sơ năm 2024: các huyện, thị trấn trước "
            "01/7/2025). Để trống: ngày tổ chức, hoặc hôm nay."
        ),
    )
    reply_deadline = models.DateField(_("hạn xác nhận tham dự"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ConferenceStatus.choices, default=ConferenceStatus.DRAFT
    )
    invited_at = models.DateTimeField(_("gửi giấy mời lúc"), null=True, blank=True)
    conclusions = models.TextField(_("kết luận"), blank=True)
    concluded_at = models.DateTimeField(_("kết luận lúc"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("province")

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["province", "status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="conference_time_span_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
        if self.end_time and not self.start_time:
            errors["start_time"] = _("Hãy nhập giờ bắt đầu.")
        for field in ("issuing_authority", "focal_agency"):
            agency = getattr(self, field, None) if getattr(self, f"{field}_id") else None
            if agency and self.province_id and agency.province_id != self.province_id:
                errors[field] = _("Cơ quan phải thuộc tỉnh của hội nghị.")
        if errors:
            raise ValidationError(errors)

    @property
    def weekday(self) -> str:
        return weekday_name(self.date) if self.date else ""

    @property
    def as_of(self) -> dt.date:
        """The day the directory is read on: the event's, else the chosen one, else today."""
        return self.date or self.reference_date or timezone.localdate()

    @property
    def is_open(self) -> bool:
        return self.status not in (ConferenceStatus.CONCLUDED, ConferenceStatus.CANCELLED)

    @property
    def invitations_out(self) -> bool:
        return self.status in (ConferenceStatus.INVITED, ConferenceStatus.HELD, ConferenceStatus.CONCLUDED)

    @property
    def starts_at(self):
        if not self.date:
            return None
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time or dt.time(7, 30)))

    @property
    def ends_at(self):
        if not self.date:
            return None
        if self.end_time:
            end = self.end_time
        elif self.start_time:
            end = (dt.datetime.combine(self.date, self.start_time) + dt.timedelta(hours=3)).time()
        else:
            end = dt.time(17, 0)
        return timezone.make_aware(dt.datetime.combine(self.date, end))

    @property
    def replies_open(self) -> bool:
        if self.status != ConferenceStatus.INVITED:
            return False
        today = timezone.localdate()
        if self.date is not None and today > self.date:
            return False  # the day has passed: a reply would answer nothing
        return self.reply_deadline is None or today <= self.reply_deadline

    @property
    def checkin_opens(self):
        """The first day delegates may be checked in: the day, or earlier by the window the organiser set."""
        return self.date - dt.timedelta(days=self.checkin_days_before) if self.date else None

    @property
    def replies_closed_reason(self) -> str:
        """Why officials can no longer answer (and nobody is reminded), while
        invitations are out; empty while they can."""
        from core.formatting import vn_date

        if self.status != ConferenceStatus.INVITED:
            return ""
        today = timezone.localdate()
        if self.date is not None and today >= self.date:
            return _("Đã đến ngày hội nghị: không còn nhắc trả lời; Sở Nội vụ vẫn có thể trả lời thay đơn vị.")
        if self.reply_deadline is not None and today > self.reply_deadline:
            return _(
                "Đã qua hạn trả lời %(day)s: không còn nhắc trả lời; Sở Nội vụ vẫn có thể trả lời thay đơn vị."
            ) % {"day": vn_date(self.reply_deadline)}
        return ""

    @property
    def overdue_step(self) -> str:
        """What the calendar says is late: a day passed and the conference
        not marked held, or its planned time passed without invitations."""
        from core.formatting import latest_date_in, vn_date

        today = timezone.localdate()
        S = ConferenceStatus
        if self.status == S.INVITED and self.date and self.date < today:
            return _("Đã qua ngày tổ chức %(day)s nhưng chưa ghi nhận đã tổ chức.") % {"day": vn_date(self.date)}
        if self.status == S.HELD and self.date and self.date + dt.timedelta(days=CONCLUDE_WITHIN) < today:
            return _("Đã tổ chức ngày %(day)s, quá %(n)d ngày mà chưa có kết luận.") % {
                "day": vn_date(self.date),
                "n": CONCLUDE_WITHIN,
            }
        if self.status in (S.DRAFT, S.PLANNED):
            if self.date and self.date < today:
                return _("Ngày tổ chức %(day)s đã qua mà chưa gửi giấy mời.") % {"day": vn_date(self.date)}
            expected = None if self.date else latest_date_in(self.schedule_note)
            if expected and expected < today:
                return _("Thời gian dự kiến “%(note)s” đã qua mà hội nghị chưa được tổ chức.") % {
                    "note": self.schedule_note
                }
        return ""

    @property
    def replies_remindable(self) -> bool:
        """Replies are still open and the day has not come: a reminder to
        answer still makes sense."""
        return self.replies_open and (self.date is None or timezone.localdate() < self.date)


@status_flags()
class ImprovementPlan(models.Model):
    """A plan that is not a conference (seed 002): goals, measures and duties
    per agency, reported on by a deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ACTIVE = "active", _("Đang thực hiện")
        CLOSED = "closed", _("Đã tổng kết")

    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="plans")
    title = models.TextField(_("trích yếu"))
    issuing_authority = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    focal_agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan đầu mối"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm thực hiện"))
    index_years = models.JSONField(_("năm chỉ số"), default=list, blank=True)
    reference_date = models.DateField(
        _("ngày tham chiếu danh bạ"),
        null=True,
        blank=True,
        help_text=_("Danh bạ lấy theo ngày này. Để trống: đầu năm thực hiện với năm đã qua, hôm nay với năm nay."),
    )
    background = models.TextField(_("tình hình, kết quả năm trước"), blank=True)
    purposes = models.TextField(_("mục đích"), blank=True, help_text=_("Mỗi ý một dòng."))
    requirements = models.TextField(_("yêu cầu"), blank=True, help_text=_("Mỗi ý một dòng."))
    goals = models.TextField(_("mục tiêu"), blank=True, help_text=_("Mỗi ý một dòng."))
    measures = models.TextField(_("nhiệm vụ và giải pháp"), blank=True, help_text=_("Mỗi ý một dòng."))
    report_deadline = models.DateField(_("hạn báo cáo kết quả"), null=True, blank=True)
    report_instruction = models.TextField(
        _("yêu cầu báo cáo"),
        blank=True,
        help_text=_("Ví dụ: báo cáo về UBND tỉnh (qua Sở Nội vụ) kết quả thực hiện kế hoạch."),
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("province")

    class Meta:
        verbose_name = _("kế hoạch cải thiện chỉ số")
        verbose_name_plural = _("kế hoạch cải thiện chỉ số")
        ordering = ["-year", "-created_at"]
        indexes = [models.Index(fields=["province", "status"])]

    def __str__(self):
        return self.title

    @property
    def as_of(self) -> dt.date:
        today = timezone.localdate()
        return self.reference_date or (dt.date(self.year, 1, 1) if self.year < today.year else today)

    def clean(self):
        errors = {}
        for field in ("issuing_authority", "focal_agency"):
            agency = getattr(self, field, None) if getattr(self, f"{field}_id") else None
            if agency and self.province_id and agency.province_id != self.province_id:
                errors[field] = _("Cơ quan phải thuộc tỉnh của kế hoạch.")
        if errors:
            raise ValidationError(errors)


class _OwnedByConferenceOrPlan(models.Model):
    """Rows that belong to a conference or to an improvement plan, never both.
    They carry their owner's province as a column of their own, copied on
    save, so that the province scope needs one path whichever the owner."""

    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = province_scoped("province")

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def save(self, *args, **kwargs):
        self.province_id = self.owner.province_id
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        if self.conference_id or self.plan_id:
            self.province_id = self.owner.province_id
        super().clean_fields(exclude)

    @property
    def owner(self):
        return self.conference or self.plan


def _one_owner(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(conference__isnull=False) & Q(plan__isnull=True))
        | (Q(conference__isnull=True) & Q(plan__isnull=False)),
        name=name,
    )


class BasisDocument(_OwnedByConferenceOrPlan):
    """'Căn cứ' / 'Thực hiện': a document the conference or plan rests on."""

    class Lead(models.TextChoices):
        PURSUANT = "can_cu", _("Căn cứ")
        IMPLEMENTING = "thuc_hien", _("Thực hiện")

    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.CASCADE, related_name="basis_documents"
    )
    plan = models.ForeignKey(
        ImprovementPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="basis_documents"
    )
    lead = models.CharField(_("dẫn"), max_length=20, choices=Lead.choices, default=Lead.IMPLEMENTING)
    doc_type = models.CharField(
        _("loại văn bản"), max_length=80, help_text=_("Ví dụ: Kế hoạch, Quyết định, Chương trình công tác.")
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True, help_text=_("Ví dụ: 35/KH-UBND."))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    title = models.TextField(_("trích yếu"), blank=True)

    class Meta(_OwnedByConferenceOrPlan.Meta):
        verbose_name = _("văn bản căn cứ")
        verbose_name_plural = _("văn bản căn cứ")
        constraints = [_one_owner("basis_document_one_owner")]

    def __str__(self):
        return self.citation

    @property
    def citation(self) -> str:
        """As a document cites it: 'Kế hoạch số 35/KH-UBND ngày 30/01/2026 của UBND tỉnh về …'."""
        from core.formatting import vn_date

        parts = [self.doc_type]
        if self.number:
            parts.append(_("số %(number)s") % {"number": self.number})
        if self.issued_on:
            parts.append(_("ngày %(date)s") % {"date": vn_date(self.issued_on)})
        if self.issuer:
            parts.append(_("của %(issuer)s") % {"issuer": self.issuer})
        if self.title:
            parts.append(self.title)
        return " ".join(str(p) for p in parts)


class ContentItem(_OwnedByConferenceOrPlan):
    conference = models.ForeignKey(
        Conference, null=True, blank=True, on_delete=models.CASCADE, related_name="content_items"
    )
    plan = models.ForeignKey(
        ImprovementPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="content_items"
    )
    text = models.TextField(_("nội dung"))

    class Meta(_OwnedByConferenceOrPlan.Meta):
        verbose_name = _("nội dung hội nghị")
        verbose_name_plural = _("nội dung hội nghị")
        constraints = [_one_owner("content_item_one_owner")]

    def __str__(self):
        return self.text[:80]


class ProgrammeItem(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="programme_items")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    starts_at = models.TimeField(_("giờ"), null=True, blank=True)
    title = models.TextField(_("nội dung"))
    speaker = models.CharField(_("người trình bày"), max_length=255, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị trình bày"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = province_scoped("conference__province")

    class Meta:
        verbose_name = _("mục chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title[:80]


class InviteeRole(models.TextChoices):
    CHAIR = "chair", _("Chủ trì")
    DELEGATE = "delegate", _("Đại biểu")
    PRESENTER = "presenter", _("Trình bày tham luận")
    PRESS = "press", _("Báo chí")
    AWARDEE = "awardee", _("Nhận khen thưởng")
    OBSERVER = "observer", _("Dự thính")


class InviteeLine(models.Model):
    """One line of 'Thành phần': what the document prints, and what it means."""

    class Target(models.TextChoices):
        GROUP = "group", _("Nhóm đơn vị theo loại")
        AGENCY = "agency", _("Một (hoặc vài) cơ quan, đơn vị, hội đồng")
        MEMBERS = "members", _("Thành viên của hội đồng, ban, tổ")
        PERSON = "person", _("Một người cụ thể")
        AWARDEES = "awardees", _("Đơn vị được khen thưởng tại hội nghị")
        TEXT = "text", _("Chỉ in, không gắn đơn vị")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitee_lines")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    section = models.CharField(
        _("nhóm đại biểu"), max_length=120, blank=True, help_text=_("Ví dụ: Đại biểu cấp tỉnh, Đại biểu cấp xã.")
    )
    text = models.CharField(_("dòng in trên văn bản"), max_length=400)
    target = models.CharField(_("áp dụng cho"), max_length=20, choices=Target.choices, default=Target.AGENCY)
    group_kinds = models.JSONField(_("các loại đơn vị"), default=list, blank=True)
    group_under = models.ForeignKey(
        Agency,
        verbose_name=_("thuộc đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Chỉ các đơn vị thuộc đơn vị này (ví dụ các xã, thị trấn của một huyện). Để trống: địa bàn của "
            "cơ quan ban hành."
        ),
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan, đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    also = models.ManyToManyField(
        Agency,
        verbose_name=_("cùng dòng"),
        blank=True,
        related_name="+",
        help_text=_("Các cơ quan khác in trên cùng dòng, ví dụ: “Hội đồng thẩm định, Tổ giúp việc”."),
    )
    person = models.ForeignKey(
        Person, verbose_name=_("người được mời"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=InviteeRole.choices, default=InviteeRole.DELEGATE)
    separate_invitation = models.BooleanField(_("có giấy mời riêng"), default=False)
    quota = models.PositiveSmallIntegerField(_("số đại biểu tối đa"), default=1)
    quota_text = models.CharField(
        _("thành phần cử đi"), max_length=200, blank=True, help_text=_("Ví dụ: Lãnh đạo và 01 công chức.")
    )

    objects = province_scoped("conference__province")

    class Meta:
        verbose_name = _("thành phần mời")
        verbose_name_plural = _("thành phần mời")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        errors = {}
        kinds = set(AgencyKind.values)
        if self.target == self.Target.GROUP and not self.group_kinds:
            errors["group_kinds"] = _("Hãy chọn ít nhất một loại đơn vị cho nhóm.")
        if any(k not in kinds for k in self.group_kinds or []):
            errors["group_kinds"] = _("Loại đơn vị không hợp lệ.")
        if self.target in (self.Target.AGENCY, self.Target.MEMBERS) and not self.agency_id:
            errors["agency"] = _("Hãy chọn cơ quan, đơn vị được mời.")
        if self.target == self.Target.MEMBERS and self.agency_id and not self.agency.is_body:
            errors["agency"] = _("Chỉ hội đồng, ban chỉ đạo, tổ giúp việc mới có thành viên.")
        if self.target == self.Target.PERSON and not self.person_id:
            errors["person"] = _("Hãy chọn người được mời.")
        if self.quota < 1:
            errors["quota"] = _("Mỗi đơn vị được cử ít nhất 01 đại biểu.")
        province_id = self.conference.province_id if self.conference_id else None
        if self.agency_id and province_id and self.agency.province_id != province_id:
            errors["agency"] = _("Cơ quan phải thuộc tỉnh của hội nghị.")
        if self.person_id and province_id and self.person.agency.province_id != province_id:
            errors["person"] = _("Người được mời phải thuộc một cơ quan của tỉnh.")
        if errors:
            raise ValidationError(errors)

    @property
    def group_kind_labels(self) -> list[str]:
        return [AgencyKind(k).label for k in self.group_kinds if k in AgencyKind.values]


@status_flags("reply")
class Invitation(models.Model):
    """An invited agency, frozen when invitations go out. Its reply and
    delegates hang here."""

    class Reply(models.TextChoices):
        PENDING = "pending", _("Chưa trả lời")
        ATTENDING = "attending", _("Tham dự")
        DECLINED = "declined", _("Không tham dự")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="invitations")
    line = models.ForeignKey(
        InviteeLine, verbose_name=_("thành phần"), null=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(_("vai trò"), max_length=20, choices=InviteeRole.choices, default=InviteeRole.DELEGATE)
    quota = models.PositiveSmallIntegerField(_("số đại biểu tối đa"), default=1)
    withdrawn = models.BooleanField(_("đã rút khỏi danh sách"), default=False)
    reply = models.CharField(_("trả lời"), max_length=20, choices=Reply.choices, default=Reply.PENDING)
    reply_note = models.TextField(_("ghi chú"), blank=True)
    replied_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_on_behalf = models.BooleanField(_("Sở Nội vụ trả lời thay"), default=False)
    # Its personal copy: asked for by the organiser's "send", then handed to
    # the outbox (e-mail with the PDF, a notice to its officials) once.
    send_requested_at = models.DateTimeField(_("yêu cầu gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    sent_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = province_scoped("conference__province")

    class Meta:
        verbose_name = _("giấy mời đơn vị")
        verbose_name_plural = _("giấy mời đơn vị")
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["conference", "agency"], name="invitation_once_per_agency")]
        indexes = [models.Index(fields=["agency", "conference"])]

    def __str__(self):
        return f"{self.conference} — {self.agency}"

    @property
    def province_id(self):
        return self.conference.province_id

    @property
    def ref(self) -> str:
        """What the outbox files its messages under, and its reminders' key."""
        return f"conferences.invitation:{self.pk}"


class Delegate(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="delegates")
    order = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # The QR code on the reply page carries this, not the primary key.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checked_in_at = models.DateTimeField(_("có mặt lúc"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = province_scoped("invitation__conference__province")

    class Meta:
        verbose_name = _("đại biểu")
        verbose_name_plural = _("đại biểu")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.full_name} — {self.position}"


class InviteeChange(models.Model):
    """Why the invitee list changed after invitations went out."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="invitee_changes")
    reason = models.TextField(_("lý do"))
    summary = models.TextField(_("thay đổi"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = province_scoped("conference__province")

    class Meta:
        verbose_name = _("thay đổi thành phần mời")
        verbose_name_plural = _("thay đổi thành phần mời")
        ordering = ["-created_at"]

    def __str__(self):
        return self.reason[:80]


class Duty(_OwnedByConferenceOrPlan):
    """'Tổ chức thực hiện': who leads, who helps, what, by when."""

    class Phase(models.TextChoices):
        PREPARATION = "preparation", _("Chuẩn bị hội nghị")
        FOLLOW_UP = "follow_up", _("Sau hội nghị")

    class Wording(models.TextChoices):
        NO_LATER_THAN = "cham_nhat", _("chậm nhất ngày")
        BEFORE = "truoc", _("trước ngày")

    class Origin(models.TextChoices):
        TYPED = "typed", _("Nhập trên cổng")
        INDEX_LOSSES = "index_losses", _("Lập từ các tiêu chí bị mất điểm")

    conference = models.ForeignKey(Conference, null=True, blank=True, on_delete=models.CASCADE, related_name="duties")
    plan = models.ForeignKey(ImprovementPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="duties")
    section = models.CharField(_("mục"), max_length=200, blank=True, help_text=_("Ví dụ: Trách nhiệm của Sở Nội vụ."))
    lead_label = models.CharField(
        _("cơ quan chủ trì (như in)"), max_length=255, blank=True, help_text=_("Để trống thì in tên cơ quan chủ trì.")
    )
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_duties",
    )
    lead_kinds = models.JSONField(_("nhóm chủ trì theo loại"), default=list, blank=True)
    lead_under = models.ForeignKey(
        Agency,
        verbose_name=_("nhóm thuộc đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Nhóm chủ trì chỉ gồm các đơn vị thuộc đơn vị này. Để trống: địa bàn của cơ quan ban hành."),
    )
    coordinating = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinated_duties"
    )
    task = models.TextField(_("nhiệm vụ"))
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    due_time = models.TimeField(_("giờ"), null=True, blank=True)
    due_wording = models.CharField(
        _("cách ghi hạn"), max_length=20, choices=Wording.choices, default=Wording.NO_LATER_THAN
    )
    deliverable = models.CharField(_("sản phẩm"), max_length=255, blank=True)
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=Phase.choices, default=Phase.PREPARATION)
    lists_presentations = models.BooleanField(
        _("liệt kê tham luận trong nhiệm vụ này"),
        default=False,
        help_text=_("In “cụ thể:” rồi từng đơn vị tham luận (+ UBND xã …: phát biểu tham luận về …)."),
    )
    presentations_rest = models.CharField(
        _("dòng cuối danh sách tham luận"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: Các đơn vị còn lại chuẩn bị ý kiến phát biểu, thảo luận tại Hội nghị."),
    )
    # How the duty came to be: a plan's duties drafted from the index losses
    # are recognised by this, never by their wording.
    origin = models.CharField(_("nguồn"), max_length=20, choices=Origin.choices, default=Origin.TYPED, editable=False)

    class Meta(_OwnedByConferenceOrPlan.Meta):
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        constraints = [_one_owner("duty_one_owner")]
        indexes = [models.Index(fields=["due_date"])]

    def __str__(self):
        return self.task[:80]

    def clean(self):
        errors = {}
        if not self.lead_agency_id and not self.lead_kinds and not self.lead_label:
            errors["lead_agency"] = _("Hãy chọn cơ quan chủ trì hoặc nhóm đơn vị chủ trì.")
        if self.lead_kinds and any(k not in AgencyKind.values for k in self.lead_kinds):
            errors["lead_kinds"] = _("Loại đơn vị không hợp lệ.")
        if self.due_time and not self.due_date:
            errors["due_date"] = _("Hãy nhập ngày của hạn hoàn thành.")
        owner = self.conference if self.conference_id else (self.plan if self.plan_id else None)
        if owner and self.lead_agency_id and self.lead_agency.province_id != owner.province_id:
            errors["lead_agency"] = _("Cơ quan phải thuộc tỉnh của hội nghị, kế hoạch.")
        if errors:
            raise ValidationError(errors)

    @property
    def lead_display(self) -> str:
        if self.lead_label:
            return self.lead_label
        if self.lead_agency_id:
            return self.lead_agency.name
        return ", ".join(str(AgencyKind(k).label) for k in self.lead_kinds if k in AgencyKind.values)

    @property
    def due_at(self):
        if not self.due_date:
            return None
        return timezone.make_aware(dt.datetime.combine(self.due_date, self.due_time or dt.time(23, 59, 59)))


@status_flags()
class DutyAssignment(models.Model):
    """One lead agency's share of a duty: a duty led by a group has one per agency."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chưa thực hiện")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="duty_assignments"
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.OPEN)
    progress_note = models.TextField(_("tiến độ"), blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("agency__province")

    class Meta:
        verbose_name = _("phân công nhiệm vụ")
        verbose_name_plural = _("phân công nhiệm vụ")
        ordering = ["duty__order", "duty_id", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["duty", "agency"], name="duty_assignment_once_per_agency")]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self):
        return f"{self.duty} — {self.agency}"

    @property
    def province_id(self):
        return self.agency.province_id

    @property
    def is_overdue(self) -> bool:
        due = self.duty.due_at
        return bool(due) and self.status != self.Status.DONE and timezone.now() > due


class DutyUpdate(models.Model):
    """A progress report on an assignment; the history is kept whole."""

    assignment = models.ForeignKey(DutyAssignment, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("tình trạng"), max_length=20, choices=DutyAssignment.Status.choices)
    note = models.TextField(_("nội dung"))
    file = models.FileField(_("tệp kèm theo"), upload_to="duties/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = province_scoped("assignment__agency__province")

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.note[:80]


class Award(models.Model):
    class Kind(models.TextChoices):
        COLLECTIVE = "collective", _("Tập thể")
        INDIVIDUAL = "individual", _("Cá nhân")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="awards")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices, default=Kind.COLLECTIVE)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
        help_text=_("Tập thể được khen, hoặc đơn vị công tác của cá nhân."),
    )
    recipient_name = models.CharField(_("cá nhân được khen"), max_length=150, blank=True)
    recipient_position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    award_name = models.CharField(
        _("hình thức khen thưởng"), max_length=255, default="Bằng khen của Chủ tịch UBND tỉnh"
    )
    decision_ref = models.CharField(
        _("quyết định khen thưởng"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 512/QĐ-UBND ngày 20/3/2026."),
    )
    citation = models.CharField(_("thành tích"), max_length=400, blank=True)

    objects = province_scoped("conference__province")

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.recipient_display

    def clean(self):
        errors = {}
        if self.kind == self.Kind.COLLECTIVE and not self.agency_id:
            errors["agency"] = _("Hãy chọn tập thể được khen thưởng.")
        if self.kind == self.Kind.INDIVIDUAL and not self.recipient_name:
            errors["recipient_name"] = _("Hãy nhập họ tên cá nhân được khen thưởng.")
        if self.agency_id and self.conference_id and self.agency.province_id != self.conference.province_id:
            errors["agency"] = _("Đơn vị phải thuộc tỉnh của hội nghị.")
        if errors:
            raise ValidationError(errors)

    @property
    def recipient_display(self) -> str:
        if self.kind == self.Kind.INDIVIDUAL:
            parts = [self.recipient_name, self.recipient_position, self.agency.name if self.agency_id else ""]
            return ", ".join(p for p in parts if p)
        return self.agency.name if self.agency_id else ""
