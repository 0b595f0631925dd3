"""Webhooks against a real HTTP receiver on loopback: the services' events
reach the province's subscribed systems signed (HMAC-SHA256 over the
timestamp and body), once per event id; a refused delivery is retried with
a growing delay until it is taken; a worker killed mid-POST loses nothing
(the sweep sends it again, under the same idempotency key). An e-office
registers an issued document from the event's record alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from agencies.models import Agency, Role
from conferences.services import invitation_reply
from core.models import AuditEntry
from documents import services as document_services
from notifications.models import DeliveryState, WebhookDelivery
from notifications.services import webhooks

from .factories import InvitationFactory, UserFactory
from .test_documents import committee, communes, conference, invitation  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server on loopback that records each POST and answers with
    the next status of `answers` (200 once they run out), after `pause` s."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.pause = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                # The headers as received (their names are case-insensitive, as in HTTP).
                receiver.requests.append({"headers": self.headers, "body": body, "at": time.time()})
                time.sleep(receiver.pause)
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cchc/su-kien"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMINISTRATOR, agency=None)


def subscribe(admin_user, province, url, events):
    return webhooks.subscription_create(
        actor=admin_user, province_id=province.pk, name="Hệ thống QLVB", url=url, events=events
    )


def verified(request, secret, at=None) -> dict:
    """What a receiver does: check the signature over timestamp and body, then read."""
    headers = request["headers"]
    expected = hmac.new(
        secret.encode(), headers["X-CCHC-Timestamp"].encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(headers["X-CCHC-Signature"], f"sha256={expected}")
    # A receiver refuses a stale timestamp (a replayed request).
    assert abs(int(headers["X-CCHC-Timestamp"]) - (at or time.time())) < 60
    payload = json.loads(request["body"])
    assert headers["Idempotency-Key"] == payload["id"]
    assert headers["X-CCHC-Event"] == payload["event"]
    return payload


def test_a_reply_reaches_the_subscribed_system_signed(
    receiver, admin_user, lang_son, lao_cai, django_capture_on_commit_callbacks
):
    invitation_row = InvitationFactory(conference__province=lang_son)
    official = UserFactory(role=Role.OFFICIAL, agency=invitation_row.agency)
    mine = subscribe(admin_user, lang_son, receiver.url, ["invitation.replied"])
    subscribe(admin_user, lang_son, receiver.url + "/van-ban", ["document.issued"])  # another event
    subscribe(admin_user, lao_cai, receiver.url + "/lao-cai", ["invitation.replied"])  # another province
    with django_capture_on_commit_callbacks(execute=True):
        invitation_reply(
            actor=official,
            invitation=invitation_row,
            reply="attending",
            delegates=[{"full_name": "Lý Thị Hoa", "position": "Phó Chủ tịch UBND xã"}],
        )
    [request] = receiver.requests
    payload = verified(request, mine.secret)
    assert payload["event"] == "invitation.replied" and payload["province_id"] == lang_son.pk
    assert payload["data"]["invitation_id"] == invitation_row.pk
    assert payload["data"]["reply"] == "attending" and payload["data"]["delegate_count"] == 1
    assert payload["data"]["url"].endswith(f"/api/v1/invitations/{invitation_row.pk}/")
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.DELIVERED and delivery.last_status == 200 and delivery.attempts == 1
    assert AuditEntry.objects.filter(action="notifications.webhook_create").count() == 3


def test_an_event_emitted_twice_is_delivered_once(receiver, admin_user, lang_son, django_capture_on_commit_callbacks):
    subscribe(admin_user, lang_son, receiver.url, ["document.revoked"])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            webhooks.emit("document.revoked", province_id=lang_son.pk, about="document:5", data={"document_id": 5})
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_a_refused_delivery_is_retried_later_under_the_same_key(
    receiver, admin_user, lang_son, django_capture_on_commit_callbacks
):
    subscription = subscribe(admin_user, lang_son, receiver.url, ["duty.completed"])
    receiver.answers = [503, 500]
    start = timezone.now().replace(microsecond=0)

    def sweep_at(seconds: int):
        with time_machine.travel(start + dt.timedelta(seconds=seconds), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                return webhooks.run_sweep()

    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        webhooks.emit("duty.completed", province_id=lang_son.pk, about="duty:1", data={"duty_id": 1})
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.QUEUED and delivery.last_status == 503
    assert delivery.next_attempt_at == start + dt.timedelta(seconds=30)
    assert sweep_at(10)["dispatched"] == 0  # not due yet
    assert len(receiver.requests) == 1
    sweep_at(31)
    delivery.refresh_from_db()
    assert delivery.last_status == 500 and delivery.next_attempt_at == start + dt.timedelta(seconds=31 + 60)
    sweep_at(92)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 3
    keys = {r["headers"]["Idempotency-Key"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and keys == {str(delivery.event_id)}
    assert all(verified(r, subscription.secret, at=r["at"])["id"] == str(delivery.event_id) for r in receiver.requests)


@override_settings(WEBHOOK_MAX_ATTEMPTS=2)
def test_a_receiver_that_keeps_refusing_is_failed_then_retried_by_hand(
    admin_user, lang_son, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with Receiver() as receiver:
        subscribe(admin_user, lang_son, receiver.url, ["results.published"])
        receiver.answers = [500, 500]
        with django_capture_on_commit_callbacks(execute=True):
            webhooks.emit("results.published", province_id=lang_son.pk, about="p:1", data={})
        with time_machine.travel(start + dt.timedelta(minutes=1)), django_capture_on_commit_callbacks(execute=True):
            webhooks.run_sweep()
        delivery = WebhookDelivery.objects.get()
        assert delivery.state == DeliveryState.FAILED and delivery.last_error == "HTTP 500"
        with django_capture_on_commit_callbacks(execute=True):
            webhooks.delivery_retry(actor=admin_user, delivery=delivery)
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DELIVERED and len(receiver.requests) == 3
    # Nobody listening at all: a refused connection is retried like a refusal.
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit("results.published", province_id=lang_son.pk, about="p:2", data={})
    later = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert later.state == DeliveryState.QUEUED and "Connection refused" in later.last_error


def test_an_inactive_subscription_hears_nothing(receiver, admin_user, lang_son, django_capture_on_commit_callbacks):
    subscription = subscribe(admin_user, lang_son, receiver.url, ["document.issued"])
    webhooks.subscription_set_active(actor=admin_user, subscription=subscription, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit("document.issued", province_id=lang_son.pk, about="document:1", data={})
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


def test_an_e_office_registers_an_issued_document_from_the_event_alone(
    receiver,
    admin_user,
    lang_son,
    organiser,
    invitation,  # noqa: F811 (the fixture)
    django_capture_on_commit_callbacks,
):
    """The invitation is issued; once its PDF exists the e-office hears of
    it, with every field it files and the file's checksum; it fetches the
    PDF with its token and checks the checksum. Revoked, it hears that too."""
    from django.test import Client

    from api import services as api_services

    subscription = subscribe(admin_user, lang_son, receiver.url, ["document.issued", "document.revoked"])
    key = api_services.token_create(actor=admin_user, name="QLVB", province=lang_son, scopes=["documents"]).key
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.issue(actor=organiser, document=invitation)
    [request] = receiver.requests
    payload = verified(request, subscription.secret)
    record = payload["data"]["record"]
    document.refresh_from_db()
    assert payload["event"] == "document.issued" and payload["data"]["document_id"] == document.pk
    assert record["number_symbol"] == document.symbol_display
    assert record["summary"] == document.title and record["type_name"] == "Giấy mời"
    assert record["date"] == document.issued_on.isoformat()
    assert record["signer"]["name"] == "Nguyễn Văn A" and record["signer"]["authority"] == ["KT. CHỦ TỊCH"]
    assert record["page_count"] >= 1 and record["issuer"]["id"] == document.issuer_id
    [pdf] = record["files"]
    assert pdf["sha256"] == document.issued_sha256
    path = pdf["url"].split("://", 1)[1].split("/", 1)[1]
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/" + path)
    assert hashlib.sha256(b"".join(answer.streaming_content)).hexdigest() == pdf["sha256"]
    # The identifier was given at issue: the issuer's codes changing later do not rename the document.
    assert record["identifier"] == f"lang-son.{document.issuer.code}.{document.year}.{document.number_text}.GM-UBND"
    Agency.objects.filter(pk=document.issuer_id).update(electronic_id="000.00.22.H36", code="UBND-MOI")
    api_record = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(f"/api/v1/documents/{document.pk}/").json()["record"]
    assert api_record["identifier"] == record["identifier"] and api_record["issuer"]["electronic_id"] == "000.00.22.H36"

    with django_capture_on_commit_callbacks(execute=True):
        document_services.revoke(actor=organiser, document=document, reason="Ban hành nhầm địa điểm")
    revoked = verified(receiver.requests[-1], subscription.secret)
    assert revoked["event"] == "document.revoked"
    assert revoked["data"]["record"]["status"] == "revoked"
    assert revoked["data"]["record"]["revoke_reason"] == "Ban hành nhầm địa điểm"
    assert revoked["id"] != payload["id"]


def test_a_redirect_is_not_a_delivery(receiver, admin_user, lang_son, django_capture_on_commit_callbacks):
    """Followed, a 302 would turn the POST into a body-less GET counted as received."""
    subscribe(admin_user, lang_son, receiver.url, ["document.revoked"])
    receiver.answers = [302]
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit("document.revoked", province_id=lang_son.pk, about="document:8", data={})
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.QUEUED and delivery.last_status == 302
    assert len(receiver.requests) == 1  # nothing followed


def test_a_url_with_a_password_is_refused(admin_user, lang_son):
    from core.exceptions import Refused

    with pytest.raises(Refused) as refused:
        subscribe(admin_user, lang_son, "https://qlvb:matkhau@qlvb.example.gov.vn/su-kien", ["document.issued"])
    assert "mật khẩu" in refused.value.reasons[0]
    with pytest.raises(Refused):
        subscribe(admin_user, lang_son, "ftp://qlvb.example.gov.vn/", ["document.issued"])


def test_moments_in_a_payload_are_written_as_the_api_writes_them(
    receiver, admin_user, lang_son, django_capture_on_commit_callbacks
):
    subscribe(admin_user, lang_son, receiver.url, ["duty.completed"])
    moment = dt.datetime(2026, 5, 29, 1, 30, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit("duty.completed", province_id=lang_son.pk, about="d:1", data={"completed_at": moment})
    payload = json.loads(receiver.requests[0]["body"])
    assert payload["data"]["completed_at"] == "2026-05-29T08:30:00+07:00"
    assert payload["occurred_at"].endswith("+07:00")
