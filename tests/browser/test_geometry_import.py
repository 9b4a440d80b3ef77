"""The building import in the admin: a file of another town is refused with the km, a SWEREF file is read."""

import json

from tests.browser.conftest import log_in
from trygg.geo.crs import lonlat_to_grid
from trygg.sites.models import Building, Site


def _collection(rings, crs=None) -> str:
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f"way/{n}", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [r]}}
            for n, r in enumerate(rings, start=1)
        ],
    }
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(data)


def test_far_buildings_are_refused_with_the_km_and_a_sweref_file_is_read(page, screenshot, axe_check, tmp_path):
    site = Site.objects.get(name="Kvisthamraskolan")
    before = Building.objects.filter(site=site).count()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto(f"/admin/sites/site/{site.pk}/byggnader/")
    axe_check(page)

    far = tmp_path / "jonkoping.geojson"
    rings = [
        [[14.16 + n * 0.001, 57.78], [14.1602 + n * 0.001, 57.78], [14.1602 + n * 0.001, 57.7802]] for n in range(3)
    ]
    far.write_text(_collection(rings))
    page.get_by_label("GeoJSON- eller OpenStreetMap-fil").set_input_files(str(far))
    page.get_by_role("button", name="Läs in").click()
    error = page.locator(".errorlist").inner_text()
    assert "Objekt 1–3 (3 st): Geometrin ligger 34" in error
    assert "km från platsen Kvisthamraskolan" in error
    screenshot(page, "admin-import-buildings-far-refused")
    assert Building.objects.filter(site=site).count() == before

    east, north = (float(v) for v in lonlat_to_grid(site.longitude, site.latitude))
    sweref = tmp_path / "baskarta.geojson"
    sweref.write_text(_collection([[[east + 40, north], [east + 52, north], [east + 52, north + 12]]]))
    page.get_by_label("GeoJSON- eller OpenStreetMap-fil").set_input_files(str(sweref))
    page.get_by_label("Koordinatsystem").select_option("EPSG:3006")
    page.get_by_role("button", name="Läs in").click()
    assert "1 byggnader nya" in page.locator(".messagelist").inner_text()
    assert Building.objects.filter(site=site).count() == before + 1
