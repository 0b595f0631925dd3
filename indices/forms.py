from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import agencies_by_kind, group_agencies_by_kind
from agencies.models import Agency
from core.forms import DateInput, ScopedModelForm

from .models import IndexKind, NationalResult, Score
from .scoring import parse_score


class OpenForm(forms.Form):
    deadline = forms.DateField(
        label=_("Hạn gửi tự đánh giá"),
        widget=DateInput(),
        required=False,
        help_text=_("Cán bộ các đơn vị được nhắc hạn theo lịch nhắc của Sở."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kết quả (.xlsx, .xls, .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}),
        help_text=_("Dùng tệp mẫu tải ở trên: mỗi dòng một đơn vị, mỗi cột một tiêu chí."),
    )
    round = forms.ChoiceField(
        label=_("Nhập vào"), choices=Score.Round.choices, initial=Score.Round.APPRAISED, widget=forms.RadioSelect
    )


class NationalResultForm(ScopedModelForm):
    score = forms.CharField(label=_("Kết quả"), help_text=_("Điểm (PAR INDEX) hoặc phần trăm (SIPAS): 85,97."))

    class Meta(ScopedModelForm.Meta):
        model = NationalResult
        fields = ["year", "index", "score", "rank", "out_of", "source"]
        widgets = {"index": forms.Select(choices=IndexKind.choices)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["index"].widget.choices = [("", _("— Chọn chỉ số —")), *IndexKind.choices]

    def clean_score(self):
        try:
            value = parse_score(self.cleaned_data["score"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if value is None:
            raise forms.ValidationError(_("Nhập kết quả."))
        if not 0 <= value <= 100:
            raise forms.ValidationError(_("Kết quả phải từ 0 đến 100."))
        return value

    def clean(self):
        data = super().clean()
        rank, out_of, year = data.get("rank"), data.get("out_of"), data.get("year")
        if year and out_of and out_of != NationalResult.provinces_in(year):
            self.add_error(
                "out_of",
                _("Năm %(year)s xếp hạng trên %(expected)s tỉnh, thành phố.")
                % {"year": year, "expected": NationalResult.provinces_in(year)},
            )
        elif rank and out_of and rank > out_of:
            self.add_error(
                "rank", _("Xếp hạng %(rank)s lớn hơn tổng số %(out_of)s.") % {"rank": rank, "out_of": out_of}
            )
        return data


class ResponsibilityForm(forms.Form):
    """One select per field and criterion of the framework: who answers for it."""

    def __init__(self, *args, criteria, province, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(province=province).active().order_by("kind", "name")
        grouped = agencies_by_kind(agencies)  # read once for every criterion's select
        self.criteria = criteria
        for criterion in criteria:
            field = forms.ModelChoiceField(
                queryset=agencies,
                required=False,
                label=f"{criterion.code}. {criterion.name}",
                empty_label=_("— theo lĩnh vực —") if criterion.level > 1 else _("— chưa phân công —"),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            group_agencies_by_kind(field, grouped)
            responsibility = current.get(criterion.code)
            field.initial = responsibility.agency_id if responsibility else None
            field.criterion = criterion
            self.fields[f"c{criterion.pk}"] = field

    def mapping(self) -> dict:
        return {field.criterion.code: self.cleaned_data.get(name) for name, field in self.fields.items()}


class NationalImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bảng kết quả (.xlsx, .xls, .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}),
        help_text=_("Các cột: Năm, Chỉ số, Kết quả, Xếp hạng, Trên tổng số, Văn bản công bố."),
    )
