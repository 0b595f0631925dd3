"""The admin in Vietnamese: every page an administrator opens (each
registered model's list, add form and a row's page), Django's own words and
django-celery-beat's included; no column, filter or field named by Django
after an attribute; years as written; lists that fit a 1,366 px screen."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import factory
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, get_fields_from_path, label_for_field
from django.contrib.auth.models import Group, Permission
from django.forms.utils import pretty_name
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import camel_case_to_spaces
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from core import audit
from core.models import AuditEntry

from . import factories
from .conftest import client_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DJANGO = Path(django.__file__).parent
# Where the Vietnamese for the admin comes from: Django's catalogues, and
# ours for what they lack (django-celery-beat's words among them).
CATALOGUES = [
    DJANGO / "contrib/admin/locale/vi/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/vi/LC_MESSAGES/django.po",
    DJANGO / "contrib/contenttypes/locale/vi/LC_MESSAGES/django.po",
    DJANGO / "contrib/sessions/locale/vi/LC_MESSAGES/django.po",
    DJANGO / "conf/locale/vi/LC_MESSAGES/django.po",
    ROOT / "locale/vi/LC_MESSAGES/django.po",
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}|<[^>]+>|&\w+;")


def translated_messages(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of each entry of a .po file with a translation."""
    entries, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?)\s+(".*")$', line)
        if match:
            if match.group(1) in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in current):
                entries.append(current)
                current = {}
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    entries.append(current)
    pairs = []
    for entry in entries:
        msgstr = entry.get("msgstr") or entry.get("msgstr[0]") or ""
        if entry.get("msgid") and msgstr:
            pairs.extend((msgid, msgstr) for msgid in (entry["msgid"], entry.get("msgid_plural", "")) if msgid)
    return pairs


def english_phrases() -> set[str]:
    """The English a page shows where a translation should have been: each
    translated msgid, cut at its placeholders, except what the Vietnamese
    keeps as it is ("IPv4", "salt", "byte") and three-letter words, which
    are Vietnamese names as often as English abbreviations ("Thu", "Lan")."""
    phrases = set()
    for path in CATALOGUES:
        for msgid, msgstr in translated_messages(path):
            for piece in PLACEHOLDER.split(msgid):
                piece = piece.strip(" :.,;()“”\"'…-")
                if not re.search(r"[A-Za-z]{4}|[A-Za-z]{3}.* ", piece) or piece.lower() in msgstr.lower():
                    continue
                phrases.add(piece)
    return phrases


class PageText(HTMLParser):
    """What a page says: its text and the words of its attributes read to
    people (titles, placeholders, labels for screen readers, buttons)."""

    SPOKEN = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self.hidden += 1
        self.parts.extend(value for name, value in attrs.items() if name in self.SPOKEN and value)
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = PageText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def rows(administrator):
    """A row of every model the admin shows, each built by its factory
    (Django's and django-celery-beat's by hand), and audit rows that speak
    of a status change and of a year."""
    builders = {}
    for builder in vars(factories).values():
        if isinstance(builder, type) and issubclass(builder, factory.django.DjangoModelFactory) and builder._meta.model:
            builders.setdefault(builder._meta.get_model_class(), builder)
    for model in admin.site._registry:
        if model in builders:
            builders[model]()
    Group.objects.create(name="Cán bộ tổng hợp").permissions.set(Permission.objects.all()[:3])
    every_day = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.MINUTES)
    mondays = CrontabSchedule.objects.create(minute="0", hour="8", day_of_week="1", timezone="Asia/Ho_Chi_Minh")
    SolarSchedule.objects.create(event="sunrise", latitude=21.85, longitude=106.76)
    ClockedSchedule.objects.create(clocked_time=timezone.now() + dt.timedelta(days=1))
    PeriodicTask.objects.create(name="Quét nhắc hạn", task="notifications.sweep", interval=every_day)
    PeriodicTask.objects.create(name="Tổng hợp tuần", task="config.heartbeat", crontab=mondays)
    presentation = factories.PresentationFactory()
    audit.record(
        actor=administrator,
        action="presentation.revise",
        target=presentation,
        before={"status": "submitted"},
        after={"status": "revision"},
        note="Đề nghị rút gọn phần kết quả.",
    )
    framework = factories.FrameworkFactory(year=2024)
    audit.record(actor=None, action="framework.load", target=framework, after={"year": 2024, "criteria": 25})
    missing = [model._meta.label for model in admin.site._registry if not model._default_manager.exists()]
    assert missing == []  # a model the admin shows and this fixture does not build
    return {"presentation": presentation, "framework": framework}


def admin_pages(request) -> list[str]:
    """The admin's index, each app's page, and for every model its list, its
    add form, its first row's page, history and delete page, where allowed."""
    pages = [reverse("admin:index")]
    pages += sorted({reverse("admin:app_list", args=[m._meta.app_label]) for m in admin.site._registry})
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"{name}_add"))
        row = model._default_manager.order_by("pk").first()
        pages.append(reverse(f"{name}_change", args=[row.pk]))
        pages.append(reverse(f"{name}_history", args=[row.pk]))
        if model_admin.has_delete_permission(request, row):
            pages.append(reverse(f"{name}_delete", args=[row.pk]))
    user = apps.get_model("agencies", "User").objects.order_by("pk").first()
    pages.append(reverse("admin:auth_user_password_change", args=[user.pk]))
    pages.append(reverse("admin:indices_framework_load"))
    return pages


def admin_request(user):
    request = RequestFactory().get("/quan-tri/")
    request.user = user
    return request


def test_every_admin_page_is_in_vietnamese(rows, administrator):
    client = client_for(administrator)
    phrases = sorted(english_phrases(), key=len, reverse=True)
    patterns = [(phrase, re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")) for phrase in phrases]
    english = {}
    for url in admin_pages(admin_request(administrator)):
        response = client.get(url)
        assert response.status_code == 200, url
        text = page_text(response.content.decode())
        found = [phrase for phrase, pattern in patterns if pattern.search(text)]
        if found:
            english[url] = found
    assert english == {}


def test_no_admin_label_is_made_up_from_an_attribute_name(administrator):
    """Django names what has no name after the attribute, in English
    ("Created at", "Lead display", "Number counters"): nothing the admin
    shows is named so."""
    request = admin_request(administrator)
    made_up = []
    with translation.override("vi"):
        for model, model_admin in admin.site._registry.items():
            if str(model._meta.verbose_name_plural) == camel_case_to_spaces(model.__name__) + "s":
                made_up.append(model._meta.label)
            shown = [(model, model_admin, name) for name in model_admin.get_list_display(request)]
            for path in (f for f in model_admin.list_filter if isinstance(f, str)):
                field = get_fields_from_path(model, path)[-1]
                if str(field.verbose_name).lower() == pretty_name(field.name).lower():
                    made_up.append(f"{model._meta.label} filter {path}")
            shown += [(model, model_admin, f) for f in flatten_fieldsets(model_admin.get_fieldsets(request))]
            for inline in model_admin.get_inline_instances(request):
                shown += [(inline.model, inline, f) for f in flatten_fieldsets(inline.get_fieldsets(request))]
            for owner, owner_admin, name in shown:
                if not isinstance(name, str) or name == "action_checkbox":
                    continue
                form = owner_admin.get_form(request) if hasattr(owner_admin, "get_form") else None
                if form is not None and name in form.base_fields and name not in {f.name for f in owner._meta.fields}:
                    continue  # a form's own field (a password twice): labelled by its form
                if str(label_for_field(name, owner, owner_admin)).lower() == pretty_name(name).lower():
                    made_up.append(f"{owner._meta.label}.{name}")
    assert made_up == []


def test_years_are_written_without_a_thousands_separator(rows, administrator):
    client = client_for(administrator)
    framework = rows["framework"]
    for url in (
        reverse("admin:indices_framework_changelist"),
        reverse("admin:indices_framework_change", args=[framework.pk]),
        reverse("admin:indices_nationalresult_changelist"),
        reverse("admin:indices_publication_changelist"),
    ):
        text = page_text(client.get(url).content.decode())
        assert "2024" in text or "2025" in text, url
        assert not re.search(r"\b20\d\.\d{3}\b|\b2\.0\d\d\b", text), url


def test_permissions_are_named_in_vietnamese(rows, administrator):
    group = Group.objects.get(name="Cán bộ tổng hợp")
    page = client_for(administrator).get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    assert "Hội nghị và kế hoạch | Xem hội nghị" in page
    assert "Tác vụ định kỳ | Thêm tác vụ định kỳ" in page
    assert "Can add" not in page and "Can view" not in page


def test_periodic_tasks_read_in_vietnamese(rows, administrator):
    text = page_text(
        client_for(administrator).get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    )
    assert "Tác vụ định kỳ" in text and "Lịch chạy" in text
    assert "mỗi 2 phút" in text
    assert "Tại 08:00, chỉ trên thứ Hai (Asia/Ho_Chi_Minh)" in text


def test_the_admin_scripts_speak_vietnamese(administrator):
    """The calendar and the two-list picker read their words from the
    JavaScript catalogue, which Django leaves partly English."""
    catalogue = client_for(administrator).get(reverse("admin:jsi18n")).content.decode()
    for word in ("Chủ nhật", "Thứ Hai", "Chọn tất cả %s", "Hôm nay"):
        assert json.dumps(word)[1:-1] in catalogue  # as the catalogue writes it: \u escapes


def test_the_audit_admin_shows_labels_not_codes(rows, administrator):
    entry = AuditEntry.objects.get(action="presentation.revise")
    client = client_for(administrator)
    text = page_text(client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).content.decode())
    assert "Tình trạng: Đã gửi, chờ xem xét → Cần chỉnh sửa" in text
    assert "Yêu cầu chỉnh sửa tham luận" in text
    assert "presentation.revise" not in text and "submitted" not in text
    listing = page_text(client.get(reverse("admin:core_auditentry_changelist")).content.decode())
    assert "Yêu cầu chỉnh sửa tham luận" in listing and "presentation.revise" not in listing


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_admin_list_fits_a_1366_pixel_screen(browser, live_server, administrator, rows):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    client = client_for(administrator)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    too_wide = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page.goto(live_server.url + url)
        widths = page.evaluate(
            """() => ({page: document.documentElement.scrollWidth,
                       table: document.querySelector('#result_list').scrollWidth,
                       room: document.querySelector('.results').clientWidth})"""
        )
        if widths["page"] > 1366 or widths["table"] > widths["room"]:
            too_wide[url] = widths
    context.close()
    assert too_wide == {}
