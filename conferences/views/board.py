"""The status board of a conference, its exports, and the check-in on the day."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.exceptions import Refused
from core.permissions import PermissionMixin
from core.tables import Column, Sorting, choice_order
from core.views import safe_next, show_refusal, xlsx_response

from .. import exporting, extensions, forms, selectors, services
from ..models import Invitation
from .conferences import ConferenceMixin


def board_columns() -> list[Column]:
    return [
        Column("don-vi", _("Đơn vị"), ("agency__name",)),
        Column("tra-loi", _("Trả lời"), (choice_order("reply", Invitation.Reply.choices), "replied_at")),
        Column("dai-bieu", _("Đại biểu"), ("delegates_count",), descending_first=True),
        Column("nhiem-vu", _("Nhiệm vụ"), ("duties_overdue", "duties_total"), descending_first=True),
    ]


class BoardTableMixin(ConferenceMixin):
    """The board's rows as the page filters and sorts them."""

    permission = "conferences.view_work"

    def board_table(self):
        form = forms.BoardFilterForm(self.request.GET or None)
        sorting = Sorting(self.request.GET, board_columns())
        f = form.cleaned_data if form.is_valid() else {}
        rows = selectors.board_rows(
            conference=self.object,
            kind=f.get("kind") or "",
            reply=f.get("reply") or "",
            overdue=bool(f.get("overdue")),
            search=f.get("q") or "",
            order=sorting.order_by("agency__name", "pk"),
        )
        return form, sorting, rows


class BoardView(BoardTableMixin, TemplateView):
    template_name = "conferences/board.html"

    def get_context_data(self, **kwargs):
        conference = self.object
        form, sorting, rows = self.board_table()
        return super().get_context_data(
            conference=conference,
            rows=rows,
            filter_form=form,
            sorting=sorting,
            querystring=sorting.querystring(),
            totals=selectors.board_totals(conference),
            duties=selectors.duty_list(owner_filter=Q(conference=conference)),
            can_organise=self.request.user.has_perm("conferences.organise", conference),
            panels=extensions.panels("board", conference=conference, user=self.request.user),
            **kwargs,
        )


class BoardXlsxView(ConferenceMixin, View):
    permission = "conferences.view_work"

    def get(self, request, pk):
        return xlsx_response(exporting.delegates_xlsx(self.object), f"dai-bieu-hoi-nghi-{pk}.xlsx")


class BoardTableXlsxView(BoardTableMixin, View):
    """The invited agencies as filtered and sorted on the board."""

    def get(self, request, pk):
        _form, _sorting, rows = self.board_table()
        return xlsx_response(exporting.board_xlsx(rows), f"bang-theo-doi-hoi-nghi-{pk}.xlsx")


class AttendancePdfView(ConferenceMixin, View):
    permission = "conferences.view_work"

    def get(self, request, pk):
        response = HttpResponse(exporting.attendance_pdf(self.object), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="danh-sach-dai-bieu-{pk}.pdf"'
        return response


class CheckInView(ConferenceMixin, TemplateView):
    template_name = "conferences/checkin.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["conferences/_checkin_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        conference = self.object
        search = self.request.GET.get("q", "").strip()
        delegates = selectors.checkin_search(conference=conference, search=search)
        return super().get_context_data(
            conference=conference,
            delegates=delegates[:100],
            search=search,
            totals=selectors.board_totals(conference),
            **kwargs,
        )


class DelegateMixin(PermissionMixin):
    """A delegate found by the token of their QR code, within the province."""

    permission = "conferences.organise"

    def permission_object(self):
        return selectors.delegate_by_token(user=self.request.user, token=self.kwargs["token"])

    def permission_target(self):
        return self.object.invitation.conference


class CheckInByTokenView(DelegateMixin, TemplateView):
    """What the delegate's QR code opens: their card, one tap to mark present."""

    template_name = "conferences/checkin_token.html"

    def get_context_data(self, **kwargs):
        delegate = self.object
        return super().get_context_data(delegate=delegate, conference=delegate.invitation.conference, **kwargs)


def _checkin_return(request, delegate) -> str:
    """Back to the QR card it came from, or to the check-in page."""
    return safe_next(request, reverse("conferences:checkin", args=[delegate.invitation.conference_id]))


class CheckInMarkView(DelegateMixin, View):
    http_method_names = ["post"]

    def post(self, request, token):
        delegate = self.object
        present = request.POST.get("present", "1") == "1"
        try:
            delegate = services.delegate_check_in(actor=request.user, delegate=delegate, present=present)
        except Refused as refused:
            if request.htmx:
                return HttpResponse(refused.reasons[0], status=409)
            show_refusal(request, refused)
            return redirect(_checkin_return(request, delegate))
        if request.htmx:
            conference = delegate.invitation.conference
            return render(
                request,
                "conferences/_checkin_mark.html",
                {"delegate": delegate, "conference": conference, "totals": selectors.board_totals(conference)},
            )
        if present:
            messages.success(request, _("Đã điểm danh: %(name)s.") % {"name": delegate.full_name})
        return redirect(_checkin_return(request, delegate))


class ConferenceIcsView(PermissionMixin, View):
    """The calendar entry, for whoever may see the conference or is invited to it."""

    def permission_object(self):
        return selectors.conference_for_invitee(user=self.request.user, pk=self.kwargs["pk"])

    def get(self, request, pk):
        conference = self.object
        if not conference.date:
            raise Http404
        url = request.build_absolute_uri(reverse("conferences:invitation-list"))
        response = HttpResponse(
            exporting.conference_ics(conference, url=url), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="hoi-nghi-{conference.pk}.ics"'
        return response
