"""What Nghị định 30/2020 (Phụ lục I) derives from the issuer: the header
lines, the place name, how a signer signs, who the text reports to, and the
usual recipients. Any issuer of a province at its three levels, before and
after the 2025 reorganisation; every result is a proposal the organiser may
edit on the document.

The rules read the directory as data (kinds, parents, localities, people's
positions); nothing here names a province or a unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from agencies.models import COMMITTEE_KINDS, Agency, AgencyKind, Person
from agencies.selectors import area_root
from core.text import fold

from .models import DocType, Signing

K = AgencyKind

# Tier word of each People's Committee kind ("huyện Bát Xát").
TIER_WORD = {
    K.PROVINCIAL_COMMITTEE: "tỉnh",
    K.DISTRICT: "huyện",
    K.TOWN: "thị xã",
    K.PROVINCIAL_CITY: "thành phố",
    K.COMMUNE: "xã",
    K.WARD: "phường",
    K.TOWNSHIP: "thị trấn",
    K.SPECIAL_ZONE: "đặc khu",
}
COUNCIL_KINDS = (K.PEOPLES_COUNCIL, K.DISTRICT_COUNCIL, K.COMMUNE_COUNCIL)
FRONT_KINDS = (K.FATHERLAND_FRONT, K.DISTRICT_FRONT, K.COMMUNE_FRONT)
PARTY_KINDS = (K.PARTY_COMMITTEE, K.DISTRICT_PARTY_COMMITTEE, K.COMMUNE_PARTY_COMMITTEE)
# Name prefixes a unit's own name may carry before its locality.
_PREFIXES = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd")


@dataclass(frozen=True)
class Regime:
    """How an issuer is led: a collective signs "TM." (thay mặt) for the
    whole body; every issuer has a head whose deputy signs "KT.".
    `on_behalf` is the abbreviation: "TM." in the State's documents, "T/M"
    in the Party's, whose deputies sign under it without "KT."."""

    collective: str  # "ỦY BAN NHÂN DÂN", "" when the head alone decides
    head: str  # "CHỦ TỊCH"
    on_behalf: str = "TM."
    deputy_under_collective: bool = True


def _upper(text: str) -> str:
    return text.strip().upper()


def _strip_prefix(name: str) -> str:
    lowered = name.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix + " "):
            return name[len(prefix) + 1 :].strip()
    return name.strip()


def committee_area(agency: Agency) -> str:
    """'tỉnh Lạng Sơn', 'huyện Bát Xát', 'xã Quang Kim': the area a People's
    Committee (or a council or front of its tier) governs, from its name."""
    if agency.kind == K.PROVINCIAL_COMMITTEE or agency.kind in (K.PEOPLES_COUNCIL, K.FATHERLAND_FRONT):
        return f"tỉnh {agency.province.name}"
    rest = _strip_prefix(agency.name)
    for word in sorted(TIER_WORD.values(), key=len, reverse=True):
        if fold(rest).startswith(fold(word) + " "):
            return f"{word}{rest[len(word) :]}"
    word = TIER_WORD.get(agency.kind, "")
    return f"{word} {rest}".strip() if word else rest


def locality(agency: Agency) -> str:
    """The bare place name of a committee's area: 'Bát Xát' for 'huyện Bát Xát'."""
    if agency.locality:
        return agency.locality
    if agency.kind == K.PROVINCIAL_COMMITTEE:
        return agency.province.name
    area = committee_area(agency)
    for word in sorted(TIER_WORD.values(), key=len, reverse=True):
        if area.startswith(word + " "):
            return area[len(word) + 1 :]
    return area


def place(issuer: Agency) -> str:
    """Địa danh (Phụ lục I, mục 4): the province's name for its provincial
    bodies, the district's or the commune's for theirs. The issuer's own
    locality, when the directory gives one, wins (an office seated elsewhere)."""
    if issuer.locality:
        return issuer.locality
    root = area_root(issuer)
    return locality(root) if root is not None else issuer.province.name


def _area_of(agency: Agency) -> str:
    """The area phrase a unit's name ends with when it names its place."""
    root = agency if agency.kind in COMMITTEE_KINDS else area_root(agency)
    return committee_area(root) if root is not None else f"tỉnh {agency.province.name}"


def _without_area(name: str, area: str) -> str:
    """'Sở Nội vụ tỉnh Lạng Sơn' → 'Sở Nội vụ' (the header already says where)."""
    if fold(name).endswith(" " + fold(area)):
        return name[: -len(area)].strip()
    return name


def header(issuer: Agency) -> tuple[str, str]:
    """(managing body line, issuer lines) of the header's left column.

    A People's Committee, a council or a front prints its own name over its
    area ("ỦY BAN NHÂN DÂN / HUYỆN BÁT XÁT") and no line above: it has no
    managing body in the sense of Phụ lục I. Any other unit prints its direct
    managing body above its name ("UBND HUYỆN BÁT XÁT / PHÒNG NỘI VỤ"),
    without repeating the place the line above already names."""
    if issuer.kind in COMMITTEE_KINDS:
        return "", f"ỦY BAN NHÂN DÂN\n{_upper(committee_area(issuer))}"
    if issuer.kind in COUNCIL_KINDS:
        return "", f"HỘI ĐỒNG NHÂN DÂN\n{_upper(committee_area(issuer))}"
    if issuer.kind in FRONT_KINDS:
        return "", f"ỦY BAN MTTQ VIỆT NAM\n{_upper(committee_area(issuer))}"
    if issuer.kind in PARTY_KINDS:
        return "", _upper(issuer.name)
    parent = issuer.parent
    if parent is None:
        return "", _upper(_without_area(issuer.name, _area_of(issuer)))
    if parent.kind in COMMITTEE_KINDS:
        above = f"UBND {_upper(committee_area(parent))}"
        name = _without_area(issuer.name, committee_area(parent))
        if issuer.kind == K.COMMITTEE_OFFICE:
            # "Văn phòng UBND tỉnh" under "UBND TỈNH …" prints "VĂN PHÒNG".
            name = re.sub(r"\s+(UBND|Ủy ban nhân dân)$", "", name)
        return above, _upper(name)
    # Under a department or another unit: its full name, the place included,
    # then the unit's name without it.
    return _upper(parent.name), _upper(_without_area(issuer.name, _area_of(parent)))


# --- The head of an issuer, and how a signer signs --------------------------------------------

# A unit's head by the first words of its name (most specific first).
_HEADS = (
    ("văn phòng", "CHÁNH VĂN PHÒNG"),
    ("thanh tra", "CHÁNH THANH TRA"),
    ("ban chỉ đạo", "TRƯỞNG BAN"),
    ("ban quản lý", "TRƯỞNG BAN"),
    ("ban", "TRƯỞNG BAN"),
    ("phòng", "TRƯỞNG PHÒNG"),
    ("chi cục", "CHI CỤC TRƯỞNG"),
    ("cục", "CỤC TRƯỞNG"),
    ("hội đồng", "CHỦ TỊCH HỘI ĐỒNG"),
    ("tổ", "TỔ TRƯỞNG"),
    ("báo", "TỔNG BIÊN TẬP"),
    ("trường", "HIỆU TRƯỞNG"),
)
_COLLECTIVE = {
    **{kind: Regime("ỦY BAN NHÂN DÂN", "CHỦ TỊCH") for kind in COMMITTEE_KINDS},
    **{kind: Regime("THƯỜNG TRỰC HĐND", "CHỦ TỊCH") for kind in COUNCIL_KINDS},
    **{kind: Regime("BAN THƯỜNG TRỰC", "CHỦ TỊCH") for kind in FRONT_KINDS},
    **{kind: Regime("BAN THƯỜNG VỤ", "BÍ THƯ", "T/M", False) for kind in PARTY_KINDS},
    K.COUNCIL: Regime("HỘI ĐỒNG", "CHỦ TỊCH"),
    K.STEERING_COMMITTEE: Regime("BAN CHỈ ĐẠO", "TRƯỞNG BAN"),
}


def regime(issuer: Agency) -> Regime:
    if issuer.kind in _COLLECTIVE:
        return _COLLECTIVE[issuer.kind]
    name = fold(issuer.name)
    for start, head in _HEADS:
        if name.startswith(fold(start) + " "):
            return Regime("", head)
    return Regime("", "GIÁM ĐỐC")  # sở, trung tâm, công an, bưu điện, đài, bệnh viện…


class Rank:
    HEAD, DEPUTY, ACTING, STAFF = "head", "deputy", "acting", "staff"


_LEADER_WORDS = (
    "chủ tịch", "giám đốc", "trưởng", "chánh", "bí thư", "tổng biên tập", "hiệu trưởng", "tổ phó", "thủ trưởng",
)  # fmt: skip


def rank(position: str) -> str:
    """A position's rank: "Phó Chủ tịch" a deputy, "Quyền Giám đốc" acting,
    "Chánh Văn phòng" a head, "Chuyên viên" staff (who does not sign)."""
    text = fold(position).strip()
    if not any(fold(word) in text for word in _LEADER_WORDS):
        return Rank.STAFF
    if text.startswith(("pho ", "to pho")):
        return Rank.DEPUTY
    if text.startswith(("quyen ", "q. ")):
        return Rank.ACTING
    return Rank.HEAD


def _title(position: str, unit: Agency | None = None) -> str:
    """The position as the title line prints it, the unit's name left out:
    "Phó Giám đốc Sở Nội vụ" → "PHÓ GIÁM ĐỐC", "Chủ tịch UBND huyện" →
    "CHỦ TỊCH"; "Phó Chánh Văn phòng" stays whole."""
    text = position.strip()
    if unit is not None:
        for name in (unit.name, _without_area(unit.name, _area_of(unit))):
            if fold(text).endswith(" " + fold(name)):
                text = text[: -len(name)].strip()
                break
    text = re.split(r"\s+(?=(Sở|UBND|Ủy ban|Uỷ ban|HĐND|Hội đồng nhân dân)\b)", text)[0]
    return _upper(text)


def _joined(title: str, unit: str) -> str:
    """A title and its unit, the words they share said once: "TRƯỞNG PHÒNG"
    and "PHÒNG NỘI VỤ" give "TRƯỞNG PHÒNG NỘI VỤ"."""
    head, tail = title.split(), unit.split()
    for size in range(min(len(head), len(tail)), 0, -1):
        if head[-size:] == tail[:size]:
            return " ".join(head + tail[size:])
    return f"{title} {unit}"


@dataclass(frozen=True)
class Signature:
    authority_lines: str
    signer_title: str
    signer_name: str


def signing_for(issuer: Agency, person: Person | None) -> str:
    """How a person usually signs for an issuer: its head signs as head, a
    deputy "KT.", an acting head "Q.", the head of one of its offices "TL."."""
    if person is None:
        return Signing.DEPUTY
    if person.agency_id != issuer.pk:
        return Signing.BY_ORDER
    return {Rank.DEPUTY: Signing.DEPUTY, Rank.ACTING: Signing.ACTING}.get(rank(person.position), Signing.HEAD)


def collective_default(issuer: Agency, doc_type: str, signing: str) -> bool:
    """Whether the signature starts "TM. <the body>": a collective's head
    signing, and any decision of the collective (seed 002's plan, a UBND
    decision signed "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH")."""
    if not regime(issuer).collective or signing in (Signing.BY_ORDER, Signing.AUTHORISED):
        return False
    return signing in (Signing.HEAD, Signing.ACTING) or doc_type == DocType.QD


def signature(issuer: Agency, person: Person | None, signing: str, collective: bool) -> Signature:
    """The authority lines, the title line and the name (Phụ lục I, mục 8):

    - head: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" (collective) or "GIÁM ĐỐC";
    - deputy: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", under "TM. …" for a decision;
    - acting: "Q. GIÁM ĐỐC";
    - by order (TL.): "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG", with "KT. CHÁNH VĂN
      PHÒNG / PHÓ CHÁNH VĂN PHÒNG" when the office's deputy signs;
    - authorised (TUQ.): "TUQ. CHỦ TỊCH / GIÁM ĐỐC SỞ NỘI VỤ"."""
    rule = regime(issuer)
    lines: list[str] = []
    position = person.position if person else ""
    unit = person.agency if person else None
    deputy_title = _title(position, unit) if position and rank(position) == Rank.DEPUTY else f"PHÓ {rule.head}"
    if rule.head == "TỔ TRƯỞNG" and not position:
        deputy_title = "TỔ PHÓ"
    if collective and rule.collective and signing not in (Signing.BY_ORDER, Signing.AUTHORISED):
        lines.append(f"{rule.on_behalf} {rule.collective}")
    if signing == Signing.HEAD:
        title = rule.head
    elif signing == Signing.DEPUTY:
        if rule.deputy_under_collective or not lines:
            lines.append(f"KT. {rule.head}")
        title = deputy_title
    elif signing == Signing.ACTING:
        title = f"Q. {rule.head}"
    elif signing == Signing.BY_ORDER:
        lines.append(f"TL. {rule.head}")
        if position and rank(position) == Rank.DEPUTY and unit is not None:
            lines.append(f"KT. {regime(unit).head}")
        title = _title(position, unit) if position else ""
    else:  # authorised
        lines.append(f"TUQ. {rule.head}")
        title = _title(position, unit) if position else ""
        if unit is not None and title and fold(unit.name) not in fold(position):
            title = _joined(title, _upper(_without_area(unit.name, _area_of(unit))))
    return Signature("\n".join(lines), title, person.full_name if person else "")


# --- Who the text reports to, and where it is filed ---------------------------------------------


def tiers(kinds) -> str:
    """The local tiers a text names together, in the order offices write
    them: 'huyện, thị xã, thành phố' before 1/7/2025, 'xã, phường, đặc khu'
    after; only the kinds there are."""
    present = set(kinds)
    return ", ".join(word for kind, word in TIER_WORD.items() if kind in present and kind != K.PROVINCIAL_COMMITTEE)


def local_tiers(committee: Agency, directory) -> str:
    """The tiers of the committees right under a committee on the
    directory's day: who a provincial decision addresses as 'Chủ tịch Ủy
    ban nhân dân các …'."""
    return tiers(a.kind for a in directory.children.get(committee.pk, []) if a.kind in COMMITTEE_KINDS)


def group_phrase(kinds) -> str:
    """Units named by their kinds as a text names them: "UBND các xã,
    phường", "Các sở, ban, ngành", "Các phòng chuyên môn" — never the
    directory's own labels run together."""
    kinds = [k for k in kinds if k in K.values]
    committees = [k for k in kinds if k in COMMITTEE_KINDS and k != K.PROVINCIAL_COMMITTEE]
    parts = []
    for kind in kinds:
        if kind not in committees:
            label = str(K(kind).label).split(" (")[0]
            parts.append(f"các {label[0].lower()}{label[1:]}")
    if committees:  # the local committees last, as "các sở, ban, ngành, UBND các xã, phường"
        parts.append(f"UBND các {tiers(committees)}")
    text = ", ".join(parts)
    return f"{text[0].upper()}{text[1:]}" if text else ""


def decider(issuer: Agency | None, issuer_lines: list[str], collective: bool) -> str:
    """The authority line a decision prints under its title (Nghị định 30,
    Phụ lục III, mẫu 1.1): the body itself when it decides collectively
    ('ỦY BAN NHÂN DÂN TỈNH LÀO CAI'), else its head ('CHỦ TỊCH ỦY BAN NHÂN
    DÂN TỈNH LÀO CAI', 'GIÁM ĐỐC SỞ NỘI VỤ'). Built from the issuer's name as
    the document prints it, so an edited header carries over."""
    name = " ".join(line.strip() for line in issuer_lines if line.strip()).upper()
    if not name:
        return ""
    if collective or issuer is None:
        return name
    return f"{regime(issuer).head} {name}"


def head_phrase(issuer: Agency) -> str:
    """Who decides for the issuer, as the closing sentence names them:
    'Chủ tịch UBND tỉnh', 'Chủ tịch UBND huyện', 'Giám đốc Sở', 'Trưởng phòng'."""
    if issuer.kind in COMMITTEE_KINDS:
        return f"Chủ tịch UBND {TIER_WORD[issuer.kind]}"
    head = regime(issuer).head.capitalize()
    if issuer.kind == K.DEPARTMENT and fold(issuer.name).startswith("so "):
        return "Giám đốc Sở"
    return head


_NAMED_BY_FUNCTION = {fold(n) for n in ("Công an", "Thanh tra", "Bưu điện", "Trung tâm Phục vụ hành chính công")}


def short_name(agency: Agency, within: Agency | None = None) -> str:
    """How a unit is named in a text of its own area: 'Sở Nội vụ tỉnh Lạng
    Sơn' reads 'Sở Nội vụ' in the province's documents, 'Phòng Nội vụ huyện
    Bát Xát' reads 'Phòng Nội vụ' in the district's, the committee itself
    'UBND tỉnh' / 'UBND huyện'."""
    if agency.kind in COMMITTEE_KINDS:
        same = within is not None and (within.pk == agency.pk or area_root(within) == agency)
        if agency.kind == K.PROVINCIAL_COMMITTEE or same:
            return f"UBND {TIER_WORD[agency.kind]}"
        return agency.name
    root = area_root(agency)
    if root is not None and within is not None and area_root(within) != root and within.pk != root.pk:
        return agency.name  # a district's office named in another area's text
    area = _area_of(agency)
    short = _without_area(agency.name, area)
    if short == agency.name:
        return agency.name
    if fold(short) in _NAMED_BY_FUNCTION:
        # A body named by its function alone keeps its tier: "Công an tỉnh", "Trung tâm … công xã".
        return f"{short} {area.split()[0]}"
    if fold(short).endswith(" ubnd"):
        return f"{short} {area.split(' ')[0]}"  # "Văn phòng UBND tỉnh"
    return short


def abbreviation(agency: Agency) -> str:
    return agency.short_name or agency.code


def filing_line(issuer: Agency, focal: Agency | None, drafting_unit: str = "") -> str:
    """ "Lưu: VT, SNV." — the archive, and the office that drafted it."""
    unit = drafting_unit or (abbreviation(focal) if focal is not None and focal.pk != issuer.pk else "")
    return f"Lưu: VT, {unit}." if unit else "Lưu: VT."


# --- Nơi nhận -------------------------------------------------------------------------------


def _home_affairs(units: list[Agency]) -> Agency | None:
    """The home affairs office among units: Sở Nội vụ, Phòng Nội vụ."""
    for unit in units:
        if unit.kind in (K.DEPARTMENT, K.DIVISION) and "noi vu" in fold(unit.name):
            return unit
    return None


def superiors(issuer: Agency, directory) -> list[str]:
    """Who an issuer reports to, marked "(B/c)", from the directory of the
    document's day: the unit above (for a committee, the committee above and
    its home affairs office; the Ministry of Home Affairs, which is not in
    the directory, above the province's), then for a committee the Party
    committee and the council of its own tier and its leaders."""
    lines: list[str] = []
    if issuer.kind == K.PROVINCIAL_COMMITTEE:
        lines.append("Bộ Nội vụ (B/c);")
    else:
        above = directory.by_pk.get(issuer.parent_id)
        if issuer.kind in COMMITTEE_KINDS and (above is None or above.kind not in COMMITTEE_KINDS):
            above = None
        if above is None:
            above = next((a for a in directory.rows if a.kind == K.PROVINCIAL_COMMITTEE), None)
        if above is not None:
            lines.append(f"{short_name(above, within=issuer)} (B/c);")
            if issuer.kind in COMMITTEE_KINDS:
                office = _home_affairs(directory.children.get(above.pk, []))
                if office is not None:
                    lines.append(f"{short_name(office, within=issuer)} (B/c);")
    if issuer.kind in COMMITTEE_KINDS:
        tier = TIER_WORD[issuer.kind]
        # The Party committee of the tier is named by the tier, as offices write it.
        lines.append(f"Thường trực {_PARTY_BY_TIER.get(tier, f'Đảng ủy {tier}')} (B/c);")
        lines.append(f"Thường trực HĐND {tier} (B/c);")
    return lines


def leaders_line(issuer: Agency) -> str:
    """The issuer's own leaders, who receive every paper it sends out."""
    if issuer.kind in COMMITTEE_KINDS:
        return f"Chủ tịch, các Phó Chủ tịch UBND {TIER_WORD[issuer.kind]};"
    if issuer.kind == K.DEPARTMENT and fold(issuer.name).startswith("so "):
        return "Lãnh đạo Sở;"  # a department's own paper names it by its tier alone
    return f"Lãnh đạo {short_name(issuer)};"


_PARTY_BY_TIER = {"tỉnh": "Tỉnh ủy", "huyện": "Huyện ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}


def recipients(
    issuer: Agency,
    directory,
    *,
    to_act: list[str] = (),
    to_know: list[str] = (),
    press: list[str] = (),
    focal: Agency | None = None,
    as_invited: bool = False,
    report_up: bool = True,
) -> str:
    """Nơi nhận as offices print it, one line each: "Như thành phần mời;"
    for an invitation, then the superiors (B/c), the units that act (T/h),
    those informed (để biết), the press (đưa tin), and "Lưu: VT, …"."""
    lines = ["Như thành phần mời;"] if as_invited else []
    if report_up:
        lines += superiors(issuer, directory)
    lines.append(leaders_line(issuer))
    seen = {fold(line) for line in lines}

    def add(text: str, mark: str):
        line = f"{text.strip().rstrip('.;')} ({mark});" if mark else f"{text.strip().rstrip('.;')};"
        if fold(line) not in seen:
            seen.add(fold(line))
            lines.append(line)

    for text in to_act:
        add(text, "T/h")
    if focal is not None and focal.pk != issuer.pk and not as_invited:
        add(short_name(focal, within=issuer), "T/h")
    for text in to_know:
        add(text, "để biết")
    for text in press:
        add(text, "đưa tin")
    lines.append(filing_line(issuer, focal))
    return "\n".join(lines)
