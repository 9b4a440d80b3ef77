"""The 10 § register as a PDF, drawn with ReportLab: a plain table paginated once, fast at any size.

No Django here: the caller gives the translated texts and the rows (`RegisterDocument`). WeasyPrint,
which draws Trygg's other PDFs from HTML, took 315 s for the register of 10 000 cameras (768 pages):
its table layout measures and breaks every cell's text anew on every page. Here each cell is wrapped
once with the font's metrics, the rows are split into pages by their known heights, and each page is
one fixed table, so the work grows linearly with the rows and the page count is known before drawing
("Sida 3 / 712"), which also gives the job its progress. The font is DejaVu Sans as in the HTML
version, taken from matplotlib's package data (a dependency already), so no system font is needed.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT, FONT_BOLD = "TryggDejaVuSans", "TryggDejaVuSans-Bold"
PAGE = landscape(A4)
MARGINS = {"left": 12 * mm, "right": 12 * mm, "top": 18 * mm, "bottom": 16 * mm}
CELL_SIZE, CELL_LEADING, CELL_PAD = 8.0, 9.6, 2.5
#: Share of the width per column (camera, address, type of place, purpose, technology, assessment, status, ended).
COLUMN_SHARES = (0.09, 0.19, 0.11, 0.22, 0.13, 0.11, 0.08, 0.07)
MARKING_RED = colors.HexColor("#a4000f")
FRAME_PADDING = 6.0  # platypus' Frame default (top and bottom padding, pt)


@dataclass
class RegisterDocument:
    """The texts of the register PDF, already translated; `rows` are lists of cell strings."""

    marking: str
    title: str
    intro: Sequence[str]
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    empty_text: str
    closing: str
    page_label: Callable[[int, int], str] = field(default=lambda page, pages: f"{page} / {pages}")


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    spec = importlib.util.find_spec("matplotlib")  # a dependency of Trygg's, with DejaVu in its data
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (DejaVu Sans for the register PDF) is not installed")
    fonts = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))


def _wrap(text: str, font: str, width: float) -> str:
    lines: list[str] = []
    for part in str(text).split("\n"):
        lines.extend(simpleSplit(part, font, CELL_SIZE, width - 2 * CELL_PAD) or [""])
    return "\n".join(lines)


def _height(cells: Sequence[str]) -> float:
    return max(cell.count("\n") + 1 for cell in cells) * CELL_LEADING + 2 * CELL_PAD + 1


def paginate(heights: Sequence[float], first: float, other: float) -> list[range]:
    """Split rows of `heights` (pt) into pages holding at most `first` pt on the first page and `other`
    pt on the others; a row taller than a page gets a page of its own. Returns the row ranges per page
    (at least one, possibly empty)."""
    pages: list[range] = []
    start, used, room = 0, 0.0, first
    for index, height in enumerate(heights):
        if used + height > room and index > start:
            pages.append(range(start, index))
            start, used, room = index, 0.0, other
        used += height
    pages.append(range(start, len(heights)))
    return pages


def render(document: RegisterDocument, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The register as PDF bytes (A4 landscape). `progress(page, pages)` is called as each page is
    drawn (it may raise to stop; nothing is returned then)."""
    _fonts()
    width = PAGE[0] - MARGINS["left"] - MARGINS["right"]
    height = PAGE[1] - MARGINS["top"] - MARGINS["bottom"]
    widths = [share * width for share in COLUMN_SHARES]
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5, spaceAfter=5)
    title = ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14, leading=17)
    marking = ParagraphStyle(
        "marking", parent=body, fontName=FONT_BOLD, textColor=MARKING_RED, borderColor=MARKING_RED,
        borderWidth=0.75, borderPadding=5, spaceBefore=5, spaceAfter=12,
    )  # fmt: skip
    intro = [
        Paragraph(escape(document.marking), marking),
        Paragraph(escape(document.title), title),
        *(Paragraph(escape(line), body) for line in document.intro),
    ]
    intro_height = sum(p.wrap(width, height)[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in intro)
    header = [_wrap(column, FONT_BOLD, w) for column, w in zip(document.columns, widths, strict=True)]
    if document.rows:
        rows = [[_wrap(value, FONT, w) for value, w in zip(row, widths, strict=True)] for row in document.rows]
    else:
        rows = [[_wrap(document.empty_text, FONT, width)] + [""] * (len(widths) - 1)]
    heights = [_height(row) for row in rows]
    header_height = _height(header)
    # The frame of SimpleDocTemplate keeps 6 pt padding above and below its content; pages planned without
    # it overflowed, so each full page's table was split in two ("Sida 100 / 51"). 4 pt for rounding.
    slack = 2 * FRAME_PADDING + 4.0
    pages = paginate(heights, height - intro_height - header_height - slack, height - header_height - slack)
    closing = Paragraph(escape(document.closing), ParagraphStyle("closing", parent=body, spaceBefore=8))
    closing_height = closing.wrap(width, height)[1] + 8 + 5
    last_room = (height - (intro_height if len(pages) == 1 else 0)) - header_height - slack
    total = len(pages) + (1 if sum(heights[i] for i in pages[-1]) + closing_height > last_room else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
    ]
    if not document.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    story: list = list(intro)
    for number, part in enumerate(pages):
        if number:
            story.append(PageBreak())
        story.append(
            Table(
                [header, *(rows[i] for i in part)],
                colWidths=widths,
                rowHeights=[header_height, *(heights[i] for i in part)],
                style=TableStyle(style),
            )
        )
    story.append(closing)

    def decorate(canvas, doc) -> None:
        page = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(FONT_BOLD, 9)
        canvas.setFillColor(MARKING_RED)
        canvas.drawCentredString(PAGE[0] / 2, PAGE[1] - MARGINS["top"] / 2, document.marking)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.black)
        canvas.drawRightString(PAGE[0] - MARGINS["right"], MARGINS["bottom"] / 2, document.page_label(page, total))
        canvas.restoreState()
        if progress is not None:
            progress(page, total)

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=document.title,
        invariant=True,
    )
    pdf.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
