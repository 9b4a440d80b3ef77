"""Opening spreadsheets: encodings, delimiters, title rows, broken and wrong files (pure, no database)."""

# Spreadsheet cells and incident times are local wall-clock times, without a zone, by design.
# ruff: noqa: DTZ001

from __future__ import annotations

import datetime as dt

import pytest

from trygg.incidents.parsing import looks_like_header
from trygg.incidents.tabular import FileProblem, detect_delimiter, is_empty, open_table
from trygg.incidents.tests.files import DAMAGE_HEADERS, IMY_HEADERS, IMY_TITLE, write_csv, write_xlsx

ROWS = [IMY_HEADERS, ["2024-03-05", "22:15", "Kvisthamraskolan", "Klotter på väggen, skadegörelse", "Ja"]]


def rows_of(table):
    return [(number, cells) for number, cells in table.rows()]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encodings_are_detected_and_å_ä_ö_survive(tmp_path, encoding, detected):
    path = write_csv(tmp_path / "f.csv", ROWS, encoding=encoding)
    table = open_table(path, "f.csv", looks_like_header)
    assert table.encoding == detected
    assert table.headers == IMY_HEADERS
    assert rows_of(table)[0][1][3] == "Klotter på väggen, skadegörelse"


def test_windows_1252_late_in_a_long_file_is_still_found(tmp_path):
    rows = [IMY_HEADERS] + [["2024-03-05", "22:15", "Kvisthamraskolan", "Klotter", "Nej"]] * 30_000
    rows.append(["2024-03-06", "23:00", "Kvisthamraskolan", "Krossad ruta i matsalen", "Nej"])
    path = write_csv(tmp_path / "f.csv", rows, encoding="cp1252")
    table = open_table(path, "f.csv", looks_like_header)
    assert table.encoding == "cp1252"
    assert list(table.rows())[-1][1][3] == "Krossad ruta i matsalen"


def test_bytes_undefined_in_windows_1252_are_read_as_latin_1(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(";".join(IMY_HEADERS).encode("latin-1") + b"\r\n2024-03-05;22;Kvisthamraskolan;\x81 \xe5;Nej\r\n")
    assert open_table(path, "f.csv", looks_like_header).encoding == "latin-1"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiters(tmp_path, delimiter):
    path = write_csv(tmp_path / "f.csv", ROWS, delimiter=delimiter)
    table = open_table(path, "f.csv", looks_like_header)
    assert table.delimiter == delimiter
    assert rows_of(table)[0][1][2] == "Kvisthamraskolan"


def test_decimal_commas_do_not_fool_the_delimiter_detection():
    sample = "Skadedatum;Kostnad;Beskrivning\r\n2024-03-05;12 500,50;Krossad ruta, matsalen\r\n2024-03-06;1 000,00;Klotter\r\n"
    assert detect_delimiter(sample) == ";"


def test_title_rows_above_the_header_are_skipped_and_row_numbers_are_the_spreadsheets(tmp_path):
    rows = [
        IMY_TITLE,
        ["Norrtälje kommun"],
        [],
        IMY_HEADERS,
        ROWS[1],
        [],
        ["2024-03-06", "", "Rodengymnasiet", "Inbrott", "Nej"],
    ]
    for path in (write_csv(tmp_path / "f.csv", rows), write_xlsx(tmp_path / "f.xlsx", rows)):
        table = open_table(path, path.name, looks_like_header)
        assert table.header_row == 4 and table.headers == IMY_HEADERS
        numbered = rows_of(table)
        assert [n for n, _c in numbered] == [5, 6, 7]
        assert is_empty(numbered[1][1]) and not is_empty(numbered[0][1])


def test_xlsx_cells_keep_their_types(tmp_path):
    rows = [
        DAMAGE_HEADERS,
        [
            dt.datetime(2024, 3, 1),
            dt.time(16),
            dt.datetime(2024, 3, 4, 7),
            "Kvisthamraskolan",
            "Klotter",
            "",
            12500.5,
            None,
        ],
    ]
    table = open_table(write_xlsx(tmp_path / "f.xlsx", rows), "f.xlsx", looks_like_header)
    assert table.file_format == "xlsx"
    cells = rows_of(table)[0][1]
    assert cells[0] == dt.datetime(2024, 3, 1) and cells[1] == dt.time(16) and cells[6] == 12500.5


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 this is no workbook", "skador.xlsx", "Excel-filen kunde inte läsas"),
        (b"\x00\x01\x02 not even a zip", "skador.xlsx", "Excel-filen kunde inte läsas"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "skador.xls", "gamla Excel-formatet (.xls)"),
        (b"", "skador.csv", "Filen är tom"),
        (b"\r\n;;\r\n", "skador.csv", "inga rader med data"),
        (b"%PDF-1.7", "skador.pdf", "Filtypen .pdf kan inte läsas"),
    ],
)
def test_files_that_cannot_be_read_say_why(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileProblem) as error:
        open_table(path, name, looks_like_header)
    assert message in str(error.value)


def test_a_truncated_xlsx_says_it_is_broken(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", ROWS).read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good[: len(good) // 2])
    with pytest.raises(FileProblem, match="skadad"):
        open_table(broken, "broken.xlsx", looks_like_header)
