"""Importing existing cameras from CSV/XLSX: preview, per-row errors, all-or-nothing, history, idempotence."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.cameras import imports
from trygg.cameras.models import Camera, CameraTransition
from trygg.core.models import ObjectChange

D = dt.date
HEADER = (
    "beteckning;plats;longitud;latitud;riktning;synvinkel;räckvidd;typ;montering;monteringshöjd;"
    "planerad;installerad;i drift sedan;lagringstid"
)
# Stora torget is at 18.7031, 59.7583 in the demo data.
GOOD = "TORG-50;Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5,5;2018-10-01;2019-05-20;2019-06-01;72"
GOOD_2 = "TORG-51;Stora torget;18,7028;59,7581;22,5;90;;dom;vägg;4;;;2020-03-01;"


def csv_bytes(*lines: str) -> bytes:
    # Swedish Excel writes UTF-8 with a byte-order mark (or Windows-1252), semicolons and CRLF.
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def statuses(result: imports.Preview) -> list[tuple[int, str]]:
    return [(row.number, row.status) for row in result.rows]


def problems(result: imports.Preview, number: int) -> list[str]:
    [row] = [row for row in result.rows if row.number == number]
    return [imports.text(problem) for problem in row.problems]


def counts() -> tuple[int, int, int]:
    return Camera.objects.count(), CameraTransition.objects.count(), ObjectChange.objects.count()


def test_valid_csv_imports_with_dated_history(demo_users):
    result = imports.preview_bytes(csv_bytes(HEADER, GOOD, GOOD_2), "kameror.csv")
    assert result.file_problem == ""
    assert statuses(result) == [(2, "new"), (3, "new")]
    outcome = imports.import_cameras(result, only_valid=False, user=demo_users["officer"])
    assert outcome.created == ["TORG-50", "TORG-51"]
    camera = Camera.objects.get(identifier="TORG-50")
    assert (camera.longitude, camera.latitude, camera.bearing_deg, camera.mount_height_m) == (
        18.7035,
        59.7585,
        200,
        5.5,
    )
    assert (camera.camera_type, camera.mount, camera.range_m, camera.retention_hours) == ("fixed", "pole", 30, 72)
    assert camera.state == "in_operation"
    rows = list(camera.transitions.order_by("sequence").values_list("to_state", "occurred_on", "recorded_by"))
    officer = demo_users["officer"].pk
    assert rows == [
        ("planned", D(2018, 10, 1), officer),
        ("designed", D(2019, 5, 20), officer),
        ("installed", D(2019, 5, 20), officer),
        ("in_operation", D(2019, 6, 1), officer),
    ]
    second = Camera.objects.get(identifier="TORG-51")
    assert (second.bearing_deg, second.camera_type, second.mount, second.range_m) == (22.5, "dome", "wall", None)
    assert second.retention_hours == 72  # the model's default when the cell is empty
    assert list(second.transitions.order_by("sequence").values_list("to_state", "occurred_on")) == [
        ("planned", D(2020, 3, 1)),
        ("designed", D(2020, 3, 1)),
        ("installed", D(2020, 3, 1)),
        ("in_operation", D(2020, 3, 1)),
    ]
    # The same service as the form: the change log says it was registered after the fact.
    assert ObjectChange.objects.filter(event="camera.registered_existing", changed_object_id=str(camera.pk)).exists()


def test_reimport_creates_no_duplicates_and_changes_nothing(demo_users):
    data = csv_bytes(HEADER, GOOD, GOOD_2)
    imports.import_cameras(imports.preview_bytes(data, "kameror.csv"), only_valid=False, user=demo_users["officer"])
    before = counts()
    again = imports.preview_bytes(data, "kameror.csv")
    assert statuses(again) == [(2, "exists"), (3, "exists")]
    outcome = imports.import_cameras(again, only_valid=False, user=demo_users["officer"])
    assert outcome.created == [] and outcome.existing == ["TORG-50", "TORG-51"]
    assert counts() == before


def test_existing_identifier_is_listed_not_changed(demo_users):
    kvi = Camera.objects.get(identifier="KVI-01")
    state, bearing = kvi.state, kvi.bearing_deg
    line = "KVI-01;Stora torget;18,7035;59,7585;10;70;30;fast;stolpe;5;;;2019-06-01;72"
    result = imports.preview_bytes(csv_bytes(HEADER, line, GOOD), "kameror.csv")
    assert statuses(result) == [(2, "exists"), (3, "new")]
    outcome = imports.import_cameras(result, only_valid=False, user=demo_users["officer"])
    assert outcome.created == ["TORG-50"] and outcome.existing == ["KVI-01"]
    kvi.refresh_from_db()
    assert (kvi.state, kvi.bearing_deg) == (state, bearing)


BAD_ROWS = [
    (
        "unknown site",
        "TORG-60;Torget;18,7035;59,7585;200;70;30;fast;stolpe;5;;;2019-06-01;72",
        "plats: Platsen Torget finns inte i Trygg; skriv platsens namn exakt som i platslistan.",
    ),
    (
        "swapped lon/lat",
        "TORG-61;Stora torget;59,7585;18,7035;200;70;30;fast;stolpe;5;;;2019-06-01;72",
        "longitud/latitud: Longitud och latitud verkar omkastade",
    ),
    (
        "far from the site",
        "TORG-62;Stora torget;18,80;59,7585;200;70;30;fast;stolpe;5;;;2019-06-01;72",
        "longitud/latitud: Geometrin ligger 5,4 km från platsen Stora torget",
    ),
    (
        "dates out of order",
        "TORG-63;Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5;;2019-07-01;2019-06-01;72",
        "i drift sedan: Datumet för i drift (2019-06-01) ligger före datumet för installerad (2019-07-01)",
    ),
    (
        "future date",
        "TORG-64;Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5;;;2999-06-01;72",
        "i drift sedan: Datumet 2999-06-01 ligger i framtiden",
    ),
    (
        "no date in the field",
        "TORG-65;Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5;2019-01-01;;;72",
        "installerad / i drift sedan: Ange när kameran installerades",
    ),
    (
        "not a number",
        "TORG-66;Stora torget;18,7035;59,7585;söder;70;30;fast;stolpe;5;;;2019-06-01;72",
        "riktning: söder är inget tal; skriv t.ex. 22,5.",
    ),
    (
        "unknown type",
        "TORG-67;Stora torget;18,7035;59,7585;200;70;30;fisheye;stolpe;5;;;2019-06-01;72",
        "typ: fisheye är inget känt värde; skriv något av fast, dom, ptz, värmekamera.",
    ),
    (
        "not a date",
        "TORG-68;Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5;;;1/6 2019;72",
        "i drift sedan: 1/6 2019 är inget datum; skriv ÅÅÅÅ-MM-DD",
    ),
    (
        "bearing out of range",
        "TORG-69;Stora torget;18,7035;59,7585;400;70;30;fast;stolpe;5;;;2019-06-01;72",
        "riktning: Riktningen ska vara 0–359 grader",
    ),
]


@pytest.mark.parametrize(("kind", "line", "expected"), BAD_ROWS, ids=[kind for kind, _l, _e in BAD_ROWS])
def test_each_bad_row_is_named_with_its_column(demo_users, kind, line, expected):
    result = imports.preview_bytes(csv_bytes(HEADER, GOOD, line), "kameror.csv")
    assert statuses(result) == [(2, "new"), (3, "error")]
    found = problems(result, 3)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_duplicate_identifier_within_the_file_names_the_first_row(demo_users):
    result = imports.preview_bytes(csv_bytes(HEADER, GOOD, GOOD_2, GOOD), "kameror.csv")
    assert statuses(result) == [(2, "new"), (3, "new"), (4, "error")]
    assert problems(result, 4) == ["beteckning: Beteckningen TORG-50 finns redan på rad 2 i filen."]


def test_all_or_nothing_leaves_nothing_and_only_valid_imports_the_rest(demo_users):
    bad = BAD_ROWS[0][1]
    result = imports.preview_bytes(csv_bytes(HEADER, GOOD, bad, GOOD_2), "kameror.csv")
    before = counts()
    outcome = imports.import_cameras(result, only_valid=False, user=demo_users["officer"])
    assert outcome.created == [] and [number for number, _m in outcome.refused] == [3]
    assert counts() == before
    outcome = imports.import_cameras(result, only_valid=True, user=demo_users["officer"])
    assert outcome.created == ["TORG-50", "TORG-51"]
    assert not Camera.objects.filter(identifier="TORG-60").exists()


def test_a_row_refused_only_when_written_rolls_back_the_whole_file(demo_users, monkeypatch):
    # Rows that pass the preview can still be refused by the model's full check (say another user
    # registered the identifier in between): then nothing of the file stays.
    result = imports.preview_bytes(csv_bytes(HEADER, GOOD, GOOD_2), "kameror.csv")
    before = counts()
    original = imports._register

    def refuse_second(row, site, user):
        if row.values["identifier"] == "TORG-51":
            from django.core.exceptions import ValidationError

            raise ValidationError({"identifier": ["Kamera med denna beteckning finns redan."]})
        return original(row, site, user)

    monkeypatch.setattr(imports, "_register", refuse_second)
    outcome = imports.import_cameras(result, only_valid=False, user=demo_users["officer"])
    assert outcome.created == [] and outcome.refused == [(3, ["beteckning: Kamera med denna beteckning finns redan."])]
    assert counts() == before


def test_sweref_99_tm_columns_are_reprojected(demo_users):
    from trygg.geo.crs import lonlat_to_grid

    east, north = (float(v) for v in lonlat_to_grid(18.7035, 59.7585))
    header = "beteckning;plats;E;N;riktning;synvinkel;typ;montering;monteringshöjd;i drift sedan"
    line = f"TORG-70;Stora torget;{east:.2f};{north:.2f};200;70;fast;stolpe;5;2019-06-01".replace(".", ",")
    swapped = f"TORG-71;Stora torget;{north:.2f};{east:.2f};200;70;fast;stolpe;5;2019-06-01".replace(".", ",")
    result = imports.preview_bytes(csv_bytes(header, line, swapped), "kameror.csv")
    assert statuses(result) == [(2, "new"), (3, "error")]
    assert result.rows[0].values["longitude"] == pytest.approx(18.7035, abs=1e-6)
    assert result.rows[0].values["latitude"] == pytest.approx(59.7585, abs=1e-6)
    assert problems(result, 3)[0].startswith("E/N: E och N verkar omkastade")


def test_xlsx_with_excel_dates_and_numbers(demo_users):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Kameror i Norrtälje kommun"])  # a title row above the header, as people write
    sheet.append(
        [
            *("Beteckning", "Plats", "Longitud", "Latitud", "Riktning", "Synvinkel", "Räckvidd (m)", "Typ"),
            *("Montering", "Monteringshöjd (m)", "Installerad", "I drift sedan", "Lagringstid (timmar)", "Kommentar"),
        ]
    )
    sheet.append(
        [
            "TORG-80",
            "Stora torget",
            18.7035,
            59.7585,
            200,
            70,
            30,
            "Fast",
            "Vägg",
            4,
            D(2019, 5, 20),  # openpyxl writes a date cell; it reads back as a datetime
            D(2019, 6, 1),
            48,
            "x",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = imports.preview_bytes(buffer.getvalue(), "kameror.xlsx")
    assert result.file_problem == ""
    assert result.unused == ["Kommentar"]
    assert statuses(result) == [(3, "new")]
    imports.import_cameras(result, only_valid=False, user=demo_users["officer"])
    camera = Camera.objects.get(identifier="TORG-80")
    assert (camera.mount, camera.retention_hours, camera.state) == ("wall", 48, "in_operation")
    assert camera.transitions.get(to_state="installed").occurred_on == D(2019, 5, 20)
    assert statuses(imports.preview_bytes(buffer.getvalue(), "kameror.xlsx")) == [(3, "exists")]


def test_missing_columns_are_named_for_the_whole_file(demo_users):
    result = imports.preview_bytes(csv_bytes("beteckning;plats;riktning", "TORG-90;Stora torget;10"), "k.csv")
    assert result.rows == []
    assert result.file_problem.startswith("Kolumner saknas i filens rubrikrad: synvinkel, typ, montering,")
    assert "longitud och latitud (eller E och N i SWEREF 99 TM)" in result.file_problem


def test_preview_queries_do_not_grow_with_rows(demo_users):
    def lines(n: int) -> list[str]:
        return [f"IMP-{i:03d};Stora torget;18,7035;59,7585;200;70;30;fast;stolpe;5;;;2019-06-01;72" for i in range(n)]

    with CaptureQueriesContext(connection) as few:
        small = imports.preview_bytes(csv_bytes(HEADER, *lines(2)), "k.csv")
    with CaptureQueriesContext(connection) as many:
        large = imports.preview_bytes(csv_bytes(HEADER, *lines(40)), "k.csv")
    assert (small.new, large.new) == (2, 40)
    assert len(many) == len(few) <= 5


def test_command_imports_only_valid_rows_and_speaks_swedish(demo_users, tmp_path: Path):
    path = tmp_path / "kameror.csv"
    path.write_bytes(csv_bytes(HEADER, GOOD, BAD_ROWS[0][1]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Inget importerades"):
        call_command("import_cameras", str(path), stdout=out)
    assert "Rad 3: plats: Platsen Torget finns inte i Trygg" in out.getvalue()
    assert not Camera.objects.filter(identifier="TORG-50").exists()
    out = io.StringIO()
    call_command("import_cameras", str(path), "--only-valid", stdout=out)
    assert "1 kamera ny, 0 fanns redan, 1 rad med fel." in out.getvalue()
    assert Camera.objects.get(identifier="TORG-50").state == "in_operation"


def test_page_upload_preview_and_import(client_for, demo_users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("officer")
    page = client.get("/kameror/")
    assert 'href="/kameror/import/"' in page.content.decode() and "Importera kameror" in page.content.decode()
    bad = BAD_ROWS[1][1]
    upload = SimpleUploadedFile("kameror.csv", csv_bytes(HEADER, GOOD, bad), content_type="text/csv")
    response = client.post("/kameror/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 kamera blir ny, 0 finns redan och lämnas orörda, 1 rad har fel." in html
    assert "longitud/latitud: Longitud och latitud verkar omkastade" in html
    assert not Camera.objects.filter(identifier="TORG-50").exists()  # the preview writes nothing
    payload = response.context["commit_form"].initial["payload"]
    refused = client.post("/kameror/import/", {"payload": payload, "mode": "all"})
    assert refused.status_code == 400 and "Inget importerades" in refused.content.decode()
    assert not Camera.objects.filter(identifier="TORG-50").exists()
    done = client.post("/kameror/import/", {"payload": payload, "mode": "only_valid"}, follow=True)
    assert "1 kamera importerades med sin historik" in done.content.decode()
    assert Camera.objects.get(identifier="TORG-50").transitions.count() == 4
    tampered = client.post("/kameror/import/", {"payload": payload[:-3] + "abc", "mode": "all"})
    assert tampered.status_code == 400
    assert client_for("dpo").get("/kameror/import/").status_code == 403


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8), max_size=16), max_size=4
    ),
    st.binary(max_size=64),
)
def test_any_file_is_previewed_or_refused_never_an_exception(demo_users, rows, noise):
    lines = [HEADER, *[";".join(cells) for cells in rows]]
    for data in (csv_bytes(*lines), noise, b"PK\x03\x04" + noise):
        result = imports.preview_bytes(data, "kameror.csv" if not data.startswith(b"PK") else "kameror.xlsx")
        assert result.file_problem or all(row.status in {"new", "error", "exists"} for row in result.rows)


def _preview_payload(client, *lines):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("kameror.csv", csv_bytes(HEADER, *lines), content_type="text/csv")
    return client.post("/kameror/import/", {"file": upload}).context["commit_form"].initial["payload"]


def test_with_a_worker_the_commit_is_a_job_with_its_outcome_on_the_job_page(client_for, demo_users, tmp_path):
    from django.test import override_settings

    from trygg.jobs.models import Job, JobKind

    client = client_for("officer")
    bad = BAD_ROWS[1][1]
    with override_settings(TRYGG_IMPORT_IN_WORKER=True, MEDIA_ROOT=tmp_path):
        payload = _preview_payload(client, GOOD, bad, GOOD_2)
        before = counts()
        refused = client.post("/kameror/import/", {"payload": payload, "mode": "all"})
        job = Job.objects.get(kind=JobKind.CAMERA_IMPORT)
        assert refused["Location"] == f"/jobb/{job.pk}/"
        assert job.state == "failed" and job.failure.startswith("Inget importerades: 1 rad har fel.")
        assert "rad 3: longitud/latitud: Longitud och latitud verkar omkastade" in job.failure
        assert counts() == before  # nothing of the file
        done = client.post("/kameror/import/", {"payload": payload, "mode": "only_valid"}, follow=True)
    html = done.content.decode()
    job = Job.objects.filter(kind=JobKind.CAMERA_IMPORT).latest("pk")
    assert job.state == "done" and job.started_by == demo_users["officer"]
    assert "2 kameror importerades med sin historik; 0 fanns redan och lämnades orörda." in html
    assert "1 rad med fel hoppades över: 3." in html and 'href="/kameror/"' in html
    assert Camera.objects.get(identifier="TORG-50").transitions.count() == 4


def test_a_camera_import_job_cancelled_or_crashing_mid_file_leaves_no_camera(client_for, demo_users, monkeypatch):
    from django.test import override_settings

    from trygg.jobs.models import Job, JobKind

    original = imports._register
    client = client_for("officer")

    for fault in ("cancel", "crash"):

        def second_row(row, site, user, fault=fault):
            registration = original(row, site, user)
            if row.values["identifier"] == "TORG-50":
                if fault == "crash":
                    raise RuntimeError("disk full")
                Job.objects.update(cancel_requested=True)  # the Cancel button, meanwhile
            return registration

        monkeypatch.setattr(imports, "_register", second_row)
        with override_settings(TRYGG_IMPORT_IN_WORKER=True):
            payload = _preview_payload(client, GOOD, GOOD_2)
            before = counts()
            client.post("/kameror/import/", {"payload": payload, "mode": "all"})
        job = Job.objects.filter(kind=JobKind.CAMERA_IMPORT).latest("pk")
        assert job.state == ("cancelled" if fault == "cancel" else "failed")
        assert counts()[:2] == before[:2] and not Camera.objects.filter(identifier__in=["TORG-50", "TORG-51"]).exists()
        if fault == "crash":  # inside the first batch: rolled back, nothing was ever written
            with translation.override("sv"):
                assert "tekniskt fel" in job.failure_text and "disk" not in job.failure_text
            assert counts() == before
        else:  # cancelled after the first batch was committed: its cameras removed again, and the log says so
            removed = ObjectChange.objects.filter(action="delete", message__startswith="Importen av kameror avbröts")
            assert sorted(
                removed.filter(changed_object_type__model="camera").values_list("object_repr", flat=True)
            ) == [
                "TORG-50",
                "TORG-51",
            ]


def test_all_or_nothing_over_several_batches_removes_the_earlier_batches(demo_users, monkeypatch):
    """With one row per transaction a refused third row comes after two committed cameras: both are
    removed again, each removal in the change log, and the progress between batches was outside any
    transaction (a cancel could be saved then)."""
    from django.db import connection

    monkeypatch.setattr(imports, "BATCH", 1)
    bad = BAD_ROWS[0][1]
    result = imports.preview_bytes(csv_bytes(HEADER, GOOD, GOOD_2), "kameror.csv")
    original = imports._register

    def refuse_third(row, site, user):
        if row.values["identifier"] == "TORG-51":
            from django.core.exceptions import ValidationError

            raise ValidationError({"identifier": ["Kamera med denna beteckning finns redan."]})
        return original(row, site, user)

    monkeypatch.setattr(imports, "_register", refuse_third)
    steps, written = [], []
    outer_depth = len(connection.savepoint_ids)

    def progress(done, total):
        steps.append((done, total, len(connection.savepoint_ids) == outer_depth))

    before = counts()
    outcome = imports.import_cameras(
        result, only_valid=False, user=demo_users["officer"], progress=progress, on_batch=written.append
    )
    assert bad  # the fixture's bad row is not used: the model refuses TORG-51 only when it is written
    assert outcome.created == [] and [number for number, _m in outcome.refused] == [3]
    assert counts()[:2] == before[:2] and not Camera.objects.filter(identifier="TORG-50").exists()
    assert steps == [(0, 2, True), (1, 2, True)]  # TORG-50's batch done, outside a transaction; TORG-51 refused
    assert len(written) == 1 and len(written[0]) == 1
    assert ObjectChange.objects.filter(action="delete", object_repr="TORG-50").exists()


def test_a_dead_workers_camera_import_is_removed_when_recovered(demo_users):
    """The job keeps the ids of the cameras its batches committed; when its process died (no heartbeat for
    the stale limit) recovery removes them and marks the job failed."""
    import datetime as dt

    from django.utils import timezone

    from trygg.jobs import recovery
    from trygg.jobs.models import Job, JobKind, JobState

    result = imports.preview_bytes(csv_bytes(HEADER, GOOD, GOOD_2), "kameror.csv")
    kept = []
    imports.import_cameras(result, only_valid=False, user=demo_users["officer"], on_batch=kept.append)
    long_ago = timezone.now() - dt.timedelta(minutes=11)
    job = Job.objects.create(
        kind=JobKind.CAMERA_IMPORT,
        started_by=demo_users["officer"],
        state=JobState.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
        written=kept[-1],
    )
    assert Camera.objects.filter(identifier__in=["TORG-50", "TORG-51"]).count() == 2
    assert recovery.recover().jobs == [job.pk]
    assert not Camera.objects.filter(identifier__in=["TORG-50", "TORG-51"]).exists()
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED
