"""The first sheet of an uploaded spreadsheet, read in a child process.

calamine lays a sheet out as one dense block from A1 to its last cell, in
Rust, before Python sees a row: a 2 kB file with one cell in A1 and one in
ZZ200000 asks for gigabytes, and a failed allocation aborts the whole
process. So the web worker never reads a spreadsheet itself:
core.spreadsheets.first_sheet_rows runs this file as a script, with the
file on standard input, and the child caps its own memory and CPU time
before it reads anything, refuses a sheet larger than the bounds it is
given, and answers with the cells as JSON (`encode_rows`). If it is killed
on the way, the parent says the file is too large; nothing else is lost.

Standard library and python_calamine only: no Django here."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import zipfile


class CellError(str):
    """An Excel error value ("#DIV/0!", "#N/A"): the formula behind the cell
    failed. calamine hands such cells over as blanks, which a reader would
    take for "no value"; the readers see this instead and name the cell."""


# --- Cells as JSON: the child's answer, and what an import keeps of its file -------------------


def _encode(value):
    if isinstance(value, CellError):
        return {"e": str(value)}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"td": value.total_seconds()}
    return value


def _decode(value):
    if not isinstance(value, dict):
        return value
    if "e" in value:
        return CellError(value["e"])
    if "dt" in value:
        return dt.datetime.fromisoformat(value["dt"])
    if "d" in value:
        return dt.date.fromisoformat(value["d"])
    if "t" in value:
        return dt.time.fromisoformat(value["t"])
    return dt.timedelta(seconds=value["td"])


# Most cells are numbers, texts and blanks, which JSON holds as they are: only
# the others go through a function call (a 340,000-cell sheet saves a quarter
# of a second each way).
_PLAIN = frozenset({float, int, str, bool, type(None)})


def encode_rows(rows: list[list]) -> list[list]:
    """Rows of cells as JSON can hold them (dates, times and error cells tagged)."""
    plain = _PLAIN
    return [[value if value.__class__ in plain else _encode(value) for value in row] for row in rows]


def decode_rows(rows: list[list]) -> list[list]:
    return [[_decode(value) if value.__class__ is dict else value for value in row] for row in rows]


# --- Reading ---------------------------------------------------------------------------------------

_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>.*?<v>([^<]*)</v>', re.S)


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - 64)
    return index - 1


def xlsx_errors(data: bytes) -> dict[tuple[int, int], str]:
    """(row, column) → error text of the first sheet's error cells, read
    from the sheet's XML (only .xlsx keeps them as such)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            first = re.search(r'<sheet [^>]*r:id="([^"]+)"', book)
            rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            target = (
                re.search(rf'<Relationship [^>]*Id="{first.group(1)}"[^>]*Target="([^"]+)"', rels) if first else None
            )
            path = target.group(1).lstrip("/") if target else "worksheets/sheet1.xml"
            path = path if path.startswith("xl/") else f"xl/{path}"
            if path not in names:
                return {}
            xml = archive.read(path)
    except (zipfile.BadZipFile, KeyError, AttributeError):
        return {}
    if b't="e"' not in xml:  # the usual sheet: no error cell, no regular expression over it all
        return {}
    return {
        (int(row) - 1, _column_index(column)): value.decode("utf-8", "replace")
        for column, row, value in _ERROR_CELL.findall(xml)
    }


def read(data: bytes, *, max_rows: int, max_columns: int, max_cells: int) -> dict:
    """{"rows": [...]} (encoded), or {"error": "unreadable"} or
    {"error": "too_large", "rows": n, "columns": m}."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            sheet = book.get_sheet_by_index(0)
            end = sheet.end
            height, width = (end[0] + 1, end[1] + 1) if end else (0, 0)
            if height > max_rows or width > max_columns or height * width > max_cells:
                return {"error": "too_large", "rows": height, "columns": width}
            rows = sheet.to_python(skip_empty_area=False) if end else []
        finally:
            book.close()
    except (CalamineError, ValueError, IndexError):
        return {"error": "unreadable"}
    if data[:2] == b"PK":  # an .xlsx keeps its error cells in the sheet's XML
        for (row, column), value in xlsx_errors(data).items():
            if row < len(rows) and column < len(rows[row]) and rows[row][column] == "":
                rows[row][column] = CellError(value)
    return {"rows": encode_rows(rows)}


def main() -> None:
    import resource

    bounds = json.loads(sys.argv[1])
    memory, seconds = bounds.pop("memory"), bounds.pop("seconds")
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    answer = read(sys.stdin.buffer.read(), **bounds)
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    main()
