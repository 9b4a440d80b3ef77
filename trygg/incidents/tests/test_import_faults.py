"""Faults found with real incident files (issue 12, item 4), through the import pages: each with a small
file that was imported wrongly before."""

from __future__ import annotations

import datetime as dt

import pytest

from trygg.incidents import services
from trygg.incidents.models import Incident, IncidentSource
from trygg.incidents.tests.files import IMY_HEADERS, csv_bytes, xlsx_bytes
from trygg.incidents.tests.test_import import commit, from_run, map_columns, media, upload  # noqa: F401 (fixture)
from trygg.incidents.tests.test_import_faults_pure import with_declared_dimension
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

ROWS = [
    IMY_HEADERS,
    ["2024-03-05", "22:15", "Kvisthamraskolan", "Klotter på fasaden", "Nej"],
    ["2024-03-06", "23:00", "Kvisthamraskolan", "Krossad ruta i matsalen", "5000-K123456-24"],
]


def test_an_xlsx_with_a_wrong_declared_size_imports_its_rows(client_for):
    client = client_for("officer")
    run, _response = upload(client, with_declared_dimension(xlsx_bytes(ROWS), "A1"), "export.xlsx")
    run = map_columns(client, run)
    # Before: the sheet read as one cell, and the page said every row already existed.
    assert (run.total_rows, run.valid_rows, run.error_rows) == (2, 2, 0)


def test_a_police_report_number_on_another_date_is_flagged(client_for):
    client = client_for("officer")
    rows = [*ROWS, ["2024-04-01", "12:00", "Kvisthamraskolan", "Inbrott i förrådet", "5000-K123456-24"]]
    run, _response = upload(client, csv_bytes(rows), "k.csv")
    run = map_columns(client, run)
    assert run.valid_rows == 3  # flagged, not refused: the user decides
    assert {
        "row": 4,
        "message": "K-numret 5000-K123456-24 står också på rad 3, med datumet 2024-03-06; "
        "kontrollera att det inte är samma händelse.",
    } in run.notices
    commit(client, run, "all")

    # A later file from another source gives the number on yet another date: flagged against Trygg.
    later = [IMY_HEADERS, ["2024-05-02", "09:00", "Rodengymnasiet", "Stöld av dator", "5000-K123456-24"]]
    run, _response = upload(client, csv_bytes(later), "polisen.csv", source="Polisen")
    run = map_columns(client, run)
    messages = [notice["message"] for notice in run.notices]
    assert any(
        m.startswith("K-numret 5000-K123456-24 finns redan i Trygg för en händelse 2024-03-06 på Kvisthamraskolan")
        for m in messages
    ), messages


def test_the_same_file_under_another_source_name_is_not_imported_twice(client_for):
    client = client_for("officer")
    content = csv_bytes(ROWS)
    first, _response = upload(client, content, "a.csv", source="Fastighetskontoret")
    first = commit(client, map_columns(client, first), "all")
    assert first.created_rows == 2
    second, _response = upload(client, content, "a.csv", source="Skolans rektor")
    second = map_columns(client, second)
    # Before: both rows were new again under the new source.
    assert (second.valid_rows, second.other_source_rows) == (0, 2)
    assert second.notices[0]["message"] == (
        "Samma händelse (plats, datum, klockslag, typ och beskrivning) finns redan från källan ”Fastighetskontoret” "
        "och hoppas över."
    )
    page = client.get(f"/behov/import/{second.pk}/").content.decode()
    assert "Finns redan från en annan källa (hoppas över)" in page and "Importera hela filen" not in page
    assert Incident.objects.filter(description="Klotter på fasaden", occurred_on=dt.date(2024, 3, 5)).count() == 1


def test_a_similar_incident_from_another_source_is_flagged_but_imported(client_for):
    client = client_for("officer")
    first, _response = upload(client, csv_bytes(ROWS[:2]), "a.csv", source="Fastighetskontoret")
    commit(client, map_columns(client, first), "all")
    other = [IMY_HEADERS, ["2024-03-05", "", "Kvisthamraskolan", "Taggar på gaveln, klotter", "Nej"]]
    run, _response = upload(client, csv_bytes(other), "b.csv", source="Skolans rektor")
    run = map_columns(client, run)
    assert run.valid_rows == 1
    assert run.notices == [
        {
            "row": 2,
            "message": "Liknar en händelse samma dag och plats från källan ”Fastighetskontoret” (Klotter på fasaden); "
            "kontrollera att det inte är samma händelse.",
        }
    ]


def test_the_place_detail_is_kept_and_a_longer_name_needs_confirming(client_for):
    client = client_for("officer")
    rows = [
        [*IMY_HEADERS, "Åtgärd", "Handläggare"],
        ["2024-03-05", "22:15", "Kvisthamraskolan, entré B", "Klotter på dörren", "Nej", "Sanerat", "AB"],
        ["2024-03-06", "22:00", "Sporthallen Rimbo", "Krossad ruta", "Nej", "", ""],
    ]
    run, _response = upload(client, csv_bytes(rows), "platser.csv")
    run = map_columns(client, run)
    assert (run.valid_rows, run.error_rows) == (1, 1)  # before: "Sporthallen Rimbo" went to Sporthallen
    assert run.errors[0]["column"] == "Plats" and "Sporthallen Rimbo" in run.errors[0]["message"]
    page = client.get(f"/behov/import/{run.pk}/").content.decode()
    assert "Text i filen → plats" in page
    assert '<th scope="row">Kvisthamraskolan, entré B</th>' in page and "→ Kvisthamraskolan" in page
    assert "Liknar ”Sporthallen” men är inte samma namn." in page
    # The columns nobody reads are listed (before: silently left out).
    assert "Kolumner som inte används" in page and "<li>Åtgärd</li>" in page and "<li>Handläggare</li>" in page

    index = next(i for i, m in enumerate(run.site_matches) if m["text"] == "Sporthallen Rimbo")
    sporthallen = Site.objects.get(name="Sporthallen")
    response = client.post(f"/behov/import/{run.pk}/platser/", {f"plats_{index}": sporthallen.pk})
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.valid_rows, run.error_rows) == (2, 0)
    run = commit(client, run, "all")
    placed = {i.description: (i.site.name, i.place_detail) for i in from_run(run)}
    assert placed == {
        "Klotter på dörren": ("Kvisthamraskolan", "entré B"),
        "Krossad ruta": ("Sporthallen", "Rimbo"),
    }


def test_a_confirmed_site_outside_the_users_reach_is_refused_and_nothing_is_stored(client_for):
    client = client_for("administration_contact")
    IncidentSource.objects.get_or_create(name="Testkälla")  # sources are the officers' to add
    rows = [IMY_HEADERS, ["2024-03-06", "22:00", "Kvisthamraskolan B", "Krossad ruta", "Nej"]]
    run, _response = upload(client, csv_bytes(rows), "platser.csv")
    run = map_columns(client, run)
    outside = Site.objects.exclude(pk__in=[pk for pk, _name in services.sites_to_choose(run)]).first()
    response = client.post(f"/behov/import/{run.pk}/platser/", {"plats_0": outside.pk})
    assert response.status_code == 400
    assert "Platsen du valde för ”Kvisthamraskolan B” finns inte eller ligger utanför din behörighet." in (
        response.content.decode()
    )
    run.refresh_from_db()
    assert run.site_choices == {}
