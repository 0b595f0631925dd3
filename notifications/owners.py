"""What the reminder pages know of the row whose deadlines they show: a
conference, a plan, or anything another app hands deadlines for. The app
resolves it (reading through its selectors and checking its permission)
and passes it here; notifications imports no app."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReminderOwner:
    scope: str  # the scope its deadlines were set in: "conferences.conference:12"
    title: str
    detail_url: str  # its own page
    reminders_url: str  # its reminder page (policy and log)
    resend_url_name: str  # a URL name taking (owner pk, message pk)
    pk: int
    province_id: int | None = None  # for the audit rows of what is done on its pages
