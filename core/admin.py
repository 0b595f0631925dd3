"""The admin never writes past a service. Rows with a status or an issued
state are shown read-only (`ReadOnlyAdmin`); the directory's rows are saved
through their service (`ServiceAdmin`), so the checks and the audit row are
the same as on the portal's pages; actions call services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditEntry


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Shown, never edited here: the portal's pages change these rows through
    their services (status transitions, issue, imports)."""


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class ServiceAdmin(admin.ModelAdmin):
    """Saved through `save_service(actor=…, <name>=row)`; never deleted here
    (rows are ended with a date or deactivated, so history keeps them)."""

    save_service = None
    service_argument = ""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        type(self).save_service(actor=request.user, **{self.service_argument: obj})

    def save_related(self, request, form, formsets, change):
        # Inlines of a service-saved row are read-only: nothing of theirs is
        # saved (the admin's change message still asks what they changed).
        form.save_m2m()
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "action_label", "object_repr", "count", "client_ip"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name", "note"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    @admin.display(description=_("thao tác"), ordering="action")
    def action_label(self, entry):
        return audit.action_label(entry.action)
