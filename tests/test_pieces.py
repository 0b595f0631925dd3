"""Pieces of a conference's documents as offices write them, whatever the
issuer: several bases each on its line, a duration with its day, the
reply-by date, units named by their kinds."""

from __future__ import annotations

import datetime as dt

import pytest

from conferences import pieces
from core.formatting import vn_date

from .factories import BasisDocumentFactory, ConferenceFactory, DutyFactory

pytestmark = pytest.mark.django_db


def test_bases_of_several_leads_each_take_their_line(lang_son):
    conference = ConferenceFactory(province=lang_son)
    BasisDocumentFactory(conference=conference, lead="can_cu", doc_type="Luật", number="", issuer="",
                         title="Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025")  # fmt: skip
    BasisDocumentFactory(conference=conference, number="320/KH-UBND")
    BasisDocumentFactory(conference=conference, number="145/KH-UBND")
    opening = pieces.kh_opening(conference).split("\n")
    assert len(opening) == 3
    assert opening[0].startswith("Căn cứ Luật") and opening[0].endswith(";")
    assert opening[1].startswith("Thực hiện các Kế hoạch của UBND tỉnh gồm: Kế hoạch số 320/KH-UBND")
    assert opening[2].startswith("UBND tỉnh ban hành Kế hoạch tổ chức")
    # One lead: one paragraph, as seed 004.
    conference.basis_documents.filter(lead="can_cu").delete()
    assert "\n" not in pieces.kh_opening(conference)


def test_a_duration_prints_with_its_fixed_day_and_a_tentative_note_alone(lang_son):
    day = dt.date.today() + dt.timedelta(days=40)
    conference = ConferenceFactory(province=lang_son, date=day, schedule_note="01 buổi")
    assert pieces.time_sentence(conference).startswith(f"01 buổi, từ 14 giờ 00 phút, ngày {vn_date(day)} (")
    conference.time_tba, conference.schedule_note = True, "Dự kiến trong tháng 12"
    assert pieces.time_sentence(conference) == "Dự kiến trong tháng 12"


def test_the_invitation_asks_for_replies_by_the_portals_deadline_and_names_groups_as_a_text_does(lang_son):
    conference = ConferenceFactory(province=lang_son, reply_deadline=None)
    assert pieces.reply_piece(conference) is None
    conference.reply_deadline = dt.date(2026, 12, 4)
    assert pieces.reply_piece(conference) == (
        "Đề nghị các cơ quan, đơn vị xác nhận thành phần tham dự **trước ngày 04/12/2026**."
    )
    duty = DutyFactory(conference=conference, lead_agency=None, lead_label="", lead_kinds=["so_ban_nganh", "xa"])
    assert pieces.lead_name(duty, conference.issuing_authority) == "Các sở, ban, ngành, UBND các xã"


def test_a_departments_own_invitation_to_the_departments_leaves_itself_out(lang_son):
    from agencies.models import AgencyKind
    from conferences.selectors import line_expansions

    from .factories import AgencyFactory, InviteeLineFactory

    snv = AgencyFactory(province=lang_son, kind=AgencyKind.DEPARTMENT, name="Sở Nội vụ tỉnh Lạng Sơn")
    stp = AgencyFactory(province=lang_son, kind=AgencyKind.DEPARTMENT, name="Sở Tư pháp tỉnh Lạng Sơn")
    conference = ConferenceFactory(province=lang_son, issuing_authority=snv, focal_agency=snv)
    InviteeLineFactory(conference=conference, text="Các sở, ban, ngành", group_kinds=[AgencyKind.DEPARTMENT])
    [(_line, agencies)] = line_expansions(conference)
    assert stp in agencies and snv not in agencies


def test_a_duty_led_by_another_districts_units_is_flagged(lao_cai):
    from agencies.models import AgencyKind as K
    from conferences.selectors import duty_expansions

    from .factories import AgencyFactory

    tinh = AgencyFactory(province=lao_cai, kind=K.PROVINCIAL_COMMITTEE, name="UBND tỉnh Lào Cai")
    bx = AgencyFactory(province=lao_cai, kind=K.DISTRICT, name="UBND huyện Bát Xát", parent=tinh)
    mk = AgencyFactory(province=lao_cai, kind=K.DISTRICT, name="UBND huyện Mường Khương", parent=tinh)
    AgencyFactory(province=lao_cai, kind=K.COMMUNE, name="UBND xã Quang Kim", parent=bx)
    AgencyFactory(province=lao_cai, kind=K.COMMUNE, name="UBND xã Bản Lầu", parent=mk)
    conference = ConferenceFactory(province=lao_cai, issuing_authority=bx, date=dt.date.today() + dt.timedelta(days=30))
    DutyFactory(conference=conference, lead_agency=None, lead_label="", lead_kinds=[K.COMMUNE], task="Cử đại biểu")
    [(_label, agencies)] = duty_expansions(conference)["lines"]
    assert [a.name for a in agencies] == ["UBND xã Quang Kim"]
    DutyFactory(conference=conference, lead_agency=None, lead_kinds=[K.COMMUNE], lead_under=mk, task="Báo cáo")
    assert any("ngoài địa bàn của UBND huyện Bát Xát" in w for w in duty_expansions(conference)["warnings"])
