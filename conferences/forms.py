from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.forms import agency_label, person_label, pick_agency, pick_kinds, pick_person
from agencies.models import Agency, AgencyKind, Person
from core.forms import ChoiceLabels, DateInput, FixedLabels, ScopedModelForm
from core.uploads import DUTY_FILE

from .models import (
    Award,
    BasisDocument,
    Conference,
    ConferenceKind,
    ConferenceStatus,
    ContentItem,
    Delegate,
    Duty,
    DutyAssignment,
    ImprovementPlan,
    Invitation,
    InviteeLine,
    ProgrammeItem,
)


class TimeInput(forms.TimeInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "time", **(attrs or {})}, format="%H:%M")


def _province_agencies(province_id, day=None, keep=()):
    """The units a picker offers: those active on the owner's day (today by
    default), and any already chosen, so editing never drops a value."""
    day = day or timezone.localdate()
    active = Agency.objects.filter(province_id=province_id).active_on(day)
    return (active | Agency.objects.filter(pk__in=[pk for pk in keep if pk])).distinct().order_by("kind", "name")


def _issuers(province_id):
    """Issuers of any period: an archive's 2024 document names a district
    dissolved in 2025. The period is shown; clean() checks it against the
    document's day."""
    return Agency.objects.filter(province_id=province_id).order_by("kind", "name")


class IndexYearsField(forms.CharField):
    """'2025' or '2024, 2025' → [2024, 2025]."""

    def __init__(self, **kwargs):
        super().__init__(required=False, help_text=_("Ví dụ: 2025, hoặc 2024, 2025."), **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        years = []
        for token in re.split(r"[,;\s]+", value or ""):
            if not token:
                continue
            if not token.isdigit() or not 2000 <= int(token) <= 2100:
                raise forms.ValidationError(_("“%(token)s” không phải là một năm hợp lệ.") % {"token": token})
            years.append(int(token))
        return sorted(set(years))


class ConferenceForm(ScopedModelForm):
    index_years = IndexYearsField(label=_("Năm chỉ số"))

    class Meta(ScopedModelForm.Meta):
        model = Conference
        fields = [
            "title",
            "kind",
            "issuing_authority",
            "focal_agency",
            "index_years",
            "date",
            "start_time",
            "end_time",
            "schedule_note",
            "time_tba",
            "reference_date",
            "reply_deadline",
            "venue",
            "venue_address",
            "venue_tba",
            "presentations_in",
            "checkin_days_before",
            "chair",
            "purposes",
            "requirements",
            "budget_note",
            "contact",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "date": DateInput(),
            "reply_deadline": DateInput(),
            "reference_date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "purposes": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "budget_note": forms.Textarea(attrs={"rows": 2}),
            "contact": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _pick_issuers(self)
        self.fields["date"].help_text = _("Thứ trong tuần được tính từ ngày, không cần nhập.")
        # Forms posted before the choice existed (API clients, an open tab)
        # keep what the conference has.
        self.fields["presentations_in"].required = False
        self.fields["checkin_days_before"].required = False

    def clean(self):
        data = super().clean()
        if not data.get("presentations_in"):
            data["presentations_in"] = self.instance.presentations_in
        if data.get("checkin_days_before") is None:
            data["checkin_days_before"] = self.instance.checkin_days_before
        date, deadline = data.get("date"), data.get("reply_deadline")
        if date and deadline and deadline >= date:
            self.add_error("reply_deadline", _("Hạn xác nhận tham dự phải trước ngày hội nghị."))
        _check_active_on(self, data, date or data.get("reference_date") or timezone.localdate())
        if date and not self.instance.pk and date < timezone.localdate():
            self.add_error("date", _("Ngày tổ chức đã qua."))
        return data


def _pick_issuers(form) -> None:
    """The issuer and the focal agency: units of any period (the period is
    shown), searched as the user types."""
    province_id = form.instance.province_id
    issuers = _issuers(province_id)
    labels = ChoiceLabels(issuers, agency_label)
    for name in ("issuing_authority", "focal_agency"):
        form.fields[name].queryset = issuers
        pick_agency(form, name, province_id=province_id, labels=labels)


def _check_active_on(form, data, day) -> None:
    """The issuer and the focal agency must exist on the owner's day."""
    for name in ("issuing_authority", "focal_agency"):
        agency = data.get(name)
        if agency is not None and not agency.active_on(day):
            form.add_error(
                name,
                _("%(name)s không hoạt động vào ngày %(day)s: chọn đơn vị của thời điểm đó, hoặc sửa ngày.")
                % {"name": agency.name, "day": day.strftime("%d/%m/%Y")},
            )


class ConferenceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Trích yếu, địa điểm…")}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả"))] + ConferenceStatus.choices
    )
    kind = forms.ChoiceField(
        label=_("Loại hội nghị"), required=False, choices=[("", _("Tất cả"))] + ConferenceKind.choices
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


class BoardFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Đơn vị"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên đơn vị…")}),
    )
    kind = forms.ChoiceField(label=_("Loại đơn vị"), required=False, choices=[("", _("Tất cả"))] + AgencyKind.choices)
    reply = forms.ChoiceField(
        label=_("Trả lời"), required=False, choices=[("", _("Tất cả"))] + Invitation.Reply.choices
    )
    overdue = forms.BooleanField(label=_("Có nhiệm vụ quá hạn"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name == "overdue":
                field.widget.attrs["class"] = "form-check-input"
            else:
                field.widget.attrs["class"] = (
                    "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )


# --- Lists edited as formsets -------------------------------------------------------------


class _ProvinceScopedForm(ScopedModelForm):
    """Agency and person choices limited to the owner's province."""

    wide_fields = ("text", "task", "title")
    # Fields that only matter for some values of the row's "target" select;
    # the page hides the others (static/js/portal.js).
    shown_for: dict[str, str] = {}

    def __init__(
        self,
        *args,
        province_id=None,
        as_of=None,
        keep=(),
        choice_cache: dict | None = None,
        opened: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.opened = opened
        if self.collapsed:
            return  # shown as one line: no field of it is rendered
        if "order" in self.fields:
            # Left empty, a new row goes last.
            self.fields["order"].required = False
            self.fields["order"].label = _("STT")
        # Agencies and people are pickers: the page holds only the chosen
        # values, whose labels every row of the formset reads at once (the
        # cache is shared through form_kwargs). The querysets still decide
        # what a posted value may be: the units of the owner's day, and any a
        # row already names (a unit dissolved since).
        cache = {} if choice_cache is None else choice_cache
        if Agency not in cache:
            cache[Agency] = ChoiceLabels(_province_agencies(province_id, as_of, keep=keep), agency_label)
            cache[Person] = ChoiceLabels(
                Person.objects.filter(agency__province_id=province_id).select_related("agency"), person_label
            )
            cache[AgencyKind] = FixedLabels(KIND_CHOICES)
        for name, field in self.fields.items():
            if name in ("group_kinds", "lead_kinds"):
                pick_kinds(self, name, labels=cache[AgencyKind])
            if not isinstance(field, forms.ModelChoiceField) or field.queryset.model not in cache:
                continue
            labels = cache[field.queryset.model]
            field.queryset = labels.queryset
            if labels.queryset.model is Agency:
                pick_agency(self, name, day=as_of or timezone.localdate(), province_id=province_id, labels=labels)
            else:
                pick_person(self, name, province_id=province_id, labels=labels)

        # The rows are rendered bare (conferences/_part_row.html): a list
        # of fifty rows must stay light, so the Bootstrap classes go here.
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if not isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    # A saved row posted by its id alone was never opened on the page (see
    # PartFormSet): it is kept as saved, neither checked again nor changed.
    untouched = False

    @property
    def collapsed(self) -> bool:
        """Shown as one line: a saved row not asked for by its "Sửa"."""
        return not self.opened and (self.untouched or (self.instance.pk is not None and not self.is_bound))

    def full_clean(self):
        if not self.untouched:
            return super().full_clean()
        self._errors = forms.utils.ErrorDict()
        delete = self.fields.get("DELETE")
        self.cleaned_data = {
            "DELETE": bool(
                delete and delete.widget.value_from_datadict(self.data, self.files, self.add_prefix("DELETE"))
            )
        }

    def has_changed(self):
        return not self.untouched and super().has_changed()

    def summary(self) -> str:
        """The saved row in one line, shown until the row is opened."""
        return str(self.instance)

    def clean_order(self):
        return self.cleaned_data.get("order") or 0


class BasisDocumentForm(_ProvinceScopedForm):
    class Meta(ScopedModelForm.Meta):
        model = BasisDocument
        fields = ["order", "lead", "doc_type", "number", "issued_on", "issuer", "title"]
        widgets = {"issued_on": DateInput(), "title": forms.Textarea(attrs={"rows": 2})}


class ContentItemForm(_ProvinceScopedForm):
    class Meta(ScopedModelForm.Meta):
        model = ContentItem
        fields = ["order", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ProgrammeItemForm(_ProvinceScopedForm):
    class Meta(ScopedModelForm.Meta):
        model = ProgrammeItem
        fields = ["order", "starts_at", "title", "speaker", "agency"]
        widgets = {"starts_at": TimeInput(), "title": forms.Textarea(attrs={"rows": 2})}


KIND_CHOICES = AgencyKind.choices


class InviteeLineForm(_ProvinceScopedForm):
    group_kinds = forms.MultipleChoiceField(label=_("Các loại đơn vị trong nhóm"), required=False, choices=KIND_CHOICES)

    shown_for = {
        "group_kinds": "group awardees",
        "group_under": "group",
        "agency": "agency members",
        "also": "agency",
        "person": "person",
    }

    class Meta(ScopedModelForm.Meta):
        model = InviteeLine
        fields = [
            "order",
            "section",
            "text",
            "target",
            "group_kinds",
            "group_under",
            "agency",
            "also",
            "person",
            "role",
            "quota",
            "quota_text",
            "separate_invitation",
        ]


class DutyForm(_ProvinceScopedForm):
    lead_kinds = forms.MultipleChoiceField(label=_("Hoặc nhóm đơn vị chủ trì"), required=False, choices=KIND_CHOICES)

    class Meta(ScopedModelForm.Meta):
        model = Duty
        fields = [
            "order",
            "section",
            "phase",
            "lead_agency",
            "lead_kinds",
            "lead_under",
            "lead_label",
            "coordinating",
            "task",
            "due_date",
            "due_time",
            "due_wording",
            "deliverable",
            "lists_presentations",
            "presentations_rest",
        ]
        widgets = {"due_date": DateInput(), "due_time": TimeInput(), "task": forms.Textarea(attrs={"rows": 3})}

    def summary(self) -> str:
        return f"{self.instance.lead_display}: {self.instance.task}"


class PlanDutyForm(DutyForm):
    class Meta(DutyForm.Meta):
        fields = [f for f in DutyForm.Meta.fields if f not in ("phase", "lists_presentations", "presentations_rest")]


class AwardForm(_ProvinceScopedForm):
    shown_for = {"recipient_name": "individual", "recipient_position": "individual"}

    class Meta(ScopedModelForm.Meta):
        model = Award
        fields = [
            "order",
            "kind",
            "agency",
            "recipient_name",
            "recipient_position",
            "award_name",
            "decision_ref",
            "citation",
        ]


class PartFormSet(forms.BaseInlineFormSet):
    """The rows of a list: a saved row shows as one line and is opened (its
    form fetched) only to be edited, so a list of fifty duties stays a light
    page. A saved row posted with nothing but its id and its "Xóa" box was
    never opened: it is kept as saved. A client posting every field of every
    row (as the page once did) is served exactly as before."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.is_bound and i < self.initial_form_count() and form.instance.pk is not None:
            posted = (
                form.add_prefix(name) in self.data
                for name, field in form.fields.items()
                if name != "DELETE" and not field.widget.is_hidden
            )
            form.untouched = not any(posted)
        return form


def part_formset(model, form, fk_name, extra=1):
    return forms.inlineformset_factory(
        Conference if fk_name == "conference" else ImprovementPlan,
        model,
        form=form,
        formset=PartFormSet,
        fk_name=fk_name,
        extra=extra,
        can_delete=True,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thay đổi thành phần mời"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi giấy mời đã gửi; được lưu cùng người và thời gian thay đổi."),
    )


# --- Transitions --------------------------------------------------------------------------------


class ConcludeForm(forms.Form):
    conclusions = forms.CharField(label=_("Kết luận hội nghị"), widget=forms.Textarea(attrs={"rows": 10}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 3}))


# --- Replies ------------------------------------------------------------------------------------------


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=_("Đơn vị tham dự hội nghị?"),
        widget=forms.RadioSelect,
        choices=[(Invitation.Reply.ATTENDING, _("Tham dự")), (Invitation.Reply.DECLINED, _("Không tham dự"))],
    )
    note = forms.CharField(label=_("Ghi chú gửi Sở Nội vụ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DelegateForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Delegate
        fields = ["full_name", "position", "phone", "email"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}


class BaseDelegateFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(kept) > self.max_num:
            raise forms.ValidationError(_("Đơn vị được cử tối đa %(n)02d đại biểu.") % {"n": self.max_num})

    def delegate_rows(self) -> list[dict]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            rows.append(
                {"id": form.instance.pk, **{k: data.get(k, "") for k in ("full_name", "position", "phone", "email")}}
            )
        return rows


def delegate_formset(quota: int, extra: int = 0):
    return forms.inlineformset_factory(
        Invitation,
        Delegate,
        form=DelegateForm,
        formset=BaseDelegateFormSet,
        extra=extra,
        min_num=0,
        max_num=quota,
        validate_max=True,
        can_delete=True,
    )


# --- Duty reports ---------------------------------------------------------------------------------------


class DutyReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        widget=forms.RadioSelect,
        choices=[
            (DutyAssignment.Status.IN_PROGRESS, _("Đang thực hiện")),
            (DutyAssignment.Status.DONE, _("Hoàn thành")),
        ],
    )
    note = forms.CharField(label=_("Nội dung đã thực hiện"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(
        label=_("Tệp kèm theo (không bắt buộc)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DUTY_FILE.accept}),
    )

    def clean_file(self):
        # What the file is (from its bytes) is judged by the service (core.uploads); the size is cheap to tell here.
        upload = self.cleaned_data.get("file")
        limit = settings.DUTY_FILE_MAX_BYTES
        if upload and upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


# --- Plans ------------------------------------------------------------------------------------------------


class PlanForm(ScopedModelForm):
    index_years = IndexYearsField(label=_("Năm chỉ số"))

    class Meta(ScopedModelForm.Meta):
        model = ImprovementPlan
        fields = [
            "title",
            "issuing_authority",
            "focal_agency",
            "year",
            "reference_date",
            "index_years",
            "background",
            "purposes",
            "requirements",
            "goals",
            "measures",
            "report_deadline",
            "report_instruction",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "report_deadline": DateInput(),
            "reference_date": DateInput(),
            **{
                f: forms.Textarea(attrs={"rows": 4})
                for f in ("background", "purposes", "requirements", "goals", "measures")
            },
            "report_instruction": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _pick_issuers(self)

    def clean(self):
        data = super().clean()
        year = data.get("year")
        day = data.get("reference_date") or (
            dt.date(year, 1, 1) if year and year < timezone.localdate().year else timezone.localdate()
        )
        _check_active_on(self, data, day)
        return data
