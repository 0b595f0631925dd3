"""Thin views: check permission, bind the form, call one service, redirect
with a message. A `Refused` becomes the message it carries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from agencies.models import Agency, AgencyKind
from core.views import show_refusal
from documents.selectors import documents_for_source
from notifications import forms as notification_forms
from notifications import models as notification_models
from notifications import selectors as notification_selectors
from notifications import services as notifications

from . import drafting, exporting, extensions, forms, reminders, selectors, services
from .models import (
    Award,
    BasisDocument,
    Conference,
    ConferenceStatus,
    ContentItem,
    Duty,
    ImprovementPlan,
    Invitation,
    InviteeLine,
    ProgrammeItem,
)
from .services import Refused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_organiser(request, owner):
    if not services.can_organise(request.user, owner.province_id):
        raise PermissionDenied


# --- Conferences --------------------------------------------------------------------------


class ConferenceListView(LoginRequiredMixin, ListView):
    template_name = "conferences/conference_list.html"
    context_object_name = "conferences"
    paginate_by = 30

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_see_province_work(request.user):
            return redirect("conferences:invitation-list")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filter_form = forms.ConferenceFilterForm(self.request.GET or None)
        f = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.conference_list(
            user=self.request.user,
            search=f.get("q") or "",
            status=f.get("status") or "",
            kind=f.get("kind") or "",
            year=f.get("year"),
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            **kwargs,
            filter_form=self.filter_form,
            querystring=query.urlencode(),
            can_create=self.request.user.is_organiser or self.request.user.is_administrator,
        )


class OwnerFormView(LoginRequiredMixin, View):
    """Create or edit a conference or a plan: its own fields, one service."""

    template_name = "conferences/conference_form.html"
    form_class = forms.ConferenceForm
    context_name = "conference"
    done_message = gettext_lazy("Đã lưu hội nghị.")
    detail_url = "conferences:detail"

    def existing(self, pk):
        return selectors.conference_get(user=self.request.user, pk=pk)

    def new(self, **defaults):
        return Conference(**defaults)

    def save(self, owner):
        return services.conference_save(actor=self.request.user, conference=owner)

    def get_instance(self):
        user = self.request.user
        if "pk" in self.kwargs:
            owner = self.existing(self.kwargs["pk"])
            _require_organiser(self.request, owner)
            return owner
        if not (user.is_organiser and user.province_id):
            raise PermissionDenied
        # Usually the province's People's Committee issues, and the
        # organiser's own department (Sở Nội vụ) is the focal agency.
        committee = Agency.objects.filter(province_id=user.province_id, kind=AgencyKind.PROVINCIAL_COMMITTEE).first()
        return self.new(province_id=user.province_id, issuing_authority=committee, focal_agency=user.agency)

    def page(self, form, instance):
        return render(self.request, self.template_name, {"form": form, self.context_name: instance})

    def get(self, request, pk=None):
        instance = self.get_instance()
        return self.page(self.form_class(instance=instance), instance)

    def post(self, request, pk=None):
        instance = self.get_instance()
        form = self.form_class(request.POST, instance=instance)
        if form.is_valid():
            try:
                owner = self.save(form.save(commit=False))
            except Refused as refused:
                show_refusal(request, refused)
            else:
                messages.success(request, self.done_message)
                return redirect(self.detail_url, pk=owner.pk)
        return self.page(form, instance)


STEPS = [
    (s.value, s.label)
    for s in (
        ConferenceStatus.DRAFT,
        ConferenceStatus.PLANNED,
        ConferenceStatus.INVITED,
        ConferenceStatus.HELD,
        ConferenceStatus.CONCLUDED,
    )
]


def _done_steps(status: str) -> list[str]:
    codes = [code for code, _label in STEPS]
    return codes[: codes.index(status)] if status in codes else []


class ConferenceDetailView(LoginRequiredMixin, TemplateView):
    template_name = "conferences/conference_detail.html"

    def get_context_data(self, **kwargs):
        conference = selectors.conference_get(user=self.request.user, pk=self.kwargs["pk"])
        can_edit = services.can_organise(self.request.user, conference.province_id) and conference.is_open
        return super().get_context_data(
            conference=conference,
            can_edit=can_edit,
            can_organise=services.can_organise(self.request.user, conference.province_id),
            basis=conference.basis_documents.all(),
            content=conference.content_items.all(),
            programme=conference.programme_items.select_related("agency"),
            lines=selectors.invitee_lines_with_agencies(conference),
            duties=selectors.duty_list(owner_filter=Q(conference=conference)),
            awards=conference.awards.select_related("agency"),
            changes=conference.invitee_changes.select_related("actor"),
            deadline_problems=services.deadline_problems(conference),
            documents=documents_for_source(conference),
            can_draft=services.can_organise(self.request.user, conference.province_id),
            drafts=[
                ("giay-moi", gettext_lazy("Soạn giấy mời")),
                ("ke-hoach", gettext_lazy("Soạn kế hoạch tổ chức")),
                ("bao-cao-phan-tich", gettext_lazy("Soạn báo cáo phân tích chỉ số")),
            ],
            status_steps=STEPS,
            done_steps=_done_steps(conference.status),
            panels=extensions.panels("detail", conference=conference, user=self.request.user),
            reminder_counts=notification_selectors.scope_counts(reminders.scope_of(conference))
            if services.can_organise(self.request.user, conference.province_id)
            else None,
            **kwargs,
        )


PARTS = {
    "can-cu": ("basis", BasisDocument, forms.BasisDocumentForm, gettext_lazy("Văn bản căn cứ")),
    "noi-dung": ("content", ContentItem, forms.ContentItemForm, gettext_lazy("Nội dung hội nghị")),
    "chuong-trinh": ("programme", ProgrammeItem, forms.ProgrammeItemForm, gettext_lazy("Chương trình hội nghị")),
    "thanh-phan": ("invitees", InviteeLine, forms.InviteeLineForm, gettext_lazy("Thành phần mời")),
    "nhiem-vu": ("duties", Duty, forms.DutyForm, gettext_lazy("Tổ chức thực hiện (nhiệm vụ)")),
    "khen-thuong": ("awards", Award, forms.AwardForm, gettext_lazy("Khen thưởng")),
}
PLAN_PARTS = {
    "can-cu": ("basis", BasisDocument, forms.BasisDocumentForm, gettext_lazy("Văn bản căn cứ")),
    "nhiem-vu": ("duties", Duty, forms.PlanDutyForm, gettext_lazy("Nhiệm vụ của các cơ quan, đơn vị")),
}


class PartFormsetView(LoginRequiredMixin, View):
    """Edit one list of a conference (or plan) at once: the rows as printed, in order."""

    template_name = "conferences/part_form.html"
    parts = PARTS
    owner_fk = "conference"

    def get_owner(self):
        owner = selectors.conference_get(user=self.request.user, pk=self.kwargs["pk"])
        _require_organiser(self.request, owner)
        if not owner.is_open:
            raise PermissionDenied
        return owner

    def setup_part(self):
        if self.kwargs["part"] not in self.parts:
            raise Http404
        self.part, model, form, self.title = self.parts[self.kwargs["part"]]
        self.owner = self.get_owner()
        existing = model.objects.filter(**{self.owner_fk: self.owner}).exists()
        self.formset_class = forms.part_formset(model, form, self.owner_fk, extra=0 if existing else 1)

    def formset(self, data=None, files=None):
        return self.formset_class(
            data, files, instance=self.owner, prefix="rows", form_kwargs={"province_id": self.owner.province_id}
        )

    def render_page(self, formset, reason_form=None):
        return render(
            self.request,
            self.template_name,
            {
                "owner": self.owner,
                "formset": formset,
                "title": self.title,
                "part": self.part,
                "reason_form": reason_form,
                "owner_kind": self.owner_fk,
            },
        )

    def needs_reason(self):
        return self.owner_fk == "conference" and self.part == "invitees" and self.owner.invitations_out

    def get(self, request, pk, part):
        self.setup_part()
        return self.render_page(self.formset(), forms.ReasonForm() if self.needs_reason() else None)

    def post(self, request, pk, part):
        self.setup_part()
        formset = self.formset(request.POST, request.FILES)
        reason_form = forms.ReasonForm(request.POST) if self.needs_reason() else None
        if formset.is_valid() and (reason_form is None or reason_form.is_valid()):
            try:
                self.save(formset, reason_form.cleaned_data["reason"] if reason_form else "")
            except Refused as refused:
                show_refusal(request, refused)
            else:
                messages.success(request, _("Đã lưu: %(part)s.") % {"part": self.title})
                return redirect(self.success_url())
        return self.render_page(formset, reason_form)

    def save(self, formset, reason):
        services.conference_part_save(
            actor=self.request.user, conference=self.owner, part=self.part, formset=formset, reason=reason
        )

    def success_url(self):
        return reverse("conferences:detail", args=[self.owner.pk]) + f"#{self.part}"


TRANSITIONS = {
    "len-ke-hoach": (services.conference_plan, gettext_lazy("Hội nghị đã chuyển sang lên kế hoạch.")),
    "gui-giay-moi": (services.conference_invite, gettext_lazy("Đã gửi giấy mời; danh sách đơn vị được mời đã chốt.")),
    "da-to-chuc": (services.conference_mark_held, gettext_lazy("Đã ghi nhận hội nghị đã tổ chức.")),
}


def _transition(request, table: dict, action: str, **owner):
    """Run the status change named in the URL; a refusal becomes messages."""
    if action not in table:
        raise Http404
    service, done = table[action]
    try:
        service(actor=request.user, **owner)
    except Refused as refused:
        show_refusal(request, refused)
    else:
        messages.success(request, done)


@login_required
@require_POST
def conference_transition(request, pk, action):
    _transition(request, TRANSITIONS, action, conference=selectors.conference_get(user=request.user, pk=pk))
    return redirect("conferences:detail", pk=pk)


class ConferenceTextActionView(LoginRequiredMixin, View):
    """Conclude or cancel: a form with one text, then one service."""

    template_name = "conferences/text_action.html"
    actions = {
        "ket-luan": (
            forms.ConcludeForm,
            "conclusions",
            services.conference_conclude,
            gettext_lazy("Kết luận hội nghị"),
            gettext_lazy("Đã lưu kết luận; hội nghị đã kết thúc."),
        ),
        "huy": (
            forms.CancelForm,
            "reason",
            services.conference_cancel,
            gettext_lazy("Hủy hội nghị"),
            gettext_lazy("Đã hủy hội nghị."),
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in self.actions:
            raise Http404
        self.form_class, self.field, self.service, self.title, self.done = self.actions[kwargs["action"]]
        if request.user.is_authenticated:
            self.conference = selectors.conference_get(user=request.user, pk=kwargs["pk"])
            _require_organiser(request, self.conference)
        return super().dispatch(request, *args, **kwargs)

    def page(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "conference": self.conference, "title": self.title, "action": self.kwargs["action"]},
        )

    def get(self, request, pk, action):
        initial = {"conclusions": self.conference.conclusions} if action == "ket-luan" else {}
        return self.page(self.form_class(initial=initial))

    def post(self, request, pk, action):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.service(
                    actor=request.user, conference=self.conference, **{self.field: form.cleaned_data[self.field]}
                )
            except Refused as refused:
                show_refusal(request, refused)
            else:
                messages.success(request, self.done)
                return redirect("conferences:detail", pk=pk)
        return self.page(form)


# --- Board, exports, check-in ------------------------------------------------------------------


class BoardView(LoginRequiredMixin, TemplateView):
    template_name = "conferences/board.html"

    def get_context_data(self, **kwargs):
        conference = selectors.conference_get(user=self.request.user, pk=self.kwargs["pk"])
        form = forms.BoardFilterForm(self.request.GET or None)
        f = form.cleaned_data if form.is_valid() else {}
        rows = selectors.board_rows(
            conference=conference,
            kind=f.get("kind") or "",
            reply=f.get("reply") or "",
            overdue=bool(f.get("overdue")),
            search=f.get("q") or "",
        )
        return super().get_context_data(
            conference=conference,
            rows=rows,
            filter_form=form,
            totals=selectors.board_totals(conference),
            duties=selectors.duty_list(owner_filter=Q(conference=conference)),
            can_organise=services.can_organise(self.request.user, conference.province_id),
            panels=extensions.panels("board", conference=conference, user=self.request.user),
            **kwargs,
        )


@login_required
def board_xlsx(request, pk):
    conference = selectors.conference_get(user=request.user, pk=pk)
    response = HttpResponse(exporting.delegates_xlsx(conference), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dai-bieu-hoi-nghi-{conference.pk}.xlsx"'
    return response


@login_required
def attendance_pdf(request, pk):
    conference = selectors.conference_get(user=request.user, pk=pk)
    response = HttpResponse(exporting.attendance_pdf(conference), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="danh-sach-dai-bieu-{conference.pk}.pdf"'
    return response


class CheckInView(LoginRequiredMixin, TemplateView):
    template_name = "conferences/checkin.html"

    def get_template_names(self):
        if self.request.htmx:
            return ["conferences/_checkin_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        conference = selectors.conference_get(user=self.request.user, pk=self.kwargs["pk"])
        _require_organiser(self.request, conference)
        search = self.request.GET.get("q", "").strip()
        delegates = selectors.checkin_search(conference=conference, search=search)
        return super().get_context_data(
            conference=conference,
            delegates=delegates[:100],
            search=search,
            totals=selectors.board_totals(conference),
            **kwargs,
        )


class CheckInByTokenView(LoginRequiredMixin, TemplateView):
    """What the delegate's QR code opens: their card, one tap to mark present."""

    template_name = "conferences/checkin_token.html"

    def get_context_data(self, **kwargs):
        delegate = selectors.delegate_by_token(user=self.request.user, token=self.kwargs["token"])
        return super().get_context_data(delegate=delegate, conference=delegate.invitation.conference, **kwargs)


@login_required
@require_POST
def delegate_check_in(request, token):
    delegate = selectors.delegate_by_token(user=request.user, token=token)
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


def _next_or(request, fallback: str) -> str:
    """The page the form came from ("next"), or the fallback; never off-site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _checkin_return(request, delegate) -> str:
    """Back to the QR card it came from, or to the check-in page."""
    return _next_or(request, reverse("conferences:checkin", args=[delegate.invitation.conference_id]))


@login_required
def conference_ics(request, pk):
    conference = selectors.conference_for_invitee(user=request.user, pk=pk)
    if not conference.date:
        raise Http404
    url = request.build_absolute_uri(reverse("conferences:invitation-list"))
    response = HttpResponse(exporting.conference_ics(conference, url=url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hoi-nghi-{conference.pk}.ics"'
    return response


# --- Invitations and replies -----------------------------------------------------------------------


class InvitationListView(LoginRequiredMixin, ListView):
    template_name = "conferences/invitation_list.html"
    context_object_name = "invitations"

    def get_queryset(self):
        return selectors.invitation_list_for_agency(user=self.request.user)


class InvitationReplyView(LoginRequiredMixin, View):
    template_name = "conferences/invitation_reply.html"

    def setup_invitation(self):
        self.invitation = selectors.invitation_get(user=self.request.user, pk=self.kwargs["pk"])
        self.conference = self.invitation.conference
        self.can_reply = services.can_reply(self.request.user, self.invitation)

    def page(self, form, formset):
        invitation = self.invitation
        delegates = list(invitation.delegates.all())
        if invitation.reply == Invitation.Reply.ATTENDING:
            codes = exporting.delegate_qr_codes(self.request, delegates)
            for delegate in delegates:
                delegate.qr_svg = codes[delegate.pk]
        on_behalf = self.request.user.agency_id != invitation.agency_id
        editable = self.can_reply and services.replies_open_for(self.request.user, invitation)
        return render(
            self.request,
            self.template_name,
            {
                "invitation": invitation,
                "conference": self.conference,
                "form": form,
                "formset": formset,
                "delegates": delegates,
                "editable": editable,
                "on_behalf": on_behalf,
                "programme": self.conference.programme_items.select_related("agency"),
                "content": self.conference.content_items.all(),
                "awards": self.conference.awards.select_related("agency"),
            },
        )

    def get(self, request, pk):
        self.setup_invitation()
        initial = {
            "reply": self.invitation.reply
            if self.invitation.reply != Invitation.Reply.PENDING
            else Invitation.Reply.ATTENDING,
            "note": self.invitation.reply_note,
        }
        # An agency that has not named anyone yet starts with one empty row.
        extra = 0 if self.invitation.delegates.exists() else 1
        formset = forms.delegate_formset(self.invitation.quota, extra=extra)(
            instance=self.invitation, prefix="delegates"
        )
        return self.page(forms.ReplyForm(initial=initial), formset)

    def post(self, request, pk):
        self.setup_invitation()
        if not self.can_reply:
            raise PermissionDenied
        form = forms.ReplyForm(request.POST)
        formset = forms.delegate_formset(self.invitation.quota)(
            request.POST, instance=self.invitation, prefix="delegates"
        )
        attending = request.POST.get("reply") == Invitation.Reply.ATTENDING
        if form.is_valid() and (formset.is_valid() or not attending):
            try:
                services.invitation_reply(
                    actor=request.user,
                    invitation=self.invitation,
                    reply=form.cleaned_data["reply"],
                    note=form.cleaned_data["note"],
                    delegates=formset.delegate_rows() if attending else [],
                )
            except Refused as refused:
                show_refusal(request, refused)
            else:
                messages.success(request, _("Đã gửi trả lời của %(agency)s.") % {"agency": self.invitation.agency.name})
                return redirect("conferences:invitation-reply", pk=pk)
        return self.page(form, formset)


# --- Duties -----------------------------------------------------------------------------------------


class MyDutiesView(LoginRequiredMixin, ListView):
    template_name = "conferences/my_duties.html"
    context_object_name = "assignments"

    def get_queryset(self):
        return selectors.assignment_list_for_agency(user=self.request.user)


class AssignmentView(LoginRequiredMixin, View):
    template_name = "conferences/assignment.html"

    def page(self, assignment, form):
        return render(
            self.request,
            self.template_name,
            {
                "assignment": assignment,
                "duty": assignment.duty,
                "owner": assignment.duty.conference or assignment.duty.plan,
                "form": form,
                "history": selectors.assignment_history(assignment),
                "can_report": services.can_report(self.request.user, assignment),
            },
        )

    def get(self, request, pk):
        assignment = selectors.assignment_get(user=request.user, pk=pk)
        return self.page(assignment, forms.DutyReportForm(initial={"status": "in_progress"}))

    def post(self, request, pk):
        assignment = selectors.assignment_get(user=request.user, pk=pk)
        form = forms.DutyReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.duty_report(
                    actor=request.user,
                    assignment=assignment,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    upload=form.cleaned_data.get("file"),
                )
            except Refused as refused:
                show_refusal(request, refused)
            else:
                messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
                return redirect("conferences:assignment", pk=pk)
        return self.page(assignment, form)


@login_required
def duty_file(request, pk, update_pk):
    assignment = selectors.assignment_get(user=request.user, pk=pk)
    update = assignment.updates.filter(pk=update_pk).exclude(file="").first()
    if update is None:
        raise Http404
    return FileResponse(update.file.open("rb"), as_attachment=True, filename=update.original_name or update.file.name)


# --- Improvement plans ---------------------------------------------------------------------------


class PlanListView(LoginRequiredMixin, ListView):
    template_name = "conferences/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        if not selectors.can_see_province_work(self.request.user):
            raise PermissionDenied
        return selectors.plan_list(user=self.request.user, search=self.request.GET.get("q", ""))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, can_create=self.request.user.is_organiser)


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


class PlanDetailView(LoginRequiredMixin, TemplateView):
    template_name = "conferences/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])
        return super().get_context_data(
            reminder_counts=notification_selectors.scope_counts(reminders.scope_of(plan))
            if services.can_organise(self.request.user, plan.province_id)
            else None,
            plan=plan,
            basis=plan.basis_documents.all(),
            duties=selectors.duty_list(owner_filter=Q(plan=plan)),
            board=selectors.plan_board_rows(plan),
            totals=selectors.duty_totals(Q(duty__plan=plan)),
            can_edit=services.can_organise(self.request.user, plan.province_id)
            and plan.status != ImprovementPlan.Status.CLOSED,
            documents=documents_for_source(plan),
            can_draft=services.can_organise(self.request.user, plan.province_id),
            drafts=[("ke-hoach", gettext_lazy("Soạn văn bản kế hoạch"))],
            **kwargs,
        )


class PlanPartFormsetView(PartFormsetView):
    parts = PLAN_PARTS
    owner_fk = "plan"

    def get_owner(self):
        plan = selectors.plan_get(user=self.request.user, pk=self.kwargs["pk"])
        _require_organiser(self.request, plan)
        return plan

    def save(self, formset, reason):
        services.plan_part_save(actor=self.request.user, plan=self.owner, part=self.part, formset=formset)

    def success_url(self):
        return reverse("conferences:plan-detail", args=[self.owner.pk]) + f"#{self.part}"


PLAN_TRANSITIONS = {
    "trien-khai": (services.plan_activate, gettext_lazy("Kế hoạch đã được triển khai tới các đơn vị.")),
    "tong-ket": (services.plan_close, gettext_lazy("Kế hoạch đã được tổng kết.")),
}


@login_required
@require_POST
def plan_transition(request, pk, action):
    _transition(request, PLAN_TRANSITIONS, action, plan=selectors.plan_get(user=request.user, pk=pk))
    return redirect("conferences:plan-detail", pk=pk)


# --- Official documents drafted from a conference or plan -----------------------------------------


def _draft(request, owner, purpose: str, drafter):
    """One open draft per purpose: pressing the button again opens it
    instead of making a second one."""
    _require_organiser(request, owner)
    existing = documents_for_source(owner).filter(purpose=purpose, status="draft").first()
    if existing:
        messages.info(request, _("Đã có dự thảo; mở dự thảo đang soạn."))
        return redirect("documents:edit", pk=existing.pk)
    document = drafter(actor=request.user)
    messages.success(request, _("Đã soạn dự thảo từ dữ liệu. Sửa từng mục, xem trước bên phải, rồi ban hành."))
    return redirect("documents:edit", pk=document.pk)


@login_required
@require_POST
def conference_draft(request, pk, kind):
    conference = selectors.conference_get(user=request.user, pk=pk)
    if kind not in drafting.DRAFTERS:
        raise Http404
    purpose, drafter = drafting.DRAFTERS[kind]
    return _draft(request, conference, purpose, lambda actor: drafter(actor=actor, conference=conference))


@login_required
@require_POST
def plan_draft(request, pk, kind):
    plan = selectors.plan_get(user=request.user, pk=pk)
    if kind != "ke-hoach":
        raise Http404
    return _draft(
        request, plan, "improvement_plan", lambda actor: drafting.draft_improvement_plan(actor=actor, plan=plan)
    )


# --- Reminders: policy, log, resend, remind now ----------------------------------------------


def _reminders_url(kind: str, pk) -> str:
    return reverse("conferences:reminders" if kind == "conference" else "conferences:plan-reminders", args=[pk])


def _reminder_owner(request, kind: str, pk):
    owner = (selectors.conference_get if kind == "conference" else selectors.plan_get)(user=request.user, pk=pk)
    _require_organiser(request, owner)
    return owner


class RemindersView(LoginRequiredMixin, View):
    """The reminder policy of a conference or plan, and the log of every
    e-mail sent for it, with the failed ones and their errors."""

    template_name = "conferences/reminders.html"

    def page(self, owner, kind, form, status=200):
        scope = reminders.scope_of(owner)
        state = self.request.GET.get("state", "")
        state = state if state in notification_models.MessageState.values else ""
        return render(
            self.request,
            self.template_name,
            {
                "owner": owner,
                "kind": kind,
                "form": form,
                "state": state,
                "log": notification_selectors.scope_log(scope, state=state)[:300],
                "counts": notification_selectors.scope_counts(scope),
                "upcoming": notification_selectors.upcoming_steps(scope)[:15],
                "states": notification_models.MessageState.choices,
                "detail_url": reverse(
                    "conferences:detail" if kind == "conference" else "conferences:plan-detail", args=[owner.pk]
                ),
            },
            status=status,
        )

    def get(self, request, pk, kind):
        owner = _reminder_owner(request, kind, pk)
        policy = notifications.policy_for(reminders.scope_of(owner))
        return self.page(owner, kind, notification_forms.PolicyForm(instance=policy))

    def post(self, request, pk, kind):
        owner = _reminder_owner(request, kind, pk)
        form = notification_forms.PolicyForm(request.POST, instance=notifications.policy_for(reminders.scope_of(owner)))
        if not form.is_valid():
            return self.page(owner, kind, form, status=400)
        values = {field: form.cleaned_data[field] for field in form.Meta.fields}
        notifications.policy_save(scope=reminders.scope_of(owner), values=values)
        messages.success(request, _("Đã lưu lịch nhắc hạn; các lần nhắc chưa gửi đã được tính lại."))
        return redirect(request.path)


@login_required
@require_POST
def reminder_resend(request, pk, kind, message_pk):
    owner = _reminder_owner(request, kind, pk)
    message = notification_selectors.message_in_scope(reminders.scope_of(owner), message_pk)
    if message is None:
        raise Http404
    notifications.message_resend(message=message, actor=request.user)
    messages.success(request, _("Đã gửi lại thư tới %(email)s; lần gửi mới được ghi riêng.") % {"email": message.email})
    return redirect(_next_or(request, _reminders_url(kind, pk)))


@login_required
@require_POST
def remind_now(request, pk, kind):
    """ "Nhắc ngay" for the chosen items (invitations not answered, duties not
    done, presentations not sent) of this conference or plan."""
    owner = _reminder_owner(request, kind, pk)
    keys = request.POST.getlist("key")
    made = notifications.remind_now(keys=keys, scope=reminders.scope_of(owner), actor=request.user) if keys else 0
    if made:
        messages.success(request, _("Đã nhắc %(n)d đơn vị qua thư điện tử và thông báo trên cổng.") % {"n": made})
    else:
        messages.warning(request, _("Chưa chọn đơn vị nào còn việc phải làm."))
    return redirect(_next_or(request, _reminders_url(kind, pk)))


@login_required
@require_POST
def plan_duties_from_index(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    try:
        made, warning = services.plan_duties_from_index(actor=request.user, plan=plan)
    except Refused as refused:
        show_refusal(request, refused)
    else:
        if made:
            messages.success(request, _("Đã lập %(count)s nhiệm vụ từ các tiêu chí bị mất điểm.") % {"count": made})
        else:
            messages.info(request, _("Mọi cơ quan chủ trì đã có nhiệm vụ khắc phục trong kế hoạch; không lập thêm."))
        if warning:
            messages.warning(request, warning)
    return redirect(reverse("conferences:plan-detail", args=[pk]) + "#duties")
