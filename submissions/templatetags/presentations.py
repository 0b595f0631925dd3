from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def due_phrase(presentation) -> str:
    """ "Còn 3 ngày", "Hạn là hôm nay", "Quá hạn 5 ngày": what an official reads first."""
    if presentation.status not in ("awaiting", "revision"):
        return ""
    if presentation.status == "revision":
        return _("Sở Nội vụ đề nghị chỉnh sửa")
    if presentation.assignment.due_date is None:
        return ""  # the date's place already says "Không có hạn"
    days = (presentation.assignment.due_date - timezone.localdate()).days
    if days > 0:
        return ngettext("Còn %(n)d ngày", "Còn %(n)d ngày", days) % {"n": days}
    if days == 0:
        return _("Hạn là hôm nay")
    return ngettext("Quá hạn %(n)d ngày", "Quá hạn %(n)d ngày", -days) % {"n": -days}
