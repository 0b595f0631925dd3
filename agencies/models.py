from __future__ import annotations

from collections.abc import Callable

import rules
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import province_scoped
from core.workflow import status_flags


class Region(models.TextChoices):
    """The six socio-economic regions (Nghị quyết 81/2023/QH15) that reports
    compare a province with."""

    NORTH_MOUNTAINS = "trung_du_mien_nui_phia_bac", _("Trung du và miền núi phía Bắc")
    RED_RIVER = "dong_bang_song_hong", _("Đồng bằng sông Hồng")
    CENTRAL = "bac_trung_bo_duyen_hai_mien_trung", _("Bắc Trung Bộ và duyên hải miền Trung")
    HIGHLANDS = "tay_nguyen", _("Tây Nguyên")
    SOUTH_EAST = "dong_nam_bo", _("Đông Nam Bộ")
    MEKONG = "dong_bang_song_cuu_long", _("Đồng bằng sông Cửu Long")


class Province(models.Model):
    """A province or centrally-run city. Units merged on 1/7/2025 (63 -> 34)
    stay in the directory with an end date and their successor; every one
    is written by agencies.provinces after migrate."""

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
    region = models.CharField(_("vùng"), max_length=40, choices=Region.choices, blank=True)
    # How the province's Sở Nội vụ writes the national results in its reports
    # (indices.selectors.national_summary): offices differ, and a report
    # keeps one way throughout.
    percent_change_in_points = models.BooleanField(
        _("thay đổi SIPAS ghi bằng “điểm phần trăm”"),
        default=True,
        help_text=_("Bỏ chọn để ghi “tăng 1,69%” thay cho “tăng 1,69 điểm phần trăm”."),
    )
    rank_change_two_digits = models.BooleanField(
        _("số hạng thay đổi ghi hai chữ số"),
        default=False,
        help_text=_("Ví dụ: “giảm 05 hạng” thay cho “giảm 5 hạng”."),
    )
    other_names = models.JSONField(
        _("tên khác"),
        default=list,
        blank=True,
        help_text=_("Tên cũ, cách viết khác trong các bảng công bố, ví dụ: Thừa Thiên Huế, TP.HCM."),
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


class Level(models.TextChoices):
    """The tiers of local government: three until 30/6/2025, two since."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("Cấp xã")


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
    DISTRICT_OFFICE = "van_phong_huyen", _("Văn phòng HĐND và UBND cấp huyện (trước 01/7/2025)")
    DIVISION = "phong", _("Phòng chuyên môn (thuộc UBND huyện, xã)")
    COMMUNE_OFFICE = "van_phong_xa", _("Văn phòng HĐND và UBND xã, phường")
    VILLAGE = "thon", _("Thôn, tổ dân phố")
    SERVICE_UNIT = "trung_tam", _("Đơn vị sự nghiệp (trung tâm…)")
    PARTY_COMMITTEE = "tinh_uy", _("Tỉnh ủy")
    DISTRICT_PARTY_COMMITTEE = "huyen_uy", _("Huyện ủy, Thị ủy, Thành ủy (trước 01/7/2025)")
    COMMUNE_PARTY_COMMITTEE = "dang_uy_xa", _("Đảng ủy xã, phường")
    PEOPLES_COUNCIL = "hdnd", _("HĐND tỉnh")
    DISTRICT_COUNCIL = "hdnd_huyen", _("HĐND cấp huyện (trước 01/7/2025)")
    COMMUNE_COUNCIL = "hdnd_xa", _("HĐND xã, phường")
    FATHERLAND_FRONT = "mttq", _("Ủy ban MTTQ Việt Nam tỉnh")
    DISTRICT_FRONT = "mttq_huyen", _("Ủy ban MTTQ Việt Nam cấp huyện (trước 01/7/2025)")
    COMMUNE_FRONT = "mttq_xa", _("Ủy ban MTTQ Việt Nam xã, phường")
    POLICE = "cong_an", _("Công an tỉnh")
    POST = "buu_dien", _("Bưu điện tỉnh")
    PRESS = "bao_chi", _("Báo chí, truyền thông")
    COUNCIL = "hoi_dong", _("Hội đồng (thẩm định, tư vấn…)")
    STEERING_COMMITTEE = "ban_chi_dao", _("Ban Chỉ đạo")
    WORKING_GROUP = "to_giup_viec", _("Tổ giúp việc, tổ công tác")
    OTHER = "khac", _("Cơ quan, đơn vị khác")


# Kinds that make up the groups invitee lines and duties speak of.
LOCAL_UNIT_KINDS = (AgencyKind.COMMUNE, AgencyKind.WARD, AgencyKind.SPECIAL_ZONE)
LEGACY_KINDS = (AgencyKind.DISTRICT, AgencyKind.TOWN, AgencyKind.PROVINCIAL_CITY, AgencyKind.TOWNSHIP)
PROVINCIAL_BODY_KINDS = (AgencyKind.COMMITTEE_OFFICE, AgencyKind.DEPARTMENT)
# Councils, steering committees and working groups: set up by a unit, with members.
BODY_KINDS = (AgencyKind.COUNCIL, AgencyKind.STEERING_COMMITTEE, AgencyKind.WORKING_GROUP)
# The People's Committees of the three tiers: the units whose area a group
# "of this issuer" means (a district's communes, a commune's offices).
COMMITTEE_KINDS = (
    AgencyKind.PROVINCIAL_COMMITTEE,
    AgencyKind.DISTRICT,
    AgencyKind.TOWN,
    AgencyKind.PROVINCIAL_CITY,
    AgencyKind.COMMUNE,
    AgencyKind.WARD,
    AgencyKind.SPECIAL_ZONE,
    AgencyKind.TOWNSHIP,
)
# Each kind's tier; a kind missing here takes its parent's (a Phòng under a
# district is district level, a council set up by a commune commune level).
KIND_LEVEL = {
    AgencyKind.PROVINCIAL_COMMITTEE: Level.PROVINCE,
    AgencyKind.COMMITTEE_OFFICE: Level.PROVINCE,
    AgencyKind.DEPARTMENT: Level.PROVINCE,
    AgencyKind.PARTY_COMMITTEE: Level.PROVINCE,
    AgencyKind.PEOPLES_COUNCIL: Level.PROVINCE,
    AgencyKind.FATHERLAND_FRONT: Level.PROVINCE,
    AgencyKind.POLICE: Level.PROVINCE,
    AgencyKind.POST: Level.PROVINCE,
    AgencyKind.DISTRICT: Level.DISTRICT,
    AgencyKind.TOWN: Level.DISTRICT,
    AgencyKind.PROVINCIAL_CITY: Level.DISTRICT,
    AgencyKind.DISTRICT_OFFICE: Level.DISTRICT,
    AgencyKind.DISTRICT_PARTY_COMMITTEE: Level.DISTRICT,
    AgencyKind.DISTRICT_COUNCIL: Level.DISTRICT,
    AgencyKind.DISTRICT_FRONT: Level.DISTRICT,
    AgencyKind.COMMUNE: Level.COMMUNE,
    AgencyKind.WARD: Level.COMMUNE,
    AgencyKind.SPECIAL_ZONE: Level.COMMUNE,
    AgencyKind.TOWNSHIP: Level.COMMUNE,
    AgencyKind.COMMUNE_PARTY_COMMITTEE: Level.COMMUNE,
    AgencyKind.COMMUNE_COUNCIL: Level.COMMUNE,
    AgencyKind.COMMUNE_FRONT: Level.COMMUNE,
    AgencyKind.COMMUNE_OFFICE: Level.COMMUNE,
    AgencyKind.VILLAGE: Level.COMMUNE,
}


def level_for(kind: str, parent_level: Callable[[], str] | None = None) -> str:
    """The tier a unit of this kind is stored with when none is given: the
    kind's own, else its parent's, else the province's. `parent_level` is
    called only for a kind of any tier, so a parent is read only when it
    matters; the import's preview passes the parent it will store."""
    if kind in KIND_LEVEL:
        return KIND_LEVEL[kind]
    return (parent_level() if parent_level else "") or Level.PROVINCE


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
    # The national electronic identifier of an agency (QCVN 102:2016/BTTTT),
    # by which e-offices exchange documents: what the API's records name it by.
    electronic_id = models.CharField(
        _("mã định danh điện tử"),
        max_length=40,
        blank=True,
        help_text=_("Mã định danh trao đổi văn bản điện tử, ví dụ: 000.00.22.H36."),
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)+$",
                _("Mã định danh điện tử gồm các nhóm chữ, số cách nhau bằng dấu chấm, ví dụ: 000.00.22.H36."),
            )
        ],
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    level = models.CharField(
        _("cấp"),
        max_length=10,
        choices=Level.choices,
        blank=True,
        help_text=_("Để trống thì lấy theo loại đơn vị, hoặc theo đơn vị cấp trên."),
    )
    locality = models.CharField(
        _("địa danh"),
        max_length=100,
        blank=True,
        help_text=_("Tên địa phương in trên văn bản (Lạng Sơn, Văn Lãng, Tân Phong). Để trống thì lấy theo tên."),
    )
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        through="Succession",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
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

    def save(self, *args, **kwargs):
        if not self.level:
            self.level = self.derived_level()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("Đơn vị không thể là cấp trên của chính nó.")
        elif self.parent_id and self.province_id and self.parent.province_id != self.province_id:
            errors["parent"] = _("Đơn vị cấp trên phải thuộc cùng tỉnh.")
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

    def derived_level(self) -> str:
        """The kind's tier, or the parent's for a kind of any tier."""

        def parent_level() -> str:
            if self.parent_id and self.parent_id != self.pk:
                return self.parent.level or self.parent.derived_level()
            return ""

        return level_for(self.kind, parent_level)

    def active_on(self, day) -> bool:
        started = self.active_from is None or self.active_from <= day
        return started and (self.active_to is None or self.active_to >= day)

    @property
    def is_body(self) -> bool:
        return self.kind in BODY_KINDS


class Succession(models.Model):
    """A unit's functions passed on: "UBND xã A + xã B → UBND xã C" on
    1/7/2025 is two rows (A → C, B → C); a split is two rows from one unit."""

    class Kind(models.TextChoices):
        MERGED = "merged", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        RENAMED = "renamed", _("Đổi tên")
        ABSORBED = "absorbed", _("Chuyển giao chức năng")

    predecessor = models.ForeignKey(
        Agency, verbose_name=_("đơn vị trước"), on_delete=models.CASCADE, related_name="succeeded_by"
    )
    successor = models.ForeignKey(
        Agency, verbose_name=_("đơn vị kế thừa"), on_delete=models.CASCADE, related_name="succeeds"
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=Kind.choices, default=Kind.MERGED)
    on_date = models.DateField(_("từ ngày"), null=True, blank=True)

    objects = province_scoped("predecessor__province")

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_once"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class BodyMember(models.Model):
    """A member of a council, steering committee or working group: a person,
    or an agency taking part through its head ("đại diện lãnh đạo Sở Tài chính")."""

    body = models.ForeignKey(
        Agency, verbose_name=_("hội đồng, ban, tổ"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        "Person", verbose_name=_("người"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan thành viên"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("vai trò"), max_length=120, blank=True, help_text=_("Ví dụ: Chủ tịch Hội đồng, Thành viên.")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = province_scoped("body__province")

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(agency__isnull=False),
                name="body_member_person_or_agency",
                violation_error_message=_("Mỗi thành viên là một người hoặc một cơ quan: hãy chọn một trong hai."),
            )
        ]

    def __str__(self):
        return str(self.person or self.agency)

    def clean(self):
        if self.body_id and self.body.kind not in BODY_KINDS:
            raise ValidationError({"body": _("Chỉ hội đồng, ban chỉ đạo, tổ giúp việc mới có thành viên.")})

    @property
    def member_agency(self):
        """The agency that takes part: the member agency, or the person's."""
        return self.agency if self.agency_id else self.person.agency


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

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`manage.py createsuperuser`: a superuser is the portal's
        administrator, the one role that belongs to no agency (the table
        refuses any other role without one)."""
        from .services import administrator_create

        if extra_fields.setdefault("role", Role.ADMINISTRATOR) != Role.ADMINISTRATOR:
            raise ValueError("A superuser has the administrator role.")
        extra_fields.pop("role")
        return administrator_create(username=username, email=email or "", password=password, **extra_fields)


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

    def has_perm(self, perm, obj=None):
        # The portal's named permissions are answered by their predicates for
        # everyone, a superuser too (Django would grant them all at once): a
        # superuser is an administrator there, and a page never offers what
        # its view refuses. Django's own model permissions are Django's.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

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
    # The file's cells, read once when it was uploaded (core.spreadsheets.encode_rows):
    # the preview and the import work from these and never open the file again.
    rows = models.JSONField(null=True, blank=True, editable=False)
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
