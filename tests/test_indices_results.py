"""Index results end to end: scores by round with their limits, the
self-assessment and its deadline, the Excel template and import (every error
by cell, nothing written on error), scoping, the analysis pages (their query
counts), publication with the decision, and what conferences, plans and
presentations take from the results."""

from __future__ import annotations

import copy
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from agencies.models import AgencyKind
from core.exceptions import ImportFileError, Refused
from indices import excel, scoring, selectors, services
from indices.models import Assessment, NationalResult, Publication, Responsibility, Score
from notifications.models import DeadlineItem

from . import presentation_files as files
from .conftest import client_for
from .factories import AgencyFactory

pytestmark = pytest.mark.django_db

FRAMEWORK = {
    "code": "PAR-SO",
    "year": 2025,
    "name": "Chỉ số CCHC các sở",
    "index": "par",
    "subject": "department",
    "maximum": "20",
    "criteria": [
        {
            "code": "1",
            "name": "Chỉ đạo, điều hành",
            "maximum": "8",
            "children": [
                {"code": "1.1", "name": "Kế hoạch CCHC", "maximum": "4"},
                {"code": "1.2", "name": "Báo cáo CCHC", "maximum": "4"},
            ],
        },
        {
            "code": "2",
            "name": "Thủ tục hành chính",
            "maximum": "12",
            "children": [
                {"code": "2.1", "name": "Công khai thủ tục", "maximum": "5"},
                {"code": "2.2", "name": "Giải quyết đúng hạn", "maximum": "7", "method": "survey"},
            ],
        },
    ],
}


@pytest.fixture
def framework(db):
    return services.framework_load(copy.deepcopy(FRAMEWORK))


def leaf(framework, code):
    return framework.criteria.get(code=code)


def departments(province, count, start=0):
    return [
        AgencyFactory(
            province=province,
            kind=AgencyKind.DEPARTMENT,
            code=f"S{start + i:03d}",
            name=f"Sở Thử {start + i:03d} tỉnh {province.name}",
        )
        for i in range(count)
    ]


def score(framework, agency, values: dict, round="appraised", status=Assessment.Status.APPRAISED):
    assessment, _ = Assessment.objects.get_or_create(framework=framework, agency=agency, defaults={"status": status})
    for code, value in values.items():
        Score.objects.update_or_create(
            assessment=assessment, criterion=leaf(framework, code), round=round, defaults={"value": Decimal(value)}
        )
    services.totals_refresh(Assessment.objects.filter(pk=assessment.pk))
    assessment.refresh_from_db()
    return assessment


# --- Scores ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("85,97", "85.97"),
        ("85.97", "85.97"),
        (85.97, "85.97"),
        (3, "3.00"),
        (" 2,5 ", "2.50"),
        ("1.234,5", "1234.50"),
        ("", None),
    ],
)
def test_scores_are_read_as_people_type_them(raw, value):
    assert scoring.parse_score(raw) == (Decimal(value) if value else None)


@pytest.mark.parametrize(
    ("raw", "message"), [("abc", "“abc” không phải là số"), ("2,555", "quá hai chữ số"), ("NaN", "không phải là số")]
)
def test_scores_that_are_not_numbers_say_why(raw, message):
    with pytest.raises(ValueError, match=message):
        scoring.parse_score(raw)


def test_self_assessment_checks_every_score_and_saves_none_when_one_is_wrong(framework, lang_son, official, organiser):
    assessment = Assessment.objects.create(framework=framework, agency=official.agency)
    inputs = [
        services.ScoreInput(leaf(framework, "1.1").pk, "3,5", "Có kế hoạch"),
        services.ScoreInput(leaf(framework, "1.2").pk, "4,5"),
        services.ScoreInput(leaf(framework, "2.1").pk, "-1"),
    ]
    errors = services.scores_save(actor=official, assessment=assessment, round="self", inputs=inputs)
    assert errors == {
        leaf(framework, "1.2").pk: "Điểm 4,50 vượt điểm tối đa 4,00 của tiêu chí 1.2.",
        leaf(framework, "2.1").pk: "Điểm không được âm.",
    }
    assert not Score.objects.exists()
    inputs[1:] = [
        services.ScoreInput(leaf(framework, "1.2").pk, "4"),
        services.ScoreInput(leaf(framework, "2.1").pk, "5"),
    ]
    assert services.scores_save(actor=official, assessment=assessment, round="self", inputs=inputs) == {}
    assessment.refresh_from_db()
    assert assessment.self_total == Decimal("12.50") and assessment.total is None
    # 2.2 is measured by survey: the agency does not score it, and may submit without it.
    assert services.assessment_submit(actor=official, assessment=assessment).status == "submitted"
    # The Sở appraises: a round of its own, the agency's scores kept.
    services.scores_save(
        actor=organiser,
        assessment=assessment,
        round="appraised",
        inputs=[services.ScoreInput(leaf(framework, "1.1").pk, "3")],
    )
    assessment.refresh_from_db()
    assert (assessment.self_total, assessment.total, assessment.status) == (
        Decimal("12.50"),
        Decimal("3.00"),
        "appraised",
    )


def test_only_the_agency_self_assesses_and_only_the_province_appraises(
    framework, lang_son, lao_cai, official, other_organiser
):
    mine = Assessment.objects.create(framework=framework, agency=official.agency)
    other = Assessment.objects.create(framework=framework, agency=departments(lang_son, 1)[0])
    item = [services.ScoreInput(leaf(framework, "1.1").pk, "1")]
    with pytest.raises(Refused, match="Chỉ cán bộ của đơn vị"):
        services.scores_save(actor=official, assessment=other, round="self", inputs=item)
    with pytest.raises(Refused, match="Chỉ Sở Nội vụ của tỉnh mới thẩm định"):
        services.scores_save(actor=official, assessment=mine, round="appraised", inputs=item)
    with pytest.raises(Refused, match="Chỉ Sở Nội vụ của tỉnh mới thẩm định"):
        services.scores_save(actor=other_organiser, assessment=mine, round="appraised", inputs=item)
    assert not Score.objects.exists()


def test_opening_the_self_assessment_reminds_each_agency_until_it_submits(framework, lang_son, organiser, official):
    import datetime as dt

    from django.utils import timezone

    others = departments(lang_son, 2)
    AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE)  # not covered by a department framework
    deadline = timezone.localdate() + dt.timedelta(days=20)
    assert services.assessments_open(actor=organiser, framework=framework, province=lang_son, deadline=deadline) == 4
    assert Assessment.objects.filter(framework=framework).count() == 4  # three departments and the Sở itself
    mine = Assessment.objects.get(framework=framework, agency=official.agency)
    item = DeadlineItem.objects.get(key=f"indices.assessment:{mine.pk}")
    assert item.due_at.date() == deadline and item.done_at is None and item.what == "Hạn gửi tự đánh giá"
    assert list(item.recipients.values_list("recipient_key", flat=True)) == [f"{official.pk}|{official.email}"]
    services.scores_save(
        actor=official,
        assessment=mine,
        round="self",
        inputs=[
            services.ScoreInput(c.pk, str(c.maximum))
            for c in framework.criteria.filter(children__isnull=True).exclude(method="survey")
        ],
    )
    services.assessment_submit(actor=official, assessment=mine)
    item.refresh_from_db()
    assert item.done_at is not None
    # Opening again adds no one twice; a past deadline is refused.
    assert services.assessments_open(actor=organiser, framework=framework, province=lang_son, deadline=deadline) == 0
    with pytest.raises(Refused, match="đã qua"):
        services.assessments_open(
            actor=organiser,
            framework=framework,
            province=lang_son,
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
    assert others


# --- Excel ------------------------------------------------------------------------------------------


def filled(framework, province, rows: dict[str, dict[str, object]]) -> bytes:
    """The downloaded template with `rows` (agency code → criterion code → cell value) typed in."""
    book = load_workbook(io.BytesIO(excel.workbook(framework, province, with_results=False)))
    sheet = book.active
    header = next(r for r in range(1, 12) if sheet.cell(r, 2).value == "Mã đơn vị")
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    lines = {sheet.cell(r, 2).value: r for r in range(header + 1, sheet.max_row + 1)}
    for code, values in rows.items():
        line = lines.get(code)
        if line is None:
            line = sheet.max_row + 1
            sheet.cell(line, 2, code)
        for criterion, value in values.items():
            sheet.cell(line, columns[criterion], value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_lists_the_covered_agencies_under_the_criteria_and_their_maxima(framework, lang_son, organiser):
    agencies = departments(lang_son, 2)
    book = load_workbook(io.BytesIO(excel.workbook(framework, lang_son, with_results=False)))
    sheet = book.active
    assert [sheet.cell(5, c).value for c in range(1, 8)] == [
        "STT",
        "Mã đơn vị",
        "Tên đơn vị",
        "1.1",
        "1.2",
        "2.1",
        "2.2",
    ]
    assert sheet.cell(4, 4).value == "1. Chỉ đạo, điều hành" and sheet.cell(7, 3).value == "Điểm tối đa"
    assert [sheet.cell(7, c).value for c in range(4, 8)] == [4, 4, 5, 7]
    assert {sheet.cell(r, 2).value for r in range(8, sheet.max_row + 1)} == {"SNV", *(a.code for a in agencies)}


def test_import_previews_then_writes_scores_totals_and_the_ranking(framework, lang_son, organiser):
    a, b = departments(lang_son, 2)
    data = filled(
        framework,
        lang_son,
        {
            a.code: {"1.1": "3,5", "1.2": 4, "2.1": "4.25", "2.2": 6.5},
            b.code: {"1.1": 4, "1.2": "4", "2.1": 5, "2.2": "7"},
        },
    )
    preview = excel.read(framework, lang_son, data)
    assert preview.ok and preview.cells == 8 and not Score.objects.exists()  # reading writes nothing
    assert len(preview.rows) == 2 and preview.blanks == 0  # the Sở's own row, left blank, changes nothing
    services.scores_import(actor=organiser, framework=framework, province=lang_son, data=data)
    rows = [(r.agency.code, r.score, r.rank) for r in selectors.ranking(framework, lang_son)]
    assert rows == [(b.code, Decimal("20.00"), 1), (a.code, Decimal("18.25"), 2)]
    assert set(Assessment.objects.values_list("status", flat=True)) == {"appraised"}
    # A second import of a corrected file changes the values, not the number of rows.
    services.scores_import(
        actor=organiser,
        framework=framework,
        province=lang_son,
        data=filled(framework, lang_son, {a.code: {"2.2": "7"}}),
    )
    assert Score.objects.count() == 8
    assert Assessment.objects.get(agency=a).total == Decimal("18.75")


@pytest.mark.parametrize("database", ["postgresql", "fallback"])
def test_import_inserts_new_assessments_scores_and_updates_only_what_changed(
    framework, lang_son, organiser, monkeypatch, database
):
    """An assessment with no score of the round takes its scores in one COPY
    (PostgreSQL); one with scores takes the upsert, which adds the missing,
    changes the changed, and leaves the rest (notes, evidence) as they were."""
    from indices.services import imports

    if database == "fallback":  # the portable path (SQLite), on the same database
        monkeypatch.setattr(imports, "connection", type("Other", (), {"vendor": "sqlite"})())
    a, b, c = departments(lang_son, 3)
    scored = score(framework, a, {"1.1": "3", "1.2": "4"})
    kept = Score.objects.get(assessment=scored, criterion__code="1.1")
    Score.objects.filter(pk=kept.pk).update(
        note="Có kế hoạch", evidence="indices/evidence/kh.pdf", evidence_name="kh.pdf"
    )
    score(framework, b, {"1.1": "2"}, round="self", status=Assessment.Status.SUBMITTED)  # the other round only

    def row_version(pk):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ctid::text, xmax::text FROM {Score._meta.db_table} WHERE id = %s", [pk])
            return cursor.fetchone()

    before = row_version(kept.pk)
    services.scores_import(
        actor=organiser,
        framework=framework,
        province=lang_son,
        data=filled(
            framework,
            lang_son,
            {a.code: {"1.1": 3, "1.2": "3,5", "2.1": 5}, b.code: {"1.1": 4, "2.1": "4,5"}, c.code: {"2.2": 6}},
        ),
    )
    assert {
        (s.assessment.agency.code, s.criterion.code, s.round): s.value
        for s in Score.objects.select_related("assessment__agency", "criterion")
    } == {
        (a.code, "1.1", "appraised"): Decimal("3.00"),
        (a.code, "1.2", "appraised"): Decimal("3.50"),
        (a.code, "2.1", "appraised"): Decimal("5.00"),
        (b.code, "1.1", "self"): Decimal("2.00"),
        (b.code, "1.1", "appraised"): Decimal("4.00"),
        (b.code, "2.1", "appraised"): Decimal("4.50"),
        (c.code, "2.2", "appraised"): Decimal("6.00"),
    }
    kept.refresh_from_db()
    assert (kept.note, kept.evidence.name, kept.evidence_name) == ("Có kế hoạch", "indices/evidence/kh.pdf", "kh.pdf")
    if database == "postgresql":
        # Not rewritten, nor even locked: the same row version, no xmax.
        assert row_version(kept.pk) == before and before[1] == "0"
    totals = dict(Assessment.objects.values_list("agency__code", "total"))
    assert (totals[a.code], totals[b.code], totals[c.code]) == (Decimal("11.50"), Decimal("8.50"), Decimal("6.00"))
    assert set(Assessment.objects.values_list("status", flat=True)) == {"appraised"}


def test_an_import_that_more_than_doubles_a_table_counts_it_again(framework, lang_son, organiser, monkeypatch):
    """The planner sizes the ranking's tables from the rows it last counted:
    a first import has them counted again at once; a later one that adds
    less than the table holds leaves that to autovacuum."""
    from indices.services import imports

    monkeypatch.setattr(imports, "ANALYZE_AFTER_CELLS", 1)

    def counted(model):
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Score._meta.db_table}")
    assert counted(Score) <= 0
    agencies = departments(lang_son, 3)
    everything = {a.code: {"1.1": 1, "1.2": 2, "2.1": 3, "2.2": 4} for a in agencies}
    services.scores_import(
        actor=organiser, framework=framework, province=lang_son, data=filled(framework, lang_son, everything)
    )
    assert counted(Score) == 12
    # The next year: as many scores as the table holds, not more.
    later = services.framework_load({**copy.deepcopy(FRAMEWORK), "year": 2026})
    services.scores_import(
        actor=organiser, framework=later, province=lang_son, data=filled(later, lang_son, everything)
    )
    assert Score.objects.count() == 24 and counted(Score) == 12


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ({"S000": {"1.1": "abc"}}, "Ô D9: “abc” không phải là số."),
        ({"S000": {"1.2": "4,5"}}, "Ô E9: Điểm 4,50 vượt điểm tối đa 4,00 của tiêu chí 1.2."),
        ({"S000": {"2.1": -1}}, "Ô F9: Điểm không được âm."),
        ({"S000": {"2.2": "6,555"}}, "Ô G9: “6,555” có quá hai chữ số thập phân."),
        ({"S999": {"1.1": 1}}, "Ô B10: không có đơn vị mã “S999” thuộc đối tượng sở, ban, ngành của tỉnh Lạng Sơn"),
    ],
)
def test_each_import_error_names_its_cell_and_nothing_is_written(framework, lang_son, organiser, rows, expected):
    departments(lang_son, 1)
    score(framework, organiser.agency, {"1.1": "2"})
    before = list(Score.objects.values_list("pk", "value"))
    data = filled(framework, lang_son, rows)
    preview = excel.read(framework, lang_son, data)
    assert not preview.ok
    assert any(str(problem).startswith(expected) for problem in preview.problems), [str(p) for p in preview.problems]
    with pytest.raises(Refused):
        services.scores_import(actor=organiser, framework=framework, province=lang_son, data=data)
    assert list(Score.objects.values_list("pk", "value")) == before


def test_import_refuses_a_file_that_is_not_the_template_and_a_duplicate_row(framework, lang_son, organiser):
    with pytest.raises(ImportFileError, match="không phải tệp Excel"):
        excel.read(framework, lang_son, b"STT;Ma don vi\n1;SNV\n")
    (agency,) = departments(lang_son, 1)
    data = filled(framework, lang_son, {agency.code: {"1.1": 1}})
    book = load_workbook(io.BytesIO(data))
    book.active.append([None, agency.code, "lặp", 2])
    book.active.cell(5, 7, "9.9")  # a criterion the framework does not have
    out = io.BytesIO()
    book.save(out)
    messages = [str(p) for p in excel.read(framework, lang_son, out.getvalue()).problems]
    assert any("đã có ở dòng" in m for m in messages)
    assert any(m.startswith("Ô G5: mã tiêu chí “9.9” không có") for m in messages)


def test_published_results_are_not_overwritten_by_an_import(framework, lang_son, organiser):
    (agency,) = departments(lang_son, 1)
    score(framework, agency, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "7"})
    score(framework, organiser.agency, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "6"})
    services.results_publish(actor=organiser, framework=framework, province=lang_son)
    with pytest.raises(Refused, match="đã công bố"):
        services.scores_import(
            actor=organiser,
            framework=framework,
            province=lang_son,
            data=filled(framework, lang_son, {agency.code: {"1.1": 1}}),
        )
    assert Assessment.objects.get(agency=agency).total == Decimal("20.00")


def test_import_page_previews_errors_then_confirms(framework, lang_son, organiser):
    (agency,) = departments(lang_son, 1)
    client = client_for(organiser)
    bad = filled(framework, lang_son, {agency.code: {"1.1": "9"}})
    response = client.post(f"/chi-so/bo/{framework.pk}/nhap/", {"round": "appraised", "file": _upload(bad)})
    page = response.content.decode()
    assert "Điểm 9,00 vượt điểm tối đa 4,00 của tiêu chí 1.1." in page and ">D9<" in page
    assert not Score.objects.exists()
    good = filled(framework, lang_son, {agency.code: {"1.1": "3,75"}})
    response = client.post(f"/chi-so/bo/{framework.pk}/nhap/", {"round": "appraised", "file": _upload(good)})
    assert response.status_code == 200 and not Score.objects.exists()
    token = response.context["token"]
    response = client.post(f"/chi-so/bo/{framework.pk}/nhap/", {"token": token})
    assert response.status_code == 302 and Assessment.objects.get(agency=agency).total == Decimal("3.75")
    # A second click on the confirmation finds the file gone and says so.
    response = client.post(f"/chi-so/bo/{framework.pk}/nhap/", {"token": token}, follow=True)
    assert "đã được nhập: hãy chọn lại tệp" in response.content.decode()
    assert Score.objects.count() == 1


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ket-qua.xlsx", data)


def test_export_carries_scores_field_totals_total_and_rank(framework, lang_son, organiser):
    a, b = departments(lang_son, 2)
    score(framework, a, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "7"})
    score(framework, b, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "7"})
    response = client_for(organiser).get(f"/chi-so/bo/{framework.pk}/ket-qua.xlsx")
    # The first sheet is the ranking as its page shows it (tests/test_tables.py); every criterion's score is beside.
    sheet = load_workbook(io.BytesIO(response.content))["Điểm từng tiêu chí"]
    assert [sheet.cell(5, c).value for c in range(8, 12)] == ["Lĩnh vực 1", "Lĩnh vực 2", "Tổng điểm", "Xếp hạng"]
    assert [[sheet.cell(r, c).value for c in (2, 8, 9, 10, 11)] for r in (8, 9)] == [
        [a.code, 8, 12, 20, 1],
        [b.code, 8, 12, 20, 1],
    ]  # a tie shares the rank


# --- Scoping and pages -------------------------------------------------------------------------------


def test_an_official_sees_their_own_result_before_publication_and_the_province_after(
    framework, lang_son, lao_cai, organiser, official
):
    other = departments(lang_son, 1)[0]
    mine = score(framework, official.agency, {"1.1": "3"})
    theirs = score(framework, other, {"1.1": "4"})
    foreign = score(framework, departments(lao_cai, 1, start=50)[0], {"1.1": "2"})
    client = client_for(official)
    assert client.get(f"/chi-so/danh-gia/{mine.pk}/").status_code == 200
    assert client.get(f"/chi-so/danh-gia/{theirs.pk}/").status_code == 404
    ranking = client.get(f"/chi-so/bo/{framework.pk}/xep-hang/")
    assert other.name not in ranking.content.decode()
    assert ranking.context["spread"]["count"] == 0  # not even the mean of unpublished results
    score(framework, organiser.agency, {"1.1": "1"})
    services.results_publish(actor=organiser, framework=framework, province=lang_son)
    assert client.get(f"/chi-so/danh-gia/{theirs.pk}/").status_code == 200
    page = client.get(f"/chi-so/bo/{framework.pk}/xep-hang/").content.decode()
    assert other.name in page and official.agency.name in page
    assert client.get(f"/chi-so/danh-gia/{foreign.pk}/").status_code == 404
    assert client_for(organiser).get(f"/chi-so/danh-gia/{foreign.pk}/").status_code == 404


def test_ranking_and_agency_pages_keep_their_query_count_as_agencies_grow(framework, lang_son, organiser):
    previous = services.framework_copy(framework=framework, year=2024)
    Responsibility.objects.create(province=lang_son, framework_code="PAR-SO", code="2", agency=organiser.agency)

    def add(count, start):
        for i, agency in enumerate(departments(lang_son, count, start=start)):
            values = {"1.1": "4", "1.2": str(3 + i % 2), "2.1": "4.5", "2.2": "7"}
            score(framework, agency, values)
            score(previous, agency, {**values, "2.2": "6"})

    client = client_for(organiser)

    def counts():
        pages = [
            f"/chi-so/bo/{framework.pk}/xep-hang/",
            f"/chi-so/bo/{framework.pk}/phan-tich/",
            f"/chi-so/bo/{framework.pk}/",
            f"/chi-so/danh-gia/{Assessment.objects.filter(framework=framework).first().pk}/",
        ]
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    add(3, 0)
    small = counts()
    add(12, 10)
    assert counts() == small


def test_ranking_page_shows_changes_losses_and_who_answers(framework, lang_son, organiser):
    previous = services.framework_copy(framework=framework, year=2024)
    office = AgencyFactory(
        province=lang_son,
        kind=AgencyKind.COMMITTEE_OFFICE,
        code="VPUBND",
        name="Văn phòng UBND tỉnh Lạng Sơn",
        short_name="VP",
    )
    services.responsibilities_save(
        actor=organiser, province=lang_son, framework=framework, mapping={"2": office, "1": organiser.agency}
    )
    a, b = departments(lang_son, 2)
    score(previous, a, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "7"})
    score(previous, b, {"1.1": "3", "1.2": "4", "2.1": "5", "2.2": "7"})
    score(framework, a, {"1.1": "4", "1.2": "4", "2.1": "4.5", "2.2": "5.25"})
    score(framework, b, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "7"})
    page = client_for(organiser).get(f"/chi-so/bo/{framework.pk}/xep-hang/")
    rows = {row.agency.code: row for row in page.context["rows"]}
    assert (rows[b.code].rank, rows[b.code].score_change, rows[b.code].rank_change) == (1, Decimal("1.00"), 1)
    assert (rows[a.code].rank, rows[a.code].score_change, rows[a.code].rank_change) == (2, Decimal("-2.25"), -1)
    assert [(loss.code, loss.lost, loss.responsible) for loss in rows[a.code].losses] == [
        ("2.2", Decimal("1.75"), office),
        ("2.1", Decimal("0.50"), office),
    ]
    assert "<svg" in page.content.decode()
    analysis = client_for(organiser).get(f"/chi-so/bo/{framework.pk}/phan-tich/").context
    assert [(loss.code, loss.lost, loss.below) for loss in analysis["losses"]] == [
        ("2.2", Decimal("1.75"), 1),
        ("2.1", Decimal("0.50"), 1),
    ]


def test_province_page_opens_with_the_summary_sentence_from_the_national_results(lang_son, organiser):
    from .test_indices import SEED_002_OPENING

    lang_son.name = "Lai Châu"
    lang_son.percent_change_in_points = False  # as seed 002's office writes SIPAS changes
    lang_son.save()
    for index, year, value, rank in (
        ("par", 2024, "85.97", 56),
        ("par", 2023, "85.78", 49),
        ("sipas", 2024, "81.51", 55),
        ("sipas", 2023, "79.82", 50),
    ):
        NationalResult.objects.create(
            province=lang_son, index=index, year=year, score=Decimal(value), rank=rank, out_of=63
        )
    page = client_for(organiser).get("/chi-so/").content.decode()
    assert SEED_002_OPENING in page and "<svg" in page
    response = client_for(organiser).post(
        "/chi-so/toan-quoc/", {"year": 2025, "index": "par", "score": "86,40", "rank": 40, "out_of": 34, "source": ""}
    )
    assert "Xếp hạng 40 lớn hơn tổng số 34" in response.content.decode()
    client_for(organiser).post(
        "/chi-so/toan-quoc/",
        {"year": 2025, "index": "par", "score": "86,40", "rank": 20, "out_of": 34, "source": "Quyết định số 1/QĐ-BNV"},
    )
    assert NationalResult.objects.get(year=2025).score == Decimal("86.40")


# --- Publication and what others take from the results ------------------------------------------------


def test_publishing_drafts_the_decision_with_the_ranking_appendix_and_chart(framework, lang_son, organiser):
    AgencyFactory(
        province=lang_son,
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        code="UBND",
        name="UBND tỉnh Lạng Sơn",
        short_name="UBND",
    )
    a, b = departments(lang_son, 2)
    score(framework, a, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "6"})
    score(framework, b, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "7"})
    Assessment.objects.create(framework=framework, agency=organiser.agency)  # opened, not yet appraised
    with pytest.raises(Refused, match="Còn 1 đơn vị chưa có điểm thẩm định"):
        services.results_publish(actor=organiser, framework=framework, province=lang_son)
    score(framework, organiser.agency, {"1.1": "3", "1.2": "4", "2.1": "5", "2.2": "7"})
    client = client_for(organiser)
    response = client.post(f"/chi-so/bo/{framework.pk}/cong-bo/")
    publication = Publication.objects.get()
    assert response.url == f"/chi-so/cong-bo/{publication.pk}/"
    assert set(Assessment.objects.values_list("status", flat=True)) == {"published"}
    response = client.post(f"/chi-so/cong-bo/{publication.pk}/du-thao-quyet-dinh/")
    from documents import rendering
    from documents.models import Document

    document = Document.objects.get(purpose="decision")
    assert document.doc_type == "QĐ" and document.source == publication
    assert "công bố kết quả Chỉ số cải cách hành chính năm 2025 của các sở, ban, ngành" in document.title
    appendix = document.sections.get(part="appendix")
    # Names as the province's own decision writes them: "Sở Thử 001", not "… tỉnh Lạng Sơn".
    short = {agency: agency.name.removesuffix(" tỉnh Lạng Sơn") for agency in (a, b)}
    assert short[a] != a.name
    assert f"| 1 | {short[b]} | 8,00 | 12,00 | **20,00** | 1 |" in appendix.text
    assert f"| 3 | {short[a]} | 8,00 | 11,00 | **19,00** | 2 |" in appendix.text  # tied with the Sở: 1, 2, 2
    html = rendering.paper_html(document)
    assert "<svg" in html and "Sở Thử 001" in html
    from documents.checks import run_checks

    assert not [p for p in run_checks(document) if "năm" in p]  # the years cited agree with the publication


def test_plan_gets_one_duty_per_responsible_agency_for_the_provinces_lost_points(lang_son, organiser):
    from conferences import services as conference_services
    from conferences.models import ImprovementPlan

    province_framework = services.framework_load(
        {**copy.deepcopy(FRAMEWORK), "code": "PAR-TINH", "year": 2024, "subject": "province"}
    )
    committee = AgencyFactory(province=lang_son, kind=AgencyKind.PROVINCIAL_COMMITTEE, code="UBND")
    justice = AgencyFactory(province=lang_son, code="STP", name="Sở Tư pháp tỉnh Lạng Sơn")
    score(province_framework, committee, {"1.1": "3.5", "1.2": "4", "2.1": "4", "2.2": "6.5"})
    Responsibility.objects.create(province=lang_son, framework_code="PAR-TINH", code="1", agency=organiser.agency)
    Responsibility.objects.create(province=lang_son, framework_code="PAR-TINH", code="2", agency=justice)
    plan = ImprovementPlan.objects.create(
        province=lang_son,
        title="Kế hoạch nâng cao chỉ số",
        year=2025,
        issuing_authority=committee,
        focal_agency=organiser.agency,
        index_years=[2024],
    )
    made, warning = conference_services.plan_duties_from_index(actor=organiser, plan=plan)
    assert (made, warning) == (2, "")
    tasks = {d.lead_agency: d.task for d in plan.duties.all()}
    assert "2.1 Công khai thủ tục (mất 1,00 điểm); PAR INDEX 2.2 Giải quyết đúng hạn (mất 0,50 điểm)" in tasks[justice]
    assert "(PAR INDEX 1,50 điểm)" in tasks[justice] and "1.1 Kế hoạch CCHC (mất 0,50 điểm)" in tasks[organiser.agency]
    assert conference_services.plan_duties_from_index(actor=organiser, plan=plan) == (0, "")  # not twice


def test_presentation_guidance_lists_the_assignees_criteria_below_maximum(framework, lang_son, organiser):
    from submissions import selectors as submission_selectors

    from .factories import AssignmentFactory, ConferenceFactory

    agency = departments(lang_son, 1)[0]
    score(framework, agency, {"1.1": "4", "1.2": "3.5", "2.1": "5", "2.2": "5"})
    conference = ConferenceFactory(province=lang_son, index_years=[2025])
    assignment = AssignmentFactory(conference=conference, agency=agency)
    from submissions.services import assignment_sync

    assignment_sync(actor=organiser, assignment=assignment)
    presentation = assignment.presentations.get()
    text = submission_selectors.index_guidance(presentation)
    assert text.splitlines() == [
        "Tập trung phân tích nguyên nhân và giải pháp cho các tiêu chí chưa đạt điểm tối đa năm 2025 (17,50/20,00 "
        "điểm):",
        "- 2.2. Giải quyết đúng hạn: đạt 5,00/7,00, mất 2,00 điểm;",
        "- 1.2. Báo cáo CCHC: đạt 3,50/4,00, mất 0,50 điểm.",
    ]


def test_conference_analysis_report_is_drafted_from_the_data(framework, lang_son, organiser):
    from conferences import drafting

    from .factories import ConferenceFactory

    for agency, value in zip(departments(lang_son, 3), ("7", "6", "5"), strict=True):
        score(framework, agency, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": value})
    conference = ConferenceFactory(province=lang_son, index_years=[2025], issuing_authority=organiser.agency)
    document = drafting.draft_analysis_report(actor=organiser, conference=conference)
    text = "\n".join(document.sections.values_list("text", flat=True))
    assert "3 đơn vị được đánh giá; điểm bình quân 19,00, cao nhất 20,00 (Sở Thử 000" in text
    assert "- 2.2 Giải quyết đúng hạn: 2/3 đơn vị chưa đạt tối đa, tổng mất 3,00 điểm." in text
    assert document.sections.exclude(figure="").exists()


def test_role_pages_refuse_what_a_role_may_not_do(framework, lang_son, official, leader, organiser):
    agency = departments(lang_son, 1)[0]
    assessment = score(framework, agency, {"1.1": "4"})
    for user in (official, leader):
        client = client_for(user)
        assert client.get(f"/chi-so/bo/{framework.pk}/nhap/").status_code == 403
        assert client.get(f"/chi-so/bo/{framework.pk}/mau-nhap-diem.xlsx").status_code == 403
        assert client.post(f"/chi-so/bo/{framework.pk}/cong-bo/").status_code == 403
    assert client_for(leader).get(f"/chi-so/danh-gia/{assessment.pk}/tham-dinh/").status_code == 403
    assert not Publication.objects.exists()


def test_self_assessment_page_keeps_evidence_files_and_refuses_bad_ones(
    framework, lang_son, official, organiser, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    pdf = files.pdf_bytes()  # a real PDF: evidence is inspected from its bytes (core.uploads)
    assessment = Assessment.objects.create(framework=framework, agency=official.agency)
    client = client_for(official)
    first = leaf(framework, "1.1")
    url = f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/"
    response = client.post(
        url,
        {
            f"score-{first.pk}": "3,5",
            f"note-{first.pk}": "Kế hoạch số 12",
            f"evidence-{first.pk}": SimpleUploadedFile("chuong-trinh.exe", b"MZ\x90"),
        },
    )
    assert response.status_code == 400
    assert "chỉ nhận PDF, Word, Excel, ảnh JPG/PNG hoặc ZIP" in response.content.decode()
    assert not Score.objects.exists() and not list(tmp_path.rglob("*.exe"))
    response = client.post(
        url,
        {
            f"score-{first.pk}": "3,5",
            f"note-{first.pk}": "Kế hoạch số 12",
            f"evidence-{first.pk}": SimpleUploadedFile("Kế hoạch.pdf", pdf),
        },
    )
    assert response.status_code == 302
    saved = Score.objects.get()
    assert (saved.value, saved.note, saved.evidence_name) == (Decimal("3.50"), "Kế hoạch số 12", "Kế hoạch.pdf")
    download = f"/chi-so/danh-gia/{assessment.pk}/minh-chung/{saved.pk}/"
    assert b"".join(client.get(download).streaming_content) == pdf
    assert client_for(organiser).get(download).status_code == 200
    stranger = AgencyFactory(province=lang_son)
    from agencies.models import Role

    from .factories import UserFactory

    assert client_for(UserFactory(role=Role.OFFICIAL, agency=stranger)).get(download).status_code == 404


def test_rank_change_waits_for_the_whole_ranking(framework, lang_son, organiser):
    # Last year a stood third of three; this year it is the first appraised
    # of three: "1/1 ↑2" would read as a climb that nobody has made yet.
    previous = services.framework_copy(framework=framework, year=2024)
    a, b, c = departments(lang_son, 3)
    score(previous, c, {"1.1": "5", "1.2": "5", "2.1": "5", "2.2": "8"})
    score(previous, b, {"1.1": "4", "1.2": "5", "2.1": "5", "2.2": "8"})
    score(previous, a, {"1.1": "3", "1.2": "4", "2.1": "5", "2.2": "7"})
    mine = score(framework, a, {"1.1": "4", "1.2": "4", "2.1": "5", "2.2": "7"})
    for other in (b, c):
        Assessment.objects.create(framework=framework, agency=other, status=Assessment.Status.SUBMITTED)
    page = client_for(organiser).get(f"/chi-so/danh-gia/{mine.pk}/")
    assert (page.context["rank"], page.context["out_of"], page.context["rank_change"]) == (1, 1, None)
    assert "Tạm tính: mới thẩm định 1/3 đơn vị" in page.content.decode()
    for other, values in ((b, {"1.1": "5", "1.2": "5", "2.1": "5", "2.2": "8"}), (c, {"1.1": "2"})):
        score(framework, other, values)
    page = client_for(organiser).get(f"/chi-so/danh-gia/{mine.pk}/")
    assert (page.context["rank"], page.context["out_of"], page.context["rank_change"]) == (2, 3, 1)
    assert "Tạm tính" not in page.content.decode()


def test_a_survey_criterion_is_not_self_assessed(framework, lang_son, official, organiser):
    survey = leaf(framework, "2.2")
    assert survey.method == "survey"
    assessment = Assessment.objects.create(framework=framework, agency=official.agency)
    inputs = [services.ScoreInput(leaf(framework, "1.1").pk, "3"), services.ScoreInput(survey.pk, "5")]
    errors = services.scores_save(actor=official, assessment=assessment, round="self", inputs=inputs)
    assert errors == {survey.pk: "Tiêu chí đo bằng điều tra xã hội học: đơn vị không tự chấm, để trống ô này."}
    assert not Score.objects.exists()
    page = client_for(official).get(f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/").content.decode()
    at = page.index(f'name="score-{survey.pk}"')
    assert "disabled" in page[at - 300 : at + 400]
    # The Sở enters the survey's result when it appraises.
    services.scores_save(
        actor=organiser, assessment=assessment, round="appraised", inputs=[services.ScoreInput(survey.pk, "5")]
    )
    assert Score.objects.get(criterion=survey).round == "appraised"
