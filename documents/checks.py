"""Checks run before a document is issued. Each problem is a sentence in
Vietnamese that says what is wrong and where; any problem blocks issue.

The text checks read what will be printed, so a slip typed into a section is
caught as surely as one drafted from data: seed 001's 2026 invitation cites
"Chương trình công tác tháng 5 năm 2024"."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import vn_date, vn_weekday

from . import richtext, sources

WEEKDAYS = {
    "hai": 0,
    "2": 0,
    "ba": 1,
    "3": 1,
    "tư": 2,
    "4": 2,
    "năm": 3,
    "5": 3,
    "sáu": 4,
    "6": 4,
    "bảy": 5,
    "7": 5,
}
_WD = r"(?P<wd>thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
_DATE = r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
_LONG = r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})"
WEEKDAY_PATTERNS = [re.compile(_WD + r"\s*,?\s*(?:ngày\s+)?" + date, re.IGNORECASE) for date in (_DATE, _LONG)] + [
    re.compile(date + r"\s*\(\s*" + _WD + r"\s*\)", re.IGNORECASE) for date in (_DATE, _LONG)
]
ANY_DATE = re.compile(r"(?<![\d/])" + _DATE + r"(?![\d/])")
# Dates and years that are not the document's own: citations of other
# documents ("số 35/KH-UBND ngày 30/01/2026"), comparisons ("so với năm 2023")
# and periods ("giai đoạn 2026 - 2030").
CITATION = re.compile(
    r"số\s+\S+\s+ngày\s+(?:\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})", re.IGNORECASE
)
# Words before "thứ 4" that make it an ordinal ("Phiên họp thứ 4"), not a weekday.
ORDINAL_NOUNS = {"phiên", "họp", "lần", "kỳ", "khóa", "khoá", "đợt", "số", "hạng", "vòng", "bậc", "lớp", "nhóm"}
COMPARISON = re.compile(r"so\s+với\s+(?:cùng\s+kỳ\s+)?năm\s+\d{4}", re.IGNORECASE)
PERIOD = re.compile(r"(?P<a>\d{4})\s*[-–—]\s*(?P<b>\d{4})")
YEAR = re.compile(r"năm\s+(?P<y>\d{4})\b", re.IGNORECASE)


def _weekday_of(name: str) -> int:
    name = " ".join(name.lower().split())
    if name == "chủ nhật":
        return 6
    return WEEKDAYS[name.split()[-1]]


def _date(match) -> dt.date | None:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def _snippet(text: str, start: int, end: int) -> str:
    """The clause around a match: from the previous punctuation to the next."""
    left = max(text.rfind(mark, 0, start) for mark in ".;,:\n") + 1
    rights = [i for i in (text.find(mark, end) for mark in ".;,\n") if i != -1]
    right = min(rights) if rights else len(text)
    left = max(left, start - 80)
    right = min(right, end + 60)
    return " ".join(text[left:right].split())


def _ordinal(text: str, match) -> bool:
    """ "Phiên họp thứ 4, ngày 12/3/2026": a digit after "thứ" counts a meeting, not a day."""
    if not re.match(r"thứ\s+\d", match["wd"], re.IGNORECASE):
        return False
    before = text[: match.start("wd")].split()
    return bool(before) and before[-1].lower().strip(",;:(") in ORDINAL_NOUNS


def check_weekdays(text: str) -> list[str]:
    problems = []
    for pattern in WEEKDAY_PATTERNS:
        for match in pattern.finditer(text):
            if _ordinal(text, match):
                continue
            day = _date(match)
            if day is None:
                problems.append(_("Ngày “%(text)s” không có thật.") % {"text": match[0]})
            elif day.weekday() != _weekday_of(match["wd"]):
                problems.append(
                    _("Thứ không khớp với ngày: “%(text)s” — ngày %(date)s là %(weekday)s.")
                    % {"text": match[0], "date": vn_date(day), "weekday": vn_weekday(day)}
                )
    return problems


def check_deadlines(bold: list[str], facts: sources.Facts) -> list[str]:
    """A deadline is a date in bold (the format's own convention); each must
    fall before the event, unless it belongs to follow-up work."""
    if not facts.event_date:
        return []
    problems = []
    for span in bold:
        for match in ANY_DATE.finditer(span):
            day = _date(match)
            if day and day >= facts.event_date and day not in facts.after_event_ok:
                problems.append(
                    _("Hạn “%(text)s” không trước ngày diễn ra (%(event)s).")
                    % {"text": " ".join(span.split()), "event": vn_date(facts.event_date)}
                )
    return problems


def check_years(text: str, facts: sources.Facts) -> list[str]:
    if not facts.years:
        return []
    cleaned = CITATION.sub(" ", text)
    cleaned = COMPARISON.sub(" ", cleaned)
    problems: list[str] = []
    seen = set()

    def report(year: int, start: int, end: int, source: str):
        snippet = _snippet(source, start, end)
        if (year, snippet) in seen:
            return
        seen.add((year, snippet))
        problems.append(
            _("Năm %(year)s trong “%(text)s” không khớp với %(note)s.")
            % {
                "year": year,
                "text": snippet,
                "note": facts.years_note
                or _("các năm của văn bản (%(years)s)") % {"years": ", ".join(map(str, sorted(facts.years)))},
            }
        )

    def period(match):
        a, b = int(match["a"]), int(match["b"])
        if a <= b and not any(a <= y <= b for y in facts.years):
            report(a, match.start(), match.end(), cleaned)
        return " "

    cleaned = PERIOD.sub(period, cleaned)
    for match in YEAR.finditer(cleaned):
        if int(match["y"]) not in facts.years:
            report(int(match["y"]), match.start(), match.end(), cleaned)
    for match in ANY_DATE.finditer(cleaned):
        if int(match["y"]) not in facts.years:
            report(int(match["y"]), match.start(), match.end(), cleaned)
    return problems


def document_text(document, sections) -> str:
    parts = [document.title, document.addressees]
    parts += [richtext.plain_text(s.text) for s in sections]
    return "\n".join(p for p in parts if p)


def facts_for(document) -> sources.Facts:
    return sources.ask(document, "facts", None) or sources.Facts(
        years={document.dated.year} if document.dated else set()
    )


def run_checks(document, sections=None) -> list[str]:
    """Every problem that blocks issue; an empty list means it may be issued."""
    sections = list(document.sections.all()) if sections is None else sections
    problems: list[str] = []
    if not document.title.strip():
        problems.append(_("Chưa có trích yếu."))
    if not any(s.text.strip() for s in sections if s.part == "body"):
        problems.append(_("Văn bản chưa có nội dung."))
    if not document.issuer_abbr.strip():
        problems.append(_("Chưa có chữ viết tắt của cơ quan ban hành, nên chưa cấp được số, ký hiệu."))
    if not document.signer_title.strip():
        problems.append(_("Chưa có chức vụ người ký."))
    if not document.signer_name.strip():
        problems.append(_("Chưa có họ tên người ký."))
    recipients = [line.strip() for line in document.recipients.splitlines() if line.strip()]
    if not recipients:
        problems.append(_("Chưa có nơi nhận."))
    elif not any(line.lower().lstrip("- ").startswith("lưu") for line in recipients):
        problems.append(_("Nơi nhận thiếu dòng “Lưu: VT, …”."))
    text = document_text(document, sections)
    facts = facts_for(document)
    bold = [span for s in sections for span in richtext.bold_spans(s.text)]
    problems += check_weekdays(text)
    today = timezone.localdate()
    if document.issuer_id and not document.issuer.active_on(today):
        problems.append(
            _(
                "%(name)s không còn hoạt động (từ ngày %(day)s): không ban hành được văn bản mới nhân danh cơ quan "
                "này. Hãy chọn cơ quan kế thừa làm cơ quan ban hành."
            )
            % {"name": document.issuer.name, "day": vn_date(document.issuer.active_to or today)}
        )
    if document.doc_type in ("GM", "TB") and facts.event_date and facts.event_date < timezone.localdate():
        problems.append(
            _("Ngày diễn ra (%(event)s) đã qua: không thể ban hành %(kind)s.")
            % {"event": vn_date(facts.event_date), "kind": document.get_doc_type_display().lower()}
        )
    if document.doc_type in ("GM", "TB") and "thông báo sau" in text.lower():
        # A plan may leave them open; the papers that call people to come may not.
        problems.append(
            _(
                "Văn bản còn ghi “thông báo sau”: hãy chốt thời gian, địa điểm của hội nghị rồi bấm “Soạn lại từ "
                "dữ liệu”."
            )
        )
    problems += check_deadlines(bold, facts)
    problems += check_years(text, facts)
    problems += sources.ask(document, "checks", [])
    return problems
