"""Every change to a conference or plan: checked, atomic, audited. Each
status step goes through the workflow tables (conferences.workflows); a
refusal is a `Refused` carrying the Vietnamese reasons."""

from .conferences import (
    PARTS,
    conference_cancel,
    conference_conclude,
    conference_invite,
    conference_mark_held,
    conference_part_save,
    conference_plan,
    conference_save,
    invitations_freeze,
    invite_problems,
)
from .drafts import owner_draft
from .duties import duty_lead_agencies, duty_report, duty_sync_assignments
from .plans import plan_activate, plan_close, plan_duties_from_index, plan_part_save, plan_save
from .replies import delegate_check_in, invitation_reply
from .sending import invitations_deliver, invitations_send, send_problems

__all__ = [
    "PARTS",
    "conference_cancel",
    "conference_conclude",
    "conference_invite",
    "conference_mark_held",
    "conference_part_save",
    "conference_plan",
    "conference_save",
    "invite_problems",
    "delegate_check_in",
    "duty_lead_agencies",
    "duty_report",
    "duty_sync_assignments",
    "invitation_reply",
    "invitations_deliver",
    "invitations_freeze",
    "invitations_send",
    "send_problems",
    "owner_draft",
    "plan_activate",
    "plan_close",
    "plan_duties_from_index",
    "plan_part_save",
    "plan_save",
]
