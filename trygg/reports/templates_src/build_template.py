"""Build the Word template of the tjänsteutlåtande: `python -m trygg.reports.templates_src.build_template`.

The municipality may replace the result with its own template (setting TRYGG_REPORT_TEMPLATE): it
is an ordinary .docx with docxtpl tags. What a replacement can use:

- `{{ municipality }}`, `{{ office }}`, `{{ unit }}`, `{{ title }}`, `{{ report_date }}`, `{{ case_number }}`,
  `{{ recipient_body }}`, `{{ as_of }}`, `{{ version_note }}`
- `sections`: a list with `title`, `key`, `paragraphs` (list of text) and `figure` (True after Ärendet)
- `chart` (the indicator's chart as an image), `figure_caption`, `series` (rows with `on`, `value`, `target`),
  `series_caption`, `series_date_heading`, `series_value_heading`, `series_target_heading`, `by_site_kind` and `by_area_kind`
  (rows with `label` and `count`), `count_caption`, `site_kind_heading`, `area_kind_heading`, `count_heading`
- `signature_rows`: rows of two signatories, each with `name`, `title`, `office`
- `recipients_title`, `recipients` (list of text), `annex_title`, `annex_note`

Paragraph tags (`{%p … %}`) must stand alone in their paragraph, row tags (`{%tr … %}`) alone in a
table row's first cell.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reports" / "tjansteutlatande.docx"
BODY_FONT = "Times New Roman"
HEADING_FONT = "Arial"


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) in its own runs."""
    for kind, text in (("begin", None), ("instr", code), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
            run._r.append(element)
        elif kind == "text":
            run.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)


def _style(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 11)):
        style = document.styles[name]
        style.font.name = HEADING_FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(14 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(4)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), HEADING_FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
    title = document.styles["Title"]
    title.paragraph_format.space_after = Pt(12)
    # python-docx's Title style has a bottom border; the seed has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _header(document: Document) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    header = section.header
    table = header.add_table(rows=1, cols=2, width=Cm(16))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    name = left.paragraphs[0].add_run("{{ municipality }}")
    name.bold = True
    name.font.name = HEADING_FONT
    name.font.size = Pt(12)
    office = left.add_paragraph().add_run("{{ office }}")
    office.font.size = Pt(9)
    office.font.name = HEADING_FONT
    for index, text in enumerate(("{{ document_kind }}", "{{ report_date }}", "{{ case_label }} {{ case_number }}")):
        paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.font.name = HEADING_FONT
        run.font.size = Pt(10 if index else 11)
        run.bold = index == 0
    header.paragraphs[0].text = ""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("{{ page_label }} ")
    _field(footer, "PAGE")
    footer.add_run(" {{ page_of }} ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)
        run.font.name = HEADING_FONT
    section.start_type = WD_SECTION_START.NEW_PAGE


def _table(document: Document, rows: str, columns: list[tuple[str, str]], widths: list[float]) -> None:
    """A table of `columns` (heading variable, row field) with one row per item of `rows`; numbers right-aligned."""
    table = document.add_table(rows=3, cols=len(columns))
    table.style = "Table Grid"
    for cell, (heading, _field) in zip(table.rows[0].cells, columns, strict=True):
        cell.text = "{{ " + heading + " }}"
        cell.paragraphs[0].runs[0].bold = True
    table.rows[1].cells[0].text = "{%tr for row in " + rows + " %}"
    for index, (cell, (_heading, field)) in enumerate(zip(table.rows[2].cells, columns, strict=True)):
        cell.text = "{{ row." + field + " }}"
        if index:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    end = table.add_row()
    end.cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
        for index, cell in enumerate(row.cells):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                if index:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = Pt(10)
                    run.font.name = HEADING_FONT


def _count_table(document: Document, rows: str, heading: str) -> None:
    _table(document, rows, [(heading, "label"), ("count_heading", "count")], [11, 5])


def _caption(document: Document, variable: str) -> None:
    caption = document.add_paragraph("{{ " + variable + " }}")
    caption.runs[0].italic = True
    caption.runs[0].font.size = Pt(10)


def build(target: Path = TARGET) -> Path:
    document = Document()
    _style(document)
    _header(document)
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("{{ version_note }}").runs[0].italic = True

    document.add_paragraph("{%p for section in sections %}")
    document.add_paragraph("{{ section.title }}", style="Heading 1")
    document.add_paragraph("{%p for paragraph in section.paragraphs %}")
    document.add_paragraph("{{ paragraph }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if section.figure %}")
    document.add_paragraph("{{ chart }}")
    _caption(document, "figure_caption")
    # The figure's numbers as a table, as in the PDF (the same rows and headings).
    _caption(document, "series_caption")
    _table(
        document,
        "series",
        [("series_date_heading", "on"), ("series_value_heading", "value"), ("series_target_heading", "target")],
        [6, 5, 5],
    )
    document.add_paragraph("")
    _caption(document, "count_caption")
    _count_table(document, "by_site_kind", "site_kind_heading")
    document.add_paragraph("")
    _count_table(document, "by_area_kind", "area_kind_heading")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")

    document.add_paragraph("")
    signatures = document.add_table(rows=3, cols=2)
    signatures.rows[0].cells[0].text = "{%tr for row in signature_rows %}"
    for index, cell in enumerate(signatures.rows[1].cells):
        cell.text = ""
        for line, field in enumerate(("name", "title", "office")):
            paragraph = cell.paragraphs[0] if line == 0 else cell.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.add_run("{{ row[" + str(index) + "]." + field + " }}")
        cell.add_paragraph("")
    signatures.rows[2].cells[0].text = "{%tr endfor %}"

    document.add_paragraph("{{ recipients_title }}", style="Heading 1")
    document.add_paragraph("{%p for recipient in recipients %}")
    document.add_paragraph("{{ recipient }}").paragraph_format.space_after = Pt(0)
    document.add_paragraph("{%p endfor %}")

    document.add_paragraph("{{ annex_title }}", style="Heading 2")
    document.add_paragraph("{{ annex_note }}")

    document.core_properties.title = "Tjänsteutlåtande"
    document.core_properties.author = "Trygg"
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)
    return target


if __name__ == "__main__":
    print(build())
