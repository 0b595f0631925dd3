"""Reads of the directory, and the province scoping every app reuses.

Rule of the portal: a non-administrator sees only their own province. Views
never query a model directly; they go through a selector that applies
`scope_to_province`, so a URL naming another province's object is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, QuerySet, When

from core.lookups import search_q
from notifications.services import Recipient

from .models import (
    COMMITTEE_KINDS,
    LOCAL_UNIT_KINDS,
    Agency,
    AgencyKind,
    BodyMember,
    DirectoryImport,
    Person,
    Province,
    Succession,
    User,
)


def scope_to_province(queryset: QuerySet, *, user, path: str = "province") -> QuerySet:
    """Limit `queryset` to the user's province; `path` leads from the model
    to its Province (e.g. "agency__province")."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_administrator:
        return queryset
    if user.province_id is None:
        return queryset.none()
    return queryset.filter(**{f"{path}_id": user.province_id})


def province_list(*, user) -> QuerySet[Province]:
    qs = Province.objects.all()
    if user.is_administrator:
        return qs
    return qs.filter(pk=user.province_id) if user.province_id else qs.none()


def provincial_committee(province_id) -> Agency | None:
    """The province's People's Committee: who issues most documents."""
    return Agency.objects.filter(province_id=province_id, kind=AgencyKind.PROVINCIAL_COMMITTEE).first()


def agency_list(
    *, user, search: str = "", kind: str = "", province=None, active: str = "", order: Sequence = ()
) -> QuerySet[Agency]:
    """The directory's units the user may see, by province and name unless
    `order` (ORDER BY terms, see core.tables) says otherwise."""
    qs = (
        scope_to_province(Agency.objects.all(), user=user)
        .select_related("province", "parent")
        .prefetch_related("successors")
    )
    if search:
        qs = qs.filter(search_q(search, "name", "short_name", "code"))
    if kind:
        qs = qs.filter(kind=kind)
    if province:
        qs = qs.filter(province=province)
    if active == "yes":
        qs = qs.active()
    elif active == "no":
        qs = qs.exclude(pk__in=Agency.objects.active().values("pk"))
    return qs.annotate(people_count=Count("people", distinct=True)).order_by(*(order or ("province__name", "name")))


def parent_makes_loop(agency: Agency, parent: Agency | None) -> bool:
    """Whether `parent` is the agency itself or one of the units under it,
    so that choosing it would make the hierarchy a loop. Reads the parent's
    chain upwards, one short query per tier (a province has four at most)."""
    if parent is None or agency.pk is None:
        return False
    seen, current = set(), parent.pk
    while current is not None and current not in seen:
        if current == agency.pk:
            return True
        seen.add(current)
        current = Agency._base_manager.filter(pk=current).values_list("parent_id", flat=True).first()
    return False


def agency_get(*, user, pk) -> Agency:
    from django.shortcuts import get_object_or_404

    qs = scope_to_province(Agency.objects.all(), user=user).select_related("province", "parent")
    return get_object_or_404(qs, pk=pk)


def person_list(*, user, search: str = "", agency=None, kind: str = "", province=None) -> QuerySet[Person]:
    qs = scope_to_province(Person.objects.all(), user=user, path="agency__province").select_related(
        "agency", "agency__province"
    )
    if search:
        qs = qs.filter(search_q(search, "full_name", "position", "email", "agency__name"))
    if agency:
        qs = qs.filter(agency=agency)
    if kind:
        qs = qs.filter(agency__kind=kind)
    if province:
        qs = qs.filter(agency__province=province)
    return qs.order_by("agency__name", "full_name")


def person_get(*, user, pk) -> Person:
    from django.shortcuts import get_object_or_404

    qs = scope_to_province(Person.objects.all(), user=user, path="agency__province")
    return get_object_or_404(qs.select_related("agency", "agency__province"), pk=pk)


def _kind_order():
    """The directory's order of kinds (the province's committee first)."""
    return Case(*(When(kind=kind, then=i) for i, kind in enumerate(AgencyKind.values)), default=len(AgencyKind.values))


def _search_words(queryset: QuerySet, search: str, *fields: str) -> QuerySet:
    """Every word typed found in one of `fields`, diacritics and case
    ignored: "so tai chinh lao cai" finds "Sở Tài chính tỉnh Lào Cai"."""
    for word in search.split():
        queryset = queryset.filter(search_q(word, *fields))
    return queryset


def agency_choices(*, user, search: str = "", day: dt.date | None = None, province_id=None) -> QuerySet[Agency]:
    """What an agency picker offers as the user types: the user's province
    only (an administrator's pickers name the province they work on), the
    units active on `day` when given, by kind then name."""
    qs = scope_to_province(Agency.objects.all(), user=user)
    if province_id is not None:
        qs = qs.filter(province_id=province_id)
    if day is not None:
        qs = qs.active_on(day)
    qs = _search_words(qs, search, "name", "short_name", "code")
    qs = qs.annotate(kind_order=_kind_order())
    if search.strip():
        # The words typed together ("công an") before the same words apart
        # ("Sở Công Thương tỉnh Lạng Sơn"): Enter picks what was meant.
        together = Case(When(search_q(search.strip(), "name", "short_name"), then=0), default=1)
        return qs.annotate(together=together).order_by("together", "kind_order", "name", "pk")
    return qs.order_by("kind_order", "name", "pk")


def person_choices(*, user, search: str = "", province_id=None) -> QuerySet[Person]:
    """What a person picker offers: people of the user's province, by name."""
    qs = scope_to_province(Person.objects.all(), user=user, path="agency__province")
    if province_id is not None:
        qs = qs.filter(agency__province_id=province_id)
    qs = _search_words(qs, search, "full_name", "position", "agency__name")
    return qs.select_related("agency").order_by("full_name", "pk")


def body_members(body: Agency) -> QuerySet[BodyMember]:
    return body.members.select_related("person__agency", "agency")


def directory_import_get(*, user, pk) -> DirectoryImport:
    from django.shortcuts import get_object_or_404

    qs = scope_to_province(DirectoryImport.objects.all(), user=user)
    return get_object_or_404(qs.select_related("province", "created_by"), pk=pk)


def directory_import_list(*, user) -> QuerySet[DirectoryImport]:
    return scope_to_province(DirectoryImport.objects.all(), user=user).select_related("province", "created_by")


def directory_counts(*, user) -> dict:
    """Figures for the dashboards: agencies by kind and people, in scope."""
    agencies = scope_to_province(Agency.objects.active(), user=user)
    by_kind = dict(agencies.values_list("kind").annotate(n=Count("pk")).order_by())
    return {
        "agencies": sum(by_kind.values()),
        "departments": by_kind.get(AgencyKind.DEPARTMENT, 0),
        "local_units": sum(by_kind.get(kind, 0) for kind in LOCAL_UNIT_KINDS),
        "people": scope_to_province(Person.objects.all(), user=user, path="agency__province").count(),
        "users": scope_to_province(User.objects.filter(is_active=True), user=user, path="agency__province").count(),
    }


def agency_contacts(agency_ids) -> dict[int, list[dict]]:
    """Who hears about an agency's deadlines: its active officials with a
    login; an agency without one, its focal person (else its own address).
    Two queries, whatever the number of agencies."""
    contacts: dict[int, list[dict]] = {pk: [] for pk in agency_ids}
    for user in User.objects.filter(agency_id__in=contacts, is_active=True, role="official").order_by("pk"):
        contacts[user.agency_id].append({"user_id": user.pk, "email": user.email, "name": user.get_full_name()})
    missing = [pk for pk, rows in contacts.items() if not rows]
    if missing:
        focal = {
            p.agency_id: p
            for p in Person.objects.filter(agency_id__in=missing, is_focal_point=True).exclude(email="").order_by("pk")
        }
        for agency in Agency.objects.filter(pk__in=missing):
            person = focal.get(agency.pk)
            if person:
                contacts[agency.pk].append({"user_id": None, "email": person.email, "name": person.full_name})
            elif agency.email:
                contacts[agency.pk].append({"user_id": None, "email": agency.email, "name": agency.name})
    return contacts


def agency_recipients(agency_ids) -> dict[int, list[Recipient]]:
    """agency_contacts as the notifications app's recipients, for any app that
    hands it deadlines."""
    return {pk: [Recipient(**row) for row in rows] for pk, rows in agency_contacts(list(agency_ids)).items()}


# --- The directory as of a date, and units relative to a unit ----------------------------


def area_root(agency: Agency | None) -> Agency | None:
    """The People's Committee whose area an agency works for: a district's
    Phòng Nội vụ → the district; a commune → itself; a department or the
    province's committee → None (the whole province)."""
    node, seen = agency, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        if node.kind in COMMITTEE_KINDS:
            return None if node.kind == AgencyKind.PROVINCIAL_COMMITTEE else node
        node = node.parent
    return None


class Directory:
    """A province's units active on one day, read once, with their tree: a
    page expands many groups from one read."""

    def __init__(self, province_id: int, day):
        self.day = day
        self.rows = list(Agency.objects.filter(province_id=province_id).active_on(day).order_by("name"))
        self.by_pk = {a.pk: a for a in self.rows}
        self.children: dict[int | None, list[Agency]] = {}
        for agency in self.rows:
            self.children.setdefault(agency.parent_id, []).append(agency)

    def under(self, root: Agency | None) -> list[Agency]:
        """Every unit within `root`'s area (its descendants); all the
        province's when `root` is None."""
        if root is None:
            return list(self.rows)
        found, stack = [], [root.pk]
        while stack:
            for child in self.children.get(stack.pop(), []):
                if child.pk != root.pk and child not in found:
                    found.append(child)
                    stack.append(child.pk)
        return sorted(found, key=lambda a: a.name)

    def group(self, kinds, root: Agency | None) -> list[Agency]:
        """The units of `kinds` within `root`'s area."""
        return [a for a in self.under(root) if a.kind in kinds]

    def within(self, agency: Agency, root: Agency | None) -> bool:
        if root is None:
            return True
        node, seen = agency, set()
        while node is not None and node.pk not in seen:
            if node.pk == root.pk:
                return True
            seen.add(node.pk)
            node = self.by_pk.get(node.parent_id) or (node.parent if node.parent_id else None)
        return False


def active_agencies(province_id, day) -> QuerySet[Agency]:
    """What a picker offers: the units of the province active on that day."""
    return Agency.objects.filter(province_id=province_id).active_on(day).order_by("kind", "name")


# --- Lineage: who stood for a unit before it existed, who carries on a dissolved one -------


@dataclass(frozen=True)
class Relative:
    """A unit found by walking successions, with the step that links it: for
    a predecessor, how its functions left it ("UBND xã A", merged, 1/7/2025);
    for a successor, how they reached it."""

    agency: Agency
    kind: str
    on_date: dt.date | None

    def get_kind_display(self) -> str:
        return Succession.Kind(self.kind).label


class Lineage:
    """A province's successions, read once (one query) and walked in memory,
    so a page of many units asks no query per unit. Successions are kept
    within the province: a unit never moves province (a merger of provinces
    keeps each unit's rows where they were), so a link to another province's
    unit is not followed."""

    def __init__(self, province_id: int):
        self.province_id = province_id
        self._into: dict[int, list[Succession]] = {}  # successor id → the steps into it
        self._out_of: dict[int, list[Succession]] = {}  # predecessor id → the steps out of it
        rows = Succession.objects.filter(
            predecessor__province_id=province_id, successor__province_id=province_id
        ).select_related("predecessor", "successor")
        for row in rows.order_by("predecessor__name", "successor__name", "pk"):
            self._into.setdefault(row.successor_id, []).append(row)
            self._out_of.setdefault(row.predecessor_id, []).append(row)

    def predecessors_on(self, agency: Agency, day: dt.date) -> list[Relative]:
        """The units that stood on `day` for what `agency` became: walking
        back through successions (transitively: A → B renamed → C merged),
        each path stops at the first unit that existed that day. Not the unit
        itself; sorted by name. For "UBND xã A + xã B → UBND xã C" on
        1/7/2025, C's on 31/12/2024 are A and B; a unit that absorbed
        another keeps its own results and also lists the absorbed one."""
        found: dict[int, Relative] = {}
        seen = {agency.pk}
        stack = list(self._into.get(agency.pk, []))
        while stack:
            row = stack.pop()
            unit = row.predecessor
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            if unit.active_on(day):
                # The step that left this unit: how its functions went on.
                found.setdefault(unit.pk, Relative(unit, row.kind, row.on_date))
            elif unit.active_to is None or unit.active_to >= day:
                # Not yet set up that day: who stood before it.
                stack += self._into.get(unit.pk, [])
        return sorted(found.values(), key=lambda r: (r.agency.name, r.agency.pk))

    def successors_on(self, agency: Agency, day: dt.date) -> list[Relative]:
        """The units that carry on `agency`'s functions on `day`: walking
        forward through successions, each path stops at the first unit that
        exists that day (a unit merged in 2025 and renamed in 2026 → the
        renamed one). Empty while `agency` itself still exists."""
        if agency.active_on(day):
            return []
        found: dict[int, Relative] = {}
        seen = {agency.pk}
        stack = list(self._out_of.get(agency.pk, []))
        while stack:
            row = stack.pop()
            unit = row.successor
            if unit.pk in seen:
                continue
            seen.add(unit.pk)
            if unit.active_on(day):
                found.setdefault(unit.pk, Relative(unit, row.kind, row.on_date))
            elif unit.active_to is not None and unit.active_to < day:
                stack += self._out_of.get(unit.pk, [])
        return sorted(found.values(), key=lambda r: (r.agency.name, r.agency.pk))

    def ancestors(self, agency: Agency) -> list[Agency]:
        """Every unit whose functions reached `agency`, at any date."""
        found: dict[int, Agency] = {}
        stack = list(self._into.get(agency.pk, []))
        while stack:
            row = stack.pop()
            if row.predecessor_id in found or row.predecessor_id == agency.pk:
                continue
            found[row.predecessor_id] = row.predecessor
            stack += self._into.get(row.predecessor_id, [])
        return list(found.values())


def predecessors_on(agency: Agency, day: dt.date) -> list[Relative]:
    """Lineage.predecessors_on for one unit (reads its province's successions)."""
    return Lineage(agency.province_id).predecessors_on(agency, day)


def successors_on(agency: Agency, day: dt.date) -> list[Relative]:
    """Lineage.successors_on for one unit (reads its province's successions)."""
    return Lineage(agency.province_id).successors_on(agency, day)
