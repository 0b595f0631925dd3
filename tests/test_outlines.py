"""Outlines as data: numbering counted on what prints, text as entered,
re-drafting that keeps the outline and the hand's edits, office templates."""

from __future__ import annotations

import pytest

from conferences import drafting
from conferences.models import InviteeLine
from core.exceptions import Refused
from core.models import AuditEntry
from documents import outlines, services
from documents.models import OutlineTemplate
from documents.outlines import Item, Node, Piece

from .conftest import client_for
from .factories import ConferenceFactory, DutyFactory

pytestmark = pytest.mark.django_db


def printed(nodes, pieces, words=None):
    return ["\n".join(p.lines) for p in outlines.render([Node.from_dict(n) for n in nodes], pieces, None, words)]


PIECES = {
    "empty": Piece("Trống", lambda owner: None),
    "time": Piece("Thời gian", lambda owner: "Dự kiến trong tháng 10/2024 (thời gian cụ thể có thông báo sau)."),
    "units": Piece("Đơn vị", lambda owner: [Item("UBND xã A Mú Sung;"), Item("UBND thị trấn Bát Xát.")], grouped=True),
    "groups": Piece(
        "Nhóm",
        lambda owner: [
            Item("Phòng Nội vụ", [Item("Chủ trì tham mưu;"), Item("Tổng hợp kết quả.")], inline_one=True),
            Item("Phòng Tài chính - Kế hoạch", [Item("Bảo đảm kinh phí.")], inline_one=True),
            Item(
                "UBND các xã, thị trấn",
                [Item("Chuẩn bị tham luận, cụ thể:", [Item("UBND xã A: về một cửa;"), Item("UBND xã B: về số hóa.")])],
            ),
        ],
    ),
}


def test_numbers_count_only_what_prints_and_an_empty_section_prints_nothing():
    nodes = [
        {"title": "", "style": "", "text": "Mở đầu như gõ"},
        {"title": "MỤC ĐÍCH", "style": "I", "text": "nội dung"},
        {"title": "KINH PHÍ", "style": "I"},
        {"title": "Không có gì", "style": "1", "depth": 1, "piece": "empty"},
        {"title": "THỜI GIAN", "style": "I"},
        {"title": "Thời gian:", "style": "1", "depth": 1, "piece": "time", "inline": True},
    ]
    assert printed(nodes, PIECES) == [
        "Mở đầu như gõ",
        "**I. MỤC ĐÍCH**\nnội dung",
        "**II. THỜI GIAN**\n1. Thời gian: Dự kiến trong tháng 10/2024 (thời gian cụ thể có thông báo sau).",
    ]


def test_items_take_the_nodes_styles_down_to_plus_and_groups_of_one_print_on_one_line():
    nodes = [
        {"title": "TỔ CHỨC THỰC HIỆN", "style": "I"},
        {"title": "Trách nhiệm", "style": "1", "depth": 1, "piece": "groups", "items": "1.1", "subitems": "-"},
        {"title": "Thành phần", "style": "1", "depth": 1, "piece": "units", "items": "1.1", "subitems": "-"},
        {"title": "Phân công", "style": "a", "depth": 1, "text": "Tự nhập: *giữ nguyên*"},
    ]
    assert printed(nodes, PIECES)[0].split("\n") == [
        "**I. TỔ CHỨC THỰC HIỆN**",
        "1. Trách nhiệm",
        "1.1. Phòng Nội vụ",
        "- Chủ trì tham mưu;",
        "- Tổng hợp kết quả.",
        "1.2. Phòng Tài chính - Kế hoạch: Bảo đảm kinh phí.",
        "1.3. UBND các xã, thị trấn",
        "- Chuẩn bị tham luận, cụ thể:",
        "+ UBND xã A: về một cửa;",
        "+ UBND xã B: về số hóa.",
        # A flat list under a group style is a list of bullets.
        "2. Thành phần",
        "- UBND xã A Mú Sung;",
        "- UBND thị trấn Bát Xát.",
        "a) Phân công",
        "Tự nhập: *giữ nguyên*",
    ]


def test_roman_arabic_letters_and_parenthesised_numbers_and_placeholders():
    nodes = [
        {"title": "NHIỆM VỤ NĂM {năm}", "style": "I"},
        {"title": "Thủ trưởng cơ quan", "style": "1)", "depth": 1, "text": "x"},
        {"title": "Sở Nội vụ", "style": "1)", "depth": 1, "text": "y"},
        {"title": "KẾT", "style": "I", "text": "z"},
    ]
    assert printed(nodes, PIECES, {"năm": "2025"}) == [
        "**I. NHIỆM VỤ NĂM 2025**\n1) Thủ trưởng cơ quan\nx\n2) Sở Nội vụ\ny",
        "**II. KẾT**\nz",
    ]
    six = [{"title": f"Điểm {n}", "style": "a", "text": "."} for n in range(1, 7)]
    labels = [row.split(")")[0] for row in printed(six, PIECES, {})]
    assert labels == ["a", "b", "c", "d", "đ", "e"]  # as laws letter their points: no "f"


def test_typed_items_keep_their_punctuation_and_capitals(lang_son, organiser):
    conference = ConferenceFactory(province=lang_son)
    for order, text in enumerate(["Lãnh đạo UBND tỉnh - Chủ trì hội nghị.", "Đại diện Sở Tư pháp", "Báo Lạng Sơn"]):
        InviteeLine.objects.create(conference=conference, order=order, text=text, target="text")
    document = drafting.draft_invitation(actor=organiser, conference=conference)
    text = document.sections.get(label="Thành phần dự Hội nghị").text
    assert "- Lãnh đạo UBND tỉnh - Chủ trì hội nghị.\n- Đại diện Sở Tư pháp;\n- Báo Lạng Sơn." in text


@pytest.fixture
def plan(lang_son, organiser):
    conference = ConferenceFactory(province=lang_son, purposes="Đánh giá kết quả\nTriển khai nhiệm vụ")
    DutyFactory(conference=conference, lead_label="Sở Tư pháp", task="Chuẩn bị tham luận.")
    return drafting.draft_conference_plan(actor=organiser, conference=conference)


def test_redrafting_follows_new_data_and_keeps_the_hands_edits(plan, organiser):
    conference = plan.source
    purposes = plan.sections.get(label="MỤC ĐÍCH, YÊU CẦU")
    closing = plan.sections.get(label="Kết")
    closing.text = "Đoạn kết do văn phòng viết lại./."
    closing.save()
    conference.purposes = "Đánh giá kết quả\nTriển khai nhiệm vụ\nBiểu dương khen thưởng"
    conference.save()
    DutyFactory(conference=conference, section="", lead_label="Sở Tài chính", task="Bảo đảm kinh phí", due_date=None)
    kept = services.document_redraft(actor=organiser, document=plan)
    assert kept == ["Kết"]
    purposes.refresh_from_db()
    assert "1.3. Biểu dương khen thưởng." in purposes.text
    assert "Sở Tài chính: Bảo đảm kinh phí." in plan.sections.get(label="TỔ CHỨC THỰC HIỆN").text
    assert plan.sections.get(label="Kết").text == "Đoạn kết do văn phòng viết lại./."
    assert AuditEntry.objects.filter(action="document.redraft", object_id=str(plan.pk)).count() == 1


def test_saving_the_page_untouched_marks_no_section_as_edited_by_hand(plan, organiser):
    from .test_new_shapes import edit

    client = client_for(organiser)
    section = plan.sections.get(label="MỤC ĐÍCH, YÊU CẦU")
    assert "\n" in section.text
    edit(client, plan, line_end="\r\n")  # as a browser's text box sends every line
    section.refresh_from_db()
    assert "\r" not in section.text and not section.edited_by_hand
    assert services.document_redraft(actor=organiser, document=plan) == []


def test_an_outline_is_reordered_merged_renamed_and_dropped_then_kept_as_the_offices_template(plan, organiser):
    nodes = plan.outline
    by_piece = {n["piece"]: n for n in nodes if n["piece"]}
    merged = [
        by_piece["kh_opening"],
        {"title": "THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN", "style": "I", "depth": 0, "piece": ""},
        {**by_piece["time"], "depth": 1},
        {**by_piece["venue"], "depth": 1, "title": "Địa điểm:"},
        {**by_piece["content"], "depth": 1},
        {**by_piece["invitees"], "depth": 1, "title": "Thành phần tham dự"},
        {"title": "NHIỆM VỤ", "style": "I", "depth": 0, "piece": "duties", "items": "1", "subitems": "-"},
    ]
    services.outline_save(actor=organiser, document=plan, nodes=merged)
    labels = list(plan.sections.values_list("label", flat=True))
    assert labels == ["Mở đầu", "THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN", "NHIỆM VỤ"]
    text = plan.sections.get(label="THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN").text
    assert text.startswith("**I. THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN**\n1. Thời gian:")
    assert "\n2. Địa điểm:" in text
    duties = plan.sections.get(label="NHIỆM VỤ").text
    assert duties.startswith("**II. NHIỆM VỤ**\n1. Trách nhiệm của các sở, ban, ngành: Chuẩn bị tham luận **")

    template = services.outline_template_save(actor=organiser, document=plan, name="Kế hoạch hội nghị của Sở")
    assert [n["title"] for n in template.nodes] == [n["title"] for n in merged]
    again = ConferenceFactory(
        province=plan.province, issuing_authority=plan.issuer, focal_agency=plan.source.focal_agency
    )
    second = drafting.draft_conference_plan(actor=organiser, conference=again)
    assert [n["title"] for n in second.outline] == [n["title"] for n in merged]
    assert list(second.sections.values_list("label", flat=True))[1] == "THỜI GIAN, ĐỊA ĐIỂM, NỘI DUNG, THÀNH PHẦN"


def test_an_outline_that_skips_a_level_or_names_unknown_data_is_refused(plan, organiser):
    before = plan.outline
    with pytest.raises(Refused, match="lùi vào hai cấp"):
        services.outline_save(
            actor=organiser, document=plan, nodes=[{"title": "A", "depth": 0}, {"title": "B", "depth": 2}]
        )
    with pytest.raises(Refused, match="dữ liệu không có"):
        services.outline_save(actor=organiser, document=plan, nodes=[{"title": "A", "piece": "bịa"}])
    plan.refresh_from_db()
    assert plan.outline == before


def test_the_outline_page_saves_a_template_and_another_issuer_cannot_use_it(plan, organiser, lang_son):
    client = client_for(organiser)
    url = f"/van-ban/{plan.pk}/dan-y/"
    page = client.get(url).content.decode()
    assert "Lưu dàn ý làm mẫu" in page and "Câu mở đầu kế hoạch" in page
    data = {"nodes-TOTAL_FORMS": 2, "nodes-INITIAL_FORMS": 0, "template_name": "Mẫu của tôi", "save_template": "1"}
    rows = [
        {"order": 1, "depth": 0, "style": "", "piece": "kh_opening", "part": "body", "items": "-", "subitems": "+"},
        {"order": 2, "depth": 0, "style": "I", "title": "NỘI DUNG", "piece": "content", "part": "body",
         "items": "-", "subitems": "+"},
    ]  # fmt: skip
    for i, row in enumerate(rows):
        data.update({f"nodes-{i}-{k}": v for k, v in row.items()})
    response = client.post(url, data)
    assert response.status_code == 302
    template = OutlineTemplate.objects.get(name="Mẫu của tôi")
    assert [n["piece"] for n in template.nodes] == ["kh_opening", "content"]
    other = ConferenceFactory(province=lang_son)
    other_plan = drafting.draft_conference_plan(actor=organiser, conference=other)
    other_plan.issuer = ConferenceFactory(province=lang_son).focal_agency
    other_plan.save()
    with pytest.raises(Refused):
        services.outline_template_apply(actor=organiser, document=other_plan, template=template)


def test_the_template_in_use_shows_and_can_be_deleted(plan, organiser):
    client = client_for(organiser)
    older = services.outline_template_save(actor=organiser, document=plan, name="Mẫu cũ")
    newer = services.outline_template_save(actor=organiser, document=plan, name="Mẫu mới")
    page = client.get(f"/van-ban/{plan.pk}/dan-y/").content.decode()
    assert f'<option value="{newer.pk}" selected>' in page and "---------" not in page
    response = client.post(f"/van-ban/{plan.pk}/dan-y/dung-mau/", {"template": newer.pk, "delete": "1"})
    assert response.status_code == 302
    assert list(OutlineTemplate.objects.values_list("name", flat=True)) == ["Mẫu cũ"]
    assert AuditEntry.objects.filter(action="outline.template_delete", object_id=str(newer.pk)).exists()
    # Only from a document of the same issuer and kind.
    other = drafting.draft_conference_plan(actor=organiser, conference=ConferenceFactory(province=plan.province))
    other.issuer = other.source.focal_agency
    other.save()
    with pytest.raises(Refused):
        services.outline_template_delete(actor=organiser, document=other, template=older)
