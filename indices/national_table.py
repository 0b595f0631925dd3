"""National tables as ministries publish them and offices copy them: one
line per province (and index), a score and a rank, often the previous
year's beside them, in CSV, XLSX, XLS or ODS, with headers in Vietnamese or
English ("Tỉnh, thành phố", "Chỉ số PAR INDEX 2024", "Xếp hạng 2023",
"Province", "Rank").

The reader finds the header line, tells each column's part (province, year,
index, score, rank, total, source) and the year and index a column names,
pairs each rank with its score, matches provinces by name (agencies.provinces)
and checks every cell. It writes nothing: the preview says per line what
would be added, changed (old → new) or left, and the service writes all of
it or nothing.

A province's own page reads the same tables, limited to the province: a line
naming another province is refused, saying so."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from agencies.models import Province
from agencies.provinces import ProvinceIndex
from core.exceptions import ImportFileError
from core.formatting import vn_date
from core.text import fold

from .excel import Checked, Problem
from .models import NationalIndex, NationalResult
from .scoring import parse_score

FIRST_YEAR = 2012  # the Ministry's first PAR INDEX

# The indices the portal knows from its first migrate (indices.apps); names
# by which tables and offices write them.
KNOWN_INDICES = (
    # code, name, full name, publisher, unit, maximum, decimals, names in tables
    (
        "par",
        "PAR INDEX",
        "Chỉ số cải cách hành chính",
        "Bộ Nội vụ",
        "points",
        100,
        2,
        ("par index", "par", "parindex", "chi so cai cach hanh chinh", "chi so cchc"),
    ),
    (
        "sipas",
        "SIPAS",
        "Chỉ số hài lòng về sự phục vụ hành chính",
        "Bộ Nội vụ",
        "percent",
        100,
        2,
        ("sipas", "chi so hai long", "chi so hai long ve su phuc vu hanh chinh"),
    ),
    (
        "papi",
        "PAPI",
        "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh",
        "UNDP, CECODES",
        "points",
        80,
        2,
        ("papi", "chi so hieu qua quan tri va hanh chinh cong"),
    ),
    (
        "pci",
        "PCI",
        "Chỉ số năng lực cạnh tranh cấp tỉnh",
        "VCCI",
        "points",
        100,
        2,
        ("pci", "chi so nang luc canh tranh", "chi so nang luc canh tranh cap tinh"),
    ),
    (
        "dti",
        "DTI",
        "Chỉ số chuyển đổi số cấp tỉnh",
        "Bộ Khoa học và Công nghệ",
        "points",
        1,
        4,
        ("dti", "chi so chuyen doi so", "chi so chuyen doi so cap tinh"),
    ),
)
INDEX_ALIASES = {alias: code for code, *_rest, aliases in KNOWN_INDICES for alias in aliases}


def ensure_indices(index_model) -> None:
    """Write the known indices an install lacks; never change one."""
    present = set(index_model.objects.values_list("code", flat=True))
    index_model.objects.bulk_create(
        [
            index_model(
                code=code,
                name=name,
                full_name=full,
                publisher=publisher,
                unit=unit,
                maximum=maximum,
                decimals=decimals,
                order=order,
            )
            for order, (code, name, full, publisher, unit, maximum, decimals, _aliases) in enumerate(KNOWN_INDICES)
            if code not in present
        ]
    )


# --- Headers ------------------------------------------------------------------------------------

PROVINCE_HEADERS = {
    "tinh",
    "tinh thanh pho",
    "tinh tp",
    "ten tinh",
    "ten tinh thanh pho",
    "dia phuong",
    "ten dia phuong",
    "don vi",
    "ten don vi",
    "province",
    "provinces",
    "province city",
    "locality",
}
YEAR_HEADERS = {"nam", "nam danh gia", "year"}
INDEX_HEADERS = {"chi so", "loai chi so", "ten chi so", "index", "index name"}
RANK_WORDS = ("xep hang", "thu hang", "vi tri", "rank", "ranking", "hang")
TOTAL_HEADERS = {
    "tren tong so",
    "tren tong so tinh",
    "tren tong so tinh thanh pho",
    "tong so tinh",
    "tong so tinh thanh pho",
    "so tinh thanh pho",
    "tong so",
    "out of",
}
SOURCE_WORDS = ("van ban", "quyet dinh", "nguon", "source", "cong van")
# "Tăng/giảm điểm", "Thay đổi thứ hạng", "Change": derived, left aside.
CHANGE = re.compile(r"\b(tang giam|tang hoac giam|thay doi|chenh lech|bien dong|change)\b")
SCORE_WORDS = ("diem", "ket qua", "gia tri", "score", "value", "chi so", "index")
YEAR_IN_HEADER = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _words(text) -> str:
    """A header as plain lower-case words: "Tỉnh, thành phố" -> "tinh thanh pho"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(text))).split())


def _index_in(words: str) -> str | None:
    """The index a header or a cell names ("Chỉ số PAR INDEX 2024" -> par)."""
    bare = YEAR_IN_HEADER.sub("", words).strip()
    if bare in INDEX_ALIASES:
        return INDEX_ALIASES[bare]
    for alias, code in sorted(INDEX_ALIASES.items(), key=lambda item: -len(item[0])):
        if len(alias) > 3 and re.search(rf"\b{re.escape(alias)}\b", bare):
            return code
    for alias in ("par", "sipas", "papi", "pci", "dti"):
        if re.search(rf"\b{alias}\b", bare):
            return alias
    return None


@dataclass
class Column:
    number: int
    part: str  # province, year, index, score, rank, total, source
    header: str
    year: int | None = None
    index: str | None = None
    weight: int = 0  # among several score columns of one year and index, the total's


@dataclass
class Measure:
    """A score column with its rank and total: one result per line."""

    score: Column
    rank: Column | None = None


def _classify(values: list) -> list[Column]:
    columns = []
    for number, value in enumerate(values):
        words = _words(value)
        if not words:
            continue
        year_match = YEAR_IN_HEADER.search(words)
        year = int(year_match.group(1)) if year_match else None
        bare = YEAR_IN_HEADER.sub("", words).strip()
        if CHANGE.search(bare):
            continue  # "Tăng/giảm điểm so với năm 2023": computed from the results, never stored
        if bare in PROVINCE_HEADERS or (bare.startswith("tinh ") and "diem" not in bare):
            columns.append(Column(number, "province", str(value)))
        elif bare in YEAR_HEADERS:
            columns.append(Column(number, "year", str(value)))
        elif bare in INDEX_HEADERS and year is None:
            columns.append(Column(number, "index", str(value)))
        elif bare in TOTAL_HEADERS:
            columns.append(Column(number, "total", str(value)))
        elif any(bare.startswith(word) for word in SOURCE_WORDS):
            columns.append(Column(number, "source", str(value)))
        elif any(re.search(rf"\b{word}\b", bare) for word in RANK_WORDS):
            columns.append(Column(number, "rank", str(value), year, _index_in(bare)))
        elif any(re.search(rf"\b{word}\b", bare) for word in SCORE_WORDS) or _index_in(bare):
            index = _index_in(bare)
            weight = 2 if index or "chi so" in bare or "tong" in bare or "ket qua" in bare else 1
            columns.append(Column(number, "score", str(value), year, index, weight))
    return columns


def _header(rows: list[list]) -> tuple[int, list[Column]]:
    if not rows:
        raise ImportFileError(_("Tệp trống: không có dòng nào để nhập."))
    for line, values in enumerate(rows[:30], start=1):
        columns = _classify(values)
        parts = {c.part for c in columns}
        if "score" in parts and ("province" in parts or "year" in parts):
            return line, columns
    raise ImportFileError(
        _(
            "Không thấy dòng tiêu đề: bảng cần một cột kết quả (“Điểm”, “Kết quả” hoặc tên chỉ số) và một cột "
            "tỉnh, thành phố (“Tỉnh, thành phố”) hoặc cột “Năm”, như bảng Bộ Nội vụ công bố hoặc bảng tải từ "
            "trang này."
        )
    )


def _measures(columns: list[Column]) -> list[Measure]:
    """Each score column with the rank beside it. Among several score columns
    of one year and index (a table with its components), the total's: the one
    naming the index, "Chỉ số", "Tổng" or "Kết quả"."""
    scores = [c for c in columns if c.part == "score"]
    best: dict[tuple, Column] = {}
    for column in scores:
        key = (column.year, column.index)
        held = best.get(key)
        if held is None or column.weight > held.weight:
            best[key] = column
        elif column.weight == held.weight:
            raise ImportFileError(
                _("Không rõ cột nào là kết quả: “%(one)s” hay “%(other)s”. Ghi rõ năm hoặc tên chỉ số ở tiêu đề cột.")
                % {"one": held.header, "other": column.header}
            )
    chosen = sorted(best.values(), key=lambda c: c.number)
    measures = [Measure(score) for score in chosen]
    for rank in (c for c in columns if c.part == "rank"):
        same = [
            m
            for m in measures
            if m.rank is None
            and (rank.year is None or m.score.year in (rank.year, None))
            and rank.index in (None, m.score.index)
        ]
        before = [m for m in same if m.score.number < rank.number]
        target = before[-1] if before else (same[0] if same else None)
        if target is not None:
            target.rank = rank
    return measures


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class TableRow:
    line: int
    province: Province
    index: str
    year: int
    values: dict  # score, rank, out_of, source
    current: NationalResult | None = None
    index_name: str = ""
    written: str = ""  # the province as the file writes it, when not its name

    @property
    def action(self) -> str:
        if self.current is None:
            return "create"
        same = all(getattr(self.current, key) == value for key, value in self.values.items())
        return "unchanged" if same else "update"

    @property
    def action_label(self) -> str:
        return {"create": _("Thêm mới"), "update": _("Cập nhật"), "unchanged": _("Không đổi")}[self.action]

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(what, old, new) for each value an update changes."""
        if self.current is None:
            return []
        labels = {"score": _("kết quả"), "rank": _("xếp hạng"), "out_of": _("tổng số"), "source": _("văn bản")}
        return [
            (labels[key], getattr(self.current, key), value)
            for key, value in self.values.items()
            if getattr(self.current, key) != value
        ]


@dataclass(kw_only=True)
class TablePreview(Checked):
    rows: list[TableRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def provinces(self) -> int:
        return len({row.province.pk for row in self.rows})


def _cell(line: int, number: int) -> str:
    return f"{get_column_letter(number + 1)}{line}"


def _shown(raw) -> str:
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else str(raw).replace(".", ",")
    return str(raw).strip()


def _leading_number(raw) -> str:
    """A total as written: 63, "63", "63 tỉnh" all give "63"."""
    match = re.match(r"\s*(\d+)", _shown(raw))
    return match.group(1) if match else _shown(raw)


def _blank(raw) -> bool:
    return raw is None or str(raw).strip() in ("", "-", "–", "—")


def _whole(raw) -> int:
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


def read(
    rows: list[list],
    *,
    year: int | None = None,
    index: str | None = None,
    only: Province | None = None,
) -> TablePreview:
    """Check a published table's rows; writes nothing. `year` and `index` are
    what the uploader chose for columns that do not say; `only` limits the
    table to one province (its own page)."""
    header_line, columns = _header(rows)
    measures = _measures(columns)
    by_part = {c.part: c for c in columns if c.part not in ("score", "rank")}
    indices = {i.code: i for i in NationalIndex.objects.all()}
    if index is not None and index not in indices:
        raise ImportFileError(_("Chỉ số “%(value)s” không có trong danh mục.") % {"value": index})
    if "province" not in by_part and only is None:
        raise ImportFileError(_("Thiếu cột tỉnh, thành phố (“Tỉnh, thành phố”)."))
    if all(m.score.year is None for m in measures) and year is None and "year" not in by_part:
        raise ImportFileError(
            _(
                "Không rõ năm của kết quả: ghi năm ở tiêu đề cột (“Điểm 2024”, “Xếp hạng 2024”), "
                "thêm cột “Năm”, hoặc chọn năm khi tải lên."
            )
        )
    if all(m.score.index is None for m in measures) and index is None and "index" not in by_part:
        raise ImportFileError(
            _("Không rõ chỉ số: ghi tên chỉ số ở tiêu đề cột (“PAR INDEX”), thêm cột “Chỉ số”, hoặc chọn khi tải lên.")
        )
    this_year = timezone.localdate().year
    known = ProvinceIndex(Province.objects.all())
    names = ", ".join(i.name for i in indices.values())
    preview = TablePreview()
    seen: dict[tuple, int] = {}

    for line, values in enumerate(rows[header_line:], start=header_line + 1):

        def cell(column: Column | None, values=values):
            if column is None or column.number >= len(values):
                return ""
            return values[column.number]

        def problem(column: Column | None, message: str, line=line):
            preview.problems.append(Problem(_cell(line, column.number) if column else str(line), message))

        if all(_blank(v) for v in values):
            continue
        if all(_blank(cell(m.score)) and _blank(cell(m.rank)) for m in measures):
            continue  # a heading or a note inside the table ("Vùng Tây Bắc")
        # The province.
        province_column = by_part.get("province")
        if province_column is not None:
            name = str(cell(province_column)).strip()
            province = known.find(name)
            if province is None:
                near = known.closest(name)
                problem(
                    province_column,
                    (
                        _("không thấy tỉnh, thành phố “%(name)s”; có phải: %(names)s?")
                        if near
                        else _("không thấy tỉnh, thành phố “%(name)s”.")
                    )
                    % {"name": name, "names": ", ".join(near)},
                )
                continue
            if only is not None and province.pk != only.pk:
                problem(
                    province_column,
                    _(
                        "dòng này là kết quả của %(other)s, không phải của %(own)s: bảng của mọi tỉnh, thành phố "
                        "nhập ở trang “Bảng xếp hạng toàn quốc”."
                    )
                    % {"other": province.full_name, "own": only.full_name},
                )
                continue
        else:
            province = only
        # The year and index a line gives for columns that do not say.
        line_year, line_index = year, index
        if "year" in by_part and _blank(cell(by_part["year"])) and year is None:
            problem(by_part["year"], _("chưa ghi năm."))
            continue
        if "year" in by_part and not _blank(cell(by_part["year"])):
            raw = cell(by_part["year"])
            try:
                line_year = _whole(raw)
                if not FIRST_YEAR <= line_year <= this_year:
                    raise ValueError
            except ValueError:
                problem(
                    by_part["year"],
                    _("năm “%(value)s” không hợp lệ (từ %(first)s đến %(last)s).")
                    % {"value": _shown(raw), "first": FIRST_YEAR, "last": this_year},
                )
                continue
        if "index" in by_part:
            raw = cell(by_part["index"])
            if _blank(raw) and index is None:
                problem(by_part["index"], _("chưa ghi chỉ số."))
                continue
            line_index = _index_in(_words(raw)) if not _blank(raw) else index
            if line_index is None or line_index not in indices:
                problem(
                    by_part["index"],
                    _("chỉ số “%(value)s” không rõ: ghi %(names)s.") % {"value": _shown(raw), "names": names},
                )
                continue
        source = " ".join(_shown(cell(by_part.get("source"))).split()) if "source" in by_part else None
        if source and len(source) > NationalResult._meta.get_field("source").max_length:
            problem(by_part["source"], _("văn bản công bố dài quá 255 ký tự."))
            continue
        for measure in measures:
            result_year = measure.score.year or line_year
            code = measure.score.index or line_index
            if result_year is None or code is None:
                continue
            measure_index = indices.get(code)
            if measure_index is None:
                problem(measure.score, _("chỉ số “%(value)s” chưa có trong danh mục.") % {"value": code})
                continue
            raw_score, raw_rank = cell(measure.score), cell(measure.rank)
            if _blank(raw_score) and _blank(raw_rank):
                continue  # a year this province was not ranked (merged, or not yet)
            before = len(preview.problems)
            if not FIRST_YEAR <= result_year <= this_year:
                problem(
                    measure.score,
                    _("năm %(year)s không hợp lệ (từ %(first)s đến %(last)s).")
                    % {"year": result_year, "first": FIRST_YEAR, "last": this_year},
                )
                continue
            if province.active_to and result_year >= province.active_to.year and province.successor_id:
                problem(
                    province_column or measure.score,
                    _(
                        "%(name)s đã hợp nhất vào %(successor)s từ ngày %(day)s: năm %(year)s không còn xếp hạng "
                        "riêng; ghi kết quả cho %(successor)s."
                    )
                    % {
                        "name": province.full_name,
                        "successor": province.successor.full_name,
                        "day": vn_date(province.active_to + dt.timedelta(days=1)),
                        "year": result_year,
                    },
                )
                continue
            score = raw_score.strip().rstrip("%").strip() if isinstance(raw_score, str) else raw_score
            if measure_index.is_percent and isinstance(score, float) and 0 < score <= 1:
                score *= 100  # "81,51%" typed into Excel is kept as 0.8151
            try:
                value = parse_score(score, measure_index.decimals)
            except ValueError as error:
                problem(measure.score, str(error))
                value = None
            else:
                if value is None:
                    problem(measure.score, _("chưa ghi kết quả (ô xếp hạng có ghi)."))
                elif not Decimal(0) <= value <= measure_index.maximum:
                    problem(
                        measure.score,
                        _("kết quả %(value)s của %(index)s phải từ 0 đến %(maximum)s.")
                        % {
                            "value": _shown(raw_score),
                            "index": measure_index.name,
                            "maximum": _shown(float(measure_index.maximum)),
                        },
                    )
            out_of = NationalResult.provinces_in(result_year)
            written_total = cell(by_part.get("total"))
            if not _blank(written_total) and _leading_number(written_total) != str(out_of):
                problem(
                    by_part["total"],
                    _("năm %(year)s xếp hạng trên %(expected)s tỉnh, thành phố, không phải %(value)s.")
                    % {"year": result_year, "expected": out_of, "value": _shown(written_total)},
                )
            rank = None
            if not _blank(raw_rank):
                rank_text = raw_rank
                if isinstance(rank_text, str) and "/" in rank_text:  # "56/63", as reports write it
                    rank_text, _slash, written = rank_text.partition("/")
                    if written.strip() != str(out_of):
                        problem(
                            measure.rank,
                            _("năm %(year)s xếp hạng trên %(expected)s tỉnh, thành phố, không phải %(value)s.")
                            % {"year": result_year, "expected": out_of, "value": written.strip()},
                        )
                        continue
                try:
                    rank = _whole(rank_text)
                    if rank < 1:
                        raise ValueError
                except ValueError:
                    problem(
                        measure.rank,
                        _("xếp hạng “%(value)s” phải là số nguyên dương.") % {"value": _shown(raw_rank)},
                    )
                else:
                    if rank > out_of:
                        problem(
                            measure.rank,
                            _("xếp hạng %(rank)s lớn hơn số tỉnh, thành phố năm %(year)s (%(out_of)s).")
                            % {"rank": rank, "year": result_year, "out_of": out_of},
                        )
            if len(preview.problems) > before:
                continue
            key = (province.pk, code, result_year)
            if key in seen:
                problem(
                    province_column or measure.score,
                    _("%(index)s năm %(year)s của %(name)s đã có ở dòng %(line)s.")
                    % {"index": measure_index.name, "year": result_year, "name": province.name, "line": seen[key]},
                )
                continue
            seen[key] = line
            values_ = {"score": value, "rank": rank, "out_of": out_of}
            if source is not None:
                values_["source"] = source
            written = str(cell(province_column)).strip() if province_column is not None else ""
            preview.rows.append(
                TableRow(
                    line,
                    province,
                    code,
                    result_year,
                    values_,
                    index_name=measure_index.name,
                    written=written if written != province.name else "",
                )
            )
    if not preview.rows and not preview.problems:
        preview.problems.append(Problem("", _("Bảng không có dòng kết quả nào.")))
    _attach_current(preview)
    return preview


def _attach_current(preview: TablePreview) -> None:
    """What is on record for each line, in one query."""
    if not preview.rows:
        return
    years = {row.year for row in preview.rows}
    provinces = {row.province.pk for row in preview.rows}
    current = {
        (r.province_id, r.index, r.year): r
        for r in NationalResult.public.filter(year__in=years, province_id__in=provinces)
    }
    for row in preview.rows:
        row.current = current.get((row.province.pk, row.index, row.year))
