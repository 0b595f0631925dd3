"""A conference ahead of the day seed_demo runs, in each demo province, so
every daily workflow can be tried at once: officials answer an open
invitation and owe presentations; the organiser sends the invitation from
its drafted paper, reminds, follows replies; and the province's
self-assessments of the year run (indices demo).

Written as a Sở Nội vụ writes its quarterly meeting: the Sở issues it, the
departments and the communes of the demo accounts are invited. Dates are
counted from today, so the demo never goes stale; a second run on the same
day changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agencies.models import Agency, AgencyKind, Province, User
from conferences import reminders, services
from conferences.models import (
    Conference,
    ConferenceKind,
    ContentItem,
    Duty,
    InviteeLine,
    InviteeRole,
    ProgrammeItem,
)
from submissions import services as submission_services
from submissions.models import Assignment

from .conferences import _send_invitations
from .directory import PROVINCES, unit_code

K = AgencyKind


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def upcoming_title(day: dt.date) -> str:
    quarter = (day.month - 1) // 3 + 1
    roman = ["I", "II", "III", "IV"][quarter - 1]
    return f"Hội nghị giao ban công tác cải cách hành chính quý {roman} năm {day.year}"


def seed_upcoming(*, stdout=None) -> int:
    today = timezone.localdate()
    day = _working_day(today + dt.timedelta(days=16))
    made = 0
    for province in Province.objects.filter(code__in=["lang-son", "lao-cai", "lai-chau"]).order_by("code"):
        if Conference.objects.filter(province=province, title=upcoming_title(day)).exists():
            continue
        _conference(province, day, today)
        made += 1
    if stdout is not None and made:
        stdout.write(f"Hội nghị sắp tới (tính từ hôm nay): {made} hội nghị ngày {day:%d/%m/%Y}.")
    return made


def _conference(province: Province, day: dt.date, today: dt.date) -> Conference:
    units = {a.code: a for a in Agency.objects.filter(province=province)}
    snv = units["SNV"]
    organiser = User.objects.filter(agency__province=province, role="organiser").first()
    conference = Conference(
        province=province,
        kind=ConferenceKind.OTHER,
        title=upcoming_title(day),
        issuing_authority=snv,
        focal_agency=snv,
        index_years=[day.year - 1],
        date=day,
        start_time=dt.time(8, 0),
        end_time=dt.time(11, 30),
        reply_deadline=day - dt.timedelta(days=5),
        venue="Hội trường tầng 3, Sở Nội vụ",
        chair="Giám đốc Sở Nội vụ",
        created_by=organiser,
    )
    conference.full_clean()
    conference.save()
    for order, text in enumerate(
        [
            "Đánh giá kết quả thực hiện nhiệm vụ cải cách hành chính trong quý; những tồn tại, hạn chế và nguyên nhân.",
            "Tiến độ tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
            f"{day.year} của các cơ quan, đơn vị; những tiêu chí còn vướng mắc.",
            "Thống nhất nhiệm vụ trọng tâm quý tới.",
        ],
        start=1,
    ):
        ContentItem.objects.create(conference=conference, order=order, text=text)
    slot = ProgrammeItem.objects.create(
        conference=conference, order=1, starts_at=dt.time(9, 0), title="Tham luận của các cơ quan, đơn vị"
    )
    InviteeLine.objects.create(
        conference=conference,
        order=1,
        text="Đại diện lãnh đạo các sở, ban, ngành tỉnh",
        target=InviteeLine.Target.GROUP,
        group_kinds=[K.DEPARTMENT, K.COMMITTEE_OFFICE],
        role=InviteeRole.DELEGATE,
        quota=1,
    )
    # The demo commune official's ward first (demo_accounts), then two more.
    first = units.get(unit_code("P", PROVINCES[province.code]["wards"][0]))
    others = sorted((a for code, a in units.items() if code.startswith(("P-", "X-")) and a != first), key=str)
    communes = ([first] if first else []) + others[: 3 - bool(first)]
    line = InviteeLine.objects.create(
        conference=conference,
        order=2,
        text="Chủ tịch UBND " + ", ".join(a.name.removeprefix("UBND ") for a in communes),
        target=InviteeLine.Target.AGENCY,
        agency=communes[0],
        role=InviteeRole.DELEGATE,
        quota=2,
    )
    line.also.set(communes[1:])
    duty = Duty(
        conference=conference,
        order=1,
        lead_agency=snv,
        task="Tổng hợp báo cáo kết quả cải cách hành chính quý, gửi các đại biểu trước Hội nghị",
        due_date=day - dt.timedelta(days=3),
    )
    duty.full_clean()
    duty.save()
    services.duty_sync_assignments(duty=duty)
    # Invitations went out a week ago: replies are open, some already in.
    _send_invitations(conference, invited_at=timezone.now() - dt.timedelta(days=7))
    reminders.schedule_replies(conference)
    reminders.schedule_duties(conference)
    for code, topic, due in (
        ("STC", "Giải pháp nâng cao chỉ số thành phần về cải cách tài chính công", today + dt.timedelta(days=7)),
        (
            communes[0].code,
            "Kinh nghiệm giải quyết thủ tục hành chính không phụ thuộc địa giới",
            day - dt.timedelta(days=4),
        ),
    ):
        if code in units:
            submission_services.assignment_save(
                actor=organiser,
                assignment=Assignment(
                    conference=conference,
                    order=1,
                    topic=topic,
                    agency=units[code],
                    programme_item=slot,
                    guidance="Tối đa 05 trang; nêu số liệu cụ thể của quý.",
                    due_date=due,
                ),
            )
    return conference
