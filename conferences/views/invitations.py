"""An agency's invitations and its reply with delegates; its duties and
progress reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.permissions import PermissionMixin
from core.storage import private_attachment
from core.views import call_service
from notifications import services as notifications

from .. import exporting, forms, selectors, services
from ..models import DutyAssignment, Invitation


class InvitationListView(PermissionMixin, ListView):
    template_name = "conferences/invitation_list.html"
    context_object_name = "invitations"

    def get_queryset(self):
        return selectors.invitation_list_for_agency(user=self.request.user)


class InvitationReplyView(PermissionMixin, View):
    template_name = "conferences/invitation_reply.html"

    def permission_object(self):
        return selectors.invitation_get(user=self.request.user, pk=self.kwargs["pk"])

    def page(self, form, formset):
        invitation, user = self.object, self.request.user
        conference = invitation.conference
        delegates = list(invitation.delegates.all())
        if invitation.is_attending:
            codes = exporting.delegate_qr_codes(self.request, delegates)
            for delegate in delegates:
                delegate.qr_svg = codes[delegate.pk]
        editable = user.has_perm("conferences.reply", invitation) and selectors.replies_open_for(user, invitation)
        return render(
            self.request,
            self.template_name,
            {
                "invitation": invitation,
                "conference": conference,
                "form": form,
                "formset": formset,
                "delegates": delegates,
                "editable": editable,
                "on_behalf": user.agency_id != invitation.agency_id,
                "programme": conference.programme_items.select_related("agency"),
                "content": conference.content_items.all(),
                "awards": conference.awards.select_related("agency"),
            },
        )

    def get(self, request, pk):
        invitation = self.object
        # The notice that brought them here (or would have) is now read.
        notifications.mark_read(user=request.user, ref=invitation.ref)
        initial = {
            "reply": Invitation.Reply.ATTENDING if invitation.is_pending else invitation.reply,
            "note": invitation.reply_note,
        }
        # An agency that has not named anyone yet starts with one empty row.
        extra = 0 if invitation.delegates.exists() else 1
        formset = forms.delegate_formset(invitation.quota, extra=extra)(instance=invitation, prefix="delegates")
        return self.page(forms.ReplyForm(initial=initial), formset)

    def post(self, request, pk):
        invitation = self.object
        if not request.user.has_perm("conferences.reply", invitation):
            raise PermissionDenied
        form = forms.ReplyForm(request.POST)
        formset = forms.delegate_formset(invitation.quota)(request.POST, instance=invitation, prefix="delegates")
        attending = request.POST.get("reply") == Invitation.Reply.ATTENDING
        if form.is_valid() and (formset.is_valid() or not attending):
            outcome = call_service(
                request,
                services.invitation_reply,
                actor=request.user,
                invitation=invitation,
                reply=form.cleaned_data["reply"],
                note=form.cleaned_data["note"],
                delegates=formset.delegate_rows() if attending else [],
                done=_("Đã gửi trả lời của %(agency)s.") % {"agency": invitation.agency.name},
            )
            if outcome.ok:
                return redirect("conferences:invitation-reply", pk=pk)
        return self.page(form, formset)


class MyDutiesView(PermissionMixin, ListView):
    template_name = "conferences/my_duties.html"
    context_object_name = "assignments"

    def get_queryset(self):
        return selectors.assignment_list_for_agency(user=self.request.user)


class AssignmentView(PermissionMixin, View):
    template_name = "conferences/assignment.html"

    def permission_object(self) -> DutyAssignment:
        return selectors.assignment_get(user=self.request.user, pk=self.kwargs["pk"])

    def page(self, form):
        assignment = self.object
        return render(
            self.request,
            self.template_name,
            {
                "assignment": assignment,
                "duty": assignment.duty,
                "owner": assignment.duty.conference or assignment.duty.plan,
                "form": form,
                "history": selectors.assignment_history(assignment),
                "can_report": self.request.user.has_perm("conferences.report_duty", assignment),
            },
        )

    def get(self, request, pk):
        return self.page(forms.DutyReportForm(initial={"status": DutyAssignment.Status.IN_PROGRESS}))

    def post(self, request, pk):
        form = forms.DutyReportForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = call_service(
                request,
                services.duty_report,
                actor=request.user,
                assignment=self.object,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                upload=form.cleaned_data.get("file"),
                form=form,  # a refused file is named on the form, beside what was typed
                done=_("Đã ghi nhận báo cáo tiến độ."),
            )
            if outcome.ok:
                return redirect("conferences:assignment", pk=pk)
        return self.page(form)


class InvitationCopyView(InvitationReplyView):
    """The personal copy of the invitation the agency was sent (PDF)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        copy = selectors.invitation_copy(self.object)
        if copy is None or not copy.file:
            raise Http404
        return private_attachment(copy.file, f"giay-moi-{self.object.conference_id}-{self.object.agency_id}.pdf")


class DutyFileView(AssignmentView):
    def get(self, request, pk, update_pk):
        update = self.object.updates.filter(pk=update_pk).exclude(file="").first()
        if update is None:
            raise Http404
        return private_attachment(update.file, update.original_name or update.file.name.rsplit("/", 1)[-1])
