import pytest
from django.urls import reverse

from agencies.models import Agency
from agencies.selectors import agency_list, person_list

from .factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(lao_cai):
    agency = AgencyFactory(province=lao_cai, code="STP", name="Sở Tư pháp tỉnh Lào Cai")
    return agency, PersonFactory(agency=agency, full_name="Lò Văn Xa")


@pytest.fixture
def home_agency(lang_son):
    agency = AgencyFactory(province=lang_son, code="STP", name="Sở Tư pháp tỉnh Lạng Sơn")
    return agency, PersonFactory(agency=agency, full_name="Hoàng Thị Gần")


def test_agency_list_organiser_sees_only_own_province(client, organiser, foreign, home_agency):
    client.force_login(organiser)
    response = client.get(reverse("agencies:agency-list"))
    assert response.status_code == 200
    names = {a.name for a in response.context["agencies"]}
    assert "Sở Tư pháp tỉnh Lạng Sơn" in names
    assert "Sở Tư pháp tỉnh Lào Cai" not in names


def test_person_list_organiser_sees_only_own_province(client, organiser, foreign, home_agency):
    client.force_login(organiser)
    response = client.get(reverse("agencies:person-list"))
    names = {p.full_name for p in response.context["people"]}
    assert names == {"Hoàng Thị Gần"}


@pytest.mark.parametrize("route", ["agencies:agency-detail", "agencies:agency-update"])
def test_agency_urls_of_other_province_answer_404(client, organiser, foreign, route):
    client.force_login(organiser)
    assert client.get(reverse(route, args=[foreign[0].pk])).status_code == 404


def test_agency_edit_post_of_other_province_changes_nothing(client, organiser, foreign):
    client.force_login(organiser)
    url = reverse("agencies:agency-update", args=[foreign[0].pk])
    response = client.post(url, {"code": "STP", "name": "Bị sửa", "kind": "so_ban_nganh"})
    assert response.status_code == 404
    foreign[0].refresh_from_db()
    assert foreign[0].name == "Sở Tư pháp tỉnh Lào Cai"


def test_person_edit_of_other_province_answers_404(client, organiser, foreign):
    client.force_login(organiser)
    assert client.get(reverse("agencies:person-update", args=[foreign[1].pk])).status_code == 404


def test_person_create_cannot_target_agency_of_other_province(client, organiser, foreign):
    client.force_login(organiser)
    response = client.post(reverse("agencies:person-create"), {"agency": foreign[0].pk, "full_name": "Xâm Nhập"})
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not foreign[0].people.filter(full_name="Xâm Nhập").exists()


def test_export_contains_only_own_province(client, organiser, foreign, home_agency):
    import io

    from openpyxl import load_workbook

    client.force_login(organiser)
    response = client.get(reverse("agencies:agency-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Sở Tư pháp tỉnh Lạng Sơn" in names
    assert "Sở Tư pháp tỉnh Lào Cai" not in names


def test_administrator_sees_every_province(client, administrator, foreign, home_agency):
    client.force_login(administrator)
    response = client.get(reverse("agencies:agency-list"))
    names = {a.name for a in response.context["agencies"]}
    assert {"Sở Tư pháp tỉnh Lạng Sơn", "Sở Tư pháp tỉnh Lào Cai"} <= names
    assert client.get(reverse("agencies:agency-detail", args=[foreign[0].pk])).status_code == 200


@pytest.mark.parametrize("fixture", ["official", "leader"])
def test_directory_edit_forbidden_for_officials_and_leaders(client, request, fixture, home_agency):
    user = request.getfixturevalue(fixture)
    client.force_login(user)
    assert client.get(reverse("agencies:agency-update", args=[home_agency[0].pk])).status_code == 403
    assert client.get(reverse("agencies:agency-create")).status_code == 403
    assert client.get(reverse("agencies:import")).status_code == 403
    # Reading their own province's directory is allowed.
    assert client.get(reverse("agencies:agency-detail", args=[home_agency[0].pk])).status_code == 200


def test_anonymous_is_sent_to_login(client, home_agency):
    response = client.get(reverse("agencies:agency-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("term", ["lang son", "LẠNG SƠN", "Lạng Sơn", "tu phap", "TƯ PHÁP"])
def test_search_folds_diacritics_and_case(organiser, home_agency, term):
    found = agency_list(user=organiser, search=term)
    assert home_agency[0] in found


def test_search_folds_d_stroke(organiser, lang_son):
    agency = AgencyFactory(province=lang_son, code="X-DONGDANG", name="UBND xã Đồng Đăng", kind="xa")
    assert list(agency_list(user=organiser, search="dong dang")) == [agency]
    person = PersonFactory(agency=agency, full_name="Đặng Đình Đức")
    assert list(person_list(user=organiser, search="dang dinh duc")) == [person]


def test_organiser_creates_agency_in_own_province(client, organiser, lang_son, lao_cai):
    client.force_login(organiser)
    response = client.post(
        reverse("agencies:agency-create"),
        {
            "province": lao_cai.pk,  # disabled field: ignored
            "code": "X-MOI",
            "name": "UBND xã Mới",
            "short_name": "UBND",
            "kind": "xa",
            "active_from": "01/07/2025",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(code="X-MOI")
    assert agency.province == lang_son
    assert agency.active_from.isoformat() == "2025-07-01"


def test_agency_form_errors_keep_input_and_speak_vietnamese(client, organiser, home_agency):
    client.force_login(organiser)
    response = client.post(
        reverse("agencies:agency-create"),
        {
            "code": "STP",
            "name": "Trùng mã",
            "kind": "so_ban_nganh",
            "active_from": "31/02/2025",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["code"] == ["Mã đơn vị này đã có trong danh bạ của tỉnh."]
    assert "active_from" in form.errors
    assert 'value="Trùng mã"' in response.content.decode()
    assert Agency.objects.filter(name="Trùng mã").count() == 0
