"""Sending the invitations: one page that says what is missing, lists each
invited agency with where its copy goes and how far it got, and sends."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.views import call_service

from .. import selectors, services
from .conferences import ConferenceMixin


class SendInvitationsView(ConferenceMixin, TemplateView):
    template_name = "conferences/send_invitations.html"

    def get_context_data(self, **kwargs):
        conference = self.object
        document = selectors.invitation_document(conference)
        rows = selectors.sending_rows(conference) if conference.invitations_out else []
        totals = selectors.sending_totals(rows)
        return super().get_context_data(
            conference=conference,
            document=document,
            drafts=selectors.invitation_drafts(conference),
            problems=services.send_problems(conference, document),
            rows=rows,
            # Before the first send: who the invitee lines reach today.
            preview=[] if conference.invitations_out else selectors.sending_preview(conference),
            totals=totals,
            figures=[
                (totals["total"], _("đơn vị được mời")),
                (totals["sent"], _("đã gửi")),
                (totals["waiting"] + totals["sending"], _("đang tạo bản riêng hoặc đang gửi")),
                (totals["failed"], _("gửi lỗi")),
                (totals["read"], _("đã đọc trên cổng")),
            ],
            # Something is left to send: the first send, or agencies added since.
            pending=not conference.invitations_out or totals["new"] > 0,
            # The page follows the worker while copies are made or mail waits.
            refresh=totals["waiting"] > 0 or totals["sending"] > 0,
            **kwargs,
        )

    def post(self, request, pk):
        outcome = call_service(request, services.invitations_send, actor=request.user, conference=self.object)
        if outcome.ok:
            if outcome.value:
                messages.success(
                    request,
                    _("Đang gửi giấy mời tới %(n)d đơn vị: bản giấy mời riêng được tạo rồi gửi, theo dõi ở bảng dưới.")
                    % {"n": outcome.value},
                )
            else:
                messages.info(request, _("Mọi đơn vị được mời đã được gửi giấy mời; không gửi lại."))
        return redirect("conferences:send-invitations", pk=pk)
