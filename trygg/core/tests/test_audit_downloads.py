"""Every download of exact positions or of a secret document is one named event (issue 15, item 8)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from trygg.cameras.models import Camera
from trygg.core.audit import EVENTS
from trygg.core.history import changes_for
from trygg.core.models import Attachment, ObjectChange
from trygg.incidents.models import ImportRun, IncidentSource
from trygg.reports.models import BoardReport
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db


def new_events(after: int) -> list[ObjectChange]:
    return list(ObjectChange.objects.filter(pk__gt=after, action="event").order_by("pk"))


def last_id() -> int:
    return ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def officer(client_for):
    return client_for("officer")


def download(client, url: str) -> list[ObjectChange]:
    before = last_id()
    response = client.get(url)
    assert response.status_code == 200, url
    return new_events(before)


def test_the_camera_list_csv_is_one_event_about_the_user_with_the_count(officer, demo_users):
    before = last_id()
    response = officer.get("/kameror/kameror.csv?q=TORG")
    [event] = new_events(before)
    assert event.event == "download.cameras_csv" and event.user_name == "handlaggare"
    assert event.changed_object_id == str(demo_users["officer"].pk)
    assert event.postchange_data["file"] == "kameror.csv"
    assert event.postchange_data["path"] == "/kameror/kameror.csv?q=TORG"
    # One event for the whole file, with the number of cameras (data rows) in it.
    text = response.content.decode()
    assert event.postchange_data["cameras"] == len(text.strip().splitlines()) - 1


def test_map_site_and_coverage_geojson_are_logged_once_each_not_per_feature(officer):
    site = Site.objects.get(name="Kvisthamraskolan")
    camera = Camera.objects.filter(site=site).first()
    [whole] = download(officer, "/karta/data.geojson")
    assert whole.event == "download.map_data" and whole.postchange_data["features"] > 1
    [of_site] = download(officer, f"/platser/{site.pk}/karta.geojson")
    assert of_site.event == "download.site_map_data" and of_site.changed_object_id == str(site.pk)
    [coverage] = download(officer, f"/kameror/{camera.pk}/tackning.geojson")
    assert coverage.event == "download.coverage" and coverage.changed_object_id == str(camera.pk)
    assert coverage in changes_for(camera)


def test_ogc_reads_by_staff_are_logged_and_public_reads_are_not(officer, client):
    [items] = download(officer, "/ogc/collections/cameras/items?limit=5")
    assert items.event == "download.ogc_features"
    assert items.postchange_data["collection"] == "cameras" and items.postchange_data["features"] == 5
    assert download(client, "/ogc/collections/sites/items") == []


def test_the_secret_annex_of_a_report_is_logged(officer, demo_users):
    from trygg.reports import services

    report = BoardReport.objects.get(case_number="KS 2024/0123")
    version = services.freeze(report, demo_users["officer"], title="Säkerhetssamordnare")
    [annex] = download(officer, f"/rapporter/versioner/{version.pk}/bilaga-sekretess.pdf")
    assert annex.event == "download.report_annex" and annex.postchange_data["version"] == version.version
    assert annex.postchange_data["file"].endswith("-bilaga-sekretess.pdf")


def test_an_attachment_download_is_logged_in_its_owners_history(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    camera = Camera.objects.first()
    attachment = Attachment(content_object=camera, original_name="beslut.pdf", media_type="application/pdf")
    attachment.file.save("beslut.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    attachment.save()
    [event] = download(officer, f"/bilagor/{attachment.pk}/")
    assert event.event == "download.attachment" and event.postchange_data["file"] == "beslut.pdf"
    assert event in changes_for(camera)


def test_deleting_an_import_run_is_logged(demo_users):
    source = IncidentSource.objects.first()
    run = ImportRun.objects.create(source=source, original_name="polisen.csv", created_by=demo_users["officer"])
    pk = run.pk
    run.delete()
    deleted = ObjectChange.objects.get(changed_object_id=str(pk), action="delete", object_repr__contains="polisen")
    assert deleted.prechange_data["original_name"] == "polisen.csv" and "errors" not in deleted.prechange_data


def test_every_download_event_has_a_swedish_label():
    downloads = [name for name in EVENTS if name.startswith("download.")]
    assert len(downloads) == 7 and all(str(EVENTS[name]) for name in downloads)
