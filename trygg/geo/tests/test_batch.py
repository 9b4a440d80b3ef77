"""The batch gives the same answers as the one-camera functions, and survives bad cameras."""

import math
import random

import numpy as np
import pytest
import shapely
from shapely import affinity

from trygg.geo.batch import BuildingFootprint, CameraInput, compute_batch
from trygg.geo.coverage import CameraPlacement, CameraType, PanRange, compute_coverage
from trygg.geo.crs import SWEREF99_TM, WGS84, reproject
from trygg.geo.intrusion import ZoneInput, ZoneRule, assess_intrusion
from trygg.geo.occlusion import visible_coverage
from trygg.geo.optics import CameraOptics
from trygg.geo.tests.scene import APEX, rect


def random_scene(seed: int, cameras: int = 40, buildings: int = 60, zones: int = 30):
    """Cameras, buildings and zones in a 200 × 200 m block; some cameras sit on a building wall."""
    rng = random.Random(seed)
    footprints = []
    for i in range(buildings):
        x, y = rng.uniform(0, 200), rng.uniform(0, 200)
        box = rect(x, y, x + rng.uniform(5, 25), y + rng.uniform(5, 15))
        footprints.append(BuildingFootprint(f"b{i}", affinity.rotate(box, rng.uniform(0, 90))))
    rules = list(ZoneRule)
    zone_inputs = [
        ZoneInput(f"z{i}", rect(x, y, x + rng.uniform(5, 40), y + rng.uniform(5, 40)), rng.choice(rules))
        for i, (x, y) in enumerate((rng.uniform(0, 200), rng.uniform(0, 200)) for _ in range(zones))
    ]
    camera_inputs = []
    for i in range(cameras):
        if i % 2 == 0:
            # On the outline of a building: exercises the host exclusion.
            ring = footprints[i % buildings].geometry.exterior
            point = ring.interpolate(rng.uniform(0, ring.length))
            x, y = point.x, point.y
        else:
            x, y = APEX[0] + rng.uniform(0, 200), APEX[1] + rng.uniform(0, 200)
        kind = rng.random()
        placement = CameraPlacement(
            x,
            y,
            crs=SWEREF99_TM,
            bearing_deg=rng.uniform(0, 360) if kind < 0.8 else None,
            pan=PanRange(rng.uniform(0, 360), rng.uniform(0, 360)) if 0.8 <= kind < 0.9 else None,
            camera_type=CameraType.DOME if kind >= 0.9 else CameraType.FIXED,
            height_m=rng.choice([None, 4.0, 6.0]),
            tilt_deg=rng.choice([None, 20.0, 35.0]),
        )
        optics = CameraOptics(hfov_deg=rng.uniform(40, 110) if kind < 0.9 else None)
        camera_inputs.append(CameraInput(f"c{i}", placement, optics, rng.uniform(15, 40), rng.random() < 0.5))
    return camera_inputs, footprints, zone_inputs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_batch_equals_one_by_one(seed):
    cameras, buildings, zones = random_scene(seed)
    batch = compute_batch(cameras, buildings, zones)
    assert batch.errors == ()
    assert [r.camera_id for r in batch.results] == [c.id for c in cameras]
    occluded = intruding = 0
    for camera, result in zip(cameras, batch.results, strict=True):
        coverage = compute_coverage(camera.placement, camera.optics, camera.range_m)
        visible = visible_coverage(coverage, [b.geometry for b in buildings])
        report = assess_intrusion(coverage, zones, camera.runs_during_school_hours, visible=visible)
        assert result.coverage.geometry.equals(coverage.geometry)
        assert shapely.symmetric_difference(result.visible, visible).area < 1e-6
        assert result.visible.is_valid
        one = {f.zone_id: f for f in report.findings}
        many = {f.zone_id: f for f in result.intrusion.findings}
        assert one.keys() == many.keys()
        for zone_id, finding in one.items():
            assert many[zone_id].area_m2 == pytest.approx(finding.area_m2, abs=1e-6)
            assert many[zone_id].area_m2_without_occlusion == pytest.approx(finding.area_m2_without_occlusion, abs=1e-6)
            assert many[zone_id].share == pytest.approx(finding.share, abs=1e-9)
        assert shapely.symmetric_difference(result.intrusion.mask, report.mask).area < 1e-6
        occluded += visible.area < coverage.area_m2 - 1e-6
        intruding += report.intrudes
    # The scene must actually exercise occlusion and intrusion, or the comparison proves little.
    assert occluded >= 5
    assert intruding >= 3


def test_batch_accepts_lonlat_geometries():
    cameras, buildings, zones = random_scene(4, cameras=15)
    in_grid = compute_batch(cameras, buildings, zones)
    as_lonlat = compute_batch(
        cameras,
        [BuildingFootprint(b.id, reproject(b.geometry, SWEREF99_TM, WGS84)) for b in buildings],
        [ZoneInput(z.id, reproject(z.geometry, SWEREF99_TM, WGS84), z.rule) for z in zones],
        geometry_crs=WGS84,
    )
    for a, b in zip(in_grid.results, as_lonlat.results, strict=True):
        # Round trip through lon/lat moves vertices by nanometres only.
        assert a.visible_area_m2 == pytest.approx(b.visible_area_m2, abs=1e-4)


def test_batch_reports_bad_cameras_and_goes_on():
    good = CameraInput("good", CameraPlacement(18.7, 59.76, bearing_deg=10), CameraOptics(hfov_deg=60), 20)
    no_bearing = CameraInput("no-bearing", CameraPlacement(18.7, 59.76), CameraOptics(hfov_deg=60), 20)
    nowhere = CameraInput(
        "nowhere", CameraPlacement(float("nan"), 59.76, bearing_deg=10), CameraOptics(hfov_deg=60), 20
    )
    batch = compute_batch([no_bearing, good, nowhere], [], [])
    assert [r.camera_id for r in batch.results] == ["good"]
    assert [camera_id for camera_id, _ in batch.errors] == ["no-bearing", "nowhere"]
    assert "Riktning saknas" in str(batch.errors[0][1])


def test_batch_of_nothing():
    assert compute_batch([], [], []).results == ()


def test_batch_vectorised_positions_match_single():
    rng = np.random.default_rng(5)
    cameras = [
        CameraInput(i, CameraPlacement(float(lon), float(lat), bearing_deg=45.0), CameraOptics(hfov_deg=90.0), 25.0)
        for i, (lon, lat) in enumerate(zip(rng.uniform(11, 23, 20), rng.uniform(56, 68, 20), strict=True))
    ]
    for camera, result in zip(cameras, compute_batch(cameras, [], []).results, strict=True):
        single = compute_coverage(camera.placement, camera.optics, camera.range_m)
        assert result.coverage.convergence_deg == pytest.approx(single.convergence_deg, abs=1e-12)
        assert result.coverage.apex == pytest.approx(single.apex, abs=1e-6)


def test_batch_blocks_with_lines_as_single_camera_does():
    # Walls and fences may be drawn as lines. Every third obstacle of the scene becomes a line
    # along one of its building's walls (some before the polygons in the input, so the grouping
    # of edges by obstacle is exercised); the batch must see exactly what one-by-one sees.
    cameras, buildings, zones = random_scene(7)
    obstacles = [
        BuildingFootprint(b.id, shapely.LineString(list(b.geometry.exterior.coords)[:3])) if i % 3 == 0 else b
        for i, b in enumerate(buildings)
    ]
    batch = compute_batch(cameras, obstacles, zones)
    blocked = 0
    for camera, result in zip(cameras, batch.results, strict=True):
        coverage = compute_coverage(camera.placement, camera.optics, camera.range_m)
        visible = visible_coverage(coverage, [b.geometry for b in obstacles])
        assert shapely.symmetric_difference(result.visible, visible).area < 1e-6
        blocked += visible.area < coverage.area_m2 - 1e-6
    assert blocked >= 5


def test_a_wall_line_across_the_view_hides_what_lies_behind_it():
    # Camera looking grid north, 20° wide, 25 m; a 40 m wall 5 m ahead across the whole view.
    # What it sees is the triangle up to the wall: 5² · tan 10° = 4.408 m².
    def camera(bearing: float) -> CameraInput:
        return CameraInput(
            "c", CameraPlacement(*APEX, crs=SWEREF99_TM, bearing_deg=bearing), CameraOptics(hfov_deg=20), 25
        )

    # Bearings are true; turn by the meridian convergence so the camera looks along grid north.
    convergence = compute_batch([camera(0.0)], [], []).results[0].coverage.convergence_deg
    wall = shapely.LineString([(APEX[0] - 20, APEX[1] + 5), (APEX[0] + 20, APEX[1] + 5)])
    result = compute_batch([camera(convergence)], [BuildingFootprint("wall", wall)], []).results[0]
    assert result.visible_area_m2 == pytest.approx(25 * math.tan(math.radians(10)), abs=1e-6)
