"""Documents of shapes the seeds do not have, built from data through the
portal's pages only (the directory imported, the conference and its lists
typed in their forms, the outline and the signer chosen on their pages; no
section rewritten by hand; the scores of 4 are stored directly, their import
page has its own tests), then read back from the PDF and the DOCX and
compared line by line with texts written as the offices would write them.

1. a district's plan of 2024: communes and a thị trấn, a council and its
   working group invited on one line, the presentations inside a duty,
   time and place to be announced, the district office's own outline;
2. a commune's invitation of 2026, signed by its chair;
3. a department's plan, signed by its director;
4. a provincial decision announcing 2024 results, signed by a vice-chair;
5. a district's analysis report: its place among the districts and its own
   communes' results, none of another district's.
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as Docx

from conferences.models import Conference
from documents import docx_export, rendering
from documents.forms import DocumentForm, SectionFormSet
from documents.models import Document

from .conftest import client_for

pytestmark = pytest.mark.django_db
KEY_LINES_NEEDED = 0.95


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("*", "").split())


def pdf_text(document: Document) -> str:
    data = rendering.write_pdf(rendering.print_html(document))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [(page.extract_text() or "").splitlines() for page in pdf.pages]
    # The page number above pages 2 on is not part of the text it interrupts.
    return flat(" ".join(" ".join(lines[1:] if lines and lines[0].isdigit() else lines) for lines in pages))


def docx_text(document: Document) -> str:
    word = Docx(io.BytesIO(docx_export.build(document)))
    parts = [p.text for p in word.paragraphs]
    parts += [p.text for t in word.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return flat(" ".join(parts))


def score(expected: str, text: str) -> tuple[float, list[str]]:
    lines = [flat(line) for line in expected.strip().splitlines() if line.strip()]
    missing = [line for line in lines if line not in text]
    return 1 - len(missing) / len(lines), missing


def assert_matches(document: Document, expected: str):
    for name, text in (("PDF", pdf_text(document)), ("DOCX", docx_text(document))):
        share, missing = score(expected, text)
        if share < 1:
            print(
                name, text, [s.text for s in document.sections.all()]
            )  # shown by pytest on failure: what came out instead
        assert share >= KEY_LINES_NEEDED, (name, f"{share:.0%}", missing)


# --- Through the pages ----------------------------------------------------------------------


def ok(response):
    """A form page that saved redirects; one that did not shows why."""
    if response.status_code != 302:
        body = response.content.decode()
        errors = re.findall(r"(?:invalid-feedback|alert-danger|errorlist)[^>]*>(.*?)</(?:span|div|ul)>", body, re.S)
        errors = [" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in errors]
        raise AssertionError(f"{response.status_code}: {[e for e in errors if e][:8]}")
    return response


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def import_directory(client, kind: str, text: str):
    upload = SimpleUploadedFile("danh-ba.csv", text.encode("utf-8"), content_type="text/csv")
    preview = ok(client.post("/danh-ba/nhap/", {"kind": kind, "file": upload}))
    ok(client.post(preview.url))


def agency(province, code):
    return province.agencies.get(code=code)


def new_conference(client, data: dict) -> Conference:
    defaults = {"kind": "deploy", "index_years": ""}
    response = ok(client.post("/hoi-nghi/tao-moi/", {**defaults, **data}))
    return Conference.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def part(client, conference, slug, rows):
    ok(client.post(f"/hoi-nghi/{conference.pk}/muc/{slug}/", formset("rows", rows)))


def draft(client, conference, kind) -> Document:
    response = ok(client.post(f"/hoi-nghi/{conference.pk}/soan/{kind}/"))
    return Document.objects.get(pk=int(re.search(r"/van-ban/(\d+)/", response.url)[1]))


def edit(client, document, line_end="\n", **changes):
    """The document page saved with some header fields changed, the rest as the page shows them."""
    form = DocumentForm(instance=document)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name == "dated" and value:
            value = value.strftime("%d/%m/%Y")
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data.update(changes)
    sections = SectionFormSet(instance=document, prefix="sections")
    data["sections-TOTAL_FORMS"] = len(sections.forms)
    data["sections-INITIAL_FORMS"] = len(sections.forms)
    for i, sub in enumerate(sections.forms):
        for name in ("id", "part", "label", "heading", "text"):
            data[f"sections-{i}-{name}"] = str(sub[name].value() or "").replace("\n", line_end)
        if sub["landscape"].value():
            data[f"sections-{i}-landscape"] = "on"
    ok(client.post(f"/van-ban/{document.pk}/soan/", data))
    document.refresh_from_db()
    return document


def outline(client, document, nodes: list[dict]):
    rows = [
        {"order": i, "depth": 0, "style": "1", "part": "body", "items": "-", "subitems": "+", **node}
        for i, node in enumerate(nodes, start=1)
    ]
    for row in rows:
        for flag in ("inline", "bold"):
            if row.pop(flag, False):
                row[flag] = "on"
    ok(client.post(f"/van-ban/{document.pk}/dan-y/", formset("nodes", rows)))
    document.refresh_from_db()


# --- The directory of Lào Cai, 2024 and 2026 --------------------------------------------------

AGENCIES_CSV = """Mã đơn vị,Tên đơn vị,Tên viết tắt,Loại đơn vị,Tỉnh,Mã đơn vị cấp trên,Thư điện tử,Điện thoại,Địa chỉ,Hoạt động từ ngày,Hoạt động đến ngày,Mã đơn vị kế thừa,Cấp,Địa danh
UBND,UBND tỉnh Lào Cai,UBND,UBND tỉnh,,,,,,,,,,
SNV,Sở Nội vụ tỉnh Lào Cai,SNV,"Sở, ban, ngành",,UBND,,,,,,,,
SNV-CCHC,Phòng Cải cách hành chính,CCHC,Phòng chuyên môn,,SNV,,,,,,,,
STP,Sở Tư pháp tỉnh Lào Cai,STP,"Sở, ban, ngành",,UBND,,,,,,,,
STC,Sở Tài chính tỉnh Lào Cai,STC,"Sở, ban, ngành",,UBND,,,,,,,,
BX,UBND huyện Bát Xát,UBND,Huyện,,UBND,,,,,30/06/2025,,,Bát Xát
BX-PNV,Phòng Nội vụ huyện Bát Xát,PNV,Phòng chuyên môn,,BX,,,,,30/06/2025,,,
BX-VP,Văn phòng HĐND và UBND huyện Bát Xát,VP,Văn phòng HĐND và UBND cấp huyện,,BX,,,,,30/06/2025,,,
BX-TCKH,Phòng Tài chính - Kế hoạch huyện Bát Xát,TCKH,Phòng chuyên môn,,BX,,,,,30/06/2025,,,
BX-HDTD,Hội đồng thẩm định Chỉ số CCHC huyện Bát Xát,HĐTĐ,Hội đồng,,BX,,,,,30/06/2025,,,
BX-TGV,Tổ giúp việc Hội đồng thẩm định Chỉ số CCHC huyện Bát Xát,TGV,Tổ giúp việc,,BX,,,,,30/06/2025,,,
BX-TT,UBND thị trấn Bát Xát,UBND,Thị trấn,,BX,,,,,30/06/2025,XA-BX,,
BX-QK,UBND xã Quang Kim,UBND,Xã,,BX,,,,,30/06/2025,XA-BX,,
BX-AMS,UBND xã A Mú Sung,UBND,Xã,,BX,,,,,30/06/2025,,,
MK,UBND huyện Mường Khương,UBND,Huyện,,UBND,,,,,30/06/2025,,,
MK-BL,UBND xã Bản Lầu,UBND,Xã,,MK,,,,,30/06/2025,,,
XA-BX,UBND xã Bát Xát,UBND,Xã,,UBND,,,,01/07/2025,,,,
XA-BX-VP,Văn phòng HĐND và UBND xã Bát Xát,VP,Phòng chuyên môn,,XA-BX,,,,01/07/2025,,,,
XA-BX-VHXH,Phòng Văn hóa - Xã hội xã Bát Xát,VHXH,Phòng chuyên môn,,XA-BX,,,,01/07/2025,,,,
"""
PEOPLE_CSV = """Họ và tên,Chức vụ,Mã đơn vị
Trịnh Xuân Trường,Chủ tịch,UBND
Ngô Hạnh Phúc,Phó Chủ tịch,UBND
Hoàng Quốc Khánh,Giám đốc,SNV
Phạm Thị Hồng,Phó Giám đốc,SNV
Hoàng Văn Tiến,Chủ tịch UBND huyện,BX
Vàng A Dìn,Phó Chủ tịch UBND huyện,BX
Lù Thị Xuân,Trưởng phòng,BX-PNV
Lò Văn Hùng,Chủ tịch UBND xã,XA-BX
Sần Thị Mai,Phó Chủ tịch UBND xã,XA-BX
"""


@pytest.fixture
def lao_cai_office(other_organiser):
    client = client_for(other_organiser)
    import_directory(client, "agencies", AGENCIES_CSV)
    import_directory(client, "people", PEOPLE_CSV)
    return client, other_organiser.agency.province


# --- 1. A district's plan of 2024 ---------------------------------------------------------------

DISTRICT_PLAN = """
ỦY BAN NHÂN DÂN
HUYỆN BÁT XÁT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: /KH-UBND
Bát Xát, ngày tháng 3 năm 2024
KẾ HOẠCH
Tổ chức Hội nghị triển khai nhiệm vụ cải cách hành chính năm 2024
Thực hiện Kế hoạch số 05/KH-UBND ngày 10/01/2024 của UBND tỉnh Lào Cai về cải cách hành chính năm 2024; UBND huyện ban hành Kế hoạch tổ chức Hội nghị triển khai nhiệm vụ cải cách hành chính năm 2024, với các nội dung cụ thể như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Đánh giá kết quả Chỉ số cải cách hành chính năm 2023 của huyện;
- Triển khai nhiệm vụ cải cách hành chính năm 2024.
2. Yêu cầu
- Hội nghị tổ chức trang trọng, thiết thực, tiết kiệm.
II. THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN
1. Thời gian, địa điểm: Dự kiến trong tháng 4/2024, tại Hội trường UBND huyện Bát Xát (thời gian, địa điểm cụ thể có thông báo sau).
2. Nội dung
- Báo cáo kết quả Chỉ số cải cách hành chính năm 2023;
- Triển khai Kế hoạch cải cách hành chính năm 2024.
3. Thành phần
- Thường trực Huyện ủy, HĐND, UBND huyện;
- Thành viên Hội đồng thẩm định Chỉ số CCHC huyện, Tổ giúp việc Hội đồng;
- Trưởng các phòng chuyên môn thuộc UBND huyện;
- Chủ tịch UBND các xã, thị trấn.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Nội vụ: Chủ trì, tham mưu UBND huyện tổ chức Hội nghị.
2. Văn phòng HĐND và UBND huyện: Chuẩn bị hội trường và các điều kiện phục vụ Hội nghị.
3. UBND các xã, thị trấn
- Chuẩn bị ý kiến phát biểu, tham luận tại Hội nghị, cụ thể:
+ UBND xã A Mú Sung: phát biểu tham luận về kinh nghiệm giải quyết thủ tục hành chính tại Bộ phận Một cửa;
+ UBND thị trấn Bát Xát: phát biểu tham luận về ứng dụng công nghệ thông tin trong tiếp nhận hồ sơ;
+ Các xã còn lại chuẩn bị ý kiến thảo luận tại Hội nghị.
- Cử đại biểu tham dự Hội nghị đúng thành phần.
Trên đây là Kế hoạch tổ chức Hội nghị triển khai nhiệm vụ cải cách hành chính năm 2024. Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện. Trong quá trình thực hiện nếu có khó khăn, vướng mắc, đề nghị kịp thời phản ánh về Phòng Nội vụ (điện thoại 0214.3883.012) để tổng hợp, báo cáo Chủ tịch UBND huyện xem xét, quyết định./.
Nơi nhận:
- UBND tỉnh (B/c);
- Sở Nội vụ (B/c);
- Thường trực Huyện ủy (B/c);
- Thường trực HĐND huyện (B/c);
- Chủ tịch, các Phó Chủ tịch UBND huyện;
- Phòng Nội vụ (T/h);
- Văn phòng HĐND và UBND huyện (T/h);
- UBND các xã, thị trấn (T/h);
- Lưu: VT, PNV.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Vàng A Dìn
"""


def test_a_districts_plan_of_2024(lao_cai_office):
    client, province = lao_cai_office
    bx = agency(province, "BX")
    conference = new_conference(
        client,
        {
            "title": "Hội nghị triển khai nhiệm vụ cải cách hành chính năm 2024",
            "issuing_authority": bx.pk,
            "focal_agency": agency(province, "BX-PNV").pk,
            "reference_date": "15/03/2024",
            "schedule_note": "Dự kiến trong tháng 4/2024",
            "time_tba": "on",
            "venue": "Hội trường UBND huyện Bát Xát",
            "venue_tba": "on",
            "presentations_in": "duty",
            "purposes": "Đánh giá kết quả Chỉ số cải cách hành chính năm 2023 của huyện\n"
            "Triển khai nhiệm vụ cải cách hành chính năm 2024",
            "requirements": "Hội nghị tổ chức trang trọng, thiết thực, tiết kiệm.",
            "contact": "Phòng Nội vụ huyện; điện thoại 0214.3883.012",
        },
    )
    part(client, conference, "can-cu", [
        {"order": 1, "lead": "thuc_hien", "doc_type": "Kế hoạch", "number": "05/KH-UBND",
         "issued_on": "10/01/2024", "issuer": "UBND tỉnh Lào Cai", "title": "về cải cách hành chính năm 2024"},
    ])  # fmt: skip
    part(client, conference, "noi-dung", [
        {"order": 1, "text": "Báo cáo kết quả Chỉ số cải cách hành chính năm 2023"},
        {"order": 2, "text": "Triển khai Kế hoạch cải cách hành chính năm 2024"},
    ])  # fmt: skip
    council, group = agency(province, "BX-HDTD"), agency(province, "BX-TGV")
    part(client, conference, "thanh-phan", [
        {"order": 1, "text": "Thường trực Huyện ủy, HĐND, UBND huyện", "target": "text", "quota": 1, "role": "delegate"},
        {"order": 2, "text": "Thành viên Hội đồng thẩm định Chỉ số CCHC huyện, Tổ giúp việc Hội đồng",
         "target": "agency", "agency": council.pk, "also": [group.pk], "quota": 1, "role": "delegate"},
        {"order": 3, "text": "Trưởng các phòng chuyên môn thuộc UBND huyện", "target": "group",
         "group_kinds": ["phong", "van_phong_huyen"], "quota": 1, "role": "delegate"},
        {"order": 4, "text": "Chủ tịch UBND các xã, thị trấn", "target": "group",
         "group_kinds": ["xa", "thi_tran"], "quota": 1, "role": "delegate"},
    ])  # fmt: skip
    communes = {"lead_label": "UBND các xã, thị trấn", "lead_kinds": ["xa", "thi_tran"], "phase": "preparation",
                "due_wording": "truoc"}  # fmt: skip
    part(client, conference, "nhiem-vu", [
        {"order": 1, "lead_agency": agency(province, "BX-PNV").pk, "phase": "preparation", "due_wording": "truoc",
         "task": "Chủ trì, tham mưu UBND huyện tổ chức Hội nghị"},
        {"order": 2, "lead_agency": agency(province, "BX-VP").pk, "phase": "preparation", "due_wording": "truoc",
         "task": "Chuẩn bị hội trường và các điều kiện phục vụ Hội nghị"},
        {"order": 3, **communes, "task": "Chuẩn bị ý kiến phát biểu, tham luận tại Hội nghị",
         "lists_presentations": "on",
         "presentations_rest": "Các xã còn lại chuẩn bị ý kiến thảo luận tại Hội nghị."},
        {"order": 4, **communes, "task": "Cử đại biểu tham dự Hội nghị đúng thành phần"},
    ])  # fmt: skip
    # The duties page shows whom each group-led duty reaches, the district's own units only.
    duties_page = client.get(f"/hoi-nghi/{conference.pk}/muc/nhiem-vu/").content.decode()
    reached = duties_page.split("Nhiệm vụ giao cho nhóm đơn vị", 1)[1].split("</ul>", 1)[0]
    assert "UBND xã A Mú Sung" in reached and "Bản Lầu" not in reached
    for topic, code in (
        ("Kinh nghiệm giải quyết thủ tục hành chính tại Bộ phận Một cửa", "BX-AMS"),
        ("Ứng dụng công nghệ thông tin trong tiếp nhận hồ sơ", "BX-TT"),
    ):
        ok(client.post(
            f"/hoi-nghi/{conference.pk}/tham-luan/giao/",
            {"topic": topic, "assignee": "agency", "agency": agency(province, code).pk},
        ))  # fmt: skip
    plan = draft(client, conference, "ke-hoach")
    outline(client, plan, [
        {"name": "Mở đầu", "style": "", "piece": "kh_opening"},
        {"title": "MỤC ĐÍCH, YÊU CẦU", "style": "I"},
        {"title": "Mục đích", "depth": 1, "piece": "purposes"},
        {"title": "Yêu cầu", "depth": 1, "piece": "requirements"},
        {"title": "THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN", "style": "I"},
        {"title": "Thời gian, địa điểm:", "depth": 1, "piece": "time_venue", "inline": True},
        {"title": "Nội dung", "depth": 1, "piece": "content"},
        {"title": "Thành phần", "depth": 1, "piece": "invitees", "items": "1.1", "subitems": "-"},
        {"title": "TỔ CHỨC THỰC HIỆN", "style": "I", "piece": "duties", "items": "1", "subitems": "-"},
        {"name": "Kết", "style": "", "piece": "kh_closing"},
    ])  # fmt: skip
    plan = edit(client, plan, dated="20/03/2024")
    assert plan.signer.full_name == "Vàng A Dìn"  # the directory's deputy, by default
    assert_matches(plan, DISTRICT_PLAN)
    # The council's members and the working group receive it; no commune of another district does.
    from conferences.selectors import line_expansions

    reached = {a.code for _line, agencies in line_expansions(conference) for a in agencies}
    assert {"BX-HDTD", "BX-TGV", "BX-TT", "BX-QK", "BX-AMS", "BX-PNV", "BX-VP", "BX-TCKH"} <= reached
    assert "MK-BL" not in reached and "XA-BX" not in reached
    # Invitations wait until the time and place are fixed.
    from conferences.services.conferences import invite_problems

    assert any("thông báo sau" in p for p in invite_problems(conference, line_expansions(conference)))


# --- 2. A commune's invitation of 2026 ---------------------------------------------------------

COMMUNE_INVITATION = """
ỦY BAN NHÂN DÂN
XÃ BÁT XÁT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: /GM-UBND
Bát Xát, ngày tháng 12 năm 2026
GIẤY MỜI
Dự Hội nghị tổng kết công tác cải cách hành chính năm 2026 của xã Bát Xát
Thực hiện Kế hoạch số 120/KH-UBND ngày 15/01/2026 của UBND tỉnh Lào Cai về cải cách hành chính năm 2026, UBND xã trân trọng kính mời đại biểu dự Hội nghị tổng kết công tác cải cách hành chính năm 2026 của xã Bát Xát, như sau:
1. Thành phần dự Hội nghị
- Lãnh đạo UBND xã - Chủ trì hội nghị.
- Thường trực Đảng ủy xã (có giấy mời riêng);
- Văn phòng HĐND và UBND xã, Phòng Văn hóa - Xã hội;
- Trưởng các thôn, tổ dân phố.
2. Thời gian: từ 14 giờ 00 phút, ngày 18/12/2026 (thứ Sáu).
3. Địa điểm: Hội trường UBND xã Bát Xát.
4. Nội dung Hội nghị
- Báo cáo kết quả công tác cải cách hành chính năm 2026;
- Triển khai nhiệm vụ cải cách hành chính năm 2027.
5. Tổ chức thực hiện
a) Giao Văn phòng HĐND và UBND xã chủ trì chuẩn bị tài liệu và các điều kiện phục vụ Hội nghị, trình UBND xã chậm nhất ngày 16/12/2026;
b) Phòng Văn hóa - Xã hội chuẩn bị báo cáo tham luận về chuyển đổi số trong giải quyết thủ tục hành chính.
Trân trọng kính mời đại biểu tham dự Hội nghị./.
Nơi nhận:
- Như thành phần mời;
- Chủ tịch, các Phó Chủ tịch UBND xã;
- Lưu: VT, VP.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lò Văn Hùng
"""


def test_a_communes_invitation_signed_by_its_chair(lao_cai_office):
    client, province = lao_cai_office
    xa = agency(province, "XA-BX")
    office, culture = agency(province, "XA-BX-VP"), agency(province, "XA-BX-VHXH")
    conference = new_conference(
        client,
        {
            "title": "Hội nghị tổng kết công tác cải cách hành chính năm 2026 của xã Bát Xát",
            "kind": "other",
            "issuing_authority": xa.pk,
            "focal_agency": office.pk,
            "date": "18/12/2026",
            "start_time": "14:00",
            "venue": "Hội trường UBND xã Bát Xát",
            "presentations_in": "appendix",
        },
    )
    part(client, conference, "can-cu", [
        {"order": 1, "lead": "thuc_hien", "doc_type": "Kế hoạch", "number": "120/KH-UBND",
         "issued_on": "15/01/2026", "issuer": "UBND tỉnh Lào Cai", "title": "về cải cách hành chính năm 2026"},
    ])  # fmt: skip
    part(client, conference, "thanh-phan", [
        {"order": 1, "text": "Lãnh đạo UBND xã - Chủ trì hội nghị.", "target": "text", "quota": 1, "role": "chair"},
        {"order": 2, "text": "Thường trực Đảng ủy xã", "target": "text", "quota": 1, "role": "delegate",
         "separate_invitation": "on"},
        {"order": 3, "text": "Văn phòng HĐND và UBND xã, Phòng Văn hóa - Xã hội", "target": "agency",
         "agency": office.pk, "also": [culture.pk], "quota": 1, "role": "delegate"},
        {"order": 4, "text": "Trưởng các thôn, tổ dân phố.", "target": "text", "quota": 1, "role": "delegate"},
    ])  # fmt: skip
    part(client, conference, "noi-dung", [
        {"order": 1, "text": "Báo cáo kết quả công tác cải cách hành chính năm 2026"},
        {"order": 2, "text": "Triển khai nhiệm vụ cải cách hành chính năm 2027."},
    ])  # fmt: skip
    part(client, conference, "nhiem-vu", [
        {"order": 1, "lead_agency": office.pk, "lead_label": "Giao Văn phòng HĐND và UBND xã",
         "phase": "preparation", "due_wording": "cham_nhat",
         "due_date": "16/12/2026", "task": "chủ trì chuẩn bị tài liệu và các điều kiện phục vụ Hội nghị, trình UBND xã"},
        {"order": 2, "lead_agency": culture.pk, "phase": "preparation", "due_wording": "cham_nhat",
         "task": "chuẩn bị báo cáo tham luận về chuyển đổi số trong giải quyết thủ tục hành chính"},
    ])  # fmt: skip
    invitation = draft(client, conference, "giay-moi")
    from agencies.models import Person

    chair = Person.objects.get(full_name="Lò Văn Hùng")
    invitation = edit(client, invitation, signer=chair.pk)
    assert invitation.signer == chair
    assert_matches(invitation, COMMUNE_INVITATION)


# --- 3. A department's plan, signed by its director ---------------------------------------------

DEPARTMENT_PLAN = """
UBND TỈNH LÀO CAI
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: /KH-SNV
Lào Cai, ngày tháng 12 năm 2026
KẾ HOẠCH
Tổ chức Hội nghị tập huấn nghiệp vụ cải cách hành chính năm 2027
Thực hiện Kế hoạch số 120/KH-UBND ngày 15/01/2026 của UBND tỉnh Lào Cai về cải cách hành chính năm 2026; Sở Nội vụ ban hành Kế hoạch tổ chức Hội nghị tập huấn nghiệp vụ cải cách hành chính năm 2027, với các nội dung cụ thể như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích:
1.1. Nâng cao kỹ năng tham mưu công tác cải cách hành chính cho công chức các sở, ngành.
2. Yêu cầu: Tập huấn đúng thành phần, thiết thực, hiệu quả.
II. NỘI DUNG, CHƯƠNG TRÌNH HỘI NGHỊ
1. Nội dung:
- Hướng dẫn chấm điểm Chỉ số cải cách hành chính năm 2027.
III. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN
1. Thời gian: từ 08 giờ 00 phút, ngày 22/12/2026 (thứ Ba).
2. Địa điểm tổ chức: Tại Hội trường Sở Nội vụ.
3. Thành phần
- Công chức phụ trách cải cách hành chính các sở, ban, ngành.
IV. TỔ CHỨC THỰC HIỆN:
1. Kinh phí tổ chức Hội nghị: Từ nguồn kinh phí cải cách hành chính năm 2026 của Sở Nội vụ.
2. Trách nhiệm của các cơ quan, đơn vị
2.1. Phòng Cải cách hành chính: Chủ trì chuẩn bị tài liệu tập huấn.
Trên đây là Kế hoạch tổ chức Hội nghị tập huấn nghiệp vụ cải cách hành chính năm 2027. Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện. Trong quá trình thực hiện nếu có khó khăn, vướng mắc, đề nghị kịp thời phản ánh về Phòng Cải cách hành chính để tổng hợp, báo cáo Giám đốc Sở xem xét, quyết định./.
Nơi nhận:
- UBND tỉnh (B/c);
- Lãnh đạo Sở;
- Phòng Cải cách hành chính (T/h);
- Lưu: VT, CCHC.
GIÁM ĐỐC
Hoàng Quốc Khánh
"""


def test_a_departments_plan_signed_by_its_director(lao_cai_office):
    client, province = lao_cai_office
    from agencies.models import Person

    conference = new_conference(
        client,
        {
            "title": "Hội nghị tập huấn nghiệp vụ cải cách hành chính năm 2027",
            "kind": "other",
            "issuing_authority": agency(province, "SNV").pk,
            "focal_agency": agency(province, "SNV-CCHC").pk,
            "date": "22/12/2026",
            "start_time": "08:00",
            "venue": "Hội trường Sở Nội vụ",
            "presentations_in": "appendix",
            "purposes": "Nâng cao kỹ năng tham mưu công tác cải cách hành chính cho công chức các sở, ngành.",
            "requirements": "Tập huấn đúng thành phần, thiết thực, hiệu quả.",
            "budget_note": "Từ nguồn kinh phí cải cách hành chính năm 2026 của Sở Nội vụ",
        },
    )
    part(client, conference, "can-cu", [
        {"order": 1, "lead": "thuc_hien", "doc_type": "Kế hoạch", "number": "120/KH-UBND",
         "issued_on": "15/01/2026", "issuer": "UBND tỉnh Lào Cai", "title": "về cải cách hành chính năm 2026"},
    ])  # fmt: skip
    part(client, conference, "noi-dung", [
        {"order": 1, "text": "Hướng dẫn chấm điểm Chỉ số cải cách hành chính năm 2027."},
    ])  # fmt: skip
    part(client, conference, "thanh-phan", [
        {"order": 1, "text": "Công chức phụ trách cải cách hành chính các sở, ban, ngành.", "target": "group",
         "group_kinds": ["so_ban_nganh"], "quota": 1, "role": "delegate"},
    ])  # fmt: skip
    part(client, conference, "nhiem-vu", [
        {"order": 1, "lead_agency": agency(province, "SNV-CCHC").pk, "phase": "preparation",
         "due_wording": "cham_nhat", "task": "Chủ trì chuẩn bị tài liệu tập huấn."},
    ])  # fmt: skip
    plan = draft(client, conference, "ke-hoach")
    director = Person.objects.get(full_name="Hoàng Quốc Khánh")
    plan = edit(client, plan, signer=director.pk)
    assert plan.signing == "head"
    assert_matches(plan, DEPARTMENT_PLAN)


# --- 4. A provincial decision announcing 2024 results -----------------------------------------

PROVINCIAL_DECISION = """
ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: /QĐ-UBND
QUYẾT ĐỊNH
Về việc công bố kết quả Chỉ số cải cách hành chính năm 2024 của các sở, ban, ngành và Ủy ban nhân dân các huyện, thành phố trên địa bàn tỉnh Lào Cai
ỦY BAN NHÂN DÂN TỈNH LÀO CAI
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;
Căn cứ Quyết định số 125/QĐ-UBND ngày 20/02/2024 của UBND tỉnh Lào Cai ban hành Bộ Chỉ số cải cách hành chính năm 2024;
Theo đề nghị của Giám đốc Sở Nội vụ.
QUYẾT ĐỊNH:
Điều 2. Căn cứ kết quả được công bố, thủ trưởng các cơ quan, đơn vị, Chủ tịch Ủy ban nhân dân các huyện, thành phố rà soát những tiêu chí, tiêu chí thành phần bị mất điểm, xác định rõ nguyên nhân, trách nhiệm và xây dựng kế hoạch khắc phục; báo cáo kết quả về Ủy ban nhân dân tỉnh (qua Sở Nội vụ).
Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;
- Bộ Nội vụ (B/c);
- Thường trực Tỉnh ủy (B/c);
- Thường trực HĐND tỉnh (B/c);
- Chủ tịch, các Phó Chủ tịch UBND tỉnh;
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Ngô Hạnh Phúc
KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA CÁC SỞ, BAN, NGÀNH
KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA ỦY BAN NHÂN DÂN CÁC HUYỆN, THÀNH PHỐ
"""


def _framework_2024(code, subject):
    from indices import services

    return services.framework_load(
        {
            "code": code,
            "year": 2024,
            "name": f"Chỉ số CCHC {code}",
            "index": "par",
            "subject": subject,
            "maximum": "10",
            "legal_basis": "Quyết định số 125/QĐ-UBND ngày 20/02/2024 của UBND tỉnh Lào Cai ban hành Bộ Chỉ số "
            "cải cách hành chính năm 2024",
            "criteria": [{"code": "1", "name": "Chỉ đạo, điều hành", "maximum": "10"}],
        }
    )


def test_a_provincial_decision_on_2024_results_cites_the_law_and_tiers_of_its_day(lao_cai_office):
    from decimal import Decimal

    from indices import services
    from indices.models import Assessment, Publication, Score

    client, province = lao_cai_office
    import_directory(client, "agencies", "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Hoạt động đến ngày\n"
                     "TPLC,UBND thành phố Lào Cai,Thành phố thuộc tỉnh,UBND,30/06/2025\n")  # fmt: skip
    for code, subject, units in (
        ("PAR-SO", "department", {"SNV": "9.5", "STP": "8.25", "STC": "9"}),
        ("PAR-HUYEN", "district", {"BX": "8.5", "MK": "7.75", "TPLC": "9.25"}),
    ):
        framework = _framework_2024(code, subject)
        criterion = framework.criteria.get()
        for unit, value in units.items():
            assessment = Assessment.objects.create(
                framework=framework, agency=agency(province, unit), status=Assessment.Status.APPRAISED
            )
            Score.objects.create(assessment=assessment, criterion=criterion, round="appraised", value=Decimal(value))
        services.totals_refresh(Assessment.objects.filter(framework=framework))
        ok(client.post(f"/chi-so/bo/{framework.pk}/cong-bo/"))
    publication = Publication.objects.get(province=province, year=2024)
    response = ok(client.post(f"/chi-so/cong-bo/{publication.pk}/du-thao-quyet-dinh/"))
    decision = Document.objects.get(pk=int(re.search(r"/van-ban/(\d+)/", response.url)[1]))
    assert decision.dated.year == 2025 and decision.dated.month < 7  # decided in the months after the year
    assert "các huyện, thành phố" in decision.title  # the year's tiers; no commune of 2026
    assert_matches(decision, PROVINCIAL_DECISION)
    # Each appendix's chart is in the Word file too, as a picture.
    charts = [s for s in decision.sections.all() if s.figure]
    assert len(charts) == 2
    assert len(Docx(io.BytesIO(docx_export.build(decision))).inline_shapes) == 2


# --- 5. A district's analysis report for its conference ------------------------------------------

DISTRICT_REPORT = """
ỦY BAN NHÂN DÂN
HUYỆN BÁT XÁT
BÁO CÁO
Phân tích kết quả Chỉ số cải cách hành chính năm 2024 của huyện Bát Xát
Thực hiện Hội nghị sơ kết công tác cải cách hành chính năm 2024 của huyện, Phòng Nội vụ báo cáo phân tích kết quả Chỉ số cải cách hành chính năm 2024 của huyện Bát Xát như sau:
I. KẾT QUẢ CỦA HUYỆN BÁT XÁT
Theo kết quả UBND tỉnh công bố, năm 2024 UBND huyện Bát Xát đạt 8,50/10,00 điểm, xếp thứ 2/3 huyện, thành phố của tỉnh.
Các tiêu chí mất nhiều điểm nhất:
- 1 Chỉ đạo, điều hành: mất 1,50 điểm.
II. KẾT QUẢ CỦA CÁC XÃ, THỊ TRẤN
3 đơn vị được đánh giá; điểm bình quân 8,50, cao nhất 9,50 (UBND thị trấn Bát Xát), thấp nhất 7,50 (UBND xã A Mú Sung).
"""


def test_a_districts_analysis_report_ranks_it_among_districts_and_its_own_communes(lao_cai_office):
    from decimal import Decimal

    from indices import services
    from indices.models import Assessment, Score

    client, province = lao_cai_office
    import_directory(client, "agencies", "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Hoạt động đến ngày\n"
                     "TPLC,UBND thành phố Lào Cai,Thành phố thuộc tỉnh,UBND,30/06/2025\n")  # fmt: skip
    for code, subject, units in (
        ("PAR-HUYEN", "district", {"BX": "8.5", "MK": "7.75", "TPLC": "9.25"}),
        ("PAR-XA", "commune", {"BX-TT": "9.5", "BX-QK": "8.5", "BX-AMS": "7.5", "MK-BL": "10"}),
    ):
        framework = _framework_2024(code, subject)
        for unit, value in units.items():
            assessment = Assessment.objects.create(
                framework=framework, agency=agency(province, unit), status=Assessment.Status.APPRAISED
            )
            Score.objects.create(
                assessment=assessment, criterion=framework.criteria.get(), round="appraised", value=Decimal(value)
            )
        services.totals_refresh(Assessment.objects.filter(framework=framework))
    conference = new_conference(
        client,
        {
            "title": "Hội nghị sơ kết công tác cải cách hành chính năm 2024 của huyện",
            "kind": "analyse",
            "issuing_authority": agency(province, "BX").pk,
            "focal_agency": agency(province, "BX-PNV").pk,
            "index_years": "2024",
            "reference_date": "20/12/2024",
            "schedule_note": "Dự kiến cuối tháng 12/2024",
            "presentations_in": "appendix",
        },
    )
    report = draft(client, conference, "bao-cao-phan-tich")
    assert "Mường Khương" not in "\n".join(s.text for s in report.sections.all())  # another district's commune
    assert_matches(report, DISTRICT_REPORT)
