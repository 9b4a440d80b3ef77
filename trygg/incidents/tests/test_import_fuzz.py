"""Fuzzing the incident import through its pages (issue 12, item 6): whatever the file, never a server error,
never an uncaught exception, and never a partial write — "the whole file" writes every row or none, "only the
valid rows" writes exactly the rows the preview counted as new."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.incidents import services
from trygg.incidents.models import ImportRun, Incident, IncidentSource
from trygg.incidents.tests.files import DAMAGE_HEADERS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Cells as they come: real values, near misses and garbage.
DATES = st.sampled_from(["2024-03-05", "5/3/2024", "31/2/2024", "9 mars 2024", "2024-13-01", "", "igår", "1e308"])
TIMES = st.sampled_from(["22:15", "kl. 23", "25:00", "", "16:00-07:00", "-1"])
SITES = st.sampled_from(["Kvisthamraskolan", "Rimbo bibliotek", "Kvistamraskolan", "", "=HYPERLINK(1)", "Stora torget"])
KINDS = st.sampled_from(["Klotter", "Skadegörelse", "Brand", "", "okänd sort"])
COSTS = st.sampled_from(["12 500", "12 500,50", "tvåtusen", "-5", "1e308", "", "99999999999999999999"])
# Control characters cannot be written into a worksheet (openpyxl refuses them), so none in the cells.
FREE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
ROW = st.tuples(DATES, TIMES, TIMES, SITES, KINDS, FREE, COSTS, FREE).map(list)


@pytest.fixture
def officer(client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRYGG_IMPORT_IN_WORKER = False
    source, _ = IncidentSource.objects.get_or_create(name="Fuzzkälla")
    return client_for("officer"), source


def upload(client, source, content: bytes, name: str):
    response = client.post(
        "/behov/import/",
        {"source": source.pk, "new_source": "", "default_site": "", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code < 500
    return response


def check_run(client, run: ImportRun) -> ImportRun:
    """Map the columns if asked, as a user would, and return the checked run."""
    if run.status not in ("checked", "failed"):
        data = {name: run.mapping.get(name, "") for name in services.parsing.FIELDS}
        assert client.post(f"/behov/import/{run.pk}/kolumner/", data).status_code < 500
        run.refresh_from_db()
    return run


@FUZZ
@given(rows=st.lists(ROW, max_size=12), xlsx=st.booleans(), mode=st.sampled_from(["all", "valid_only"]))
def test_any_table_imports_all_or_nothing_as_chosen(officer, rows, xlsx, mode):
    client, source = officer
    content = xlsx_bytes([DAMAGE_HEADERS, *rows]) if xlsx else csv_bytes([DAMAGE_HEADERS, *rows])
    before_runs = ImportRun.objects.count()
    response = upload(client, source, content, "skador.xlsx" if xlsx else "skador.csv")
    if ImportRun.objects.count() == before_runs:
        assert response.status_code == 200  # the upload form, with the problem named
        return
    run = check_run(client, ImportRun.objects.latest("pk"))
    if run.status != "checked":
        assert run.status == "failed" and Incident.objects.filter(import_run=run).count() == 0
        return
    assert run.valid_rows + run.error_rows + run.existing_rows <= run.total_rows
    before = Incident.objects.count()
    response = client.post(f"/behov/import/{run.pk}/importera/", {"mode": mode})
    assert response.status_code < 500
    run.refresh_from_db()
    written = Incident.objects.count() - before
    if mode == "all" and run.error_rows:
        assert written == 0 and run.status == "checked"  # refused: not a row of a file with errors
    elif run.status == "done":
        assert written == run.created_rows
        assert written <= run.valid_rows
    else:
        assert written == 0


@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["skador.csv", "skador.xlsx", "skador.txt", "x"]))
def test_any_bytes_give_a_message_not_an_error(officer, content, name):
    client, source = officer
    before = Incident.objects.count()
    upload(client, source, content, name)
    run = ImportRun.objects.order_by("-pk").first()
    if run is not None and run.status not in ("checked", "failed", "done"):
        check_run(client, run)
    assert Incident.objects.count() == before  # nothing is written before the user chooses to import
