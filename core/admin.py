"""The admin never writes past a service. Rows with a status or an issued
state are shown read-only (`ReadOnlyAdmin`); the directory's rows are saved
through their service (`ServiceAdmin`), so the checks and the audit row are
the same as on the portal's pages; actions call services."""

from django.contrib import admin, messages
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.db import models
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from . import audit, selectors
from .exceptions import Refused
from .lookups import search_q
from .models import AuditEntry


class YearsAsWritten:
    """A year is a name, not a quantity: shown 2024, never "2.024" as the
    admin groups every integer (USE_THOUSAND_SEPARATOR). Each integer field
    named `year` or `…_year` is shown through a column of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.year_columns = {}
        for field in self.model._meta.fields:
            if isinstance(field, models.IntegerField) and (field.name == "year" or field.name.endswith("_year")):
                self.year_columns[field.name] = f"{field.name}_as_written"
                setattr(self, f"{field.name}_as_written", _as_written(field))

    def as_written(self, names):
        return [self.year_columns.get(name, name) if isinstance(name, str) else name for name in names]

    def get_list_display(self, request):
        return self.as_written(super().get_list_display(request))


def _as_written(field):
    @admin.display(description=capfirst(field.verbose_name), ordering=field.name)
    def column(obj):
        value = getattr(obj, field.name)
        return "" if value is None else str(value)

    return column


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, YearsAsWritten, admin.ModelAdmin):
    """Shown, never edited here: the portal's pages change these rows through
    their services (status transitions, issue, imports)."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.year_columns.values()]

    def get_fields(self, request, obj=None):
        # The year's column takes the year's place on the page (once).
        return list(dict.fromkeys(self.as_written(super().get_fields(request, obj))))


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class ServiceAdmin(YearsAsWritten, admin.ModelAdmin):
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


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's, whose warning under "password-based authentication" is
    English text glued to a translated one, so no catalogue can reach it."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("Nếu tắt, mật khẩu hiện tại của người dùng này sẽ mất."),
    )


class ActionFilter(admin.SimpleListFilter):
    """The actions the trail holds, by their Vietnamese names."""

    title = _("thao tác")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        return sorted(((code, audit.action_label(code)) for code in codes), key=lambda row: row[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class ActorFilter(admin.SimpleListFilter):
    title = _("người thực hiện")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        return selectors.actor_choices(user=request.user)

    def queryset(self, request, queryset):
        if self.value() == selectors.SYSTEM:
            return queryset.filter(actor__isnull=True)
        return queryset.filter(actor_id=self.value()) if (self.value() or "").isdigit() else queryset


class KindFilter(admin.SimpleListFilter):
    """The kinds of rows the trail speaks of, as people call them (not
    "app | model" of every table, as a plain content-type filter lists)."""

    title = _("loại đối tượng")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return selectors.kind_choices(user=request.user)

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        app_label, _, model = self.value().partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "action_label", "kind", "object_repr", "count"]
    list_filter = [ActorFilter, KindFilter, ActionFilter, ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["content_type"]
    search_fields = ["object_repr", "actor_name", "note"]
    search_help_text = _("Tìm theo đối tượng, tên người thực hiện hoặc ghi chú, có dấu hay không dấu.")
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "actor",
        "actor_name",
        "client_ip",
        "action_label",
        "kind",
        "object_id",
        "object_repr",
        "count",
        "changes",
        "note",
    ]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        # As the portal's viewer searches: "so xay dung" finds "Sở Xây dựng".
        if not search_term:
            return queryset, False
        return queryset.filter(search_q(search_term, *self.search_fields)), False

    @admin.display(description=_("thao tác"), ordering="action")
    def action_label(self, entry):
        return audit.action_label(entry.action)

    @admin.display(description=_("loại đối tượng"), ordering="content_type")
    def kind(self, entry):
        return selectors.kind_label(entry.content_type) if entry.content_type_id else ""

    @admin.display(description=_("thay đổi"))
    def changes(self, entry):
        rows = [
            (capfirst(change.label), change.before or "—", change.after or "—") for change in selectors.changes(entry)
        ]
        return format_html_join("", "<div>{}: {} → {}</div>", rows)


from . import beat_admin  # noqa: E402, F401  (django-celery-beat's pages, in Vietnamese)


class ServiceFormAdmin(ReadOnlyAdmin):
    """Rows added through a form that calls a service (refusals shown on the
    form, nothing written); shown read-only afterwards."""

    add_form = None
    add_title = ""

    def has_add_permission(self, request, obj=None):
        return request.user.is_authenticated and request.user.is_administrator

    def create(self, request, data):
        raise NotImplementedError

    def created(self, request, row):
        """The answer once the row is made: back to the list, unless the admin
        must see something once (a key, a secret) on a page of its own."""
        messages.success(request, _("Đã thêm %(row)s.") % {"row": row})
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def add_view(self, request, form_url="", extra_context=None):
        form = self.add_form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                row = self.create(request, form.cleaned_data)
            except Refused as refused:
                for reason in refused.reasons:
                    form.add_error(None, reason)
            else:
                return self.created(request, row)
        return render(
            request,
            "admin/service_form.html",
            {**self.admin_site.each_context(request), "form": form, "opts": self.opts, "title": self.add_title},
        )
