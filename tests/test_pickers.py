"""Pickers that scale: every choice of an agency or a person is a searchable
picker whose options load on demand from a province-scoped endpoint, so a
page holds only what is chosen; the longest list (a plan's duties) stays a
light page with a flat query count, and a posted form validates exactly as
the plain selects did."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind
from conferences.models import Duty

from . import factories as f
from .conftest import client_for

pytestmark = pytest.mark.django_db

AGENCIES = "/danh-ba/chon/don-vi/"
PEOPLE = "/danh-ba/chon/can-bo/"
KINDS = "/danh-ba/chon/loai-don-vi/"


def labels(response) -> list[str]:
    """The options of a picker's answer, groups flattened."""
    assert response.status_code == 200, response.status_code
    found = []
    for row in response.json()["results"]:
        found += [child["text"] for child in row["children"]] if "children" in row else [row["text"]]
    return found


@pytest.fixture
def lao_cai_units(lao_cai):
    return [
        f.AgencyFactory(province=lao_cai, code="UBND", name="Ủy ban nhân dân tỉnh Lào Cai", kind="ubnd_tinh"),
        f.AgencyFactory(province=lao_cai, code="STC", name="Sở Tài chính tỉnh Lào Cai"),
        f.AgencyFactory(province=lao_cai, code="PLC", name="UBND phường Lào Cai", kind=AgencyKind.WARD),
    ]


# --- The endpoints --------------------------------------------------------------------------------


def test_agency_picker_ignores_diacritics_and_case(other_organiser, lao_cai_units):
    client = client_for(other_organiser)
    assert labels(client.get(AGENCIES, {"q": "lao cai"})) == [
        "Ủy ban nhân dân tỉnh Lào Cai",
        "Sở Nội vụ tỉnh Lào Cai",  # the organiser's own
        "Sở Tài chính tỉnh Lào Cai",
        "UBND phường Lào Cai",
    ]
    # Every word typed, in any order, each in the name, its short name or its code.
    assert labels(client.get(AGENCIES, {"q": "TAI CHINH lào"})) == ["Sở Tài chính tỉnh Lào Cai"]
    assert labels(client.get(AGENCIES, {"q": "phuong"})) == ["UBND phường Lào Cai"]


def test_agency_picker_groups_results_by_kind_in_directory_order(other_organiser, lao_cai_units):
    response = client_for(other_organiser).get(AGENCIES, {"q": "lao cai"})
    assert [group["text"] for group in response.json()["results"]] == ["UBND tỉnh", "Sở, ban, ngành", "Phường"]
    assert response.json()["pagination"] == {"more": False}


def test_agency_picker_never_answers_with_another_province(organiser, lang_son, lao_cai, lao_cai_units):
    own = f.AgencyFactory(province=lang_son, code="LC1", name="Trường Lào Cai của Lạng Sơn")
    client = client_for(organiser)
    assert labels(client.get(AGENCIES, {"q": "lao cai"})) == [own.name]
    # Naming the other province only narrows the user's own: nothing.
    assert labels(client.get(AGENCIES, {"q": "lao cai", "province": lao_cai.pk})) == []
    everything = labels(client.get(AGENCIES))
    assert own.name in everything and not set(everything) & {a.name for a in lao_cai_units}
    people = client_for(organiser).get(PEOPLE, {"q": "nguyen"})
    f.PersonFactory(agency=lao_cai_units[1], full_name="Nguyễn Văn Lào")
    assert labels(client.get(PEOPLE, {"q": "nguyen"})) == labels(people) == []


def test_an_administrator_names_the_province_the_picker_serves(administrator, lang_son, lao_cai_units):
    f.AgencyFactory(province=lang_son, code="LC1", name="Trường Lào Cai của Lạng Sơn")
    client = client_for(administrator)
    assert len(labels(client.get(AGENCIES, {"q": "lao cai"}))) == 4
    assert labels(client.get(AGENCIES, {"q": "lao cai", "province": lang_son.pk})) == ["Trường Lào Cai của Lạng Sơn"]


def test_agency_picker_offers_the_units_of_the_day_or_of_any_period(other_organiser, lao_cai):
    f.AgencyFactory(
        province=lao_cai, code="BX", name="UBND huyện Bát Xát", kind="huyen", active_to=dt.date(2025, 6, 30)
    )
    f.AgencyFactory(province=lao_cai, code="BXN", name="UBND xã Bát Xát", kind="xa", active_from=dt.date(2025, 7, 1))
    client = client_for(other_organiser)
    assert labels(client.get(AGENCIES, {"q": "bat xat", "day": "2024-05-01"})) == [
        "UBND huyện Bát Xát (đến 30/06/2025)"
    ]
    assert labels(client.get(AGENCIES, {"q": "bat xat", "day": "2026-01-01"})) == ["UBND xã Bát Xát"]
    assert labels(client.get(AGENCIES, {"q": "bat xat"})) == ["UBND xã Bát Xát", "UBND huyện Bát Xát (đến 30/06/2025)"]
    # A day that is not one is ignored, never an error.
    assert len(labels(client.get(AGENCIES, {"q": "bat xat", "day": "hôm qua"}))) == 2


def test_person_picker_finds_people_by_name_position_or_agency(other_organiser, lao_cai_units):
    f.PersonFactory(agency=lao_cai_units[1], full_name="Đặng Thị Hương", position="Giám đốc")
    f.PersonFactory(agency=lao_cai_units[0], full_name="Trần Văn Nam", position="Chủ tịch")
    client = client_for(other_organiser)
    assert labels(client.get(PEOPLE, {"q": "dang thi huong"})) == [
        "Đặng Thị Hương (Giám đốc) — Sở Tài chính tỉnh Lào Cai"
    ]
    assert labels(client.get(PEOPLE, {"q": "chu tich"})) == ["Trần Văn Nam (Chủ tịch) — Ủy ban nhân dân tỉnh Lào Cai"]
    assert labels(client.get(PEOPLE, {"q": "tai chinh"})) == ["Đặng Thị Hương (Giám đốc) — Sở Tài chính tỉnh Lào Cai"]


def test_kind_picker_ignores_diacritics(organiser):
    client = client_for(organiser)
    assert labels(client.get(KINDS, {"q": "phuong"}))[0] == "Phường"
    assert labels(client.get(KINDS, {"q": "xa"}))[:2] == ["Xã", "Thị xã (trước 01/7/2025)"]
    assert len(labels(client.get(KINDS))) == len(AgencyKind.choices)


@pytest.mark.parametrize("url", [AGENCIES, PEOPLE, KINDS])
def test_pickers_require_login(client, url):
    response = client.get(url, {"q": "lao cai"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pickers_only_answer_reads(organiser):
    assert client_for(organiser).post(AGENCIES, {"text": "Sở mới"}).status_code == 405


# --- The heaviest form: a plan's duties -------------------------------------------------------------


def _plan_with_duties(province, count: int, agencies: list):
    plan = f.ImprovementPlanFactory(province=province, year=timezone.localdate().year)
    for i in range(count):
        duty = f.DutyFactory(
            for_plan=True,
            plan=plan,
            lead_agency=agencies[i % len(agencies)],
            lead_kinds=["xa", "phuong"],
            task=f"Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết, đợt {i + 1}",
        )
        duty.coordinating.set(agencies[i + 1 : i + 3])
    return plan


@pytest.fixture
def directory(lang_son):
    """A province's directory: 300 units."""
    return [
        f.AgencyFactory(province=lang_son, code=f"X{i:03d}", name=f"UBND xã Thử nghiệm {i:03d}", kind="xa")
        for i in range(300)
    ]


def _get(client, url):
    client.get(url)  # what a process keeps between requests
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def test_plan_duties_form_is_light_and_its_queries_do_not_grow(organiser, lang_son, directory):
    client = client_for(organiser)
    one = _plan_with_duties(lang_son, 1, directory)
    many = _plan_with_duties(lang_son, 40, directory)
    small, small_queries = _get(client, reverse("conferences:plan-part", args=[one.pk, "nhiem-vu"]))
    page, queries = _get(client, reverse("conferences:plan-part", args=[many.pk, "nhiem-vu"]))
    assert queries == small_queries == 9
    html = page.content.decode()
    # 40 duties, 300 units in the directory: under 100 KB, and no unit is
    # listed but in the rows' lines (a saved row is one line until opened).
    assert len(page.content) < 100_000, len(page.content)
    assert html.count("<option") < 10
    assert html.count('class="card mb-2 part-row part-summary"') == 40
    assert "UBND xã Thử nghiệm 000: Rà soát, đơn giản hóa thủ tục hành chính" in html
    assert "UBND xã Thử nghiệm 299" not in html


def test_opening_a_saved_row_gives_its_form_with_only_the_chosen_options(organiser, lang_son, directory):
    plan = _plan_with_duties(lang_son, 3, directory)
    duty = plan.duties.order_by("order")[1]
    client = client_for(organiser)
    url = reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"])
    client.get(url, {"dong": duty.pk, "i": 1})
    with CaptureQueriesContext(connection) as queries:
        row = client.get(url, {"dong": duty.pk, "i": 1})
    html = row.content.decode()
    assert f'name="rows-1-id" value="{duty.pk}"' in html and 'name="rows-1-task"' in html
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)
    assert ("", "") in options
    assert {label for _, label in options if label} == {
        "UBND xã Thử nghiệm 001",  # the lead
        "UBND xã Thử nghiệm 002",  # those who help
        "UBND xã Thử nghiệm 003",
        "Xã",  # the lead group's kinds
        "Phường",
        "chậm nhất ngày",  # a plain choice stays a plain select
        "trước ngày",
    }
    assert 'data-autocomplete-light-url="/danh-ba/chon/don-vi/?day=' in html
    assert len(queries.captured_queries) == 8
    other = _plan_with_duties(f.ProvinceFactory(code="khac"), 1, [f.AgencyFactory()])
    assert client.get(url, {"dong": other.duties.get().pk, "i": 0}).status_code == 404


def test_a_row_with_a_four_digit_id_opens(organiser, lang_son, directory):
    # Ids are written into links unlocalized: "dong=1.234" (the thousands
    # separator of Vietnamese figures) found no row once a province had
    # more than 999 duties.
    plan = f.ImprovementPlanFactory(province=lang_son, year=timezone.localdate().year)
    f.DutyFactory(for_plan=True, plan=plan, pk=12345, lead_agency=directory[0], task="Rà soát thủ tục")
    url = reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"])
    client = client_for(organiser)
    assert "?dong=12345&amp;i=0" in client.get(url).content.decode()
    assert 'name="rows-0-id" value="12345"' in client.get(url, {"dong": 12345, "i": 0}).content.decode()


def test_new_rows_carry_the_pickers_for_the_add_row_script(organiser, lang_son):
    plan = f.ImprovementPlanFactory(province=lang_son)
    html = client_for(organiser).get(reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"])).content.decode()
    template = html.split('<template id="rows-empty">', 1)[1].split("</template>", 1)[0]
    assert 'name="rows-__prefix__-lead_agency"' in template
    assert template.count('data-autocomplete-light-function="select2"') == 4  # lead, kinds, under, helpers
    assert 'data-placeholder="Gõ tên để tìm…"' in template


def test_picker_assets_are_served_from_the_portal(organiser, lang_son):
    plan = _plan_with_duties(lang_son, 2, [f.AgencyFactory(province=lang_son) for _ in range(4)])
    html = client_for(organiser).get(reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"])).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    for path in (
        "admin/js/vendor/jquery/jquery.min.js",
        "admin/js/vendor/select2/select2.full.min.js",
        "autocomplete_light/select2.min.js",
        "autocomplete_light/i18n/vi.js",
        "js/pickers.js",
        "css/pickers.css",
    ):
        assert f"/static/{path}" in assets
        assert finders.find(path), path
    assert all(asset.startswith("/static/") for asset in assets)
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


# --- Posting: validated exactly as the plain selects were -----------------------------------------------


def _management(total: int, initial: int) -> dict:
    return {
        "rows-TOTAL_FORMS": str(total),
        "rows-INITIAL_FORMS": str(initial),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }


def _new_duty(i: int, **values) -> dict:
    row = {"order": "9", "task": "Tổng hợp báo cáo kết quả thực hiện", "due_wording": "cham_nhat", **values}
    return {f"rows-{i}-{name}": value for name, value in row.items()}


@pytest.fixture
def plan(lang_son):
    return f.ImprovementPlanFactory(province=lang_son, year=2025, reference_date=dt.date(2025, 3, 1))


def test_a_chosen_agency_of_the_province_is_saved(organiser, lang_son, plan):
    agency = f.AgencyFactory(province=lang_son, name="Sở Y tế tỉnh Lạng Sơn")
    helper = f.AgencyFactory(province=lang_son, name="Sở Tư pháp tỉnh Lạng Sơn")
    data = {**_management(1, 0), **_new_duty(0, lead_agency=agency.pk, coordinating=[helper.pk])}
    response = client_for(organiser).post(reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"]), data)
    assert response.status_code == 302
    duty = Duty.objects.get(plan=plan)
    assert duty.lead_agency == agency and list(duty.coordinating.all()) == [helper]


@pytest.mark.parametrize("which", ["another province", "dissolved before the plan's day", "helper elsewhere"])
def test_a_chosen_agency_outside_the_choices_is_refused(organiser, lang_son, lao_cai, plan, which):
    mine = f.AgencyFactory(province=lang_son, name="Sở Y tế tỉnh Lạng Sơn")
    if which == "dissolved before the plan's day":
        refused = f.AgencyFactory(province=lang_son, name="UBND huyện Cũ", active_to=dt.date(2024, 12, 31))
    else:
        refused = f.AgencyFactory(province=lao_cai, name="Sở Y tế tỉnh Lào Cai")
    field = "coordinating" if which == "helper elsewhere" else "lead_agency"
    row = {"lead_agency": mine.pk, "coordinating": [refused.pk]} if field == "coordinating" else {field: refused.pk}
    data = {**_management(1, 0), **_new_duty(0, **row)}
    response = client_for(organiser).post(reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"]), data)
    assert response.status_code == 200 and not Duty.objects.exists()
    assert list(response.context["formset"].forms[0].errors) == [field]
    # The refused row is shown open, with its error, and never names the unit refused.
    html = response.content.decode()
    assert "is-invalid" in html and refused.name not in html


def test_saved_rows_never_opened_are_kept_and_can_be_deleted(organiser, lang_son, plan):
    units = [f.AgencyFactory(province=lang_son, name=f"Sở thứ {i}") for i in range(3)]
    kept, dropped = (f.DutyFactory(for_plan=True, plan=plan, lead_agency=unit) for unit in units[:2])
    data = {
        **_management(3, 2),
        "rows-0-id": str(kept.pk),
        "rows-1-id": str(dropped.pk),
        "rows-1-DELETE": "on",
        **_new_duty(2, lead_agency=units[2].pk),
    }
    response = client_for(organiser).post(reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"]), data)
    assert response.status_code == 302
    assert set(Duty.objects.filter(plan=plan).values_list("lead_agency__name", flat=True)) == {"Sở thứ 0", "Sở thứ 2"}
    kept.refresh_from_db()
    assert kept.task == "Xây dựng báo cáo phân tích nguyên nhân các tiêu chí bị mất điểm, đề xuất giải pháp khắc phục"


def test_a_saved_row_posted_whole_is_validated_as_before(organiser, lang_son, lao_cai, plan):
    duty = f.DutyFactory(for_plan=True, plan=plan, lead_agency=f.AgencyFactory(province=lang_son))
    data = {
        **_management(1, 1),
        "rows-0-id": str(duty.pk),
        **_new_duty(0, lead_agency=f.AgencyFactory(province=lao_cai).pk),
    }
    response = client_for(organiser).post(reverse("conferences:plan-part", args=[plan.pk, "nhiem-vu"]), data)
    assert response.status_code == 200 and "lead_agency" in response.context["formset"].forms[0].errors
    assert Duty.objects.get().lead_agency.province == lang_son


# --- The other forms that choose an agency or a person ---------------------------------------------------


def test_the_directory_forms_list_no_unit_but_the_chosen(organiser, lang_son):
    units = [f.AgencyFactory(province=lang_son, name=f"UBND xã Thử nghiệm {i:02d}", kind="xa") for i in range(30)]
    body = f.AgencyFactory(province=lang_son, kind="hoi_dong", name="Hội đồng thẩm định", parent=units[0])
    f.BodyMemberFactory(body=body, agency=units[1])
    client = client_for(organiser)
    for url, chosen in (
        (reverse("agencies:agency-create"), set()),
        (reverse("agencies:agency-update", args=[body.pk]), {units[0].name}),
        (reverse("agencies:person-create"), set()),
        (reverse("agencies:body-members", args=[body.pk]), {units[1].name}),
    ):
        html = client.get(url).content.decode()
        assert 'data-autocomplete-light-url="/danh-ba/chon/' in html, url
        assert {unit.name for unit in units if f">{unit.name}</option>" in html} == chosen, url


def test_the_conference_plan_presentation_and_index_forms_list_no_unit_but_the_chosen(organiser, lang_son):
    units = [f.AgencyFactory(province=lang_son, name=f"UBND xã Thử nghiệm {i:02d}", kind="xa") for i in range(30)]
    conference = f.ConferenceFactory(province=lang_son, focal_agency=units[0])
    plan = f.ImprovementPlanFactory(province=lang_son, focal_agency=units[1])
    framework = f.FrameworkFactory(year=2025)
    criterion = f.CriterionFactory(framework=framework, name="Lĩnh vực phân công")
    f.ResponsibilityFactory(province=lang_son, framework_code=framework.code, code=criterion.code, agency=units[2])
    client = client_for(organiser)
    for url, chosen in (
        (reverse("conferences:update", args=[conference.pk]), {units[0].name}),
        (reverse("conferences:plan-update", args=[plan.pk]), {units[1].name}),
        (reverse("submissions:assignment-create", args=[conference.pk]), set()),
        (reverse("indices:responsibilities", args=[framework.pk]), {units[2].name}),
        (reverse("documents:register"), set()),
    ):
        html = client.get(url).content.decode()
        assert 'data-autocomplete-light-url="/danh-ba/chon/don-vi/' in html, url
        assert {unit.name for unit in units if f">{unit.name}</option>" in html} == chosen, url


def test_the_words_typed_together_come_first(lang_son, organiser):
    """Typing "cong an" offers Công an tỉnh before Sở Công Thương tỉnh Lạng
    Sơn (which holds both words apart), whatever their kinds' order."""
    from agencies import selectors

    f.AgencyFactory(province=lang_son, kind=AgencyKind.DEPARTMENT, name="Sở Công Thương tỉnh Lạng Sơn")
    police = f.AgencyFactory(province=lang_son, kind=AgencyKind.POLICE, name="Công an tỉnh Lạng Sơn")
    found = list(selectors.agency_choices(user=organiser, search="cong an"))
    assert found[0] == police and len(found) == 2
