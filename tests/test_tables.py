"""The tables people use: the conference list, a conference's board, an
index ranking and the directory sort by each column (?sort=), search without
diacritics (?q=), keep their query count whatever the number of rows and
the order, and export exactly the rows and columns they show."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import AgencyKind
from indices import services as index_services

from . import factories as f
from .conftest import client_for
from .test_indices_results import FRAMEWORK, score
from .test_query_counts import assert_flat, assert_same_count, sheet_queries

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))


def names(rows, attribute: str) -> list[str]:
    found = []
    for row in rows:
        value = row
        for part in attribute.split("."):
            value = getattr(value, part)
        found.append(value)
    return found


# --- The conference list ----------------------------------------------------------------------


@pytest.fixture
def conferences(lang_son):
    """Three conferences that each column orders differently."""

    def conference(title, days, status, invited, attending):
        c = f.ConferenceFactory(province=lang_son, title=title, date=f.future(days), status=status)
        for i in range(invited):
            f.InvitationFactory(conference=c, reply="attending" if i < attending else "pending")
        return c

    return [
        conference("Hội nghị An toàn thông tin", 10, "planned", 1, 1),
        conference("Hội nghị Bình xét thi đua", 30, "invited", 3, 0),
        conference("Hội nghị Cao điểm phân tích chỉ số", 20, "draft", 2, 2),
    ]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("hoi-nghi", "ABC"),
        ("-hoi-nghi", "CBA"),
        ("thoi-gian", "ACB"),
        ("-thoi-gian", "BCA"),
        ("trang-thai", "CAB"),  # draft, planned, invited: the workflow's order, not the codes'
        ("-trang-thai", "BAC"),
        ("don-vi-moi", "ACB"),
        ("-don-vi-moi", "BCA"),
        ("tham-du", "BAC"),
        ("-tham-du", "CAB"),
    ],
)
def test_conference_list_sorted_by_each_column(organiser, conferences, sort, order):
    response = client_for(organiser).get(reverse("conferences:list"), {"sort": sort})
    expected = [conferences["ABC".index(letter)].title for letter in order]
    assert names(response.context["conferences"], "title") == expected


def test_conference_list_search_ignores_diacritics(organiser, conferences):
    response = client_for(organiser).get(reverse("conferences:list"), {"q": "PHAN TICH"})
    assert names(response.context["conferences"], "title") == ["Hội nghị Cao điểm phân tích chỉ số"]


def test_conference_list_headers_link_to_each_order_and_mark_the_one_in_force(organiser, conferences):
    page = client_for(organiser).get(reverse("conferences:list"), {"sort": "-tham-du", "q": "hoi nghi"})
    html = page.content.decode()
    active = re.search(r'<th scope="col"\s+class="text-end"\s+aria-sort="descending">\s*<a[^>]*>([^<]*)', html)
    assert active and active.group(1) == "Tham dự"
    # The other way round from the column in force; a column's first click keeps the search, leaves the page.
    assert 'href="?q=hoi+nghi&amp;sort=tham-du"' in html
    assert 'href="?q=hoi+nghi&amp;sort=-thoi-gian"' in html
    assert html.count("aria-sort=") == 1
    assert '<span class="visually-hidden">, bấm để sắp xếp tăng dần</span>' in html
    # The filter bar keeps the order; the phone's order select says it.
    assert re.search(r'<option value="-tham-du"\s+selected>Tham dự, giảm dần</option>', html)


def test_conference_list_export_holds_the_rows_and_columns_shown(organiser, conferences):
    client = client_for(organiser)
    query = {"sort": "-don-vi-moi", "status": "invited"}
    page = client.get(reverse("conferences:list"), query)
    assert page.context["conferences"], "the filter keeps a row"
    rows = sheet_rows(client.get(reverse("conferences:list-xlsx"), query))
    header = ("Hội nghị", "Loại", "Địa điểm", "Thời gian", "Giờ", "Trạng thái", "Đơn vị mời", "Tham dự")
    assert rows[0] == header
    assert [row[0] for row in rows[1:]] == names(page.context["conferences"], "title")
    day = dt.datetime.combine(conferences[1].date, dt.time())  # a date cell reads back as a datetime
    assert rows[1][2:] == ("Hội trường UBND tỉnh", day, "14:00", "Đã gửi giấy mời", 3, 0)


def test_conference_list_export_follows_the_sort_over_every_page(organiser, conferences):
    client = client_for(organiser)
    for query in ({"sort": "tham-du"}, {"sort": "-thoi-gian"}, {"q": "hoi nghi", "sort": "trang-thai"}):
        page = client.get(reverse("conferences:list"), query)
        rows = sheet_rows(client.get(reverse("conferences:list-xlsx"), query))
        assert [row[0] for row in rows[1:]] == names(page.context["conferences"], "title"), query


# --- The board --------------------------------------------------------------------------------


@pytest.fixture
def board(lang_son):
    """An invited conference whose three agencies each column orders differently."""
    conference = f.ConferenceFactory(province=lang_son, status="invited", invited_at=timezone.now())
    agencies = []
    for name, reply, delegates, late, on_time in (
        ("UBND xã An Hùng", "declined", 1, 1, 0),
        ("UBND xã Bình Trung", "pending", 0, 0, 2),
        ("UBND phường Cao Lộc", "attending", 2, 0, 1),
    ):
        agency = f.AgencyFactory(province=lang_son, name=name, kind=AgencyKind.COMMUNE)
        invitation = f.InvitationFactory(conference=conference, agency=agency, reply=reply)
        for i in range(delegates):
            f.DelegateFactory(invitation=invitation, full_name=f"Đại biểu {i} của {name}")
        for days in [-3] * late + [10] * on_time:
            duty = f.DutyFactory(
                conference=conference, lead_agency=agency, due_date=timezone.localdate() + dt.timedelta(days)
            )
            f.DutyAssignmentFactory(duty=duty, agency=agency)
        agencies.append(agency)
    return conference, agencies


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("don-vi", "CAB"),  # "UBND phường …" before "UBND xã …"
        ("-don-vi", "BAC"),
        ("tra-loi", "BCA"),  # pending, attending, declined: as the choices list them
        ("-tra-loi", "ACB"),
        ("-dai-bieu", "CAB"),
        ("dai-bieu", "BAC"),
        ("-nhiem-vu", "ABC"),  # overdue first, then the most duties
        ("nhiem-vu", "CBA"),
    ],
)
def test_board_sorted_by_each_column(organiser, board, sort, order):
    conference, agencies = board
    response = client_for(organiser).get(reverse("conferences:board", args=[conference.pk]), {"sort": sort})
    expected = [agencies["ABC".index(letter)].name for letter in order]
    assert names(response.context["rows"], "agency.name") == expected


def test_board_search_ignores_diacritics(organiser, board):
    conference, _agencies = board
    response = client_for(organiser).get(reverse("conferences:board", args=[conference.pk]), {"q": "binh trung"})
    assert names(response.context["rows"], "agency.name") == ["UBND xã Bình Trung"]


def test_board_export_holds_the_rows_and_columns_shown(organiser, board):
    conference, _agencies = board
    client = client_for(organiser)
    query = {"sort": "-dai-bieu", "q": "xa"}
    page = client.get(reverse("conferences:board", args=[conference.pk]), query)
    rows = sheet_rows(client.get(reverse("conferences:board-table-xlsx", args=[conference.pk]), query))
    assert rows[0][:4] == ("Đơn vị", "Loại đơn vị", "Vai trò", "Trả lời")
    assert [row[0] for row in rows[1:]] == names(page.context["rows"], "agency.name")
    assert [row[0] for row in rows[1:]] == ["UBND xã An Hùng", "UBND xã Bình Trung"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Trả lời"] == "Không tham dự"
    assert first["Đại biểu"] == "Đại biểu 0 của UBND xã An Hùng — Phó Chủ tịch UBND xã"
    assert (first["Số đại biểu"], first["Tối đa"]) == (1, 2)
    assert (first["Nhiệm vụ hoàn thành"], first["Nhiệm vụ"], first["Nhiệm vụ quá hạn"]) == (0, 1, 1)


# --- The ranking ------------------------------------------------------------------------------


@pytest.fixture
def ranking(lang_son):
    """Three departments scored in 2025 (two of them in 2024 too), each
    column of the ranking ordering them differently."""
    frameworks = {}
    for year in (2024, 2025):
        data = copy.deepcopy(FRAMEWORK)
        data["year"] = year
        frameworks[year] = index_services.framework_load(data)
    units = [
        f.AgencyFactory(province=lang_son, kind=AgencyKind.DEPARTMENT, code=code, name=name)
        for code, name in (("SXD", "Sở Xây dựng"), ("SYT", "Sở Y tế"), ("SKHCN", "Sở Khoa học và Công nghệ"))
    ]
    a, b, c = units
    # 2025: fields 1 and 2 (maxima 8 and 12), totals 10, 16, 17.
    score(frameworks[2025], a, {"1.1": "4", "1.2": "4", "2.1": "1", "2.2": "1"})
    score(frameworks[2025], b, {"1.1": "2", "1.2": "2", "2.1": "5", "2.2": "7"})
    score(frameworks[2025], c, {"1.1": "3", "1.2": "4", "2.1": "4", "2.2": "6"})
    # 2024: 8 and 18; the third unit had no result.
    score(frameworks[2024], a, {"1.1": "4", "1.2": "4"})
    score(frameworks[2024], b, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "5"})
    return frameworks[2025], units


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("", "CBA"),
        ("hang", "CBA"),
        ("-hang", "ABC"),
        ("don-vi", "CAB"),  # by name: "Sở Khoa…", "Sở Xây…", "Sở Y…"
        ("-lv-1", "ACB"),
        ("lv-1", "BCA"),
        ("-lv-2", "BCA"),
        ("-tong", "CBA"),
        ("tong", "ABC"),
        ("-so-voi", "ABC"),  # +2, −2, then the unit with nothing to compare with
        ("so-voi", "BAC"),
        ("-mat-diem", "ABC"),  # largest single loss: 6, 2, 1
        ("mat-diem", "CBA"),
    ],
)
def test_ranking_sorted_by_each_column(organiser, ranking, sort, order):
    framework, units = ranking
    response = client_for(organiser).get(reverse("indices:ranking", args=[framework.pk]), {"sort": sort})
    expected = [units["ABC".index(letter)].name for letter in order]
    assert names(response.context["rows"], "agency.name") == expected


def test_ranking_search_ignores_diacritics_and_keeps_the_rank_among_all(organiser, ranking):
    framework, units = ranking
    response = client_for(organiser).get(reverse("indices:ranking", args=[framework.pk]), {"q": "so y te"})
    (row,) = response.context["rows"]
    assert (row.agency.name, row.rank, row.score_change) == ("Sở Y tế", 2, Decimal("-2.00"))


def test_ranking_export_is_the_ranking_shown_with_the_change_columns(organiser, ranking):
    framework, units = ranking
    client = client_for(organiser)
    query = {"sort": "-so-voi"}
    page = client.get(reverse("indices:ranking", args=[framework.pk]), query)
    response = client.get(reverse("indices:export", args=[framework.pk]), query)
    rows = sheet_rows(response)
    assert rows[0] == (
        "Hạng", "Mã đơn vị", "Đơn vị", "Lĩnh vực 1", "Lĩnh vực 2", "Tổng điểm",
        "Điểm năm 2024", "Hạng năm 2024", "Tăng, giảm điểm", "Tăng, giảm bậc", "Ghi chú", "Mất điểm nhiều nhất",
    )  # fmt: skip
    assert [row[2] for row in rows[1:]] == names(page.context["rows"], "agency.name")
    assert [row[:10] for row in rows[1:]] == [
        (3, "SXD", "Sở Xây dựng", 8, 2, 10, 8, 2, 2, -1),
        (2, "SYT", "Sở Y tế", 4, 12, 16, 18, 1, -2, -1),
        (1, "SKHCN", "Sở Khoa học và Công nghệ", 7, 10, 17, None, None, None, None),
    ]
    assert rows[1][11] == "2.2 −6,00\n2.1 −4,00"
    # Beside it, every criterion's score of the same units, in the same order.
    scores = load_workbook(io.BytesIO(response.content))["Điểm từng tiêu chí"]
    assert [scores.cell(r, 3).value for r in (8, 9, 10)] == ["Sở Xây dựng", "Sở Y tế", "Sở Khoa học và Công nghệ"]


def test_ranking_export_of_a_search_holds_the_rows_found(organiser, ranking):
    framework, _units = ranking
    rows = sheet_rows(client_for(organiser).get(reverse("indices:export", args=[framework.pk]), {"q": "xay dung"}))
    assert [(row[0], row[2]) for row in rows[1:]] == [(3, "Sở Xây dựng")]


# --- The directory ----------------------------------------------------------------------------


@pytest.fixture
def directory(lang_son):
    """Three units a search for "thu bang" finds, each column ordering them differently."""
    units = []
    for name, short, kind, code, people in (
        ("Đơn vị thử bảng An", "C", AgencyKind.DISTRICT, "TB-B", 2),
        ("Đơn vị thử bảng Bình", "A", AgencyKind.COMMUNE, "TB-C", 0),
        ("Đơn vị thử bảng Cao", "B", AgencyKind.OTHER, "TB-A", 1),
    ):
        agency = f.AgencyFactory(province=lang_son, name=name, short_name=short, kind=kind, code=code)
        for i in range(people):
            f.PersonFactory(agency=agency, full_name=f"Cán bộ {i} của {name}")
        units.append(agency)
    return units


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("ten", "ABC"),
        ("-ten", "CBA"),
        ("viet-tat", "BCA"),
        ("loai", "CAB"),  # "Cơ quan, đơn vị khác", "Huyện …", "Xã": by the label read, not the code
        ("-loai", "BAC"),
        ("ma", "CAB"),
        ("-can-bo", "ACB"),
        ("can-bo", "BCA"),
    ],
)
def test_directory_sorted_by_each_column(organiser, directory, sort, order):
    response = client_for(organiser).get(reverse("agencies:agency-list"), {"q": "THU BANG", "sort": sort})
    expected = [directory["ABC".index(letter)].name for letter in order]
    assert names(response.context["agencies"], "name") == expected


def test_directory_export_holds_the_rows_and_columns_shown(organiser, directory):
    client = client_for(organiser)
    query = {"q": "thu bang", "sort": "-can-bo"}
    page = client.get(reverse("agencies:agency-list"), query)
    rows = sheet_rows(client.get(reverse("agencies:agency-table-export"), query))
    assert rows[0] == ("Tên đơn vị", "Trực thuộc", "Ngừng hoạt động", "Viết tắt", "Loại", "Mã", "Cán bộ")
    assert [row[0] for row in rows[1:]] == names(page.context["agencies"], "name")
    assert rows[1] == ("Đơn vị thử bảng An", None, None, "C", "Huyện (trước 01/7/2025)", "TB-B", 2)
    # The file to edit and import back follows the same order.
    again = sheet_rows(client.get(reverse("agencies:agency-export"), query))
    assert [row[1] for row in again[1:]] == [row[0] for row in rows[1:]]


# --- Query counts: sorted and searched pages, and their exports -----------------------------------


@pytest.mark.parametrize("sort", ["-tham-du", "trang-thai", "thoi-gian"])
def test_sorted_conference_list_queries_do_not_grow_with_rows(organiser, lang_son, sort):
    def add(i):
        return f.InvitationFactory(conference__province=lang_son, conference__title=f"Hội nghị số {i}").conference.title

    assert_flat(client_for(organiser), reverse("conferences:list") + f"?sort={sort}&q=hoi+nghi", add)


def test_sorted_board_queries_do_not_grow_with_rows(organiser, lang_son):
    conference = f.ConferenceFactory(province=lang_son, status="invited")

    def add(i):
        return f.DelegateFactory(invitation__conference=conference, full_name=f"Hoàng Văn Sơn {i}").full_name

    url = reverse("conferences:board", args=[conference.pk]) + "?sort=-dai-bieu&q=xa"
    assert_flat(client_for(organiser), url, add)


def test_sorted_directory_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        agency = f.AgencyFactory(province=lang_son, name=f"UBND xã Tân Phong {i}", kind=AgencyKind.COMMUNE)
        f.PersonFactory(agency=agency)
        return agency.name

    assert_flat(client_for(organiser), reverse("agencies:agency-list") + "?sort=-can-bo&q=tan+phong", add)


@pytest.mark.parametrize("query", ["?sort=-so-voi", "?sort=-lv-2", "?sort=-mat-diem", "?q=so+thu&sort=don-vi"])
def test_sorted_ranking_queries_do_not_grow_with_rows(organiser, lang_son, query):
    frameworks = {}
    for year in (2024, 2025):
        data = copy.deepcopy(FRAMEWORK)
        data["year"] = year
        frameworks[year] = index_services.framework_load(data)

    def add(i):
        agency = f.AgencyFactory(province=lang_son, kind=AgencyKind.DEPARTMENT, name=f"Sở Thử {i}")
        score(frameworks[2024], agency, {"1.1": "3"})
        score(frameworks[2025], agency, {"1.1": "4", "2.1": str(i)})
        return agency.name

    assert_flat(client_for(organiser), reverse("indices:ranking", args=[frameworks[2025].pk]) + query, add)


def test_conference_list_export_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        return f.InvitationFactory(conference__province=lang_son, conference__title=f"Hội nghị số {i}").conference.title

    url = reverse("conferences:list-xlsx") + "?sort=-don-vi-moi&q=hoi+nghi"
    shown = [add(0)]
    one = sheet_queries(client_for(organiser), url, shown)
    shown += [add(1), add(2)]
    assert_same_count(one, sheet_queries(client_for(organiser), url, shown))


def test_board_export_queries_do_not_grow_with_rows(organiser, lang_son):
    conference = f.ConferenceFactory(province=lang_son, status="invited")

    def add(i):
        delegate = f.DelegateFactory(invitation__conference=conference, full_name=f"Đỗ Văn Quý {i}")
        f.DutyAssignmentFactory(duty__conference=conference, agency=delegate.invitation.agency)
        return delegate.invitation.agency.name

    url = reverse("conferences:board-table-xlsx", args=[conference.pk]) + "?sort=-nhiem-vu&q=xa"
    shown = [add(0)]
    one = sheet_queries(client_for(organiser), url, shown)
    shown += [add(1), add(2)]
    assert_same_count(one, sheet_queries(client_for(organiser), url, shown))


def test_directory_export_queries_do_not_grow_with_rows(organiser, lang_son):
    parent = f.AgencyFactory(province=lang_son, name="UBND tỉnh Lạng Sơn", kind=AgencyKind.PROVINCIAL_COMMITTEE)

    def add(i):
        agency = f.AgencyFactory(province=lang_son, parent=parent, name=f"UBND xã Tân Phong {i}", kind="xa")
        f.PersonFactory(agency=agency)
        return agency.name

    url = reverse("agencies:agency-table-export") + "?sort=-can-bo&q=tan+phong"
    shown = [add(0)]
    one = sheet_queries(client_for(organiser), url, shown)
    shown += [add(1), add(2)]
    assert_same_count(one, sheet_queries(client_for(organiser), url, shown))


def test_sorted_ranking_export_queries_do_not_grow_with_rows(organiser, lang_son):
    frameworks = {}
    for year in (2024, 2025):
        data = copy.deepcopy(FRAMEWORK)
        data["year"] = year
        frameworks[year] = index_services.framework_load(data)

    def add(i):
        agency = f.AgencyFactory(province=lang_son, kind=AgencyKind.DEPARTMENT, name=f"Sở Thử {i}")
        score(frameworks[2024], agency, {"1.1": "3"})
        score(frameworks[2025], agency, {"1.1": "4", "2.1": str(i)})
        return agency.name

    url = reverse("indices:export", args=[frameworks[2025].pk]) + "?sort=-so-voi&q=so+thu"
    shown = [add(0)]
    one = sheet_queries(client_for(organiser), url, shown)
    shown += [add(1), add(2)]
    assert_same_count(one, sheet_queries(client_for(organiser), url, shown))
