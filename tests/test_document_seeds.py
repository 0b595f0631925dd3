"""Seeds 001 and 004 rebuilt from the demo data: the PDF holds their lines,
in the page and fonts of Nghị định 30; the DOCX holds the same text."""

import io
import re

import pdfplumber
import pytest
from django.core.management import call_command
from docx import Document as Docx

from documents.models import Document

pytestmark = pytest.mark.django_db
MM = 72 / 25.4


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        files = {}
        for purpose in ("invitation", "plan"):
            # The seeds are the provincial committees' (the demo also drafts a district's plan).
            document = Document.objects.get(purpose=purpose, issuer__code="UBND")
            pdf = document.files.get(kind="pdf", addressee="")
            docx = document.files.get(kind="docx", addressee="")
            files[purpose] = (pdf.file.read(), docx.file.read())
        yield files
        call_command("flush", "--no-input", verbosity=0)


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return flat("\n".join(page.extract_text() or "" for page in pdf.pages))


def docx_text(data: bytes) -> str:
    word = Docx(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    parts += [c.text for t in word.tables for r in t.rows for c in r.cells]
    return flat("\n".join(parts))


SEED_001 = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH LẠNG SƠN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: /GM-UBND",
    "Lạng Sơn, ngày tháng 5 năm 2026",
    "GIẤY MỜI",
    "Dự Hội nghị phân tích kết quả Chỉ số hài lòng của người dân",
    "1. Thành phần dự Hội nghị",
    "- Lãnh đạo UBND tỉnh - Chủ trì hội nghị",
    "- Đại diện lãnh đạo Hội đồng nhân dân tỉnh (có giấy mời riêng);",
    "- Đại diện lãnh đạo Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh (có giấy mời riêng);",
    "- Thủ trưởng các cơ quan chuyên môn thuộc UBND tỉnh;",
    "- Giám đốc Bưu điện tỉnh",
    "- Chủ tịch UBND các xã, phường.",
    "2. Thời gian: từ 14 giờ 00 phút, ngày 29/5/2026 (thứ Sáu).",
    "3. Địa điểm: Hội trường HĐND - UBND tỉnh (địa chỉ: số 02 đường Hùng Vương, phường Lương Văn Tri, tỉnh Lạng Sơn).",
    "4. Nội dung Hội nghị",
    "- Báo cáo phân tích kết quả chỉ số SIPAS, PAR INDEX năm 2025.",
    "5. Tổ chức thực hiện",
    "trình UBND tỉnh chậm nhất ngày 27/5/2026",
    "gửi Sở Nội vụ tổng hợp trước ngày 27/5/2026",
    "b) Văn phòng UBND tỉnh chuẩn bị các điều kiện phục vụ Hội nghị",
    "Trân trọng kính mời đại biểu tham dự Hội nghị./.",
    "Nơi nhận:",
    "- Như thành phần mời;",
    "- Văn phòng Đoàn ĐBQH&HĐND tỉnh;",
    "- Lưu: VT, NC(HTMĐ).",
    "TL. CHỦ TỊCH",
    "KT. CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "Nguyễn Thị Thúy",
]

SEED_004 = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH LÀO CAI",
    "Số: /KH-UBND",
    "Lào Cai, ngày tháng 3 năm 2026",
    "KẾ HOẠCH",
    "Tổ chức Hội nghị công bố chỉ số CCHC năm 2025",
    "Kế hoạch số 35/KH-UBND ngày 30/01/2026",
    "Kế hoạch số 211/KH-UBND ngày 31/12/2025",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1.2. Công bố Chỉ số cải cách hành chính (PAR INDEX) năm 2025",
    "II. NỘI DUNG, CHƯƠNG TRÌNH HỘI NGHỊ",
    "2. Chương trình Hội nghị (dự kiến)",
    "- Tuyên bố lý do, giới thiệu đại biểu;",
    "- Bế mạc Hội nghị.",
    "III. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN",
    "1. Thời gian: Tổ chức trong ½ ngày, dự kiến trước ngày 31/3/2026.",
    "2. Địa điểm tổ chức: Tại Trung tâm Hội nghị tỉnh Lào Cai.",
    "3.1. Đại biểu cấp tỉnh:",
    "- Kính mời Thường trực Tỉnh ủy, HĐND, UBND tỉnh;",
    "3.3. Đại biểu điển hình tiên tiến:",
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Kinh phí tổ chức Hội nghị:",
    "2.1. Sở Nội vụ",
    "2.3. Sở Tài chính: Chủ trì thẩm định dự toán kinh phí tổ chức Hội nghị",
    "- Cử phóng viên tham dự và đưa tin Hội nghị.",
    "điện thoại 0888.333.689",
    "Nơi nhận:",
    "- TT. Tỉnh ủy, HĐND, UBND tỉnh;",
    "- Lưu VT, NC.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Ngô Hạnh Phúc",
    "PHỤ LỤC",
    "Dự kiến các báo cáo tham luận tại Hội nghị công bố chỉ số CCHC năm 2025",
    "STT Nội dung tham luận Đơn vị tham luận",
]


@pytest.mark.parametrize("purpose, lines", [("invitation", SEED_001), ("plan", SEED_004)])
def test_pdf_and_docx_hold_the_seed_lines(seeded, purpose, lines):
    pdf, docx = seeded[purpose]
    text, word = pdf_text(pdf), docx_text(docx)
    missing = [line for line in lines if flat(line) not in text]
    assert not missing, missing
    # Word holds the same lines (tables flatten cell by cell, so the appendix header is checked per cell).
    missing = [line for line in lines if flat(line) not in word and not line.startswith("STT ")]
    assert not missing, missing


def test_appendix_table_rows_of_seed_004(seeded):
    from demo.conferences import PRESENTATIONS_004

    with pdfplumber.open(io.BytesIO(seeded["plan"][0])) as document:
        rows = [row for page in document.pages for table in page.extract_tables() for row in table]
    assert [flat(c or "") for c in rows[0]] == ["STT", "Nội dung tham luận", "Đơn vị tham luận"]
    assert [[flat(c or "") for c in row] for row in rows[1:]] == [
        [f"{i}.", flat(topic), flat(unit)] for i, (topic, unit) in enumerate(PRESENTATIONS_004, start=1)
    ]


@pytest.mark.parametrize("purpose", ["invitation", "plan"])
def test_page_geometry_and_fonts(seeded, purpose):
    pdf, _ = seeded[purpose]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        fonts = {char["fontname"].split("+")[-1] for page in document.pages for char in page.chars}
        # Times-compatible fonts only: a missing glyph would have fallen back to another family.
        assert fonts and all(re.match(r"(Tinos|LiberationSerif|TimesNewRoman)", f) for f in fonts), fonts
        for index, page in enumerate(document.pages):
            landscape = page.width > page.height
            assert sorted((round(page.width), round(page.height))) == [595, 842]
            chars = [c for c in page.chars if c["text"].strip()]
            body = [c for c in chars if c["top"] > 18 * MM]  # the page number sits in the top margin
            left = min(c["x0"] for c in body) / MM
            right = (page.width - max(c["x1"] for c in body)) / MM
            top = min(c["top"] for c in body) / MM
            bottom = (page.height - max(c["bottom"] for c in body)) / MM
            if not landscape:
                assert 29.5 <= left <= 35.5, (index, left)
                assert 14.5 <= right, (index, right)
                assert 19.5 <= top and 19.5 <= bottom, (index, top, bottom)
            numbers = [c for c in chars if c["top"] < 18 * MM]
            if index == 0:
                assert not numbers  # no page number on the first page
            else:
                number = "".join(c["text"] for c in numbers)
                assert number == str(index + 1)
                middle = (min(c["x0"] for c in numbers) + max(c["x1"] for c in numbers)) / 2
                assert abs(middle - (30 * MM + (page.width - 45 * MM) / 2)) < 10


def test_fonts_are_embedded(seeded):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(seeded["plan"][0]))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
