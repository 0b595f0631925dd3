"""Who may do what with conferences, plans, invitations and duties."""

import rules

from core.audit import province_of
from core.permissions import is_official, organises, sees_province_work


@rules.predicate
def official_of_invited_agency(user, invitation) -> bool:
    return is_official(user) and invitation is not None and user.agency_id == invitation.agency_id


@rules.predicate
def official_of_lead_agency(user, assignment) -> bool:
    return is_official(user) and assignment is not None and user.agency_id == assignment.agency_id


@rules.predicate
def of_a_province(user, owner) -> bool:
    """Organising is of a conference, a plan or a province. Asked of none (an
    administrator's own province, which they have not), it is refused: the
    form that creates one works in the organiser's province only, so no page
    offers its button to whom the form would refuse."""
    return province_of(owner) is not None


# The province's conferences and plans, their boards and documents (read).
rules.add_perm("conferences.view_work", sees_province_work)
# Create, edit, move through the workflow, draft documents, remind: the
# object is a conference or a plan.
rules.add_perm("conferences.organise", organises & of_a_province)
# Answer an invitation: the agency's officials, or the organisers on its behalf.
rules.add_perm("conferences.reply", organises | official_of_invited_agency)
# Report progress on a duty: the lead agency's officials, or the organisers.
rules.add_perm("conferences.report_duty", organises | official_of_lead_agency)
