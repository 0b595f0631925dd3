from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ScopedModelForm

from .models import Document, Section


class DocumentForm(ScopedModelForm):
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


class SectionForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Section
        fields = ["part", "label", "heading", "landscape", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8, "class": "doc-editor font-monospace-sm", "spellcheck": "false"})
        }


SectionFormSet = forms.inlineformset_factory(
    Document, Section, form=SectionForm, extra=0, can_delete=True, can_order=False
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 3}))
