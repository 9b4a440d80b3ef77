"""Spreadsheets as municipalities send them, made on the fly for the tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

IMY_TITLE = ["Sammanställning över brott och incidenter"]
IMY_HEADERS = ["Datum", "Klockslag", "Plats", "Vad som hänt", "Polisanmälan"]
DAMAGE_HEADERS = ["Skadedatum", "Tid från", "Tid till", "Objekt", "Skadetyp", "Beskrivning", "Kostnad", "K-nummer"]


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ";") -> Path:
    path.write_bytes(csv_bytes(rows, encoding, delimiter))
    return path


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    path.write_bytes(xlsx_bytes(rows))
    return path
