"""Conferences: every transition and refusal, group expansion and freezing,
replies within quota, duties, check-in, exports, plans, scoping."""

import datetime as dt
import re
import subprocess
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind, Role
from conferences import services
from conferences.models import (
    Conference,
    ConferenceStatus,
    ContentItem,
    Delegate,
    Duty,
    DutyAssignment,
    ImprovementPlan,
    Invitation,
    InviteeChange,
    InviteeLine,
)
from core.exceptions import Refused
from core.forms import formset_rows

from . import presentation_files as files
from .factories import AgencyFactory, ConferenceFactory, InviteeLineFactory, UserFactory, future

pytestmark = pytest.mark.django_db
S = ConferenceStatus


@pytest.fixture
def communes(lang_son):
    return [AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name=f"UBND xã Thử {i}") for i in range(3)]


@pytest.fixture
def conference(lang_son, organiser, communes):
    conference = ConferenceFactory(province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency)
    ContentItem.objects.create(conference=conference, order=1, text="Báo cáo phân tích kết quả chỉ số.")
    InviteeLineFactory(
        conference=conference, group_kinds=["xa", "phuong"], quota=2, quota_text="Lãnh đạo và 01 công chức"
    )
    return conference


@pytest.fixture
def invited(conference, organiser):
    return services.conference_invite(actor=organiser, conference=conference)


def commune_official(agency, name="xa"):
    return UserFactory(role=Role.OFFICIAL, agency=agency, username=f"{name}.{agency.pk}")


# --- Transitions ---------------------------------------------------------------------------


def test_plan_requires_content_and_a_time(lang_son, organiser):
    conference = ConferenceFactory(province=lang_son, date=None)
    with pytest.raises(Refused) as refused:
        services.conference_plan(actor=organiser, conference=conference)
    assert "Hãy nhập ít nhất một nội dung hội nghị." in refused.value.reasons
    assert "Hãy nhập ngày tổ chức, ghi chú thời gian dự kiến, hoặc đánh dấu “thông báo sau”." in refused.value.reasons
    conference.schedule_note = "Dự kiến trước ngày 31/3/2026"
    conference.save(update_fields=["schedule_note"])  # the step checks the row as stored, locked
    ContentItem.objects.create(conference=conference, text="Công bố chỉ số.")
    assert services.conference_plan(actor=organiser, conference=conference).status == S.PLANNED
    with pytest.raises(Refused):
        services.conference_plan(actor=organiser, conference=conference)


def test_invite_refused_without_invitees_date_or_venue(lang_son, organiser):
    conference = ConferenceFactory(province=lang_son, date=None, venue="")
    with pytest.raises(Refused) as refused:
        services.conference_invite(actor=organiser, conference=conference)
    assert set(refused.value.reasons) >= {
        "Hãy nhập ngày tổ chức trước khi gửi giấy mời.",
        "Hãy nhập địa điểm trước khi gửi giấy mời.",
        "Chưa có thành phần mời nào.",
    }
    conference.refresh_from_db()
    assert conference.status == S.DRAFT and not conference.invitations.exists()


def test_invite_refused_when_a_group_resolves_to_nothing(lang_son, organiser):
    conference = ConferenceFactory(province=lang_son)
    InviteeLineFactory(conference=conference, text="Giám đốc các đặc khu", group_kinds=["dac_khu"])
    with pytest.raises(Refused) as refused:
        services.conference_invite(actor=organiser, conference=conference)
    assert "Thành phần “Giám đốc các đặc khu” không ứng với đơn vị nào trong danh bạ." in refused.value.reasons


def test_invite_refused_when_a_deadline_is_not_before_the_day(conference, organiser):
    Duty.objects.create(
        conference=conference, lead_agency=organiser.agency, task="Chuẩn bị tài liệu", due_date=conference.date
    )
    conference.reply_deadline = conference.date + dt.timedelta(days=1)
    conference.save()
    with pytest.raises(Refused) as refused:
        services.conference_invite(actor=organiser, conference=conference)
    assert any(r.startswith("Hạn của nhiệm vụ “Chuẩn bị tài liệu”") for r in refused.value.reasons)
    assert any(r.startswith("Hạn xác nhận tham dự") for r in refused.value.reasons)


def test_invite_refused_for_a_past_date(conference, organiser):
    conference.date = timezone.localdate() - dt.timedelta(days=1)
    conference.save()
    with pytest.raises(Refused, match="Ngày tổ chức đã qua."):
        services.conference_invite(actor=organiser, conference=conference)


def test_invite_freezes_the_group(invited, communes, lang_son):
    assert invited.status == S.INVITED and invited.invited_at
    assert set(invited.invitations.values_list("agency", flat=True)) == {a.pk for a in communes}
    assert set(invited.invitations.values_list("quota", flat=True)) == {2}
    # A commune created afterwards is not invited: the list is frozen.
    AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name="UBND xã Mới")
    assert invited.invitations.count() == 3
    with pytest.raises(Refused, match="Giấy mời đã được gửi"):
        services.conference_invite(
            actor=UserFactory(role=Role.ORGANISER, agency=invited.focal_agency, username="o2"), conference=invited
        )


def test_group_follows_the_directory_until_invitations_go_out(conference, lang_son):
    from conferences.selectors import invitee_lines_with_agencies

    ((_, before),) = invitee_lines_with_agencies(conference)
    assert len(before) == 3
    ward = AgencyFactory(province=lang_son, kind=AgencyKind.WARD, name="UBND phường Mới")
    closed = AgencyFactory(
        province=lang_son, kind=AgencyKind.COMMUNE, name="UBND xã Đã sáp nhập", active_to=dt.date(2025, 6, 30)
    )
    ((_, after),) = invitee_lines_with_agencies(conference)
    assert ward in after and closed not in after and len(after) == 4


def test_a_line_in_another_province_is_refused(conference, lao_cai):
    line = InviteeLine(
        conference=conference, text="Sở Nội vụ Lào Cai", target="agency", agency=AgencyFactory(province=lao_cai)
    )
    with pytest.raises(Exception) as error:
        line.full_clean()
    assert "Cơ quan phải thuộc tỉnh của hội nghị." in str(error.value)


def test_held_only_on_or_after_the_day(invited, organiser):
    with pytest.raises(Refused, match="Hội nghị chưa đến ngày tổ chức."):
        services.conference_mark_held(actor=organiser, conference=invited)
    invited.date = timezone.localdate()
    invited.save()
    assert services.conference_mark_held(actor=organiser, conference=invited).status == S.HELD


def test_held_refused_before_invitations(conference, organiser):
    with pytest.raises(Refused):
        services.conference_mark_held(actor=organiser, conference=conference)


def test_conclude_requires_held_and_text(invited, organiser):
    with pytest.raises(Refused, match="Chỉ hội nghị đã tổ chức mới được kết luận."):
        services.conference_conclude(actor=organiser, conference=invited, conclusions="Kết luận")
    invited.status = S.HELD
    invited.save()
    with pytest.raises(Refused, match="Hãy nhập nội dung kết luận."):
        services.conference_conclude(actor=organiser, conference=invited, conclusions="  ")
    done = services.conference_conclude(actor=organiser, conference=invited, conclusions="Giao các sở khắc phục.")
    assert done.status == S.CONCLUDED and done.concluded_at and done.conclusions == "Giao các sở khắc phục."
    with pytest.raises(Refused):
        services.conference_save(actor=organiser, conference=done)


def test_cancel_requires_reason_and_an_open_conference(invited, organiser):
    with pytest.raises(Refused, match="Hãy ghi lý do hủy hội nghị."):
        services.conference_cancel(actor=organiser, conference=invited, reason="")
    cancelled = services.conference_cancel(actor=organiser, conference=invited, reason="Lãnh đạo tỉnh bận công tác.")
    assert cancelled.status == S.CANCELLED and cancelled.cancel_reason == "Lãnh đạo tỉnh bận công tác."
    with pytest.raises(Refused):
        services.conference_cancel(actor=organiser, conference=cancelled, reason="Lần nữa")


def test_transitions_refused_to_officials_and_other_provinces(conference, official, other_organiser):
    for actor in (official, other_organiser):
        with pytest.raises(PermissionDenied):
            services.conference_invite(actor=actor, conference=conference)


def test_saving_dates_after_invitation_rechecks_deadlines(invited, organiser):
    Duty.objects.create(
        conference=invited,
        lead_agency=organiser.agency,
        task="Trình kịch bản",
        due_date=invited.date - dt.timedelta(days=2),
    )
    invited.date = invited.date - dt.timedelta(days=3)
    with pytest.raises(Refused):
        services.conference_save(actor=organiser, conference=invited)
    invited.refresh_from_db()
    assert invited.date == future()


# --- Editing invitees after invitation -------------------------------------------------------


def _lines_formset(conference, data_rows, delete=()):
    from conferences.forms import InviteeLineForm, part_formset

    existing = list(conference.invitee_lines.all())
    data = {
        "rows-TOTAL_FORMS": str(len(existing) + len(data_rows)),
        "rows-INITIAL_FORMS": str(len(existing)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(existing):
        data.update(
            {
                f"rows-{i}-id": str(line.pk),
                f"rows-{i}-order": str(line.order),
                f"rows-{i}-text": line.text,
                f"rows-{i}-target": line.target,
                f"rows-{i}-role": line.role,
                f"rows-{i}-quota": str(line.quota),
            }
        )
        data[f"rows-{i}-group_kinds"] = line.group_kinds
        if line.agency_id:
            data[f"rows-{i}-agency"] = str(line.agency_id)
        if line in delete:
            data[f"rows-{i}-DELETE"] = "on"
    for j, row in enumerate(data_rows, start=len(existing)):
        data.update({f"rows-{j}-{k}": v for k, v in row.items()})
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    formset = part_formset(InviteeLine, InviteeLineForm, "conference")(
        query, instance=conference, prefix="rows", form_kwargs={"province_id": conference.province_id}
    )
    assert formset.is_valid(), formset.errors
    rows, deleted = formset_rows(formset)
    return {"rows": rows, "deleted": deleted}


def test_changing_invitees_after_invitation_needs_a_reason(invited, organiser, lang_son):
    post = AgencyFactory(province=lang_son, kind=AgencyKind.POST, name="Bưu điện tỉnh")
    formset = _lines_formset(
        invited,
        [
            {
                "text": "Giám đốc Bưu điện tỉnh",
                "target": "agency",
                "agency": str(post.pk),
                "role": "delegate",
                "quota": "1",
                "order": "2",
            }
        ],
    )
    with pytest.raises(Refused, match="hãy ghi lý do"):
        services.conference_part_save(actor=organiser, conference=invited, part="invitees", **formset)
    assert invited.invitee_lines.count() == 1
    formset = _lines_formset(
        invited,
        [
            {
                "text": "Giám đốc Bưu điện tỉnh",
                "target": "agency",
                "agency": str(post.pk),
                "role": "delegate",
                "quota": "1",
                "order": "2",
            }
        ],
    )
    services.conference_part_save(
        actor=organiser,
        conference=invited,
        part="invitees",
        **formset,
        reason="Bổ sung theo chỉ đạo của lãnh đạo UBND tỉnh",
    )
    change = InviteeChange.objects.get(conference=invited)
    assert change.reason == "Bổ sung theo chỉ đạo của lãnh đạo UBND tỉnh" and change.actor == organiser
    assert "thêm 1 đơn vị" in change.summary
    assert invited.invitations.filter(agency=post, withdrawn=False).exists()
    # The unchanged group line kept its frozen list.
    assert invited.invitations.filter(withdrawn=False).count() == 4


def test_removing_a_line_after_invitation_withdraws_its_agencies(invited, organiser):
    line = invited.invitee_lines.get()
    formset = _lines_formset(invited, [], delete=[line])
    services.conference_part_save(
        actor=organiser, conference=invited, part="invitees", **formset, reason="Nhầm thành phần"
    )
    assert not invited.invitations.filter(withdrawn=False).exists()
    assert invited.invitations.filter(withdrawn=True).count() == 3


# --- Replies ----------------------------------------------------------------------------------------


def _delegates(n):
    return [
        {"full_name": f"Nguyễn Văn {i}", "position": "Phó Chủ tịch UBND xã", "phone": "0912000000", "email": ""}
        for i in range(n)
    ]


def test_official_replies_with_delegates_within_quota(invited, communes):
    invitation = invited.invitations.get(agency=communes[0])
    official = commune_official(communes[0])
    services.invitation_reply(actor=official, invitation=invitation, reply="attending", delegates=_delegates(2))
    invitation.refresh_from_db()
    assert invitation.reply == "attending" and invitation.replied_by == official and not invitation.replied_on_behalf
    assert list(invitation.delegates.values_list("full_name", flat=True)) == ["Nguyễn Văn 0", "Nguyễn Văn 1"]
    with pytest.raises(Refused, match="tối đa 02 đại biểu"):
        services.invitation_reply(actor=official, invitation=invitation, reply="attending", delegates=_delegates(3))
    assert invitation.delegates.count() == 2


def test_changing_a_reply_keeps_a_delegates_qr_token(invited, communes):
    invitation = invited.invitations.get(agency=communes[0])
    official = commune_official(communes[0])
    services.invitation_reply(actor=official, invitation=invitation, reply="attending", delegates=_delegates(2))
    first = invitation.delegates.first()
    rows = [{"id": first.pk, "full_name": "Nguyễn Văn Sửa", "position": "Chủ tịch UBND xã"}]
    services.invitation_reply(actor=official, invitation=invitation, reply="attending", delegates=rows)
    (kept,) = invitation.delegates.all()
    assert kept.token == first.token and kept.full_name == "Nguyễn Văn Sửa"
    services.invitation_reply(actor=official, invitation=invitation, reply="declined", delegates=rows)
    assert not invitation.delegates.exists()


def test_attending_needs_a_delegate(invited, communes):
    invitation = invited.invitations.get(agency=communes[0])
    with pytest.raises(Refused, match="ít nhất 01 đại biểu"):
        services.invitation_reply(
            actor=commune_official(communes[0]), invitation=invitation, reply="attending", delegates=[]
        )


def test_nobody_replies_for_another_agency_or_province(invited, communes, official, other_organiser):
    invitation = invited.invitations.get(agency=communes[0])
    for actor in (commune_official(communes[1]), official, other_organiser):
        with pytest.raises(PermissionDenied):
            services.invitation_reply(actor=actor, invitation=invitation, reply="declined", delegates=[])


def test_organiser_replies_on_behalf_and_it_is_recorded(invited, communes, organiser):
    invitation = invited.invitations.get(agency=communes[1])
    services.invitation_reply(
        actor=organiser, invitation=invitation, reply="declined", note="Báo qua điện thoại", delegates=[]
    )
    invitation.refresh_from_db()
    assert (
        invitation.replied_on_behalf
        and invitation.replied_by == organiser
        and invitation.reply_note == "Báo qua điện thoại"
    )


def test_reply_closed_after_the_deadline_for_officials(invited, communes, organiser):
    invited.reply_deadline = timezone.localdate() - dt.timedelta(days=1)
    invited.save()
    invitation = invited.invitations.get(agency=communes[0])
    with pytest.raises(Refused, match="Đã hết hạn xác nhận tham dự"):
        services.invitation_reply(
            actor=commune_official(communes[0]), invitation=invitation, reply="declined", delegates=[]
        )
    services.invitation_reply(actor=organiser, invitation=invitation, reply="declined", delegates=[])


def test_reply_page_scoping(client, invited, communes, other_organiser):
    invitation = invited.invitations.get(agency=communes[0])
    url = reverse("conferences:invitation-reply", args=[invitation.pk])
    client.force_login(commune_official(communes[1]))
    assert client.get(url).status_code == 404
    assert client.post(url, {"reply": "declined"}).status_code == 404
    client.force_login(other_organiser)
    assert client.get(url).status_code == 404
    client.force_login(commune_official(communes[0], name="own"))
    assert client.get(url).status_code == 200


def test_reply_page_posts_delegates(client, invited, communes):
    invitation = invited.invitations.get(agency=communes[0])
    client.force_login(commune_official(communes[0]))
    url = reverse("conferences:invitation-reply", args=[invitation.pk])
    data = {
        "reply": "attending",
        "note": "",
        "delegates-TOTAL_FORMS": "3",
        "delegates-INITIAL_FORMS": "0",
        "delegates-MIN_NUM_FORMS": "0",
        "delegates-MAX_NUM_FORMS": "2",
    }
    for i in range(3):
        data.update({f"delegates-{i}-full_name": f"Người {i}", f"delegates-{i}-position": "Công chức"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "tối đa 2" in response.content.decode() or "tối đa 02" in response.content.decode()
    assert not invitation.delegates.exists()
    data["delegates-TOTAL_FORMS"] = "2"
    response = client.post(url, data)
    assert response.status_code == 302
    assert invitation.delegates.count() == 2
    page = client.get(url).content.decode()
    assert "data:image/svg+xml" in page  # each delegate's check-in QR code


# --- Check-in ---------------------------------------------------------------------------------------


@pytest.fixture
def attending(invited, communes):
    invitation = invited.invitations.get(agency=communes[0])
    services.invitation_reply(
        actor=commune_official(communes[0]), invitation=invitation, reply="attending", delegates=_delegates(2)
    )
    # Then the day comes: check-in opens.
    Conference.objects.filter(pk=invited.pk).update(date=timezone.localdate())
    return Invitation.objects.get(pk=invitation.pk)


def test_check_in_opens_on_the_day_or_the_window_the_organiser_set(attending, organiser):
    delegate = attending.delegates.first()
    Conference.objects.filter(pk=attending.conference_id).update(date=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(Refused, match="Điểm danh mở từ ngày"):
        services.delegate_check_in(actor=organiser, delegate=delegate)
    Conference.objects.filter(pk=attending.conference_id).update(checkin_days_before=2)
    assert services.delegate_check_in(actor=organiser, delegate=delegate).checked_in_at is not None


def test_replies_close_for_officials_once_the_day_has_passed(invited, communes):
    Conference.objects.filter(pk=invited.pk).update(
        date=timezone.localdate() - dt.timedelta(days=1), reply_deadline=None
    )
    invitation = Invitation.objects.get(conference=invited, agency=communes[0])
    with pytest.raises(Refused, match="hết hạn xác nhận|không còn nhận trả lời"):
        services.invitation_reply(
            actor=commune_official(communes[0]), invitation=invitation, reply="attending", delegates=_delegates(1)
        )


def test_check_in_is_idempotent_and_undoable(attending, organiser):
    delegate = attending.delegates.first()
    first = services.delegate_check_in(actor=organiser, delegate=delegate)
    again = services.delegate_check_in(actor=organiser, delegate=delegate)
    assert first.checked_in_at == again.checked_in_at and again.checked_in_by == organiser
    assert services.delegate_check_in(actor=organiser, delegate=delegate, present=False).checked_in_at is None


def test_check_in_refused_for_officials_and_declined_agencies(attending, organiser, communes):
    delegate = attending.delegates.first()
    with pytest.raises(PermissionDenied):
        services.delegate_check_in(actor=commune_official(communes[0], name="x2"), delegate=delegate)
    services.invitation_reply(
        actor=organiser,
        invitation=attending,
        reply="attending",
        delegates=[{"id": delegate.pk, "full_name": delegate.full_name, "position": delegate.position}],
    )
    Invitation.objects.filter(pk=attending.pk).update(reply="declined")
    delegate.refresh_from_db()
    with pytest.raises(Refused):
        services.delegate_check_in(actor=organiser, delegate=delegate)


def test_check_in_by_qr_link_and_search(client, attending, organiser, other_organiser):
    delegate = attending.delegates.first()
    client.force_login(organiser)
    page = client.get(reverse("conferences:checkin", args=[attending.conference_id]), {"q": "nguyen van 1"})
    assert "Nguyễn Văn 1" in page.content.decode() and "Nguyễn Văn 0" not in page.content.decode()
    assert client.get(reverse("conferences:checkin-token", args=[delegate.token])).status_code == 200
    response = client.post(
        reverse("conferences:checkin-mark", args=[delegate.token]), {"present": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "1</strong> / 2" in response.content.decode()
    delegate.refresh_from_db()
    assert delegate.checked_in_at is not None
    client.force_login(other_organiser)
    assert client.get(reverse("conferences:checkin-token", args=[delegate.token])).status_code == 404
    assert client.post(reverse("conferences:checkin-mark", args=[delegate.token])).status_code == 404


# --- Duties ----------------------------------------------------------------------------------------


def test_group_duty_gets_one_assignment_per_agency(conference, communes, organiser):
    duty = Duty.objects.create(
        conference=conference,
        lead_kinds=["xa"],
        task="Xây dựng báo cáo tham luận",
        due_date=conference.date - dt.timedelta(days=2),
    )
    services.duty_sync_assignments(duty=duty)
    assert set(duty.assignments.values_list("agency", flat=True)) == {a.pk for a in communes}


def test_lead_official_reports_progress_others_cannot(invited, communes, organiser, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    duty = Duty.objects.create(
        conference=invited,
        lead_agency=communes[0],
        task="Chuẩn bị tham luận",
        due_date=timezone.localdate() - dt.timedelta(days=1),
    )
    services.duty_sync_assignments(duty=duty)
    assignment = duty.assignments.get()
    assert assignment.is_overdue
    with pytest.raises(PermissionDenied):
        services.duty_report(actor=commune_official(communes[1]), assignment=assignment, status="done", note="Xong")
    with pytest.raises(Refused, match="Hãy ghi nội dung"):
        services.duty_report(actor=commune_official(communes[0]), assignment=assignment, status="done", note=" ")
    # A real PDF: uploads are inspected from their bytes (core.uploads).
    upload = SimpleUploadedFile("Báo cáo tham luận.pdf", files.pdf_bytes(), content_type="application/pdf")
    update = services.duty_report(
        actor=commune_official(communes[0], name="lead"),
        assignment=assignment,
        status="done",
        note="Đã gửi tham luận",
        upload=upload,
    )
    assignment.refresh_from_db()
    assert assignment.status == "done" and assignment.completed_at and not assignment.is_overdue
    assert update.original_name == "Báo cáo tham luận.pdf" and "Báo" not in update.file.name


def test_duty_file_download_is_scoped(client, invited, communes, organiser, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    duty = Duty.objects.create(conference=invited, lead_agency=communes[0], task="Báo cáo")
    services.duty_sync_assignments(duty=duty)
    assignment = duty.assignments.get()
    update = services.duty_report(
        actor=organiser,
        assignment=assignment,
        status="in_progress",
        note="Đang làm",
        upload=SimpleUploadedFile("Tiến độ.docx", files.docx_bytes()),
    )
    url = reverse("conferences:duty-file", args=[assignment.pk, update.pk])
    client.force_login(commune_official(communes[0]))
    response = client.get(url)
    assert (
        response.status_code == 200
        and "filename*=utf-8''Ti%E1%BA%BFn%20%C4%91%E1%BB%99.docx" in response["Content-Disposition"]
    )
    client.force_login(commune_official(communes[1]))
    assert client.get(url).status_code == 404


# --- Pages, scoping, exports --------------------------------------------------------------------------


def test_nobody_reaches_another_provinces_conference(client, invited, other_organiser):
    client.force_login(other_organiser)
    for name in (
        "conferences:detail",
        "conferences:board",
        "conferences:checkin",
        "conferences:ics",
        "conferences:board-xlsx",
        "conferences:update",
    ):
        assert client.get(reverse(name, args=[invited.pk])).status_code == 404, name
    assert client.post(reverse("conferences:transition", args=[invited.pk, "da-to-chuc"])).status_code == 404


def test_leader_reads_but_cannot_change(client, invited, leader):
    client.force_login(leader)
    page = client.get(reverse("conferences:detail", args=[invited.pk])).content.decode()
    assert invited.title in page and "Sửa thông tin" not in page
    assert client.get(reverse("conferences:board", args=[invited.pk])).status_code == 200
    assert client.get(reverse("conferences:update", args=[invited.pk])).status_code == 403
    assert client.post(reverse("conferences:transition", args=[invited.pk, "da-to-chuc"])).status_code == 403
    invited.refresh_from_db()
    assert invited.status == S.INVITED


def test_official_sees_own_invitations_only(client, invited, communes):
    client.force_login(commune_official(communes[0]))
    assert client.get(reverse("conferences:list")).status_code == 302
    assert client.get(reverse("conferences:detail", args=[invited.pk])).status_code == 404
    page = client.get(reverse("conferences:invitation-list")).content.decode()
    assert invited.title in page
    ics = client.get(reverse("conferences:ics", args=[invited.pk]))
    assert ics.status_code == 200


def test_ics_describes_the_conference(client, invited, organiser):
    client.force_login(organiser)
    from icalendar import Calendar

    calendar = Calendar.from_ical(client.get(reverse("conferences:ics", args=[invited.pk])).content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == invited.title
    assert event["dtstart"].dt == timezone.make_aware(dt.datetime.combine(invited.date, dt.time(14, 0)))
    assert "Hội trường UBND tỉnh" in str(event["location"])
    assert str(event["uid"]) == f"conference-{invited.pk}@cchc-portal"


def test_delegate_xlsx_and_attendance_pdf(client, attending, organiser, tmp_path):
    import io

    from openpyxl import load_workbook

    client.force_login(organiser)
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("conferences:board-xlsx", args=[attending.conference_id])).content)
    )
    rows = [r for r in workbook.active.iter_rows(values_only=True)]
    assert ("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Điện thoại", "Thư điện tử", "Có mặt lúc") in rows
    assert (1, "Nguyễn Văn 0", "Phó Chủ tịch UBND xã", attending.agency.name, "0912000000", None, None) in rows
    pdf = client.get(reverse("conferences:attendance-pdf", args=[attending.conference_id])).content
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "DANH SÁCH ĐẠI BIỂU" in text and "Nguyễn Văn 1" in text and "Ký tên" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    faces = fonts.splitlines()[2:]
    # Every font a Times-compatible face, embedded as a subset with its Unicode map.
    assert faces and all(re.search(r"\+(Tinos|LiberationSerif|TimesNewRoman)", f) for f in faces), fonts
    assert all(" yes yes yes " in f for f in faces), fonts


def test_attendance_pdf_repeats_its_header_on_every_page(attending, tmp_path):
    """The fixed layout the sheet is written in for speed still prints a
    Nghị định 30 list: A4, the header row on each page, every delegate with a
    row for their signature; and the collector paused for the render is back."""
    import gc

    from conferences import exporting

    Delegate.objects.bulk_create(
        Delegate(invitation=attending, order=n, full_name=f"Trần Thị {n}", position="Công chức", phone="0912000000")
        for n in range(2, 70)
    )
    path = tmp_path / "sheet.pdf"
    path.write_bytes(exporting.attendance_pdf(attending.conference))
    assert gc.isenabled()
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 3
    assert all("Ký tên" in page and "Chức vụ, đơn vị" in page for page in pages)
    assert "Trần Thị 69" in pages[-1] and "Tổng số: 70 đại biểu" in pages[-1]


def _pdf_pages(path, mode="-layout") -> list[str]:
    """The text of each page; "-raw" keeps each cell's lines together, in the
    order they were drawn."""
    text = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_attendance_pdf_prints_what_delegates_typed_as_text(attending, tmp_path):
    """Names go into the sheet as text, never as ReportLab's paragraph markup
    (whose <img> would read a file of the server), whether they fit on one
    line or wrap; accents typed as combining marks print as the letters."""
    from conferences import exporting

    hostile = '<img src="/etc/hostname" width="50" height="50"/> & <b>Lò</b>'
    long_name = "Trần Thị Phương Thảo <font color=red>Nguyễn Hoàng Anh</font> Đặng Quốc Bảo Long"
    Delegate.objects.filter(invitation=attending).delete()
    Delegate.objects.bulk_create(
        [
            Delegate(invitation=attending, order=0, full_name="Lò Văn A", position=hostile, phone="0912000000"),
            Delegate(invitation=attending, order=1, full_name=long_name, position="Công chức", phone="0205 3812 345"),
            Delegate(
                invitation=attending,
                order=2,
                full_name=unicodedata.normalize("NFD", "Hoàng Thị Thuỷ"),
                position="Văn thư",
                phone="0912 000 000 / 0205 3812 345 (máy lẻ 12)",
            ),
        ]
    )
    path = tmp_path / "sheet.pdf"
    path.write_bytes(exporting.attendance_pdf(attending.conference))
    (page,) = _pdf_pages(path, "-raw")
    flat = " ".join(page.split())
    assert '<img src="/etc/hostname" width="50" height="50"/> & <b>Lò</b>' in flat
    assert long_name in flat and long_name not in page  # wrapped over the lines of its cell
    assert "Hoàng Thị Thuỷ" in page  # composed: pdftotext gives back the NFC letters
    assert "0912 000 000 / 0205 3812 345 (máy lẻ 12)" in flat
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 2  # the header of an empty list: no picture in the file


def test_attendance_pdf_without_delegates_says_so(invited, tmp_path):
    from conferences import exporting

    path = tmp_path / "sheet.pdf"
    path.write_bytes(exporting.attendance_pdf(invited))
    (page,) = _pdf_pages(path)
    assert "Chưa có đại biểu đăng ký." in page and "Tổng số: 0 đại biểu" in page


def test_attendance_pdf_numbers_its_pages_after_the_first(attending, tmp_path):
    """Nghị định 30: page numbers at the top centre, from the second page."""
    from conferences import exporting

    Delegate.objects.bulk_create(
        Delegate(invitation=attending, order=n, full_name=f"Trần Thị {n}", position="Công chức", phone="0912000000")
        for n in range(2, 60)
    )
    path = tmp_path / "sheet.pdf"
    path.write_bytes(exporting.attendance_pdf(attending.conference))
    pages = _pdf_pages(path)
    assert len(pages) >= 3
    first_lines = [next(line.strip() for line in page.splitlines() if line.strip()) for page in pages]
    assert first_lines[0] == "DANH SÁCH ĐẠI BIỂU"
    assert first_lines[1:] == [str(n) for n in range(2, len(pages) + 1)]


def _board_with(n, lang_son, organiser):
    conference = ConferenceFactory(province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency)
    agencies = [AgencyFactory(province=lang_son, kind=AgencyKind.WARD, name=f"UBND phường {i}") for i in range(n)]
    InviteeLineFactory(conference=conference, group_kinds=["phuong"], quota=2)
    ContentItem.objects.create(conference=conference, text="Nội dung")
    conference = services.conference_invite(actor=organiser, conference=conference)
    duty = Duty.objects.create(
        conference=conference, lead_kinds=["phuong"], task="Báo cáo", due_date=conference.date - dt.timedelta(days=3)
    )
    services.duty_sync_assignments(duty=duty)
    for agency in agencies:
        invitation = conference.invitations.get(agency=agency)
        services.invitation_reply(actor=organiser, invitation=invitation, reply="attending", delegates=_delegates(2))
    return conference


@pytest.mark.parametrize("size", [1, 3, 30])
def test_board_query_count_does_not_grow(client, django_assert_num_queries, lang_son, organiser, size):
    conference = _board_with(size, lang_son, organiser)
    client.force_login(organiser)
    url = reverse("conferences:board", args=[conference.pk])
    client.get(url)
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("delegate-line") == 2 * size


# 11 for the invitations and duties, 3 for the presentations panel (totals, groups, rows),
# 1 for the unread count in the navigation bar (organisers have notices too).
BOARD_QUERIES = 15


@pytest.mark.parametrize("size", [1, 3, 30])
def test_conference_list_query_count_does_not_grow(client, django_assert_max_num_queries, lang_son, organiser, size):
    for _ in range(size):
        ConferenceFactory(province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency)
    client.force_login(organiser)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("conferences:list"))
    assert response.status_code == 200


def test_board_filters(client, lang_son, organiser):
    conference = _board_with(3, lang_son, organiser)
    first = conference.invitations.order_by("agency__name").first()
    services.invitation_reply(actor=organiser, invitation=first, reply="declined", delegates=[])
    client.force_login(organiser)
    page = client.get(reverse("conferences:board", args=[conference.pk]), {"reply": "declined"}).content.decode()
    assert first.agency.name in page and page.count("Xem, sửa") == 1


# --- Plans ---------------------------------------------------------------------------------------------


def test_plan_activation_needs_duties_and_a_report_deadline(lang_son, organiser, communes):
    plan = ImprovementPlan.objects.create(
        province=lang_son,
        title="Kế hoạch cải thiện PAR INDEX",
        year=2025,
        issuing_authority=organiser.agency,
        focal_agency=organiser.agency,
    )
    with pytest.raises(Refused) as refused:
        services.plan_activate(actor=organiser, plan=plan)
    assert refused.value.reasons == ["Hãy giao ít nhất một nhiệm vụ.", "Hãy nhập hạn báo cáo kết quả."]
    duty = Duty.objects.create(
        plan=plan,
        lead_kinds=["xa"],
        lead_label="Thủ trưởng cơ quan, đơn vị, địa phương",
        task="Rà soát các tiêu chí chưa đạt điểm tối đa",
        due_date=dt.date(2025, 12, 15),
    )
    services.duty_sync_assignments(duty=duty)
    plan.report_deadline = dt.date(2025, 12, 15)
    plan.save()
    assert services.plan_activate(actor=organiser, plan=plan).status == "active"
    official = commune_official(communes[0])
    assignment = DutyAssignment.objects.get(duty=duty, agency=communes[0])
    services.duty_report(actor=official, assignment=assignment, status="done", note="Đã rà soát")
    from conferences.selectors import plan_board_rows

    rows = {row["agency"]: row for row in plan_board_rows(plan)}
    assert rows[communes[0]]["done"] == 1 and rows[communes[1]]["overdue"] == 1
    services.plan_close(actor=organiser, plan=plan)
    with pytest.raises(Refused):
        services.plan_save(actor=organiser, plan=plan)


# --- Demo data from the seeds ----------------------------------------------------------------------


def test_seed_demo_holds_the_three_seed_documents():
    from django.core.management import call_command

    from conferences.models import Conference

    call_command("seed_demo", stdout=__import__("io").StringIO())
    c001 = Conference.objects.get(province__code="lang-son", kind="analyse")
    assert c001.date == dt.date(2026, 5, 29) and c001.weekday == "thứ Sáu" and c001.start_time == dt.time(14, 0)
    assert [line.text for line in c001.invitee_lines.all()][-1] == "Chủ tịch UBND các xã, phường"
    assert c001.invitee_lines.filter(separate_invitation=True).count() == 2
    assert c001.basis_documents.get().citation == "Chương trình công tác tháng 5 năm 2024"
    assert c001.duties.get(lead_agency__code="SNV").due_date == dt.date(2026, 5, 27)
    replies = set(c001.invitations.values_list("reply", flat=True))
    assert replies == {"attending", "declined", "pending"}
    c004 = Conference.objects.get(province__code="lao-cai", issuing_authority__code="UBND")
    assert c004.programme_items.count() == 7 and c004.awards.count() == 5
    assert c004.basis_documents.first().citation.startswith("Kế hoạch số 35/KH-UBND ngày 30/01/2026")
    plan = ImprovementPlan.objects.get(province__code="lai-chau")
    assert plan.report_deadline == dt.date(2025, 12, 15) and "85,97 điểm" in plan.background
    assert plan.duties.filter(lead_agency__code="STC").count() == 7
    assert Delegate.objects.filter(checked_in_at__isnull=False).exists()


def test_refused_check_in_says_why_and_never_leaves_the_site(client, attending, organiser):
    delegate = attending.delegates.first()
    Invitation.objects.filter(pk=attending.pk).update(reply="declined")
    client.force_login(organiser)
    url = reverse("conferences:checkin-mark", args=[delegate.token])
    response = client.post(url, {"present": "1", "next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("conferences:checkin", args=[attending.conference_id])
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["Đại biểu không thuộc đơn vị đã xác nhận tham dự."]
    delegate.refresh_from_db()
    assert delegate.checked_in_at is None


def test_typed_text_shows_on_the_pages_as_it_prints(lang_son, organiser):
    from django.urls import reverse

    from .conftest import client_for
    from .factories import ImprovementPlanFactory

    plan = ImprovementPlanFactory(
        province=lang_son, measures="**Trọng tâm:** cải cách thủ tục\n- *Rà soát* quy trình\n<script>x</script>"
    )
    page = client_for(organiser).get(reverse("conferences:plan-detail", args=[plan.pk])).content.decode()
    assert "<strong>Trọng tâm:</strong>" in page and "<em>Rà soát</em>" in page
    assert "**" not in page and "<script>x" not in page
