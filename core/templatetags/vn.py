"""Template filters over core.formatting, and two small page helpers."""

from django import template
from django.utils.translation import gettext as _

from core import formatting

register = template.Library()

register.filter("vn_date", formatting.vn_date)
register.filter("vn_weekday", formatting.vn_weekday)
register.filter("vn_datetime", formatting.vn_datetime)
register.filter("vn_time", formatting.vn_time)


@register.filter
def vn_number(value, digits=None):
    return formatting.vn_number(value, digits)


@register.simple_tag
def active_if(request, *prefixes):
    """'active' for the navigation item whose URL prefix the page is under."""
    path = request.path
    return "active" if any(path.startswith(p) for p in prefixes) else ""


@register.filter
def yes_no(value):
    return _("Có") if value else _("Không")
