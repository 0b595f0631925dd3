"""Who may do what with presentations."""

import rules

from core.permissions import is_official, organises


@rules.predicate
def official_of_assignee(user, presentation) -> bool:
    return is_official(user) and presentation is not None and user.agency_id == presentation.agency_id


# Assign topics, review, build the booklet: the object is a conference (or
# anything of its province).
rules.add_perm("submissions.manage", organises)
# Upload a version: the assignee's officials, and the organisers on its
# behalf (what reached them by other means).
rules.add_perm("submissions.upload", official_of_assignee | organises)
