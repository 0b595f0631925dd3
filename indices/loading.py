"""Frameworks are data: loaded from JSON (or the same shape read from XLSX),
checked, and saved in one transaction. A framework whose maxima do not add
up is refused with every reason, in Vietnamese; nothing is saved."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from core.exceptions import ImportFileError, Refused
from core.spreadsheets import first_sheet_rows, saved

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
            problems.append(
                _("Mã %(code)s không nằm dưới tiêu chí cha %(parent)s.") % {"code": code, "parent": parent_code}
            )
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
                problems.append(
                    _("Tiêu chí %(code)s: tổng điểm các tiêu chí con là %(sum)s, khác điểm tối đa %(max)s.")
                    % {"code": code, "sum": total, "max": maximum}
                )
            _walk(children, code, level + 1, seen, problems, out)


def framework_check(data: dict) -> tuple[Decimal, list[tuple], list[str]]:
    """Check a framework's data without writing: (its maximum, its criteria as
    rows (code, parent code, name, maximum, method, level), every problem)."""
    problems: list[str] = []
    for key in ("code", "year", "name", "index", "subject", "maximum", "criteria"):
        if key not in data:
            problems.append(_("Thiếu mục “%(key)s”.") % {"key": key})
    if problems:
        return Decimal("0"), [], problems
    if data["index"] not in IndexKind.values:
        problems.append(_("Chỉ số “%(index)s” không hợp lệ.") % {"index": data["index"]})
    if data["subject"] not in Framework.Subject.values:
        problems.append(_("Đối tượng “%(subject)s” không hợp lệ.") % {"subject": data["subject"]})
    maximum = _decimal(data["maximum"], _("Bộ chỉ số"), problems)
    for key, label in (("bonus_cap", _("Điểm thưởng tối đa")), ("penalty_cap", _("Điểm trừ tối đa"))):
        if data.get(key) not in (None, ""):
            _decimal(data[key], label, problems)
    rows: list[tuple] = []
    _walk(data["criteria"], "", 1, set(), problems, rows)
    fields = sum((row[3] for row in rows if row[5] == 1), Decimal("0"))
    if fields != maximum:
        problems.append(
            _("Tổng điểm các lĩnh vực là %(sum)s, khác điểm tối đa của bộ chỉ số %(max)s.")
            % {"sum": fields, "max": maximum}
        )
    if Framework.objects.filter(code=data["code"], year=data["year"]).exists():
        problems.append(_("Bộ chỉ số %(code)s năm %(year)s đã có.") % {"code": data["code"], "year": data["year"]})
    return maximum, rows, problems


def framework_data(framework: Framework) -> dict:
    """The framework back as data (to copy it to a new year, or export it)."""
    nodes: dict[int | None, list] = {}
    for criterion in framework.criteria.order_by("order"):
        nodes.setdefault(criterion.parent_id, []).append(criterion)

    def tree(parent_id):
        return [
            {"code": c.code, "name": c.name, "maximum": str(c.maximum), "method": c.method, "children": tree(c.pk)}
            for c in nodes.get(parent_id, [])
        ]

    return {
        "code": framework.code,
        "year": framework.year,
        "name": framework.name,
        "index": framework.index,
        "subject": framework.subject,
        "unit": framework.unit,
        "maximum": str(framework.maximum),
        "bonus_cap": str(framework.bonus_cap) if framework.bonus_cap is not None else None,
        "penalty_cap": str(framework.penalty_cap) if framework.penalty_cap is not None else None,
        "legal_basis": framework.legal_basis,
        "is_example": framework.is_example,
        "note": framework.note,
        "criteria": tree(None),
    }


def shipped() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SHIPPED.glob("*.json"))]


# --- The same data as a spreadsheet -------------------------------------------------------------

XLSX_FIELDS = [
    ("code", "Mã bộ chỉ số"),
    ("year", "Năm"),
    ("name", "Tên"),
    ("index", "Chỉ số (par/sipas)"),
    ("subject", "Đối tượng (province/department/commune)"),
    ("unit", "Đơn vị tính (points/percent)"),
    ("maximum", "Điểm tối đa"),
    ("legal_basis", "Căn cứ"),
    ("is_example", "Bộ mẫu (x)"),
    ("note", "Ghi chú"),
]
CRITERIA_HEADER = ("Mã tiêu chí", "Tên tiêu chí", "Điểm tối đa", "Cách chấm (appraisal/survey)")


def framework_xlsx(framework: Framework) -> bytes:
    """The framework as one sheet: its fields, then one row per criterion (the
    tree follows from the codes: "3.2" is under "3")."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = framework_data(framework)
    book = Workbook()
    sheet = book.active
    sheet.title = "Bộ chỉ số"
    for key, label in XLSX_FIELDS:
        value = data[key]
        sheet.append([label, "x" if value is True else "" if value is False else value])
    sheet.append([])
    sheet.append(list(CRITERIA_HEADER))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)

    def rows(nodes):
        for node in nodes:
            sheet.append([node["code"], node["name"], float(Decimal(node["maximum"])), node["method"]])
            rows(node["children"])

    rows(data["criteria"])
    for column, width in zip("ABCD", (22, 70, 12, 26), strict=True):
        sheet.column_dimensions[column].width = width
    return saved(book)


def framework_from_xlsx(data: bytes) -> dict:
    """Read the sheet `framework_xlsx` writes back into the data `framework_load` takes."""
    try:
        sheet_rows = first_sheet_rows(data)
    except ImportFileError as error:
        raise Refused(str(error)) from error
    labels = {label: key for key, label in XLSX_FIELDS}
    result: dict = {}
    flat: list[dict] = []
    in_criteria = False
    for values in sheet_rows:
        cells = (list(values) + [""] * 4)[:4]
        if not in_criteria:
            if str(cells[0]).strip() == CRITERIA_HEADER[0]:
                in_criteria = True
            elif str(cells[0]).strip() in labels:
                result[labels[str(cells[0]).strip()]] = cells[1]
            continue
        code = str(cells[0]).strip()
        if code.endswith(".0") and code[:-2].isdigit():
            code = code[:-2]  # Excel turned "3" into 3.0
        if code:
            flat.append(
                {
                    "code": code,
                    "name": str(cells[1]).strip(),
                    "maximum": cells[2],
                    "method": str(cells[3]).strip() or Criterion.Method.APPRAISAL,
                    "children": [],
                }
            )
    result["is_example"] = str(result.get("is_example", "")).strip().lower() in ("x", "1", "true", "có")
    by_code = {node["code"]: node for node in flat}
    roots = []
    for node in flat:
        parent = by_code.get(node["code"].rsplit(".", 1)[0]) if "." in node["code"] else None
        (parent["children"] if parent else roots).append(node)
    result["criteria"] = roots
    if "year" in result:
        try:
            result["year"] = int(result["year"])
        except (TypeError, ValueError):
            raise Refused(_("Năm “%(year)s” không hợp lệ.") % {"year": result["year"]}) from None
    return result
