import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from agencies.models import Agency, AgencyKind, Person, Province, User

pytestmark = pytest.mark.django_db


def database_state():
    from core.models import AuditEntry

    return {
        "provinces": list(Province.objects.order_by("pk").values()),
        "agencies": list(Agency.objects.order_by("pk").values()),
        "people": list(Person.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_seed_demo_loads_three_provinces():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for code in ("lang-son", "lai-chau", "lao-cai"):
        province = Province.objects.get(code=code)
        agencies = Agency.objects.filter(province=province)
        assert agencies.filter(kind=AgencyKind.DEPARTMENT).count() == 11
        assert agencies.filter(kind=AgencyKind.COMMITTEE_OFFICE).count() == 1
        for kind in ("ubnd_tinh", "hdnd", "mttq", "cong_an", "buu_dien", "bao_chi"):
            assert agencies.filter(kind=kind).exists(), (code, kind)
        assert agencies.filter(kind__in=["xa", "phuong", "dac_khu"]).count() >= 20
        roles = set(User.objects.filter(agency__province=province).values_list("role", flat=True))
        assert roles == {"organiser", "leader", "official"}
        official_kinds = set(
            User.objects.filter(agency__province=province, role="official").values_list("agency__kind", flat=True)
        )
        assert "so_ban_nganh" in official_kinds and official_kinds & {"xa", "phuong"}
    assert User.objects.filter(role="administrator").count() == 1


def test_seed_demo_second_run_changes_nothing():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = database_state()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert database_state() == first


def test_seed_demo_refused_under_production():
    with override_settings(DEMO_DATA_ALLOWED=False):
        with pytest.raises(CommandError, match="production"):
            call_command("seed_demo")
    assert Agency.objects.count() == 0


def test_demo_accounts_json_lines_log_in(client, capsys):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    capsys.readouterr()
    call_command("demo_accounts", json=True)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["role"] for line in lines} == {"administrator", "organiser", "official", "leader"}
    assert all(set(line) == {"username", "password", "role", "agency", "province"} for line in lines)
    by_name = {line["username"]: line for line in lines}
    assert by_name["langson.noivu"]["province"] == "Lạng Sơn"
    assert by_name["langson.noivu"]["agency"] == "Sở Nội vụ tỉnh Lạng Sơn"
    for line in lines:
        assert client.login(username=line["username"], password=line["password"]), line["username"]
