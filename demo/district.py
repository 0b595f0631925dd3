"""A district before the 2025 reorganisation, for documents of 2024: UBND
huyện Bát Xát (Lào Cai) with its offices, Party committee, council and
front, its communes and thị trấn, a council for the CCHC index and its
working group, and the plan of its 2024 conference, drafted from the
district office's own outline (time and place to be announced, the
presentations listed inside the communes' duty).

The place names are real; who merged into whom on 1/7/2025 is shown for
three units only and is illustrative. People's names are invented."""

from __future__ import annotations

import datetime as dt

from agencies.models import Agency, AgencyKind, BodyMember, Person, Province, Succession, User
from conferences.models import BasisDocument, Conference, ConferenceKind, ContentItem, InviteeLine
from conferences.models import PresentationsIn as In
from core.formatting import latest_date_in
from documents.models import OutlineTemplate

from .conferences import _as_today, _duties, _items, _lines

K = AgencyKind
LAST_DAY = dt.date(2025, 6, 30)
MERGER = dt.date(2025, 7, 1)
TITLE = (
    "Hội nghị đánh giá kết quả Chỉ số cải cách hành chính năm 2023 và triển khai nhiệm vụ cải cách hành chính "
    "năm 2024 trên địa bàn huyện Bát Xát"
)

# (code, name, short name, kind, parent code); all active until 30/6/2025.
UNITS = [
    ("H-BATXAT", "UBND huyện Bát Xát", "UBND", K.DISTRICT, "UBND"),
    ("BX-PNV", "Phòng Nội vụ huyện Bát Xát", "PNV", K.DIVISION, "H-BATXAT"),
    ("BX-VP", "Văn phòng HĐND và UBND huyện Bát Xát", "VP", K.DISTRICT_OFFICE, "H-BATXAT"),
    ("BX-TCKH", "Phòng Tài chính - Kế hoạch huyện Bát Xát", "TCKH", K.DIVISION, "H-BATXAT"),
    ("BX-VHTT", "Phòng Văn hóa và Thông tin huyện Bát Xát", "VHTT", K.DIVISION, "H-BATXAT"),
    ("BX-TTVH", "Trung tâm Văn hóa, Thể thao và Truyền thông huyện Bát Xát", "TTVH", K.SERVICE_UNIT, "H-BATXAT"),
    ("BX-HU", "Huyện ủy Bát Xát", "HU", K.DISTRICT_PARTY_COMMITTEE, "H-BATXAT"),
    ("BX-HDND", "HĐND huyện Bát Xát", "HĐND", K.DISTRICT_COUNCIL, "H-BATXAT"),
    ("BX-MTTQ", "Ủy ban MTTQ Việt Nam huyện Bát Xát", "MTTQ", K.DISTRICT_FRONT, "H-BATXAT"),
    ("BX-TT", "UBND thị trấn Bát Xát", "UBND", K.TOWNSHIP, "H-BATXAT"),
    ("BX-QUANGKIM", "UBND xã Quang Kim", "UBND", K.COMMUNE, "H-BATXAT"),
    ("BX-BANQUA", "UBND xã Bản Qua", "UBND", K.COMMUNE, "H-BATXAT"),
    ("BX-AMUSUNG", "UBND xã A Mú Sung", "UBND", K.COMMUNE, "H-BATXAT"),
    ("BX-MUONGVI", "UBND xã Mường Vi", "UBND", K.COMMUNE, "H-BATXAT"),
    ("BX-YTY", "UBND xã Y Tý", "UBND", K.COMMUNE, "H-BATXAT"),
    ("BX-HDTD", "Hội đồng thẩm định Chỉ số CCHC huyện Bát Xát", "HĐTĐ", K.COUNCIL, "H-BATXAT"),
    ("BX-TGV", "Tổ giúp việc Hội đồng thẩm định Chỉ số CCHC huyện Bát Xát", "TGV", K.WORKING_GROUP, "H-BATXAT"),
]
# The units of 2024 whose functions passed to today's xã Bát Xát (illustrative).
MERGED_INTO_BAT_XAT = ["BX-TT", "BX-QUANGKIM", "BX-BANQUA"]
PEOPLE = [
    ("H-BATXAT", "Hoàng Văn Tiến", "Chủ tịch UBND huyện"),
    ("H-BATXAT", "Vàng A Dìn", "Phó Chủ tịch UBND huyện"),
    ("BX-PNV", "Lù Thị Xuân", "Trưởng phòng"),
    ("BX-PNV", "Giàng Thị Mỷ", "Chuyên viên"),
    ("BX-VP", "Đỗ Minh Khoa", "Chánh Văn phòng"),
]
PRESENTATIONS = [
    ("Kinh nghiệm giải quyết thủ tục hành chính tại Bộ phận Một cửa cấp xã vùng cao", "BX-AMUSUNG"),
    ("Ứng dụng công nghệ thông tin trong tiếp nhận, trả kết quả hồ sơ tại thị trấn", "BX-TT"),
]


def seed_district_directory() -> None:
    """The district's units, before the indices: its communes were ranked
    by the province until 2024 like every other commune."""
    province = Province.objects.filter(code="lao-cai").first()
    if province is not None and not province.agencies.filter(code="H-BATXAT").exists():
        _directory(province)


def seed_district(*, stdout=None) -> Conference | None:
    province = Province.objects.filter(code="lao-cai").first()
    if province is None or Conference.objects.filter(province=province, title=TITLE).exists():
        return None
    units = _directory(province)
    conference = _conference(province, units)
    # Its plan was for April 2024: in the state it would be in today, it was held.
    _as_today(conference, latest_date_in(conference.schedule_note))
    _outline_template(province, units)
    if stdout is not None:
        stdout.write(f"Huyện trước 01/7/2025: {len(UNITS)} đơn vị của huyện Bát Xát và kế hoạch hội nghị năm 2024.")
    return conference


def _directory(province: Province) -> dict[str, Agency]:
    units = {a.code: a for a in Agency.objects.filter(province=province)}
    for code, name, short, kind, parent in UNITS:
        units[code], _created = Agency.objects.update_or_create(
            province=province,
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": units.get(parent),
                "active_to": LAST_DAY,
                "locality": "Bát Xát" if code == "H-BATXAT" else "",
                "email": f"{code.lower()}@laocai.gov.example",
            },
        )
    today_commune = units.get("X-BATXAT")
    if today_commune is not None:
        for code in MERGED_INTO_BAT_XAT:
            Succession.objects.get_or_create(
                predecessor=units[code], successor=today_commune, defaults={"on_date": MERGER}
            )
    people = {}
    for code, full_name, position in PEOPLE:
        people[full_name], _created = Person.objects.update_or_create(
            agency=units[code], full_name=full_name, defaults={"position": position}
        )
    council, group = units["BX-HDTD"], units["BX-TGV"]
    if not council.members.exists():
        BodyMember.objects.create(body=council, order=1, person=people["Vàng A Dìn"], role="Chủ tịch Hội đồng")
        for order, code in enumerate(["BX-PNV", "BX-VP", "BX-TCKH", "BX-VHTT"], start=2):
            BodyMember.objects.create(body=council, order=order, agency=units[code], role="Thành viên")
        BodyMember.objects.create(body=group, order=1, person=people["Lù Thị Xuân"], role="Tổ trưởng")
        BodyMember.objects.create(body=group, order=2, person=people["Giàng Thị Mỷ"], role="Thành viên")
    return units


def _conference(province: Province, units: dict[str, Agency]) -> Conference:
    conference = Conference.objects.create(
        province=province,
        kind=ConferenceKind.DEPLOY,
        title=TITLE,
        issuing_authority=units["H-BATXAT"],
        focal_agency=units["BX-PNV"],
        index_years=[2023],
        reference_date=dt.date(2024, 3, 15),
        schedule_note="Dự kiến trong tháng 4/2024",
        time_tba=True,
        venue="Hội trường UBND huyện Bát Xát",
        venue_tba=True,
        presentations_in=In.DUTY,
        purposes="\n".join(
            [
                "Đánh giá kết quả Chỉ số cải cách hành chính năm 2023 của các cơ quan, đơn vị, địa phương trên địa "
                "bàn huyện; chỉ rõ những tiêu chí bị mất điểm và nguyên nhân",
                "Triển khai nhiệm vụ cải cách hành chính năm 2024, gắn trách nhiệm người đứng đầu với kết quả Chỉ số",
            ]
        ),
        requirements="Hội nghị tổ chức trang trọng, thiết thực, tiết kiệm; đại biểu tham dự đúng thành phần.",
        contact="Phòng Nội vụ huyện; điện thoại 0214.3883.012",
        created_by=User.objects.filter(agency__province=province, role="organiser").first(),
    )
    BasisDocument.objects.create(
        conference=conference,
        order=1,
        lead=BasisDocument.Lead.IMPLEMENTING,
        doc_type="Kế hoạch",
        number="05/KH-UBND",
        issued_on=dt.date(2024, 1, 10),
        issuer="UBND tỉnh Lào Cai",
        title="về cải cách hành chính năm 2024",
    )
    _items(
        ContentItem,
        "conference",
        conference,
        [
            "Báo cáo kết quả Chỉ số cải cách hành chính năm 2023 của huyện và của các xã, thị trấn",
            "Triển khai Kế hoạch cải cách hành chính năm 2024 của UBND huyện",
            "Tham luận, thảo luận giải pháp nâng cao Chỉ số cải cách hành chính năm 2024",
        ],
    )
    T = InviteeLine.Target
    _lines(
        conference,
        [
            {"text": "Thường trực Huyện ủy, HĐND, UBND huyện", "target": T.TEXT},
            {
                "text": "Thành viên Hội đồng thẩm định Chỉ số CCHC huyện, Tổ giúp việc Hội đồng",
                "target": T.MEMBERS,
                "agency": units["BX-HDTD"],
            },
            {
                "text": "Lãnh đạo các cơ quan chuyên môn thuộc UBND huyện",
                "target": T.GROUP,
                "group_kinds": [K.DIVISION, K.DISTRICT_OFFICE],
            },
            {
                "text": "Chủ tịch UBND các xã, thị trấn",
                "target": T.GROUP,
                "group_kinds": [K.COMMUNE, K.TOWNSHIP],
            },
        ],
    )
    _duties(
        "conference",
        conference,
        [
            {
                "lead_agency": units["BX-PNV"],
                "task": "Chủ trì, tham mưu UBND huyện tổ chức Hội nghị; chuẩn bị báo cáo kết quả Chỉ số cải cách "
                "hành chính năm 2023 và dự thảo Kế hoạch cải cách hành chính năm 2024",
            },
            {
                "lead_agency": units["BX-PNV"],
                "task": "Tham mưu Thông báo thời gian, địa điểm tổ chức Hội nghị khi được Thường trực UBND huyện "
                "thống nhất",
            },
            {
                "lead_agency": units["BX-VP"],
                "task": "Chuẩn bị hội trường, trang thiết bị và các điều kiện phục vụ Hội nghị",
            },
            {
                "lead_agency": units["BX-TCKH"],
                "task": "Tham mưu bố trí kinh phí tổ chức Hội nghị theo quy định",
            },
            {
                "lead_label": "UBND các xã, thị trấn",
                "lead_kinds": [K.COMMUNE, K.TOWNSHIP],
                "task": "Chuẩn bị ý kiến phát biểu, tham luận tại Hội nghị",
                "lists_presentations": True,
                "presentations_rest": "Các xã còn lại chuẩn bị ý kiến thảo luận tại Hội nghị.",
            },
            {
                "lead_label": "UBND các xã, thị trấn",
                "lead_kinds": [K.COMMUNE, K.TOWNSHIP],
                "task": "Cử đại biểu tham dự Hội nghị đúng thành phần",
            },
        ],
    )
    _assignments(conference, units)
    return conference


def _assignments(conference: Conference, units: dict[str, Agency]) -> None:
    from submissions import services
    from submissions.models import Assignment

    organiser = User.objects.filter(agency__province=conference.province, role="organiser").first()
    for order, (topic, code) in enumerate(PRESENTATIONS, start=1):
        # A programme slot only: the presentations of 2024 had no deadline in the portal.
        services.assignment_save(
            actor=organiser,
            assignment=Assignment(conference=conference, order=order, topic=topic, agency=units[code]),
        )


# The district office's outline: its own order, the time and place in one
# sentence, the communes' presentations inside their duty.
DISTRICT_PLAN_OUTLINE = [
    {"name": "Mở đầu", "style": "", "piece": "kh_opening"},
    {"title": "MỤC ĐÍCH, YÊU CẦU", "style": "I"},
    {"title": "Mục đích", "style": "1", "depth": 1, "piece": "purposes"},
    {"title": "Yêu cầu", "style": "1", "depth": 1, "piece": "requirements"},
    {"title": "THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN", "style": "I"},
    {"title": "Thời gian, địa điểm:", "style": "1", "depth": 1, "piece": "time_venue", "inline": True},
    {"title": "Nội dung", "style": "1", "depth": 1, "piece": "content"},
    {"title": "Thành phần", "style": "1", "depth": 1, "piece": "invitees", "items": "1.1", "subitems": "-"},
    {"title": "TỔ CHỨC THỰC HIỆN", "style": "I", "piece": "duties", "items": "1", "subitems": "-"},
    {"name": "Kết", "style": "", "piece": "kh_closing"},
]


def _outline_template(province: Province, units: dict[str, Agency]) -> None:
    OutlineTemplate.objects.get_or_create(
        issuer=units["H-BATXAT"],
        purpose="plan",
        name="Kế hoạch tổ chức hội nghị của UBND huyện",
        defaults={"province": province, "nodes": DISTRICT_PLAN_OUTLINE},
    )
