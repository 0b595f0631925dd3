from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.forms import agency_label, pick_agency
from agencies.models import Agency
from core.forms import ChoiceLabels, DateInput, ScopedModelForm
from core.uploads import EVIDENCE, SPREADSHEET, TABLE, inspect_upload

from .models import Adjustment, IndexKind, NationalIndex, NationalResult, Score
from .scoring import parse_score


class OpenForm(forms.Form):
    deadline = forms.DateField(
        label=_("Hạn gửi tự đánh giá"),
        widget=DateInput(),
        required=False,
        help_text=_("Cán bộ các đơn vị được nhắc hạn theo lịch nhắc của Sở."),
    )


class SpreadsheetUploadForm(forms.Form):
    """A spreadsheet to import: what it is is read from its bytes (core.uploads)."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        inspect_upload(upload, use=SPREADSHEET, max_bytes=settings.SPREADSHEET_MAX_BYTES)  # UploadRejected
        return upload


class ImportForm(SpreadsheetUploadForm):
    file = forms.FileField(
        label=_("Tệp kết quả (.xlsx, .xls, .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEET.accept}),
        help_text=_("Dùng tệp mẫu tải ở trên: mỗi dòng một đơn vị, mỗi cột một tiêu chí."),
    )
    round = forms.ChoiceField(
        label=_("Nhập vào"),
        # Round 1 is frozen when the explanation opens: it is never imported into.
        choices=[(Score.Round.SELF, Score.Round.SELF.label), (Score.Round.APPRAISED, _("Thẩm định (vòng đang chấm)"))],
        initial=Score.Round.APPRAISED,
        widget=forms.RadioSelect,
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
        labels = ChoiceLabels(agencies, agency_label)  # every criterion's chosen agency, read at once
        self.criteria = criteria
        for criterion in criteria:
            field = forms.ModelChoiceField(
                queryset=agencies,
                required=False,
                label=f"{criterion.code}. {criterion.name}",
                empty_label=_("— theo lĩnh vực —") if criterion.level > 1 else _("— chưa phân công —"),
            )
            responsibility = current.get(criterion.code)
            field.initial = responsibility.agency_id if responsibility else None
            field.criterion = criterion
            name = f"c{criterion.pk}"
            self.fields[name] = field
            pick_agency(
                self,
                name,
                day=timezone.localdate(),
                province_id=province.pk,
                labels=labels,
                placeholder=str(field.empty_label),
            )

    def mapping(self) -> dict:
        return {field.criterion.code: self.cleaned_data.get(name) for name, field in self.fields.items()}


class NationalImportForm(forms.Form):
    """A national table (the province's own page, or every province's): CSV
    or a spreadsheet, judged from its bytes. The year and index are asked
    for the columns that do not say them."""

    file = forms.FileField(
        label=_("Bảng kết quả (.csv, .xlsx, .xls, .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": TABLE.accept}),
        help_text=_(
            "Bảng như Bộ Nội vụ công bố: mỗi dòng một tỉnh, thành phố (cột “Tỉnh, thành phố”), cột kết quả và "
            "xếp hạng; có thể kèm cột của năm trước (“Điểm 2023”, “Xếp hạng 2023”). Hoặc bảng tải từ trang này."
        ),
    )
    year = forms.IntegerField(
        label=_("Năm đánh giá"),
        required=False,
        min_value=2012,
        help_text=_("Khi tiêu đề cột không ghi năm và bảng không có cột “Năm”."),
    )
    index = forms.ChoiceField(
        label=_("Chỉ số"),
        required=False,
        help_text=_("Khi tiêu đề cột không ghi tên chỉ số và bảng không có cột “Chỉ số”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        self.fields["index"].choices = [
            ("", _("— Theo bảng —")),
            *NationalIndex.objects.values_list("code", "name"),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        inspect_upload(upload, use=TABLE, max_bytes=settings.SPREADSHEET_MAX_BYTES)  # UploadRejected
        return upload


class RankingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm đơn vị"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên, tên viết tắt hoặc mã…"), "class": "form-control"}
        ),
    )
    vong = forms.CharField(required=False, widget=forms.HiddenInput)
    tinh = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # What the page is of (the round, an administrator's province) goes
        # along with a search; when the page has none, nothing is sent.
        for name in ("vong", "tinh"):
            if not (data or {}).get(name):
                del self.fields[name]


class ExplanationOpenForm(forms.Form):
    deadline = forms.DateField(
        label=_("Hạn giải trình"),
        widget=DateInput(),
        help_text=_("Đơn vị gửi giải trình đến hết ngày này; sau đó Sở thẩm định lần 2."),
    )


class AdjustmentForm(forms.Form):
    """A bonus or penalty: only the kinds the framework caps (a framework
    without a cap has none of that kind)."""

    kind = forms.ChoiceField(label=_("Loại"))
    points = forms.CharField(
        label=_("Số điểm"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Dùng dấu phẩy: 0,5."),
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE.accept}),
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        caps = {Adjustment.Kind.BONUS: framework.bonus_cap, Adjustment.Kind.PENALTY: framework.penalty_cap}
        self.fields["kind"].choices = [(kind.value, kind.label) for kind, cap in caps.items() if cap is not None]

    @property
    def has_kinds(self) -> bool:
        return bool(self.fields["kind"].choices)

    def clean_points(self):
        try:
            value = parse_score(self.cleaned_data["points"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if value is None or value <= 0:
            raise forms.ValidationError(_("Số điểm phải lớn hơn 0."))
        return value
