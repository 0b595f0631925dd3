"""Document pages. Thin: reads through selectors, writes through services;
a refusal is shown as it is, in Vietnamese."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, View

from core.exceptions import Refused
from core.permissions import PermissionMixin
from core.views import ServiceActionView, call_service

from . import checks, rendering, selectors, services, sources, verification
from .forms import DocumentForm, ReasonForm, RegisterForm, SectionFormSet
from .models import DocType, Document, RenderedFile
from .workflows import DOCUMENT


class DocumentMixin(PermissionMixin):
    """A page of one document the user may see; organiser pages ask more."""

    permission = "documents.organise"

    def permission_object(self) -> Document:
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])


class DocumentListView(PermissionMixin, ListView):
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
        query = self.request.GET.copy()
        query.pop("page", None)
        user = self.request.user
        return super().get_context_data(
            **kwargs,
            doc_types=DocType.choices,
            statuses=Document.Status.choices,
            querystring=query.urlencode(),
            can_register=user.has_perm("documents.organise", user.province),
        )


class RegisterView(PermissionMixin, View):
    """Vào sổ văn bản đã ký: a document signed outside the portal, entered
    in its issuer's register with the number and date it was given."""

    permission = "documents.organise"
    template_name = "documents/document_register.html"

    def permission_target(self):
        return self.request.user.province

    def _form(self, data=None, files=None):
        return RegisterForm(data, files, issuers=selectors.register_issuers(user=self.request.user))

    def _render(self, form):
        return render(self.request, self.template_name, {"form": form})

    def get(self, request):
        return self._render(self._form())

    def post(self, request):
        form = self._form(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            outcome = call_service(
                request,
                services.document_register,
                form=form,
                actor=request.user,
                issuer=data["issuer"],
                doc_type=data["doc_type"],
                number=data["number"],
                issued_on=data["issued_on"],
                title=data["title"],
                reason=data["reason"],
                signer_title=data["signer_title"],
                signer_name=data["signer_name"],
                issuer_abbr=data["issuer_abbr"],
                drafting_unit_abbr=data["drafting_unit_abbr"],
                upload=data["file"],
            )
            if outcome.ok:
                messages.success(
                    request, _("Đã vào sổ văn bản số %(number)s.") % {"number": outcome.value.symbol_display}
                )
                return redirect("documents:detail", pk=outcome.value.pk)
        if request.FILES.get("file") and "file" not in form.errors:
            # A browser never refills a file input: say so rather than lose it silently.
            messages.warning(request, _("Tệp đã chọn chưa được lưu; hãy chọn lại tệp trước khi gửi lại."))
        return self._render(form)


class DocumentDetailView(DocumentMixin, DetailView):
    permission = ""  # whoever may see the document reads its page
    template_name = "documents/document_detail.html"
    context_object_name = "document"

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        document = self.object
        user = self.request.user
        organiser = user.has_perm("documents.organise", document)
        # A registered document's text is on the signed paper, not in sections.
        sections = [] if document.is_registered else list(document.sections.all())
        return super().get_context_data(
            **kwargs,
            paper="" if document.is_registered else rendering.paper_html(document, sections=sections),
            problems=checks.run_checks(document, sections) if document.is_draft and organiser else [],
            can_organise=organiser,
            actions=DOCUMENT.allowed(document, user),
            files=selectors.current_files(document),
            batch=selectors.latest_batch(document) if organiser else None,
            has_addressees=document.doc_type == DocType.GM and not document.is_registered,
            send_page=sources.ask(document, "send_page", "") if organiser else "",
            replaced_by=document.replaced_by.all(),
            source=selectors.source_link(document) if user.has_perm("documents.view_drafts") else None,
            **self.signing_context(document, organiser),
        )

    def signing_context(self, document, organiser: bool) -> dict:
        from .services import signatures

        row = selectors.signing_current(document)
        can_sign = self.request.user.has_perm("documents.sign", document)
        if row is not None and not row.is_sealed and not can_sign:
            row = None  # a draft's signing is the office's business
        return {
            "signing": row,
            "can_sign": can_sign,
            "signing_problems": signatures.readiness(document) if document.is_draft and organiser and not row else [],
        }


class DocumentEditView(DocumentMixin, View):
    template_name = "documents/document_edit.html"

    def _forms(self, data=None):
        document = self.object
        return DocumentForm(data, instance=document), SectionFormSet(data, instance=document, prefix="sections")

    def _render(self, form, formset):
        document = self.object
        return render(
            self.request,
            self.template_name,
            {
                "document": document,
                "form": form,
                "formset": formset,
                "paper": rendering.paper_html(document),
                "problems": checks.run_checks(document),
            },
        )

    def get(self, request, pk):
        if not self.object.is_draft:
            messages.info(request, _("Văn bản đã ban hành thì không sửa được; hãy tạo văn bản thay thế."))
            return redirect("documents:detail", pk=pk)
        if selectors.signing_current(self.object):
            messages.info(request, services.SIGNING_OPEN)
            return redirect("documents:detail", pk=pk)
        return self._render(*self._forms())

    def post(self, request, pk):
        form, formset = self._forms(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            messages.error(request, _("Chưa lưu: hãy sửa các ô được đánh dấu."))
            return self._render(form, formset)
        # Validation already put the typed values on each instance; the
        # order on the page is the order of the document.
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
        sections = [
            f.instance for f in formset.forms if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
        ]
        outcome = call_service(
            request,
            services.document_save,
            actor=request.user,
            document=form.save(commit=False),
            sections=sections,
            deleted=deleted,
            done=_("Đã lưu dự thảo."),
        )
        if not outcome.ok:
            return self._render(form, formset)
        # Choosing a signer stays on the page, which now shows the lines it filled.
        if set(form.changed_data) & set(DocumentForm.SIGNER_FIELDS):
            return redirect(reverse("documents:edit", args=[pk]) + "#nguoi-ky")  # back where the choice was made
        return redirect("documents:edit" if "continue" in request.POST else "documents:detail", pk=pk)


class PreviewView(DocumentMixin, View):
    """The paper as it would print from the form as typed, saving nothing."""

    http_method_names = ["post"]

    def post(self, request, pk):
        document = self.object
        form = DocumentForm(request.POST, instance=document)
        formset = SectionFormSet(request.POST, instance=document, prefix="sections")
        form.is_valid()
        stored = {name: getattr(document, name) for name in services.SIGNED_BY}
        # Unsaved values: the valid ones replace the stored ones, the rest stay.
        for name, value in form.cleaned_data.items():
            setattr(document, name, value)
        services.signature_refresh(document, stored)
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
        return render(
            request,
            "documents/_preview.html",
            {
                "paper": rendering.paper_html(document, sections=sections),
                "problems": checks.run_checks(document, sections),
            },
        )


class DocumentActionView(DocumentMixin, ServiceActionView):
    def success_url(self, result):
        return reverse("documents:detail", args=[self.object.pk])


class IssueView(DocumentActionView):
    def act(self):
        return services.issue(actor=self.request.user, document=self.object)

    def done_message(self, document):
        return _("Đã ban hành văn bản số %(number)s.") % {"number": document.symbol_display}


class RevokeView(DocumentActionView):
    done = _("Đã thu hồi văn bản.")

    def act(self):
        form = ReasonForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        return services.revoke(actor=self.request.user, document=self.object, reason=reason)


class ReplaceView(DocumentActionView):
    def act(self):
        return services.replacement_create(actor=self.request.user, document=self.object)

    def done_message(self, copy):
        return _("Đã tạo dự thảo thay thế văn bản %(number)s.") % {"number": self.object.symbol_display}

    def success_url(self, copy):
        return reverse("documents:edit", args=[copy.pk]) if copy else super().success_url(copy)


def _files_context(request, document):
    files = selectors.current_files(document)
    pending = any(f.status in (RenderedFile.Status.QUEUED, RenderedFile.Status.RUNNING) for f in files.values())
    return {
        "document": document,
        "files": files,
        "pending": pending,
        "can_organise": request.user.has_perm("documents.organise", document),
        "signed": _is_signed(document),
    }


def _is_signed(document) -> bool:
    """Issued with digital signatures (its files say so)."""
    return document.issued_file_id is not None and document.signings.filter(status="sealed").exists()


class FilesPanelView(DocumentMixin, View):
    permission = ""

    def get(self, request, pk):
        return render(request, "documents/_files.html", _files_context(request, self.object))


class FileRequestView(DocumentMixin, View):
    """Ask for the PDF or Word file; anyone who sees an issued document may,
    only organisers for a draft."""

    permission = ""
    http_method_names = ["post"]

    def post(self, request, pk, kind):
        document = self.object
        if kind not in RenderedFile.Kind.values:
            raise Http404
        if document.is_draft and not request.user.has_perm("documents.organise", document):
            raise PermissionDenied
        call_service(request, services.request_file, document=document, kind=kind)
        if request.htmx:
            return render(request, "documents/_files.html", _files_context(request, document))
        return redirect("documents:detail", pk=pk)


def _download_name(document: Document, kind: str, addressee: str = "") -> str:
    base = f"{document.symbol_display.replace('/', '-').replace('…', 'du-thao')}"
    if addressee:
        base += f" - {addressee[:60]}"
    return f"{base}.{kind}"


class FileDownloadView(DocumentMixin, View):
    permission = ""

    def get(self, request, pk, file_pk):
        row = selectors.file_get(document=self.object, pk=file_pk)
        if not row.is_done or not row.file:
            raise Http404
        response = FileResponse(
            row.file.open("rb"), as_attachment=True, filename=_download_name(row.document, row.kind, row.addressee)
        )
        response["X-Content-Type-Options"] = "nosniff"
        if row.sha256:
            response["Digest"] = f"sha-256={row.sha256}"
        return response


class BatchRequestView(DocumentActionView):
    def act(self):
        # The organiser's "Tạo lại": queued again even when it looks under way (its worker may be gone).
        return services.request_batch(actor=self.request.user, document=self.object, again=True)

    def post(self, request, *args, **kwargs):
        outcome = call_service(request, self.act)
        if outcome.ok and request.htmx:
            batch = selectors.batch_get(document=self.object, pk=outcome.value.pk)
            return render(
                request,
                "documents/_batch.html",
                {"batch": batch, "document": self.object, "signed": _is_signed(self.object)},
            )
        return redirect(self.success_url(None))


class BatchMixin(DocumentMixin):
    def batch(self):
        return selectors.batch_get(document=self.object, pk=self.kwargs["batch_pk"])


class BatchEmailView(BatchMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, batch_pk):
        outcome = call_service(request, services.batch_email, actor=request.user, batch=self.batch())
        if outcome.ok:
            sent, missing = outcome.value
            messages.success(
                request,
                _("Đã đưa %(sent)d giấy mời vào hàng gửi thư điện tử; theo dõi ở mục Nhắc hạn của hội nghị.")
                % {"sent": sent},
            )
            if missing:
                messages.warning(
                    request,
                    _("%(n)d đơn vị chưa có địa chỉ thư điện tử trong danh bạ nên chưa được gửi.") % {"n": missing},
                )
        return redirect("documents:detail", pk=pk)


class BatchPanelView(BatchMixin, View):
    def get(self, request, pk, batch_pk):
        context = {"batch": self.batch(), "document": self.object, "signed": _is_signed(self.object)}
        return render(
            request, "documents/_batch.html", context | {"send_page": sources.ask(self.object, "send_page", "")}
        )


class BatchDownloadView(BatchMixin, View):
    def get(self, request, pk, batch_pk, fmt):
        batch = self.batch()
        field = {"pdf": batch.merged_file, "zip": batch.zip_file}.get(fmt)
        if not field:
            raise Http404
        name = f"{_download_name(self.object, fmt).rsplit('.', 1)[0]} - giay-moi-rieng.{fmt}"
        return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@method_decorator(never_cache, name="dispatch")
class VerifyView(View):
    """The public page a printed copy's code opens: what the register holds
    of the document (number, date, issuer, signer, the issued PDF's SHA-256)
    and whether it is still in force. Anyone may open it, signed in or not."""

    template_name = "documents/verify.html"

    def get(self, request, code=""):
        typed = code or request.GET.get("ma", "")
        document, replacement = selectors.verification_get(typed) if typed else (None, None)
        if typed and not code and document is not None:
            return redirect("documents:verify", code=document.verification_code)
        return self._render(request, typed, document, replacement)

    def _render(self, request, typed, document, replacement, **extra):
        context = {"typed": typed, "document": document, **extra}
        if document is not None:
            context.update(
                shown_code=verification.shown(document.verification_code),
                replacement=replacement,
                in_force=document.status == Document.Status.ISSUED and replacement is None,
                signing=selectors.verification_signing(document) if document.issued_file_id else None,
            )
        return render(request, self.template_name, context, status=404 if typed and document is None else 200)

    def post(self, request, code):
        """Check an uploaded PDF against the issued one: exactly it or not
        (and where it departs), and every signature in it. Anonymous, so
        throttled per client address; the file is read, never stored."""
        from django_ratelimit.core import is_ratelimited

        from core.audit import client_ip

        from .services import signatures

        document, replacement = selectors.verification_get(code)
        if document is None:
            raise Http404
        limited = is_ratelimited(
            request,
            group="documents.verify-upload",
            key=lambda _group, req: client_ip(req) or "unknown",
            rate=settings.VERIFY_UPLOAD_RATE,
            increment=True,
        )
        upload = request.FILES.get("file")
        if limited:
            return self._render(
                request, code, document, replacement,
                upload_error=_("Bạn đã kiểm tra nhiều tệp trong thời gian ngắn. Hãy thử lại sau ít phút."),
            )  # fmt: skip
        if upload is None:
            return self._render(request, code, document, replacement, upload_error=_("Hãy chọn tệp PDF cần kiểm tra."))
        try:
            data = services.signed_pdf(upload, max_bytes=settings.VERIFY_UPLOAD_MAX_BYTES).data
        except Refused as refused:
            return self._render(request, code, document, replacement, upload_error=" ".join(refused.reasons))
        result = signatures.copy_check(document, data)
        return self._render(request, code, document, replacement, copy=result, copy_name=upload.name[-80:])
