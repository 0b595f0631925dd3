"""Thin views: check permission, bind the form, call one service, redirect
with a message. A `Refused` becomes the message it carries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from conferences.selectors import conference_get
from core.exceptions import Refused
from core.storage import private_attachment as _attachment
from core.views import show_refusal

from . import forms, selectors, services
from .models import FileType, Presentation

CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.DOC: "application/msword",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
}


def _managed_conference(request, pk):
    conference = conference_get(user=request.user, pk=pk)
    if not selectors.can_manage(request.user, conference):
        raise PermissionDenied
    return conference


# --- Officials and organisers: one presentation ---------------------------------------------


class PresentationListView(LoginRequiredMixin, ListView):
    template_name = "submissions/presentation_list.html"
    context_object_name = "presentations"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        if not (user.is_official or user.is_organiser or user.is_administrator):
            raise PermissionDenied
        self.status = self.request.GET.get("status", "")
        if self.status not in Presentation.Status.values:
            self.status = ""
        return selectors.presentation_list(user=user, status=self.status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            status=self.status,
            statuses=Presentation.Status.choices,
            querystring=f"status={self.status}" if self.status else "",
        )


class PresentationView(LoginRequiredMixin, View):
    template_name = "submissions/presentation_detail.html"

    def page(self, presentation, *, upload_form=None, review_form=None, status=200):
        user = self.request.user
        can_upload = services.can_upload(user, presentation)
        return render(
            self.request,
            self.template_name,
            {
                "presentation": presentation,
                "assignment": presentation.assignment,
                "conference": presentation.assignment.conference,
                "history": selectors.history(presentation),
                "index_guidance": selectors.index_guidance(presentation),
                "can_upload": can_upload and presentation.can_upload_now,
                "upload_refusal": services.upload_deadline_refusal(presentation) if can_upload else None,
                "can_review": selectors.can_manage(user, presentation.assignment.conference),
                "upload_form": upload_form or forms.UploadForm(on_behalf=not user.is_official),
                "review_form": review_form or forms.ReviewForm(initial={"version": presentation.current_version_id}),
                "last_review": selectors.last_review(presentation),
            },
            status=status,
        )

    def get(self, request, pk):
        return self.page(selectors.presentation_get(user=request.user, pk=pk))

    def post(self, request, pk):
        presentation = selectors.presentation_get(user=request.user, pk=pk)
        if not services.can_upload(request.user, presentation):
            raise PermissionDenied
        form = forms.UploadForm(request.POST, request.FILES, on_behalf=not request.user.is_official)
        if not form.is_valid():
            return self.page(presentation, upload_form=form, status=400)
        try:
            version = services.version_upload(
                actor=request.user,
                presentation=presentation,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except Refused as refused:
            for reason in refused.reasons:
                form.add_error("file", reason)
            return self.page(presentation, upload_form=form, status=400)
        if version.is_late:
            messages.warning(
                request,
                _("Đã nhận tệp “%(name)s” (lần gửi %(n)d). Tệp được ghi nhận là gửi muộn.")
                % {"name": version.original_name, "n": version.number},
            )
        else:
            messages.success(
                request,
                _("Đã nhận tệp “%(name)s” (lần gửi %(n)d). Sở Nội vụ sẽ xem xét và phản hồi tại trang này.")
                % {"name": version.original_name, "n": version.number},
            )
        return redirect(reverse("submissions:detail", args=[pk]) + "#main")


@login_required
@require_POST
def presentation_review(request, pk):
    presentation = selectors.presentation_get(user=request.user, pk=pk)
    if not selectors.can_manage(request.user, presentation.assignment.conference):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        return PresentationView(request=request).page(presentation, review_form=form, status=400)
    try:
        review = services.presentation_review(
            actor=request.user,
            presentation=presentation,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            version_id=form.cleaned_data["version"],
        )
    except Refused as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return PresentationView(request=request).page(presentation, review_form=form, status=400)
    messages.success(request, _("Đã ghi nhận: %(decision)s.") % {"decision": review.get_decision_display()})
    return redirect("submissions:detail", pk=pk)


@login_required
def version_download(request, pk, version_pk):
    version = selectors.version_get(user=request.user, presentation_pk=pk, pk=version_pk)
    return _attachment(version.file, version.original_name, CONTENT_TYPES[version.file_type])


# --- Organisers: a conference's presentations ----------------------------------------------


class ConferencePresentationsView(LoginRequiredMixin, View):
    template_name = "submissions/conference_presentations.html"

    def get(self, request, conference_pk):
        conference = _managed_conference(request, conference_pk)
        booklet = selectors.latest_booklet(conference)
        return render(
            request,
            self.template_name,
            {
                "conference": conference,
                "assignments": selectors.assignment_list(conference),
                "totals": selectors.board_totals(conference),
                "booklet": booklet,
                "booklet_stale": booklet is not None and not selectors.booklet_is_current(booklet),
            },
        )


class AssignmentFormView(LoginRequiredMixin, View):
    template_name = "submissions/assignment_form.html"

    def get_objects(self, request, conference_pk, pk):
        conference = _managed_conference(request, conference_pk)
        assignment = selectors.assignment_get(user=request.user, conference_pk=conference.pk, pk=pk) if pk else None
        return conference, assignment

    def get(self, request, conference_pk, pk=None):
        conference, assignment = self.get_objects(request, conference_pk, pk)
        form = forms.AssignmentForm(instance=assignment, conference=conference)
        return render(request, self.template_name, {"conference": conference, "assignment": assignment, "form": form})

    def post(self, request, conference_pk, pk=None):
        conference, assignment = self.get_objects(request, conference_pk, pk)
        form = forms.AssignmentForm(request.POST, instance=assignment, conference=conference)
        if form.is_valid():
            try:
                saved = services.assignment_save(actor=request.user, assignment=form.save(commit=False))
            except Refused as refused:
                show_refusal(request, refused)
            else:
                count = saved.presentations.count()
                if saved.is_group and not count:
                    messages.warning(
                        request,
                        _(
                            "Đã lưu. Nhóm “%(group)s” hiện chưa có đơn vị nào; khi có (ví dụ sau khi "
                            "nhập danh sách khen thưởng), bấm “Cập nhật đơn vị”."
                        )
                        % {"group": saved.group_label},
                    )
                else:
                    messages.success(request, _("Đã lưu tham luận được giao."))
                return redirect("submissions:conference", conference_pk=conference.pk)
        return render(
            request, self.template_name, {"conference": conference, "assignment": assignment, "form": form}, status=400
        )


@login_required
@require_POST
def assignment_delete(request, conference_pk, pk):
    conference = _managed_conference(request, conference_pk)
    assignment = selectors.assignment_get(user=request.user, conference_pk=conference.pk, pk=pk)
    try:
        services.assignment_delete(actor=request.user, assignment=assignment)
    except Refused as refused:
        show_refusal(request, refused)
    else:
        messages.success(request, _("Đã xóa tham luận được giao."))
    return redirect("submissions:conference", conference_pk=conference.pk)


@login_required
@require_POST
def assignment_sync(request, conference_pk, pk):
    conference = _managed_conference(request, conference_pk)
    assignment = selectors.assignment_get(user=request.user, conference_pk=conference.pk, pk=pk)
    added, removed = services.assignment_sync(actor=request.user, assignment=assignment)
    messages.success(
        request,
        _("Đã cập nhật đơn vị theo nhóm: thêm %(added)d, bớt %(removed)d.") % {"added": added, "removed": removed},
    )
    return redirect("submissions:conference", conference_pk=conference.pk)


# --- Booklet ---------------------------------------------------------------------------------


@login_required
@require_POST
def booklet_request(request, conference_pk):
    conference = _managed_conference(request, conference_pk)
    try:
        booklet = services.booklet_request(actor=request.user, conference=conference)
    except Refused as refused:
        show_refusal(request, refused)
        return redirect("submissions:conference", conference_pk=conference.pk)
    if request.htmx:
        booklet.refresh_from_db()
        return render(request, "submissions/_booklet.html", {"conference": conference, "booklet": booklet})
    return redirect("submissions:conference", conference_pk=conference.pk)


@login_required
def booklet_panel(request, conference_pk, pk):
    booklet = selectors.booklet_get(user=request.user, conference_pk=conference_pk, pk=pk)
    return render(request, "submissions/_booklet.html", {"conference": booklet.conference, "booklet": booklet})


@login_required
def booklet_download(request, conference_pk, pk, fmt):
    booklet = selectors.booklet_get(user=request.user, conference_pk=conference_pk, pk=pk)
    field = {"pdf": booklet.pdf, "zip": booklet.zip}.get(fmt)
    if booklet.status != booklet.Status.DONE or not field:
        raise Http404
    title = booklet.conference.title
    if len(title) > 80:
        title = title[:80].rsplit(" ", 1)[0] + "…"
    name = f"Tài liệu hội nghị - {title}.{fmt}"
    return _attachment(field, name, "application/pdf" if fmt == "pdf" else "application/zip")
