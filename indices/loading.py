"""Frameworks are data: loaded from JSON (or the same shape read from XLSX),
checked, and saved in one transaction. A framework whose maxima do not add
up is refused with every reason, in Vietnamese; nothing is saved."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from agencies.permissions import Refused

from .models import Criterion, Framework, IndexKind

SHIPPED = Path(__file__).resolve().parent / "frameworks"


def _decimal(value, where: str, problems: list[str]) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems.append(_("%(where)s: “%(value)s” không phải là số.") % {"where": where, "value": value})
        return Decimal("0")
    if number < 0:
        problems.append(_("%(where)s: điểm tối đa không được âm.") % {"where": where})
    return number


def _walk(nodes: list[dict], parent_code: str, level: int, seen: set, problems: list[str], out: list[tuple]):
    for node in nodes:
        code = str(node.get("code", "")).strip()
        where = _("Tiêu chí %(code)s") % {"code": code or "?"}
        if not code:
            problems.append(_("Có tiêu chí thiếu mã."))
        elif code in seen:
            problems.append(_("Mã tiêu chí %(code)s bị trùng.") % {"code": code})
        elif parent_code and not code.startswith(parent_code + "."):
            problems.append(_("Mã %(code)s không nằm dưới tiêu chí cha %(parent)s.") % {"code": code, "parent": parent_code})
        seen.add(code)
        maximum = _decimal(node.get("maximum"), where, problems)
        method = node.get("method", Criterion.Method.APPRAISAL)
        if method not in Criterion.Method.values:
            problems.append(_("%(where)s: cách chấm “%(method)s” không hợp lệ.") % {"where": where, "method": method})
        children = node.get("children") or []
        out.append((code, parent_code, str(node.get("name", "")).strip(), maximum, method, level))
        if children:
            total = sum((_decimal(c.get("maximum"), where, []) for c in children), Decimal("0"))
            if total != maximum:
                problems.append(_("Tiêu chí %(code)s: tổng điểm các tiêu chí con là %(sum)s, khác điểm tối đa %(max)s.")
                                % {"code": code, "sum": total, "max": maximum})
            _walk(children, code, level + 1, seen, problems, out)


@transaction.atomic
def framework_load(data: dict) -> Framework:
    """Create a framework from its data, or raise Refused with every problem."""
    problems: list[str] = []
    for key in ("code", "year", "name", "index", "subject", "maximum", "criteria"):
        if key not in data:
            problems.append(_("Thiếu mục “%(key)s”.") % {"key": key})
    if problems:
        raise Refused(*problems)
    if data["index"] not in IndexKind.values:
        problems.append(_("Chỉ số “%(index)s” không hợp lệ.") % {"index": data["index"]})
    if data["subject"] not in Framework.Subject.values:
        problems.append(_("Đối tượng “%(subject)s” không hợp lệ.") % {"subject": data["subject"]})
    maximum = _decimal(data["maximum"], _("Bộ chỉ số"), problems)
    rows: list[tuple] = []
    _walk(data["criteria"], "", 1, set(), problems, rows)
    fields = sum((row[3] for row in rows if row[5] == 1), Decimal("0"))
    if fields != maximum:
        problems.append(_("Tổng điểm các lĩnh vực là %(sum)s, khác điểm tối đa của bộ chỉ số %(max)s.")
                        % {"sum": fields, "max": maximum})
    if Framework.objects.filter(code=data["code"], year=data["year"]).exists():
        problems.append(_("Bộ chỉ số %(code)s năm %(year)s đã có.") % {"code": data["code"], "year": data["year"]})
    if problems:
        raise Refused(*problems)
    framework = Framework.objects.create(
        code=data["code"], year=int(data["year"]), name=data["name"], index=data["index"], subject=data["subject"],
        unit=data.get("unit", Framework.Unit.POINTS), maximum=maximum, legal_basis=data.get("legal_basis", ""),
        is_example=bool(data.get("is_example")), note=data.get("note", ""))
    by_code: dict[str, Criterion] = {}
    for order, (code, parent, name, top, method, level) in enumerate(rows, start=1):
        by_code[code] = Criterion.objects.create(
            framework=framework, parent=by_code.get(parent), code=code, name=name, maximum=top, method=method,
            level=level, order=order)
    return framework


def framework_data(framework: Framework) -> dict:
    """The framework back as data (to copy it to a new year, or export it)."""
    nodes: dict[int | None, list] = {}
    for criterion in framework.criteria.order_by("order"):
        nodes.setdefault(criterion.parent_id, []).append(criterion)

    def tree(parent_id):
        return [{"code": c.code, "name": c.name, "maximum": str(c.maximum), "method": c.method,
                 "children": tree(c.pk)} for c in nodes.get(parent_id, [])]

    return {"code": framework.code, "year": framework.year, "name": framework.name, "index": framework.index,
            "subject": framework.subject, "unit": framework.unit, "maximum": str(framework.maximum),
            "legal_basis": framework.legal_basis, "is_example": framework.is_example, "note": framework.note,
            "criteria": tree(None)}


def framework_copy(*, framework: Framework, year: int) -> Framework:
    return framework_load({**framework_data(framework), "year": year})


def shipped() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SHIPPED.glob("*.json"))]
