"""Tables people use, in a real browser: officials' pages never scroll
sideways on a 390 px phone, a column header sorts on a click, and a table
prints as a table (no menu, filters or buttons; its header row again on
every sheet)."""

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from demo.directory import DEMO_PASSWORD

from .browser import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "vi-VN", "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "vi-VN"}

# Elements that scroll sideways inside the page (a wide table in its
# .table-responsive is as bad on a phone as a page that does).
SIDEWAYS = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .map(e => e.tagName.toLowerCase() + '.' + e.className)"""


def _login(browser, live_server, username, **context):
    page = browser.new_context(**context).new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def _first_links(page, pattern: str, limit: int = 2) -> list[str]:
    found = []
    for href in re.findall(r'href="(/[^"]*)"', page.content()):
        if re.fullmatch(pattern, href) and href not in found:
            found.append(href)
    return found[:limit]


def test_officials_pages_do_not_scroll_sideways_on_a_phone(browser, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    # A ward with replies to give, a department with duties and a
    # presentation due, a ward whose presentation is overdue.
    for username in ("langson.tamthanh", "laocai.taichinh", "laocai.laocai"):
        page = _login(browser, live_server, username, **PHONE)
        pages = ["/", "/giay-moi/", "/nhiem-vu/", "/tham-luan/", "/thong-bao/"]
        page.goto(f"{live_server.url}/giay-moi/")
        pages += _first_links(page, r"/giay-moi/\d+/")
        page.goto(f"{live_server.url}/nhiem-vu/")
        pages += _first_links(page, r"/nhiem-vu/\d+/")
        page.goto(f"{live_server.url}/tham-luan/")
        pages += _first_links(page, r"/tham-luan/\d+/")
        assert len(pages) > 6, f"{username} has no invitation, duty or presentation to open"
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{username} {path}: the page is {width} px wide"
            assert page.evaluate(SIDEWAYS) == [], f"{username} {path} scrolls sideways inside"
        screenshot(page, f"phone-{username}-last-page")
        page.context.close()


def test_a_header_sorts_and_the_table_prints_as_a_table(browser, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    page = _login(browser, live_server, "langson.noivu", **DESKTOP)
    page.goto(f"{live_server.url}/danh-ba/")
    # The link's name says the column and what a click does.
    page.get_by_role("link", name=re.compile(r"^Cán bộ\s*, bấm để sắp xếp giảm dần$", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"sort=-can-bo"))
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"
    assert header.inner_text().strip().lower().startswith("cán bộ")
    counts = [int(text) for text in page.locator("tbody td:last-child").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]

    # On paper: the rows alone, across the width, the header row on every sheet.
    page.emulate_media(media="print")
    for hidden in (".portal-navbar", ".filter-bar", ".btn", ".pagination", ".portal-footer"):
        assert all(not element.is_visible() for element in page.locator(hidden).all()), hidden
    table = page.locator("main table")
    assert table.evaluate("t => getComputedStyle(t.tHead).display") == "table-header-group"
    assert table.evaluate("t => getComputedStyle(t.tBodies[0].rows[0]).breakInside") == "avoid"
    width = page.locator("main").evaluate("m => m.getBoundingClientRect().width")
    assert table.evaluate("t => t.getBoundingClientRect().width") >= width - 2
    ARTIFACTS.mkdir(exist_ok=True)
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", path=str(ARTIFACTS / "directory-print.pdf"))))
    assert len(reader.pages) >= 2
    for sheet in reader.pages:
        text = sheet.extract_text()
        assert "TÊN ĐƠN VỊ" in text and "CÁN BỘ" in text, text[:300]
        assert "Xuất Excel" not in text and "Lọc" not in text

    # The board, sorted by its delegates: its buttons, filters and actions column stay off paper too.
    page.emulate_media(media="screen")
    page.click("nav >> text=Hội nghị")
    page.locator("table a.fw-semibold").first.click()
    page.goto(page.url + "theo-doi/?sort=-dai-bieu")
    page.emulate_media(media="print")
    for hidden in (".filter-bar", ".btn", ".board-table .no-print"):
        assert all(not element.is_visible() for element in page.locator(hidden).all()), hidden
    assert page.locator(".board-table th[aria-sort=descending]").inner_text().lower().startswith("đại biểu")
    page.pdf(format="A4", path=str(ARTIFACTS / "board-print.pdf"))
