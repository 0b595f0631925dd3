"""The province's national results as a table: the sheet to fill in, which
is also the export of the results so far. Offices keep these figures in a
small sheet of their own, one line per year and index; national_table reads
it back (as it reads the tables ministries publish)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.spreadsheets import saved

from .excel import BOX, HEAD
from .models import NationalResult, national_index_names

# The headers the sheet writes; national_table reads them back.
COLUMNS = (
    ("year", "Năm"),
    ("index", "Chỉ số"),
    ("score", "Kết quả"),
    ("rank", "Xếp hạng"),
    ("out_of", "Trên tổng số"),
    ("source", "Văn bản công bố"),
)


# --- Writing ------------------------------------------------------------------------------------


def workbook(province) -> bytes:
    """The table with the province's results so far (headers alone when none)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Kết quả toàn quốc")
    sheet.cell(1, 1, _("KẾT QUẢ CÔNG BỐ TOÀN QUỐC CỦA %(name)s") % {"name": province.full_name.upper()}).font = Font(
        bold=True, size=13
    )
    sheet.cell(
        2,
        1,
        _(
            "Mỗi dòng một năm và một chỉ số. Chỉ số ghi PAR INDEX hoặc SIPAS; xếp hạng ghi 56 "
            "(hoặc 56/63); tổng số là 63 đến năm 2024, 34 từ năm 2025."
        ),
    ).font = Font(italic=True, size=10)
    header = 4
    for col, (_key, label) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(header, col, label)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    names = national_index_names()
    for result in NationalResult.public.filter(province=province).order_by("year", "index"):
        sheet.append(
            [result.year, names.get(result.index, result.index), float(result.score), result.rank, result.out_of]
            + [result.source]
        )
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
        sheet.cell(sheet.max_row, 3).number_format = "0.00"
    for col, width in enumerate((8, 13, 11, 11, 13, 48), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    return saved(book)


def filename(province) -> str:
    return f"ket-qua-toan-quoc-{province.code}.xlsx"
