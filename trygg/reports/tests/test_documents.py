"""The report's documents: DOCX and PDF carry the same tables, the CLI answers in Swedish, custom
templates are checked, and characters the PDF/A fonts cannot draw are named before locking."""

from __future__ import annotations

import io

import docx
import pytest

from trygg.reports import services
from trygg.reports.models import BoardReport
from trygg.reports.tests.test_board_report import normalise, pdf_text


@pytest.fixture
def report(demo_users):
    return BoardReport.objects.get(case_number="KS 2024/0123")


def docx_tables(content: bytes) -> list[list[list[str]]]:
    """Each table of the DOCX body as rows of cell texts (the signature table has no heading row)."""
    tables = docx.Document(io.BytesIO(content)).tables
    return [[[normalise(cell.text) for cell in row.cells] for row in table.rows] for table in tables]


def test_docx_and_pdf_carry_the_same_tables(report):
    context, document = services.draft_parts(report)
    docx_found = docx_tables(services.render_docx(context, document))
    pdf = pdf_text(services.render_pdf(context, document))
    headings = [table[0] for table in docx_found]
    year_table = docx_found[headings.index(["Datum", "I drift", "Målvärde för året"])]
    # The year table: one row a year end and one for the report date, as the figure shows.
    assert year_table[1:] == [
        [on.isoformat(), str(value), str(dict(context.targets).get(on.year, "–"))] for on, value in context.series
    ]
    assert ["2024-10-29", "8", "11"] in year_table
    assert ["Typ av plats", "Antal i drift"] in headings and ["Område", "Antal i drift"] in headings
    # Every row of every DOCX table with a heading is in the PDF, in the same order, and the PDF has no
    # table heading the DOCX lacks.
    position = 0
    for table in docx_found:
        if table[0] not in (
            ["Datum", "I drift", "Målvärde för året"],
            ["Typ av plats", "Antal i drift"],
            ["Område", "Antal i drift"],
        ):
            continue
        for row in table:
            position = pdf.index(" ".join(row), position)
    for caption in ("Tabell 1. Kameror i drift vid varje årsskifte", "Tabell 2. Kameror i drift den 29 oktober 2024"):
        assert caption in pdf
        assert caption in normalise(
            " ".join(p.text for p in docx.Document(io.BytesIO(services.render_docx(context, document))).paragraphs)
        )
    assert pdf.count("Målvärde för året") == 1
