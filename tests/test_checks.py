"""The checks run before a document is issued, and the Vietnamese formatting
and folding they and the imports lean on, one case per table row: the text
as a drafter types it against the exact problem it must raise, or none."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from core.formatting import vn_date, vn_datetime, vn_number, vn_time, vn_weekday
from core.text import fold
from documents import checks, richtext
from documents.models import Document, Section
from documents.sources import Facts

UTC = dt.UTC
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


# --- core.text.fold -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("LẠNG SƠN", "lang son"),
        ("Lạng Sơn", "lang son"),
        ("lang son", "lang son"),
        ("Đắk Lắk", "dak lak"),
        ("đặc khu Phú Quốc", "dac khu phu quoc"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("  Sở   Nội vụ\n", "so noi vu"),
        ("Sở, ban, ngành", "so, ban, nganh"),
        (unicodedata.normalize("NFD", "Ủy ban nhân dân"), "uy ban nhan dan"),
        ("Uỷ ban", "uy ban"),
        ("lang-son", "lang-son"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_diacritics_case_and_spacing(value, expected):
    assert fold(value) == expected


# --- core.formatting --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 5, 29), "29/5/2026"),
        (dt.date(2026, 2, 5), "05/02/2026"),
        (dt.date(2026, 1, 10), "10/01/2026"),
        (dt.date(2026, 2, 28), "28/02/2026"),
        (dt.date(2026, 3, 1), "01/3/2026"),
        (dt.date(2026, 9, 9), "09/9/2026"),
        (dt.date(2026, 12, 9), "09/12/2026"),
        (dt.date(2026, 10, 31), "31/10/2026"),
        (dt.date(2025, 7, 1), "01/7/2025"),
        (dt.datetime(2026, 5, 28, 17, 30, tzinfo=UTC), "29/5/2026"),
        (dt.datetime(2026, 1, 31, 16, 59, tzinfo=UTC), "31/01/2026"),
        (dt.datetime(2026, 5, 28, 23, 0), "28/5/2026"),
        (None, ""),
    ],
)
def test_vn_date_pads_days_under_10_and_months_under_3(value, expected):
    assert vn_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 6, 1), "thứ Hai"),
        (dt.date(2026, 6, 2), "thứ Ba"),
        (dt.date(2026, 6, 3), "thứ Tư"),
        (dt.date(2026, 6, 4), "thứ Năm"),
        (dt.date(2026, 5, 29), "thứ Sáu"),
        (dt.date(2026, 5, 30), "thứ Bảy"),
        (dt.date(2026, 5, 31), "Chủ nhật"),
        (dt.datetime(2026, 5, 30, 18, 0, tzinfo=UTC), "Chủ nhật"),
        (dt.datetime(2026, 5, 30, 18, 0), "thứ Bảy"),
        (None, ""),
    ],
)
def test_vn_weekday_in_vietnam_time(value, expected):
    assert vn_weekday(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 5, 29, 7, 5, tzinfo=UTC), "14:05 29/5/2026"),
        (dt.datetime(2026, 2, 4, 17, 0, tzinfo=UTC), "00:00 05/02/2026"),
        (dt.datetime(2026, 5, 29, 14, 5, tzinfo=HANOI), "14:05 29/5/2026"),
        (dt.datetime(2026, 5, 29, 8, 0), "08:00 29/5/2026"),
        (None, ""),
    ],
)
def test_vn_datetime_in_vietnam_time(value, expected):
    assert vn_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(dt.time(14, 0), "14 giờ 00"), (dt.time(8, 5), "08 giờ 05"), (dt.time(0, 30), "00 giờ 30"), (None, "")],
)
def test_vn_time_as_documents_write_it(value, expected):
    assert vn_time(value) == expected


@pytest.mark.parametrize(
    ("value", "digits", "language", "expected"),
    [
        (Decimal("85.97"), None, "vi", "85,97"),
        (Decimal("85.97"), None, "en", "85,97"),
        (1234, None, "vi", "1.234"),
        (1234, None, "en", "1.234"),
        (1234567, None, "vi", "1.234.567"),
        (Decimal("1234.5"), 2, "vi", "1.234,50"),
        (Decimal("4"), 2, "vi", "4,00"),
        (Decimal("81.514"), 2, "vi", "81,51"),
        (85.97, None, "vi", "85,97"),
        (-1.5, None, "vi", "-1,5"),
        (0, None, "vi", "0"),
        (Decimal("0"), 2, "vi", "0,00"),
        (None, None, "vi", ""),
        ("", None, "vi", ""),
    ],
)
def test_vn_number_writes_vietnamese_figures_in_any_language(value, digits, language, expected):
    with translation.override(language):
        assert vn_number(value, digits) == expected


# --- check_weekdays ----------------------------------------------------------------------------------------


def mismatch(text: str, date: str, weekday: str) -> str:
    return f"Thứ không khớp với ngày: “{text}” — ngày {date} là {weekday}."


def not_real(text: str) -> str:
    return f"Ngày “{text}” không có thật."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Right: every way a weekday is written, before the date or after it in brackets.
        ("Thời gian: 14 giờ 00, thứ Sáu, ngày 29/5/2026.", []),
        ("vào thứ 6, ngày 29/5/2026", []),
        ("Thứ sáu ngày 29/5/2026", []),
        ("THỨ SÁU, NGÀY 29/5/2026", []),
        ("thứ Sáu 29/05/2026", []),
        ("vào ngày 29/5/2026 (thứ Sáu)", []),
        ("ngày 29/5/2026 ( thứ 6 )", []),
        ("thứ Sáu, ngày 29 tháng 5 năm 2026", []),
        ("ngày 29 tháng 5 năm 2026 (thứ Sáu)", []),
        ("thứ Hai, ngày 01/6/2026", []),
        ("thứ 2, 01/06/2026", []),
        ("thứ Ba, ngày 02/6/2026", []),
        ("thứ 3 ngày 2/6/2026", []),
        ("thứ Tư, ngày 03/6/2026", []),
        ("thứ 4, ngày 03/6/2026", []),
        ("thứ Năm, ngày 04/6/2026", []),
        ("thứ 5, ngày 04/6/2026", []),
        ("thứ Bảy, ngày 30/5/2026", []),
        ("thứ 7, ngày 30/5/2026", []),
        ("Chủ nhật, ngày 31/5/2026", []),
        ("chủ  nhật 31/5/2026", []),
        ("31/5/2026 (Chủ Nhật)", []),
        ("ngày 31/2/2026", []),  # no weekday beside it: not this check's business
        # Wrong weekday, in each form.
        ("thứ Hai, ngày 29/5/2026", [mismatch("thứ Hai, ngày 29/5/2026", "29/5/2026", "thứ Sáu")]),
        ("Họp vào thứ 2 29/5/2026.", [mismatch("thứ 2 29/5/2026", "29/5/2026", "thứ Sáu")]),
        ("ngày 29/5/2026 (thứ Năm)", [mismatch("29/5/2026 (thứ Năm)", "29/5/2026", "thứ Sáu")]),
        (
            "ngày 29 tháng 5 năm 2026 (thứ Năm)",
            [mismatch("29 tháng 5 năm 2026 (thứ Năm)", "29/5/2026", "thứ Sáu")],
        ),
        (
            "Thứ Năm, ngày 29 tháng 5 năm 2026",
            [mismatch("Thứ Năm, ngày 29 tháng 5 năm 2026", "29/5/2026", "thứ Sáu")],
        ),
        ("Chủ nhật, ngày 30/5/2026", [mismatch("Chủ nhật, ngày 30/5/2026", "30/5/2026", "thứ Bảy")]),
        ("thứ Sáu, ngày 31/5/2026", [mismatch("thứ Sáu, ngày 31/5/2026", "31/5/2026", "Chủ nhật")]),
        ("thứ Sáu, ngày 05/02/2026", [mismatch("thứ Sáu, ngày 05/02/2026", "05/02/2026", "thứ Năm")]),
        ("thứ Tư, ngày 1/1/2026", [mismatch("thứ Tư, ngày 1/1/2026", "01/01/2026", "thứ Năm")]),
        # Dates that do not exist.
        ("thứ Hai, ngày 31/2/2026", [not_real("thứ Hai, ngày 31/2/2026")]),
        ("30/02/2026 (thứ Hai)", [not_real("30/02/2026 (thứ Hai)")]),
        ("ngày 31 tháng 4 năm 2026 (thứ Năm)", [not_real("31 tháng 4 năm 2026 (thứ Năm)")]),
        ("thứ Ba, ngày 29/13/2026", [not_real("thứ Ba, ngày 29/13/2026")]),
        # Several in one text: each reported, patterns in turn.
        (
            "Khai mạc thứ Sáu, ngày 29/5/2026; bế mạc thứ Bảy, ngày 31/5/2026 và họp lại 02/6/2026 (thứ Tư).",
            [
                mismatch("thứ Bảy, ngày 31/5/2026", "31/5/2026", "Chủ nhật"),
                mismatch("02/6/2026 (thứ Tư)", "02/6/2026", "thứ Ba"),
            ],
        ),
        pytest.param(
            "Thực hiện Kết luận tại Phiên họp thứ 4, ngày 12/3/2026 của Ban Chỉ đạo",
            [],
            id="ordinal-before-a-date",
        ),
    ],
)
def test_check_weekdays_matches_weekday_and_date(text, expected):
    assert checks.check_weekdays(text) == expected


# --- check_years -------------------------------------------------------------------------------------------

OWN_YEARS = "không khớp với các năm của văn bản (2026)."


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ("Kế hoạch cải cách hành chính năm 2026", Facts(years={2026}), []),
        ("Hội nghị ngày 29/5/2026, thứ Sáu, ngày 29 tháng 5 năm 2026", Facts(years={2026}), []),
        ("Căn cứ Kế hoạch số 35/KH-UBND ngày 30/01/2024 của UBND tỉnh", Facts(years={2026}), []),
        ("Thực hiện Công văn số 1550/SNV-CCHC, ngày 14/4/2023", Facts(years={2026}), []),
        ("Nghị định số 61/2018/NĐ-CP của Chính phủ", Facts(years={2026}), []),
        ("Chỉ số PAR INDEX tăng 0,19 điểm so với năm 2023", Facts(years={2026}), []),
        ("Số hồ sơ tăng 12% so với cùng kỳ năm 2025", Facts(years={2026}), []),
        ("Chiến lược giai đoạn 2026 - 2030", Facts(years={2026}), []),
        ("Chương trình tổng thể giai đoạn 2021–2030", Facts(years={2026}), []),
        ("Chương trình giai đoạn 2021-2025 và năm 2025", Facts(years={2025, 2026}), []),
        ("Kết quả năm 2024 trong báo cáo", Facts(years=set()), []),
        (
            "Chương trình công tác tháng 5 năm 2024",
            Facts(years={2026}),
            [f"Năm 2024 trong “Chương trình công tác tháng 5 năm 2024” {OWN_YEARS}"],
        ),
        (
            "Hội nghị tổ chức ngày 29/5/2025. Đề nghị các đơn vị tham dự đầy đủ.",
            Facts(years={2026}),
            [f"Năm 2025 trong “Hội nghị tổ chức ngày 29/5/2025” {OWN_YEARS}"],
        ),
        (
            "Thực hiện Kế hoạch giai đoạn 2021-2025; tổ chức hội nghị",
            Facts(years={2026}),
            [f"Năm 2021 trong “Thực hiện Kế hoạch giai đoạn 2021-2025” {OWN_YEARS}"],
        ),
        (
            "Báo cáo từ năm 2023 đến năm 2024",
            Facts(years={2026}),
            [
                f"Năm 2023 trong “Báo cáo từ năm 2023 đến năm 2024” {OWN_YEARS}",
                f"Năm 2024 trong “Báo cáo từ năm 2023 đến năm 2024” {OWN_YEARS}",
            ],
        ),
        (
            "Kết quả năm 2024, năm 2024 và ngày 05/02/2024",
            Facts(years={2026}),
            [
                f"Năm 2024 trong “Kết quả năm 2024” {OWN_YEARS}",
                f"Năm 2024 trong “năm 2024 và ngày 05/02/2024” {OWN_YEARS}",
            ],
        ),
        (
            "Tăng 5 bậc so với năm 2023; kết quả năm 2023 được công bố",
            Facts(years={2026}),
            [f"Năm 2023 trong “kết quả năm 2023 được công bố” {OWN_YEARS}"],
        ),
        (
            "Kết quả Chỉ số năm 2023",
            Facts(years={2024, 2025}),
            ["Năm 2023 trong “Kết quả Chỉ số năm 2023” không khớp với các năm của văn bản (2024, 2025)."],
        ),
        (
            "Kết quả Chỉ số năm 2023",
            Facts(years={2024}, years_note="năm đánh giá của bộ chỉ số (2024)"),
            ["Năm 2023 trong “Kết quả Chỉ số năm 2023” không khớp với năm đánh giá của bộ chỉ số (2024)."],
        ),
        pytest.param(
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
            Facts(years={2026}),
            [],
            id="citation-with-long-date",
        ),
    ],
)
def test_check_years_ignores_citations_comparisons_and_periods(text, facts, expected):
    assert checks.check_years(text, facts) == expected


# --- check_deadlines (bold dates, as richtext reads them) -----------------------------------------------------

EVENT = Facts(event_date=dt.date(2026, 5, 29), years={2026})


def late(span: str, event: str = "29/5/2026") -> str:
    return f"Hạn “{span}” không trước ngày diễn ra ({event})."


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ("Gửi báo cáo về Sở Nội vụ **trước ngày 20/5/2026**.", EVENT, []),
        ("Đăng ký **trước 17 giờ 00 ngày 28/5/2026**", EVENT, []),
        ("Gửi báo cáo trước ngày 05/6/2026.", EVENT, []),  # not bold: not a deadline
        ("Gửi báo cáo **trước ngày 29/5/2026**.", EVENT, [late("trước ngày 29/5/2026")]),
        ("Gửi báo cáo **trước ngày 05/06/2026**.", EVENT, [late("trước ngày 05/06/2026")]),
        (
            "Đăng ký **trước ngày 20/5/2026**; nộp bài **trước ngày 30/5/2026**.",
            EVENT,
            [late("trước ngày 30/5/2026")],
        ),
        ("**Từ 20/5/2026 đến 05/6/2026**", EVENT, [late("Từ 20/5/2026 đến 05/6/2026")]),
        ("| Việc | Hạn |\n|---|---|\n| Gửi tham luận | **30/5/2026** |", EVENT, [late("30/5/2026")]),
        (
            "- Gửi tham luận **trước ngày 25/5/2026**\n- Báo cáo kết quả **trước ngày 15/6/2026**",
            EVENT,
            [late("trước ngày 15/6/2026")],
        ),
        (
            "Báo cáo kết quả thực hiện kết luận **trước ngày 15/6/2026**.",
            Facts(event_date=dt.date(2026, 5, 29), after_event_ok={dt.date(2026, 6, 15)}),
            [],
        ),
        ("Gửi báo cáo **trước ngày 15/6/2026**.", Facts(years={2026}), []),
        ("Gửi báo cáo **trước ngày 31/6/2026**.", EVENT, []),  # no such day: not a deadline to compare
        pytest.param(
            "| Từ ngày | Đến ngày |\n|---|---|\n| **20/5/2026** | **30/5/2026** |",
            EVENT,
            [late("30/5/2026")],
            id="adjacent-bold-cells",
        ),
        (
            "Gửi báo cáo **trước ngày 10/02/2026**.",
            Facts(event_date=dt.date(2026, 2, 5)),
            [late("trước ngày 10/02/2026", "05/02/2026")],
        ),
    ],
)
def test_check_deadlines_holds_bold_dates_before_the_event(text, facts, expected):
    assert checks.check_deadlines(richtext.bold_spans(text), facts) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Không có chữ đậm.", []),
        ("Gửi **trước ngày 20/5/2026** về **Sở Nội vụ**.", ["trước ngày 20/5/2026", "Sở Nội vụ"]),
        ("**trước *ngày* 20/5/2026**", ["trước ngày 20/5/2026"]),
        ("1. **Hạn nộp:** 20/5/2026", ["Hạn nộp:"]),
        ("| Việc | Hạn |\n|---|---|\n| Gửi tham luận | **30/5/2026** |", ["30/5/2026"]),
        pytest.param(
            "| Từ ngày | Đến ngày |\n|---|---|\n| **20/5/2026** | **30/5/2026** |",
            ["20/5/2026", "30/5/2026"],
            id="adjacent-bold-cells",
        ),
        ("- **a**\n- b\n- **c**", ["a", "c"]),
    ],
)
def test_bold_spans_are_the_phrases_in_bold(text, expected):
    assert richtext.bold_spans(text) == expected


# --- run_checks ----------------------------------------------------------------------------------------------

GOOD = {
    "doc_type": "KH",
    "title": "Kế hoạch tổ chức Hội nghị phân tích Chỉ số CCHC năm 2026",
    "issuer_abbr": "UBND",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "Nguyễn Văn An",
    "recipients": "- Như trên;\n- Lưu: VT, SNV.",
    "dated": dt.date(2026, 5, 20),
}
BODY = "Hội nghị tổ chức vào thứ Sáu, ngày 29/5/2026."


def sections(*texts: str, part: str = "body") -> list[Section]:
    return [Section(part=part, text=text) for text in texts]


@pytest.mark.parametrize(
    ("changes", "parts", "expected"),
    [
        ({}, sections(BODY), []),
        ({"recipients": "Như trên;\nlưu: VT"}, sections(BODY), []),
        ({"title": "  "}, sections(BODY), ["Chưa có trích yếu."]),
        ({}, [], ["Văn bản chưa có nội dung."]),
        ({}, sections("  \n"), ["Văn bản chưa có nội dung."]),
        ({}, sections(BODY, part="appendix"), ["Văn bản chưa có nội dung."]),
        (
            {"issuer_abbr": ""},
            sections(BODY),
            ["Chưa có chữ viết tắt của cơ quan ban hành, nên chưa cấp được số, ký hiệu."],
        ),
        ({"signer_title": " "}, sections(BODY), ["Chưa có chức vụ người ký."]),
        ({"signer_name": ""}, sections(BODY), ["Chưa có họ tên người ký."]),
        ({"recipients": "\n \n"}, sections(BODY), ["Chưa có nơi nhận."]),
        ({"recipients": "- Như trên;\n- Sở Nội vụ."}, sections(BODY), ["Nơi nhận thiếu dòng “Lưu: VT, …”."]),
        (
            {},
            sections("Hội nghị tổ chức vào thứ Năm, ngày 29/5/2026."),
            [mismatch("thứ Năm, ngày 29/5/2026", "29/5/2026", "thứ Sáu")],
        ),
        (
            {"title": "Kế hoạch tổ chức Hội nghị năm 2025"},
            sections(BODY),
            [f"Năm 2025 trong “Kế hoạch tổ chức Hội nghị năm 2025” {OWN_YEARS}"],
        ),
        (
            {},
            sections("Theo **Chương trình công tác tháng 5 năm 2024**, " + BODY),
            [f"Năm 2024 trong “Theo Chương trình công tác tháng 5 năm 2024” {OWN_YEARS}"],
        ),
        ({"dated": None, "title": "Kế hoạch năm 2025"}, sections(BODY), []),
        (
            {"title": "", "signer_name": "", "recipients": ""},
            sections("Họp thứ Hai, ngày 29/5/2026."),
            [
                "Chưa có trích yếu.",
                "Chưa có họ tên người ký.",
                "Chưa có nơi nhận.",
                mismatch("thứ Hai, ngày 29/5/2026", "29/5/2026", "thứ Sáu"),
            ],
        ),
    ],
)
def test_run_checks_lists_every_problem_that_blocks_issue(changes, parts, expected):
    document = Document(**(GOOD | changes))
    assert checks.run_checks(document, parts) == expected


def test_quoted_lines_are_shortened_at_a_word():
    from core.text import clip

    line = "Thành viên Hội đồng thẩm định Chỉ số CCHC huyện, Tổ giúp việc Hội đồng"
    assert clip(line) == "Thành viên Hội đồng thẩm định Chỉ số CCHC huyện, Tổ giúp…"
    assert clip("Sở Nội vụ") == "Sở Nội vụ"
