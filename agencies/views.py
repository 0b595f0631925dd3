"""The directory's pages: read through selectors, write through services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core.exceptions import ImportFileError
from core.forms import formset_rows
from core.permissions import PermissionMixin
from core.views import call_service, xlsx_response

from . import exporting, selectors, services
from .forms import (
    AgencyFilterForm,
    AgencyForm,
    DirectoryImportForm,
    PersonFilterForm,
    PersonForm,
    body_member_formset,
)
from .models import Agency, DirectoryImport, Person


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
            querystring=query.urlencode(),
            can_manage=self.request.user.has_perm("agencies.manage_directory", self.request.user.province),
        )
        return context


class AgencyListView(FilteredListMixin, ListView):
    template_name = "agencies/agency_list.html"
    context_object_name = "agencies"

    def get_queryset(self):
        f = self.filters()
        return selectors.agency_list(
            user=self.request.user,
            search=f.get("q", ""),
            kind=f.get("kind", ""),
            province=f.get("province"),
            active=f.get("active", ""),
        )


class AgencyExportView(AgencyListView):
    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_response(exporting.agencies_xlsx(self.get_queryset()), f"danh-ba-don-vi-{stamp}.xlsx")


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
            data, instance=body, prefix="rows", form_kwargs={"province_id": body.province_id}
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
            preview = services.directory_preview(
                kind=record.kind,
                province=record.province,
                name=record.original_name,
                data=services.directory_import_read(record),
            )
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
