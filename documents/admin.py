from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Person
from core.admin import ReadOnlyAdmin, ReadOnlyTabularInline, ServiceFormAdmin
from core.exceptions import Refused

from . import services
from .models import (
    BodyKey,
    Document,
    DocumentSigning,
    NumberCounter,
    RenderBatch,
    RenderedFile,
    Section,
    SignerCertificate,
    TrustAnchor,
)
from .services import signatures


class SectionInline(ReadOnlyTabularInline):
    model = Section
    fields = ["order", "part", "label", "heading", "text"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """Drafted, issued and revoked on the portal's document pages only."""

    list_display = ["__str__", "doc_type", "issuer", "status", "issued_on"]
    list_filter = ["doc_type", "status", "province"]
    search_fields = ["title"]
    # The drafter's code and the outline's nodes are the machinery of the
    # document page, not something to read here.
    exclude = ["purpose", "outline"]
    inlines = [SectionInline]


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ["issuer", "year", "last"]


@admin.register(RenderedFile)
class RenderedFileAdmin(ReadOnlyAdmin):
    list_display = ["document", "kind", "addressee", "status", "size", "created_at"]
    list_filter = ["kind", "status"]
    actions = ["render_again"]

    @admin.action(description=_("Tạo lại các tệp lỗi (theo nội dung hiện tại của văn bản)"))
    def render_again(self, request, queryset):
        count = 0
        for row in queryset.filter(status=RenderedFile.Status.FAILED, addressee="").select_related("document"):
            services.request_file(document=row.document, kind=row.kind)
            count += 1
        messages.success(request, _("Đã đưa %(n)d tệp vào hàng tạo lại.") % {"n": count})


@admin.register(RenderBatch)
class RenderBatchAdmin(ReadOnlyAdmin):
    list_display = ["document", "total", "status", "created_at", "finished_at"]
    list_filter = ["status"]


# --------------------------------------------------------------------------
# Digital signatures: what administrators load (services/signatures.py)
# --------------------------------------------------------------------------


class _FileField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return None
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 2 MB)."))
        return upload.read()


class TrustAnchorForm(forms.Form):
    certificate = _FileField(label=_("Tệp chứng thư (.cer, .crt, .pem)"))
    kind = forms.ChoiceField(label=_("Loại"), choices=TrustAnchor.Kind.choices)
    name = forms.CharField(label=_("Tên gọi"), required=False, help_text=_("Để trống thì lấy tên trên chứng thư."))


class CrlForm(forms.Form):
    crl = _FileField(label=_("Tệp danh sách thu hồi (.crl)"))


class PersonChoice(forms.ModelChoiceField):
    # Namesakes are common: the agency tells them apart.
    def label_from_instance(self, person):
        return f"{person.full_name}, {person.position or '—'} – {person.agency.name}"


class CertificateForm(forms.Form):
    certificate = _FileField(label=_("Tệp chứng thư số (.cer, .crt, .pem)"))
    person = PersonChoice(label=_("Người ký"), queryset=Person.objects.none(), required=False)
    agency = forms.ModelChoiceField(label=_("hoặc cơ quan"), queryset=Agency.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read in the administrator's scope (the middleware's), not at import.
        self.fields["person"].queryset = Person.objects.select_related("agency").order_by("full_name")
        self.fields["agency"].queryset = Agency.objects.order_by("name")


class BodyKeyForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    seal_image = _FileField(label=_("Ảnh con dấu (PNG nền trong suốt, màu đỏ)"))
    seal_diameter_mm = forms.DecimalField(
        label=_("Đường kính con dấu (mm)"), initial=36, min_value=20, max_value=60, decimal_places=1
    )
    pkcs12 = _FileField(label=_("Tệp PKCS#12 (.p12, .pfx)"), required=False)
    passphrase = forms.CharField(label=_("Mật khẩu tệp PKCS#12"), required=False, widget=forms.PasswordInput)
    module_path = forms.CharField(label=_("hoặc thư viện PKCS#11 (HSM, token)"), required=False)
    token_label = forms.CharField(label=_("Nhãn token"), required=False)
    key_label = forms.CharField(label=_("Nhãn khóa"), required=False)
    pin = forms.CharField(label=_("Mã PIN"), required=False, widget=forms.PasswordInput)
    certificate = _FileField(label=_("Chứng thư số của khóa trên thiết bị"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("name")


@admin.register(TrustAnchor)
class TrustAnchorAdmin(ServiceFormAdmin):
    add_form = TrustAnchorForm
    add_title = _("Nạp chứng thư tin cậy")
    list_display = ["name", "kind", "not_after", "crl_loaded_at", "active"]
    fields = ["name", "kind", "subject", "fingerprint", "not_after", "crl_loaded_at", "active", "created_at"]
    readonly_fields = fields
    actions = None

    def create(self, request, data):
        return signatures.trust_anchor_add(
            actor=request.user, data=data["certificate"], name=data["name"], kind=data["kind"]
        )

    def get_urls(self):
        return [
            path("<int:pk>/crl/", self.admin_site.admin_view(self.crl_view), name="documents_trustanchor_crl"),
            *super().get_urls(),
        ]

    def crl_view(self, request, pk):
        anchor = get_object_or_404(TrustAnchor, pk=pk)
        form = CrlForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                signatures.trust_anchor_crl(actor=request.user, anchor=anchor, data=form.cleaned_data["crl"])
            except Refused as refused:
                for reason in refused.reasons:
                    form.add_error(None, reason)
            else:
                messages.success(request, _("Đã nạp danh sách thu hồi của %(name)s.") % {"name": anchor})
                return redirect("admin:documents_trustanchor_changelist")
        return render(
            request,
            "admin/service_form.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "opts": self.opts,
                "title": _("Nạp danh sách thu hồi (CRL) của %(name)s") % {"name": anchor},
            },
        )

    @admin.display(description=_("CRL"))
    def crl_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:documents_trustanchor_crl", args=[obj.pk]), _("Nạp CRL")
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), "crl_link"]


@admin.register(SignerCertificate)
class SignerCertificateAdmin(ServiceFormAdmin):
    add_form = CertificateForm
    add_title = _("Gắn chứng thư số với người ký hoặc cơ quan")
    list_display = ["subject_cn", "person", "agency", "issuer_cn", "not_after", "active"]
    search_fields = ["subject_cn", "person__full_name", "agency__name", "serial"]
    list_filter = ["active"]
    fields = [
        "subject_cn",
        "issuer_cn",
        "serial",
        "fingerprint",
        "not_before",
        "not_after",
        "person",
        "agency",
        "active",
    ]
    actions = ["deactivate", "reactivate"]

    def create(self, request, data):
        return signatures.certificate_add(
            actor=request.user, data=data["certificate"], person=data["person"], agency=data["agency"]
        )

    @admin.action(description=_("Thôi dùng các chứng thư đã chọn (không nhận chữ ký mới bằng chứng thư này)"))
    def deactivate(self, request, queryset):
        for certificate in queryset.filter(active=True):
            signatures.certificate_set_active(actor=request.user, certificate=certificate, active=False)
        messages.success(
            request,
            _("Đã thôi dùng các chứng thư đã chọn. Văn bản đã ký trước đó vẫn giữ nguyên chữ ký; dùng lại được."),
        )

    @admin.action(description=_("Dùng lại các chứng thư đã chọn"))
    def reactivate(self, request, queryset):
        for certificate in queryset.filter(active=False):
            signatures.certificate_set_active(actor=request.user, certificate=certificate, active=True)
        messages.success(request, _("Đã dùng lại các chứng thư đã chọn."))

    def has_change_permission(self, request, obj=None):
        # For the "thôi dùng" action only; the form itself stays read-only.
        return obj is None and request.user.is_authenticated and request.user.is_administrator


@admin.register(BodyKey)
class BodyKeyAdmin(ServiceFormAdmin):
    add_form = BodyKeyForm
    add_title = _("Nạp chữ ký số của cơ quan")
    list_display = ["agency", "kind", "certificate", "seal_diameter_mm", "active", "last_used_at"]
    fields = ["agency", "kind", "certificate", "module_path", "token_label", "key_label", "seal_diameter_mm", "active",
              "created_at", "last_used_at"]  # fmt: skip
    readonly_fields = fields

    def create(self, request, data):
        return signatures.body_key_add(
            actor=request.user,
            agency=data["agency"],
            seal_png=data["seal_image"],
            seal_diameter_mm=data["seal_diameter_mm"],
            pkcs12=data["pkcs12"],
            passphrase=data["passphrase"],
            module_path=data["module_path"],
            token_label=data["token_label"],
            key_label=data["key_label"],
            pin=data["pin"],
            certificate=data["certificate"],
        )


@admin.register(DocumentSigning)
class DocumentSigningAdmin(ReadOnlyAdmin):
    list_display = ["document", "status", "signer", "prepared_at", "signed_at", "sealed_at"]
    list_filter = ["status"]
    exclude = ["layout"]
