"""Time and place "to be announced": the plan prints it, the invitations
wait for it, and fixing them once the plan is issued drafts the Thông báo."""

from __future__ import annotations

import pytest

from conferences.selectors import line_expansions
from conferences.services.conferences import conference_plan, conference_save, invite_problems
from core.formatting import vn_date, vn_weekday
from core.models import AuditEntry
from documents.models import Document

from .conftest import client_for
from .factories import ConferenceFactory, ContentItemFactory, DocumentFactory, InviteeLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_conference(lang_son):
    conference = ConferenceFactory(
        province=lang_son,
        time_tba=True,
        venue_tba=True,
        schedule_note="Dự kiến trong tháng 12/2026",
        venue="",
    )
    ContentItemFactory(conference=conference)
    InviteeLineFactory(
        conference=conference,
        text="Thủ trưởng các sở, ban, ngành tỉnh",
        target="agency",
        agency=conference.focal_agency,
    )
    return conference


def announcements(conference):
    return Document.objects.filter(object_id=conference.pk, purpose="announcement")


def fix(conference, actor):
    conference.time_tba = conference.venue_tba = False
    conference.schedule_note = ""
    conference.venue = "Hội trường UBND tỉnh"
    return conference_save(actor=actor, conference=conference)


def test_the_plan_goes_ahead_while_the_invitations_wait(open_conference, organiser):
    conference_plan(actor=organiser, conference=open_conference)
    problems = invite_problems(open_conference, line_expansions(open_conference))
    assert any("thông báo sau" in str(p) for p in problems)
    response = client_for(organiser).post(f"/hoi-nghi/{open_conference.pk}/soan/ke-hoach/")
    plan = Document.objects.get(pk=int(response.url.strip("/").split("/")[1]))
    text = "\n".join(s.text for s in plan.sections.all())
    assert "Thời gian: Dự kiến trong tháng 12/2026 (thời gian cụ thể có thông báo sau)." in text
    assert "Địa điểm tổ chức: (địa điểm cụ thể có thông báo sau)." in text  # no "Tại" before nothing


def test_fixing_them_before_the_plan_is_issued_drafts_nothing(open_conference, organiser):
    DocumentFactory(source=open_conference, purpose="plan", doc_type="KH")  # still a draft
    fix(open_conference, organiser)
    assert not announcements(open_conference).exists()


def test_fixing_them_after_the_plan_is_issued_drafts_the_announcement_once(open_conference, organiser):
    DocumentFactory(source=open_conference, purpose="plan", doc_type="KH", issued=True)
    fix(open_conference, organiser)
    announcement = announcements(open_conference).get()
    assert announcement.doc_type == "TB" and announcement.status == Document.Status.DRAFT
    text = "\n".join(s.text for s in announcement.sections.all())
    day = open_conference.date
    assert f"ngày {vn_date(day)} ({vn_weekday(day)})" in text
    assert "Hội trường UBND tỉnh" in text and "Thủ trưởng các sở, ban, ngành tỉnh" in text
    assert "thông báo sau" not in text
    assert AuditEntry.objects.filter(action="conference.update", object_id=str(open_conference.pk)).exists()
    # Saving again (a double click, a later edit) drafts no second one.
    conference_save(actor=organiser, conference=open_conference)
    assert announcements(open_conference).count() == 1
    assert not invite_problems(open_conference, line_expansions(open_conference))


def test_no_announcement_nor_invitation_goes_out_while_they_are_open(open_conference, organiser):
    from conferences.drafting import draft_announcement, draft_invitation
    from core.exceptions import Refused
    from documents.checks import run_checks
    from documents.services import document_redraft

    with pytest.raises(Refused, match="thông báo sau"):
        draft_announcement(actor=organiser, conference=open_conference)
    invitation = draft_invitation(actor=organiser, conference=open_conference)
    assert any("còn ghi “thông báo sau”" in p for p in run_checks(invitation))
    fix(open_conference, organiser)
    document_redraft(actor=organiser, document=invitation)
    assert not [p for p in run_checks(invitation) if "thông báo sau" in p]
