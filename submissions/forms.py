from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from agencies.forms import agency_label, pick_agency
from agencies.models import Agency, AgencyKind
from conferences.forms import TimeInput
from core.forms import ChoiceLabels, DateInput, ScopedModelForm
from core.uploads import PRESENTATION
from notifications.forms import DaysField

from .models import Assignment, Review


class AssignmentForm(ScopedModelForm):
    reminder_days = DaysField(
        label=_("Nhắc riêng cho tham luận này (số ngày trước hạn)"),
        required=False,
        help_text=_("Ví dụ: 5, 2, 0. Bỏ trống: theo lịch nhắc của hội nghị."),
    )
    group_kinds = forms.MultipleChoiceField(
        label=_("Các loại đơn vị"), choices=AgencyKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(ScopedModelForm.Meta):
        model = Assignment
        fields = [
            "topic",
            "guidance",
            "assignee",
            "agency",
            "group_label",
            "group_kinds",
            "group_under",
            "due_date",
            "due_time",
            "programme_item",
            "allow_late",
            "reminder_days",
        ]
        widgets = {
            "topic": forms.Textarea(attrs={"rows": 3}),
            "guidance": forms.Textarea(attrs={"rows": 4}),
            "due_date": DateInput(),
            "due_time": TimeInput(),
        }

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.conference = conference
        chosen = [self.instance.agency_id, self.instance.group_under_id]
        agencies = (
            Agency.objects.filter(province_id=conference.province_id).active_on(conference.as_of)
            | Agency.objects.filter(pk__in=[pk for pk in chosen if pk])
        ).distinct()
        self.fields["agency"].queryset = agencies.order_by("kind", "name")
        self.fields["group_under"].queryset = agencies.order_by("kind", "name")
        self.fields["group_under"].required = False
        self.fields["agency"].required = False
        labels = ChoiceLabels(agencies, agency_label)
        for name in ("agency", "group_under"):
            pick_agency(self, name, day=conference.as_of, province_id=conference.province_id, labels=labels)
        self.fields["programme_item"].queryset = conference.programme_items.all()
        self.fields["programme_item"].label_from_instance = lambda item: item.title[:90]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp tham luận"),
        widget=forms.ClearableFileInput(attrs={"accept": PRESENTATION.accept}),
        error_messages={
            "required": _("Hãy chọn tệp tham luận để gửi."),
            "empty": _("Tệp rỗng (0 byte). Hãy kiểm tra lại tệp rồi tải lên."),
        },
    )
    note = forms.CharField(
        label=_("Ghi chú gửi Sở Nội vụ (không bắt buộc)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, on_behalf: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            self.fields["note"].label = _("Ghi chú (ví dụ: nhận qua thư điện tử ngày …)")
        self.fields["file"].help_text = _("PDF, Word (DOCX, DOC), PowerPoint (PPTX) hoặc ODT; tối đa %(max)s.") % {
            "max": filesizeformat(settings.PRESENTATION_MAX_BYTES)
        }


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Quyết định"), choices=Review.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Nhận xét gửi đơn vị"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi yêu cầu chỉnh sửa hoặc không chấp nhận."),
    )
