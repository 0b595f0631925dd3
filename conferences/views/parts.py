"""The lists a conference or plan holds (basis documents, content,
programme, invitee lines, duties, awards), each edited on one page as the
document will print them, in order."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from agencies.models import Agency
from core.forms import formset_rows
from core.permissions import PermissionMixin
from core.views import call_service

from .. import forms, selectors, services
from ..models import Award, BasisDocument, ContentItem, Duty, InviteeLine, ProgrammeItem


@dataclass(frozen=True)
class Part:
    key: str  # the service's name for the list
    model: type
    form: type
    title: str


CONFERENCE_PARTS = {
    "can-cu": Part("basis", BasisDocument, forms.BasisDocumentForm, gettext_lazy("Văn bản căn cứ")),
    "noi-dung": Part("content", ContentItem, forms.ContentItemForm, gettext_lazy("Nội dung hội nghị")),
    "chuong-trinh": Part("programme", ProgrammeItem, forms.ProgrammeItemForm, gettext_lazy("Chương trình hội nghị")),
    "thanh-phan": Part("invitees", InviteeLine, forms.InviteeLineForm, gettext_lazy("Thành phần mời")),
    "nhiem-vu": Part("duties", Duty, forms.DutyForm, gettext_lazy("Tổ chức thực hiện (nhiệm vụ)")),
    "khen-thuong": Part("awards", Award, forms.AwardForm, gettext_lazy("Khen thưởng")),
}
PLAN_PARTS = {
    "can-cu": Part("basis", BasisDocument, forms.BasisDocumentForm, gettext_lazy("Văn bản căn cứ")),
    "nhiem-vu": Part("duties", Duty, forms.PlanDutyForm, gettext_lazy("Nhiệm vụ của các cơ quan, đơn vị")),
}


class PartFormsetView(PermissionMixin, View):
    """Edit one list of a conference at once: the rows as printed, in order."""

    permission = "conferences.organise"
    template_name = "conferences/part_form.html"
    parts = CONFERENCE_PARTS
    owner_fk = "conference"

    def permission_object(self):
        owner = selectors.conference_get(user=self.request.user, pk=self.kwargs["pk"])
        if not owner.is_open:
            raise PermissionDenied
        return owner

    def dispatch(self, request, *args, **kwargs):
        if kwargs["part"] not in self.parts:
            raise Http404
        self.part = self.parts[kwargs["part"]]
        return super().dispatch(request, *args, **kwargs)

    def formset(self, data=None, files=None, opened=False):
        existing = self.part.model.objects.filter(**{self.owner_fk: self.object}).exists()
        formset_class = forms.part_formset(self.part.model, self.part.form, self.owner_fk, extra=0 if existing else 1)
        model = self.part.model
        many = [f.name for f in model._meta.many_to_many]
        # A saved row's one-line summary names its agency (a duty's lead).
        named = [f.name for f in model._meta.fields if f.many_to_one and f.related_model is Agency]
        rows = model.objects.filter(**{self.owner_fk: self.object}).select_related(*named).prefetch_related(*many)
        # The pickers offer the units of the owner's day, and keep any a row
        # already names (a unit dissolved since).
        agency_fields = [f.attname for f in model._meta.fields if f.is_relation and f.related_model is Agency]
        keep = {pk for values in rows.values_list(*agency_fields) for pk in values} if agency_fields else set()
        return formset_class(
            data,
            files,
            instance=self.object,
            queryset=rows,
            prefix="rows",
            form_kwargs={
                "province_id": self.object.province_id,
                "as_of": self.object.as_of,
                "keep": keep,
                "choice_cache": {},
                "opened": opened,
            },
        )

    def expansions(self):
        """Who each saved invitee line (or duty led by a group) reaches on
        the owner's day, and what looks wrong, shown beside the rows."""
        if self.part.key == "duties":
            return selectors.duty_expansions(self.object)
        if self.owner_fk != "conference" or self.part.key != "invitees":
            return None
        lines = selectors.line_expansions(self.object)
        return {"lines": lines, "warnings": selectors.invitee_warnings(self.object, lines)}

    def needs_reason(self):
        return self.owner_fk == "conference" and self.part.key == "invitees" and self.object.invitations_out

    def render_page(self, formset, reason_form=None):
        return render(
            self.request,
            self.template_name,
            {
                "owner": self.object,
                "formset": formset,
                "title": self.part.title,
                "part": self.part.key,
                "reason_form": reason_form,
                "owner_kind": self.owner_fk,
                "expansions": self.expansions(),
            },
        )

    def get(self, request, pk, part):
        if "dong" in request.GET:
            return self.open_row(request.GET["dong"], request.GET.get("i", ""))
        return self.render_page(self.formset(), forms.ReasonForm() if self.needs_reason() else None)

    def open_row(self, row_pk: str, index: str):
        """The form of one saved row, as the i-th of the page's formset: what
        "Sửa" puts in place of the row's line."""
        if not row_pk.isdigit() or not index.isdigit():
            raise Http404
        formset = self.formset(opened=True)
        formset.queryset = formset.queryset.filter(pk=row_pk)
        if not formset.forms:
            raise Http404
        form = formset.forms[0]
        form.prefix = formset.add_prefix(int(index))
        return render(self.request, "conferences/_part_row.html", {"form": form})

    def post(self, request, pk, part):
        formset = self.formset(request.POST, request.FILES)
        reason_form = forms.ReasonForm(request.POST) if self.needs_reason() else None
        if formset.is_valid() and (reason_form is None or reason_form.is_valid()):
            rows, deleted = formset_rows(formset)
            reason = reason_form.cleaned_data["reason"] if reason_form else ""
            done = _("Đã lưu: %(part)s.") % {"part": self.part.title}
            if call_service(request, self.save, rows=rows, deleted=deleted, reason=reason, done=done).ok:
                return redirect(self.success_url())
        return self.render_page(formset, reason_form)

    def save(self, rows, deleted, reason):
        services.conference_part_save(
            actor=self.request.user,
            conference=self.object,
            part=self.part.key,
            rows=rows,
            deleted=deleted,
            reason=reason,
        )

    def success_url(self):
        return reverse("conferences:detail", args=[self.object.pk]) + f"#{self.part.key}"


class PlanPartFormsetView(PartFormsetView):
    parts = PLAN_PARTS
    owner_fk = "plan"

    def permission_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    def save(self, rows, deleted, reason):
        services.plan_part_save(
            actor=self.request.user, plan=self.object, part=self.part.key, rows=rows, deleted=deleted
        )

    def success_url(self):
        return reverse("conferences:plan-detail", args=[self.object.pk]) + f"#{self.part.key}"
