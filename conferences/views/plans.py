"""Improvement plans: list, form, page, steps, duties from the index."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from core.permissions import PermissionMixin
from core.views import ServiceActionView
from documents.selectors import documents_for_source
from notifications import selectors as notification_selectors

from .. import forms, reminders, selectors, services
from ..models import ImprovementPlan
from ..workflows import PLAN
from .conferences import OwnerFormView


class PlanMixin(PermissionMixin):
    permission = "conferences.organise"

    def permission_object(self) -> ImprovementPlan:
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])


class PlanListView(PermissionMixin, ListView):
    permission = "conferences.view_work"
    template_name = "conferences/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user, search=self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs, can_create=user.has_perm("conferences.organise", user.province))


class PlanFormView(OwnerFormView):
    template_name = "conferences/plan_form.html"
    form_class = forms.PlanForm
    context_name = "plan"
    done_message = gettext_lazy("Đã lưu kế hoạch.")
    detail_url = "conferences:plan-detail"

    def existing(self, pk):
        return selectors.plan_get(user=self.request.user, pk=pk)

    def new(self, **defaults):
        return ImprovementPlan(year=timezone.localdate().year, **defaults)

    def save(self, owner):
        return services.plan_save(actor=self.request.user, plan=owner)


class PlanDetailView(PlanMixin, TemplateView):
    permission = "conferences.view_work"
    template_name = "conferences/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan, user = self.object, self.request.user
        organiser = user.has_perm("conferences.organise", plan)
        return super().get_context_data(
            reminder_counts=notification_selectors.scope_counts(reminders.scope_of(plan)) if organiser else None,
            plan=plan,
            basis=plan.basis_documents.all(),
            duties=selectors.duty_list(owner_filter=Q(plan=plan)),
            board=selectors.plan_board_rows(plan),
            totals=selectors.duty_totals(Q(duty__plan=plan)),
            can_edit=organiser and plan.status != ImprovementPlan.Status.CLOSED,
            actions=PLAN.allowed(plan, user),
            documents=documents_for_source(plan),
            can_draft=organiser,
            drafts=[("ke-hoach", gettext_lazy("Soạn văn bản kế hoạch"))],
            **kwargs,
        )


class PlanTransitionView(PlanMixin, ServiceActionView):
    services = {"activate": services.plan_activate, "close": services.plan_close}

    def transition(self):
        for transition in PLAN.transitions:
            if transition.slug == self.kwargs["action"]:
                return transition
        raise Http404

    def act(self):
        return self.services[self.transition().name](actor=self.request.user, plan=self.object)

    def done_message(self, result):
        return str(self.transition().done)

    def success_url(self, result):
        return reverse("conferences:plan-detail", args=[self.object.pk])


class PlanDutiesFromIndexView(PlanMixin, ServiceActionView):
    def act(self):
        return services.plan_duties_from_index(actor=self.request.user, plan=self.object)

    def done_message(self, result):
        made, warning = result
        if warning:
            messages.warning(self.request, warning)
        if made:
            return _("Đã lập %(count)s nhiệm vụ từ các tiêu chí bị mất điểm.") % {"count": made}
        messages.info(self.request, _("Mọi cơ quan chủ trì đã có nhiệm vụ khắc phục trong kế hoạch; không lập thêm."))
        return ""

    def success_url(self, result):
        return reverse("conferences:plan-detail", args=[self.object.pk]) + "#duties"
