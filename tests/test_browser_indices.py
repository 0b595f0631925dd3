"""An organiser of Lạng Sơn works a year's index results in a real browser:
downloads the template, fills it in Excel (openpyxl here), uploads it, sees
a bad cell refused by its address, imports the corrected file, sees at once
where each department lost points and who answers for them, publishes and
drafts the decision; then imports the province's national results as a
table and reads the summary sentence."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from documents.models import Document
from indices.models import Assessment, Framework, NationalResult

from .browser import screenshot
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _filled(template: bytes, values) -> bytes:
    """Every agency row of the template filled from values(row, column, maximum)."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.active
    maxima = {c: sheet.cell(7, c).value for c in range(4, sheet.max_column + 1)}
    for row in range(8, sheet.max_row + 1):
        for column, maximum in maxima.items():
            sheet.cell(row, column, values(row, column, maximum))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_organiser_imports_sees_losses_and_publishes(page, live_server, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    framework = Framework.objects.get(code="PAR-SO", year=2025)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "langson.noivu")
    page.click("nav >> text=Chỉ số")
    page.click(f"a[href='/chi-so/bo/{framework.pk}/']")
    with page.expect_download() as download:
        page.click("a:has-text('Tải tệp mẫu')")
    template = download.value.path().read_bytes()

    # One slip first: 9 points where the criterion allows fewer.
    bad = _filled(template, lambda row, column, maximum: 9 if (row, column) == (8, 4) else maximum)
    (tmp_path / "ket-qua.xlsx").write_bytes(bad)
    page.click("main a:has-text('Nhập từ Excel')")
    page.set_input_files("input[name=file]", str(tmp_path / "ket-qua.xlsx"))
    page.click("text=Kiểm tra và xem trước")
    page.wait_for_selector("text=chưa ghi gì")
    assert "D8" in page.inner_text(".import-errors") and "vượt điểm tối đa" in page.inner_text(".import-errors")

    # The corrected file: every department loses a quarter point on its first criterion, text "0,25" style.
    good = _filled(
        template, lambda row, column, maximum: f"{maximum - 0.25:.2f}".replace(".", ",") if column == 4 else maximum
    )
    (tmp_path / "ket-qua.xlsx").write_bytes(good)
    page.set_input_files("input[name=file]", str(tmp_path / "ket-qua.xlsx"))
    page.click("text=Kiểm tra và xem trước")
    page.wait_for_selector("text=Tệp hợp lệ")
    page.click("text=Xác nhận nhập")
    page.wait_for_selector("text=Đã nhập")
    first = framework.criteria.filter(children__isnull=True).order_by("order").first()
    table = page.inner_text(".ranking-table")
    assert f"{first.code} −0,25" in table  # each row's largest loss, beside who answers for it
    screenshot(page, "indices-ranking-after-import")

    page.click("text=Mất điểm và trách nhiệm")
    losses = page.inner_text("main")
    assert first.name in losses and "Sở Nội vụ" in losses
    screenshot(page, "indices-losses")

    page.click("text=Xếp hạng")
    page.click("text=Công bố kết quả")
    page.wait_for_selector("text=Soạn dự thảo quyết định")
    assert set(
        Assessment.objects.filter(framework=framework, agency__province__code="lang-son").values_list(
            "status", flat=True
        )
    ) == {"published"}
    page.click("text=Soạn dự thảo quyết định")
    page.wait_for_selector("text=PHỤ LỤC")
    decision = Document.objects.filter(purpose="decision", province__code="lang-son").latest("pk")
    assert decision.doc_type == "QĐ" and "năm 2025" in decision.title and "<svg" in page.content()
    screenshot(page, "indices-decision")

    # The Ministry's figures, as the office keeps them in a sheet of its own.
    book = Workbook()
    book.active.append(["Năm", "Chỉ số", "Kết quả", "Xếp hạng", "Văn bản công bố"])
    book.active.append([2025, "PAR INDEX", "86,12", "20/34", "Quyết định số 123/QĐ-BNV ngày 20/3/2026"])
    book.active.append([2025, "SIPAS", "82,40%", "18/34", ""])
    book.save(tmp_path / "toan-quoc.xlsx")
    page.goto(f"{live_server.url}/chi-so/toan-quoc/")
    page.click("text=Nhập bảng từ Excel")
    page.set_input_files("input[name=file]", str(tmp_path / "toan-quoc.xlsx"))
    page.click("text=Kiểm tra và xem trước")
    page.wait_for_selector("text=Bảng hợp lệ")
    page.click("text=Xác nhận nhập")
    page.wait_for_selector("text=Đã nhập bảng kết quả")
    assert NationalResult.objects.get(province__code="lang-son", year=2025, index="par").rank == 20
    assert "Chỉ số PAR INDEX tỉnh Lạng Sơn đạt 86,12 điểm" in page.inner_text(".summary-sentence")
    screenshot(page, "indices-national")
