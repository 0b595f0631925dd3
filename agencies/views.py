from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from . import exporting, selectors, services
from .forms import AgencyFilterForm, AgencyForm, DirectoryImportForm, PersonFilterForm, PersonForm
from .importing import ImportFileError
from .models import Agency, DirectoryImport, Person
from .permissions import DirectoryManagerMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class FilteredListMixin(LoginRequiredMixin):
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
            can_manage=self.request.user.is_administrator or self.request.user.is_organiser,
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


class AgencyDetailView(LoginRequiredMixin, DetailView):
    template_name = "agencies/agency_detail.html"
    context_object_name = "agency"

    def get_object(self, queryset=None):
        return selectors.agency_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.object
        user = self.request.user
        context.update(
            people=selectors.person_list(user=user, agency=agency),
            children=selectors.agency_list(user=user).filter(parent=agency),
            predecessors=selectors.agency_list(user=user).filter(successor=agency),
            can_manage=services.can_manage_directory(user, agency.province_id),
        )
        return context


class AgencyFormMixin(DirectoryManagerMixin):
    form_class = AgencyForm
    template_name = "agencies/agency_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        agency = form.save(commit=False)
        services.agency_save(actor=self.request.user, agency=agency)
        messages.success(self.request, _("Đã lưu đơn vị “%(name)s”.") % {"name": agency.name})
        return redirect("agencies:agency-detail", pk=agency.pk)


class AgencyCreateView(AgencyFormMixin, FormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Agency(province_id=self.request.user.province_id)}


class AgencyUpdateView(AgencyFormMixin, FormView):
    def get_form_kwargs(self):
        agency = selectors.agency_get(user=self.request.user, pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": agency}


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


class PersonFormMixin(DirectoryManagerMixin):
    form_class = PersonForm
    template_name = "agencies/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.get_instance()}

    def form_valid(self, form):
        person = form.save(commit=False)
        services.person_save(actor=self.request.user, person=person)
        messages.success(self.request, _("Đã lưu cán bộ “%(name)s”.") % {"name": person.full_name})
        return redirect("agencies:agency-detail", pk=person.agency_id)


class PersonCreateView(PersonFormMixin, FormView):
    def get_instance(self):
        person = Person()
        agency_pk = self.request.GET.get("agency")
        if agency_pk and agency_pk.isdigit():
            person.agency = selectors.agency_get(user=self.request.user, pk=agency_pk)
        return person


class PersonUpdateView(PersonFormMixin, FormView):
    def get_instance(self):
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.get_instance()}


class DirectoryImportView(DirectoryManagerMixin, FormView):
    form_class = DirectoryImportForm
    template_name = "agencies/import_upload.html"

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


class DirectoryImportPreviewView(DirectoryManagerMixin, TemplateView):
    template_name = "agencies/import_preview.html"

    def get_record(self) -> DirectoryImport:
        return selectors.directory_import_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_record()
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
        record = self.get_record()
        try:
            record = services.directory_import_apply(actor=request.user, record=record)
        except (services.ImportRejected, ImportFileError) as exc:
            messages.error(request, str(exc))
            return redirect("agencies:import-preview", pk=record.pk)
        counts = record.summary
        messages.success(
            request,
            _("Đã nhập xong: %(create)d thêm mới, %(update)d cập nhật, %(unchanged)d không đổi.") % counts,
        )
        target = "agencies:agency-list" if record.kind == DirectoryImport.Kind.AGENCIES else "agencies:person-list"
        return redirect(reverse(target))


class ImportTemplateView(DirectoryManagerMixin, View):
    def get(self, request, kind):
        if kind not in DirectoryImport.Kind.values:
            kind = DirectoryImport.Kind.AGENCIES
        name = "mau-nhap-don-vi.xlsx" if kind == DirectoryImport.Kind.AGENCIES else "mau-nhap-can-bo.xlsx"
        return xlsx_response(exporting.template_xlsx(kind), name)
