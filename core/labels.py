"""Vietnamese names for the fields a model leaves unnamed.

Django names a field without a verbose name after its attribute, in English
("created at", "conference"), and every admin page, filter and form shows
that. Here a relation takes the name of the row it points to, and a common
column the portal's word for it; a field named on purpose keeps its name.
Only the label changes: migrations read the field's own arguments, so no
migration follows from this."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# Columns many models share, by attribute name. Who did something is named
# by what they did (a relation to the user would only say "người dùng").
COMMON = {
    "created_at": _("lúc tạo"),
    "updated_at": _("cập nhật lúc"),
    "requested_at": _("yêu cầu lúc"),
    "started_at": _("bắt đầu lúc"),
    "finished_at": _("xong lúc"),
    "created_by": _("người tạo"),
    "issued_by": _("người ban hành"),
    "revoked_by": _("người thu hồi"),
    "entered_by": _("người nhập"),
    "published_by": _("người công bố"),
    "replied_by": _("người trả lời"),
    "checked_in_by": _("người điểm danh"),
    "uploaded_by": _("người tải lên"),
    "requested_by": _("người yêu cầu"),
    "actor": _("người thực hiện"),
    "author": _("người viết"),
    "status": _("trạng thái"),
    "kind": _("loại"),
    "year": _("năm"),
    "order": _("thứ tự"),
    "total": _("tổng số"),
    "size": _("dung lượng (byte)"),
    "pages": _("số trang"),
    "error": _("lỗi"),
    "file": _("tệp"),
    "original_name": _("tên tệp gốc"),
    "sha256": _("mã kiểm tra (SHA-256)"),
    "content_hash": _("mã nội dung"),
    "token": _("mã truy cập"),
    "content_type": _("loại đối tượng"),
    "object_id": _("mã đối tượng"),
}


def name_unnamed_fields(models) -> None:
    """Give each unnamed field of `models` its Vietnamese label."""
    for model in models:
        for field in model._meta.get_fields():
            # `_verbose_name` is what the model passed; None: Django made one up.
            if not getattr(field, "concrete", False) or getattr(field, "_verbose_name", "") is not None:
                continue
            if field.name in COMMON:
                field.verbose_name = COMMON[field.name]
            elif field.is_relation and field.related_model is not None:
                meta = field.related_model._meta
                field.verbose_name = meta.verbose_name_plural if field.many_to_many else meta.verbose_name


def name_relation_rows(models) -> None:
    """The rows Django makes for a many-to-many relation (a group's
    permissions, a publication's frameworks) are named "group-permission
    relationship" and shown as "Group_permissions object (1)", in English,
    where a deletion lists what goes with a row: name them by both ends."""
    for model in models:
        if not model._meta.auto_created:
            continue
        ends = [field for field in model._meta.fields if field.is_relation]
        names = [field.related_model._meta.verbose_name for field in ends]
        model._meta.verbose_name = format_lazy(_("quan hệ {} – {}"), *names)
        model._meta.verbose_name_plural = model._meta.verbose_name
        model.__str__ = _relation_row_str(ends)


def _relation_row_str(ends):
    def __str__(row):
        return " – ".join(str(getattr(row, field.name)) for field in ends)

    return __str__


def name_third_party_fields(apps) -> None:
    """django-celery-beat names the task field in plain English, not marked
    for translation: the same text made lazy lets locale/vi translate it (and
    the migration, which reads the field's own argument, stays the same).
    Django stores each permission's name in English ("Can add log entry"):
    it is shown by its app, a verb and its model's translated name."""
    if apps.is_installed("django_celery_beat"):
        task = apps.get_model("django_celery_beat", "PeriodicTask")._meta.get_field("task")
        task.verbose_name = _("Task Name")
    apps.get_model("auth", "Permission").__str__ = permission_label


VERBS = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xoá"), "view": _("Xem")}


def permission_label(permission) -> str:
    """'Hội nghị và kế hoạch | Xem hội nghị'; a permission of its own kind
    keeps its stored name."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return f"{content_type.app_label} | {permission.name}"
    verb, _sep, model_name = permission.codename.partition("_")
    app = model._meta.app_config.verbose_name
    if verb in VERBS and model_name == model._meta.model_name:
        return f"{app} | {VERBS[verb]} {model._meta.verbose_name}"
    return f"{app} | {permission.name}"
