from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def assignment_summary(assignments):
    """Counts by state for a duty's assignments (already prefetched)."""
    summary = {"done": 0, "in_progress": 0, "open": 0, "overdue": 0, "total": 0}
    for assignment in assignments:
        summary["total"] += 1
        if assignment.status == "done":
            summary["done"] += 1
        elif assignment.is_overdue:
            summary["overdue"] += 1
        else:
            summary[assignment.status] += 1
    return summary
