"""Index frameworks as data, and the results measured against them.

A framework (PAR INDEX of provinces, of departments, of communes; SIPAS) is a
tree of fields → criteria → sub-criteria, each with a maximum and how it is
scored. Frameworks change between years, so none is written in code: they
are loaded from JSON or XLSX and validated (children add up to their parent,
fields to the framework's total). Figures are Decimal, two places, as
published."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Province
from core.scoping import province_scoped
from core.workflow import status_flags

SCORE = {"max_digits": 7, "decimal_places": 2}


class IndexKind(models.TextChoices):
    PAR = "par", "PAR INDEX"
    SIPAS = "sipas", "SIPAS"


class Framework(models.Model):
    class Subject(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DISTRICT = "district", _("Huyện, thị xã, thành phố (trước 01/7/2025)")
        COMMUNE = "commune", _("Xã, phường, đặc khu")

    class Unit(models.TextChoices):
        POINTS = "points", _("điểm")
        PERCENT = "percent", "%"

    code = models.CharField(_("mã bộ chỉ số"), max_length=40)
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    name = models.CharField(_("tên"), max_length=255)
    index = models.CharField(_("chỉ số"), max_length=10, choices=IndexKind.choices)
    subject = models.CharField(_("đối tượng"), max_length=20, choices=Subject.choices)
    unit = models.CharField(_("đơn vị tính"), max_length=10, choices=Unit.choices, default=Unit.POINTS)
    maximum = models.DecimalField(_("điểm tối đa"), **SCORE, validators=[MinValueValidator(Decimal("0.01"))])
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    is_example = models.BooleanField(
        _("bộ mẫu"), default=False, help_text=_("Điểm tối đa là ví dụ, chưa đối chiếu với văn bản ban hành bộ chỉ số.")
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Bonus and penalty points beside the tree (điểm thưởng, điểm phạt), each
    # capped as the framework's decision says; blank: the framework has none.
    bonus_cap = models.DecimalField(
        _("điểm thưởng tối đa"), **SCORE, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    penalty_cap = models.DecimalField(
        _("điểm trừ tối đa"), **SCORE, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "index", "subject"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="framework_once_per_year")]
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")

    def __str__(self):
        return f"{self.name} ({self.year})"


class Criterion(models.Model):
    class Method(models.TextChoices):
        APPRAISAL = "appraisal", _("Thẩm định")
        SURVEY = "survey", _("Điều tra xã hội học")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("mã"), max_length=20, help_text=_("Ví dụ: 3, 3.2, 3.2.1"))
    name = models.CharField(_("tên"), max_length=500)
    maximum = models.DecimalField(_("điểm tối đa"), **SCORE, validators=[MinValueValidator(Decimal("0"))])
    method = models.CharField(_("cách chấm"), max_length=20, choices=Method.choices, default=Method.APPRAISAL)
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)  # 1 field, 2 criterion, 3 sub-criterion
    # The field (lĩnh vực) the criterion belongs to, from its code ("3.2.1" → "3"), so that
    # totals per field are one GROUP BY in the database.
    field_code = models.CharField(max_length=20, editable=False, default="")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="criterion_code_once")]
        indexes = [models.Index(fields=["framework", "level"])]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")

    def __str__(self):
        return f"{self.code}. {self.name}"

    def save(self, *args, **kwargs):
        self.field_code = self.code.split(".")[0]
        super().save(*args, **kwargs)


class NationalIndex(models.Model):
    """An index the country ranks its provinces by: PAR INDEX and SIPAS (the
    Ministry of Home Affairs), and those offices cite beside them (PAPI, PCI,
    DTI). Written after migrate (indices.apps); an administrator may add one."""

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên viết tắt"), max_length=40)
    full_name = models.CharField(_("tên đầy đủ"), max_length=255, blank=True)
    publisher = models.CharField(_("cơ quan công bố"), max_length=255, blank=True)
    unit = models.CharField(
        _("đơn vị tính"), max_length=10, choices=Framework.Unit.choices, default=Framework.Unit.POINTS
    )
    maximum = models.DecimalField(_("giá trị tối đa"), max_digits=9, decimal_places=4, default=100)
    decimals = models.PositiveSmallIntegerField(_("số chữ số thập phân"), default=2)
    higher_is_better = models.BooleanField(_("điểm cao là tốt"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("chỉ số toàn quốc")
        verbose_name_plural = _("chỉ số toàn quốc")

    def __str__(self):
        return self.name

    @property
    def is_percent(self) -> bool:
        return self.unit == Framework.Unit.PERCENT


class NationalResult(models.Model):
    """A province's published result in a national ranking. Public: every
    user reads every province's (`public`); writes go through services."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="national_results")
    # A NationalIndex's code ("par", "sipas", "papi"…), kept as text so the
    # results read the same whichever indices an install adds.
    index = models.CharField(_("chỉ số"), max_length=20)
    year = models.PositiveSmallIntegerField(_("năm"))
    score = models.DecimalField(_("kết quả"), max_digits=9, decimal_places=4)
    # Blank when the published table gives none (a previous year's score
    # quoted without its rank).
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)
    out_of = models.PositiveSmallIntegerField(_("trên tổng số"), help_text=_("63 đến năm 2024; 34 từ năm 2025."))
    source = models.CharField(
        _("văn bản công bố"), max_length=255, blank=True, help_text=_("Ví dụ: Quyết định số 268/QĐ-BNV ngày 28/3/2025")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = province_scoped("province")
    # National rankings are published: the league table reads every province.
    public = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        ordering = ["province", "index", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "index", "year"], name="national_result_once"),
            models.CheckConstraint(condition=models.Q(rank__lte=models.F("out_of")), name="national_rank_within"),
        ]
        verbose_name = _("kết quả công bố toàn quốc")
        verbose_name_plural = _("kết quả công bố toàn quốc")

    def __str__(self):
        return f"{self.province} {self.get_index_display()} {self.year}: {self.score}"

    def get_index_display(self) -> str:
        # A list annotates the name (indices.selectors.national_results).
        if getattr(self, "index_name", None):
            return self.index_name
        return national_index_names().get(self.index, self.index)

    @staticmethod
    def provinces_in(year: int) -> int:
        """How many provinces a year's national ranking covers: 63 until the
        2025 merger of provinces, 34 since."""
        return 63 if year <= 2024 else 34


def national_index_names() -> dict[str, str]:
    """Code -> short name of every national index (reference data, one query)."""
    return dict(NationalIndex.objects.values_list("code", "name"))


@status_flags()
class Assessment(models.Model):
    """One agency's result under one framework (and so one year)."""

    class Status(models.TextChoices):
        SELF = "self", _("Đang tự đánh giá")
        SUBMITTED = "submitted", _("Đã gửi tự đánh giá")
        APPRAISED = "appraised", _("Đã thẩm định")
        EXPLAINING = "explaining", _("Đang giải trình")
        EXPLAINED = "explained", _("Đã gửi giải trình")
        FINAL = "final", _("Đã thẩm định lần 2")
        PUBLISHED = "published", _("Đã công bố")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.SELF)
    self_deadline = models.DateField(_("hạn tự đánh giá"), null=True, blank=True)
    # Totals of the leaf scores of each round, written by the database (an UPDATE with a
    # SUM) whenever scores change, so a ranking of thousands of agencies reads one column.
    self_total = models.DecimalField(_("tổng điểm tự đánh giá"), **SCORE, null=True, blank=True)
    # The appraisal's total (the last round's), bonus and penalty included:
    # what the ranking, the analysis and the decision use.
    total = models.DecimalField(_("tổng điểm thẩm định"), **SCORE, null=True, blank=True)
    # Bonus minus penalty, each within the framework's cap (adjustments_refresh).
    adjustment = models.DecimalField(_("điểm thưởng, trừ"), **SCORE, null=True, blank=True)
    explain_deadline = models.DateField(_("hạn giải trình"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi tự đánh giá lúc"), null=True, blank=True)
    appraised_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)
    explained_at = models.DateTimeField(_("gửi giải trình lúc"), null=True, blank=True)
    final_at = models.DateTimeField(_("thẩm định lần 2 lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("agency__province")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "agency"], name="assessment_once")]
        indexes = [models.Index(fields=["framework", "status"])]
        verbose_name = _("kết quả đánh giá")
        verbose_name_plural = _("kết quả đánh giá")

    def __str__(self):
        return f"{self.agency} — {self.framework}"

    @property
    def province_id(self):
        return self.agency.province_id


class Score(models.Model):
    """A score of one criterion in one round. Rounds are kept, never overwritten."""

    class Round(models.TextChoices):
        SELF = "self", _("Tự đánh giá")
        # The appraisal in force: round 1, then (after the explanation) the
        # final round, which starts from round 1's scores.
        APPRAISED = "appraised", _("Thẩm định")
        # Round 1 as it stood when the explanation opened, kept unchanged.
        FIRST = "first", _("Thẩm định lần 1")

    # No single-column indexes: "score_once" leads with the assessment and the
    # (criterion, round) index with the criterion, and a year's import writes
    # 340,000 rows into every index the table has.
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores", db_index=False)
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores", db_index=False)
    round = models.CharField(_("vòng"), max_length=20, choices=Round.choices)
    value = models.DecimalField(_("điểm"), **SCORE, validators=[MinValueValidator(Decimal("0"))])
    note = models.TextField(_("giải trình, minh chứng"), blank=True)
    evidence = models.FileField(_("tệp minh chứng"), upload_to="indices/evidence/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)

    objects = province_scoped("assessment__agency__province")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion", "round"], name="score_once")]
        indexes = [models.Index(fields=["criterion", "round"])]
        verbose_name = _("điểm")
        verbose_name_plural = _("điểm")

    def __str__(self):
        return f"{self.criterion.code}: {self.value}"


class Explanation(models.Model):
    """An agency's answer (giải trình) on a criterion where appraisal cut its
    points: why, with more evidence, before the final appraisal."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="explanations")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("nội dung giải trình"))
    evidence = models.FileField(_("tệp minh chứng bổ sung"), upload_to="indices/explanations/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("assessment__agency__province")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="explanation_once")]
        verbose_name = _("giải trình")
        verbose_name_plural = _("giải trình")

    def __str__(self):
        return f"{self.assessment} — {self.criterion.code}"


class Adjustment(models.Model):
    """A bonus or penalty (điểm thưởng, điểm trừ) the appraisers give an
    agency, with its reason; counted in the total within the framework's cap."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("Điểm thưởng")
        PENALTY = "penalty", _("Điểm trừ")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    points = models.DecimalField(_("số điểm"), **SCORE, validators=[MinValueValidator(Decimal("0.01"))])
    reason = models.TextField(_("lý do"))
    evidence = models.FileField(_("tệp minh chứng"), upload_to="indices/adjustments/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = province_scoped("assessment__agency__province")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(points__gt=0), name="adjustment_points_positive")]
        verbose_name = _("điểm thưởng, điểm trừ")
        verbose_name_plural = _("điểm thưởng, điểm trừ")

    def __str__(self):
        return f"{self.get_kind_display()} {self.points}: {self.reason[:60]}"


class Responsibility(models.Model):
    """Who answers for a criterion in a province (administrative procedures →
    Văn phòng UBND tỉnh; public finance → Sở Tài chính). Keyed by the
    framework's code ("PAR-TINH") and the criterion's code, so it carries over
    from one year's framework to the next; the longest matching code wins
    ("3.2" before "3")."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="index_responsibilities")
    framework_code = models.CharField(_("mã bộ chỉ số"), max_length=40)
    code = models.CharField(_("mã tiêu chí"), max_length=20)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan chủ trì"), on_delete=models.CASCADE, related_name="index_responsibilities"
    )

    objects = province_scoped("province")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "framework_code", "code"], name="responsibility_once")
        ]
        verbose_name = _("cơ quan chịu trách nhiệm")
        verbose_name_plural = _("cơ quan chịu trách nhiệm")

    def __str__(self):
        return f"{self.code} → {self.agency}"


class Publication(models.Model):
    """A province's announcement of one year's results of its departments and
    communes: the assessments it publishes and the decision that announces
    them (a document whose source is this row)."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="index_publications")
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    frameworks = models.ManyToManyField(Framework, related_name="publications")
    published_at = models.DateTimeField(_("công bố lúc"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = province_scoped("province")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="publication_once")]
        verbose_name = _("công bố kết quả")
        verbose_name_plural = _("công bố kết quả")

    def __str__(self):
        return f"{self.province} {self.year}"
