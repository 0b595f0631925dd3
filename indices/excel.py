"""Results as spreadsheets: the template a province fills in (one sheet,
one row per agency, one column per criterion, fields grouped above their
criteria, maxima under the names), its import, and the export of the
ranking as its page shows it, with every criterion's score beside.

An import is read and checked in full before anything is written; every
problem is tied to its cell ("Ô E9") in Vietnamese. Writing is one
transaction: scores are upserted (PostgreSQL: COPY into a temporary table,
then one INSERT … ON CONFLICT), then totals are summed by the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from agencies.models import Agency
from agencies.selectors import Lineage
from core.exceptions import ImportFileError
from core.formatting import vn_date, vn_number
from core.spreadsheets import fill_table, first_sheet_rows, saved
from core.text import fold

from . import analysis, selectors
from .models import Assessment, Criterion, Framework, Score
from .scoring import check_score, parse_score
from .selectors import SUBJECT_KINDS, covered_agencies

CODE_HEADER = "Mã đơn vị"
NAME_HEADER = "Tên đơn vị"
MAXIMUM_LABEL = "Điểm tối đa"
FIXED = ("STT", CODE_HEADER, NAME_HEADER)
MAX_ERRORS_SHOWN = 300

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="DDE7F3")
FIELD = PatternFill("solid", fgColor="EEF3F9")
LOCKED = PatternFill("solid", fgColor="F2F2F2")


_UNSEEN = object()


# --- Writing ------------------------------------------------------------------------------------


def workbook(framework: Framework, province, *, with_results: bool, round: str = Score.Round.APPRAISED) -> bytes:
    """The template (agencies the framework covers, no scores) or the results
    (every scored agency with its scores, field totals, total and rank)."""
    book = Workbook()
    sheet = book.active
    sheet.title = (_("Kết quả") if with_results else _("Mẫu nhập điểm"))[:31]
    results = list(selectors.ranking(framework, province, round=round)) if with_results else None
    _score_sheet(sheet, framework, province, results=results, round=round)
    return saved(book)


def _score_sheet(sheet, framework: Framework, province, *, results: list[Assessment] | None, round: str) -> None:
    """One row per agency, one column per criterion under its field, maxima
    above: the covered agencies, blank (`results` None), or `results` in
    their order with their scores, field totals, total and rank."""
    with_results = results is not None
    leaves = selectors.leaves(framework)
    fields = selectors.fields(framework)
    by_field: dict[str, list[Criterion]] = {}
    for leaf in leaves:
        by_field.setdefault(leaf.field_code, []).append(leaf)
    last_col = len(FIXED) + len(leaves) + (len(fields) + 2 if with_results else 0)
    title = _("KẾT QUẢ %(name)s NĂM %(year)s — TỈNH %(province)s") % {
        "name": framework.name.upper(),
        "year": framework.year,
        "province": province.name.upper(),
    }
    sheet.cell(1, 1, title).font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(last_col, 12))
    sheet.cell(
        2,
        1,
        _(
            "Điền điểm vào các ô trắng (dấu phẩy hay dấu chấm thập phân đều được: 85,97 hoặc 85.97). "
            "Ô để trống giữ nguyên điểm đã có. Không sửa mã đơn vị và dòng mã tiêu chí."
        ),
    ).font = Font(italic=True, size=10)
    # Row 4: fields over their criteria; row 5: codes (what the import reads); 6: names; 7: maxima.
    header = 5
    for col, label in enumerate(FIXED, start=1):
        sheet.cell(header, col, label)
    col = len(FIXED) + 1
    columns: dict[int, Criterion] = {}
    for field_ in fields:
        members = by_field.get(field_.code, [])
        if not members:
            continue
        sheet.cell(4, col, f"{field_.code}. {field_.name}").fill = FIELD
        if len(members) > 1:
            sheet.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + len(members) - 1)
        for leaf in members:
            sheet.cell(header, col, leaf.code)
            sheet.cell(header + 1, col, leaf.name)
            sheet.cell(header + 2, col, float(leaf.maximum))
            columns[col] = leaf
            col += 1
    if with_results:
        for field_ in fields:
            sheet.cell(header, col, _("Lĩnh vực %(code)s") % {"code": field_.code})
            sheet.cell(header + 2, col, float(field_.maximum))
            col += 1
        sheet.cell(header, col, _("Tổng điểm"))
        sheet.cell(header + 2, col, float(framework.maximum))
        sheet.cell(header, col + 1, _("Xếp hạng"))
    sheet.cell(header + 2, 3, MAXIMUM_LABEL)
    for row in range(4, header + 3):
        for c in range(1, last_col + 1):
            cell = sheet.cell(row, c)
            cell.border, cell.alignment = BOX, Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.font = Font(bold=row != header + 1, size=10)
            if row != 4:
                cell.fill = HEAD
    first = header + 3
    if with_results:
        values = _values([a.pk for a in results], round)
        totals = selectors.field_totals([a.pk for a in results], round=round)
        for n, assessment in enumerate(results, start=1):
            line = [n, assessment.agency.code, assessment.agency.name]
            line += [_number(values.get((assessment.pk, c.pk))) for c in columns.values()]
            line += [_number(totals.get(assessment.pk, {}).get(f.code)) for f in fields]
            line += [_number(assessment.score), assessment.rank]
            sheet.append(line)
    else:
        for n, agency in enumerate(covered_agencies(framework, province).order_by("kind", "name"), start=1):
            sheet.append([n, agency.code, agency.name])
    for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row, max_col=last_col):
        for cell in row:
            cell.border = BOX
            if cell.column <= len(FIXED):
                cell.fill = LOCKED
            elif isinstance(cell.value, float):
                cell.number_format = "0.00"
    sheet.freeze_panes = sheet.cell(first, len(FIXED) + 1)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 38
    for c in range(len(FIXED) + 1, last_col + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 11
    sheet.row_dimensions[header + 1].height = 75


def ranking_xlsx(
    framework: Framework, province, rows: list[Assessment], *, fields, previous: Framework | None, round: str
) -> bytes:
    """The ranking as its page shows it (`rows` from analysis.ranking_rows,
    searched and sorted as there): rank, unit, field totals, total, the
    result of the year before and the change since, the largest losses.
    A second sheet holds the same units' score on every criterion."""
    book = Workbook()
    header = [_("Hạng"), _("Mã đơn vị"), _("Đơn vị")]
    header += [_("Lĩnh vực %(code)s") % {"code": f.code} for f in fields]
    header.append(_("Tổng điểm"))
    if previous:
        year = {"year": previous.year}
        header += [_("Điểm năm %(year)s") % year, _("Hạng năm %(year)s") % year, _("Tăng, giảm điểm"),
                   _("Tăng, giảm bậc")]  # fmt: skip
    header += [_("Ghi chú"), _("Mất điểm nhiều nhất")]
    lines = []
    for row in rows:
        line = [row.rank, row.agency.code, row.agency.name, *row.fields, row.score]
        if previous:
            line += [row.before_score, row.before_rank, row.score_change, row.rank_change]
        line += [_ranking_note(row), "\n".join(_loss_text(loss) for loss in row.losses)]
        lines.append(line)
    fill_table(book.active, title=_("Xếp hạng"), header=header, rows=lines)
    _score_sheet(book.create_sheet(_("Điểm từng tiêu chí")), framework, province, results=rows, round=round)
    return saved(book)


def _ranking_note(row) -> str:
    """What the ranking prints beside a unit: its former name compared
    with, its predecessors' results, a result outside its period, who
    carries it on."""
    notes = []
    if row.renamed_from:
        notes.append(_("so với %(name)s (trước đổi tên)") % {"name": row.renamed_from.agency.name})
    for stood in row.stood:
        notes.append(
            _("%(name)s (%(before)s): %(total)s, hạng %(rank)s")
            % {
                "name": stood.agency.name,
                "before": analysis.before_words(stood.relative.kind),
                "total": vn_number(stood.total, 2),
                "rank": stood.rank,
            }
        )
    if row.period_note:
        notes.append(row.period_note)
    if row.successors:
        names = "; ".join(successor.agency.name for successor in row.successors)
        notes.append(_("Đơn vị kế thừa: %(names)s") % {"names": names})
    return "\n".join(notes)


def _loss_text(loss) -> str:
    text = f"{loss.code} −{vn_number(loss.lost, 2)}"
    if loss.responsible:
        text += f" ({loss.responsible.short_name or loss.responsible.name})"
    return text


def _values(assessment_ids, round) -> dict[tuple[int, int], Decimal]:
    return {
        (a, c): v
        for a, c, v in Score.objects.filter(assessment_id__in=assessment_ids, round=round).values_list(
            "assessment_id", "criterion_id", "value"
        )
    }


def _number(value):
    return float(value) if value is not None else None


def filename(framework: Framework, province, *, with_results: bool) -> str:
    kind = "ket-qua" if with_results else "mau-nhap-diem"
    return f"{kind}-{framework.code.lower()}-{framework.year}-{province.code}.xlsx"


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class Problem:
    cell: str
    message: str
    agency: str = ""

    def __str__(self):
        return (
            _("Ô %(cell)s: %(message)s") % {"cell": self.cell, "message": self.message} if self.cell else self.message
        )


@dataclass
class AgencyRow:
    line: int
    agency: Agency
    values: dict[int, Decimal]  # criterion id → score
    blanks: int = 0
    current_total: Decimal | None = None

    @property
    def file_total(self) -> Decimal:
        return sum(self.values.values(), Decimal("0"))


@dataclass(kw_only=True)
class Checked:
    """What reading a sheet found: the rows it would write and every problem
    by cell. Nothing is written unless it is ok."""

    rows: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


@dataclass(kw_only=True)
class Preview(Checked):
    framework: Framework
    round: str
    rows: list[AgencyRow] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return sum(len(row.values) for row in self.rows)

    @property
    def blanks(self) -> int:
        return sum(row.blanks for row in self.rows)

    @property
    def shown_problems(self) -> list[Problem]:
        return self.problems[:MAX_ERRORS_SHOWN]


def _cell(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _code_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read(framework: Framework, province, data: bytes, *, round: str = Score.Round.APPRAISED) -> Preview:
    """Read and check a filled-in sheet; writes nothing."""
    return read_rows(framework, province, first_sheet_rows(data), round=round)


def read_rows(framework: Framework, province, rows: list[list], *, round: str = Score.Round.APPRAISED) -> Preview:
    """Check a sheet's rows as read once at upload (core.spreadsheets.first_sheet_rows); writes nothing."""
    return _read_sheet(framework, province, rows, round)


def _outside_year(agency: Agency, year: int, lineage: Lineage) -> str:
    """Why a unit has no result in `year`, and whose result it is instead."""
    day = selectors.year_end(year)
    if agency.active_from and agency.active_from > day:
        others = lineage.predecessors_on(agency, day)
        text = _("đơn vị “%(name)s” hoạt động từ %(day)s, không có kết quả năm %(year)s") % {
            "name": agency.name,
            "day": vn_date(agency.active_from),
            "year": year,
        }
    else:
        others = lineage.successors_on(agency, day)
        text = _("đơn vị “%(name)s” thôi hoạt động từ %(day)s, không có kết quả năm %(year)s") % {
            "name": agency.name,
            "day": vn_date(agency.active_to + dt.timedelta(days=1)),
            "year": year,
        }
    if others:
        text += _("; kết quả năm %(year)s nhập cho: %(names)s") % {
            "year": year,
            "names": ", ".join(r.agency.name for r in others),
        }
    return text + "."


def _read_sheet(framework, province, sheet_rows: list[list], round) -> Preview:
    preview = Preview(framework=framework, round=round)
    rows = iter(sheet_rows)
    header_line, header = 0, None
    for line, values in enumerate(rows, start=1):
        if values and any(fold(str(v or "")) == fold(CODE_HEADER) for v in values):
            header_line, header = line, values
            break
        if line >= 20:
            break
    if header is None:
        raise ImportFileError(
            _("Không thấy dòng tiêu đề có cột “%(code)s”: hãy dùng tệp mẫu tải từ cổng.") % {"code": CODE_HEADER}
        )
    folded = [fold(str(v or "")) for v in header]
    code_col = folded.index(fold(CODE_HEADER))
    by_code = {c.code: c for c in framework.criteria.all()}
    leaf_ids = set(framework.criteria.filter(children__isnull=True).values_list("pk", flat=True))
    columns: dict[int, Criterion] = {}
    for index, value in enumerate(header):
        text = _code_text(value)
        if index <= code_col or not text or fold(text) in (fold(NAME_HEADER), "stt"):
            continue
        criterion = by_code.get(text)
        if criterion is None:
            if any(ch.isdigit() for ch in text[:1]):
                preview.problems.append(
                    Problem(
                        _cell(header_line, index + 1),
                        _("mã tiêu chí “%(code)s” không có trong %(framework)s.")
                        % {"code": text, "framework": framework},
                    )
                )
            else:
                preview.ignored_columns.append(text)
        elif criterion.pk in leaf_ids:
            if criterion in columns.values():
                preview.problems.append(
                    Problem(_cell(header_line, index + 1), _("tiêu chí %(code)s có hai cột.") % {"code": text})
                )
            columns[index] = criterion
        else:
            preview.ignored_columns.append(text)  # a field's total: computed, never read
    if not columns:
        raise ImportFileError(_("Dòng tiêu đề không có mã tiêu chí nào của %(framework)s.") % {"framework": framework})
    read_ids = {c.pk for c in columns.values()}
    preview.missing_columns = [c.code for c in framework.criteria.filter(pk__in=leaf_ids - read_ids).order_by("order")]

    agencies = Agency.objects.filter(province=province, kind__in=SUBJECT_KINDS[framework.subject])
    by_agency_code = {fold(a.code): a for a in agencies}
    seen: dict[int, int] = {}
    # A year's results belong to the units of its directory (selectors.year_end).
    day, lineage = selectors.year_end(framework.year), None
    # A sheet repeats a few scores 340,000 times: each distinct cell value is
    # parsed once (`known`), and checked once against each maximum (`fits`,
    # shared by the columns of that maximum), so a good cell costs one lookup.
    known: dict[tuple, Decimal | None] = {}
    by_maximum: dict[Decimal, dict[tuple, Decimal]] = {}
    cells = [
        (index, criterion, criterion.pk, by_maximum.setdefault(criterion.maximum, {}))
        for index, criterion in columns.items()
    ]
    width = max(columns) + 1
    for line, values in enumerate(rows, start=header_line + 1):
        if not values or code_col >= len(values):
            continue
        raw_code = values[code_col]
        code = _code_text(raw_code)
        if not code:
            continue
        agency = by_agency_code.get(fold(code))
        if agency is None:
            preview.problems.append(
                Problem(
                    _cell(line, code_col + 1),
                    _("không có đơn vị mã “%(code)s” thuộc đối tượng %(subject)s của tỉnh %(province)s trong danh bạ.")
                    % {"code": code, "subject": framework.get_subject_display().lower(), "province": province.name},
                )
            )
            continue
        if not agency.active_on(day):
            lineage = lineage or Lineage(province.pk)
            preview.problems.append(Problem(_cell(line, code_col + 1), _outside_year(agency, framework.year, lineage)))
            continue
        if agency.pk in seen:
            preview.problems.append(
                Problem(
                    _cell(line, code_col + 1),
                    _("đơn vị “%(name)s” đã có ở dòng %(line)s.") % {"name": agency.name, "line": seen[agency.pk]},
                )
            )
            continue
        seen[agency.pk] = line
        if len(values) < width:
            values = [*values, *[None] * (width - len(values))]
        scores: dict[int, Decimal] = {}
        blanks = 0
        for index, criterion, criterion_id, fits in cells:
            raw = values[index]
            key = (raw.__class__, raw)  # 1 and 1.0 and "1" are told apart
            value = fits.get(key)
            if value is not None:
                scores[criterion_id] = value
                continue
            # Seen first under this maximum, or blank, or wrong.
            value = known.get(key, _UNSEEN)
            if value is _UNSEEN:
                try:
                    value = known[key] = parse_score(raw)
                except ValueError as error:
                    preview.problems.append(Problem(_cell(line, index + 1), str(error), agency.name))
                    continue
            if value is None:
                blanks += 1
            elif value < 0 or value > criterion.maximum:
                preview.problems.append(Problem(_cell(line, index + 1), check_score(value, criterion), agency.name))
            else:
                scores[criterion_id] = fits[key] = value
        row = AgencyRow(line=line, agency=agency, values=scores, blanks=blanks)
        if row.values:  # a row left blank changes nothing and is not counted
            preview.rows.append(row)
    if not preview.rows and not preview.problems:
        preview.problems.append(
            Problem("", _("Tệp không có dòng đơn vị nào (cột “%(code)s” trống).") % {"code": CODE_HEADER})
        )
    current = dict(
        Assessment.objects.filter(framework=framework, agency_id__any=list(seen)).values_list(
            "agency_id", "total" if round == Score.Round.APPRAISED else "self_total"
        )
    )
    for row in preview.rows:
        row.current_total = current.get(row.agency.pk)
    return preview
