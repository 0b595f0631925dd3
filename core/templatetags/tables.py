"""Sortable column headers (see core.tables)."""

from django import template

register = template.Library()


@register.inclusion_tag("core/_sort_header.html")
def sort_header(sorting, key, sub=""):
    """A <th> whose label links to the list sorted by it, aria-sort on the
    column in force; `sub` is a second line under the label (a maximum)."""
    return {"header": sorting.header(key), "sub": sub}
