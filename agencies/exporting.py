"""XLSX exports with the same columns as the import template, so an
exported file can be edited and imported back."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .importing import AGENCY_COLUMNS, PERSON_COLUMNS

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def _workbook(title: str, columns, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([c.label for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(c.label) + 2 for c in columns]
    for row in rows:
        sheet.append(row)
        for i, value in enumerate(row):
            widths[i] = min(max(widths[i], len(str(value or "")) + 2), 60)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
        for cell in sheet[get_column_letter(i)][1:]:
            if hasattr(cell.value, "year"):
                cell.number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def agencies_xlsx(agencies) -> bytes:
    rows = [
        [
            a.code,
            a.name,
            a.short_name,
            a.get_kind_display(),
            a.province.name,
            a.parent.code if a.parent else "",
            a.email,
            a.phone,
            a.address,
            a.active_from,
            a.active_to,
            "; ".join(s.code for s in a.successors.all()),
            a.get_level_display(),
            a.locality,
        ]
        for a in agencies
    ]
    return _workbook(_("Đơn vị"), AGENCY_COLUMNS, rows)


def people_xlsx(people) -> bytes:
    rows = [
        [
            p.full_name,
            p.position,
            p.agency.code,
            p.email,
            p.phone,
            "x" if p.is_focal_point else "",
            p.agency.province.name,
        ]
        for p in people
    ]
    return _workbook(_("Cán bộ"), PERSON_COLUMNS, rows)


def template_xlsx(kind: str) -> bytes:
    from .importing import COLUMNS

    return _workbook(_("Mẫu nhập"), COLUMNS[kind], [])
