"""The spreadsheet readers, one case per table row: the files offices send
(headers with or without diacritics, "85,97" and 85.969999999, blank rows,
a merged title above the header, .csv with ; , or tab, a BOM, a Windows
code page, an .xlsx built here, a broken file) against the exact Vietnamese
problem and the line or cell it names, or the values read. Every reader is
also held to writing nothing."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import unicodedata
import zipfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from agencies import importing
from agencies.models import AgencyKind
from core import spreadsheets
from core.exceptions import ImportFileError
from indices import excel, national_table, scoring, services
from indices.models import Criterion, NationalResult

from .factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
THIS_YEAR = timezone.localdate().year


# --- Helpers ------------------------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@contextmanager
def writes_nothing():
    """No INSERT, UPDATE or DELETE goes out, and every table keeps its row count."""
    before = _row_counts()
    with CaptureQueriesContext(connection) as queries:
        yield
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE", "COPY", "TRUNCATE"}
    ]
    assert writes == []
    assert _row_counts() == before


def xlsx(rows: list[list], merge: str | None = None) -> bytes:
    """An .xlsx as Excel saves it: `rows` from A1, None an empty cell."""
    book = Workbook()
    sheet = book.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Text as Vietnamese Windows (code page 1258) saves it: letters like ơ, â, đ
    have a byte of their own, the five tone marks follow as combining bytes."""
    out = b""
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out += (letter + "".join(c for c in decomposed if c in TONE_MARKS)).encode("cp1258")
    return out


def broken_xlsx() -> bytes:
    good = xlsx([["Mã đơn vị"], ["SNV"]])
    return good[: len(good) // 2]


def zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    return out.getvalue()


# --- core.spreadsheets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("danh-ba.xlsx", True),
        ("DANH-BA.XLSX", True),
        ("bang-diem.xlsm", True),
        ("danh-ba.xls", True),
        ("danh-ba.ods", True),
        ("danh-ba.csv", False),
        ("danh-ba.xlsx.pdf", False),
        ("xlsx", False),
        ("", False),
    ],
)
def test_is_spreadsheet_by_suffix(name, expected):
    assert spreadsheets.is_spreadsheet(name) is expected


UTF8_CSV_EXPECTED = [["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"], ["SNV", "Sở Nội vụ", "Sở, ban, ngành"]]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            'Mã đơn vị,Tên đơn vị,Loại đơn vị\r\nSNV,Sở Nội vụ,"Sở, ban, ngành"\r\n'.encode(),
            UTF8_CSV_EXPECTED,
            id="comma",
        ),
        pytest.param(
            "Mã đơn vị;Tên đơn vị;Loại đơn vị\nSNV;Sở Nội vụ;Sở, ban, ngành\n".encode(),
            UTF8_CSV_EXPECTED,
            id="semicolon-with-commas-inside-fields",
        ),
        pytest.param(
            "Mã đơn vị\tTên đơn vị\tLoại đơn vị\nSNV\tSở Nội vụ\tSở, ban, ngành\n".encode(),
            UTF8_CSV_EXPECTED,
            id="tab",
        ),
        pytest.param(
            "\ufeffMã đơn vị;Tên đơn vị;Loại đơn vị\r\nSNV;Sở Nội vụ;Sở, ban, ngành\r\n".encode(),
            UTF8_CSV_EXPECTED,
            id="utf8-bom-excel",
        ),
        pytest.param(
            'Mã đơn vị,Tên đơn vị\nSNV,"Sở Nội vụ; tỉnh Lạng Sơn"\n'.encode(),
            [["Mã đơn vị", "Tên đơn vị"], ["SNV", "Sở Nội vụ; tỉnh Lạng Sơn"]],
            id="comma-with-quoted-semicolon",
        ),
        pytest.param("Mã đơn vị\nSNV\n".encode(), [["Mã đơn vị"], ["SNV"]], id="single-column"),
        pytest.param(
            "Mã đơn vị;Tên đơn vị\n\nSNV;Sở Nội vụ\n".encode(),
            [["Mã đơn vị", "Tên đơn vị"], [], ["SNV", "Sở Nội vụ"]],
            id="blank-line-kept-as-empty-row",
        ),
    ],
)
def test_csv_rows_reads_delimiters_and_bom(data, expected):
    assert spreadsheets.csv_rows(data) == expected


NOT_UTF8 = (
    "Tệp CSV không dùng bảng mã UTF-8 nên tiếng Việt sẽ bị lỗi font. "
    "Trong Excel, chọn Lưu thành → “CSV UTF-8 (phân tách bằng dấu phẩy)” rồi tải lên lại."
)
NOT_TEXT = "Tệp không phải tệp CSV dạng văn bản."
NOT_A_SHEET = "Không đọc được tệp bảng tính: tệp bị hỏng hoặc không phải tệp Excel (.xlsx, .xls) hay .ods."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(cp1258("Mã đơn vị,Tên đơn vị\nSNV,Sở Nội vụ\n"), NOT_UTF8, id="windows-1258"),
        pytest.param("Mã đơn vị,Tên đơn vị\n".encode("utf-16"), NOT_UTF8, id="utf16-with-bom"),
        pytest.param("Ma don vi,Ten don vi\n".encode("utf-16-le"), NOT_TEXT, id="utf16-without-bom-ascii"),
        pytest.param(xlsx([["Mã đơn vị"]]), NOT_UTF8, id="xlsx-renamed-csv"),
    ],
)
def test_csv_rows_refuses_non_utf8_and_binary(data, message):
    with pytest.raises(ImportFileError) as refused:
        spreadsheets.csv_rows(data)
    assert str(refused.value) == message


def test_first_sheet_rows_keeps_each_cell_at_its_place():
    # A merged title over C1:E1, the header on row 3 from column C, a date and a float below.
    data = xlsx(
        [
            [None, None, "BẢNG ĐIỂM"],
            [],
            [None, None, "Mã đơn vị", "1.1"],
            [None, None, "SNV", 85.969999999, dt.date(2025, 7, 1)],
        ],
        merge="C1:E1",
    )
    assert spreadsheets.first_sheet_rows(data) == [
        ["", "", "BẢNG ĐIỂM", "", ""],
        ["", "", "", "", ""],
        ["", "", "Mã đơn vị", "1.1", ""],
        ["", "", "SNV", 85.969999999, dt.date(2025, 7, 1)],
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "Tệp trống.", id="empty"),
        pytest.param(broken_xlsx(), NOT_A_SHEET, id="truncated-xlsx"),
        pytest.param(zip_without_workbook(), NOT_A_SHEET, id="zip-without-workbook"),
        pytest.param("Mã đơn vị,1.1\nSNV,85\n".encode(), NOT_A_SHEET, id="csv-named-xlsx"),
        pytest.param(b"<html><body>Bang diem</body></html>", NOT_A_SHEET, id="html-saved-as-xls"),
    ],
)
def test_first_sheet_rows_refuses_a_broken_file(data, message):
    with pytest.raises(ImportFileError) as refused:
        spreadsheets.first_sheet_rows(data)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param(
            "Danh-Ba.CSV", "Mã đơn vị;Tên\nSNV;Sở\n".encode(), [["Mã đơn vị", "Tên"], ["SNV", "Sở"]], id="csv"
        ),
        pytest.param(
            "danh-ba.xlsx", xlsx([["Mã đơn vị", "Tên"], ["SNV", "Sở"]]), [["Mã đơn vị", "Tên"], ["SNV", "Sở"]]
        ),
        pytest.param(
            "danh-ba.pdf",
            b"%PDF-1.7",
            "Chỉ nhận tệp .csv, .xlsx, .xls hoặc .ods (tệp đã chọn: “danh-ba.pdf”).",
            id="pdf",
        ),
        pytest.param(
            "danh-ba", b"x", "Chỉ nhận tệp .csv, .xlsx, .xls hoặc .ods (tệp đã chọn: “danh-ba”).", id="no-suffix"
        ),
    ],
)
def test_table_rows_picks_the_reader_by_file_name(name, data, expected):
    if isinstance(expected, str):
        with pytest.raises(ImportFileError) as refused:
            spreadsheets.table_rows(name, data)
        assert str(refused.value) == expected
    else:
        assert spreadsheets.table_rows(name, data) == expected


# --- Directory import: reading the file -------------------------------------------------------------

AGENCY_HEADER = [c.label for c in importing.AGENCY_COLUMNS]
PERSON_HEADER = [c.label for c in importing.PERSON_COLUMNS]
EMPTY = "Tệp trống: không có dòng nào để nhập."
TEMPLATE_AGENCIES = (
    "Mã đơn vị, Tên đơn vị, Tên viết tắt, Loại đơn vị, Tỉnh, Mã đơn vị cấp trên, Thư điện tử, Điện thoại, Địa chỉ, "
    "Hoạt động từ ngày, Hoạt động đến ngày, Mã đơn vị kế thừa, Cấp, Địa danh, Mã định danh điện tử"
)


@pytest.mark.parametrize(
    ("name", "data", "headers", "rows"),
    [
        pytest.param(
            "don-vi.csv",
            "\ufeffMã đơn vị;Tên đơn vị;Loại đơn vị\r\n;;\r\nSNV;Sở  Nội vụ ;Sở, ban, ngành\r\n".encode(),
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
            [(3, ["SNV", "Sở  Nội vụ ", "Sở, ban, ngành"])],
            id="csv-bom-semicolon-blank-row-keeps-line-numbers",
        ),
        pytest.param(
            "don-vi.xlsx",
            xlsx(
                [
                    ["Mã đơn vị", " Tên đơn vị\n", "Loại đơn vị", None, None],
                    [1001, "UBND xã Thất Khê", "Xã", None, "ghi chú"],
                    [],
                    [],
                    ["X-02", "UBND xã Na Sầm", "Xã"],
                ]
            ),
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
            [(2, [1001.0, "UBND xã Thất Khê", "Xã", "", "ghi chú"]), (5, ["X-02", "UBND xã Na Sầm", "Xã", "", ""])],
            id="xlsx-trailing-blank-headers-dropped-blank-rows-skipped",
        ),
        pytest.param(
            "don-vi.csv",
            "Mã đơn vị\tTên đơn vị\tLoại đơn vị\nSNV\tSở Nội vụ\tSở, ban, ngành\n".encode(),
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
            [(2, ["SNV", "Sở Nội vụ", "Sở, ban, ngành"])],
            id="tab",
        ),
    ],
)
def test_read_table_finds_header_and_numbers_lines_as_the_sheet(name, data, headers, rows):
    with writes_nothing():
        table = importing.read_table(name, data)
    assert (table.headers, table.rows) == (headers, rows)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param("don-vi.csv", b"", EMPTY, id="empty-csv"),
        pytest.param("don-vi.xlsx", b"", EMPTY, id="empty-xlsx"),
        pytest.param("don-vi.csv", b"\r\n\r\n,,\r\n,,\r\n", EMPTY, id="only-blank-rows"),
        pytest.param("don-vi.xlsx", xlsx([[None], [None, " "]]), EMPTY, id="xlsx-only-blank-cells"),
        pytest.param(
            "don-vi.csv", (",".join(AGENCY_HEADER) + "\n,,\n").encode(), "Tệp chỉ có dòng tiêu đề, chưa có dữ liệu."
        ),
        pytest.param("don-vi.csv", cp1258(",".join(AGENCY_HEADER) + "\nSNV,Sở Nội vụ\n"), NOT_UTF8, id="windows-1258"),
        pytest.param("don-vi.csv", "Ma don vi,Ten\nSNV,So\n".encode("utf-16-le"), NOT_TEXT, id="utf16-no-bom"),
        pytest.param("don-vi.xlsx", broken_xlsx(), NOT_A_SHEET, id="broken-xlsx"),
        pytest.param(
            "don-vi.docx", b"PK", "Chỉ nhận tệp .csv, .xlsx, .xls hoặc .ods (tệp đã chọn: “don-vi.docx”).", id="docx"
        ),
    ],
)
def test_read_table_refuses_a_file_with_nothing_to_read(name, data, message):
    with writes_nothing(), pytest.raises(ImportFileError) as refused:
        importing.read_table(name, data)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("headers", "columns", "expected"),
    [
        pytest.param(
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
            importing.AGENCY_COLUMNS,
            ["code", "name", "kind"],
            id="labels",
        ),
        pytest.param(
            ["MA DON VI", "ten don vi", "Loai Don Vi", "Ma don vi cap tren", "Hoat dong tu ngay"],
            importing.AGENCY_COLUMNS,
            ["code", "name", "kind", "parent", "active_from"],
            id="without-diacritics",
        ),
        pytest.param(
            ["MÃ ĐƠN VỊ", "TÊN ĐƠN VỊ", "LOẠI ĐƠN VỊ", "THƯ ĐIỆN TỬ"],
            importing.AGENCY_COLUMNS,
            ["code", "name", "kind", "email"],
            id="upper-case",
        ),
        pytest.param(
            ["Mã", "Tên", "Loại", "E-mail", "Số điện thoại"],
            importing.AGENCY_COLUMNS,
            ["code", "name", "kind", "email", "phone"],
            id="aliases",
        ),
        pytest.param(
            ["code", "name", "kind", "Email"], importing.AGENCY_COLUMNS, ["code", "name", "kind", "email"], id="keys"
        ),
        pytest.param(
            ["Mã đơn vị", "", "Tên đơn vị", "Loại đơn vị"],
            importing.AGENCY_COLUMNS,
            ["code", None, "name", "kind"],
            id="blank-header-between",
        ),
        pytest.param(
            ["Họ và tên", "Mã", "Đầu mối CCHC", "Tỉnh"],
            importing.PERSON_COLUMNS,
            ["full_name", "agency", "is_focal_point", "province"],
            id="people-ma-alias-is-agency",
        ),
        pytest.param(
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Ma"],
            importing.AGENCY_COLUMNS,
            "Cột “Ma” xuất hiện hai lần trong dòng tiêu đề.",
            id="duplicate-via-alias",
        ),
        pytest.param(
            ["Ma", "Ten don vi cua toi", "Loai"],
            importing.AGENCY_COLUMNS,
            "Dòng tiêu đề không đúng mẫu (thiếu cột bắt buộc: “Tên đơn vị”; có cột không thuộc mẫu: "
            f"“Ten don vi cua toi”). Các cột của mẫu: {TEMPLATE_AGENCIES}.",
            id="missing-and-unknown",
        ),
        pytest.param(
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Ghi chú"],
            importing.AGENCY_COLUMNS,
            f"Dòng tiêu đề không đúng mẫu (có cột không thuộc mẫu: “Ghi chú”). Các cột của mẫu: {TEMPLATE_AGENCIES}.",
            id="extra-column",
        ),
        pytest.param(
            ["Chức vụ"],
            importing.PERSON_COLUMNS,
            "Dòng tiêu đề không đúng mẫu (thiếu cột bắt buộc: “Họ và tên”, “Mã đơn vị”). Các cột của mẫu: "
            "Họ và tên, Chức vụ, Mã đơn vị, Thư điện tử, Điện thoại, Đầu mối CCHC, Tỉnh.",
            id="people-missing-two",
        ),
    ],
)
def test_map_headers_accepts_spellings_and_names_what_is_off(headers, columns, expected):
    if isinstance(expected, str):
        with pytest.raises(ImportFileError) as refused:
            importing.map_headers(headers, columns)
        assert str(refused.value) == expected
    else:
        assert importing.map_headers(headers, columns) == expected


# --- Directory import: checking agencies --------------------------------------------------------------


@pytest.fixture
def directory(lang_son, lao_cai):
    """Lạng Sơn's directory before the import: the committee; Lào Cai has its own."""
    AgencyFactory(
        province=lang_son,
        code="UBND",
        name="Ủy ban nhân dân tỉnh Lạng Sơn",
        short_name="UBND",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
    )
    AgencyFactory(province=lao_cai, code="LC-UBND", name="UBND tỉnh Lào Cai", kind=AgencyKind.PROVINCIAL_COMMITTEE)
    return lang_son


def agencies_file(*rows: dict) -> bytes:
    keys = [c.key for c in importing.AGENCY_COLUMNS]
    return csv_text([AGENCY_HEADER, *[[row.get(key, "") for key in keys] for row in rows]]).encode()


def preview_of(province, kind: str, name: str, data: bytes):
    with writes_nothing():
        return importing.build_preview(kind=kind, province=province, table=importing.read_table(name, data))


def outcome(preview) -> list[tuple]:
    return [(row.line, row.action, row.errors, row.changes) for row in preview.rows]


SYT = {"code": "SYT", "name": "Sở Y tế tỉnh Lạng Sơn", "short_name": "SYT", "kind": "Sở, ban, ngành"}
COMMITTEE = {"code": "UBND", "name": "Ủy ban nhân dân tỉnh Lạng Sơn", "short_name": "UBND", "kind": "UBND tỉnh"}
UNKNOWN_KIND = "Loại đơn vị “%s” không có trong danh mục (ví dụ hợp lệ: Sở, ban, ngành; Xã; Phường; Đặc khu)."
BAD_DATE = "“%s”: “%s” không phải ngày dạng dd/mm/yyyy."
LONG_EMAIL = "a" * 250 + "@langson.gov.vn"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([SYT], [(2, "create", [], [])], id="new"),
        pytest.param([COMMITTEE], [(2, "unchanged", [], [])], id="existing-unchanged"),
        pytest.param(
            [COMMITTEE | {"code": "ubnd", "name": "UBND tỉnh Lạng Sơn", "kind": "ubnd_tinh"}],
            [(2, "update", [], ["tên đơn vị"])],
            id="existing-by-lower-case-code-renamed",
        ),
        pytest.param(
            [COMMITTEE | {"email": "ubnd@langson.gov.vn", "active_from": "01/01/2026"}],
            [(2, "update", [], ["thư điện tử", "hoạt động từ ngày"])],
            id="existing-new-email-and-start",
        ),
        pytest.param([SYT | {"code": ""}], [(2, "error", ["Thiếu mã đơn vị."], [])], id="missing-code"),
        pytest.param(
            [SYT, SYT | {"code": "syt"}],
            [(2, "create", [], []), (3, "error", ["Mã đơn vị “syt” trùng với dòng 2."], [])],
            id="duplicate-code-other-case",
        ),
        pytest.param([SYT | {"name": " "}], [(2, "error", ["Thiếu tên đơn vị."], [])], id="missing-name"),
        pytest.param([SYT | {"kind": ""}], [(2, "error", ["Thiếu loại đơn vị."], [])], id="missing-kind"),
        pytest.param([SYT | {"kind": "Sở ban ngành"}], [(2, "create", [], [])], id="kind-no-commas"),
        pytest.param(
            [SYT | {"active_from": "31/02/2025"}],
            [(2, "error", [BAD_DATE % ("Hoạt động từ ngày", "31/02/2025")], [])],
            id="impossible-start-date",
        ),
        pytest.param(
            [SYT | {"active_to": "1/7/25"}],
            [(2, "error", [BAD_DATE % ("Hoạt động đến ngày", "1/7/25")], [])],
            id="two-digit-year",
        ),
        pytest.param(
            [SYT | {"active_from": "01/07/2025", "active_to": "30/06/2025"}],
            [(2, "error", ["Ngày kết thúc hoạt động trước ngày bắt đầu."], [])],
            id="end-before-start",
        ),
        pytest.param(
            [SYT | {"email": "syt.langson.gov.vn"}],
            [(2, "error", ["Thư điện tử “syt.langson.gov.vn” không hợp lệ."], [])],
            id="bad-email",
        ),
        pytest.param(
            [SYT | {"email": LONG_EMAIL}],
            [(2, "error", ["“Thư điện tử” dài quá 254 ký tự."], [])],
            id="email-longer-than-the-column",
        ),
        pytest.param(
            [SYT | {"province": "Lào Cai"}],
            [
                (
                    2,
                    "error",
                    ["Dòng thuộc tỉnh Lào Cai, không thuộc tỉnh Lạng Sơn: chỉ được nhập dữ liệu của tỉnh mình."],
                    [],
                )
            ],
            id="other-province",
        ),
        pytest.param(
            [SYT | {"province": "Hà Tây"}],
            [(2, "error", ["Không có tỉnh “Hà Tây” trong danh mục."], [])],
            id="unknown-province",
        ),
        pytest.param(
            [
                SYT | {"province": "LẠNG SƠN"},
                SYT | {"code": "S2", "province": "tỉnh Lạng Sơn"},
                SYT | {"code": "S3", "province": "lang-son"},
                SYT | {"code": "S4", "province": "lang son"},
            ],
            [(line, "create", [], []) for line in (2, 3, 4, 5)],
            id="own-province-spellings",
        ),
        pytest.param(
            [
                SYT
                | {"code": "X" * 51, "name": "N" * 256, "short_name": "S" * 51, "phone": "0" * 41, "address": "A" * 256}
            ],
            [
                (
                    2,
                    "error",
                    [
                        "“Mã đơn vị” dài quá 50 ký tự.",
                        "“Tên đơn vị” dài quá 255 ký tự.",
                        "“Tên viết tắt” dài quá 50 ký tự.",
                        "“Điện thoại” dài quá 40 ký tự.",
                        "“Địa chỉ” dài quá 255 ký tự.",
                    ],
                    [],
                )
            ],
            id="too-long",
        ),
        pytest.param(
            [SYT | {"parent": "syt"}],
            [(2, "error", ["Mã đơn vị cấp trên trùng với chính đơn vị."], [])],
            id="parent-is-itself",
        ),
        pytest.param(
            [SYT | {"successor": "SYT"}],
            [(2, "error", ["Mã đơn vị kế thừa trùng với chính đơn vị."], [])],
            id="successor-is-itself",
        ),
        pytest.param(
            [SYT | {"parent": "SXD"}],
            [
                (
                    2,
                    "error",
                    ["Không tìm thấy đơn vị cấp trên có mã “SXD” trong tệp hay trong danh bạ của tỉnh Lạng Sơn."],
                    [],
                )
            ],
            id="parent-unknown",
        ),
        pytest.param(
            [SYT | {"successor": "x-cu"}],
            [
                (
                    2,
                    "error",
                    ["Không tìm thấy đơn vị kế thừa có mã “X-CU” trong tệp hay trong danh bạ của tỉnh Lạng Sơn."],
                    [],
                )
            ],
            id="successor-unknown-upper-cased",
        ),
        pytest.param(
            [SYT | {"parent": "LC-UBND"}],
            [
                (
                    2,
                    "error",
                    ["Không tìm thấy đơn vị cấp trên có mã “LC-UBND” trong tệp hay trong danh bạ của tỉnh Lạng Sơn."],
                    [],
                )
            ],
            id="parent-of-another-province",
        ),
        pytest.param(
            [SYT | {"parent": "ubnd"}, SYT | {"code": "SXD", "name": "Sở Xây dựng", "parent": "SYT"}],
            [(2, "create", [], []), (3, "create", [], [])],
            id="parents-in-directory-and-in-file",
        ),
        pytest.param(
            [
                {"code": "X-A", "name": "UBND xã A", "kind": "Xã", "active_to": "30/06/2025", "successor": "X-AB"},
                {"code": "X-AB", "name": "UBND xã AB", "kind": "Xã", "active_from": "2025-07-01"},
            ],
            [(2, "create", [], []), (3, "create", [], [])],
            id="merged-commune-successor-later-in-file",
        ),
        pytest.param(
            [{"code": "", "name": "", "kind": "Quận", "email": "x@", "parent": "ZZ"}],
            [
                (
                    2,
                    "error",
                    [
                        "Thư điện tử “x@” không hợp lệ.",
                        "Thiếu mã đơn vị.",
                        "Thiếu tên đơn vị.",
                        UNKNOWN_KIND % "Quận",
                        "Không tìm thấy đơn vị cấp trên có mã “ZZ” trong tệp hay trong danh bạ của tỉnh Lạng Sơn.",
                    ],
                    [],
                )
            ],
            id="every-problem-of-a-row-in-order",
        ),
    ],
)
def test_agency_preview_checks_each_row(directory, rows, expected):
    assert outcome(preview_of(directory, "agencies", "don-vi.csv", agencies_file(*rows))) == expected


@pytest.mark.parametrize(
    ("written", "kind", "label"),
    [
        ("Sở, ban, ngành", "so_ban_nganh", "Sở, ban, ngành"),
        ("SỞ, BAN, NGÀNH", "so_ban_nganh", "Sở, ban, ngành"),
        ("so, ban, nganh", "so_ban_nganh", "Sở, ban, ngành"),
        ("Departments", "so_ban_nganh", "Sở, ban, ngành"),
        ("Xã", "xa", "Xã"),
        ("Commune", "xa", "Xã"),
        ("Phường", "phuong", "Phường"),
        ("dac khu", "dac_khu", "Đặc khu"),
        ("Huyện", "huyen", "Huyện (trước 01/7/2025)"),
        ("Huyện (trước 01/7/2025)", "huyen", "Huyện (trước 01/7/2025)"),
        ("Thành phố thuộc tỉnh", "thanh_pho", "Thành phố thuộc tỉnh (trước 01/7/2025)"),
        ("  Văn phòng   UBND tỉnh ", "van_phong_ubnd", "Văn phòng UBND tỉnh"),
        ("ubnd_tinh", "ubnd_tinh", "UBND tỉnh"),
    ],
)
def test_agency_preview_reads_kind_as_code_or_label_in_either_language(directory, written, kind, label):
    preview = preview_of(directory, "agencies", "don-vi.csv", agencies_file(SYT | {"kind": written}))
    (row,) = preview.rows
    assert (row.errors, row.values["kind"], row.values["kind_label"]) == ([], kind, label)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        (None, None),
        ("01/07/2025", dt.date(2025, 7, 1)),
        ("1/7/2025", dt.date(2025, 7, 1)),
        ("01-07-2025", dt.date(2025, 7, 1)),
        ("01.07.2025", dt.date(2025, 7, 1)),
        ("2025-07-01", dt.date(2025, 7, 1)),
        (" 01/07/2025 ", dt.date(2025, 7, 1)),
        (dt.date(2025, 7, 1), dt.date(2025, 7, 1)),
        (dt.datetime(2025, 7, 1, 0, 0), dt.date(2025, 7, 1)),
        ("07/31/2025", "“Hoạt động từ ngày”: “07/31/2025” không phải ngày dạng dd/mm/yyyy."),
        ("29/02/2025", "“Hoạt động từ ngày”: “29/02/2025” không phải ngày dạng dd/mm/yyyy."),
        (45839.0, "“Hoạt động từ ngày”: “45839” không phải ngày dạng dd/mm/yyyy."),
        ("tháng 7/2025", "“Hoạt động từ ngày”: “tháng 7/2025” không phải ngày dạng dd/mm/yyyy."),
    ],
)
def test_parse_date_reads_office_dates(value, expected):
    errors: list[str] = []
    parsed = importing.parse_date(value, "Hoạt động từ ngày", errors)
    if isinstance(expected, str):
        assert (parsed, errors) == (None, [expected])
    else:
        assert (parsed, errors) == (expected, [])


def test_agency_preview_reads_an_xlsx_with_date_cells_and_numeric_codes(directory):
    data = xlsx(
        [
            AGENCY_HEADER,
            [1001, "UBND xã Thất Khê", None, "Xã", "Lạng Sơn", "UBND", None, 912345678, None, dt.date(2025, 7, 1)],
            [],
            ["X-NA-SAM", "UBND xã Na Sầm", None, "xa", None, None, None, None, None, None, dt.datetime(2025, 6, 30)],
        ]
    )
    preview = preview_of(directory, "agencies", "don-vi.xlsx", data)
    assert outcome(preview) == [(2, "create", [], []), (4, "create", [], [])]
    first, second = (row.values for row in preview.rows)
    assert (first["code"], first["parent"], first["phone"], first["active_from"]) == (
        "1001",
        "UBND",
        "912345678",
        dt.date(2025, 7, 1),
    )
    assert (second["code"], second["kind"], second["active_to"]) == ("X-NA-SAM", "xa", dt.date(2025, 6, 30))


@pytest.mark.parametrize("name", ["danh-ba.xls", "danh-ba.ods"])
def test_agency_preview_reads_older_formats(directory, name):
    preview = preview_of(directory, "agencies", name, (FIXTURES / name).read_bytes())
    assert [(row.line, row.values["code"], row.action) for row in preview.rows] == [
        (2, "UBND", "unchanged"),
        (3, "SNV", "create"),
        (4, "X-THATKHE", "create"),
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "don-vi.xlsx",
            xlsx(
                [
                    ["DANH BẠ ĐƠN VỊ TỈNH LẠNG SƠN"],
                    [],
                    ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
                    ["SYT", "Sở Y tế", "Xã"],
                ],
                "A1:C1",
            ),
            "Dòng tiêu đề không đúng mẫu (thiếu cột bắt buộc: “Mã đơn vị”, “Tên đơn vị”, “Loại đơn vị”; có cột không "
            f"thuộc mẫu: “DANH BẠ ĐƠN VỊ TỈNH LẠNG SƠN”). Các cột của mẫu: {TEMPLATE_AGENCIES}.",
            id="merged-title-above-header-is-read-as-the-header",
        ),
        pytest.param(
            "don-vi.csv",
            "Mã đơn vị;Tên đơn vị;Loại đơn vị;Mã\nSYT;Sở Y tế;Xã;SYT\n".encode(),
            "Cột “Mã” xuất hiện hai lần trong dòng tiêu đề.",
            id="duplicate-column",
        ),
        pytest.param(
            "don-vi.csv",
            "Mã đơn vị,Tên đơn vị,Loại đơn vị,Ghi chú\nSYT,Sở Y tế,Xã,\n".encode(),
            f"Dòng tiêu đề không đúng mẫu (có cột không thuộc mẫu: “Ghi chú”). Các cột của mẫu: {TEMPLATE_AGENCIES}.",
            id="extra-column",
        ),
    ],
)
def test_agency_preview_refuses_a_header_that_is_off(directory, name, data, message):
    with writes_nothing(), pytest.raises(ImportFileError) as refused:
        importing.build_preview(kind="agencies", province=directory, table=importing.read_table(name, data))
    assert str(refused.value) == message


# --- Directory import: checking people -----------------------------------------------------------------


@pytest.fixture
def staff(directory):
    """Two departments of Lạng Sơn, a focal person with an e-mail and one without."""
    snv = AgencyFactory(province=directory, code="SNV", name="Sở Nội vụ tỉnh Lạng Sơn")
    stc = AgencyFactory(province=directory, code="STC", name="Sở Tài chính tỉnh Lạng Sơn")
    PersonFactory(
        agency=snv, full_name="Nguyễn Thị Hoa", position="Chuyên viên", email="hoa@langson.gov.vn", is_focal_point=True
    )
    PersonFactory(agency=stc, full_name="Trần Văn Nam", position="Phó Giám đốc", email="", is_focal_point=False)
    return directory


def people_file(*rows: dict) -> bytes:
    keys = [c.key for c in importing.PERSON_COLUMNS]
    return csv_text([PERSON_HEADER, *[[row.get(key, "") for key in keys] for row in rows]], delimiter=";").encode()


HOA = {
    "full_name": "Nguyễn Thị Hoa",
    "position": "Chuyên viên",
    "agency": "SNV",
    "email": "hoa@langson.gov.vn",
    "is_focal_point": "x",
}
NAM = {"full_name": "Trần Văn Nam", "position": "Phó Giám đốc", "agency": "STC"}
NEW = {"full_name": "Lê Văn Minh", "position": "Chuyên viên", "agency": "snv"}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([NEW], [(2, "create", [], [])], id="new"),
        pytest.param([HOA, NAM], [(2, "unchanged", [], []), (3, "unchanged", [], [])], id="existing-unchanged"),
        pytest.param(
            [HOA | {"agency": "STC", "is_focal_point": ""}],
            [(2, "update", [], ["cán bộ đầu mối CCHC", "cơ quan, đơn vị"])],
            id="matched-by-email-moved-agency",
        ),
        pytest.param(
            [NAM | {"full_name": "TRẦN  VĂN NAM", "position": "Giám đốc"}],
            [(2, "update", [], ["họ và tên", "chức vụ"])],
            id="matched-by-folded-name-in-agency",
        ),
        pytest.param([NAM | {"agency": "SNV"}], [(2, "create", [], [])], id="same-name-other-agency-is-someone-else"),
        pytest.param([NEW | {"full_name": ""}], [(2, "error", ["Thiếu họ và tên."], [])], id="missing-name"),
        pytest.param([NEW | {"agency": ""}], [(2, "error", ["Thiếu mã đơn vị."], [])], id="missing-agency"),
        pytest.param(
            [NEW | {"agency": "SYT"}],
            [
                (
                    2,
                    "error",
                    [
                        "Không tìm thấy đơn vị có mã “SYT” trong danh bạ của tỉnh Lạng Sơn; "
                        "hãy nhập danh sách đơn vị trước."
                    ],
                    [],
                )
            ],
            id="agency-not-in-directory",
        ),
        pytest.param(
            [NEW | {"agency": "LC-UBND"}],
            [
                (
                    2,
                    "error",
                    [
                        "Không tìm thấy đơn vị có mã “LC-UBND” trong danh bạ của tỉnh Lạng Sơn; "
                        "hãy nhập danh sách đơn vị trước."
                    ],
                    [],
                )
            ],
            id="agency-of-another-province",
        ),
        pytest.param(
            [NEW | {"email": "minh@langson.gov.vn"}, NEW | {"full_name": "Lê Minh", "email": "MINH@langson.gov.vn"}],
            [(2, "create", [], []), (3, "error", ["Cán bộ này trùng với dòng 2."], [])],
            id="duplicate-by-email-any-case",
        ),
        pytest.param(
            [NEW, NEW | {"full_name": "le van minh", "agency": "SNV"}],
            [(2, "create", [], []), (3, "error", ["Cán bộ này trùng với dòng 2."], [])],
            id="duplicate-by-folded-name",
        ),
        pytest.param(
            [NEW | {"email": "minh@"}],
            [(2, "error", ["Thư điện tử “minh@” không hợp lệ."], [])],
            id="bad-email",
        ),
        pytest.param(
            [NEW | {"email": LONG_EMAIL}],
            [(2, "error", ["“Thư điện tử” dài quá 254 ký tự."], [])],
            id="email-longer-than-the-column",
        ),
        pytest.param(
            [NEW | {"is_focal_point": "có thể"}],
            [(2, "error", ["Cột “Đầu mối CCHC” chỉ nhận “x” (có) hoặc để trống."], [])],
            id="focal-flag-unclear",
        ),
        pytest.param(
            [NEW | {"province": "Lào Cai"}],
            [
                (
                    2,
                    "error",
                    ["Dòng thuộc tỉnh Lào Cai, không thuộc tỉnh Lạng Sơn: chỉ được nhập dữ liệu của tỉnh mình."],
                    [],
                )
            ],
            id="other-province",
        ),
        pytest.param(
            [NEW | {"province": "Lang Son"}, NEW | {"full_name": "B", "province": "Hà Sơn Bình"}],
            [(2, "create", [], []), (3, "error", ["Không có tỉnh “Hà Sơn Bình” trong danh mục."], [])],
            id="own-and-unknown-province",
        ),
        pytest.param(
            [NEW | {"full_name": "H" * 151, "position": "C" * 151, "phone": "0" * 41}],
            [
                (
                    2,
                    "error",
                    [
                        "“Họ và tên” dài quá 150 ký tự.",
                        "“Chức vụ” dài quá 150 ký tự.",
                        "“Điện thoại” dài quá 40 ký tự.",
                    ],
                    [],
                )
            ],
            id="too-long",
        ),
        pytest.param(
            [{"full_name": "", "agency": "", "email": "@", "is_focal_point": "?"}],
            [
                (
                    2,
                    "error",
                    [
                        "Thư điện tử “@” không hợp lệ.",
                        "Cột “Đầu mối CCHC” chỉ nhận “x” (có) hoặc để trống.",
                        "Thiếu họ và tên.",
                        "Thiếu mã đơn vị.",
                    ],
                    [],
                )
            ],
            id="every-problem-of-a-row-in-order",
        ),
    ],
)
def test_people_preview_checks_each_row(staff, rows, expected):
    assert outcome(preview_of(staff, "people", "can-bo.csv", people_file(*rows))) == expected


@pytest.mark.parametrize(
    ("written", "focal"),
    [
        ("x", True),
        ("X", True),
        ("Có", True),
        ("co", True),
        ("1", True),
        ("TRUE", True),
        ("yes", True),
        ("Đầu mối", True),
        ("", False),
        ("Không", False),
        ("0", False),
        ("false", False),
        ("No", False),
    ],
)
def test_people_preview_reads_focal_flag_words(staff, written, focal):
    preview = preview_of(staff, "people", "can-bo.csv", people_file(NEW | {"is_focal_point": written}))
    (row,) = preview.rows
    assert (row.errors, row.values["is_focal_point"]) == ([], focal)


@pytest.mark.parametrize(("cell", "focal"), [(True, True), (False, False), (1, True), (0, False), (None, False)])
def test_people_preview_reads_focal_flag_cells_of_an_xlsx(staff, cell, focal):
    data = xlsx([PERSON_HEADER, ["Lê Văn Minh", "Chuyên viên", "SNV", None, None, cell]])
    (row,) = preview_of(staff, "people", "can-bo.xlsx", data).rows
    assert (row.errors, row.values["is_focal_point"]) == ([], focal)


# --- Index scores: indices.excel ------------------------------------------------------------------------

SCORE_FRAMEWORK = {
    "code": "THU-DOC",
    "year": 2025,
    "name": "Chỉ số thử",
    "index": "par",
    "subject": "department",
    "maximum": "100",
    "criteria": [
        {
            "code": "1",
            "name": "Chỉ đạo, điều hành",
            "maximum": "95",
            "children": [
                {"code": "1.1", "name": "Kế hoạch CCHC", "maximum": "90"},
                {"code": "1.2", "name": "Báo cáo CCHC", "maximum": "5"},
            ],
        },
        {"code": "2", "name": "Thủ tục hành chính", "maximum": "5"},
    ],
}
TITLE = ["KẾT QUẢ CHỈ SỐ THỬ NĂM 2025 — TỈNH LẠNG SƠN"]
NOTE = ["Điền điểm vào các ô trắng (85,97 hoặc 85.97)."]
FIELDS_ROW = [None, None, None, "1. Chỉ đạo, điều hành", None, "2. Thủ tục hành chính"]
HEADER = ["STT", "Mã đơn vị", "Tên đơn vị", "1.1", "1.2", 2]
NAMES = [None, None, None, "Kế hoạch CCHC", "Báo cáo CCHC", "Thủ tục hành chính"]
MAXIMA = [None, None, "Điểm tối đa", 90, 5, 5]


def score_sheet(*rows: list, header: list = HEADER, above: list | None = None) -> bytes:
    """The template's layout (title, note, fields on row 4, codes on row 5,
    names, maxima) with `rows` typed in from row 8."""
    top = [TITLE, NOTE, [], FIELDS_ROW] if above is None else above
    return xlsx([*top, header, NAMES, MAXIMA, *rows], merge="A1:F1" if above is None else None)


@pytest.fixture
def score_framework(lang_son, lao_cai):
    framework = services.framework_load(copy.deepcopy(SCORE_FRAMEWORK))
    for code, name in (("S001", "Sở Nội vụ"), ("S002", "Sở Tài chính"), ("1001", "Sở Y tế")):
        AgencyFactory(province=lang_son, code=code, name=name, kind=AgencyKind.DEPARTMENT)
    AgencyFactory(province=lang_son, code="X001", name="UBND xã Thất Khê", kind=AgencyKind.COMMUNE)
    AgencyFactory(province=lao_cai, code="L001", name="Sở Nội vụ tỉnh Lào Cai", kind=AgencyKind.DEPARTMENT)
    return framework


def read_scores(framework, province, data):
    with writes_nothing():
        preview = excel.read(framework, province, data)
    codes = {c.pk: c.code for c in Criterion.objects.filter(framework=framework)}
    values = {row.agency.code: {codes[pk]: str(value) for pk, value in row.values.items()} for row in preview.rows}
    return preview, values, [str(problem) for problem in preview.problems]


NOT_HERE = "không có đơn vị mã “%s” thuộc đối tượng sở, ban, ngành của tỉnh Lạng Sơn trong danh bạ."


@pytest.mark.parametrize(
    ("rows", "values", "problems"),
    [
        pytest.param(
            [[1, "S001", "Sở Nội vụ", "85,97", "4,5", 5]],
            {"S001": {"1.1": "85.97", "1.2": "4.50", "2": "5.00"}},
            [],
            id="decimal-comma",
        ),
        pytest.param(
            [[1, "S001", None, "85.97", "4.5", "5"]],
            {"S001": {"1.1": "85.97", "1.2": "4.50", "2": "5.00"}},
            [],
            id="decimal-point",
        ),
        pytest.param(
            [[1, "S001", None, 85.969999999, 4.499999999, 4.999999999]],
            {"S001": {"1.1": "85.97", "1.2": "4.50", "2": "5.00"}},
            [],
            id="excel-float-noise",
        ),
        pytest.param(
            [[1, "S001", None, " 85,97 ", "4,50\u00a0", "0"]],
            {"S001": {"1.1": "85.97", "1.2": "4.50", "2": "0.00"}},
            [],
            id="spaces-and-nbsp",
        ),
        pytest.param(
            [[1, "S001", None, 90, 0, None]], {"S001": {"1.1": "90.00", "1.2": "0.00"}}, [], id="integers-and-blank"
        ),
        pytest.param(
            [[1, "s001", None, 10], [2, 1001, None, 20]],
            {"S001": {"1.1": "10.00"}, "1001": {"1.1": "20.00"}},
            [],
            id="lower-case-and-numeric-codes",
        ),
        pytest.param(
            [[1, "S001", None, 10], [], [None, None, "Tổng cộng", 10]],
            {"S001": {"1.1": "10.00"}},
            [],
            id="blank-row-and-total-row-without-code",
        ),
        pytest.param(
            [[1, "S001", None, 10], [2, "S002", None, None, " ", ""]],
            {"S001": {"1.1": "10.00"}},
            [],
            id="row-left-blank-is-not-counted",
        ),
        pytest.param([[1, "S001", None, "abc"]], {}, ["Ô D8: “abc” không phải là số."], id="not-a-number"),
        pytest.param(
            [[1, "S001", None, "85,975"]],
            {},
            ["Ô D8: “85,975” có quá hai chữ số thập phân."],
            id="three-decimals-typed",
        ),
        pytest.param(
            [[1, "S001", None, "90,01"]],
            {},
            ["Ô D8: Điểm 90,01 vượt điểm tối đa 90,00 của tiêu chí 1.1."],
            id="over-maximum",
        ),
        pytest.param(
            [[1, "S001", None, 1, 2, 5.01]],
            {"S001": {"1.1": "1.00", "1.2": "2.00"}},
            ["Ô F8: Điểm 5,01 vượt điểm tối đa 5,00 của tiêu chí 2."],
            id="over-maximum-of-field-leaf",
        ),
        pytest.param(
            [[1, "S001", None, 1, -0.5]], {"S001": {"1.1": "1.00"}}, ["Ô E8: Điểm không được âm."], id="negative"
        ),
        pytest.param(
            [[1, "S001", None, "abc", "x", 1], [2, "S002", None, "abc"]],
            {"S001": {"2": "1.00"}},
            ["Ô D8: “abc” không phải là số.", "Ô E8: “x” không phải là số.", "Ô D9: “abc” không phải là số."],
            id="each-bad-cell-named-even-when-repeated",
        ),
        pytest.param([[1, "S999", None, 1]], {}, ["Ô B8: " + NOT_HERE % "S999"], id="unknown-agency"),
        pytest.param([[1, "X001", None, 1]], {}, ["Ô B8: " + NOT_HERE % "X001"], id="commune-in-department-sheet"),
        pytest.param([[1, "L001", None, 1]], {}, ["Ô B8: " + NOT_HERE % "L001"], id="agency-of-another-province"),
        pytest.param(
            [[1, "S001", None, 1], [2, "S002", None, 2], [3, "s001", None, 3]],
            {"S001": {"1.1": "1.00"}, "S002": {"1.1": "2.00"}},
            ["Ô B10: đơn vị “Sở Nội vụ” đã có ở dòng 8."],
            id="duplicate-agency",
        ),
        pytest.param([], {}, ["Tệp không có dòng đơn vị nào (cột “Mã đơn vị” trống)."], id="no-rows"),
        pytest.param(
            [[1, "S001"], [2, "S002", "Sở Tài chính"]],
            {},
            ["Tệp không có dòng đơn vị nào (cột “Mã đơn vị” trống)."],
            id="codes-without-scores",
        ),
        pytest.param(
            [[1, "S001", None, "-"]],
            {},
            ["Ô D8: “-” không phải là số."],
            id="dash-for-not-applicable",
        ),
    ],
)
def test_score_sheet_reads_each_cell_and_names_each_problem(score_framework, lang_son, rows, values, problems):
    _preview, read, found = read_scores(score_framework, lang_son, score_sheet(*rows))
    assert (read, found) == (values, problems)


@pytest.mark.parametrize(
    ("value", "data_type", "values", "cells"),
    [
        pytest.param(4.5, "n", {"S001": {"1.1": "10.00", "1.2": "4.50"}}, [], id="number"),
        pytest.param("4,5", "s", {"S001": {"1.1": "10.00", "1.2": "4.50"}}, [], id="text"),
        pytest.param(True, "b", {"S001": {"1.1": "10.00"}}, ["E8"], id="boolean"),
        pytest.param("#DIV/0!", "e", {"S001": {"1.1": "10.00"}}, ["E8"], id="division-error"),
        pytest.param("#N/A", "e", {"S001": {"1.1": "10.00"}}, ["E8"], id="lookup-error"),
    ],
)
def test_score_sheet_reads_cells_by_their_excel_type(score_framework, lang_son, value, data_type, values, cells):
    book = Workbook()
    sheet = book.active
    for row in (TITLE, NOTE, [], FIELDS_ROW, HEADER, NAMES, MAXIMA, [1, "S001", None, 10]):
        sheet.append(row)
    # Stored as Excel stores it: <c t="e"><v>#DIV/0!</v></c> for an error.
    sheet["E8"] = value
    sheet["E8"].data_type = data_type
    out = io.BytesIO()
    book.save(out)
    preview, read, _problems = read_scores(score_framework, lang_son, out.getvalue())
    assert (read, [p.cell for p in preview.problems]) == (values, cells)


@pytest.mark.parametrize(
    ("data", "missing", "ignored", "problems"),
    [
        pytest.param(score_sheet([1, "S001", None, 1, 2, 3]), [], [], [], id="template"),
        pytest.param(
            score_sheet([1, "S001", None, 1, 2], header=["STT", "MA DON VI", "Ten don vi", "1.1", "1.2"]),
            ["2"],
            [],
            [],
            id="header-without-diacritics-and-a-missing-column",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1, 2, 3, 4], header=["STT", "Mã đơn vị", "Tên đơn vị", 1.1, "1.2", 2.0, "1"]),
            [],
            ["1"],
            [],
            id="numeric-codes-and-a-field-total-column",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1, 2, 3, "ok"], header=[*HEADER, "Ghi chú"]),
            [],
            ["Ghi chú"],
            [],
            id="extra-note-column",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1, 2, 3, 4], header=[*HEADER, "9.9"]),
            [],
            [],
            ["Ô G5: mã tiêu chí “9.9” không có trong Chỉ số thử (2025)."],
            id="unknown-criterion",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1, 2, 3, 4], header=[*HEADER, "1.1"]),
            [],
            [],
            ["Ô G5: tiêu chí 1.1 có hai cột."],
            id="criterion-twice",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1, 2, 3], above=[[f"dòng {n}"] for n in range(1, 15)]),
            [],
            [],
            [],
            id="header-on-row-15",
        ),
    ],
)
def test_score_sheet_header_columns(score_framework, lang_son, data, missing, ignored, problems):
    preview, _values, found = read_scores(score_framework, lang_son, data)
    assert (preview.missing_columns, preview.ignored_columns, found) == (missing, ignored, problems)


def test_score_sheet_names_cells_where_the_table_starts_lower_and_to_the_right(score_framework, lang_son):
    data = xlsx(
        [
            [None, None, "BẢNG ĐIỂM"],
            [],
            [None, None, "STT", "Mã đơn vị", "Tên đơn vị", "1.1", "1.2", "2"],
            [None, None, 1, "S001", "Sở Nội vụ", 85.97, "6", 1],
            [None, None, 2, "S003", "Sở Xây dựng", 1],
        ],
        merge="C1:H1",
    )
    _preview, values, problems = read_scores(score_framework, lang_son, data)
    assert values == {"S001": {"1.1": "85.97", "2": "1.00"}}
    assert problems == ["Ô G4: Điểm 6,00 vượt điểm tối đa 5,00 của tiêu chí 1.2.", "Ô D5: " + NOT_HERE % "S003"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            score_sheet([1, "S001", None, 1], above=[[f"dòng {n}"] for n in range(1, 20)]),
            None,
            id="header-on-row-20-is-found",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1], above=[[f"dòng {n}"] for n in range(1, 21)]),
            "Không thấy dòng tiêu đề có cột “Mã đơn vị”: hãy dùng tệp mẫu tải từ cổng.",
            id="header-on-row-21-is-not",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1], header=["STT", "Mã", "Tên đơn vị", "1.1"]),
            "Không thấy dòng tiêu đề có cột “Mã đơn vị”: hãy dùng tệp mẫu tải từ cổng.",
            id="code-header-renamed",
        ),
        pytest.param(
            score_sheet([1, "S001", None, 1], header=["STT", "Mã đơn vị", "Tên đơn vị", "Điểm"]),
            "Dòng tiêu đề không có mã tiêu chí nào của Chỉ số thử (2025).",
            id="no-criterion-column",
        ),
        pytest.param(
            score_sheet([1, "S001", 1], header=["STT", "Mã đơn vị", "1.1", "Tên đơn vị"]),
            None,
            id="code-column-before-criteria-only",
        ),
        pytest.param(b"", "Tệp trống.", id="empty"),
        pytest.param(broken_xlsx(), NOT_A_SHEET, id="broken"),
        pytest.param("STT;Mã đơn vị;1.1\n1;S001;85,97\n".encode(), NOT_A_SHEET, id="csv"),
    ],
)
def test_score_sheet_refuses_a_file_that_is_not_the_template(score_framework, lang_son, data, message):
    with writes_nothing():
        if message is None:
            assert excel.read(score_framework, lang_son, data).ok
            return
        with pytest.raises(ImportFileError) as refused:
            excel.read(score_framework, lang_son, data)
    assert str(refused.value) == message


# --- Index scores: parse_score and check_score ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85,97", Decimal("85.97")),
        ("85.97", Decimal("85.97")),
        (85.97, Decimal("85.97")),
        (85.969999999, Decimal("85.97")),
        (85.9700000001, Decimal("85.97")),
        (3, Decimal("3.00")),
        (3.0, Decimal("3.00")),
        (Decimal("4.5"), Decimal("4.50")),
        (" 2,5 ", Decimal("2.50")),
        ("1.234,5", Decimal("1234.50")),
        ("1 234,5", Decimal("1234.50")),
        ("1\u00a0234,50", Decimal("1234.50")),
        ("-1", Decimal("-1.00")),
        ("", None),
        ("   ", None),
        (None, None),
        ("abc", "“abc” không phải là số."),
        ("NaN", "“NaN” không phải là số."),
        ("Infinity", "“Infinity” không phải là số."),
        (float("inf"), "“inf” không phải là số."),
        (True, "“True” không phải là số."),
        ("85,97%", "“85,97%” không phải là số."),
        ("2,555", "“2,555” có quá hai chữ số thập phân."),
        ("85.975", "“85.975” có quá hai chữ số thập phân."),
        (Decimal("1.005"), "“1.005” có quá hai chữ số thập phân."),
    ],
)
def test_parse_score_reads_scores_as_typed(raw, expected):
    if isinstance(expected, str):
        with pytest.raises(ValueError) as refused:
            scoring.parse_score(raw)
        assert str(refused.value) == expected
    else:
        assert scoring.parse_score(raw) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", ""),
        ("4.00", ""),
        ("2.5", ""),
        ("-0.01", "Điểm không được âm."),
        ("4.01", "Điểm 4,01 vượt điểm tối đa 4,00 của tiêu chí 1.2."),
        ("1234.5", "Điểm 1.234,50 vượt điểm tối đa 4,00 của tiêu chí 1.2."),
    ],
)
def test_check_score_against_the_criterion_maximum(value, expected):
    criterion = Criterion(code="1.2", name="Báo cáo CCHC", maximum=Decimal("4"))
    assert scoring.check_score(Decimal(value), criterion) == expected


# --- National results: indices.national_table, a province's own sheet ----------------------------------------

NATIONAL_HEADER = ["Năm", "Chỉ số", "Kết quả", "Xếp hạng", "Trên tổng số", "Văn bản công bố"]
NO_NATIONAL_HEADER = (
    "Không thấy dòng tiêu đề: bảng cần một cột kết quả (“Điểm”, “Kết quả” hoặc tên chỉ số) và một cột "
    "tỉnh, thành phố (“Tỉnh, thành phố”) hoặc cột “Năm”, như bảng Bộ Nội vụ công bố hoặc bảng tải từ "
    "trang này."
)
CSV_NOT_UTF8 = (
    "Tệp CSV không dùng bảng mã UTF-8 nên tiếng Việt sẽ bị lỗi font. "
    "Trong Excel, chọn Lưu thành → “CSV UTF-8 (phân tách bằng dấu phẩy)” rồi tải lên lại."
)


def own_sheet(*rows: list, header: list = NATIONAL_HEADER) -> bytes:
    # As offices keep it: a merged title, a blank line, the header on row 3.
    return xlsx([["KẾT QUẢ PAR INDEX, SIPAS CỦA TỈNH"], [], header, *rows], merge="A1:F1")


def read_national(province, name: str, data: bytes):
    """The province's own page reads the file (nothing written): each result
    as (line, its year, index and values, what would be done), and each problem."""
    with writes_nothing():
        preview = national_table.read(spreadsheets.table_rows(name, data), only=province)
    rows = [(row.line, {"year": row.year, "index": row.index, **row.values}, row.action) for row in preview.rows]
    return rows, [str(problem) for problem in preview.problems]


def par(year, score, rank, out_of, source=""):
    """A result as read from a table with a source column (source=None: a table without one)."""
    values = {"year": year, "index": "par", "score": Decimal(score), "rank": rank, "out_of": out_of}
    return values if source is None else values | {"source": source}


def sipas(year, score, rank, out_of, source=""):
    return par(year, score, rank, out_of, source) | {"index": "sipas"}


@pytest.mark.parametrize(
    ("rows", "expected", "problems"),
    [
        pytest.param(
            [[2024, "PAR INDEX", 85.97, 56, 63, "Quyết định số 268/QĐ-BNV ngày 28/3/2025"]],
            [(4, par(2024, "85.97", 56, 63, "Quyết định số 268/QĐ-BNV ngày 28/3/2025"), "create")],
            [],
            id="as-the-template",
        ),
        pytest.param(
            [[2024, "Par Index", "85,97", "56/63", None, "  Quyết định   số 268  "]],
            [(4, par(2024, "85.97", 56, 63, "Quyết định số 268"), "create")],
            [],
            id="rank-written-56-of-63",
        ),
        pytest.param(
            [["2024", "PARINDEX", "85.97", " 56 / 63 ", 63, ""]],
            [(4, par(2024, "85.97", 56, 63), "create")],
            [],
            id="text-year-and-spaced-rank",
        ),
        pytest.param(
            [[2024, "sipas", "81,51%", 55, None, ""]],
            [(4, sipas(2024, "81.51", 55, 63), "create")],
            [],
            id="sipas-percent-text-and-default-total",
        ),
        pytest.param(
            [[2024, "SIPAS", 0.8151, 55, 63, ""]],
            [(4, sipas(2024, "81.51", 55, 63), "create")],
            [],
            id="sipas-percent-cell-stored-as-fraction",
        ),
        pytest.param(
            [
                [2025, "Chỉ số hài lòng", 85.969999999, 20, 34, ""],
                [2025, "chi so cai cach hanh chinh", 84, 7, None, ""],
            ],
            [(4, sipas(2025, "85.97", 20, 34), "create"), (5, par(2025, "84.00", 7, 34), "create")],
            [],
            id="from-2025-34-provinces",
        ),
        pytest.param(
            [
                [2023, "PAR INDEX", 85.78, 49, 63, ""],
                [None, None, None, None, None, None],
                [2024, "SIPAS", 81.51, 55, 63, ""],
            ],
            [(4, par(2023, "85.78", 49, 63), "unchanged"), (6, sipas(2024, "81.51", 55, 63), "create")],
            [],
            id="blank-line-skipped-existing-unchanged",
        ),
        pytest.param(
            [[2023, "PAR INDEX", 85.8, 49, 63, "QĐ 190"]],
            [(4, par(2023, "85.80", 49, 63, "QĐ 190"), "update")],
            [],
            id="existing-updated",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, None, 63, ""]],
            [(4, par(2024, "85.97", None, 63), "create")],
            [],
            id="blank-rank-kept-without-rank",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, 56, 63, ""], [2023, "SIPAS", None, None, 63, ""]],
            [(4, par(2024, "85.97", 56, 63), "create")],
            [],
            id="line-without-score-or-rank-skipped",
        ),
        pytest.param(
            [[2024, "PCI", 65.2, 12, 63, ""], [2024, "PAPI", "45,31", 3, 63, ""], [2024, "DTI", 0.5869, 9, 63, ""]],
            [
                (4, par(2024, "65.20", 12, 63) | {"index": "pci"}, "create"),
                (5, par(2024, "45.31", 3, 63) | {"index": "papi"}, "create"),
                (6, par(2024, "0.5869", 9, 63) | {"index": "dti"}, "create"),
            ],
            [],
            id="pci-papi-dti",
        ),
        pytest.param(
            [[None, "PAR INDEX", 85.97, 56, 63, ""]],
            [],
            ["Ô A4: chưa ghi năm."],
            id="no-year",
        ),
        pytest.param([[2024, "", 85.97, 56, 63, ""]], [], ["Ô B4: chưa ghi chỉ số."], id="no-index"),
        pytest.param(
            [[2024, "PAR INDEX", "", 56, 63, ""]], [], ["Ô C4: chưa ghi kết quả (ô xếp hạng có ghi)."], id="no-score"
        ),
        pytest.param(
            [[2024, "SIPAS", "%", 55, 63, ""]],
            [],
            ["Ô C4: chưa ghi kết quả (ô xếp hạng có ghi)."],
            id="only-percent-sign",
        ),
        pytest.param(
            [[2011, "PAR INDEX", 85.97, 56, 63, ""]],
            [],
            [f"Ô A4: năm “2011” không hợp lệ (từ 2012 đến {THIS_YEAR})."],
            id="year-before-par-index",
        ),
        pytest.param(
            [[THIS_YEAR + 1, "PAR INDEX", 85.97, 20, 34, ""]],
            [],
            [f"Ô A4: năm “{THIS_YEAR + 1}” không hợp lệ (từ 2012 đến {THIS_YEAR})."],
            id="year-in-the-future",
        ),
        pytest.param(
            [["2024.5", "PAR INDEX", 85.97, 56, 63, ""]],
            [],
            [f"Ô A4: năm “2024.5” không hợp lệ (từ 2012 đến {THIS_YEAR})."],
            id="year-not-whole",
        ),
        pytest.param(
            [[2024, "XYZ", 85.97, 56, 63, ""]],
            [],
            ["Ô B4: chỉ số “XYZ” không rõ: ghi PAR INDEX, SIPAS, PAPI, PCI, DTI."],
            id="unknown-index",
        ),
        pytest.param(
            [[2024, "PAR INDEX", "tám lăm", 56, 63, ""]], [], ["Ô C4: “tám lăm” không phải là số."], id="words"
        ),
        pytest.param(
            [[2024, "PAR INDEX", "85,975", 56, 63, ""]],
            [],
            ["Ô C4: “85,975” có quá hai chữ số thập phân."],
            id="three-decimals",
        ),
        pytest.param(
            [[2024, "DTI", "0,58694", 9, 63, ""]],
            [],
            ["Ô C4: “0,58694” có quá 4 chữ số thập phân."],
            id="dti-five-decimals",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 100.5, 56, 63, ""]],
            [],
            ["Ô C4: kết quả 100,5 của PAR INDEX phải từ 0 đến 100."],
            id="over-100",
        ),
        pytest.param(
            [[2024, "PAPI", 85, 3, 63, ""]], [], ["Ô C4: kết quả 85 của PAPI phải từ 0 đến 80."], id="papi-over-80"
        ),
        pytest.param(
            [[2024, "PAR INDEX", "-1", 56, 63, ""]],
            [],
            ["Ô C4: kết quả -1 của PAR INDEX phải từ 0 đến 100."],
            id="negative",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, "56/63", 34, ""]],
            [],
            ["Ô E4: năm 2024 xếp hạng trên 63 tỉnh, thành phố, không phải 34."],
            id="rank-total-disagrees-with-total-column",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, 0, 63, ""]], [], ["Ô D4: xếp hạng “0” phải là số nguyên dương."], id="rank-0"
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, 55.5, 63, ""]],
            [],
            ["Ô D4: xếp hạng “55,5” phải là số nguyên dương."],
            id="rank-not-whole",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, "hạng 56", 63, ""]],
            [],
            ["Ô D4: xếp hạng “hạng 56” phải là số nguyên dương."],
            id="rank-words",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, 56, "sáu ba", ""]],
            [],
            ["Ô E4: năm 2024 xếp hạng trên 63 tỉnh, thành phố, không phải sáu ba."],
            id="total-words",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, "56/sáu ba", None, ""]],
            [],
            ["Ô D4: năm 2024 xếp hạng trên 63 tỉnh, thành phố, không phải sáu ba."],
            id="written-total-words-blamed-on-rank-cell",
        ),
        pytest.param(
            [[2024, "SIPAS", 81.51, 55, 34, ""]],
            [],
            ["Ô E4: năm 2024 xếp hạng trên 63 tỉnh, thành phố, không phải 34."],
            id="2024-is-out-of-63",
        ),
        pytest.param(
            [[2025, "SIPAS", 81.51, "20/63", None, ""]],
            [],
            ["Ô D4: năm 2025 xếp hạng trên 34 tỉnh, thành phố, không phải 63."],
            id="2025-is-out-of-34",
        ),
        pytest.param(
            [[2025, "PAR INDEX", 85.2, 40, None, ""]],
            [],
            ["Ô D4: xếp hạng 40 lớn hơn số tỉnh, thành phố năm 2025 (34)."],
            id="rank-over-total",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, 56, 63, "Q" * 256]],
            [],
            ["Ô F4: văn bản công bố dài quá 255 ký tự."],
            id="source-too-long",
        ),
        pytest.param(
            [[2024, "PAR INDEX", 85.97, 56, 63, ""], [2024, "Par Index", 86, 50, 63, ""]],
            [(4, par(2024, "85.97", 56, 63), "create")],
            ["Ô C5: PAR INDEX năm 2024 của Lạng Sơn đã có ở dòng 4."],
            id="same-year-and-index-twice",
        ),
        pytest.param([], [], ["Bảng không có dòng kết quả nào."], id="no-rows"),
        pytest.param(
            [[None, "", None, None, None, "  "]], [], ["Bảng không có dòng kết quả nào."], id="blank-rows-only"
        ),
    ],
)
def test_national_table_reads_each_line_and_names_each_problem(lang_son, rows, expected, problems):
    NationalResult.objects.create(province=lang_son, year=2023, index="par", score=Decimal("85.78"), rank=49, out_of=63)
    assert read_national(lang_son, "ket-qua.xlsx", own_sheet(*rows)) == (expected, problems)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param(
            "ket-qua.xlsx",
            own_sheet(
                [2024, "Chỉ số cải cách hành chính", "85,97", "56"], header=["năm", "Loại chỉ số", "Điểm", "Thứ hạng"]
            ),
            [(4, par(2024, "85.97", 56, 63, source=None), "create")],
            id="without-source-column-keeps-no-source",
        ),
        pytest.param(
            "ket-qua.xlsx",
            own_sheet([2024, "SIPAS", 80, 5], header=["Năm", "Chỉ số", "Kết quả (điểm/%)", "Vị trí "]),
            [(4, sipas(2024, "80.00", 5, 63, source=None), "create")],
            id="aliases",
        ),
        pytest.param(
            "ket-qua.xlsx",
            own_sheet([2024, "PAR INDEX", 85.97, 56], header=["Year", "Index", "Score", "Rank"]),
            [(4, par(2024, "85.97", 56, 63, source=None), "create")],
            id="english-headers",
        ),
        pytest.param(
            "ket-qua.xlsx",
            xlsx([[f"dòng {n}"] for n in range(1, 30)] + [NATIONAL_HEADER, [2024, "SIPAS", 80, 5, 63]]),
            [(31, sipas(2024, "80.00", 5, 63), "create")],
            id="header-on-row-30",
        ),
        pytest.param(
            "ket-qua.csv",
            # Excel's "CSV UTF-8" where the list separator is ";": a BOM, the title and blank line as empty cells.
            (
                "KẾT QUẢ PAR INDEX, SIPAS CỦA TỈNH;;;;;\r\n;;;;;\r\n"
                + csv_text(
                    [
                        NATIONAL_HEADER,
                        ["2024", "Par Index", "85,97", "56/63", "", "Quyết định số 268/QĐ-BNV, ngày 28/3/2025"],
                        ["2024", "SIPAS", "81,51%", "55", "63", ""],
                    ],
                    delimiter=";",
                )
            ).encode("utf-8-sig"),
            [
                (4, par(2024, "85.97", 56, 63, "Quyết định số 268/QĐ-BNV, ngày 28/3/2025"), "create"),
                (5, sipas(2024, "81.51", 55, 63), "create"),
            ],
            id="csv-utf8-bom-semicolons",
        ),
    ],
)
def test_national_table_header_as_offices_write_it(lang_son, name, data, expected):
    assert read_national(lang_son, name, data) == (expected, [])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "ket-qua.xlsx", own_sheet([2024, "SIPAS"], header=["Năm", "Chỉ số"]), NO_NATIONAL_HEADER, id="missing"
        ),
        pytest.param(
            "ket-qua.xlsx",
            xlsx([[f"dòng {n}"] for n in range(1, 31)] + [NATIONAL_HEADER, [2024, "SIPAS", 80, 5, 63]]),
            NO_NATIONAL_HEADER,
            id="header-below-row-30",
        ),
        pytest.param(
            "ket-qua.csv",
            cp1258(csv_text([NATIONAL_HEADER, ["2024", "PAR INDEX", "85,97", "56", "63", ""]], delimiter=";")),
            CSV_NOT_UTF8,
            id="csv-in-windows-code-page",
        ),
        pytest.param("ket-qua.xlsx", "Năm,Chỉ số\n2024,PAR\n".encode(), NOT_A_SHEET, id="csv-named-xlsx"),
        pytest.param("ket-qua.xlsx", broken_xlsx(), NOT_A_SHEET, id="truncated-xlsx"),
        pytest.param("ket-qua.xlsx", b"", "Tệp trống.", id="empty"),
    ],
)
def test_national_table_refuses_a_file_without_its_header(lang_son, name, data, message):
    with writes_nothing(), pytest.raises(ImportFileError) as refused:
        national_table.read(spreadsheets.table_rows(name, data), only=lang_son)
    assert str(refused.value) == message


def test_national_table_refuses_lines_of_other_provinces_on_the_own_page(lang_son, lao_cai):
    data = own_sheet(
        ["Lào Cai", 2024, "PAR INDEX", 86.1, 40],
        ["tỉnh Lang Son", 2024, "PAR INDEX", 85.97, 56],
        header=["Tỉnh, thành phố", "Năm", "Chỉ số", "Điểm", "Xếp hạng"],
    )
    assert read_national(lang_son, "ket-qua.xlsx", data) == (
        [(5, par(2024, "85.97", 56, 63, source=None), "create")],
        [
            "Ô A4: dòng này là kết quả của tỉnh Lào Cai, không phải của tỉnh Lạng Sơn: bảng của mọi tỉnh, thành phố "
            "nhập ở trang “Bảng xếp hạng toàn quốc”."
        ],
    )


def test_national_table_leaves_change_columns_aside(lang_son):
    NationalResult.objects.create(province=lang_son, year=2023, index="par", score=Decimal("85.78"), rank=49, out_of=63)
    data = own_sheet(
        [2024, "PAR INDEX", 85.97, 0.19, 56, -7],
        header=["Năm", "Chỉ số", "Kết quả", "Tăng/giảm điểm so với năm 2023", "Xếp hạng", "Tăng/giảm hạng"],
    )
    assert read_national(lang_son, "ket-qua.xlsx", data) == (
        [(4, par(2024, "85.97", 56, 63, source=None), "create")],
        [],
    )
