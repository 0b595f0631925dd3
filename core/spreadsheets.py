"""Reading the tables people upload (.xlsx, .xls, .ods and, where an import
takes it, .csv), for every import in the portal, and writing lists and
templates as workbooks (`table_xlsx`, `saved`).

Spreadsheets are read through calamine (a Rust reader): it reads a
3,400-row by 100-column sheet about fifteen times faster than openpyxl, and
it also opens the .xls files and LibreOffice sheets that offices still keep,
so nobody has to re-save a file before uploading it. It reads in a child
process with bounded memory, time and size (core.sheet_reader), so a small
file describing a huge sheet costs the web worker nothing.

Every text written to a workbook is a text cell: a name typed as
"=HYPERLINK(...)" is shown as typed, never run as a formula (`saved`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import uploads
from .exceptions import ImportFileError
from .sheet_reader import CellError, decode_rows, encode_rows

__all__ = ["CellError", "decode_rows", "encode_rows"]

logger = logging.getLogger(__name__)

SUFFIXES = ("xlsx", "xlsm", "xls", "ods")
READER = Path(__file__).with_name("sheet_reader.py")


def suffix(name: str) -> str:
    return name.lower().rsplit(".", 1)[-1] if "." in name else ""


def is_spreadsheet(name: str) -> bool:
    return suffix(name) in SUFFIXES


def _too_large(rows: int, columns: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Bảng tính quá lớn để đọc: trang tính đầu tiên rộng %(rows)s dòng × %(columns)s cột, vượt giới hạn "
            "%(max_rows)s dòng, %(max_columns)s cột, %(max_cells)s ô. Hãy xóa các dòng, cột thừa (kể cả ô đã định "
            "dạng ở xa vùng dữ liệu) hoặc chép phần dữ liệu cần nhập sang một tệp mới rồi tải lên."
        )
        % {
            "rows": f"{rows:,}".replace(",", "."),
            "columns": f"{columns:,}".replace(",", "."),
            "max_rows": f"{settings.SPREADSHEET_MAX_ROWS:,}".replace(",", "."),
            "max_columns": f"{settings.SPREADSHEET_MAX_COLUMNS:,}".replace(",", "."),
            "max_cells": f"{settings.SPREADSHEET_MAX_CELLS:,}".replace(",", "."),
        }
    )


def first_sheet_rows(data: bytes) -> list[list]:
    """The first sheet's cells, each at its real place: rows[0] is row 1 and
    rows[r][0] column A, so problems can name their cell ("Ô E9") even when
    the sheet starts lower down. An empty cell is ""; numbers are floats (as
    Excel stores them); a formula gives its last computed value, or a
    CellError when it failed."""
    if not data:
        raise ImportFileError(_("Tệp trống."))
    bounds = {
        "max_rows": settings.SPREADSHEET_MAX_ROWS,
        "max_columns": settings.SPREADSHEET_MAX_COLUMNS,
        "max_cells": settings.SPREADSHEET_MAX_CELLS,
        "memory": settings.SPREADSHEET_READ_MEMORY,
        "seconds": settings.SPREADSHEET_READ_SECONDS,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(READER), json.dumps(bounds)],
            input=data,
            capture_output=True,
            timeout=settings.SPREADSHEET_READ_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportFileError(
            _(
                "Đọc bảng tính quá %(seconds)s giây nên đã dừng. Hãy chép phần dữ liệu cần nhập sang một tệp mới "
                "rồi tải lên."
            )
            % {"seconds": settings.SPREADSHEET_READ_SECONDS}
        ) from None
    if done.returncode != 0 or not done.stdout:
        # Killed at its memory or CPU bound (calamine aborts when an allocation fails).
        logger.warning("spreadsheet reader stopped: %s %s", done.returncode, done.stderr[-500:])
        raise ImportFileError(
            _(
                "Bảng tính quá lớn hoặc quá phức tạp để đọc. Hãy xóa các dòng, cột thừa hoặc chép phần dữ liệu cần "
                "nhập sang một tệp mới rồi tải lên."
            )
        )
    answer = json.loads(done.stdout)
    if answer.get("error") == "too_large":
        raise _too_large(answer["rows"], answer["columns"])
    if answer.get("error"):
        # calamine names the format problem in English ("Cannot detect file format"): not shown.
        raise ImportFileError(
            _("Không đọc được tệp bảng tính: tệp bị hỏng hoặc không phải tệp Excel (.xlsx, .xls) hay .ods.")
        )
    return decode_rows(answer["rows"])


def csv_rows(data: bytes) -> list[list]:
    """A CSV file's rows; the delimiter (comma, semicolon, tab) is guessed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "Tệp CSV không dùng bảng mã UTF-8 nên tiếng Việt sẽ bị lỗi font. "
                "Trong Excel, chọn Lưu thành → “CSV UTF-8 (phân tách bằng dấu phẩy)” rồi tải lên lại."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("Tệp không phải tệp CSV dạng văn bản."))
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text)):
        rows.append(row)
        if len(rows) > settings.SPREADSHEET_MAX_ROWS or len(row) > settings.SPREADSHEET_MAX_COLUMNS:
            raise _too_large(len(rows), len(row))
    return rows


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the most columns, the
    same number on most lines. Excel in Vietnamese writes semicolons, and
    its header "Tỉnh, thành phố" and decimals "83,5" hold commas that a
    plain sniffer takes for the separator."""
    head = text[:8192].splitlines()[:50]
    best, best_score = ",", (0.0, 0)
    for delimiter in (";", "\t", ","):
        counts = [len(row) for row in csv.reader(head, delimiter=delimiter) if row]
        if not counts:
            continue
        usual = max(set(counts), key=counts.count)
        score = (round(counts.count(usual) / len(counts), 1), usual)
        if usual > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def table_rows(name: str, data: bytes) -> list[list]:
    """The rows of a CSV file or of a spreadsheet's first sheet, by the file's name."""
    if suffix(name) == "csv":
        return csv_rows(data)
    if is_spreadsheet(name):
        return first_sheet_rows(data)
    raise ImportFileError(_("Chỉ nhận tệp .csv, .xlsx, .xls hoặc .ods (tệp đã chọn: “%(name)s”).") % {"name": name})


def inspected_rows(name: str, data: bytes, *, use: uploads.Use, max_bytes: int) -> list[list]:
    """The rows of an uploaded table, once its bytes are what its name says
    and nothing in it could run (core.uploads)."""
    if not data:
        raise ImportFileError(_("Tệp trống: không có dòng nào để nhập."))
    try:
        uploads.inspect_upload(ContentFile(data, name=name), use=use, max_bytes=max_bytes)
    except uploads.UploadRejected as error:
        raise ImportFileError(error.messages[0]) from None
    return table_rows(name, data)


# --- Writing ---------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
WIDEST = 60


def table_xlsx(*, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A list as its page shows it, as a workbook of one sheet (see fill_table)."""
    book = Workbook()
    fill_table(book.active, title=title, header=header, rows=rows)
    return saved(book)


def saved(book: Workbook) -> bytes:
    """The workbook as bytes, every text a text cell. openpyxl takes a text
    starting with "=" for a formula, so a name typed as "=HYPERLINK(...)" or
    "=cmd|..." would run when an organiser opens the file; no writer here
    means a formula, so none is written."""
    for sheet in book.worksheets:
        # The cells that exist (iter_rows would create the empty ones).
        for cell in sheet._cells.values():
            if cell.data_type == "f":
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(value) -> str:
    """One CSV cell: a text a spreadsheet would take for a formula (it
    starts with = + - @ or a tab or line break) is kept as text by a leading
    apostrophe."""
    if isinstance(value, (int, float, Decimal)):
        return str(value)  # a number, "-5" included, is not a formula
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


def table_csv(*, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A list as CSV for Excel (UTF-8 with its mark, so Vietnamese reads
    right), every cell through `csv_text`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_text(label) for label in header])
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def fill_table(sheet, *, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """The header in row 1 (bold, frozen, with Excel's filter buttons), then
    one row per line in the page's order. Dates read as dd/mm/yyyy,
    Decimals as numbers with two places; a cell of several lines (a list of
    names) wraps."""
    sheet.title = title[:31]
    sheet.append([str(label) for label in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [len(str(label)) + 2 for label in header]
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
        for i, cell in enumerate(sheet[sheet.max_row]):
            value = cell.value
            if isinstance(value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, Decimal):
                cell.number_format = "0.00"
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            longest = max((len(line) for line in str(value if value is not None else "").split("\n")), default=0)
            widths[i] = min(max(widths[i], longest + 2), WIDEST)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _cell_value(value):
    if isinstance(value, dt.datetime):
        # Excel keeps no time zone: a moment is written as Vietnam's clock reads it.
        return _naive(value)
    if isinstance(value, str):
        # Control characters (a pasted vertical tab) are not allowed in a cell.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _naive(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment
