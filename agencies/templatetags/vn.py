"""Vietnamese presentation helpers used across the portal's templates."""

import datetime as dt

from django import template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

register = template.Library()

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@register.filter
def vn_date(value):
    """29/5/2026, 05/02/2026: Nghị định 30/2020 pads days 1-9 and months 1-2."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    day = f"{value.day:02d}" if value.day < 10 else str(value.day)
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{day}/{month}/{value.year}"


@register.filter
def vn_weekday(value):
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return WEEKDAYS[value.weekday()]


@register.filter
def vn_datetime(value):
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%H:%M} {vn_date(local)}"


@register.filter
def vn_number(value, digits=None):
    """85,97 and 1.234 whatever the interface language: figures are Vietnamese."""
    if value in (None, ""):
        return ""
    with translation.override("vi"):
        return formats.number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


@register.simple_tag
def active_if(request, *prefixes):
    """'active' for the navigation item whose URL prefix the page is under."""
    path = request.path
    return "active" if any(path.startswith(p) for p in prefixes) else ""


@register.filter
def yes_no(value):
    return _("Có") if value else _("Không")
