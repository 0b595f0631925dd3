"""The import preview shows what each row will store (parent, kind, tier,
locality, active period, successors), and the downloadable templates carry
example rows, which the import refuses, and a sheet of allowed values."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies import services
from agencies.importing import EXAMPLE_PREFIX, Ref
from agencies.models import Agency, AgencyKind, DirectoryImport, Level, Person
from core.exceptions import Refused

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Hoạt động từ ngày,Hoạt động đến ngày,Mã đơn vị kế thừa,"
    "Cấp,Địa danh\n"
)
HISTORY = HEADER + (
    "H-TD,UBND huyện Tràng Định,Huyện,,,30/06/2025,,Cấp huyện,Tràng Định\n"
    "PNV-TD,Phòng Nội vụ huyện Tràng Định,Phòng chuyên môn,H-TD,01/01/2010,30/06/2025,,,\n"
    "X-A,UBND xã A,Xã,H-TD,,30/06/2025,X-B; X-CU,,A\n"
    "X-B,UBND xã B,Xã,,01/07/2025,,,,\n"
    "TT-B,Trung tâm dịch vụ xã B,Đơn vị sự nghiệp,X-CU,,,,,\n"
)
EXAMPLE_MESSAGE = "Dòng ví dụ của tệp mẫu (mã đơn vị bắt đầu bằng “VIDU-”): hãy xoá các dòng ví dụ rồi tải tệp lên lại."


def upload(client, text_or_bytes, name="lich-su.csv", kind="agencies"):
    data = text_or_bytes.encode() if isinstance(text_or_bytes, str) else text_or_bytes
    file = io.BytesIO(data)
    file.name = name
    response = client.post(reverse("agencies:import"), {"kind": kind, "file": file})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response.url


def row_texts(html: str) -> dict[str, str]:
    """Each preview row as the reader sees it (tags dropped, spaces folded),
    by the first code it shows."""
    rows = {}
    for row in re.findall(r'<tr class="row-\w+">(.*?)</tr>', html, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        code = re.search(r"<code>([^<]+)</code>", row).group(1)
        rows[code] = text
    return rows


@pytest.fixture
def old_commune(lang_son):
    """A commune already in the directory, outside the file."""
    return AgencyFactory(province=lang_son, code="X-CU", name="UBND xã Cũ", kind=AgencyKind.COMMUNE)


def test_preview_shows_parent_kind_level_locality_period_and_successors_as_stored(
    client, organiser, lang_son, old_commune
):
    client.force_login(organiser)
    url = upload(client, HISTORY)
    page = client.get(url)
    rows = {row.values["code"]: row for row in page.context["preview"].rows}
    assert [row.action for row in rows.values()] == ["create"] * 5

    # A Phòng under a district is district level: derived from its parent in the file.
    office = rows["PNV-TD"]
    assert office.parent == Ref("H-TD", "UBND huyện Tràng Định", "file")
    assert (office.level, office.level_source) == (Level.DISTRICT, "parent")
    assert (rows["H-TD"].level, rows["H-TD"].level_source) == (Level.DISTRICT, "file")
    assert (rows["X-A"].level, rows["X-A"].level_source) == (Level.COMMUNE, "kind")
    assert rows["X-A"].successors == [Ref("X-B", "UBND xã B", "file"), Ref("X-CU", "UBND xã Cũ", "directory")]
    # A unit under a commune already in the directory is commune level.
    assert rows["TT-B"].parent == Ref("X-CU", "UBND xã Cũ", "directory")
    assert (rows["TT-B"].level, rows["TT-B"].level_source) == (Level.COMMUNE, "parent")

    texts = row_texts(page.content.decode())
    assert texts["PNV-TD"] == (
        "3 Thêm mới PNV-TD Phòng Nội vụ huyện Tràng Định Phòng chuyên môn (thuộc UBND huyện, xã) "
        "Cấp huyện (trước 01/7/2025) (theo đơn vị cấp trên) UBND huyện Tràng Định H-TD · trong tệp "
        "từ 01/01/2010 đến 30/06/2025 —"
    )
    assert texts["H-TD"] == (
        "2 Thêm mới H-TD UBND huyện Tràng Định Địa danh: Tràng Định Huyện (trước 01/7/2025) "
        "Cấp huyện (trước 01/7/2025) — đến 30/06/2025 —"
    )
    assert texts["X-A"] == (
        "4 Thêm mới X-A UBND xã A Địa danh: A Xã Cấp xã (theo loại đơn vị) UBND huyện Tràng Định H-TD · trong tệp "
        "đến 30/06/2025 UBND xã B X-B · trong tệp UBND xã Cũ X-CU · trong danh bạ"
    )
    assert "từ 01/07/2025, đang hoạt động" in texts["X-B"]
    assert "Cấp xã (theo đơn vị cấp trên) UBND xã Cũ X-CU · trong danh bạ đang hoạt động" in texts["TT-B"]

    # Applying stores what was shown.
    assert client.post(url).status_code == 302
    for code, row in rows.items():
        agency = Agency.objects.get(province=lang_son, code=code)
        assert agency.level == row.level, code
        assert (agency.parent.code if agency.parent else None) == (row.parent.code if row.parent else None)
        assert sorted(a.code for a in agency.successors.all()) == sorted(r.code for r in row.successors)
        assert (agency.locality, agency.active_from, agency.active_to) == (
            row.values["locality"],
            row.values["active_from"],
            row.values["active_to"],
        )
    assert Agency.objects.get(code="PNV-TD").active_from == dt.date(2010, 1, 1)


def test_level_left_blank_is_derived_as_saving_the_unit_would(lang_son):
    """The preview asks the model's rule: the same unit saved through the
    model gets the same level."""
    district = AgencyFactory(province=lang_son, code="H-TD", kind=AgencyKind.DISTRICT)
    text = HEADER + "PNV-TD,Phòng Nội vụ,Phòng chuyên môn,H-TD,,,,,\nHD,Hội đồng thi đua,Hội đồng,,,,,,\n"
    preview = services.directory_preview(kind="agencies", province=lang_son, name="f.csv", data=text.encode())
    office, council = preview.rows
    saved = AgencyFactory(province=lang_son, kind=AgencyKind.DIVISION, parent=district)
    assert office.level == saved.level == Level.DISTRICT
    assert (council.level, council.level_source) == (Level.PROVINCE, "default")


def test_a_blank_level_that_differs_from_the_stored_one_is_shown_as_a_change(lang_son):
    AgencyFactory(
        province=lang_son, code="PNV", name="Phòng Nội vụ", short_name="", kind=AgencyKind.DIVISION, level=Level.COMMUNE
    )
    text = HEADER + "PNV,Phòng Nội vụ,Phòng chuyên môn,,,,,,\n"
    preview = services.directory_preview(kind="agencies", province=lang_son, name="f.csv", data=text.encode())
    (row,) = preview.rows
    assert (row.action, row.changes, row.level) == ("update", ["cấp"], Level.PROVINCE)
    services.directory_import(actor=None, kind="agencies", province=lang_son, name="f.csv", data=text.encode())
    assert Agency.objects.get(code="PNV").level == Level.PROVINCE
    again = services.directory_preview(kind="agencies", province=lang_son, name="f.csv", data=text.encode())
    assert again.rows[0].action == "unchanged"


def test_parents_in_a_circle_are_refused(lang_son):
    text = HEADER + "A,Tổ A,Ban Chỉ đạo,B,,,,,\nB,Tổ B,Ban Chỉ đạo,A,,,,,\nC,Tổ C,Ban Chỉ đạo,A,,,,,\n"
    preview = services.directory_preview(kind="agencies", province=lang_son, name="f.csv", data=text.encode())
    assert [row.errors for row in preview.rows] == [
        ["Đơn vị cấp trên tạo thành vòng lặp: A → B → A."],
        ["Đơn vị cấp trên tạo thành vòng lặp: B → A → B."],
        [],
    ]
    with pytest.raises(Refused):
        services.directory_import(actor=None, kind="agencies", province=lang_son, name="f.csv", data=text.encode())
    assert not Agency.objects.filter(code__in=["A", "B", "C"]).exists()


def test_the_electronic_identifier_is_imported_and_checked(lang_son):
    header = "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã định danh điện tử\n"
    good = header + 'SNV,Sở Nội vụ,"Sở, ban, ngành",000.00.22.H36\n'
    services.directory_import(actor=None, kind="agencies", province=lang_son, name="f.csv", data=good.encode())
    assert Agency.objects.get(code="SNV").electronic_id == "000.00.22.H36"
    bad = header + 'STP,Sở Tư pháp,"Sở, ban, ngành",mã của sở\n'
    preview = services.directory_preview(kind="agencies", province=lang_son, name="f.csv", data=bad.encode())
    assert "Mã định danh điện tử “mã của sở” không hợp lệ" in preview.rows[0].errors[0]
    with pytest.raises(Refused):
        services.directory_import(actor=None, kind="agencies", province=lang_son, name="f.csv", data=bad.encode())
    assert not Agency.objects.filter(code="STP").exists()


# --- Templates ------------------------------------------------------------------------


def template(client, kind) -> bytes:
    response = client.get(reverse("agencies:import-template", args=[kind]))
    assert response.status_code == 200
    return response.content


def first_column(sheet) -> list[str]:
    return [str(row[0]) for row in sheet.iter_rows(values_only=True) if row[0]]


def test_agency_template_lists_every_kind_and_level_with_the_date_and_successor_rules(client, organiser):
    client.force_login(organiser)
    workbook = load_workbook(io.BytesIO(template(client, "agencies")))
    assert workbook.sheetnames == ["Mẫu nhập", "Giá trị hợp lệ"]
    guide = workbook["Giá trị hợp lệ"]
    listed = first_column(guide)
    assert {str(label) for label in AgencyKind.labels} <= set(listed)
    assert {str(label) for label in Level.labels} <= set(listed)
    text = " ".join(str(c) for row in guide.iter_rows(values_only=True) for c in row if c)
    assert "dd/mm/yyyy, ví dụ 30/06/2025" in text
    assert "các mã cách nhau bằng dấu “;”" in text
    assert "Tệp còn dòng ví dụ sẽ bị từ chối" in text
    # Each kind says the tier it gives when "Cấp" is left blank.
    tiers = {row[0]: row[1] for row in guide.iter_rows(values_only=True) if row[0]}
    assert tiers["Huyện (trước 01/7/2025)"] == "Cấp huyện (trước 01/7/2025)"
    assert tiers["Phòng chuyên môn (thuộc UBND huyện, xã)"] == "Theo đơn vị cấp trên (không có thì Cấp tỉnh)"

    rows = list(workbook["Mẫu nhập"].iter_rows(values_only=True))
    header, examples = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert header[-3:] == ("Cấp", "Địa danh", "Mã định danh điện tử")
    assert all(row["Mã đơn vị"].startswith(EXAMPLE_PREFIX) for row in examples)
    commune = next(row for row in examples if row["Mã đơn vị"] == "VIDU-XA-B")
    assert (commune["Hoạt động đến ngày"], commune["Mã đơn vị kế thừa"]) == (
        dt.datetime(2025, 6, 30),
        "VIDU-XA-MOI; VIDU-PHUONG-MOI",
    )
    district = next(row for row in examples if row["Loại đơn vị"] == "Huyện (trước 01/7/2025)")
    assert district["Cấp"] == "Cấp huyện (trước 01/7/2025)"


def test_person_template_has_an_example_row_and_its_allowed_values(client, organiser):
    client.force_login(organiser)
    workbook = load_workbook(io.BytesIO(template(client, "people")))
    assert workbook.sheetnames == ["Mẫu nhập", "Giá trị hợp lệ"]
    rows = list(workbook["Mẫu nhập"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == "VIDU-SNV"
    guide = {row[0]: row[1:] for row in workbook["Giá trị hợp lệ"].iter_rows(values_only=True) if row[0]}
    assert guide["Đầu mối CCHC"][0] == "“x” là có; để trống là không"
    assert guide["Mã đơn vị"][0] == "Có"


@pytest.mark.parametrize(("kind", "count"), [("agencies", 6), ("people", 1)])
def test_template_sent_back_as_is_is_refused_on_each_example_row(client, organiser, lang_son, kind, count):
    client.force_login(organiser)
    before = (Agency.objects.count(), Person.objects.count())
    url = upload(client, template(client, kind), name="mau.xlsx", kind=kind)
    page = client.get(url)
    preview = page.context["preview"]
    assert [row.errors for row in preview.rows] == [[EXAMPLE_MESSAGE]] * count
    assert EXAMPLE_MESSAGE in page.content.decode()
    refused = client.post(url, follow=True)
    assert "chưa có thay đổi nào được ghi" in refused.content.decode()
    assert DirectoryImport.objects.get().status == DirectoryImport.Status.PREVIEWED
    assert (Agency.objects.count(), Person.objects.count()) == before


def test_template_examples_with_codes_of_ones_own_import_as_they_read(client, organiser, lang_son):
    """The example rows are right but for their codes: a clerk who copies
    them gets what they show."""
    client.force_login(organiser)
    workbook = load_workbook(io.BytesIO(template(client, "agencies")))
    sheet = workbook["Mẫu nhập"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace(EXAMPLE_PREFIX, "TD-")
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = services.directory_import(
        actor=organiser, kind="agencies", province=lang_son, name="mau.xlsx", data=buffer.getvalue()
    )
    assert record.summary == {"create": 6, "update": 0, "unchanged": 0, "error": 0}
    units = {a.code: a for a in Agency.objects.filter(code__startswith="TD-")}
    assert {code: a.level for code, a in units.items()} == {
        "TD-HUYEN": Level.DISTRICT,
        "TD-PNV-HUYEN": Level.DISTRICT,
        "TD-XA-A": Level.COMMUNE,
        "TD-XA-B": Level.COMMUNE,
        "TD-XA-MOI": Level.COMMUNE,
        "TD-PHUONG-MOI": Level.COMMUNE,
    }
    assert sorted(a.code for a in units["TD-XA-B"].successors.all()) == ["TD-PHUONG-MOI", "TD-XA-MOI"]
    assert (units["TD-XA-A"].active_to, units["TD-XA-MOI"].active_from) == (dt.date(2025, 6, 30), dt.date(2025, 7, 1))
    assert units["TD-PNV-HUYEN"].parent == units["TD-HUYEN"]
