from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Preference, ReminderPolicy


class DaysField(forms.CharField):
    def prepare_value(self, value):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else value

    def clean(self, value):
        value = super().clean(value)
        days = []
        for token in re.split(r"[,;\s]+", value or ""):
            if not token:
                continue
            if not token.isdigit() or int(token) > 60:
                raise forms.ValidationError(_("“%(token)s” không phải số ngày hợp lệ (0 đến 60).") % {"token": token})
            days.append(int(token))
        return sorted(set(days), reverse=True)


class HolidaysField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(dt.date.fromisoformat(v).strftime("%d/%m/%Y") for v in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        days = []
        for token in re.split(r"[,;\s]+", value or ""):
            if not token:
                continue
            try:
                days.append(dt.datetime.strptime(token, "%d/%m/%Y").date().isoformat())
            except ValueError:
                raise forms.ValidationError(_("“%(token)s” không phải ngày dạng dd/mm/yyyy.") % {"token": token}) from None
        return sorted(set(days))


class PolicyForm(forms.ModelForm):
    days_before = DaysField(label=_("Nhắc trước hạn (số ngày)"), help_text=_("Ví dụ: 7, 3, 1, 0 — 0 là đúng ngày hạn."))
    holidays = HolidaysField(label=_("Ngày nghỉ lễ không gửi"), required=False,
                             help_text=_("Dạng dd/mm/yyyy, cách nhau bởi dấu phẩy."))

    class Meta:
        model = ReminderPolicy
        fields = ["days_before", "send_time", "overdue_every", "overdue_max", "skip_weekends", "holidays"]
        widgets = {"send_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}
