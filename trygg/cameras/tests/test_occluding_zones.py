"""Zones of kind building, wall and fence block the view like imported buildings (hand-computed areas).

The scene: a camera at a new site's point looking along grid north, 20° wide, 25 m. Its sector is
½ · 20° · 25² = 109.08 m². A wall across the whole view 5 m ahead leaves the triangle up to the
wall, 5² · tan 10° = 4.408 m². A schoolyard from 10 m to 40 m ahead is, without the wall, the
sector minus the triangle up to 10 m: 109.08 − 10² · tan 10° = 109.08 − 17.63 = 91.45 m².
Stored areas are rounded to 0.1 m², and the sector's arc is drawn with 1° chords (0.005 % smaller).
"""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import ValidationError

from trygg.cameras.coverage import preview
from trygg.cameras.models import Camera
from trygg.core.models import Administration
from trygg.demo.geometry import lonlat, metres, rectangle, to_geojson
from trygg.geo.crs import meridian_convergence_deg
from trygg.sites.models import Site, Zone

pytestmark = pytest.mark.django_db

LON, LAT = 18.80, 59.80
SECTOR = 0.5 * math.radians(20) * 25**2
UP_TO_WALL = 25 * math.tan(math.radians(10))
SCHOOLYARD_SEEN = SECTOR - 100 * math.tan(math.radians(10))


def line(*points: tuple[float, float]) -> dict:
    """A GeoJSON LineString through points given in metres east and north of the site's point."""
    x, y = metres(LON, LAT)
    return {"type": "LineString", "coordinates": [list(lonlat(x + east, y + north)) for east, north in points]}


@pytest.fixture
def site() -> Site:
    site = Site(
        name="Testskolan",
        kind="school",
        administration=Administration.objects.first(),
        longitude=LON,
        latitude=LAT,
    )
    site.full_clean()
    site.save()
    return site


def add_zone(site: Site, name: str, kind: str, geometry: dict, rule: str = "may_monitor") -> Zone:
    zone = Zone(site=site, name=name, kind=kind, rule=rule, geometry=geometry)
    zone.full_clean()
    zone.save()
    return zone


def add_camera(site: Site, north: float = 0.0) -> Camera:
    lon, lat = lonlat(*(a + b for a, b in zip(metres(LON, LAT), (0.0, north), strict=True)))
    camera = Camera(
        identifier="TEST-01",
        site=site,
        longitude=lon,
        latitude=lat,
        mount="wall",
        mount_height_m=4.0,
        # Bearings are true; turn by the meridian convergence so the camera looks along grid north.
        bearing_deg=float(meridian_convergence_deg(lon, lat)),
        hfov_deg=20,
        range_m=25,
        camera_type="fixed",
    )
    camera.full_clean()
    camera.save()
    camera.refresh_from_db()
    return camera


def schoolyard(site: Site) -> Zone:
    return add_zone(
        site, "Skolgården", "schoolyard", to_geojson(rectangle(LON, LAT, -30, 10, 30, 40)), "must_not_monitor"
    )


def test_without_obstacles_the_camera_sees_its_sector_and_the_schoolyard(site):
    schoolyard(site)
    camera = add_camera(site)
    assert camera.visible_area_m2 == pytest.approx(SECTOR, abs=0.1)
    assert camera.intrusions[0]["area_m2"] == pytest.approx(SCHOOLYARD_SEEN, abs=0.1)


@pytest.mark.parametrize(
    ("kind", "geometry"),
    [
        ("wall", line((-20, 5), (20, 5))),
        ("fence", line((-20, 5), (0, 5), (20, 5))),
        ("fence", to_geojson(rectangle(LON, LAT, -20, 5, 20, 5.1))),
        ("building", to_geojson(rectangle(LON, LAT, -20, 5, 20, 9))),
    ],
    ids=["wall-line", "fence-line", "fence-polygon", "building-zone"],
)
def test_a_blocking_zone_across_the_view_hides_the_schoolyard(site, kind, geometry):
    schoolyard(site)
    add_zone(site, "Hinder", kind, geometry)
    camera = add_camera(site)
    assert camera.visible_area_m2 == pytest.approx(UP_TO_WALL, abs=0.06)
    assert camera.intrusions == [] or camera.intrusions[0]["area_m2"] == 0
    assert "Skolgården" not in {item["zone_name"] for item in camera.zones_seen}
    # The form's live preview computes the same as the stored coverage.
    assert preview(camera)["visible_area_m2"] == camera.visible_area_m2


def test_other_zones_do_not_block(site):
    add_zone(site, "Gatan", "street", to_geojson(rectangle(LON, LAT, -20, 5, 20, 9)))
    assert add_camera(site).visible_area_m2 == pytest.approx(SECTOR, abs=0.1)


def test_drawing_the_wall_later_recomputes_the_camera(site):
    schoolyard(site)
    camera = add_camera(site)
    add_zone(site, "Muren", "wall", line((-20, 5), (20, 5)))
    camera.refresh_from_db()
    assert camera.visible_area_m2 == pytest.approx(UP_TO_WALL, abs=0.06)


def test_a_camera_on_a_building_zone_is_not_blocked_by_it(site):
    # The camera hangs on the north wall of a building drawn as a zone (its outline passes through
    # the camera) and looks away from it: it sees its whole sector, as with an imported host building.
    add_zone(site, "Skolhuset", "building", to_geojson(rectangle(LON, LAT, -20, -10, 20, 0)))
    assert add_camera(site).visible_area_m2 == pytest.approx(SECTOR, abs=0.1)


def test_a_camera_on_a_wall_is_not_blocked_by_it(site):
    # A wall line through the camera's own position: without the host exclusion every ray would
    # stop at distance 0 and the camera would see nothing.
    add_zone(site, "Muren", "wall", line((-10, 0), (10, 0)))
    assert add_camera(site).visible_area_m2 == pytest.approx(SECTOR, abs=0.1)


def test_only_walls_and_fences_may_be_lines(site):
    with pytest.raises(ValidationError) as error:
        add_zone(site, "Gränsen", "schoolyard", line((0, 0), (10, 0)), "must_not_monitor")
    assert "Bara en mur eller ett staket/plank kan ritas som en linje" in error.value.message_dict["geometry"][0]
    with pytest.raises(ValidationError) as error:
        add_zone(site, "Muren", "wall", line((0, 0), (0, 0)))
    assert "Linjen är tom" in error.value.message_dict["geometry"][0]
    far = {"type": "LineString", "coordinates": [[2.35, 48.85], [2.36, 48.86]]}
    with pytest.raises(ValidationError) as error:
        add_zone(site, "Muren", "wall", far)
    assert "utanför Sverige" in error.value.message_dict["geometry"][0]
    assert not Zone.objects.filter(site=site).exists()
