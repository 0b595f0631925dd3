"""The read API (/api/v1/): tokens (made, used, logged, expired, revoked),
scopes, the province and agency rules of the pages asked of every endpoint,
pagination, filters and constant query counts, the Decree 30 record of an
issued document with its PDF, the rate limit, and the schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Role
from api import services
from api.models import ApiToken, ApiTokenUse, Scope
from api.throttling import ApiRateThrottle
from conferences.models import ConferenceStatus, Duty, DutyAssignment, Invitation, InviteeLine, ProgrammeItem
from core.exceptions import Refused
from core.models import AuditEntry
from documents.models import Document, RenderedFile
from indices.models import Assessment, Framework, NationalResult
from submissions.models import Assignment, Presentation

from .conftest import _staff_of, client_for
from .factories import (
    AgencyFactory,
    ConferenceFactory,
    DelegateFactory,
    DocumentFactory,
    UserFactory,
    VersionFactory,
    future,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

ALL_SCOPES = list(Scope.values)
CODES = itertools.count(1)


def make_token(province, scopes=ALL_SCOPES, administrator=None, **kwargs):
    administrator = administrator or UserFactory(role=Role.ADMINISTRATOR, agency=None)
    return services.token_create(actor=administrator, name="Hệ thống QLVB", province=province, scopes=scopes, **kwargs)


def caller(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:500]
    return {row["id"] for row in response.json()["results"]}


# --- Rows of one province, one of each kind an endpoint lists ---------------------------------------


def province_rows(province, code: str) -> dict:
    """A conference with a programme, an invitee line, an invitation with a
    delegate, a duty assigned, a presentation with a file, an issued document
    with its PDF, a published result and a national result: all in `province`."""
    agency = AgencyFactory(province=province, code=f"STP-{code}", name=f"Sở Tư pháp {province.name}")
    conference = ConferenceFactory(
        province=province,
        status=ConferenceStatus.INVITED,
        invited_at=timezone.now(),
        date=future(20),
        title=f"Hội nghị CCHC {province.name}",
    )
    ProgrammeItem.objects.create(conference=conference, order=1, title="Khai mạc", speaker="Chủ tịch UBND tỉnh")
    line = InviteeLine.objects.create(conference=conference, text="Giám đốc Sở Tư pháp", target="agency", agency=agency)
    invitation = Invitation.objects.create(conference=conference, agency=agency, line=line, reply="attending")
    DelegateFactory(invitation=invitation, full_name="Hoàng Văn Nam", position="Phó Giám đốc")
    duty = Duty.objects.create(conference=conference, lead_agency=agency, task="Báo cáo kết quả", due_date=future(5))
    DutyAssignment.objects.create(duty=duty, agency=agency)
    topic = Assignment.objects.create(
        conference=conference, topic="Tham luận số hóa", agency=agency, due_date=future(3)
    )
    presentation = Presentation.objects.create(assignment=topic, agency=agency, status="accepted")
    version = VersionFactory(presentation=presentation)
    Presentation.objects.filter(pk=presentation.pk).update(current_version=version)
    document = issued_document(province, agency)
    framework = Framework.objects.get_or_create(
        code="PAR-SO-API",
        year=2025,
        defaults={"name": "Chỉ số CCHC các sở", "index": "par", "subject": "department", "maximum": Decimal("100")},
    )[0]
    assessment = Assessment.objects.create(
        framework=framework, agency=agency, status="published", total=Decimal("81.50"), published_at=timezone.now()
    )
    national = NationalResult.objects.create(
        province=province, index="par", year=2000 + next(CODES), score=Decimal("85.97"), rank=20, out_of=63
    )
    return {
        "agency": agency,
        "conference": conference,
        "line": line,
        "invitation": invitation,
        "duty": duty,
        "presentation": presentation,
        "document": document,
        "assessment": assessment,
        "framework": framework,
        "national": national,
    }


def issued_document(province, issuer, number=7, day=None):
    day = day or timezone.localdate()
    document = DocumentFactory(
        province=province,
        issuer=issuer,
        issuer_abbr="STP",
        doc_type="KH",
        title="Kế hoạch tuyên truyền cải cách hành chính",
        status="issued",
        year=day.year,
        number=number,
        issued_on=day,
        issued_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
        verification_code=f"API{next(CODES):06d}",
    )
    data = pdf_bytes()
    row = RenderedFile.objects.create(
        document=document,
        kind="pdf",
        content_hash=hashlib.sha256(f"{document.pk}".encode()).hexdigest(),
        status="done",
        file=ContentFile(data, name="kh.pdf"),
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pages=1,
    )
    Document.objects.filter(pk=document.pk).update(issued_file=row, issued_sha256=row.sha256)
    document.refresh_from_db()
    return document


@pytest.fixture
def both(lang_son, lao_cai):
    return {"own": province_rows(lang_son, "LS"), "other": province_rows(lao_cai, "LC")}


# endpoint (list URL name) → (the rows' key in province_rows, its detail URL name)
ENDPOINTS = {
    "api:agency-list": ("agency", "api:agency-detail"),
    "api:conference-list": ("conference", "api:conference-detail"),
    "api:invitee-line-list": ("line", "api:invitee-line-detail"),
    "api:invitation-list": ("invitation", "api:invitation-detail"),
    "api:duty-list": ("duty", "api:duty-detail"),
    "api:presentation-list": ("presentation", "api:presentation-detail"),
    "api:document-list": ("document", "api:document-detail"),
    "api:result-list": ("assessment", "api:result-detail"),
}


# --- Province scope: a Lạng Sơn token reads nothing of Lào Cai ----------------------------------------


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_a_token_reads_its_own_province_only(name, both, lang_son):
    key, detail = ENDPOINTS[name]
    client = caller(make_token(lang_son).key)
    listed = ids(client.get(reverse(name)))
    assert both["own"][key].pk in listed
    assert both["other"][key].pk not in listed
    assert client.get(reverse(detail, args=[both["own"][key].pk])).status_code == 200
    assert client.get(reverse(detail, args=[both["other"][key].pk])).status_code == 404


def test_a_token_reads_its_own_province_and_agencies_of_it(both, lang_son):
    client = caller(make_token(lang_son).key)
    assert ids(client.get(reverse("api:province-list"))) == {lang_son.pk}
    assert client.get(reverse("api:province-detail", args=[both["other"]["agency"].province_id])).status_code == 404


def test_files_of_another_province_are_not_served(both, lang_son):
    client = caller(make_token(lang_son).key)
    for name, key in (("api:document-pdf", "document"), ("api:presentation-file", "presentation")):
        assert client.get(reverse(name, args=[both["own"][key].pk])).status_code == 200
        assert client.get(reverse(name, args=[both["other"][key].pk])).status_code == 404


def test_ranking_is_the_tokens_province_whatever_it_asks(both, lang_son, lao_cai):
    client = caller(make_token(lang_son, scopes=["indices"]).key)
    framework = both["own"]["framework"]
    url = reverse("api:framework-ranking", args=[framework.pk])
    rows = client.get(url).json()["results"]
    assert [r["agency"] for r in rows] == [both["own"]["agency"].pk]
    assert rows[0]["rank"] == 1 and rows[0]["score"] == "81.50"
    assert client.get(url, {"province": lao_cai.pk}).status_code == 404


def test_national_results_are_every_provinces(both, lang_son):
    client = caller(make_token(lang_son, scopes=["indices"]).key)
    listed = ids(client.get(reverse("api:national-result-list")))
    assert {both["own"]["national"].pk, both["other"]["national"].pk} <= listed


# --- Scopes and the rules of the pages --------------------------------------------------------------


def test_a_token_reads_only_its_scopes(both, lang_son):
    client = caller(make_token(lang_son, scopes=["documents"]).key)
    assert client.get(reverse("api:document-list")).status_code == 200
    refused = client.get(reverse("api:conference-list"))
    assert refused.status_code == 403
    assert "phạm vi" in refused.json()["detail"]
    assert client.get(reverse("api:agency-list")).status_code == 403


def test_a_token_reads_no_draft(both, lang_son):
    own = both["own"]
    draft = DocumentFactory(province=lang_son, issuer=own["agency"])
    client = caller(make_token(lang_son).key)
    assert draft.pk not in ids(client.get(reverse("api:document-list")))
    assert client.get(reverse("api:document-detail", args=[draft.pk])).status_code == 404


def test_an_official_with_a_session_reads_their_agencys_own(both, lang_son):
    own = both["own"]
    official = UserFactory(role=Role.OFFICIAL, agency=own["agency"], username="stp.canbo")
    neighbour = AgencyFactory(province=lang_son, code="SXD", name="Sở Xây dựng", kind=AgencyKind.DEPARTMENT)
    theirs = Invitation.objects.create(conference=own["conference"], agency=neighbour, line=own["line"])
    client = client_for(official)
    listed = ids(client.get(reverse("api:invitation-list")))
    assert own["invitation"].pk in listed and theirs.pk not in listed
    assert client.get(reverse("api:invitation-detail", args=[theirs.pk])).status_code == 404
    # Lines are the organisers' working list: an official reads none.
    assert ids(client.get(reverse("api:invitee-line-list"))) == set()


def test_a_leaders_session_reads_no_presentation_a_token_does(both, lang_son):
    leader = _staff_of(lang_son, Role.LEADER, kind=AgencyKind.PROVINCIAL_COMMITTEE, code="UBND", name="UBND")
    assert ids(client_for(leader).get(reverse("api:presentation-list"))) == set()
    token = make_token(lang_son, scopes=["submissions"])
    assert ids(caller(token.key).get(reverse("api:presentation-list"))) == {both["own"]["presentation"].pk}


def test_no_one_reads_without_a_token_or_a_session(both):
    response = Client().get(reverse("api:document-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated" and "Authorization: Bearer" in response.json()["detail"]


def test_refusals_are_in_vietnamese_with_a_code(both, lang_son):
    client = caller(make_token(lang_son).key)
    missing = client.get(reverse("api:document-detail", args=[both["other"]["document"].pk])).json()
    assert missing == {"detail": "Không có (hoặc không thuộc tỉnh, phạm vi được đọc).", "code": "not_found"}
    assert client.post(reverse("api:document-list")).json()["code"] == "method_not_allowed"
    assert client.get(reverse("api:document-list"), {"year": "năm ngoái"}).json() == {"year": ["Nhập một số tổng thể."]}


# --- Token lifecycle ------------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_kept_as_a_hash(lang_son, administrator):
    made = make_token(lang_son, administrator=administrator)
    row = ApiToken.objects.get(pk=made.token.pk)
    assert made.key.startswith(f"cchc_{row.prefix}_")
    assert made.key not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert row.key_hash == hashlib.sha256(made.key.encode()).hexdigest()
    assert AuditEntry.objects.filter(action="api.token_create", object_id=str(row.pk)).exists()


def test_a_token_is_refused_without_scopes_or_with_a_past_expiry(lang_son, administrator):
    with pytest.raises(Refused):
        make_token(lang_son, scopes=[], administrator=administrator)
    with pytest.raises(Refused):
        make_token(lang_son, administrator=administrator, expires_at=timezone.now() - dt.timedelta(days=1))
    assert not ApiToken.objects.exists()


def test_only_an_administrator_makes_tokens(lang_son, organiser):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.token_create(actor=organiser, name="x", province=lang_son, scopes=["documents"])


def test_every_use_is_logged_revocation_and_expiry_end_it(both, lang_son, administrator):
    made = make_token(lang_son, administrator=administrator, expires_at=timezone.now() + dt.timedelta(days=30))
    client = caller(made.key)
    assert client.get(reverse("api:document-list"), {"year": 2026}).status_code == 200
    assert client.get(reverse("api:document-detail", args=[both["other"]["document"].pk])).status_code == 404
    uses = list(ApiTokenUse.objects.filter(token=made.token).order_by("at", "pk"))
    assert [(u.method, u.status) for u in uses] == [("GET", 200), ("GET", 404)]
    assert uses[0].path == reverse("api:document-list") + "?year=2026"
    made.token.refresh_from_db()
    assert made.token.last_used_at is not None

    ApiToken.objects.filter(pk=made.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("api:document-list")).status_code == 401
    ApiToken.objects.filter(pk=made.token.pk).update(expires_at=None)
    assert client.get(reverse("api:document-list")).status_code == 200
    services.token_revoke(actor=administrator, token=made.token)
    services.token_revoke(actor=administrator, token=made.token)  # a second click changes nothing
    assert client.get(reverse("api:document-list")).status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoke").count() == 1


def test_a_wrong_key_is_refused(lang_son):
    made = make_token(lang_son)
    for key in (made.key[:-1] + ("A" if made.key[-1] != "A" else "B"), "cchc_00000000_x", "khong-phai-ma"):
        assert caller(key).get(reverse("api:document-list")).status_code == 401
    # The first names the token (its prefix): the attempt is in the token's log.
    assert list(ApiTokenUse.objects.values_list("token_id", "status")) == [(made.token.pk, 401)]


def test_a_token_is_rate_limited(lang_son, monkeypatch):
    monkeypatch.setattr(ApiRateThrottle, "THROTTLE_RATES", {"api": "3/min"})
    made = make_token(lang_son)
    client = caller(made.key)
    answers = [client.get(reverse("api:province-list")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # Another token of the same province has its own count.
    assert caller(make_token(lang_son).key).get(reverse("api:province-list")).status_code == 200
    assert ApiTokenUse.objects.filter(token=made.token, status=429).count() == 1


# --- Lists: pagination, filters, ordering, queries -------------------------------------------------------


def test_lists_are_paginated(lang_son):
    agency = AgencyFactory(province=lang_son, code="STP")
    for number in range(1, 8):
        issued_document(lang_son, agency, number=number)
    client = caller(make_token(lang_son).key)
    first = client.get(reverse("api:document-list"), {"page_size": 3, "ordering": "issued_on"}).json()
    assert first["count"] == 7 and len(first["results"]) == 3 and first["next"]
    third = client.get(first["next"].replace("http://testserver", "")).json()
    assert len(third["results"]) == 3
    assert client.get(reverse("api:document-list"), {"page": 9}).status_code == 404


def test_documents_filter_by_date_range_year_issuer_and_status(lang_son):
    agency = AgencyFactory(province=lang_son, code="STP")
    other = AgencyFactory(province=lang_son, code="SYT")
    march = issued_document(lang_son, agency, number=1, day=dt.date(2025, 3, 10))
    june = issued_document(lang_son, agency, number=2, day=dt.date(2025, 6, 2))
    new = issued_document(lang_son, other, number=1, day=dt.date(2026, 1, 5))
    Document.objects.filter(pk=june.pk).update(status="revoked", revoked_at=timezone.now())
    client = caller(make_token(lang_son).key)
    url = reverse("api:document-list")
    assert ids(client.get(url, {"date_from": "2025-03-01", "date_to": "2025-03-31"})) == {march.pk}
    assert ids(client.get(url, {"year": 2025})) == {march.pk, june.pk}
    assert ids(client.get(url, {"issuer": other.pk})) == {new.pk}
    assert ids(client.get(url, {"status": "revoked"})) == {june.pk}
    ordered = client.get(url, {"ordering": "issued_on"}).json()["results"]
    assert [r["id"] for r in ordered] == [march.pk, june.pk, new.pk]
    assert client.get(url, {"date_from": "mùng 1"}).status_code == 400


def test_conferences_invitations_and_duties_filter(both, lang_son):
    own = both["own"]
    client = caller(make_token(lang_son).key)
    later = ConferenceFactory(province=lang_son, status="held", date=dt.date(2025, 12, 1))
    assert ids(client.get(reverse("api:conference-list"), {"status": "held"})) == {later.pk}
    assert ids(client.get(reverse("api:conference-list"), {"year": 2025})) == {later.pk}
    assert ids(client.get(reverse("api:conference-list"), {"agency": own["agency"].pk})) == {own["conference"].pk}
    invitations = reverse("api:invitation-list")
    assert ids(client.get(invitations, {"conference": own["conference"].pk, "reply": "attending"})) == {
        own["invitation"].pk
    }
    assert ids(client.get(invitations, {"reply": "declined"})) == set()
    assert ids(client.get(reverse("api:duty-list"), {"agency": own["agency"].pk, "status": "open"})) == {own["duty"].pk}
    assert ids(client.get(reverse("api:duty-list"), {"status": "done"})) == set()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", sorted([*ENDPOINTS, "api:province-list", "api:national-result-list"]))
def test_a_list_costs_the_same_queries_for_one_row_or_many(name, lang_son, lao_cai):
    client = caller(make_token(lang_son).key)
    province_rows(lang_son, "A")
    url = reverse(name)
    client.get(url)  # the token's first use also notes it on the token
    once = _queries(client, url)
    for n in range(4):
        province_rows(lang_son, f"B{n}")
        province_rows(lao_cai, f"C{n}")
    assert _queries(client, url) == once


# --- The Decree 30 record and the issued PDF --------------------------------------------------------------


def test_an_issued_documents_record_and_its_pdf(both, lang_son):
    document = both["own"]["document"]
    client = caller(make_token(lang_son, scopes=["documents"]).key)
    record = client.get(reverse("api:document-detail", args=[document.pk])).json()["record"]
    assert record["number_symbol"] == "07/KH-STP"
    assert record["identifier"] == f"lang-son.STP-LS.{document.year}.07.KH-STP"
    assert record["date"] == document.issued_on.isoformat()
    assert record["type_name"] == "Kế hoạch"
    assert record["summary"] == "Kế hoạch tuyên truyền cải cách hành chính"
    assert record["signer"]["text"] == "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG PHÓ CHÁNH VĂN PHÒNG Nguyễn Văn Bình"
    assert record["signer"]["authority"] == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"]
    assert record["recipients"] == ["Như trên"] and record["filed"] == "VT, NC"
    assert record["origin"] == "drafted"
    assert record["page_count"] == 1 and record["language"] == "vi"
    assert record["issuer"]["code"] == "STP-LS" and record["issuer"]["name"] == document.issuer.name
    assert record["verification_url"].endswith(f"/xac-minh/{document.verification_code}/")
    [pdf] = record["files"]
    assert pdf["sha256"] == document.issued_sha256 and pdf["media_type"] == "application/pdf"

    answer = client.get(pdf["url"].replace("http://testserver", "").replace("http://127.0.0.1:8000", ""))
    body = b"".join(answer.streaming_content)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert hashlib.sha256(body).hexdigest() == pdf["sha256"]

    download = client.get(reverse("api:document-record", args=[document.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="07-KH-STP.json"'
    assert json.loads(download.content) == record

    # With the issuer's national electronic identifier in the directory, the record is named by it.
    Agency.objects.filter(pk=document.issuer_id).update(electronic_id="000.00.22.H36")
    again = client.get(reverse("api:document-detail", args=[document.pk])).json()["record"]
    assert again["identifier"] == f"000.00.22.H36.{document.year}.07.KH-STP"


# --- Schema and reference page ------------------------------------------------------------------------------


SCHEMA = Path(__file__).resolve().parent.parent / "api" / "schema.yml"


def test_the_committed_schema_is_the_one_the_code_makes_and_it_validates(tmp_path):
    """A change of the API shows in review as a change of api/schema.yml
    (`make schema` writes it); the schema validates with no warning."""
    from django.core.management import call_command

    made = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(made))
    assert made.read_text() == SCHEMA.read_text(), "the API changed: run `make schema` and commit api/schema.yml"


def test_the_schema_and_reference_page_are_served_with_our_own_assets(db):
    client = Client()
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"/api/v1/documents/" in schema.content
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html and "https://" not in html and "http://cdn" not in html


def test_invitations_written_by_hand_read_as_drf_writes_them(both):
    """The invitation list is written without DRF's field machinery (for
    speed): what it writes is what the declared fields would."""
    from rest_framework import serializers as drf

    from api import selectors
    from api.serializers import InvitationSerializer

    own = both["own"]
    Invitation.objects.filter(pk=own["invitation"].pk).update(
        replied_at=timezone.now(), sent_at=timezone.now(), reply_note="Cử 01 đồng chí"
    )
    own["invitation"].delegates.update(checked_in_at=timezone.now())
    row = selectors.invitations(UserFactory(role=Role.ADMINISTRATOR, agency=None)).get(pk=own["invitation"].pk)
    fast = InvitationSerializer(row).data
    generic = drf.ModelSerializer.to_representation(InvitationSerializer(), row)
    assert fast == json.loads(json.dumps(generic, default=str))
    assert fast["delegates"][0]["checked_in_at"] is not None


# --- What the probes found: odd input answers 400/404 in JSON, never 500 --------------------------------


@pytest.mark.parametrize(
    "url, params",
    [
        ("api:conference-list", {"year": 0}),
        ("api:conference-list", {"year": 99999}),
        ("api:conference-list", {"year": "2026.5"}),
        ("api:invitation-list", {"replied_since": "9999-12-31T23:59:59-05:00"}),
        ("api:conference-list", {"updated_since": "0001-01-01T00:00:00+01:00"}),
        ("api:result-list", {"agency": "99999999999999999999999"}),
        ("api:document-list", {"status": "draft"}),
    ],
)
def test_odd_parameters_are_refused_in_json(url, params, lang_son):
    response = caller(make_token(lang_son).key).get(reverse(url), params)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_odd_paths_answer_json_404(both, lang_son):
    client = caller(make_token(lang_son).key)
    ranking = reverse("api:framework-ranking", args=[both["own"]["framework"].pk])
    assert client.get(ranking, {"province": "²"}).status_code == 404
    missing = client.get("/api/v1/khong-co/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get(reverse("api:document-list"))["Cache-Control"] == "no-store"


def test_a_refused_key_of_a_known_token_is_logged(lang_son, administrator):
    made = make_token(lang_son, administrator=administrator)
    prefix, secret = made.key.rsplit("_", 1)
    assert caller(f"{prefix}_{secret[::-1]}").get(reverse("api:document-list")).status_code == 401
    services.token_revoke(actor=administrator, token=made.token)
    assert caller(made.key).get(reverse("api:document-list")).status_code == 401
    assert list(ApiTokenUse.objects.filter(token=made.token).values_list("status", flat=True)) == [401, 401]
    # "Token …" is not a way in: only Bearer.
    assert (
        Client(HTTP_AUTHORIZATION=f"Token {make_token(lang_son).key}").get(reverse("api:document-list")).status_code
        == 401
    )


def test_the_rate_limit_answers_in_vietnamese(lang_son, monkeypatch):
    monkeypatch.setattr(ApiRateThrottle, "THROTTLE_RATES", {"api": "1/min"})
    client = caller(make_token(lang_son).key)
    client.get(reverse("api:province-list"))
    refused = client.get(reverse("api:province-list")).json()
    assert refused["code"] == "throttled" and refused["detail"].startswith("Gọi quá nhiều lần")


def test_a_token_reads_no_draft_conference_and_no_unaccepted_file(both, lang_son):
    own = both["own"]
    client = caller(make_token(lang_son).key)
    from conferences.models import Conference

    Conference.objects.filter(pk=own["conference"].pk).update(status=ConferenceStatus.DRAFT)
    assert client.get(reverse("api:conference-detail", args=[own["conference"].pk])).status_code == 404
    assert ids(client.get(reverse("api:invitation-list"))) == set()
    assert ids(client.get(reverse("api:duty-list"))) == set()
    assert ids(client.get(reverse("api:invitee-line-list"))) == set()
    Presentation.objects.filter(pk=own["presentation"].pk).update(status="submitted")
    assert client.get(reverse("api:presentation-detail", args=[own["presentation"].pk])).status_code == 200
    assert client.get(reverse("api:presentation-file", args=[own["presentation"].pk])).status_code == 404
    # The organiser's session reads both, as on the pages.
    organiser = _staff_of(lang_son, Role.ORGANISER, code="SNV", name="Sở Nội vụ")
    assert client_for(organiser).get(reverse("api:presentation-file", args=[own["presentation"].pk])).status_code == 200


def test_an_official_filters_by_their_own_agency_only(both, lang_son):
    own = both["own"]
    official = UserFactory(role=Role.OFFICIAL, agency=own["agency"], username="stp.loc")
    neighbour = AgencyFactory(province=lang_son, code="SXD", name="Sở Xây dựng")
    DutyAssignment.objects.create(duty=own["duty"], agency=neighbour, status="done")
    Invitation.objects.create(conference=own["conference"], agency=neighbour, line=own["line"])
    client = client_for(official)
    assert ids(client.get(reverse("api:duty-list"), {"agency": neighbour.pk})) == set()
    assert ids(client.get(reverse("api:duty-list"), {"status": "done"})) == set()
    assert ids(client.get(reverse("api:duty-list"), {"agency": own["agency"].pk})) == {own["duty"].pk}
    assert ids(client.get(reverse("api:conference-list"), {"agency": neighbour.pk})) == set()
    # The province's readers filter by any agency.
    token = caller(make_token(lang_son).key)
    assert ids(token.get(reverse("api:duty-list"), {"status": "done"})) == {own["duty"].pk}


def test_ordering_by_an_unknown_field_is_refused(lang_son):
    client = caller(make_token(lang_son).key)
    refused = client.get(reverse("api:document-list"), {"ordering": "number,-bogus"})
    assert refused.status_code == 400 and "issued_on" in refused.json()["ordering"][0]
    assert client.get(reverse("api:document-list"), {"ordering": "-issued_on,id"}).status_code == 200


def test_an_electronic_identifier_must_look_like_one(lang_son):
    agency = AgencyFactory(province=lang_son, code="SNV")
    agency.electronic_id = "abc"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        agency.full_clean()
    agency.electronic_id = "000.00.22.H36"
    agency.full_clean()


def test_a_communes_letter_with_a_drafting_unit_reads_as_its_office_would_file_it(lang_son):
    """Not a seed's shape: a commune's công văn (symbol issuer-drafting unit),
    recipients written with dashes and a "(b/c)", a year the seeds lack."""
    commune = AgencyFactory(province=lang_son, code="X-TANDOAN", name="UBND xã Tân Đoàn", kind=AgencyKind.COMMUNE)
    letter = issued_document(lang_son, commune, number=3, day=dt.date(2027, 2, 8))
    Document.objects.filter(pk=letter.pk).update(
        doc_type="CV",
        issuer_abbr="UBND",
        drafting_unit_abbr="VP",
        title="V/v báo cáo kết quả cải cách hành chính quý I năm 2027",
        recipients="- Như trên;\n- UBND tỉnh (b/c);\n- Lưu: VT, VP.",
        authority_lines="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Hoàng Thị Lan",
    )
    record = caller(make_token(lang_son).key).get(reverse("api:document-detail", args=[letter.pk])).json()["record"]
    assert record["number_symbol"] == "03/UBND-VP" and record["type_name"] == "Công văn"
    assert record["identifier"] == "lang-son.X-TANDOAN.2027.03.UBND-VP"
    assert record["date"] == "2027-02-08"
    assert record["recipients"] == ["Như trên", "UBND tỉnh (b/c)"] and record["filed"] == "VT, VP"
    assert record["signer"]["text"] == "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Thị Lan"
