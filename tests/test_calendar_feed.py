"""Each user's private calendar address: made on their page, read by a
calendar app without a session, parsed back with icalendar; it lists their
conferences and what they are reminded of, follows the data as it changes,
and stops working once renewed or withdrawn."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agencies.models import Role
from api import feeds, services
from api.models import CalendarFeed
from conferences.models import ConferenceStatus
from core.models import AuditEntry
from notifications.services import Recipient, deadline_done, deadline_set

from .conftest import client_for
from .factories import ConferenceFactory, InvitationFactory, UserFactory, future

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(lang_son):
    """A commune's official whose commune is invited to a conference, with a
    reply due; another province's conference the same week."""
    invitation = InvitationFactory(conference__province=lang_son, conference__title="Hội nghị sơ kết CCHC 2026")
    official = UserFactory(role=Role.OFFICIAL, agency=invitation.agency, full_name="Lục Thị Mai")
    deadline_set(
        key=f"conferences.invitation:{invitation.pk}",
        scope=f"conferences.conference:{invitation.conference_id}",
        due_at=timezone.make_aware(dt.datetime.combine(future(10), dt.time(17))),
        what="Xác nhận tham dự",
        context=invitation.conference.title,
        link=reverse("conferences:invitation-reply", args=[invitation.pk]),
        recipients=[Recipient(email="mai@xa.example", name="Lục Thị Mai", user_id=official.pk)],
    )
    return {"invitation": invitation, "official": official}


def path(url: str) -> str:
    """The feed's absolute address (as the user copies it) as the test client asks it."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def read(url: str) -> Calendar:
    response = Client().get(path(url))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, dict]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_a_user_makes_their_address_on_their_page_and_a_calendar_reads_it(invited, lao_cai):
    official = invited["official"]
    ConferenceFactory(province=lao_cai, title="Hội nghị của tỉnh khác", date=future(12), status="invited")
    page = client_for(official)
    assert "Tạo địa chỉ lịch" in page.get(reverse("calendar-page")).content.decode()
    page.post(reverse("calendar-page"), {"action": "reset"})
    feed = CalendarFeed.objects.get(user=official)
    shown = page.get(reverse("calendar-page")).content.decode()
    url = feeds.feed_url(feed)
    assert url in shown

    calendar = read(url)
    rows = events(calendar)
    conference = invited["invitation"].conference
    entry = rows[f"conference-{conference.pk}@cchc-portal"]
    assert str(entry["summary"]) == "Hội nghị sơ kết CCHC 2026"
    assert entry.decoded("dtstart") == conference.starts_at
    deadline = rows[f"deadline-conferences.invitation:{invited['invitation'].pk}@cchc-portal"]
    assert str(deadline["summary"]) == "Hạn: Xác nhận tham dự"
    assert str(deadline["url"]).endswith(reverse("conferences:invitation-reply", args=[invited["invitation"].pk]))
    assert len(rows) == 2  # nothing of another province, nothing of others
    # Each TZID it names comes with its VTIMEZONE (RFC 5545), for Outlook.
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert AuditEntry.objects.filter(action="api.feed_reset").count() == 1


def test_the_feed_follows_the_data(invited):
    feed = services.feed_reset(actor=invited["official"])
    conference = invited["invitation"].conference
    conference.venue = "Hội trường B, UBND tỉnh"
    conference.save()
    deadline_done(keys=[f"conferences.invitation:{invited['invitation'].pk}"])
    rows = events(read(feeds.feed_url(feed)))
    assert str(rows[f"conference-{conference.pk}@cchc-portal"]["location"]).startswith("Hội trường B, UBND tỉnh")
    done = rows[f"deadline-conferences.invitation:{invited['invitation'].pk}@cchc-portal"]
    assert str(done["summary"]).startswith("Đã xong")
    conference.status = ConferenceStatus.CANCELLED
    conference.save()
    assert f"conference-{conference.pk}@cchc-portal" not in events(read(feeds.feed_url(feed)))


def test_a_renewed_or_withdrawn_address_stops_working(invited):
    official = invited["official"]
    first = feeds.feed_url(services.feed_reset(actor=official))
    second = feeds.feed_url(services.feed_reset(actor=official))
    assert Client().get(path(first)).status_code == 404
    assert Client().get(path(second)).status_code == 200
    client_for(official).post(reverse("calendar-page"), {"action": "revoke"})
    assert Client().get(path(second)).status_code == 404
    assert AuditEntry.objects.filter(action="api.feed_revoke").count() == 1


def test_a_forged_or_deactivated_address_is_refused(invited):
    official = invited["official"]
    feed = services.feed_reset(actor=official)
    forged = reverse("calendar-feed", args=[f"{feed.nonce.hex}:khongphaichuky"])
    assert Client().get(forged).status_code == 404
    official.is_active = False
    official.save()
    assert Client().get(reverse("calendar-feed", args=[feeds.feed_key(feed)])).status_code == 404
