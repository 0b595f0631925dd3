"""Reading and checking directory files (CSV or XLSX) before anything is
written. Every problem becomes a Vietnamese message tied to a line, so an
organiser can fix the file in Excel and try again; nothing here writes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from core.exceptions import ImportFileError
from core.spreadsheets import table_rows
from core.text import fold

from .models import Agency, AgencyKind, DirectoryImport, Level, Person, Province, level_for


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    required: bool = False


AGENCY_COLUMNS = (
    Column("code", "Mã đơn vị", required=True),
    Column("name", "Tên đơn vị", required=True),
    Column("short_name", "Tên viết tắt"),
    Column("kind", "Loại đơn vị", required=True),
    Column("province", "Tỉnh"),
    Column("parent", "Mã đơn vị cấp trên"),
    Column("email", "Thư điện tử"),
    Column("phone", "Điện thoại"),
    Column("address", "Địa chỉ"),
    Column("active_from", "Hoạt động từ ngày"),
    Column("active_to", "Hoạt động đến ngày"),
    Column("successor", "Mã đơn vị kế thừa"),
    # Added for units of every tier and era; at the end, so that files filled
    # in from the older template still read column by column.
    Column("level", "Cấp"),
    Column("locality", "Địa danh"),
    Column("electronic_id", "Mã định danh điện tử"),
)

PERSON_COLUMNS = (
    Column("full_name", "Họ và tên", required=True),
    Column("position", "Chức vụ"),
    Column("agency", "Mã đơn vị", required=True),
    Column("email", "Thư điện tử"),
    Column("phone", "Điện thoại"),
    Column("is_focal_point", "Đầu mối CCHC"),
    Column("province", "Tỉnh"),
)

COLUMNS = {DirectoryImport.Kind.AGENCIES: AGENCY_COLUMNS, DirectoryImport.Kind.PEOPLE: PERSON_COLUMNS}

# Other spellings people put in their headers.
HEADER_ALIASES = {
    "email": "Thư điện tử",
    "e-mail": "Thư điện tử",
    "so dien thoai": "Điện thoại",
    "ma": "Mã đơn vị",
    "ten": "Tên đơn vị",
    "loai": "Loại đơn vị",
}

# Codes of the template's example rows: a file that still holds them is
# refused, so that "UBND huyện Ví Dụ" never reaches a real directory.
EXAMPLE_PREFIX = "VIDU-"

TRUE_WORDS = {"x", "co", "1", "true", "yes", "dau moi"}
FALSE_WORDS = {"", "khong", "0", "false", "no"}


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (line number as the spreadsheet shows it, cells)


@dataclass(frozen=True)
class Ref:
    """A unit a row points to, as the preview shows it: where it was found
    ("file" or "directory"; blank when it was not found)."""

    code: str
    name: str = ""
    source: str = ""


@dataclass
class RowResult:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create | update | unchanged | error
    changes: list[str] = field(default_factory=list)
    # What an agency row stores once applied, resolved against the file and
    # the directory: the preview shows these and applying writes the level.
    parent: Ref | None = None
    successors: list[Ref] = field(default_factory=list)
    level: str = ""
    level_source: str = ""  # file | kind | parent | default

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else ""


@dataclass
class Preview:
    kind: str
    province: Province
    rows: list[RowResult]

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def counts(self) -> dict:
        counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]


# --- Reading ----------------------------------------------------------------


def read_table(name: str, data: bytes) -> Table:
    if not data:
        raise ImportFileError(_("Tệp trống: không có dòng nào để nhập."))
    return table_from_rows(table_rows(name, data))


def table_from_rows(raw_rows: list[list]) -> Table:
    """The header and the data rows of a file's rows, as read once (an
    import keeps them, DirectoryImport.rows)."""
    numbered = [(i, row) for i, row in enumerate(raw_rows, start=1) if any(_text(c) for c in row)]
    if not numbered:
        raise ImportFileError(_("Tệp trống: không có dòng nào để nhập."))
    header_line, header = numbered[0]
    headers = [_text(c) for c in header]
    while headers and not headers[-1]:
        headers.pop()
    data_rows = numbered[1:]
    if not data_rows:
        raise ImportFileError(_("Tệp chỉ có dòng tiêu đề, chưa có dữ liệu."))
    return Table(headers=headers, rows=data_rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def map_headers(headers: list[str], columns) -> list[str | None]:
    """Column key for each header position; raises on a header that is off."""
    by_name = {fold(c.label): c.key for c in columns} | {fold(c.key): c.key for c in columns}
    labels = {c.key: c.label for c in columns}
    for alias, label in HEADER_ALIASES.items():
        key = next((c.key for c in columns if c.label == label), None)
        if key:
            by_name.setdefault(alias, key)
    keys, unknown, seen = [], [], set()
    for header in headers:
        key = by_name.get(fold(header))
        if header and key is None:
            unknown.append(header)
        if key in seen:
            raise ImportFileError(_("Cột “%(name)s” xuất hiện hai lần trong dòng tiêu đề.") % {"name": header})
        if key:
            seen.add(key)
        keys.append(key)
    problems = []
    missing = [labels[c.key] for c in columns if c.required and c.key not in seen]
    if missing:
        problems.append(_("thiếu cột bắt buộc: %(cols)s") % {"cols": ", ".join(f"“{m}”" for m in missing)})
    if unknown:
        problems.append(_("có cột không thuộc mẫu: %(cols)s") % {"cols": ", ".join(f"“{u}”" for u in unknown)})
    if problems:
        expected = ", ".join(c.label for c in columns)
        raise ImportFileError(
            _("Dòng tiêu đề không đúng mẫu (%(problems)s). Các cột của mẫu: %(expected)s.")
            % {"problems": "; ".join(problems), "expected": expected}
        )
    return keys


def _row_values(keys, cells) -> dict:
    values = {}
    for key, cell in zip(keys, cells, strict=False):
        if key:
            values[key] = cell
    return values


# --- Field parsing -------------------------------------------------------------


def _words(text: str) -> str:
    """A label as a lookup key: folded, punctuation and "(trước 01/7/2025)"
    dropped, "Ủy ban nhân dân" as UBND: "Sở ban ngành" meets "Sở, ban, ngành"."""
    text = re.sub(r"\(.*?\)", " ", fold(text)).replace("uy ban nhan dan", "ubnd")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _kind_lookup() -> dict[str, str]:
    """Kinds as a file may spell them: the code, or the label in either
    interface language (files are Vietnamese whoever uploads them)."""
    lookup = {}
    for language in ("en", "vi"):
        with translation.override(language):
            for value, label in AgencyKind.choices:
                lookup[fold(value)] = value
                lookup[fold(str(label))] = value
                lookup[_words(str(label))] = value
                lookup[fold(str(label).split(" (")[0])] = value
    # Each alternative of a label as clerks write it alone ("Tổ giúp việc"
    # for "Tổ giúp việc, tổ công tác"; "Huyện ủy"), never a one-word part
    # ("phường", "ban") nor one another kind already answers to.
    for value, label in AgencyKind.choices:
        for part in str(label).split(" (")[0].split(", "):
            if len(part.split()) > 1:
                lookup.setdefault(_words(part), value)
    return lookup


def parse_date(value, label: str, errors: list[str]):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(_("“%(label)s”: “%(value)s” không phải ngày dạng dd/mm/yyyy.") % {"label": label, "value": text})
    return None


def _check_email(value: str, errors: list[str]) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            errors.append(_("Thư điện tử “%(value)s” không hợp lệ.") % {"value": value})
    return value


def _check_length(values: dict, model, errors: list[str]):
    for key, value in values.items():
        if isinstance(value, str):
            max_length = model._meta.get_field(key).max_length
            if max_length and len(value) > max_length:
                label = model._meta.get_field(key).verbose_name
                errors.append(
                    _("“%(label)s” dài quá %(max)d ký tự.") % {"label": str(label).capitalize(), "max": max_length}
                )


def _check_province(raw, province: Province, errors: list[str]):
    text = _text(raw)
    if not text:
        return
    if fold(text) in {fold(province.name), fold(province.full_name), fold(province.code)}:
        return
    other = next(
        (p for p in Province.objects.all() if fold(text) in {fold(p.name), fold(p.full_name), fold(p.code)}), None
    )
    if other:
        errors.append(
            _("Dòng thuộc %(other)s, không thuộc %(mine)s: chỉ được nhập dữ liệu của tỉnh mình.")
            % {"other": other.full_name, "mine": province.full_name}
        )
    else:
        errors.append(_("Không có tỉnh “%(value)s” trong danh mục.") % {"value": text})


# --- Previews ----------------------------------------------------------------------


def build_preview(*, kind: str, province: Province, table: Table) -> Preview:
    keys = map_headers(table.headers, COLUMNS[kind])
    if kind == DirectoryImport.Kind.AGENCIES:
        rows = _preview_agencies(province, keys, table)
    else:
        rows = _preview_people(province, keys, table)
    for row in rows:
        if row.errors:
            row.action = "error"
    return Preview(kind=kind, province=province, rows=rows)


AGENCY_FIELDS = (
    "name", "short_name", "kind", "level", "locality", "email", "phone", "address", "active_from", "active_to",
    "electronic_id",
)  # fmt: skip
ELECTRONIC_ID = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)+$")
LEVEL_WORDS = {"tinh": Level.PROVINCE, "huyen": Level.DISTRICT, "xa": Level.COMMUNE}


def _level(text: str, errors: list[str]) -> str:
    """ "Cấp xã", "xã", "commune": blank leaves it to the kind."""
    if not text:
        return ""
    key = _words(text).removeprefix("cap ").strip()
    for value, label in Level.choices:
        if key in (value, _words(str(label)).removeprefix("cap ")):
            return value
    if key.split(" ")[0] in LEVEL_WORDS:
        return LEVEL_WORDS[key.split(" ")[0]]
    errors.append(_("Cấp “%(value)s” không hợp lệ: ghi Cấp tỉnh, Cấp huyện hoặc Cấp xã.") % {"value": text})
    return ""


def _preview_agencies(province, keys, table) -> list[RowResult]:
    existing = {
        a.code.upper(): a
        for a in Agency.objects.filter(province=province).select_related("parent").prefetch_related("successors")
    }
    kinds = _kind_lookup()
    results, seen = [], {}
    for line, cells in table.rows:
        raw = _row_values(keys, cells)
        errors: list[str] = []
        values = {
            "code": _text(raw.get("code")),
            "name": _text(raw.get("name")),
            "short_name": _text(raw.get("short_name")),
            "email": _check_email(_text(raw.get("email")), errors),
            "phone": _text(raw.get("phone")),
            "address": _text(raw.get("address")),
            "parent": _text(raw.get("parent")).upper(),
            "successor": [c for c in re.split(r"[;,\s]+", _text(raw.get("successor")).upper()) if c],
            "locality": _text(raw.get("locality")),
            "electronic_id": _text(raw.get("electronic_id")),
        }
        if not values["code"]:
            errors.append(_("Thiếu mã đơn vị."))
        elif values["code"].upper() in seen:
            errors.append(
                _("Mã đơn vị “%(code)s” trùng với dòng %(line)d.")
                % {"code": values["code"], "line": seen[values["code"].upper()]}
            )
        else:
            seen[values["code"].upper()] = line
        if values["code"].upper().startswith(EXAMPLE_PREFIX):
            errors.append(_example_message())
        if not values["name"]:
            errors.append(_("Thiếu tên đơn vị."))
        kind_text = _text(raw.get("kind"))
        values["kind"] = kinds.get(fold(kind_text)) or kinds.get(_words(kind_text), "")
        values["kind_label"] = str(AgencyKind(values["kind"]).label) if values["kind"] else kind_text
        if not kind_text:
            errors.append(_("Thiếu loại đơn vị."))
        elif not values["kind"]:
            errors.append(
                _(
                    "Loại đơn vị “%(value)s” không có trong danh mục (ví dụ hợp lệ: Sở, ban, ngành; Xã; Phường; Đặc "
                    "khu)."
                )
                % {"value": kind_text}
            )
        if values["electronic_id"] and not ELECTRONIC_ID.match(values["electronic_id"]):
            errors.append(
                _(
                    "Mã định danh điện tử “%(value)s” không hợp lệ: các nhóm chữ, số cách nhau bằng dấu chấm, "
                    "ví dụ 000.00.22.H36."
                )
                % {"value": values["electronic_id"]}
            )
        values["level"] = _level(_text(raw.get("level")), errors)
        values["active_from"] = parse_date(raw.get("active_from"), "Hoạt động từ ngày", errors)
        values["active_to"] = parse_date(raw.get("active_to"), "Hoạt động đến ngày", errors)
        if values["active_from"] and values["active_to"] and values["active_to"] < values["active_from"]:
            errors.append(_("Ngày kết thúc hoạt động trước ngày bắt đầu."))
        _check_province(raw.get("province"), province, errors)
        _check_length(
            {
                k: values[k]
                for k in ("code", "name", "short_name", "email", "phone", "address", "locality", "electronic_id")
            },
            Agency,
            errors,
        )
        results.append(RowResult(line=line, values=values, errors=errors))

    # The first row of a code is the one that counts (a repeat is an error).
    in_file: dict[str, RowResult] = {}
    for row in results:
        if row.values["code"]:
            in_file.setdefault(row.values["code"].upper(), row)
    codes_in_file = set(seen)
    for row in results:
        references = [("parent", row.values["parent"])] + [("successor", c) for c in row.values["successor"]]
        labels = {"parent": _("đơn vị cấp trên"), "successor": _("đơn vị kế thừa")}
        for ref, code in references:
            label = labels[ref]
            if not code:
                continue
            if code == row.values["code"].upper():
                row.errors.append(_("Mã %(label)s trùng với chính đơn vị.") % {"label": label})
            elif code not in codes_in_file and code not in existing:
                row.errors.append(
                    _("Không tìm thấy %(label)s có mã “%(code)s” trong tệp hay trong danh bạ của %(province)s.")
                    % {"label": label, "code": code, "province": province.full_name}
                )
        loop = _parent_loop(row.values["code"].upper(), in_file, existing) if row.values["code"] else []
        if loop and in_file[row.values["code"].upper()] is row:
            row.errors.append(_("Đơn vị cấp trên tạo thành vòng lặp: %(chain)s.") % {"chain": " → ".join(loop)})

    resolve = _Resolver(in_file, existing)
    for row in results:
        row.parent = resolve.ref(row.values["parent"])
        row.successors = [resolve.ref(code) for code in row.values["successor"]]
        row.level, row.level_source = resolve.level(row)
        if row.errors:
            continue
        current = existing.get(row.values["code"].upper())
        if current is None:
            row.action = "create"
            continue
        # The level compared is the one stored: a blank "Cấp" is the kind's
        # or the parent's, as saving the unit would make it.
        changes = [
            name
            for name in AGENCY_FIELDS
            if getattr(current, name) != (row.level if name == "level" else row.values[name])
        ]
        if (current.parent.code.upper() if current.parent else "") != row.values["parent"]:
            changes.append("parent")
        if sorted(a.code.upper() for a in current.successors.all()) != sorted(row.values["successor"]):
            changes.append("successors")
        row.changes = [str(Agency._meta.get_field(name).verbose_name) for name in changes]
        row.action = "update" if changes else "unchanged"
    return results


def _example_message() -> str:
    return _(
        "Dòng ví dụ của tệp mẫu (mã đơn vị bắt đầu bằng “%(prefix)s”): hãy xoá các dòng ví dụ rồi tải tệp lên lại."
    ) % {"prefix": EXAMPLE_PREFIX}


def _parent_code(code: str, in_file: dict, existing: dict) -> str:
    """The parent a unit will have once the file is applied."""
    if code in in_file:
        return in_file[code].values["parent"]
    agency = existing.get(code)
    return agency.parent.code.upper() if agency and agency.parent else ""


def _parent_loop(code: str, in_file: dict, existing: dict) -> list[str]:
    """The codes from `code` back to itself when its parents run in a circle
    (A under B, B under A): such a unit has no tier and no place in the tree."""
    chain, parent = [code], _parent_code(code, in_file, existing)
    while parent and parent not in chain:
        chain.append(parent)
        parent = _parent_code(parent, in_file, existing)
    # A unit that is its own parent is reported on its own.
    return [*chain, code] if parent == code and len(chain) > 1 else []


class _Resolver:
    """The parent, successors and tier of each row as they will be stored:
    a code of the file means that row (it is applied with the file), any
    other the unit already in the directory."""

    def __init__(self, in_file: dict[str, RowResult], existing: dict[str, Agency]):
        self.in_file, self.existing = in_file, existing
        self.levels: dict[str, tuple[str, str]] = {}

    def ref(self, code: str) -> Ref | None:
        if not code:
            return None
        if code in self.in_file:
            return Ref(code, self.in_file[code].values["name"], "file")
        if code in self.existing:
            return Ref(self.existing[code].code, self.existing[code].name, "directory")
        return Ref(code)

    def level(self, row: RowResult) -> tuple[str, str]:
        """(level, where it comes from): the file's "Cấp", or what saving
        the unit derives (Agency.derived_level's rule, `level_for`)."""
        if row.values["level"]:
            return row.values["level"], "file"
        if not row.values["kind"]:
            return "", ""
        code = row.values["code"].upper()
        # Kept per code for the rows that stand for it (a repeated code is an error).
        cached = self.in_file.get(code) is row
        if cached and code in self.levels:
            return self.levels[code]
        if cached:
            self.levels[code] = ("", "")  # a parent loop is an error of its own; stop here
        parent = row.values["parent"]
        asked = []

        def parent_level() -> str:
            asked.append(parent)
            return self.stored_level(parent) if parent and parent != code else ""

        level = level_for(row.values["kind"], parent_level)
        source = "kind" if not asked else "parent" if parent else "default"
        if cached:
            self.levels[code] = (level, source)
        return level, source

    def stored_level(self, code: str) -> str:
        if code in self.in_file:
            return self.level(self.in_file[code])[0]
        agency = self.existing.get(code)
        return (agency.level or agency.derived_level()) if agency else ""


PERSON_FIELDS = ("full_name", "position", "email", "phone", "is_focal_point")


def person_key(agency_id: int, full_name: str, email: str) -> tuple:
    """People are matched by e-mail when they have one, else by name within
    their agency: the key that makes a re-import update instead of add."""
    return ("email", email.lower()) if email else ("name", agency_id, fold(full_name))


def _preview_people(province, keys, table) -> list[RowResult]:
    agencies = {a.code.upper(): a for a in Agency.objects.filter(province=province)}
    existing = {}
    for person in Person.objects.filter(agency__province=province):
        existing.setdefault(person_key(person.agency_id, person.full_name, person.email), person)
    results, seen = [], {}
    for line, cells in table.rows:
        raw = _row_values(keys, cells)
        errors: list[str] = []
        values = {
            "full_name": _text(raw.get("full_name")),
            "position": _text(raw.get("position")),
            "email": _check_email(_text(raw.get("email")), errors),
            "phone": _text(raw.get("phone")),
            "agency": _text(raw.get("agency")).upper(),
        }
        focal = fold(_text(raw.get("is_focal_point")))
        if focal in TRUE_WORDS:
            values["is_focal_point"] = True
        elif focal in FALSE_WORDS:
            values["is_focal_point"] = False
        else:
            values["is_focal_point"] = False
            errors.append(_("Cột “Đầu mối CCHC” chỉ nhận “x” (có) hoặc để trống."))
        if not values["full_name"]:
            errors.append(_("Thiếu họ và tên."))
        agency = agencies.get(values["agency"])
        values["agency_name"] = agency.name if agency else ""
        if not values["agency"]:
            errors.append(_("Thiếu mã đơn vị."))
        elif values["agency"].startswith(EXAMPLE_PREFIX):
            errors.append(_example_message())
        elif agency is None:
            errors.append(
                _(
                    "Không tìm thấy đơn vị có mã “%(code)s” trong danh bạ của %(province)s; hãy nhập danh sách đơn "
                    "vị trước."
                )
                % {"code": values["agency"], "province": province.full_name}
            )
        _check_province(raw.get("province"), province, errors)
        _check_length({k: values[k] for k in ("full_name", "position", "email", "phone")}, Person, errors)
        row = RowResult(line=line, values=values, errors=errors)
        results.append(row)
        if agency is None or not values["full_name"]:
            continue
        key = person_key(agency.pk, values["full_name"], values["email"])
        if key in seen:
            errors.append(_("Cán bộ này trùng với dòng %(line)d.") % {"line": seen[key]})
            continue
        seen[key] = line
        if errors:
            continue
        current = existing.get(key)
        if current is None:
            row.action = "create"
            continue
        changes = [name for name in PERSON_FIELDS if getattr(current, name) != values[name]]
        if current.agency_id != agency.pk:
            changes.append("agency")
        row.changes = [str(Person._meta.get_field(name).verbose_name) for name in changes]
        row.action = "update" if changes else "unchanged"
    return results
