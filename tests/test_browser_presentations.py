"""A presentation round in a real browser: the Sở Tài chính of Lào Cai finds
what it owes on a phone and uploads it; the organiser asks for a revision;
the official uploads again; the organiser accepts and downloads the booklet."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demo.directory import DEMO_PASSWORD
from submissions.models import Presentation

from . import presentation_files as files
from .browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 800}, "locale": "vi-VN", "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN"}


def _login(browser, live_server, username, **context):
    page = browser.new_context(**context).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_official_uploads_organiser_asks_revision_then_accepts_and_gets_the_booklet(browser, live_server, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    # The round of the meeting ahead (seed 004's round of March 2026 is over).
    owed = Presentation.objects.get(
        agency__province__code="lao-cai", agency__code="STC", assignment__conference__status="invited"
    )
    first = tmp_path / "Tham luận Sở Tài chính.pdf"
    first.write_bytes(files.pdf_bytes("TAICHINH-BAN-1", pages=2))
    second = tmp_path / "Tham luận Sở Tài chính (đã sửa).pdf"
    second.write_bytes(files.pdf_bytes("TAICHINH-BAN-2", pages=3))

    # The official, on a phone: the dashboard says what is owed and by when.
    official = _login(browser, live_server, "laocai.taichinh", **PHONE)
    card = official.locator(".home-presentations")
    assert "Còn 7 ngày" in card.inner_text()
    card.locator("text=Gửi tham luận").first.click()
    official.set_input_files("input[type=file]", str(first))
    official.click("button:has-text('Gửi tham luận')")
    official.wait_for_selector("text=Đã nhận tệp “Tham luận Sở Tài chính.pdf” (lần gửi 1)")
    screenshot(official, "presentation-official-sent")

    # The organiser asks for a revision.
    organiser = _login(browser, live_server, "laocai.noivu", **DESKTOP)
    organiser.click(".home-presentations >> text=Giải pháp nâng cao chỉ số thành phần")
    organiser.check("input[value=revise]")
    organiser.fill("textarea[name=comment]", "Đề nghị bổ sung số liệu giải ngân vốn đầu tư công năm 2025.")
    organiser.click("button:has-text('Ghi nhận')")
    organiser.wait_for_selector("text=Đã ghi nhận: Yêu cầu chỉnh sửa.")

    # The official sees why and sends a second version.
    official.reload()
    assert "bổ sung số liệu giải ngân" in official.locator(".alert-warning").inner_text()
    official.set_input_files("input[type=file]", str(second))
    official.click("button:has-text('Gửi tham luận')")
    official.wait_for_selector("text=(lần gửi 2)")
    history = official.locator("#history").inner_text()
    assert "Lần gửi 1" in history and "Lần gửi 2" in history and "Yêu cầu chỉnh sửa" in history
    screenshot(official, "presentation-official-history")

    # The organiser accepts, then makes the booklet with one click.
    organiser.reload()
    organiser.check("input[value=accept]")
    organiser.click("button:has-text('Ghi nhận')")
    organiser.wait_for_selector("text=Đã ghi nhận: Chấp nhận.")
    owed.refresh_from_db()
    assert owed.status == Presentation.Status.ACCEPTED and owed.versions.count() == 2
    organiser.click("text=Tham luận · Hội nghị giao ban")
    organiser.click("button:has-text('Tạo tài liệu hội nghị')")
    organiser.wait_for_selector("text=Tài liệu đã sẵn sàng", timeout=120_000)
    screenshot(organiser, "presentation-booklet")
    with organiser.expect_download() as download:
        organiser.click("text=Tải tài liệu (PDF)")
    reader = PdfReader(download.value.path())
    texts = [page.extract_text() for page in reader.pages]
    assert "MỤC LỤC" in texts[1]
    assert sum("TAICHINH-BAN-2" in t for t in texts) == 3 and not any("TAICHINH-BAN-1" in t for t in texts)
