"""Directory import: every bad file is refused with a Vietnamese message and
changes nothing; a good file is applied whole; a second run changes nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from agencies import services
from agencies.models import Agency, DirectoryImport, Person
from core.exceptions import ImportFileError, Refused

from .factories import AgencyFactory

pytestmark = pytest.mark.django_db

HEADER = "Mã đơn vị,Tên đơn vị,Tên viết tắt,Loại đơn vị,Tỉnh,Mã đơn vị cấp trên\n"
GOOD = HEADER + (
    "UBND,Ủy ban nhân dân tỉnh Lạng Sơn,UBND,UBND tỉnh,Lạng Sơn,\n"
    'SNV,Sở Nội vụ tỉnh Lạng Sơn,SNV,"Sở, ban, ngành",Lạng Sơn,UBND\n'
    "X-THATKHE,UBND xã Thất Khê,UBND,Xã,lang son,\n"
)


def snapshot():
    return (
        sorted(Agency.objects.values_list("code", "name", "kind", "parent__code")),
        sorted(Person.objects.values_list("full_name", "agency__code", "email")),
    )


def apply(province, text, kind="agencies", name="don-vi.csv", encoding="utf-8"):
    return services.directory_import(actor=None, kind=kind, province=province, name=name, data=text.encode(encoding))


def test_import_good_file_creates_agencies_with_parents(lang_son):
    preview = apply(lang_son, GOOD)
    assert preview.summary == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    snv = Agency.objects.get(province=lang_son, code="SNV")
    assert snv.parent.code == "UBND"
    assert snv.kind == "so_ban_nganh"
    assert Agency.objects.get(code="X-THATKHE").kind == "xa"


@pytest.mark.parametrize("name", ["danh-ba.xls", "danh-ba.ods"])
def test_import_reads_xls_and_ods(lang_son, name):
    data = (Path(__file__).parent / "fixtures" / name).read_bytes()
    preview = services.directory_import(actor=None, kind="agencies", province=lang_son, name=name, data=data)
    assert preview.summary == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert Agency.objects.get(province=lang_son, code="SNV").parent.code == "UBND"


def test_import_twice_is_idempotent(lang_son):
    apply(lang_son, GOOD)
    before = list(Agency.objects.order_by("pk").values())
    preview = apply(lang_son, GOOD)
    assert preview.summary == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert list(Agency.objects.order_by("pk").values()) == before


def test_import_updates_changed_row_by_code(lang_son):
    apply(lang_son, GOOD)
    preview = apply(lang_son, GOOD.replace("UBND xã Thất Khê", "UBND xã Thất Khê mới"))
    assert preview.summary["update"] == 1
    assert Agency.objects.get(code="X-THATKHE").name == "UBND xã Thất Khê mới"
    assert Agency.objects.count() == 3


def test_import_parent_defined_later_in_file(lang_son):
    text = HEADER + 'SNV,Sở Nội vụ,SNV,"Sở, ban, ngành",,UBND\nUBND,UBND tỉnh,UBND,UBND tỉnh,,\n'
    apply(lang_son, text)
    assert Agency.objects.get(code="SNV").parent.code == "UBND"


def assert_file_refused(province, data: bytes, name: str, message_part: str):
    before = snapshot()
    with pytest.raises(ImportFileError) as excinfo:
        services.directory_import(actor=None, kind="agencies", province=province, name=name, data=data)
    assert message_part in str(excinfo.value)
    assert snapshot() == before


def assert_rows_refused(province, text: str, expected: dict[int, str]):
    before = snapshot()
    preview = services.directory_preview(kind="agencies", province=province, name="f.csv", data=text.encode())
    errors = {row.line: " ".join(row.errors) for row in preview.error_rows}
    assert set(errors) == set(expected)
    for line, part in expected.items():
        assert part in errors[line]
    with pytest.raises(Refused) as excinfo:
        apply(province, text)
    assert "chưa có thay đổi nào được ghi" in str(excinfo.value)
    assert snapshot() == before


def test_import_bad_header_refused(lang_son):
    assert_file_refused(lang_son, b"Ma,Ten don vi cua toi,Loai\nA,B,Xa\n", "f.csv", "thiếu cột bắt buộc")


def test_import_unknown_column_refused(lang_son):
    text = HEADER.strip() + ",Ghi chu la\nUBND,UBND tỉnh,UBND,UBND tỉnh,,,x\n"
    assert_file_refused(lang_son, text.encode(), "f.csv", "“Ghi chu la”")


def test_import_empty_file_refused(lang_son):
    assert_file_refused(lang_son, b"", "f.csv", "Tệp trống")
    assert_file_refused(lang_son, b"\n\n,,\n", "f.csv", "Tệp trống")


def test_import_header_only_refused(lang_son):
    assert_file_refused(lang_son, HEADER.encode(), "f.csv", "chưa có dữ liệu")


def test_import_wrong_encoding_refused(lang_son):
    assert_file_refused(lang_son, GOOD.encode("utf-16"), "f.csv", "UTF-8")
    assert_file_refused(lang_son, GOOD.encode("cp1258", errors="replace"), "f.csv", "UTF-8")


def test_import_wrong_file_type_refused(lang_son):
    assert_file_refused(lang_son, b"%PDF-1.7", "danh-ba.pdf", ".csv, .xlsx, .xls hoặc .ods")


def test_import_broken_xlsx_refused(lang_son):
    assert_file_refused(lang_son, b"PK\x03\x04 not really a zip", "danh-ba.xlsx", "Không đọc được tệp bảng tính")


def test_import_duplicate_code_refused(lang_son):
    text = GOOD + 'snv,Sở Nội vụ (trùng),SNV,"Sở, ban, ngành",,\n'
    assert_rows_refused(lang_son, text, {5: "trùng với dòng 3"})


def test_import_unknown_parent_refused(lang_son):
    text = HEADER + 'SNV,Sở Nội vụ,SNV,"Sở, ban, ngành",,KHONGCO\n'
    assert_rows_refused(lang_son, text, {2: "Không tìm thấy đơn vị cấp trên có mã “KHONGCO”"})


def test_import_wrong_province_refused(lang_son, lao_cai):
    text = GOOD + 'STP,Sở Tư pháp tỉnh Lào Cai,STP,"Sở, ban, ngành",Lào Cai,\n'
    assert_rows_refused(lang_son, text, {5: "Dòng thuộc tỉnh Lào Cai, không thuộc tỉnh Lạng Sơn"})


def test_import_bad_kind_and_date_refused(lang_son):
    text = "Mã đơn vị,Tên đơn vị,Loại đơn vị,Hoạt động từ ngày\nA,Đơn vị A,Cục,01/07/2025\nB,Đơn vị B,Xã,31/02/2025\n"
    assert_rows_refused(lang_son, text, {2: "Loại đơn vị “Cục” không có trong danh mục", 3: "không phải ngày"})


def test_import_one_bad_row_among_good_changes_nothing(lang_son):
    text = GOOD + ",Thiếu mã,,Xã,,\n"
    assert_rows_refused(lang_son, text, {5: "Thiếu mã đơn vị"})
    assert Agency.objects.count() == 0


def test_import_xlsx_with_dates_and_folded_headers(lang_son):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ma don vi", "TEN DON VI", "loai don vi", "hoat dong tu ngay"])
    import datetime as dt

    sheet.append(["P-TAMTHANH", "UBND phường Tam Thanh", "Phường", dt.datetime(2025, 7, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    services.directory_import(actor=None, kind="agencies", province=lang_son, name="x.xlsx", data=buffer.getvalue())
    agency = Agency.objects.get(code="P-TAMTHANH")
    assert agency.kind == "phuong"
    assert agency.active_from == dt.date(2025, 7, 1)


def test_import_people_matches_by_email_then_name(lang_son):
    apply(lang_son, GOOD)
    text = (
        "Họ và tên,Chức vụ,Mã đơn vị,Thư điện tử,Đầu mối CCHC\n"
        "Nguyễn Văn An,Chuyên viên,SNV,an@snv.example,x\n"
        "Lê Thị Bình,Phó Giám đốc,SNV,,\n"
    )
    preview = apply(lang_son, text, kind="people")
    assert preview.summary["create"] == 2
    assert Person.objects.get(full_name="Nguyễn Văn An").is_focal_point is True
    moved = text.replace("Chuyên viên,SNV", "Trưởng phòng,UBND")
    preview = apply(lang_son, moved, kind="people")
    assert preview.summary == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    person = Person.objects.get(email="an@snv.example")
    assert (person.position, person.agency.code) == ("Trưởng phòng", "UBND")
    assert Person.objects.count() == 2


def test_import_people_unknown_agency_refused(lang_son):
    text = "Họ và tên,Mã đơn vị\nNguyễn Văn An,KHONGCO\n"
    preview = services.directory_preview(kind="people", province=lang_son, name="p.csv", data=text.encode())
    assert "Không tìm thấy đơn vị có mã “KHONGCO”" in preview.rows[0].errors[0]
    with pytest.raises(Refused):
        apply(lang_son, text, kind="people")
    assert Person.objects.count() == 0


def test_export_then_import_round_trips(client, organiser, lang_son):
    apply(lang_son, GOOD)
    client.force_login(organiser)
    exported = client.get(reverse("agencies:agency-export")).content
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Mã đơn vị"
    preview = services.directory_import(
        actor=None, kind="agencies", province=lang_son, name="export.xlsx", data=exported
    )
    assert preview.status == "applied"
    # The organiser's own agency (SNV, from the fixture) is updated by code, not duplicated.
    assert preview.summary["create"] == 0


def test_import_page_preview_then_apply(client, organiser, lang_son):
    client.force_login(organiser)
    upload = io.BytesIO(GOOD.encode())
    upload.name = "danh-sach-don-vi.csv"
    response = client.post(reverse("agencies:import"), {"kind": "agencies", "file": upload})
    assert response.status_code == 302
    record = DirectoryImport.objects.get()
    page = client.get(response.url)
    assert page.context["preview"].counts["create"] == 2  # SNV exists already (the organiser's agency)
    assert Agency.objects.filter(province=lang_son).count() == 1  # preview wrote nothing
    done = client.post(response.url)
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.status == DirectoryImport.Status.APPLIED
    assert Agency.objects.filter(province=lang_son).count() == 3
    again = client.post(response.url, follow=True)
    assert "không nhập lại lần hai" in again.content.decode()


def test_import_page_file_error_shown_next_to_field(client, organiser):
    client.force_login(organiser)
    upload = io.BytesIO("Mã đơn vị\n".encode("utf-16"))
    upload.name = "loi.csv"
    response = client.post(reverse("agencies:import"), {"kind": "agencies", "file": upload})
    assert response.status_code == 200
    assert "UTF-8" in response.context["form"].errors["file"][0]
    assert DirectoryImport.objects.count() == 0


def test_import_page_of_other_province_answers_404(client, organiser, other_organiser, lao_cai):
    record = services.directory_import_create(
        actor=other_organiser,
        province=lao_cai,
        kind="agencies",
        name="x.csv",
        data=GOOD.replace("Lạng Sơn", "Lào Cai").encode(),
    )
    client.force_login(organiser)
    assert client.get(reverse("agencies:import-preview", args=[record.pk])).status_code == 404
    assert client.post(reverse("agencies:import-preview", args=[record.pk])).status_code == 404


def test_import_command_applies_and_reports_errors(tmp_path, lang_son, capsys):
    good = tmp_path / "don-vi.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_directory", str(good), province="lang-son")
    assert Agency.objects.filter(province=lang_son).count() == 3
    bad = tmp_path / "loi.csv"
    bad.write_text(GOOD + "X,,,Xã,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Tệp có lỗi, chưa ghi gì"):
        call_command("import_directory", str(bad), province="lang-son")
    assert "Dòng 5: Thiếu tên đơn vị." in capsys.readouterr().err


def test_import_does_not_touch_other_province_with_same_codes(lang_son, lao_cai):
    AgencyFactory(province=lao_cai, code="SNV", name="Sở Nội vụ tỉnh Lào Cai")
    apply(lang_son, GOOD)
    assert Agency.objects.get(province=lao_cai, code="SNV").name == "Sở Nội vụ tỉnh Lào Cai"
