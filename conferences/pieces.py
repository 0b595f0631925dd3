"""The pieces of a conference's and a plan's data an outline can print, and
the outlines the portal ships for each kind of draft and issuer level.

A piece returns text (printed line by line, as the organiser typed it) or a
list of outlines.Item. Typed text is never rewritten: an item that ends
without punctuation gets the list's ";" (or "." if last); one that has its
own keeps it. The only change a piece makes to typed words is where two
pieces of data join into one sentence ("Sở Nội vụ" + "Chủ trì…" reads "Sở
Nội vụ chủ trì…"), and then never to a proper name."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from agencies.models import Level
from core.formatting import vn_date, vn_time, vn_weekday
from documents import issuers
from documents.outlines import APPENDIX, Item, Piece
from documents.rendering import lines as text_lines

from . import extensions
from .models import BasisDocument, Conference, Duty, ImprovementPlan, InviteeLine, PresentationsIn

# Words that start a proper name: a task beginning with one keeps its capital.
PROPER_STARTS = {"Sở", "Ủy", "Uỷ", "UBND", "HĐND", "Văn", "Bộ", "Ban", "Thường", "Hội", "Trung", "Công", "Báo", "Tỉnh"}
# A line the organiser numbered or bulleted already ("1.1. …", "- …", "a) …").
_OWN_MARK = re.compile(r"^\s*(\d+(\.\d+)*[.)]|[-+•]|[a-zđ]\))\s")
_END = ".;:!?"


def lower_first(text: str) -> str:
    """The first letter in lower case where a sentence continues into it,
    except a proper name's or an abbreviation's."""
    first = text.split(" ", 1)[0]
    if not text or first in PROPER_STARTS or first.isupper() and len(first) > 1:
        return text
    return text[0].lower() + text[1:]


def end(text: str, mark: str) -> str:
    """`mark` after text that has no final punctuation of its own."""
    text = text.strip()
    return text if text[-1:] in _END or text.endswith("./.") else text + mark


def listed(texts: list[str], last: str = ".") -> list[Item]:
    """Items of a list, each ending as typed or with ";" (the last with `last`)."""
    texts = [t.strip() for t in texts if t.strip()]
    return [Item(end(t, last if i == len(texts) - 1 else ";")) for i, t in enumerate(texts)]


def typed_list(text: str):
    """A field of one point per line: as typed when the organiser numbered
    or bulleted the lines themselves, else a list for the outline to number."""
    rows = text_lines(text)
    if not rows:
        return None
    if all(_OWN_MARK.match(row) for row in rows):
        return "\n".join(rows)
    return listed(rows)


def _split_end(text: str) -> tuple[str, str]:
    """'…tổng hợp.' → ('…tổng hợp', '.'): a deadline goes before the final mark."""
    text = text.strip()
    if text.endswith("./."):
        return text[:-3], "./."
    if text[-1:] in _END:
        return text[:-1].rstrip(), text[-1]
    return text, ""


# --- Shared sentences --------------------------------------------------------------------


def _citation(doc: BasisDocument, *, with_issuer: bool) -> str:
    if with_issuer:
        return doc.citation
    parts = [doc.doc_type]
    if doc.number:
        parts.append(f"số {doc.number}")
    if doc.issued_on:
        parts.append(f"ngày {vn_date(doc.issued_on)}")
    if doc.title:
        parts.append(doc.title)
    return " ".join(parts)


def basis_sentence(basis: list[BasisDocument]) -> str:
    """ "Thực hiện Kế hoạch số 35/KH-UBND …; Căn cứ …". Several documents of
    one type from one issuer are cited as offices cite them: "Thực hiện các
    Kế hoạch của Ủy ban nhân dân tỉnh gồm: Kế hoạch số 35/KH-UBND …; Kế
    hoạch số 211/KH-UBND …"."""
    groups: dict[str, list[BasisDocument]] = {}
    for doc in basis:
        groups.setdefault(doc.get_lead_display(), []).append(doc)
    return ";\n".join(basis_phrases(groups))


def basis_phrases(groups: dict[str, list[BasisDocument]]) -> list[str]:
    """One phrase per lead ("Căn cứ …", "Thực hiện …"): each on its own line,
    as offices set them, when there are several."""
    phrases = []
    for lead, docs in groups.items():
        kinds = {(d.doc_type, d.issuer) for d in docs}
        if len(docs) > 1 and len(kinds) == 1 and docs[0].issuer:
            kind, issuer = kinds.pop()
            cited = "; ".join(_citation(d, with_issuer=False) for d in docs)
            phrases.append(f"{lead} các {kind} của {issuer} gồm: {cited}")
        else:
            phrases.append(f"{lead} {'; '.join(d.citation for d in docs)}")
    return phrases


def deadline(duty: Duty) -> str:
    if not duty.due_date:
        return ""
    when = f"{duty.get_due_wording_display()} {vn_date(duty.due_date)}"
    if duty.due_time:
        wording = duty.get_due_wording_display().replace(" ngày", "")
        when = f"{wording} {vn_time(duty.due_time)} ngày {vn_date(duty.due_date)}"
    return f"**{when}**"


def lead_name(duty: Duty, issuer) -> str:
    if duty.lead_label:
        return duty.lead_label
    if duty.lead_agency_id:
        return issuers.short_name(duty.lead_agency, within=issuer)
    return issuers.group_phrase(duty.lead_kinds) or duty.lead_display


def duty_sentence(duty: Duty, *, issuer, with_lead: bool, stated_deadline=None) -> tuple[str, str]:
    """(sentence, its own final mark) of a duty: its lead when asked, its
    task as typed, its deadline in bold before the final mark. A deadline the
    document states once for everything is not repeated."""
    task, mark = _split_end(duty.task)
    if with_lead:
        task = f"{lead_name(duty, issuer)} {lower_first(task)}"
    if stated_deadline and duty.due_date == stated_deadline and not duty.due_time:
        due = ""
    else:
        due = deadline(duty)
    return f"{task} {due}".strip(), mark


def time_sentence(conference: Conference) -> str:
    note = conference.schedule_note.strip().rstrip(".;,")
    if note and conference.date and not conference.time_tba and vn_date(conference.date) not in note:
        # "01 buổi" with a fixed day: both ("01 buổi, từ 08 giờ 00 phút, ngày 12/01/2027 (thứ Ba)").
        return f"{note}, {_fixed_time(conference)}"
    if note:
        return conference.schedule_note.strip()
    return _fixed_time(conference)


def _fixed_time(conference: Conference) -> str:
    if not conference.date:
        return "" if conference.time_tba else str(_("(chưa chốt thời gian)"))
    day = f"ngày {vn_date(conference.date)} ({vn_weekday(conference.date)})"
    if conference.time_tba:
        return day
    if conference.start_time and conference.end_time:
        return (
            f"từ {conference.start_time:%H} giờ {conference.start_time:%M} phút đến {conference.end_time:%H} giờ "
            f"{conference.end_time:%M} phút, {day}"
        )
    if conference.start_time:
        return f"từ {conference.start_time:%H} giờ {conference.start_time:%M} phút, {day}"
    return day


def venue_sentence(conference: Conference) -> str:
    if not conference.venue:
        return "" if conference.venue_tba else str(_("(chưa chốt địa điểm)"))
    if conference.venue_address:
        return f"{conference.venue} (địa chỉ: {conference.venue_address})"
    return conference.venue


def _tba(conference: Conference, *, time: bool, venue: bool) -> str:
    """'(thời gian, địa điểm cụ thể có thông báo sau)' for what is still open."""
    open_ = [
        word
        for word, flag in (("thời gian", time and conference.time_tba), ("địa điểm", venue and conference.venue_tba))
        if flag
    ]
    return f"({', '.join(open_)} cụ thể có thông báo sau)" if open_ else ""


def _sentence(*parts: str) -> str | None:
    text = " ".join(p for p in parts if p).strip()
    if not text:
        return None
    head, mark = _split_end(text)
    return f"{head}{mark or '.'}"


# --- Conference pieces -------------------------------------------------------------------------


def _issuer_short(owner) -> str:
    """The issuer as its own text names it: "UBND tỉnh", "UBND huyện", "Sở Nội vụ"."""
    return issuers.short_name(owner.issuing_authority, within=owner.issuing_authority)


def _plan_topic(conference: Conference) -> str:
    title = conference.title.strip()
    # "Hội nghị …" is the plan's topic once organised: "tổ chức Hội nghị …",
    # its capital kept as typed.
    return f"tổ chức {title}" if title.split(" ", 1)[0] == "Hội" else title


def gm_opening(conference: Conference) -> str:
    opening = basis_sentence(list(conference.basis_documents.all()))
    who = _issuer_short(conference)
    body = f"{who} trân trọng kính mời đại biểu dự {conference.title.strip()}, như sau:"
    return f"{opening}, {body}" if opening else body


def kh_opening(conference: Conference) -> str:
    basis = basis_sentence(list(conference.basis_documents.all()))
    issuing = (
        f"{_issuer_short(conference)} ban hành Kế hoạch {_plan_topic(conference)}, với các nội dung cụ thể như sau:"
    )
    if "\n" in basis:  # several leads: each on its line, the issuing sentence its own
        return f"{basis};\n{issuing[0].upper()}{issuing[1:]}"
    intro = f"{basis + '; ' if basis else ''}{issuing}"
    return intro[0].upper() + intro[1:]


def basis_piece(owner) -> str | None:
    sentence = basis_sentence(list(owner.basis_documents.all()))
    return end(sentence, ";") if sentence else None


def requirements_piece(conference: Conference):
    return typed_list(conference.requirements)


def content_piece(conference: Conference):
    return listed([item.text for item in conference.content_items.all()]) or None


def _programme_line(item) -> str:
    text = item.title.strip()
    if item.starts_at:
        text = f"{item.starts_at:%H} giờ {item.starts_at:%M}: {text}"
    if item.speaker:
        head, mark = _split_end(text)
        text = f"{head} ({item.speaker}){mark}"
    return text


def programme_piece(conference: Conference):
    return listed([_programme_line(i) for i in conference.programme_items.select_related("agency")]) or None


def time_piece(conference: Conference):
    return _sentence(time_sentence(conference), _tba(conference, time=True, venue=False))


def venue_piece(conference: Conference):
    return _sentence(venue_sentence(conference), _tba(conference, time=False, venue=True))


def time_venue_piece(conference: Conference):
    """One sentence for both, as plans write it while either is open:
    'Dự kiến trong tháng 10/2024 (thời gian, địa điểm cụ thể có thông báo sau).'"""
    when, where = time_sentence(conference), venue_sentence(conference) if conference.venue else ""
    if where and when:
        where = f"tại {where}"
    return _sentence(", ".join(p for p in (when, where) if p), _tba(conference, time=True, venue=True))


def _invitee_text(line: InviteeLine) -> str:
    text = line.text.strip()
    if line.separate_invitation and "giấy mời riêng" not in text:
        head, mark = _split_end(text)
        text = f"{head} (có giấy mời riêng){mark}"
    return text


def invitees_piece(conference: Conference):
    """The invitee lines, grouped under their sections when they have any
    ("3.1. Đại biểu cấp tỉnh:"); a section of one line prints on one line."""
    rows = list(conference.invitee_lines.all())
    if not rows:
        return None
    if not any(row.section for row in rows):
        return listed([_invitee_text(r) for r in rows])
    groups: dict[str, list[InviteeLine]] = {}
    for row in rows:
        groups.setdefault(row.section, []).append(row)
    items = []
    for section, members in groups.items():
        children = listed([_invitee_text(r) for r in members])
        if section:
            items.append(Item(section.strip().rstrip(":"), children, inline_one=True, head_mark=":"))
        else:
            items += children
    return items


def _presentation_children(conference: Conference, duty: Duty) -> list[Item]:
    if not duty.lists_presentations or conference.presentations_in == PresentationsIn.APPENDIX:
        return []
    texts = [
        f"{unit}: phát biểu tham luận về {lower_first(topic.strip())}" for topic, unit in _presentations(conference)
    ]
    if duty.presentations_rest.strip():
        texts.append(duty.presentations_rest)
    return listed(texts)


def _duty_item(conference, duty: Duty, *, with_lead: bool, last: str, stated=None) -> Item:
    issuer = conference.issuing_authority
    sentence, mark = duty_sentence(duty, issuer=issuer, with_lead=with_lead, stated_deadline=stated)
    children = _presentation_children(conference, duty) if isinstance(conference, Conference) else []
    if children:
        head = sentence.rstrip(",")
        return Item(head if head.endswith(":") else f"{head}, cụ thể:", children)
    return Item(f"{sentence}{mark or last}")


def preparation_duties_piece(conference: Conference):
    """What each unit does before the conference, its lead first: the
    invitation's "a) Giao Sở Nội vụ chủ trì…"."""
    duties = list(conference.duties.select_related("lead_agency__province").filter(phase=Duty.Phase.PREPARATION))
    return [
        _duty_item(conference, d, with_lead=True, last="." if i == len(duties) - 1 else ";")
        for i, d in enumerate(duties)
    ] or None


def duty_groups(owner, *, inline_one: bool, stated=None) -> list[Item]:
    """Duties under their unit or section: "2.1. Sở Nội vụ" then its tasks,
    one task on the unit's line when it has one."""
    duties = list(owner.duties.select_related("lead_agency__province"))
    groups: dict[str, list[Duty]] = {}
    for duty in duties:
        key = duty.section or lead_name(duty, owner.issuing_authority)
        groups.setdefault(key, []).append(duty)
    items = []
    for group, rows in groups.items():
        children = [
            _duty_item(owner, d, with_lead=False, last="." if i == len(rows) - 1 else ";", stated=stated)
            for i, d in enumerate(rows)
        ]
        items.append(Item(group, children, inline_one=inline_one))
    return items


def duties_piece(conference: Conference):
    return duty_groups(conference, inline_one=True) or None


def reply_piece(conference: Conference):
    """The reply-by date the portal holds the invitees to, printed where they read it."""
    if not conference.reply_deadline:
        return None
    return (
        f"Đề nghị các cơ quan, đơn vị xác nhận thành phần tham dự **trước ngày {vn_date(conference.reply_deadline)}**."
    )


def budget_piece(conference: Conference):
    return end(conference.budget_note, ".") if conference.budget_note.strip() else None


def contact_piece(conference: Conference):
    return end(conference.contact, ".") if conference.contact.strip() else None


def _presentations(conference: Conference) -> list[tuple[str, str]]:
    return extensions.presentation_rows(conference)


def presentations_piece(conference: Conference):
    rows = _presentations(conference)
    texts = [f"{unit}: {topic.strip()}" for topic, unit in rows]
    return listed(texts) or None


def presentations_table_piece(conference: Conference):
    if conference.presentations_in == PresentationsIn.DUTY:
        return None
    rows = _presentations(conference)
    if not rows:
        return None
    table = ["| STT | Nội dung tham luận | Đơn vị tham luận |", "|---|---|---|"]
    table += [f"| {i}. | {topic} | {unit} |" for i, (topic, unit) in enumerate(rows, start=1)]
    return "\n".join(table)


def awards_piece(conference: Conference):
    awards = list(conference.awards.select_related("agency"))
    texts = []
    for award in awards:
        who = award.recipient_name or (award.agency.name if award.agency_id else "")
        if award.recipient_name and award.agency_id:
            who = f"{award.recipient_position} {award.recipient_name}, {award.agency.name}".strip()
        texts.append(f"{who}: {award.award_name}" if who else award.award_name)
    return listed(texts) or None


def kh_closing(conference: Conference) -> str:
    """ "Trên đây là Kế hoạch …; … phản ánh về <focal> để tổng hợp, báo cáo
    <the issuer's head> xem xét, quyết định./." — the focal office and the
    head of this issuer, whoever it is."""
    issuer = conference.issuing_authority
    focal = issuers.short_name(conference.focal_agency, within=issuer)
    where = (
        f"{focal} (*{detail}*)" if (detail := contact_detail(conference.contact, conference.focal_agency)) else focal
    )
    return (
        f"Trên đây là Kế hoạch {_plan_topic(conference)}. Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực "
        f"hiện. Trong quá trình thực hiện nếu có khó khăn, vướng mắc, đề nghị kịp thời phản ánh về {where} để tổng "
        f"hợp, báo cáo {issuers.head_phrase(issuer)} xem xét, quyết định./."
    )


def contact_detail(contact: str, focal) -> str:
    """What the contact adds to the focal office's name: "Sở Nội vụ
    (*Phòng …; điện thoại …*)", whether or not it repeats the office's name
    ("Phòng Nội vụ huyện; điện thoại …" → "điện thoại …")."""
    detail = contact.strip()
    for name in (focal.name, issuers.short_name(focal, within=focal), issuers.short_name(focal)):
        if name and detail.startswith(name):
            detail = detail[len(name) :]
            break
    detail = detail.strip(" ;,()")
    for word in ("thành phố", "thị xã", "huyện", "tỉnh", "xã"):
        if detail.startswith(word) and detail[len(word) : len(word) + 1] in (";", ","):
            detail = detail[len(word) + 1 :]
    return detail.strip(" ;,()")


def tb_opening(conference: Conference) -> str:
    """The announcement that fixes what the plan left open, citing the plan."""
    from documents.selectors import documents_for_source

    plan = documents_for_source(conference).filter(purpose="plan").exclude(number=None).order_by("-issued_on").first()
    who = _issuer_short(conference)
    if plan is not None:
        cited = f"Kế hoạch số {plan.number_text}/{plan.symbol} ngày {vn_date(plan.issued_on)} của {plan.issuer.name}"
        return f"Thực hiện {cited}, {who} thông báo thời gian, địa điểm tổ chức {conference.title.strip()} như sau:"
    return f"{who} thông báo thời gian, địa điểm tổ chức {conference.title.strip()} như sau:"


CONFERENCE_PIECES = {
    "gm_opening": Piece(_("Câu mở đầu giấy mời (căn cứ, kính mời)"), gm_opening),
    "kh_opening": Piece(_("Câu mở đầu kế hoạch (căn cứ, ban hành)"), kh_opening),
    "tb_opening": Piece(_("Câu mở đầu thông báo"), tb_opening),
    "basis": Piece(_("Căn cứ, văn bản thực hiện"), basis_piece),
    "purposes": Piece(_("Mục đích"), lambda c: typed_list(c.purposes)),
    "requirements": Piece(_("Yêu cầu"), requirements_piece),
    "content": Piece(_("Nội dung hội nghị"), content_piece),
    "programme": Piece(_("Chương trình"), programme_piece),
    "time": Piece(_("Thời gian"), time_piece),
    "venue": Piece(_("Địa điểm"), venue_piece),
    "time_venue": Piece(_("Thời gian, địa điểm (một câu)"), time_venue_piece),
    "invitees": Piece(_("Thành phần"), invitees_piece, grouped=True),
    "preparation_duties": Piece(_("Nhiệm vụ chuẩn bị (có đơn vị đứng đầu)"), preparation_duties_piece),
    "duties": Piece(_("Nhiệm vụ theo đơn vị"), duties_piece, grouped=True),
    "presentations": Piece(_("Danh sách tham luận"), presentations_piece),
    "presentations_table": Piece(_("Bảng tham luận (phụ lục)"), presentations_table_piece, table=True),
    "awards": Piece(_("Khen thưởng"), awards_piece),
    "reply": Piece(_("Hạn xác nhận tham dự"), reply_piece),
    "budget": Piece(_("Kinh phí"), budget_piece),
    "contact": Piece(_("Đầu mối liên hệ"), contact_piece),
    "kh_closing": Piece(_("Câu kết kế hoạch"), kh_closing),
}


# --- Plan pieces --------------------------------------------------------------------------------


def ip_opening(plan: ImprovementPlan) -> str:
    who = _issuer_short(plan)
    title = plan.title.strip()
    opening = []
    basis = basis_sentence(list(plan.basis_documents.all()))
    if basis:
        opening.append(end(basis, "."))
    if plan.background.strip():
        opening.append(plan.background.strip())
    opening.append(
        f"Để duy trì, phát huy những kết quả đã đạt được, đồng thời khắc phục những tồn tại, hạn chế, {who} "
        f"ban hành Kế hoạch {title[0].lower()}{title[1:]}, cụ thể như sau:"
    )
    return "\n".join(opening)


def _report_piece(plan: ImprovementPlan):
    if not plan.report_instruction.strip():
        return None
    head, _mark = _split_end(plan.report_instruction)
    due = f" **trước ngày {vn_date(plan.report_deadline)}**" if plan.report_deadline else ""
    return f"{head}{due}./."


PLAN_PIECES = {
    "ip_opening": Piece(_("Câu mở đầu (kết quả, ban hành)"), ip_opening),
    "basis": Piece(_("Căn cứ, văn bản thực hiện"), basis_piece),
    "background": Piece(_("Kết quả năm trước"), lambda p: p.background.strip() or None),
    "purposes": Piece(_("Mục đích"), lambda p: typed_list(p.purposes)),
    "requirements": Piece(_("Yêu cầu"), lambda p: typed_list(p.requirements)),
    "goals": Piece(_("Mục tiêu"), lambda p: typed_list(p.goals)),
    "measures": Piece(_("Nhiệm vụ và giải pháp"), lambda p: "\n".join(text_lines(p.measures)) or None),
    "duties": Piece(
        _("Nhiệm vụ theo đơn vị"), lambda p: duty_groups(p, inline_one=False, stated=p.report_deadline) or None
    ),
    "report": Piece(_("Chế độ báo cáo"), _report_piece),
}


# --- Outlines shipped with the portal ----------------------------------------------------------


def node(title="", style="1", depth=0, piece="", text="", **extra) -> dict:
    return {"title": title, "style": style, "depth": depth, "piece": piece, "text": text, **extra}


def _invitation(level: str) -> list[dict]:
    return [
        node(name="Mở đầu", style="", piece="gm_opening"),
        node("Thành phần dự Hội nghị", piece="invitees", items="", subitems="-"),
        node("Thời gian:", piece="time", inline=True),
        node("Địa điểm:", piece="venue", inline=True),
        node("Nội dung Hội nghị", piece="content"),
        node("Tổ chức thực hiện", piece="preparation_duties", items="a", subitems="+"),
        node(name="Hạn xác nhận", style="", piece="reply"),
        node("Thông tin liên hệ:", style="", piece="contact", inline=True),
        node(name="Kết", style="", text="Trân trọng kính mời đại biểu tham dự Hội nghị./."),
    ]


def _conference_plan(level: str) -> list[dict]:
    return [
        node(name="Mở đầu", style="", piece="kh_opening"),
        node("MỤC ĐÍCH, YÊU CẦU", style="I"),
        node("Mục đích:", depth=1, piece="purposes", items="1.1"),
        node("Yêu cầu:", depth=1, piece="requirements", inline=True),
        node("NỘI DUNG, CHƯƠNG TRÌNH HỘI NGHỊ", style="I"),
        node("Nội dung:", depth=1, piece="content"),
        node("Chương trình Hội nghị (dự kiến)", depth=1, piece="programme"),
        node("THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN", style="I"),
        node("Thời gian:", depth=1, piece="time", inline=True),
        node("Địa điểm tổ chức: Tại", depth=1, piece="venue", inline=True),
        node("Thành phần", depth=1, piece="invitees", items="1.1", subitems="-"),
        node("TỔ CHỨC THỰC HIỆN:", style="I"),
        node("Kinh phí tổ chức Hội nghị:", depth=1, piece="budget", inline=True),
        node("Trách nhiệm của các cơ quan, đơn vị", depth=1, piece="duties", items="1.1", subitems="-"),
        node(name="Kết", style="", piece="kh_closing"),
        node("Dự kiến các báo cáo tham luận tại {tên}", style="", piece="presentations_table", part=APPENDIX),
    ]


def _announcement(level: str) -> list[dict]:
    return [
        node(name="Mở đầu", style="", piece="tb_opening"),
        node("Thời gian:", piece="time", inline=True),
        node("Địa điểm:", piece="venue", inline=True),
        node("Thành phần:", piece="invitees", items="", subitems="-"),
        node(
            name="Kết",
            style="",
            text="Đề nghị các cơ quan, đơn vị, địa phương bố trí thành phần tham dự đầy đủ, đúng thời gian./.",
        ),
    ]


def _improvement_plan(level: str) -> list[dict]:
    return [
        node(name="Mở đầu", style="", piece="ip_opening"),
        node("MỤC ĐÍCH, YÊU CẦU", style="I"),
        node("Mục đích", depth=1, piece="purposes"),
        node("Yêu cầu", depth=1, piece="requirements"),
        node("MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM NĂM {năm}", style="I"),
        node("Mục tiêu", depth=1, piece="goals"),
        node("Nhiệm vụ và giải pháp", depth=1, piece="measures"),
        node("PHÂN CÔNG NHIỆM VỤ", style="I", piece="duties", items="1", subitems="-"),
        node("TỔ CHỨC THỰC HIỆN", style="I", piece="report"),
    ]


CONFERENCE_OUTLINES = {"invitation": _invitation, "plan": _conference_plan, "announcement": _announcement}
PLAN_OUTLINES = {"improvement_plan": _improvement_plan}


def default_outline(outlines: dict, purpose: str, level: str) -> list[dict]:
    """The shipped outline of a purpose. Levels share the national shape;
    a district's or commune's differs in its pieces' data, not its sections."""
    builder = outlines.get(purpose)
    return builder(level or Level.PROVINCE) if builder else []


def conference_words(conference: Conference) -> dict[str, str]:
    year = (conference.date or conference.as_of).year
    return {"tên": conference.title.strip(), "năm": str(year), "tỉnh": conference.province.name}


def plan_words(plan: ImprovementPlan) -> dict[str, str]:
    return {"tên": plan.title.strip(), "năm": str(plan.year), "tỉnh": plan.province.name}
