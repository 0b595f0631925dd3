"""Registering (vào sổ) documents signed outside the portal: what is stored
and audited, numbers never given twice whichever way they were taken, the
counter's rule, issuers checked against the day, bad files refused without
a trace, who may register, and the page."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyKind
from core.exceptions import Refused
from core.models import AuditEntry
from core.scoping import user_scope
from documents import services
from documents.models import Document, NumberCounter, Origin, RenderedFile

from .conftest import client_for
from .factories import AgencyFactory, DocumentFactory, NumberCounterFactory, pdf_bytes

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 10)


@pytest.fixture
def committee(lang_son):
    return AgencyFactory(
        province=lang_son,
        code="UBND-LS",
        short_name="UBND",
        kind=AgencyKind.PROVINCIAL_COMMITTEE,
        name="Ủy ban nhân dân tỉnh Lạng Sơn",
    )


@pytest.fixture
def district(lang_son):
    """A district dissolved when the district level was abolished."""
    return AgencyFactory(
        province=lang_son,
        code="UBND-VL",
        short_name="UBND",
        kind=AgencyKind.DISTRICT,
        name="Ủy ban nhân dân huyện Văn Lãng",
        active_to=dt.date(2025, 6, 30),
    )


def signed(name="van-ban-da-ky.pdf", data=None):
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, content_type="application/pdf")


def register(actor, issuer, number=15, issued_on=DAY, **fields):
    values = {
        "doc_type": "KH",
        "title": "Kế hoạch cải cách hành chính năm 2025",
        "reason": "Ký giấy trước khi có cổng; vào sổ để đủ sổ năm 2025.",
    } | fields
    return services.document_register(actor=actor, issuer=issuer, number=number, issued_on=issued_on, **values)


def form_data(issuer, **fields):
    return {
        "issuer": issuer.pk,
        "doc_type": "KH",
        "number": "15",
        "issued_on": "10/03/2025",
        "title": "Kế hoạch cải cách hành chính năm 2025",
        "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn A",
        "reason": "Ký giấy trước khi có cổng.",
    } | fields


def stored_files() -> list[str]:
    found = []

    def walk(path):
        if not default_storage.exists(path):
            return
        folders, names = default_storage.listdir(path)
        found.extend(f"{path}/{n}" for n in names)
        for folder in folders:
            walk(f"{path}/{folder}")

    walk("documents")
    return sorted(found)


def nothing_changed(before_files):
    assert not Document.objects.exists()
    assert not RenderedFile.objects.exists()
    assert not AuditEntry.objects.filter(action="document.register").exists()
    assert stored_files() == before_files


# --- Registering -------------------------------------------------------------------------------


def test_register_stores_an_issued_document_with_its_signed_pdf_and_audits_it(organiser, committee):
    upload = signed()
    document = register(organiser, committee, signer_title="Phó Chủ tịch", signer_name="Nguyễn Văn A", upload=upload)
    document.refresh_from_db()
    assert (document.status, document.origin) == (Document.Status.ISSUED, Origin.REGISTERED)
    assert (document.year, document.number, document.issued_on) == (2025, 15, DAY)
    assert document.symbol_display == "15/KH-UBND"
    assert document.issued_by == organiser and document.province_id == committee.province_id
    assert document.register_note == "Ký giấy trước khi có cổng; vào sổ để đủ sổ năm 2025."
    assert not document.sections.exists()
    row = document.issued_file
    assert (row.kind, row.status, row.pages, row.size) == ("pdf", "done", 1, len(pdf_bytes()))
    digest = hashlib.sha256(pdf_bytes()).hexdigest()
    assert row.sha256 == document.issued_sha256 == digest
    with row.file.open("rb") as handle:
        assert handle.read() == pdf_bytes()
    entry = AuditEntry.objects.get(action="document.register")
    assert entry.actor == organiser and entry.object_id == str(document.pk)
    assert entry.note == document.register_note
    assert entry.after["number"] == 15 and entry.after["origin"] == "registered"
    assert entry.after["issued_on"] == "2025-03-10"
    # Downloads work as for a portal document.
    response = client_for(organiser).get(reverse("documents:file-download", args=[document.pk, row.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    assert "15-KH-UBND.pdf" in response["Content-Disposition"]


def test_register_without_a_file_has_no_issued_file(organiser, committee):
    document = register(organiser, committee, doc_type="CV", drafting_unit_abbr="NC", issuer_abbr="UBND")
    assert document.issued_file is None and document.issued_sha256 == ""
    assert document.symbol_display == "15/UBND-NC"
    with pytest.raises(Refused):
        services.request_file(document=document, kind="pdf")
    assert not RenderedFile.objects.exists()


def test_a_number_issued_in_the_portal_is_refused_naming_the_document(organiser, committee):
    issued = DocumentFactory(
        province=committee.province, issuer=committee, issued=True, year=2025, number=7, issued_on=dt.date(2025, 2, 3)
    )
    with pytest.raises(Refused) as refused:
        register(organiser, committee, number=7, upload=signed())
    message = refused.value.reasons[0]
    assert "đã dùng" in message and "07/GM-UBND" in message and "03/02/2025" in message
    assert "ban hành trên cổng" in message
    assert list(Document.objects.all()) == [issued]
    assert not RenderedFile.objects.exists() and not AuditEntry.objects.exists()


def test_a_number_registered_before_is_refused_and_other_years_and_issuers_are_free(organiser, committee, district):
    first = register(organiser, committee, number=8)
    with pytest.raises(Refused) as refused:
        register(organiser, committee, number=8, doc_type="QĐ", issued_on=dt.date(2025, 5, 2))
    assert "08/KH-UBND" in refused.value.reasons[0] and "vào sổ" in refused.value.reasons[0]
    assert Document.objects.count() == 1 and AuditEntry.objects.count() == 1
    # The same number in another year, or of another issuer, is another register's.
    other_year = register(organiser, committee, number=8, issued_on=dt.date(2024, 12, 30))
    other_issuer = register(organiser, district, number=8)
    assert {first.year, other_year.year} == {2025, 2024} and other_issuer.issuer == district


def test_a_revoked_number_stays_taken(organiser, committee):
    document = register(organiser, committee, number=3)
    services.revoke(actor=organiser, document=document, reason="Ban hành nhầm")
    with pytest.raises(Refused):
        register(organiser, committee, number=3)


# --- The counter ------------------------------------------------------------------------------


def today_issue(organiser, committee):
    """A portal document issued today (rendering is not what is tested here)."""
    draft = services.document_create(
        actor=organiser,
        issuer=committee,
        doc_type="GM",
        title="Dự hội nghị",
        signer_title="CHỦ TỊCH",
        signer_name="Nguyễn Văn A",
        recipients="Lưu: VT.",
        sections=[{"text": "Trân trọng kính mời./."}],
    )
    return services.issue(actor=organiser, document=draft)


def test_a_registered_number_above_the_counter_moves_it_up(organiser, committee):
    year = timezone.localdate().year
    NumberCounterFactory(issuer=committee, year=year, last=12)
    register(organiser, committee, number=15, issued_on=timezone.localdate())
    assert NumberCounter.objects.get(issuer=committee, year=year).last == 15
    assert today_issue(organiser, committee).number == 16
    # Numbers left between stay free for other documents signed elsewhere.
    assert register(organiser, committee, number=13, issued_on=timezone.localdate()).number == 13
    assert NumberCounter.objects.get(issuer=committee, year=year).last == 16


def test_a_registered_number_below_the_counter_fills_a_gap_and_leaves_it(organiser, committee):
    year = timezone.localdate().year
    NumberCounterFactory(issuer=committee, year=year, last=20)
    register(organiser, committee, number=5, issued_on=timezone.localdate())
    assert NumberCounter.objects.get(issuer=committee, year=year).last == 20
    assert today_issue(organiser, committee).number == 21


def test_registering_another_year_leaves_this_years_counter(organiser, committee):
    year = timezone.localdate().year
    NumberCounterFactory(issuer=committee, year=year, last=4)
    register(organiser, committee, number=90, issued_on=dt.date(year - 1, 11, 2))
    assert NumberCounter.objects.get(issuer=committee, year=year).last == 4
    assert NumberCounter.objects.get(issuer=committee, year=year - 1).last == 90
    assert today_issue(organiser, committee).number == 5


def test_allocate_number_passes_over_numbers_already_taken(committee):
    year = timezone.localdate().year
    NumberCounterFactory(issuer=committee, year=year, last=3)
    for number in (4, 5, 7):  # say, written before the counter kept up with them
        DocumentFactory(province=committee.province, issuer=committee, issued=True, year=year, number=number)
    with transaction.atomic():
        assert services.allocate_number(committee, year) == 6
        assert services.allocate_number(committee, year) == 8
    assert NumberCounter.objects.get(issuer=committee, year=year).last == 8


@pytest.mark.django_db(transaction=True)
def test_a_double_click_registers_once(lang_son, organiser, committee):
    # The counter row exists already, so only its lock keeps the clicks apart.
    NumberCounterFactory(issuer=committee, year=DAY.year, last=2)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def press():
        try:
            barrier.wait()
            with user_scope(organiser):  # each click is a request of its own
                results.append(register(organiser, committee, number=15))
        except Refused as refused:
            errors.append(refused.reasons[0])
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1 and len(errors) == 3
    assert all("đã dùng" in error for error in errors), errors
    assert Document.objects.count() == 1
    assert AuditEntry.objects.filter(action="document.register").count() == 1


# --- Issuers and dates ---------------------------------------------------------------------------


def test_an_issuer_not_active_on_the_day_is_refused(organiser, district):
    with pytest.raises(Refused) as refused:
        register(organiser, district, issued_on=dt.date(2025, 8, 1))
    assert "không hoạt động vào ngày 01/8/2025" in refused.value.reasons[0]
    assert not Document.objects.exists()
    # On a day it existed, it is its register.
    assert register(organiser, district, issued_on=dt.date(2025, 6, 30)).issuer == district


def test_a_day_still_to_come_is_refused(organiser, committee):
    with pytest.raises(Refused):
        register(organiser, committee, issued_on=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(Refused):
        register(organiser, committee, reason="  ")
    assert not Document.objects.exists()


# --- Bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (lambda: signed("van-ban.pdf", b"Day la van ban Word doi duoi"), "không phải tệp PDF"),
        (lambda: signed("rong.pdf", b""), "rỗng"),
        (lambda: signed("hong.pdf", b"%PDF-1.7\n1 0 obj garbage"), "bị hỏng"),
        (lambda: signed("lon.pdf"), "vượt quá giới hạn"),
    ],
)
def test_a_bad_file_is_refused_and_changes_nothing(organiser, committee, settings, upload, words):
    settings.REGISTERED_FILE_MAX_BYTES = len(pdf_bytes()) - 1 if words == "vượt quá giới hạn" else 10**7
    before = stored_files()
    with pytest.raises(Refused) as refused:
        register(organiser, committee, upload=upload())
    assert words in refused.value.reasons[0]
    nothing_changed(before)
    assert not NumberCounter.objects.exists()


def test_a_bad_file_on_the_page_is_shown_beside_the_field(organiser, committee):
    before = stored_files()
    client = client_for(organiser)
    response = client.post(
        reverse("documents:register"), form_data(committee, file=signed("to-trinh.pdf", b"PK\x03\x04 not a pdf"))
    )
    assert response.status_code == 200
    assert "“to-trinh.pdf” không phải tệp PDF" in response.context["form"].errors["file"][0]
    assert "Kế hoạch cải cách hành chính năm 2025" in response.content.decode()  # what was typed stays
    nothing_changed(before)


# --- Who may register --------------------------------------------------------------------------


def test_only_organisers_of_the_province_may_register(organiser, official, leader, other_organiser, committee):
    for user in (official, leader, other_organiser):
        with pytest.raises(PermissionDenied):
            register(user, committee)
    for user in (official, leader):
        with pytest.raises(PermissionDenied):
            register(user, user.agency)  # not even under their own agency
    assert not Document.objects.exists()
    for user in (official, leader):
        client = client_for(user)
        assert client.get(reverse("documents:register")).status_code == 403
        assert client.post(reverse("documents:register"), form_data(committee)).status_code == 403
    assert "Vào sổ văn bản đã ký" not in client_for(official).get(reverse("documents:list")).content.decode()
    # Another province's organiser is not offered, and cannot post, Lạng Sơn's issuers.
    client = client_for(other_organiser)
    page = client.get(reverse("documents:register"))
    assert page.status_code == 200 and committee not in page.context["form"].fields["issuer"].queryset
    response = client.post(reverse("documents:register"), form_data(committee))
    assert response.status_code == 200 and "issuer" in response.context["form"].errors
    assert not Document.objects.exists()


# --- The page -----------------------------------------------------------------------------------


def test_the_page_registers_and_the_document_shows_as_registered(organiser, committee, district):
    client = client_for(organiser)
    listing = client.get(reverse("documents:list")).content.decode()
    assert reverse("documents:register") in listing
    page = client.get(reverse("documents:register")).content.decode()
    # The issuer is a picker of units of any period, each saying until when it existed.
    assert f'data-autocomplete-light-url="{reverse("agencies:agency-picker")}"' in page
    found = client.get(reverse("agencies:agency-picker"), {"q": "van lang"}).json()
    labels = [row["text"] for group in found["results"] for row in group["children"]]
    assert "Ủy ban nhân dân huyện Văn Lãng (đến 30/06/2025)" in labels
    response = client.post(reverse("documents:register"), form_data(committee, file=signed()))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[document.pk])
    assert document.is_registered and document.issued_file.is_done
    detail = client.get(response["Location"]).content.decode()
    assert "Ký giấy trước khi có cổng." in detail and organiser.get_full_name() in detail
    assert "Vào sổ" in detail and "PDF (bản đã ký)" in detail
    assert "Word (DOCX)" not in detail and "Giấy mời riêng" not in detail
    assert reverse("documents:file-download", args=[document.pk, document.issued_file_id]) in detail
    listing = client.get(reverse("documents:list")).content.decode()
    assert "registered-badge" in listing and "15/KH-UBND" in listing
    # The same form again (a second click): the clear message, nothing else.
    again = client.post(reverse("documents:register"), form_data(committee, file=signed()))
    assert again.status_code == 200
    assert "đã dùng" in again.content.decode() and "15/KH-UBND" in again.content.decode()
    assert Document.objects.count() == 1 and RenderedFile.objects.count() == 1
    # An issuer that did not exist on the day is refused beside the field.
    late = client.post(reverse("documents:register"), form_data(district, number="16", issued_on="01/08/2025"))
    assert "không hoạt động vào ngày 01/8/2025" in late.context["form"].errors["issuer"][0]
    assert Document.objects.count() == 1


def test_an_official_reads_a_registered_document_and_downloads_it(organiser, official, committee):
    document = register(organiser, committee, upload=signed())
    client = client_for(official)
    detail = client.get(reverse("documents:detail", args=[document.pk]))
    assert detail.status_code == 200 and "Thu hồi" not in detail.content.decode()
    download = client.get(reverse("documents:file-download", args=[document.pk, document.issued_file_id]))
    assert download.status_code == 200


def test_nothing_is_rendered_for_a_registered_document(organiser, committee):
    document = register(organiser, committee, doc_type="GM", upload=signed())
    client = client_for(organiser)
    response = client.post(reverse("documents:file-request", args=[document.pk, "docx"]), follow=True)
    assert "không tạo tệp từ cổng" in response.content.decode()
    assert services.request_file(document=document, kind="pdf") == document.issued_file
    with pytest.raises(Refused):
        services.request_batch(actor=organiser, document=document)
    assert RenderedFile.objects.count() == 1 and not document.batches.exists()


def test_a_registered_document_is_revoked_and_replaced_like_another(organiser, committee):
    document = register(organiser, committee, upload=signed())
    client = client_for(organiser)
    client.post(reverse("documents:revoke", args=[document.pk]), {"reason": "Sai trích yếu"})
    document.refresh_from_db()
    assert document.is_revoked and document.revoke_reason == "Sai trích yếu" and document.number == 15
    entry = AuditEntry.objects.get(action="document.revoke")
    assert entry.before["status"] == "issued" and entry.after["status"] == "revoked"
    # A replacement is drafted in the portal: the header, and a body to write.
    copy = services.replacement_create(actor=organiser, document=document)
    assert copy.is_draft and copy.replaces == document and copy.origin == Origin.DRAFTED
    assert copy.title == document.title and not copy.sections.exists()
