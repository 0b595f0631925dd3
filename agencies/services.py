"""Every change to the directory goes through here: checked, atomic, audited
(django-auditlog records who changed what on each save)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .importing import Preview, build_preview, person_key, read_table
from .models import Agency, DirectoryImport, Person, Province


class ImportRejected(Exception):
    """The import cannot be applied; the message says why, in Vietnamese."""


def can_manage_directory(user, province_id) -> bool:
    if user.is_administrator:
        return True
    return user.is_organiser and province_id is not None and user.province_id == province_id


def _require_manager(user, province_id):
    if not can_manage_directory(user, province_id):
        raise PermissionDenied(_("Bạn không có quyền sửa danh bạ của tỉnh này."))


# --- Agencies and people --------------------------------------------------------


def agency_save(*, actor, agency: Agency) -> Agency:
    """Create or update an agency the form has filled in."""
    _require_manager(actor, agency.province_id)
    agency.full_clean()
    agency.save()
    return agency


def person_save(*, actor, person: Person) -> Person:
    _require_manager(actor, person.agency.province_id)
    person.full_clean()
    person.save()
    return person


# --- Import ---------------------------------------------------------------------------


def directory_preview(*, kind: str, province: Province, name: str, data: bytes) -> Preview:
    """Read and check a file; raises ImportFileError when it cannot be read."""
    return build_preview(kind=kind, province=province, table=read_table(name, data))


def directory_apply(*, kind: str, province: Province, name: str, data: bytes) -> Preview:
    """Apply a whole file or nothing. The province row is locked so that two
    imports of one province cannot interleave; the file is checked again
    inside the lock, against the directory as it is now."""
    with transaction.atomic():
        Province.objects.select_for_update().get(pk=province.pk)
        preview = directory_preview(kind=kind, province=province, name=name, data=data)
        if not preview.ok:
            raise ImportRejected(
                _("Tệp còn %(n)d dòng lỗi; chưa có thay đổi nào được ghi.") % {"n": len(preview.error_rows)}
            )
        if kind == DirectoryImport.Kind.AGENCIES:
            _apply_agencies(province, preview)
        else:
            _apply_people(province, preview)
    return preview


AGENCY_IMPORT_FIELDS = ("name", "short_name", "kind", "email", "phone", "address", "active_from", "active_to")
PERSON_IMPORT_FIELDS = ("full_name", "position", "email", "phone", "is_focal_point")


def _apply_agencies(province: Province, preview: Preview):
    """Rows were fully checked by the preview; write them in bulk. The
    DirectoryImport row (with its file) is the audit record of the change."""
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
        touched.append((agency, row))
    Agency.objects.bulk_create(created, batch_size=500)
    Agency.objects.bulk_update(updated, [*AGENCY_IMPORT_FIELDS, "updated_at"], batch_size=500)
    # Links after the rows exist: a parent may stand further down the file.
    # Grouped by target: a file names few distinct parents, so this is a
    # handful of UPDATEs rather than one per row.
    links: dict[tuple, list[int]] = {}
    for agency, row in touched:
        parent = by_code.get(row.values["parent"]) if row.values["parent"] else None
        successor = by_code.get(row.values["successor"]) if row.values["successor"] else None
        target = (parent.pk if parent else None, successor.pk if successor else None)
        if (agency.parent_id, agency.successor_id) != target:
            links.setdefault(target, []).append(agency.pk)
    for (parent_id, successor_id), pks in links.items():
        Agency.objects.filter(pk__in=pks).update(parent_id=parent_id, successor_id=successor_id, updated_at=now)


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
    _require_manager(actor, province.pk)
    directory_preview(kind=kind, province=province, name=name, data=data)  # raises ImportFileError
    record = DirectoryImport(province=province, kind=kind, original_name=name[:255], created_by=actor)
    record.file.save(name, ContentFile(data), save=False)
    record.save()
    return record


def directory_import_read(record: DirectoryImport) -> bytes:
    with record.file.open("rb") as fh:
        return fh.read()


def directory_import_apply(*, actor, record: DirectoryImport) -> DirectoryImport:
    _require_manager(actor, record.province_id)
    with transaction.atomic():
        record = DirectoryImport.objects.select_for_update().get(pk=record.pk)
        if record.status == DirectoryImport.Status.APPLIED:
            raise ImportRejected(_("Tệp này đã được nhập lúc trước; không nhập lại lần hai."))
        preview = directory_apply(
            kind=record.kind, province=record.province, name=record.original_name, data=directory_import_read(record)
        )
        record.status = DirectoryImport.Status.APPLIED
        record.applied_at = timezone.now()
        record.summary = preview.counts
        record.save(update_fields=["status", "applied_at", "summary"])
    return record
