"""List pages and the start page use the same number of queries whatever the amount of data."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.cameras import services
from trygg.cameras.models import Camera
from trygg.programme.models import Project
from trygg.sites.models import Site

PAGES = [
    (None, "/"),
    ("reader", "/"),
    ("officer", "/"),
    ("officer", "/admin/cameras/camera/"),
    ("officer", "/admin/sites/site/"),
    ("officer", "/admin/programme/project/"),
    ("administration_contact", "/admin/cameras/camera/"),
    ("officer", "/platser/"),
    ("officer", "/kameror/"),
    ("officer", "/kameror/kameror.csv"),
    ("officer", "/projekteringar/"),
    ("administration_contact", "/projekteringar/"),
    ("administration_contact", "/"),
    ("dpo", "/"),
    ("officer", "/karta/data.geojson"),
    ("administration_contact", "/karta/data.geojson"),
    ("officer", "/efterlevnad/atgarder/"),
    ("administration_contact", "/efterlevnad/atgarder/"),
]


def add_data(n: int, first: int = 0) -> None:
    """n more sites, each with a project and a camera in operation (numbered from `first`)."""
    template = Site.objects.get(name="Kvisthamraskolan")
    project = Project.objects.get(site=template)
    for i in range(first, first + n):
        site = Site.objects.create(
            name=f"Skola {i}",
            kind="school",
            administration=template.administration,
            longitude=18.7,
            latitude=59.76,
            area_kind="rural",
        )
        Project.objects.create(
            name=f"Projekt {i}",
            site=site,
            plan_year=2025,
            target_min=1,
            target_max=2,
            target_date=dt.date(2025, 12, 31),
            responsible_administration=project.responsible_administration,
        )
        camera = Camera(
            identifier=f"X-{i}",
            site=site,
            longitude=18.7,
            latitude=59.76,
            mount="wall",
            mount_height_m=4,
            bearing_deg=0,
            hfov_deg=60,
            camera_type="fixed",
        )
        camera.planned_on = dt.date(2024, 1, 1)
        camera.save()
        for state in ["designed", "installed", "in_operation"]:
            services.move(camera, state, dt.date(2024, 2, 1))


def count_queries(client, url) -> int:
    """Queries of one request with nothing kept: a whole export is written anew (not served from
    trygg.core.export_cache), and counts kept under the data stamp (the indicator's, the start page's) are
    counted anew, so both sizes do the same work."""
    caches["exports"].clear()
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        # A streamed file reads the database while it is sent.
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(queries)


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_queries_are_constant(client_for, role, url):
    client = client_for(role)
    # One of each first: a list that is empty for a role (the contact has no camera in operation in the
    # demo) skips its prefetch queries, which is no growth with the data.
    add_data(1, first=100)
    client.get(url)  # warm per-process caches (content types, session)
    before = count_queries(client, url)
    add_data(25)
    assert count_queries(client, url) == before


def add_cameras(n: int) -> None:
    """n more cameras in operation at Stora torget (coverage computed once, at the end)."""
    from trygg.cameras.coverage import deferred_recompute

    site = Site.objects.get(name="Stora torget")
    with deferred_recompute():
        for i in range(n):
            camera = Camera(
                identifier=f"Q-{i}",
                site=site,
                longitude=site.longitude,
                latitude=site.latitude,
                mount="pole",
                mount_height_m=5,
                bearing_deg=(i * 37) % 360,
                hfov_deg=70,
                range_m=20,
                camera_type="fixed",
            )
            camera.planned_on = dt.date(2020, 1, 1)
            camera.save()
            for state in ["designed", "installed", "in_operation"]:
                services.move(camera, state, dt.date(2020, 2, 1))


@pytest.mark.parametrize("url", ["/karta/data.geojson", "/kameror/kameror.csv"])  # the list pages are paged
def test_camera_pages_cost_the_same_with_10_and_120_cameras(client_for, url):
    # 120, not more: a query per camera would show as 110 more; each camera costs its moves and checklist.
    client = client_for("officer")
    add_cameras(10)
    client.get(url)
    with_ten = count_queries(client, url)
    Camera.objects.filter(identifier__startswith="Q-").delete()
    add_cameras(120)
    assert Camera.objects.filter(identifier__startswith="Q-").count() == 120
    assert count_queries(client, url) == with_ten
