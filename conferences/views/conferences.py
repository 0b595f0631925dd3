"""A conference's own pages: the list, the form, the page with its lists
and documents, and its status steps."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from agencies.selectors import provincial_committee
from core.permissions import PermissionMixin
from core.tables import Column, Sorting, choice_order
from core.views import ServiceActionView, call_service, xlsx_response
from documents.selectors import documents_for_source
from notifications import selectors as notification_selectors

from .. import exporting, extensions, forms, reminders, selectors, services
from ..models import Conference, ConferenceStatus
from ..workflows import CONFERENCE


class ConferenceMixin(PermissionMixin):
    """A page of one conference of the user's province."""

    permission = "conferences.organise"

    def permission_object(self) -> Conference:
        return selectors.conference_get(user=self.request.user, pk=self.kwargs["pk"])


def conference_columns() -> list[Column]:
    return [
        Column("hoi-nghi", _("Hội nghị"), ("title",)),
        Column("thoi-gian", _("Thời gian"), ("date", "start_time"), descending_first=True),
        Column("trang-thai", _("Trạng thái"), (choice_order("status", ConferenceStatus.choices),)),
        Column("don-vi-moi", _("Đơn vị mời"), ("invited_count",), css="text-end", descending_first=True),
        Column("tham-du", _("Tham dự"), ("attending_count",), css="text-end", descending_first=True),
    ]


class ConferenceListView(PermissionMixin, ListView):
    template_name = "conferences/conference_list.html"
    context_object_name = "conferences"
    paginate_by = 30

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("conferences.view_work"):
            return redirect("conferences:invitation-list")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filter_form = forms.ConferenceFilterForm(self.request.GET or None)
        self.sorting = Sorting(self.request.GET, conference_columns())
        f = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.conference_list(
            user=self.request.user,
            search=f.get("q") or "",
            status=f.get("status") or "",
            kind=f.get("kind") or "",
            year=f.get("year"),
            order=self.sorting.order_by("-created_at", "pk"),
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **kwargs,
            filter_form=self.filter_form,
            sorting=self.sorting,
            querystring=self.sorting.querystring(),
            can_create=user.has_perm("conferences.organise", user.province),
        )


class ConferenceListXlsxView(ConferenceListView):
    """The list as filtered and sorted on the page, every page of it."""

    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().strftime("%Y%m%d")
        data = exporting.conference_list_xlsx(self.get_queryset(), with_province=request.user.is_administrator)
        return xlsx_response(data, f"danh-sach-hoi-nghi-{stamp}.xlsx")


class OwnerFormView(PermissionMixin, View):
    """Create or edit a conference or a plan: its own fields, one service."""

    permission = "conferences.organise"
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

    def permission_object(self):
        user = self.request.user
        if "pk" in self.kwargs:
            return self.existing(self.kwargs["pk"])
        if not (user.is_organiser and user.province_id):
            raise PermissionDenied
        # Usually the province's People's Committee issues, and the
        # organiser's own department (Sở Nội vụ) is the focal agency.
        committee = provincial_committee(user.province_id)
        return self.new(province_id=user.province_id, issuing_authority=committee, focal_agency=user.agency)

    def page(self, form):
        return render(self.request, self.template_name, {"form": form, self.context_name: self.object})

    def get(self, request, pk=None):
        return self.page(self.form_class(instance=self.object))

    def post(self, request, pk=None):
        form = self.form_class(request.POST, instance=self.object)
        if form.is_valid():
            outcome = call_service(request, self.save, owner=form.save(commit=False), done=self.done_message)
            if outcome.ok:
                return redirect(self.detail_url, pk=outcome.value.pk)
        return self.page(form)


STEPS = [ConferenceStatus.DRAFT, ConferenceStatus.PLANNED, ConferenceStatus.INVITED, ConferenceStatus.HELD,
         ConferenceStatus.CONCLUDED]  # fmt: skip


def status_steps(conference: Conference) -> list[dict]:
    """The path draft → concluded, each step marked done, current or to come."""
    position = STEPS.index(conference.status) if conference.status in STEPS else -1
    return [
        {"label": step.label, "state": "done" if i < position else "current" if i == position else ""}
        for i, step in enumerate(STEPS)
    ]


class ConferenceDetailView(ConferenceMixin, TemplateView):
    permission = "conferences.view_work"
    template_name = "conferences/conference_detail.html"

    def get_context_data(self, **kwargs):
        conference = self.object
        user = self.request.user
        organiser = user.has_perm("conferences.organise", conference)
        lines = selectors.invitee_lines_with_agencies(conference)
        actions = CONFERENCE.allowed(conference, user)
        return super().get_context_data(
            conference=conference,
            can_edit=organiser and conference.is_open,
            can_organise=organiser,
            can_draft=organiser,
            actions=actions,
            basis=conference.basis_documents.all(),
            content=conference.content_items.all(),
            programme=conference.programme_items.select_related("agency"),
            lines=lines,
            invitee_warnings=selectors.invitee_warnings(conference, lines) if organiser else [],
            duties=selectors.duty_list(owner_filter=Q(conference=conference)),
            awards=conference.awards.select_related("agency"),
            changes=conference.invitee_changes.select_related("actor"),
            deadline_problems=selectors.deadline_problems(conference),
            # What keeps the invitations back, said before anyone presses the button.
            invite_blockers=services.invite_problems(conference, lines)
            if any(t.name == "invite" for t in actions)
            else [],
            documents=documents_for_source(conference),
            drafts=[
                ("giay-moi", gettext_lazy("Soạn giấy mời")),
                ("ke-hoach", gettext_lazy("Soạn kế hoạch tổ chức")),
                ("bao-cao-phan-tich", gettext_lazy("Soạn báo cáo phân tích chỉ số")),
                *(
                    []
                    if conference.time_tba or conference.venue_tba
                    else [("thong-bao", gettext_lazy("Soạn thông báo thời gian, địa điểm"))]
                ),
            ],
            status_steps=status_steps(conference),
            panels=extensions.panels("detail", conference=conference, user=user),
            reminder_counts=notification_selectors.scope_counts(reminders.scope_of(conference)) if organiser else None,
            # Agencies added after the invitations went out still wait for theirs.
            unsent=selectors.invitations_unsent(conference).count()
            if organiser and conference.status == ConferenceStatus.INVITED
            else 0,
            **kwargs,
        )


class TransitionView(ConferenceMixin, ServiceActionView):
    """A status step without a text: the URL names it by its slug."""

    services = {
        "plan": services.conference_plan,
        "hold": services.conference_mark_held,
    }

    def transition(self):
        for transition in CONFERENCE.transitions:
            if transition.slug == self.kwargs["action"] and transition.name in self.services:
                return transition
        raise Http404

    def act(self):
        service = self.services[self.transition().name]
        return service(actor=self.request.user, conference=self.object)

    def done_message(self, result):
        return str(self.transition().done)

    def success_url(self, result):
        return reverse("conferences:detail", args=[self.object.pk])


class TextActionView(ConferenceMixin, View):
    """Conclude or cancel: a form with one text, then one service."""

    template_name = "conferences/text_action.html"
    actions = {
        "conclude": (forms.ConcludeForm, services.conference_conclude),
        "cancel": (forms.CancelForm, services.conference_cancel),
    }

    def dispatch(self, request, *args, **kwargs):
        self.transition = next(
            (t for t in CONFERENCE.transitions if t.slug == kwargs["action"] and t.name in self.actions), None
        )
        if self.transition is None:
            raise Http404
        self.form_class, self.service = self.actions[self.transition.name]
        return super().dispatch(request, *args, **kwargs)

    def page(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "conference": self.object,
                "transition": self.transition,
                "title": self.transition.label,
                "action": self.transition.slug,
            },
        )

    def get(self, request, pk, action):
        initial = {"conclusions": self.object.conclusions} if self.transition.name == "conclude" else {}
        return self.page(self.form_class(initial=initial))

    def post(self, request, pk, action):
        form = self.form_class(request.POST)
        if form.is_valid():
            field = self.transition.text_field
            outcome = call_service(
                request,
                self.service,
                actor=request.user,
                conference=self.object,
                done=self.transition.done,
                **{field: form.cleaned_data[field]},
            )
            if outcome.ok:
                return redirect("conferences:detail", pk=pk)
        return self.page(form)
