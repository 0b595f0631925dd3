"""An organiser turns the Lạng Sơn demo conference into an issued
invitation in a real browser: drafts it from the data, sees the year slip
blocked, fixes it beside the live preview, issues it and downloads the PDF,
the Word file and the personal copies."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from documents.models import Document

from .browser import screenshot
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invitation_from_draft_to_issued_pdf(page, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    Document.objects.filter(purpose="invitation").delete()  # start from the conference, as a new user would
    # The demo meeting (29/5/2026) may be past on the day the suite runs: hold it a month ahead.
    from conferences.models import Conference

    from .factories import future

    Conference.objects.filter(title__startswith="Hội nghị phân tích kết quả").update(date=future(30))
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "langson.noivu")
    page.click("nav >> text=Hội nghị")
    page.click("text=Hội nghị phân tích kết quả Chỉ số hài lòng")
    page.click("#documents >> text=Soạn giấy mời")
    page.wait_for_selector("text=Đã soạn dự thảo từ dữ liệu.")
    document = Document.objects.get(purpose="invitation")

    # The preview shows the slip the seed carries, before anything is saved.
    preview = page.locator("#preview")
    assert "Năm 2024" in preview.locator(".preview-problems").inner_text()
    opening = page.locator("textarea[name='sections-0-text']")
    opening.fill(opening.input_value().replace("năm 2024", "năm 2026"))
    page.fill("#id_signer_title", "PHÓ CHÁNH VĂN PHÒNG")
    page.fill("#id_signer_name", "Nguyễn Thị Thúy")
    page.fill("#id_authority_lines", "TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG")
    page.wait_for_selector("#preview >> text=Không phát hiện lỗi.")
    assert "Nguyễn Thị Thúy" in preview.inner_text()
    document.refresh_from_db()
    assert document.signer_name == ""  # the preview saved nothing
    screenshot(page, "document-editor")
    page.click("text=Lưu và xem kiểm tra")
    page.wait_for_selector("text=Đủ điều kiện ban hành")
    page.click("text=Ban hành (cấp số)")
    page.wait_for_selector("text=Đã ban hành văn bản số 01/GM-UBND.")
    document.refresh_from_db()
    assert document.number == 1 and len(document.issued_sha256) == 64
    assert document.issued_sha256 in page.inner_text("main")
    screenshot(page, "document-issued")

    with page.expect_download() as download:
        page.click(".file-row[data-kind=pdf] >> text=Tải về")
    data = open(download.value.path(), "rb").read()
    assert download.value.suggested_filename == "01-GM-UBND.pdf"
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Số: 01/GM-UBND" in text and "Chương trình công tác tháng 5 năm 2026" in text

    # Issuing rendered the Word file of the numbered text as well.
    with page.expect_download() as download:
        page.click(".file-row[data-kind=docx] >> text=Tải về")
    assert download.value.suggested_filename == "01-GM-UBND.docx"

    # Personal copies: one per invited agency, as one merged PDF.
    page.click("text=Tạo giấy mời riêng")
    page.wait_for_selector("#batch a >> text=PDF gộp", timeout=120_000)
    with page.expect_download() as download:
        page.click("#batch a >> text=PDF gộp")
    merged = PdfReader(download.value.path())
    batch = document.batches.get()
    assert batch.total == document.source.invitations.filter(withdrawn=False).exclude(role="chair").count()
    assert len(merged.pages) == sum(batch.items.values_list("pages", flat=True))
    screenshot(page, "document-personal-invitations")
