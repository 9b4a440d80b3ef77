"""Every CSV file Trygg hands out: a formula typed into a name goes out as text, and numbers have one
decimal separator (the comma) in the whole file."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from trygg.compliance.models import ProcessingRecord
from trygg.core.csv_export import BOM, FORMULA_TRIGGERS
from trygg.core.models import Organisation
from trygg.core.tests.test_access import expected_table
from trygg.incidents.tests.files import DAMAGE_HEADERS, csv_bytes
from trygg.incidents.tests.test_import import map_columns, media, upload  # noqa: F401 (media is a fixture)
from trygg.programme.models import CostEntry
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x")'
POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))


@pytest.fixture
def poisoned(client_for):
    """The site with cameras in operation, the art. 30 record, a cost and the municipality all named with a
    formula, and an import run whose rejected row names it."""
    site = Site.objects.get(name="Sporthallen")  # cameras in operation, so in the 10 § register
    site.name = HYPERLINK
    site.save()
    record = ProcessingRecord.objects.order_by("pk").first() or ProcessingRecord.objects.create()
    record.name = HYPERLINK
    record.save()
    organisation = Organisation.current()
    organisation.municipality_name = HYPERLINK
    organisation.save()
    CostEntry.objects.create(
        booked_on=timezone.localdate(),  # the budget export shows this year
        category="installation",
        amount=Decimal("999.50"),
        description=HYPERLINK,
    )
    bad_row = ["31/2/2024", "16:00", "", HYPERLINK, "Klotter", "@SUM(1)", "-", ""]
    run, _response = upload(client_for("officer"), csv_bytes([DAMAGE_HEADERS, bad_row]), "skador.csv")
    run = map_columns(client_for("officer"), run)
    assert run.error_rows == 1
    return run


def csv_urls(run) -> list[str]:
    urls = [route for route in expected_table() if route.endswith(".csv")]
    assert len(urls) >= 7, urls  # a new CSV export is found here automatically
    return ["/" + route.replace("<int:pk>", str(run.pk)) for route in urls]


def test_every_csv_export_neutralises_formulas_and_writes_decimal_commas(client_for, poisoned):
    client = client_for("admin")
    holding_the_name = []
    for url in csv_urls(poisoned):
        response = client.get(url)
        assert response.status_code == 200, url
        rows = rows_of(response)
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_TRIGGERS), (url, cell)
                assert not POINT_DECIMAL.match(cell), (url, cell)  # never "22.5" beside "109,1"
        if any(cell.startswith("'" + HYPERLINK) for row in rows for cell in row):
            holding_the_name.append(url.rsplit("/", 1)[-1])
    # The name reaches every file that shows a site, record, cost or municipality (the open-data register
    # and the follow-up exports too, issue 13).
    assert {
        "avvisade.csv",
        "behandling.csv",
        "budget.csv",
        "forteckning.csv",
        "indikator-lang.csv",
        "kameror.csv",
        "kamerabevakning.csv",
    } <= set(holding_the_name), sorted(holding_the_name)


def test_the_camera_list_writes_coordinates_and_areas_with_the_same_comma(client_for):
    rows = rows_of(client_for("officer").get("/kameror/kameror.csv"))
    header = rows[0]
    kvi = next(row for row in rows if row[0] == "KVI-01")
    for column in ("Longitud", "Latitud", "Synlig yta (m²)", "Intrång (m²)"):
        value = kvi[header.index(column)]
        assert re.fullmatch(r"\d+(,\d+)?", value), (column, value)
    assert "," in kvi[header.index("Longitud")]


def test_the_rejected_rows_go_back_as_they_were_read(client_for, poisoned):
    rows = rows_of(client_for("officer").get(f"/behov/import/{poisoned.pk}/avvisade.csv"))
    # Neutralised, and the quote is the only change: "-" stays the dash the user typed.
    assert rows[1][2:] == ["31/2/2024", "16:00", "", "'" + HYPERLINK, "Klotter", "'@SUM(1)", "'-", ""]


def test_the_rejected_rows_can_be_fixed_and_imported_again(client_for, poisoned):
    """The quotes the export adds are taken off again when the fixed file is imported: "'-" is the dash."""
    client = client_for("officer")
    text = b"".join(client.get(f"/behov/import/{poisoned.pk}/avvisade.csv").streaming_content).decode("utf-8")
    fixed = text.replace("31/2/2024", "2024-02-29")
    again, _response = upload(client, fixed.encode("utf-8"), "rattad.csv")
    again = map_columns(client, again)
    assert (again.valid_rows, again.error_rows) == (1, 0), again.errors
    assert again.sample[0]["site"] == HYPERLINK and again.sample[0]["description"] == "@SUM(1)"
    assert again.sample[0]["cost"] == ""  # "'-" read back as "-": no cost
