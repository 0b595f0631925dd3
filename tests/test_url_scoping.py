"""Every URL of the portal, asked with another province's (and another
agency's) ids, answers 403 or 404 and changes nothing.

The table below names, for each URL pattern with a path parameter, how to
fill it with a row of the other province. A pattern added without an entry
makes `test_every_url_with_an_id_is_in_the_table` fail, so a new page cannot
ship without being asked this question."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.models import AgencyKind, DirectoryImport, Role
from conferences.models import (
    ConferenceStatus,
    Delegate,
    Duty,
    DutyAssignment,
    DutyUpdate,
    ImprovementPlan,
    Invitation,
    InviteeLine,
)
from core.models import AuditEntry
from documents.models import Document, RenderBatch, RenderedFile, Section
from indices.models import (
    Adjustment,
    Assessment,
    Criterion,
    Explanation,
    Framework,
    NationalResult,
    Publication,
    Score,
)
from notifications.models import Channel, Message, MessageState
from submissions.models import Assignment, Booklet, Presentation, Version

from . import presentation_files as files
from .conftest import _staff_of, client_for
from .factories import AgencyFactory, ConferenceFactory, PersonFactory, future

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(lao_cai):
    """One of each row a page can name, all in Lào Cai."""
    organiser = _staff_of(lao_cai, Role.ORGANISER, code="SNV-LC", name="Sở Nội vụ")
    agency = AgencyFactory(province=lao_cai, code="STP-LC", name="Sở Tư pháp tỉnh Lào Cai", kind=AgencyKind.DEPARTMENT)
    body = AgencyFactory(province=lao_cai, code="HDTD-LC", name="Hội đồng thẩm định", kind=AgencyKind.COUNCIL)
    person = PersonFactory(agency=agency, full_name="Lò Văn Xa")
    conference = ConferenceFactory(
        province=lao_cai, status=ConferenceStatus.INVITED, invited_at=timezone.now(), created_by=organiser
    )
    line = InviteeLine.objects.create(conference=conference, text="Giám đốc Sở Tư pháp", target="agency", agency=agency)
    invitation = Invitation.objects.create(conference=conference, agency=agency, line=line, reply="attending")
    delegate = Delegate.objects.create(invitation=invitation, full_name="Lò Văn Xa", position="Phó Giám đốc")
    duty = Duty.objects.create(conference=conference, lead_agency=agency, task="Chuẩn bị báo cáo", due_date=future(5))
    assignment = DutyAssignment.objects.create(duty=duty, agency=agency)
    update = DutyUpdate(assignment=assignment, status="in_progress", note="Đang làm", original_name="bao-cao.pdf")
    update.file.save("bao-cao.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    update.save()
    plan = ImprovementPlan.objects.create(
        province=lao_cai, title="Kế hoạch cải thiện chỉ số", issuing_authority=agency, focal_agency=agency, year=2026
    )
    document = Document.objects.create(
        province=lao_cai,
        doc_type="GM",
        issuer=agency,
        issuer_name="SỞ TƯ PHÁP",
        issuer_abbr="STP",
        place="Lào Cai",
        title="Dự hội nghị",
    )
    Section.objects.create(document=document, text="Trân trọng kính mời./.")
    rendered = RenderedFile.objects.create(
        document=document, kind="pdf", content_hash="a" * 64, status="done", file=ContentFile(b"%PDF", name="x.pdf")
    )
    batch = RenderBatch.objects.create(document=document, content_hash="b" * 64, status="done")
    from documents.models import DocumentSigning

    signing_row = DocumentSigning.objects.create(
        document=document,
        signer=PersonFactory(agency=agency, full_name="Người Ký Thử"),
        prepared_file=ContentFile(b"%PDF", name="can-ky.pdf"),
        prepared_sha256="c" * 64,
    )
    framework = Framework.objects.create(
        code="PAR-SO", year=2025, name="Chỉ số CCHC các sở", index="par", subject="department", maximum=Decimal("10")
    )
    criterion = Criterion.objects.create(framework=framework, code="1", name="Chỉ đạo", maximum=Decimal("10"))
    assessment = Assessment.objects.create(framework=framework, agency=agency)
    score = Score(assessment=assessment, criterion=criterion, round="self", value=Decimal("5"), evidence_name="m.pdf")
    score.evidence.save("m.pdf", ContentFile(b"%PDF"), save=False)
    score.save()
    explanation = Explanation(assessment=assessment, criterion=criterion, note="Đã nộp", evidence_name="g.pdf")
    explanation.evidence.save("g.pdf", ContentFile(b"%PDF"), save=False)
    explanation.save()
    adjustment = Adjustment(assessment=assessment, kind="bonus", points=Decimal("0.5"), reason="Sáng kiến")
    adjustment.evidence.save("t.pdf", ContentFile(b"%PDF"), save=False)
    adjustment.save()
    national = NationalResult.objects.create(
        province=lao_cai, index="par", year=2024, score=Decimal("85.97"), rank=56, out_of=63
    )
    publication = Publication.objects.create(province=lao_cai, year=2025)
    directory_import = DirectoryImport(province=lao_cai, kind="agencies", original_name="don-vi.csv")
    directory_import.file.save("don-vi.csv", ContentFile("Mã đơn vị,Tên đơn vị,Loại đơn vị\n".encode()), save=False)
    directory_import.save()
    topic = Assignment.objects.create(conference=conference, topic="Tham luận", agency=agency, due_date=future(3))
    presentation = Presentation.objects.create(assignment=topic, agency=agency)
    version = Version(
        presentation=presentation,
        number=1,
        token=uuid.uuid4().hex,
        original_name="tham-luan.pdf",
        file_type="pdf",
        size=10,
        sha256="c" * 64,
    )
    version.file.save("tham-luan.pdf", ContentFile(files.pdf_bytes("x")), save=False)
    version.save()
    booklet = Booklet.objects.create(conference=conference, content_hash="d" * 64, status="done")
    scope = f"conferences.conference:{conference.pk}"
    message = Message.objects.create(
        channel=Channel.EMAIL, email="a@lc.example", subject="Nhắc", scope=scope, state=MessageState.SENT
    )
    plan_message = Message.objects.create(
        channel=Channel.EMAIL, email="b@lc.example", subject="Nhắc", scope=f"conferences.improvementplan:{plan.pk}"
    )
    notice = Message.objects.create(channel=Channel.PORTAL, user=organiser, subject="Thông báo", link="/")
    return {
        "agency": agency,
        "body": body,
        "person": person,
        "conference": conference,
        "invitation": invitation,
        "delegate": delegate,
        "assignment": assignment,
        "update": update,
        "plan": plan,
        "document": document,
        "rendered": rendered,
        "batch": batch,
        "signing": signing_row,
        "framework": framework,
        "assessment": assessment,
        "score": score,
        "explanation": explanation,
        "adjustment": adjustment,
        "national": national,
        "publication": publication,
        "import": directory_import,
        "topic": topic,
        "presentation": presentation,
        "version": version,
        "booklet": booklet,
        "message": message,
        "plan_message": plan_message,
        "notice": notice,
    }


def c(f, key="conference"):
    return {"pk": f[key].pk}


# URL name → the kwargs that name a row of the other province.
FOREIGN_URLS = {
    "agencies:agency-detail": lambda f: {"pk": f["agency"].pk},
    "agencies:agency-update": lambda f: {"pk": f["agency"].pk},
    "agencies:body-members": lambda f: {"pk": f["body"].pk},
    "agencies:person-update": lambda f: {"pk": f["person"].pk},
    "agencies:import-preview": lambda f: {"pk": f["import"].pk},
    "conferences:detail": c,
    "conferences:update": c,
    "conferences:part": lambda f: {"pk": f["conference"].pk, "part": "thanh-phan"},
    "conferences:transition": lambda f: {"pk": f["conference"].pk, "action": "da-to-chuc"},
    "conferences:text-action": lambda f: {"pk": f["conference"].pk, "action": "huy"},
    "conferences:draft": lambda f: {"pk": f["conference"].pk, "kind": "giay-moi"},
    "conferences:board": c,
    "conferences:board-xlsx": c,
    "conferences:board-table-xlsx": c,
    "conferences:attendance-pdf": c,
    "conferences:checkin": c,
    "conferences:ics": c,
    "conferences:checkin-token": lambda f: {"token": f["delegate"].token},
    "conferences:checkin-mark": lambda f: {"token": f["delegate"].token},
    "conferences:invitation-reply": lambda f: {"pk": f["invitation"].pk},
    "conferences:invitation-copy": lambda f: {"pk": f["invitation"].pk},
    "conferences:send-invitations": c,
    "conferences:assignment": lambda f: {"pk": f["assignment"].pk},
    "conferences:duty-file": lambda f: {"pk": f["assignment"].pk, "update_pk": f["update"].pk},
    "conferences:reminders": c,
    "conferences:reminder-resend": lambda f: {"pk": f["conference"].pk, "message_pk": f["message"].pk},
    "conferences:remind-now": c,
    "conferences:plan-reminders": lambda f: c(f, "plan"),
    "conferences:plan-reminder-resend": lambda f: {"pk": f["plan"].pk, "message_pk": f["plan_message"].pk},
    "conferences:plan-remind-now": lambda f: c(f, "plan"),
    "conferences:plan-detail": lambda f: c(f, "plan"),
    "conferences:plan-update": lambda f: c(f, "plan"),
    "conferences:plan-part": lambda f: {"pk": f["plan"].pk, "part": "nhiem-vu"},
    "conferences:plan-transition": lambda f: {"pk": f["plan"].pk, "action": "trien-khai"},
    "conferences:plan-draft": lambda f: {"pk": f["plan"].pk, "kind": "ke-hoach"},
    "conferences:plan-duties-from-index": lambda f: c(f, "plan"),
    "documents:detail": lambda f: c(f, "document"),
    "documents:edit": lambda f: c(f, "document"),
    "documents:preview": lambda f: c(f, "document"),
    "documents:outline": lambda f: c(f, "document"),
    "documents:outline-template": lambda f: c(f, "document"),
    "documents:redraft": lambda f: c(f, "document"),
    "documents:issue": lambda f: c(f, "document"),
    "documents:revoke": lambda f: c(f, "document"),
    "documents:replace": lambda f: c(f, "document"),
    "documents:files": lambda f: c(f, "document"),
    "documents:file-request": lambda f: {"pk": f["document"].pk, "kind": "pdf"},
    "documents:file-download": lambda f: {"pk": f["document"].pk, "file_pk": f["rendered"].pk},
    "documents:batch-request": lambda f: c(f, "document"),
    "documents:batch": lambda f: {"pk": f["document"].pk, "batch_pk": f["batch"].pk},
    "documents:batch-email": lambda f: {"pk": f["document"].pk, "batch_pk": f["batch"].pk},
    "documents:batch-download": lambda f: {"pk": f["document"].pk, "batch_pk": f["batch"].pk, "fmt": "pdf"},
    "documents:sign-prepare": lambda f: c(f, "document"),
    "documents:sign-cancel": lambda f: {"pk": f["document"].pk, "signing_pk": f["signing"].pk},
    "documents:sign-upload": lambda f: {"pk": f["document"].pk, "signing_pk": f["signing"].pk},
    "documents:sign-seal": lambda f: {"pk": f["document"].pk, "signing_pk": f["signing"].pk},
    "documents:sign-file": lambda f: {"pk": f["document"].pk, "signing_pk": f["signing"].pk, "which": "chuan-bi"},
    "submissions:detail": lambda f: c(f, "presentation"),
    "submissions:review": lambda f: c(f, "presentation"),
    "submissions:download": lambda f: {"pk": f["presentation"].pk, "version_pk": f["version"].pk},
    "submissions:conference": lambda f: {"conference_pk": f["conference"].pk},
    "submissions:assignment-create": lambda f: {"conference_pk": f["conference"].pk},
    "submissions:assignment-update": lambda f: {"conference_pk": f["conference"].pk, "pk": f["topic"].pk},
    "submissions:assignment-delete": lambda f: {"conference_pk": f["conference"].pk, "pk": f["topic"].pk},
    "submissions:assignment-sync": lambda f: {"conference_pk": f["conference"].pk, "pk": f["topic"].pk},
    "submissions:booklet-request": lambda f: {"conference_pk": f["conference"].pk},
    "submissions:booklet": lambda f: {"conference_pk": f["conference"].pk, "pk": f["booklet"].pk},
    "submissions:booklet-download": lambda f: {
        "conference_pk": f["conference"].pk,
        "pk": f["booklet"].pk,
        "fmt": "pdf",
    },
    "indices:national-edit": lambda f: c(f, "national"),
    "indices:publication": lambda f: c(f, "publication"),
    "indices:draft-decision": lambda f: c(f, "publication"),
    "indices:assessment": lambda f: c(f, "assessment"),
    "indices:self": lambda f: c(f, "assessment"),
    "indices:appraise": lambda f: c(f, "assessment"),
    "indices:submit": lambda f: c(f, "assessment"),
    "indices:reopen": lambda f: c(f, "assessment"),
    "indices:explain-submit": lambda f: c(f, "assessment"),
    "indices:evidence": lambda f: {"pk": f["assessment"].pk, "score_pk": f["score"].pk},
    "indices:explanations": lambda f: c(f, "assessment"),
    "indices:explanation-file": lambda f: {"pk": f["assessment"].pk, "explanation_pk": f["explanation"].pk},
    "indices:adjustment-add": lambda f: c(f, "assessment"),
    "indices:adjustment-remove": lambda f: {"pk": f["assessment"].pk, "adjustment_pk": f["adjustment"].pk},
    "indices:adjustment-file": lambda f: {"pk": f["assessment"].pk, "adjustment_pk": f["adjustment"].pk},
    "notifications:open": lambda f: c(f, "notice"),
    # The API, called with a session (tests/test_api.py asks the same of tokens).
    "api:province-detail": lambda f: {"pk": f["conference"].province_id},
    "api:agency-detail": lambda f: c(f, "agency"),
    "api:conference-detail": c,
    "api:invitee-line-detail": lambda f: {"pk": f["invitation"].line_id},
    "api:invitation-detail": lambda f: c(f, "invitation"),
    "api:duty-detail": lambda f: {"pk": f["assignment"].duty_id},
    "api:presentation-detail": lambda f: c(f, "presentation"),
    "api:presentation-file": lambda f: c(f, "presentation"),
    "api:document-detail": lambda f: c(f, "document"),
    "api:document-pdf": lambda f: c(f, "document"),
    "api:document-record": lambda f: c(f, "document"),
    "api:result-detail": lambda f: c(f, "assessment"),
}
# Patterns whose ids name rows every province shares (a framework of the
# Ministry) or no row at all: their pages show the user's own province (see
# test_an_administrators_province_choice_is_ignored_for_others).
SHARED = {
    # The public verification page: the printed code is the key, for anyone
    # (tests/test_verification.py).
    "documents:verify",
    # National results are public: any signed-in user reads any province's standing.
    "indices:province-standing",
    "indices:framework",
    "indices:ranking",
    "indices:analysis",
    "indices:export",
    "indices:template",
    "indices:framework-xlsx",
    "indices:import",
    "indices:open",
    "indices:open-explanation",
    "indices:responsibilities",
    "indices:publish",
    "agencies:import-template",
    "password_reset_confirm",
    # Frameworks and national results are the same for every province (the
    # ranking reads the reader's own province); a calendar feed's key is the key.
    "api:framework-detail",
    "api:framework-ranking",
    "api:national-result-detail",
    "calendar-feed",
}


def _patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin is the administrators' only, behind its own login
            yield from _patterns(
                pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            )
        elif isinstance(pattern, URLPattern) and (pattern.pattern.converters or pattern.pattern.regex.groupindex):
            # A path's converters, or a regex's named groups (the API's router).
            yield namespace + (pattern.name or "")


def test_every_url_with_an_id_is_in_the_table():
    named = set(_patterns())
    assert named - FOREIGN_URLS.keys() - SHARED == set(), "a new URL names a row: add it to FOREIGN_URLS"
    assert FOREIGN_URLS.keys() - named == set()


def _snapshot():
    """What a refused request must leave as it was."""
    return (
        AuditEntry.objects.count(),
        sorted(Invitation.objects.values_list("pk", "reply")),
        sorted(Delegate.objects.values_list("pk", "checked_in_at")),
        sorted(Document.objects.values_list("pk", "status", "number")),
        sorted(Assessment.objects.values_list("pk", "status")),
        sorted(Presentation.objects.values_list("pk", "status")),
        Message.objects.count(),
    )


@pytest.fixture
def viewers(lang_son):
    """Each role of Lạng Sơn, who must see nothing of Lào Cai."""
    return {
        "organiser": _staff_of(lang_son, Role.ORGANISER),
        "leader": _staff_of(lang_son, Role.LEADER, kind=AgencyKind.PROVINCIAL_COMMITTEE, code="UBND", name="UBND"),
        "official": _staff_of(lang_son, Role.OFFICIAL, code="STC", name="Sở Tài chính"),
    }


@pytest.mark.parametrize("role", ["organiser", "leader", "official"])
@pytest.mark.parametrize("name", sorted(FOREIGN_URLS))
def test_another_provinces_row_answers_403_or_404(name, role, foreign, viewers):
    url = reverse(name, kwargs=FOREIGN_URLS[name](foreign))
    client = client_for(viewers[role])
    before = _snapshot()
    assert client.get(url).status_code in (403, 404, 405), f"GET {url} as {role}"
    assert client.post(url, {"reason": "x", "conclusions": "x", "reply": "attending"}).status_code in (403, 404, 405)
    assert _snapshot() == before, f"{url} as {role} changed something"


def test_another_agencys_rows_answer_404_for_an_official(lang_son, viewers):
    """Within one province, an official reaches only their own agency's
    invitation, duty and presentation."""
    neighbour = AgencyFactory(province=lang_son, code="STP", name="Sở Tư pháp tỉnh Lạng Sơn")
    conference = ConferenceFactory(province=lang_son, status=ConferenceStatus.INVITED, invited_at=timezone.now())
    invitation = Invitation.objects.create(conference=conference, agency=neighbour)
    duty = Duty.objects.create(conference=conference, lead_agency=neighbour, task="Chuẩn bị", due_date=future(5))
    assignment = DutyAssignment.objects.create(duty=duty, agency=neighbour)
    topic = Assignment.objects.create(conference=conference, topic="Tham luận", agency=neighbour, due_date=future(3))
    presentation = Presentation.objects.create(assignment=topic, agency=neighbour)
    client = client_for(viewers["official"])
    for url in (
        reverse("conferences:invitation-reply", args=[invitation.pk]),
        reverse("conferences:assignment", args=[assignment.pk]),
        reverse("submissions:detail", args=[presentation.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reply": "declined"}).status_code == 404, url
    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.PENDING


def test_an_administrators_province_choice_is_ignored_for_others(lang_son, lao_cai, viewers):
    """?tinh= picks the province for administrators only: anyone else always
    sees their own."""
    NationalResult.objects.create(province=lao_cai, index="par", year=2024, score=Decimal("90.10"), rank=3, out_of=63)
    response = client_for(viewers["organiser"]).get(reverse("indices:national") + f"?tinh={lao_cai.code}")
    assert response.status_code == 200
    assert response.context["province"] == lang_son
    assert "90,10" not in response.content.decode()


def test_a_query_without_a_scope_raises():
    """Forgetting the scope is loud: outside a request, task or command, a
    province-owned model cannot be read at all."""
    from django_scopes import ScopeError

    from conferences.models import Conference
    from core.scoping import scope

    with scope(_enabled=True), pytest.raises(ScopeError):
        list(Conference.objects.all())


def test_a_request_reads_only_its_users_province(lang_son, lao_cai, viewers):
    """Even a query a view forgot to filter is limited to the user's province."""
    from conferences.models import Conference
    from core.scoping import user_scope

    ConferenceFactory(province=lang_son, title="Hội nghị Lạng Sơn")
    ConferenceFactory(province=lao_cai, title="Hội nghị Lào Cai")
    with user_scope(viewers["organiser"]):
        assert list(Conference.objects.values_list("title", flat=True)) == ["Hội nghị Lạng Sơn"]
