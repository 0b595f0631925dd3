"""The audit trail: one row per change, written by the service (bulk writes
included), with who, when, what, before and after and the client's address;
read in Vietnamese by administrators (everything) and organisers (their
province)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies import services as directory
from agencies.models import Agency, AgencyKind
from conferences import services as conferences
from conferences.models import ConferenceStatus, InviteeLine
from conferences.workflows import CONFERENCE, DUTY_ASSIGNMENT, PLAN
from core import audit
from core.models import AuditEntry
from documents.workflows import DOCUMENT
from indices.workflows import ASSESSMENT
from submissions.workflows import PRESENTATION

from .conftest import client_for
from .factories import AgencyFactory, ConferenceFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_every_action_written_has_a_vietnamese_label():
    """What the code writes (literal codes, and each workflow's steps) is
    named in the viewer, never shown as a raw code."""
    written = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    for workflow in (CONFERENCE, PLAN, DUTY_ASSIGNMENT, DOCUMENT, ASSESSMENT, PRESENTATION):
        written |= {f"{workflow.name}.{t.name}" for t in workflow.transitions}
    written |= {f"{prefix}.{part}" for prefix in ("conference.part",) for part in conferences.PARTS}
    written |= {f"plan.part.{part}" for part in ("basis", "duties")}
    written |= {f"assessment.{kind}.{round}" for kind in ("scores", "import") for round in ("self", "appraised")}
    written |= {
        f"{model}.{verb}" for model in ("agency", "person", "province", "user") for verb in ("create", "update")
    }
    missing = sorted(code for code in written if code not in audit.ACTIONS)
    assert missing == []


def test_an_agency_saved_on_its_page_is_audited_with_before_after_and_address(organiser, lang_son):
    agency = AgencyFactory(province=lang_son, code="STP", name="Sở Tư pháp tỉnh Lạng Sơn")
    client = client_for(organiser)
    data = {"code": "STP", "name": "Sở Tư pháp", "short_name": agency.short_name, "kind": AgencyKind.DEPARTMENT}
    response = client.post(reverse("agencies:agency-update", args=[agency.pk]), data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="agency.update")
    assert (entry.actor, entry.province_id, entry.client_ip) == (organiser, lang_son.pk, "10.1.2.3")
    assert entry.before == {"name": "Sở Tư pháp tỉnh Lạng Sơn"} and entry.after == {"name": "Sở Tư pháp"}


def test_the_client_address_behind_our_proxy_is_the_forwarded_one(settings, organiser, lang_son):
    settings.TRUSTED_PROXY_COUNT = 1
    agency = AgencyFactory(province=lang_son, code="STP", name="Sở Tư pháp")
    data = {"code": "STP", "name": "Sở Tư pháp tỉnh", "short_name": "STP", "kind": AgencyKind.DEPARTMENT}
    client_for(organiser).post(
        reverse("agencies:agency-update", args=[agency.pk]),
        data,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    # One proxy of ours appended the last hop: that is the client it saw.
    assert AuditEntry.objects.get(action="agency.update").client_ip == "198.51.100.7"


def test_sending_invitations_is_audited_as_the_step_and_the_bulk_freeze(organiser, lang_son):
    conference = ConferenceFactory(province=lang_son, venue="Hội trường")
    for n in range(3):
        AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name=f"UBND xã Thử {n}")
    InviteeLine.objects.create(conference=conference, text="Chủ tịch UBND các xã", target="group", group_kinds=["xa"])
    conferences.conference_invite(actor=organiser, conference=conference)
    step = AuditEntry.objects.get(action="conference.invite")
    assert step.before["status"] == ConferenceStatus.DRAFT and step.after["status"] == ConferenceStatus.INVITED
    freeze = AuditEntry.objects.get(action="conference.invitations_freeze")
    assert (freeze.count, freeze.province_id) == (3, lang_son.pk)


def test_a_refused_change_leaves_no_audit_row(organiser, lang_son):
    conference = ConferenceFactory(province=lang_son, date=None)
    with pytest.raises(Exception):  # noqa: B017, PT011 — Refused: no content, no time
        conferences.conference_plan(actor=organiser, conference=conference)
    assert not AuditEntry.objects.exists()


def test_a_directory_import_is_one_row_with_its_count(lang_son):
    text = "Mã đơn vị,Tên đơn vị,Loại đơn vị\nA,UBND xã A,Xã\nB,UBND xã B,Xã\n"
    directory.directory_import(actor=None, kind="agencies", province=lang_son, name="x.csv", data=text.encode())
    entry = AuditEntry.objects.get(action="directory_import.apply")
    assert entry.actor_name == "Hệ thống" and entry.after["summary"]["create"] == 2
    assert Agency.objects.filter(province=lang_son).count() == 2


def test_the_viewer_shows_an_organiser_their_province_only_in_vietnamese(organiser, other_organiser, lang_son):
    mine = AgencyFactory(province=lang_son, name="Sở Xây dựng")
    theirs = AgencyFactory(province=other_organiser.province, name="Sở Xây dựng Lào Cai")
    for actor, agency in ((organiser, mine), (other_organiser, theirs)):
        agency.phone = "0205.3812.345"
        directory.agency_save(actor=actor, agency=agency)
    page = client_for(organiser).get(reverse("core:audit")).content.decode()
    assert "Sửa đơn vị" in page and "Sở Xây dựng" in page
    assert "Sở Xây dựng Lào Cai" not in page
    assert ">agency.update<" not in page.replace(" ", "").replace("\n", "")


def test_the_viewer_filters_one_rows_history(organiser, lang_son):
    a = AgencyFactory(province=lang_son, name="Sở Công Thương")
    b = AgencyFactory(province=lang_son, name="Sở Y tế")
    for agency in (a, b):
        agency.email = "vp@so.example"
        directory.agency_save(actor=organiser, agency=agency)
    response = client_for(organiser).get(reverse("core:audit") + f"?doi_tuong=agencies.agency:{a.pk}")
    assert [e.object_repr for e in response.context["entries"]] == ["Sở Công Thương"]


def test_officials_and_leaders_may_not_read_the_trail(official, leader):
    for user in (official, leader):
        assert client_for(user).get(reverse("core:audit")).status_code == 403


def test_the_admin_cannot_change_a_conference_and_saves_agencies_through_the_service(administrator, lang_son):
    conference = ConferenceFactory(province=lang_son)
    client = Client()
    client.force_login(administrator)
    url = reverse("admin:conferences_conference_change", args=[conference.pk])
    assert client.post(url, {"title": "Sửa qua admin", "status": "concluded"}).status_code == 403
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.DRAFT
    agency = AgencyFactory(province=lang_son, code="SXD", name="Sở Xây dựng", kind=AgencyKind.DEPARTMENT)
    response = client.post(
        reverse("admin:agencies_agency_change", args=[agency.pk]),
        {
            "province": lang_son.pk,
            "code": "SXD",
            "name": "Sở Xây dựng tỉnh",
            "kind": AgencyKind.DEPARTMENT,
            "short_name": agency.short_name,
            # Every inline posts its management form, read-only or not.
            **{
                f"{prefix}-{name}": 0
                for prefix in ("people", "succeeded_by", "members")
                for name in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="agency.update")
    assert entry.actor == administrator and entry.after == {"name": "Sở Xây dựng tỉnh"}


def test_audit_rows_are_stamped_now(organiser, lang_son):
    agency = AgencyFactory(province=lang_son)
    agency.address = "Số 1 đường Hùng Vương"
    before = timezone.now()
    directory.agency_save(actor=organiser, agency=agency)
    assert AuditEntry.objects.get().created_at >= before
