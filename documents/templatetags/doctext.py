"""The text subset of documents (bold, italic, dash lists, tables) shown on
the portal's pages as it prints, never as raw "*…*"."""

from django import template
from django.utils.safestring import mark_safe

from documents import richtext as subset

register = template.Library()


@register.filter
def richtext(value) -> str:
    # to_html sanitises its output (documents.richtext): safe to mark.
    return mark_safe(subset.to_html(str(value or "")))
