"""The pages of a document's digital signing (services/signatures.py): each
view checks, calls one service and goes back to the document's page."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import Refused

from .models import DocumentSigning
from .services import signatures
from .views import DocumentActionView, DocumentMixin


class SigningMixin(DocumentMixin):
    def signing_row(self) -> DocumentSigning:
        return get_object_or_404(self.object.signings, pk=self.kwargs["signing_pk"])


class SigningPrepareView(DocumentActionView):
    done = _("Đã chuẩn bị tệp để ký số. Tải tệp về để người ký ký số, rồi tải lên tệp đã ký.")

    def act(self):
        return signatures.signing_prepare(actor=self.request.user, document=self.object)


class SigningCancelView(SigningMixin, DocumentActionView):
    done = _("Đã hủy việc chuẩn bị ký số; văn bản lại sửa được.")

    def act(self):
        return signatures.signing_cancel(actor=self.request.user, signing_row=self.signing_row())


class SigningUploadView(SigningMixin, DocumentActionView):
    permission = "documents.sign"
    done = _("Đã nhận tệp đã ký: chữ ký số hợp lệ, đúng người ký. Văn thư có thể cấp số và ký số cơ quan.")

    def act(self):
        upload = self.request.FILES.get("file")
        if upload is None:
            raise Refused(_("Hãy chọn tệp PDF đã ký để tải lên."))
        return signatures.signing_upload(actor=self.request.user, signing_row=self.signing_row(), upload=upload)


class SigningSealView(SigningMixin, DocumentActionView):
    def act(self):
        return signatures.signing_seal(actor=self.request.user, signing_row=self.signing_row())

    def done_message(self, document):
        return _("Đã cấp số, ngày và ký số cơ quan: văn bản số %(number)s đã ban hành.") % {
            "number": document.symbol_display
        }


class SigningFileView(SigningMixin, View):
    """The prepared PDF (for the signer's software) or the signed one."""

    permission = "documents.sign"

    def get(self, request, pk, signing_pk, which):
        row = self.signing_row()
        field = {"chuan-bi": row.prepared_file, "da-ky": row.signed_file}.get(which)
        if not field:
            raise Http404
        base = self.object.symbol.replace("/", "-")
        name = f"{base} - {'can ky' if which == 'chuan-bi' else 'da ky'}.pdf"
        response = FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response
