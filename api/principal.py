"""Who a token reads as: a reader of its province, like a leader (who sees
the province's work and changes nothing), never an organiser or an
administrator. The selectors and predicates that answer a person's pages
answer the token the same way, province scope included."""

from __future__ import annotations

import rules

from agencies.models import Role

# The permissions a token answers like a leader; every other one it lacks
# (drafts included: a system reads what was issued, not what is being written).
READS = frozenset({"conferences.view_work", "indices.view_province", "indices.view_national"})


class TokenPrincipal:
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    is_administrator = False
    is_organiser = False
    is_leader = True
    is_official = False
    # A system, not a person: the few places that differ ask this.
    is_system = True
    role = Role.LEADER
    agency = None
    agency_id = None
    pk = None
    id = None

    def __init__(self, token):
        self.token = token
        self.province_id = token.province_id
        self.province = token.province
        self.username = f"api:{token.prefix}"

    def __str__(self):
        return self.token.name

    def get_full_name(self):
        return self.token.name

    def has_perm(self, perm, obj=None) -> bool:
        # Only what reading needs: a leader may also sign, a token never acts.
        return perm in READS and rules.has_perm(perm, self, obj)

    def can_read(self, scope: str) -> bool:
        return scope in self.token.scopes
