"""Frameworks are data: loaded from JSON or XLSX (indices.loading reads and
checks them), saved here in one transaction, audited."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from core import audit
from core.exceptions import Refused

from ..loading import framework_check, framework_data
from ..models import Criterion, Framework


@transaction.atomic
def framework_load(data: dict, *, actor=None) -> Framework:
    """Create a framework from its data, or raise Refused with every problem."""
    maximum, rows, problems = framework_check(data)
    if problems:
        raise Refused(*problems)
    framework = Framework.objects.create(
        code=data["code"],
        year=int(data["year"]),
        name=data["name"],
        index=data["index"],
        subject=data["subject"],
        unit=data.get("unit", Framework.Unit.POINTS),
        maximum=maximum,
        bonus_cap=Decimal(str(data["bonus_cap"]).replace(",", "."))
        if data.get("bonus_cap") not in (None, "")
        else None,
        penalty_cap=(
            Decimal(str(data["penalty_cap"]).replace(",", ".")) if data.get("penalty_cap") not in (None, "") else None
        ),
        legal_basis=data.get("legal_basis", ""),
        is_example=bool(data.get("is_example")),
        note=data.get("note", ""),
    )
    by_code: dict[str, Criterion] = {}
    for order, (code, parent, name, top, method, level) in enumerate(rows, start=1):
        by_code[code] = Criterion.objects.create(
            framework=framework,
            parent=by_code.get(parent),
            code=code,
            name=name,
            maximum=top,
            method=method,
            level=level,
            order=order,
        )
    audit.record(
        actor=actor,
        action="framework.load",
        target=framework,
        after={"code": framework.code, "year": framework.year, "criteria": len(rows)},
    )
    return framework


def framework_copy(*, framework: Framework, year: int, actor=None) -> Framework:
    return framework_load({**framework_data(framework), "year": year}, actor=actor)
