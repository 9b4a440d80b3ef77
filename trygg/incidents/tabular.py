"""Reading a spreadsheet of incidents, CSV or XLSX, row by row, with no Django.

Municipal spreadsheets come in every shape: UTF-8 with or without a byte-order mark, Windows-1252
from older systems, UTF-16 from Excel's "Unicode text", semicolons from Swedish Excel, title rows
above the header (IMY's template "Sammanställning över brott och incidenter" has them). A `Table`
finds the encoding, the delimiter and the header row once, then streams the rows as often as it is
asked, so a file of 100 000 rows never sits in memory.

Problems with the file as a whole raise `FileProblem`, whose message is Swedish (marked for
translation with the no-op `_`; the Django layer translates it).
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from trygg.core.csv_export import restore
from trygg.incidents.i18n import _

# How far into a file we look for its header row and its delimiter.
HEADER_SEARCH_ROWS = 30
SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024

XLSX_MAGIC = b"PK\x03\x04"

# Limits against small files that expand into huge work (issue 15: a 293 KB .xlsx with ten million
# cells in one row took the server past 4 GB). No register export comes near them.
MAX_COLUMNS = 200
MAX_XLSX_UNPACKED_BYTES = 300 * 1024 * 1024
# Spreadsheets pack 5–20 to 1; a file that unpacks 100-fold and to more than 10 MB is built to expand.
MAX_XLSX_PACKING_RATIO = 100
RATIO_APPLIES_FROM_BYTES = 10 * 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format


class FileProblem(Exception):
    """The file cannot be read at all; `template % params` is the Swedish message."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(template % params if params else template)
        self.template = template
        self.params = params


Cell = Any  # str, int, float, datetime.date, datetime.datetime, datetime.time or None


@dataclass
class Table:
    """A readable table: its header row and a way to stream the data rows below it."""

    headers: list[str]
    header_row: int  # 1-based, as a spreadsheet program numbers rows
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    _open_rows: Callable[[], Iterator[list[Cell]]] = field(default=lambda: iter(()), repr=False)

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """(row number, cells) for every row below the header, empty rows included."""
        for number, cells in enumerate(self._open_rows(), start=1):
            if number > self.header_row:
                yield number, cells


def is_empty(cells: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


#
# Encoding and delimiter
#


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else Latin-1.

    The whole file is checked as UTF-8 in chunks, since a Windows-1252 "å" may first appear on
    row 50 000; Windows-1252 leaves five bytes undefined, and a file with them is read as Latin-1.
    """
    with path.open("rb") as handle:
        start = handle.read(4)
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        for encoding in ("utf-8", "cp1252"):
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := handle.read(CHUNK_BYTES):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    return "latin-1"


def detect_delimiter(sample: str) -> str:
    """The delimiter of the first lines: semicolon (Swedish Excel), tab, comma or pipe.

    Counts each candidate outside quotes in the first non-empty lines and takes the one that occurs
    most often and in the same number on each line; a tie goes to the semicolon.
    """
    lines = [line for line in sample.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()][:10]
    if not lines:
        return ";"
    best, best_score = ";", (-1, -1)
    for candidate in (";", "\t", ",", "|"):
        counts = [_count_outside_quotes(line, candidate) for line in lines]
        consistent = sum(1 for c in counts if c == counts[0] and c > 0)
        score = (consistent, max(counts))
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score[1] > 0 else ";"


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            count += 1
    return count


#
# Opening a file
#


def open_table(path: Path, filename: str, is_header: Callable[[list[str]], bool]) -> Table:
    """Open `path` (uploaded as `filename`) as a table; `is_header` recognises the header row.

    The header is the first row among the first 30 that `is_header` accepts, else the first
    non-empty row. Raises `FileProblem` for an unreadable or empty file.
    """
    path = Path(path)
    with path.open("rb") as handle:
        magic = handle.read(8)
    if not magic:
        raise FileProblem(_("Filen är tom."))
    suffix = Path(filename).suffix.lower()
    if magic.startswith(OLE2_MAGIC) or suffix == ".xls":
        raise FileProblem(
            _(
                "Filen är i det gamla Excel-formatet (.xls), som Trygg inte läser. "
                "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx) eller som CSV."
            )
        )
    if magic.startswith(XLSX_MAGIC) or suffix in {".xlsx", ".xlsm"}:
        return _open_xlsx(path, is_header)
    if suffix not in {".csv", ".txt", ".tsv", ""}:
        raise FileProblem(
            _("Filtypen %(suffix)s kan inte läsas. Ladda upp en CSV-fil eller en Excel-arbetsbok (.xlsx)."),
            suffix=suffix,
        )
    return _open_csv(path, is_header)


def _find_header(first_rows: list[list[Cell]], is_header: Callable[[list[str]], bool]) -> tuple[int, list[str]]:
    texts = [[_header_text(c) for c in row] for row in first_rows]
    for number, row in enumerate(texts, start=1):
        if is_header(row):
            return number, row
    for number, row in enumerate(texts, start=1):
        if any(row):
            return number, row
    raise FileProblem(_("Filen innehåller inga rader med data."))


def _header_text(cell: Cell) -> str:
    if cell is None:
        return ""
    return re.sub(r"\s+", " ", str(cell)).strip()


TOO_MANY_COLUMNS = _(
    "Rad %(row)s i filen har %(count)s kolumner; högst %(max)s går. Ta bort tomma kolumner till höger och försök igen."
)


def _limit_columns(rows: Iterator[list[Cell]]) -> Iterator[list[Cell]]:
    """The rows, refusing one with more than MAX_COLUMNS cells (trailing empty cells are not counted)."""
    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS:
            while row and row[-1] in (None, ""):
                row.pop()
            if len(row) > MAX_COLUMNS:
                raise FileProblem(TOO_MANY_COLUMNS, row=number, count=len(row), max=MAX_COLUMNS)
        yield row


def _check_packing(path: Path) -> None:
    """Refuse an .xlsx that unpacks to far more than a spreadsheet does, before opening it."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileProblem(BROKEN_XLSX, error=type(error).__name__) from error
    packed = max(path.stat().st_size, 1)
    if unpacked > MAX_XLSX_UNPACKED_BYTES or (
        unpacked > RATIO_APPLIES_FROM_BYTES and unpacked > MAX_XLSX_PACKING_RATIO * packed
    ):
        raise FileProblem(
            _(
                "Excel-filen packas upp till %(unpacked)s MB, mycket mer än en vanlig arbetsbok "
                "(högst %(max)s MB och högst %(ratio)s gånger filens storlek). Spara bara bladet med "
                "händelserna, eller exportera det som CSV."
            ),
            unpacked=unpacked // (1024 * 1024),
            max=MAX_XLSX_UNPACKED_BYTES // (1024 * 1024),
            ratio=MAX_XLSX_PACKING_RATIO,
        )


def _open_csv(path: Path, is_header: Callable[[list[str]], bool]) -> Table:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
    if "\x00" in sample:
        raise FileProblem(_("Filen verkar inte vara en textfil (CSV). Ladda upp en CSV-fil eller en Excel-arbetsbok."))
    delimiter = detect_delimiter(sample)

    def open_rows() -> Iterator[list[Cell]]:
        with path.open(encoding=encoding, newline="") as handle:
            try:
                # A cell Trygg's own CSV export neutralised ("'-", "'=…") reads back as it was written,
                # so the rejected rows can be fixed and imported again.
                reader = csv.reader(handle, delimiter=delimiter)
                for number, row in enumerate(reader, start=1):
                    if len(row) > MAX_COLUMNS:
                        while row and not row[-1]:
                            row.pop()
                        if len(row) > MAX_COLUMNS:
                            raise FileProblem(TOO_MANY_COLUMNS, row=number, count=len(row), max=MAX_COLUMNS)
                    yield [restore(cell) for cell in row]
            except csv.Error as error:
                if "field larger than field limit" in str(error):
                    raise FileProblem(
                        _(
                            "En cell i CSV-filen är längre än %(max)s tecken. Kontrollera att filen verkligen är "
                            "en CSV-fil och att citattecknen i den är parade."
                        ),
                        max=csv.field_size_limit(),
                    ) from error
                # The csv module's own words are English and technical: say where, in Swedish.
                raise FileProblem(
                    _(
                        "CSV-filen kunde inte läsas vid rad %(line)s. Kontrollera att den är en CSV-fil och att "
                        "citattecknen i den är parade."
                    ),
                    line=reader.line_num,
                ) from error

    first: list[list[Cell]] = []
    for row in open_rows():
        first.append(row)
        if len(first) >= HEADER_SEARCH_ROWS:
            break
    header_row, headers = _find_header(first, is_header)
    return Table(headers, header_row, "csv", encoding=encoding, delimiter=delimiter, _open_rows=open_rows)


BROKEN_XLSX = _(
    "Excel-filen kunde inte läsas; den verkar vara skadad eller inte en riktig .xlsx-fil (%(error)s). "
    "Öppna den i Excel och spara den på nytt som Excel-arbetsbok (.xlsx), eller exportera den som CSV."
)


def _open_xlsx(path: Path, is_header: Callable[[list[str]], bool]) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError, ParseError, EOFError)

    _check_packing(path)

    def open_rows() -> Iterator[list[Cell]]:
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except broken as error:
            raise FileProblem(BROKEN_XLSX, error=type(error).__name__) from error
        try:
            sheet = workbook.active or workbook.worksheets[0]
            # Read-only mode trusts the sheet's declared size, and some export tools declare
            # <dimension ref="A1"/> for a full sheet: forget it and read the rows that are there.
            sheet.reset_dimensions()
            yield from _limit_columns(list(row) for row in sheet.iter_rows(values_only=True))
        except broken as error:
            raise FileProblem(BROKEN_XLSX, error=type(error).__name__) from error
        finally:
            workbook.close()

    first: list[list[Cell]] = []
    for row in open_rows():
        first.append(row)
        if len(first) >= HEADER_SEARCH_ROWS:
            break
    header_row, headers = _find_header(first, is_header)
    return Table(headers, header_row, "xlsx", _open_rows=open_rows)
