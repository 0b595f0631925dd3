"""XLSX exports: the list of units as its page shows it, and exports with
the same columns as the import template, so an exported file can be edited
and imported back."""

from __future__ import annotations

import datetime as dt

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import saved, table_xlsx

from .importing import AGENCY_COLUMNS, COLUMNS, EXAMPLE_PREFIX, PERSON_COLUMNS
from .models import KIND_LEVEL, AgencyKind, DirectoryImport, Level

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
EXAMPLE_FONT = Font(italic=True, color="7F7F7F")


def _sheet(sheet, columns, rows, *, examples: bool = False) -> None:
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
        if examples:
            for cell in sheet[sheet.max_row]:
                cell.font = EXAMPLE_FONT
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
        for cell in sheet[get_column_letter(i)][1:]:
            if hasattr(cell.value, "year"):
                cell.number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _saved(workbook: Workbook) -> bytes:
    return saved(workbook)


def _workbook(title: str, columns, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    _sheet(sheet, columns, rows)
    return _saved(workbook)


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
            a.electronic_id,
        ]
        for a in agencies
    ]
    return _workbook(_("Đơn vị"), AGENCY_COLUMNS, rows)


def agency_table_xlsx(agencies, *, with_province: bool) -> bytes:
    """The columns of the list of units, the lines under a name (the unit
    above it, no longer active) in columns of their own."""
    province = [_("Tỉnh")] if with_province else []
    header = [_("Tên đơn vị"), _("Trực thuộc"), _("Ngừng hoạt động"), _("Viết tắt"), _("Loại"), *province, _("Mã"),
              _("Cán bộ")]  # fmt: skip
    rows = (
        [
            a.name,
            a.parent.name if a.parent else "",
            "" if a.is_active else _("Có"),
            a.short_name,
            a.get_kind_display(),
            *([a.province.name] if with_province else []),
            a.code,
            a.people_count,
        ]
        for a in agencies
    )
    return table_xlsx(title=_("Cơ quan, đơn vị"), header=header, rows=rows)


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


# --- Import templates ----------------------------------------------------------------
# The first sheet is the one read on import; its example rows carry codes
# starting with EXAMPLE_PREFIX, which the import refuses, so a file sent
# back with them still in it changes nothing. The second sheet says how to
# fill in each column and lists the values a column accepts.


def _agency_examples() -> list[list]:
    """A district and its units until 30/6/2025, and the communes that took
    them over: the history columns filled in as a clerk would."""
    p = EXAMPLE_PREFIX
    last_day, first_day = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    district, commune, ward = AgencyKind.DISTRICT.label, AgencyKind.COMMUNE.label, AgencyKind.WARD.label
    rows = [
        # code, name, short name, kind, province, parent, e-mail, phone, address, from, to, successors, level, locality,
        # electronic id
        [f"{p}HUYEN", _("UBND huyện Ví Dụ"), "UBND", district, "", "", "", "", "", None, last_day, "",
         Level.DISTRICT.label, _("Ví Dụ"), ""],
        [f"{p}PNV-HUYEN", _("Phòng Nội vụ huyện Ví Dụ"), "PNV", AgencyKind.DIVISION.label, "", f"{p}HUYEN", "", "",
         "", None, last_day, "", "", "", ""],
        [f"{p}XA-A", _("UBND xã Ví Dụ A"), "UBND", commune, "", f"{p}HUYEN", "", "", "", None, last_day,
         f"{p}XA-MOI", Level.COMMUNE.label, _("Ví Dụ A"), ""],
        [f"{p}XA-B", _("UBND xã Ví Dụ B"), "UBND", commune, "", f"{p}HUYEN", "", "", "", None, last_day,
         f"{p}XA-MOI; {p}PHUONG-MOI", "", "", ""],
        [f"{p}XA-MOI", _("UBND xã Ví Dụ Mới"), "UBND", commune, "", "", "", "", "", first_day, None, "", "",
         _("Ví Dụ Mới"), ""],
        [f"{p}PHUONG-MOI", _("UBND phường Ví Dụ"), "UBND", ward, "", "", "", "", "", first_day, None, "", "", "", ""],
    ]  # fmt: skip
    return [[str(v) if isinstance(v, Promise) else v for v in row] for row in rows]


def _agency_hints() -> dict[str, str]:
    return {
        "code": _("Mã riêng của đơn vị trong tỉnh. Nhập lại cùng mã thì cập nhật, không tạo trùng."),
        "name": _("Tên đầy đủ, ví dụ: Ủy ban nhân dân xã Tân Đoàn."),
        "short_name": _("Dùng trong ký hiệu văn bản, ví dụ: UBND, SNV."),
        "kind": _("Một giá trị trong bảng “Loại đơn vị” dưới đây."),
        "province": _("Để trống, hoặc ghi tên tỉnh của mình."),
        "parent": _("Mã của đơn vị cấp trên: một dòng trong tệp hoặc một đơn vị đã có trong danh bạ."),
        "email": _("Ví dụ: vanthu@snv.langson.gov.vn."),
        "active_from": _("Ngày dạng dd/mm/yyyy, ví dụ 01/07/2025 (hoặc ô kiểu ngày). Để trống nếu không rõ."),
        "active_to": _("Ngày dạng dd/mm/yyyy, ví dụ 30/06/2025. Để trống nếu đơn vị đang hoạt động."),
        "successor": _(
            "Mã các đơn vị tiếp nhận chức năng, nhiệm vụ sau ngày kết thúc. Nhiều mã thì cách nhau bằng dấu chấm "
            "phẩy, ví dụ: X-TANDOAN; P-TAMTHANH."
        ),
        "level": _(
            "Một giá trị trong bảng “Cấp” dưới đây. Để trống thì lấy theo loại đơn vị, hoặc theo đơn vị cấp trên."
        ),
        "locality": _("Tên địa phương in trên văn bản (Lạng Sơn, Văn Lãng, Tân Phong). Để trống thì lấy theo tên."),
        "electronic_id": _(
            "Mã định danh điện tử của cơ quan (QCVN 102:2016/BTTTT), ví dụ: 000.00.22.H36. Để trống nếu chưa có."
        ),
    }


def _person_examples() -> list[list]:
    return [
        [_("Nguyễn Văn A"), _("Chuyên viên"), f"{EXAMPLE_PREFIX}SNV", "nguyenvana@vidu.gov.vn", "0205 3812 345", "x",
         ""],
    ]  # fmt: skip


def _person_hints() -> dict[str, str]:
    return {
        "full_name": _("Họ và tên đầy đủ, có dấu."),
        "agency": _("Mã của một đơn vị đã có trong danh bạ: hãy nhập danh sách đơn vị trước."),
        "email": _("Cán bộ được nhận diện theo thư điện tử; không có thì theo họ tên trong đơn vị."),
        "is_focal_point": _("Ghi “x” nếu là cán bộ đầu mối CCHC; để trống nếu không."),
        "province": _("Để trống, hoặc ghi tên tỉnh của mình."),
    }


def _examples_note() -> str:
    return _(
        "Các dòng có mã đơn vị bắt đầu bằng “%(prefix)s” (chữ nghiêng, màu xám) ở trang đầu là dòng ví dụ: hãy "
        "xoá chúng rồi ghi dữ liệu của mình từ dòng 2. Tệp còn dòng ví dụ sẽ bị từ chối, không ghi gì vào danh bạ."
    ) % {"prefix": EXAMPLE_PREFIX}


def _guide(workbook: Workbook, kind: str, data_sheet) -> None:
    """The allowed values: how to fill in each column, then the lists a
    column takes its values from (offered as a drop-down in the first sheet)."""
    title = _("Giá trị hợp lệ")
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    columns = COLUMNS[kind]
    hints = _agency_hints() if kind == DirectoryImport.Kind.AGENCIES else _person_hints()
    sheet.append([_("Cách điền tệp mẫu")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_examples_note()])
    sheet.merge_cells("A2:C2")
    sheet.row_dimensions[2].height = 36
    sheet.append([])
    sheet.append([_("Cột"), _("Bắt buộc"), _("Cách ghi")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = bold, HEADER_FILL
    for column in columns:
        sheet.append([column.label, _("Có") if column.required else "", hints.get(column.key, "")])
    lists = {}
    if kind == DirectoryImport.Kind.AGENCIES:
        sheet.append([])
        sheet.append([_("Loại đơn vị"), _("Cấp khi để trống cột “Cấp”")])
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = bold, HEADER_FILL
        first = sheet.max_row + 1
        for value, label in AgencyKind.choices:
            level = KIND_LEVEL.get(value)
            sheet.append([str(label), str(level.label) if level else _("Theo đơn vị cấp trên (không có thì Cấp tỉnh)")])
        lists["kind"] = f"$A${first}:$A${sheet.max_row}"
        sheet.append([])
        sheet.append([_("Cấp")])
        sheet.cell(sheet.max_row, 1).font, sheet.cell(sheet.max_row, 1).fill = bold, HEADER_FILL
        first = sheet.max_row + 1
        for _value, label in Level.choices:
            sheet.append([str(label)])
        lists["level"] = f"$A${first}:$A${sheet.max_row}"
        sheet.append([])
        for name, rule in (
            (_("Ngày"), _("dd/mm/yyyy, ví dụ 30/06/2025 (ngày/tháng/năm)")),
            (_("Nhiều đơn vị kế thừa"), _("các mã cách nhau bằng dấu “;”, ví dụ: X-TANDOAN; P-TAMTHANH")),
        ):
            sheet.append([name, rule])
            sheet.cell(sheet.max_row, 1).font = bold
    else:
        sheet.append([])
        sheet.append([_("Đầu mối CCHC"), _("“x” là có; để trống là không")])
        sheet.cell(sheet.max_row, 1).font = bold
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    # The lists as drop-downs on the first sheet; a value typed otherwise
    # ("Sở ban ngành") is still read, so nothing is blocked.
    keys = [c.key for c in columns]
    for key, cells in lists.items():
        letter = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(
            type="list", formula1=f"'{title}'!{cells}", allow_blank=True, showErrorMessage=False
        )
        validation.add(f"{letter}2:{letter}2000")
        data_sheet.add_data_validation(validation)


def template_xlsx(kind: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mẫu nhập")
    examples = _agency_examples() if kind == DirectoryImport.Kind.AGENCIES else _person_examples()
    _sheet(sheet, COLUMNS[kind], examples, examples=True)
    # Said where the clerk starts typing, too: the first sheet has no room above its header.
    sheet["A1"].comment = Comment(_examples_note(), _("Cổng CCHC"), width=320, height=120)
    _guide(workbook, kind, sheet)
    return _saved(workbook)
