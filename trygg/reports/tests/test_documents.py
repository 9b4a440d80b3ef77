"""The report's documents: DOCX and PDF carry the same tables, the CLI answers in Swedish, custom
templates are checked, and characters the PDF/A fonts cannot draw are named before locking."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import docx
import pytest
from django.core.management import CommandError, call_command

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


#
# The command line answers every wrong argument in Swedish.
#


def run_report(*arguments: str) -> str:
    out = io.StringIO()
    call_command("report", *arguments, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--out", "X"], "Ange --as-of, dagen uppgifterna gäller, som ÅÅÅÅ-MM-DD"),
        (["--as-of", "2024-10-29"], "Ange --out, mappen filerna ska skrivas i."),
        (["--as-of", "29/10/2024", "--out", "X"], "--as-of: ”29/10/2024” är inget datum. Skriv ÅÅÅÅ-MM-DD"),
        (["--as-of", "2024-02-30", "--out", "X"], "--as-of: ”2024-02-30” är inget datum."),
        (["--as-of", "1999-12-31", "--out", "X"], "--as-of: året 1999 ligger utanför 2000–2100."),
        (["--as-of", "2024-10-29", "--out", "X", "--frozen-version", "nio"], "”nio” är inget versionsnummer"),
        (["--as-of", "2024-10-29", "--out", "X", "--frozen-version", "0"], "”0” är inget versionsnummer"),
        (
            ["--as-of", "2024-10-29", "--out", "X", "--frozen-version", "9"],
            "--frozen-version: KS 2024/0123 har ingen version 9. Låsta versioner: inga.",
        ),
        (
            ["--as-of", "2031-06-30", "--out", "X", "--frozen-version", "1"],
            "--frozen-version: det finns inget sparat tjänsteutlåtande för 2031",
        ),
        (["--as-of", "2024-10-29", "--out", "X", "--case", "KS 1999/1"], "inget tjänsteutlåtande har diarienummer"),
        (["--as-of", "2024-10-29", "--out", "X", "--format", "odt"], "”odt” är inget känt format. Välj något av"),
        (["--as-of", "2024-10-29", "--out", "X", "--year", "2024"], "Okänt argument: --year 2024."),
        (["--as-of"], "Argumentet --as-of saknar värde."),
    ],
)
def test_the_command_refuses_a_wrong_argument_in_swedish(report, tmp_path, arguments, message):
    arguments = [str(tmp_path / "ut") if value == "X" else value for value in arguments]
    with pytest.raises(CommandError) as refused:
        run_report(*arguments)
    assert message in str(refused.value)
    assert not (tmp_path / "ut").exists() or not any((tmp_path / "ut").iterdir())  # nothing half-written


def test_the_command_refuses_a_file_as_folder(report, tmp_path):
    file = tmp_path / "fil.txt"
    file.write_text("x")
    with pytest.raises(CommandError, match="är en fil, inte en mapp"):
        run_report("--as-of", "2024-10-29", "--out", str(file))


def test_the_command_names_the_locked_versions_and_writes_one(report, demo_users, tmp_path):
    services.freeze(report, demo_users["officer"])
    with pytest.raises(CommandError, match=r"har ingen version 9\. Låsta versioner: 1\."):
        run_report("--as-of", "2024-10-29", "--out", str(tmp_path), "--frozen-version", "9")
    written = run_report("--as-of", "2024-10-29", "--out", str(tmp_path), "--frozen-version", "1", "--format", "pdf")
    assert written.strip().endswith("tjansteutlatande-KS-2024-0123.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["tjansteutlatande-KS-2024-0123.pdf"]
    assert "Version 1, låst" in pdf_text((tmp_path / "tjansteutlatande-KS-2024-0123.pdf").read_bytes())


def test_the_command_line_answers_in_swedish_without_a_traceback(tmp_path):
    # From the shell: argparse's error, in Swedish, and exit status 2 (no English, no traceback).
    result = subprocess.run(
        [sys.executable, "-m", "django", "report", "--as-of", "2024-10-29", "--out", str(tmp_path), "--bad"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "trygg.settings"},
        check=False,
    )
    assert result.returncode == 2
    assert "Okänt argument: --bad. Se ”trygg report --help”." in result.stderr
    assert "Traceback" not in result.stderr and "unrecognized" not in result.stderr
