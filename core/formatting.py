"""Vietnamese dates and numbers as plain functions: documents, e-mails,
exports and checks call these; the template filters in
`core.templatetags.vn` are thin wrappers over them."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone, translation

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def _local_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def vn_date(value) -> str:
    """29/5/2026, 05/02/2026: Nghị định 30/2020 pads days 1-9 and months 1-2."""
    if not value:
        return ""
    value = _local_date(value)
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{day}/{month}/{value.year}"


def vn_weekday(value) -> str:
    """'thứ Hai' … 'Chủ nhật'."""
    if not value:
        return ""
    return WEEKDAYS[_local_date(value).weekday()]


def vn_datetime(value) -> str:
    """'14:05 29/5/2026', in Vietnam time."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%H:%M} {vn_date(local)}"


def vn_time(value) -> str:
    """'14 giờ 00', as documents write a time of day."""
    if not value:
        return ""
    return f"{value:%H} giờ {value:%M}"


def vn_number(value, digits=None) -> str:
    """85,97 and 1.234 whatever the interface language: figures are Vietnamese."""
    if value in (None, ""):
        return ""
    with translation.override("vi"):
        return formats.number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


_QUARTERS = {"i": 3, "ii": 6, "iii": 9, "iv": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def latest_date_in(text: str) -> dt.date | None:
    """The last day a Vietnamese time phrase allows: "trước 31/3/2026" →
    31/3/2026; "tháng 5/2026", "tháng 5 năm 2026" → 31/5/2026; "quý II/2026"
    → 30/6/2026; "6 tháng đầu năm 2026" → 30/6/2026; "năm 2026" → 31/12/2026.
    None when it names no date. The latest of several wins."""
    import calendar
    import re

    text = (text or "").lower()
    found: list[dt.date] = []

    def month_end(year: int, month: int) -> dt.date:
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    for day, month, year in re.findall(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b", text):
        try:
            found.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    for month, year in re.findall(r"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})", text):
        if 1 <= int(month) <= 12:
            found.append(month_end(int(year), int(month)))
    for quarter, year in re.findall(r"quý\s+(iv|iii|ii|i|[1-4])\s*(?:/|năm)\s*(\d{4})", text):
        found.append(month_end(int(year), _QUARTERS[quarter]))
    for year in re.findall(r"6\s+tháng\s+đầu\s+năm\s+(\d{4})", text):
        found.append(dt.date(int(year), 6, 30))
    if not found:
        found += [dt.date(int(year), 12, 31) for year in re.findall(r"năm\s+(\d{4})", text)]
    return max(found) if found else None
