"""The calendar drives the state, with the clock moved (time-machine): after
the event day replies close for officials and the organiser is asked to
mark it held; a conference past its date and not held, or past the time it
was planned for ("dự kiến trước 31/3/2026"), is flagged on its page and the
homes; nothing that disappears does so without saying why; check-in opens
on the day or as early as the organiser allows. Each home lists what its
menu pages would show as pending."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind, Role
from conferences import services
from conferences.models import ConferenceStatus, Delegate
from core.exceptions import Refused
from core.formatting import latest_date_in
from indices.models import Assessment, Framework, Publication

from .conftest import _staff_of, client_for
from .factories import AgencyFactory, ConferenceFactory, InviteeLineFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 29)


def at(day: dt.date, hour: int = 9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def commune(lang_son):
    return AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name="UBND xã Lịch Thử")


@pytest.fixture
def commune_official(commune):
    return UserFactory(role=Role.OFFICIAL, agency=commune, username="lich.canbo")


@pytest.fixture
def invited(lang_son, organiser, commune):
    with time_machine.travel(at(DAY - dt.timedelta(days=20)), tick=False):
        conference = ConferenceFactory(
            province=lang_son,
            issuing_authority=organiser.agency,
            focal_agency=organiser.agency,
            date=DAY,
            reply_deadline=DAY - dt.timedelta(days=3),
        )
        InviteeLineFactory(conference=conference, group_kinds=["xa"])
        return services.conference_invite(actor=organiser, conference=conference)


@pytest.mark.parametrize(
    "note, last",
    [
        ("Dự kiến trước 31/3/2026", dt.date(2026, 3, 31)),
        ("Dự kiến tháng 5 năm 2026", dt.date(2026, 5, 31)),
        ("Quý II/2026", dt.date(2026, 6, 30)),
        ("6 tháng đầu năm 2025", dt.date(2025, 6, 30)),
        ("Trong năm 2024", dt.date(2024, 12, 31)),
        ("Thời gian thông báo sau", None),
    ],
)
def test_a_planned_time_is_read_as_its_last_day(note, last):
    assert latest_date_in(note) == last


def test_replies_close_after_the_reply_deadline_and_say_why(invited, commune, commune_official, organiser):
    invitation = invited.invitations.get(agency=commune)
    official = client_for(commune_official)
    with time_machine.travel(at(DAY - dt.timedelta(days=4)), tick=False):
        assert invited.replies_open and invited.replies_closed_reason == ""
        assert invitation in [i for i in _home(official, "invitations")]
    with time_machine.travel(at(DAY - dt.timedelta(days=2)), tick=False):
        assert not invited.replies_open
        assert "Đã qua hạn trả lời 26/5/2026" in invited.replies_closed_reason
        with pytest.raises(Refused, match="hết hạn xác nhận"):
            services.invitation_reply(actor=commune_official, invitation=invitation, reply="declined", delegates=[])
        assert _home(official, "invitations") == []  # the home no longer asks for it
        board = client_for(organiser).get(reverse("conferences:board", args=[invited.pk])).content.decode()
        assert "Nhắc ngay" not in board and "Đã qua hạn trả lời" in board
        # The organiser may still answer on the agency's behalf.
        services.invitation_reply(
            actor=organiser,
            invitation=invitation,
            reply="attending",
            delegates=[{"full_name": "Lò Văn A", "position": "Chủ tịch", "phone": "", "email": ""}],
        )


def test_after_the_day_the_organiser_is_asked_to_mark_it_held(invited, organiser, lang_son):
    leader = _staff_of(lang_son, Role.LEADER, kind=AgencyKind.PROVINCIAL_COMMITTEE, code="UBND", name="UBND")
    with time_machine.travel(at(DAY - dt.timedelta(days=1)), tick=False):
        with pytest.raises(Refused, match="chưa đến ngày"):
            services.conference_mark_held(actor=organiser, conference=invited)
    with time_machine.travel(at(DAY), tick=False):
        assert invited.overdue_step == ""  # the day itself is not late
    with time_machine.travel(at(DAY + dt.timedelta(days=1)), tick=False):
        assert "Đã qua ngày tổ chức 29/5/2026 nhưng chưa ghi nhận đã tổ chức" in invited.overdue_step
        home = client_for(organiser).get("/").content.decode()
        assert "Hội nghị trễ so với lịch" in home and "Ghi nhận đã tổ chức" in home
        assert "Hội nghị trễ so với lịch" in client_for(leader).get("/").content.decode()
        page = client_for(organiser).get(reverse("conferences:detail", args=[invited.pk])).content.decode()
        assert "chưa ghi nhận đã tổ chức" in page
        response = client_for(organiser).post(reverse("conferences:transition", args=[invited.pk, "da-to-chuc"]))
        assert response.status_code == 302
        invited.refresh_from_db()
        assert invited.status == ConferenceStatus.HELD and invited.overdue_step == ""
        assert "Hội nghị trễ so với lịch" not in client_for(organiser).get("/").content.decode()


def test_a_conference_planned_for_a_past_time_is_flagged(lang_son, organiser):
    conference = ConferenceFactory(
        province=lang_son, issuing_authority=organiser.agency, date=None, schedule_note="Dự kiến trước 31/3/2026"
    )
    with time_machine.travel(at(dt.date(2026, 3, 31)), tick=False):
        assert conference.overdue_step == ""
    with time_machine.travel(at(dt.date(2026, 12, 1)), tick=False):
        assert "“Dự kiến trước 31/3/2026” đã qua" in conference.overdue_step
        assert "Dự kiến trước 31/3/2026" in client_for(organiser).get("/").content.decode()


def test_check_in_opens_on_the_day_or_the_window_the_organiser_set(invited, commune, organiser):
    invitation = invited.invitations.get(agency=commune)
    services.invitation_reply(
        actor=organiser,
        invitation=invitation,
        reply="attending",
        delegates=[{"full_name": "Lò Văn A", "position": "Chủ tịch", "phone": "", "email": ""}],
    )
    delegate = Delegate.objects.get(invitation=invitation)
    with time_machine.travel(at(DAY - dt.timedelta(days=1)), tick=False):
        with pytest.raises(Refused, match="29/5/2026"):
            services.delegate_check_in(actor=organiser, delegate=delegate)
        invited.checkin_days_before = 1
        invited.save(update_fields=["checkin_days_before"])
        delegate.invitation.conference.refresh_from_db()
        services.delegate_check_in(actor=organiser, delegate=Delegate.objects.get(pk=delegate.pk))
    assert Delegate.objects.get(pk=delegate.pk).checked_in_at is not None


def _home(client, name):
    return list(client.get("/").context[name])


def test_the_homes_list_what_the_pages_have_pending(lang_son, commune, commune_official, organiser):
    framework = Framework.objects.create(
        code="PAR-XA", index="par", year=2025, subject=Framework.Subject.COMMUNE, name="PAR INDEX cấp xã", maximum=100
    )
    assessment = Assessment.objects.create(framework=framework, agency=commune)
    official = client_for(commune_official)
    home = official.get("/").content.decode()
    assert "Tự đánh giá chỉ số cần làm" in home and reverse("indices:self", args=[assessment.pk]) in home

    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    assert "Tự đánh giá chỉ số cần làm" not in official.get("/").content.decode()
    organiser_home = client_for(organiser).get("/").content.decode()
    assert "Tự đánh giá chờ thẩm định" in organiser_home and "UBND xã Lịch Thử" in organiser_home

    leader = _staff_of(lang_son, Role.LEADER, kind=AgencyKind.PROVINCIAL_COMMITTEE, code="UBND", name="UBND")
    assert "Chưa công bố kết quả chỉ số" in client_for(leader).get("/").content.decode()
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.PUBLISHED)
    publication = Publication.objects.create(province=lang_son, year=2025)
    publication.frameworks.add(framework)
    leader_home = client_for(leader).get("/").content.decode()
    assert "Kết quả năm 2025" in leader_home and reverse("indices:ranking", args=[framework.pk]) in leader_home


def test_a_conference_held_long_ago_without_conclusions_is_flagged(invited, organiser):
    with time_machine.travel(at(DAY), tick=False):
        services.conference_mark_held(actor=organiser, conference=invited)
    invited.refresh_from_db()
    with time_machine.travel(at(DAY + dt.timedelta(days=30)), tick=False):
        assert invited.overdue_step == ""
    with time_machine.travel(at(DAY + dt.timedelta(days=31)), tick=False):
        assert "quá 30 ngày mà chưa có kết luận" in invited.overdue_step
        assert "chưa có kết luận" in client_for(organiser).get("/").content.decode()
