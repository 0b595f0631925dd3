"""Every list and detail page asks the same number of queries whatever the
number of its rows (the pretalx way): each test loads a page with one row
(or one related row), then with three, and the counts must be equal. A page
that asks one more query per row is marked xfail, strict, with what grows:
when its N+1 is fixed the mark must go. Panels of detail pages, lists
downloaded as spreadsheets and the edit pages that print every row of a
list as a form are held to the same rule."""

from __future__ import annotations

import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import AgencyKind
from conferences.reminders import scope_of

from . import factories as f
from .conftest import client_for

pytestmark = pytest.mark.django_db


class QueryCountGrew(AssertionError):
    """The page asked more queries with more rows. Strict xfails expect only
    this, so a page that breaks in another way still fails."""


def page_queries(client, url: str, shown: list[str]) -> list[str]:
    """The SQL of one GET of `url`, after a first GET that fills what a
    process keeps between requests (content types, cached figures), so both
    counts compare like with like. The page must answer 200 and show `shown`."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    page = response.content.decode()
    missing = [text for text in shown if text not in page]
    assert not missing, f"{url} does not show {missing}"
    return [query["sql"] for query in context.captured_queries]


def _shape(sql: str) -> str:
    return re.sub(r"\d+", "N", sql)


def assert_same_count(one: list[str], three: list[str]) -> None:
    if len(one) != len(three):
        grown = Counter(map(_shape, three)) - Counter(map(_shape, one))
        extra = "\n".join(f"  +{n} × {sql[:300]}" for sql, n in grown.items())
        raise QueryCountGrew(f"{len(one)} queries with 1 row, {len(three)} with 3:\n{extra}")


def assert_flat(client, url: str, add) -> None:
    """`add(i)` puts the i-th row on the page and returns what the page shows of it."""
    shown = [add(0)]
    one = page_queries(client, url, shown)
    shown += [add(1), add(2)]
    three = page_queries(client, url, shown)
    assert_same_count(one, three)


def n_plus_one(what: str):
    return pytest.mark.xfail(strict=True, raises=QueryCountGrew, reason=f"N+1: {what}")


def param(name: str, *, grows: str = ""):
    """A parametrised case, xfail (strict) when its page grows with `grows`."""
    return pytest.param(name, id=name, marks=[n_plus_one(grows)] if grows else [])


# --- Home dashboards ------------------------------------------------------------------------


def test_home_organiser_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        conference = f.ConferenceFactory(province=lang_son, status="planned", title=f"Hội nghị tổng kết số {i}")
        f.DutyAssignmentFactory(duty=f.DutyFactory(conference=conference, task=f"Chuẩn bị báo cáo số {i}"))
        f.DirectoryImportFactory(province=lang_son, created_by=organiser, original_name=f"danh-ba-{i}.csv")
        f.PresentationFactory(
            assignment=f.AssignmentFactory(conference=conference, topic=f"Tham luận chuyển đổi số {i}"),
            status="submitted",
        )
        return conference.title

    assert_flat(client_for(organiser), reverse("home"), add)


def test_home_official_queries_do_not_grow_with_rows(official, lang_son):
    agency = official.agency

    def add(i):
        invitation = f.InvitationFactory(
            conference__province=lang_son, conference__title=f"Hội nghị công bố chỉ số số {i}", agency=agency
        )
        f.DutyAssignmentFactory(
            duty=f.DutyFactory(conference=invitation.conference, lead_agency=agency, task=f"Rà soát tiêu chí số {i}")
        )
        f.PresentationFactory(
            assignment=f.AssignmentFactory(
                conference=invitation.conference, agency=agency, topic=f"Tham luận tài chính công số {i}"
            )
        )
        f.PersonFactory(agency=agency, full_name=f"Đồng nghiệp số {i}")
        return invitation.conference.title

    assert_flat(client_for(official), reverse("home"), add)


def test_home_leader_queries_do_not_grow_with_rows(leader, lang_son):
    def add(i):
        conference = f.ConferenceFactory(province=lang_son, status="planned", title=f"Hội nghị triển khai số {i}")
        f.DutyAssignmentFactory(duty=f.DutyFactory(conference=conference, task=f"Tổng hợp ý kiến số {i}"))
        return conference.title

    assert_flat(client_for(leader), reverse("home"), add)


def test_home_administrator_queries_do_not_grow_with_rows(administrator):
    def add(i):
        item = f.DirectoryImportFactory(original_name=f"danh-ba-tinh-{i}.csv")
        f.AgencyFactory(province=item.province)
        return item.original_name

    assert_flat(client_for(administrator), reverse("home"), add)


# --- Audit trail ----------------------------------------------------------------------------


def test_audit_list_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        conference = f.ConferenceFactory(province=lang_son, title=f"Hội nghị được sửa số {i}")
        return f.AuditEntryFactory(target=conference, actor=organiser).object_repr

    assert_flat(client_for(organiser), reverse("core:audit"), add)


# --- Directory --------------------------------------------------------------------------------


def test_agency_list_queries_do_not_grow_with_rows(organiser, lang_son):
    parent = f.AgencyFactory(province=lang_son, name="UBND tỉnh Lạng Sơn", kind=AgencyKind.PROVINCIAL_COMMITTEE)

    def add(i):
        agency = f.AgencyFactory(province=lang_son, parent=parent, name=f"UBND xã Tân Phong {i}", kind="xa")
        f.PersonFactory(agency=agency)
        return agency.name

    assert_flat(client_for(organiser), reverse("agencies:agency-list"), add)


def test_person_list_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        return f.PersonFactory(agency__province=lang_son, full_name=f"Lê Thị Thu {i}").full_name

    assert_flat(client_for(organiser), reverse("agencies:person-list"), add)


@pytest.mark.parametrize(
    "related", [param("people"), param("children"), param("predecessors"), param("successors"), param("members")]
)
def test_agency_detail_queries_do_not_grow_with_related_rows(organiser, lang_son, related):
    kind = AgencyKind.COUNCIL if related == "members" else AgencyKind.COMMUNE
    agency = f.AgencyFactory(province=lang_son, name="UBND xã Tân Phong", kind=kind)

    def add(i):
        if related == "successors":
            new = f.AgencyFactory(province=lang_son, name=f"UBND xã Tân Phong mới {i}", kind=AgencyKind.COMMUNE)
            return f.SuccessionFactory(predecessor=agency, successor=new).successor.name
        if related == "members":
            return f.BodyMemberFactory(body=agency, person__full_name=f"Thành viên số {i}").person.full_name
        if related == "people":
            return f.PersonFactory(agency=agency, full_name=f"Trần Văn Hải {i}").full_name
        if related == "children":
            return f.AgencyFactory(province=lang_son, parent=agency, name=f"Trường Tiểu học Tân Phong {i}").name
        old = f.AgencyFactory(province=lang_son, name=f"UBND xã Tân Phong cũ {i}", kind=AgencyKind.COMMUNE)
        f.SuccessionFactory(predecessor=old, successor=agency)
        return old.name

    assert_flat(client_for(organiser), reverse("agencies:agency-detail", args=[agency.pk]), add)


def test_directory_import_history_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        return f.DirectoryImportFactory(
            province=lang_son, created_by=organiser, original_name=f"danh-ba-don-vi-{i}.csv"
        ).original_name

    assert_flat(client_for(organiser), reverse("agencies:import"), add)


def test_directory_import_preview_queries_do_not_grow_with_file_rows(organiser, lang_son):
    client = client_for(organiser)
    one = f.DirectoryImportFactory(province=lang_son, created_by=organiser, rows=1)
    three = f.DirectoryImportFactory(province=lang_son, created_by=organiser, rows=3)
    shown = ["Sở Tư pháp tỉnh Lạng Sơn"]
    assert_same_count(
        page_queries(client, reverse("agencies:import-preview", args=[one.pk]), shown),
        page_queries(
            client, reverse("agencies:import-preview", args=[three.pk]), [*shown, "Sở Xây dựng tỉnh Lạng Sơn"]
        ),
    )


# --- Conferences --------------------------------------------------------------------------------


def test_conference_list_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        invitation = f.InvitationFactory(
            conference__province=lang_son, conference__title=f"Hội nghị phân tích chỉ số SIPAS số {i}"
        )
        return invitation.conference.title

    assert_flat(client_for(organiser), reverse("conferences:list"), add)


def _add_to_conference(conference, related: str, i: int) -> str:
    """One more row of `related` on the conference's page; what the page shows of it."""
    province = conference.province
    if related == "basis":
        return f.BasisDocumentFactory(conference=conference, number=f"{30 + i}/KH-UBND").number
    if related == "content":
        return f.ContentItemFactory(conference=conference, text=f"Nội dung thảo luận số {i}").text
    if related == "programme":
        return f.ProgrammeItemFactory(conference=conference, title=f"Phát biểu của đại biểu số {i}").title
    if related == "invitee-lines":
        agency = f.AgencyFactory(province=province, name=f"UBND phường Đông Kinh {i}", kind=AgencyKind.WARD)
        line = f.InviteeLineFactory(
            conference=conference, text=f"Chủ tịch UBND phường số {i}", target="agency", group_kinds=[], agency=agency
        )
        return line.text
    if related == "invitations":
        return f.InvitationFactory(conference=conference, line__text=f"Đại diện lãnh đạo xã số {i}").line.text
    if related == "duties":
        duty = f.DutyFactory(conference=conference, task=f"Hoàn thiện tài liệu hội nghị số {i}")
        f.DutyAssignmentFactory(duty=duty)
        duty.coordinating.add(f.AgencyFactory(province=province, name=f"Sở Tài chính phối hợp {i}"))
        return duty.task
    if related == "awards":
        return f.AwardFactory(conference=conference, agency__name=f"UBND xã Hợp Thành {i}").agency.name
    if related == "changes":
        return f.InviteeChangeFactory(conference=conference, reason=f"Bổ sung đơn vị mới thành lập số {i}").reason
    if related == "documents":
        document = f.DocumentFactory(source=conference, title=f"Kế hoạch tổ chức hội nghị số {i}")
        return document.symbol_display
    if related == "presentations":
        assignment = f.AssignmentFactory(conference=conference, topic=f"Tham luận cải cách thủ tục số {i}")
        f.PresentationFactory(assignment=assignment, status="submitted")
        # The detail page's panel counts them; the board lists them by agency.
        return assignment.agency.name if conference.status == "invited" else "Chờ xem xét"
    if related == "delegates":
        return f.DelegateFactory(invitation__conference=conference, full_name=f"Hoàng Văn Sơn {i}").full_name
    raise AssertionError(related)


@pytest.mark.parametrize(
    "related",
    [
        param("basis"),
        param("content"),
        param("programme"),
        param("invitee-lines"),
        param("invitations"),
        param("duties"),
        param("awards"),
        param("changes"),
        param("documents"),
        param("presentations"),
    ],
)
def test_conference_detail_queries_do_not_grow_with_related_rows(organiser, lang_son, related):
    status = "invited" if related in ("invitations", "changes") else "draft"
    conference = f.ConferenceFactory(province=lang_son, status=status)
    url = reverse("conferences:detail", args=[conference.pk])
    assert_flat(client_for(organiser), url, lambda i: _add_to_conference(conference, related, i))


@pytest.mark.parametrize("related", [param("delegates"), param("duties"), param("presentations")])
def test_conference_board_queries_do_not_grow_with_related_rows(organiser, lang_son, related):
    conference = f.ConferenceFactory(province=lang_son, status="invited")
    url = reverse("conferences:board", args=[conference.pk])
    assert_flat(client_for(organiser), url, lambda i: _add_to_conference(conference, related, i))


def test_conference_checkin_queries_do_not_grow_with_delegates(organiser, lang_son):
    conference = f.ConferenceFactory(province=lang_son, status="invited")
    url = reverse("conferences:checkin", args=[conference.pk])
    assert_flat(client_for(organiser), url, lambda i: _add_to_conference(conference, "delegates", i))


def test_delegate_card_queries_do_not_grow_with_the_invitation_delegates(organiser, lang_son):
    delegate = f.DelegateFactory(invitation__conference__province=lang_son, full_name="Nguyễn Thị Hạnh")

    def add(i):
        if i:  # the card shows one delegate: the others of the agency must cost nothing
            f.DelegateFactory(invitation=delegate.invitation, full_name=f"Đại biểu cùng đơn vị {i}")
        return delegate.full_name

    assert_flat(client_for(organiser), reverse("conferences:checkin-token", args=[delegate.token]), add)


def _add_reminder(scope: str, i: int) -> str:
    """An e-mail sent for an item of `scope`, and a reminder still to go."""
    item = f.DeadlineItemFactory(scope=scope, agency_name=f"UBND xã Yên Bình {i}")
    f.ReminderStepFactory(item=item)
    message = f.MessageFactory(
        channel="email", scope=scope, item=item, email=f"xa-yen-binh-{i}@cchc.example", user=None, created_by=None
    )
    return message.email


def test_conference_reminders_queries_do_not_grow_with_messages(organiser, lang_son):
    conference = f.ConferenceFactory(province=lang_son, status="planned")
    url = reverse("conferences:reminders", args=[conference.pk])
    assert_flat(client_for(organiser), url, lambda i: _add_reminder(scope_of(conference), i))


def test_plan_reminders_queries_do_not_grow_with_messages(organiser, lang_son):
    plan = f.ImprovementPlanFactory(province=lang_son, status="active")
    url = reverse("conferences:plan-reminders", args=[plan.pk])
    assert_flat(client_for(organiser), url, lambda i: _add_reminder(scope_of(plan), i))


def test_invitation_list_queries_do_not_grow_with_rows(official, lang_son):
    def add(i):
        invitation = f.InvitationFactory(
            conference__province=lang_son, conference__title=f"Hội nghị sơ kết số {i}", agency=official.agency
        )
        f.DelegateFactory(invitation=invitation)
        return invitation.conference.title

    assert_flat(client_for(official), reverse("conferences:invitation-list"), add)


@pytest.mark.parametrize("related", [param("delegates"), param("content"), param("programme"), param("awards")])
def test_invitation_reply_queries_do_not_grow_with_related_rows(official, lang_son, related):
    invitation = f.InvitationFactory(
        conference__province=lang_son, agency=official.agency, reply="attending", replied_at=timezone.now()
    )
    conference = invitation.conference

    def add(i):
        if related == "delegates":
            return f.DelegateFactory(invitation=invitation, full_name=f"Phạm Thị Ngọc {i}").full_name
        return _add_to_conference(conference, related, i)

    assert_flat(client_for(official), reverse("conferences:invitation-reply", args=[invitation.pk]), add)


def test_my_duties_queries_do_not_grow_with_rows(official, lang_son):
    def add(i):
        duty = f.DutyFactory(
            conference__province=lang_son,
            conference__status="planned",
            lead_agency=official.agency,
            task=f"Báo cáo tiến độ giải ngân số {i}",
        )
        return f.DutyAssignmentFactory(duty=duty).duty.task

    assert_flat(client_for(official), reverse("conferences:my-duties"), add)


def test_duty_assignment_queries_do_not_grow_with_updates(official, lang_son):
    assignment = f.DutyAssignmentFactory(duty__conference__province=lang_son, duty__lead_agency=official.agency)

    def add(i):
        return f.DutyUpdateFactory(assignment=assignment, author=official, note=f"Đã hoàn thành bước {i}").note

    assert_flat(client_for(official), reverse("conferences:assignment", args=[assignment.pk]), add)


def test_plan_list_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        plan = f.ImprovementPlanFactory(province=lang_son, title=f"Kế hoạch nâng cao chỉ số số {i}")
        f.DutyAssignmentFactory(duty=f.DutyFactory(for_plan=True, plan=plan))
        return plan.title

    assert_flat(client_for(organiser), reverse("conferences:plan-list"), add)


@pytest.mark.parametrize("related", [param("duties"), param("basis"), param("documents")])
def test_plan_detail_queries_do_not_grow_with_related_rows(organiser, lang_son, related):
    plan = f.ImprovementPlanFactory(province=lang_son, status="active")

    def add(i):
        if related == "duties":
            duty = f.DutyFactory(for_plan=True, plan=plan, task=f"Khắc phục tiêu chí bị mất điểm số {i}")
            f.DutyAssignmentFactory(duty=duty)
            return duty.task
        if related == "basis":
            return f.BasisDocumentFactory(for_plan=True, plan=plan, number=f"{60 + i}/KH-UBND").number
        return f.DocumentFactory(source=plan, doc_type="KH", title=f"Kế hoạch số {i}").symbol_display

    assert_flat(client_for(organiser), reverse("conferences:plan-detail", args=[plan.pk]), add)


# --- Documents ----------------------------------------------------------------------------------


def test_document_list_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        return f.DocumentFactory(province=lang_son, title=f"Mời dự hội nghị chuyên đề số {i}").title

    assert_flat(client_for(organiser), reverse("documents:list"), add)


@pytest.mark.parametrize("related", [param("sections"), param("replacements")])
def test_document_detail_queries_do_not_grow_with_related_rows(organiser, lang_son, related):
    document = f.DocumentFactory(
        province=lang_son, source=f.ConferenceFactory(province=lang_son), issued=related == "replacements"
    )

    def add(i):
        if related == "sections":
            return f.SectionFactory(document=document, text=f"Nội dung mục số {i}").text
        replacement = f.DocumentFactory(province=lang_son, replaces=document, issuer=document.issuer)
        return reverse("documents:detail", args=[replacement.pk])  # the page links each replacement

    assert_flat(client_for(organiser), reverse("documents:detail", args=[document.pk]), add)


# --- Presentations ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["official", "organiser"])
def test_presentation_list_queries_do_not_grow_with_rows(request, lang_son, who):
    user = request.getfixturevalue(who)
    agency = request.getfixturevalue("official").agency

    def add(i):
        presentation = f.PresentationFactory(
            assignment__conference__province=lang_son,
            assignment__agency=agency,
            assignment__topic=f"Giải pháp số hóa hồ sơ số {i}",
        )
        f.VersionFactory(presentation=presentation)
        return presentation.assignment.topic

    assert_flat(client_for(user), reverse("submissions:list"), add)


def test_presentation_detail_queries_do_not_grow_with_versions(official, organiser, lang_son):
    presentation = f.PresentationFactory(
        assignment__conference__province=lang_son, assignment__agency=official.agency, status="revision"
    )

    def add(i):
        version = f.VersionFactory(
            presentation=presentation, uploaded_by=official, original_name=f"tham-luan-lan-{i + 1}.pdf"
        )
        f.ReviewFactory(version=version, actor=organiser, comment=f"Bổ sung số liệu lần {i + 1}")
        presentation.current_version = version
        presentation.save(update_fields=["current_version"])
        return version.original_name

    assert_flat(client_for(official), reverse("submissions:detail", args=[presentation.pk]), add)


def test_conference_presentations_queries_do_not_grow_with_assignments(organiser, lang_son):
    conference = f.ConferenceFactory(province=lang_son, status="planned")

    def add(i):
        assignment = f.AssignmentFactory(conference=conference, topic=f"Tham luận về Chỉ số SIPAS số {i}")
        f.VersionFactory(presentation__assignment=assignment)
        return assignment.topic

    assert_flat(client_for(organiser), reverse("submissions:conference", args=[conference.pk]), add)


# --- Indices ------------------------------------------------------------------------------------


@pytest.fixture
def framework():
    """The departments' PAR INDEX 2025 with two fields."""
    framework = f.FrameworkFactory(name="Chỉ số CCHC các sở, ban, ngành", year=2025, maximum=Decimal("20.00"))
    f.CriterionFactory(framework=framework, code="1", order=1, name="Công tác chỉ đạo, điều hành CCHC")
    f.CriterionFactory(framework=framework, code="2", order=2, name="Cải cách thủ tục hành chính")
    return framework


def appraised(framework, agency, total="15.50"):
    """A published result of `agency`, each field scored below its maximum."""
    assessment = f.AssessmentFactory(framework=framework, agency=agency, status="published", total=Decimal(total))
    for criterion in framework.criteria.all():
        f.ScoreFactory(assessment=assessment, criterion=criterion, value=Decimal("7.75"))
    return assessment


def department(province, i):
    return f.AgencyFactory(province=province, name=f"Sở Khoa học và Công nghệ số {i}", kind=AgencyKind.DEPARTMENT)


def test_indices_home_queries_do_not_grow_with_frameworks(organiser, lang_son):
    def add(i):
        framework = f.FrameworkFactory(year=2023 + i, name=f"Chỉ số CCHC các sở năm thứ {i}")
        appraised(framework, department(lang_son, i))
        f.NationalResultFactory(province=lang_son, year=2022 + i, entered_by=organiser)
        return framework.name

    assert_flat(client_for(organiser), reverse("indices:home"), add)


def test_national_results_queries_do_not_grow_with_rows(organiser, lang_son):
    def add(i):
        result = f.NationalResultFactory(
            province=lang_son, year=2022 + i, source=f"Quyết định số {100 + i}/QĐ-BNV", entered_by=organiser
        )
        return result.source

    assert_flat(client_for(organiser), reverse("indices:national"), add)


@pytest.mark.parametrize("page", ["indices:framework", "indices:ranking", "indices:analysis"])
def test_framework_pages_queries_do_not_grow_with_assessments(organiser, lang_son, framework, page):
    f.ResponsibilityFactory(province=lang_son, framework_code=framework.code, code="2", agency=organiser.agency)

    def add(i):
        # Loss totals differ per agency, so the analysis lists each one.
        agency = department(lang_son, i)
        appraised(framework, agency, total=f"{15 + i}.50")
        return agency.name if page != "indices:analysis" else framework.name

    assert_flat(client_for(organiser), reverse(page, args=[framework.pk]), add)


def test_framework_detail_queries_do_not_grow_with_criteria(organiser, lang_son):
    framework = f.FrameworkFactory(year=2025)
    f.AssessmentFactory(framework=framework, agency=department(lang_son, 0))

    def add(i):
        return f.CriterionFactory(framework=framework, name=f"Tiêu chí thành phần số {i}").name

    assert_flat(client_for(organiser), reverse("indices:framework", args=[framework.pk]), add)


def test_publication_queries_do_not_grow_with_frameworks(organiser, lang_son):
    publication = f.PublicationFactory(province=lang_son, published_by=organiser, frameworks=[])

    def add(i):
        framework = f.FrameworkFactory(year=2025, name=f"Chỉ số CCHC nhóm {i}")
        publication.frameworks.add(framework)
        f.DocumentFactory(province=lang_son, source=publication, doc_type="QĐ", title=f"Công bố nhóm {i}")
        return framework.name

    assert_flat(client_for(organiser), reverse("indices:publication", args=[publication.pk]), add)


def test_assessment_queries_do_not_grow_with_scores(official, lang_son):
    framework = f.FrameworkFactory(year=2025)
    assessment = f.AssessmentFactory(framework=framework, agency=official.agency, status="appraised")

    def add(i):
        criterion = f.CriterionFactory(framework=framework, name=f"Lĩnh vực đánh giá số {i}")
        f.ScoreFactory(assessment=assessment, criterion=criterion, round="self", value=Decimal("8.00"))
        f.ScoreFactory(assessment=assessment, criterion=criterion, value=Decimal("7.50"))
        return criterion.name

    assert_flat(client_for(official), reverse("indices:assessment", args=[assessment.pk]), add)


# --- Notifications ------------------------------------------------------------------------------


def test_inbox_queries_do_not_grow_with_notifications(official):
    def add(i):
        return f.MessageFactory(user=official, subject=f"Nhắc hạn gửi tham luận số {i}").subject

    assert_flat(client_for(official), reverse("notifications:inbox"), add)


# --- Panels of detail pages ---------------------------------------------------------------------


def test_document_files_panel_queries_do_not_grow_with_sections(organiser, lang_son):
    document = f.DocumentFactory(province=lang_son)

    def add(i):
        f.SectionFactory(document=document)
        return "PDF"

    assert_flat(client_for(organiser), reverse("documents:files", args=[document.pk]), add)


def test_document_batch_panel_queries_do_not_grow_with_copies(organiser, lang_son):
    batch = f.RenderBatchFactory(document__province=lang_son, created_by=organiser, total=3)
    url = reverse("documents:batch", args=[batch.document.pk, batch.pk])
    client = client_for(organiser)
    f.RenderedFileFactory(batch=batch, addressee="UBND xã Đồng Tâm", status="done")
    one = page_queries(client, url, ["Đã tạo 1/3 bản"])
    for name in ("UBND xã Quang Trung", "UBND xã Thống Nhất"):
        f.RenderedFileFactory(batch=batch, addressee=name, status="done")
    assert_same_count(one, page_queries(client, url, ["Đã tạo 3/3 bản"]))


# --- Lists as spreadsheets ----------------------------------------------------------------------


def sheet_queries(client, url: str, shown: list[str]) -> list[str]:
    """As page_queries, for a list downloaded as a spreadsheet: its first
    sheet must hold `shown`."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    missing = [text for text in shown if text not in cells]
    assert not missing, f"{url} does not hold {missing}"
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("name", ["agencies:agency-export", "agencies:person-export", "conferences:board-xlsx"])
def test_directory_and_delegate_sheets_queries_do_not_grow_with_rows(organiser, lang_son, name):
    conference = f.ConferenceFactory(province=lang_son, status="invited")
    url = reverse(name, args=[conference.pk]) if name == "conferences:board-xlsx" else reverse(name)

    def add(i):
        delegate = f.DelegateFactory(invitation__conference=conference, full_name=f"Đỗ Văn Quý {i}")
        return {
            "agencies:agency-export": delegate.invitation.agency.name,
            "agencies:person-export": f.PersonFactory(agency=delegate.invitation.agency).full_name,
            "conferences:board-xlsx": delegate.full_name,
        }[name]

    shown = [add(0)]
    one = sheet_queries(client_for(organiser), url, shown)
    shown += [add(1), add(2)]
    assert_same_count(one, sheet_queries(client_for(organiser), url, shown))


def test_results_sheet_queries_do_not_grow_with_assessments(organiser, lang_son, framework):
    client = client_for(organiser)
    url = reverse("indices:export", args=[framework.pk])
    shown = [appraised(framework, department(lang_son, 0)).agency.name]
    one = sheet_queries(client, url, shown)
    shown += [appraised(framework, department(lang_son, i)).agency.name for i in (1, 2)]
    assert_same_count(one, sheet_queries(client, url, shown))


# --- Pages that list a row's parts for editing ----------------------------------------------------
# Not list or detail pages, but they print every row of a list as a form:
# each row's selects are where queries per row hide.


@pytest.mark.parametrize(
    "part, related",
    [
        pytest.param("can-cu", "basis", id="basis"),
        pytest.param("noi-dung", "content", id="content"),
        pytest.param("chuong-trinh", "programme", id="programme"),
        pytest.param(
            "thanh-phan",
            "invitee-lines",
            id="invitee-lines",
        ),
        pytest.param(
            "nhiem-vu",
            "duties",
            id="duties",
        ),
        pytest.param("khen-thuong", "awards", id="awards"),
    ],
)
def test_conference_part_form_queries_do_not_grow_with_rows(organiser, lang_son, part, related):
    conference = f.ConferenceFactory(province=lang_son)
    url = reverse("conferences:part", args=[conference.pk, part])
    assert_flat(client_for(organiser), url, lambda i: _add_to_conference(conference, related, i))


@pytest.mark.parametrize(
    "part",
    [
        pytest.param("can-cu", id="basis"),
        pytest.param(
            "nhiem-vu",
            id="duties",
        ),
    ],
)
def test_plan_part_form_queries_do_not_grow_with_rows(organiser, lang_son, part):
    plan = f.ImprovementPlanFactory(province=lang_son)

    def add(i):
        if part == "can-cu":
            return f.BasisDocumentFactory(for_plan=True, plan=plan, number=f"{80 + i}/KH-UBND").number
        duty = f.DutyFactory(for_plan=True, plan=plan, task=f"Nâng cao chất lượng giải quyết hồ sơ số {i}")
        f.DutyAssignmentFactory(duty=duty)
        duty.coordinating.add(f.AgencyFactory(province=lang_son, name=f"Sở Y tế phối hợp {i}"))
        return duty.task

    assert_flat(client_for(organiser), reverse("conferences:plan-part", args=[plan.pk, part]), add)


def test_document_edit_queries_do_not_grow_with_sections(organiser, lang_son):
    document = f.DocumentFactory(province=lang_son)

    def add(i):
        return f.SectionFactory(document=document, text=f"Nội dung dự thảo mục {i}").text

    assert_flat(client_for(organiser), reverse("documents:edit", args=[document.pk]), add)


@pytest.mark.parametrize("name, who", [("indices:self", "official"), ("indices:appraise", "organiser")])
def test_score_form_queries_do_not_grow_with_criteria(request, official, lang_son, name, who):
    framework = f.FrameworkFactory(year=2025)
    assessment = f.AssessmentFactory(framework=framework, agency=official.agency)

    def add(i):
        criterion = f.CriterionFactory(framework=framework, name=f"Tiêu chí tự chấm số {i}")
        f.ScoreFactory(assessment=assessment, criterion=criterion, round="self", value=Decimal("6.00"))
        return criterion.name

    user = request.getfixturevalue(who)
    assert_flat(client_for(user), reverse(name, args=[assessment.pk]), add)


def test_responsibilities_form_queries_do_not_grow_with_criteria(organiser, lang_son):
    framework = f.FrameworkFactory(year=2025)

    def add(i):
        criterion = f.CriterionFactory(framework=framework, name=f"Lĩnh vực phân công số {i}")
        f.ResponsibilityFactory(province=lang_son, framework_code=framework.code, code=criterion.code)
        return criterion.name

    assert_flat(client_for(organiser), reverse("indices:responsibilities", args=[framework.pk]), add)
