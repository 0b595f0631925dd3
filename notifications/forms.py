from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ScopedModelForm

from .models import Preference, ReminderPolicy


class TokenListField(forms.CharField):
    """A list typed as "7, 3, 1" (commas, semicolons or spaces): each token is
    read by `read`, which raises ValueError with nothing to say but "invalid"."""

    message = _("“%(token)s” không hợp lệ.")

    def read(self, token: str):
        raise NotImplementedError

    def show(self, item) -> str:
        return str(item)

    def prepare_value(self, value):
        return ", ".join(self.show(v) for v in value) if isinstance(value, list) else value

    def clean(self, value):
        items = []
        for token in re.split(r"[,;\s]+", super().clean(value) or ""):
            if token:
                try:
                    items.append(self.read(token))
                except ValueError:
                    raise forms.ValidationError(self.message % {"token": token}) from None
        return self.arrange(set(items))

    def arrange(self, items: set) -> list:
        return sorted(items)


class DaysField(TokenListField):
    message = _("“%(token)s” không phải số ngày hợp lệ (0 đến 60).")

    def read(self, token):
        if not token.isdigit() or int(token) > 60:
            raise ValueError(token)
        return int(token)

    def arrange(self, items):
        return sorted(items, reverse=True)


class HolidaysField(TokenListField):
    message = _("“%(token)s” không phải một ngày có thật (viết dạng dd/mm/yyyy).")

    def read(self, token):
        return dt.datetime.strptime(token, "%d/%m/%Y").date().isoformat()

    def show(self, item):
        return dt.date.fromisoformat(item).strftime("%d/%m/%Y")


class PolicyForm(ScopedModelForm):
    days_before = DaysField(label=_("Nhắc trước hạn (số ngày)"), help_text=_("Ví dụ: 7, 3, 1, 0 — 0 là đúng ngày hạn."))
    holidays = HolidaysField(
        label=_("Ngày nghỉ lễ không gửi"), required=False, help_text=_("Dạng dd/mm/yyyy, cách nhau bởi dấu phẩy.")
    )

    class Meta(ScopedModelForm.Meta):
        model = ReminderPolicy
        fields = ["days_before", "send_time", "overdue_every", "overdue_max", "skip_weekends", "holidays"]
        widgets = {"send_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class PreferenceForm(ScopedModelForm):
    class Meta(ScopedModelForm.Meta):
        model = Preference
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}


class RemindNowForm(forms.Form):
    force = forms.BooleanField(
        label=_("Nhắc thêm lần nữa cả những đơn vị đã được nhắc hôm nay"),
        required=False,
    )
    reason = forms.CharField(
        label=_("Lý do nhắc thêm"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ghi vào nhật ký cùng người yêu cầu."),
    )

    def clean(self):
        data = super().clean()
        if data.get("force") and not data.get("reason", "").strip():
            self.add_error("reason", _("Nhắc thêm lần nữa trong ngày cần ghi lý do."))
        return data
