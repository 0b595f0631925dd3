"""Document pages. Thin: reads through selectors, writes through services;
a refusal is shown as it is, in Vietnamese."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from agencies.permissions import can_organise, can_see_province_work
from core.exceptions import Refused
from core.views import show_refusal

from . import checks, rendering, selectors, services
from .forms import DocumentForm, ReasonForm, SectionFormSet
from .models import DocType, Document, RenderedFile


def _organiser_document(request, pk) -> Document:
    document = selectors.document_get(user=request.user, pk=pk)
    if not can_organise(request.user, document.province_id):
        raise PermissionDenied
    return document


class DocumentListView(LoginRequiredMixin, ListView):
    template_name = "documents/document_list.html"
    context_object_name = "documents"
    paginate_by = 50

    def get_queryset(self):
        get = self.request.GET
        return selectors.document_list(
            user=self.request.user,
            search=get.get("q", ""),
            doc_type=get.get("loai", ""),
            status=get.get("trang_thai", ""),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, doc_types=DocType.choices, statuses=Document.Status.choices)


class DocumentDetailView(LoginRequiredMixin, DetailView):
    template_name = "documents/document_detail.html"
    context_object_name = "document"

    def get_object(self):
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        document = self.object
        sections = list(document.sections.all())
        organiser = can_organise(self.request.user, document.province_id)
        return super().get_context_data(
            **kwargs,
            paper=rendering.paper_html(document, sections=sections),
            problems=checks.run_checks(document, sections) if document.is_draft and organiser else [],
            can_organise=organiser,
            files=selectors.current_files(document),
            batch=selectors.latest_batch(document) if organiser else None,
            has_addressees=document.doc_type == DocType.GM,
            replaced_by=document.replaced_by.all(),
            source=selectors.source_link(document) if can_see_province_work(self.request.user) else None,
        )


class DocumentEditView(LoginRequiredMixin, View):
    template_name = "documents/document_edit.html"

    def _forms(self, document, data=None):
        return DocumentForm(data, instance=document), SectionFormSet(data, instance=document, prefix="sections")

    def get(self, request, pk):
        document = _organiser_document(request, pk)
        if not document.is_draft:
            messages.info(request, _("Văn bản đã ban hành thì không sửa được; hãy tạo văn bản thay thế."))
            return redirect("documents:detail", pk=pk)
        form, formset = self._forms(document)
        return self._render(request, document, form, formset)

    def _render(self, request, document, form, formset):
        return render(
            request,
            self.template_name,
            {
                "document": document,
                "form": form,
                "formset": formset,
                "paper": rendering.paper_html(document),
                "problems": checks.run_checks(document),
            },
        )

    def post(self, request, pk):
        document = _organiser_document(request, pk)
        form, formset = self._forms(document, request.POST)
        if form.is_valid() and formset.is_valid():
            # Validation already put the typed values on each instance; the
            # order on the page is the order of the document.
            deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
            sections = [
                f.instance
                for f in formset.forms
                if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
            ]
            try:
                services.document_save(
                    actor=request.user, document=form.save(commit=False), sections=sections, deleted=deleted
                )
            except Refused as error:
                show_refusal(request, error)
                return self._render(request, document, form, formset)
            messages.success(request, _("Đã lưu dự thảo."))
            if "continue" in request.POST:
                return redirect("documents:edit", pk=pk)
            return redirect("documents:detail", pk=pk)
        messages.error(request, _("Chưa lưu: hãy sửa các ô được đánh dấu."))
        return self._render(request, document, form, formset)


@login_required
@require_POST
def preview(request, pk):
    """The paper as it would print from the form as typed, saving nothing."""
    document = _organiser_document(request, pk)
    form = DocumentForm(request.POST, instance=document)
    formset = SectionFormSet(request.POST, instance=document, prefix="sections")
    form.is_valid()
    # Unsaved values: the valid ones replace the stored ones, the rest stay.
    for name, value in form.cleaned_data.items():
        setattr(document, name, value)
    sections = []
    for sub in formset.forms:
        sub.is_valid()
        if sub.cleaned_data.get("DELETE"):
            continue
        section = sub.instance
        for name, value in sub.cleaned_data.items():
            if name in ("part", "label", "heading", "landscape", "text"):
                setattr(section, name, value)
        sections.append(section)
    problems = checks.run_checks(document, sections)
    return render(
        request,
        "documents/_preview.html",
        {"paper": rendering.paper_html(document, sections=sections), "problems": problems},
    )


@login_required
@require_POST
def issue(request, pk):
    document = _organiser_document(request, pk)
    try:
        document = services.issue(actor=request.user, document=document)
    except Refused as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Đã ban hành văn bản số %(number)s.") % {"number": document.symbol_display})
    return redirect("documents:detail", pk=pk)


class RevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = _organiser_document(request, pk)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.revoke(actor=request.user, document=document, reason=reason)
        except Refused as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Đã thu hồi văn bản."))
        return redirect("documents:detail", pk=pk)


@login_required
@require_POST
def replace(request, pk):
    document = _organiser_document(request, pk)
    try:
        copy = services.replacement_create(actor=request.user, document=document)
    except Refused as error:
        show_refusal(request, error)
        return redirect("documents:detail", pk=pk)
    messages.success(request, _("Đã tạo dự thảo thay thế văn bản %(number)s.") % {"number": document.symbol_display})
    return redirect("documents:edit", pk=copy.pk)


def _files_context(request, document):
    files = selectors.current_files(document)
    pending = any(f.status in (RenderedFile.Status.QUEUED, RenderedFile.Status.RUNNING) for f in files.values())
    return {
        "document": document,
        "files": files,
        "pending": pending,
        "can_organise": can_organise(request.user, document.province_id),
    }


@login_required
def files_panel(request, pk):
    document = selectors.document_get(user=request.user, pk=pk)
    return render(request, "documents/_files.html", _files_context(request, document))


@login_required
@require_POST
def file_request(request, pk, kind):
    document = selectors.document_get(user=request.user, pk=pk)
    if kind not in RenderedFile.Kind.values:
        raise Http404
    if document.is_draft and not can_organise(request.user, document.province_id):
        raise PermissionDenied
    services.request_file(document=document, kind=kind)
    if request.htmx:
        return render(request, "documents/_files.html", _files_context(request, document))
    return redirect("documents:detail", pk=pk)


def _download_name(document: Document, kind: str, addressee: str = "") -> str:
    base = f"{document.symbol_display.replace('/', '-').replace('…', 'du-thao')}"
    if addressee:
        base += f" - {addressee[:60]}"
    return f"{base}.{kind}"


@login_required
def file_download(request, pk, file_pk):
    row = selectors.file_get(user=request.user, document_pk=pk, pk=file_pk)
    if not row.is_done or not row.file:
        raise Http404
    response = FileResponse(
        row.file.open("rb"), as_attachment=True, filename=_download_name(row.document, row.kind, row.addressee)
    )
    response["X-Content-Type-Options"] = "nosniff"
    if row.sha256:
        response["Digest"] = f"sha-256={row.sha256}"
    return response


@login_required
@require_POST
def batch_request(request, pk):
    document = _organiser_document(request, pk)
    try:
        batch = services.request_batch(actor=request.user, document=document)
    except Refused as error:
        show_refusal(request, error)
        return redirect("documents:detail", pk=pk)
    if request.htmx:
        return batch_panel(request, pk, batch.pk)
    return redirect("documents:detail", pk=pk)


@login_required
@require_POST
def batch_email(request, pk, batch_pk):
    batch = selectors.batch_get(user=request.user, document_pk=pk, pk=batch_pk)
    try:
        sent, missing = services.batch_email(actor=request.user, batch=batch)
    except Refused as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("Đã đưa %(sent)d giấy mời vào hàng gửi thư điện tử; theo dõi ở mục Nhắc hạn của hội nghị.")
            % {"sent": sent},
        )
        if missing:
            messages.warning(
                request, _("%(n)d đơn vị chưa có địa chỉ thư điện tử trong danh bạ nên chưa được gửi.") % {"n": missing}
            )
    return redirect("documents:detail", pk=pk)


@login_required
def batch_panel(request, pk, batch_pk):
    batch = selectors.batch_get(user=request.user, document_pk=pk, pk=batch_pk)
    if not can_organise(request.user, batch.document.province_id):
        raise PermissionDenied
    return render(request, "documents/_batch.html", {"batch": batch, "document": batch.document})


@login_required
def batch_download(request, pk, batch_pk, fmt):
    batch = selectors.batch_get(user=request.user, document_pk=pk, pk=batch_pk)
    if not can_organise(request.user, batch.document.province_id):
        raise PermissionDenied
    field = {"pdf": batch.merged_file, "zip": batch.zip_file}.get(fmt)
    if not field:
        raise Http404
    name = f"{_download_name(batch.document, fmt).rsplit('.', 1)[0]} - giay-moi-rieng.{fmt}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)
