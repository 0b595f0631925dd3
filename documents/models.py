"""Official documents in the format of Nghị định 30/2020/NĐ-CP.

A document belongs to a province and an issuing agency; it may come from a
source (a conference, a plan, later an index result) through a generic link,
so this app never imports the apps that draft into it. Its body is a list
of sections written in a safe Markdown subset. Rendered files (PDF, DOCX,
personal copies) are rows keyed by a hash of their content: the same content
is rendered once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Person, Province
from core import jobs
from core.scoping import province_scoped
from core.workflow import status_flags


class DocType(models.TextChoices):
    """Symbols of Phụ lục III, Nghị định 30: the type's code goes before the issuer's abbreviation."""

    GM = "GM", _("Giấy mời")
    KH = "KH", _("Kế hoạch")
    QD = "QĐ", _("Quyết định")
    TB = "TB", _("Thông báo")
    BC = "BC", _("Báo cáo")
    CV = "CV", _("Công văn")


class Signing(models.TextChoices):
    """How the signer signs (Nghị định 30, Phụ lục I, mục 8)."""

    HEAD = "head", _("Người đứng đầu ký")
    DEPUTY = "deputy", _("Cấp phó ký thay (KT.)")
    ACTING = "acting", _("Quyền cấp trưởng (Q.)")
    BY_ORDER = "tl", _("Thừa lệnh (TL.)")
    AUTHORISED = "tuq", _("Thừa ủy quyền (TUQ.)")


class Origin(models.TextChoices):
    DRAFTED = "drafted", _("Soạn trên cổng")
    REGISTERED = "registered", _("Vào sổ (ký ngoài cổng)")


@status_flags()
class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")
        REVOKED = "revoked", _("Đã thu hồi")

    province = models.ForeignKey(Province, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="documents")
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    issuer = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="issued_documents"
    )
    parent_issuer_name = models.CharField(
        _("cơ quan chủ quản (như in)"),
        max_length=200,
        blank=True,
        help_text=_("Dòng trên tên cơ quan ban hành, nếu có. Ví dụ: UBND TỈNH LẠNG SƠN."),
    )
    issuer_name = models.CharField(
        _("tên cơ quan ban hành (như in)"),
        max_length=200,
        help_text=_("Mỗi dòng in một dòng. Ví dụ: ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN."),
    )
    issuer_abbr = models.CharField(_("chữ viết tắt cơ quan"), max_length=30, help_text=_("Ví dụ: UBND, SNV."))
    drafting_unit_abbr = models.CharField(
        _("chữ viết tắt đơn vị soạn thảo"),
        max_length=30,
        blank=True,
        help_text=_("Chỉ dùng cho công văn: 123/UBND-NC."),
    )
    place = models.CharField(_("địa danh"), max_length=80, help_text=_("Ví dụ: Lạng Sơn."))
    dated = models.DateField(
        _("ngày dự kiến ban hành (in tháng, năm)"),
        null=True,
        blank=True,
        help_text=_("Dự thảo in “ngày … tháng … năm …” theo tháng, năm của ngày này; ngày để trống."),
    )
    title = models.TextField(_("trích yếu"), blank=True)
    type_name = models.CharField(
        _("tên loại văn bản (như in)"), max_length=80, blank=True, help_text=_("Để trống thì in theo loại văn bản.")
    )
    addressees = models.TextField(_("kính gửi"), blank=True, help_text=_("Mỗi nơi một dòng."))
    authority_lines = models.TextField(
        _("quyền hạn ký"), blank=True, help_text=_("Mỗi dòng một cấp. Ví dụ: TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG.")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(
        _("nơi nhận"), blank=True, help_text=_("Mỗi nơi một dòng, không cần gạch đầu dòng. Dòng cuối: Lưu: VT, …")
    )
    # Who signs, from the directory: choosing them (and how they sign) fills
    # the authority, title and name lines, which stay editable as printed.
    signer = models.ForeignKey(
        Person, verbose_name=_("người ký"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signing = models.CharField(_("hình thức ký"), max_length=10, choices=Signing.choices, blank=True)
    collective = models.BooleanField(
        _("thay mặt tập thể (TM.)"),
        default=False,
        help_text=_("Văn bản ban hành nhân danh tập thể (UBND, Thường trực HĐND, Ban Chỉ đạo…)."),
    )
    # The outline the sections come from: a list of nodes (see outlines.py).
    # Re-drafting keeps it, so the office's own structure survives new data.
    outline = models.JSONField(_("dàn ý"), default=list, blank=True)
    origin = models.CharField(_("nguồn"), max_length=12, choices=Origin.choices, default=Origin.DRAFTED)
    register_note = models.TextField(_("lý do vào sổ"), blank=True)

    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    # Which drafter made it ("invitation", "plan", …): a source may own several documents.
    purpose = models.CharField(_("mục đích"), max_length=40, blank=True)

    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField(_("năm đăng ký số"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The exact PDF of an issued document and its checksum, recorded once.
    issued_file = models.ForeignKey(
        "RenderedFile",
        verbose_name=_("tệp đã ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_sha256 = models.CharField(_("mã kiểm tra (SHA-256)"), max_length=64, blank=True)
    # The name other systems register it by (documents.metadata.identifier),
    # fixed at issue: a later change of the issuer's codes does not rename it.
    identifier = models.CharField(_("mã định danh văn bản"), max_length=120, blank=True, editable=False)
    # What the printed copy carries so anyone can check it on the portal's
    # public page (/xac-minh/<code>/): given at issue, never reused.
    verification_code = models.CharField(
        _("mã xác minh"), max_length=16, unique=True, null=True, blank=True, editable=False
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("thay thế văn bản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("province")

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A number is never given twice by one issuer in one year.
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                name="document_number_once",
                condition=models.Q(number__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(number__isnull=False), name="document_issued_has_number"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["province", "status"])]

    def __str__(self):
        return f"{self.symbol_display} — {self.title[:60]}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_registered(self) -> bool:
        """Signed outside the portal and entered in the register: it has no
        sections, so nothing of it is ever rendered from text."""
        return self.origin == Origin.REGISTERED

    @property
    def symbol(self) -> str:
        """'GM-UBND'; a công văn carries the issuer then the drafting unit: 'UBND-NC'."""
        if self.doc_type == DocType.CV:
            return "-".join(p for p in (self.issuer_abbr, self.drafting_unit_abbr) if p)
        return f"{self.doc_type}-{self.issuer_abbr}"

    @property
    def number_text(self) -> str:
        # Nghị định 30: numbers below 10 take a leading zero.
        return f"{self.number:02d}" if self.number else ""

    @property
    def symbol_display(self) -> str:
        return f"{self.number_text}/{self.symbol}" if self.number else f"…/{self.symbol}"

    @property
    def type_label(self) -> str:
        return self.type_name or str(DocType(self.doc_type).label)


class NumberCounter(models.Model):
    """The register of one issuer for one year. Issuing locks its row, so
    concurrent issues get consecutive numbers and none is given twice."""

    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(_("số đã cấp gần nhất"), default=0)

    objects = province_scoped("issuer__province")

    class Meta:
        verbose_name = _("sổ đăng ký số văn bản")
        verbose_name_plural = _("sổ đăng ký số văn bản")
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="number_counter_once")]

    def __str__(self):
        return f"{self.issuer_id}/{self.year}: {self.last}"


def same_text(text: str) -> str:
    """Text as compared for hand edits: Unix line endings, no trailing spaces."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


class Section(models.Model):
    class Part(models.TextChoices):
        BODY = "body", _("Nội dung")
        APPENDIX = "appendix", _("Phụ lục")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    part = models.CharField(_("phần"), max_length=20, choices=Part.choices, default=Part.BODY)
    label = models.CharField(_("tên mục"), max_length=120, blank=True, help_text=_("Chỉ để nhận ra mục khi soạn."))
    heading = models.CharField(_("tiêu đề phụ lục"), max_length=300, blank=True)
    landscape = models.BooleanField(_("trang ngang"), default=False)
    text = models.TextField(_("nội dung"), blank=True)
    # The outline node this section prints and the text last drafted for it:
    # a section whose text differs was edited by hand, and re-drafting keeps it.
    node = models.CharField(max_length=40, blank=True, editable=False)
    generated = models.TextField(blank=True, editable=False)
    # A chart (SVG) the drafter drew from data, printed after the text. Never
    # editable in the form, so no user markup reaches the page.
    figure = models.TextField(_("biểu đồ"), blank=True, editable=False)

    objects = province_scoped("document__province")

    class Meta:
        verbose_name = _("mục văn bản")
        verbose_name_plural = _("mục văn bản")
        ordering = ["document", "order", "pk"]

    def __str__(self):
        return self.label or self.heading or f"#{self.order}"

    @property
    def edited_by_hand(self) -> bool:
        """Its text differs from what the portal drafted, beyond the line
        endings and trailing spaces a browser's text box changes."""
        return same_text(self.text) != same_text(self.generated)


class RenderStatus(models.TextChoices):
    """Where a rendering stands: a single file or a batch of personal copies."""

    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Lỗi")


@status_flags()
class RenderBatch(models.Model):
    """Personal copies of one document, one per addressee, with the merged
    PDF and the zip built when every copy is rendered."""

    Status = RenderStatus

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="batches")
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    merged_file = models.FileField(_("tệp PDF gộp"), upload_to="documents/batches/%Y/%m/", blank=True)
    zip_file = models.FileField(_("tệp nén (zip)"), upload_to="documents/batches/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Background state (core.jobs): when it was queued, last handed to a
    # worker, started; the sweep hands over again what the broker lost.
    queued_at = models.DateTimeField(_("vào hàng chờ lúc"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("chuyển cho máy chủ xử lý lúc"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = province_scoped("document__province")

    class Meta:
        verbose_name = _("lượt tạo bản cá nhân")
        verbose_name_plural = _("lượt tạo bản cá nhân")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["document", "content_hash"], name="render_batch_once")]

    def __str__(self):
        return f"{self.document_id} ({self.total})"

    @property
    def is_waiting(self) -> bool:
        """Queued, or running with no copy started, for a while: the page says
        it waits for the server (`last_started` is annotated by the selectors)."""
        if self.status == RenderStatus.QUEUED:
            return jobs.is_waiting(self)
        last = max(filter(None, [self.started_at, getattr(self, "last_started", None)]), default=None)
        return self.status == RenderStatus.RUNNING and last is not None and timezone.now() - last > jobs.WAITING_AFTER


@status_flags()
class RenderedFile(models.Model):
    """One rendered output. Its content hash is the cache key: asking again
    for the same content returns this row instead of rendering again."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    Status = RenderStatus

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    batch = models.ForeignKey(RenderBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Personal copies: who it is addressed to, and a stable key (agency:12, person:5).
    addressee = models.CharField(_("kính gửi"), max_length=400, blank=True)
    addressee_key = models.CharField(_("mã nơi nhận"), max_length=40, blank=True)
    addressee_email = models.EmailField(_("thư điện tử nơi nhận"), blank=True)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Background state (core.jobs), as on RenderBatch; `attempts` counts the
    # workers that took it, so one that kills its worker stops being retried.
    queued_at = models.DateTimeField(_("vào hàng chờ lúc"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("chuyển cho máy chủ xử lý lúc"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần xử lý"), default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = province_scoped("document__province")

    class Meta:
        verbose_name = _("tệp văn bản đã tạo")
        verbose_name_plural = _("tệp văn bản đã tạo")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["document", "kind", "content_hash"], name="rendered_file_once")]
        indexes = [
            models.Index(fields=["batch", "status"]),
            # The job sweep's query: what is queued or running, by age.
            models.Index(
                fields=["queued_at"], condition=models.Q(status__in=["queued", "running"]), name="rendered_file_pending"
            ),
        ]

    def __str__(self):
        return f"{self.document_id} {self.kind} {self.content_hash[:8]}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_waiting(self) -> bool:
        """Queued for a while: the page says it waits for the server."""
        return jobs.is_waiting(self)

    @property
    def is_stuck(self) -> bool:
        """Queued or running far longer than a file takes: "Thử lại" is offered."""
        return jobs.is_stuck(self)


class OutlineTemplate(models.Model):
    """An office's outline for a kind of document, offered for its next one:
    saved from a document by an organiser, or shared for a level."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    issuer = models.ForeignKey(
        Agency, verbose_name=_("cơ quan ban hành"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(_("loại dự thảo"), max_length=40)
    name = models.CharField(_("tên mẫu"), max_length=200)
    nodes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = province_scoped("province")

    class Meta:
        verbose_name = _("mẫu dàn ý")
        verbose_name_plural = _("mẫu dàn ý")
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["issuer", "purpose", "name"], name="outline_template_once")]

    def __str__(self):
        return self.name


# --------------------------------------------------------------------------
# Digital signatures (Nghị định 30/2020): trust, certificates, keys, and a
# document's way from prepared to sealed. The cryptography is in signing.py;
# the flow in services/signatures.py.
# --------------------------------------------------------------------------


class TrustAnchor(models.Model):
    """A certification authority the portal trusts: the national root (Root
    CA of the Ministry of Science and Technology, or the Government's CA for
    official signatures) or an intermediate of a licensed provider. Loaded by
    administrators; a signature is accepted only when its chain ends here."""

    class Kind(models.TextChoices):
        ROOT = "root", _("Chứng thư gốc (tin cậy)")
        INTERMEDIATE = "intermediate", _("Chứng thư trung gian")

    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.ROOT)
    certificate = models.BinaryField(_("chứng thư (DER)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=400)
    not_after = models.DateTimeField(_("hết hạn"))
    # The CA's revocation list kept offline, for intranets that cannot reach
    # the CA's servers; replaced when an administrator loads a newer one.
    crl = models.BinaryField(_("danh sách thu hồi (CRL)"), null=True, blank=True)
    crl_loaded_at = models.DateTimeField(_("nạp CRL lúc"), null=True, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("nạp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư tin cậy")
        verbose_name_plural = _("chứng thư tin cậy")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class SignerCertificate(models.Model):
    """A signing certificate and whom it belongs to: a person in the directory
    (their own signature) or a body (its seal key). A signature is accepted
    for a document only from the certificate mapped to its signer."""

    certificate = models.BinaryField(_("chứng thư (DER)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject_cn = models.CharField(_("tên trên chứng thư"), max_length=300)
    issuer_cn = models.CharField(_("tổ chức cấp"), max_length=300, blank=True)
    serial = models.CharField(_("số hiệu"), max_length=80)
    not_before = models.DateTimeField(_("có hiệu lực từ"))
    not_after = models.DateTimeField(_("hết hạn"))
    person = models.ForeignKey(
        Person,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan (chữ ký số của cơ quan)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("nạp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số của người ký")
        verbose_name_plural = _("chứng thư số của người ký")
        ordering = ["subject_cn"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, agency__isnull=True)
                | models.Q(person__isnull=True, agency__isnull=False),
                name="signer_certificate_person_or_agency",
            )
        ]

    def __str__(self):
        return f"{self.subject_cn} ({self.serial})"

    @property
    def owner(self):
        return self.person or self.agency


class BodyKey(models.Model):
    """The issuing body's signing key, applied by the văn thư when numbering
    and dating: on a PKCS#11 device (HSM or token; its PIN kept encrypted), or
    for small offices a PKCS#12 file (kept encrypted, see documents.secrets).
    Every use leaves an audit row."""

    class Kind(models.TextChoices):
        PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (HSM, token)")
        PKCS12 = "pkcs12", _("Tệp PKCS#12 (.p12, .pfx)")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="signing_keys")
    kind = models.CharField(_("loại khóa"), max_length=10, choices=Kind.choices)
    certificate = models.ForeignKey(
        SignerCertificate, verbose_name=_("chứng thư số"), on_delete=models.PROTECT, related_name="+"
    )
    # Encrypted at rest (Fernet); never shown, never logged.
    pkcs12 = models.BinaryField(null=True, blank=True, editable=False)
    secret = models.BinaryField(null=True, blank=True, editable=False)  # passphrase or PIN
    module_path = models.CharField(_("thư viện PKCS#11"), max_length=300, blank=True)
    token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    seal_image = models.FileField(_("ảnh con dấu (PNG nền trong suốt)"), upload_to="signing/seals/")
    seal_diameter_mm = models.DecimalField(
        _("đường kính con dấu (mm)"),
        max_digits=4,
        decimal_places=1,
        default=36,
        help_text=_("Kích thước thật của con dấu: thường 36 mm (sở, huyện), 40–42 mm (UBND tỉnh), 35 mm (xã)."),
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    objects = province_scoped("agency__province")

    class Meta:
        verbose_name = _("chữ ký số của cơ quan")
        verbose_name_plural = _("chữ ký số của cơ quan")
        ordering = ["agency__name", "-created_at"]

    def __str__(self):
        return f"{self.agency} – {self.get_kind_display()}"


@status_flags()
class DocumentSigning(models.Model):
    """One document's way through its signatures, in the order offices
    follow: the portal prepares the PDF (number and date left as empty form
    fields, an empty signature field between the title line and the name);
    the signer signs it in their own software or token and it comes back;
    the văn thư numbers, dates and applies the body's signature, which
    issues the document. A cancelled way is kept, never reused."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Chờ người ký ký số")
        SIGNED = "signed", _("Đã ký, chờ văn thư cấp số và ký số cơ quan")
        SEALED = "sealed", _("Đã ban hành có chữ ký số")
        CANCELLED = "cancelled", _("Đã hủy")

    document = models.ForeignKey(Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="signings")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PREPARED)
    signer = models.ForeignKey(Person, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+")
    # Where the fields are on the prepared PDF (signing_layout.Layout as JSON).
    layout = models.JSONField(_("vị trí các ô"), default=dict)
    prepared_file = models.FileField(_("tệp cần ký"), upload_to="signing/%Y/%m/")
    prepared_sha256 = models.CharField(_("SHA-256 tệp cần ký"), max_length=64)
    prepared_at = models.DateTimeField(_("chuẩn bị lúc"), auto_now_add=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chuẩn bị"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_file = models.FileField(_("tệp đã ký"), upload_to="signing/%Y/%m/", blank=True)
    signed_sha256 = models.CharField(_("SHA-256 tệp đã ký"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    signer_certificate = models.ForeignKey(
        SignerCertificate,
        verbose_name=_("chứng thư số của người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body_key = models.ForeignKey(
        BodyKey, verbose_name=_("khóa của cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sealed_at = models.DateTimeField(_("ký số cơ quan lúc"), null=True, blank=True)
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("văn thư ký số"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)

    objects = province_scoped("document__province")

    class Meta:
        verbose_name = _("ký số văn bản")
        verbose_name_plural = _("ký số văn bản")
        ordering = ["-prepared_at", "-pk"]
        constraints = [
            # One way at a time: a second "prepare" (a double click) cannot
            # leave two PDFs waiting for the signer.
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status__in=["prepared", "signed"]),
                name="document_signing_one_open",
            )
        ]

    def __str__(self):
        return f"{self.document} – {self.get_status_display()}"
