"""The register PDF's page label says the real number of pages ("Sida 3 / 51" on a 51-page file).

Found in the walkthrough: 911 lines gave 100 pages labelled "Sida 1 / 51" … "Sida 100 / 51": the pages
were planned for a frame 12 pt taller than platypus gives (its frame has 6 pt padding above and below),
so every full page's table was split in two.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from trygg.compliance.register_document import RegisterDocument, render

COLUMNS = ["Kamera", "Adress", "Typ av plats", "Ändamål", "Teknik", "Bedömd", "Status", "Avslutad"]


def document(rows: int, long_every: int) -> RegisterDocument:
    line = [
        "KAM-{n:04d}",
        "Storgatan {n}",
        "allmän plats (gata, torg)",
        "Brottsförebyggande",
        "nej",
        "2025-01-01",
        "pågår",
        "",
    ]
    long = "Brottsförebyggande och för att utreda brott mot skolans byggnader, kvällar och helger året runt"
    return RegisterDocument(
        marking="HEMLIG enligt 18 kap. 8 § OSL",
        title="Förteckning över kamerabevakning",
        intro=["Norrtälje kommun · per 2026-12-01"],
        columns=COLUMNS,
        rows=[
            [cell.format(n=n) for cell in line[:3]]
            + [long if long_every and n % long_every == 0 else line[3]]
            + line[4:]
            for n in range(rows)
        ],
        empty_text="Ingen bevakning att redovisa.",
        closing="Förteckningen skapas ur kamerorna.",
        page_label=lambda page, pages: f"Sida {page} / {pages}",
    )


@pytest.mark.parametrize(("rows", "long_every"), [(0, 0), (1, 0), (300, 0), (911, 3), (400, 1)])
def test_every_page_says_its_number_of_the_real_total(rows, long_every):
    reader = PdfReader(io.BytesIO(render(document(rows, long_every))))
    labels = [re.search(r"Sida (\d+) / (\d+)", page.extract_text()).groups() for page in reader.pages]
    assert labels == [(str(n), str(len(reader.pages))) for n in range(1, len(reader.pages) + 1)]
