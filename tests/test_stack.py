"""The documented production stack, booted on this machine (tests/stack.py):
nginx with deploy/nginx.conf in front of gunicorn with deploy/gunicorn.conf.py,
a Celery worker and beat, PostgreSQL and Redis of its own, and a real SMTP
server. An organiser logs in through nginx, drafts and issues an invitation
and sends it; each invited agency receives its PDF once. Then, under light
traffic, an agency is added and sent to while Redis and PostgreSQL are
restarted: the site answers again, nothing is lost and nothing is sent twice.

Set-up steps a person does not click (the conference and its invitees, the
demo data) go through `manage.py` (seed_demo under the local settings, which
allow it; services in `manage.py shell`); the organiser's steps go through
the pages, as a browser posts them."""

from __future__ import annotations

import email
import io
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from .smtp_server import SMTPServer
from .stack import ROOT, Stack, missing, page_forms, wait_for

needs_stack = pytest.mark.skipif(
    bool(missing()), reason=f"not installed: {', '.join(missing())} (make system-packages)"
)

PASSWORD = "cchc-demo-2026"
INVITED = ("STC", "STP", "SXD")
ADDED = "SYT"

SETUP = """
import datetime as dt
from django.utils import timezone
from agencies.models import Agency, Province, User
from conferences.models import Conference, ConferenceKind, ContentItem, InviteeLine, InviteeRole
province = Province.objects.get(code="lang-son")
units = {a.code: a for a in Agency.objects.filter(province=province)}
day = timezone.localdate() + dt.timedelta(days=30)
while day.weekday() >= 5:
    day += dt.timedelta(days=1)
conference = Conference(
    province=province, kind=ConferenceKind.OTHER, title="Hội nghị kiểm tra hệ thống",
    issuing_authority=units["SNV"], focal_agency=units["SNV"], index_years=[day.year - 1], date=day,
    start_time=dt.time(8, 0), end_time=dt.time(11, 0), reply_deadline=day - dt.timedelta(days=5),
    venue="Hội trường Sở Nội vụ", chair="Giám đốc Sở Nội vụ",
    created_by=User.objects.get(username="langson.noivu"),
)
conference.full_clean()
conference.save()
ContentItem.objects.create(conference=conference, order=1, text="Đánh giá kết quả cải cách hành chính quý.")
invited = [units[code] for code in values["invited"]]
line = InviteeLine.objects.create(
    conference=conference, order=1, text="Lãnh đạo Sở Tài chính, Sở Tư pháp, Sở Xây dựng",
    target=InviteeLine.Target.AGENCY, agency=invited[0], role=InviteeRole.DELEGATE, quota=1,
)
line.also.set(invited[1:])
emails = {code: units[code].email for code in [*values["invited"], values["added"]]}
print(json.dumps({"conference": conference.pk, "emails": emails}))
"""

ADD_INVITEE = """
from agencies.models import Agency, User
from conferences.models import Conference, InviteeLine, InviteeRole
from conferences.services import conference_part_save
conference = Conference.objects.get(pk=values["pk"])
organiser = User.objects.get(username="langson.noivu")
agency = Agency.objects.get(province=conference.province, code=values["added"])
new = {"text": "Lãnh đạo " + agency.name, "target": InviteeLine.Target.AGENCY, "agency": agency,
       "role": InviteeRole.DELEGATE, "quota": 1}
conference_part_save(actor=organiser, conference=conference, part="invitees", rows=[new],
                     reason="Mời thêm Sở Y tế")
print(json.dumps(True))
"""

OUTBOX = """
from notifications.models import Message
rows = Message.objects.filter(scope=f"conferences.conference:{values['pk']}", channel="email").order_by("pk")
print(json.dumps([[m.email, m.state, m.attempts] for m in rows]))
"""


class Browser:
    """A person's browser on the portal: one session through nginx, posting
    forms with their CSRF token and the page as Referer, as a browser does."""

    def __init__(self, stack: Stack):
        import requests

        self.base = stack.base_url
        self.session = requests.Session()
        self.session.verify = str(stack.certificate)
        self.session.trust_env = False  # loopback only: no proxy, our certificate

    def get(self, path: str, *, timeout: float = 30):
        return self.session.get(self.base + path, timeout=timeout)

    def post(self, path: str, data=None, *, page: str | None = None):
        data = list(data.items() if isinstance(data, dict) else data or [])
        if not any(name == "csrfmiddlewaretoken" for name, _ in data):
            data.append(("csrfmiddlewaretoken", self.session.cookies.get("csrftoken", "")))
        referer = self.base + (page or path)
        return self.session.post(self.base + path, data=data, headers={"Referer": referer}, timeout=60)

    def login(self, username: str):
        self.get("/tai-khoan/dang-nhap/")
        response = self.post("/tai-khoan/dang-nhap/", {"username": username, "password": PASSWORD})
        assert response.history and response.url == self.base + "/", f"login of {username} failed: {response.url}"
        return response


def messages(response) -> list[str]:
    found = re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', response.text, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m)).strip() for m in found]


def pdf_attachment(message: email.message.Message) -> tuple[str, str]:
    for part in message.walk():
        if part.get_content_type() == "application/pdf":
            reader = PdfReader(io.BytesIO(part.get_payload(decode=True)))
            return part.get_filename(), "\n".join(page.extract_text() for page in reader.pages)
    raise AssertionError(f"no PDF attached to {message['Subject']}")


class Traffic(threading.Thread):
    """Light traffic: a leader reading pages, one request every 0.2 s, each
    result kept with its time."""

    def __init__(self, stack: Stack, paths: list[str]):
        super().__init__(daemon=True)
        self.browser = Browser(stack)
        self.browser.login("langson.lanhdao")
        self.paths = paths
        self.results: list[tuple[float, str, int | str]] = []
        self.done = threading.Event()

    def run(self):
        i = 0
        while not self.done.is_set():
            path = self.paths[i % len(self.paths)]
            try:
                outcome = self.browser.get(path, timeout=10).status_code
            except Exception as exc:  # noqa: BLE001 - a refused connection is a result here
                outcome = type(exc).__name__
            self.results.append((time.monotonic(), path, outcome))
            i += 1
            self.done.wait(0.2)


@pytest.fixture(scope="module")
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture(scope="module")
def stack(smtp):
    # Not pytest's tmp_path: PostgreSQL runs as its own user and must reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="cchc-stack-"))
    stack = Stack(folder, smtp_port=smtp.port)
    try:
        stack.prepare()
        stack.manage("seed_demo", settings="config.settings.local")
        stack.start()
        yield stack
    finally:
        stack.stop()
        # STACK_KEEP=1 keeps the folder (logs/ has every process's log) for a look.
        if not os.environ.get("STACK_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)


def invitation_mails(smtp, conference_title: str) -> list[dict]:
    with smtp.mailbox.lock:
        return [d for d in smtp.mailbox.delivered if conference_title in d["subject"]]


def test_nginx_body_limits_match_the_portals_upload_limits(settings):
    """deploy/nginx.conf cuts bodies off by the same prefixes and sizes as
    settings.UPLOAD_LIMITS, so neither refuses what the other allows."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    https = conf[conf.index("ssl_certificate ") :]
    nginx = {"/": int(re.search(r"^    client_max_body_size (\d+)m;", https, re.M).group(1))}
    for prefix, size in re.findall(r"location (/[^ ]*) \{\s*client_max_body_size (\d+)m;", https):
        nginx[prefix] = int(size)
    assert nginx == {prefix: -(-limit // 2**20) for prefix, limit in settings.UPLOAD_LIMITS.items()}


@pytest.mark.stack
@needs_stack
def test_stack_sends_invitations_once_through_restarts_of_redis_and_postgresql(stack, smtp):
    started = time.monotonic()
    setup = stack.shell(SETUP, invited=INVITED, added=ADDED)
    pk, emails = setup["conference"], setup["emails"]
    title = "Hội nghị kiểm tra hệ thống"

    organiser = Browser(stack)
    login_page = organiser.get("/tai-khoan/dang-nhap/")
    # nginx: the request id reaches the portal and comes back; static files
    # are nginx's, with their hashed names cached for good; media is never served.
    assert re.fullmatch(r"[0-9a-f]{32}", login_page.headers["X-Request-ID"])
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', login_page.text).group(1)
    css = organiser.get(stylesheet)
    assert css.status_code == 200 and "immutable" in css.headers["Cache-Control"]
    assert organiser.get("/media/anything.pdf").status_code == 404
    organiser.login("langson.noivu")

    # Draft the invitation from the conference's data, sign it, issue it.
    draft = organiser.post(f"/hoi-nghi/{pk}/soan/giay-moi/", page=f"/hoi-nghi/{pk}/")
    document = int(re.search(r"/van-ban/(\d+)/soan/$", draft.url).group(1))
    edit = f"/van-ban/{document}/soan/"
    form = next(f for f in page_forms(organiser.get(edit).text) if f["action"] == "")
    fields = [(n, v) for n, v in form["fields"] if n not in ("signer_title", "signer_name")]
    saved = organiser.post(edit, [*fields, ("signer_title", "GIÁM ĐỐC"), ("signer_name", "Nguyễn Văn An")])
    assert "Đã lưu dự thảo." in messages(saved), messages(saved)
    issued = organiser.post(f"/van-ban/{document}/ban-hanh/", page=f"/van-ban/{document}/")
    assert any(m.startswith("Đã ban hành văn bản số") for m in messages(issued)), messages(issued)

    # Send: each invited agency receives its own copy, once.
    send = f"/hoi-nghi/{pk}/gui-giay-moi/"
    sent = organiser.post(send)
    assert any("Đang gửi giấy mời tới 3 đơn vị" in m for m in messages(sent)), messages(sent)
    assert wait_for(lambda: len(invitation_mails(smtp, title)) >= 3, 120), stack.report()
    for mail in invitation_mails(smtp, title):
        name, text = pdf_attachment(mail["message"])
        assert name.endswith(".pdf") and title.upper() in text.upper().replace("\n", " ")

    # Light traffic while an agency is added and sent to, and Redis then
    # PostgreSQL restart under it.
    traffic = Traffic(stack, ["/", "/hoi-nghi/", f"/hoi-nghi/{pk}/", "/thong-bao/", "/giay-moi/"])
    traffic.start()
    time.sleep(1)
    assert stack.shell(ADD_INVITEE, pk=pk, added=ADDED)
    again = organiser.post(send)
    assert any("Đang gửi giấy mời tới 1 đơn vị" in m for m in messages(again)), messages(again)
    windows = []
    for restart in (stack.redis.restart, stack.postgres.restart):
        down = time.monotonic()
        restart()
        assert wait_for(lambda: organiser.get(f"/hoi-nghi/{pk}/").status_code == 200, 60), stack.report()
        windows.append((down, time.monotonic()))
        time.sleep(2)
    assert wait_for(lambda: len(invitation_mails(smtp, title)) >= 4, 120), stack.report()
    time.sleep(5)  # anything sent twice would have arrived by now
    traffic.done.set()
    traffic.join(timeout=15)

    delivered = sorted(mail["to"][0] for mail in invitation_mails(smtp, title))
    assert delivered == sorted(emails.values())
    outbox = stack.shell(OUTBOX, pk=pk)
    assert sorted(address for address, _, _ in outbox) == sorted(emails.values())
    assert {state for _, state, _ in outbox} == {"sent"}

    # The traffic: answered before and after each restart; a failure only while one ran.
    failures = [(t, path, outcome) for t, path, outcome in traffic.results if outcome != 200]
    outside = [f for f in failures if not any(start - 0.5 <= f[0] <= end + 0.5 for start, end in windows)]
    assert not outside, outside
    assert len(traffic.results) >= 50 and all(outcome == 200 for _, _, outcome in traffic.results[-10:])
    # What a supervisor (systemd's Restart=always) had to start again: only
    # the Celery worker may exit, when Redis goes away while it acknowledges
    # a task (Celery 5.7 acks on the connection it just closed; the task is
    # delivered again later and does nothing twice).
    restarted = {service.name: service.restarts for service in stack.services if service.restarts}
    assert set(restarted) <= {"worker"}, restarted
    print(
        f"\nstack: {len(traffic.results)} requests under restarts, {len(failures)} failed while restarting; "
        f"started again by the supervisor: {restarted or 'none'}; test body {time.monotonic() - started:.0f} s"
    )
