import pytest
from django.core.management import call_command

from demo.directory import DEMO_PASSWORD

from .browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# username: (page heading, a section only that role's dashboard has, province in the brand)
EXPECTED = {
    "quantri": ("Quản trị hệ thống", "Người dùng và vai trò", None),
    "langson.noivu": ("Xin chào, Hương", "Các lần nhập danh bạ gần đây", "Tỉnh Lạng Sơn"),
    "langson.lanhdao": ("Tổng quan tỉnh Lạng Sơn", "Chỉ số PAR INDEX, SIPAS", "Tỉnh Lạng Sơn"),
    "langson.taichinh": ("Xin chào, Nga", "Giấy mời cần trả lời", "Tỉnh Lạng Sơn"),
    "langson.tamthanh": ("Xin chào, Bình", "Giấy mời cần trả lời", "Tỉnh Lạng Sơn"),
    "laocai.noivu": ("Xin chào, Trang", "Các lần nhập danh bạ gần đây", "Tỉnh Lào Cai"),
}


def login(page, live_server, username):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_each_demo_role_logs_in_and_sees_its_dashboard(page, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for username, (heading, section, province) in EXPECTED.items():
        login(page, live_server, username)
        assert page.locator("h1").first.inner_text().strip() == heading
        assert page.get_by_text(section).first.is_visible()
        brand = page.locator(".navbar-brand").inner_text()
        if province:
            assert province in brand
        screenshot(page, f"home-{username}")
        page.click("nav .dropdown-toggle >> text=" + page.locator("nav .user-name").inner_text())
        page.click("text=Đăng xuất")
        page.wait_for_url(f"{live_server.url}/tai-khoan/dang-nhap/")


def test_organiser_searches_directory_without_diacritics_and_stays_in_province(page, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    login(page, live_server, "langson.noivu")
    page.goto(f"{live_server.url}/danh-ba/")
    page.fill("input[name=q]", "that khe")
    page.click("button:has-text('Lọc')")
    rows = page.locator("table tbody tr")
    texts = rows.all_inner_texts()
    assert any("UBND xã Thất Khê" in t for t in texts)
    assert not any("Lào Cai" in t for t in texts)
    screenshot(page, "directory-search")


def test_official_on_phone_sees_menu_and_dashboard(browser, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server, "langson.tamthanh")
    assert page.locator("h1").first.is_visible()
    # The navigation collapses behind the toggler on a phone.
    assert not page.locator("#mainNav").is_visible()
    page.click(".navbar-toggler")
    page.locator("#mainNav").wait_for(state="visible")
    screenshot(page, "phone-official")
    context.close()


def test_invalid_typed_date_is_kept_and_refused_with_message(page, live_server):
    from agencies.models import Agency

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    agency = Agency.objects.get(province__code="lang-son", code="STP")
    login(page, live_server, "langson.noivu")
    page.goto(f"{live_server.url}/danh-ba/don-vi/{agency.pk}/sua/")
    page.fill("#id_active_from", "31/02/2025")
    page.click("#id_name")  # leaves the field: the date picker must not roll it over or empty it
    assert page.input_value("#id_active_from") == "31/02/2025"
    page.click("main button[type=submit]")
    assert page.locator(".invalid-feedback").inner_text() == "Nhập một ngày hợp lệ."
    assert page.input_value("#id_active_from") == "31/02/2025"
    agency.refresh_from_db()
    assert agency.active_from is None
    page.fill("#id_active_from", "1/7/2025")
    page.click("#id_name")
    assert page.input_value("#id_active_from") == "01/07/2025"
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/danh-ba/don-vi/{agency.pk}/")
    agency.refresh_from_db()
    assert agency.active_from.isoformat() == "2025-07-01"
