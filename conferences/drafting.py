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
from agencies.selectors import Directory, area_root
from core.exceptions import Refused
from core.formatting import vn_number
from core.text import clip
from documents import issuers, sources
from documents import services as documents
from documents.models import DocType
from indices import analysis as index_analysis
from indices import charts as index_charts
from indices import drafting as index_drafting
from indices import selectors as index_results
from indices.models import Assessment

from . import extensions, notices, pieces, selectors
from .models import Conference, Duty, ImprovementPlan, InviteeLine, InviteeRole


def short_name(agency: Agency, within: Agency | None = None) -> str:
    """'Sở Nội vụ tỉnh Lạng Sơn' reads 'Sở Nội vụ' in its own province's documents."""
    return issuers.short_name(agency, within=within)


_lower_first = pieces.lower_first


def presentation_rows(conference: Conference) -> list[tuple[str, str]]:
    """(topic, presenting unit) for the plan's appendix, from the app that
    keeps the assignments."""
    return extensions.presentation_rows(conference)


def _dated(owner):
    """The month the draft expects to be signed: now, or the conference's
    month when drafting after the event (a record of a past conference)."""
    today = timezone.localdate()
    day = getattr(owner, "date", None)
    return day if day and day < today else today


def _recipients(owner, *, as_invited: bool) -> str:
    """Nơi nhận proposed from the data: the issuer's superiors (a plan), the
    units that lead its duties (T/h), the press it invites (đưa tin)."""
    issuer = owner.issuing_authority
    directory = Directory(owner.province_id, owner.as_of)
    leads = list(
        dict.fromkeys(pieces.lead_name(duty, issuer) for duty in owner.duties.select_related("lead_agency__province"))
    )
    press = []
    if isinstance(owner, Conference):
        press = [
            issuers.short_name(a, within=issuer)
            for _line, agencies in selectors.line_expansions(owner)
            for a in agencies
            if a.kind == AgencyKind.PRESS
        ]
    return issuers.recipients(
        issuer,
        directory,
        to_act=[] if as_invited else leads,
        press=list(dict.fromkeys(press)),
        focal=owner.focal_agency if isinstance(owner, Conference) else None,
        as_invited=as_invited,
        report_up=not as_invited,
    )


# --- Drafts ----------------------------------------------------------------------------


def draft_invitation(*, actor, conference: Conference):
    title = conference.title.strip()
    return documents.draft_from_outline(
        actor=actor,
        issuer=conference.issuing_authority,
        doc_type=DocType.GM,
        source=conference,
        purpose="invitation",
        title=title if title.lower().startswith("dự ") else f"Dự {title[0].upper()}{title[1:]}",
        dated=_dated(conference),
        recipients=_recipients(conference, as_invited=True),
    )


def draft_conference_plan(*, actor, conference: Conference):
    topic = pieces._plan_topic(conference)
    return documents.draft_from_outline(
        actor=actor,
        issuer=conference.issuing_authority,
        doc_type=DocType.KH,
        source=conference,
        purpose="plan",
        title=f"{topic[0].upper()}{topic[1:]}",
        dated=_dated(conference),
        recipients=_recipients(conference, as_invited=False),
    )


def draft_announcement(*, actor, conference: Conference):
    """The Thông báo that fixes the time and place a plan left open."""
    if conference.time_tba or conference.venue_tba:
        raise Refused(
            _("Thời gian, địa điểm vẫn đang ghi “thông báo sau”: hãy chốt (sửa hội nghị) rồi soạn thông báo.")
        )
    return documents.draft_from_outline(
        actor=actor,
        issuer=conference.issuing_authority,
        doc_type=DocType.TB,
        source=conference,
        purpose="announcement",
        title=f"Thời gian, địa điểm tổ chức {conference.title.strip()}",
        dated=_dated(conference),
        recipients=_recipients(conference, as_invited=True),
    )


def draft_improvement_plan(*, actor, plan: ImprovementPlan):
    return documents.draft_from_outline(
        actor=actor,
        issuer=plan.issuing_authority,
        doc_type=DocType.KH,
        source=plan,
        purpose="improvement_plan",
        title=plan.title.strip(),
        recipients=_recipients(plan, as_invited=False),
    )


def _analysis_year(conference: Conference) -> int:
    years = [int(y) for y in conference.index_years or []]
    return max(years) if years else (conference.date or timezone.localdate()).year - 1


def _local_analysis(conference: Conference, root: Agency, year: int) -> tuple[str, list[dict]]:
    """A district's or commune's report: its own result in the province's
    ranking of its tier, with the criteria where it lost most, then the
    results of the units under it. Every figure from the indices app."""
    province = conference.province
    focal = issuers.short_name(conference.focal_agency, within=root)
    area = issuers.committee_area(root)
    directory = Directory(province.pk, index_results.year_end(year))
    under = [a for a in directory.under(root) if a.pk != root.pk]
    sections = [
        {
            "label": _("Mở đầu"),
            "text": f"Thực hiện {_lower_first(conference.title.strip())}, {focal} báo cáo phân tích kết quả Chỉ số cải "
            f"cách hành chính năm {year} của {area} như sau:",
        }
    ]
    own = [f"**I. KẾT QUẢ CỦA {area.upper()}**"]
    for framework in index_results.agency_frameworks(year):
        rows = list(index_results.ranking(framework, province))
        row = next((r for r in rows if r.agency_id == root.pk), None)
        if row is None:
            continue
        peers = index_drafting.subject_words(framework, province).removeprefix("Ủy ban nhân dân ")
        own.append(
            f"Theo kết quả UBND tỉnh công bố, năm {year} {root.name} đạt {vn_number(row.score, 2)}/"
            f"{vn_number(framework.maximum, 2)} điểm, xếp thứ {row.rank}/{len(rows)} {peers.removeprefix('các ')} "
            f"của tỉnh."
        )
        lost = index_results.losses([row.pk], limit=5).get(row.pk, [])
        if lost:
            own.append("Các tiêu chí mất nhiều điểm nhất:")
            own += [f"- {loss.code} {loss.name}: mất {vn_number(loss.lost, 2)} điểm;" for loss in lost]
            own[-1] = own[-1].rstrip(";") + "."
    if len(own) == 1:
        own.append(f"Chưa có kết quả năm {year} của {root.name} trên cổng.")
    sections.append({"label": _("Kết quả của địa phương"), "text": "\n".join(own)})
    number = 1
    for framework in index_results.agency_frameworks(year):
        scored = Assessment.objects.filter(agency__in=under)
        rows = list(index_results.ranking(framework, province, assessments=scored))
        if not rows:
            continue
        number += 1
        spread = index_results.spread(framework, province, assessments=scored)
        tiers = issuers.tiers(r.agency.kind for r in rows)
        text = [
            f"**{ROMAN[number - 1]}. KẾT QUẢ CỦA CÁC {tiers.upper()}**",
            _spread_line(spread, rows, with_range=False),
        ]
        sections.append(
            {
                "label": framework.get_subject_display(),
                "text": "\n".join(text),
                "figure": _ranking_chart(framework, rows, spread),
            }
        )
    sections.append(_proposals(number))
    return f"Phân tích kết quả Chỉ số cải cách hành chính năm {year} của {area}", sections


ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def _spread_line(spread: dict, rows: list, *, with_range: bool = True) -> str:
    line = (
        f"{spread['count']} đơn vị được đánh giá; điểm bình quân {vn_number(spread['mean'], 2)}, cao nhất "
        f"{vn_number(spread['highest'], 2)} ({rows[0].agency.name}), thấp nhất {vn_number(spread['lowest'], 2)} "
        f"({rows[-1].agency.name})"
    )
    return f"{line}; chênh lệch {vn_number(spread['range'], 2)} điểm." if with_range else f"{line}."


def _ranking_chart(framework, rows: list, spread: dict) -> str:
    """Bars of every ranked unit with the mean; none when there are too many to read."""
    if len(rows) > index_analysis.CHART_ROWS:
        return ""
    return index_charts.ranking_bars(
        [index_charts.Bar(index_analysis.short(r.agency.name), r.score) for r in rows],
        maximum=framework.maximum,
        mean=spread["mean"],
        title=framework.name,
        width=600,
    )


def _proposals(number: int) -> dict:
    return {
        "label": _("Đề xuất"),
        "text": "\n".join(
            [
                f"**{ROMAN[number]}. ĐỀ XUẤT**",
                "- Các cơ quan, đơn vị chủ trì tiêu chí bị mất điểm xây dựng giải pháp khắc phục cụ thể, có thời hạn;",
                "- Các cơ quan, đơn vị có kết quả thấp trình bày tham luận nguyên nhân và giải pháp tại Hội nghị./.",
            ]
        ),
    }


def draft_analysis_report(*, actor, conference: Conference):
    """The report a conference analyses. Of a province: its national results
    with the summary sentence, its results by field and criterion with who
    answers for each lost point, and the departments' and communes' results,
    each with its chart. Of a district or commune: its own place in the
    province's ranking and its units' results (_local_analysis). Every figure
    comes from the indices app's data."""
    year = _analysis_year(conference)
    root = area_root(conference.issuing_authority)
    title, sections = _local_analysis(conference, root, year) if root else _province_analysis(conference, year)
    return documents.document_create(
        actor=actor,
        issuer=conference.issuing_authority,
        doc_type=DocType.BC,
        source=conference,
        purpose="analysis",
        title=title,
        recipients="Như trên;\nLưu: VT.",
        sections=[{**section, "part": "body"} for section in sections],
    )


def _province_analysis(conference: Conference, year: int) -> tuple[str, list[dict]]:
    province = conference.province
    sentence = index_results.national_summary(province, year)
    sections = [
        {
            "label": _("Mở đầu"),
            "text": "\n".join(
                [
                    f"Thực hiện {_lower_first(conference.title.strip())}, "
                    f"{issuers.short_name(conference.focal_agency, within=conference.issuing_authority)} báo cáo phân "
                    f"tích kết quả Chỉ số cải cách hành chính (PAR INDEX) và Chỉ số hài lòng về sự phục vụ hành chính "
                    f"(SIPAS) năm {year} của tỉnh như sau:"
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
        rows = list(index_results.ranking(framework, province))
        losses = index_results.criterion_losses(framework, province)[:5]
        text = [f"**{ROMAN[number - 1]}. KẾT QUẢ {framework.name.upper()}**", _spread_line(spread, rows)]
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
        sections.append(
            {
                "label": framework.get_subject_display(),
                "text": "\n".join(text),
                "figure": _ranking_chart(framework, rows, spread),
            }
        )
    sections.append(_proposals(number))
    return f"Phân tích kết quả Chỉ số PAR INDEX, SIPAS năm {year} của tỉnh {province.name}", sections


# URL slug → (purpose recorded on the document, drafter(actor, owner)).
DRAFTERS = {
    "giay-moi": ("invitation", lambda actor, c: draft_invitation(actor=actor, conference=c)),
    "ke-hoach": ("plan", lambda actor, c: draft_conference_plan(actor=actor, conference=c)),
    "bao-cao-phan-tich": ("analysis", lambda actor, c: draft_analysis_report(actor=actor, conference=c)),
    "thong-bao": ("announcement", lambda actor, c: draft_announcement(actor=actor, conference=c)),
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
                _("Dòng thành phần “%(text)s” không ứng với đơn vị nào trong danh bạ.") % {"text": clip(line.text, 80)}
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


def _copies_ready(conference: Conference, document) -> None:
    from .services import sending

    sending.copies_ready(conference, document)


def register_hooks():
    sources.register(
        Conference,
        sources.SourceHooks(
            facts=conference_facts,
            checks=conference_checks,
            addressees=conference_addressees,
            copies_ready=_copies_ready,
            send_page=lambda c: reverse("conferences:send-invitations", args=[c.pk]),
            issued=notices.document_issued,
            describe=lambda c: (c.title, reverse("conferences:detail", args=[c.pk])),
            pieces=pieces.CONFERENCE_PIECES,
            placeholders=pieces.conference_words,
            default_outline=lambda purpose, level: pieces.default_outline(pieces.CONFERENCE_OUTLINES, purpose, level),
        ),
    )
    sources.register(
        ImprovementPlan,
        sources.SourceHooks(
            facts=plan_facts,
            describe=lambda p: (p.title, reverse("conferences:plan-detail", args=[p.pk])),
            issued=notices.document_issued,
            pieces=pieces.PLAN_PIECES,
            placeholders=pieces.plan_words,
            default_outline=lambda purpose, level: pieces.default_outline(pieces.PLAN_OUTLINES, purpose, level),
        ),
    )
