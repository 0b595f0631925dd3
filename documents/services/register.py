"""Registering (vào sổ) a document signed outside the portal, or before it
existed, under the number, symbol and date it was given, so the issuer's
register and the portal's history hold the office's real documents.

A registered document is issued from the start and has no sections: its
signed PDF, when one is uploaded, is its issued file, stored as it came and
never rendered again. Its number is taken in the issuer's series for the
year under the same counter lock as an issue (see the rule in drafts.py)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from core import audit
from core.exceptions import Refused
from core.formatting import vn_date
from core.permissions import require
from core.storage import discard, store_file

from .. import metadata, rendering, verification
from ..models import DocType, Document, Origin, RenderedFile
from .drafts import DENIED, issuer_defaults, lock_counter, numbers_taken

REGISTERED_FIELDS = [
    "origin", "status", "doc_type", "issuer", "issuer_abbr", "drafting_unit_abbr", "year", "number", "issued_on",
    "title", "signer_title", "signer_name", "register_note", "issued_sha256",
]  # fmt: skip


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    sha256: str
    pages: int


def signed_pdf(upload, *, max_bytes: int | None = None) -> SignedPdf:
    """The uploaded signed copy, read and checked: a PDF (by its content, not
    its name), not empty, not above the limit, that opens and has pages.
    Refused otherwise, with the file's name and what to do."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:120] or _("không tên")
    size = upload.size or 0
    limit = max_bytes or settings.REGISTERED_FILE_MAX_BYTES
    if size == 0:
        raise Refused(_("Tệp “%(name)s” rỗng (0 byte). Hãy kiểm tra lại tệp rồi tải lên.") % {"name": name})
    if size > limit:
        raise Refused(
            _(
                "Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn %(max)s. Hãy quét lại với độ "
                "phân giải thấp hơn hoặc nén tệp PDF rồi tải lên."
            )
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    # A PDF starts with its header; a file renamed to .pdf does not.
    if not data.lstrip(b"\x00\t\r\n \xef\xbb\xbf").startswith(b"%PDF-"):
        raise Refused(
            _("Tệp “%(name)s” không phải tệp PDF. Hãy tải lên bản PDF của văn bản đã ký (bản quét hoặc bản ký số).")
            % {"name": name}
        )
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # noqa: BLE001 — pypdf raises many kinds of error on a damaged file; all mean "broken"
        encrypted, pages = False, 0
    if encrypted:
        raise Refused(
            _("Tệp “%(name)s” được đặt mật khẩu nên không mở được. Hãy bỏ mật khẩu rồi tải lên lại.") % {"name": name}
        )
    if not pages:
        raise Refused(
            _("Tệp “%(name)s” bị hỏng, không mở được như một tệp PDF. Hãy mở lại tệp trên máy, lưu lại rồi tải lên.")
            % {"name": name}
        )
    return SignedPdf(data=data, sha256=rendering.sha256(data), pages=pages)


def issuer_refusal(issuer: Agency, day: dt.date) -> str | None:
    """Why `issuer` cannot have issued a document on `day`, or None."""
    if issuer.active_on(day):
        return None
    return _(
        "%(name)s không hoạt động vào ngày %(day)s: chọn cơ quan ban hành của thời điểm đó, hoặc kiểm tra lại ngày."
    ) % {"name": issuer.name, "day": vn_date(day)}


def number_taken_message(existing: Document) -> str:
    how = _("vào sổ") if existing.is_registered else _("ban hành trên cổng")
    return _(
        "Số %(number)s năm %(year)s của %(issuer)s đã dùng cho %(type)s số %(symbol)s ngày %(day)s "
        "(“%(title)s”, %(how)s). Mỗi số chỉ dùng một lần trong năm: hãy kiểm tra lại số của văn bản."
    ) % {
        "number": existing.number_text,
        "year": existing.year,
        "issuer": existing.issuer.name,
        "type": existing.type_label.lower(),
        "symbol": existing.symbol_display,
        "day": vn_date(existing.issued_on) or "—",
        "title": existing.title[:80],
        "how": how,
    }


def document_register(
    *,
    actor,
    issuer: Agency,
    doc_type: str,
    number: int,
    issued_on: dt.date,
    title: str,
    reason: str,
    signer_title: str = "",
    signer_name: str = "",
    issuer_abbr: str = "",
    drafting_unit_abbr: str = "",
    upload=None,
) -> Document:
    """Enter a document signed elsewhere in the issuer's register for the
    year of `issued_on`, with its given number; `upload` is its signed PDF.
    Refused, changing nothing, when the number is taken, the issuer did not
    exist that day, or the file is not a usable PDF."""
    require(actor, "documents.organise", issuer, DENIED)
    problems = []
    if doc_type not in DocType.values:
        problems.append(_("Loại văn bản không hợp lệ."))
    if not number or number < 1:
        problems.append(_("Số văn bản phải là số nguyên dương."))
    if issued_on > timezone.localdate():
        problems.append(_("Ngày ban hành %(day)s chưa tới: chỉ vào sổ văn bản đã ký.") % {"day": vn_date(issued_on)})
    elif refusal := issuer_refusal(issuer, issued_on):
        problems.append(refusal)
    if not title.strip():
        problems.append(_("Hãy ghi trích yếu của văn bản."))
    if not reason.strip():
        problems.append(_("Hãy nêu lý do vào sổ (ví dụ: văn bản ký giấy trước khi dùng cổng)."))
    if problems:
        raise Refused(*problems)
    signed = signed_pdf(upload) if upload else None

    defaults = issuer_defaults(issuer)
    document = Document(
        province_id=issuer.province_id,
        issuer=issuer,
        doc_type=doc_type,
        origin=Origin.REGISTERED,
        status=Document.Status.ISSUED,
        verification_code=verification.new_code(),
        issuer_name=defaults["issuer_name"],
        parent_issuer_name=defaults["parent_issuer_name"],
        issuer_abbr=issuer_abbr.strip() or defaults["issuer_abbr"],
        drafting_unit_abbr=drafting_unit_abbr.strip() if doc_type == DocType.CV else "",
        place=defaults["place"],
        dated=issued_on,
        title=title.strip(),
        signer_title=signer_title.strip(),
        signer_name=signer_name.strip(),
        register_note=reason.strip(),
        year=issued_on.year,
        number=number,
        issued_on=issued_on,
        issued_at=timezone.now(),
        issued_by=actor,
        created_by=actor,
    )
    document.identifier = metadata.identifier(document)
    try:
        # The number's uniqueness is checked below, under the counter lock.
        document.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise Refused(*error.messages) from None

    stored = None
    try:
        with transaction.atomic():
            # The lock an issue of this issuer and year takes: a registration
            # and an issue (or a second click) queue here, and the second sees
            # the first's number as taken.
            counter = lock_counter(issuer, document.year)
            existing = numbers_taken(issuer, document.year).filter(number=number).select_related("issuer").first()
            if existing is not None:
                raise Refused(number_taken_message(existing))
            document.save()
            if signed is not None:
                stored = store_file(f"documents/{document.pk}/signed-{signed.sha256}.pdf", signed.data)
                row = RenderedFile.objects.create(
                    document=document,
                    kind=RenderedFile.Kind.PDF,
                    content_hash=signed.sha256,
                    status=RenderedFile.Status.DONE,
                    file=stored,
                    size=len(signed.data),
                    sha256=signed.sha256,
                    pages=signed.pages,
                    finished_at=timezone.now(),
                )
                document.issued_file = row
                document.issued_sha256 = signed.sha256
                document.save(update_fields=["issued_file", "issued_sha256"])
            if number > counter.last:
                counter.last = number
                counter.save(update_fields=["last"])
            audit.record(
                actor=actor,
                action="document.register",
                target=document,
                after=audit.snapshot(document, REGISTERED_FIELDS),
                note=document.register_note,
            )
            metadata.announce(document, "document.issued")
    except BaseException:
        # Nothing was registered: the stored copy would be a stray file.
        if stored:
            discard(stored)
        raise
    return document
