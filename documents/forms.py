from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from agencies.forms import pick_agency
from agencies.models import Agency, Person
from core.exceptions import Refused
from core.forms import DateInput, ScopedModelForm

from . import outlines
from .models import DocType, Document, OutlineTemplate, Section, Signing
from .selectors import signers
from .services import issuer_refusal, signed_pdf


class DocumentForm(ScopedModelForm):
    # Choosing these fills the signature lines on saving (see services.signature_refresh).
    SIGNER_FIELDS = ("signer", "signing", "collective")

    class Meta(ScopedModelForm.Meta):
        model = Document
        fields = [
            "doc_type",
            "type_name",
            "title",
            "parent_issuer_name",
            "issuer_name",
            "issuer_abbr",
            "drafting_unit_abbr",
            "place",
            "dated",
            "addressees",
            "signer",
            "signing",
            "collective",
            "authority_lines",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        widgets = {
            "dated": DateInput(),
            "title": forms.Textarea(attrs={"rows": 3}),
            "issuer_name": forms.Textarea(attrs={"rows": 2}),
            "addressees": forms.Textarea(attrs={"rows": 2}),
            "authority_lines": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        issuer = self.instance.issuer
        people = signers(issuer)
        if self.instance.signer_id and self.instance.signer not in people:
            people.append(self.instance.signer)
        field = self.fields["signer"]
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in people])
        field.choices = [("", _("— chưa chọn —"))] + [
            (p.pk, f"{p.full_name} — {p.position}" + ("" if p.agency_id == issuer.pk else f", {p.agency.name}"))
            for p in people
        ]
        field.help_text = _(
            "Lãnh đạo của %(issuer)s và của các đơn vị thuộc (ký TL., TUQ.). Chọn người ký rồi lưu: các dòng "
            "quyền hạn, chức vụ, họ tên điền theo Nghị định 30; vẫn sửa tay được."
        ) % {"issuer": issuer.name}
        self.fields["signing"].choices = [("", _("Theo chức vụ người ký"))] + list(Signing.choices)
        for name in ("signer", "signing"):
            self.fields[name].widget.attrs["class"] = "js-autosubmit"


class SectionForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Section
        fields = ["part", "label", "heading", "landscape", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8, "class": "doc-editor font-monospace-sm", "spellcheck": "false"})
        }

    def clean_text(self):
        # A browser sends "\r\n": stored as drafted, an untouched section stays the portal's.
        return self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")


SectionFormSet = forms.inlineformset_factory(
    Document, Section, form=SectionForm, extra=0, can_delete=True, can_order=False
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 3}))


class RegisterForm(forms.Form):
    """Vào sổ: a document signed outside the portal, with the number, symbol
    and date it was given. The service checks again what is checked here."""

    issuer = SafeModelChoiceField(label=_("Cơ quan ban hành"), queryset=Agency.objects.none())
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocType.choices)
    number = forms.IntegerField(label=_("Số"), min_value=1, max_value=999999)
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput())
    issuer_abbr = forms.CharField(
        label=_("Viết tắt cơ quan"),
        max_length=30,
        required=False,
        help_text=_("Trong ký hiệu; để trống thì lấy theo danh bạ (UBND, SNV…)."),
    )
    drafting_unit_abbr = forms.CharField(
        label=_("Đơn vị soạn thảo"),
        max_length=30,
        required=False,
        help_text=_("Chỉ với công văn: 123/UBND-NC."),
    )
    title = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120, required=False)
    file = forms.FileField(
        label=_("Tệp văn bản đã ký (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"empty": _("Tệp rỗng (0 byte). Hãy kiểm tra lại tệp rồi tải lên.")},
    )
    reason = forms.CharField(
        label=_("Lý do vào sổ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: văn bản ký giấy trước khi dùng cổng; ký trên hệ thống quản lý văn bản của tỉnh."),
        error_messages={"required": _("Hãy nêu lý do vào sổ.")},
    )

    def __init__(self, *args, issuers, **kwargs):
        super().__init__(*args, **kwargs)
        # Any period, searched as the user types (the period is shown).
        self.fields["issuer"].queryset = issuers
        pick_agency(self, "issuer")
        self.fields["file"].help_text = _(
            "Bản quét hoặc bản ký số; tối đa %(max)s. Không bắt buộc nhưng nên có, để tải về như văn bản khác."
        ) % {"max": filesizeformat(settings.REGISTERED_FILE_MAX_BYTES)}

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày ban hành chưa tới: chỉ vào sổ văn bản đã ký."))
        return day

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                signed_pdf(upload)
            except Refused as refused:
                raise forms.ValidationError(refused.reasons) from None
        return upload

    def clean(self):
        data = super().clean()
        issuer, day = data.get("issuer"), data.get("issued_on")
        if issuer is not None and day is not None and (refusal := issuer_refusal(issuer, day)):
            self.add_error("issuer", refusal)
        return data


# --- Outline editor ---------------------------------------------------------------------------

DEPTHS = [(0, "1"), (1, "2"), (2, "3"), (3, "4")]


class NodeForm(forms.Form):
    """One line of an outline: where it sits, how it is numbered, what it is
    called and what it prints (a piece of data, or text typed here)."""

    key = forms.CharField(widget=forms.HiddenInput, required=False)
    order = forms.IntegerField(label=_("STT"), required=False, min_value=0)
    depth = forms.TypedChoiceField(label=_("Cấp"), choices=DEPTHS, coerce=int, initial=0)
    style = forms.ChoiceField(label=_("Đánh số"), choices=outlines.STYLES, required=False, initial="1")
    title = forms.CharField(label=_("Tiêu đề (in ra)"), required=False, max_length=300)
    piece = forms.ChoiceField(label=_("Dữ liệu"), required=False)
    text = forms.CharField(
        label=_("Nội dung tự nhập"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In nguyên văn như gõ."),
    )
    inline = forms.BooleanField(label=_("In cùng dòng tiêu đề"), required=False)
    items = forms.ChoiceField(label=_("Đánh số các ý"), choices=outlines.STYLES, required=False, initial="-")
    subitems = forms.ChoiceField(label=_("Đánh số ý con"), choices=outlines.STYLES, required=False, initial="+")
    bold = forms.BooleanField(label=_("In đậm tiêu đề"), required=False)
    part = forms.ChoiceField(
        label=_("Phần"), choices=[(outlines.BODY, _("Nội dung")), (outlines.APPENDIX, _("Phụ lục"))], initial="body"
    )
    name = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pieces: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["piece"].choices = [("", _("— nội dung tự nhập —"))] + [
            (key, piece.label) for key, piece in (pieces or {}).items()
        ]


class BaseNodeFormSet(forms.BaseFormSet):
    def nodes(self) -> list[dict]:
        """The rows kept, in the order typed (rows without a number keep
        their place), as the outline's nodes."""
        kept = [
            (form.cleaned_data.get("order"), index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.has_changed() or form.initial
            if not form.cleaned_data.get("DELETE")
        ]
        # A row given a new number goes before the row that had it.
        kept.sort(key=lambda row: (row[1] + 1 if row[0] is None else row[0], row[0] in (None, row[1] + 1), row[1]))
        return [
            {name: value for name, value in data.items() if name not in ("order", "DELETE")} for _o, _i, data in kept
        ]


NodeFormSet = forms.formset_factory(NodeForm, formset=BaseNodeFormSet, extra=0, can_delete=True)


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Mẫu dàn ý"), queryset=OutlineTemplate.objects.none())

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        templates = OutlineTemplate.objects.filter(issuer=document.issuer, purpose=document.purpose)
        self.fields["template"].queryset = templates
        # The one new drafts start from is shown, not an empty choice.
        self.fields["template"].initial = templates.order_by("-updated_at", "-pk").first()
        self.fields["template"].empty_label = None
        self.fields["template"].help_text = _("Văn bản mới của cơ quan bắt đầu từ mẫu lưu gần nhất (hiện đang chọn).")
