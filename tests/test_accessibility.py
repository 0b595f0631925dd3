"""Accessible to everyone: axe-core over every page each demo role reaches
(WCAG 2.1 A and AA), with no serious or critical violation. axe is the copy
bundled in the axe-playwright-python package, injected from the virtualenv:
no CDN, no network.

A role's pages are found as a user finds them: from the home page, every
link of the portal is followed once per kind of page (`/hoi-nghi/4/` stands
for every conference), skipping files and the pickers' JSON."""

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from django.core.management import call_command

from agencies.models import User
from conferences.models import Conference, ConferenceStatus
from demo.directory import ADMIN_USERNAME

from .factories import MessageFactory
from .test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Evaluated rather than added as a <script>: the portal's Content-Security-Policy
# refuses inline scripts, and a test must not need the policy loosened.
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
# label-content-name-mismatch (the visible label inside the accessible name,
# WCAG 2.5.3) is marked experimental in axe, so it runs only when asked.
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    rules: {'label-content-name-mismatch': {enabled: true}},
    resultTypes: ['violations'],
}).then(results => results.violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' '))})))"""

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Downloads, the pickers' JSON, leaving, the admin (visited on its own), and
# opening a notice (it marks the notice read and redirects to its subject).
NOT_A_PAGE = re.compile(
    r"\.(xlsx|xls|pdf|ics|zip|docx|csv)$|/tep/|/tai-ve/|/chon/|/dang-xuat/|/i18n/|^/quan-tri/|^/thong-bao/\d+/$"
)

# What each role's crawl must reach, so that it cannot silently shrink.
MUST_REACH = {
    "langson.noivu": {
        "/",
        "/hoi-nghi/",
        "/hoi-nghi/<id>/",
        "/hoi-nghi/<id>/theo-doi/",
        "/hoi-nghi/<id>/gui-giay-moi/",
        "/hoi-nghi/<id>/nhac-han/",
        "/hoi-nghi/<id>/tham-luan/",
        "/ke-hoach/",
        "/tham-luan/<id>/",
        "/van-ban/",
        "/van-ban/<id>/",
        "/chi-so/",
        "/chi-so/bo/<id>/xep-hang/",
        "/chi-so/bo/<id>/phan-tich/",
        "/chi-so/danh-gia/<id>/",
        "/chi-so/bang-xep-hang/",
        "/chi-so/so-sanh/",
        "/danh-ba/",
        "/danh-ba/don-vi/<id>/",
        "/thong-bao/",
        "/giay-moi/<id>/",
        "/nhiem-vu/<id>/",
    },
    "langson.taichinh": {
        "/",
        "/giay-moi/",
        "/giay-moi/<id>/",
        "/nhiem-vu/",
        "/tham-luan/<id>/",
        "/chi-so/danh-gia/<id>/",
        "/chi-so/bang-xep-hang/",
        "/thong-bao/",
    },
    "langson.tamthanh": {"/", "/giay-moi/<id>/", "/tham-luan/<id>/", "/chi-so/danh-gia/<id>/", "/thong-bao/"},
    "langson.lanhdao": {"/", "/hoi-nghi/<id>/theo-doi/", "/chi-so/bo/<id>/phan-tich/", "/van-ban/<id>/"},
    ADMIN_USERNAME: {"/", "/ke-hoach/<id>/", "/hoi-nghi/<id>/gui-giay-moi/", "/nhat-ky/"},
}


def page_kind(path: str) -> str:
    return re.sub(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27})(?=/)", "/<id>", path)


def portal_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    paths = [urlsplit(href).path for href in hrefs if href.startswith("/") and not href.startswith("//")]
    return [path for path in paths if not NOT_A_PAGE.search(path)]


def axe_problems(page) -> list[str]:
    page.evaluate(AXE_JS)
    return [f"{v['id']} ({v['impact']}): {', '.join(v['targets'])}" for v in page.evaluate(AXE_RUN)]


def audit(page, live_server, *starts: str) -> tuple[dict[str, list[str]], set[str]]:
    """Every kind of page reachable from `starts`, once: {path: problems}."""
    found, kinds, queue = {}, set(), list(starts)
    while queue:
        path = queue.pop(0)
        if page_kind(path) in kinds:
            continue
        kinds.add(page_kind(path))
        response = page.goto(live_server.url + path)
        if response.status >= 500:
            found[path] = [f"HTTP {response.status}"]
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        found[path] = axe_problems(page)
        queue += [link for link in portal_links(page) if page_kind(link) not in kinds]
    return found, kinds


def admin_audit(page, live_server) -> dict[str, list[str]]:
    """The admin's index, every list it links to and a change form with an autocomplete."""
    page.goto(f"{live_server.url}/quan-tri/")
    lists = sorted(set(re.findall(r'href="(/quan-tri/\w+/\w+/)"', page.content())))
    assert len(lists) >= 3
    found = {"/quan-tri/": axe_problems(page)}
    for path in [*lists, "/quan-tri/agencies/agency/add/"]:
        page.goto(live_server.url + path)
        found[path] = axe_problems(page)
    return found


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{path}: {problem}" for path, problems in found.items() for problem in problems)


def _with_unread_notice(username: str):
    # The bell and the phone menu's button show an unread count only when
    # there is one; their names must hold it.
    user = User.objects.get(username=username)
    if user.agency_id:
        MessageFactory(user=user, link="/thong-bao/")


@pytest.mark.parametrize("username", list(MUST_REACH))
def test_every_page_of_a_role_has_no_serious_accessibility_violation(browser, live_server, username):
    call_command("seed_demo", stdout=io.StringIO())
    _with_unread_notice(username)
    page = browser.new_context(viewport=DESKTOP, locale="vi-VN").new_page()
    login(page, live_server, username)
    starts = ["/"]
    if username in ("langson.noivu", ADMIN_USERNAME):
        # The conference whose invitations are out comes first: its page
        # is the one that leads to sending them.
        invited = Conference.objects.filter(province__code="lang-son", status=ConferenceStatus.INVITED).first()
        starts.insert(0, f"/hoi-nghi/{invited.pk}/")
    found, kinds = audit(page, live_server, *starts)
    assert MUST_REACH[username] <= kinds, sorted(MUST_REACH[username] - kinds)
    if username == ADMIN_USERNAME:
        found |= admin_audit(page, live_server)
    page.context.close()
    assert not report(found), f"{username}, {len(found)} pages checked:\n{report(found)}"


def test_officials_pages_on_a_phone_have_no_serious_accessibility_violation(browser, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    found = {}
    for username in ("langson.taichinh", "langson.tamthanh"):
        _with_unread_notice(username)
        page = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True).new_page()
        login(page, live_server, username)
        pages, _ = audit(page, live_server, "/")
        found |= {f"{username} {path}": problems for path, problems in pages.items()}
        page.context.close()
    assert len(found) > 20
    assert not report(found), f"{len(found)} pages checked:\n{report(found)}"


def test_login_and_password_reset_pages_have_no_serious_accessibility_violation(page, live_server):
    found, kinds = audit(page, live_server, "/tai-khoan/dang-nhap/")
    assert {"/tai-khoan/dang-nhap/", "/tai-khoan/quen-mat-khau/"} <= kinds
    assert not report(found), report(found)
