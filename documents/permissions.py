"""Who may draft, issue and hand out documents. Officials read what was
issued; drafts are the province's organisers' and leaders' to see."""

import rules

from core.permissions import in_own_province, is_leader, organises, sees_province_work

rules.add_perm("documents.view_drafts", sees_province_work)
# Draft, edit, issue, revoke, replace, render personal copies and send them.
rules.add_perm("documents.organise", organises)
# Download the PDF prepared for digital signing and upload it signed: the
# organisers, and the province's leaders who sign themselves. Who signed is
# proved by the certificate in the file, not by who uploaded it.
rules.add_perm("documents.sign", organises | (is_leader & in_own_province))
