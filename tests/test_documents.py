"""Official documents: numbering under concurrency, the blocking checks,
rendering through the task with its cache, issued files and their checksum,
personal invitations, sanitising, scoping."""

import datetime as dt
import io
import threading
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import AgencyKind
from conferences import drafting
from conferences.models import ContentItem, Duty
from conferences.services import conference_invite
from core.exceptions import Refused
from core.scoping import user_scope
from documents import checks, services, tasks
from documents.models import Document, RenderedFile, Section

from .conftest import client_for
from .factories import AgencyFactory, ConferenceFactory, InviteeLineFactory, future

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(lang_son):
    return AgencyFactory(
        province=lang_son,
        code="UBND",
        short_name="UBND",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        name="Ủy ban nhân dân tỉnh Lạng Sơn",
    )


@pytest.fixture
def communes(lang_son):
    return [
        AgencyFactory(
            province=lang_son, kind=AgencyKind.COMMUNE, name=f"UBND xã Thử {i}", email=f"xa{i}@example.gov.vn"
        )
        for i in range(3)
    ]


@pytest.fixture
def conference(lang_son, organiser, committee, communes):
    day = future(40)
    conference = ConferenceFactory(
        province=lang_son,
        issuing_authority=committee,
        focal_agency=organiser.agency,
        date=day,
        index_years=[day.year - 1],
        created_by=organiser,
    )
    ContentItem.objects.create(conference=conference, order=1, text="Báo cáo phân tích kết quả chỉ số.")
    InviteeLineFactory(conference=conference, text="Chủ tịch UBND các xã, phường", group_kinds=["xa", "phuong"])
    Duty.objects.create(
        conference=conference,
        order=1,
        lead_agency=organiser.agency,
        task="Chuẩn bị tài liệu",
        due_date=day - dt.timedelta(days=3),
    )
    return conference


def ready(document, **fields):
    """Fill what a Văn phòng fills by hand before issue."""
    values = {
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn A",
        "authority_lines": "KT. CHỦ TỊCH",
        "recipients": "Như thành phần mời;\nLưu: VT, NC.",
    } | fields
    for name, value in values.items():
        setattr(document, name, value)
    document.save()
    return document


@pytest.fixture
def invitation(conference, organiser):
    return ready(drafting.draft_invitation(actor=organiser, conference=conference))


@pytest.fixture(autouse=True)
def committed(django_capture_on_commit_callbacks):
    """Run what the services hand to `on_commit` (the rendering tasks, eager
    here) as if their transaction had committed."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def section(document, label):
    return document.sections.get(label=label)


# --- Checks -----------------------------------------------------------------------------------


def test_a_clean_draft_passes_every_check(invitation):
    assert checks.run_checks(invitation) == []


def test_weekday_that_does_not_match_its_date_blocks_issue(invitation, organiser):
    day = invitation.source.date
    wrong = "thứ Hai" if day.weekday() != 0 else "thứ Ba"
    time = section(invitation, "Thời gian")
    time.text = time.text.replace(f"({checks.vn_weekday(day)})", f"({wrong})")
    time.save()
    with pytest.raises(Refused) as refused:
        services.issue(actor=organiser, document=invitation)
    assert any("Thứ không khớp với ngày" in r and wrong in r for r in refused.value.reasons)
    invitation.refresh_from_db()
    assert invitation.number is None and invitation.is_draft


def test_bold_deadline_on_or_after_the_conference_blocks_issue(invitation, organiser):
    late = invitation.source.date + dt.timedelta(days=1)
    extra = Section.objects.create(
        document=invitation, order=50, text=f"Gửi báo cáo **chậm nhất ngày {late:%d/%m/%Y}**."
    )
    with pytest.raises(Refused) as refused:
        services.issue(actor=organiser, document=invitation)
    assert any("không trước ngày diễn ra" in r for r in refused.value.reasons)
    extra.delete()
    assert checks.run_checks(invitation) == []


def test_follow_up_deadline_after_the_conference_is_allowed(invitation, conference):
    late = conference.date + dt.timedelta(days=20)
    Duty.objects.create(
        conference=conference,
        order=2,
        lead_agency=conference.focal_agency,
        task="Báo cáo kết quả",
        due_date=late,
        phase=Duty.Phase.FOLLOW_UP,
    )
    Section.objects.create(document=invitation, order=50, text=f"Báo cáo **trước ngày {late:%d/%m/%Y}**.")
    assert checks.run_checks(invitation) == []


def test_seed_001_year_slip_is_caught():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    document = Document.objects.get(purpose="invitation", province__code="lang-son")
    problems = checks.run_checks(document)
    assert any("Năm 2024" in p and "Chương trình công tác tháng 5 năm 2024" in p for p in problems), problems
    # Typed right, the same document passes.
    opening = document.sections.get(label="Mở đầu")
    opening.text = opening.text.replace("năm 2024", "năm 2026")
    opening.save()
    assert not [p for p in checks.run_checks(document) if "Năm" in p]


def test_weekday_in_the_long_date_form_is_checked_too():
    assert checks.check_weekdays("ngày 29 tháng 5 năm 2026 (thứ Năm)")
    assert checks.check_weekdays("ngày 29 tháng 5 năm 2026 (thứ Sáu)") == []
    assert checks.check_weekdays("thứ Sáu, ngày 29/5/2026") == []


def test_an_invitation_to_a_past_event_is_not_issued(invitation, conference):
    conference.date = future(-1)
    conference.save()
    assert any("đã qua" in p for p in checks.run_checks(invitation))


def test_files_offered_are_those_of_the_current_text(invitation, organiser, committed):
    from documents.selectors import current_files

    draft_docx = committed(services.request_file, document=invitation, kind="docx")
    assert current_files(invitation)["docx"].pk == draft_docx.pk
    document = committed(services.issue, actor=organiser, document=invitation)
    files = current_files(document)
    # Issuing renders the Word file of the numbered text; the draft's is no longer offered.
    assert files["docx"].pk != draft_docx.pk and files["pdf"].pk == document.issued_file_id
    from docx import Document as Docx

    files["docx"].refresh_from_db()
    word = Docx(files["docx"].file.open("rb"))
    assert any("Số: 01/GM-UBND" in c.text for t in word.tables for r in t.rows for c in r.cells)


def test_citations_comparisons_and_periods_are_not_year_slips():
    facts = checks.sources.Facts(years={2025})
    text = (
        "Kế hoạch số 1550/KH-UBND ngày 14/4/2023 về giai đoạn 2021-2025; tăng 0,19 điểm so với năm 2023; "
        "Nghị định số 61/2018/NĐ-CP."
    )
    assert checks.check_years(text, facts) == []
    assert checks.check_years("trong năm 2019 và ngày 05/02/2019", facts)


def test_signer_recipients_and_storage_line_are_required(invitation, organiser):
    ready(invitation, signer_name="", recipients="Như thành phần mời;")
    problems = checks.run_checks(invitation)
    assert "Chưa có họ tên người ký." in problems and "Chưa có chức vụ người ký." not in problems
    assert "Nơi nhận thiếu dòng “Lưu: VT, …”." in problems
    ready(invitation, recipients="")
    assert "Chưa có nơi nhận." in checks.run_checks(invitation)


def test_group_line_that_resolves_to_nothing_blocks_issue(invitation, conference, organiser):
    InviteeLineFactory(conference=conference, order=5, text="Đại diện các cơ quan báo chí", group_kinds=["bao_chi"])
    with pytest.raises(Refused) as refused:
        services.issue(actor=organiser, document=invitation)
    assert any("Đại diện các cơ quan báo chí" in r and "không ứng với đơn vị nào" in r for r in refused.value.reasons)


# --- Issue, numbers, immutability -----------------------------------------------------------


def test_issue_numbers_dates_renders_and_records_checksum(invitation, organiser, committee, committed):
    document = committed(services.issue, actor=organiser, document=invitation)
    assert document.number == 1 and document.symbol_display == "01/GM-UBND"
    row = document.issued_file
    row.refresh_from_db()
    document.refresh_from_db()
    assert row.status == RenderedFile.Status.DONE
    data = row.file.read()
    import hashlib

    assert document.issued_sha256 == hashlib.sha256(data).hexdigest()
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Số: 01/GM-UBND" in text
    assert f"ngày {document.issued_on:%d} tháng" in text
    # A second issue is refused; the next document gets the next number.
    with pytest.raises(Refused):
        services.issue(actor=organiser, document=document)
    second = ready(drafting.draft_conference_plan(actor=organiser, conference=invitation.source))
    assert committed(services.issue, actor=organiser, document=second).number == 2


def test_issued_document_cannot_change_and_is_replaced_by_a_new_one(invitation, organiser):
    document = services.issue(actor=organiser, document=invitation)
    document.title = "Sửa sau khi ban hành"
    with pytest.raises(Refused):
        services.document_save(actor=organiser, document=document)
    copy = services.replacement_create(actor=organiser, document=document)
    assert copy.is_draft and copy.replaces == document and copy.number is None
    assert services.replacement_create(actor=organiser, document=document) == copy  # pressed twice: one draft
    assert copy.sections.count() == document.sections.count()
    with pytest.raises(Refused):
        services.revoke(actor=organiser, document=document, reason=" ")
    services.revoke(actor=organiser, document=document, reason="Thay bằng văn bản khác")
    document.refresh_from_db()
    assert document.status == Document.Status.REVOKED and document.number == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_organisers_issuing_at_once_get_twenty_consecutive_numbers(lang_son, organiser, committee, monkeypatch):
    # The queue is the boundary: rendering is tested elsewhere; here only numbers matter.
    queued = []
    monkeypatch.setattr(tasks.render_file, "delay", lambda row_id: queued.append(row_id))
    documents = [
        services.document_create(
            actor=organiser,
            issuer=committee,
            doc_type="GM",
            title=f"Dự hội nghị {i}",
            signer_title="CHỦ TỊCH",
            signer_name="Nguyễn Văn A",
            recipients="Lưu: VT.",
            sections=[{"text": "Trân trọng kính mời./."}],
        )
        for i in range(20)
    ]
    barrier = threading.Barrier(20)
    errors = []

    def press(document):
        try:
            barrier.wait()
            with user_scope(organiser):  # each thread is a request of its own
                services.issue(actor=organiser, document=document)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Document.objects.filter(issuer=committee).values_list("number", flat=True))
    assert numbers == list(range(1, 21))
    assert len(queued) == 40  # each issued document queues its PDF and its DOCX


# --- Rendering, cache, task -------------------------------------------------------------------


def test_same_content_is_rendered_once_and_a_change_renders_again(invitation, committed):
    first = committed(services.request_file, document=invitation, kind="pdf")
    first.refresh_from_db()
    assert first.status == RenderedFile.Status.DONE and first.pages >= 1
    again = committed(services.request_file, document=invitation, kind="pdf")
    assert again.pk == first.pk
    body = section(invitation, "Kết")
    body.text = "Trân trọng kính mời đại biểu tham dự đúng giờ./."
    body.save()
    changed = committed(services.request_file, document=invitation, kind="pdf")
    assert changed.pk != first.pk and changed.content_hash != first.content_hash


def test_rendering_task_run_twice_does_the_work_once(invitation, committed):
    row = committed(services.request_file, document=invitation, kind="docx")
    row.refresh_from_db()
    name, digest = row.file.name, row.sha256
    tasks.render_file(row.pk)
    row.refresh_from_db()
    assert (row.file.name, row.sha256) == (name, digest)


def test_a_row_whose_document_changed_is_not_rendered_with_new_content(invitation):
    row = RenderedFile.objects.create(document=invitation, kind="pdf", content_hash="0" * 64)
    tasks.render_file(row.pk)
    row.refresh_from_db()
    assert row.status == RenderedFile.Status.FAILED and not row.file
    assert "đã thay đổi" in row.error


def test_docx_holds_the_same_text(invitation, committed):
    from docx import Document as Docx

    row = committed(services.request_file, document=invitation, kind="docx")
    row.refresh_from_db()
    word = Docx(row.file.open("rb"))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "GIẤY MỜI" in text and invitation.source.title in text
    assert "Chủ tịch UBND các xã, phường" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Nguyễn Văn A" in cells and "Nơi nhận:" in cells
    section_ = word.sections[0]
    assert round(section_.page_width.mm) == 210 and round(section_.left_margin.mm) == 30


# --- Personal invitations ---------------------------------------------------------------------------


def test_personal_invitations_one_per_agency_merged_and_zipped(invitation, conference, organiser, communes, committed):
    conference_invite(actor=organiser, conference=conference)
    batch = committed(services.request_batch, actor=organiser, document=invitation)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.total == 3
    items = list(batch.items.order_by("pk"))
    assert {i.addressee for i in items} == {c.name for c in communes}
    assert all(i.addressee_email.endswith("@example.gov.vn") for i in items)
    merged = PdfReader(batch.merged_file.open("rb"))
    assert len(merged.pages) == sum(i.pages for i in items)
    first_page = " ".join(merged.pages[0].extract_text().split())
    assert f"Kính gửi: {items[0].addressee}" in first_page
    with zipfile.ZipFile(batch.zip_file.open("rb")) as bundle:
        assert len(bundle.namelist()) == 3
    # Asking again for the same list returns the same batch.
    assert committed(services.request_batch, actor=organiser, document=invitation).pk == batch.pk


# --- Text safety --------------------------------------------------------------------------------------


def test_typed_markup_is_escaped_and_links_are_not_made(invitation, client, organiser):
    body = section(invitation, "Kết")
    body.text = "<script>alert(1)</script> <img src=x onerror=alert(1)> [bấm](javascript:alert(1)) **đậm**"
    body.save()
    client.force_login(organiser)
    html = client.get(reverse("documents:detail", args=[invitation.pk])).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html and 'href="javascript' not in html
    assert "<strong>đậm</strong>" in html


def test_preview_shows_typed_text_and_saves_nothing(invitation, client, organiser):
    client.force_login(organiser)
    page = client.get(reverse("documents:edit", args=[invitation.pk]))
    form = page.context["form"]
    formset = page.context["formset"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data["dated"] = ""
    data.update({f"sections-{k}": v for k, v in formset.management_form.initial.items()})
    for i, sub in enumerate(formset.forms):
        for name in ("part", "label", "heading", "text"):
            data[f"sections-{i}-{name}"] = getattr(sub.instance, name)
        data[f"sections-{i}-id"] = sub.instance.pk
    data["title"] = "Trích yếu mới gõ"
    response = client.post(reverse("documents:preview", args=[invitation.pk]), data)
    assert "Trích yếu mới gõ" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.title != "Trích yếu mới gõ"


# --- Scoping ------------------------------------------------------------------------------------------


def test_who_sees_what(invitation, client, organiser, official, other_organiser, committed):
    detail = reverse("documents:detail", args=[invitation.pk])
    client.force_login(official)
    assert client.get(detail).status_code == 404  # drafts are the organisers'
    client.force_login(other_organiser)
    assert client.get(detail).status_code == 404
    assert client.post(reverse("documents:issue", args=[invitation.pk])).status_code == 404
    document = committed(services.issue, actor=organiser, document=invitation)
    client.force_login(official)
    assert client.get(detail).status_code == 200
    assert client.get(reverse("documents:edit", args=[document.pk])).status_code == 403
    assert client.post(reverse("documents:issue", args=[document.pk])).status_code == 403
    download = reverse("documents:file-download", args=[document.pk, document.issued_file_id])
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        "filename*=utf-8''01-GM-UBND.pdf" in response["Content-Disposition"]
        or "01-GM-UBND.pdf" in response["Content-Disposition"]
    )
    client.force_login(other_organiser)
    assert client.get(download).status_code == 404


def test_document_list_query_count_does_not_grow(client, organiser, committee):
    client.force_login(organiser)
    counts = {}
    made = 0
    for rows in (1, 3, 30):
        for i in range(made, rows):
            services.document_create(actor=organiser, issuer=committee, doc_type="TB", title=f"Thông báo {i}")
        made = rows
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("documents:list"))
        assert response.status_code == 200 and len(response.context["documents"]) == rows
        counts[rows] = len(queries)
    assert counts[1] == counts[3] == counts[30], counts


def test_a_conference_invitation_is_sent_from_its_conference_not_by_the_document_page(
    invitation, conference, organiser, communes, committed
):
    """One way to send, so nobody gets two: the document page leads to the
    conference's "Gửi giấy mời" (tests/test_sending.py) and its own e-mail
    button refuses."""
    from django.core import mail

    conference_invite(actor=organiser, conference=conference)
    invitation = committed(services.issue, actor=organiser, document=invitation)
    batch = committed(services.request_batch, actor=organiser, document=invitation)
    mail.outbox.clear()
    with pytest.raises(Refused, match="Gửi giấy mời"):
        committed(services.batch_email, actor=organiser, batch=batch)
    assert mail.outbox == []
    page = client_for(organiser).get(reverse("documents:detail", args=[invitation.pk])).content.decode()
    assert reverse("conferences:send-invitations", args=[conference.pk]) in page
