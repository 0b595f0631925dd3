from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"
    verbose_name = _("Danh bạ cơ quan, đơn vị")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import audit

        # Every install knows the country's provinces (national tables name
        # them all); after a test's flush too, as Django does for permissions.
        post_migrate.connect(_write_provinces, sender=self)

        from . import permissions  # noqa: F401  (registers the directory's permissions)

        audit.register_actions(
            {
                "agency.create": _("Thêm đơn vị"),
                "agency.update": _("Sửa đơn vị"),
                "agency.successors": _("Ghi đơn vị kế thừa"),
                "body.members": _("Sửa thành viên hội đồng, ban, tổ"),
                "person.create": _("Thêm cán bộ"),
                "person.update": _("Sửa cán bộ"),
                "directory_import.upload": _("Tải lên tệp danh bạ"),
                "directory_import.apply": _("Nhập danh bạ từ tệp"),
                "province.create": _("Thêm tỉnh, thành phố"),
                "province.update": _("Sửa tỉnh, thành phố"),
                "user.create": _("Thêm người dùng"),
                "user.update": _("Sửa người dùng"),
            }
        )


def _write_provinces(sender, apps=None, **kwargs):
    from django.apps import apps as installed

    apps = apps or installed  # flush sends no app registry
    from .provinces import ensure_provinces

    province = apps.get_model("agencies", "Province")
    if "region" in {f.name for f in province._meta.get_fields()}:  # migrated back before the field: nothing
        ensure_provinces(province)
