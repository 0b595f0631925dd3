"""The national league table, a province's standing and the comparison:
published order, the changes since the year before, filters and search
that ignore diacritics, the export equal to the page, the lineage of the
provinces merged on 1/7/2025, public to every signed-in user, and a query
count that does not grow with the provinces."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import Province, Region
from indices import charts
from indices.models import NationalResult

from .conftest import client_for

pytestmark = pytest.mark.django_db

LEAGUE = reverse("indices:league")
EXPORT = reverse("indices:league-export")


def publish(index: str, year: int, lines: list[tuple[str, str, int | None]]) -> None:
    """A published table: (province code, score, rank) per line."""
    provinces = {p.code: p for p in Province.objects.filter(code__in=[code for code, *_ in lines])}
    NationalResult.public.bulk_create(
        NationalResult(
            province=provinces[code],
            index=index,
            year=year,
            score=Decimal(score),
            rank=rank,
            out_of=NationalResult.provinces_in(year),
        )
        for code, score, rank in lines
    )


def names(response) -> list[str]:
    return [row.province.name for row in response.context["rows"]]


@pytest.fixture
def table_2024(db):
    """Six provinces in 2024, four of them in 2023 too: Lai Châu falls, Lào Cai rises."""
    publish(
        "par",
        2023,
        [("lao-cai", "86.10", 40), ("lai-chau", "85.78", 49), ("lang-son", "84.00", 55), ("quang-ninh", "91.00", 1)],
    )
    publish(
        "par",
        2024,
        [
            ("quang-ninh", "92.25", 1),
            ("lao-cai", "88.40", 20),
            ("ha-giang", "86.50", 45),
            ("dien-bien", "86.00", 53),
            ("lai-chau", "85.97", 56),
            ("lang-son", "84.00", 59),
        ],
    )


def test_league_lists_the_latest_year_in_published_order(official, table_2024):
    response = client_for(official).get(LEAGUE)
    assert response.status_code == 200
    assert (response.context["index"].code, response.context["year"]) == ("par", 2024)
    assert names(response) == ["Quảng Ninh", "Lào Cai", "Hà Giang", "Điện Biên", "Lai Châu", "Lạng Sơn"]
    assert [row.rank for row in response.context["rows"]] == [1, 20, 45, 53, 56, 59]
    html = response.content.decode()
    assert "Bảng xếp hạng PAR INDEX toàn quốc năm 2024" in html
    assert f'href="{reverse("indices:province-standing", args=["lai-chau"])}?chi-so=par"' in html
    # Importing is for organisers and administrators.
    assert reverse("indices:league-import") not in html


def test_league_shows_the_change_of_score_and_rank_since_the_year_before(official, table_2024):
    response = client_for(official).get(LEAGUE)
    rows = {row.province.code: row for row in response.context["rows"]}
    assert (rows["lai-chau"].score_change, rows["lai-chau"].rank_change) == (Decimal("0.19"), -7)
    assert (rows["lao-cai"].score_change, rows["lao-cai"].rank_change) == (Decimal("2.30"), 20)
    assert (rows["lang-son"].score_change, rows["lang-son"].rank_change) == (Decimal("0"), -4)
    assert (rows["ha-giang"].score_change, rows["ha-giang"].rank_change) == (None, None)
    html = response.content.decode()
    assert "+0,19" in html and "+2,30" in html and "±0,00" in html
    assert "giảm 7 bậc" in html and "tăng 20 bậc" in html
    assert "từ 49/63" in html


def test_league_of_a_percent_index_counts_changes_in_points_of_percent(official):
    publish("sipas", 2023, [("lai-chau", "79.82", 50)])
    publish("sipas", 2024, [("lai-chau", "81.51", 55)])
    html = client_for(official).get(LEAGUE, {"chi-so": "sipas"}).content.decode()
    assert "81,51%" in html
    assert "điểm phần trăm" in html
    assert "+1,69" in html


def test_league_filters_by_region(official, table_2024):
    response = client_for(official).get(LEAGUE, {"vung": Region.NORTH_MOUNTAINS})
    assert names(response) == ["Lào Cai", "Hà Giang", "Điện Biên", "Lai Châu", "Lạng Sơn"]
    # Each keeps its rank in the whole table.
    assert [row.rank for row in response.context["rows"]] == [20, 45, 53, 56, 59]
    # The heading says both: ranked among all, five shown.
    text = " ".join(response.content.decode().split())
    assert "xếp hạng trên 63 tỉnh, thành phố" in text and "đang xem 5 tỉnh, thành phố vùng" in text


def test_league_search_ignores_diacritics_and_case(official, table_2024):
    assert names(client_for(official).get(LEAGUE, {"q": "LAI chau"})) == ["Lai Châu"]
    assert names(client_for(official).get(LEAGUE, {"q": "lang son"})) == ["Lạng Sơn"]
    response = client_for(official).get(LEAGUE, {"q": "không có"})
    assert names(response) == []
    assert "Không có tỉnh, thành phố nào khớp" in response.content.decode()


def test_league_sorts_by_any_column(official, table_2024):
    client = client_for(official)
    assert names(client.get(LEAGUE, {"sort": "-doi-hang"}))[:3] == ["Lào Cai", "Quảng Ninh", "Lạng Sơn"]
    assert names(client.get(LEAGUE, {"sort": "doi-hang"}))[:2] == ["Lai Châu", "Lạng Sơn"]
    assert names(client.get(LEAGUE, {"sort": "tinh"})) == [
        "Điện Biên",
        "Hà Giang",
        "Lai Châu",
        "Lạng Sơn",
        "Lào Cai",
        "Quảng Ninh",
    ]
    assert names(client.get(LEAGUE, {"sort": "-diem"}))[0] == "Quảng Ninh"
    # A change no one has (a first year in the table) goes last either way.
    assert set(names(client.get(LEAGUE, {"sort": "-doi-diem"}))[-2:]) == {"Hà Giang", "Điện Biên"}
    assert set(names(client.get(LEAGUE, {"sort": "doi-diem"}))[-2:]) == {"Hà Giang", "Điện Biên"}


def test_league_picks_the_year_and_index_asked(official, table_2024):
    response = client_for(official).get(LEAGUE, {"nam": "2023"})
    assert response.context["year"] == 2023
    assert names(response) == ["Quảng Ninh", "Lào Cai", "Lai Châu", "Lạng Sơn"]
    # A year without results for the index falls back to its latest.
    assert client_for(official).get(LEAGUE, {"nam": "1999"}).context["year"] == 2024


def test_league_export_holds_exactly_the_lines_shown(organiser, table_2024):
    query = {"vung": Region.NORTH_MOUNTAINS, "sort": "-doi-diem", "q": "la"}
    client = client_for(organiser)
    shown = client.get(LEAGUE, query).context["rows"]
    response = client.get(EXPORT, query)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bang-xep-hang-par-2024.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == (
        "Hạng",
        "Tỉnh, thành phố",
        "Vùng",
        "Kết quả",
        "Điểm so với 2023 (điểm)",
        "Hạng so với 2023 (bậc)",
        "Trên tổng số",
        "Ghi chú",
    )
    assert (
        [line[1] for line in lines[1:]] == [row.province.name for row in shown] == ["Lào Cai", "Lai Châu", "Lạng Sơn"]
    )
    assert lines[1][:7] == (20, "Lào Cai", "Trung du và miền núi phía Bắc", 88.4, 2.3, 20, 63)
    assert lines[2][4:6] == (0.19, -7)


def test_league_export_writes_a_name_like_a_formula_as_text(organiser, table_2024):
    Province.objects.filter(code="lai-chau").update(name='=HYPERLINK("http://x","y")')
    response = client_for(organiser).get(EXPORT)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"s"}
    assert '=HYPERLINK("http://x","y")' in [cell.value for cell in cells]


def test_league_of_2025_continues_a_successors_line_and_names_its_predecessors(official, table_2024):
    publish("par", 2024, [("tuyen-quang", "87.00", 30)])
    publish("par", 2025, [("tuyen-quang", "88.00", 10), ("lao-cai", "89.00", 5)])
    response = client_for(official).get(LEAGUE)
    assert response.context["year"] == 2025
    rows = {row.province.code: row for row in response.context["rows"]}
    # Tuyên Quang's year before is its own 2024 row, never Hà Giang's added in.
    # 10th of 34 after 30th of 63: the places of tables of different sizes do not compare.
    assert (rows["tuyen-quang"].score_change, rows["tuyen-quang"].rank_change) == (Decimal("1.00"), None)
    assert rows["tuyen-quang"].rank_incomparable
    assert [p.name for p in rows["tuyen-quang"].includes] == ["Hà Giang"]
    assert rows["tuyen-quang"].includes_note == "gồm cả Hà Giang từ 01/7/2025"
    assert [p.name for p in rows["lao-cai"].includes] == ["Yên Bái"]
    assert "gồm cả Hà Giang từ 01/7/2025" in response.content.decode()


def test_league_of_2024_marks_a_province_merged_since(official, table_2024):
    response = client_for(official).get(LEAGUE, {"nam": "2024"})
    rows = {row.province.code: row for row in response.context["rows"]}
    assert rows["ha-giang"].merged_into.name == "Tuyên Quang"
    assert rows["ha-giang"].note == "đã hợp nhất vào Tuyên Quang từ 01/7/2025"
    assert rows["lai-chau"].note == ""
    html = response.content.decode()
    assert "đã hợp nhất vào" in html
    assert reverse("indices:province-standing", args=["tuyen-quang"]) in html


def test_league_without_results_says_so_and_leads_importers_to_the_import(official, organiser):
    html = client_for(official).get(LEAGUE).content.decode()
    assert "Chưa có kết quả PAR INDEX nào được nhập" in html
    assert reverse("indices:league-import") not in html
    html = client_for(organiser).get(LEAGUE).content.decode()
    assert reverse("indices:league-import") in html
    assert "Nhập bảng công bố" in html


def test_a_successors_page_lists_its_predecessors_past(official, table_2024):
    publish("par", 2023, [("ha-giang", "84.10", 58)])
    publish("par", 2024, [("tuyen-quang", "87.00", 30)])
    publish("par", 2025, [("tuyen-quang", "88.00", 10)])
    response = client_for(official).get(reverse("indices:province-standing", args=["tuyen-quang"]))
    assert response.status_code == 200
    standing = response.context["standing"]
    assert [line.year for line in standing.lines] == [2024, 2025]
    [(predecessor, history)] = standing.earlier
    assert predecessor.name == "Hà Giang"
    assert [(line.year, line.result.rank) for line in history] == [(2023, 58), (2024, 45)]
    html = response.content.decode()
    assert "PAR INDEX của các tỉnh trước khi hợp nhất" in html
    assert "86,50" in html and "45/63" in html  # Hà Giang's 2024
    # The chart draws the predecessor's line in the colour of earlier units.
    assert 'stroke="#8a6d3b"' in response.context["chart"]
    assert "Hà Giang (trước hợp nhất)" in response.context["chart"]


def test_a_merged_provinces_page_keeps_its_past_and_links_its_successor(official, table_2024):
    response = client_for(official).get(reverse("indices:province-standing", args=["ha-giang"]))
    assert response.status_code == 200
    assert [line.year for line in response.context["standing"].lines] == [2024]
    html = response.content.decode()
    assert "đã hợp nhất vào" in html
    assert reverse("indices:province-standing", args=["tuyen-quang"]) in html


def test_a_provinces_page_shows_its_movement_chart_and_peers(official, table_2024):
    response = client_for(official).get(reverse("indices:province-standing", args=["lai-chau"]))
    lines = response.context["lines"]
    assert [(line.year, line.score_change, line.rank_change) for line in lines] == [
        (2024, Decimal("0.19"), -7),
        (2023, None, None),
    ]
    chart = response.context["chart"]
    assert chart.startswith("<svg") and "<title>" in chart and "<desc>" in chart
    assert "Lai Châu: 2023: hạng 49; 2024: hạng 56" in chart
    peers = response.context["peers"]
    assert peers.year == 2024
    assert [row.province.name for row in peers.neighbours] == ["Điện Biên", "Lai Châu", "Lạng Sơn"]
    assert [row.province.name for row in peers.region] == ["Lào Cai", "Hà Giang", "Điện Biên", "Lai Châu", "Lạng Sơn"]
    # 56 of 63 is in the ninth tenth (51-56) with Điện Biên; 59 is in the last.
    assert peers.band_number == 9
    assert [row.province.name for row in peers.band] == ["Điện Biên", "Lai Châu"]


def test_a_rank_chart_puts_rank_one_at_the_top(official, table_2024):
    chart = client_for(official).get(reverse("indices:province-standing", args=["lao-cai"])).context["chart"]
    # Lào Cai rose from 40 to 20: its 2024 point stands higher (a smaller y).
    import re

    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', chart)]
    assert len(ys) == 2 and ys[1] < ys[0]


def test_compare_puts_provinces_side_by_side(official, table_2024):
    url = reverse("indices:compare")
    response = client_for(official).get(url, {"tinh": ["lai-chau", "lao-cai"], "chi-so": "par"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0]["year"] == 2024
    assert [(p.code, r.rank) for p, r in rows[0]["cells"]] == [("lai-chau", 56), ("lao-cai", 20)]
    chart = response.context["chart"]
    assert "<title>" in chart and "Lai Châu" in chart and "Lào Cai" in chart
    assert chart.count("<polyline") == 2
    scatter = response.context["scatter"]
    assert "<desc>" in scatter and scatter.count('r="6"') == 2  # the two compared, among the grey
    html = response.content.decode()
    assert "hạng 56/63" in html and "hạng 20/63" in html


def test_compare_asks_for_two_provinces_and_refuses_an_unknown_one(official, table_2024):
    url = reverse("indices:compare")
    response = client_for(official).get(url, {"tinh": ["lai-chau"]})
    assert response.status_code == 200 and response.context["found"] is None
    assert "Chọn ít nhất hai tỉnh" in response.content.decode()
    assert client_for(official).get(url, {"tinh": ["lai-chau", "khong-co"]}).status_code == 404


@pytest.mark.parametrize("role", ["official", "leader", "organiser", "administrator"])
def test_every_page_answers_for_anyone_signed_in_of_any_province(request, role, lao_cai, table_2024):
    user = request.getfixturevalue(role)
    client = client_for(user)
    for url in (
        LEAGUE,
        EXPORT,
        reverse("indices:province-standing", args=[lao_cai.code]),
        reverse("indices:compare") + "?tinh=lao-cai&tinh=lai-chau",
    ):
        assert client.get(url).status_code == 200, (role, url)


def test_pages_need_a_signed_in_user(client, table_2024):
    response = client.get(LEAGUE)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_an_unknown_province_code_is_404(official):
    assert client_for(official).get(reverse("indices:province-standing", args=["khong-co"])).status_code == 404


def _whole_table(count: int) -> list[str]:
    codes = list(Province.objects.exclude(region="").order_by("name").values_list("code", flat=True)[:count])
    for year in (2023, 2024):
        publish("par", year, [(code, f"{90 - i * 0.1 - (year - 2023):.2f}", i + 1) for i, code in enumerate(codes)])
    return codes


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_the_provinces(official):
    client = client_for(official)
    codes = _whole_table(5)
    pages = [
        LEAGUE,
        EXPORT,
        reverse("indices:province-standing", args=[codes[2]]),
        reverse("indices:compare") + f"?tinh={codes[0]}&tinh={codes[1]}&tinh={codes[2]}",
    ]
    few = [_queries(client, url) for url in pages]
    NationalResult.public.all().delete()
    codes = _whole_table(63)
    assert len(codes) == 63
    assert NationalResult.public.count() == 126
    many = [_queries(client, url) for url in pages]
    assert many == few
    assert len(client.get(LEAGUE).context["rows"]) == 63


def test_a_rank_line_stops_where_the_table_changes_size(official, table_2024):
    # 30th of 63 in 2024, 10th of 34 in 2025: not one scale, so no line joins them.
    publish("par", 2023, [("tuyen-quang", "86.00", 35)])
    publish("par", 2024, [("tuyen-quang", "87.00", 30)])
    publish("par", 2025, [("tuyen-quang", "88.00", 10)])
    chart = client_for(official).get(reverse("indices:province-standing", args=["tuyen-quang"])).context["chart"]
    own = [line for line in chart.split("<polyline")[1:] if 'stroke="' + charts.OWN + '"' in line]
    assert len(own) == 1 and own[0].count(",") == 2  # 2023 to 2024 only
    assert "63 → 34 tỉnh" in chart
