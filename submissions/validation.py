"""What an uploaded presentation really is, read from its bytes.

The name an agency gives a file says nothing about its content: the type is
told by the signature and, for Office files, by the parts inside the zip or
OLE container. Anything that could run (macros, programs) or that cannot be
opened (encrypted, broken, a zip that would expand without end) is refused
here, with a message the official can act on, before anything is stored."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import olefile
from defusedxml import ElementTree as safe_xml
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

from .models import FileType

MAX_NAME_LENGTH = 200
# A real presentation's parts expand to a few tens of megabytes at most.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_ENTRIES = 5000

EXTENSIONS = {
    ".pdf": FileType.PDF,
    ".docx": FileType.DOCX,
    ".doc": FileType.DOC,
    ".pptx": FileType.PPTX,
    ".odt": FileType.ODT,
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_PARTS = re.compile(r"(^|/)vbaProject\.bin$|(^|/)vbaData\.xml$|(^|/)(Basic|Scripts|activeX)/", re.IGNORECASE)


class UploadRejected(ValidationError):
    pass


@dataclass(frozen=True)
class Inspected:
    name: str
    file_type: str
    size: int
    sha256: str
    pages: int | None


def allowed_label() -> str:
    return ", ".join(ext.lstrip(".").upper() for ext in EXTENSIONS)


def clean_name(raw: str) -> str:
    """The name as the official's computer gave it, or a refusal. Browsers
    send a bare name (and Django strips any path from the request); a path
    here comes from a caller that did not."""
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if not name:
        raise UploadRejected(_("Tệp không có tên. Hãy chọn lại tệp."))
    if any(unicodedata.category(ch) == "Cc" for ch in name) or "/" in name or "\\" in name or name.startswith("."):
        raise UploadRejected(
            _(
                "Tên tệp “%(name)s” không hợp lệ: tên không được chứa đường dẫn thư mục hay ký tự điều "
                "khiển. Hãy đổi tên tệp rồi tải lên lại."
            )
            % {"name": name[:80]}
        )
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRejected(
            _("Tên tệp dài %(n)d ký tự, vượt quá %(max)d ký tự cho phép. Hãy đặt tên ngắn hơn rồi tải lên lại.")
            % {"n": len(name), "max": MAX_NAME_LENGTH}
        )
    return name


def inspect_upload(upload, *, max_bytes: int) -> Inspected:
    """Read the upload and say what it is, or raise UploadRejected."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size or 0
    if size == 0:
        raise UploadRejected(_("Tệp “%(name)s” rỗng (0 byte). Hãy kiểm tra lại tệp rồi tải lên.") % {"name": name})
    if size > max_bytes:
        raise UploadRejected(
            _(
                "Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn %(max)s. Hãy giảm dung lượng "
                "(ví dụ nén ảnh, lưu lại dưới dạng PDF) rồi tải lên lại."
            )
            % {"name": name, "size": filesizeformat(size), "max": filesizeformat(max_bytes)}
        )
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise UploadRejected(
            _("Tệp “%(name)s” không thuộc định dạng được nhận. Chỉ nhận: %(allowed)s.")
            % {"name": name, "allowed": allowed_label()}
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head.startswith(EXECUTABLE_MAGIC):
        raise UploadRejected(
            _("Tệp “%(name)s” là một chương trình chạy được, không phải tài liệu, nên không được nhận.")
            % {"name": name}
        )
    if head.startswith(b"PK\x03\x04"):
        actual, pages = _zip_type(upload, name), None
    elif head.startswith(OLE_MAGIC):
        actual, pages = _ole_type(upload, name), None
    elif head.lstrip(b"\x00\t\r\n \xef\xbb\xbf").startswith(b"%PDF-"):
        # A PDF starts with its header: one preceded by HTML is a polyglot.
        actual, pages = FileType.PDF, _pdf_pages(upload, name)
    else:
        raise UploadRejected(
            _(
                "Nội dung tệp “%(name)s” không phải %(label)s (có thể tệp đã bị đổi đuôi). Hãy mở tệp, lưu "
                "lại đúng định dạng rồi tải lên."
            )
            % {"name": name, "label": FileType(expected).label}
        )
    if actual != expected:
        raise UploadRejected(
            _(
                "Tệp “%(name)s” có đuôi %(ext)s nhưng nội dung là %(label)s. Hãy đặt lại đúng đuôi tệp "
                "hoặc lưu lại đúng định dạng rồi tải lên."
            )
            % {"name": name, "ext": extension, "label": FileType(actual).label}
        )
    return Inspected(name=name, file_type=actual, size=size, sha256=_sha256(upload), pages=pages)


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _broken(name: str, label: str) -> UploadRejected:
    return UploadRejected(
        _("Tệp “%(name)s” bị hỏng, không mở được như một tệp %(label)s. Hãy mở lại tệp trên máy, lưu lại rồi tải lên.")
        % {"name": name, "label": label}
    )


def _zip_type(upload, name: str) -> str:
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except Exception:  # noqa: BLE001 — whatever the zip reader trips on, the file is unreadable
        raise _broken(name, "Office") from None
    names = [entry.filename for entry in entries]
    # Sizes as the archive claims them first (cheap), then as they really are:
    # an archive may understate them, and the converter would unpack it all.
    claimed = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or claimed > MAX_UNPACKED_BYTES
        or (claimed > 10 * 1024 * 1024 and claimed / packed > MAX_RATIO)
    ):
        raise _bomb(name, claimed)
    if len(set(names)) != len(names):
        # Two parts of one name: readers disagree on which one counts.
        raise _broken(name, "Office")
    try:
        _count_unpacked(archive, entries, name)
        if any(MACRO_PARTS.search(part) for part in names):
            raise _macro(name)
        lowered = {part.lower(): part for part in names}
        if "[content_types].xml" in lowered:
            types = _attributes(archive.read(lowered["[content_types].xml"]), "ContentType")
            # A VBA project or ActiveX control can hang off any part name; the
            # content types and the relationships say what a part is.
            relations = set()
            for part in names:
                if part.lower().endswith(".rels"):
                    relations |= _attributes(archive.read(part), "Type")
            if any(word in value for value in types | relations for word in ("macroenabled", "vbaproject", "activex")):
                raise _macro(name)
            if "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" in types:
                return FileType.DOCX
            if "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml" in types:
                return FileType.PPTX
        elif (
            "mimetype" in names and archive.read("mimetype")[:100].strip() == b"application/vnd.oasis.opendocument.text"
        ):
            return FileType.ODT
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 — a part that cannot be read or parsed: the file is broken
        raise _broken(name, "Office") from None
    finally:
        upload.seek(0)
    raise UploadRejected(
        _(
            "Tệp “%(name)s” là một tệp nén nhưng không phải tài liệu Word, PowerPoint hay OpenDocument, "
            "nên không được nhận."
        )
        % {"name": name}
    )


def _count_unpacked(archive: zipfile.ZipFile, entries, name: str) -> None:
    total = 0
    for entry in entries:
        with archive.open(entry) as part:
            while chunk := part.read(1024 * 1024):
                total += len(chunk)
                if total > MAX_UNPACKED_BYTES:
                    raise _bomb(name, total)


def _attributes(xml: bytes, attribute: str) -> set[str]:
    """Every value of `attribute` in an XML part, lower-cased, read by a parser
    that refuses entity tricks (character references are resolved, so
    "&#118;baProject" reads as what it is)."""
    return {element.get(attribute, "").lower() for element in safe_xml.fromstring(xml).iter()} - {""}


def _bomb(name: str, size: int) -> UploadRejected:
    return UploadRejected(
        _(
            "Tệp “%(name)s” chứa dữ liệu nén bất thường (khi giải nén lên tới %(size)s), có thể là tệp "
            "độc hại, nên không được nhận."
        )
        % {"name": name, "size": filesizeformat(size)}
    )


def _macro(name: str) -> UploadRejected:
    return UploadRejected(
        _(
            "Tệp “%(name)s” có chứa macro (mã lệnh tự chạy) nên không được nhận. Hãy lưu lại dưới dạng "
            "tài liệu thường (.docx, .pptx) hoặc PDF rồi tải lên."
        )
        % {"name": name}
    )


def _encrypted(name: str) -> UploadRejected:
    return UploadRejected(
        _("Tệp “%(name)s” được đặt mật khẩu nên không mở được. Hãy bỏ mật khẩu rồi tải lên lại.") % {"name": name}
    )


def _ole_type(upload, name: str) -> str:
    try:
        ole = olefile.OleFileIO(upload)
    except Exception:  # noqa: BLE001
        upload.seek(0)
        raise _broken(name, "Word") from None
    try:
        # Office puts an encrypted .docx or .pptx inside an OLE container.
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise _encrypted(name)
        if ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR"):
            raise _macro(name)
        if not ole.exists("WordDocument"):
            raise UploadRejected(
                _("Tệp “%(name)s” là tệp Office cũ nhưng không phải văn bản Word, nên không được nhận.")
                % {"name": name}
            )
        fib = ole.openstream("WordDocument").read(12)
        # The File Information Block's flags: bit 0x0100 is fEncrypted.
        if len(fib) >= 12 and int.from_bytes(fib[10:12], "little") & 0x0100:
            raise _encrypted(name)
    except Exception:  # noqa: BLE001 — an unreadable stream: the file is broken
        raise _broken(name, "Word") from None
    finally:
        ole.close()
        upload.seek(0)
    return FileType.DOC


def _pdf_pages(upload, name: str) -> int:
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise _encrypted(name)
        pages = len(reader.pages)
        if pages:
            reader.pages[0].mediabox  # noqa: B018 (opening the first page proves the page tree holds)
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 — pypdf raises many kinds of error on a damaged file; all mean "broken"
        raise _broken(name, "PDF") from None
    finally:
        upload.seek(0)
    if not pages:
        raise _broken(name, "PDF")
    return pages
