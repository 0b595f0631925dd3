"""The directory as of a date, groups relative to a unit, and the tiers of
units before and after the 2025 reorganisation."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies import services as directory_services
from agencies.models import AgencyKind, Level, Succession
from agencies.selectors import Directory, area_root
from conferences import selectors as conference_selectors
from conferences.forms import ConferenceForm
from conferences.models import Conference, InviteeLine

from .factories import AgencyFactory, ConferenceFactory

pytestmark = pytest.mark.django_db
K = AgencyKind
BEFORE = dt.date(2024, 5, 20)
AFTER = dt.date(2026, 3, 10)
LAST_DAY = dt.date(2025, 6, 30)
MERGER = dt.date(2025, 7, 1)


@pytest.fixture
def province(lao_cai):
    """Lào Cai with two districts before 1/7/2025 and merged communes after."""
    old = {"active_to": LAST_DAY}
    new = {"active_from": MERGER}
    units = {"tinh": AgencyFactory(province=lao_cai, kind=K.PROVINCIAL_COMMITTEE, name="UBND tỉnh Lào Cai")}
    units["snv"] = AgencyFactory(province=lao_cai, kind=K.DEPARTMENT, name="Sở Nội vụ", parent=units["tinh"])
    units["bat-xat"] = AgencyFactory(province=lao_cai, kind=K.DISTRICT, name="UBND huyện Bát Xát", **old)
    units["muong-khuong"] = AgencyFactory(province=lao_cai, kind=K.DISTRICT, name="UBND huyện Mường Khương", **old)
    for key, kind, name, parent in (
        ("pnv", K.DIVISION, "Phòng Nội vụ huyện Bát Xát", "bat-xat"),
        ("vp", K.DISTRICT_OFFICE, "Văn phòng HĐND và UBND huyện Bát Xát", "bat-xat"),
        ("a-mu-sung", K.COMMUNE, "UBND xã A Mú Sung", "bat-xat"),
        ("quang-kim", K.COMMUNE, "UBND xã Quang Kim", "bat-xat"),
        ("tt-bat-xat", K.TOWNSHIP, "UBND thị trấn Bát Xát", "bat-xat"),
        ("ban-lau", K.COMMUNE, "UBND xã Bản Lầu", "muong-khuong"),
    ):
        units[key] = AgencyFactory(province=lao_cai, kind=kind, name=name, parent=units[parent], **old)
    units["xa-bat-xat"] = AgencyFactory(province=lao_cai, kind=K.COMMUNE, name="UBND xã Bát Xát", **new)
    units["xa-ban-lau"] = AgencyFactory(province=lao_cai, kind=K.COMMUNE, name="UBND xã Bản Lầu mới", **new)
    for old_key, new_key in (("tt-bat-xat", "xa-bat-xat"), ("quang-kim", "xa-bat-xat"), ("ban-lau", "xa-ban-lau")):
        Succession.objects.create(predecessor=units[old_key], successor=units[new_key], on_date=MERGER)
    return units


def names(agencies) -> list[str]:
    return sorted(a.name for a in agencies)


def test_the_directory_of_2024_finds_the_district_its_offices_its_communes_and_its_town(province, lao_cai):
    before = Directory(lao_cai.pk, BEFORE)
    assert names(before.under(province["bat-xat"])) == [
        "Phòng Nội vụ huyện Bát Xát",
        "UBND thị trấn Bát Xát",
        "UBND xã A Mú Sung",
        "UBND xã Quang Kim",
        "Văn phòng HĐND và UBND huyện Bát Xát",
    ]
    assert "UBND xã Bát Xát" not in names(before.rows)


def test_the_directory_of_2026_finds_the_merged_communes_and_no_district(province, lao_cai):
    after = Directory(lao_cai.pk, AFTER)
    assert names(after.group([K.COMMUNE, K.TOWNSHIP], None)) == ["UBND xã Bát Xát", "UBND xã Bản Lầu mới"]
    assert not [a for a in after.rows if a.kind == K.DISTRICT]


def test_the_day_before_and_after_the_merger(province, lao_cai):
    assert "UBND xã Quang Kim" in names(Directory(lao_cai.pk, LAST_DAY).rows)
    assert "UBND xã Quang Kim" not in names(Directory(lao_cai.pk, MERGER).rows)
    assert "UBND xã Bát Xát" in names(Directory(lao_cai.pk, MERGER).rows)


def test_the_communes_and_towns_of_a_district_are_its_own(province, lao_cai):
    group = Directory(lao_cai.pk, BEFORE).group([K.COMMUNE, K.TOWNSHIP], province["bat-xat"])
    assert names(group) == ["UBND thị trấn Bát Xát", "UBND xã A Mú Sung", "UBND xã Quang Kim"]


@pytest.mark.parametrize(
    "issuer, root",
    [("pnv", "bat-xat"), ("bat-xat", "bat-xat"), ("a-mu-sung", "a-mu-sung"), ("snv", None), ("tinh", None)],
)
def test_an_issuers_area_is_its_committees(province, issuer, root):
    found = area_root(province[issuer])
    assert (found.pk if found else None) == (province[root].pk if root else None)


def test_levels_follow_the_kind_or_the_parent(province, lao_cai):
    assert province["bat-xat"].level == Level.DISTRICT
    assert province["pnv"].level == Level.DISTRICT  # a Phòng takes its district's tier
    assert province["a-mu-sung"].level == Level.COMMUNE
    council = AgencyFactory(province=lao_cai, kind=K.COUNCIL, name="Hội đồng thi đua xã", parent=province["a-mu-sung"])
    assert council.level == Level.COMMUNE
    assert province["snv"].level == Level.PROVINCE


def test_a_district_conference_of_2024_invites_its_own_communes_and_town(province, lao_cai):
    conference = ConferenceFactory(
        province=lao_cai,
        issuing_authority=province["bat-xat"],
        focal_agency=province["pnv"],
        date=BEFORE,
    )
    InviteeLine.objects.create(
        conference=conference, text="Chủ tịch UBND các xã, thị trấn", target="group", group_kinds=["xa", "thi_tran"]
    )
    [(line, agencies)] = conference_selectors.line_expansions(conference)
    assert names(agencies) == ["UBND thị trấn Bát Xát", "UBND xã A Mú Sung", "UBND xã Quang Kim"]
    assert conference_selectors.invitee_warnings(conference, [(line, agencies)]) == []


def test_a_group_outside_the_issuers_area_and_a_unit_named_twice_are_warned(province, lao_cai):
    conference = ConferenceFactory(
        province=lao_cai, issuing_authority=province["bat-xat"], focal_agency=province["pnv"], date=BEFORE
    )
    InviteeLine.objects.create(
        conference=conference,
        order=1,
        text="Chủ tịch UBND các xã huyện Mường Khương",
        target="group",
        group_kinds=["xa"],
        group_under=province["muong-khuong"],
    )
    InviteeLine.objects.create(
        conference=conference, order=2, text="UBND xã Bản Lầu", target="agency", agency=province["ban-lau"]
    )
    warnings = conference_selectors.invitee_warnings(conference, conference_selectors.line_expansions(conference))
    assert any("ngoài địa bàn của UBND huyện Bát Xát" in w for w in warnings)
    assert any("“UBND xã Bản Lầu” có ở cả hai dòng" in w for w in warnings)


def test_a_dissolved_district_may_issue_for_its_own_days_only(province, lao_cai):
    def form(day):
        data = {
            "title": "Hội nghị triển khai công tác cải cách hành chính năm 2024",
            "kind": "deploy",
            "issuing_authority": province["bat-xat"].pk,
            "focal_agency": province["pnv"].pk,
            "date": day.strftime("%d/%m/%Y"),
        }
        return ConferenceForm(data, instance=Conference(province=lao_cai, pk=1))

    past = form(BEFORE)
    assert past.is_valid(), past.errors
    later = form(AFTER)
    assert not later.is_valid()
    assert "không hoạt động vào ngày 10/03/2026" in str(later.errors["issuing_authority"])


def test_an_import_records_several_successors_and_the_tier(lao_cai):
    text = (
        "Mã đơn vị,Tên đơn vị,Loại đơn vị,Hoạt động đến ngày,Mã đơn vị kế thừa,Cấp,Địa danh\n"
        "X-A,UBND xã A,Xã,30/06/2025,X-C; X-D,Cấp xã,A\n"
        "X-C,UBND xã C,Xã,,,,\n"
        "X-D,UBND xã D,Xã,,,,\n"
        "H-B,UBND huyện B,Huyện,30/06/2025,,,Bắc Hà\n"
    )
    record = directory_services.directory_import(
        actor=None, kind="agencies", province=lao_cai, name="lich-su.csv", data=text.encode()
    )
    assert record.summary["create"] == 4
    a = lao_cai.agencies.get(code="X-A")
    assert sorted(s.code for s in a.successors.all()) == ["X-C", "X-D"]
    assert (a.level, a.locality, a.active_to) == (Level.COMMUNE, "A", LAST_DAY)
    assert lao_cai.agencies.get(code="H-B").level == Level.DISTRICT
    again = directory_services.directory_import(
        actor=None, kind="agencies", province=lao_cai, name="lich-su.csv", data=text.encode()
    )
    assert again.summary == {"create": 0, "update": 0, "unchanged": 4, "error": 0}


def _member_rows(*rows) -> dict:
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"rows-{i}-{name}": value for name, value in row.items()})
    return data


def test_a_council_gets_members_and_an_invitation_to_its_members_reaches_each(organiser, lang_son):
    from core.models import AuditEntry

    from .conftest import client_for
    from .factories import PersonFactory

    council = AgencyFactory(province=lang_son, kind=K.COUNCIL, name="Hội đồng thẩm định Chỉ số CCHC")
    finance = AgencyFactory(province=lang_son, kind=K.DEPARTMENT, name="Sở Tài chính")
    justice = AgencyFactory(province=lang_son, kind=K.DEPARTMENT, name="Sở Tư pháp")
    deputy = PersonFactory(agency=justice, full_name="Hoàng Thị Mai", position="Phó Giám đốc")
    client = client_for(organiser)
    url = f"/danh-ba/don-vi/{council.pk}/thanh-vien/"
    assert "Thêm thành viên" in client.get(url).content.decode()
    empty = client.post(url, _member_rows({"role": "Thành viên"}))
    assert "hãy chọn một trong hai" in empty.content.decode()
    assert not council.members.exists()
    saved = client.post(
        url,
        _member_rows({"agency": finance.pk, "role": "Thành viên"}, {"person": deputy.pk, "role": "Phó Chủ tịch"}),
    )
    assert saved.status_code == 302
    assert [str(m) for m in council.members.all()] == ["Sở Tài chính", str(deputy)]
    assert AuditEntry.objects.filter(action="body.members", object_id=str(council.pk)).count() == 1

    conference = ConferenceFactory(province=lang_son)
    line = InviteeLine.objects.create(
        conference=conference, text="Các thành viên Hội đồng thẩm định", target="members", agency=council
    )
    both = InviteeLine.objects.create(
        conference=conference, order=2, text="Hội đồng, Sở Tư pháp", target="agency", agency=council
    )
    both.also.add(justice)
    expanded = dict(conference_selectors.line_expansions(conference))
    assert names(expanded[line]) == ["Sở Tài chính", "Sở Tư pháp"]
    assert names(expanded[both]) == ["Hội đồng thẩm định Chỉ số CCHC", "Sở Tư pháp"]


def test_only_a_body_has_members(organiser, lang_son):
    from .conftest import client_for

    department = AgencyFactory(province=lang_son, kind=K.DEPARTMENT, name="Sở Xây dựng")
    assert client_for(organiser).get(f"/danh-ba/don-vi/{department.pk}/thanh-vien/").status_code == 404
    line = InviteeLine(conference=ConferenceFactory(province=lang_son), text="x", target="members", agency=department)
    with pytest.raises(Exception, match="mới có thành viên"):
        line.full_clean()
