"""The national results table: entered as the offices keep it ("56/63",
"81,51%", "Par Index"), every problem by cell with nothing written, updates
told apart from additions, the export reading back unchanged, and the page
flow from upload to the summary sentence."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.exceptions import ImportFileError, Refused
from core.spreadsheets import first_sheet_rows
from indices import forms, national_sheet, national_table, selectors, services
from indices.models import NationalResult

from .conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = ["Năm", "Chỉ số", "Kết quả", "Xếp hạng", "Trên tổng số", "Văn bản công bố"]
LAI_CHAU_LIKE = [
    [2023, "PAR INDEX", 85.78, 49, 63, "Quyết định số 190/QĐ-BNV ngày 05/4/2024"],
    [2023, "SIPAS", "79,82%", "50/63", None, ""],
    [2024, "Par Index", "85,97", "56/63", None, "Quyết định số 268/QĐ-BNV ngày 28/3/2025"],
    [2024, "sipas", 81.51, 55, 63, "Quyết định số 268/QĐ-BNV ngày 28/3/2025"],
]
# SIPAS changes in percentage points and rank changes in one way: the
# default style of a province's reports (Province.percent_change_in_points).
OPENING = (
    "Chỉ số PAR INDEX tỉnh Lạng Sơn đạt 85,97 điểm, tăng 0,19 điểm so với năm 2023, xếp vị trí thứ 56/63 "
    "tỉnh, thành phố, giảm 7 hạng so với năm 2023; Chỉ số SIPAS đạt 81,51%, tăng 1,69 điểm phần trăm so với "
    "năm 2023; xếp hạng 55/63 tỉnh, thành phố, giảm 5 hạng so với năm 2023"
)


def read(province, data: bytes):
    """The province's own page reads the table (nothing written)."""
    return national_table.read(first_sheet_rows(data), only=province)


def write(actor, province, data: bytes):
    return services.national_table_import(actor=actor, rows=first_sheet_rows(data), only=province)


def table(rows, header=HEADER, title=True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append(["Kết quả PAR INDEX, SIPAS của tỉnh"])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_table_as_offices_write_it_gives_the_summary_sentence(lang_son, organiser):
    preview = read(lang_son, table(LAI_CHAU_LIKE))
    assert preview.ok and preview.counts == {"create": 4, "update": 0, "unchanged": 0}
    assert not NationalResult.objects.exists()  # reading writes nothing
    write(organiser, lang_son, table(LAI_CHAU_LIKE))
    sipas_2023 = NationalResult.objects.get(year=2023, index="sipas")
    assert (sipas_2023.score, sipas_2023.rank, sipas_2023.out_of) == (Decimal("79.82"), 50, 63)
    assert NationalResult.objects.get(year=2024, index="par").source == "Quyết định số 268/QĐ-BNV ngày 28/3/2025"
    assert selectors.national_summary(lang_son, 2024) == OPENING


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ([2024, "PAR INDEX", "abc", 56, 63, ""], "Ô C4: “abc” không phải là số."),
        ([2024, "PAR INDEX", 185.5, 56, 63, ""], "Ô C4: kết quả 185,5 của PAR INDEX phải từ 0 đến 100."),
        ([2010, "PAR INDEX", 85.97, 56, 63, ""], "Ô A4: năm “2010” không hợp lệ"),
        ([2024, "XYZ", 85.97, 56, 63, ""], "Ô B4: chỉ số “XYZ” không rõ: ghi PAR INDEX, SIPAS, PAPI, PCI, DTI."),
        ([2024, "SIPAS", 81.51, 0, 63, ""], "Ô D4: xếp hạng “0” phải là số nguyên dương."),
        ([2024, "SIPAS", 81.51, 55.5, 63, ""], "Ô D4: xếp hạng “55,5” phải là số nguyên dương."),
        ([2024, "SIPAS", 81.51, 55, 34, ""], "Ô E4: năm 2024 xếp hạng trên 63 tỉnh, thành phố, không phải 34."),
        ([2025, "SIPAS", 81.51, "20/63", None, ""], "Ô D4: năm 2025 xếp hạng trên 34 tỉnh, thành phố, không phải 63."),
        ([2025, "PAR INDEX", 85.2, 40, 34, ""], "Ô D4: xếp hạng 40 lớn hơn số tỉnh, thành phố năm 2025 (34)."),
        ([2024, None, 85.97, 56, 63, ""], "Ô B4: chưa ghi chỉ số."),
        ([2024, "SIPAS", "%", 55, 63, ""], "Ô C4: chưa ghi kết quả"),
        ([2024, "SIPAS", 81.51, "55/63", 34, ""], "Ô E4: năm 2024 xếp hạng trên 63 tỉnh, thành phố, không phải 34."),
    ],
)
def test_each_problem_names_its_cell_and_nothing_is_written(lang_son, organiser, row, expected):
    NationalResult.objects.create(province=lang_son, year=2023, index="par", score=Decimal("85.78"), rank=49, out_of=63)
    before = list(NationalResult.objects.values())
    data = table([row])
    preview = read(lang_son, data)
    assert not preview.ok
    assert any(str(p).startswith(expected) for p in preview.problems), [str(p) for p in preview.problems]
    with pytest.raises(Refused):
        write(organiser, lang_son, data)
    assert list(NationalResult.objects.values()) == before


def test_a_repeated_line_a_missing_column_and_a_sheet_without_header(lang_son):
    problems = read(lang_son, table([LAI_CHAU_LIKE[2], LAI_CHAU_LIKE[2]])).problems
    assert [str(p) for p in problems] == ["Ô C5: PAR INDEX năm 2024 của Lạng Sơn đã có ở dòng 4."]
    with pytest.raises(ImportFileError, match="Không thấy dòng tiêu đề"):
        read(lang_son, table([[2024, "SIPAS"]], header=["Năm", "Chỉ số"]))
    with pytest.raises(ImportFileError, match="Không thấy dòng tiêu đề"):
        read(lang_son, table([[1, 2]], header=["A", "B"]))


def test_updates_are_told_apart_and_the_export_reads_back_unchanged(lang_son, organiser):
    write(organiser, lang_son, table(LAI_CHAU_LIKE))
    corrected = [list(r) for r in LAI_CHAU_LIKE]
    corrected[0][2] = 85.8  # a corrected 2023 score
    preview = read(lang_son, table(corrected))
    assert preview.counts == {"create": 0, "update": 1, "unchanged": 3}
    write(organiser, lang_son, table(corrected))
    assert NationalResult.objects.count() == 4
    assert NationalResult.objects.get(year=2023, index="par").score == Decimal("85.80")
    exported = national_sheet.workbook(lang_son)
    assert read(lang_son, exported).counts == {"create": 0, "update": 0, "unchanged": 4}


def test_only_the_organiser_imports(lang_son, official, other_organiser):
    with pytest.raises(PermissionDenied):
        write(other_organiser, lang_son, table(LAI_CHAU_LIKE))
    assert client_for(official).get("/chi-so/toan-quoc/nhap/").status_code == 403
    assert not NationalResult.objects.exists()


def test_the_page_previews_then_confirms_once(lang_son, organiser):
    client = client_for(organiser)
    upload = SimpleUploadedFile("ket-qua-toan-quoc.xlsx", table([[2024, "SIPAS", 81.51, 55, 34, ""]]))
    page = client.post("/chi-so/toan-quoc/nhap/", {"file": upload}).content.decode()
    assert "năm 2024 xếp hạng trên 63 tỉnh, thành phố, không phải 34." in page and ">E4<" in page
    upload = SimpleUploadedFile("ket-qua-toan-quoc.xlsx", table(LAI_CHAU_LIKE))
    response = client.post("/chi-so/toan-quoc/nhap/", {"file": upload})
    assert "Thêm mới" in response.content.decode() and not NationalResult.objects.exists()
    token = response.context["token"]
    response = client.post("/chi-so/toan-quoc/nhap/", {"token": token}, follow=True)
    page = response.content.decode()
    assert "4 kết quả mới, 0 cập nhật, 0 không đổi" in page and OPENING in page
    response = client.post("/chi-so/toan-quoc/nhap/", {"token": token}, follow=True)
    assert "đã được nhập: hãy chọn lại tệp" in response.content.decode()
    assert NationalResult.objects.count() == 4
    download = client.get("/chi-so/toan-quoc/ket-qua.xlsx")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")


def test_the_entry_form_holds_the_number_of_provinces_to_the_year():
    form = forms.NationalResultForm({"year": 2025, "index": "par", "score": "85,2", "rank": 20, "out_of": 63})
    assert not form.is_valid()
    assert form.errors["out_of"] == ["Năm 2025 xếp hạng trên 34 tỉnh, thành phố."]


def test_a_percent_cell_and_a_table_without_the_source_column(lang_son, organiser):
    write(organiser, lang_son, table(LAI_CHAU_LIKE))
    book = Workbook()
    sheet = book.active
    sheet.append(["Năm", "Chỉ số", "Kết quả", "Xếp hạng"])
    sheet.append([2024, "SIPAS", 0.8151, 55])  # "81,51%" typed into Excel: stored as 0.8151
    sheet.append([2024, "PAR INDEX", 85.97, 56])
    sheet["C2"].number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    preview = read(lang_son, out.getvalue())
    assert preview.ok and preview.counts == {"create": 0, "update": 0, "unchanged": 2}
    write(organiser, lang_son, out.getvalue())
    kept = NationalResult.objects.get(year=2024, index="par")
    assert kept.source == "Quyết định số 268/QĐ-BNV ngày 28/3/2025"  # no column: the source on record stays


def test_a_preview_is_confirmed_only_by_whoever_made_it(lang_son, organiser, administrator):
    upload = SimpleUploadedFile("ket-qua-toan-quoc.xlsx", table(LAI_CHAU_LIKE))
    token = client_for(organiser).post("/chi-so/toan-quoc/nhap/", {"file": upload}).context["token"]
    response = client_for(administrator).post("/chi-so/toan-quoc/nhap/?tinh=lang-son", {"token": token}, follow=True)
    assert "hãy chọn lại tệp" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?tinh=lang-son")  # the administrator stays in the province
    assert not NationalResult.objects.exists()


def test_vietnamese_names_sort_as_a_dictionary_orders_them():
    from core.text import vn_sort_key

    names = [
        "Yên Bái",
        "Đồng Tháp",
        "Cần Thơ",
        "Điện Biên",
        "Đà Nẵng",
        "An Giang",
        "Ăn Thử",
        "Bà Rịa - Vũng Tàu",
        "Ðắk Lắk",
    ]
    names[-1] = "Đắk Lắk"
    assert sorted(names, key=vn_sort_key) == [
        "An Giang", "Ăn Thử", "Bà Rịa - Vũng Tàu", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên", "Đồng Tháp", "Yên Bái",
    ]  # fmt: skip
