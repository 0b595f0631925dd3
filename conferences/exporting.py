"""What a conference exports: the list of conferences and the status board
as their pages show them (XLSX), the delegate list (XLSX), the attendance
sheet (PDF), the calendar entry (.ics) and each delegate's check-in QR code."""

from __future__ import annotations

import segno
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core import list_pdf
from core.formatting import vn_date, vn_datetime, vn_time, vn_weekday
from core.spreadsheets import saved, table_xlsx

from . import selectors

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")


def conference_list_xlsx(conferences, *, with_province: bool) -> bytes:
    """The columns of the conference list, the line under a title split
    into its kind, venue (and province, for an administrator)."""
    province = [_("Tỉnh")] if with_province else []
    header = [_("Hội nghị"), _("Loại"), _("Địa điểm"), *province, _("Thời gian"), _("Giờ"), _("Trạng thái"),
              _("Đơn vị mời"), _("Tham dự")]  # fmt: skip
    rows = (
        [
            c.title,
            c.get_kind_display(),
            c.venue,
            *([c.province.name] if with_province else []),
            c.date or c.schedule_note or _("Chưa chốt ngày"),
            f"{c.start_time:%H:%M}" if c.start_time else "",
            c.get_status_display(),
            c.invited_count,
            c.attending_count,
        ]
        for c in conferences
    )
    return table_xlsx(title=_("Hội nghị"), header=header, rows=rows)


def board_xlsx(rows) -> bytes:
    """The board's columns, each split into what its cell shows: the agency
    and its kind and role, the reply and when, the delegates (one a line,
    those present marked) and their quota, the duties done, owed, late."""
    header = [_("Đơn vị"), _("Loại đơn vị"), _("Vai trò"), _("Trả lời"), _("Trả lời lúc"), _("Sở trả lời thay"),
              _("Đại biểu"), _("Số đại biểu"), _("Tối đa"), _("Nhiệm vụ hoàn thành"), _("Nhiệm vụ"),
              _("Nhiệm vụ quá hạn")]  # fmt: skip
    present = _("có mặt")

    def delegates(row) -> str:
        return "\n".join(
            f"{d.full_name} — {d.position}" + (f" ({present})" if d.checked_in_at else "") for d in row.delegates.all()
        )

    lines = (
        [
            row.agency.name,
            row.agency.get_kind_display(),
            row.get_role_display(),
            row.get_reply_display(),
            row.replied_at,
            _("Có") if row.replied_on_behalf else "",
            delegates(row),
            row.delegates_count,
            row.quota,
            row.duties_done,
            row.duties_total,
            row.duties_overdue,
        ]
        for row in rows
    )
    return table_xlsx(title=_("Bảng theo dõi"), header=header, rows=lines)


def delegates_xlsx(conference) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Đại biểu")
    title = _("DANH SÁCH ĐẠI BIỂU")
    sheet.append([title])
    sheet.append([conference.title])
    when = f"{conference.start_time:%H:%M} " if conference.start_time else ""
    sheet.append(
        [
            _("Thời gian: %(when)s%(weekday)s, ngày %(date)s — %(venue)s")
            % {
                "when": when,
                "weekday": vn_weekday(conference.date),
                "date": vn_date(conference.date),
                "venue": conference.venue,
            }
            if conference.date
            else ""
        ]
    )
    sheet.append([])
    header = [_("STT"), _("Họ và tên"), _("Chức vụ"), _("Đơn vị"), _("Điện thoại"), _("Thư điện tử"), _("Có mặt lúc")]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    for index, delegate in enumerate(selectors.delegates_for_export(conference), start=1):
        present = (
            timezone.localtime(delegate.checked_in_at).strftime("%H:%M %d/%m/%Y") if delegate.checked_in_at else ""
        )
        sheet.append(
            [
                index,
                delegate.full_name,
                delegate.position,
                delegate.invitation.agency.name,
                delegate.phone,
                delegate.email,
                present,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"].font = Font(bold=True)
    for column, width in zip("ABCDEFG", (6, 26, 30, 42, 16, 30, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(header))}{sheet.max_row}"
    return saved(workbook)


def attendance_pdf(conference) -> bytes:
    """Danh sách đại biểu with a signature column, for the registration desk:
    a row per delegate of the agencies attending, agency by agency (see
    core.list_pdf for why this list is not printed by WeasyPrint)."""
    delegates = list(selectors.delegates_for_export(conference))
    when = []
    if conference.date:
        day = f"{vn_weekday(conference.date)}, {_('ngày')} {vn_date(conference.date)}"
        when.append(f"{vn_time(conference.start_time)}, {day}" if conference.start_time else day)
    if conference.venue:
        when.append(conference.venue)
    heading = [(_("Danh sách đại biểu"), "title"), (conference.title, "bold")]
    if when:
        heading.append((" — ".join(when), "italic"))
    return list_pdf.list_pdf(
        title=_("Danh sách đại biểu"),
        heading=heading,
        columns=(
            list_pdf.Column(_("STT"), 12, centred=True),
            list_pdf.Column(_("Họ và tên"), 40),
            list_pdf.Column(_("Chức vụ, đơn vị")),
            list_pdf.Column(_("Điện thoại"), 27),
            list_pdf.Column(_("Ký tên"), 32),
        ),
        rows=(
            (str(n), d.full_name, list_pdf.Detail(d.position, d.invitation.agency.name), d.phone, "")
            for n, d in enumerate(delegates, 1)
        ),
        footer=_("Tổng số: %(n)s đại biểu. In lúc %(at)s.")
        % {"n": len(delegates), "at": vn_datetime(timezone.localtime())},
        empty=_("Chưa có đại biểu đăng ký."),
    )


def conference_event(conference, *, url: str, details: list[str] = ()) -> Event:
    """A conference as a calendar entry, for its .ics file and the calendar feeds."""
    event = Event()
    # Stable UID: a re-downloaded file (or a feed read again) updates the entry instead of adding one.
    event.add("uid", f"conference-{conference.pk}@cchc-portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", conference.starts_at)
    event.add("dtend", conference.ends_at)
    event.add("summary", conference.title)
    location = ", ".join(p for p in (conference.venue, conference.venue_address) if p)
    if location:
        event.add("location", location)
    lines = list(details)
    if conference.chair:
        lines.insert(0, _("Chủ trì: %(chair)s") % {"chair": conference.chair})
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    if conference.status == "cancelled":
        event.add("status", "CANCELLED")
    return event


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//CCHC Portal//{name}//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    return calendar


def conference_ics(conference, *, url: str) -> bytes:
    calendar = new_calendar("Hoi nghi")
    calendar.add_component(
        conference_event(conference, url=url, details=[item.text for item in conference.content_items.all()])
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def delegate_qr_codes(request, delegates) -> dict:
    """Delegate id → SVG data URI of the link an organiser scans to check them in."""
    codes = {}
    for delegate in delegates:
        url = request.build_absolute_uri(reverse("conferences:checkin-token", args=[delegate.token]))
        codes[delegate.pk] = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    return codes
