"""Drafts of official documents from a conference's or plan's data, in the
wording of the seed documents: the invitation (GM) and the conference plan
(KH) of a conference, and the document of an improvement plan.

Each draft is a list of sections in the documents app's text subset, which
organisers then edit beside a live preview. The documents app knows these
models only through the hooks registered at the bottom."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind
from core.formatting import vn_date, vn_number, vn_time, vn_weekday
from documents import services as documents
from documents import sources
from documents.models import DocType
from documents.rendering import lines
from indices import analysis as index_analysis
from indices import charts as index_charts
from indices import selectors as index_results

from . import extensions, selectors
from .models import BasisDocument, Conference, Duty, ImprovementPlan, InviteeLine, InviteeRole

# Words that start a proper name: a task beginning with one keeps its capital.
PROPER_STARTS = {"Sở", "Ủy", "Uỷ", "UBND", "HĐND", "Văn", "Bộ", "Ban", "Thường", "Hội", "Trung", "Công", "Báo", "Tỉnh"}


def short_name(agency: Agency) -> str:
    """'Sở Nội vụ tỉnh Lạng Sơn' reads 'Sở Nội vụ' in its own province's documents."""
    if agency.kind == AgencyKind.PROVINCIAL_COMMITTEE:
        return "UBND tỉnh"
    name, province = agency.name, agency.province.name
    # "Văn phòng UBND tỉnh Lạng Sơn" keeps "tỉnh"; "Sở Nội vụ tỉnh Lạng Sơn" drops it.
    if name.endswith(f"UBND tỉnh {province}"):
        return name[: -len(province) - 1]
    suffix = f" tỉnh {province}"
    if not name.endswith(suffix):
        return name
    short = name[: -len(suffix)]
    # A body named only by its function reads "Công an tỉnh", "Thanh tra tỉnh".
    return f"{short} tỉnh" if short in ("Công an", "Thanh tra", "Bưu điện") else short


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if not text or first in PROPER_STARTS or first.isupper() and len(first) > 1:
        return text
    return text[0].lower() + text[1:]


def _end(text: str, mark: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".;:!?" else text + mark


def _bullets(items: list[str], last: str = ".") -> list[str]:
    return [f"- {_end(item, last if i == len(items) - 1 else ';')}" for i, item in enumerate(items)]


def _basis_sentence(basis: list[BasisDocument]) -> str:
    groups: dict[str, list[str]] = {}
    for doc in basis:
        groups.setdefault(doc.get_lead_display(), []).append(doc.citation)
    return "; ".join(f"{lead} {'; '.join(citations)}" for lead, citations in groups.items())


def _deadline(duty: Duty) -> str:
    if not duty.due_date:
        return ""
    when = f"{duty.get_due_wording_display()} {vn_date(duty.due_date)}"
    if duty.due_time:
        wording = duty.get_due_wording_display().replace(" ngày", "")
        when = f"{wording} {vn_time(duty.due_time)} ngày {vn_date(duty.due_date)}"
    return f"**{when}**"


def _duty_sentence(duty: Duty, *, with_lead: bool, stated_deadline=None) -> str:
    task = duty.task.strip().rstrip(".;")
    if with_lead:
        lead = duty.lead_label or (short_name(duty.lead_agency) if duty.lead_agency_id else duty.lead_display)
        task = f"{lead} {_lower_first(task)}"
    # A deadline the document states once for everything is not repeated on every line.
    deadline = "" if stated_deadline and duty.due_date == stated_deadline and not duty.due_time else _deadline(duty)
    return f"{task} {deadline}".strip()


def _time_sentence(conference: Conference) -> str:
    if not conference.date:
        return conference.schedule_note or _("(chưa chốt thời gian)")
    day = f"ngày {vn_date(conference.date)} ({vn_weekday(conference.date)})"
    if conference.start_time and conference.end_time:
        return (
            f"từ {conference.start_time:%H} giờ {conference.start_time:%M} phút đến {conference.end_time:%H} giờ "
            f"{conference.end_time:%M} phút, {day}"
        )
    if conference.start_time:
        return f"từ {conference.start_time:%H} giờ {conference.start_time:%M} phút, {day}"
    return day


def _venue_sentence(conference: Conference) -> str:
    venue = conference.venue or _("(chưa chốt địa điểm)")
    return f"{venue} (địa chỉ: {conference.venue_address})" if conference.venue_address else venue


def _invitee_line(line: InviteeLine) -> str:
    text = line.text.strip().rstrip(".;")
    if line.separate_invitation and "giấy mời riêng" not in text:
        text += " (có giấy mời riêng)"
    return text


def _invitee_blocks(conference: Conference, *, numbered: str | None) -> list[str]:
    """Lines grouped under their sections ("3.1. Đại biểu cấp tỉnh:")."""
    lines = list(conference.invitee_lines.all())
    sections: dict[str, list[InviteeLine]] = {}
    for line in lines:
        sections.setdefault(line.section, []).append(line)
    out: list[str] = []
    for index, (section, rows) in enumerate(sections.items(), start=1):
        texts = [_invitee_line(r) for r in rows]
        if section:
            label = f"{numbered}.{index}. {section}" if numbered else section
            if len(rows) == 1:
                out.append(f"{label}: {_end(texts[0], '.')}")
                continue
            out.append(f"{label}:")
        out += _bullets(texts)
    return out


def _duty_groups(owner_duties: list[Duty]) -> list[tuple[str, list[Duty]]]:
    groups: dict[str, list[Duty]] = {}
    for duty in owner_duties:
        groups.setdefault(duty.section or (duty.lead_label or duty.lead_display), []).append(duty)
    return list(groups.items())


def _signature(conference_or_plan) -> dict:
    """Who usually signs: the Vice-Chair for the Committee, the Director for a department."""
    issuer = conference_or_plan.issuing_authority
    if issuer.kind == AgencyKind.PROVINCIAL_COMMITTEE:
        return {"authority_lines": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH"}
    return {"authority_lines": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC"}


def presentation_rows(conference: Conference) -> list[tuple[str, str]]:
    """(topic, presenting unit) for the plan's appendix, from the app that
    keeps the assignments."""
    return extensions.presentation_rows(conference)


# --- Drafts ----------------------------------------------------------------------------


def draft_invitation(*, actor, conference: Conference):
    title = conference.title.strip()
    basis = list(conference.basis_documents.all())
    opening = _basis_sentence(basis)
    who = short_name(conference.issuing_authority)
    intro = (
        f"{opening}, {who} trân trọng kính mời đại biểu dự {title}, như sau:"
        if opening
        else f"{who} trân trọng kính mời đại biểu dự {title}, như sau:"
    )
    content = [item.text for item in conference.content_items.all()]
    duties = list(
        conference.duties.select_related("lead_agency", "lead_agency__province").filter(phase=Duty.Phase.PREPARATION)
    )
    letters = "abcdefghiklmnopqrstuvxy"
    sections = [
        {"label": _("Mở đầu"), "text": intro},
        {
            "label": _("Thành phần"),
            "text": "\n".join(["1. Thành phần dự Hội nghị", *_invitee_blocks(conference, numbered=None)]),
        },
        {
            "label": _("Thời gian, địa điểm"),
            "text": f"2. Thời gian: {_time_sentence(conference)}.\n"
            f"3. Địa điểm: {_end(_venue_sentence(conference), '.')}",
        },
        {"label": _("Nội dung"), "text": "\n".join(["4. Nội dung Hội nghị", *_bullets(content)])},
    ]
    if duties:
        duty_lines = ["5. Tổ chức thực hiện"]
        for index, duty in enumerate(duties):
            mark = ";" if index < len(duties) - 1 else "."
            duty_lines.append(f"{letters[index % len(letters)]}) {_end(_duty_sentence(duty, with_lead=True), mark)}")
        sections.append({"label": _("Tổ chức thực hiện"), "text": "\n".join(duty_lines)})
    if conference.contact:
        sections.append({"label": _("Liên hệ"), "text": f"Thông tin liên hệ: {_end(conference.contact, '.')}"})
    sections.append({"label": _("Kết"), "text": "Trân trọng kính mời đại biểu tham dự Hội nghị./."})
    title_line = title if title.lower().startswith("dự ") else f"Dự {title[0].upper()}{title[1:]}"
    return documents.document_create(
        actor=actor,
        issuer=conference.issuing_authority,
        doc_type=DocType.GM,
        source=conference,
        purpose="invitation",
        title=title_line,
        dated=_dated(conference),
        recipients="Như thành phần mời;\nLưu: VT.",
        sections=[{**s, "part": "body"} for s in sections],
        **_signature(conference),
    )


def _dated(owner):
    """The month the draft expects to be signed: now, or the conference's
    month when drafting after the event (a record of a past conference)."""
    today = timezone.localdate()
    day = getattr(owner, "date", None)
    return day if day and day < today else today


def draft_conference_plan(*, actor, conference: Conference):
    title = conference.title.strip()
    who = short_name(conference.issuing_authority)
    basis = _basis_sentence(list(conference.basis_documents.all()))
    topic = f"tổ chức {title[0].lower()}{title[1:]}" if title[:1].isupper() and title.split()[0] == "Hội" else title
    intro = f"{basis + '; ' if basis else ''}{who} ban hành Kế hoạch {topic}, với các nội dung cụ thể như sau:"
    purposes = lines(conference.purposes)
    sections = [
        {"label": _("Mở đầu"), "text": intro[0].upper() + intro[1:]},
        {
            "label": _("Mục đích, yêu cầu"),
            "text": "\n".join(
                [
                    "**I. MỤC ĐÍCH, YÊU CẦU**",
                    "1. Mục đích:",
                    *purposes,
                    f"2. Yêu cầu: {conference.requirements.strip()}" if conference.requirements.strip() else "",
                ]
            ).strip(),
        },
        {
            "label": _("Nội dung, chương trình"),
            "text": "\n".join(
                [
                    "**II. NỘI DUNG, CHƯƠNG TRÌNH HỘI NGHỊ**",
                    "1. Nội dung:",
                    *_bullets([item.text for item in conference.content_items.all()]),
                    "2. Chương trình Hội nghị (dự kiến)",
                    *_bullets([_programme_line(item) for item in conference.programme_items.select_related("agency")]),
                ]
            ),
        },
        {
            "label": _("Thời gian, địa điểm, thành phần"),
            "text": "\n".join(
                [
                    "**III. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN**",
                    f"1. Thời gian: {_end(_time_sentence(conference), '.')}",
                    f"2. Địa điểm tổ chức: Tại {_end(_venue_sentence(conference), '.')}",
                    "3. Thành phần",
                    *_invitee_blocks(conference, numbered="3"),
                ]
            ),
        },
    ]
    duty_lines = ["**IV. TỔ CHỨC THỰC HIỆN:**"]
    number = 1
    if conference.budget_note:
        duty_lines.append(f"1. Kinh phí tổ chức Hội nghị: {_end(conference.budget_note, '.')}")
        number = 2
    duties = list(conference.duties.select_related("lead_agency", "lead_agency__province"))
    if duties:
        duty_lines.append(f"{number}. Trách nhiệm của các cơ quan, đơn vị")
        for index, (group, rows) in enumerate(_duty_groups(duties), start=1):
            texts = [_duty_sentence(d, with_lead=False) for d in rows]
            if len(rows) == 1:
                duty_lines.append(f"{number}.{index}. {group}: {_end(texts[0], '.')}")
            else:
                duty_lines.append(f"{number}.{index}. {group}")
                duty_lines += _bullets(texts)
    sections.append({"label": _("Tổ chức thực hiện"), "text": "\n".join(duty_lines)})
    # "Sở Nội vụ (*Phòng …; điện thoại …*)", whether or not the contact repeats the agency's name.
    focal = short_name(conference.focal_agency)
    detail = conference.contact.strip().removeprefix(focal).strip(" ()")
    where = f"{focal} (*{detail}*)" if detail else focal
    sections.append(
        {
            "label": _("Kết"),
            "text": (
                f"Trên đây là Kế hoạch {topic}. Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện. Trong "
                f"quá trình "
                f"thực hiện nếu có khó khăn, vướng mắc, đề nghị kịp thời phản ánh về {where} để tổng hợp, báo cáo "
                f"Chủ tịch "
                f"UBND tỉnh xem xét, quyết định./."
            ),
        }
    )
    rows = presentation_rows(conference)
    appendix = []
    if rows:
        table = ["| STT | Nội dung tham luận | Đơn vị tham luận |", "|---|---|---|"]
        table += [f"| {i}. | {topic_} | {unit} |" for i, (topic_, unit) in enumerate(rows, start=1)]
        appendix.append(
            {
                "part": "appendix",
                "label": _("Phụ lục tham luận"),
                "heading": f"Dự kiến các báo cáo tham luận tại {title}",
                "text": "\n".join(table),
            }
        )
    return documents.document_create(
        actor=actor,
        issuer=conference.issuing_authority,
        doc_type=DocType.KH,
        source=conference,
        purpose="plan",
        title=f"{topic[0].upper()}{topic[1:]}",
        dated=_dated(conference),
        recipients="Như thành phần mời;\nLưu: VT.",
        sections=[{**s, "part": "body"} for s in sections] + appendix,
        **_signature(conference),
    )


def _programme_line(item) -> str:
    text = item.title.strip().rstrip(".;")
    if item.starts_at:
        text = f"{item.starts_at:%H} giờ {item.starts_at:%M}: {text}"
    if item.speaker:
        text += f" ({item.speaker})"
    return text


def draft_improvement_plan(*, actor, plan: ImprovementPlan):
    who = short_name(plan.issuing_authority)
    title = plan.title.strip()
    opening = []
    if plan.background.strip():
        opening.append(plan.background.strip())
    opening.append(
        f"Để duy trì, phát huy những kết quả đã đạt được, đồng thời khắc phục những tồn tại, hạn chế, {who} "
        f"ban hành Kế hoạch {title[0].lower()}{title[1:]}, cụ thể như sau:"
    )
    basis = _basis_sentence(list(plan.basis_documents.all()))
    if basis:
        opening.insert(0, _end(basis, "."))
    duties = list(plan.duties.select_related("lead_agency", "lead_agency__province"))
    sections = [
        {"label": _("Mở đầu"), "text": "\n".join(opening)},
        {
            "label": _("Mục đích, yêu cầu"),
            "text": "\n".join(
                [
                    "**I. MỤC ĐÍCH, YÊU CẦU**",
                    "1. Mục đích",
                    *_bullets(lines(plan.purposes)),
                    "2. Yêu cầu",
                    *_bullets(lines(plan.requirements)),
                ]
            ),
        },
        {
            "label": _("Mục tiêu, nhiệm vụ, giải pháp"),
            "text": "\n".join(
                [
                    f"**II. MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM NĂM {plan.year}**",
                    "1. Mục tiêu",
                    *_bullets(lines(plan.goals)),
                    "2. Nhiệm vụ và giải pháp",
                    *lines(plan.measures),
                ]
            ),
        },
    ]
    if duties:
        duty_lines = ["**III. PHÂN CÔNG NHIỆM VỤ**"]
        for index, (group, rows) in enumerate(_duty_groups(duties), start=1):
            duty_lines.append(f"{index}. {group}")
            duty_lines += _bullets(
                [_duty_sentence(d, with_lead=False, stated_deadline=plan.report_deadline) for d in rows]
            )
        sections.append({"label": _("Phân công nhiệm vụ"), "text": "\n".join(duty_lines)})
    closing = ["**IV. TỔ CHỨC THỰC HIỆN**"]
    if plan.report_instruction:
        deadline = f" **trước ngày {vn_date(plan.report_deadline)}**" if plan.report_deadline else ""
        closing.append(f"{plan.report_instruction.strip().rstrip('.')}{deadline}./.")
    sections.append({"label": _("Tổ chức thực hiện"), "text": "\n".join(closing)})
    return documents.document_create(
        actor=actor,
        issuer=plan.issuing_authority,
        doc_type=DocType.KH,
        source=plan,
        purpose="improvement_plan",
        title=title,
        recipients="Các sở, ban, ngành tỉnh;\nUBND các xã, phường;\nLưu: VT.",
        sections=[{**s, "part": "body"} for s in sections],
        **_signature(plan),
    )


def _analysis_year(conference: Conference) -> int:
    years = [int(y) for y in conference.index_years or []]
    return max(years) if years else (conference.date or timezone.localdate()).year - 1


def draft_analysis_report(*, actor, conference: Conference):
    """The report a conference analyses: the province's national results with
    the summary sentence, its results by field and criterion with who answers
    for each lost point, and the departments' and communes' results, each with
    its chart. Every figure comes from the indices app's data."""
    province, year = conference.province, _analysis_year(conference)
    sentence = index_results.national_summary(province, year)
    sections = [
        {
            "label": _("Mở đầu"),
            "text": "\n".join(
                [
                    f"Thực hiện {_lower_first(conference.title.strip())}, Sở Nội vụ báo cáo phân tích kết quả Chỉ số "
                    f"cải cách "
                    f"hành chính (PAR INDEX) và Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm {year} của tỉnh "
                    f"như sau:"
                ]
            ),
        }
    ]
    part = ["**I. KẾT QUẢ CỦA TỈNH**"]
    if sentence:
        part.append(f"Theo kết quả Bộ Nội vụ công bố, năm {year}: {sentence}.")
    else:
        part.append(f"Chưa có kết quả Bộ Nội vụ công bố năm {year} trên cổng.")
    figure = index_analysis.national_chart(province)
    groups = index_results.losses_by_responsible(province, year)
    if groups:
        part.append("Các tiêu chí bị mất điểm và cơ quan chủ trì tham mưu khắc phục:")
        part += ["| TT | Cơ quan chủ trì | Tiêu chí bị mất điểm | Điểm mất |", "|:-:|:--|:--|:-:|"]
        for n, (agency, items) in enumerate(groups, start=1):
            lost = sum(loss.lost for _f, loss in items)
            codes = "; ".join(f"{loss.code} {loss.name} (−{vn_number(loss.lost, 2)})" for _f, loss in items)
            part.append(
                f"| {n} | {agency.name if agency else 'Chưa phân công'} | {codes.replace('|', '/')} "
                f"| {vn_number(lost, 2)} |"
            )
    sections.append({"label": _("Kết quả của tỉnh"), "text": "\n".join(part), "figure": figure})
    number = 1
    for framework in index_results.agency_frameworks(year):
        spread = index_results.spread(framework, province)
        if not spread["count"]:
            continue
        number += 1
        roman = ["I", "II", "III", "IV", "V"][number - 1]
        rows = list(index_results.ranking(framework, province))
        losses = index_results.criterion_losses(framework, province)[:5]
        text = [
            f"**{roman}. KẾT QUẢ {framework.name.upper()}**",
            f"{spread['count']} đơn vị được đánh giá; điểm bình quân {vn_number(spread['mean'], 2)}, cao nhất "
            f"{vn_number(spread['highest'], 2)} ({rows[0].agency.name}), thấp nhất {vn_number(spread['lowest'], 2)} "
            f"({rows[-1].agency.name}); chênh lệch {vn_number(spread['range'], 2)} điểm.",
        ]
        if losses:
            text.append("Các tiêu chí mất nhiều điểm nhất:")
            text += [
                f"- {loss.code} {loss.name}: {loss.below}/{spread['count']} đơn vị chưa đạt tối đa, tổng mất "
                f"{vn_number(loss.lost, 2)} điểm"
                + (f" (chủ trì: {loss.responsible.name})" if loss.responsible else "")
                + ";"
                for loss in losses
            ]
            text[-1] = text[-1].rstrip(";") + "."
        chart = ""
        if len(rows) <= index_analysis.CHART_ROWS:
            chart = index_charts.ranking_bars(
                [index_charts.Bar(index_analysis.short(r.agency.name), r.score) for r in rows],
                maximum=framework.maximum,
                mean=spread["mean"],
                title=framework.name,
                width=600,
            )
        sections.append({"label": framework.get_subject_display(), "text": "\n".join(text), "figure": chart})
    sections.append(
        {
            "label": _("Đề xuất"),
            "text": "\n".join(
                [
                    f"**{['I', 'II', 'III', 'IV', 'V', 'VI'][number]}. ĐỀ XUẤT**",
                    "- Các cơ quan chủ trì tiêu chí bị mất điểm xây dựng giải pháp khắc phục cụ thể, có thời hạn;",
                    "- Các cơ quan, đơn vị có kết quả thấp trình bày tham luận nguyên nhân và giải pháp tại Hội "
                    "nghị./.",
                ]
            ),
        }
    )
    return documents.document_create(
        actor=actor,
        issuer=conference.issuing_authority,
        doc_type=DocType.BC,
        source=conference,
        purpose="analysis",
        title=f"Phân tích kết quả Chỉ số PAR INDEX, SIPAS năm {year} của tỉnh {province.name}",
        recipients="Như trên;\nLưu: VT.",
        sections=[{**section, "part": "body"} for section in sections],
        **_signature(conference),
    )


# URL slug → (purpose recorded on the document, drafter(actor, owner)).
DRAFTERS = {
    "giay-moi": ("invitation", lambda actor, c: draft_invitation(actor=actor, conference=c)),
    "ke-hoach": ("plan", lambda actor, c: draft_conference_plan(actor=actor, conference=c)),
    "bao-cao-phan-tich": ("analysis", lambda actor, c: draft_analysis_report(actor=actor, conference=c)),
}
PLAN_DRAFTERS = {"ke-hoach": ("improvement_plan", lambda actor, p: draft_improvement_plan(actor=actor, plan=p))}


# --- Hooks for the documents app -------------------------------------------------------------


def _years_note(event_year, index_years) -> str:
    parts = []
    if event_year:
        parts.append(_("năm tổ chức (%(year)s)") % {"year": event_year})
    if index_years:
        parts.append(_("năm chỉ số (%(years)s)") % {"years": ", ".join(map(str, index_years))})
    return " và ".join(parts) or _("các năm của hội nghị")


def conference_facts(conference: Conference) -> sources.Facts:
    years = {int(y) for y in conference.index_years or []}
    years |= {y + 1 for y in years}  # an index of year Y is analysed and announced in Y + 1
    if conference.date:
        years.add(conference.date.year)
    years |= {b.issued_on.year for b in conference.basis_documents.all() if b.issued_on}
    follow_up = set(
        conference.duties.filter(phase=Duty.Phase.FOLLOW_UP, due_date__isnull=False).values_list("due_date", flat=True)
    )
    return sources.Facts(
        event_date=conference.date,
        years=years,
        after_event_ok=follow_up,
        years_note=_years_note(conference.date.year if conference.date else None, conference.index_years),
    )


def conference_checks(conference: Conference) -> list[str]:
    problems = list(selectors.deadline_problems(conference))
    for line, agencies in selectors.line_expansions(conference):
        if line.target in (InviteeLine.Target.GROUP, InviteeLine.Target.AWARDEES) and not agencies:
            problems.append(
                _("Dòng thành phần “%(text)s” không ứng với đơn vị nào trong danh bạ.") % {"text": line.text[:80]}
            )
    return problems


def conference_addressees(conference: Conference) -> list[sources.Addressee]:
    """One personal invitation per invited agency (or named person); the
    chairing body does not invite itself."""
    if conference.invitations_out:
        invitations = (
            conference.invitations.filter(withdrawn=False)
            .exclude(role=InviteeRole.CHAIR)
            .select_related("agency", "person")
            .order_by("agency__kind", "agency__name")
        )
        people = []
        for invitation in invitations:
            if invitation.person_id:
                label = (
                    f"{invitation.person.position} {invitation.person.full_name}".strip()
                    + f", {invitation.agency.name}"
                )
                people.append(sources.Addressee(f"person:{invitation.person_id}", label, invitation.person.email))
            else:
                people.append(
                    sources.Addressee(f"agency:{invitation.agency_id}", invitation.agency.name, invitation.agency.email)
                )
        return people
    seen, people = set(), []
    for line, agencies in selectors.line_expansions(conference):
        if line.role == InviteeRole.CHAIR:
            continue
        for agency in agencies:
            if agency.pk not in seen:
                seen.add(agency.pk)
                people.append(sources.Addressee(f"agency:{agency.pk}", agency.name, agency.email))
    return people


def plan_facts(plan: ImprovementPlan) -> sources.Facts:
    years = {plan.year} | {int(y) for y in plan.index_years or []}
    years |= {b.issued_on.year for b in plan.basis_documents.all() if b.issued_on}
    return sources.Facts(
        years=years,
        years_note=_("năm thực hiện kế hoạch (%(year)s) và năm chỉ số (%(years)s)")
        % {"year": plan.year, "years": ", ".join(map(str, plan.index_years or []))},
    )


def register_hooks():
    sources.register(
        Conference,
        sources.SourceHooks(
            facts=conference_facts,
            checks=conference_checks,
            addressees=conference_addressees,
            describe=lambda c: (c.title, reverse("conferences:detail", args=[c.pk])),
        ),
    )
    sources.register(
        ImprovementPlan,
        sources.SourceHooks(
            facts=plan_facts, describe=lambda p: (p.title, reverse("conferences:plan-detail", args=[p.pk]))
        ),
    )
