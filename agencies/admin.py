"""The directory in the admin: every save goes through the directory's
services (checks and the audit trail); import records are read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import PasswordChangeForm, ReadOnlyAdmin, ReadOnlyTabularInline, ServiceAdmin

from . import services
from .models import Agency, BodyMember, DirectoryImport, Person, Province, Succession, User


@admin.register(Province)
class ProvinceAdmin(ServiceAdmin):
    save_service = services.province_save
    service_argument = "province"
    list_display = ["name", "code", "kind", "region", "active_to", "successor"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code"]
    list_select_related = ["successor"]
    autocomplete_fields = ["successor"]


class PersonInline(ReadOnlyTabularInline):
    model = Person
    fields = ["full_name", "position", "email", "phone", "is_focal_point"]


class SuccessionInline(ReadOnlyTabularInline):
    model = Succession
    fk_name = "predecessor"
    fields = ["successor", "kind", "on_date"]


class MemberInline(ReadOnlyTabularInline):
    model = BodyMember
    fk_name = "body"
    fields = ["person", "agency", "role", "order"]


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    save_service = services.agency_save
    service_argument = "agency"
    list_display = ["name", "short_name", "kind", "province", "code", "parent", "active_to"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["province", "parent"]
    autocomplete_fields = ["parent"]
    inlines = [PersonInline, SuccessionInline, MemberInline]


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    save_service = services.person_save
    service_argument = "person"
    list_display = ["full_name", "position", "agency", "email", "phone", "is_focal_point"]
    list_filter = ["agency__province", "agency__kind", "is_focal_point"]
    search_fields = ["full_name", "email", "phone", "agency__name"]
    list_select_related = ["agency", "agency__province"]
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    save_service = services.user_save
    service_argument = "user"
    change_password_form = PasswordChangeForm
    list_display = ["username", "full_name", "role", "agency", "email", "is_active", "last_login"]
    list_filter = ["role", "agency__province", "is_active"]
    search_fields = ["username", "full_name", "email", "agency__name"]
    list_select_related = ["agency", "agency__province"]
    autocomplete_fields = ["agency"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "position", "email", "phone")}),
        (_("Vai trò và phạm vi"), {"fields": ("role", "agency")}),
        (_("Quyền"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "role", "agency", "email", "password1", "password2"),
            },
        ),
    )


@admin.register(DirectoryImport)
class DirectoryImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "province", "status", "created_by", "created_at", "applied_at"]
    list_filter = ["kind", "status", "province"]
    search_fields = ["original_name"]
    list_select_related = ["province", "created_by"]
