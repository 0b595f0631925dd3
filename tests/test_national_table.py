"""National tables as ministries publish them, for every province: provinces
matched by any name they go by, previous-year columns, CSV in UTF-8 with or
without its mark and comma or semicolon, a blank rank kept, every refusal
with its message and nothing written, and the page from upload to confirm."""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from agencies.models import Province
from core.exceptions import ImportFileError, Refused
from core.models import AuditEntry
from core.spreadsheets import first_sheet_rows, table_rows
from indices import national_table, services
from indices.models import NationalResult

from .conftest import client_for

pytestmark = pytest.mark.django_db

# As the Ministry's appendix lays it out: a title, a merged header, a region
# heading inside the table, provinces written as the appendix writes them.
PUBLISHED = [
    ["PHỤ LỤC", None, None, None, None, None],
    ["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"] + [None] * 5,
    [],
    ["STT", "Tỉnh, thành phố", "Chỉ số PAR INDEX 2024", "Xếp hạng 2024", "Chỉ số PAR INDEX 2023", "Xếp hạng 2023"],
    [1, "TP. Hồ Chí Minh", 91.36, 1, "90,10", 2],
    [2, "Thừa Thiên Huế", "89,12", 7, 88.5, ""],
    ["Vùng Tây Nguyên", None, None, None, None, None],
    [3, "Đăk Lăk", 84.2, 40, 83.9, 41],
    [4, "Bà Rịa - Vũng Tàu", 87.5, "15", None, None],
    [5, "tỉnh Lai Châu", 85.97, 56, 85.78, 49],
]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(rows, **choices):
    return national_table.read(rows, **choices)


def province(code) -> Province:
    return Province.objects.get(code=code)


def test_the_ministry_table_is_read_with_its_previous_year(organiser):
    preview = read(first_sheet_rows(xlsx(PUBLISHED)))
    assert preview.ok, [str(p) for p in preview.problems]
    found = {(row.province.code, row.index, row.year): row.values for row in preview.rows}
    assert found[("ho-chi-minh", "par", 2024)] == {"score": Decimal("91.36"), "rank": 1, "out_of": 63}
    assert found[("ho-chi-minh", "par", 2023)]["score"] == Decimal("90.10")
    assert found[("hue", "par", 2023)] == {"score": Decimal("88.50"), "rank": None, "out_of": 63}  # no rank given
    assert found[("dak-lak", "par", 2024)]["rank"] == 40
    assert ("ba-ria-vung-tau", "par", 2023) not in found  # blank previous year: nothing
    assert preview.counts == {"create": 9, "update": 0, "unchanged": 0} and preview.provinces == 5
    assert not NationalResult.public.exists()

    services.national_table_import(actor=organiser, rows=first_sheet_rows(xlsx(PUBLISHED)))
    assert NationalResult.public.count() == 9
    assert NationalResult.public.get(province=province("hue"), year=2023).rank is None
    assert AuditEntry.objects.filter(action="national_result.import").count() == 9

    again = read(first_sheet_rows(xlsx(PUBLISHED)))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 9}
    corrected = [list(row) for row in PUBLISHED]
    corrected[4][2], corrected[4][3] = 91.4, 2
    changed = [row for row in read(first_sheet_rows(xlsx(corrected))).rows if row.action == "update"]
    assert [(row.province.name, row.year, row.changes) for row in changed] == [
        ("Hồ Chí Minh", 2024, [("kết quả", Decimal("91.3600"), Decimal("91.40")), ("xếp hạng", 1, 2)])
    ]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (
            "\ufeffTỉnh, thành phố;SIPAS 2024;Xếp hạng\nHà Nội;83,5;12\nTP Hồ Chí Minh;81,51%;30\n".encode(),
            "bom-semicolon",
        ),
        (b'Tinh thanh pho,SIPAS 2024,Xep hang\nHa Noi,"83,5",12\nHo Chi Minh City,81.51,30\n', "plain-comma"),
    ],
)
def test_a_csv_in_utf8_with_or_without_its_mark(data, name):
    preview = read(table_rows(f"{name}.csv", data))
    assert preview.ok, [str(p) for p in preview.problems]
    assert {(row.province.code, row.index, row.values["score"], row.values["rank"]) for row in preview.rows} == {
        ("ha-noi", "sipas", Decimal("83.50"), 12),
        ("ho-chi-minh", "sipas", Decimal("81.51"), 30),
    }


def test_a_csv_not_in_utf8_is_refused_saying_how_to_save_it():
    # Excel's "Unicode Text" (UTF-16) and Windows' Vietnamese code page.
    data = "Tỉnh, thành phố;SIPAS 2024\nHà Nội;83,5\n".encode("utf-16")
    with pytest.raises(ImportFileError, match="CSV UTF-8"):
        table_rows("sipas.csv", data)
    data = unicodedata.normalize("NFD", "Tinh, thanh pho;SIPAS 2024\nHà Nội;83,5\n").encode("cp1258", "replace")
    with pytest.raises(ImportFileError, match="CSV UTF-8"):
        table_rows("sipas.csv", data)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["Hà Giag", 80, 5], "Ô A2: không thấy tỉnh, thành phố “Hà Giag”; có phải: Hà Giang"),
        (["Lai Châu", 120, 5], "Ô B2: kết quả 120 của PAR INDEX phải từ 0 đến 100."),
        (["Lai Châu", 80, 64], "Ô C2: xếp hạng 64 lớn hơn số tỉnh, thành phố năm 2024 (63)."),
        (["Lai Châu", None, 5], "Ô B2: chưa ghi kết quả"),
        (["Lai Châu", "tám mươi", 5], "Ô B2: “tám mươi” không phải là số."),
    ],
)
def test_each_refusal_names_its_cell_and_nothing_is_written(organiser, row, expected):
    rows = [["Tỉnh, thành phố", "PAR INDEX 2024", "Xếp hạng 2024"], row]
    preview = read(rows)
    assert [str(p) for p in preview.problems][0].startswith(expected), [str(p) for p in preview.problems]
    with pytest.raises(Refused):
        services.national_table_import(actor=organiser, rows=rows)
    assert not NationalResult.public.exists()


def test_a_line_twice_and_a_merged_province_after_the_merger():
    rows = [["Tỉnh", "Điểm", "Xếp hạng"], ["Lào Cai", 80, 5], ["Lao Cai", 81, 6], ["Yên Bái", 79, 7]]
    problems = [str(p) for p in read(rows, year=2025, index="par").problems]
    assert problems == [
        "Ô A3: PAR INDEX năm 2025 của Lào Cai đã có ở dòng 2.",
        "Ô A4: tỉnh Yên Bái đã hợp nhất vào tỉnh Lào Cai từ ngày 01/7/2025: năm 2025 không còn xếp hạng riêng; "
        "ghi kết quả cho tỉnh Lào Cai.",
    ]
    assert read(rows[:2] + rows[3:], year=2024, index="par").ok  # in 2024 Yên Bái was still ranked


def test_year_and_index_come_from_the_header_a_column_or_the_upload():
    bare = [["Province", "Score", "Rank"], ["Hanoi", 85, 3]]
    with pytest.raises(ImportFileError, match="Không rõ năm"):
        read(bare)
    with pytest.raises(ImportFileError, match="Không rõ chỉ số"):
        read(bare, year=2024)
    [row] = read(bare, year=2024, index="pci").rows
    assert (row.province.code, row.index, row.year) == ("ha-noi", "pci", 2024)
    english = [["Province", "PAPI 2023", "Rank"], ["Da Nang", 45.12, 1]]
    [row] = read(english).rows
    assert (row.province.code, row.index, row.year, row.values["score"]) == ("da-nang", "papi", 2023, Decimal("45.12"))
    dti = [["Tỉnh, thành phố", "DTI 2024", "Xếp hạng"], ["Bắc Ninh", "0,6123", 4]]
    assert read(dti).rows[0].values["score"] == Decimal("0.6123")


def test_a_province_page_refuses_another_province(organiser, lang_son):
    rows = [["Tỉnh, thành phố", "PAR INDEX 2024", "Xếp hạng"], ["Lạng Sơn", 86.1, 30], ["Hải Phòng", 88, 10]]
    problems = [str(p) for p in read(rows, only=lang_son).problems]
    assert problems == [
        "Ô A3: dòng này là kết quả của thành phố Hải Phòng, không phải của tỉnh Lạng Sơn: bảng của mọi tỉnh, "
        "thành phố nhập ở trang “Bảng xếp hạng toàn quốc”."
    ]
    with pytest.raises(Refused):
        services.national_table_import(actor=organiser, rows=rows, only=lang_son)
    assert not NationalResult.public.exists()


def test_who_imports_the_national_table(official, other_organiser, leader):
    rows = [["Tỉnh, thành phố", "PAR INDEX 2024", "Xếp hạng"], ["Lạng Sơn", 86.1, 30]]
    for refused in (official, leader):
        with pytest.raises(PermissionDenied):
            services.national_table_import(actor=refused, rows=rows)
        assert client_for(refused).get("/chi-so/bang-xep-hang/nhap/").status_code == 403
    # Any province's Sở Nội vụ may import the table of every province.
    services.national_table_import(actor=other_organiser, rows=rows)
    assert NationalResult.public.get().province.code == "lang-son"


def test_the_page_previews_then_confirms_once(organiser):
    client = client_for(organiser)
    upload = SimpleUploadedFile("par-index-2024.xlsx", xlsx(PUBLISHED))
    response = client.post("/chi-so/bang-xep-hang/nhap/", {"file": upload})
    page = response.content.decode()
    assert "5 tỉnh, thành phố: 9 kết quả mới, 0 cập nhật, 0 không đổi" in page
    assert "trong tệp: Thừa Thiên Huế" in page  # a name read otherwise than written is shown as written
    assert not NationalResult.public.exists()
    token = response.context["token"]
    done = client.post("/chi-so/bang-xep-hang/nhap/", {"token": token})
    assert done["Location"] == "/chi-so/bang-xep-hang/?chi-so=par&nam=2024"  # the table just imported
    again = client.post("/chi-so/bang-xep-hang/nhap/", {"token": token}, follow=True)
    assert "hãy chọn lại tệp" in again.content.decode()
    assert NationalResult.public.count() == 9
    bad = SimpleUploadedFile("sai.csv", "Tỉnh, thành phố;PAR INDEX 2024\nHà Giag;80\n".encode())
    page = client.post("/chi-so/bang-xep-hang/nhap/", {"file": bad}).content.decode()
    assert "không thấy tỉnh, thành phố “Hà Giag”; có phải: Hà Giang" in page
    assert "?." not in page


def test_every_province_and_its_lineage_is_known():
    active = Province.objects.filter(active_to__isnull=True)
    assert Province.objects.count() >= 63 and active.count() >= 34
    assert sorted(p.name for p in province("can-tho").predecessors.all()) == ["Hậu Giang", "Sóc Trăng"]
    assert province("hue").kind == Province.Kind.CITY and province("hue").region
