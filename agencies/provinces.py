"""Vietnam's provinces and centrally-run cities: the 63 of 2008-2025 and the
34 since the merger of 1 July 2025 (Nghị quyết 202/2025/QH15), with the
lineage that lets a merged province's history continue under its successor
while each former province keeps its own past.

A province that absorbed others keeps its row (its code, its past results)
and the ones merged into it end on 30/6/2025 with it as their successor, so
every national table from 2012 on names a row that exists. Huế became a
centrally-run city on 1/1/2025 (Thừa Thiên Huế before).

The rows are written after every migrate (and every test flush) by
`ensure_provinces`; an administrator may correct a name or a region, which
is never overwritten.

`match` finds a province as ministries and offices write its name in a
published table: without diacritics or case, with or without "tỉnh",
"thành phố", "TP.", in English ("Ho Chi Minh City", "Hanoi"), and by former
names ("Thừa Thiên Huế")."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass

from core.text import fold

MERGER_DAY = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = datetime.date(2025, 6, 30)

# Resolution 81/2023/QH15's six socio-economic regions.
NORTH_MOUNTAINS = "trung_du_mien_nui_phia_bac"
RED_RIVER = "dong_bang_song_hong"
CENTRAL = "bac_trung_bo_duyen_hai_mien_trung"
HIGHLANDS = "tay_nguyen"
SOUTH_EAST = "dong_nam_bo"
MEKONG = "dong_bang_song_cuu_long"


@dataclass(frozen=True)
class Known:
    name: str
    region: str
    city: bool = False
    successor: str = ""  # the name of the province it was merged into on 1/7/2025
    other_names: tuple[str, ...] = ()


KNOWN: tuple[Known, ...] = (
    # Trung du và miền núi phía Bắc
    Known("Hà Giang", NORTH_MOUNTAINS, successor="Tuyên Quang"),
    Known("Cao Bằng", NORTH_MOUNTAINS),
    Known("Bắc Kạn", NORTH_MOUNTAINS, successor="Thái Nguyên", other_names=("Bắc Cạn",)),
    Known("Tuyên Quang", NORTH_MOUNTAINS),
    Known("Lào Cai", NORTH_MOUNTAINS),
    Known("Yên Bái", NORTH_MOUNTAINS, successor="Lào Cai"),
    Known("Thái Nguyên", NORTH_MOUNTAINS),
    Known("Lạng Sơn", NORTH_MOUNTAINS),
    Known("Bắc Giang", NORTH_MOUNTAINS, successor="Bắc Ninh"),
    Known("Phú Thọ", NORTH_MOUNTAINS),
    Known("Điện Biên", NORTH_MOUNTAINS),
    Known("Lai Châu", NORTH_MOUNTAINS),
    Known("Sơn La", NORTH_MOUNTAINS),
    Known("Hòa Bình", NORTH_MOUNTAINS, successor="Phú Thọ"),
    # Đồng bằng sông Hồng
    Known("Hà Nội", RED_RIVER, city=True, other_names=("Hanoi", "Thủ đô Hà Nội")),
    Known("Hải Phòng", RED_RIVER, city=True, other_names=("Haiphong",)),
    Known("Quảng Ninh", RED_RIVER),
    Known("Vĩnh Phúc", RED_RIVER, successor="Phú Thọ"),
    Known("Bắc Ninh", RED_RIVER),
    Known("Hải Dương", RED_RIVER, successor="Hải Phòng"),
    Known("Hưng Yên", RED_RIVER),
    Known("Thái Bình", RED_RIVER, successor="Hưng Yên"),
    Known("Hà Nam", RED_RIVER, successor="Ninh Bình"),
    Known("Nam Định", RED_RIVER, successor="Ninh Bình"),
    Known("Ninh Bình", RED_RIVER),
    # Bắc Trung Bộ và duyên hải miền Trung
    Known("Thanh Hóa", CENTRAL),
    Known("Nghệ An", CENTRAL),
    Known("Hà Tĩnh", CENTRAL),
    Known("Quảng Bình", CENTRAL, successor="Quảng Trị"),
    Known("Quảng Trị", CENTRAL),
    Known("Huế", CENTRAL, city=True, other_names=("Thừa Thiên Huế", "Thừa Thiên - Huế", "TT Huế", "Hue City")),
    Known("Đà Nẵng", CENTRAL, city=True, other_names=("Danang",)),
    Known("Quảng Nam", CENTRAL, successor="Đà Nẵng"),
    Known("Quảng Ngãi", CENTRAL),
    Known("Bình Định", CENTRAL, successor="Gia Lai"),
    Known("Phú Yên", CENTRAL, successor="Đắk Lắk"),
    Known("Khánh Hòa", CENTRAL),
    Known("Ninh Thuận", CENTRAL, successor="Khánh Hòa"),
    Known("Bình Thuận", CENTRAL, successor="Lâm Đồng"),
    # Tây Nguyên
    Known("Kon Tum", HIGHLANDS, successor="Quảng Ngãi"),
    Known("Gia Lai", HIGHLANDS),
    Known("Đắk Lắk", HIGHLANDS, other_names=("Đắc Lắc",)),
    Known("Đắk Nông", HIGHLANDS, successor="Lâm Đồng", other_names=("Đắc Nông",)),
    Known("Lâm Đồng", HIGHLANDS),
    # Đông Nam Bộ
    Known("Hồ Chí Minh", SOUTH_EAST, city=True, other_names=("Sài Gòn", "HCM", "TP.HCM", "TPHCM")),
    Known("Đồng Nai", SOUTH_EAST),
    Known("Bình Dương", SOUTH_EAST, successor="Hồ Chí Minh"),
    Known("Bình Phước", SOUTH_EAST, successor="Đồng Nai"),
    Known("Tây Ninh", SOUTH_EAST),
    Known("Bà Rịa - Vũng Tàu", SOUTH_EAST, successor="Hồ Chí Minh", other_names=("BR-VT", "Bà Rịa Vũng Tàu")),
    # Đồng bằng sông Cửu Long
    Known("Cần Thơ", MEKONG, city=True),
    Known("Long An", MEKONG, successor="Tây Ninh"),
    Known("Tiền Giang", MEKONG, successor="Đồng Tháp"),
    Known("Bến Tre", MEKONG, successor="Vĩnh Long"),
    Known("Trà Vinh", MEKONG, successor="Vĩnh Long"),
    Known("Vĩnh Long", MEKONG),
    Known("An Giang", MEKONG),
    Known("Đồng Tháp", MEKONG),
    Known("Kiên Giang", MEKONG, successor="An Giang"),
    Known("Hậu Giang", MEKONG, successor="Cần Thơ"),
    Known("Sóc Trăng", MEKONG, successor="Cần Thơ"),
    Known("Bạc Liêu", MEKONG, successor="Cà Mau"),
    Known("Cà Mau", MEKONG),
)


def code_for(name: str) -> str:
    """The directory's code of a province: "Bà Rịa - Vũng Tàu" -> ba-ria-vung-tau."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


# "TP. Hồ Chí Minh", "Thành phố Cần Thơ", "Tỉnh Lai Châu", "Ho Chi Minh City".
_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?|t\.p\.?|province of|city of)\s*")
_SUFFIX = re.compile(r"\s*(province|city|municipality)$")


def name_key(name: str) -> str:
    """A province's name reduced to what tells it apart: "TP. Hồ Chí Minh",
    "Thành phố Hồ Chí Minh" and "ho chi minh city" all give "hochiminh"."""
    text = fold(str(name)).strip()
    text = _SUFFIX.sub("", _PREFIX.sub("", text))
    return re.sub(r"[^a-z0-9]", "", text)


class ProvinceIndex:
    """Every province of the directory by every name it goes by, built once
    per import from one query."""

    def __init__(self, provinces):
        self.by_key: dict[str, object] = {}
        self.names: dict[str, str] = {}
        for province in provinces:
            for name in (province.name, *(province.other_names or ())):
                key = name_key(name)
                if key:
                    self.by_key.setdefault(key, province)
                    self.names.setdefault(key, name)

    def find(self, name: str):
        return self.by_key.get(name_key(name))

    def closest(self, name: str, count: int = 3) -> list[str]:
        keys = difflib.get_close_matches(name_key(name), list(self.by_key), n=count * 2, cutoff=0.6)
        found: list[str] = []
        for key in keys:
            label = self.by_key[key].name
            if label not in found:
                found.append(label)
        return found[:count]


def ensure_provinces(province_model) -> int:
    """Write the provinces the directory lacks (by code), and fill a region,
    other names or a lineage an existing row leaves blank; never overwrite what is
    there. Two queries when nothing is missing. Returns the rows added."""
    existing = {p.code: p for p in province_model.objects.all()}
    missing = [
        province_model(
            code=code_for(known.name),
            name=known.name,
            kind="thanh_pho" if known.city else "tinh",  # Province.Kind (a migration's model lacks it)
            region=known.region,
            other_names=list(known.other_names),
        )
        for known in KNOWN
        if code_for(known.name) not in existing
    ]
    province_model.objects.bulk_create(missing)
    rows = {p.code: p for p in province_model.objects.all()} if missing else existing
    for known in KNOWN:
        row = rows[code_for(known.name)]
        changed = []
        if not row.region:
            row.region = known.region
            changed.append("region")
        if not row.other_names and known.other_names:
            row.other_names = list(known.other_names)
            changed.append("other_names")
        if known.successor and row.successor_id is None and row.active_to is None:
            row.successor = rows[code_for(known.successor)]
            row.active_to = LAST_DAY_BEFORE_MERGER
            changed += ["successor", "active_to"]
        if changed:
            row.save(update_fields=changed)
    return len(missing)
