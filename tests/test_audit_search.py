"""Searching the audit trail, on the portal's page (/nhat-ky/) and in the
admin: by text, by who, by the kind of row and by date; every entry shown
under Vietnamese names, statuses by their labels."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core import audit
from core.models import AuditEntry

from .conftest import client_for
from .factories import AgencyFactory, FrameworkFactory, PresentationFactory

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))


def at(entry: AuditEntry, day: dt.date) -> AuditEntry:
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=dt.datetime.combine(day, dt.time(9), VN))
    return entry


@pytest.fixture
def trail(organiser, other_organiser, lang_son):
    """An organiser's agency edit, a presentation sent back for revision, a
    framework loaded by the system (with its count of criteria, a reverse
    relation) and another province's edit, on four days."""
    agency = AgencyFactory(province=lang_son, name="Sở Xây dựng tỉnh Lạng Sơn")
    edit = audit.record(
        actor=organiser, action="agency.update", target=agency, before={"phone": ""}, after={"phone": "0205"}
    )
    presentation = PresentationFactory(assignment__conference__province=lang_son)
    revise = audit.record(
        actor=organiser,
        action="presentation.revise",
        target=presentation,
        before={"status": "submitted"},
        after={"status": "revision"},
        note="Đề nghị rút gọn phần kết quả",
    )
    framework = FrameworkFactory(year=2024)
    load = audit.record(
        actor=None, action="framework.load", target=framework, province_id=lang_son.pk, after={"criteria": 25}
    )
    theirs = audit.record(
        actor=other_organiser,
        action="agency.update",
        target=AgencyFactory(province=other_organiser.province, name="Sở Xây dựng tỉnh Lào Cai"),
        after={"phone": "0214"},
    )
    return {
        "edit": at(edit, dt.date(2026, 3, 2)),
        "revise": at(revise, dt.date(2026, 3, 10)),
        "load": at(load, dt.date(2026, 3, 20)),
        "theirs": at(theirs, dt.date(2026, 3, 10)),
    }


def shown(response) -> list[int]:
    return [entry.pk for entry in response.context["entries"]]


def test_the_viewer_opens_with_every_kind_of_entry(trail, administrator):
    response = client_for(administrator).get(reverse("core:audit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tiêu chí" in page  # a framework's criteria: a reverse relation, named by its rows
    assert "Đã gửi, chờ xem xét" in page and "Cần chỉnh sửa" in page
    assert "submitted" not in page and "revision" not in page


def test_the_viewer_finds_by_text_without_diacritics(trail, organiser):
    client = client_for(organiser)
    search = reverse("core:audit")
    assert shown(client.get(search, {"q": "so xay dung"})) == [trail["edit"].pk]
    assert shown(client.get(search, {"q": "rút gọn"})) == [trail["revise"].pk]
    assert shown(client.get(search, {"q": "khong co gi"})) == []


def test_the_viewer_filters_by_who(trail, organiser):
    client = client_for(organiser)
    search = reverse("core:audit")
    assert shown(client.get(search, {"nguoi": organiser.pk})) == [trail["revise"].pk, trail["edit"].pk]
    assert shown(client.get(search, {"nguoi": "he-thong"})) == [trail["load"].pk]
    names = [label for _, label in client.get(search).context["form"].fields["nguoi"].choices]
    assert names == ["Tất cả", organiser.get_full_name(), "Hệ thống"]  # not the other province's


def test_the_viewer_filters_by_kind_of_row(trail, organiser):
    client = client_for(organiser)
    search = reverse("core:audit")
    assert shown(client.get(search, {"loai": "agencies.agency"})) == [trail["edit"].pk]
    assert shown(client.get(search, {"loai": "submissions.presentation"})) == [trail["revise"].pk]
    kinds = dict(client.get(search).context["form"].fields["loai"].choices)
    assert kinds["indices.framework"] == "Bộ chỉ số"


def test_the_viewer_filters_by_date(trail, organiser):
    client = client_for(organiser)
    search = reverse("core:audit")
    assert shown(client.get(search, {"tu_ngay": "05/03/2026", "den_ngay": "15/03/2026"})) == [trail["revise"].pk]
    assert shown(client.get(search, {"den_ngay": "02/03/2026"})) == [trail["edit"].pk]


def test_the_admin_trail_searches_and_filters(trail, administrator):
    client = client_for(administrator)
    changelist = reverse("admin:core_auditentry_changelist")

    def listed(**params):
        response = client.get(changelist, params)
        assert response.status_code == 200
        return {entry.pk for entry in response.context["cl"].result_list}

    assert listed(q="Lào Cai") == {trail["theirs"].pk}
    assert listed(q="so xay dung tinh lang son") == {trail["edit"].pk}
    assert listed(q="rút gọn") == {trail["revise"].pk}
    assert listed(actor=trail["edit"].actor_id) == {trail["edit"].pk, trail["revise"].pk}
    assert listed(actor="he-thong") == {trail["load"].pk}
    assert listed(kind="agencies.agency") == {trail["edit"].pk, trail["theirs"].pk}
    assert listed(action="presentation.revise") == {trail["revise"].pk}
    assert listed(created_at__gte="2026-03-05 00:00+07:00", created_at__lt="2026-03-15 00:00+07:00") == {
        trail["revise"].pk,
        trail["theirs"].pk,
    }
    assert listed(created_at__year="2026", created_at__month="3", created_at__day="20") == {trail["load"].pk}


def test_the_admin_trail_names_actions_and_kinds(trail, administrator):
    html = client_for(administrator).get(reverse("admin:core_auditentry_changelist")).content.decode()
    page = re.sub(r"<[^>]+>", " ", html)  # what it says, not its links' addresses
    for label in ("Yêu cầu chỉnh sửa tham luận", "Nạp bộ chỉ số", "Bộ chỉ số", "Tham luận", "Hệ thống"):
        assert label in page
    for code in ("presentation.revise", "framework.load", "Indices | ", "agencies | agency"):
        assert code not in page


def test_an_entry_reads_in_local_time_with_its_label(trail):
    entry = AuditEntry.objects.get(pk=trail["revise"].pk)
    assert str(entry) == f"09:00 10/3/2026 {entry.actor_name}: Yêu cầu chỉnh sửa tham luận"
    assert timezone.localtime(entry.created_at).hour == 9
