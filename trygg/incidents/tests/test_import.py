"""Importing incident files through the pages: preview, errors, choices, duplicates, re-imports."""

# Spreadsheet cells and incident times are local wall-clock times, without a zone, by design.
# ruff: noqa: DTZ001

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from trygg.core.models import ObjectChange
from trygg.incidents import services
from trygg.incidents.models import ImportRun, Incident, IncidentSource
from trygg.incidents.tests.files import DAMAGE_HEADERS, IMY_HEADERS, IMY_TITLE, csv_bytes, xlsx_bytes
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

IMY_ROWS = [
    IMY_TITLE,
    ["Skola: Kvisthamraskolan"],
    [],
    IMY_HEADERS,
    ["2024-03-05", "22:15", "Kvisthamraskolan", "Klotter på fasaden", "Nej"],
    ["6/3/2024", "kl. 23", "Kvisthamraskolan", "Krossad ruta i matsalen", "5000-K123456-24"],
    ["07.03.2024", "", "Kvisthamraskolan", "Anlagd brand i papperskorg", "Ja"],
    ["9 mars 2024", "16:00-07:00", "Rodengymnasiet", "Inbrott i förrådet", "Ja"],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRYGG_IMPORT_IN_WORKER = False


def upload(client, content, name, source="Testkälla", default_site=None):
    existing = IncidentSource.objects.filter(name=source).first()
    data = {
        "source": existing.pk if existing else "",
        "new_source": "" if existing else source,
        "default_site": default_site.pk if default_site else "",
        "file": SimpleUploadedFile(name, content),
    }
    response = client.post("/behov/import/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.latest("pk"), response


def map_columns(client, run, **overrides):
    mapping = dict(run.mapping) | overrides
    data = {name: mapping.get(name, "") for name in services.parsing.FIELDS}
    response = client.post(f"/behov/import/{run.pk}/kolumner/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    run.refresh_from_db()
    return run


def commit(client, run, mode):
    response = client.post(f"/behov/import/{run.pk}/importera/", {"mode": mode})
    assert response.status_code == 302
    run.refresh_from_db()
    return run


def from_run(run):
    return Incident.objects.filter(import_run=run)


def test_imys_layout_in_windows_1252_with_semicolons_and_title_rows(client_for):
    client = client_for("officer")
    run, response = upload(client, csv_bytes(IMY_ROWS, "cp1252"), "sammanstallning.csv")
    assert response["Location"] == f"/behov/import/{run.pk}/kolumner/"
    assert (run.encoding, run.delimiter, run.header_row) == ("cp1252", ";", 4)
    assert run.mapping == {
        "date": "Datum",
        "time": "Klockslag",
        "site": "Plats",
        "description": "Vad som hänt",
        "police_report": "Polisanmälan",
    }
    page = client.get(f"/behov/import/{run.pk}/kolumner/").content.decode()
    assert "Krossad ruta i matsalen" in page  # the first rows are shown under the choices
    run = map_columns(client, run)
    assert run.status == "checked" and (run.total_rows, run.valid_rows, run.error_rows) == (4, 4, 0)
    assert Incident.objects.filter(import_run=run).count() == 0  # the preview writes nothing
    assert "Så här blir de första giltiga raderna" in client.get(f"/behov/import/{run.pk}/").content.decode()
    run = commit(client, run, "all")
    assert run.status == "done" and run.created_rows == 4
    incidents = {i.description: i for i in from_run(run)}
    assert incidents["Klotter på fasaden"].kind == "graffiti"
    assert incidents["Klotter på fasaden"].occurred_time == dt.time(22, 15)
    broken = incidents["Krossad ruta i matsalen"]
    assert (broken.kind, broken.occurred_on, broken.police_report_number) == (
        "vandalism",
        dt.date(2024, 3, 6),
        "5000-K123456-24",
    )
    fire = incidents["Anlagd brand i papperskorg"]
    assert (fire.kind, fire.occurred_time, fire.reported_to_police) == ("arson", None, True)
    night = incidents["Inbrott i förrådet"]
    assert (night.kind, night.until_on, night.until_time) == ("break_in", dt.date(2024, 3, 10), dt.time(7))
    assert night.site == Site.objects.get(name="Rodengymnasiet")


def test_a_damage_report_export_in_xlsx_with_ranges_and_swedish_money(client_for):
    client = client_for("officer")
    rows = [
        DAMAGE_HEADERS,
        [
            dt.datetime(2024, 3, 1),
            "16:00",
            "2024-03-04 07:00",
            "Kvisthamraskolan",
            "Skadegörelse",
            "Krossad ruta",
            "12 500,50",
            "",
        ],
        ["2024-03-05", dt.time(22, 15), None, "Kvisthamraskolan", "Klotter", "", 2000, "5000-K1-24"],
        [None, None, None, None, None, None, None, None],
        ["2024-03-06", "", "", "Kvisthamraskolan", "Brand", "Brand i soptunna", "1 200 kr", "K55-24"],
    ]
    run, _response = upload(client, xlsx_bytes(rows), "skador.xlsx")
    assert run.file_format == "xlsx"
    run = map_columns(client, run)
    assert (run.valid_rows, run.error_rows, run.empty_rows) == (3, 0, 1)
    run = commit(client, run, "all")
    created = {i.description: i for i in from_run(run)}
    weekend = created["Krossad ruta"]
    assert (weekend.occurred_on, weekend.occurred_time, weekend.until_on, weekend.until_time) == (
        dt.date(2024, 3, 1),
        dt.time(16),
        dt.date(2024, 3, 4),
        dt.time(7),
    )
    assert weekend.cost == Decimal("12500.50") and weekend.kind == "vandalism"
    assert created["Klotter"].cost == Decimal("2000.00")
    assert created["Brand i soptunna"].kind == "arson" and created["Brand i soptunna"].cost == Decimal("1200.00")


BAD_FILE = [
    DAMAGE_HEADERS,
    ["2024-03-01", "16:00", "2024-03-04 07:00", "Kvisthamraskolan", "Skadegörelse", "Krossad ruta", "12 500,50", ""],
    ["31/2/2024", "", "", "Kvisthamraskolan", "Klotter", "Klotter på gaveln", "2 000", ""],
    ["2024-03-05", "22:15", "", "Kvistamraskolan", "Klotter", "Klotter vid entrén", "tvåtusen", ""],
    ["2024-03-06", "23:00", "", "Kvisthamraskolan", "Inbrott", "Inbrott i förrådet", "", "5000-K9-24"],
]


def test_errors_name_row_column_and_problem_and_nothing_is_written_until_the_file_is_valid(client_for):
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(BAD_FILE), "skador.csv")
    run = map_columns(client, run)
    assert (run.total_rows, run.valid_rows, run.error_rows) == (4, 2, 2)
    assert run.errors == [
        {
            "row": 3,
            "column": "Skadedatum",
            "message": "”31/2/2024” är inget datum Trygg känner igen; skriv till exempel 2024-03-05 eller 5/3/2024.",
        },
        {
            "row": 4,
            "column": "Objekt",
            "message": "Platsen ”Kvistamraskolan” finns inte i Trygg (eller ligger utanför din behörighet); skriv platsens namn som i Trygg.",
        },
        {
            "row": 4,
            "column": "Kostnad",
            "message": "”tvåtusen” är inget belopp i kronor; skriv till exempel 12 500 eller 12 500,50.",
        },
    ]
    page = client.get(f"/behov/import/{run.pk}/").content.decode()
    assert "Filen har 2 rader med fel" in page and "Importera bara de 2 giltiga raderna" in page
    assert "Importera hela filen" not in page
    before = Incident.objects.count()
    run = commit(client, run, "all")  # refused: the whole file is not valid
    assert run.status == "checked" and Incident.objects.count() == before

    rejected = client.get(f"/behov/import/{run.pk}/avvisade.csv")
    text = b"".join(rejected.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffRad i filen;Fel;Skadedatum;")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(lines) == 3
    assert lines[1][0] == "3" and lines[1][1].startswith("Skadedatum: ”31/2/2024” är inget datum")
    assert lines[1][2:] == BAD_FILE[2]  # the row as it was, to be fixed
    assert "Objekt: Platsen ”Kvistamraskolan” finns inte" in lines[2][1] and "Kostnad: ”tvåtusen”" in lines[2][1]

    run = commit(client, run, "valid_only")
    assert run.status == "done" and run.created_rows == 2 and Incident.objects.count() == before + 2

    # The officer fixes the two rows as told and imports the whole file again: only they are new.
    fixed = [row[:] for row in BAD_FILE]
    fixed[2][0] = "2024-02-29"
    fixed[3][3], fixed[3][6] = "Kvisthamraskolan", "2 000"
    again, _response = upload(client, csv_bytes(fixed), "skador-rattad.csv")
    again = map_columns(client, again)
    assert (again.valid_rows, again.existing_rows, again.error_rows) == (2, 2, 0)
    again = commit(client, again, "all")
    assert again.created_rows == 2 and Incident.objects.count() == before + 4


def test_reimporting_the_same_file_creates_no_duplicates(client_for):
    client = client_for("officer")
    content = csv_bytes(IMY_ROWS, "utf-8-sig", delimiter=",")
    first, _response = upload(client, content, "a.csv")
    first = commit(client, map_columns(client, first), "all")
    assert first.created_rows == 4
    second, _response = upload(client, content, "a.csv")
    assert second.mapping == first.mapping  # remembered for the source
    second = map_columns(client, second)
    assert (second.valid_rows, second.existing_rows) == (0, 4)
    page = client.get(f"/behov/import/{second.pk}/").content.decode()
    assert "Importera hela filen" not in page  # nothing new to import
    assert Incident.objects.filter(source=first.source).count() == 4


def test_duplicate_and_empty_rows_in_a_file_are_skipped_with_a_notice(client_for):
    client = client_for("officer")
    rows = [IMY_HEADERS, IMY_ROWS[4], [], ["", "", "", "", ""], IMY_ROWS[4], IMY_ROWS[5]]
    run, _response = upload(client, csv_bytes(rows), "dubbletter.csv")
    run = map_columns(client, run)
    assert (run.valid_rows, run.duplicate_rows, run.empty_rows, run.error_rows) == (2, 1, 2, 0)
    assert run.notices == [{"row": 5, "message": "Raden är en dubblett av rad 2 och hoppas över."}]
    run = commit(client, run, "all")
    assert run.created_rows == 2


def test_a_broken_xlsx_says_so_at_once_and_writes_nothing(client_for):
    client = client_for("officer")
    good = xlsx_bytes([IMY_HEADERS, IMY_ROWS[4]])
    run, response = upload(client, good[: len(good) // 2], "trasig.xlsx")
    assert response["Location"] == f"/behov/import/{run.pk}/"
    assert run.status == "failed"
    page = client.get(f"/behov/import/{run.pk}/").content.decode()
    assert "Excel-filen kunde inte läsas; den verkar vara skadad" in page
    assert not Incident.objects.filter(import_run=run).exists()


def test_a_failure_during_the_import_leaves_nothing_half_written(client_for, monkeypatch):
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(IMY_ROWS), "imy.csv")
    run = map_columns(client, run)
    monkeypatch.setattr(services, "CHUNK", 2)
    calls = []
    original = services.BulkInserter.insert

    def failing_insert(self, rows):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, rows)

    monkeypatch.setattr(services.BulkInserter, "insert", failing_insert)
    before = Incident.objects.count()
    run = commit(client, run, "all")
    assert calls == [2, 2]  # the first chunk was inserted before the failure …
    assert Incident.objects.count() == before  # … and rolled back with it
    assert run.status == "failed" and "Inget sparades" in run.failure


def test_the_import_is_one_event_in_the_change_log_not_one_per_row(client_for):
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(IMY_ROWS), "imy.csv")
    run = map_columns(client, run)
    incident_type = ContentType.objects.get_for_model(Incident)
    before = ObjectChange.objects.filter(changed_object_type=incident_type).count()
    run = commit(client, run, "all")
    assert ObjectChange.objects.filter(changed_object_type=incident_type).count() == before
    event = ObjectChange.objects.get(event="incidents.imported", changed_object_id=str(run.pk))
    assert event.user_name == "handlaggare" and event.postchange_data["created"] == 4
    assert event.postchange_data["file"] == "imy.csv"


def test_a_new_layout_is_mapped_by_hand_once_and_remembered_for_its_source(client_for):
    client = client_for("officer")
    rows = [["När", "Var", "Vad", "Kronor"], ["2024-03-05", "Kvisthamraskolan", "Klotter", "1 000"]]
    run, _response = upload(client, csv_bytes(rows), "egen.csv", source="Vaktmästarnas lista")
    assert "site" not in run.mapping
    response = client.post(f"/behov/import/{run.pk}/kolumner/", {"date": "När"})
    assert "Välj kolumnen med plats" in response.content.decode()  # the form says what is missing
    run = map_columns(client, run, date="När", site="Var", description="Vad", cost="Kronor")
    assert run.valid_rows == 1
    again, _response = upload(
        client, csv_bytes([rows[1][::-1], rows[0][::-1]][::-1]), "egen2.csv", source="Vaktmästarnas lista"
    )
    assert again.mapping == {"date": "När", "site": "Var", "description": "Vad", "cost": "Kronor"}


def test_one_site_for_the_whole_file(client_for):
    client = client_for("officer")
    hallsta = Site.objects.get(name="Hallsta skola")
    rows = [["Datum", "Klockslag", "Vad som hänt"], ["2024-03-05", "22", "Krossad ruta"]]
    run, _response = upload(client, csv_bytes(rows), "hallsta.csv", default_site=hallsta)
    run = commit(client, map_columns(client, run), "all")
    assert from_run(run).get().site == hallsta


def test_a_contact_imports_only_to_its_own_administrations_sites(client_for):
    client = client_for("administration_contact")
    IncidentSource.objects.create(name="Testkälla")  # sources are the officers' to add
    rows = [IMY_HEADERS, IMY_ROWS[4], ["2024-03-05", "21:00", "Stora torget", "Bråk", "Nej"]]
    run, _response = upload(client, csv_bytes(rows), "kontakt.csv")
    run = map_columns(client, run)
    assert (run.valid_rows, run.error_rows) == (1, 1)
    assert run.errors[0]["column"] == "Plats" and "Stora torget" in run.errors[0]["message"]
    other = Site.objects.get(name="Stora torget")
    response = client.post(
        "/behov/import/",
        {
            "source": IncidentSource.objects.get(name="Testkälla").pk,
            "default_site": other.pk,
            "file": SimpleUploadedFile("x.csv", csv_bytes(rows)),
        },
    )
    assert response.status_code == 200 and "default_site" in response.context["form"].errors
    # Another user's run is not the contact's to see.
    officer_run, _response = upload(client_for("officer"), csv_bytes(rows), "officer.csv")
    assert client.get(f"/behov/import/{officer_run.pk}/").status_code == 404


def test_with_a_worker_the_page_polls_until_the_pass_is_done(client_for, settings):
    from trygg.jobs import runner
    from trygg.jobs.models import Job, JobKind

    settings.TRYGG_IMPORT_IN_WORKER = True
    # The task queue keeps the job until the worker takes it (played below by `runner.execute`).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(IMY_ROWS), "ko.csv")
    run = map_columns(client, run)
    assert run.status == "queued_check"
    page = client.get(f"/behov/import/{run.pk}/").content.decode()
    assert f'hx-get="/behov/import/{run.pk}/status/"' in page and "Väntar på bakgrundsprocessen" in page
    job = Job.objects.get(kind=JobKind.INCIDENT_IMPORT, state="queued")
    assert job.params == {"run": run.pk} and job.started_by.username == "handlaggare"
    runner.execute(job.pk)  # what `trygg db_worker` does
    run.refresh_from_db()
    job.refresh_from_db()
    assert run.status == "checked" and job.state == "done"
    assert job.result_url == f"/behov/import/{run.pk}/"
    status = client.get(f"/behov/import/{run.pk}/status/", HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    run = commit(client, run, "all")
    assert run.status == "queued_import"
    assert services.process_queue() == 1  # the older worker command still takes it; the job then has nothing to do
    run.refresh_from_db()
    assert run.status == "done" and run.created_rows == 4
    second = Job.objects.get(kind=JobKind.INCIDENT_IMPORT, state="queued")
    runner.execute(second.pk)
    run.refresh_from_db()
    assert run.created_rows == 4 and from_run(run).count() == 4  # nothing imported twice


def test_committing_needs_post_and_a_checked_run(client_for):
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(IMY_ROWS), "imy.csv")
    assert client.get(f"/behov/import/{run.pk}/importera/").status_code == 405
    run = commit(client, run, "all")  # not yet checked
    assert run.status == "uploaded" and not from_run(run).exists()


def test_a_contact_neither_adds_a_source_nor_changes_the_shared_mapping(client_for):
    """Issue 15: a contact created sources and overwrote the officers' remembered column mapping."""
    rows = [["När", "Var", "Vad"], ["2024-03-05", "Kvisthamraskolan", "Klotter"]]
    officer = client_for("officer")
    run, _response = upload(officer, csv_bytes(rows), "lista.csv", source="Vaktmästarnas lista")
    map_columns(officer, run, date="När", site="Var", description="Vad")
    source = IncidentSource.objects.get(name="Vaktmästarnas lista")
    shared = dict(source.column_mapping)
    assert shared == {"date": "När", "site": "Var", "description": "Vad"}

    contact = client_for("administration_contact")
    sources = IncidentSource.objects.count()
    page = contact.get("/behov/import/").content.decode()
    assert 'name="new_source"' not in page and "läggs upp av handläggarna" in page
    refused = contact.post(
        "/behov/import/",
        {"source": "", "new_source": "Egen källa", "file": SimpleUploadedFile("x.csv", csv_bytes(rows))},
    )
    assert refused.status_code == 200 and "source" in refused.context["form"].errors
    assert IncidentSource.objects.count() == sources

    own, _response = upload(contact, csv_bytes(rows), "kontaktens.csv", source="Vaktmästarnas lista")
    assert own.mapping == shared  # starts from the officers' choice
    page = contact.get(f"/behov/import/{own.pk}/kolumner/").content.decode()
    assert "Ditt val gäller bara den här filen" in page
    own = map_columns(contact, own, description="")
    assert "description" not in own.mapping  # the contact's own choice applies to its own file
    source.refresh_from_db()
    assert source.column_mapping == shared  # and the shared mapping is unchanged


def _many_rows(count):
    return [IMY_HEADERS] + [
        [f"2024-03-{1 + n % 28:02d}", f"{n % 24:02d}:{n % 60:02d}", "Kvisthamraskolan", f"Klotter nummer {n}", "Nej"]
        for n in range(count)
    ]


def test_the_import_commits_in_batches_outside_any_open_transaction(client_for, monkeypatch):
    """Each batch is its own transaction: between batches none is open (SQLite's write lock is free)."""
    from django.db import connection

    monkeypatch.setattr(services, "CHUNK", 4)
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(_many_rows(10)), "batchvis.csv")
    run = map_columns(client, run)
    run.mode = "all"
    run.save()
    outer = len(connection.atomic_blocks)  # the test's own transaction
    seen = []

    def between(created, total):
        seen.append((created, total, len(connection.atomic_blocks) - outer, from_run(run).count()))

    services.import_rows(run, between)
    assert seen == [(4, 10, 0, 4), (8, 10, 0, 8), (10, 10, 0, 10)]
    run.refresh_from_db()
    assert run.status == "done" and run.created_rows == 10


@pytest.mark.parametrize("fault", ["batch", "cancel"])
def test_a_failed_or_cancelled_batch_leaves_nothing_of_the_import(client_for, monkeypatch, fault):
    monkeypatch.setattr(services, "CHUNK", 4)
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(_many_rows(10)), "avbruten.csv")
    run = map_columns(client, run)
    run.mode = "all"
    run.save()
    before = Incident.objects.count()
    original = services.BulkInserter.insert
    calls = []

    def third_fails(self, rows):
        calls.append(len(rows))
        if fault == "batch" and len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, rows)

    class Stop(Exception):
        pass

    def cancel_after_two(created, total):
        if fault == "cancel" and created >= 8:
            raise Stop

    monkeypatch.setattr(services.BulkInserter, "insert", third_fails)
    if fault == "cancel":
        with pytest.raises(Stop):  # raised again to the job runner, after the clean-up
            services.import_rows(run, cancel_after_two)
    else:
        services.import_rows(run, cancel_after_two)
    run.refresh_from_db()
    assert len(calls) >= 2  # two batches had been committed before the fault
    assert Incident.objects.count() == before and not from_run(run).exists()
    assert run.status == "failed" and "Inget sparades" in run.failure
    assert not ObjectChange.objects.filter(event="incidents.imported", changed_object_id=run.pk).exists()


def test_the_import_job_shows_saved_rows_and_a_cancel_removes_them(client_for, monkeypatch, settings):
    from trygg.jobs import runner
    from trygg.jobs.models import Job, JobKind

    monkeypatch.setattr(services, "CHUNK", 4)
    settings.TRYGG_IMPORT_IN_WORKER = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    client = client_for("officer")
    run, _response = upload(client, csv_bytes(_many_rows(10)), "jobb.csv")
    run = map_columns(client, run)
    runner.execute(Job.objects.get(kind=JobKind.INCIDENT_IMPORT, state="queued").pk)
    commit(client, run, "all")
    job = Job.objects.get(kind=JobKind.INCIDENT_IMPORT, state="queued")
    original = services.BulkInserter.insert

    def cancelled_after_first(self, rows):
        count = original(self, rows)
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # the Cancel button, meanwhile
        return count

    monkeypatch.setattr(services.BulkInserter, "insert", cancelled_after_first)
    runner.execute(job.pk)
    job.refresh_from_db()
    run.refresh_from_db()
    assert job.state == "cancelled"
    assert run.status == "failed" and run.failure == "Importen avbröts. Inget sparades."
    assert not from_run(run).exists()
