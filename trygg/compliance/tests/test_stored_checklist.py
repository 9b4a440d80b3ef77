"""The stored checklist (issue 15): kept in step with every fact it reads, equal to the on-demand result.

Each change test takes a snapshot of KVI-01's stored result, changes one fact the checklist reads
(a decided assessment, a sign, a zone, a move), and checks that the stored result changed and now
equals the checklist computed on demand for today.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.compliance import stored
from trygg.compliance.facts import cameras_for_compliance, compliance_for_many
from trygg.compliance.models import StoredChecklist
from trygg.demo.geometry import rectangle, to_geojson
from trygg.sites.models import Zone

from .helpers import approve_addendum, install, put_up_sign

pytestmark = pytest.mark.django_db

COMPARED = (
    "computed_on",
    "state",
    "activation_allowed",
    "assessment_stale",
    "blockers",
    "warnings",
    "finding",
    "finding_severity",
    "register",
    "administration_id",
)


def as_values(row: StoredChecklist) -> dict:
    return {name: getattr(row, name) for name in COMPARED}


def on_demand(camera_ids) -> dict[int, dict]:
    """The checklists of `camera_ids` computed now, as they would be stored."""
    cameras = cameras_for_compliance(Camera.objects.filter(pk__in=camera_ids))
    return {
        item.camera.pk: as_values(stored.row_for(item)) for item in compliance_for_many(cameras, timezone.localdate())
    }


def stored_values(camera: Camera) -> dict:
    return as_values(StoredChecklist.objects.get(camera=camera))


def test_the_stored_result_equals_the_on_demand_result_for_every_demo_camera():
    ids = list(Camera.objects.values_list("pk", flat=True))
    assert ids
    expected = on_demand(ids)
    rows = {row.camera_id: as_values(row) for row in StoredChecklist.objects.filter(camera_id__in=ids)}
    assert rows == expected


@pytest.fixture
def kvi01() -> Camera:
    camera = Camera.objects.get(identifier="KVI-01")
    assert stored_values(camera) == on_demand([camera.pk])[camera.pk]
    return camera


def check_follows(camera: Camera, before: dict) -> dict:
    after = stored_values(camera)
    assert after != before, "the change should have changed the stored checklist"
    assert after == on_demand([camera.pk])[camera.pk]
    return after


def test_a_move_updates_the_stored_result(kvi01):
    before = stored_values(kvi01)
    camera_services.move(kvi01, "installed", timezone.localdate())
    after = check_follows(kvi01, before)
    assert after["state"] == "installed"


def test_a_decided_assessment_updates_the_stored_result(kvi01):
    install()
    before = stored_values(kvi01)
    approve_addendum()
    check_follows(kvi01, before)


def test_a_sign_updates_the_stored_result(kvi01):
    before = stored_values(kvi01)
    sign = put_up_sign()
    after = check_follows(kvi01, before)
    sign.delete()
    check_follows(kvi01, after)


def test_a_zone_edit_updates_the_stored_result(kvi01):
    before = stored_values(kvi01)
    site = kvi01.site
    zone = Zone(
        site=site,
        name="Lekplatsen",
        kind="playground",
        rule="must_not_monitor",
        geometry=to_geojson(rectangle(site.longitude, site.latitude, -30, 8, 30, 12)),
    )
    zone.full_clean()
    zone.save()
    after = check_follows(kvi01, before)
    zone.rule = "may_monitor"
    zone.save()
    check_follows(kvi01, after)


def test_a_camera_edit_updates_the_stored_result(kvi01):
    before = stored_values(kvi01)
    kvi01.records_sound = True  # sound brings a rule of its own (rules.py)
    kvi01.save()
    check_follows(kvi01, before)


def test_a_site_given_to_another_administration_moves_its_findings_and_reviews_to_that_contact(client_for):
    # The contact reads its rows by their stored administration (`stored.stored_in_scope`), so the stored
    # administration must follow the site's, or the contact would see another administration's cameras.
    from trygg.core.models import Administration

    contact = client_for("administration_contact")
    own = Administration.objects.filter(contacts__username="forvaltning").first()
    other = Administration.objects.exclude(pk=own.pk).first()
    camera = Camera.objects.filter(site__administration=other, stored_checklist__finding_order__isnull=False).first()
    assert camera is not None
    html = contact.get("/efterlevnad/atgarder/").content.decode()
    assert camera.identifier not in html
    site = camera.site
    site.administration = own
    site.save()
    assert StoredChecklist.objects.get(camera=camera).administration_id == own.pk
    assert camera.identifier in contact.get("/efterlevnad/atgarder/").content.decode()
    site.administration = other
    site.save()
    assert camera.identifier not in contact.get("/efterlevnad/atgarder/").content.decode()


def test_cameras_without_a_stored_result_are_computed_when_read(client_for):
    StoredChecklist.objects.all().delete()
    data = client_for("officer").get(reverse("compliance:checklist_list_json")).json()
    assert data["cameras"]
    assert StoredChecklist.objects.count() == Camera.objects.count()
    assert {row["computed_on"] for row in data["cameras"]} == {timezone.localdate().isoformat()}


def test_the_command_recomputes_every_camera():
    from django.core.management import call_command

    StoredChecklist.objects.update(computed_on="2020-01-01")
    call_command("recompute_checklists", verbosity=0)
    assert set(StoredChecklist.objects.values_list("computed_on", flat=True)) == {timezone.localdate()}


def _queries(client, url: str) -> int:
    """Queries of one request with nothing kept: a whole export is written anew (not served from
    trygg.core.export_cache) and counts kept under the data stamp are counted anew."""
    caches["exports"].clear()
    caches["default"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["compliance:checklist_list_json", "compliance:register", "compliance:register_csv", "home"],
)
def test_lists_from_stored_results_do_not_grow_with_cameras(client_for, url):
    """Twenty more cameras at a demo site add no query to the lists that read stored checklists."""
    client = client_for("officer")
    path = reverse(url)
    _queries(client, path)  # warm caches (organisation, content types)
    before = _queries(client, path)
    template = Camera.objects.get(identifier="KVI-01")
    with stored.deferred():
        for i in range(20):
            camera = Camera.objects.get(pk=template.pk)
            camera.pk = None
            camera.identifier = f"KVI-X{i:02d}"
            camera.state = "planned"
            camera.save()
            camera_services.move(camera, "designed", timezone.localdate())
    assert _queries(client, path) == before
