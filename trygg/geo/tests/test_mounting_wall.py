"""The wall a camera hangs on hides only what lies behind it (issue 12): hand-computed scenes.

Coverages are built in a plain grid frame (convergence 0, scale 1; ``scene.grid_coverage``), so
bearings are grid bearings and metres are metres.
"""

import math

import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

from trygg.geo.batch import BuildingFootprint, CameraInput, compute_batch
from trygg.geo.coverage import CameraPlacement, CameraType
from trygg.geo.crs import SWEREF99_TM
from trygg.geo.occlusion import visible_coverage
from trygg.geo.optics import CameraOptics
from trygg.geo.tests.scene import APEX, grid_coverage, rect

# A block 60 m × 55 m around a courtyard 20 m × 14.8 m = 296 m². The camera hangs on the middle of
# the courtyard's south wall (at APEX). The courtyard's far corners are √(10² + 14.8²) = 17.9 m
# away, inside a 20 m range, so the camera sees the whole courtyard and nothing else: 296 m².
# The whole disc would be π · 20² = 1 256.6 m² (the 1 256 m² seen through the block).
COURTYARD = rect(-10, 0, 10, 14.8)
BLOCK = Polygon(rect(-30, -20, 30, 35).exterior.coords, [COURTYARD.exterior.coords])


def test_a_dome_on_a_courtyard_wall_sees_the_courtyard_not_the_block():
    dome = grid_coverage(None, None, 20.0, camera_type=CameraType.DOME)
    assert dome.area_m2 == pytest.approx(math.pi * 20**2, rel=3e-4)  # 1 256.6 m², the 2° polygon 0.02 % less
    visible = visible_coverage(dome, [BLOCK])
    assert visible.area == pytest.approx(296.0, abs=1e-6)
    assert shapely.symmetric_difference(visible, COURTYARD).area < 1e-6


def test_a_fixed_camera_on_a_courtyard_wall_sees_its_wedge_of_the_courtyard():
    # Looking north, 90° wide: the courtyard less the two triangles below the ±45° rays, which
    # meet the side walls at (±10, 10): 296 − 2 · ½ · 10 · 10 = 196 m².
    camera = grid_coverage(0.0, 90.0, 20.0)
    assert visible_coverage(camera, [BLOCK]).area == pytest.approx(196.0, abs=1e-6)


def test_a_camera_inside_a_building_sees_only_the_room():
    # 10 m from every wall (more than the mounting tolerance): the walls block. Looking north,
    # 90° wide, 30 m: the triangle up to the north wall, ½ · 20 · 10 = 100 m² (before: the whole
    # sector through the walls, π/4 · 30² ≈ 707 m²).
    camera = grid_coverage(0.0, 90.0, 30.0)
    assert visible_coverage(camera, [rect(-10, -10, 10, 10)]).area == pytest.approx(100.0, abs=1e-6)


def test_a_camera_on_a_facade_sees_nothing_of_the_building_behind_it():
    # Building north of the camera, which hangs on its south facade and looks 100° (just south of
    # east), 90° wide: the sector spans 55°–145°, and 55°–90° lies inside the building. It sees the
    # 55° from 90° to 145°, ½ · 55° · 20² = 192.0 m² for the true arc; the polygon is exactly the
    # sector polygon south of the facade line.
    camera = grid_coverage(100.0, 90.0, 20.0)
    building = rect(-10, 0, 10, 20)
    visible = visible_coverage(camera, [building])
    south = camera.geometry.intersection(box(APEX[0] - 50, APEX[1] - 50, APEX[0] + 50, APEX[1]))
    # The rays 1e-6° beside the facade line leave slivers of ~1e-6 m².
    assert shapely.symmetric_difference(visible, south).area < 1e-5
    assert visible.area == pytest.approx(0.5 * math.radians(55) * 20**2, rel=1e-3)


def test_a_camera_on_a_corner_looking_along_the_facade():
    # On the north-west corner of a building east-south of it, looking 95° (5° into the building's
    # side of the facade line), 20° wide, 25 m: it sees the 5° north of the facade line,
    # ½ · 5° · 25² = 27.3 m² for the true arc (as the demo's Kvisthamra cameras).
    camera = grid_coverage(95.0, 20.0, 25.0)
    visible = visible_coverage(camera, [rect(0, -18, 60, 0)])
    north = camera.geometry.intersection(box(APEX[0] - 50, APEX[1], APEX[0] + 50, APEX[1] + 50))
    assert shapely.symmetric_difference(visible, north).area < 1e-6
    assert visible.area == pytest.approx(0.5 * math.radians(5) * 25**2, rel=2e-3)


@pytest.mark.parametrize("inside_m", [1e-9, 0.3])
def test_a_position_a_little_inside_the_outline_still_looks_out(inside_m):
    # Digitised 0.3 m inside the facade (within the tolerance) and looking out (south): the facade
    # does not block; the building behind does. The sector is a 60° wedge, 20 m, from 0.3 m inside.
    building = rect(-10, inside_m, 10, 20)
    camera = grid_coverage(180.0, 60.0, 20.0)
    visible = visible_coverage(camera, [building])
    outside = camera.geometry.difference(building)
    assert shapely.symmetric_difference(visible, outside).area < 1e-6


def test_the_batch_agrees_on_the_courtyard():
    camera = CameraInput(
        "dome", CameraPlacement(*APEX, crs=SWEREF99_TM, camera_type=CameraType.DOME), CameraOptics(), 20.0
    )
    (result,) = compute_batch([camera], [BuildingFootprint("block", BLOCK)], []).results
    # The batch applies the point scale factor k (1.000131 here): the courtyard is unchanged, the
    # disc grows by k², and the courtyard is all the camera sees.
    assert result.visible_area_m2 == pytest.approx(296.0, abs=1e-6)


def test_a_fence_line_the_camera_hangs_on_hides_what_is_behind_it():
    # A fence along the grid x axis through the camera; the camera faces north (bearing 30°,
    # 120° wide: 330°–90°). The part of the sector south of the fence (none here) and the fence
    # itself do not matter; a second fence 5 m north across the whole view blocks as any wall.
    fence = LineString([(APEX[0] - 30, APEX[1]), (APEX[0] + 30, APEX[1])])
    camera = grid_coverage(30.0, 120.0, 20.0)
    assert visible_coverage(camera, [fence]).area == pytest.approx(camera.area_m2, abs=1e-6)
    # Facing south-east (bearing 120°, 120° wide: 60°–180°): the 30° north of the fence are hidden.
    camera = grid_coverage(120.0, 120.0, 20.0)
    south = camera.geometry.intersection(box(APEX[0] - 50, APEX[1] - 50, APEX[0] + 50, APEX[1]))
    assert shapely.symmetric_difference(visible_coverage(camera, [fence]), south).area < 1e-6
