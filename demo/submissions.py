"""Demo presentations: seed 004's six assignments (Lào Cai), in the states
a real round goes through. The files are made here: small PDFs rendered by
WeasyPrint and Word files written by python-docx."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agencies.models import Agency, AgencyKind, User
from conferences.models import Conference
from demo.conferences import PRESENTATIONS_004, TITLE_004
from submissions import services
from submissions.models import Assignment, Presentation, Review, Version

GUIDANCE = (
    "Tập trung phân tích những nội dung chưa đạt điểm tối đa trong năm 2025, xác định rõ trách nhiệm của cơ quan, "
    "đơn vị, cá nhân có liên quan; đề xuất các giải pháp khắc phục trong năm 2026. Dung lượng khoảng 5 – 7 "
    "trang; thời gian trình bày không quá 10 phút."
)
CODES_004 = ["SNV", "SKHCN", "CA", "STC", "STP"]


def demo_pdf(title: str, agency: str, pages: int = 2) -> bytes:
    from weasyprint import HTML

    body = "".join(
        f"<h2>{number}. Nội dung {number}</h2><p>{'Đánh giá kết quả, tồn tại, hạn chế và giải pháp. ' * 40}</p>"
        + ('<p style="break-after: page"></p>' if number < pages else "")
        for number in range(1, pages + 1)
    )
    html = (
        f'<html lang="vi"><head><meta charset="utf-8"><style>@page {{ size: A4; margin: 20mm 20mm 20mm 30mm }}'
        f'body {{ font-family: "Liberation Serif", "Tinos", serif; font-size: 13pt }}</style></head>'
        f"<body><p><b>{agency.upper()}</b></p><h1>THAM LUẬN</h1><p><b>{title}</b></p>{body}</body></html>"
    )
    return HTML(string=html).write_pdf()


def demo_docx(title: str, agency: str) -> bytes:
    from docx import Document
    from docx.shared import Mm

    document = Document()
    for section in document.sections:  # python-docx starts on US Letter; agencies write on A4
        section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_paragraph(agency.upper())
    document.add_heading("THAM LUẬN", level=1)
    document.add_paragraph(title)
    for number in range(1, 4):
        document.add_heading(f"{number}. Nội dung {number}", level=2)
        document.add_paragraph("Đánh giá kết quả, tồn tại, hạn chế và giải pháp. " * 20)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(presentation: Presentation, actor, *, kind: str, at: dt.datetime, note: str = "") -> Version:
    title, agency = presentation.assignment.topic, presentation.agency.name
    short = "".join(word[0] for word in agency.split()[:4])
    if kind == "pdf":
        upload = SimpleUploadedFile(f"Tham luận {short}.pdf", demo_pdf(title, agency), "application/pdf")
    else:
        upload = SimpleUploadedFile(f"Tham luận {short}.docx", demo_docx(title, agency), "application/octet-stream")
    version = services.version_upload(actor=actor, presentation=presentation, upload=upload, note=note)
    # Backdated so the history reads like a real round.
    late = at > presentation.assignment.due_at
    Version.objects.filter(pk=version.pk).update(uploaded_at=at, is_late=late)
    if version.number == 1:
        Presentation.objects.filter(pk=presentation.pk).update(first_submitted_at=at, late=late)
    presentation.refresh_from_db()
    return version


def _review(presentation: Presentation, organiser, decision: str, comment: str, *, at: dt.datetime):
    review = services.presentation_review(
        actor=organiser, presentation=presentation, decision=decision, comment=comment
    )
    Review.objects.filter(pk=review.pk).update(created_at=at)
    presentation.refresh_from_db()


def _uploader(agency: Agency, organiser):
    return User.objects.filter(agency=agency, role="official").first() or organiser


def seed_presentations(*, stdout=None) -> None:
    conference = Conference.objects.filter(title=TITLE_004).select_related("province").first()
    if conference is None or conference.presentation_assignments.exists():
        return
    organiser = User.objects.filter(agency__province=conference.province, role="organiser").first()
    agencies = {a.code: a for a in Agency.objects.filter(province=conference.province)}
    slot = conference.programme_items.filter(title__startswith="Tham luận").first()
    # Seed 004's round ran in March 2026, before the conference: its dates are
    # those, and late files were taken (so the history can be written now).
    now = timezone.make_aware(dt.datetime(2026, 3, 22, 10, 0))
    departments_due, communes_due = dt.date(2026, 3, 24), dt.date(2026, 3, 20)
    assignments = []
    for order, (topic, unit) in enumerate(PRESENTATIONS_004, start=1):
        assignment = Assignment(
            conference=conference,
            order=order,
            topic=topic,
            guidance=GUIDANCE,
            programme_item=slot,
            due_date=departments_due,
            allow_late=True,
        )
        if order <= len(CODES_004):
            assignment.agency = agencies[CODES_004[order - 1]]
        else:
            # Seed 004's group: the communes and wards awarded at this conference.
            assignment.assignee = Assignment.Assignee.AWARDEES
            assignment.group_label = unit
            assignment.group_kinds = [AgencyKind.COMMUNE, AgencyKind.WARD]
            assignment.due_date = communes_due
        assignments.append(services.assignment_save(actor=organiser, assignment=assignment))

    def thread(assignment, code=None):
        qs = assignment.presentations.select_related("agency", "assignment")
        return qs.get(agency__code=code) if code else qs.get()

    days = lambda n: now - dt.timedelta(days=n)  # noqa: E731
    snv, skhcn, ca, _stc, stp, group = assignments
    # Sở Nội vụ: sent a PDF, accepted.
    p = thread(snv)
    _upload(p, _uploader(p.agency, organiser), kind="pdf", at=days(6))
    _review(p, organiser, Review.Decision.ACCEPT, "", at=days(5))
    # Sở Khoa học và Công nghệ: a Word file; asked to revise.
    p = thread(skhcn)
    _upload(p, _uploader(p.agency, organiser), kind="docx", at=days(4), note="Bản dự thảo lần 1.")
    _review(
        p,
        organiser,
        Review.Decision.REVISE,
        "Đề nghị bổ sung số liệu về tỷ lệ hồ sơ trực tuyến toàn trình năm "
        "2025 và nêu rõ các chỉ số thành phần chưa đạt điểm tối đa.",
        at=days(3),
    )
    # Công an tỉnh: sent, waiting for the organiser.
    p = thread(ca)
    _upload(p, _uploader(p.agency, organiser), kind="pdf", at=days(1))
    # Sở Tài chính: nothing yet (the demo official of Sở Tài chính owes it).
    # Sở Tư pháp: revised once, then accepted; its Word file goes into the booklet converted.
    p = thread(stp)
    _upload(p, _uploader(p.agency, organiser), kind="docx", at=days(7))
    _review(p, organiser, Review.Decision.REVISE, "Đề nghị rút gọn phần kết quả, tập trung vào giải pháp.", at=days(6))
    _upload(p, _uploader(p.agency, organiser), kind="docx", at=days(5), note="Đã chỉnh sửa theo góp ý.")
    _review(p, organiser, Review.Decision.ACCEPT, "", at=days(4))
    # The awarded communes: one accepted on time, one sent late; the others owe it, overdue.
    for code, when, decision in (("X-BACHA", 5, Review.Decision.ACCEPT), ("X-BATXAT", 1, None)):
        p = thread(group, code)
        _upload(p, _uploader(p.agency, organiser), kind="pdf", at=days(when))
        if decision:
            _review(p, organiser, decision, "", at=days(when - 1))
    if stdout is not None:
        stdout.write(
            f"Tham luận mẫu: {len(assignments)} chủ đề, "
            f"{Presentation.objects.filter(assignment__conference=conference).count()} đơn vị tham luận."
        )
