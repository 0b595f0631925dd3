"""What every app's views share: one way to call a service and show its
refusal, file responses, and the safe "next" redirect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from . import audit, selectors
from .exceptions import Refused
from .forms import DateInput
from .permissions import PermissionMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_refusal(request, refused: Refused, form=None, field: str | None = None) -> None:
    """Every reason of a refusal: on the form when there is one (beside what
    was typed, under `field` when it speaks of one), else as error messages
    on the next page."""
    for reason in refused.reasons:
        if form is not None:
            form.add_error(field, reason)
        else:
            messages.error(request, reason)


@dataclass
class Outcome:
    ok: bool
    value: Any = None


def call_service(request, service, /, *, done: str = "", form=None, field=None, **kwargs) -> Outcome:
    """Call one service. A refusal becomes messages (or the form's errors) and
    `ok` is False; otherwise `done`, when given, is shown as a success."""
    try:
        value = service(**kwargs)
    except Refused as refused:
        show_refusal(request, refused, form=form, field=field)
        return Outcome(ok=False)
    if done:
        messages.success(request, done)
    return Outcome(ok=True, value=value)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def safe_next(request, fallback: str) -> str:
    """The page to go back to: `next` when it is on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback


class AuditForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    thao_tac = forms.ChoiceField(label=_("Thao tác"), required=False)
    nguoi = forms.ChoiceField(label=_("Người thực hiện"), required=False)
    loai = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    tu_ngay = forms.DateField(
        label=_("Từ ngày"), required=False, widget=DateInput(attrs={"class": "form-control js-date"})
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"), required=False, widget=DateInput(attrs={"class": "form-control js-date"})
    )
    doi_tuong = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        self.fields["thao_tac"].choices = everything + selectors.action_choices()
        self.fields["nguoi"].choices = everything + selectors.actor_choices(user=user)
        self.fields["loai"].choices = everything + selectors.kind_choices(user=user)


class AuditListView(PermissionMixin, ListView):
    """Nhật ký thay đổi: who changed what, when, from where. Administrators
    read every province's; organisers their own."""

    permission = "core.view_audit"
    template_name = "core/audit_list.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        self.form = AuditForm(self.request.GET or None, user=self.request.user)
        f = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.audit_list(
            user=self.request.user,
            search=f.get("q") or "",
            action=f.get("thao_tac") or "",
            actor=f.get("nguoi") or "",
            kind=f.get("loai") or "",
            since=f.get("tu_ngay"),
            until=f.get("den_ngay"),
            target=f.get("doi_tuong") or "",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for entry in context["entries"]:
            entry.label = audit.action_label(entry.action)
            entry.changes = selectors.changes(entry)
        query = self.request.GET.copy()
        query.pop("page", None)
        return {**context, "form": self.form, "querystring": query.urlencode()}


class ServiceActionView(PermissionMixin, View):
    """A button: a POST that calls one service on the row the view reads,
    shows its refusal or its success, and goes back to a page."""

    http_method_names = ["post"]
    done = ""

    def act(self):
        raise NotImplementedError

    def done_message(self, result) -> str:
        return str(self.done)

    def success_url(self, result) -> str:
        raise NotImplementedError

    def refused_url(self) -> str:
        return self.success_url(None)

    def post(self, request, *args, **kwargs):
        outcome = call_service(request, self.act)
        if not outcome.ok:
            return redirect(self.refused_url())
        message = self.done_message(outcome.value)
        if message:
            messages.success(request, message)
        return redirect(self.success_url(outcome.value))
