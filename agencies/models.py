from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import province_scoped
from core.workflow import status_flags


class Province(models.Model):
    """A province or centrally-run city. Units merged on 1/7/2025 (63 -> 34)
    stay in the directory with an end date and their successor."""

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho", _("Thành phố trực thuộc Trung ương")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.PROVINCE)
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def province_id(self) -> int:
        # Permission predicates and the audit trail ask any row for its province.
        return self.pk

    @property
    def full_name(self) -> str:
        if self.kind == self.Kind.PROVINCE:
            return _("tỉnh %(name)s") % {"name": self.name}
        return _("thành phố %(name)s") % {"name": self.name}


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "ubnd_tinh", _("UBND tỉnh")
    COMMITTEE_OFFICE = "van_phong_ubnd", _("Văn phòng UBND tỉnh")
    DEPARTMENT = "so_ban_nganh", _("Sở, ban, ngành")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")
    DISTRICT = "huyen", _("Huyện (trước 01/7/2025)")
    TOWN = "thi_xa", _("Thị xã (trước 01/7/2025)")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh (trước 01/7/2025)")
    TOWNSHIP = "thi_tran", _("Thị trấn (trước 01/7/2025)")
    PARTY_COMMITTEE = "tinh_uy", _("Tỉnh ủy")
    PEOPLES_COUNCIL = "hdnd", _("HĐND tỉnh")
    FATHERLAND_FRONT = "mttq", _("Ủy ban MTTQ Việt Nam tỉnh")
    POLICE = "cong_an", _("Công an tỉnh")
    POST = "buu_dien", _("Bưu điện tỉnh")
    PRESS = "bao_chi", _("Báo chí, truyền thông")
    OTHER = "khac", _("Cơ quan, đơn vị khác")


# Kinds that make up the groups invitee lines and duties speak of.
LOCAL_UNIT_KINDS = (AgencyKind.COMMUNE, AgencyKind.WARD, AgencyKind.SPECIAL_ZONE)
LEGACY_KINDS = (AgencyKind.DISTRICT, AgencyKind.TOWN, AgencyKind.PROVINCIAL_CITY, AgencyKind.TOWNSHIP)
PROVINCIAL_BODY_KINDS = (AgencyKind.COMMITTEE_OFFICE, AgencyKind.DEPARTMENT)


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_to__isnull=True) | Q(active_to__gte=day),
        )

    def active(self):
        return self.active_on(timezone.localdate())


class Agency(models.Model):
    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="agencies")
    code = models.CharField(_("mã đơn vị"), max_length=50)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(
        _("tên viết tắt"),
        max_length=50,
        blank=True,
        help_text=_("Dùng trong ký hiệu văn bản, ví dụ: UBND, SNV."),
    )
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text=_("Đơn vị tiếp nhận chức năng sau khi sắp xếp, sáp nhập."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = province_scoped("province", models.Manager.from_queryset(AgencyQuerySet))

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="agency_code_unique_in_province"),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="agency_active_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("Đơn vị không thể là cấp trên của chính nó.")
        elif self.parent_id and self.province_id and self.parent.province_id != self.province_id:
            errors["parent"] = _("Đơn vị cấp trên phải thuộc cùng tỉnh.")
        if self.successor_id and self.pk and self.successor_id == self.pk:
            errors["successor"] = _("Đơn vị không thể kế thừa chính nó.")
        if self.active_from and self.active_to and self.active_to < self.active_from:
            errors["active_to"] = _("Ngày kết thúc phải sau ngày bắt đầu hoạt động.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.active_from is None or self.active_from <= today) and (
            self.active_to is None or self.active_to >= today
        )

    @property
    def is_local_unit(self) -> bool:
        return self.kind in LOCAL_UNIT_KINDS


class Person(models.Model):
    """Someone in the directory: a focal person, a leader who chairs or
    signs, a delegate. Having a login is separate (User)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan, đơn vị"), on_delete=models.PROTECT, related_name="people"
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    is_focal_point = models.BooleanField(
        _("cán bộ đầu mối CCHC"),
        default=False,
        help_text=_("Người nhận giấy mời, nhắc việc của đơn vị về cải cách hành chính."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = province_scoped("agency__province")

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["agency__name", "full_name"]
        indexes = [models.Index(fields=["agency", "full_name"])]

    def __str__(self):
        return f"{self.full_name} ({self.position})" if self.position else self.full_name

    @property
    def province_id(self):
        return self.agency.province_id if self.agency_id else None


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
    ORGANISER = "organiser", _("Cán bộ Sở Nội vụ (tổ chức)")
    OFFICIAL = "official", _("Cán bộ đầu mối đơn vị")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")


class PortalUserManager(UserManager):
    def get_queryset(self):
        # Every request reads the user's agency and province for scoping.
        return super().get_queryset().select_related("agency__province")


class User(AbstractUser):
    # Vietnamese names are written whole ("Nguyễn Thị Thúy"), not split.
    first_name = None
    last_name = None
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="administrator") | Q(agency__isnull=False),
                name="user_agency_required_unless_administrator",
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.username

    def clean(self):
        super().clean()
        if self.role != Role.ADMINISTRATOR and not self.agency_id:
            raise ValidationError({"agency": _("Người dùng không phải quản trị phải thuộc một cơ quan, đơn vị.")})

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER

    @property
    def is_official(self) -> bool:
        return self.role == Role.OFFICIAL

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def province(self):
        return self.agency.province if self.agency_id else None

    @property
    def province_id(self):
        return self.agency.province_id if self.agency_id else None


@status_flags()
class DirectoryImport(models.Model):
    """One uploaded directory file: previewed first, applied on confirmation.
    Keeping the file and the outcome makes every import traceable."""

    class Kind(models.TextChoices):
        AGENCIES = "agencies", _("Cơ quan, đơn vị")
        PEOPLE = "people", _("Cán bộ")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Đã xem trước")
        APPLIED = "applied", _("Đã nhập")

    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.CASCADE)
    kind = models.CharField(_("loại dữ liệu"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("tệp"), upload_to="imports/directory/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(_("kết quả"), default=dict, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("người tải lên"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    applied_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)

    objects = province_scoped("province")

    class Meta:
        verbose_name = _("lần nhập danh bạ")
        verbose_name_plural = _("các lần nhập danh bạ")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name}"
