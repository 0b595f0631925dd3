"""The national league table, a province's standing and the comparison in
a real browser: on a 1,366 px screen and a 390 px phone, with no sideways
scroll, the charts drawn, a header that sorts."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from agencies.models import Province
from indices.models import NationalResult

from .browser import screenshot
from .test_browser_tables import DESKTOP, PHONE, SIDEWAYS, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _publish_every_province():
    """PAR INDEX and SIPAS of 2022-2024 for the 63, and 2025 for the 34."""
    provinces = list(Province.objects.exclude(region="").order_by("name"))
    rows = []
    for index, base in (("par", Decimal("88")), ("sipas", Decimal("80"))):
        for year in (2022, 2023, 2024, 2025):
            ranked = [p for p in provinces if year <= 2024 or p.active_to is None]
            # A different order each year, so ranks move both ways.
            ranked.sort(key=lambda p: (p.pk * (year - 2017)) % 97)
            for rank, province in enumerate(ranked, start=1):
                score = base + Decimal(len(ranked) - rank) / 8
                rows.append(
                    NationalResult(
                        province=province, index=index, year=year, score=score, rank=rank, out_of=len(ranked)
                    )
                )
    NationalResult.public.bulk_create(rows, ignore_conflicts=True)


def _fits(page, width: int, path: str):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{path}: the page is {scroll} px wide"
    assert page.evaluate(SIDEWAYS) == [], f"{path} scrolls sideways inside"


def test_league_standing_and_comparison_on_a_screen_and_a_phone(browser, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    _publish_every_province()
    pages = {
        "league": "/chi-so/bang-xep-hang/",
        "league-2024": "/chi-so/bang-xep-hang/?nam=2024&sort=-doi-hang",
        "standing": "/chi-so/tinh/tuyen-quang/?chi-so=par",
        "merged": "/chi-so/tinh/ha-giang/",
        "compare": "/chi-so/so-sanh/?tinh=lai-chau&tinh=lao-cai&tinh=lang-son&chi-so=par",
    }
    for device, context, width in (("desktop", DESKTOP, 1366), ("phone", PHONE, 390)):
        page = _login(browser, live_server, "langson.taichinh", **context)
        for name, path in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            _fits(page, width, path)
            screenshot(page, f"league-{device}-{name}")
        page.context.close()


def test_league_header_sorts_and_a_province_opens_its_standing(browser, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    _publish_every_province()
    page = _login(browser, live_server, "langson.noivu", **DESKTOP)
    page.goto(f"{live_server.url}/chi-so/bang-xep-hang/")
    assert page.locator("table.league-table tbody tr").count() == 34
    assert page.get_by_role("link", name="Nhập bảng công bố").count() == 1
    page.get_by_role("link", name=re.compile(r"^Tỉnh, thành phố\s*, bấm để sắp xếp")).click()
    page.wait_for_url(re.compile(r"sort=tinh"))
    first = page.locator("table.league-table tbody tr").first
    assert first.locator("td").nth(1).inner_text().startswith("An Giang")
    page.fill("#id_q", "tuyen quang")
    page.get_by_role("button", name="Lọc").click()
    assert page.locator("table.league-table tbody tr").count() == 1
    assert "gồm cả Hà Giang" in page.locator("table.league-table").inner_text()
    page.get_by_role("link", name="Tuyên Quang", exact=True).click()
    page.wait_for_url(re.compile(r"/chi-so/tinh/tuyen-quang/"))
    assert page.locator("svg.chart title").first.text_content().startswith("Thứ hạng PAR INDEX")
    assert "Hà Giang (trước hợp nhất)" in page.locator("svg.chart").first.inner_html()
    screenshot(page, "league-desktop-standing-after-click")
    page.context.close()


def _ministry_table_2025(path) -> str:
    """The Ministry's 2025 appendix for the 34, as an office saves it: a title,
    the header with the years, the previous year beside, names written the
    appendix's way ("TP. Hồ Chí Minh", "Thành phố Huế")."""
    from openpyxl import Workbook

    provinces = list(Province.objects.filter(active_to__isnull=True).order_by("code"))
    book = Workbook()
    sheet = book.active
    sheet.append(["PHỤ LỤC", None, None, None, None])
    sheet.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025"])
    sheet.append([])
    sheet.append(["STT", "Tỉnh, thành phố", "Chỉ số PAR INDEX 2025", "Xếp hạng 2025", "Tăng/giảm hạng"])
    for rank, province in enumerate(provinces, start=1):
        name = {"ho-chi-minh": "TP. Hồ Chí Minh", "hue": "Thành phố Huế"}.get(province.code, province.name)
        sheet.append([rank, name, float(Decimal("92.5") - Decimal(rank) / 4), rank, None])
    book.save(path)
    return str(path)


def test_an_organiser_imports_the_ministry_table_and_reads_where_the_province_stands(browser, live_server, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    table = _ministry_table_2025(tmp_path / "par-index-2025.xlsx")
    for device, context in (("desktop", DESKTOP), ("phone", PHONE)):
        page = _login(browser, live_server, "langson.noivu", **context)
        page.goto(f"{live_server.url}/chi-so/bang-xep-hang/nhap/")
        page.set_input_files("#id_file", table)
        page.get_by_role("button", name="Kiểm tra và xem trước").click()
        if device == "desktop":
            assert "34 tỉnh, thành phố: 34 kết quả mới" in page.locator("main").inner_text()
            screenshot(page, "league-import-preview")
            page.get_by_role("button", name="Xác nhận nhập").click()
            page.wait_for_url(re.compile(r"/chi-so/bang-xep-hang/\?chi-so=par&nam=2025$"))  # the table just imported
            assert "Đã nhập bảng kết quả: 34 kết quả mới" in page.locator("main").inner_text()
        else:  # the same table again: nothing to change
            assert "34 tỉnh, thành phố: 0 kết quả mới, 0 cập nhật, 34 không đổi" in page.locator("main").inner_text()
            page.goto(f"{live_server.url}/chi-so/bang-xep-hang/")
        assert NationalResult.public.filter(year=2025, index="par").count() == 34
        rows = page.locator("table.league-table tbody tr")
        assert rows.count() == 34
        assert "gồm cả" in page.locator("table.league-table").inner_text()  # the merged provinces' lineage
        _fits(page, 1366 if device == "desktop" else 390, "/chi-so/bang-xep-hang/")
        page.goto(f"{live_server.url}/chi-so/tinh/lang-son/?chi-so=par")
        peers = page.locator("main").inner_text()
        assert "Cùng vùng" in peers and "Trung du và miền núi phía Bắc" in peers
        screenshot(page, f"league-import-standing-{device}")
        page.context.close()
