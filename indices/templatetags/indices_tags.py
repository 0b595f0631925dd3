from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from indices import analysis

register = template.Library()


@register.filter
def signed(value):
    """+0,19 / −1,25: a change of score."""
    return analysis.signed(value)


@register.filter
def rank_move(change):
    """An arrow and the number of places gained or lost."""
    if change is None:
        return ""
    if change == 0:
        return format_html(
            '<span class="text-body-secondary" title="{0}"><i class="bi bi-dash-lg" aria-hidden="true">'
            '</i><span class="visually-hidden">{0}</span></span>',
            analysis.rank_words(0),
        )
    up = change > 0
    return format_html(
        '<span class="{}" title="{}"><i class="bi bi-arrow-{}"></i>{}</span>',
        "text-success" if up else "text-danger",
        analysis.rank_words(change),
        "up" if up else "down",
        abs(change),
    )


@register.filter
def svg(markup):
    """A chart the portal drew (indices.charts escapes every label)."""
    return mark_safe(markup)  # noqa: S308 - built by indices.charts from data, labels escaped


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def before_words(kind):
    """ "trước sáp nhập": how a predecessor's result is labelled."""
    return analysis.before_words(kind)
