"""What submissions adds to the conference pages and the plan's appendix,
through the places conferences opens for it (conferences.extensions)."""

from __future__ import annotations

from conferences import extensions
from conferences.drafting import short_name

from . import reminders, selectors


def detail_panel(conference, user):
    if not user.has_perm("submissions.manage", conference):
        return None
    return {
        "template": "submissions/_conference_panel.html",
        "conference": conference,
        "totals": selectors.board_totals(conference),
        "assignments": conference.presentation_assignments.count(),
    }


def board_panel(conference, user):
    if not user.has_perm("submissions.manage", conference):
        return None
    return {
        "template": "submissions/_board_panel.html",
        "conference": conference,
        "totals": selectors.board_totals(conference),
        "rows": selectors.board_rows(conference),
    }


def appendix_rows(conference) -> list[tuple[str, str]]:
    """The plan's appendix: each topic with its unit as a plan prints it
    ("Sở Tư pháp", not "Sở Tư pháp tỉnh Lào Cai"), or the group's wording."""
    return [
        (a.topic, a.group_label if a.is_group else short_name(a.agency))
        for a in selectors.assignments_in_programme_order(conference)
    ]


def register():
    extensions.register_panel("detail", detail_panel)
    extensions.register_panel("board", board_panel)
    extensions.register_presentation_rows(appendix_rows)
    extensions.register_day_over(reminders.conference_over)
