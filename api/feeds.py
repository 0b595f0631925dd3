"""Each user's private calendar: their conferences and what they are
reminded of (replies, presentations and duties due), as an iCalendar feed
their phone or Outlook reads again by itself. The address is the user's
nonce signed with the portal's secret; a new one revokes the old."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from conferences.exporting import conference_event, new_calendar

from . import selectors
from .models import CalendarFeed

SALT = "api.calendar-feed"
# How often the last read is written (a phone polls every few minutes).
READ_NOTED_EVERY = dt.timedelta(hours=1)


def feed_key(feed: CalendarFeed) -> str:
    return signing.Signer(salt=SALT).sign(feed.nonce.hex)


def feed_url(feed: CalendarFeed) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("calendar-feed", args=[feed_key(feed)])


def feed_for_key(key: str) -> CalendarFeed | None:
    try:
        nonce = signing.Signer(salt=SALT).unsign(key)
    except signing.BadSignature:
        return None
    feed = CalendarFeed.objects.select_related("user__agency").filter(nonce=nonce).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def calendar_bytes(feed: CalendarFeed) -> bytes:
    """The feed of `feed.user`, read in that user's scope by the caller."""
    user = feed.user
    calendar = new_calendar("Lich rieng")
    calendar.add("x-wr-calname", _("CCHC — lịch của %(name)s") % {"name": user.get_full_name()})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # Clients that honour it read the feed again hourly.
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for conference in selectors.feed_conferences(user):
        if conference.starts_at is None:
            continue
        url = _absolute(reverse("conferences:detail", args=[conference.pk]))
        details = []
        if conference.reply_deadline:
            details.append(_("Hạn xác nhận tham dự: %(day)s") % {"day": conference.reply_deadline.strftime("%d/%m/%Y")})
        calendar.add_component(conference_event(conference, url=url, details=details))
    for item in selectors.feed_deadlines(user):
        event = Event()
        event.add("uid", f"deadline-{item.key}@cchc-portal")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", item.due_at)
        event.add("dtend", item.due_at)
        done = _("Đã xong — ") if item.done_at else ""
        event.add("summary", f"{done}{_('Hạn')}: {item.what}")
        description = [line for line in (item.context, item.detail, item.agency_name) if line]
        if item.link:
            url = _absolute(item.link) if item.link.startswith("/") else item.link
            description.append(url)
            event.add("url", url)
        event.add("description", "\n".join(description))
        event.add("categories", [_("Hạn")])
        calendar.add_component(event)
    # The VTIMEZONE each TZID names (RFC 5545), for clients that do not know it.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def note_read(feed: CalendarFeed) -> None:
    now = timezone.now()
    if feed.last_read_at is None or now - feed.last_read_at > READ_NOTED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
