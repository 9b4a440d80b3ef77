"""The report's documents: DOCX and PDF carry the same tables, the CLI answers in Swedish, custom
templates are checked, and characters the PDF/A fonts cannot draw are named before locking."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from trygg.reports import services
from trygg.reports.glyphs import Coverage, parse_charset, undrawable
from trygg.reports.models import BoardReport
from trygg.reports.template_tags import TagProblem, find_problem
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


#
# A municipality's own Word template with a broken tag is refused, naming the file and the tag.
#


def word_template(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a {% if x %} b", TagProblem("unclosed", "{% if x %}", expected="{% endif %}")),
        ("{% for a in b %}{% endif %}", TagProblem("mismatched", "{% for a in b %}", expected="{% endfor %}")),
        ("{% if x %}{% for a in b %}{% endfor %}", TagProblem("unclosed", "{% if x %}", expected="{% endif %}")),
        ("{% endif %}", TagProblem("unopened", "{% endif %}")),
        ("{% else %}", TagProblem("misplaced", "{% else %}")),
        # Word splits a tag into runs; the tag is shown as typed.
        ("{% if <w:r>x</w:r> &gt; 1 %}", TagProblem("unclosed", "{% if x > 1 %}", expected="{% endif %}")),
        ("{% if x %}{% else %}{% endif %}{% set a = 1 %}{{ a }}", None),
    ],
)
def test_the_broken_tag_is_found(text, expected):
    assert find_problem(text) == expected


def test_an_unreadable_tag_is_named():
    problem = find_problem("{{ title }} {% iff x %} {{ a( }}")
    assert problem is not None and problem.kind == "unreadable" and problem.tag == "{% iff x %}"


@given(
    st.recursive(
        st.just(""),
        lambda inner: (
            st.lists(inner, max_size=3)
            .map("".join)
            .map(lambda body: "{% if x %}" + body + "{% else %}{{ y }}{% endif %}")
        ),
        max_leaves=8,
    )
)
def test_nested_blocks_read_and_a_missing_end_is_found(text):
    assert find_problem(text) is None
    if "{% endif %}" in text:
        broken = text[::-1].replace("}% fidne %{", "", 1)[::-1]  # the last end tag removed
        assert find_problem(broken) == TagProblem("unclosed", "{% if x %}", expected="{% endif %}")


def test_a_broken_template_is_refused_with_its_name_and_tag(tmp_path):
    broken = word_template(tmp_path / "norrtalje-mall.docx", "{{ title }}", "{%p if section.figure %}", "{{ chart }}")
    with pytest.raises(services.ReportTemplateError) as refused:
        services.check_template(broken)
    assert str(refused.value) == (
        "Word-mallen ”norrtalje-mall.docx” kan inte användas: taggen ”{% if section.figure %}” avslutas aldrig "
        "(”{% endif %}” saknas)."
    )
    not_word = tmp_path / "mall.docx"
    not_word.write_text("inte en Word-fil")
    with pytest.raises(services.ReportTemplateError, match=r"”mall\.docx” kan inte öppnas: den är ingen Word-fil"):
        services.check_template(not_word)
    services.check_template(services.DEFAULT_TEMPLATE)  # Trygg's own template reads


def test_a_broken_template_is_refused_when_configured(tmp_path, settings):
    broken = word_template(tmp_path / "egen.docx", "{%p for section in sections %}", "{%p endif %}")
    settings.TRYGG_REPORT_TEMPLATE = str(broken)
    errors = [error for error in run_checks() if error.id == "reports.E001"]
    assert len(errors) == 1
    assert "”egen.docx”" in errors[0].msg and "”{% for section in sections %}”" in errors[0].msg
    settings.TRYGG_REPORT_TEMPLATE = str(services.DEFAULT_TEMPLATE)
    assert not [error for error in run_checks() if error.id == "reports.E001"]


def test_a_broken_template_never_gives_a_500(report, demo_users, client_for, tmp_path, settings):
    settings.TRYGG_REPORT_TEMPLATE = str(word_template(tmp_path / "egen.docx", "{{ title }}", "{%p if x %}"))
    message = "Word-mallen ”egen.docx” kan inte användas: taggen ”{% if x %}” avslutas aldrig"
    officer = client_for("officer")
    response = officer.get(f"/rapporter/{report.pk}/utkast.docx", follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == f"/rapporter/{report.pk}/"
    assert message in response.content.decode()
    version = services.freeze(report, demo_users["officer"])
    response = client_for("reader").get(f"/rapporter/versioner/{version.pk}/tjansteutlatande.docx", follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    with pytest.raises(CommandError, match=r"taggen ”\{% if x %\}” avslutas aldrig"):
        run_report("--as-of", "2024-10-29", "--out", str(tmp_path / "ut"))
    # A tag that reads but fails with the values is refused too, in Swedish.
    settings.TRYGG_REPORT_TEMPLATE = str(word_template(tmp_path / "filter.docx", "{{ title|finnsinte }}"))
    response = officer.get(f"/rapporter/{report.pk}/utkast.docx", follow=True)
    assert response.status_code == 200 and "Word-mallen ”filter.docx”" in response.content.decode()


#
# Locking records the person's full name and title.
#


def test_the_lock_form_suggests_the_title(report, demo_users, client_for):
    officer = client_for("officer")
    page = officer.get(f"/rapporter/{report.pk}/").content.decode()
    assert 'name="titel"' in page and 'value=""' in page and "låstes av Hanna Handläggare" in page
    # A signatory's title is suggested when the officer is among the signatories …
    report.signatories += "\nHanna Handläggare | Trygghetssamordnare | Kommunstyrelsekontoret"
    report.save()
    assert services.title_for(report, demo_users["officer"]) == "Trygghetssamordnare"
    assert 'value="Trygghetssamordnare"' in officer.get(f"/rapporter/{report.pk}/").content.decode()
    # … else the title the officer gave when last locking a report.
    report.signatories = ""
    report.save()
    version = services.freeze(report, demo_users["officer"], " Säkerhetssamordnare ")
    assert version.frozen_by_title == "Säkerhetssamordnare"
    services.reopen(report)
    report.refresh_from_db()
    assert services.title_for(report, demo_users["officer"]) == "Säkerhetssamordnare"
    assert "låst av Hanna Handläggare, Säkerhetssamordnare" in officer.get(f"/rapporter/{report.pk}/").content.decode()


#
# Characters the PDF/A's fonts cannot draw are named before locking; nothing is stripped.
#


def test_charset_and_coverage_by_hand():
    ranges = parse_charset("20-7e a0-17f 2013 1f600-1f601")
    assert ranges == [(0x20, 0x7E), (0xA0, 0x17F), (0x2013, 0x2013), (0x1F600, 0x1F601)]
    coverage = Coverage([*ranges, (0x30, 0x40), (0x7F, 0x9F)])
    assert coverage.ranges == [(0x20, 0x17F), (0x2013, 0x2013), (0x1F600, 0x1F601)]
    assert "å" in coverage and "–" in coverage and "😀" in coverage
    assert "—" not in coverage and "😂" not in coverage and "\x10" not in coverage
    found = undrawable([("Ärendet", "Bra 👍🏽 jobbat!\u200d️ 😂😂"), ("Rubrik", "Plan — 😂")], coverage)
    # One entry per character and place; the joiner and the variation selector need no glyph.
    assert [(item.place, item.character, item.code_point) for item in found] == [
        ("Ärendet", "👍", "U+1F44D"),
        ("Ärendet", "🏽", "U+1F3FD"),
        ("Ärendet", "😂", "U+1F602"),
        ("Rubrik", "—", "U+2014"),
        ("Rubrik", "😂", "U+1F602"),
    ]


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 60)), max_size=8), st.integers(0, 600))
def test_coverage_agrees_with_the_ranges(pairs, point):
    ranges = [(start, start + length) for start, length in pairs]
    assert (chr(point) in Coverage(ranges)) == any(start <= point <= end for start, end in ranges)


def test_an_emoji_is_named_before_locking_and_kept(report, client_for, tmp_path):
    report.sections["matter"] = "Skolan tackar för kamerorna 👍 och hälsar.\n\n" + report.sections["matter"]
    report.title += " 📷"
    report.save()
    page = client_for("officer").get(f"/rapporter/{report.pk}/").content.decode()
    warning = page[page.index('id="tecken-som-inte-kan-ritas"') : page.index('<div class="actions">')]
    assert "Tecken som PDF/A-filen inte kan visa" in warning
    assert "”👍” (U+1F44D) i ”Ärendet”" in warning and "”📷” (U+1F4F7) i ”Rubrik”" in warning
    assert "å" not in [item.character for item in services.undrawable_characters(report)]
    # The warning comes before the lock form on the page.
    assert page.index("tecken-som-inte-kan-ritas") < page.index('name="bekrafta_lasning"')
    # Nothing is stripped: the text still carries the emoji into both documents.
    context, document = services.draft_parts(report)
    pdf = services.render_pdf(context, document)
    (Path("test-artifacts")).mkdir(exist_ok=True)
    Path("test-artifacts/report-emoji.pdf").write_bytes(pdf)
    # (pypdf reads the page holding a .notdef glyph as UTF-16, hence the NULs removed.)
    assert "Skolan tackar för kamerorna" in pdf_text(pdf).replace("\x00", "")
    word = docx.Document(io.BytesIO(services.render_docx(context, document)))
    assert "Skolan tackar för kamerorna 👍 och hälsar." in [paragraph.text for paragraph in word.paragraphs]
    # The command line warns too.
    errors = io.StringIO()
    call_command("report", "--as-of", "2024-10-29", "--out", str(tmp_path), stdout=io.StringIO(), stderr=errors)
    assert "Varning: ”👍” (U+1F44D) i ”Ärendet” kan inte visas i PDF/A-filen." in errors.getvalue()


def test_a_clean_report_has_no_warning(report, client_for):
    assert services.undrawable_characters(report) == []
    assert "tecken-som-inte-kan-ritas" not in client_for("officer").get(f"/rapporter/{report.pk}/").content.decode()


def test_the_report_list_counts_queries_independent_of_versions(report, demo_users, client_for):
    officer = client_for("officer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer.get("/rapporter/").status_code == 200
        return len(captured)

    services.freeze(report, demo_users["officer"], "Säkerhetssamordnare")
    one = queries()
    for _ in range(2):
        services.reopen(report)
        report.refresh_from_db()
        services.freeze(report, demo_users["officer"], "Säkerhetssamordnare")
    assert queries() == one
    assert officer.get("/rapporter/").content.decode().count("låst av Hanna Handläggare, Säkerhetssamordnare") == 3


def test_the_lockers_name_is_part_of_the_document_as_sent(report, demo_users):
    version = services.freeze(report, demo_users["officer"], "Säkerhetssamordnare")
    assert version.document["frozen_by"] == "Hanna Handläggare, Säkerhetssamordnare"
    context, document = services.version_parts(version)
    assert services.document_context(context, document)["version_note"].startswith(
        "Version 1, låst av Hanna Handläggare, Säkerhetssamordnare. Uppgifterna gäller per 2024-10-29."
    )
    # A version locked before the name was stored with the document renders as it did then.
    older = {key: value for key, value in document.items() if key != "frozen_by"}
    assert (
        services.document_context(context, older)["version_note"]
        == "Version 1, låst. Uppgifterna gäller per 2024-10-29."
    )
