"""Benchmark: OGC API – Features items pages of 1 000 cameras, Trygg against pygeoapi and the raw floor.

    .venv/bin/python bench/bench_ogc.py                   # 10 000 cameras, 5 rounds over the 10 pages
    .venv/bin/python bench/bench_ogc.py --cameras 2000 --rounds 3

What runs (issue 13, item 6):

* **Trygg**: `/ogc/collections/cameras/items?limit=1000&offset=…` as a signed-in officer (the precise
  camera collection), the whole Django stack with its middleware, on a fresh SQLite database in a
  temporary folder (TRYGG_DATA_DIR), never the checkout's own.
* **pygeoapi** (the OGC reference implementation) serving the very same features, written to a
  GeoJSON file, with its GeoJSON provider: `/collections/cameras/items?limit=1000&offset=…&f=json`.
  It is installed by this script in its own virtual environment under `bench/.pygeoapi/` (ignored by
  git; recent pygeoapi needs Python ≥ 3.12, taken from pyenv or TRYGG_BENCH_PYTHON); it is never a
  dependency of Trygg.
* **floor**: the same rows read with one SQL query (sqlite3, the same columns and the same join) and
  encoded with orjson (the fastest encoder installable there; json if not), as a bare WSGI app.

All three are served by the same server (wsgiref from the standard library, one process each) and
requested over HTTP from this process, interleaved page by page in one run (order rotated every
round), so the machine's load hits all of them alike. Printed: the median time of a 1 000-feature
page for each, the ratio pygeoapi/Trygg and Trygg/floor, and the floor without HTTP (in-process).
Goal in the issue: Trygg at least 3× faster than pygeoapi and at most 3× the floor.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VENV_DIR = ROOT / "bench" / ".pygeoapi" / "venv"
PAGE = 1000
CENTRE = (18.70, 59.76)  # Norrtälje

# The floor's query: the columns and join of trygg.ogc.collections (CAMERA_FIELDS), in id order.
FLOOR_SQL = """
SELECT c.id, c.identifier, s.name, c.state, c.longitude, c.latitude, c.mount, c.mount_height_m,
       c.bearing_deg, c.hfov_deg, c.range_m, c.camera_type, c.is_indoor, c.secret_placement
FROM cameras_camera c JOIN sites_site s ON s.id = c.site_id
ORDER BY c.id LIMIT ? OFFSET ?
"""

# A WSGI app for the floor and the in-process floor timing; runs in the pygeoapi venv (orjson there).
FLOOR_APP = textwrap.dedent(
    '''
    import sqlite3, sys, time
    from urllib.parse import parse_qs
    try:
        import orjson
        dumps, ENCODER = orjson.dumps, "orjson"
    except ImportError:
        import json
        dumps, ENCODER = (lambda o: json.dumps(o, ensure_ascii=False).encode()), "json"

    DB = sys.argv[1]
    SQL = """{sql}"""

    def page(connection, limit, offset):
        features = [
            {{"type": "Feature", "id": r[0], "geometry": {{"type": "Point", "coordinates": [r[4], r[5]]}},
             "properties": {{"identifier": r[1], "site": r[2], "state": r[3], "mount": r[6],
                            "mount_height_m": r[7], "bearing_deg": r[8], "hfov_deg": r[9], "range_m": r[10],
                            "camera_type": r[11], "is_indoor": bool(r[12]), "secret_placement": bool(r[13]),
                            "url": "/kameror/%d/" % r[0]}}}}
            for r in connection.execute(SQL, (limit, offset))
        ]
        return dumps({{"type": "FeatureCollection", "features": features, "numberReturned": len(features)}})

    def app(environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        connection = sqlite3.connect(DB)
        try:
            body = page(connection, int(query.get("limit", ["1000"])[0]), int(query.get("offset", ["0"])[0]))
        finally:
            connection.close()
        start_response("200 OK", [("Content-Type", "application/geo+json"), ("Content-Length", str(len(body)))])
        return [body]

    if __name__ == "__main__":
        if sys.argv[2] == "inprocess":
            limit, offset, rounds = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                connection = sqlite3.connect(DB)
                page(connection, limit, offset)
                connection.close()
                times.append(time.perf_counter() - start)
            times.sort()
            print(ENCODER, times[len(times) // 2])
        else:
            from wsgiref.simple_server import make_server, WSGIRequestHandler
            class Quiet(WSGIRequestHandler):
                def log_message(self, *args): pass
            make_server("127.0.0.1", int(sys.argv[2]), app, handler_class=Quiet).serve_forever()
    '''
).format(sql=FLOOR_SQL)

# pygeoapi's Flask app under the same wsgiref server.
PYGEOAPI_SERVER = textwrap.dedent(
    """
    import sys
    from wsgiref.simple_server import make_server, WSGIRequestHandler
    from pygeoapi.flask_app import APP
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args): pass
    make_server("127.0.0.1", int(sys.argv[1]), APP, handler_class=Quiet).serve_forever()
    """
)

# Trygg's WSGI app under the same server (run with this checkout's .venv python).
TRYGG_SERVER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from wsgiref.simple_server import make_server, WSGIRequestHandler
    from trygg.wsgi import application
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args): pass
    make_server("127.0.0.1", int(sys.argv[1]), application, handler_class=Quiet).serve_forever()
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_python312() -> str:
    """A Python ≥ 3.12 for pygeoapi: TRYGG_BENCH_PYTHON, else the newest 3.12+ in pyenv."""
    if os.environ.get("TRYGG_BENCH_PYTHON"):
        return os.environ["TRYGG_BENCH_PYTHON"]
    versions = sorted(
        (p for p in Path("/root/.pyenv/versions").glob("3.1[2-9]*") if (p / "bin" / "python").exists()),
        key=lambda p: tuple(int(x) for x in p.name.split(".")[:2] if x.isdigit()),
    )
    if versions:
        return str(versions[0] / "bin" / "python")
    for name in ("python3.13", "python3.12"):
        if shutil.which(name):
            return shutil.which(name)
    sys.exit("Ingen Python 3.12 eller senare hittades för pygeoapi; ange TRYGG_BENCH_PYTHON.")


def ensure_pygeoapi() -> Path:
    """The venv's python, with pygeoapi and orjson installed from PyPI on first use."""
    python = VENV_DIR / "bin" / "python"
    ready = VENV_DIR / ".ready"
    if not ready.exists():
        print("Installing pygeoapi in", VENV_DIR, "(first run only) …", flush=True)
        subprocess.run([find_python312(), "-m", "venv", str(VENV_DIR)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pygeoapi"], check=True)
        # orjson for the floor; the floor falls back to json when it cannot be installed.
        subprocess.run([str(python), "-m", "pip", "install", "-q", "orjson"], check=False)
        ready.touch()
    return python


def setup_trygg(workdir: Path, cameras: int) -> tuple[str, Path]:
    """Fresh database with `cameras` cameras on 100 sites; returns an officer's session key and the
    GeoJSON file of all camera features exactly as Trygg's camera collection renders them."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    os.environ["TRYGG_DATA_DIR"] = str(workdir)
    os.environ["TRYGG_MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("TRYGG_DEMO", "1")
    os.environ.pop("DATABASE_URL", None)  # the benchmark's own SQLite file, never a shared database
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction

    from trygg.cameras.models import Camera
    from trygg.core.models import Administration, Organisation
    from trygg.ogc.collections import _camera_feature, _cameras
    from trygg.sites.models import Site

    call_command("migrate", verbosity=0)
    # The camera collection does not read coverage: skip computing 10 000 sectors while generating.
    from django.db.models.signals import post_save

    post_save.disconnect(sender=Camera, dispatch_uid="trygg_coverage_camera")
    Organisation.current()
    rng = random.Random(20241029)
    start = time.perf_counter()
    with transaction.atomic():
        administration = Administration.objects.create(name="Benchförvaltningen", short_name="BEN")
        sites = []
        for number in range(100):
            lon = CENTRE[0] + rng.uniform(-0.25, 0.25)
            lat = CENTRE[1] + rng.uniform(-0.12, 0.12)
            sites.append(
                Site.objects.create(
                    name=f"Benchplats {number:03d}",
                    kind=rng.choice(["school", "public_place", "park", "parking"]),
                    administration=administration,
                    longitude=lon,
                    latitude=lat,
                )
            )
        for number in range(cameras):
            site = sites[number % len(sites)]
            Camera.objects.create(
                identifier=f"BEN-{number:05d}",
                site=site,
                longitude=site.longitude + rng.uniform(-0.0008, 0.0008),
                latitude=site.latitude + rng.uniform(-0.0004, 0.0004),
                mount=rng.choice(["wall", "pole"]),
                mount_height_m=round(rng.uniform(3, 8), 1),
                bearing_deg=round(rng.uniform(0, 359), 1),
                hfov_deg=rng.choice([60.0, 90.0, 110.0]),
                range_m=rng.choice([15.0, 25.0, 40.0]),
                camera_type=rng.choice(["fixed", "dome"]),
                secret_placement=rng.random() < 0.05,
            )
    print(f"Generated {cameras} cameras on {len(sites)} sites in {time.perf_counter() - start:.1f} s", flush=True)
    officer = get_user_model().objects.create_user("benchofficer", password="bench-officer-password")
    officer.groups.add(Group.objects.get(name="officer"))
    session = SessionStore()
    session["_auth_user_id"] = str(officer.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = officer.get_session_auth_hash()
    session.create()
    features = [_camera_feature(camera) for camera in _cameras(officer)]
    geojson = workdir / "cameras.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    database = Path(settings.DATABASES["default"]["NAME"])
    return session.session_key, geojson, database


def pygeoapi_config(workdir: Path, geojson: Path, port: int) -> tuple[Path, Path]:
    config = workdir / "pygeoapi.yml"
    config.write_text(
        textwrap.dedent(
            f"""
            server:
              bind: {{host: 127.0.0.1, port: {port}}}
              url: http://127.0.0.1:{port}
              mimetype: application/json; charset=UTF-8
              encoding: utf-8
              languages: [en-US]
              limits: {{default_items: 10, max_items: 10000}}
              limit: 10
              map: {{url: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", attribution: OSM}}
            logging: {{level: ERROR}}
            metadata:
              identification:
                title: Bench
                description: Bench
                keywords: [bench]
                keywords_type: theme
                terms_of_service: https://example.org
                url: https://example.org
              license: {{name: CC0, url: https://creativecommons.org/publicdomain/zero/1.0/}}
              provider: {{name: Bench, url: https://example.org}}
              contact: {{name: Bench, position: Bench, address: x, city: x, stateorprovince: x, postalcode: x,
                        country: SE, phone: x, fax: x, email: x@example.org, url: https://example.org,
                        hours: x, instructions: x, role: pointOfContact}}
            resources:
              cameras:
                type: collection
                title: Cameras
                description: Cameras
                keywords: [cameras]
                links: []
                extents:
                  spatial: {{bbox: [-180, -90, 180, 90], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
                providers:
                  - type: feature
                    name: GeoJSON
                    data: {geojson}
                    id_field: id
            """
        )
    )
    return config, workdir / "pygeoapi-openapi.yml"


def wait_for(url: str, headers: dict[str, str] | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            fetch(url, headers)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[float, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
    return time.perf_counter() - start, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5, help="times every page is requested from each server")
    args = parser.parse_args()
    venv_python = ensure_pygeoapi()
    workdir = Path(tempfile.mkdtemp(prefix="trygg-bench-ogc-"))
    servers: list[subprocess.Popen] = []
    try:
        session_key, geojson, database = setup_trygg(workdir, args.cameras)
        ports = {"trygg": free_port(), "pygeoapi": free_port(), "floor": free_port()}
        config, openapi = pygeoapi_config(workdir, geojson, ports["pygeoapi"])
        env = os.environ | {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        subprocess.run(
            [str(VENV_DIR / "bin" / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        floor_script = workdir / "floor.py"
        floor_script.write_text(FLOOR_APP)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        servers.append(
            subprocess.Popen([sys.executable, "-c", TRYGG_SERVER, str(ports["trygg"]), str(ROOT)], env=env, **quiet)
        )
        servers.append(
            subprocess.Popen([str(venv_python), "-c", PYGEOAPI_SERVER, str(ports["pygeoapi"])], env=env, **quiet)
        )
        servers.append(
            subprocess.Popen([str(venv_python), str(floor_script), str(database), str(ports["floor"])], **quiet)
        )
        cookie = {"Cookie": f"sessionid={session_key}", "Accept": "application/geo+json"}
        urls = {
            "trygg": (
                f"http://127.0.0.1:{ports['trygg']}/ogc/collections/cameras/items?limit={PAGE}&offset={{}}",
                cookie,
            ),
            "pygeoapi": (
                f"http://127.0.0.1:{ports['pygeoapi']}/collections/cameras/items?limit={PAGE}&offset={{}}&f=json",
                {},
            ),
            "floor": (f"http://127.0.0.1:{ports['floor']}/?limit={PAGE}&offset={{}}", {}),
        }
        for url, headers in urls.values():
            wait_for(url.format(0), headers)
        # Check that all three answer the same 1 000 features on a page (ids and coordinates).
        for offset in (0, (args.cameras // PAGE - 1) * PAGE):
            pages = {name: json.loads(fetch(url.format(offset), headers)[1]) for name, (url, headers) in urls.items()}
            shapes = {
                name: [(str(f["id"]), tuple(f["geometry"]["coordinates"])) for f in page["features"]]
                for name, page in pages.items()
            }
            assert len(shapes["trygg"]) == min(PAGE, args.cameras), len(shapes["trygg"])
            assert shapes["trygg"] == shapes["floor"] == shapes["pygeoapi"], "the three servers answer different pages"
        offsets = list(range(0, args.cameras, PAGE))
        times: dict[str, list[float]] = {name: [] for name in urls}
        sizes = {name: 0 for name in urls}
        order = list(urls)
        for round_number in range(args.rounds):
            for offset in offsets:
                for name in order:
                    url, headers = urls[name]
                    seconds, body = fetch(url.format(offset), headers)
                    times[name].append(seconds)
                    sizes[name] = len(body)
                order = order[1:] + order[:1]  # rotate, so no server always goes first
            print(f"round {round_number + 1}/{args.rounds} done", flush=True)
        inprocess = subprocess.run(
            [str(venv_python), str(floor_script), str(database), "inprocess", str(PAGE), "0", "50"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    median = {name: statistics.median(values) for name, values in times.items()}
    print()
    print(
        f"{args.cameras} cameras, pages of {PAGE}, {args.rounds} rounds × {len(offsets)} pages per server, interleaved"
    )
    print(f"{'server':<10} {'median ms':>10} {'p90 ms':>8} {'bytes/page':>11}")
    for name in urls:
        ordered = sorted(times[name])
        p90 = ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]
        print(f"{name:<10} {median[name] * 1000:>10.1f} {p90 * 1000:>8.1f} {sizes[name]:>11}")
    print(f"floor in-process (no HTTP, {inprocess[0]}): {float(inprocess[1]) * 1000:.1f} ms")
    faster = median["pygeoapi"] / median["trygg"]
    over_floor = median["trygg"] / median["floor"]
    print(f"pygeoapi / Trygg = {faster:.2f}× (goal ≥ 3×: {'met' if faster >= 3 else 'NOT met'})")
    print(f"Trygg / floor    = {over_floor:.2f}× (goal ≤ 3×: {'met' if over_floor <= 3 else 'NOT met'})")


if __name__ == "__main__":
    main()
