"""Who may read and change the directory. Which rows a user sees is the
selectors' job (and the province scope's); these decide the pages and the
changes."""

import rules

from core.permissions import is_administrator, organises

# Anyone signed in reads their province's directory.
rules.add_perm("agencies.view_directory", rules.is_authenticated)
# The object is a province, an agency or a person.
rules.add_perm("agencies.manage_directory", organises)
# Provinces and user accounts: the administrators (in the admin).
rules.add_perm("agencies.administer", is_administrator)
