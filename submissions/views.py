"""Thin views: check permission, bind the form, call one service, redirect
with a message. A `Refused` becomes the message it carries."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from conferences.selectors import conference_get
from core.permissions import PermissionMixin
from core.storage import private_attachment
from core.views import ServiceActionView, call_service

from . import forms, selectors, services
from .models import FileType, Presentation

CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.DOC: "application/msword",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
}


# --- Officials and organisers: one presentation ---------------------------------------------


class PresentationListView(PermissionMixin, ListView):
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


class PresentationMixin(PermissionMixin):
    def permission_object(self) -> Presentation:
        return selectors.presentation_get(user=self.request.user, pk=self.kwargs["pk"])

    def page(self, *, upload_form=None, review_form=None, status=200):
        presentation, user = self.object, self.request.user
        can_upload = user.has_perm("submissions.upload", presentation)
        return render(
            self.request,
            "submissions/presentation_detail.html",
            {
                "presentation": presentation,
                "assignment": presentation.assignment,
                "conference": presentation.assignment.conference,
                "history": selectors.history(presentation),
                "index_guidance": selectors.index_guidance(presentation),
                "can_upload": can_upload and presentation.can_upload_now,
                "upload_refusal": services.upload_deadline_refusal(presentation) if can_upload else None,
                "can_review": user.has_perm("submissions.manage", presentation),
                "upload_form": upload_form or forms.UploadForm(on_behalf=not user.is_official),
                "review_form": review_form or forms.ReviewForm(initial={"version": presentation.current_version_id}),
                "last_review": selectors.last_review(presentation),
            },
            status=status,
        )


class PresentationView(PresentationMixin, View):
    def get(self, request, pk):
        return self.page()

    def post(self, request, pk):
        presentation = self.object
        if not request.user.has_perm("submissions.upload", presentation):
            raise PermissionDenied
        form = forms.UploadForm(request.POST, request.FILES, on_behalf=not request.user.is_official)
        if not form.is_valid():
            return self.page(upload_form=form, status=400)
        outcome = call_service(
            request,
            services.version_upload,
            actor=request.user,
            presentation=presentation,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
            form=form,
            field="file",  # the refusal speaks of the file: shown beside it
        )
        if not outcome.ok:
            return self.page(upload_form=form, status=400)
        version = outcome.value
        words = {"name": version.original_name, "n": version.number}
        if version.is_late:
            messages.warning(
                request, _("Đã nhận tệp “%(name)s” (lần gửi %(n)d). Tệp được ghi nhận là gửi muộn.") % words
            )
        else:
            messages.success(
                request,
                _("Đã nhận tệp “%(name)s” (lần gửi %(n)d). Sở Nội vụ sẽ xem xét và phản hồi tại trang này.") % words,
            )
        return redirect(reverse("submissions:detail", args=[pk]) + "#main")


class ReviewView(PresentationMixin, View):
    permission = "submissions.manage"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = forms.ReviewForm(request.POST)
        if not form.is_valid():
            return self.page(review_form=form, status=400)
        outcome = call_service(
            request,
            services.presentation_review,
            actor=request.user,
            presentation=self.object,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            version_id=form.cleaned_data["version"],
            form=form,
        )
        if not outcome.ok:
            return self.page(review_form=form, status=400)
        messages.success(request, _("Đã ghi nhận: %(decision)s.") % {"decision": outcome.value.get_decision_display()})
        return redirect("submissions:detail", pk=pk)


class VersionDownloadView(PermissionMixin, View):
    def get(self, request, pk, version_pk):
        version = selectors.version_get(user=request.user, presentation_pk=pk, pk=version_pk)
        return private_attachment(version.file, version.original_name, CONTENT_TYPES[version.file_type])


# --- Organisers: a conference's presentations ----------------------------------------------


class ConferenceMixin(PermissionMixin):
    permission = "submissions.manage"

    def permission_object(self):
        return conference_get(user=self.request.user, pk=self.kwargs["conference_pk"])

    def conference_url(self):
        return reverse("submissions:conference", kwargs={"conference_pk": self.object.pk})


class ConferencePresentationsView(ConferenceMixin, View):
    template_name = "submissions/conference_presentations.html"

    def get(self, request, conference_pk):
        conference = self.object
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


class AssignmentFormView(ConferenceMixin, View):
    template_name = "submissions/assignment_form.html"

    def assignment(self):
        pk = self.kwargs.get("pk")
        return selectors.assignment_get(user=self.request.user, conference_pk=self.object.pk, pk=pk) if pk else None

    def page(self, form, assignment, status=200):
        context = {"conference": self.object, "assignment": assignment, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, conference_pk, pk=None):
        assignment = self.assignment()
        return self.page(forms.AssignmentForm(instance=assignment, conference=self.object), assignment)

    def post(self, request, conference_pk, pk=None):
        assignment = self.assignment()
        form = forms.AssignmentForm(request.POST, instance=assignment, conference=self.object)
        if form.is_valid():
            outcome = call_service(
                request, services.assignment_save, actor=request.user, assignment=form.save(commit=False)
            )
            if outcome.ok:
                saved = outcome.value
                if saved.is_group and not saved.presentations.exists():
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
                return redirect(self.conference_url())
        return self.page(form, assignment, status=400)


class AssignmentActionView(ConferenceMixin, ServiceActionView):
    def assignment(self):
        return selectors.assignment_get(user=self.request.user, conference_pk=self.object.pk, pk=self.kwargs["pk"])

    def success_url(self, result):
        return self.conference_url()


class AssignmentDeleteView(AssignmentActionView):
    done = _("Đã xóa tham luận được giao.")

    def act(self):
        return services.assignment_delete(actor=self.request.user, assignment=self.assignment())


class AssignmentSyncView(AssignmentActionView):
    def act(self):
        return services.assignment_sync(actor=self.request.user, assignment=self.assignment())

    def done_message(self, result):
        added, removed = result
        return _("Đã cập nhật đơn vị theo nhóm: thêm %(added)d, bớt %(removed)d.") % {
            "added": added,
            "removed": removed,
        }


# --- Booklet ---------------------------------------------------------------------------------


class BookletRequestView(ConferenceMixin, View):
    http_method_names = ["post"]

    def post(self, request, conference_pk):
        conference = self.object
        outcome = call_service(request, services.booklet_request, actor=request.user, conference=conference)
        if outcome.ok and request.htmx:
            booklet = outcome.value
            booklet.refresh_from_db()
            return render(request, "submissions/_booklet.html", {"conference": conference, "booklet": booklet})
        return redirect(self.conference_url())


class BookletMixin(PermissionMixin):
    def permission_object(self):
        return selectors.booklet_get(
            user=self.request.user, conference_pk=self.kwargs["conference_pk"], pk=self.kwargs["pk"]
        )


class BookletPanelView(BookletMixin, View):
    def get(self, request, conference_pk, pk):
        booklet = self.object
        return render(request, "submissions/_booklet.html", {"conference": booklet.conference, "booklet": booklet})


class BookletDownloadView(BookletMixin, View):
    def get(self, request, conference_pk, pk, fmt):
        booklet = self.object
        field = {"pdf": booklet.pdf, "zip": booklet.zip}.get(fmt)
        if booklet.status != booklet.Status.DONE or not field:
            raise Http404
        title = booklet.conference.title
        if len(title) > 80:
            title = title[:80].rsplit(" ", 1)[0] + "…"
        name = f"Tài liệu hội nghị - {title}.{fmt}"
        return private_attachment(field, name, "application/pdf" if fmt == "pdf" else "application/zip")
