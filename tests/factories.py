"""factory_boy factories, one for every model of the portal's apps.

Each builds a valid row whose related rows all belong to one province: a
row that hangs under another (an invitation under its conference) finds its
agencies and users in that row's province, so a test never arranges across
provinces by accident. Values are what the portal holds in use: Vietnamese
agency names, document numbers, decisions."""

import datetime as dt
import functools
import hashlib
import io
import uuid
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from agencies.models import Agency, AgencyKind, BodyMember, DirectoryImport, Person, Province, Role, Succession, User

PASSWORD = "mat-khau-thu-2026"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tinh-{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    short_name = "STN"
    kind = AgencyKind.DEPARTMENT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    position = "Chuyên viên"


class SuccessionFactory(factory.django.DjangoModelFactory):
    """Two communes merged on 1/7/2025: the old one's functions pass on."""

    class Meta:
        model = Succession

    predecessor = factory.SubFactory(
        AgencyFactory, kind=AgencyKind.COMMUNE, name=factory.Sequence(lambda n: f"UBND xã Cũ {n}")
    )
    successor = factory.LazyAttribute(
        lambda s: AgencyFactory(province=s.predecessor.province, kind=AgencyKind.COMMUNE, name="UBND xã Hợp Nhất")
    )
    on_date = factory.LazyFunction(lambda: __import__("datetime").date(2025, 7, 1))


class BodyMemberFactory(factory.django.DjangoModelFactory):
    """A member of the province's appraisal council."""

    class Meta:
        model = BodyMember

    body = factory.SubFactory(
        AgencyFactory, kind=AgencyKind.COUNCIL, name="Hội đồng thẩm định Chỉ số CCHC tỉnh", short_name="HĐTĐ"
    )
    person = factory.LazyAttribute(
        lambda m: PersonFactory(agency=AgencyFactory(province=m.body.province, name="Sở Nội vụ"), position="Giám đốc")
    )
    role = "Chủ tịch Hội đồng"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    role = Role.OFFICIAL
    agency = factory.SubFactory(AgencyFactory)
    email = factory.LazyAttribute(lambda u: f"{u.username}@cchc.example")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


# --- Helpers: agencies and staff in the province of the row being built -----------

# Departments and communes as provinces name them; factories cycle through them.
DEPARTMENTS = [
    ("Sở Tư pháp", "STP"),
    ("Sở Tài chính", "STC"),
    ("Sở Xây dựng", "SXD"),
    ("Sở Y tế", "SYT"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("Sở Khoa học và Công nghệ", "SKHCN"),
    ("Sở Công Thương", "SCT"),
]
COMMUNES = ["Tân Phong", "Hòa Bình", "Quang Trung", "Đồng Tâm", "Thống Nhất", "Tân Lập", "Hợp Thành", "Yên Bình"]
PEOPLE = [
    "Nguyễn Thị Lan",
    "Trần Văn Hùng",
    "Lê Thị Thu Hà",
    "Phạm Minh Đức",
    "Hoàng Thị Mai",
    "Vũ Quốc Khánh",
    "Đặng Thị Hồng",
    "Bùi Văn Nam",
]


def place(province) -> str:
    """The province's name as agencies print it after "tỉnh": "Thử 3", "Lạng Sơn"."""
    return province.name.removeprefix("Tỉnh ")


def person_name():
    return factory.Sequence(lambda n: PEOPLE[n % len(PEOPLE)])


def department(province_path: str | None = "..province", **kwargs):
    """A department (Sở Tư pháp tỉnh …) in the province found at `province_path`
    from the agency being built ('..' is the row that owns it); a new province
    when the path is None."""
    if province_path:
        kwargs.setdefault("province", factory.SelfAttribute(province_path))
    return factory.SubFactory(
        AgencyFactory,
        name=factory.LazyAttributeSequence(
            lambda a, n: f"{DEPARTMENTS[n % len(DEPARTMENTS)][0]} tỉnh {place(a.province)}"
        ),
        short_name=factory.Sequence(lambda n: DEPARTMENTS[n % len(DEPARTMENTS)][1]),
        kind=AgencyKind.DEPARTMENT,
        **kwargs,
    )


def commune(province_path: str = "..province", **kwargs):
    """A commune's People's Committee (UBND xã Tân Phong) in the province at `province_path`."""
    return factory.SubFactory(
        AgencyFactory,
        province=factory.SelfAttribute(province_path),
        name=factory.Sequence(lambda n: f"UBND xã {COMMUNES[n % len(COMMUNES)]}"),
        short_name="UBND",
        kind=AgencyKind.COMMUNE,
        **kwargs,
    )


def committee(province_path: str = "..province"):
    """The province's People's Committee, which issues most documents."""
    return factory.SubFactory(
        AgencyFactory,
        province=factory.SelfAttribute(province_path),
        name=factory.LazyAttribute(lambda a: f"UBND tỉnh {place(a.province)}"),
        short_name="UBND",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
    )


def home_affairs(province_path: str = "..province"):
    """The province's Sở Nội vụ, the organisers' department."""
    return factory.SubFactory(
        AgencyFactory,
        province=factory.SelfAttribute(province_path),
        name=factory.LazyAttribute(lambda a: f"Sở Nội vụ tỉnh {place(a.province)}"),
        short_name="SNV",
        kind=AgencyKind.DEPARTMENT,
    )


def organiser_in(province_path: str):
    """An organiser of the Sở Nội vụ of the province at `province_path`, seen
    from that Sở ('...' is the row the user is for)."""
    return factory.SubFactory(
        UserFactory, role=Role.ORGANISER, full_name=person_name(), agency=home_affairs(province_path)
    )


def official_of(agency_path: str):
    """An official of the agency at `agency_path`, seen from the user ('..' is the row)."""
    return factory.SubFactory(
        UserFactory, role=Role.OFFICIAL, full_name=person_name(), agency=factory.SelfAttribute(agency_path)
    )


# --- Directory imports -------------------------------------------------------------


def directory_csv(province, rows: int) -> bytes:
    """A directory file of `rows` new departments, as an organiser uploads it."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Thư điện tử"])
    for i in range(rows):
        name, short = DEPARTMENTS[i % len(DEPARTMENTS)]
        writer.writerow(
            [
                f"MOI{i + 1:02d}",
                f"{name} tỉnh {place(province)}",
                short,
                "Sở, ban, ngành",
                f"{short.lower()}@cchc.example",
            ]
        )
    return out.getvalue().encode("utf-8")


class DirectoryImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectoryImport

    class Params:
        rows = 2  # how many agencies the uploaded file lists

    province = factory.SubFactory(ProvinceFactory)
    kind = DirectoryImport.Kind.AGENCIES
    original_name = "danh-ba-don-vi.csv"
    file = factory.LazyAttribute(lambda d: ContentFile(directory_csv(d.province, d.rows), name=d.original_name))
    created_by = organiser_in("...province")


# --- Conferences -----------------------------------------------------------------


def future(days=30):
    import datetime as dt

    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=days)


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.Conference"

    province = factory.SubFactory(ProvinceFactory)
    title = factory.Sequence(lambda n: f"Hội nghị phân tích chỉ số CCHC số {n}")
    issuing_authority = factory.LazyAttribute(
        lambda c: AgencyFactory(province=c.province, kind=AgencyKind.PROVINCIAL_COMMITTEE, name="UBND tỉnh")
    )
    focal_agency = factory.LazyAttribute(lambda c: AgencyFactory(province=c.province, name="Sở Nội vụ"))
    date = factory.LazyFunction(future)
    start_time = factory.LazyFunction(lambda: __import__("datetime").time(14, 0))
    venue = "Hội trường UBND tỉnh"
    index_years = [2025]


class InviteeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.InviteeLine"

    conference = factory.SubFactory(ConferenceFactory)
    text = "Chủ tịch UBND các xã, phường"
    target = "group"
    group_kinds = ["xa", "phuong"]


def _owner_province(row):
    """The province of a conference's or a plan's row: its owner's."""
    owner = row.conference or row.plan
    return owner.province


class ImprovementPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.ImprovementPlan"

    province = factory.SubFactory(ProvinceFactory)
    title = factory.LazyAttribute(
        lambda p: f"Kế hoạch cải thiện, nâng cao Chỉ số CCHC và Chỉ số SIPAS năm {p.year} của tỉnh {place(p.province)}"
    )
    issuing_authority = committee()
    focal_agency = home_affairs()
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    index_years = factory.LazyAttribute(lambda p: [p.year - 1])
    goals = "Chỉ số CCHC của tỉnh tăng ít nhất 05 bậc so với năm trước."
    measures = "Rà soát, khắc phục các tiêu chí bị mất điểm.\nTăng cường kiểm tra công tác cải cách hành chính."
    report_deadline = factory.LazyFunction(lambda: future(60))


class _OwnedRowFactory(factory.django.DjangoModelFactory):
    """A row of a conference or, with `for_plan=True`, of an improvement plan;
    its province column is its owner's (the model copies it on save too)."""

    class Meta:
        abstract = True

    class Params:
        for_plan = factory.Trait(conference=None, plan=factory.SubFactory(ImprovementPlanFactory))

    conference = factory.SubFactory(ConferenceFactory)
    plan = None
    province = factory.LazyAttribute(_owner_province)
    order = factory.Sequence(lambda n: n + 1)


class BasisDocumentFactory(_OwnedRowFactory):
    class Meta:
        model = "conferences.BasisDocument"

    lead = "thuc_hien"
    doc_type = "Kế hoạch"
    number = factory.Sequence(lambda n: f"{n + 10}/KH-UBND")
    issued_on = dt.date(2026, 1, 30)
    issuer = "UBND tỉnh"
    title = "về cải cách hành chính nhà nước năm 2026"


class ContentItemFactory(_OwnedRowFactory):
    class Meta:
        model = "conferences.ContentItem"

    text = "Báo cáo phân tích kết quả Chỉ số CCHC (PAR INDEX) và Chỉ số SIPAS năm 2025 của tỉnh."


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.ProgrammeItem"

    conference = factory.SubFactory(ConferenceFactory)
    order = factory.Sequence(lambda n: n + 1)
    starts_at = dt.time(14, 30)
    title = "Tham luận về giải pháp nâng cao Chỉ số cải cách hành chính"
    speaker = "Lãnh đạo đơn vị"
    agency = department("..conference.province")


class InvitationFactory(factory.django.DjangoModelFactory):
    """A commune invited to a conference whose invitations went out, through
    a line of the conference's invitee list naming it."""

    class Meta:
        model = "conferences.Invitation"

    conference = factory.SubFactory(
        ConferenceFactory,
        status="invited",
        invited_at=factory.LazyFunction(timezone.now),
        reply_deadline=factory.LazyFunction(lambda: future(20)),
    )
    agency = commune("..conference.province")
    line = factory.SubFactory(
        InviteeLineFactory,
        conference=factory.SelfAttribute("..conference"),
        text=factory.LazyAttribute(lambda line: f"Chủ tịch {line.agency.name}"),
        target="agency",
        group_kinds=[],
        agency=factory.SelfAttribute("..agency"),
        quota=2,
    )
    role = "delegate"
    quota = 2


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.Delegate"

    invitation = factory.SubFactory(InvitationFactory, reply="attending", replied_at=factory.LazyFunction(timezone.now))
    order = factory.Sequence(lambda n: n + 1)
    full_name = person_name()
    position = "Phó Chủ tịch UBND xã"
    phone = "0912 345 678"


class InviteeChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.InviteeChange"

    conference = factory.SubFactory(ConferenceFactory, status="invited", invited_at=factory.LazyFunction(timezone.now))
    reason = "Bổ sung UBND xã Tân Phong, đơn vị được Chủ tịch UBND tỉnh tặng Bằng khen."
    summary = "Thêm: UBND xã Tân Phong"
    actor = organiser_in("...conference.province")


class DutyFactory(_OwnedRowFactory):
    class Meta:
        model = "conferences.Duty"
        skip_postgeneration_save = True

    section = "Trách nhiệm của các sở, ban, ngành"
    lead_agency = department()
    task = "Xây dựng báo cáo phân tích nguyên nhân các tiêu chí bị mất điểm, đề xuất giải pháp khắc phục"
    due_date = factory.LazyFunction(lambda: future(10))
    deliverable = "Báo cáo gửi Sở Nội vụ"

    @factory.post_generation
    def coordinating(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinating.set(extracted)


class DutyAssignmentFactory(factory.django.DjangoModelFactory):
    """The lead agency's share of a duty of a planned conference."""

    class Meta:
        model = "conferences.DutyAssignment"

    duty = factory.SubFactory(DutyFactory, conference__status="planned")
    agency = factory.SelfAttribute("duty.lead_agency")
    status = "open"


class DutyUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.DutyUpdate"

    assignment = factory.SubFactory(DutyAssignmentFactory, status="in_progress")
    status = "in_progress"
    note = "Đã hoàn thành dự thảo báo cáo, đang lấy ý kiến các phòng chuyên môn."
    author = official_of("..assignment.agency")


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "conferences.Award"

    conference = factory.SubFactory(ConferenceFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = "collective"
    agency = commune("..conference.province")
    decision_ref = "Quyết định số 512/QĐ-UBND ngày 20/3/2026"
    citation = "Có thành tích xuất sắc trong công tác cải cách hành chính năm 2025"


# --- Presentations ------------------------------------------------------------------


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Assignment"

    conference = factory.SubFactory(ConferenceFactory)
    order = factory.Sequence(lambda n: n + 1)
    topic = factory.Sequence(lambda n: f"Giải pháp nâng cao Chỉ số CCHC, chủ đề {n}")
    agency = factory.LazyAttribute(lambda a: AgencyFactory(province=a.conference.province))
    due_date = factory.LazyFunction(lambda: future(10))


@functools.cache
def pdf_bytes() -> bytes:
    """A one-page blank PDF: what a presentation's version holds."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class PresentationFactory(factory.django.DjangoModelFactory):
    """The thread of the agency an assignment names."""

    class Meta:
        model = "submissions.Presentation"

    assignment = factory.SubFactory(AssignmentFactory)
    agency = factory.SelfAttribute("assignment.agency")
    status = "awaiting"


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Version"

    presentation = factory.SubFactory(
        PresentationFactory, status="submitted", first_submitted_at=factory.LazyFunction(timezone.now)
    )
    # The next number of the thread: 1 for a new one.
    number = factory.LazyAttribute(lambda v: v.presentation.versions.count() + 1 if v.presentation.pk else 1)
    token = factory.LazyFunction(lambda: uuid.uuid4().hex)
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="tham-luan.pdf"))
    original_name = factory.LazyAttribute(lambda v: f"Tham luận {v.presentation.agency.name}.pdf")
    file_type = "pdf"
    size = factory.LazyFunction(lambda: len(pdf_bytes()))
    sha256 = factory.LazyFunction(lambda: hashlib.sha256(pdf_bytes()).hexdigest())
    pages = 1
    uploaded_by = official_of("..presentation.agency")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Review"

    version = factory.SubFactory(VersionFactory)
    presentation = factory.SelfAttribute("version.presentation")
    decision = "revise"
    comment = "Đề nghị bổ sung số liệu năm 2025 và nêu rõ giải pháp cho từng tiêu chí bị mất điểm."
    actor = organiser_in("...presentation.agency.province")


class BookletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Booklet"

    conference = factory.SubFactory(ConferenceFactory)
    content_hash = factory.Sequence(lambda n: hashlib.sha256(f"tai-lieu-{n}".encode()).hexdigest())
    status = "queued"
    requested_by = organiser_in("...conference.province")


# --- Documents ----------------------------------------------------------------------


class DocumentFactory(factory.django.DjangoModelFactory):
    """A draft invitation (giấy mời) of the province's People's Committee;
    `source=` a conference or plan it was drafted from, `issued=True` issued."""

    class Meta:
        model = "documents.Document"

    class Params:
        source = None
        issued = factory.Trait(
            status="issued",
            year=factory.LazyFunction(lambda: timezone.localdate().year),
            number=factory.Sequence(lambda n: n + 1),
            issued_on=factory.LazyFunction(timezone.localdate),
            issued_at=factory.LazyFunction(timezone.now),
        )

    province = factory.Maybe("source", factory.SelfAttribute("source.province"), factory.SubFactory(ProvinceFactory))
    doc_type = "GM"
    issuer = committee()
    issuer_name = factory.LazyAttribute(lambda d: f"ỦY BAN NHÂN DÂN\nTỈNH {place(d.province).upper()}")
    issuer_abbr = "UBND"
    place = factory.LazyAttribute(lambda d: place(d.province))
    dated = factory.LazyFunction(timezone.localdate)
    title = "Mời dự Hội nghị phân tích kết quả Chỉ số CCHC năm 2025"
    addressees = "Các sở, ban, ngành tỉnh;\nUBND các xã, phường."
    authority_lines = "TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG"
    signer_title = "PHÓ CHÁNH VĂN PHÒNG"
    signer_name = "Nguyễn Văn Bình"
    recipients = "Như trên;\nLưu: VT, NC."
    content_type = factory.LazyAttribute(lambda d: ContentType.objects.get_for_model(d.source) if d.source else None)
    object_id = factory.LazyAttribute(lambda d: d.source.pk if d.source else None)
    purpose = factory.LazyAttribute(lambda d: "invitation" if d.source else "")


class NumberCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "documents.NumberCounter"

    issuer = factory.SubFactory(
        AgencyFactory,
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        short_name="UBND",
        name=factory.LazyAttribute(lambda a: f"UBND tỉnh {place(a.province)}"),
    )
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    last = 12


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "documents.Section"

    document = factory.SubFactory(DocumentFactory)
    order = factory.Sequence(lambda n: n + 1)
    part = "body"
    label = "Thời gian, địa điểm"
    text = "Thời gian: 14 giờ 00, ngày 20/3/2026.\n\nĐịa điểm: Hội trường UBND tỉnh."


class OutlineTemplateFactory(factory.django.DjangoModelFactory):
    """A People's Committee's own outline for its conference plans."""

    class Meta:
        model = "documents.OutlineTemplate"

    province = factory.SubFactory(ProvinceFactory)
    issuer = committee()
    purpose = "plan"
    name = factory.Sequence(lambda n: f"Kế hoạch hội nghị (mẫu {n})")
    nodes = factory.LazyFunction(
        lambda: [
            {"title": "MỤC ĐÍCH, YÊU CẦU", "style": "I", "depth": 0, "piece": ""},
            {"title": "Mục đích", "style": "1", "depth": 1, "piece": "purposes"},
        ]
    )


class RenderBatchFactory(factory.django.DjangoModelFactory):
    """Personal copies of an issued invitation."""

    class Meta:
        model = "documents.RenderBatch"

    document = factory.SubFactory(DocumentFactory, issued=True)
    content_hash = factory.Sequence(lambda n: hashlib.sha256(f"lo-giay-moi-{n}".encode()).hexdigest())
    status = "queued"
    total = 3
    created_by = organiser_in("...document.province")


class RenderedFileFactory(factory.django.DjangoModelFactory):
    """A PDF waiting to be rendered; in a batch, a personal copy of the batch's document."""

    class Meta:
        model = "documents.RenderedFile"

    batch = None
    document = factory.Maybe("batch", factory.SelfAttribute("batch.document"), factory.SubFactory(DocumentFactory))
    kind = "pdf"
    addressee = factory.Maybe("batch", "UBND xã Tân Phong", "")
    content_hash = factory.Sequence(lambda n: hashlib.sha256(f"tep-{n}".encode()).hexdigest())
    status = "queued"


# --- Signatures -----------------------------------------------------------------------


def _party(kind: str):
    from .pki import authority

    pki = authority()
    return {"root": pki.root, "intermediate": pki.intermediate, "signer": pki.signer, "body": pki.body}[kind]


def _cert_fields(kind: str) -> dict:
    from documents.signing import certificate_info

    party = _party(kind)
    info = certificate_info(party.cert_der)
    return {"certificate": party.cert_der, "fingerprint": info["sha256"], "info": info}


class TrustAnchorFactory(factory.django.DjangoModelFactory):
    """The test authority's root, as an administrator loads a province's CA."""

    class Meta:
        model = "documents.TrustAnchor"
        django_get_or_create = ["fingerprint"]

    class Params:
        party = "root"

    name = "CCHC Test Root CA"
    kind = factory.LazyAttribute(lambda a: "root" if a.party == "root" else "intermediate")
    certificate = factory.LazyAttribute(lambda a: _cert_fields(a.party)["certificate"])
    fingerprint = factory.LazyAttribute(lambda a: _cert_fields(a.party)["fingerprint"])
    subject = factory.LazyAttribute(lambda a: _party(a.party).cert.subject.rfc4514_string())
    not_after = factory.LazyAttribute(lambda a: _cert_fields(a.party)["info"]["not_after"])


class SignerCertificateFactory(factory.django.DjangoModelFactory):
    """A signer's certificate mapped to a person of the directory."""

    class Meta:
        model = "documents.SignerCertificate"

    class Params:
        party = "signer"

    certificate = factory.LazyAttribute(lambda a: _cert_fields(a.party)["certificate"])
    # Unique per row: the same test certificate stands for several people.
    fingerprint = factory.Sequence(lambda n: hashlib.sha256(f"chung-thu-{n}".encode()).hexdigest().upper())
    subject_cn = factory.LazyAttribute(lambda a: _cert_fields(a.party)["info"]["subject_cn"])
    issuer_cn = "CCHC Test Issuing CA"
    serial = factory.LazyAttribute(lambda a: _cert_fields(a.party)["info"]["serial"])
    not_before = factory.LazyAttribute(lambda a: _cert_fields(a.party)["info"]["not_before"])
    not_after = factory.LazyAttribute(lambda a: _cert_fields(a.party)["info"]["not_after"])
    person = factory.SubFactory(PersonFactory, full_name="Nguyễn Văn An", position="Phó Chủ tịch")
    agency = None


def _seal_png() -> bytes:
    from demo.signing import seal_image

    return seal_image()


class BodyKeyFactory(factory.django.DjangoModelFactory):
    """A body's PKCS#12 key as the portal keeps it (encrypted)."""

    class Meta:
        model = "documents.BodyKey"

    agency = factory.SubFactory(
        AgencyFactory,
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        short_name="UBND",
        name=factory.LazyAttribute(lambda a: f"UBND tỉnh {place(a.province)}"),
    )
    kind = "pkcs12"
    certificate = factory.SubFactory(
        SignerCertificateFactory, party="body", person=None, agency=factory.SelfAttribute("..agency")
    )
    pkcs12 = factory.LazyFunction(lambda: __import__("documents.secrets", fromlist=["seal"]).seal(b"p12"))
    seal_image = factory.LazyFunction(lambda: ContentFile(_seal_png(), name="dau.png"))


class DocumentSigningFactory(factory.django.DjangoModelFactory):
    """A draft prepared for signing, waiting for its signer."""

    class Meta:
        model = "documents.DocumentSigning"

    document = factory.SubFactory(DocumentFactory)
    signer = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..document.issuer"))
    layout = factory.LazyFunction(lambda: {"signature": {"page": 0, "box": [330, 420, 472, 494]}, "slots": []})
    prepared_file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.7\n%%EOF\n", name="can-ky.pdf"))
    prepared_sha256 = factory.Sequence(lambda n: hashlib.sha256(f"chuan-bi-{n}".encode()).hexdigest())
    prepared_by = organiser_in("...document.province")


# --- Indices ------------------------------------------------------------------------

CRITERIA = [
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
]


class FrameworkFactory(factory.django.DjangoModelFactory):
    """The departments' PAR INDEX of a year (frameworks are the same for every province)."""

    class Meta:
        model = "indices.Framework"

    code = factory.Sequence(lambda n: f"PAR-SO-{n}")
    year = 2025
    name = "Chỉ số cải cách hành chính các sở, ban, ngành"
    index = "par"
    subject = "department"
    maximum = Decimal("100.00")


class CriterionFactory(factory.django.DjangoModelFactory):
    """A field (lĩnh vực) of a framework."""

    class Meta:
        model = "indices.Criterion"

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: CRITERIA[n % len(CRITERIA)])
    maximum = Decimal("10.00")
    level = 1
    order = factory.Sequence(lambda n: n + 1)


class NationalIndexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indices.NationalIndex"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"idx{n}")
    name = factory.Sequence(lambda n: f"Chỉ số {n}")
    full_name = "Chỉ số thử nghiệm cấp tỉnh"
    maximum = Decimal("100")


class NationalResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indices.NationalResult"

    province = factory.SubFactory(ProvinceFactory)
    index = "par"
    year = 2024
    score = Decimal("85.97")
    rank = 20
    out_of = factory.LazyAttribute(lambda r: 63 if r.year <= 2024 else 34)
    source = "Quyết định số 268/QĐ-BNV ngày 28/3/2025"
    entered_by = organiser_in("...province")


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A department's result under a framework, while it assesses itself."""

    class Meta:
        model = "indices.Assessment"

    framework = factory.SubFactory(FrameworkFactory)
    agency = department(None)
    status = "self"
    self_deadline = factory.LazyFunction(lambda: future(14))


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indices.Score"

    assessment = factory.SubFactory(AssessmentFactory)
    criterion = factory.SubFactory(CriterionFactory, framework=factory.SelfAttribute("..assessment.framework"))
    round = "appraised"
    value = Decimal("8.50")
    note = "Ban hành kế hoạch CCHC năm đúng hạn; báo cáo quý III gửi chậm."


class ExplanationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indices.Explanation"

    assessment = factory.SubFactory(AssessmentFactory)
    criterion = factory.SubFactory(CriterionFactory, framework=factory.SelfAttribute("..assessment.framework"))
    note = "Đã ban hành kế hoạch đúng hạn; gửi kèm văn bản."


class AdjustmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indices.Adjustment"

    assessment = factory.SubFactory(AssessmentFactory)
    kind = "bonus"
    points = Decimal("0.50")
    reason = "Sáng kiến cải cách hành chính được công nhận cấp tỉnh"


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "indices.Responsibility"

    province = factory.SubFactory(ProvinceFactory)
    framework_code = "PAR-TINH"
    code = factory.Sequence(lambda n: str(n + 1))
    agency = department()


class PublicationFactory(factory.django.DjangoModelFactory):
    """A province's announcement of a year's results, under one framework
    unless `frameworks=[...]` names them."""

    class Meta:
        model = "indices.Publication"
        skip_postgeneration_save = True

    province = factory.SubFactory(ProvinceFactory)
    year = 2025
    published_by = organiser_in("...province")

    @factory.post_generation
    def frameworks(self, create, extracted, **kwargs):
        if not create:
            return
        self.frameworks.set(extracted if extracted is not None else [FrameworkFactory(year=self.year)])


# --- Notifications ------------------------------------------------------------------


class ReminderPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.ReminderPolicy"

    scope = factory.Sequence(lambda n: f"conferences.conference:{n + 1}")
    days_before = [7, 3, 1, 0]
    send_time = dt.time(8, 0)
    holidays = ["30/04/2026", "01/05/2026"]


class DeadlineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.DeadlineItem"

    key = factory.Sequence(lambda n: f"conferences.invitation:{n + 1}")
    scope = "conferences.conference:1"
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    what = "Hạn xác nhận tham dự"
    context = "Hội nghị phân tích kết quả Chỉ số CCHC năm 2025"
    link = "/giay-moi/"
    agency_name = "UBND xã Tân Phong"


class ItemRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.ItemRecipient"

    item = factory.SubFactory(DeadlineItemFactory)
    user = factory.SubFactory(UserFactory, full_name=person_name())
    email = factory.SelfAttribute("user.email")
    name = factory.SelfAttribute("user.full_name")
    recipient_key = factory.LazyAttribute(lambda r: f"{r.user.pk or ''}|{r.email.lower()}")


class ReminderStepFactory(factory.django.DjangoModelFactory):
    """The reminder a few days before the item's deadline."""

    class Meta:
        model = "notifications.ReminderStep"

    class Params:
        days = factory.Sequence(lambda n: n + 1)

    item = factory.SubFactory(DeadlineItemFactory)
    code = factory.LazyAttribute(lambda s: f"truoc-{s.days}")
    send_at = factory.LazyAttribute(lambda s: s.item.due_at - dt.timedelta(days=s.days))
    state = "pending"


class MessageFactory(factory.django.DjangoModelFactory):
    """A reminder shown in an official's notifications on the portal."""

    class Meta:
        model = "notifications.Message"

    channel = "portal"
    # `user=None` with an `email` is a message to someone without a login (a focal person).
    user = factory.SubFactory(UserFactory, full_name=person_name())
    email = factory.LazyAttribute(lambda m: m.user.email if m.user else "")
    name = factory.LazyAttribute(lambda m: m.user.full_name if m.user else "")
    recipient_key = factory.LazyAttribute(lambda m: f"{m.user.pk if m.user else ''}|{m.email.lower()}")
    subject = "Nhắc hạn: xác nhận tham dự Hội nghị phân tích kết quả Chỉ số CCHC năm 2025"
    body_text = "Đơn vị chưa xác nhận tham dự hội nghị. Hạn xác nhận: 17 giờ 00 ngày 13/3/2026."
    link = "/giay-moi/"
    state = "sent"
    sent_at = factory.LazyFunction(timezone.now)


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Preference"

    user = factory.SubFactory(UserFactory, full_name=person_name())
    email_mode = "digest"


# --- Audit trail ----------------------------------------------------------------------


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An organiser's change to a conference (`target=` another row of the
    same province); the entry carries the target's province."""

    class Meta:
        model = "core.AuditEntry"

    class Params:
        target = factory.SubFactory(ConferenceFactory)

    actor = organiser_in("...target.province")
    actor_name = factory.SelfAttribute("actor.full_name")
    province_id = factory.SelfAttribute("target.province_id")
    action = "conference.update"
    content_type = factory.LazyAttribute(lambda e: ContentType.objects.get_for_model(e.target))
    object_id = factory.LazyAttribute(lambda e: str(e.target.pk))
    object_repr = factory.LazyAttribute(lambda e: str(e.target)[:300])
    before = {"venue": "Phòng họp số 2, UBND tỉnh"}
    after = {"venue": "Hội trường UBND tỉnh"}
    client_ip = "10.10.0.15"


# --- Integration (api/, notifications' webhooks) ---------------------------------------------------


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token row as the service makes it (the key itself is not kept)."""

    class Meta:
        model = "api.ApiToken"

    name = "Hệ thống quản lý văn bản và điều hành"
    province = factory.SubFactory(ProvinceFactory)
    scopes = ["documents", "conferences"]
    prefix = factory.Sequence(lambda n: f"{n:08x}")
    key_hash = factory.Sequence(lambda n: hashlib.sha256(f"khoa-{n}".encode()).hexdigest())


class ApiTokenUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "api.ApiTokenUse"

    token = factory.SubFactory(ApiTokenFactory)
    method = "GET"
    path = "/api/v1/documents/42/"
    status = 200
    client_ip = "10.0.0.5"


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.WebhookSubscription"

    province_id = factory.LazyFunction(lambda: ProvinceFactory().pk)
    name = "Hệ thống quản lý văn bản"
    url = "https://qlvb.example.gov.vn/cchc/su-kien"
    secret = factory.Sequence(lambda n: f"whsec_thu_{n}")
    events = ["document.issued", "document.revoked"]


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.WebhookDelivery"

    subscription = factory.SubFactory(WebhookSubscriptionFactory)
    event = "document.issued"
    event_id = factory.LazyFunction(uuid.uuid4)
    payload = {"event": "document.issued", "data": {"document_id": 1}}
    state = "delivered"
    attempts = 1
    last_status = 200


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "api.CalendarFeed"

    user = factory.SubFactory(UserFactory)
