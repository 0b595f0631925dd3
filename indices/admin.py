import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline, ServiceAdmin
from core.exceptions import Refused
from core.uploads import SPREADSHEET, inspect_upload

from . import loading, services
from .models import Assessment, Criterion, Framework, NationalIndex, NationalResult, Publication, Responsibility


class CriterionInline(ReadOnlyTabularInline):
    model = Criterion
    fields = ["code", "name", "maximum", "method", "level"]


class LoadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bộ chỉ số (.json hoặc .xlsx)"),
        help_text=_("Excel theo mẫu “Tải bộ chỉ số (Excel)” ở trang bộ chỉ số; JSON như indices/frameworks/."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.name.lower().endswith(".xlsx"):
            inspect_upload(upload, use=SPREADSHEET, max_bytes=settings.SPREADSHEET_MAX_BYTES)  # UploadRejected
        return upload


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    """A framework is loaded whole and checked (its maxima add up): from a
    file here, or copied to a new year; never edited row by row."""

    list_display = ["name", "year", "index", "subject", "maximum", "is_example"]
    list_filter = ["index", "subject", "year", "is_example"]
    inlines = [CriterionInline]
    change_list_template = "admin/indices/framework/change_list.html"

    def get_urls(self):
        return [
            path("nap-tu-tep/", self.admin_site.admin_view(self.load_view), name="indices_framework_load"),
            *super().get_urls(),
        ]

    def load_view(self, request):
        """Load a framework from JSON or XLSX: checked in full, nothing saved on a problem."""
        form = LoadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                raw = upload.read()
                data = (
                    loading.framework_from_xlsx(raw)
                    if upload.name.lower().endswith(".xlsx")
                    else json.loads(raw.decode("utf-8"))
                )
                framework = services.framework_load(data, actor=request.user)
            except (ValueError, UnicodeDecodeError):
                form.add_error("file", _("Không đọc được tệp: chỉ nhận JSON (UTF-8) hoặc Excel .xlsx."))
            except Refused as refused:
                for reason in refused.reasons:
                    form.add_error("file", reason)
            else:
                messages.success(
                    request,
                    _("Đã nạp %(name)s với %(count)s tiêu chí.")
                    % {"name": framework, "count": framework.criteria.count()},
                )
                return redirect("admin:indices_framework_change", framework.pk)
        return render(
            request,
            "admin/indices/framework/load.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "opts": self.model._meta,
                "title": _("Nạp bộ chỉ số từ tệp"),
            },
        )


@admin.register(NationalIndex)
class NationalIndexAdmin(ServiceAdmin):
    """The indices national tables rank provinces by; one an office cites
    besides PAR INDEX and SIPAS is added here."""

    save_service = services.national_index_save
    service_argument = "national_index"
    list_display = ["name", "code", "full_name", "publisher", "unit", "maximum", "higher_is_better"]
    search_fields = ["name", "code", "full_name"]


@admin.register(NationalResult)
class NationalResultAdmin(ReadOnlyAdmin):
    list_display = ["province", "index", "year", "score", "rank", "out_of", "source"]
    list_filter = ["index", "year", "province"]


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ["province", "framework_code", "code", "agency"]
    list_filter = ["province", "framework_code"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["agency", "framework", "status", "self_total", "total"]
    list_filter = ["status", "framework"]
    search_fields = ["agency__name"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["province", "year", "published_at", "published_by"]
