"""Presentations: assignments, uploads checked by content, versions,
review, the booklet, and who may see what."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agencies.models import AgencyKind, Role
from conferences.models import Award, ProgrammeItem
from core.exceptions import Refused
from submissions import booklet as binding
from submissions import conversion, selectors, services
from submissions.models import Assignment, Booklet, Presentation, Review, Version

from . import presentation_files as files
from .conftest import _staff_of, client_for
from .factories import AgencyFactory, AssignmentFactory, ConferenceFactory, UserFactory, future

Status = Presentation.Status


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "presentations"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def conference(lang_son):
    return ConferenceFactory(province=lang_son)


@pytest.fixture
def assignee(official):
    """The official's agency owes the presentation."""
    return official.agency


@pytest.fixture
def assignment(conference, assignee, organiser):
    return services.assignment_save(
        actor=organiser,
        assignment=Assignment(
            conference=conference,
            topic="Đổi mới quản lý tài chính công gắn với cải cách hành chính",
            agency=assignee,
            guidance="Tập trung vào các tiêu chí chưa đạt điểm tối đa.",
            due_date=future(10),
        ),
    )


@pytest.fixture
def presentation(assignment):
    return assignment.presentations.get()


# --- Assignments ------------------------------------------------------------------------


def test_assignment_to_an_agency_opens_one_presentation(presentation, assignee):
    assert presentation.agency == assignee and presentation.status == Status.AWAITING


def test_assignment_to_awardees_is_resolved_when_awards_are_known(conference, organiser, lang_son):
    assignment = services.assignment_save(
        actor=organiser,
        assignment=Assignment(
            conference=conference,
            topic="Kinh nghiệm giải quyết thủ tục hành chính cấp xã",
            due_date=future(5),
            assignee=Assignment.Assignee.AWARDEES,
            group_label="Các xã được tặng Bằng khen",
            group_kinds=[AgencyKind.COMMUNE],
        ),
    )
    assert assignment.presentations.count() == 0

    commune = AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name="UBND xã Thất Khê")
    department = AgencyFactory(province=lang_son, kind=AgencyKind.DEPARTMENT)
    Award.objects.create(conference=conference, agency=commune, award_name="Bằng khen")
    Award.objects.create(conference=conference, agency=department, award_name="Bằng khen")
    assert services.assignment_sync(actor=organiser, assignment=assignment) == (1, 0)
    assert list(assignment.presentations.values_list("agency__name", flat=True)) == ["UBND xã Thất Khê"]

    Award.objects.filter(agency=commune).delete()
    assert services.assignment_sync(actor=organiser, assignment=assignment) == (0, 1)


def test_group_member_who_sent_a_file_is_kept_when_the_group_changes(conference, organiser, lang_son):
    commune = AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE)
    award = Award.objects.create(conference=conference, agency=commune, award_name="Bằng khen")
    assignment = services.assignment_save(
        actor=organiser,
        assignment=Assignment(
            conference=conference,
            topic="Kinh nghiệm cấp xã",
            due_date=future(5),
            assignee=Assignment.Assignee.AWARDEES,
            group_label="Các xã được khen",
        ),
    )
    services.version_upload(
        actor=organiser, presentation=assignment.presentations.get(), upload=files.upload("tl.pdf", files.pdf_bytes())
    )
    award.delete()
    assert services.assignment_sync(actor=organiser, assignment=assignment) == (0, 0)
    assert assignment.presentations.count() == 1


def test_assignment_with_uploads_cannot_be_deleted(presentation, organiser, official):
    services.version_upload(actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes()))
    with pytest.raises(Refused, match="không thể xóa"):
        services.assignment_delete(actor=organiser, assignment=presentation.assignment)


def test_assignment_form_requires_an_agency_or_a_group(conference, organiser):
    response = client_for(organiser).post(
        reverse("submissions:assignment-create", args=[conference.pk]),
        {"topic": "Chủ đề", "assignee": "agency", "due_date": "20/12/2026", "allow_late": "on"},
    )
    assert response.status_code == 400
    assert "Chọn đơn vị tham luận." in response.content.decode()
    assert not Assignment.objects.exists()


def test_plan_appendix_lists_assignments_in_programme_order(conference, organiser, lang_son):
    from conferences import drafting

    late_slot = ProgrammeItem.objects.create(conference=conference, order=5, title="Tham luận buổi chiều")
    early_slot = ProgrammeItem.objects.create(conference=conference, order=2, title="Tham luận buổi sáng")
    justice = AgencyFactory(province=lang_son, name="Sở Tư pháp tỉnh Lạng Sơn")
    police = AgencyFactory(province=lang_son, name="Công an tỉnh Lạng Sơn", kind=AgencyKind.POLICE)
    for topic, agency, slot in (("Thể chế", justice, late_slot), ("Đề án 06", police, early_slot)):
        services.assignment_save(
            actor=organiser,
            assignment=Assignment(
                conference=conference, topic=topic, agency=agency, programme_item=slot, due_date=future(5)
            ),
        )
    assert drafting.presentation_rows(conference) == [("Đề án 06", "Công an tỉnh"), ("Thể chế", "Sở Tư pháp")]
    document = drafting.draft_conference_plan(actor=organiser, conference=conference)
    appendix = document.sections.get(part="appendix")
    assert appendix.text.splitlines()[2:] == ["| 1. | Đề án 06 | Công an tỉnh |", "| 2. | Thể chế | Sở Tư pháp |"]


# --- Uploads ---------------------------------------------------------------------------------

GOOD = [
    ("Tham luận Sở Tài chính.pdf", files.pdf_bytes, "pdf"),
    ("Tham luận.docx", files.docx_bytes, "docx"),
    ("Trình chiếu.pptx", files.pptx_bytes, "pptx"),
    ("Tham luận.odt", files.odt_bytes, "odt"),
]


@pytest.mark.parametrize(("name", "make", "kind"), GOOD, ids=[g[2] for g in GOOD])
def test_upload_accepts_each_document_type_by_content(presentation, official, name, make, kind):
    data = make()
    version = services.version_upload(actor=official, presentation=presentation, upload=files.upload(name, data))
    assert (version.file_type, version.original_name, version.size, version.number) == (kind, name, len(data), 1)
    # The stored name is generated; the agency's name is kept for display only.
    assert version.file.name.startswith(f"presentations/{presentation.assignment.conference_id}/")
    assert name not in version.file.name and version.file.name.endswith(f".{kind}")
    with version.file.open("rb") as handle:
        assert handle.read() == data


@pytest.mark.skipif(not conversion.available(), reason="LibreOffice is not installed")
def test_upload_accepts_a_word_97_file_and_refuses_its_macros(presentation, official):
    doc = conversion.convert(files.docx_bytes("Tham luận cũ"), "docx", "doc")
    version = services.version_upload(actor=official, presentation=presentation, upload=files.upload("cu.doc", doc))
    assert version.file_type == "doc"


BAD = [
    ("empty", "trong.pdf", lambda: b"", "rỗng (0 byte)"),
    ("over the limit", "lon.pdf", lambda: files.pdf_bytes() + b"\0" * 2048, "vượt quá giới hạn"),
    ("picture renamed .pdf", "anh.pdf", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "không phải PDF"),
    ("Word renamed .pdf", "word.pdf", files.docx_bytes, "có đuôi .pdf nhưng nội dung là Word (DOCX)"),
    ("program renamed .docx", "chuong-trinh.docx", lambda: b"MZ\x90\x00" + b"\0" * 200, "chương trình chạy được"),
    ("zip bomb .docx", "bom.docx", files.zip_bomb_docx, "dữ liệu nén bất thường"),
    (".docm", "macro.docx", files.docm_bytes, "có chứa macro"),
    ("broken PDF", "hong.pdf", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "bị hỏng"),
    ("encrypted PDF", "mat-khau.pdf", files.encrypted_pdf, "đặt mật khẩu"),
    ("not a document at all", "bang.xlsx", files.docx_bytes, "không thuộc định dạng được nhận"),
    # Django keeps only the part after the last "/"; a Windows path reaches the check whole.
    ("path traversal", "..\\..\\config\\base.pdf", files.pdf_bytes, "đường dẫn thư mục"),
    ("hidden name", ".htaccess.pdf", files.pdf_bytes, "không hợp lệ"),
    ("255-character name", "t" * 251 + ".pdf", files.pdf_bytes, "vượt quá 200 ký tự"),
]


@pytest.mark.parametrize(("case", "name", "make", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_upload_is_refused_with_its_message_and_nothing_stored(
    presentation, official, settings, case, name, make, message
):
    if case == "over the limit":
        settings.PRESENTATION_MAX_BYTES = len(files.pdf_bytes()) + 1024
    before = stored_files()
    with pytest.raises(Refused) as refused:
        services.version_upload(actor=official, presentation=presentation, upload=files.upload(name, make()))
    assert message in refused.value.reasons[0]
    assert not Version.objects.exists() and stored_files() == before
    presentation.refresh_from_db()
    assert presentation.status == Status.AWAITING


def test_bad_upload_through_the_page_shows_the_message(presentation, official):
    response = client_for(official).post(
        reverse("submissions:detail", args=[presentation.pk]), {"file": files.upload("macro.docx", files.docm_bytes())}
    )
    assert response.status_code == 400
    assert "có chứa macro" in response.content.decode()
    assert not Version.objects.exists()


def test_path_in_a_posted_name_never_reaches_storage(presentation, official):
    # Django keeps only the last part of a posted file name; the stored name is ours.
    response = client_for(official).post(
        reverse("submissions:detail", args=[presentation.pk]),
        {"file": files.upload("../../../etc/tham-luan.pdf", files.pdf_bytes())},
    )
    assert response.status_code == 302
    version = Version.objects.get()
    assert version.original_name == "tham-luan.pdf" and ".." not in version.file.name


def test_failed_save_after_storing_removes_the_file(presentation, official, monkeypatch):
    before = stored_files()

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Presentation, "save", fail)
    with pytest.raises(RuntimeError):
        services.version_upload(
            actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes())
        )
    assert stored_files() == before and not Version.objects.exists()


def test_every_upload_is_a_new_version(presentation, official):
    first, second = files.pdf_bytes(pages=1), files.pdf_bytes(pages=3)
    v1 = services.version_upload(actor=official, presentation=presentation, upload=files.upload("ban 1.pdf", first))
    v2 = services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("ban 2.pdf", second), note="Bổ sung số liệu"
    )
    presentation.refresh_from_db()
    assert [(v.number, v.pages, v.uploaded_by_id) for v in presentation.versions.all()] == [
        (1, 1, official.pk),
        (2, 3, official.pk),
    ]
    assert presentation.current_version == v2 and presentation.status == Status.SUBMITTED
    import hashlib

    assert (v1.sha256, v2.sha256) == (hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest())


def test_late_upload_is_marked_late(presentation, official):
    Assignment.objects.filter(pk=presentation.assignment_id).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    presentation.refresh_from_db()
    version = services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes())
    )
    presentation.refresh_from_db()
    assert version.is_late and presentation.late


def test_late_upload_is_refused_when_the_assignment_says_so(presentation, official):
    Assignment.objects.filter(pk=presentation.assignment_id).update(
        due_date=timezone.localdate() - dt.timedelta(days=1), allow_late=False
    )
    presentation.refresh_from_db()
    before = stored_files()
    with pytest.raises(Refused, match="không nhận tệp gửi muộn"):
        services.version_upload(
            actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes())
        )
    assert stored_files() == before and not Version.objects.exists()


def test_revision_asked_after_the_deadline_can_still_be_sent_on_time(presentation, official, organiser):
    services.version_upload(actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes()))
    services.presentation_review(
        actor=organiser, presentation=presentation, decision="revise", comment="Bổ sung số liệu."
    )
    Assignment.objects.filter(pk=presentation.assignment_id).update(
        due_date=timezone.localdate() - dt.timedelta(days=1), allow_late=False
    )
    presentation.refresh_from_db()
    version = services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("b.pdf", files.pdf_bytes())
    )
    assert not version.is_late


def test_official_of_another_agency_cannot_upload(presentation, lang_son):
    stranger = _staff_of(lang_son, Role.OFFICIAL, code="STP", name="Sở Tư pháp")
    response = client_for(stranger).post(
        reverse("submissions:detail", args=[presentation.pk]), {"file": files.upload("a.pdf", files.pdf_bytes())}
    )
    assert response.status_code == 404 and not Version.objects.exists()


# --- Review ---------------------------------------------------------------------------------


def test_review_cycle_shows_decisions_and_comments_to_the_official(presentation, official, organiser):
    services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("ban 1.pdf", files.pdf_bytes())
    )
    with pytest.raises(Refused, match="Hãy ghi nhận xét"):
        services.presentation_review(actor=organiser, presentation=presentation, decision="revise", comment=" ")
    services.presentation_review(
        actor=organiser,
        presentation=presentation,
        decision="revise",
        comment="Đề nghị nêu rõ chỉ số thành phần bị mất điểm.",
    )
    page = client_for(official).get(reverse("submissions:detail", args=[presentation.pk])).content.decode()
    assert "Sở Nội vụ đề nghị chỉnh sửa" in page and "chỉ số thành phần bị mất điểm" in page

    services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("ban 2.pdf", files.pdf_bytes())
    )
    services.presentation_review(actor=organiser, presentation=presentation, decision="accept")
    presentation.refresh_from_db()
    assert presentation.status == Status.ACCEPTED
    assert [(r.decision, r.version.number) for r in presentation.reviews.all()] == [("revise", 1), ("accept", 2)]
    with pytest.raises(Refused, match="đã được chấp nhận"):
        services.version_upload(
            actor=official, presentation=presentation, upload=files.upload("c.pdf", files.pdf_bytes())
        )
    for user in (official, organiser):
        page = client_for(user).get(reverse("submissions:detail", args=[presentation.pk])).content.decode()
        assert page.count("Lần gửi") >= 2 and "ban 1.pdf" in page and "ban 2.pdf" in page
        assert "Yêu cầu chỉnh sửa" in page and "Chấp nhận" in page


def test_nothing_to_review_before_a_file_arrives(presentation, organiser):
    with pytest.raises(Refused, match="chưa gửi tệp"):
        services.presentation_review(actor=organiser, presentation=presentation, decision="accept")


def test_official_cannot_review(presentation, official):
    services.version_upload(actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes()))
    response = client_for(official).post(reverse("submissions:review", args=[presentation.pk]), {"decision": "accept"})
    assert response.status_code == 403 and not Review.objects.exists()


# --- Downloads ---------------------------------------------------------------------------------


def test_download_sends_the_original_name_encoded_and_never_inline(presentation, official):
    name = "Tham luận Sở Tài chính (bản cuối).pdf"
    version = services.version_upload(
        actor=official, presentation=presentation, upload=files.upload(name, files.pdf_bytes())
    )
    response = client_for(official).get(reverse("submissions:download", args=[presentation.pk, version.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=utf-8''Tham%20lu%E1%BA%ADn%20S%E1%BB%9F%20T%C3%A0i%20ch%C3%ADnh%20%28b%E1%BA%A3n%20cu%E1%BB%91i%29.pdf"
        in disposition
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == version.file.open("rb").read()


# --- Who may see what: every URL, every role -------------------------------------------------


@pytest.fixture
def world(presentation, official, organiser, other_organiser, leader, administrator, lang_son, lao_cai):
    version = services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes())
    )
    booklet = Booklet.objects.create(
        conference=presentation.assignment.conference,
        content_hash="0" * 64,
        status=Booklet.Status.DONE,
        total=1,
        done=1,
    )
    booklet.pdf.save("booklets/test.pdf", ContentFile(files.pdf_bytes()), save=False)
    booklet.zip.save("booklets/test.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    booklet.save()
    conference_pk, assignment_pk = presentation.assignment.conference_id, presentation.assignment_id
    users = {
        "organiser": organiser,
        "administrator": administrator,
        "assignee official": official,
        "leader": leader,
        "other agency official": _staff_of(lang_son, Role.OFFICIAL, code="STP", name="Sở Tư pháp"),
        "other province organiser": other_organiser,
        "other province official": _staff_of(lao_cai, Role.OFFICIAL, code="STC", name="Sở Tài chính"),
    }
    urls = {
        "detail": ("get", reverse("submissions:detail", args=[presentation.pk])),
        "download": ("get", reverse("submissions:download", args=[presentation.pk, version.pk])),
        "upload": ("post", reverse("submissions:detail", args=[presentation.pk])),
        "review": ("post", reverse("submissions:review", args=[presentation.pk])),
        "conference": ("get", reverse("submissions:conference", args=[conference_pk])),
        "assignment-create": ("get", reverse("submissions:assignment-create", args=[conference_pk])),
        "assignment-update": ("get", reverse("submissions:assignment-update", args=[conference_pk, assignment_pk])),
        "assignment-sync": ("post", reverse("submissions:assignment-sync", args=[conference_pk, assignment_pk])),
        "assignment-delete": ("post", reverse("submissions:assignment-delete", args=[conference_pk, assignment_pk])),
        "booklet-request": ("post", reverse("submissions:booklet-request", args=[conference_pk])),
        "booklet": ("get", reverse("submissions:booklet", args=[conference_pk, booklet.pk])),
        "booklet-pdf": ("get", reverse("submissions:booklet-download", args=[conference_pk, booklet.pk, "pdf"])),
        "booklet-zip": ("get", reverse("submissions:booklet-download", args=[conference_pk, booklet.pk, "zip"])),
    }
    return users, urls


ASSIGNEE_URLS = {"detail", "download", "upload"}
ORGANISER_URLS = None  # every URL


def _allowed(role: str) -> set[str] | None:
    return {"organiser": ORGANISER_URLS, "administrator": ORGANISER_URLS, "assignee official": ASSIGNEE_URLS}.get(
        role, set()
    )


@pytest.mark.parametrize(
    "role",
    [
        "organiser",
        "administrator",
        "assignee official",
        "leader",
        "other agency official",
        "other province organiser",
        "other province official",
    ],
)
def test_only_organisers_and_the_assignee_reach_presentation_pages_and_files(world, role):
    users, urls = world
    allowed = _allowed(role)
    client = client_for(users[role])
    for name, (method, url) in urls.items():
        data = (
            {
                "file": files.upload("b.pdf", files.pdf_bytes()),
                "decision": "revise",
                "comment": "Sửa",
                "version": Version.objects.order_by("-pk").first().pk,
            }
            if method == "post"
            else None
        )
        response = getattr(client, method)(url, data) if data else client.get(url)
        ok = allowed is None or name in allowed
        if ok:
            assert response.status_code in (200, 302), (role, name, response.status_code)
        else:
            assert response.status_code in (403, 404), (role, name, response.status_code)
            assert not getattr(response, "streaming", False), (role, name)


def test_anonymous_visitors_are_sent_to_log_in(world):
    _users, urls = world
    for name, (method, url) in urls.items():
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], name


def test_denied_posts_change_nothing(world):
    users, urls = world
    counts = (Version.objects.count(), Review.objects.count(), Assignment.objects.count(), Booklet.objects.count())
    for role in ("leader", "other agency official", "other province organiser", "other province official"):
        client = client_for(users[role])
        for method, url in urls.values():
            if method == "post":
                client.post(url, {"file": files.upload("b.pdf", files.pdf_bytes()), "decision": "accept"})
    assert (
        Version.objects.count(),
        Review.objects.count(),
        Assignment.objects.count(),
        Booklet.objects.count(),
    ) == counts


# --- Booklet ----------------------------------------------------------------------------------


@pytest.fixture
def accepted(conference, organiser, lang_son):
    """Three accepted presentations whose programme order differs from the order they were assigned in,
    one of them a Word file; and one still waiting, which stays out."""
    afternoon = ProgrammeItem.objects.create(conference=conference, order=3, title="Tham luận buổi chiều")
    morning = ProgrammeItem.objects.create(conference=conference, order=1, title="Tham luận buổi sáng")
    rows = [
        ("Sở Tư pháp", afternoon, "TUPHAP", 2, "pdf"),
        ("Công an tỉnh", morning, "CONGAN", 3, "pdf"),
        ("Sở Khoa học và Công nghệ", morning, "KHCN", 1, "docx"),
        ("Sở Y tế", morning, "YTE", 1, "pending"),
    ]
    made = {}
    for order, (agency_name, slot, marker, pages, kind) in enumerate(rows, start=1):
        agency = AgencyFactory(province=lang_son, name=agency_name)
        assignment = services.assignment_save(
            actor=organiser,
            assignment=Assignment(
                conference=conference,
                topic=f"Chủ đề {marker}",
                agency=agency,
                programme_item=slot,
                order=order,
                due_date=future(5),
            ),
        )
        presentation = assignment.presentations.get()
        data = files.docx_bytes(f"{marker} Word") if kind == "docx" else files.pdf_bytes(marker, pages)
        services.version_upload(
            actor=organiser,
            presentation=presentation,
            upload=files.upload(f"{marker}.{'docx' if kind == 'docx' else 'pdf'}", data),
        )
        if kind != "pending":
            services.presentation_review(actor=organiser, presentation=presentation, decision="accept")
        made[marker] = presentation
    return made


def _page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_booklet_binds_accepted_presentations_in_programme_order(
    conference, organiser, accepted, django_capture_on_commit_callbacks
):
    if not conversion.available():
        pytest.skip("LibreOffice is not installed")
    with django_capture_on_commit_callbacks(execute=True):
        booklet = services.booklet_request(actor=organiser, conference=conference)
    booklet.refresh_from_db()
    assert booklet.status == Booklet.Status.DONE, booklet.error
    texts = _page_texts(booklet.pdf.open("rb").read())
    # Cover, contents, then morning (Công an: 3 pages, KHCN Word: 1), then afternoon (Tư pháp: 2).
    assert booklet.pages == len(texts) == 2 + 3 + 1 + 2
    assert "TÀI LIỆU" in texts[0] and "MỤC LỤC" in texts[1]
    assert [t.split()[0] for t in texts[2:]] == ["CONGAN", "CONGAN", "CONGAN", "KHCN", "TUPHAP", "TUPHAP"]
    contents = " ".join(texts[1].split())
    assert contents.index("Chủ đề CONGAN") < contents.index("Chủ đề KHCN") < contents.index("Chủ đề TUPHAP")
    assert "YTE" not in " ".join(texts)
    starts = [row.split()[-1] for row in texts[1].splitlines() if row.split() and row.split()[-1].isdigit()]
    assert starts[:3] == ["3", "6", "7"]
    # Every page but the cover carries the number the contents cite.
    assert [t.split()[-1] for t in texts[1:]] == [str(n) for n in range(2, len(texts) + 1)]
    reader = PdfReader(booklet.pdf.open("rb"))
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [
        ("Bìa và mục lục", 0),
        ("1. Công an tỉnh", 2),
        ("2. Sở Khoa học và Công nghệ", 5),
        ("3. Sở Tư pháp", 6),
    ]
    names = zipfile.ZipFile(booklet.zip.open("rb")).namelist()
    assert names == [
        "01 - Công an tỉnh - CONGAN.pdf",
        "02 - Sở Khoa học và Công nghệ - KHCN.docx",
        "03 - Sở Tư pháp - TUPHAP.pdf",
    ]


def test_booklet_without_libreoffice_lists_office_files(
    conference, organiser, accepted, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(conversion, "binary", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        booklet = services.booklet_request(actor=organiser, conference=conference)
    booklet.refresh_from_db()
    texts = _page_texts(booklet.pdf.open("rb").read())
    assert booklet.pages == 2 + 3 + 2
    assert booklet.not_converted == [
        {"agency": "Sở Khoa học và Công nghệ", "name": "KHCN.docx", "reason": "no-converter"}
    ]
    assert "chưa cài LibreOffice" in " ".join(texts[1].split())


@pytest.fixture
def weasy_passes(monkeypatch):
    """Every WeasyPrint layout pass (HTML.render, which write_pdf also goes
    through) and every PDF written, counted; each is still real."""
    import weasyprint
    from weasyprint.document import Document

    counts = {"layouts": 0, "pdfs": 0}
    render, write_pdf = weasyprint.HTML.render, Document.write_pdf

    def counted_render(self, *args, **kwargs):
        counts["layouts"] += 1
        return render(self, *args, **kwargs)

    def counted_write_pdf(self, *args, **kwargs):
        counts["pdfs"] += 1
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted_render)
    monkeypatch.setattr(Document, "write_pdf", counted_write_pdf)
    return counts


def _entries(count: int) -> list[binding.Entry]:
    from types import SimpleNamespace

    return [
        binding.Entry(
            presentation=SimpleNamespace(
                assignment=SimpleNamespace(topic=f"Chủ đề tham luận số {n} về cải cách hành chính"),
                agency=SimpleNamespace(name=f"Sở thử {n}"),
                current_version=None,
            ),
            pdf=b"%PDF",
            pages=3,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize(("count", "passes"), [(3, 1), (60, 2)])
def test_booklet_front_matter_layout_passes_are_counted_and_bounded(conference, weasy_passes, count, passes):
    """A contents that fits the two pages first assumed is laid out once; a
    longer one twice (the second with the start pages it moved), and only
    the last pass is written as a PDF."""
    entries = _entries(count)
    front = binding.front_matter(conference, entries)
    pages = binding.page_count(front)
    assert (pages == 2) == (passes == 1)
    assert weasy_passes == {"layouts": passes, "pdfs": 1}
    assert entries[0].start == pages + 1 and entries[-1].start == pages + 1 + 3 * (count - 1)


def test_booklet_front_matter_stops_after_its_bound(conference, weasy_passes, monkeypatch):
    # A contents whose length would flip at every pass still ends.
    lengths = iter([3, 2] * binding.FRONT_PASSES)
    layout = binding._layout

    def flipping(html):
        document = layout(html)
        document.pages = document.pages[:1] * next(lengths)
        return document

    monkeypatch.setattr(binding, "_layout", flipping)
    binding.front_matter(conference, _entries(3))
    assert weasy_passes == {"layouts": binding.FRONT_PASSES, "pdfs": 1}


def test_booklet_build_counts_its_weasyprint_passes(
    conference, organiser, accepted, monkeypatch, weasy_passes, django_capture_on_commit_callbacks
):
    # Contents on the two pages first assumed: one pass for them, one for the page numbers.
    monkeypatch.setattr(conversion, "binary", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        booklet = services.booklet_request(actor=organiser, conference=conference)
    booklet.refresh_from_db()
    assert booklet.status == Booklet.Status.DONE, booklet.error
    assert weasy_passes == {"layouts": 2, "pdfs": 2}


def test_booklet_asked_twice_is_built_once(
    conference, organiser, accepted, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(conversion, "binary", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.booklet_request(actor=organiser, conference=conference)
    first.refresh_from_db()
    finished = first.finished_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = services.booklet_request(actor=organiser, conference=conference)
    assert second.pk == first.pk and callbacks == []
    from submissions.tasks import build_booklet

    build_booklet(booklet_id=first.pk)  # a duplicate delivery
    first.refresh_from_db()
    assert first.finished_at == finished and Booklet.objects.count() == 1


def test_booklet_needs_an_accepted_presentation(conference, organiser, presentation):
    with pytest.raises(Refused, match="Chưa có tham luận nào được chấp nhận"):
        services.booklet_request(actor=organiser, conference=conference)


# --- Board, dashboard, lists -------------------------------------------------------------------


def test_board_shows_each_agency_and_the_totals(presentation, official, organiser):
    Assignment.objects.filter(pk=presentation.assignment_id).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    services.version_upload(actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes()))
    services.presentation_review(actor=organiser, presentation=presentation, decision="revise", comment="Sửa lại.")
    other = services.assignment_save(
        actor=organiser,
        assignment=AssignmentFactory.build(
            conference=presentation.assignment.conference, due_date=timezone.localdate() - dt.timedelta(days=2)
        ),
    )
    from submissions import selectors

    totals = selectors.board_totals(presentation.assignment.conference)
    assert {k: totals[k] for k in ("assigned", "submitted", "late", "revision", "accepted", "overdue")} == {
        "assigned": 2,
        "submitted": 1,
        "late": 1,
        "revision": 1,
        "accepted": 0,
        "overdue": 1,
    }
    page = client_for(organiser).get(reverse("conferences:board", args=[presentation.assignment.conference_id]))
    html = page.content.decode()
    assert "Tham luận theo đơn vị" in html and presentation.agency.name in html and other.agency.name in html


def test_official_dashboard_shows_what_is_owed_and_by_when(presentation, official):
    html = client_for(official).get("/").content.decode()
    assert "Tham luận đơn vị cần gửi" in html and presentation.assignment.topic in html
    assert reverse("submissions:detail", args=[presentation.pk]) in html and "Còn 10 ngày" in html


def _add_rows(conference, organiser, n):
    for _ in range(n):
        services.assignment_save(actor=organiser, assignment=AssignmentFactory.build(conference=conference))


@pytest.mark.parametrize("who", ["organiser", "official"])
def test_presentation_list_query_count_does_not_grow(conference, organiser, official, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(organiser if who == "organiser" else official)
    counts = []
    for rows in (1, 3, 12):
        while Presentation.objects.filter(agency=official.agency).count() < rows:
            services.assignment_save(
                actor=organiser, assignment=AssignmentFactory.build(conference=conference, agency=official.agency)
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("submissions:list"))
        assert response.status_code == 200 and len(response.context["presentations"]) == rows
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_conference_presentations_and_board_query_counts_do_not_grow(conference, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(organiser)
    counts = {"conference": [], "board": []}
    for rows in (1, 3, 12):
        _add_rows(conference, organiser, rows - Assignment.objects.count())
        for name, url in (
            ("conference", reverse("submissions:conference", args=[conference.pk])),
            ("board", reverse("conferences:board", args=[conference.pk])),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name].append(len(queries))
    assert len(set(counts["conference"])) == 1 and len(set(counts["board"])) == 1, counts


def test_demo_seeds_six_assignments_in_several_states(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    assignments = Assignment.objects.filter(conference__title__startswith="Hội nghị công bố")
    assert assignments.count() == 6
    states = set(Presentation.objects.values_list("status", flat=True))
    assert {Status.AWAITING, Status.SUBMITTED, Status.REVISION, Status.ACCEPTED} <= states
    assert Presentation.objects.filter(late=True).exists()
    assert Version.objects.filter(file_type="docx").exists() and Version.objects.filter(file_type="pdf").exists()
    # A demo official owes one: the Sở Tài chính of Lào Cai.
    taichinh = UserFactory._meta.model.objects.get(username="laocai.taichinh")
    assert Presentation.objects.filter(agency=taichinh.agency, status=Status.AWAITING).exists()


def test_deadline_on_or_after_the_conference_is_refused(conference, organiser, assignee):
    assignment = Assignment(conference=conference, topic="Chủ đề", agency=assignee, due_date=conference.date)
    with pytest.raises(ValidationError) as error:
        services.assignment_save(actor=organiser, assignment=assignment)
    assert "Hạn gửi phải trước ngày hội nghị" in error.value.message_dict["due_date"][0]
    assert not Assignment.objects.filter(topic="Chủ đề").exists()


def test_page_warns_when_the_booklet_no_longer_matches(
    conference, organiser, accepted, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(conversion, "binary", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        services.booklet_request(actor=organiser, conference=conference)
    url = reverse("submissions:conference", args=[conference.pk])
    client = client_for(organiser)
    assert "đã thay đổi sau lần tạo gần nhất" not in client.get(url).content.decode()
    services.presentation_review(actor=organiser, presentation=accepted["YTE"], decision="accept")
    page = client.get(url).content.decode()
    assert "đã thay đổi sau lần tạo gần nhất" in page and "Tạo lại tài liệu hội nghị" in page


def test_decision_on_a_version_the_organiser_did_not_see_is_refused(presentation, official, organiser):
    seen = services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes())
    )
    services.version_upload(actor=official, presentation=presentation, upload=files.upload("b.pdf", files.pdf_bytes()))
    response = client_for(organiser).post(
        reverse("submissions:review", args=[presentation.pk]), {"decision": "accept", "version": seen.pk}
    )
    assert response.status_code == 400 and "vừa gửi một bản mới" in response.content.decode()
    assert not Review.objects.exists()


def test_stalled_booklet_is_built_again_when_asked(
    conference, organiser, accepted, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(conversion, "binary", lambda: None)
    booklet = Booklet.objects.create(
        conference=conference,
        content_hash=binding.content_hash(conference, selectors.booklet_entries(conference)),
        status=Booklet.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    from submissions.tasks import build_booklet

    build_booklet(booklet_id=booklet.pk)  # a stray duplicate while "running" would not touch it...
    booklet.refresh_from_db()
    assert booklet.status == Booklet.Status.DONE  # ...but an hour is past the task's limit: its worker is gone
    Booklet.objects.filter(pk=booklet.pk).update(status=Booklet.Status.RUNNING, started_at=timezone.now())
    build_booklet(booklet_id=booklet.pk)
    booklet.refresh_from_db()
    assert booklet.status == Booklet.Status.RUNNING  # a live build is left alone


def test_corrections_after_the_deadline_are_not_late(presentation, official, organiser):
    services.version_upload(actor=official, presentation=presentation, upload=files.upload("a.pdf", files.pdf_bytes()))
    Assignment.objects.filter(pk=presentation.assignment_id).update(
        due_date=timezone.localdate() - dt.timedelta(days=1), allow_late=False
    )
    presentation.refresh_from_db()
    version = services.version_upload(
        actor=official, presentation=presentation, upload=files.upload("b.pdf", files.pdf_bytes())
    )
    assert not version.is_late


MACRO_DISGUISES = {
    "single quotes, upper case": "<Override PartName='/word/x.bin' "
    "ContentType='application/vnd.ms-office.VBAPROJECT'/>",
    "character reference": '<Override PartName="/word/x.bin" ContentType="application/vnd.ms-office.&#118;baProject"/>',
}


@pytest.mark.parametrize("disguise", MACRO_DISGUISES, ids=list(MACRO_DISGUISES))
def test_macros_hidden_behind_other_part_names_are_refused(presentation, official, disguise):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/word/document.xml" '
            f'ContentType="{files.DOCX_MAIN}"/>{MACRO_DISGUISES[disguise]}</Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/x.bin", "x")
    with pytest.raises(Refused, match="có chứa macro"):
        services.version_upload(
            actor=official, presentation=presentation, upload=files.upload("a.docx", out.getvalue())
        )
    assert not Version.objects.exists()


def test_zip_that_understates_its_size_is_refused(presentation, official):
    data = bytearray(files.zip_bomb_docx(unpacked_mb=120))
    # Rewrite the central directory's claimed size of the big part to 1 kB.
    marker = b"word/document.xml"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(marker))
    data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    # Every part is read through a counter, so the lie shows (here as a checksum that does not match).
    with pytest.raises(Refused, match="bị hỏng"):
        services.version_upload(actor=official, presentation=presentation, upload=files.upload("a.docx", bytes(data)))
    assert not Version.objects.exists()


# --- A topic without a deadline (a programme slot only) ------------------------------------


@pytest.fixture
def slot(lang_son, organiser, official):
    """The official's agency speaks at a conference held three months ago;
    its topic is a programme slot with nothing to send by a date (and late
    files are refused, where there is a deadline)."""
    conference = ConferenceFactory(
        province=lang_son, title="Hội nghị sơ kết CCHC quý I", date=timezone.localdate() - dt.timedelta(days=90)
    )
    assignment = services.assignment_save(
        actor=organiser,
        assignment=Assignment(
            conference=conference,
            topic="Kinh nghiệm một cửa liên thông cấp xã",
            agency=official.agency,
            due_date=None,
            allow_late=False,
        ),
    )
    return assignment.presentations.get()


def test_topic_without_deadline_is_saved_from_the_form_and_a_time_alone_is_refused(conference, organiser, official):
    url = reverse("submissions:assignment-create", args=[conference.pk])
    fields = {"topic": "Chuyển đổi số trong giải quyết thủ tục", "assignee": "agency", "agency": official.agency.pk}
    refused = client_for(organiser).post(url, {**fields, "due_date": "", "due_time": "17:00"})
    assert refused.status_code == 400 and "Chưa có ngày hạn gửi thì không ghi giờ." in refused.content.decode()
    assert not Assignment.objects.exists()
    assert client_for(organiser).post(url, {**fields, "due_date": ""}).status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.due_date, assignment.due_at, assignment.has_deadline) == (None, None, False)
    assert assignment.presentations.get().agency == official.agency


def test_topic_without_deadline_is_never_overdue_long_after_the_conference(slot, official, organiser):
    conference = slot.assignment.conference
    assert slot.status == Status.AWAITING and not slot.is_overdue
    assert selectors.board_totals(conference)["overdue"] == 0
    assert not Presentation.objects.filter(selectors.overdue_q()).exists()
    assert services.upload_deadline_refusal(slot, now=timezone.now() + dt.timedelta(days=365)) is None
    # What each page shows of an overdue presentation: the badge, the row, the count.
    overdue = ["Quá hạn, chưa gửi", "row-overdue", "quá hạn chưa gửi", "Quá hạn chưa gửi", "border-danger"]

    def pages():
        return {
            "detail": client_for(official).get(reverse("submissions:detail", args=[slot.pk])),
            "list": client_for(official).get(reverse("submissions:list")),
            "home": client_for(official).get("/"),
            "board": client_for(organiser).get(reverse("conferences:board", args=[conference.pk])),
            "conference": client_for(organiser).get(reverse("submissions:conference", args=[conference.pk])),
        }

    for name, page in pages().items():
        html = page.content.decode()
        assert page.status_code == 200 and slot.assignment.topic in html, name
        assert [marker for marker in overdue if marker in html] == [], name
        assert "Không có hạn" in html or "không có hạn gửi" in html, name
    # The same topic with a deadline before the conference is overdue everywhere.
    Assignment.objects.filter(pk=slot.assignment_id).update(due_date=conference.date - dt.timedelta(days=5))
    for name, page in pages().items():
        assert any(marker in page.content.decode() for marker in overdue), name


def test_topic_without_deadline_is_listed_after_the_dated_ones(slot, presentation, official):
    assert selectors.owed_by_agency(user=official) == [presentation, slot]
    assert list(selectors.presentation_list(user=official)) == [presentation, slot]


def test_topic_without_deadline_accepts_uploads_and_they_are_never_late(slot, official):
    version = services.version_upload(
        actor=official, presentation=slot, upload=files.upload("a.pdf", files.pdf_bytes())
    )
    slot.refresh_from_db()
    assert slot.status == Status.SUBMITTED and slot.current_version == version
    assert not version.is_late and not slot.late


def test_topic_without_deadline_is_never_reminded_and_losing_its_deadline_cancels_reminders(
    slot, presentation, organiser, django_capture_on_commit_callbacks
):
    from notifications import services as notifications
    from notifications.models import DeadlineItem, Message, ReminderStep, StepState

    assert not DeadlineItem.objects.filter(key=f"submissions.presentation:{slot.pk}").exists()
    dated = DeadlineItem.objects.get(key=f"submissions.presentation:{presentation.pk}")
    assert ReminderStep.objects.filter(item=dated, state=StepState.PENDING).exists()
    # The dated topic becomes a programme slot: its reminders are cancelled.
    assignment = presentation.assignment
    assignment.due_date = None
    services.assignment_save(actor=organiser, assignment=assignment)
    dated.refresh_from_db()
    assert dated.done_at is not None
    assert not ReminderStep.objects.filter(item=dated, state=StepState.PENDING).exists()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.run_sweep(now=timezone.now() + dt.timedelta(days=400))
    assert not Message.objects.exists()
