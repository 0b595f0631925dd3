"""Demo directory for the three provinces of the seed documents.

The provincial bodies follow Nghị định 150/2025 and the seeds; communes and
wards are real post-1/7/2025 names. People's names other than the signers the
seeds print are invented, and every e-mail address ends in .example."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from agencies.models import Agency, AgencyKind, Person, Province, Role, Succession, User
from core.text import fold

DEMO_PASSWORD = "cchc-demo-2026"
MERGER_DAY = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = dt.date(2025, 6, 30)

K = AgencyKind

# (code, name, short name, kind): the bodies every province has.
PROVINCIAL_BODIES = [
    ("UBND", "Ủy ban nhân dân tỉnh {p}", "UBND", K.PROVINCIAL_COMMITTEE),
    ("VPUBND", "Văn phòng UBND tỉnh {p}", "VP", K.COMMITTEE_OFFICE),
    ("SNV", "Sở Nội vụ tỉnh {p}", "SNV", K.DEPARTMENT),
    ("STP", "Sở Tư pháp tỉnh {p}", "STP", K.DEPARTMENT),
    ("STC", "Sở Tài chính tỉnh {p}", "STC", K.DEPARTMENT),
    ("SCT", "Sở Công Thương tỉnh {p}", "SCT", K.DEPARTMENT),
    ("SNNMT", "Sở Nông nghiệp và Môi trường tỉnh {p}", "SNNMT", K.DEPARTMENT),
    ("SXD", "Sở Xây dựng tỉnh {p}", "SXD", K.DEPARTMENT),
    ("SKHCN", "Sở Khoa học và Công nghệ tỉnh {p}", "SKHCN", K.DEPARTMENT),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch tỉnh {p}", "SVHTTDL", K.DEPARTMENT),
    ("SGDDT", "Sở Giáo dục và Đào tạo tỉnh {p}", "SGDĐT", K.DEPARTMENT),
    ("SYT", "Sở Y tế tỉnh {p}", "SYT", K.DEPARTMENT),
    ("TTR", "Thanh tra tỉnh {p}", "TTr", K.DEPARTMENT),
    ("TU", "Tỉnh ủy {p}", "TU", K.PARTY_COMMITTEE),
    ("HDND", "Hội đồng nhân dân tỉnh {p}", "HĐND", K.PEOPLES_COUNCIL),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {p}", "MTTQ", K.FATHERLAND_FRONT),
    ("CA", "Công an tỉnh {p}", "CA", K.POLICE),
    ("BD", "Bưu điện tỉnh {p}", "BĐ", K.POST),
    ("BPTTH", "Báo và Phát thanh, Truyền hình {p}", "BPTTH", K.PRESS),
]

PROVINCES = {
    "lang-son": {
        "name": "Lạng Sơn",
        "mail": "langson",
        "address": "Số 02 đường Hùng Vương, phường Lương Văn Tri, tỉnh Lạng Sơn",
        "wards": ["Tam Thanh", "Lương Văn Tri", "Đông Kinh", "Kỳ Lừa"],
        "communes": [
            "Thất Khê",
            "Tràng Định",
            "Na Sầm",
            "Văn Lãng",
            "Hoàng Văn Thụ",
            "Đồng Đăng",
            "Cao Lộc",
            "Lộc Bình",
            "Mẫu Sơn",
            "Na Dương",
            "Đình Lập",
            "Châu Sơn",
            "Bắc Sơn",
            "Hưng Vũ",
            "Vũ Lễ",
            "Bình Gia",
            "Hồng Phong",
            "Văn Quan",
            "Điềm He",
            "Chi Lăng",
            "Đồng Mỏ",
            "Hữu Lũng",
            "Yên Bình",
            "Thiện Tân",
        ],
        # Pre-2025 units kept for history, with who took over.
        "legacy": [
            ("TT-THATKHE", "Thị trấn Thất Khê", K.TOWNSHIP, "X-THATKHE"),
            ("TP-LANGSON", "Thành phố Lạng Sơn", K.PROVINCIAL_CITY, "P-LUONGVANTRI"),
        ],
        "people": {
            "VPUBND": [("Nguyễn Thị Thúy", "Phó Chánh Văn phòng UBND tỉnh", False)],
        },
    },
    "lai-chau": {
        "name": "Lai Châu",
        # Seed 002 writes SIPAS changes as "tăng 1,69%".
        "style": {"percent_change_in_points": False},
        "mail": "laichau",
        "address": "Đường Trần Hưng Đạo, phường Tân Phong, tỉnh Lai Châu",
        "wards": ["Tân Phong", "Đoàn Kết"],
        "communes": [
            "Bình Lư",
            "Tả Lèng",
            "Khun Há",
            "Bản Bo",
            "Sìn Hồ",
            "Pa Tần",
            "Hồng Thu",
            "Nậm Tăm",
            "Tủa Sín Chải",
            "Phong Thổ",
            "Sin Suối Hồ",
            "Dào San",
            "Khổng Lào",
            "Than Uyên",
            "Mường Than",
            "Mường Kim",
            "Khoen On",
            "Tân Uyên",
            "Mường Khoa",
            "Pắc Ta",
            "Mường Tè",
            "Bum Tở",
            "Nậm Nhùn",
            "Pa Ủ",
        ],
        "legacy": [("H-TAMDUONG", "Huyện Tam Đường", K.DISTRICT, "")],
        "people": {},
    },
    "lao-cai": {
        "name": "Lào Cai",
        "mail": "laocai",
        "address": "Trung tâm Hội nghị tỉnh, phường Lào Cai, tỉnh Lào Cai",
        "wards": [
            "Lào Cai",
            "Cam Đường",
            "Sa Pa",
            "Yên Bái",
            "Nam Cường",
            "Văn Phú",
            "Âu Lâu",
            "Nghĩa Lộ",
            "Trung Tâm",
            "Cầu Thia",
        ],
        "communes": [
            "Bát Xát",
            "Mường Khương",
            "Bắc Hà",
            "Si Ma Cai",
            "Bảo Thắng",
            "Bảo Yên",
            "Văn Bàn",
            "Lục Yên",
            "Yên Bình",
            "Trấn Yên",
            "Văn Chấn",
            "Trạm Tấu",
            "Mù Cang Chải",
            "Văn Yên",
            "Gia Phú",
            "Phong Hải",
            "Cốc San",
            "Tằng Loỏng",
        ],
        "legacy": [("TX-SAPA", "Thị xã Sa Pa", K.TOWN, "P-SAPA")],
        "people": {
            "UBND": [("Ngô Hạnh Phúc", "Phó Chủ tịch UBND tỉnh", False)],
        },
    },
}

# Provinces merged on 1/7/2025 into one of the demo provinces.
MERGED_PROVINCES = [("yen-bai", "Yên Bái", "lao-cai")]

# Invented focal people for each department: (position, name).
FOCAL_NAMES = [
    "Hoàng Văn Minh",
    "Nông Thị Lan",
    "Lý Văn Hùng",
    "Vi Thị Hoa",
    "Lương Văn Tuấn",
    "Hà Thị Mai",
    "Triệu Văn Đức",
    "Lò Thị Thu",
    "Đặng Văn Sơn",
    "Phan Thị Hằng",
    "Vũ Văn Khánh",
    "Bế Thị Ngọc",
    "Mã Văn Lực",
]

CHAIR_NAMES = ["Hoàng Văn Quang", "Nguyễn Thị Diệu"]

# (username suffix, role, agency code, full name, position)
ACCOUNTS = [
    ("noivu", Role.ORGANISER, "SNV", "Trần Thị Hương", "Chuyên viên Phòng Cải cách hành chính"),
    ("lanhdao", Role.LEADER, "UBND", "Đỗ Văn Thành", "Phó Chủ tịch UBND tỉnh"),
    ("taichinh", Role.OFFICIAL, "STC", "Phạm Thị Nga", "Chuyên viên Văn phòng Sở"),
    ("xa", Role.OFFICIAL, None, "Lưu Văn Bình", "Công chức Văn hóa - Xã hội"),
]
ADMIN_USERNAME = "quantri"
# Each province's organiser is a different person (the log of who sent what
# reads wrong when every province's organiser has the same name).
ORGANISER_NAMES = {"lao-cai": "Nguyễn Thu Trang", "lai-chau": "Lò Văn Dũng"}


def unit_code(prefix: str, name: str) -> str:
    return f"{prefix}-{fold(name).replace(' ', '').upper()}"


def _upsert(model, lookup: dict, values: dict):
    """Create, or update only the fields that differ: a second run of the
    demo seed writes nothing (and so adds no audit entries)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj


def demo_accounts() -> list[dict]:
    """The demo logins as they should exist: username, password, role, agency, province."""
    accounts = [
        {
            "username": ADMIN_USERNAME,
            "password": DEMO_PASSWORD,
            "role": "administrator",
            "full_name": "Quản trị hệ thống",
            "agency_code": None,
            "province": None,
        }
    ]
    for province_code, data in PROVINCES.items():
        for suffix, role, agency_code, full_name, position in ACCOUNTS:
            if agency_code is None:
                first_commune = data["wards"][0]
                agency_code = unit_code("P", first_commune)
                suffix = fold(first_commune).replace(" ", "")
            if role == Role.ORGANISER:
                full_name = ORGANISER_NAMES.get(province_code, full_name)
            accounts.append(
                {
                    "username": f"{data['mail']}.{suffix}",
                    "password": DEMO_PASSWORD,
                    "role": str(role),
                    "full_name": full_name,
                    "position": position,
                    "agency_code": agency_code,
                    "province": province_code,
                }
            )
    return accounts


@transaction.atomic
def seed_directory(*, stdout=None):
    provinces = {}
    for code, data in PROVINCES.items():
        provinces[code] = _upsert(
            Province, {"code": code}, {"name": data["name"], "kind": Province.Kind.PROVINCE, **data.get("style", {})}
        )
    for code, name, successor in MERGED_PROVINCES:
        _upsert(
            Province,
            {"code": code},
            {
                "name": name,
                "kind": Province.Kind.PROVINCE,
                "active_to": LAST_DAY_BEFORE_MERGER,
                "successor": provinces[successor],
            },
        )

    for code, data in PROVINCES.items():
        _seed_province(provinces[code], data)

    for account in demo_accounts():
        _seed_account(account, provinces)
    if stdout is not None:
        stdout.write(
            f"Danh bạ mẫu: {Agency.objects.count()} đơn vị, {Person.objects.count()} cán bộ, "
            f"{User.objects.count()} tài khoản."
        )


def _seed_province(province: Province, data: dict):
    p = data["name"]
    mail = data["mail"]
    agencies = {}
    for code, name, short, kind in PROVINCIAL_BODIES:
        agencies[code] = _upsert(
            Agency,
            {"province": province, "code": code},
            {
                "name": name.format(p=p),
                "short_name": short,
                "kind": kind,
                "email": f"{code.lower()}@{mail}.gov.example",
                "address": data["address"] if code in {"UBND", "VPUBND", "HDND"} else "",
                "active_from": None,
                "active_to": None,
            },
        )
    parent = agencies["UBND"]
    for code in ("VPUBND", "SNV", "STP", "STC", "SCT", "SNNMT", "SXD", "SKHCN", "SVHTTDL", "SGDDT", "SYT", "TTR"):
        _upsert(Agency, {"province": province, "code": code}, {"parent": parent})
    for prefix, kind, names in (("P", K.WARD, data["wards"]), ("X", K.COMMUNE, data["communes"])):
        label = "Phường" if kind == K.WARD else "Xã"
        for name in names:
            code = unit_code(prefix, name)
            agencies[code] = _upsert(
                Agency,
                {"province": province, "code": code},
                {
                    "name": f"UBND {label.lower()} {name}",
                    "short_name": "UBND",
                    "kind": kind,
                    "email": f"{code.lower()}@{mail}.gov.example",
                    "active_from": MERGER_DAY,
                    "active_to": None,
                },
            )
    for code, name, kind, successor in data["legacy"]:
        old = _upsert(
            Agency,
            {"province": province, "code": code},
            {
                "name": f"UBND {name[0].lower()}{name[1:]}",
                "short_name": "UBND",
                "kind": kind,
                "active_from": None,
                "active_to": LAST_DAY_BEFORE_MERGER,
            },
        )
        if successor in agencies:
            Succession.objects.get_or_create(
                predecessor=old, successor=agencies[successor], defaults={"on_date": MERGER_DAY}
            )

    # A focal person for each department and for the first communes, plus
    # the people the seed documents name.
    focal_codes = ["VPUBND", "SNV", "STP", "STC", "SCT", "SNNMT", "SXD", "SKHCN", "SVHTTDL", "SGDDT", "SYT", "TTR"]
    for index, code in enumerate(focal_codes):
        name = FOCAL_NAMES[index % len(FOCAL_NAMES)]
        _upsert(
            Person,
            {"agency": agencies[code], "full_name": name},
            {
                "position": "Chuyên viên đầu mối cải cách hành chính",
                "is_focal_point": True,
                "email": f"daumoi.{code.lower()}@{mail}.gov.example",
                "phone": f"0912.{100 + index:03d}.{200 + index:03d}",
            },
        )
    for name, code in zip(
        CHAIR_NAMES, [unit_code("P", data["wards"][0]), unit_code("X", data["communes"][0])], strict=False
    ):
        agency = agencies[code]
        _upsert(
            Person,
            {"agency": agency, "full_name": name},
            {
                "position": f"Chủ tịch {agency.name}",
                "is_focal_point": False,
                "email": "",
                "phone": "",
            },
        )
    for code, people in data["people"].items():
        for full_name, position, focal in people:
            _upsert(
                Person,
                {"agency": agencies[code], "full_name": full_name},
                {"position": position, "is_focal_point": focal, "email": "", "phone": ""},
            )


def _seed_account(account: dict, provinces: dict):
    agency = None
    if account["agency_code"]:
        agency = Agency.objects.get(province=provinces[account["province"]], code=account["agency_code"])
    is_admin = account["role"] == Role.ADMINISTRATOR
    values = {
        "role": account["role"],
        "agency": agency,
        "full_name": account["full_name"],
        "position": account.get("position", ""),
        "email": f"{account['username']}@cchc.example",
        "is_staff": is_admin,
        "is_superuser": is_admin,
        "is_active": True,
    }
    user = User.objects.filter(username=account["username"]).first()
    if user is None:
        user = User(username=account["username"], **values)
        user.set_password(account["password"])
        user.full_clean()
        user.save()
        return
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if changed:
        for name in changed:
            setattr(user, name, values[name])
        user.save(update_fields=changed)
