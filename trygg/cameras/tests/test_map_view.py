"""The programme map loads only what is in view (`?bbox=`), and counts cameras per area in a wide view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.cameras import map_views
from trygg.cameras.models import Camera

pytestmark = pytest.mark.django_db

URL = "/karta/data.geojson"


def box_around(camera: Camera, half: float) -> str:
    return (
        f"{camera.longitude - half},{camera.latitude - half / 2},{camera.longitude + half},{camera.latitude + half / 2}"
    )


def test_a_narrow_view_has_exactly_the_cameras_in_it(client_for):
    camera = Camera.objects.get(identifier="KVI-01")
    half = 0.01
    data = client_for("officer").get(URL, {"bbox": box_around(camera, half)}).json()
    shown = {f["properties"]["identifier"] for f in data["features"] if f["properties"]["kind"] == "camera"}
    expected = set(
        Camera.objects.exclude(state="decommissioned")
        .filter(
            longitude__range=(camera.longitude - half, camera.longitude + half),
            latitude__range=(camera.latitude - half / 2, camera.latitude + half / 2),
        )
        .values_list("identifier", flat=True)
    )
    assert "KVI-01" in shown
    assert shown == expected
    everything = client_for("officer").get(URL).json()
    assert len(everything["features"]) > len(data["features"])  # something lies outside the view


def test_a_wide_view_counts_every_camera_in_clusters(client_for):
    data = client_for("officer").get(URL, {"bbox": "17,59,20,61"}).json()
    kinds = {f["properties"]["kind"] for f in data["features"]}
    assert kinds == {"cluster"}
    in_view = (
        Camera.objects.exclude(state="decommissioned")
        .filter(longitude__range=(17, 20), latitude__range=(59, 61))
        .count()
    )
    assert in_view > 0
    assert sum(f["properties"]["count"] for f in data["features"]) == in_view
    assert len(data["features"]) <= map_views.CLUSTER_CELLS**2


@pytest.mark.parametrize("value", ["1,2,3", "a,b,c,d", "20,59,17,61", "0,-100,1,1"])
def test_a_bad_bbox_is_refused_in_swedish(client_for, value):
    response = client_for("officer").get(URL, {"bbox": value})
    assert response.status_code == 400
    assert "”bbox”" in response.content.decode()


@pytest.mark.parametrize("bbox", ["17,59,20,61", "18.6,59.7,18.66,59.8"])
def test_a_view_costs_the_same_queries_with_more_cameras(client_for, bbox):
    client = client_for("officer")
    client.get(URL, {"bbox": bbox})

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"bbox": bbox}).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    template = Camera.objects.get(identifier="KVI-01")
    copies = []
    for i in range(30):
        copy = Camera.objects.get(pk=template.pk)
        copy.pk = None
        copy.identifier = f"KVI-K{i:02d}"
        copies.append(copy)
    Camera.objects.bulk_create(copies)  # positions only matter here; no signals needed
    assert count() == before
