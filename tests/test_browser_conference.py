"""The whole conference flow in a real browser: an organiser creates a
conference with a group invitee line, drafts and issues its invitation and
sends it (each ward its own copy by e-mail), a ward's official replies with
two delegates, the organiser sees them on the board
and checks one in from the check-in page."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from conferences.models import Conference, Delegate

from .browser import screenshot
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Hội nghị triển khai nhiệm vụ cải cách hành chính năm 2027"


def logout(page, live_server):
    page.click("nav .dropdown-toggle >> text=" + page.locator("nav .user-name").inner_text())
    page.click("text=Đăng xuất")
    page.wait_for_url(f"{live_server.url}/tai-khoan/dang-nhap/")


def pick(page, select_id: str, typed: str, label: str):
    """Choose in a picker as a person does: open it, type, click the option."""
    page.click(f"#{select_id} + .select2-container")
    page.keyboard.type(typed)
    page.click(f'.select2-results__option:text-is("{label}")')


def test_conference_from_creation_to_check_in(page, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    page.on("dialog", lambda dialog: dialog.accept())
    # Held today, so that the same test can go on to "held" and "concluded".
    day = timezone.localdate()

    # The organiser creates the conference.
    login(page, live_server, "langson.noivu")
    page.click("nav >> text=Hội nghị")
    page.click("text=Tạo hội nghị")
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "deploy")
    page.fill("#id_date", day.strftime("%d/%m/%Y"))
    page.keyboard.press("Escape")
    page.fill("#id_start_time", "08:00")
    page.fill("#id_venue", "Hội trường HĐND - UBND tỉnh")
    page.fill("#id_index_years", "2026")
    screenshot(page, "conference-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Đã lưu hội nghị.")
    conference = Conference.objects.get(title=TITLE)
    assert conference.status == "draft" and conference.date == day

    # A group line: the chairs of every commune and ward, leader plus one.
    page.click("#invitees >> text=Sửa")
    page.fill("#id_rows-0-text", "Chủ tịch UBND các xã, phường")
    page.select_option("#id_rows-0-target", "group")
    pick(page, "id_rows-0-group_kinds", "xa", "Xã")
    pick(page, "id_rows-0-group_kinds", "phuong", "Phường")
    page.fill("#id_rows-0-quota", "2")
    page.fill("#id_rows-0-quota_text", "Lãnh đạo và 01 công chức")
    screenshot(page, "conference-invitees-form")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Đã lưu: Thành phần mời.")
    assert page.locator("#invitees .badge.text-bg-primary").inner_text() == "28 đơn vị"
    # "Gửi giấy mời" opens its page: it names what is missing (the issued
    # invitation) and who will get what, and sends nothing yet.
    page.click("main a:has-text('Gửi giấy mời')")
    page.wait_for_selector("text=Chưa có giấy mời: hãy soạn giấy mời")
    assert page.locator(".send-table tbody tr").count() == 28
    assert not conference.invitations.exists()
    screenshot(page, "send-invitations-missing")
    page.click("main a:has-text('Soạn giấy mời ở mục Văn bản')")
    page.click("#documents >> text=Soạn giấy mời")
    page.wait_for_selector("text=Đã soạn dự thảo từ dữ liệu.")
    page.fill("#id_signer_title", "PHÓ CHỦ TỊCH")
    page.fill("#id_signer_name", "Nguyễn Văn Hùng")
    page.fill("#id_authority_lines", "KT. CHỦ TỊCH")
    page.click("text=Lưu và xem kiểm tra")
    page.wait_for_selector("text=Đủ điều kiện ban hành")
    page.click("text=Ban hành (cấp số)")
    page.wait_for_selector("text=Đã ban hành văn bản số")
    page.click("main a:has-text('Gửi giấy mời tới các đơn vị')")
    page.click("main button:has-text('Gửi giấy mời tới 28 đơn vị')")
    page.wait_for_selector("text=Đang gửi giấy mời tới 28 đơn vị", timeout=120_000)
    # Waited for by locator: the Content-Security-Policy refuses string predicates (no eval).
    expect(page.locator(".send-table .badge.text-bg-success")).to_have_count(28, timeout=120_000)
    screenshot(page, "send-invitations-sent")
    conference.refresh_from_db()
    assert conference.status == "invited" and conference.invitations.filter(sent_at__isnull=False).count() == 28
    assert len({m.to[0] for m in mail.outbox if m.attachments}) == 28
    logout(page, live_server)

    # The ward's official answers with two delegates.
    login(page, live_server, "langson.tamthanh")
    page.click("nav >> text=Giấy mời")
    page.click(f"text={TITLE}")
    page.check("input[name=reply][value=attending]")
    page.fill("#id_delegates-0-full_name", "Lưu Văn Bình")
    page.fill("#id_delegates-0-position", "Chủ tịch UBND phường")
    page.fill("#id_delegates-0-phone", "0912 345 678")
    page.click("text=Thêm đại biểu")
    page.fill("#id_delegates-1-full_name", "Đinh Thị Hà")
    page.fill("#id_delegates-1-position", "Công chức Văn hóa - Xã hội")
    page.click("text=Thêm đại biểu")  # a third is over the quota: refused in the page
    assert page.locator(".delegate-form").count() == 2
    page.click("main button:has-text('Gửi trả lời')")
    page.wait_for_selector("text=Đã gửi trả lời")
    assert page.locator(".qr-card img").count() == 2
    screenshot(page, "invitation-replied")
    logout(page, live_server)

    # The organiser sees them on the board and checks one in.
    login(page, live_server, "langson.noivu")
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/theo-doi/")
    row = page.locator("tr", has_text="UBND phường Tam Thanh")
    assert "Tham dự" in row.inner_text() and "Lưu Văn Bình" in row.inner_text() and "Đinh Thị Hà" in row.inner_text()
    screenshot(page, "conference-board")
    page.click("text=Điểm danh")
    page.fill("#checkin-q", "dinh thi ha")
    page.wait_for_selector(".checkin-row:has-text('Đinh Thị Hà')")
    expect(page.locator(".checkin-row")).to_have_count(1)
    page.click(".checkin-row:has-text('Đinh Thị Hà') >> text=Có mặt")
    page.wait_for_selector(".checkin-row.is-present")
    assert page.locator("#checkin-totals").inner_text().startswith("1 / 2")
    screenshot(page, "conference-checkin")
    present = Delegate.objects.get(full_name="Đinh Thị Hà")
    assert present.checked_in_at is not None
    assert Delegate.objects.get(full_name="Lưu Văn Bình").checked_in_at is None

    # After the conference: held, then concluded with its conclusions.
    page.goto(f"{live_server.url}/hoi-nghi/{conference.pk}/")
    page.click("main button:has-text('Đã tổ chức')")
    page.wait_for_selector("text=Đã ghi nhận hội nghị đã tổ chức.")
    page.click("main a:has-text('Kết luận')")
    page.click("main button[type=submit]")  # empty: refused beside the field
    assert page.locator(".invalid-feedback, .is-invalid").count() >= 1
    page.fill(
        "#id_conclusions", "Giao các xã, phường khắc phục các tiêu chí chưa đạt điểm tối đa trước ngày 30/6/2027."
    )
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Đã lưu kết luận; hội nghị đã kết thúc.")
    assert page.locator(".status-steps li.current").inner_text().endswith("Đã kết luận")
    screenshot(page, "conference-concluded")
    conference.refresh_from_db()
    assert conference.status == "concluded" and conference.conclusions.startswith("Giao các xã")
