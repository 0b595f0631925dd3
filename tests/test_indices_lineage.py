"""Index results across the 1/7/2025 reorganisation: the lineage of a unit
in the directory (who stood for it before it existed, who carries on a
dissolved one), a merged commune's trend made of its predecessors' results
under their own names, rankings of each year with that year's units, and
imports that refuse a result in a year its unit did not stand."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from agencies.models import AgencyKind, Role, Succession
from agencies.selectors import Lineage, predecessors_on, successors_on
from indices import excel, selectors, services
from indices.models import Assessment, Score

from .conftest import client_for
from .factories import AgencyFactory, SuccessionFactory, UserFactory
from .test_query_counts import assert_flat

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2025, 6, 30)
MERGER = dt.date(2025, 7, 1)
K = AgencyKind
MERGED, RENAMED = Succession.Kind.MERGED, Succession.Kind.RENAMED

FRAMEWORK = {
    "code": "PAR-XA-THU",
    "year": 2024,
    "name": "Chỉ số CCHC các xã, phường",
    "index": "par",
    "subject": "commune",
    "maximum": "100",
    "criteria": [
        {
            "code": "1",
            "name": "Công tác chỉ đạo, điều hành",
            "maximum": "100",
            "children": [
                {"code": "1.1", "name": "Kế hoạch CCHC", "maximum": "60"},
                {"code": "1.2", "name": "Báo cáo CCHC", "maximum": "40"},
            ],
        }
    ],
}


@pytest.fixture
def years(db):
    """The communes' framework of 2024 and its copy for 2025."""
    first = services.framework_load(dict(FRAMEWORK))
    return {2024: first, 2025: services.framework_copy(framework=first, year=2025)}


@pytest.fixture
def units(lang_son):
    """Lạng Sơn's communes around 1/7/2025: Hòa Bình and Đồng Tâm merged into
    Quang Trung; the township of Hữu Lũng became the commune of Hữu Lũng
    (renamed); Tân Phong went on unchanged."""
    old, new = {"active_to": LAST_DAY}, {"active_from": MERGER}
    found = {
        "a": AgencyFactory(province=lang_son, kind=K.COMMUNE, code="X-HOABINH", name="UBND xã Hòa Bình", **old),
        "b": AgencyFactory(province=lang_son, kind=K.COMMUNE, code="X-DONGTAM", name="UBND xã Đồng Tâm", **old),
        "c": AgencyFactory(province=lang_son, kind=K.COMMUNE, code="X-QUANGTRUNG", name="UBND xã Quang Trung", **new),
        "t": AgencyFactory(province=lang_son, kind=K.TOWNSHIP, code="TT-HUULUNG", name="UBND thị trấn Hữu Lũng", **old),
        "h": AgencyFactory(province=lang_son, kind=K.COMMUNE, code="X-HUULUNG", name="UBND xã Hữu Lũng", **new),
        "u": AgencyFactory(province=lang_son, kind=K.COMMUNE, code="X-TANPHONG", name="UBND xã Tân Phong"),
    }
    SuccessionFactory(predecessor=found["a"], successor=found["c"], kind=MERGED, on_date=MERGER)
    SuccessionFactory(predecessor=found["b"], successor=found["c"], kind=MERGED, on_date=MERGER)
    SuccessionFactory(predecessor=found["t"], successor=found["h"], kind=RENAMED, on_date=MERGER)
    return found


def result(framework, agency, total: str, status=Assessment.Status.APPRAISED) -> Assessment:
    """An appraised result adding up to `total` (out of 100)."""
    assessment = Assessment.objects.create(framework=framework, agency=agency, status=status)
    total = Decimal(total)
    first = min(total, Decimal("60"))
    for code, value in (("1.1", first), ("1.2", total - first)):
        Score.objects.create(
            assessment=assessment, criterion=framework.criteria.get(code=code), round="appraised", value=value
        )
    services.totals_refresh(Assessment.objects.filter(pk=assessment.pk))
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def results(years, units):
    """2024: the old units; 2025: the new ones and Tân Phong."""
    found = {}
    for key, total in (("a", "82.10"), ("b", "79.40"), ("t", "75.00"), ("u", "80.00")):
        found[(key, 2024)] = result(years[2024], units[key], total, status=Assessment.Status.PUBLISHED)
    for key, total in (("c", "85.30"), ("h", "78.00"), ("u", "81.00")):
        found[(key, 2025)] = result(years[2025], units[key], total)
    return found


def names(relatives) -> list[tuple[str, str]]:
    return [(r.agency.name, r.kind) for r in relatives]


# --- The directory's lineage ------------------------------------------------------------------


def test_predecessors_are_walked_back_to_the_units_that_stood_that_day(lang_son, units):
    # Hòa Bình had itself been renamed from Hòa Bình Cũ at the start of 2020.
    older = AgencyFactory(
        province=lang_son, kind=K.COMMUNE, code="X-HBCU", name="UBND xã Hòa Bình Cũ", active_to=dt.date(2019, 12, 31)
    )
    units["a"].active_from = dt.date(2020, 1, 1)
    units["a"].save()
    SuccessionFactory(predecessor=older, successor=units["a"], kind=RENAMED, on_date=dt.date(2020, 1, 1))

    assert names(predecessors_on(units["c"], dt.date(2024, 12, 31))) == [
        ("UBND xã Hòa Bình", MERGED),
        ("UBND xã Đồng Tâm", MERGED),
    ]
    # Before 2020: Hòa Bình Cũ stood for what became Hòa Bình, then Quang Trung.
    assert names(predecessors_on(units["c"], dt.date(2019, 6, 30))) == [
        ("UBND xã Hòa Bình Cũ", RENAMED),
        ("UBND xã Đồng Tâm", MERGED),
    ]
    assert predecessors_on(units["c"], dt.date(2025, 12, 31)) == []
    assert names(predecessors_on(units["h"], dt.date(2024, 12, 31))) == [("UBND thị trấn Hữu Lũng", RENAMED)]
    assert predecessors_on(units["u"], dt.date(2024, 12, 31)) == []


def test_successors_carry_on_a_dissolved_unit_transitively_and_not_a_living_one(lang_son, units):
    # Quang Trung was renamed again in 2026.
    later = AgencyFactory(
        province=lang_son, kind=K.COMMUNE, code="X-QT2", name="UBND xã Quang Trung Mới", active_from=dt.date(2026, 3, 1)
    )
    units["c"].active_to = dt.date(2026, 2, 28)
    units["c"].save()
    SuccessionFactory(predecessor=units["c"], successor=later, kind=RENAMED, on_date=dt.date(2026, 3, 1))

    assert names(successors_on(units["a"], dt.date(2025, 12, 31))) == [("UBND xã Quang Trung", MERGED)]
    assert names(successors_on(units["a"], dt.date(2026, 5, 1))) == [("UBND xã Quang Trung Mới", RENAMED)]
    assert successors_on(units["a"], dt.date(2024, 12, 31)) == []  # it still stood
    assert successors_on(units["u"], dt.date(2026, 5, 1)) == []


def test_lineage_is_one_query_and_stays_in_its_province(lang_son, lao_cai, units):
    foreign = SuccessionFactory(predecessor__province=lao_cai)
    # A link across provinces (bad data) is not followed either.
    SuccessionFactory(predecessor=AgencyFactory(province=lao_cai, kind=K.COMMUNE), successor=units["u"])
    with CaptureQueriesContext(connection) as queries:
        lineage = Lineage(lang_son.pk)
        found = [lineage.predecessors_on(units[key], dt.date(2024, 12, 31)) for key in ("c", "h", "u")]
        found.append(lineage.predecessors_on(foreign.successor, dt.date(2024, 12, 31)))
    assert len(queries) == 1
    assert [len(relatives) for relatives in found] == [2, 1, 0, 0]
    assert Lineage(lao_cai.pk).predecessors_on(foreign.successor, dt.date(2024, 12, 31))[0].agency == (
        foreign.predecessor
    )


# --- Each year's units ---------------------------------------------------------------------------


def test_a_year_covers_the_units_of_its_own_directory(years, units, lang_son):
    covered = {year: set(selectors.covered_agencies(years[year], lang_son)) for year in (2024, 2025)}
    # The township was ranked with the communes in its years.
    assert covered[2024] == {units[k] for k in ("a", "b", "t", "u")}
    assert covered[2025] == {units[k] for k in ("c", "h", "u")}
    book = load_workbook(io.BytesIO(excel.workbook(years[2024], lang_son, with_results=False)))
    codes = {book.active.cell(r, 2).value for r in range(8, book.active.max_row + 1)}
    assert codes == {"X-HOABINH", "X-DONGTAM", "TT-HUULUNG", "X-TANPHONG"}


def test_import_refuses_a_result_in_a_year_its_unit_did_not_stand_and_names_whose_it_is(
    years, units, lang_son, organiser
):
    def sheet(framework, code):
        book = load_workbook(io.BytesIO(excel.workbook(framework, lang_son, with_results=False)))
        rows = book.active
        line = next((r for r in range(8, rows.max_row + 1) if rows.cell(r, 2).value == code), rows.max_row + 1)
        for col, value in ((2, code), (4, 50), (5, 30)):
            rows.cell(line, col, value)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    early = excel.read(years[2024], lang_son, sheet(years[2024], "X-QUANGTRUNG"))
    assert [(p.cell[0], p.message) for p in early.problems] == [
        (
            "B",
            "đơn vị “UBND xã Quang Trung” hoạt động từ 01/7/2025, không có kết quả năm 2024; kết quả năm 2024 "
            "nhập cho: UBND xã Hòa Bình, UBND xã Đồng Tâm.",
        )
    ]
    late = excel.read(years[2025], lang_son, sheet(years[2025], "X-HOABINH"))
    assert [p.message for p in late.problems] == [
        "đơn vị “UBND xã Hòa Bình” thôi hoạt động từ 01/7/2025, không có kết quả năm 2025; kết quả năm 2025 "
        "nhập cho: UBND xã Quang Trung."
    ]
    assert not late.ok and not Assessment.objects.exists()
    fine = excel.read(years[2024], lang_son, sheet(years[2024], "X-HOABINH"))
    assert fine.ok and [row.agency for row in fine.rows] == [units["a"]]


def test_ranking_of_a_year_keeps_its_dissolved_units_and_leads_to_who_carries_them_on(years, units, results, organiser):
    page = client_for(organiser).get(reverse("indices:ranking", args=[years[2024].pk]))
    rows = {row.agency.code: row for row in page.context["rows"]}
    assert [(row.agency.name, row.rank) for row in page.context["rows"]] == [
        ("UBND xã Hòa Bình", 1),
        ("UBND xã Tân Phong", 2),
        ("UBND xã Đồng Tâm", 3),
        ("UBND thị trấn Hữu Lũng", 4),
    ]
    assert [(s.agency, s.result) for s in rows["X-HOABINH"].successors] == [(units["c"], results[("c", 2025)])]
    assert rows["X-TANPHONG"].successors == [] and rows["X-HOABINH"].period_note == ""
    html = page.content.decode()
    assert f'href="{reverse("indices:assessment", args=[results[("c", 2025)].pk])}"' in html
    assert "Đơn vị kế thừa:" in html


def test_ranking_compares_a_merged_unit_with_its_predecessors_beside_it_and_a_renamed_one_with_itself(
    years, units, results, organiser
):
    page = client_for(organiser).get(reverse("indices:ranking", args=[years[2025].pk]))
    rows = {row.agency.code: row for row in page.context["rows"]}
    merged = rows["X-QUANGTRUNG"]
    assert merged.score_change is None and merged.rank_change is None  # no figure made up
    assert [(s.agency.name, s.total, s.rank) for s in merged.stood] == [
        ("UBND xã Hòa Bình", Decimal("82.10"), 1),
        ("UBND xã Đồng Tâm", Decimal("79.40"), 3),
    ]
    renamed = rows["X-HUULUNG"]  # 78,00 now, 75,00 and 4th as a township: 3rd now
    assert (renamed.score_change, renamed.before_rank, renamed.rank_change, renamed.stood) == (
        Decimal("3.00"),
        4,
        1,
        [],
    )
    assert renamed.renamed_from.agency == units["t"]
    assert rows["X-TANPHONG"].score_change == Decimal("1.00") and rows["X-TANPHONG"].renamed_from is None
    html = page.content.decode()
    assert "so với UBND thị trấn Hữu Lũng (trước đổi tên)" in html
    assert "UBND xã Hòa Bình (trước sáp nhập): 82,10, hạng 1" in html
    assert "UBND xã Đồng Tâm (trước sáp nhập): 79,40, hạng 3" in html


def test_ranking_says_when_a_result_lies_before_its_unit_existed(years, units, results, organiser):
    # Entered before imports checked the year: shown, and said to be out of place.
    result(years[2024], units["c"], "70.00")
    page = client_for(organiser).get(reverse("indices:ranking", args=[years[2024].pk]))
    rows = {row.agency.code: row for row in page.context["rows"]}
    assert rows["X-QUANGTRUNG"].period_note == "thành lập từ 01/7/2025, chưa có trong năm 2024"
    assert "thành lập từ 01/7/2025, chưa có trong năm 2024" in page.content.decode()


# --- One unit's page ------------------------------------------------------------------------------


def test_trend_of_a_merged_commune_lists_each_predecessor_under_its_own_name(years, units, results):
    points = selectors.trend(units["c"], years[2025])
    assert [(p.year, p.total, [(s.agency.name, s.relative.kind, s.total) for s in p.stood]) for p in points] == [
        (2024, None, [("UBND xã Hòa Bình", MERGED, Decimal("82.10")), ("UBND xã Đồng Tâm", MERGED, Decimal("79.40"))]),
        (2025, Decimal("85.30"), []),
    ]
    # The province's means, to two places half up as published (79,125 → 79,13).
    assert [p.mean for p in points] == [Decimal("79.13"), Decimal("81.43")]
    # A unit that stood throughout has its own results only.
    assert [(p.year, p.total, p.stood) for p in selectors.trend(units["u"], years[2025])] == [
        (2024, Decimal("80.00"), []),
        (2025, Decimal("81.00"), []),
    ]


def test_merged_communes_page_shows_its_predecessors_results_labelled_as_theirs(years, units, results, organiser):
    page = client_for(organiser).get(reverse("indices:assessment", args=[results[("c", 2025)].pk]))
    html = page.content.decode()
    assert "Kết quả qua các năm" in html
    assert 'UBND xã Hòa Bình <span class="text-body-secondary">(trước sáp nhập)</span>' in html
    assert "82,10" in html and "79,40" in html
    # The chart's line before the merger is the predecessors' mean, said to be one.
    assert "Bình quân các đơn vị trước sáp nhập" in page.context["trend_chart"]
    assert "80,75" in page.context["trend_chart"]
    assert "Năm 2024: UBND xã Hòa Bình (trước sáp nhập) hạng 1" in html
    assert page.context["score_change"] is None and page.context["successors"] == []


def test_renamed_units_page_compares_with_its_former_self(years, units, results, organiser):
    page = client_for(organiser).get(reverse("indices:assessment", args=[results[("h", 2025)].pk]))
    context = page.context
    assert (context["before"], context["score_change"], context["before_rank"]) == (
        results[("t", 2024)],
        Decimal("3.00"),
        4,
    )
    assert "UBND thị trấn Hữu Lũng (trước đổi tên)" in page.content.decode()


def test_dissolved_units_page_links_to_its_successors_result(years, units, results, organiser):
    page = client_for(organiser).get(reverse("indices:assessment", args=[results[("a", 2024)].pk]))
    assert [(s.agency, s.result) for s in page.context["successors"]] == [(units["c"], results[("c", 2025)])]
    html = page.content.decode()
    assert "UBND xã Hòa Bình hoạt động đến ngày 30/6/2025." in html
    assert f'href="{reverse("indices:assessment", args=[results[("c", 2025)].pk])}"' in html
    # Without a result of the successor to show, the directory's page.
    Assessment.objects.filter(agency=units["c"]).delete()
    page = client_for(organiser).get(reverse("indices:assessment", args=[results[("a", 2024)].pk]))
    assert f'href="{reverse("agencies:agency-detail", args=[units["c"].pk])}"' in page.content.decode()


def test_an_official_sees_only_the_predecessors_results_that_are_published(years, units, results, lang_son):
    Assessment.objects.filter(pk=results[("b", 2024)].pk).update(status=Assessment.Status.APPRAISED)
    official = UserFactory(role=Role.OFFICIAL, agency=units["c"], username="quangtrung")
    page = client_for(official).get(reverse("indices:assessment", args=[results[("c", 2025)].pk]))
    assert page.status_code == 200
    stood = [s.agency for p in page.context["trend"] for s in p.stood]
    assert stood == [units["a"]]
    assert "79,40" not in page.content.decode()


# --- Bounded queries --------------------------------------------------------------------------------


def merged_commune(province, years, i) -> str:
    """A commune set up on 1/7/2025 from two, each with a 2024 result."""
    new = AgencyFactory(province=province, kind=K.COMMUNE, name=f"UBND xã Hợp Nhất số {i}", active_from=MERGER)
    for j in range(2):
        old = AgencyFactory(province=province, kind=K.COMMUNE, name=f"UBND xã Cũ {i}-{j}", active_to=LAST_DAY)
        SuccessionFactory(predecessor=old, successor=new)
        result(years[2024], old, f"{70 + i + j}.00", status=Assessment.Status.PUBLISHED)
    result(years[2025], new, f"{80 + i}.00")
    return new.name


def test_ranking_queries_do_not_grow_with_merged_units(years, lang_son, organiser):
    assert_flat(
        client_for(organiser),
        reverse("indices:ranking", args=[years[2025].pk]),
        lambda i: merged_commune(lang_son, years, i),
    )


def test_dissolved_units_ranking_queries_do_not_grow_with_them(years, lang_son, organiser):
    def add(i):
        merged_commune(lang_son, years, i)
        return f"UBND xã Cũ {i}-0"

    assert_flat(client_for(organiser), reverse("indices:ranking", args=[years[2024].pk]), add)


def test_agency_page_queries_do_not_grow_with_predecessors(years, lang_son, organiser):
    new = AgencyFactory(province=lang_son, kind=K.COMMUNE, name="UBND xã Quang Trung", active_from=MERGER)
    assessment = result(years[2025], new, "85.00")

    def add(i):
        old = AgencyFactory(province=lang_son, kind=K.COMMUNE, name=f"UBND xã Tiền Thân {i}", active_to=LAST_DAY)
        SuccessionFactory(predecessor=old, successor=new)
        result(years[2024], old, f"{70 + i}.00")
        return old.name

    assert_flat(client_for(organiser), reverse("indices:assessment", args=[assessment.pk]), add)
