"""The directory's pages: read through selectors, write through services."""

import datetime as dt

from dal_select2.views import Select2QuerySetView
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core.exceptions import ImportFileError
from core.forms import formset_rows
from core.permissions import PermissionMixin
from core.tables import Column, Sorting, choice_order
from core.text import fold
from core.views import call_service, xlsx_response

from . import exporting, selectors, services
from .forms import (
    AgencyFilterForm,
    AgencyForm,
    DirectoryImportForm,
    PersonFilterForm,
    PersonForm,
    agency_label,
    body_member_formset,
    person_label,
)
from .models import Agency, AgencyKind, DirectoryImport, Person


class FilteredListMixin(PermissionMixin):
    permission = "agencies.view_directory"
    filter_form_class = AgencyFilterForm
    paginate_by = 50

    def get_filter_form(self):
        if not hasattr(self, "_filter_form"):
            form = self.filter_form_class(self.request.GET or None, user=self.request.user)
            self._filter = form.cleaned_data if form.is_valid() else {}
            self._filter_form = form
        return self._filter_form

    def filters(self) -> dict:
        self.get_filter_form()
        return {k: v for k, v in self._filter.items() if v}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=self.get_filter_form(),
            sorting=getattr(self, "sorting", None),
            querystring=query.urlencode(),
            can_manage=self.request.user.has_perm("agencies.manage_directory", self.request.user.province),
        )
        return context


def agency_columns() -> list[Column]:
    return [
        Column("ten", _("Tên đơn vị"), ("name",)),
        Column("viet-tat", _("Viết tắt"), ("short_name",)),
        Column("loai", _("Loại"), (choice_order("kind", AgencyKind.choices, by_label=True),)),
        Column("tinh", _("Tỉnh"), ("province__name",)),
        Column("ma", _("Mã"), ("code",)),
        Column("can-bo", _("Cán bộ"), ("people_count",), css="text-end", descending_first=True),
    ]


class AgencyListView(FilteredListMixin, ListView):
    template_name = "agencies/agency_list.html"
    context_object_name = "agencies"

    def get_queryset(self):
        f = self.filters()
        columns = agency_columns()
        if not self.request.user.is_administrator:  # one province: no column of it
            columns = [c for c in columns if c.key != "tinh"]
        self.sorting = Sorting(self.request.GET, columns)
        return selectors.agency_list(
            user=self.request.user,
            search=f.get("q", ""),
            kind=f.get("kind", ""),
            province=f.get("province"),
            active=f.get("active", ""),
            order=self.sorting.order_by("province__name", "name", "pk"),
        )


class AgencyExportView(AgencyListView):
    """The filtered units in the import template's columns, to edit and import back."""

    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_response(exporting.agencies_xlsx(self.get_queryset()), f"danh-ba-don-vi-{stamp}.xlsx")


class AgencyTableExportView(AgencyListView):
    """The list as filtered and sorted on the page, in the page's columns."""

    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().strftime("%Y%m%d")
        data = exporting.agency_table_xlsx(self.get_queryset(), with_province=request.user.is_administrator)
        return xlsx_response(data, f"danh-sach-don-vi-{stamp}.xlsx")


class AgencyDetailView(PermissionMixin, DetailView):
    permission = "agencies.view_directory"
    template_name = "agencies/agency_detail.html"
    context_object_name = "agency"

    def permission_object(self):
        return selectors.agency_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.object
        user = self.request.user
        context.update(
            people=selectors.person_list(user=user, agency=agency),
            children=selectors.agency_list(user=user).filter(parent=agency),
            predecessors=selectors.agency_list(user=user).filter(succeeded_by__successor=agency),
            successors=selectors.agency_list(user=user).filter(succeeds__predecessor=agency),
            members=selectors.body_members(agency) if agency.is_body else [],
            can_manage=user.has_perm("agencies.manage_directory", agency),
        )
        return context


class DirectoryFormView(PermissionMixin, FormView):
    """Create or edit one directory row: the form, then one service."""

    permission = "agencies.manage_directory"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def form_valid(self, form):
        row = form.save(commit=False)
        extra = {"successors": list(form.cleaned_data["successors"])} if "successors" in form.cleaned_data else {}
        if not call_service(self.request, self.save, row=row, form=form, **extra).ok:
            return self.form_invalid(form)
        return redirect("agencies:agency-detail", pk=self.agency_of(row).pk)


class AgencyFormView(DirectoryFormView):
    template_name = "agencies/agency_form.html"
    form_class = AgencyForm

    def save(self, row, successors=None):
        services.agency_save(actor=self.request.user, agency=row, successors=successors)
        messages.success(self.request, _("Đã lưu đơn vị “%(name)s”.") % {"name": row.name})

    def agency_of(self, row):
        return row

    def permission_object(self):
        if "pk" in self.kwargs:
            return selectors.agency_get(user=self.request.user, pk=self.kwargs["pk"])
        return Agency(province_id=self.request.user.province_id)


class BodyMembersView(PermissionMixin, View):
    """The members of a council, steering committee or working group."""

    permission = "agencies.manage_directory"
    template_name = "agencies/body_members.html"

    def permission_object(self):
        body = selectors.agency_get(user=self.request.user, pk=self.kwargs["pk"])
        if not body.is_body:
            raise Http404
        return body

    def formset(self, data=None):
        body = self.object
        return body_member_formset(extra=0 if body.members.exists() else 1)(
            data, instance=body, prefix="rows", form_kwargs={"province_id": body.province_id, "choice_cache": {}}
        )

    def page(self, formset):
        return render(self.request, self.template_name, {"agency": self.object, "formset": formset})

    def get(self, request, pk):
        return self.page(self.formset())

    def post(self, request, pk):
        formset = self.formset(request.POST)
        if formset.is_valid():
            rows, deleted = formset_rows(formset)
            outcome = call_service(
                request,
                services.body_members_save,
                actor=request.user,
                body=self.object,
                rows=rows,
                deleted=deleted,
                done=_("Đã lưu thành viên."),
            )
            if outcome.ok:
                return redirect("agencies:agency-detail", pk=pk)
        return self.page(formset)


class PersonListView(FilteredListMixin, ListView):
    filter_form_class = PersonFilterForm
    template_name = "agencies/person_list.html"
    context_object_name = "people"

    def get_queryset(self):
        f = self.filters()
        return selectors.person_list(
            user=self.request.user, search=f.get("q", ""), kind=f.get("kind", ""), province=f.get("province")
        )


class PersonExportView(PersonListView):
    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_response(exporting.people_xlsx(self.get_queryset()), f"danh-ba-can-bo-{stamp}.xlsx")


class PersonFormView(DirectoryFormView):
    template_name = "agencies/person_form.html"
    form_class = PersonForm

    def save(self, row):
        services.person_save(actor=self.request.user, person=row)
        messages.success(self.request, _("Đã lưu cán bộ “%(name)s”.") % {"name": row.full_name})

    def agency_of(self, row):
        return row.agency

    def permission_object(self):
        if "pk" in self.kwargs:
            return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])
        person = Person()
        agency_pk = self.request.GET.get("agency")
        if agency_pk and agency_pk.isdigit():
            person.agency = selectors.agency_get(user=self.request.user, pk=agency_pk)
        return person

    def permission_target(self):
        # A new person of no agency yet belongs to the user's province.
        return self.object if self.object.agency_id else self.request.user.province

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.object if self.object.pk else None}


class DirectoryImportView(PermissionMixin, FormView):
    permission = "agencies.manage_directory"
    form_class = DirectoryImportForm
    template_name = "agencies/import_upload.html"

    def permission_object(self):
        return self.request.user.province

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.directory_import_list(user=self.request.user)[:10]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        province = form.cleaned_data.get("province") or self.request.user.province
        try:
            record = services.directory_import_create(
                actor=self.request.user,
                province=province,
                kind=form.cleaned_data["kind"],
                name=upload.name,
                data=upload.read(),
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        return redirect("agencies:import-preview", pk=record.pk)


class DirectoryImportPreviewView(PermissionMixin, TemplateView):
    permission = "agencies.manage_directory"
    template_name = "agencies/import_preview.html"

    def permission_object(self) -> DirectoryImport:
        return selectors.directory_import_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.object
        preview, file_error = None, None
        try:
            # From the rows read at upload: a visit never reads the file again.
            preview = services.directory_import_preview(record)
        except ImportFileError as exc:
            file_error = str(exc)
        context.update(record=record, preview=preview, file_error=file_error)
        return context

    def post(self, request, *args, **kwargs):
        record = self.object
        try:
            outcome = call_service(request, services.directory_import_apply, actor=request.user, record=record)
        except ImportFileError as exc:
            messages.error(request, str(exc))
            return redirect("agencies:import-preview", pk=record.pk)
        if not outcome.ok:
            return redirect("agencies:import-preview", pk=record.pk)
        messages.success(
            request,
            _("Đã nhập xong: %(create)d thêm mới, %(update)d cập nhật, %(unchanged)d không đổi.") % record.summary,
        )
        target = "agencies:agency-list" if record.kind == DirectoryImport.Kind.AGENCIES else "agencies:person-list"
        return redirect(reverse(target))


class ImportTemplateView(PermissionMixin, View):
    permission = "agencies.manage_directory"

    def permission_object(self):
        return self.request.user.province

    def get(self, request, kind):
        if kind not in DirectoryImport.Kind.values:
            kind = DirectoryImport.Kind.AGENCIES
        name = "mau-nhap-don-vi.xlsx" if kind == DirectoryImport.Kind.AGENCIES else "mau-nhap-can-bo.xlsx"
        return xlsx_response(exporting.template_xlsx(kind), name)


# --- Pickers: the options of a searchable choice, loaded as the user types ----------------


class PickerView(PermissionMixin, Select2QuerySetView):
    """JSON for a picker (django-autocomplete-light's select2 format). The
    rows come from a selector scoped to the user's province, so no parameter
    can reach another province's; `day` and `province` only narrow them."""

    permission = "agencies.view_directory"
    http_method_allowed = ("GET",)
    paginate_by = 20

    def day(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            return None

    def province_id(self) -> int | None:
        value = self.request.GET.get("province", "")
        return int(value) if value.isdigit() else None


class AgencyPickerView(PickerView):
    def get_queryset(self):
        return selectors.agency_choices(
            user=self.request.user, search=self.q, day=self.day(), province_id=self.province_id()
        )

    def get_result_label(self, result):
        return agency_label(result)

    def get_results(self, context):
        # Under one heading per kind, as the directory's selects showed them.
        groups: dict[str, list] = {}
        for agency in context["object_list"]:
            groups.setdefault(agency.get_kind_display(), []).append(
                {"id": str(agency.pk), "text": agency_label(agency)}
            )
        return [{"text": kind, "children": rows} for kind, rows in groups.items()]


class PersonPickerView(PickerView):
    def get_queryset(self):
        return selectors.person_choices(user=self.request.user, search=self.q, province_id=self.province_id())

    def get_result_label(self, result):
        return person_label(result)


class KindPickerView(PermissionMixin, View):
    """The kinds of unit, for a group picker: a fixed list, searched
    ignoring diacritics ("xa" finds "Xã")."""

    permission = "agencies.view_directory"

    def get(self, request):
        words = fold(request.GET.get("q", "")).split()
        results = [
            {"id": value, "text": str(label)}
            for value, label in AgencyKind.choices
            if all(word in fold(str(label)) for word in words)
        ]
        return JsonResponse({"results": results, "pagination": {"more": False}})
