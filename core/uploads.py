"""Every uploaded file, inspected from its bytes before anything is stored.

The name an official gives a file says nothing about its content: the type
is told by the signature and, for Office files, by the parts inside the zip
or OLE container. Each use of an upload (a presentation, a duty report's
attachment, an index's evidence, an import) names the kinds it takes; a file
of another kind, or one that could act on the reader's machine (a program,
macros, a document that fetches a template or object from elsewhere,
JavaScript or launch actions in a PDF, files hidden inside a PDF), or that
cannot be opened (encrypted, broken, a zip that would expand without end),
is refused here with a message the official can act on.

The request body itself is bounded before it is read
(`UploadLimitMiddleware`, `LimitedUploadHandler`, settings.UPLOAD_LIMITS),
and `store` writes an inspected file so that a failure, a full disk
included, leaves nothing behind."""

from __future__ import annotations

import errno
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO

import olefile
from defusedxml import ElementTree as safe_xml
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from .exceptions import Refused

MAX_NAME_LENGTH = 200
# A real document's parts expand to a few tens of megabytes at most.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_ZIP_ENTRIES = 5000
# A PDF's object graph is walked whole; a real one has a few thousand objects.
MAX_PDF_OBJECTS = 200_000

LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "doc": "Word 97–2003 (DOC)",
    "pptx": "PowerPoint (PPTX)",
    "odt": "OpenDocument (ODT)",
    "xlsx": "Excel (XLSX)",
    "xls": "Excel 97–2003 (XLS)",
    "ods": "OpenDocument (ODS)",
    "csv": "CSV",
    "jpg": "JPG",
    "png": "PNG",
    "zip": "ZIP",
}
EXTENSIONS = {f".{kind}": kind for kind in LABELS} | {".jpeg": "jpg"}

EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPG_MAGIC = b"\xff\xd8\xff"
# What a browser would take for a page or a script, whatever the name says.
MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|iframe|\?xml|!--)", re.IGNORECASE)
MACRO_PARTS = re.compile(
    r"(^|/)vbaProject\.bin$|(^|/)vbaData\.xml$|(^|/)(Basic|Scripts|activeX|macrosheets)/", re.IGNORECASE
)
MACRO_WORDS = ("macroenabled", "vbaproject", "activex", "macrosheet")
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# A Word field that runs a program when the document is opened or updated.
DDE_FIELD = re.compile(r"\bDDE(AUTO)?\b", re.IGNORECASE)
INSTR_TEXT = re.compile(rb"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"")
# ODF: a macro bound to an event, a section or table pulled from another
# file, an object or picture linked (not embedded) from outside the package.
ODF_MACRO = re.compile(rb"<script:event-listener\b")
ODF_EXTERNAL = re.compile(
    rb"<(?:text:section-source|table:table-source|office:dde-source|table:dde-link|text:dde-connection-decl)\b"
    rb"|<draw:(?:object|object-ole|image|plugin|applet|floating-frame)\b[^>]*?\bxlink:href=\""
    rb"(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//|\\\\|\.\./)"
)
# PDF keys and actions that run something, open something, or carry a file.
PDF_SCRIPT_KEYS = {"/JavaScript", "/JS", "/AA"}
PDF_SCRIPT_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"}
PDF_EMBED_KEYS = {"/EmbeddedFiles", "/EF", "/RichMedia"}
PDF_EMBED_TYPES = {"/EmbeddedFile", "/RichMedia", "/FileAttachment"}


@dataclass(frozen=True)
class Use:
    """What one kind of upload takes, and how its refusal names that."""

    kinds: tuple[str, ...]
    label: str | Promise

    @property
    def accept(self) -> str:
        """The file input's `accept` attribute."""
        return ",".join(ext for ext, kind in EXTENSIONS.items() if kind in self.kinds)


PRESENTATION = Use(("pdf", "docx", "doc", "pptx", "odt"), "PDF, DOCX, DOC, PPTX, ODT")
DUTY_FILE = Use(
    ("pdf", "docx", "doc", "xlsx", "xls", "odt", "pptx", "jpg", "png", "zip"),
    gettext_lazy("PDF, Word, Excel, PowerPoint, ODT, ảnh JPG/PNG hoặc ZIP"),
)
EVIDENCE = Use(
    ("pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "jpg", "png", "zip"),
    gettext_lazy("PDF, Word, Excel, ảnh JPG/PNG hoặc ZIP"),
)
TABLE = Use(("csv", "xlsx", "xls", "ods"), gettext_lazy(".csv, .xlsx, .xls hoặc .ods"))
SPREADSHEET = Use(("xlsx", "xls", "ods"), gettext_lazy(".xlsx, .xls hoặc .ods"))


class UploadRejected(ValidationError):
    pass


@dataclass(frozen=True)
class Inspected:
    name: str
    kind: str
    size: int
    sha256: str
    pages: int | None


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


def extension_kind(name: str) -> str | None:
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    return EXTENSIONS.get(extension)


def inspect_upload(upload, *, use: Use, max_bytes: int) -> Inspected:
    """Read the upload (an UploadedFile, or a File with a name) and say what
    it is, or raise UploadRejected."""
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
    upload.seek(0)
    try:
        kind, pages = _inspect(upload, name, use)
    finally:
        upload.seek(0)
    return Inspected(name=name, kind=kind, size=size, sha256=_sha256(upload), pages=pages)


def _inspect(handle, name: str, use: Use) -> tuple[str, int | None]:
    expected = extension_kind(name)
    if expected not in use.kinds:
        raise UploadRejected(
            _("Tệp “%(name)s” không thuộc định dạng được nhận: chỉ nhận %(allowed)s.")
            % {"name": name, "allowed": use.label}
        )
    handle.seek(0)
    head = handle.read(4096)
    handle.seek(0)
    pages = None
    if head.startswith(EXECUTABLE_MAGIC):
        raise UploadRejected(
            _("Tệp “%(name)s” là một chương trình chạy được, không phải tài liệu, nên không được nhận.")
            % {"name": name}
        )
    if head.startswith(b"PK\x03\x04"):
        actual = _zip_type(handle, name, use)
    elif head.startswith(OLE_MAGIC):
        actual = _ole_type(handle, name)
    elif head.lstrip(b"\x00\t\r\n \xef\xbb\xbf").startswith(b"%PDF-"):
        # A PDF starts with its header: one preceded by HTML is a polyglot.
        actual, pages = "pdf", _pdf_pages(handle, name)
    elif head.startswith(JPG_MAGIC):
        actual = "jpg"
    elif head.startswith(PNG_MAGIC) and head[12:16] == b"IHDR":
        actual = "png"
    elif expected == "csv" and not MARKUP.match(head.lstrip(b"\xef\xbb\xbf")):
        # Plain text: its encoding and columns are for the table reader to judge.
        actual = "csv"
    else:
        raise UploadRejected(
            _(
                "Nội dung tệp “%(name)s” không phải %(label)s (có thể tệp đã bị đổi đuôi). Hãy mở tệp, lưu "
                "lại đúng định dạng rồi tải lên."
            )
            % {"name": name, "label": LABELS[expected]}
        )
    if actual != expected:
        raise UploadRejected(
            _(
                "Tệp “%(name)s” có đuôi .%(ext)s nhưng nội dung là %(label)s. Hãy đặt lại đúng đuôi tệp "
                "hoặc lưu lại đúng định dạng rồi tải lên."
            )
            % {"name": name, "ext": name.rsplit(".", 1)[-1].lower(), "label": LABELS[actual]}
        )
    return actual, pages


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# --- Refusals ------------------------------------------------------------------------------------


def _broken(name: str, kind: str) -> UploadRejected:
    if kind in ("xlsx", "xls", "ods"):
        return UploadRejected(
            _(
                "Không đọc được tệp bảng tính “%(name)s”: tệp bị hỏng hoặc không phải tệp Excel (.xlsx, .xls) "
                "hay .ods. Hãy mở lại tệp trên máy, lưu lại rồi tải lên."
            )
            % {"name": name}
        )
    return UploadRejected(
        _("Tệp “%(name)s” bị hỏng, không mở được như một tệp %(label)s. Hãy mở lại tệp trên máy, lưu lại rồi tải lên.")
        % {"name": name, "label": LABELS.get(kind, kind)}
    )


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
            "tài liệu thường (.docx, .pptx, .xlsx) hoặc PDF rồi tải lên."
        )
        % {"name": name}
    )


def _external(name: str, target: str) -> UploadRejected:
    return UploadRejected(
        _(
            "Tệp “%(name)s” lấy nội dung từ một địa chỉ bên ngoài tệp (mẫu, đối tượng hoặc ảnh liên kết tới "
            "“%(target)s”): khi mở, tệp sẽ tự tải nội dung đó về nên không được nhận. Hãy lưu tệp thành PDF, "
            "hoặc bỏ liên kết rồi lưu thành tệp mới (trong Word: Tệp → Tùy chọn → Phần bổ trợ → Mẫu, xóa mẫu "
            "đính kèm; trong Excel: Dữ liệu → Sửa liên kết → Ngắt liên kết) rồi tải lên lại."
        )
        % {"name": name, "target": target[:80]}
    )


def _encrypted(name: str) -> UploadRejected:
    return UploadRejected(
        _("Tệp “%(name)s” được đặt mật khẩu nên không mở được. Hãy bỏ mật khẩu rồi tải lên lại.") % {"name": name}
    )


def _pdf_script(name: str) -> UploadRejected:
    return UploadRejected(
        _(
            "Tệp PDF “%(name)s” có chứa mã JavaScript hoặc lệnh tự chạy khi mở nên không được nhận. Hãy in lại "
            "tệp ra PDF mới (In → Microsoft Print to PDF) hoặc xuất lại PDF từ tệp gốc (Word: Lưu thành → PDF) "
            "rồi tải lên."
        )
        % {"name": name}
    )


def _pdf_embedded(name: str) -> UploadRejected:
    return UploadRejected(
        _(
            "Tệp PDF “%(name)s” có gắn kèm tệp khác hoặc nội dung đa phương tiện bên trong nên không được nhận. "
            "Hãy in lại tài liệu ra PDF mới (In → Microsoft Print to PDF) rồi tải lên; tệp đính kèm (nếu cần) "
            "gửi riêng."
        )
        % {"name": name}
    )


# --- Zip containers: Office Open XML, OpenDocument, plain archives ----------------------------------


def _zip_type(handle, name: str, use: Use) -> str:
    try:
        archive = zipfile.ZipFile(handle)
        entries = archive.infolist()
    except Exception:  # noqa: BLE001 — whatever the zip reader trips on, the file is unreadable
        raise _broken(name, extension_kind(name) or "zip") from None
    names = [entry.filename for entry in entries]
    # Sizes as the archive claims them first (cheap), then as they really are:
    # an archive may understate them, and a converter would unpack it all.
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
        raise _broken(name, extension_kind(name) or "zip")
    try:
        _count_unpacked(archive, entries, name)
        if any(MACRO_PARTS.search(part) for part in names):
            raise _macro(name)
        lowered = {part.lower(): part for part in names}
        if "[content_types].xml" in lowered:
            return _ooxml_type(archive, names, lowered["[content_types].xml"], name)
        if "mimetype" in names:
            kind = ODF_MIMETYPES.get(archive.read("mimetype")[:100].strip())
            if kind:
                _check_odf(archive, names, name)
                return kind
        if "zip" in use.kinds:
            _check_members(archive, entries, name, use)
            return "zip"
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 — a part that cannot be read or parsed: the file is broken
        raise _broken(name, extension_kind(name) or "zip") from None
    raise UploadRejected(
        _(
            "Tệp “%(name)s” là một tệp nén nhưng không phải tài liệu Word, PowerPoint, Excel hay OpenDocument, "
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


def _elements(xml: bytes):
    """Every element of an XML part, read by a parser that refuses entity
    tricks (character references are resolved, so "&#118;baProject" reads
    as what it is)."""
    return safe_xml.fromstring(xml).iter()


def _ooxml_type(archive: zipfile.ZipFile, names: list[str], content_types: str, name: str) -> str:
    types = {element.get("ContentType", "").lower() for element in _elements(archive.read(content_types))}
    relations = []
    for part in names:
        if part.lower().endswith(".rels"):
            relations += [element.attrib for element in _elements(archive.read(part)) if element.get("Type")]
    # A VBA project or ActiveX control can hang off any part name; the
    # content types and the relationships say what a part is.
    kinds = types | {relation["Type"].lower() for relation in relations}
    if any(word in value for value in kinds for word in MACRO_WORDS):
        raise _macro(name)
    for relation in relations:
        # Only a hyperlink may point outside the file: anything else (an
        # attached template, a linked object, frame or picture, an external
        # workbook) is fetched when the file is opened.
        if relation.get("TargetMode", "").lower() == "external" and not relation["Type"].endswith("/hyperlink"):
            raise _external(name, relation.get("Target", ""))
    kind = next((OOXML_MAIN[value] for value in types if value in OOXML_MAIN), None)
    if kind is None:
        raise UploadRejected(
            _(
                "Tệp “%(name)s” là tệp Office nhưng không phải văn bản Word, trình chiếu PowerPoint hay bảng "
                "tính Excel thông thường, nên không được nhận."
            )
            % {"name": name}
        )
    if kind == "docx":
        for part in names:
            if part.startswith("word/") and part.endswith(".xml"):
                fields = "".join((a or b).decode("utf-8", "replace") for a, b in INSTR_TEXT.findall(archive.read(part)))
                if DDE_FIELD.search(fields):
                    raise _macro(name)
    return kind


def _check_odf(archive: zipfile.ZipFile, names: list[str], name: str) -> None:
    for part in ("content.xml", "styles.xml"):
        if part in names:
            xml = archive.read(part)
            if ODF_MACRO.search(xml):
                raise _macro(name)
            if found := ODF_EXTERNAL.search(xml):
                raise _external(name, found.group(0).decode("utf-8", "replace"))


def _check_members(archive: zipfile.ZipFile, entries, name: str, use: Use) -> None:
    """A plain archive is taken only when every file in it would be taken
    on its own (an archive inside is not)."""
    inner = Use(tuple(kind for kind in use.kinds if kind != "zip"), use.label)
    for entry in entries:
        if entry.is_dir() or not entry.file_size:
            continue
        member = entry.filename.rsplit("/", 1)[-1]
        if entry.flag_bits & 0x1:
            raise _encrypted(name)
        try:
            clean_name(member)
            _inspect(BytesIO(archive.read(entry)), member, inner)
        except UploadRejected as error:
            raise UploadRejected(
                _("Trong tệp nén “%(name)s”: %(reason)s") % {"name": name, "reason": error.messages[0]}
            ) from None


# --- OLE (Office 97–2003) ----------------------------------------------------------------------------


def _ole_type(handle, name: str) -> str:
    expected = extension_kind(name) or "doc"
    try:
        ole = olefile.OleFileIO(handle)
    except Exception:  # noqa: BLE001
        raise _broken(name, expected) from None
    try:
        # Office puts an encrypted .docx or .xlsx inside an OLE container.
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise _encrypted(name)
        if ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR") or ole.exists("_VBA_PROJECT"):
            raise _macro(name)
        if ole.exists("Workbook") or ole.exists("Book"):
            return "xls"
        if not ole.exists("WordDocument"):
            raise UploadRejected(
                _(
                    "Tệp “%(name)s” là tệp Office cũ nhưng không phải văn bản Word hay bảng tính Excel, nên không "
                    "được nhận."
                )
                % {"name": name}
            )
        fib = ole.openstream("WordDocument").read(12)
        # The File Information Block's flags: bit 0x0100 is fEncrypted.
        if len(fib) >= 12 and int.from_bytes(fib[10:12], "little") & 0x0100:
            raise _encrypted(name)
        return "doc"
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 — an unreadable stream: the file is broken
        raise _broken(name, expected) from None
    finally:
        ole.close()


# --- PDF -----------------------------------------------------------------------------------------


def _pdf_pages(handle, name: str) -> int:
    try:
        reader = PdfReader(handle, strict=False)
        if reader.is_encrypted:
            raise _encrypted(name)
        pages = len(reader.pages)
        if pages:
            reader.pages[0].mediabox  # noqa: B018 (opening the first page proves the page tree holds)
        active = pdf_active_content(reader)
    except UploadRejected:
        raise
    except Exception:  # noqa: BLE001 — pypdf raises many kinds of error on a damaged file; all mean "broken"
        raise _broken(name, "pdf") from None
    if not pages:
        raise _broken(name, "pdf")
    if active == "script":
        raise _pdf_script(name)
    if active == "embedded":
        raise _pdf_embedded(name)
    return pages


def pdf_active_content(reader: PdfReader) -> str | None:
    """ "script" when anything reachable from the document's root runs or
    launches something (JavaScript, launch or import actions, additional
    actions on open, close or page view), "embedded" when it carries files
    or rich media, else None. pypdf decodes escaped names ("/J#61vaScript")
    and opens compressed object streams, so neither hides a key."""
    stack: list = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in PDF_SCRIPT_KEYS or (key == "/S" and value in PDF_SCRIPT_ACTIONS):
                    return "script"
                if key in PDF_EMBED_KEYS or (key in ("/Type", "/Subtype") and value in PDF_EMBED_TYPES):
                    return "embedded"
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def pdf_strip_actions(writer) -> None:
    """Drop what could run from pages bound into a PdfWriter: the pages'
    additional actions and the annotations that act (a file stored before
    uploads were inspected may still carry them)."""
    for page in writer.pages:
        page.pop(NameObject("/AA"), None)
        annotations = page.get("/Annots")
        if not annotations:
            continue
        kept = ArrayObject()
        for reference in annotations.get_object():
            annotation = reference.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            if "/AA" in annotation or (action is not None and action.get("/S") in PDF_SCRIPT_ACTIONS):
                continue
            if annotation.get("/Subtype") in PDF_EMBED_TYPES:
                continue
            kept.append(reference)
        page[NameObject("/Annots")] = kept


# --- Storing ---------------------------------------------------------------------------------------

DISK_FULL = gettext_lazy(
    "Máy chủ đã hết chỗ lưu trữ nên chưa lưu được tệp “%(name)s”; chưa có gì được ghi. Hãy thử lại sau ít "
    "phút; nếu vẫn không được, hãy báo quản trị hệ thống của Sở Nội vụ."
)


def store(field, filename: str, content, *, shown_name: str = "") -> str:
    """Write `content` into the FieldFile `field` under the name its
    upload_to makes of `filename` (which the caller makes unique), and
    return the stored name. Whatever fails on the way leaves no file, not
    even an empty one; a full disk becomes a refusal the official can read."""
    storage = field.storage
    name = field.field.generate_filename(field.instance, filename)
    content.seek(0)
    try:
        stored = storage.save(name, content, max_length=field.field.max_length)
    except BaseException as error:
        if storage.exists(name):
            storage.delete(name)
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise Refused(DISK_FULL % {"name": shown_name or filename}) from None
        raise
    field.name = stored
    setattr(field.instance, field.field.attname, stored)
    field._committed = True
    return stored


# --- The request body --------------------------------------------------------------------------------


class UploadTooLarge(RequestDataTooBig):
    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"Request body over {limit} bytes")


def body_limit(request) -> int:
    """The most a request to this path may send: the longest matching prefix
    of settings.UPLOAD_LIMITS."""
    limits, path = settings.UPLOAD_LIMITS, request.path_info
    prefix = max((p for p in limits if path.startswith(p)), key=len, default=None)
    return limits[prefix] if prefix is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the file bytes as they stream
    in and stops the parse when they pass the path's limit, before the next
    handler spools them to disk. UploadLimitMiddleware has already refused a
    body whose declared length is too large; this holds if it is not there."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = body_limit(self.request)
        self.received = 0
        if content_length > self.limit:
            raise UploadTooLarge(self.limit)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size):
        return None
