"""Personal copies laid out once (documents/copies.py): each copy reads as a
full render of it would, word for word and place for place; a line that
wraps is rendered whole; the merged file shares the fonts."""

import io
import zipfile

import pdfplumber
import pytest

from agencies.models import AgencyKind
from documents import copies, rendering, services
from documents.models import Document, RenderedFile, Section

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db

# A commune's invitation of 2027, written as its office would: not one of the
# seeds, two pages, a table, addressees of every length and a few awkward ones.
ADDRESSEES = [
    "Đảng ủy xã Quảng Lạc",
    "Ủy ban Mặt trận Tổ quốc Việt Nam xã Quảng Lạc",
    "Trường Trung học cơ sở Quảng Lạc",
    "Hợp tác xã Nông nghiệp & Dịch vụ “Quảng Lạc”",
    "Trạm Y tế xã",
    "Ban Chỉ huy Quân sự xã <Quảng Lạc>",
    # Too long for one line beside "Kính gửi:": rendered whole.
    "Ban Quản lý dự án đầu tư xây dựng và phát triển quỹ đất khu vực Quảng Lạc, Yên Trạch, Đồng Bành và Tân Thành",
]
LONG = ADDRESSEES[-1]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def letter(lang_son, organiser):
    commune = AgencyFactory(
        province=lang_son, kind=AgencyKind.COMMUNE, code="XQL", short_name="UBND", name="Ủy ban nhân dân xã Quảng Lạc"
    )
    document = Document.objects.create(
        province=lang_son,
        issuer=commune,
        doc_type="GM",
        issuer_name="ỦY BAN NHÂN DÂN\nXÃ QUẢNG LẠC",
        issuer_abbr="UBND",
        place="Quảng Lạc",
        title="Dự Hội nghị triển khai nhiệm vụ cải cách hành chính năm 2027",
        addressees="\n".join(ADDRESSEES),
        authority_lines="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
        signer_title="",
        signer_name="Hoàng Thị Mai",
        recipients="Như thành phần mời;\nLưu: VT, VP.",
        created_by=organiser,
    )
    text = (
        "Thực hiện Kế hoạch cải cách hành chính năm 2027 của Ủy ban nhân dân tỉnh, Ủy ban nhân dân xã tổ chức "
        "Hội nghị triển khai nhiệm vụ, đánh giá kết quả Chỉ số CCHC, Chỉ số SIPAS năm 2026 của xã."
    )
    for order in range(1, 13):
        Section.objects.create(document=document, order=order, part="body", text=f"{order}. {text}")
    table = ["| STT | Nội dung | Đơn vị |", "|---|---|---|"] + [f"| {i}. | {text} | Văn phòng |" for i in range(1, 4)]
    Section.objects.create(document=document, order=20, part="body", text="\n".join(table))
    return document


def words(data: bytes) -> list[tuple[int, str, float, float]]:
    """Every word with its page and place (points), in reading order."""
    found = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages):
            found += [(number, w["text"], w["x0"], w["top"]) for w in page.extract_words()]
    return sorted(found, key=lambda w: (w[0], round(w[3]), w[2]))


def assert_same_text(copy: bytes, full: bytes) -> None:
    ours, theirs = words(copy), words(full)
    assert [(w[0], w[1]) for w in ours] == [(w[0], w[1]) for w in theirs]
    drift = max(max(abs(a[2] - b[2]), abs(a[3] - b[3])) for a, b in zip(ours, theirs, strict=True))
    assert drift < 1.0, drift


def test_every_copy_from_the_sheet_reads_as_its_full_render(letter):
    sheet = copies.copy_sheet(letter, ADDRESSEES)
    assert sheet is not None and sheet.pages == 2
    assert set(sheet.drawings) == set(ADDRESSEES) - {LONG}
    assert sheet.pdf(LONG) is None
    for label in ADDRESSEES[:-1]:
        copy = sheet.pdf(label)
        full = rendering.write_pdf(rendering.print_html(letter, addressee=label))
        assert_same_text(copy, full)
        # Laid out once: the copy is the document with one update appended.
        assert copy.count(b"%%EOF") == 2 and sheet.drawing_of(copy) is not None
    # Many lines are laid out over several pages of their own: any of them
    # is found and moved right.
    many = [*ADDRESSEES, *(f"Ủy ban nhân dân xã Thử Nghiệm {i}" for i in range(150))]
    sheet_of_many = copies.copy_sheet(letter, many)
    assert len(sheet_of_many.drawings) == len(many) - 1
    last = many[-1]
    assert_same_text(sheet_of_many.pdf(last), rendering.write_pdf(rendering.print_html(letter, addressee=last)))
    # Markup in a name is text, never markup.
    first_page = " ".join(words(sheet.pdf(ADDRESSEES[5]))[i][1] for i in range(60))
    assert "<Quảng Lạc>" in first_page


def test_a_batch_lays_out_once_renders_the_long_line_whole_and_merges_sharing_fonts(letter, organiser, committed):
    batch = committed(services.request_batch, actor=organiser, document=letter)
    batch.refresh_from_db()
    assert batch.status == "done", batch.error
    items = {item.addressee: item for item in batch.items.all()}
    assert set(items) == set(ADDRESSEES) and all(i.status == RenderedFile.Status.DONE for i in items.values())
    stored = {label: item.file.open("rb").read() for label, item in items.items()}
    for label, data in stored.items():
        # Each stored copy reads as its full render; only the long one was rendered whole.
        assert_same_text(data, rendering.write_pdf(rendering.print_html(letter, addressee=label)))
        assert data.count(b"%%EOF") == (1 if label == LONG else 2), label
        assert items[label].pages == 2
    merged = batch.merged_file.open("rb").read()
    order = [item.addressee for item in batch.items.order_by("pk")]
    with pdfplumber.open(io.BytesIO(merged)) as pdf:
        assert len(pdf.pages) == 2 * len(ADDRESSEES)
        for index, label in enumerate(order):
            first = " ".join(pdf.pages[2 * index].extract_text().split())
            assert f"Kính gửi: {label}" in first
    # The fonts once, not once a copy.
    assert len(merged) < sum(len(d) for d in stored.values()) / 2
    with zipfile.ZipFile(batch.zip_file.open("rb")) as bundle:
        assert sorted(bundle.read(name) for name in bundle.namelist()) == sorted(stored.values())


def test_a_finisher_without_the_sheet_merges_the_copies_whole(letter, organiser, committed):
    """The chunk that finishes a batch may run in a process that laid out
    nothing: the merged file is then every copy appended whole, and reads
    the same."""
    from documents.services import files

    batch = committed(services.request_batch, actor=organiser, document=letter)
    batch.refresh_from_db()
    shared = batch.merged_file.open("rb").read()
    files._SHEETS.clear()
    type(batch).objects.filter(pk=batch.pk).update(status="running")
    files.batch_finish(batch_id=batch.pk)
    batch.refresh_from_db()
    whole = batch.merged_file.open("rb").read()
    assert len(whole) > len(shared)
    assert [w[1] for w in words(whole)] == [w[1] for w in words(shared)]


def test_a_file_prints_the_html_it_was_asked_for_once_built(letter, monkeypatch):
    """The HTML is built once when the render runs where it was asked for;
    a worker elsewhere builds it again and refuses a document changed since."""
    from django.db import transaction

    from documents.services import files

    with transaction.atomic():  # tasks wait for the commit: render by hand below
        row = services.request_file(document=letter, kind="pdf")
    built = []
    monkeypatch.setattr(rendering, "print_html", lambda *a, **k: built.append(1) or "")
    files.file_render(row_id=row.pk)
    row.refresh_from_db()
    assert row.status == "done" and built == []
    assert "Kính gửi:" in " ".join(w[1] for w in words(row.file.open("rb").read()))
    monkeypatch.undo()

    Section.objects.filter(document=letter).update(text="Nội dung đã sửa.")
    rendering._ASKED.clear()
    RenderedFile.objects.filter(pk=row.pk).update(status="queued")
    files.file_render(row_id=row.pk)
    row.refresh_from_db()
    assert row.status == "failed" and "đã thay đổi" in row.error


def test_a_line_that_paints_more_than_text_is_rendered_whole(letter, monkeypatch):
    # Should the line's style ever draw a rule (an underline), no copy is made
    # from the sheet: moving its glyphs alone would lose the rule.
    stamp_html = copies._stamp_html
    monkeypatch.setattr(
        copies,
        "_stamp_html",
        lambda width, labels: stamp_html(width, labels).replace(
            "</style>", ".doc-to-label { text-decoration: underline; }</style>"
        ),
    )
    assert copies.copy_sheet(letter, ADDRESSEES[:2]) is None
