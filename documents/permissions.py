"""Who may draft, issue and hand out documents. Officials read what was
issued; drafts are the province's organisers' and leaders' to see."""

import rules

from core.permissions import organises, sees_province_work

rules.add_perm("documents.view_drafts", sees_province_work)
# Draft, edit, issue, revoke, replace, render personal copies and send them.
rules.add_perm("documents.organise", organises)
