"""Every change to the directory goes through here: checked, atomic, and
written to the audit trail (who, when, what, before and after)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.exceptions import Refused
from core.permissions import require
from core.spreadsheets import decode_rows, encode_rows, inspected_rows, table_rows
from core.uploads import TABLE, store

from .importing import Preview, Table, build_preview, person_key, table_from_rows
from .models import Agency, BodyMember, DirectoryImport, Person, Province, Role, Succession, User
from .selectors import parent_makes_loop
from .workflows import DIRECTORY_IMPORT

AGENCY_FIELDS = [
    "code", "name", "short_name", "electronic_id", "kind", "level", "locality", "parent", "email", "phone", "address",
    "active_from", "active_to",
]  # fmt: skip
PERSON_FIELDS = ["agency", "full_name", "position", "email", "phone", "is_focal_point"]
DENIED = _("Bạn không có quyền sửa danh bạ của tỉnh này.")


def _saved(*, actor, instance, fields: list[str], action: str, permission: str = "agencies.manage_directory") -> None:
    """Validate, save and audit one directory row."""
    require(actor, permission, instance, DENIED)
    instance.full_clean(exclude=["password"] if action == "user" else None)
    with transaction.atomic():
        before = audit.snapshot(type(instance)._base_manager.get(pk=instance.pk), fields) if instance.pk else {}
        created = instance.pk is None
        instance.save()
        audit.record(
            actor=actor,
            action=f"{action}.{'create' if created else 'update'}",
            target=instance,
            before=before,
            after=audit.snapshot(instance, fields),
        )


PARENT_LOOP = gettext_lazy(
    "Đơn vị cấp trên không thể là chính đơn vị này hoặc một đơn vị trực thuộc nó (sẽ tạo vòng lặp)."
)


def agency_save(*, actor, agency: Agency, successors: list[Agency] | None = None) -> Agency:
    """Create or update an agency the form has filled in; `successors`, when
    given, are the units that took its functions over (from its end date).
    A parent that is the agency or a unit under it is refused: the check runs
    under the province's lock, which the import takes too, so two changes at
    once cannot close a loop between them."""
    require(actor, "agencies.manage_directory", agency, DENIED)
    with transaction.atomic():
        if agency.province_id:
            Province.objects.select_for_update().filter(pk=agency.province_id).first()
        if parent_makes_loop(agency, agency.parent if agency.parent_id else None):
            raise Refused(PARENT_LOOP)
        _saved(actor=actor, instance=agency, fields=AGENCY_FIELDS, action="agency")
        if successors is not None:
            successors_set(actor=actor, agency=agency, successors=successors)
    return agency


def successors_set(*, actor, agency: Agency, successors: list[Agency]) -> None:
    """Its successors are exactly these: merged into one, split into several."""
    require(actor, "agencies.manage_directory", agency, DENIED)
    if any(s.pk == agency.pk for s in successors):
        raise Refused(_("Đơn vị không thể kế thừa chính nó."))
    if any(s.province_id != agency.province_id for s in successors):
        raise Refused(_("Đơn vị kế thừa phải thuộc cùng tỉnh."))
    with transaction.atomic():
        before = sorted(str(a) for a in agency.successors.all())
        wanted = {s.pk for s in successors}
        Succession.objects.filter(predecessor=agency).exclude(successor_id__in=wanted).delete()
        Succession.objects.bulk_create(
            [Succession(predecessor=agency, successor=s, on_date=agency.active_to) for s in successors],
            ignore_conflicts=True,
        )
        after = sorted(str(a) for a in agency.successors.all())
        if before != after:
            audit.record(
                actor=actor, action="agency.successors", target=agency, before={"successors": before},
                after={"successors": after},
            )  # fmt: skip


def person_save(*, actor, person: Person) -> Person:
    _saved(actor=actor, instance=person, fields=PERSON_FIELDS, action="person")
    return person


PROVINCE_FIELDS = ["code", "name", "kind", "active_from", "active_to", "successor", "region", "other_names",
                   "percent_change_in_points", "rank_change_two_digits"]  # fmt: skip
USER_FIELDS = ["username", "full_name", "position", "email", "phone", "role", "agency", "is_active", "is_staff",
               "is_superuser"]  # fmt: skip


def province_save(*, actor, province: Province) -> Province:
    _saved(actor=actor, instance=province, fields=PROVINCE_FIELDS, action="province", permission="agencies.administer")
    return province


def user_save(*, actor, user) -> object:
    """Create or change an account (the password is never written to the trail)."""
    _saved(actor=actor, instance=user, fields=USER_FIELDS, action="user", permission="agencies.administer")
    return user


def administrator_create(*, username: str, email: str = "", password: str | None, **fields) -> User:
    """An administrator made from the command line (`createadmin`,
    `createsuperuser`): the first account of an empty database, so no actor
    is asked for a permission and the trail names the system. The password
    is checked by the command that read it."""
    user = User(
        username=username,
        email=email,
        role=Role.ADMINISTRATOR,
        agency=None,
        is_staff=True,
        is_superuser=True,
        is_active=True,
        **fields,
    )
    user.set_password(password)  # None leaves an unusable password, as Django's createsuperuser does
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit.record(actor=None, action="user.create", target=user, after=audit.snapshot(user, USER_FIELDS))
    return user


# --- Import ---------------------------------------------------------------------------


def directory_rows(name: str, data: bytes) -> list[list]:
    """An uploaded directory file's rows, once its bytes are what its name
    says and nothing in it could run; raises ImportFileError."""
    return inspected_rows(name, data, use=TABLE, max_bytes=settings.DIRECTORY_IMPORT_MAX_BYTES)


def directory_preview(*, kind: str, province: Province, name: str, data: bytes) -> Preview:
    """Read and check a file; raises ImportFileError when it cannot be read."""
    return build_preview(kind=kind, province=province, table=table_from_rows(directory_rows(name, data)))


AGENCY_IMPORT_FIELDS = (
    "name", "short_name", "kind", "level", "locality", "email", "phone", "address", "active_from", "active_to",
    "electronic_id",
)  # fmt: skip
PERSON_IMPORT_FIELDS = ("full_name", "position", "email", "phone", "is_focal_point")


def _apply_agencies(province: Province, preview: Preview):
    """Rows were fully checked by the preview; write them in bulk."""
    now = timezone.now()
    by_code = {a.code.upper(): a for a in Agency.objects.filter(province=province)}
    created, updated, touched = [], [], []
    for row in preview.rows:
        if row.action == "unchanged":
            continue
        code = row.values["code"]
        agency = by_code.get(code.upper())
        if agency is None:
            agency = by_code[code.upper()] = Agency(province=province, code=code)
            created.append(agency)
        else:
            agency.updated_at = now
            updated.append(agency)
        for name in AGENCY_IMPORT_FIELDS:
            setattr(agency, name, row.values[name])
        # The level the preview showed: the file's, or the one saving the
        # unit would derive from its kind or its parent (in the file or not).
        agency.level = row.level
        touched.append((agency, row))
    Agency.objects.bulk_create(created, batch_size=500)
    Agency.objects.bulk_update(updated, [*AGENCY_IMPORT_FIELDS, "updated_at"], batch_size=500)
    # Links after the rows exist: a parent or a successor may stand further
    # down the file. Parents are grouped by target: a file names few distinct
    # parents, so this is a handful of UPDATEs rather than one per row.
    parents: dict[int | None, list[int]] = {}
    successions, wanted = [], set()
    for agency, row in touched:
        parent = by_code.get(row.values["parent"]) if row.values["parent"] else None
        agency.parent = parent
        parents.setdefault(parent.pk if parent else None, []).append(agency.pk)
        for code in row.values["successor"]:
            wanted.add((agency.pk, by_code[code].pk))
            successions.append(Succession(predecessor=agency, successor=by_code[code], on_date=agency.active_to))
    # Successions the file no longer names: found in one read, removed in one delete.
    stale = [
        pk
        for pk, predecessor, successor in Succession.objects.filter(
            predecessor_id__in=[agency.pk for agency, _row in touched]
        ).values_list("pk", "predecessor_id", "successor_id")
        if (predecessor, successor) not in wanted
    ]
    Succession.objects.filter(pk__in=stale).delete()
    for parent_id, pks in parents.items():
        Agency.objects.filter(pk__in=pks).update(parent_id=parent_id, updated_at=now)
    Succession.objects.bulk_create(successions, ignore_conflicts=True)


def _apply_people(province: Province, preview: Preview):
    now = timezone.now()
    agencies = {a.code.upper(): a for a in Agency.objects.filter(province=province)}
    existing = {}
    for person in Person.objects.filter(agency__province=province):
        existing.setdefault(person_key(person.agency_id, person.full_name, person.email), person)
    created, updated = [], []
    for row in preview.rows:
        if row.action == "unchanged":
            continue
        agency = agencies[row.values["agency"]]
        person = existing.get(person_key(agency.pk, row.values["full_name"], row.values["email"]))
        if person is None:
            person = Person()
            created.append(person)
        else:
            person.updated_at = now
            updated.append(person)
        person.agency = agency
        for name in PERSON_IMPORT_FIELDS:
            setattr(person, name, row.values[name])
    Person.objects.bulk_create(created, batch_size=500)
    Person.objects.bulk_update(updated, [*PERSON_IMPORT_FIELDS, "agency", "updated_at"], batch_size=500)


def directory_import_create(*, actor, province: Province, kind: str, name: str, data: bytes) -> DirectoryImport:
    """Keep an uploaded file for preview. The file must be readable; rows
    with errors are shown on the preview and block applying it."""
    require(actor, "agencies.manage_directory", province, DENIED)
    rows = directory_rows(name, data)  # raises ImportFileError
    build_preview(kind=kind, province=province, table=table_from_rows(rows))  # the header must be right
    record = DirectoryImport(
        province=province, kind=kind, original_name=name[:255], rows=encode_rows(rows), created_by=actor
    )
    extension = name.rsplit(".", 1)[-1].lower()
    stored = store(record.file, f"{uuid.uuid4().hex}.{extension}", ContentFile(data), shown_name=name)
    try:
        with transaction.atomic():
            record.save()
            audit.record(actor=actor, action="directory_import.upload", target=record, after={"kind": kind})
    except BaseException:
        record.file.storage.delete(stored)
        raise
    return record


def directory_import_table(record: DirectoryImport) -> Table:
    """The rows kept when the file was uploaded; a file uploaded before they
    were kept is read this once and its rows kept."""
    if record.rows is None:
        with record.file.open("rb") as fh:
            rows = table_rows(record.original_name, fh.read())
        record.rows = encode_rows(rows)
        DirectoryImport.objects.filter(pk=record.pk).update(rows=record.rows)
    return table_from_rows(decode_rows(record.rows))


def directory_import_preview(record: DirectoryImport) -> Preview:
    """What applying the file would do to the directory as it is now."""
    return build_preview(kind=record.kind, province=record.province, table=directory_import_table(record))


def directory_import_apply(*, actor, record: DirectoryImport) -> DirectoryImport:
    """Apply a whole file or nothing. The province row is locked so that two
    imports of one province cannot interleave; the file is checked again
    inside the lock, against the directory as it is now. The DirectoryImport
    row (with its file) and its audit row record the change."""
    require(actor, "agencies.manage_directory", record, DENIED)
    with DIRECTORY_IMPORT.step(record, "apply", actor=actor, fields=["summary"]) as locked:
        Province.objects.select_for_update().get(pk=locked.province_id)
        preview = directory_import_preview(locked)
        if not preview.ok:
            raise Refused(_("Tệp còn %(n)d dòng lỗi; chưa có thay đổi nào được ghi.") % {"n": len(preview.error_rows)})
        if locked.kind == DirectoryImport.Kind.AGENCIES:
            _apply_agencies(locked.province, preview)
        else:
            _apply_people(locked.province, preview)
        locked.summary = preview.counts
    return record


def directory_import(*, actor, province: Province, kind: str, name: str, data: bytes) -> DirectoryImport:
    """Upload and apply in one go (the command line): refused with nothing
    stored when a row is wrong; otherwise recorded as any upload is."""
    preview = directory_preview(kind=kind, province=province, name=name, data=data)
    if not preview.ok:
        raise Refused(_("Tệp còn %(n)d dòng lỗi; chưa có thay đổi nào được ghi.") % {"n": len(preview.error_rows)})
    record = directory_import_create(actor=actor, province=province, kind=kind, name=name, data=data)
    return directory_import_apply(actor=actor, record=record)


def body_members_save(*, actor, body: Agency, rows: list[dict], deleted: list[int] = ()) -> None:
    """The members of a council, steering committee or working group: each
    row a person or an agency, with its role, in order."""
    require(actor, "agencies.manage_directory", body, DENIED)
    if not body.is_body:
        raise Refused(_("Chỉ hội đồng, ban chỉ đạo, tổ giúp việc mới có thành viên."))
    with transaction.atomic():
        before = [str(m) for m in body.members.all()]
        existing = {m.pk: m for m in body.members.all()}
        BodyMember.objects.filter(body=body, pk__in=list(deleted)).delete()
        for order, values in enumerate(rows, start=1):
            values = dict(values)
            member = existing.get(values.pop("id", None)) or BodyMember(body=body)
            for name, value in values.items():
                setattr(member, name, value)
            member.order = values.get("order") or order
            if member.person_id is None and member.agency_id is None:
                raise Refused(_("Mỗi thành viên là một người hoặc một cơ quan: hãy chọn một trong hai."))
            foreign = [x for x in (member.person, member.agency) if x is not None and x.province_id != body.province_id]
            if foreign:
                raise Refused(_("Thành viên phải thuộc cùng tỉnh."))
            member.save()
        audit.record(
            actor=actor,
            action="body.members",
            target=body,
            before={"members": before},
            after={"members": [str(m) for m in body.members.all()]},
        )
