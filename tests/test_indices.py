"""Index frameworks as data, rankings with ties, and the national summary
sentence of seed 002, computed from the data."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from agencies.models import AgencyKind
from core.exceptions import Refused
from indices import loading, selectors, services
from indices.models import Assessment, Criterion, Framework, IndexKind, NationalResult, Score

from .factories import AgencyFactory, ProvinceFactory

pytestmark = pytest.mark.django_db

SMALL = {
    "code": "THU",
    "year": 2025,
    "name": "Bộ chỉ số thử",
    "index": "par",
    "subject": "commune",
    "maximum": "10",
    "criteria": [
        {
            "code": "1",
            "name": "Chỉ đạo, điều hành",
            "maximum": "4",
            "children": [
                {"code": "1.1", "name": "Kế hoạch", "maximum": "2,5"},
                {"code": "1.2", "name": "Báo cáo", "maximum": "1.5"},
            ],
        },
        {"code": "2", "name": "Thủ tục hành chính", "maximum": "6", "method": "survey"},
    ],
}


def test_every_shipped_framework_loads_and_adds_up():
    for data in loading.shipped():
        framework = services.framework_load(data)
        fields = framework.criteria.filter(level=1)
        assert sum(c.maximum for c in fields) == framework.maximum
        for criterion in framework.criteria.all():
            children = list(criterion.children.all())
            if children:
                assert sum(c.maximum for c in children) == criterion.maximum, criterion.code
    par = Framework.objects.get(code="PAR-TINH")
    assert par.criteria.filter(level=1).count() == 8 and par.is_example
    assert Framework.objects.get(code="SIPAS").unit == "percent"
    assert set(Framework.objects.values_list("subject", flat=True)) == {"province", "department", "commune"}


def test_framework_accepts_decimal_commas_and_keeps_the_tree():
    framework = services.framework_load(SMALL)
    assert Criterion.objects.get(framework=framework, code="1.1").maximum == Decimal("2.50")
    assert Criterion.objects.get(framework=framework, code="1.2").parent.code == "1"
    assert Criterion.objects.get(framework=framework, code="2").method == "survey"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["criteria"][0]["children"][0].update(maximum="3"),
            "tổng điểm các tiêu chí con là 4.50, khác điểm tối đa 4.00",
        ),
        (lambda d: d.update(maximum="12"), "Tổng điểm các lĩnh vực là 10.00, khác điểm tối đa của bộ chỉ số 12.00"),
        (lambda d: d["criteria"][0]["children"][1].update(code="1.1"), "Mã tiêu chí 1.1 bị trùng"),
        (lambda d: d["criteria"][0]["children"][1].update(code="2.9"), "Mã 2.9 không nằm dưới tiêu chí cha 1"),
        (lambda d: d["criteria"][1].update(maximum="sáu"), "“sáu” không phải là số"),
        (lambda d: d["criteria"][1].update(method="đoán"), "cách chấm “đoán” không hợp lệ"),
        (lambda d: d.pop("criteria"), "Thiếu mục “criteria”"),
    ],
)
def test_framework_that_does_not_add_up_is_refused_and_nothing_saved(change, message):
    data = copy.deepcopy(SMALL)
    change(data)
    with pytest.raises(Refused) as refused:
        services.framework_load(data)
    assert any(message in reason for reason in refused.value.reasons), refused.value.reasons
    assert not Framework.objects.exists() and not Criterion.objects.exists()


def test_framework_is_copied_to_a_new_year_and_the_copy_edited_alone():
    framework = services.framework_load(SMALL)
    copy_ = services.framework_copy(framework=framework, year=2026)
    assert copy_.year == 2026 and copy_.criteria.count() == framework.criteria.count() == 4
    Criterion.objects.filter(framework=copy_, code="2").update(name="Thủ tục hành chính (sửa)")
    assert Criterion.objects.get(framework=framework, code="2").name == "Thủ tục hành chính"
    with pytest.raises(Refused, match="đã có"):
        services.framework_copy(framework=framework, year=2026)


def test_ranking_shares_ranks_on_ties_and_counts_leaves_only():
    framework = services.framework_load(SMALL)
    province = ProvinceFactory(code="lai-chau", name="Lai Châu")
    leaves = {c.code: c for c in framework.criteria.filter(children__isnull=True)}
    totals = {"A": ("2.5", "1.5", "6"), "B": ("2", "1.25", "5"), "C": ("2.25", "1", "5"), "D": ("1", "1", "5")}
    for name, values in totals.items():
        assessment = Assessment.objects.create(
            framework=framework,
            agency=AgencyFactory(province=province, kind=AgencyKind.COMMUNE, name=f"UBND xã {name}"),
        )
        for code, value in zip(("1.1", "1.2", "2"), values, strict=True):
            Score.objects.create(assessment=assessment, criterion=leaves[code], round="appraised", value=Decimal(value))
            Score.objects.create(assessment=assessment, criterion=leaves[code], round="self", value=Decimal("0.5"))
    services.totals_refresh(Assessment.objects.all())
    rows = [(a.agency.name, a.score, a.rank) for a in selectors.ranking(framework)]
    assert rows == [
        ("UBND xã A", Decimal("10.00"), 1),
        ("UBND xã B", Decimal("8.25"), 2),
        ("UBND xã C", Decimal("8.25"), 2),
        ("UBND xã D", Decimal("7.00"), 4),
    ]
    assert [a.score for a in selectors.ranking(framework, round="self")] == [Decimal("1.50")] * 4


def test_published_figures_round_half_up_to_two_places():
    assert selectors.published(Decimal("85.965")) == Decimal("85.97")
    assert selectors.published(Decimal("81.514")) == Decimal("81.51")


# Seed 002's opening sentence, in its office's style (SIPAS changes in %),
# but with rank changes written one way throughout: the seed itself writes
# "giảm 7 hạng" and then "giảm 05 hạng".
SEED_002_OPENING = (
    "Chỉ số PAR INDEX tỉnh Lai Châu đạt 85,97 điểm, tăng 0,19 điểm so với năm 2023, xếp vị trí thứ 56/63 tỉnh, "
    "thành phố, giảm 7 hạng so với năm 2023; Chỉ số SIPAS đạt 81,51%, tăng 1,69% so với năm 2023; xếp hạng "
    "55/63 tỉnh, thành phố, giảm 5 hạng so với năm 2023"
)


def test_national_summary_gives_seed_002_opening():
    province = ProvinceFactory(code="lai-chau", name="Lai Châu")
    province.percent_change_in_points = False
    province.save()
    for index, year, score, rank in (
        (IndexKind.PAR, 2024, "85.97", 56),
        (IndexKind.PAR, 2023, "85.78", 49),
        (IndexKind.SIPAS, 2024, "81.51", 55),
        (IndexKind.SIPAS, 2023, "79.82", 50),
    ):
        NationalResult.objects.create(
            province=province, index=index, year=year, score=Decimal(score), rank=rank, out_of=63
        )
    assert selectors.national_summary(province, 2024) == SEED_002_OPENING


def test_national_summary_says_when_a_rank_held_or_rose():
    province = ProvinceFactory(code="lai-chau", name="Lai Châu")
    for year, score, rank in ((2025, "88.10", 20), (2024, "85.97", 20)):
        NationalResult.objects.create(
            province=province,
            index=IndexKind.PAR,
            year=year,
            score=Decimal(score),
            rank=rank,
            out_of=63 if year < 2025 else 34,
        )
    # 20th of 34 after 20th of 63 is no "held": the places of tables of
    # different sizes are given side by side, not compared.
    assert selectors.national_summary(province, 2025) == (
        "Chỉ số PAR INDEX tỉnh Lai Châu đạt 88,10 điểm, tăng 2,13 điểm so với năm 2024, xếp vị trí thứ 20/34 tỉnh, "
        "thành phố (năm 2024: 20/63)"
    )
    for year, rank in ((2026, 20), (2027, 18)):
        NationalResult.objects.create(
            province=province, index=IndexKind.PAR, year=year, score=Decimal("88.10"), rank=rank, out_of=34
        )
    assert selectors.national_summary(province, 2026).endswith("giữ nguyên thứ hạng so với năm 2025")
    assert selectors.national_summary(province, 2027).endswith("tăng 2 hạng so với năm 2026")


def test_demo_seeds_frameworks_and_lai_chau_results_whose_summary_is_the_seed():
    import io

    from django.core.management import call_command

    from agencies.models import Province

    call_command("seed_demo", stdout=io.StringIO())
    assert selectors.national_summary(Province.objects.get(code="lai-chau"), 2024) == SEED_002_OPENING
    counts = (Framework.objects.count(), Assessment.objects.count(), Score.objects.count())
    assert counts[0] == 8 and counts[1] > 100  # four shipped, the sample ones copied to 2024 and 2026
    committee = Assessment.objects.get(framework__code="PAR-TINH", agency__province__code="lai-chau")
    assert committee.total == Decimal("85.97")  # its criteria add up to the published figure
    call_command("seed_demo", stdout=io.StringIO())  # a second run adds nothing
    assert (Framework.objects.count(), Assessment.objects.count(), Score.objects.count()) == counts
    # Lai Châu's four real results, and an invented league table around them
    # (63 provinces × PAR INDEX, SIPAS × 2023, 2024), said so in its source.
    assert NationalResult.objects.count() == 63 * 2 * 2
    assert NationalResult.objects.exclude(source__startswith="Số liệu minh họa").count() == 4
    for index, year, rank in (("par", 2024, 56), ("par", 2023, 49), ("sipas", 2024, 55), ("sipas", 2023, 50)):
        table = list(NationalResult.objects.filter(index=index, year=year).order_by("rank"))
        assert [r.rank for r in table] == list(range(1, 64))
        assert [r.score for r in table] == sorted((r.score for r in table), reverse=True)
        assert table[rank - 1].province.code == "lai-chau"


def test_command_loads_a_framework_file_and_refuses_a_bad_one(tmp_path):
    import json

    from django.core.management import CommandError, call_command

    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    bad.write_text(json.dumps({**SMALL, "maximum": "11"}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="Tổng điểm các lĩnh vực là 10.00"):
        call_command("load_framework", str(bad))
    assert not Framework.objects.exists()
    call_command("load_framework", str(good), stdout=__import__("io").StringIO())
    assert Framework.objects.get().criteria.count() == 4


def test_framework_goes_to_excel_and_back_and_a_bad_sheet_is_refused(tmp_path):
    import io

    from django.core.management import CommandError, call_command
    from openpyxl import load_workbook

    framework = services.framework_load(SMALL)
    data = loading.framework_xlsx(framework)
    again = loading.framework_from_xlsx(data)
    assert (again["code"], again["year"], [c["code"] for c in again["criteria"]]) == ("THU", 2025, ["1", "2"])
    assert [c["code"] for c in again["criteria"][0]["children"]] == ["1.1", "1.2"]
    book = load_workbook(io.BytesIO(data))
    book.active["B2"] = 2026
    good = tmp_path / "bo.xlsx"
    book.save(good)
    call_command("load_framework", str(good), stdout=io.StringIO())
    assert Framework.objects.get(code="THU", year=2026).criteria.get(code="1.2").maximum == Decimal("1.50")
    book.active["B2"] = 2027
    book.active["C14"] = 9  # criterion 1.1 now breaks its parent's maximum
    bad = tmp_path / "hong.xlsx"
    book.save(bad)
    with pytest.raises(CommandError, match="tổng điểm các tiêu chí con"):
        call_command("load_framework", str(bad))
    assert not Framework.objects.filter(year=2027).exists()
