"""Benchmark: coverage + occlusion + intrusion for a whole (synthetic) municipality.

    .venv/bin/python bench/bench_coverage.py                     # 10 000 cameras, 50 000 buildings, 20 000 zones
    .venv/bin/python bench/bench_coverage.py --cameras 2000 --buildings 10000 --zones 4000
    .venv/bin/python bench/bench_coverage.py --scaling           # 1 000 / 10 000 / 100 000 cameras

Data are generated from a fixed seed in SWEREF 99 TM around Norrtälje (E 690–720 km,
N 6620–6650 km): towns of four sizes, rectangular buildings clustered in them, zones
(schoolyards, neighbour plots) beside buildings, and cameras mostly on building walls looking
outwards, the rest on poles. Ranges 15–40 m, HFOV 60–110°, some pan ranges, domes and tilted
cameras. With --scaling the extent grows with the camera count so density stays constant, and
each size runs in its own process so the peak memory figures do not mix.

Prints wall time of ``compute_batch`` (data generation excluded) and peak resident memory.
"""

from __future__ import annotations

import argparse
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import shapely

# Measure this checkout's trygg even if the venv has another one installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trygg.geo.batch import BuildingFootprint, CameraInput, compute_batch
from trygg.geo.coverage import CameraPlacement, CameraType, PanRange
from trygg.geo.crs import SWEREF99_TM, grid_to_lonlat, meridian_convergence_deg
from trygg.geo.intrusion import ZoneInput, ZoneRule
from trygg.geo.optics import CameraOptics

DEFAULT_CAMERAS = 10_000
DEFAULT_BUILDINGS = 50_000
DEFAULT_ZONES = 20_000
CENTRE = (705_000.0, 6_635_000.0)
SIDE_M = 30_000.0  # side of the default extent, for DEFAULT_CAMERAS cameras
TOWNS_PER_10K_CAMERAS = 40
#: Relative town sizes, repeated: a central town, a smaller one and villages.
TOWN_SIZES = (2.0, 1.0, 0.6, 0.4)
TOWN_SPREAD_M = 600.0  # standard deviation of building positions in a town of size 1


def rectangles(rng: np.random.Generator, cx, cy, width, depth, angle_deg) -> np.ndarray:
    """Rotated rectangles centred on (cx, cy) as an array of shapely polygons."""
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
    local_x = corners[None, :, 0] * width[:, None]
    local_y = corners[None, :, 1] * depth[:, None]
    a = np.radians(angle_deg)[:, None]
    x = cx[:, None] + local_x * np.cos(a) - local_y * np.sin(a)
    y = cy[:, None] + local_x * np.sin(a) + local_y * np.cos(a)
    return shapely.polygons(np.stack((x, y), axis=-1))


def generate(cameras: int, buildings: int, zones: int, seed: int = 20241029):
    """Cameras, buildings and zones at the default density, in an extent sized for ``cameras``."""
    rng = np.random.default_rng(seed)
    side = SIDE_M * math.sqrt(cameras / DEFAULT_CAMERAS)
    # Towns repeat a fixed cycle of sizes whose spread grows with √size, so building density
    # inside towns, and the mix of town sizes, is the same at every scale: only the count grows.
    towns = max(len(TOWN_SIZES), round(TOWNS_PER_10K_CAMERAS * cameras / DEFAULT_CAMERAS))
    town_x = CENTRE[0] + rng.uniform(-side / 2, side / 2, towns)
    town_y = CENTRE[1] + rng.uniform(-side / 2, side / 2, towns)
    size = np.resize(np.asarray(TOWN_SIZES), towns)
    town_weight = size / size.sum()
    town_spread = TOWN_SPREAD_M * np.sqrt(size)

    town = rng.choice(towns, buildings, p=town_weight)
    bx = town_x[town] + rng.normal(0, 1, buildings) * town_spread[town]
    by = town_y[town] + rng.normal(0, 1, buildings) * town_spread[town]
    b_width, b_depth = rng.uniform(8, 30, buildings), rng.uniform(6, 15, buildings)
    b_angle = rng.uniform(0, 90, buildings)
    footprints = rectangles(rng, bx, by, b_width, b_depth, b_angle)
    building_inputs = [BuildingFootprint(i, g) for i, g in enumerate(footprints)]

    # Zones lie beside a building: schoolyards, facades + 2 m, neighbour plots.
    host = rng.integers(0, buildings, zones)
    offset = rng.uniform(10, 40, zones)
    direction = rng.uniform(0, 2 * np.pi, zones)
    zone_geometries = rectangles(
        rng,
        bx[host] + offset * np.cos(direction),
        by[host] + offset * np.sin(direction),
        rng.uniform(15, 80, zones),
        rng.uniform(15, 60, zones),
        rng.uniform(0, 90, zones),
    )
    rule_choice = rng.choice(3, zones, p=[0.3, 0.4, 0.3])
    rules = [ZoneRule.MAY_MONITOR, ZoneRule.MUST_NOT_MONITOR, ZoneRule.ONLY_OUTSIDE_SCHOOL_HOURS]
    zone_inputs = [ZoneInput(i, g, rules[r]) for i, (g, r) in enumerate(zip(zone_geometries, rule_choice, strict=True))]

    # 60 % on a wall of a building, looking outwards (± 30°); 40 % on a pole near one.
    on_wall = rng.random(cameras) < 0.6
    chosen = rng.integers(0, buildings, cameras)
    side_index = rng.integers(0, 4, cameras)
    along = rng.uniform(-0.4, 0.4, cameras)
    half = np.where(side_index % 2 == 0, b_depth[chosen], b_width[chosen]) / 2
    normal_angle = np.radians(b_angle[chosen]) + side_index * np.pi / 2  # 0 = +x side
    length = np.where(side_index % 2 == 0, b_width[chosen], b_depth[chosen]) / 2
    wall_x = bx[chosen] + length * np.cos(normal_angle) - along * 2 * half * np.sin(normal_angle)
    wall_y = by[chosen] + length * np.sin(normal_angle) + along * 2 * half * np.cos(normal_angle)
    wall_bearing = 90 - np.degrees(normal_angle) + rng.uniform(-30, 30, cameras)  # math angle → grid bearing
    pole_distance = rng.uniform(8, 40, cameras)
    pole_angle = rng.uniform(0, 2 * np.pi, cameras)
    x = np.where(on_wall, wall_x, bx[chosen] + pole_distance * np.cos(pole_angle))
    y = np.where(on_wall, wall_y, by[chosen] + pole_distance * np.sin(pole_angle))
    grid_bearing = np.where(on_wall, wall_bearing, rng.uniform(0, 360, cameras))
    lon, lat = grid_to_lonlat(x, y)
    true_bearing = (grid_bearing + meridian_convergence_deg(lon, lat)) % 360

    kind = rng.random(cameras)
    hfov = rng.uniform(60, 110, cameras)
    range_m = rng.uniform(15, 40, cameras)
    tilted = rng.random(cameras) < 0.3
    height = rng.uniform(3, 8, cameras)
    tilt = rng.uniform(10, 40, cameras)
    pan_start = rng.uniform(0, 360, cameras)
    pan_width = rng.uniform(60, 200, cameras)
    school = rng.random(cameras) < 0.5
    camera_inputs = []
    for i in range(cameras):
        is_dome = kind[i] >= 0.95
        is_pan = 0.85 <= kind[i] < 0.95
        placement = CameraPlacement(
            float(x[i]),
            float(y[i]),
            crs=SWEREF99_TM,
            bearing_deg=None if is_dome or is_pan else float(true_bearing[i]),
            pan=PanRange(float(pan_start[i]), float((pan_start[i] + pan_width[i]) % 360)) if is_pan else None,
            camera_type=CameraType.DOME if is_dome else CameraType.PANNING if is_pan else CameraType.FIXED,
            height_m=float(height[i]) if tilted[i] else None,
            tilt_deg=float(tilt[i]) if tilted[i] else None,
        )
        optics = CameraOptics(hfov_deg=None if is_dome else float(hfov[i]), horizontal_pixels=1920)
        camera_inputs.append(CameraInput(i, placement, optics, float(range_m[i]), bool(school[i])))
    return camera_inputs, building_inputs, zone_inputs


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def run(cameras: int, buildings: int, zones: int) -> dict[str, float]:
    started = time.perf_counter()
    data = generate(cameras, buildings, zones)
    generated = time.perf_counter() - started
    before = current_rss_mb()
    started = time.perf_counter()
    result = compute_batch(*data)
    seconds = time.perf_counter() - started
    findings = sum(len(r.intrusion.findings) for r in result.results)
    intruding = sum(r.intrusion.intrudes for r in result.results)
    occluded = sum(r.visible_area_m2 < r.coverage.area_m2 - 1e-6 for r in result.results)
    print(
        f"cameras {cameras:>7}  buildings {buildings:>7}  zones {zones:>7}  "
        f"generate {generated:6.2f} s  batch {seconds:6.2f} s  ({seconds / cameras * 1000:.3f} s per 1000 cameras)  "
        f"peak RSS {peak_rss_mb():7.0f} MB (before batch {before:.0f} MB)",
        flush=True,
    )
    print(
        f"    occluded {occluded}  zone findings {findings}  intruding cameras {intruding}  "
        f"errors {len(result.errors)}",
        flush=True,
    )
    return {"seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cameras", type=int, default=DEFAULT_CAMERAS)
    parser.add_argument("--buildings", type=int)
    parser.add_argument("--zones", type=int)
    parser.add_argument("--scaling", action="store_true", help="run 1 000 / 10 000 / 100 000 cameras")
    args = parser.parse_args()
    if args.scaling:
        for cameras in (1_000, 10_000, 100_000):
            factor = cameras / DEFAULT_CAMERAS
            command = [
                sys.executable,
                __file__,
                "--cameras",
                str(cameras),
                "--buildings",
                str(round(DEFAULT_BUILDINGS * factor)),
                "--zones",
                str(round(DEFAULT_ZONES * factor)),
            ]
            subprocess.run(command, check=True)
        return
    factor = args.cameras / DEFAULT_CAMERAS
    buildings = args.buildings if args.buildings is not None else round(DEFAULT_BUILDINGS * factor)
    zones = args.zones if args.zones is not None else round(DEFAULT_ZONES * factor)
    run(args.cameras, buildings, zones)


if __name__ == "__main__":
    main()
