"""Nghị định 30's issuer rules for any issuer at the three levels, before and
after 1/7/2025: header lines, place, signature, closing, recipients."""

from __future__ import annotations

import datetime as dt

import pytest

from agencies.models import AgencyKind
from agencies.selectors import Directory
from documents import issuers
from documents.models import DocType, Signing
from documents.selectors import signers

from .factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db
K = AgencyKind
BEFORE = dt.date(2024, 9, 16)
AFTER = dt.date(2026, 4, 2)


@pytest.fixture
def units(lao_cai):
    old = {"active_to": dt.date(2025, 6, 30)}
    new = {"active_from": dt.date(2025, 7, 1)}
    u = {}

    def add(key, kind, name, parent=None, **extra):
        u[key] = AgencyFactory(
            province=lao_cai, kind=kind, name=name, parent=u.get(parent), short_name=extra.pop("abbr", ""), **extra
        )

    add("tinh", K.PROVINCIAL_COMMITTEE, "UBND tỉnh Lào Cai", abbr="UBND")
    add("snv", K.DEPARTMENT, "Sở Nội vụ tỉnh Lào Cai", "tinh", abbr="SNV")
    add("vp", K.COMMITTEE_OFFICE, "Văn phòng UBND tỉnh Lào Cai", "tinh", abbr="VP")
    add("ttpv", K.SERVICE_UNIT, "Trung tâm Lưu trữ lịch sử tỉnh Lào Cai", "snv")
    add("tinh-uy", K.PARTY_COMMITTEE, "Tỉnh ủy Lào Cai")
    add("hdnd", K.PEOPLES_COUNCIL, "HĐND tỉnh Lào Cai")
    add("hd", K.COUNCIL, "Hội đồng thẩm định Chỉ số CCHC tỉnh Lào Cai", "tinh")
    add("to", K.WORKING_GROUP, "Tổ giúp việc Hội đồng thẩm định", "tinh")
    add("bcd", K.STEERING_COMMITTEE, "Ban Chỉ đạo cải cách hành chính tỉnh Lào Cai", "tinh")
    add("bx", K.DISTRICT, "UBND huyện Bát Xát", "tinh", abbr="UBND", **old)
    add("pnv", K.DIVISION, "Phòng Nội vụ huyện Bát Xát", "bx", abbr="PNV", **old)
    add("vp-bx", K.DISTRICT_OFFICE, "Văn phòng HĐND và UBND huyện Bát Xát", "bx", abbr="VP", **old)
    add("hu-bx", K.DISTRICT_PARTY_COMMITTEE, "Huyện ủy Bát Xát", "bx", **old)
    add("hd-bx", K.DISTRICT_COUNCIL, "HĐND huyện Bát Xát", "bx", **old)
    add("tt", K.TOWNSHIP, "UBND thị trấn Bát Xát", "bx", **old)
    add("qk", K.COMMUNE, "UBND xã Quang Kim", "bx", **old)
    add("sapa", K.TOWN, "UBND thị xã Sa Pa", "tinh", **old)
    add("xa-bx", K.COMMUNE, "UBND xã Bát Xát", "tinh", **new)
    add("phuong", K.WARD, "Ủy ban nhân dân phường Cam Đường", "tinh", **new)
    add("dang-uy-xa", K.COMMUNE_PARTY_COMMITTEE, "Đảng ủy xã Bát Xát", "xa-bx", **new)
    return u


@pytest.mark.parametrize(
    "key, above, lines",
    [
        ("tinh", "", "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI"),
        ("bx", "", "ỦY BAN NHÂN DÂN\nHUYỆN BÁT XÁT"),
        ("sapa", "", "ỦY BAN NHÂN DÂN\nTHỊ XÃ SA PA"),
        ("tt", "", "ỦY BAN NHÂN DÂN\nTHỊ TRẤN BÁT XÁT"),
        ("qk", "", "ỦY BAN NHÂN DÂN\nXÃ QUANG KIM"),
        ("phuong", "", "ỦY BAN NHÂN DÂN\nPHƯỜNG CAM ĐƯỜNG"),
        ("hd-bx", "", "HỘI ĐỒNG NHÂN DÂN\nHUYỆN BÁT XÁT"),
        ("snv", "UBND TỈNH LÀO CAI", "SỞ NỘI VỤ"),
        ("vp", "UBND TỈNH LÀO CAI", "VĂN PHÒNG"),
        ("pnv", "UBND HUYỆN BÁT XÁT", "PHÒNG NỘI VỤ"),
        ("vp-bx", "UBND HUYỆN BÁT XÁT", "VĂN PHÒNG HĐND VÀ UBND"),
        ("hd", "UBND TỈNH LÀO CAI", "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC"),
        ("ttpv", "SỞ NỘI VỤ TỈNH LÀO CAI", "TRUNG TÂM LƯU TRỮ LỊCH SỬ"),
    ],
)
def test_header_lines_follow_the_issuer_and_its_managing_body(units, key, above, lines):
    assert issuers.header(units[key]) == (above, lines)


@pytest.mark.parametrize(
    "key, place",
    [("tinh", "Lào Cai"), ("snv", "Lào Cai"), ("hd", "Lào Cai"), ("bx", "Bát Xát"), ("pnv", "Bát Xát"),
     ("sapa", "Sa Pa"), ("tt", "Bát Xát"), ("qk", "Quang Kim"), ("xa-bx", "Bát Xát"), ("phuong", "Cam Đường")],
)  # fmt: skip
def test_the_place_is_the_issuers_own_locality(units, key, place):
    assert issuers.place(units[key]) == place


def test_a_locality_in_the_directory_wins(units):
    units["tinh"].locality = "Lào Cai"
    units["sapa"].locality = "Sa Pa"
    units["vp"].locality = "Yên Bái"  # an office seated elsewhere
    assert issuers.place(units["vp"]) == "Yên Bái"
    assert issuers.place(units["sapa"]) == "Sa Pa"


def sign(issuer, position, *, agency=None, doc_type=DocType.KH, signing=None, name="Nguyễn Văn A"):
    person = PersonFactory(agency=agency or issuer, position=position, full_name=name)
    how = signing or issuers.signing_for(issuer, person)
    collective = issuers.collective_default(issuer, doc_type, how)
    result = issuers.signature(issuer, person, how, collective)
    return [*result.authority_lines.split("\n"), result.signer_title, result.signer_name]


def test_a_committees_chair_signs_for_the_collective(units):
    assert sign(units["bx"], "Chủ tịch UBND huyện") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn A"]


def test_a_committees_vice_chair_signs_kt_and_under_tm_for_a_decision(units):
    assert sign(units["tinh"], "Phó Chủ tịch") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]
    assert sign(units["qk"], "Phó Chủ tịch UBND xã", doc_type=DocType.QD) == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn A",
    ]


def test_a_department_head_signs_alone_and_a_deputy_signs_kt(units):
    assert sign(units["snv"], "Giám đốc") == ["", "GIÁM ĐỐC", "Nguyễn Văn A"]
    assert sign(units["snv"], "Phó Giám đốc Sở Nội vụ") == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    assert sign(units["snv"], "Quyền Giám đốc") == ["", "Q. GIÁM ĐỐC", "Nguyễn Văn A"]


def test_a_district_office_is_led_by_its_own_head(units):
    assert sign(units["pnv"], "Phó Trưởng phòng") == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Nguyễn Văn A"]
    assert sign(units["vp-bx"], "Chánh Văn phòng") == ["", "CHÁNH VĂN PHÒNG", "Nguyễn Văn A"]


def test_the_office_signs_by_order_of_the_chair(units):
    """Seed 001: the deputy chief of the committee's office signs its invitation."""
    assert sign(units["tinh"], "Phó Chánh Văn phòng", agency=units["vp"]) == [
        "TL. CHỦ TỊCH",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Nguyễn Văn A",
    ]
    assert sign(units["bx"], "Chánh Văn phòng", agency=units["vp-bx"]) == [
        "TL. CHỦ TỊCH",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Văn A",
    ]


def test_a_director_signs_by_authorisation(units):
    assert sign(units["tinh"], "Giám đốc", agency=units["snv"], signing=Signing.AUTHORISED) == [
        "TUQ. CHỦ TỊCH",
        "GIÁM ĐỐC SỞ NỘI VỤ",
        "Nguyễn Văn A",
    ]
    # The words a title shares with its unit are said once.
    assert sign(units["bx"], "Trưởng phòng", agency=units["pnv"], signing=Signing.AUTHORISED)[1] == (
        "TRƯỞNG PHÒNG NỘI VỤ"
    )
    assert sign(units["bx"], "Chánh Văn phòng", agency=units["vp-bx"], signing=Signing.AUTHORISED)[1] == (
        "CHÁNH VĂN PHÒNG HĐND VÀ UBND"
    )


def test_bodies_sign_for_their_collective(units):
    assert sign(units["hd"], "Chủ tịch Hội đồng") == ["TM. HỘI ĐỒNG", "CHỦ TỊCH", "Nguyễn Văn A"]
    assert sign(units["bcd"], "Phó Trưởng ban") == ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn A"]
    assert sign(units["to"], "Tổ trưởng") == ["", "TỔ TRƯỞNG", "Nguyễn Văn A"]
    assert sign(units["to"], "Tổ phó") == ["KT. TỔ TRƯỞNG", "TỔ PHÓ", "Nguyễn Văn A"]


def test_the_party_signs_t_m_without_kt(units):
    assert sign(units["tinh-uy"], "Phó Bí thư Thường trực", doc_type=DocType.QD) == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "Nguyễn Văn A",
    ]


def test_who_may_sign_are_the_issuers_leaders_then_its_offices(units):
    chair = PersonFactory(agency=units["tinh"], position="Chủ tịch", full_name="Trịnh Văn Chủ")
    vice = PersonFactory(agency=units["tinh"], position="Phó Chủ tịch", full_name="Ngô Hạnh Phúc")
    PersonFactory(agency=units["tinh"], position="Chuyên viên", full_name="Lê Thị Văn")
    office = PersonFactory(agency=units["vp"], position="Phó Chánh Văn phòng", full_name="Nguyễn Thị Thúy")
    PersonFactory(agency=units["bx"], position="Chủ tịch", full_name="Người huyện")
    # The clerk and the district's chair do not sign for the province.
    assert signers(units["tinh"]) == [chair, vice, office]


@pytest.mark.parametrize(
    "key, phrase",
    [("tinh", "Chủ tịch UBND tỉnh"), ("bx", "Chủ tịch UBND huyện"), ("qk", "Chủ tịch UBND xã"),
     ("snv", "Giám đốc Sở"), ("pnv", "Trưởng phòng")],
)  # fmt: skip
def test_the_closing_reports_to_the_issuers_own_head(units, key, phrase):
    assert issuers.head_phrase(units[key]) == phrase


def test_short_names_drop_the_place_the_text_already_names(units):
    assert issuers.short_name(units["snv"]) == "Sở Nội vụ"
    assert issuers.short_name(units["vp"]) == "Văn phòng UBND tỉnh"
    assert issuers.short_name(units["pnv"], within=units["bx"]) == "Phòng Nội vụ"
    assert issuers.short_name(units["bx"], within=units["pnv"]) == "UBND huyện"
    assert issuers.short_name(units["tinh"], within=units["bx"]) == "UBND tỉnh"
    assert issuers.short_name(units["pnv"], within=units["tinh"]) == "Phòng Nội vụ huyện Bát Xát"
    # A centre named by its function keeps its tier in its own area's text.
    centre = AgencyFactory(
        province=units["xa-bx"].province,
        kind=K.SERVICE_UNIT,
        name="Trung tâm Phục vụ hành chính công xã Bát Xát",
        parent=units["xa-bx"],
    )
    assert issuers.short_name(centre, within=units["xa-bx"]) == "Trung tâm Phục vụ hành chính công xã"


def test_units_named_by_their_kinds_read_as_a_text_names_them():
    assert issuers.group_phrase([K.COMMUNE, K.WARD]) == "UBND các xã, phường"
    assert issuers.group_phrase([K.DEPARTMENT]) == "Các sở, ban, ngành"
    assert issuers.group_phrase([K.COMMUNE, K.DEPARTMENT, K.WARD]) == "Các sở, ban, ngành, UBND các xã, phường"
    assert issuers.group_phrase([K.DISTRICT, K.TOWNSHIP, K.COMMUNE]) == "UBND các huyện, xã, thị trấn"
    # Units of a commune since 1/7/2025: its office, its villages.
    assert issuers.group_phrase([K.VILLAGE]) == "Các thôn, tổ dân phố"
    from agencies.models import Level, level_for

    assert level_for(K.COMMUNE_OFFICE) == level_for(K.VILLAGE) == Level.COMMUNE


def test_a_district_of_2024_reports_to_the_province_and_its_own_party_and_council(units):
    text = issuers.recipients(
        units["bx"],
        Directory(units["bx"].province_id, BEFORE),
        to_act=["Các cơ quan, đơn vị thuộc UBND huyện", "UBND các xã, thị trấn"],
        press=["Đài Truyền thanh - Truyền hình huyện"],
        focal=units["pnv"],
    )
    assert text.split("\n") == [
        "UBND tỉnh (B/c);",
        "Sở Nội vụ (B/c);",
        "Thường trực Huyện ủy (B/c);",
        "Thường trực HĐND huyện (B/c);",
        "Chủ tịch, các Phó Chủ tịch UBND huyện;",
        "Các cơ quan, đơn vị thuộc UBND huyện (T/h);",
        "UBND các xã, thị trấn (T/h);",
        "Phòng Nội vụ (T/h);",
        "Đài Truyền thanh - Truyền hình huyện (đưa tin);",
        "Lưu: VT, PNV.",
    ]


def test_a_commune_of_2026_reports_to_the_province(units):
    text = issuers.recipients(units["xa-bx"], Directory(units["xa-bx"].province_id, AFTER), as_invited=True)
    assert text.split("\n") == [
        "Như thành phần mời;",
        "UBND tỉnh (B/c);",
        "Sở Nội vụ (B/c);",
        "Thường trực Đảng ủy xã (B/c);",
        "Thường trực HĐND xã (B/c);",
        "Chủ tịch, các Phó Chủ tịch UBND xã;",
        "Lưu: VT.",
    ]


def test_a_department_reports_to_the_provincial_committee(units):
    text = issuers.recipients(units["snv"], Directory(units["snv"].province_id, AFTER), to_act=["Các phòng thuộc Sở"])
    assert text.split("\n") == ["UBND tỉnh (B/c);", "Lãnh đạo Sở;", "Các phòng thuộc Sở (T/h);", "Lưu: VT."]
