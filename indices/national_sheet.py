"""The province's national results (PAR INDEX and SIPAS as the Ministry
publishes them) as a table: the sheet to fill in, which is also the export
of the results so far, and its import.

Offices keep these figures in a small sheet of their own, one line per year
and index; the import takes that sheet as people write it ("56/63" in the
rank column, "81,51%" for SIPAS, "Par Index"), checks every cell, shows what
each line will add or change, and writes all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.exceptions import ImportFileError
from core.spreadsheets import first_sheet_rows, saved
from core.text import fold

from .excel import BOX, HEAD, Checked, Problem
from .models import IndexKind, NationalResult
from .scoring import parse_score

FIRST_YEAR = 2012  # the Ministry's first PAR INDEX
COLUMNS = (  # (field, header the template writes, other headers people use)
    ("year", "Năm", ()),
    ("index", "Chỉ số", ("Loại chỉ số",)),
    ("score", "Kết quả", ("Điểm", "Điểm số", "Kết quả (điểm/%)")),
    ("rank", "Xếp hạng", ("Thứ hạng", "Vị trí")),
    ("out_of", "Trên tổng số", ("Tổng số tỉnh", "Số tỉnh, thành phố")),
    ("source", "Văn bản công bố", ("Văn bản", "Quyết định", "Nguồn")),
)
LABELS = {key: label for key, label, _aliases in COLUMNS}
REQUIRED = ("year", "index", "score", "rank")
INDEX_NAMES = {
    "par index": IndexKind.PAR,
    "par": IndexKind.PAR,
    "parindex": IndexKind.PAR,
    "chi so cai cach hanh chinh": IndexKind.PAR,
    "sipas": IndexKind.SIPAS,
    "chi so hai long": IndexKind.SIPAS,
}
FIELDS = ("score", "rank", "out_of", "source")


@dataclass
class NationalRow:
    line: int
    values: dict
    current: NationalResult | None = None

    @property
    def action(self) -> str:
        if self.current is None:
            return "create"
        same = all(getattr(self.current, key) == self.values[key] for key in FIELDS if key in self.values)
        return "unchanged" if same else "update"

    @property
    def action_label(self) -> str:
        return {"create": _("Thêm mới"), "update": _("Cập nhật"), "unchanged": _("Không đổi")}[self.action]


@dataclass(kw_only=True)
class NationalPreview(Checked):
    rows: list[NationalRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


# --- Writing ------------------------------------------------------------------------------------


def workbook(province) -> bytes:
    """The table with the province's results so far (headers alone when none)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Kết quả toàn quốc")
    sheet.cell(1, 1, _("KẾT QUẢ PAR INDEX VÀ SIPAS CỦA TỈNH %(name)s") % {"name": province.name.upper()}).font = Font(
        bold=True, size=13
    )
    sheet.cell(
        2,
        1,
        _(
            "Mỗi dòng một năm và một chỉ số. Chỉ số ghi PAR INDEX hoặc SIPAS; xếp hạng ghi 56 "
            "(hoặc 56/63); tổng số là 63 đến năm 2024, 34 từ năm 2025."
        ),
    ).font = Font(italic=True, size=10)
    header = 4
    for col, (_key, label, _aliases) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(header, col, label)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for result in NationalResult.objects.filter(province=province).order_by("year", "index"):
        sheet.append(
            [result.year, result.get_index_display(), float(result.score), result.rank, result.out_of, result.source]
        )
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
        sheet.cell(sheet.max_row, 3).number_format = "0.00"
    for col, width in enumerate((8, 13, 11, 11, 13, 48), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    return saved(book)


def filename(province) -> str:
    return f"ket-qua-toan-quoc-{province.code}.xlsx"


# --- Reading ------------------------------------------------------------------------------------


def _cell(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row}"


def _shown(raw) -> str:
    """A cell as the person sees it in Excel: 2010, 55,5 (not 2010.0, 55.5)."""
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else str(raw).replace(".", ",")
    return str(raw).strip()


def _whole(raw) -> int:
    """A count as Excel stores it (56.0) or as typed ("56", "05")."""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError
        return int(raw)
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text.isdigit():
        raise ValueError
    return int(text)


def _headers(rows: list[list]) -> tuple[int, dict[str, int]]:
    names = {fold(label): key for key, label, aliases in COLUMNS for label in (label, *aliases)}
    for number, values in enumerate(rows[:20], start=1):
        found = {names[fold(str(v))]: i for i, v in enumerate(values) if fold(str(v)) in names}
        if "year" in found and "index" in found:
            return number, found
    raise ImportFileError(_("Không thấy dòng tiêu đề có cột “Năm” và “Chỉ số”: hãy dùng bảng tải từ trang này."))


def read(province, data: bytes) -> NationalPreview:
    """Read and check the table; writes nothing."""
    return read_rows(province, first_sheet_rows(data))


def read_rows(province, rows: list[list]) -> NationalPreview:
    """Check the table's rows as read once at upload; writes nothing."""
    header_line, columns = _headers(rows)
    missing = [LABELS[key] for key in REQUIRED if key not in columns]
    if missing:
        raise ImportFileError(_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    preview = NationalPreview()
    seen: dict[tuple, int] = {}
    this_year = timezone.localdate().year
    for line, values in enumerate(rows[header_line:], start=header_line + 1):
        cells = {key: (values[col] if col < len(values) else "") for key, col in columns.items()}
        if all(str(v).strip() == "" for v in cells.values()):
            continue
        problems_before = len(preview.problems)

        def problem(key, message, line=line):
            preview.problems.append(Problem(_cell(line, columns[key]), message))

        row: dict = {}
        for key in REQUIRED:
            if str(cells[key]).strip() == "":
                problem(key, _("chưa ghi %(what)s.") % {"what": LABELS[key].lower()})
        if len(preview.problems) > problems_before:
            continue
        try:
            row["year"] = _whole(cells["year"])
            if not FIRST_YEAR <= row["year"] <= this_year:
                raise ValueError
        except ValueError:
            problem(
                "year",
                _("năm “%(value)s” không hợp lệ (từ %(first)s đến %(last)s).")
                % {"value": _shown(cells["year"]), "first": FIRST_YEAR, "last": this_year},
            )
        row["index"] = INDEX_NAMES.get(fold(str(cells["index"])))
        if row["index"] is None:
            problem(
                "index", _("chỉ số “%(value)s” không rõ: ghi PAR INDEX hoặc SIPAS.") % {"value": _shown(cells["index"])}
            )
        score = str(cells["score"]).strip().rstrip("%") if isinstance(cells["score"], str) else cells["score"]
        if row["index"] == IndexKind.SIPAS and isinstance(score, float) and 0 < score <= 1:
            score *= 100  # "81,51%" typed into Excel is stored as 0.8151
        try:
            row["score"] = parse_score(score)
            if row["score"] is None:
                problem("score", _("chưa ghi kết quả."))
            elif not Decimal("0") <= row["score"] <= Decimal("100"):
                problem("score", _("kết quả %(value)s phải từ 0 đến 100.") % {"value": _shown(cells["score"])})
        except ValueError as error:
            problem("score", str(error))
        rank_text, out_of_raw = cells["rank"], cells.get("out_of", "")
        out_of_key = "out_of" if "out_of" in columns else "rank"  # the cell a wrong total is blamed on
        if isinstance(rank_text, str) and "/" in rank_text:  # "56/63", as reports write it
            rank_text, _slash, written_out_of = rank_text.partition("/")
            if str(out_of_raw).strip() == "":
                out_of_raw, out_of_key = written_out_of, "rank"
            elif _shown(out_of_raw) != written_out_of.strip():
                problem(
                    "rank",
                    _("xếp hạng ghi “%(rank)s” nhưng cột tổng số ghi %(out_of)s.")
                    % {"rank": cells["rank"], "out_of": _shown(out_of_raw)},
                )
        try:
            row["rank"] = _whole(rank_text)
            if row["rank"] < 1:
                raise ValueError
        except ValueError:
            problem("rank", _("xếp hạng “%(value)s” phải là số nguyên dương.") % {"value": _shown(cells["rank"])})
        if "year" in row and len(preview.problems) == problems_before:
            expected = NationalResult.provinces_in(row["year"])
            try:
                row["out_of"] = _whole(out_of_raw) if str(out_of_raw).strip() != "" else expected
            except ValueError:
                problem(out_of_key, _("tổng số “%(value)s” phải là số nguyên.") % {"value": _shown(out_of_raw)})
            else:
                if row["out_of"] != expected:
                    problem(
                        out_of_key,
                        _("năm %(year)s xếp hạng trên %(expected)s tỉnh, thành phố, không phải %(value)s.")
                        % {"year": row["year"], "expected": expected, "value": row["out_of"]},
                    )
                elif row["rank"] > row["out_of"]:
                    problem(
                        "rank",
                        _("xếp hạng %(rank)s lớn hơn tổng số %(out_of)s.")
                        % {"rank": row["rank"], "out_of": row["out_of"]},
                    )
        if "source" in columns:  # without the column, what is on record stays
            row["source"] = " ".join(str(cells["source"]).split())
        if len(row.get("source", "")) > NationalResult._meta.get_field("source").max_length:
            problem("source", _("văn bản công bố dài quá 255 ký tự."))
        if len(preview.problems) > problems_before:
            continue
        key = (row["year"], row["index"])
        if key in seen:
            problem(
                "year",
                _("%(index)s năm %(year)s đã có ở dòng %(line)s.")
                % {"index": IndexKind(row["index"]).label, "year": row["year"], "line": seen[key]},
            )
            continue
        seen[key] = line
        preview.rows.append(NationalRow(line=line, values=row))
    if not preview.rows and not preview.problems:
        preview.problems.append(Problem("", _("Bảng không có dòng kết quả nào.")))
    current = {(r.year, r.index): r for r in NationalResult.objects.filter(province=province)}
    for row in preview.rows:
        row.current = current.get((row.values["year"], row.values["index"]))
    return preview
