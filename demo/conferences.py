"""Demo conferences and plans, entered from the seed documents:
001 (Lạng Sơn invitation), 004 (Lào Cai conference plan) and 002 (Lai Châu
improvement plan). The texts are the seeds' own, slips included: seed 001
cites "Chương trình công tác tháng 5 năm 2024" for a 2026 conference, which
the document checks must catch. Delegates' names, the replies and the
awarded units are invented, since the seeds do not name them.

Each conference or plan is built once; a second run finds it and writes
nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Province, User
from conferences import reminders, selectors, services
from conferences.models import (
    Award,
    BasisDocument,
    Conference,
    ConferenceKind,
    ConferenceStatus,
    ContentItem,
    Delegate,
    Duty,
    DutyAssignment,
    DutyUpdate,
    ImprovementPlan,
    Invitation,
    InviteeLine,
    InviteeRole,
    ProgrammeItem,
)

K = AgencyKind
T = InviteeLine.Target
PROVINCIAL = [K.DEPARTMENT, K.COMMITTEE_OFFICE]
LOCAL = [K.COMMUNE, K.WARD]

TITLE_001 = (
    "Hội nghị phân tích kết quả Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính "
    "nhà nước (SIPAS); Chỉ số cải cách hành chính (PAR INDEX) tỉnh Lạng Sơn năm 2025"
)
TITLE_004 = (
    "Hội nghị công bố chỉ số CCHC năm 2025 và triển khai nhiệm vụ công tác cải cách hành chính năm 2026 "
    "trên địa bàn tỉnh Lào Cai"
)
TITLE_002 = (
    "Cải thiện và nâng cao Chỉ số Cải cách hành chính (PAR INDEX), Chỉ số đo lường sự hài lòng của người dân "
    "đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS) tỉnh Lai Châu năm 2025"
)

DELEGATE_NAMES = [
    "Hoàng Văn Nam",
    "Nông Thị Thu",
    "Lý Văn Phong",
    "Vi Văn Thắng",
    "Lương Thị Hạnh",
    "Hà Văn Dũng",
    "Triệu Thị Liên",
    "Lò Văn Quý",
    "Đặng Thị Yến",
    "Phan Văn Long",
    "Bế Văn Toàn",
    "Mã Thị Hồng",
]


def _agencies(province: Province) -> dict[str, Agency]:
    return {a.code: a for a in Agency.objects.filter(province=province)}


def _organiser(province: Province) -> User | None:
    return User.objects.filter(agency__province=province, role="organiser").first()


def _lines(owner, rows):
    for order, row in enumerate(rows, start=1):
        InviteeLine.objects.create(conference=owner, order=order, **row)


def _items(model, owner_field, owner, texts):
    for order, text in enumerate(texts, start=1):
        model.objects.create(**{owner_field: owner}, order=order, text=text)


def _duties(owner_field, owner, rows):
    for order, row in enumerate(rows, start=1):
        coordinating = row.pop("coordinating", [])
        duty = Duty(**{owner_field: owner}, order=order, **row)
        duty.full_clean()
        duty.save()
        duty.coordinating.set(coordinating)
        services.duty_sync_assignments(duty=duty)


@transaction.atomic
def seed_conferences(*, stdout=None):
    made = []
    provinces = {p.code: p for p in Province.objects.filter(code__in=["lang-son", "lao-cai", "lai-chau"])}
    if (
        "lang-son" in provinces
        and not Conference.objects.filter(province=provinces["lang-son"], title=TITLE_001).exists()
    ):
        _seed_001(provinces["lang-son"])
        made.append("001")
    if (
        "lao-cai" in provinces
        and not Conference.objects.filter(province=provinces["lao-cai"], title=TITLE_004).exists()
    ):
        _seed_004(provinces["lao-cai"])
        made.append("004")
    if (
        "lai-chau" in provinces
        and not ImprovementPlan.objects.filter(province=provinces["lai-chau"], title=TITLE_002).exists()
    ):
        _seed_002(provinces["lai-chau"])
        made.append("002")
    # The demo's deadlines are handed to the reminders as the services would.
    for code, title, model in (
        ("001", TITLE_001, Conference),
        ("004", TITLE_004, Conference),
        ("002", TITLE_002, ImprovementPlan),
    ):
        owner = model.objects.filter(title=title).first() if code in made else None
        if owner is not None:
            if isinstance(owner, Conference):
                reminders.schedule_replies(owner)
            reminders.schedule_duties(owner)
    if stdout is not None:
        stdout.write(
            f"Hội nghị, kế hoạch mẫu: {Conference.objects.count()} hội nghị, "
            f"{ImprovementPlan.objects.count()} kế hoạch" + (f" (mới: {', '.join(made)})" if made else "") + "."
        )


# --- Seed 001: Lạng Sơn, invitation to the SIPAS / PAR INDEX 2025 analysis ----------------------


def _seed_001(province: Province):
    a = _agencies(province)
    conference = Conference(
        province=province,
        kind=ConferenceKind.ANALYSE,
        title=TITLE_001,
        issuing_authority=a["UBND"],
        focal_agency=a["SNV"],
        index_years=[2025],
        date=dt.date(2026, 5, 29),
        start_time=dt.time(14, 0),
        venue="Hội trường HĐND - UBND tỉnh",
        venue_address="số 02 đường Hùng Vương, phường Lương Văn Tri, tỉnh Lạng Sơn",
        chair="Lãnh đạo UBND tỉnh",
        status=ConferenceStatus.DRAFT,
        created_by=_organiser(province),
    )
    conference.full_clean()
    conference.save()
    BasisDocument.objects.create(
        conference=conference,
        order=1,
        lead=BasisDocument.Lead.IMPLEMENTING,
        doc_type="Chương trình công tác",
        title="tháng 5 năm 2024",
    )
    _lines(
        conference,
        [
            {
                "text": "Lãnh đạo UBND tỉnh - Chủ trì hội nghị.",
                "target": T.AGENCY,
                "agency": a["UBND"],
                "role": InviteeRole.CHAIR,
            },
            {
                "text": "Đại diện lãnh đạo Hội đồng nhân dân tỉnh",
                "target": T.AGENCY,
                "agency": a["HDND"],
                "separate_invitation": True,
            },
            {
                "text": "Đại diện lãnh đạo Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
                "target": T.AGENCY,
                "agency": a["MTTQ"],
                "separate_invitation": True,
            },
            {"text": "Thủ trưởng các cơ quan chuyên môn thuộc UBND tỉnh", "target": T.GROUP, "group_kinds": PROVINCIAL},
            {"text": "Giám đốc Bưu điện tỉnh.", "target": T.AGENCY, "agency": a["BD"]},
            {"text": "Chủ tịch UBND các xã, phường", "target": T.GROUP, "group_kinds": LOCAL},
        ],
    )
    _items(
        ContentItem,
        "conference",
        conference,
        [
            "Báo cáo phân tích kết quả chỉ số SIPAS, PAR INDEX năm 2025.",
            "Thảo luận, đề xuất giải pháp khắc phục tồn tại, hạn chế của các chỉ số SIPAS, PAR INDEX.",
        ],
    )
    _duties(
        "conference",
        conference,
        [
            {
                "lead_agency": a["SNV"],
                "coordinating": [a["VPUBND"]],
                "due_date": dt.date(2026, 5, 27),
                "due_wording": Duty.Wording.NO_LATER_THAN,
                "deliverable": "Dự thảo kịch bản chương trình, bài phát biểu khai mạc, bế mạc trình UBND tỉnh",
                "task": "Chủ trì, phối hợp với các cơ quan liên quan chuẩn bị tài liệu phục vụ Hội nghị; đôn đốc các "
                "đơn vị "
                "chuẩn bị nội dung tham luận; phối hợp với Văn phòng UBND tỉnh chuẩn bị các điều kiện phục vụ Hội "
                "nghị; "
                "dự thảo kịch bản chương trình, bài phát biểu khai mạc, bế mạc của lãnh đạo UBND tỉnh, trình UBND tỉnh",
            },
            {"lead_agency": a["VPUBND"], "task": "Chuẩn bị các điều kiện phục vụ Hội nghị"},
            {
                "lead_label": "Các cơ quan, đơn vị có tên trong danh sách tham luận",
                "due_date": dt.date(2026, 5, 27),
                "due_wording": Duty.Wording.BEFORE,
                "deliverable": "Nội dung tham luận gửi Sở Nội vụ tổng hợp",
                "task": "Chuẩn bị nội dung tham luận theo yêu cầu (*trong đó cần tập trung phân tích những nội dung "
                "chưa đạt "
                "điểm tối đa trong năm 2025, xác định rõ trách nhiệm của cơ quan, đơn vị, cá nhân có liên quan; đề "
                "xuất "
                "các giải pháp khắc phục trong năm 2026*), gửi Sở Nội vụ tổng hợp",
            },
            {
                "lead_label": "Các thành phần dự họp",
                "task": "Chủ động nghiên cứu tài liệu, chuẩn bị các nội dung liên quan để phát biểu ý kiến tại cuộc "
                "họp",
            },
        ],
    )
    # Invitations went out in May 2026: freeze the list as it stood then.
    _send_invitations(conference, invited_at=timezone.make_aware(dt.datetime(2026, 5, 20, 9, 0)))
    _replies(
        conference,
        a,
        attending=[
            "SNV",
            "STP",
            "SXD",
            "SYT",
            "VPUBND",
            "UBND",
            "X-THATKHE",
            "X-NASAM",
            "X-CAOLOC",
            "P-LUONGVANTRI",
            "P-DONGKINH",
            "X-LOCBINH",
        ],
        declined=["SCT", "MTTQ", "X-MAUSON"],
        checked_in=["SNV", "STP", "X-THATKHE"],
    )
    organiser = _organiser(province)
    snv = DutyAssignment.objects.get(duty__conference=conference, agency=a["SNV"])
    _report(
        snv,
        organiser,
        DutyAssignment.Status.DONE,
        "Đã trình UBND tỉnh dự thảo kịch bản, bài phát biểu khai mạc, bế mạc ngày 26/5/2026.",
    )
    vp = DutyAssignment.objects.get(duty__conference=conference, agency=a["VPUBND"])
    _report(
        vp, organiser, DutyAssignment.Status.IN_PROGRESS, "Đã bố trí hội trường; đang chuẩn bị âm thanh, màn chiếu."
    )
    _as_today(conference, conference.date)


def _send_invitations(conference: Conference, *, invited_at):
    """Invitations that went out in the past: frozen as the service freezes
    them, dated as they were."""
    organiser = conference.created_by
    services.invitations_freeze(
        actor=organiser, conference=conference, expansions=selectors.line_expansions(conference)
    )
    conference.status, conference.invited_at = ConferenceStatus.INVITED, invited_at
    conference.save(update_fields=["status", "invited_at"])
    conference.invitations.update(send_requested_at=invited_at, sent_at=invited_at)


def _as_today(conference: Conference, day: dt.date | None) -> None:
    """A seed conference in the state it would be in today: once its day
    (or the time it was planned for) has passed, it was held."""
    if day is not None and day < timezone.localdate():
        conference.status = ConferenceStatus.HELD
        conference.save(update_fields=["status"])


def _replies(conference, agencies, *, attending, declined, checked_in):
    names = iter(DELEGATE_NAMES * 4)
    replied_at = conference.invited_at + dt.timedelta(days=2)
    for code in attending + declined:
        invitation = Invitation.objects.get(conference=conference, agency=agencies[code])
        invitation.reply = Invitation.Reply.ATTENDING if code in attending else Invitation.Reply.DECLINED
        invitation.replied_at = replied_at
        invitation.reply_note = "" if code in attending else "Trùng lịch tiếp đoàn công tác của Bộ."
        invitation.save(update_fields=["reply", "replied_at", "reply_note"])
        if code not in attending:
            continue
        agency = agencies[code]
        head = {
            K.DEPARTMENT: "Giám đốc",
            K.COMMITTEE_OFFICE: "Chánh Văn phòng",
            K.PROVINCIAL_COMMITTEE: "Phó Chủ tịch UBND tỉnh",
        }.get(agency.kind, "Chủ tịch UBND")
        positions = [head, "Chuyên viên phụ trách cải cách hành chính"]
        for order in range(min(invitation.quota, 2 if code in ("SNV", "STP") else 1)):
            delegate = Delegate.objects.create(
                invitation=invitation,
                order=order,
                full_name=next(names),
                position=positions[order],
                phone=f"0912.{300 + order:03d}.{invitation.pk % 1000:03d}",
                email="",
            )
            if code in checked_in:
                delegate.checked_in_at = timezone.make_aware(
                    dt.datetime.combine(conference.date, dt.time(13, 40 + order))
                )
                delegate.save(update_fields=["checked_in_at"])


def _report(assignment, author, status, note):
    DutyUpdate.objects.create(assignment=assignment, status=status, note=note, author=author)
    assignment.status = status
    assignment.progress_note = note
    assignment.completed_at = timezone.now() if status == DutyAssignment.Status.DONE else None
    assignment.save(update_fields=["status", "progress_note", "completed_at"])


# --- Seed 004: Lào Cai, plan of the conference announcing PAR INDEX 2025 ---------------------------


def _seed_004(province: Province):
    a = _agencies(province)
    conference = Conference(
        province=province,
        kind=ConferenceKind.ANNOUNCE,
        title=TITLE_004,
        issuing_authority=a["UBND"],
        focal_agency=a["SNV"],
        index_years=[2025],
        schedule_note="Tổ chức trong ½ ngày, dự kiến trước ngày 31/3/2026.",
        venue="Trung tâm Hội nghị tỉnh Lào Cai",
        venue_address="",
        purposes="\n".join(
            [
                "1.1. Đánh giá toàn diện kết quả thực hiện các mục tiêu, nhiệm vụ công tác CCHC năm 2025; tập trung "
                "làm rõ "
                "những kết quả nổi bật, những tồn tại, hạn chế, nguyên nhân và bài học kinh nghiệm.",
                "1.2. Công bố Chỉ số cải cách hành chính (PAR INDEX) năm 2025 đối với các sở, ban ngành thuộc UBND "
                "tỉnh và "
                "UBND các xã, phường trên địa bàn tỉnh.",
                "1.3. Triển khai các giải pháp cụ thể nhằm cải thiện và nâng cao Chỉ số CCHC (PAR INDEX) năm 2026 "
                "của tỉnh.",
                "1.4. Quán triệt, triển khai thực hiện Kế hoạch cải cách hành chính năm 2026 và Kế hoạch cải cách "
                "hành chính "
                "giai đoạn 2026 - 2030 trên địa bàn tỉnh.",
                "1.5. Biểu dương, khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong thực hiện công tác "
                "CCHC nhà "
                "nước năm 2025, tạo động lực, khí thế thi đua sôi nổi trong toàn hệ thống chính trị, quyết tâm hoàn "
                "thành "
                "xuất sắc nhiệm vụ CCHC năm 2026 và các mục tiêu, nhiệm vụ giai đoạn 2026 - 2030.",
            ]
        ),
        requirements=(
            "Việc tổ chức Hội nghị bảo đảm trang trọng, thiết thực, hiệu quả, tiết kiệm. Nội dung Hội nghị được "
            "chuẩn bị "
            "kỹ lưỡng, đánh giá khách quan, trung thực, toàn diện; Các giải pháp đề ra phải cụ thể, khả thi, gắn với "
            "trách "
            "nhiệm của từng cơ quan, đơn vị, địa phương. Công tác khen thưởng bảo đảm đúng quy định, công khai, minh "
            "bạch, "
            "kịp thời."
        ),
        budget_note="Kinh phí tổ chức được bố trí trong dự toán ngân sách nhà nước năm 2026 theo quy định hiện hành.",
        contact="Sở Nội vụ (Phòng Cải cách hành chính - Văn thư, lưu trữ; điện thoại 0888.333.689)",
        status=ConferenceStatus.DRAFT,
        created_by=_organiser(province),
    )
    conference.full_clean()
    conference.save()
    for order, (number, day, title) in enumerate(
        [
            ("35/KH-UBND", dt.date(2026, 1, 30), "về cải cách hành chính tỉnh Lào Cai giai đoạn 2026 – 2030"),
            ("211/KH-UBND", dt.date(2025, 12, 31), "về cải cách hành chính tỉnh Lào Cai năm 2026"),
        ],
        start=1,
    ):
        BasisDocument.objects.create(
            conference=conference,
            order=order,
            lead=BasisDocument.Lead.IMPLEMENTING,
            doc_type="Kế hoạch",
            number=number,
            issued_on=day,
            issuer="Ủy ban nhân dân tỉnh",
            title=title,
        )
    _items(
        ContentItem,
        "conference",
        conference,
        [
            "Đánh giá toàn diện các mục tiêu, nhiệm vụ công tác CCHC năm 2025, tập trung làm rõ những kết quả nổi bật, "
            "các mô hình, sáng kiến hiệu quả; những tồn tại, hạn chế, nguyên nhân và bài học kinh nghiệm;",
            "Công bố Chỉ số cải cách hành chính (PAR INDEX) năm 2025 đối với các sở, ban ngành thuộc UBND tỉnh và "
            "UBND các "
            "xã, phường trên địa bàn tỉnh Lào Cai; phân tích, so sánh kết quả giữa các đơn vị, địa phương;",
            "Triển khai các giải pháp trọng tâm, đột phá nhằm cải thiện và nâng cao Chỉ số CCHC (PAR INDEX) tỉnh Lào "
            "Cai "
            "năm 2026; xác định rõ trách nhiệm của từng cơ quan, đơn vị, địa phương;",
            "Tham luận của các đại biểu dự Hội nghị (*dự kiến tham luận tại Phụ lục kèm theo Kế hoạch này*), tập trung "
            "vào "
            "các lĩnh vực còn hạn chế hoặc có chỉ số thành phần thấp; chia sẻ kinh nghiệm, cách làm hay, sáng tạo;",
            "Tổ chức khen thưởng, trao Bằng khen của Chủ tịch UBND tỉnh cho các tập thể, cá nhân có thành tích xuất "
            "sắc, "
            "tiêu biểu trong thực hiện công tác CCHC năm 2025;",
            "Triển khai Kế hoạch cải cách hành chính tỉnh Lào Cai năm 2026 và Kế hoạch cải cách hành chính giai đoạn "
            "2026 - 2030 trên địa bàn tỉnh Lào Cai.",
        ],
    )
    for order, (title, agency) in enumerate(
        [
            ("Tuyên bố lý do, giới thiệu đại biểu;", None),
            ("Báo cáo kết quả Chỉ số của các cơ quan, đơn vị năm 2025; triển khai nhiệm vụ năm 2026;", a["SNV"]),
            ("Công bố Chỉ số CCHC năm 2025.", a["SNV"]),
            ("Tham luận của một số sở, ngành, địa phương.", None),
            ("Phát biểu chỉ đạo của Lãnh đạo tỉnh.", a["UBND"]),
            ("Công bố Quyết định và trao Bằng khen của Chủ tịch UBND tỉnh.", None),
            ("Bế mạc Hội nghị.", None),
        ],
        start=1,
    ):
        ProgrammeItem.objects.create(conference=conference, order=order, title=title, agency=agency)
    level_1, level_2, level_3 = "Đại biểu cấp tỉnh", "Đại biểu cấp xã", "Đại biểu điển hình tiên tiến"
    _lines(
        conference,
        [
            {
                "section": level_1,
                "text": "Kính mời Thường trực Tỉnh ủy, HĐND, UBND tỉnh",
                "target": T.GROUP,
                "group_kinds": [K.PARTY_COMMITTEE, K.PEOPLES_COUNCIL, K.PROVINCIAL_COMMITTEE],
            },
            {"section": level_1, "text": "Thành viên Tổ Công tác CCHC tỉnh Lào Cai", "target": T.TEXT},
            {
                "section": level_1,
                "text": "Thành viên Hội đồng và Tổ giúp việc Hội đồng xác định Chỉ số CCHC tỉnh",
                "target": T.TEXT,
            },
            {
                "section": level_1,
                "text": "Lãnh đạo và 01 công chức trực tiếp tham mưu công tác CCHC của các sở, ban, ngành "
                "thuộc UBND tỉnh",
                "target": T.GROUP,
                "group_kinds": PROVINCIAL,
                "quota": 2,
                "quota_text": "Lãnh đạo và 01 công chức",
            },
            {
                "section": level_1,
                "text": "Đại diện các cơ quan thông tấn, báo chí trên địa bàn tỉnh",
                "target": T.GROUP,
                "group_kinds": [K.PRESS],
                "role": InviteeRole.PRESS,
            },
            {
                "section": level_2,
                "text": "Lãnh đạo UBND các xã, phường trên địa bàn tỉnh Lào Cai",
                "target": T.GROUP,
                "group_kinds": LOCAL,
            },
            {
                "section": level_2,
                "text": "Lãnh đạo và công chức phòng Văn hóa – Xã hội trực tiếp tham mưu thực hiện công tác "
                "CCHC tại các xã, phường",
                "target": T.GROUP,
                "group_kinds": LOCAL,
                "quota": 2,
                "quota_text": "Lãnh đạo và 01 công chức phòng Văn hóa – Xã hội",
            },
            {
                "section": level_3,
                "text": "Đại diện các tập thể, cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen vì có thành tích "
                "xuất sắc trong thực hiện công tác CCHC năm 2025 trên địa bàn tỉnh",
                "target": T.AWARDEES,
                "role": InviteeRole.AWARDEE,
            },
        ],
    )
    # The seed does not name the awardees; these are the demo's.
    award = "Bằng khen của Chủ tịch UBND tỉnh"
    citation = "Có thành tích xuất sắc trong thực hiện công tác CCHC năm 2025"
    for order, (kind, code, name, position) in enumerate(
        [
            (Award.Kind.COLLECTIVE, "X-BATXAT", "", ""),
            (Award.Kind.COLLECTIVE, "P-SAPA", "", ""),
            (Award.Kind.COLLECTIVE, "X-BACHA", "", ""),
            (Award.Kind.COLLECTIVE, "SKHCN", "", ""),
            (Award.Kind.INDIVIDUAL, "P-LAOCAI", "Hà Thị Mai", "Công chức Văn hóa - Xã hội"),
        ],
        start=1,
    ):
        Award.objects.create(
            conference=conference,
            order=order,
            kind=kind,
            agency=a[code],
            recipient_name=name,
            recipient_position=position,
            award_name=award,
            citation=citation,
        )
    snv, vp, stc, press = a["SNV"], a["VPUBND"], a["STC"], a["BPTTH"]
    all_units = PROVINCIAL + LOCAL
    _duties(
        "conference",
        conference,
        [
            {
                "section": "Sở Nội vụ",
                "lead_agency": snv,
                "task": "Là cơ quan đầu mối, chủ trì tham mưu UBND tỉnh Lào Cai triển "
                "khai thực hiện các nội dung Kế hoạch này; kịp thời báo cáo, đề xuất UBND tỉnh điều chỉnh, bổ sung "
                "nội dung Kế "
                "hoạch này khi cần thiết",
            },
            {
                "section": "Sở Nội vụ",
                "lead_agency": snv,
                "task": "Chủ trì xây dựng: (i) Báo cáo kết quả thực hiện công tác CCHC "
                "năm 2025, nhiệm vụ công tác cải cách hành chính năm 2026 và các năm tiếp theo; (ii) Báo cáo kết quả "
                "Chỉ số CCHC "
                "(PAR INDEX) năm 2025 đối với các sở, ban ngành thuộc UBND tỉnh và UBND các xã, phường trên địa bàn "
                "tỉnh",
            },
            {
                "section": "Sở Nội vụ",
                "lead_agency": snv,
                "task": "Chủ trì chuẩn bị nội dung, tài liệu, bài phát biểu của lãnh đạo "
                "tỉnh; xây dựng chương trình, kịch bản điều hành; chuẩn bị đầy đủ các điều kiện cần thiết để tổ chức "
                "thành công "
                "Hội nghị",
            },
            {
                "section": "Sở Nội vụ",
                "lead_agency": snv,
                "task": "Hướng dẫn các cơ quan, đơn vị xây dựng báo cáo tham luận về "
                "lĩnh vực CCHC trình bày tại Hội nghị",
            },
            {
                "section": "Sở Nội vụ",
                "lead_agency": snv,
                "task": "Chủ trì tham mưu, hướng dẫn công tác khen thưởng; tổng hợp, "
                "trình Chủ tịch UBND tỉnh tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc trong thực "
                "hiện công tác "
                "CCHC năm 2025 (theo quy định của pháp luật về thi đua khen thưởng); xây dựng kịch bản, chuẩn bị các "
                "điều kiện "
                "phục vụ trao thưởng theo quy định",
            },
            {
                "section": "Văn phòng UBND tỉnh",
                "lead_agency": vp,
                "coordinating": [snv],
                "task": "Phối hợp với Sở Nội vụ chuẩn bị "
                "hội trường, trang trí khánh tiết, công tác lễ tân; xây dựng phương án sắp xếp chỗ ngồi đại biểu tại "
                "Hội nghị",
            },
            {
                "section": "Văn phòng UBND tỉnh",
                "lead_agency": vp,
                "task": "Đảm bảo các điều kiện cần thiết để Thường trực UBND tỉnh tham dự và chỉ đạo Hội nghị",
            },
            {
                "section": "Sở Tài chính",
                "lead_agency": stc,
                "task": "Chủ trì thẩm định dự toán kinh phí tổ chức Hội nghị, tham mưu "
                "trình cấp có thẩm quyền phê duyệt theo quy định",
            },
            {
                "section": "Báo và Phát thanh, Truyền hình tỉnh",
                "lead_agency": press,
                "coordinating": [snv],
                "task": "Phối hợp với Sở Nội vụ và các cơ quan, đơn vị liên quan xây dựng phóng sự phản ánh kết quả "
                "nổi bật công "
                "tác CCHC năm 2025, phương hướng, nhiệm vụ công tác CCHC năm 2026 và giai đoạn 2026 – 2030 trên địa "
                "bàn tỉnh Lào Cai",
            },
            {
                "section": "Báo và Phát thanh, Truyền hình tỉnh",
                "lead_agency": press,
                "task": "Đẩy mạnh tuyên truyền, lan tỏa các "
                "mô hình hay, cách làm hiệu quả trong thực hiện công tác cải cách hành chính",
            },
            {
                "section": "Báo và Phát thanh, Truyền hình tỉnh",
                "lead_agency": press,
                "task": "Cử phóng viên tham dự và đưa tin Hội nghị",
            },
            {
                "section": "Các cơ quan, đơn vị cấp tỉnh; UBND các xã, phường",
                "lead_kinds": all_units,
                "lead_label": "Các cơ quan, đơn vị cấp tỉnh; UBND các xã, phường",
                "task": "Xây dựng báo cáo tham luận trình bày tại Hội nghị theo hướng dẫn của Sở Nội vụ",
            },
            {
                "section": "Các cơ quan, đơn vị cấp tỉnh; UBND các xã, phường",
                "lead_kinds": all_units,
                "lead_label": "Các cơ quan, đơn vị cấp tỉnh; UBND các xã, phường",
                "task": "Cử đại biểu tham dự Hội nghị đảm bảo đúng thành phần, thời gian theo quy định",
            },
            {
                "section": "Các cơ quan, đơn vị cấp tỉnh; UBND các xã, phường",
                "lead_kinds": all_units,
                "lead_label": "Các cơ quan, đơn vị cấp tỉnh; UBND các xã, phường",
                "task": "Chủ động xây dựng kế hoạch, giải pháp cụ thể nhằm khắc phục tồn tại, nâng cao Chỉ số cải "
                "cách hành chính "
                "của cơ quan, đơn vị năm 2026",
            },
            {
                "section": "Các cơ quan, đơn vị liên quan",
                "lead_label": "Các cơ quan, đơn vị liên quan",
                "task": "Căn cứ chức năng, nhiệm vụ được giao, chủ động phối hợp với Sở Nội vụ triển khai thực hiện "
                "hiệu quả các "
                "nội dung theo Kế hoạch này",
            },
        ],
    )
    conference.status = ConferenceStatus.PLANNED
    conference.save(update_fields=["status"])
    # Planned in March 2026 "before 31/3/2026": by then it went out and was held.
    planned_by = dt.date(2026, 3, 31)
    if planned_by < timezone.localdate():
        _send_invitations(conference, invited_at=timezone.make_aware(dt.datetime(2026, 3, 16, 9, 0)))
        _as_today(conference, planned_by)


# --- Seed 002: Lai Châu, plan to improve PAR INDEX and SIPAS 2025 -------------------------------------


def _seed_002(province: Province):
    a = _agencies(province)
    plan = ImprovementPlan(
        province=province,
        title=TITLE_002,
        issuing_authority=a["UBND"],
        focal_agency=a["SNV"],
        year=2025,
        index_years=[2024, 2025],
        background=(
            "Theo kết quả do Bộ Nội vụ công bố ngày 06/4/2025, năm 2024: Chỉ số PAR INDEX tỉnh Lai Châu đạt 85,97 "
            "điểm, "
            "tăng 0,19 điểm so với năm 2023, xếp vị trí thứ 56/63 tỉnh, thành phố, giảm 7 hạng so với năm 2023; Chỉ số "
            "SIPAS đạt 81,51%, tăng 1,69% so với năm 2023; xếp hạng 55/63 tỉnh, thành phố, giảm 05 hạng so với năm "
            "2023."
        ),
        purposes="\n".join(
            [
                "Duy trì những tiêu chí, tiêu chí thành phần của Chỉ số PAR INDEX được đánh giá tốt, đạt điểm cao; "
                "khắc phục, "
                "cải thiện những tiêu chí, tiêu chí thành phần đánh giá chưa tốt, chưa đạt điểm hoặc có điểm số thấp.",
                "Tiếp tục triển khai thực hiện tốt các nội dung đã được người dân đánh giá hài lòng cao, nhận định "
                "tốt; chấn "
                "chỉnh, khắc phục những nội dung người dân chưa hài lòng cao, nhận định chưa tốt. Quan tâm, cải "
                "thiện những "
                "nhu cầu, mong muốn của người dân đối với các cơ quan hành chính nhà nước trên địa bàn tỉnh.",
            ]
        ),
        requirements="\n".join(
            [
                "Bám sát các tiêu chí đánh giá Chỉ số cải cách hành chính do Bộ Nội vụ ban hành và các văn bản hướng "
                "dẫn của "
                "Bộ, ngành Trung ương về cải cách hành chính để chủ động triển khai thực hiện; phân công rõ trách "
                "nhiệm và nhiệm "
                "vụ theo nguyên tắc “rõ người, rõ việc, rõ thời gian, rõ kết quả”, rõ trách nhiệm cơ quan chủ trì và "
                "cơ quan "
                "phối hợp. Bố trí đủ nguồn lực và có các giải pháp triển khai cụ thể để đảm bảo tính thực tiễn, khả "
                "thi của "
                "Kế hoạch.",
                "Các sở, ban, ngành, địa phương tổ chức phân tích, rà soát các tiêu chí/tiêu chí thành phần, nội "
                "dung chấm điểm "
                "liên quan trực tiếp đến đơn vị mình để tiếp tục duy trì những tiêu chí/tiêu chí thành phần điểm "
                "cao, khắc "
                "phục, cải thiện những tiêu chí/tiêu chí thành phần chưa đạt điểm hoặc đạt điểm thấp.",
                "Tăng cường công tác quán triệt, tuyên truyền, phổ biến chính sách công, dịch vụ hành chính công đến "
                "người dân, "
                "để người dân được biết, được tham gia góp ý, được thụ hưởng chính sách đầy đủ; được tiếp cận và sử "
                "dụng dịch "
                "vụ hành chính công một cách tốt nhất.",
            ]
        ),
        goals="\n".join(
            [
                "Chỉ số PAR INDEX: Tiếp tục duy trì những nội dung đánh giá đã đạt điểm tối đa; cải thiện, nâng cao "
                "các nội "
                "dung đánh giá mà điểm chưa đạt hoặc đạt chưa được tối đa theo thang điểm chấm của Bộ Chỉ số cải "
                "cách hành "
                "chính. Phấn đấu điểm Chỉ số PAR INDEX năm 2025 tăng hơn so với năm 2024.",
                "Chỉ số SIPAS: Tiếp tục nâng cao mức độ hài lòng của người dân nói chung (Chỉ số SIPAS) và chỉ số "
                "hài lòng về "
                "từng tiêu chí nói riêng (Chỉ số hài lòng về xây dựng, tổ chức thực hiện chính sách công; Chỉ số hài "
                "lòng về "
                "cung ứng dịch vụ hành chính công) so với năm 2024.",
            ]
        ),
        measures="\n".join(
            [
                "a) Chủ động, tích cực đổi mới phương thức lãnh, chỉ đạo điều hành nói chung, đặc biệt là trong tổ "
                "chức thực "
                "hiện nhiệm vụ cải cách hành chính tại các cơ quan, đơn vị; chủ động nghiên cứu, thí điểm hoặc nhân "
                "rộng các mô "
                "hình cải cách mới có hiệu quả, phù hợp với phạm vi, thẩm quyền được giao và các chủ trương, đường "
                "lối của "
                "Đảng, chính sách, pháp luật của Nhà nước về cải cách hành chính.",
                "b) Tập trung nâng cao chất lượng xây dựng và tổ chức thực hiện chính sách. Đổi mới và nâng cao hiệu "
                "quả công "
                "tác theo dõi thi hành pháp luật, tập trung vào các lĩnh vực được xác định là trọng tâm phát triển "
                "kinh tế - xã "
                "hội của năm 2025, phù hợp với nhiệm vụ chung của cả giai đoạn 2021-2025.",
                "c) Tiếp tục đẩy mạnh cải cách thủ tục hành chính gắn với thực hiện chuyển đổi số, bảo đảm tiết "
                "kiệm, hiệu quả. "
                "Trong năm 2025, tiếp tục rà soát, đơn giản hóa thủ tục hành chính liên quan đến hoạt động sản xuất "
                "kinh doanh, "
                "bãi bỏ ít nhất 30% điều kiện đầu tư kinh doanh không cần thiết; giảm ít nhất 30% thời gian giải "
                "quyết thủ tục "
                "hành chính, 30% chi phí tuân thủ thủ tục hành chính. Tăng cường phân cấp thực hiện thủ tục hành "
                "chính, gắn với "
                "phân bổ nguồn lực, đề cao trách nhiệm của các sở, ban, ngành, địa phương trong tỉnh. Tiếp tục đổi "
                "mới, nâng cao "
                "hiệu quả hoạt động của Trung tâm Phục vụ hành chính công và Bộ phận một cửa các cấp; bảo đảm công "
                "khai, minh "
                "bạch, tối ưu hóa quy trình, thực hiện thủ tục hành chính không phụ thuộc vào địa giới hành chính.",
                "d) Tập trung hoàn thiện Đề án sắp xếp, tổ chức lại các đơn vị hành chính các cấp và xây dựng mô "
                "hình tổ chức "
                "chính quyền địa phương 2 cấp, bảo đảm không ảnh hưởng đến việc thực hiện chức năng, nhiệm vụ của cơ "
                "quan, tổ "
                "chức, đơn vị mới, bảo đảm hoạt động thông suốt, hiệu năng, hiệu lực, hiệu quả. Tiếp tục rà soát, "
                "sắp xếp kiện "
                "toàn cơ cấu tổ chức của các cơ quan, tổ chức hành chính, đơn vị sự nghiệp công lập, đảm bảo tinh "
                "gọn, hoạt "
                "động hiệu lực, hiệu quả, giảm cấp trung gian, gắn với tinh giản biên chế, cơ cấu lại, nâng cao chất "
                "lượng đội "
                "ngũ cán bộ, công chức, viên chức, đáp ứng yêu cầu trong tình hình mới.",
                "đ) Đẩy mạnh cải cách chế độ công vụ. Nâng cao kỷ luật, kỷ cương hành chính, chất lượng thực thi "
                "công vụ và cải "
                "thiện chất lượng phục vụ người dân, doanh nghiệp.",
                "e) Thực hiện có hiệu quả cơ chế tự chủ tài chính của các đơn vị sự nghiệp công lập. Triển khai các "
                "giải pháp "
                "đẩy mạnh giải pháp đẩy mạnh giải ngân vốn đầu tư công, gắn liền với chất lượng các dự án, tuyệt đối "
                "không để "
                "xảy ra tiêu cực, tham nhũng, lãng phí; chỉ đạo, tháo gỡ khó khăn, vướng mắc của doanh nghiệp theo "
                "thẩm quyền.",
                "f) Tập trung xây dựng, hoàn thiện hạ tầng số, hạ tầng công nghệ, cập nhật đầy đủ, kịp thời các cơ "
                "sở dữ liệu "
                "để kết nối, chia sẻ dữ liệu để nâng cao chất lượng giải quyết dịch vụ công; đồng thời phục vụ có "
                "hiệu quả cho "
                "hoạt động chỉ đạo, điều hành của lãnh đạo UBND tỉnh.",
            ]
        ),
        report_deadline=dt.date(2025, 12, 15),
        report_instruction=(
            "Trên cơ sở các nhiệm vụ, giải pháp, phân công trách nhiệm thực hiện, các sở, ban, ngành, UBND các "
            "huyện, thành "
            "phố, các xã, phường, thị trấn, các cơ quan ngành dọc trên địa bàn tỉnh chủ động tham mưu, tổ chức triển "
            "khai "
            "thực hiện đảm bảo hiệu quả, báo cáo về UBND tỉnh (qua Sở Nội vụ) kết quả thực hiện kế hoạch"
        ),
        created_by=_organiser(province),
    )
    plan.full_clean()
    plan.save()
    for order, (number, title) in enumerate(
        [
            (
                "267/QĐ-BNV",
                "về việc công bố Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước "
                "năm 2024",
            ),
            (
                "268/QĐ-BNV",
                "về việc phê duyệt và công bố Chỉ số CCHC năm 2024 của các bộ, cơ quan ngang bộ, UBND các tỉnh, "
                "thành phố trực thuộc Trung ương",
            ),
        ],
        start=1,
    ):
        BasisDocument.objects.create(
            plan=plan,
            order=order,
            lead=BasisDocument.Lead.PURSUANT,
            doc_type="Quyết định",
            number=number,
            issued_on=dt.date(2025, 3, 28),
            issuer="Bộ trưởng Bộ Nội vụ",
            title=title,
        )
    due = {"due_date": dt.date(2025, 12, 15), "due_wording": Duty.Wording.BEFORE}
    heads = "Thủ trưởng cơ quan, đơn vị, địa phương"
    rows = []
    for task in [
        "Sớm rà soát, phân tích và đánh giá, rút kinh nghiệm, chỉ ra những tồn tại, hạn chế, nguyên nhân và đề ra "
        "các giải "
        "pháp cụ thể, thiết thực để khắc phục, giúp nâng cao hiệu quả thực hiện nhiệm vụ cải cách hành chính, mức độ "
        "hài "
        "lòng của người dân trong năm 2025 và những năm tiếp theo",
        "Tổ chức quán triệt, tuyên truyền có hiệu quả nỗ lực của chính quyền các cấp trong việc tổ chức xây dựng và "
        "thực "
        "hiện chính sách công, cung cấp dịch vụ hành chính công trên địa bàn tỉnh; tập trung tuyên truyền những mô "
        "hình "
        "hay, cách làm mới, mang lại hiệu quả cao",
        "Triển khai thực hiện hiệu quả Kế hoạch số 1550/KH-UBND ngày 14/4/2025 của UBND tỉnh Lai Châu Thực hiện Nghị "
        "quyết "
        "số 66/NQ-CP ngày 26/3/2025 của Chính phủ về Chương trình cắt giảm, đơn giản hóa thủ tục hành chính liên "
        "quan đến "
        "hoạt động sản xuất, kinh doanh năm 2025 và 2026 trên địa bàn tỉnh Lai Châu",
        "Tăng cường rà soát, đề xuất đơn giản hóa thủ tục hành chính, cắt giảm quy trình, hồ sơ, thời gian giải quyết; "
        "nâng cao chất lượng, hiệu quả của Bộ phận tiếp nhận và trả kết quả; đẩy mạnh việc giải quyết TTHC trên môi "
        "trường "
        "điện tử và thực hiện số hóa TTHC theo đúng quy định",
        "Quyết liệt trong sắp xếp tổ chức bộ máy, tinh giản biên chế, gắn với cơ cấu lại đội ngũ cán bộ, công chức, "
        "viên chức",
        "Tiếp tục thực hiện cơ chế tự chủ tài chính của các đơn vị sự nghiệp công lập; tiến hành các giải pháp đồng "
        "bộ để "
        "đẩy nhanh tiến độ giải ngân vốn đầu tư công",
        "Chuyển đổi số ứng dụng công nghệ thông tin vào hoạt động điều hành, khai thác hiệu quả dữ liệu ngành, đặc "
        "biệt là "
        "dữ liệu dân cư theo Đề án số 06 của Thủ tướng Chính phủ; tổ chức vận hành có hiệu quả Cổng dịch vụ công của "
        "tỉnh",
        "Nâng cao chất lượng tổ chức các hội nghị đối thoại giữa chính quyền tỉnh với người dân, doanh nghiệp; cải "
        "thiện "
        "môi trường đầu tư kinh doanh, nâng cao năng lực cạnh tranh",
    ]:
        rows.append({"section": heads, "lead_label": heads, "lead_kinds": PROVINCIAL + LOCAL, "task": task, **due})
    per_agency = {
        "SNV": (
            "Sở Nội vụ",
            [
                "Tiếp tục chủ động, bám sát nhiệm vụ chuyên môn và chỉ đạo của Chính phủ, Bộ Nội vụ để tham mưu cho "
                "UBND tỉnh, "
                "Ban Chỉ đạo CCHC, Chủ tịch UBND tỉnh các văn bản chỉ đạo, điều hành cải cách hành chính kịp thời, "
                "chất lượng",
                "Chủ trì, hướng dẫn, đôn đốc các cơ quan trong công tác tự chấm điểm, cung cấp tài liệu kiểm chứng "
                "phục vụ chấm "
                "điểm Chỉ số cải cách hành chính năm 2025 theo yêu cầu, chỉ đạo của Bộ Nội vụ",
                "Chủ trì theo dõi và phối hợp với Bộ Nội vụ, các địa phương thực hiện đo lường sự hài lòng về sự "
                "phục vụ của các "
                "cơ quan hành chính trong năm 2025",
                "Tham mưu, theo dõi các chỉ số thành phần: Chỉ đạo, điều hành cải cách hành chính, cải cách tổ chức "
                "bộ máy, cải "
                "cách chế độ công vụ",
            ],
        ),
        "VPUBND": (
            "Văn phòng Uỷ ban nhân dân tỉnh",
            [
                "Chủ trì, phối hợp các cơ quan có liên quan tham mưu, đề xuất UBND tỉnh tăng cường đổi mới và nâng "
                "cao hiệu quả "
                "trong công tác chỉ đạo, điều hành về cải cách thủ tục hành chính, kiểm soát TTHC, thực hiện cơ chế "
                "một cửa, một "
                "cửa liên thông",
                "Tham mưu UBND tỉnh tổ chức thực hiện đánh giá và công khai kết quả đánh giá chất lượng giải quyết "
                "thủ tục hành "
                "chính theo Nghị định số 61/2018/NĐ-CP; vận hành có hiệu quả Hệ thống thông tin báo cáo của tỉnh, "
                "đảm bảo tỷ lệ "
                "kết nối với Hệ thống thông tin báo cáo của Chính phủ đạt 100%",
                "Chủ trì tham mưu UBND tỉnh chỉ đạo, thực hiện các giải pháp nâng cao tỷ lệ hồ sơ trực tuyến toàn "
                "trình, tỷ lệ hồ "
                "sơ được số hóa kết quả giải quyết, tỷ lệ TTHC được triển khai thanh toán trực tuyến",
                "Chỉ đạo Trung tâm Phục vụ hành chính công thực hiện có hiệu quả công tác tiếp nhận, giải quyết hồ "
                "sơ thủ tục "
                "hành chính theo cơ chế một cửa, một cửa liên thông",
            ],
        ),
        "STP": (
            "Sở Tư pháp",
            [
                "Tiếp tục tham mưu UBND tỉnh triển khai tốt nội dung cải cách thể chế: theo dõi thi hành pháp luật; "
                "rà soát văn "
                "bản quy phạm pháp luật, kịp thời công bố danh mục văn bản QPPL hết hiệu lực và ban hành các quy "
                "định sửa đổi, "
                "bổ sung hoặc thay thế",
                "Phối hợp các cơ quan, đơn vị, địa phương trong việc phổ biến, tuyên truyền pháp luật đến người dân, "
                "doanh nghiệp",
                "Đề xuất các giải pháp nâng cao kết quả điều tra xã hội học đánh giá tác động của cải cách hành "
                "chính đến chất "
                "lượng văn bản QPPL do tỉnh ban hành",
            ],
        ),
        "SKHCN": (
            "Sở Khoa học và Công nghệ",
            [
                "Chủ trì, phối hợp các cơ quan có liên quan tham mưu, đề xuất UBND tỉnh thực hiện các nhiệm vụ về "
                "xây dựng và "
                "phát triển Chính quyền điện tử, Chính quyền số",
                "Chủ trì tham mưu UBND tỉnh duy trì và cập nhật Kiến trúc Chính quyền điện tử tỉnh; triển khai Trung "
                "tâm dữ liệu; "
                "phát triển nền tảng tích hợp, chia sẻ dữ liệu dùng chung của tỉnh (LGSP), kết nối với NGSP",
                "Chủ trì, tham mưu UBND tỉnh tuyên truyền, phổ biến và hướng dẫn thực hiện chính sách, pháp luật về "
                "hoạt động "
                "sáng kiến, khuyến khích các sáng kiến, giải pháp cải cách hành chính hiệu quả",
                "Phối hợp với Văn phòng UBND tỉnh triển khai cung cấp dịch vụ công trực tuyến toàn trình và các giải "
                "pháp công "
                "nghệ thông tin nhằm nâng cao tỷ lệ giải quyết hồ sơ trực tuyến toàn trình, hồ sơ thanh toán trực "
                "tuyến",
            ],
        ),
        "STC": (
            "Sở Tài chính",
            [
                "Chủ trì tham mưu UBND tỉnh ban hành các văn bản thuộc thẩm quyền của tỉnh về quản lý, sử dụng tài "
                "sản công; tham "
                "mưu UBND tỉnh thực hiện chỉ số thành phần về cải cách tài chính công của tỉnh trong năm 2025",
                "Đôn đốc việc thực hiện cơ chế tự chủ, tự chịu trách nhiệm về sử dụng kinh phí đối với các cơ quan "
                "hành chính "
                "nhà nước, các đơn vị sự nghiệp công lập",
                "Đôn đốc, theo dõi, kiểm tra việc thực hiện khắc phục các kiến nghị sau thanh tra, kiểm tra, kiểm "
                "toán nhà nước "
                "về tài chính, ngân sách tại tỉnh",
                "Chủ trì, tổng hợp, tham mưu UBND tỉnh các nhiệm vụ, giải pháp triển khai thực hiện có hiệu quả kế "
                "hoạch phát "
                "triển kinh tế xã hội; thu ngân sách của tỉnh vượt chỉ tiêu được Chính phủ giao trong năm 2025",
                "Chủ trì, phối hợp đề xuất, tham mưu UBND tỉnh các giải pháp tăng cường đối thoại với doanh nghiệp, "
                "tháo gỡ khó "
                "khăn, vướng mắc, tạo điều kiện cho doanh nghiệp khởi nghiệp và phát triển",
                "Tăng cường quảng bá, xúc tiến đầu tư, thương mại, du lịch nhằm nâng cao hiệu quả công tác thu hút "
                "đầu tư vào "
                "địa bàn tỉnh",
                "Tiếp tục đẩy mạnh cải cách thủ tục hành chính trong lĩnh vực thành lập và hoạt động của doanh "
                "nghiệp; triển "
                "khai các chính sách hỗ trợ doanh nghiệp",
            ],
        ),
    }
    for code, (section, tasks) in per_agency.items():
        for task in tasks:
            rows.append({"section": section, "lead_agency": a[code], "task": task, **due})
    _duties("plan", plan, rows)
    plan.status = ImprovementPlan.Status.ACTIVE
    plan.save(update_fields=["status"])
    # A realistic mix: most departments reported, some communes late.
    organiser = _organiser(province)
    assignments = list(
        DutyAssignment.objects.filter(duty__plan=plan).select_related("agency").order_by("agency__code", "duty__order")
    )
    for index, assignment in enumerate(assignments):
        if assignment.agency.kind in PROVINCIAL and index % 4 != 3:
            _report(assignment, organiser, DutyAssignment.Status.DONE, "Đã thực hiện; báo cáo kết quả gửi Sở Nội vụ.")
        elif index % 5 == 0:
            _report(assignment, organiser, DutyAssignment.Status.DONE, "Đã hoàn thành, có báo cáo kèm theo.")
        elif index % 3 == 0:
            _report(
                assignment,
                organiser,
                DutyAssignment.Status.IN_PROGRESS,
                "Đang triển khai; dự kiến hoàn thành trong quý IV.",
            )


# --- Documents: the seeds themselves, drafted from the data above ------------------------------

PRESENTATIONS_004 = [
    (
        "Kết quả và giải pháp sắp xếp, tổ chức bộ máy, nâng cao hiệu lực, hiệu quả hoạt động của chính quyền địa "
        "phương "
        "hai cấp gắn với cải cách hành chính trên địa bàn tỉnh Lào Cai.",
        "Sở Nội vụ",
    ),
    (
        "Đẩy mạnh chuyển đổi số, phát triển chính quyền điện tử, chính quyền số góp phần nâng cao hiệu quả cải cách "
        "hành "
        "chính trên địa bàn tỉnh Lào Cai.",
        "Sở Khoa học và Công nghệ",
    ),
    (
        "Ứng dụng dữ liệu dân cư, định danh điện tử và Đề án 06 trong cải cách thủ tục hành chính trên địa bàn tỉnh "
        "Lào Cai.",
        "Công an tỉnh",
    ),
    (
        "Đổi mới quản lý tài chính công, nâng cao hiệu quả sử dụng ngân sách nhà nước phục vụ cải cách hành chính và "
        "vận "
        "hành chính quyền địa phương hai cấp.",
        "Sở Tài chính",
    ),
    (
        "Nâng cao chất lượng xây dựng và hoàn thiện thể chế, góp phần cải thiện môi trường đầu tư kinh doanh và thúc "
        "đẩy "
        "cải cách hành chính trên địa bàn tỉnh Lào Cai.",
        "Sở Tư pháp",
    ),
    (
        "Kinh nghiệm nâng cao chất lượng giải quyết thủ tục hành chính và phục vụ người dân, doanh nghiệp tại cấp xã "
        "trong "
        "thực hiện chính quyền địa phương hai cấp.",
        "Các xã, phường được Chủ tịch UBND tỉnh tặng Bằng khen trong thực hiện công tác CCHC năm 2025",
    ),
]


def seed_documents() -> int:
    """Seeds 001, 004 and 002 as drafts, with the seeds' own signature blocks
    and recipients, rendered at once. Seed 001 keeps its slip ("tháng 5 năm
    2024"): its page shows the check that blocks issue until it is fixed."""
    from conferences import drafting
    from documents import services as documents
    from documents.models import Document, RenderedFile, Section

    made = []
    c001 = Conference.objects.filter(title=TITLE_001).first()
    if c001 and not _has_document(c001, "invitation"):
        made.append(
            _finish(
                drafting.draft_invitation(actor=c001.created_by, conference=c001),
                dated=dt.date(2026, 5, 20),
                authority_lines="TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG",
                signer_title="PHÓ CHÁNH VĂN PHÒNG",
                signer_name="Nguyễn Thị Thúy",
                recipients="\n".join(
                    [
                        "Như thành phần mời;",
                        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
                        "Văn phòng Đoàn ĐBQH&HĐND tỉnh;",
                        "các phòng CM, HCQT, TTTT;",
                        "Báo và Phát thanh truyền hình Lạng Sơn, Cổng Thông tin điện tử tỉnh (*đưa tin*);",
                        "Lưu: VT, NC(HTMĐ).",
                    ]
                ),
            )
        )
    c004 = Conference.objects.filter(title=TITLE_004).first()
    if c004 and not _has_document(c004, "plan"):
        document = drafting.draft_conference_plan(actor=c004.created_by, conference=c004)
        if not drafting.presentation_rows(c004):
            # Without the presentations app the organiser types the appendix.
            table = ["| STT | Nội dung tham luận | Đơn vị tham luận |", "|---|---|---|"]
            table += [f"| {i}. | {topic} | {unit} |" for i, (topic, unit) in enumerate(PRESENTATIONS_004, start=1)]
            Section.objects.create(
                document=document,
                order=99,
                part=Section.Part.APPENDIX,
                label="Phụ lục tham luận",
                heading=f"Dự kiến các báo cáo tham luận tại {TITLE_004}",
                text="\n".join(table),
            )
        made.append(
            _finish(
                document,
                dated=dt.date(2026, 3, 10),
                authority_lines="KT. CHỦ TỊCH",
                signer_title="PHÓ CHỦ TỊCH",
                signer_name="Ngô Hạnh Phúc",
                recipients="\n".join(
                    [
                        "TT. Tỉnh ủy, HĐND, UBND tỉnh;",
                        "Các sở, ban, ngành thuộc UBND tỉnh;",
                        "Công an tỉnh;",
                        "UBND các xã, phường;",
                        "Báo và Phát thanh, Truyền hình tỉnh;",
                        "Lãnh đạo Văn phòng;",
                        "Công thông tin điện tử tỉnh;",
                        "Lưu VT, NC.",
                    ]
                ),
            )
        )
    p002 = ImprovementPlan.objects.filter(title=TITLE_002).first()
    if p002 and not _has_document(p002, "improvement_plan"):
        made.append(
            _finish(
                drafting.draft_improvement_plan(actor=p002.created_by, plan=p002),
                dated=dt.date(2025, 5, 6),
                # The seed's signature; the signer's name is not in it, so the demo's is invented.
                authority_lines="TM. ỦY BAN NHÂN DÂN",
                signer_title="CHỦ TỊCH",
                signer_name="Lê Văn Lương",
                recipients="\n".join(
                    [
                        "Thường trực TU, HĐND, UBND tỉnh;",
                        "Các sở, ban, ngành tỉnh;",
                        "Công an tỉnh;",
                        "UBND các xã, phường;",
                        "Báo Lai Châu;",
                        "Đài Phát thanh - Truyền hình tỉnh;",
                        "Cổng thông tin điện tử tỉnh;",
                        "Lưu: VT, Ks5, Sở Nội vụ.",
                    ]
                ),
            )
        )
    from demo.district import TITLE as DISTRICT_TITLE

    district = Conference.objects.filter(title=DISTRICT_TITLE).first()
    if district and not _has_document(district, "plan"):
        # Drafted from the district office's own outline; signed by its vice-chair (the directory's deputy).
        made.append(
            _finish(
                drafting.draft_conference_plan(actor=district.created_by, conference=district),
                dated=dt.date(2024, 3, 20),
            )
        )
    for document in made:
        for kind in (RenderedFile.Kind.PDF, RenderedFile.Kind.DOCX):
            documents.request_file(document=document, kind=kind)
    return Document.objects.count()


def _has_document(source, purpose: str) -> bool:
    from documents.selectors import documents_for_source

    return documents_for_source(source).filter(purpose=purpose).exists()


def _finish(document, **fields):
    for name, value in fields.items():
        setattr(document, name, value)
    document.save(update_fields=[*fields, "updated_at"])
    return document
