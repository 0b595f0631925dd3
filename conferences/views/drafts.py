"""Official documents drafted from a conference's or plan's data."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.views import ServiceActionView

from .. import selectors, services
from ..drafting import DRAFTERS, PLAN_DRAFTERS


class DraftView(ServiceActionView):
    """Draft a document from the data, or open the draft already made."""

    permission = "conferences.organise"

    def act(self):
        return services.owner_draft(actor=self.request.user, owner=self.object, kind=self.kwargs["kind"])

    drafters: dict = {}

    def post(self, request, *args, **kwargs):
        if kwargs["kind"] not in self.drafters:
            raise Http404
        return super().post(request, *args, **kwargs)

    def done_message(self, result):
        document, made = result
        if not made:
            messages.info(self.request, _("Đã có dự thảo; mở dự thảo đang soạn."))
            return ""
        return _("Đã soạn dự thảo từ dữ liệu. Sửa từng mục, xem trước bên phải, rồi ban hành.")

    def success_url(self, result):
        return reverse("documents:edit", args=[result[0].pk])


class ConferenceDraftView(DraftView):
    def permission_object(self):
        return selectors.conference_get(user=self.request.user, pk=self.kwargs["pk"])

    drafters = DRAFTERS

    def refused_url(self):
        return reverse("conferences:detail", args=[self.object.pk])


class PlanDraftView(DraftView):
    def permission_object(self):
        return selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])

    drafters = PLAN_DRAFTERS

    def refused_url(self):
        return reverse("conferences:plan-detail", args=[self.object.pk])
