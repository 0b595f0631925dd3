"""The decision announcing a year's results (with the ranking appendix and
its chart), drafted through the Official documents engine from the
published data, and the hooks that engine calls on a publication."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyKind
from agencies.selectors import Directory
from core.exceptions import Refused
from core.formatting import vn_number
from core.text import fold
from documents import issuers, sources
from documents import services as documents
from documents.models import DocType, Document

from . import analysis, charts, selectors
from .models import Framework, Publication

YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# The law a province's committee decides under, by the day it decides: the
# 2025 law from 1/7/2025, the 2015 law as amended in 2019 before.
LAW = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
LAW_2015 = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
    "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;"
)
LAW_2025_FROM = dt.date(2025, 7, 1)


def law_for(day: dt.date) -> str:
    return LAW if day >= LAW_2025_FROM else LAW_2015


def decision_day(publication: Publication) -> dt.date:
    """When the decision is taken: the day the results were published in the
    portal, or, for a past year recorded late, the start of the year after
    (results are announced in its first months)."""
    published = timezone.localdate(publication.published_at) if publication.published_at else timezone.localdate()
    return published if published.year <= publication.year + 1 else dt.date(publication.year + 1, 1, 2)


# Departments before districts before communes, as decisions list them.
SUBJECT_ORDER = [
    Framework.Subject.PROVINCE,
    Framework.Subject.DEPARTMENT,
    Framework.Subject.DISTRICT,
    Framework.Subject.COMMUNE,
]


def subject_words(framework: Framework, province) -> str:
    """Who a framework ranks, as the decision names them: 'các sở, ban,
    ngành', or the committees of the tiers its year ranked ('Ủy ban nhân
    dân các xã, phường, thị trấn' in 2024, '… các xã, phường' in 2026)."""
    if framework.subject == Framework.Subject.PROVINCE:
        return "tỉnh"
    if framework.subject == Framework.Subject.DEPARTMENT:
        return "các sở, ban, ngành"
    kinds = selectors.covered_agencies(framework, province).values_list("kind", flat=True).distinct()
    fallback = selectors.SUBJECT_KINDS[framework.subject]
    return f"Ủy ban nhân dân các {issuers.tiers(kinds) or issuers.tiers(fallback)}"


def _committee(province) -> Agency:
    committee = Agency.objects.filter(province=province, kind=AgencyKind.PROVINCIAL_COMMITTEE).first()
    if committee is None:
        raise Refused(_("Danh bạ chưa có Ủy ban nhân dân tỉnh để ban hành quyết định."))
    return committee


def _within(name: str, province) -> str:
    """An agency's name as the province's own decision writes it: "Sở Tài
    chính", "Văn phòng UBND tỉnh", "Thanh tra tỉnh" (the province goes without saying)."""
    name = name.removesuffix(f" {province.name}")
    return name.removesuffix(" tỉnh") if name.startswith("Sở ") else name


def ranking_table(framework: Framework, province) -> tuple[str, str]:
    """The appendix table (Markdown subset) and its bar chart (SVG)."""
    rows = list(selectors.ranking(framework, province))
    fields = selectors.fields(framework)
    totals = selectors.field_totals([row.pk for row in rows])
    head = ["STT", "Đơn vị", *[f"LV {f.code}" for f in fields], "Tổng điểm", "Xếp hạng"]
    maxima = [
        "",
        "*Điểm tối đa*",
        *[f"*{vn_number(f.maximum, 2)}*" for f in fields],
        f"*{vn_number(framework.maximum, 2)}*",
        "",
    ]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join([":-:", ":--"] + [":-:"] * (len(head) - 2)) + "|",
        "| " + " | ".join(maxima) + " |",
    ]
    for n, row in enumerate(rows, start=1):
        cells = [
            str(n),
            _within(row.agency.name, province).replace("|", "/"),
            *[vn_number(totals.get(row.pk, {}).get(f.code), 2) for f in fields],
            f"**{vn_number(row.score, 2)}**",
            str(row.rank),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("*Ghi chú: LV là lĩnh vực — " + "; ".join(f"{f.code}. {f.name}" for f in fields) + ".*")
    chart = ""
    if rows and len(rows) <= analysis.CHART_ROWS:
        chart = charts.ranking_bars(
            [charts.Bar(analysis.short(r.agency.name), r.score) for r in rows],
            maximum=framework.maximum,
            title=framework.name,
            width=600,
        )
    return "\n".join(lines), chart


def draft_decision(*, actor, publication: Publication) -> Document:
    province = publication.province
    frameworks = sorted(publication.frameworks.all(), key=lambda f: SUBJECT_ORDER.index(f.subject))
    if not frameworks:
        raise Refused(_("Chưa có bộ chỉ số nào được công bố."))
    year = publication.year
    words = {f.pk: subject_words(f, province) for f in frameworks}
    subjects = " và ".join(words[f.pk] for f in frameworks)
    title = (
        f"Về việc công bố kết quả Chỉ số cải cách hành chính năm {year} của {subjects} "
        f"trên địa bàn tỉnh {province.name}"
    )
    day = decision_day(publication)
    committee = _committee(province)
    basis = [law_for(day)]
    basis += [f"Căn cứ {f.legal_basis.strip().rstrip(';.')};" for f in frameworks if f.legal_basis.strip()]
    office = next(
        (a for a in Directory(province.pk, day).children.get(committee.pk, []) if "noi vu" in fold(a.name)), None
    )
    office_name = issuers.short_name(office) if office else "Sở Nội vụ"
    basis.append(f"Theo đề nghị của Giám đốc {office_name}.")
    # The local committees of the decision's day: districts until 30/6/2025, communes after.
    local = issuers.local_tiers(committee, Directory(province.pk, day)) or "xã, phường"
    counts = []
    for f in frameworks:
        spread = selectors.spread(f, province)
        counts.append(
            f"{spread['count']} {words[f.pk].removeprefix('các ').removeprefix('Ủy ban nhân dân các ')}"
            f" (điểm bình quân {vn_number(spread['mean'], 2)} điểm; cao nhất {vn_number(spread['highest'], 2)},"
            f" thấp nhất {vn_number(spread['lowest'], 2)} điểm)"
        )
    roman = ["I", "II", "III"]
    many = len(frameworks) > 1
    article_1 = (
        f"**Điều 1.** Công bố kết quả Chỉ số cải cách hành chính năm {year} của {'; '.join(counts)}, "
        f"chi tiết tại {'các Phụ lục' if many else 'Phụ lục'} kèm theo Quyết định này."
    )
    article_2 = (
        f"**Điều 2.** Căn cứ kết quả được công bố, thủ trưởng các cơ quan, đơn vị, Chủ tịch Ủy ban nhân dân các "
        f"{local} rà soát những tiêu chí, tiêu chí thành phần bị mất điểm, xác định rõ nguyên nhân, "
        f"trách nhiệm và xây dựng kế hoạch khắc phục; báo cáo kết quả về Ủy ban nhân dân tỉnh (qua {office_name})."
    )
    article_3 = (
        f"**Điều 3.** Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, "
        f"Giám đốc {office_name}, thủ trưởng các sở, ban, ngành tỉnh, Chủ tịch Ủy ban nhân dân các {local} "
        f"và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./."
    )
    sections = [
        {"label": _("Căn cứ"), "text": "\n".join(f"*{line}*" for line in basis), "part": "body"},
        {
            "label": _("Quyết định"),
            "text": "\n".join(["**QUYẾT ĐỊNH:**", article_1, article_2, article_3]),
            "part": "body",
        },
    ]
    for i, f in enumerate(frameworks):
        table, chart = ranking_table(f, province)
        sections.append(
            {
                "label": _("Phụ lục %(n)s") % {"n": roman[i]} if many else _("Phụ lục"),
                "part": "appendix",
                "landscape": True,
                "heading": f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {words[f.pk].upper()}",
                "text": table,
                "figure": chart,
            }
        )
    # The signature follows the signer the directory offers (a decision of
    # the committee: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").
    recipients = issuers.recipients(committee, Directory(province.pk, day), focal=office).split("\n")
    recipients.insert(0, "Như Điều 3;")  # who executes it first, as decisions list them
    return documents.document_create(
        actor=actor,
        issuer=committee,
        doc_type=DocType.QD,
        source=publication,
        purpose="decision",
        title=title,
        dated=day,
        recipients="\n".join(recipients),
        sections=sections,
    )


def documents_of(publication: Publication):
    return Document.objects.filter(
        content_type__app_label="indices", content_type__model="publication", object_id=publication.pk
    ).order_by("-created_at")


# --- Hooks for the documents app -------------------------------------------------------------


def publication_facts(publication: Publication) -> sources.Facts:
    years = {publication.year, publication.year + 1}
    for framework in publication.frameworks.all():
        years |= {int(y) for y in YEAR.findall(framework.legal_basis)}
    years |= {int(y) for y in YEAR.findall(LAW + LAW_2015)}
    return sources.Facts(
        years=years, years_note=_("năm đánh giá (%(year)s) và năm công bố") % {"year": publication.year}
    )


def register_hooks():
    sources.register(
        Publication,
        sources.SourceHooks(
            facts=publication_facts,
            describe=lambda p: (
                _("Công bố kết quả chỉ số CCHC năm %(year)s") % {"year": p.year},
                reverse("indices:publication", args=[p.pk]),
            ),
        ),
    )
