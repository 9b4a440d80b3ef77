"""Existing sites, zones and cameras in a real browser: the edit maps show and change their geometry,
the camera form's schedule editor redraws the preview, and wide tables scroll on a phone."""

import json

import pytest

from tests.browser.conftest import log_in
from trygg.cameras.models import Camera
from trygg.sites.models import Site, Zone


def wait_for_map(page):
    page.locator("[data-map][data-loaded=true]").first.wait_for(timeout=15000)


def drawn_paths(page):
    return page.locator("[data-map] .leaflet-overlay-pane path")


@pytest.fixture
def officer(page):
    log_in(page, "handlaggare", "trygg-handlaggare")
    return page


def test_existing_site_edit_map_shows_its_outline_and_swedish_drawing_tools(officer, screenshot, axe_check):
    page = officer
    site = Site.objects.get(name="Kvisthamraskolan")
    page.goto(f"/platser/{site.pk}/andra/")
    wait_for_map(page)
    # The outline being edited, the zones, buildings and coverage: all drawn, none empty.
    assert drawn_paths(page).count() >= 5
    assert page.locator(".leaflet-overlay-pane path[stroke='#6a1b9a']").count() == 1  # the editable outline
    titles = page.locator(".leaflet-pm-toolbar .button-container").evaluate_all("els => els.map(e => e.title)")
    assert "Rita polygon" in titles and "Flytta hörn i ytan" in titles and "Ta bort ytan" in titles
    assert not any("Polygoner" in t or "Lager" in t for t in titles), titles
    # Both position systems are on the form.
    assert page.get_by_label("N (SWEREF 99 TM)").input_value().startswith("66310")
    axe_check(page)
    screenshot(page, "forms-site-edit-existing")
    # Only the outline is editable (the layers around it are not): move one of its corners and save.
    before = site.outline["coordinates"][0]
    page.locator(".leaflet-pm-icon-edit").click()
    corners = page.locator(".marker-icon:not(.marker-icon-middle)")
    assert corners.count() == len(before) - 1  # a closed ring repeats its first corner
    drag_first(page, corners)
    page.get_by_role("button", name="Spara platsen").click()
    page.wait_for_url(f"**/platser/{site.pk}/")
    site.refresh_from_db()
    assert site.outline["coordinates"][0] != before


def drag_first(page, corners, dx=40, dy=10):
    """Drag the first of Geoman's corner handles by (dx, dy) pixels."""
    corner = corners.first
    corner.wait_for()
    box = corner.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def test_existing_zone_vertex_moved_and_saved(officer, screenshot):
    page = officer
    site = Site.objects.get(name="Kvisthamraskolan")
    zone = Zone.objects.get(site=site, name="Skolgården")
    before = zone.geometry["coordinates"][0]
    page.goto(f"/platser/{site.pk}/omraden/{zone.pk}/andra/")
    wait_for_map(page)
    editable = page.locator(".leaflet-overlay-pane path[stroke='#6a1b9a']")
    assert editable.count() == 1
    box = editable.bounding_box()
    assert box["width"] > 50 and box["height"] > 50, "the existing zone must be drawn, not an empty map"
    # Geoman's edit mode: drag one vertex 40 px to the right.
    page.locator(".leaflet-pm-icon-edit").click()
    corners = page.locator(".marker-icon:not(.marker-icon-middle)")
    assert corners.count() == len(before) - 1, "only the zone being edited has corner handles"
    drag_first(page, corners)
    stored = json.loads(page.locator("#id_geometry").input_value())
    assert stored["coordinates"][0] != before
    screenshot(page, "forms-zone-vertex-moved")
    page.get_by_role("button", name="Spara området").click()
    page.wait_for_url(f"**/platser/{site.pk}/")
    zone.refresh_from_db()
    after = zone.geometry["coordinates"][0]
    assert after != before
    moved = [p for p, q in zip(after, before, strict=False) if p != q]
    assert len(moved) >= 1  # one corner moved; the zone is still the schoolyard polygon
    assert "Området är sparat" in page.locator(".messages").inner_text()


def test_existing_camera_schedule_editor_updates_the_preview(officer, screenshot, axe_check):
    page = officer
    camera = Camera.objects.get(identifier="KVI-01")
    page.goto(f"/kameror/{camera.pk}/andra/")
    wait_for_map(page)
    # The camera's site is drawn and the saved camera itself left for the preview to draw.
    assert drawn_paths(page).count() >= 4
    for section in ["lage-och-synfalt", "bevakningstider", "lagring-och-teknik", "rattsliga-uppgifter"]:
        assert page.locator(f"section#{section} h2").is_visible()
    template = page.locator("#id_schedule_template")
    assert template.input_value() == "imy_school_facade"
    assert (
        "Mallens tider: mån–fre, bara skoldagar, 20:00–06:00" in page.locator("#schedule-template-hours").inner_text()
    )
    preview = page.locator("#coverage-preview")
    assert "78 timmar" in preview.inner_text()
    axe_check(page)
    # Row 1 (school days 20–06, 50 h) becomes 07–16 (45 h): the camera now films during school hours.
    page.locator("#bevakningstider").scroll_into_view_if_needed()
    page.locator("[name=tider-0-start]").fill("07:00")
    page.locator("[name=tider-0-end]").fill("16:00")
    page.locator("[name=tider-0-end]").dispatch_event("change")
    assert template.input_value() == "custom"
    preview.get_by_text("Kameran ser in i områden som inte får bevakas").wait_for()
    preview.get_by_text("Kameran spelar in 73 timmar en vanlig skolvecka.").wait_for()
    assert "Fasad och 2 m" in preview.locator("table.intrusions").inner_text()
    # The map and preview stay in sight while the schedule is edited (sticky column).
    map_box = page.locator(".form-map").bounding_box()
    assert map_box["y"] < 900 and map_box["y"] + 100 > 0
    screenshot(page, "forms-camera-schedule-preview")
    # A row added with the button, then the template chosen again: the rows follow the template.
    page.get_by_role("button", name="Lägg till en rad").click()
    assert page.locator("[data-rows] [data-row]").count() == 5
    template.select_option("imy_school_facade")
    preview.get_by_text("Inget intrång i områden som inte får bevakas").wait_for()
    preview.get_by_text("Kameran spelar in 78 timmar en vanlig skolvecka.").wait_for()
    assert page.locator("[name=tider-0-start]").input_value() == "20:00"
    # Saved as custom hours, the rows come back as they were typed.
    template.select_option("custom")
    page.locator("[name=tider-2-DELETE]").check()
    page.get_by_role("button", name="Spara kameran").click()
    page.wait_for_url(f"**/kameror/{camera.pk}/")
    camera.refresh_from_db()
    assert camera.schedule_template == "custom"
    assert camera.schedule_rules == [
        {"days": [0, 1, 2, 3, 4], "start": "20:00", "end": "06:00", "school_free": False},
        {"days": [0, 1, 2, 3, 4], "start": "17:00", "end": "07:00", "school_free": True},
    ]


def test_new_camera_from_a_school_gets_imy_hours_and_only_its_projects(officer, screenshot):
    page = officer
    school = Site.objects.get(name="Kvisthamraskolan")
    page.goto(f"/platser/{school.pk}/")
    page.get_by_role("link", name="Ny kamera").click()
    wait_for_map(page)
    assert page.locator("#id_schedule_template").input_value() == "imy_school_facade"
    projects = page.locator("#id_project").locator("option").all_inner_texts()
    assert projects == ["---------", "Kvisthamraskolan – yttre bevakning av byggnad"]
    # Another site: its projects (none) and round-the-clock hours, since it is not a school.
    page.locator("#id_site").select_option(label="Stora torget")
    assert page.locator("#id_project").locator("option").all_inner_texts() == ["---------"]
    assert page.locator("#id_schedule_template").input_value() == "always"
    page.locator("#kameran-finns-redan summary").click()
    assert page.get_by_label("I drift sedan").is_visible()
    screenshot(page, "forms-camera-new")


def test_a_list_scrolls_sideways_on_a_phone(browser, live_server, demo_users, screenshot):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, "handlaggare", "trygg-handlaggare")
    page.goto("/kameror/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrapper = page.locator(".table-scroll").first
    assert wrapper.evaluate("e => e.scrollWidth > e.clientWidth"), "the table is wider than the phone and scrolls"
    assert page.get_by_role("link", name="Ny kamera").is_visible()
    screenshot(page, "forms-phone-camera-list")
    school = Site.objects.get(name="Kvisthamraskolan")
    page.goto(f"/platser/{school.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "forms-phone-site-detail")
    context.close()


def test_typed_position_moves_the_marker_and_the_map_speaks_swedish(officer):
    page = officer
    site = Site.objects.get(name="Kvisthamraskolan")
    page.goto(f"/platser/{site.pk}/andra/")
    wait_for_map(page)
    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Zooma in"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Zooma ut"
    assert page.locator(".leaflet-control-scale-line").count() == 1  # metres only, no miles
    marker = page.locator(".leaflet-overlay-pane path[stroke='#000'][fill='#6a1b9a']")
    outline = page.locator(".leaflet-overlay-pane path[stroke='#6a1b9a']")

    def east_of_outline():
        return marker.bounding_box()["x"] - outline.bounding_box()["x"]

    before = east_of_outline()
    longitude = page.locator(f"#{page.locator('[data-map-point]').get_attribute('data-map-point').split(',')[0]}")
    longitude.fill(str(float(longitude.input_value()) + 0.0005))
    page.wait_for_timeout(500)  # the map pans to the marker
    # 0.0005° of longitude at 59.7° N is about 28 m: the marker moves east relative to the site's outline.
    assert east_of_outline() > before + 5


def test_names_on_a_map_are_text_not_html(officer):
    page = officer
    site = Site.objects.get(name="Kvisthamraskolan")
    hostile = '<img src=x onerror="window.__xss = 1">Skolgården'
    Zone.objects.filter(site=site, name="Skolgården").update(name=hostile)
    page.goto(f"/platser/{site.pk}/")
    wait_for_map(page)
    # Open every tooltip on the map (a user would hover over each shape).
    page.evaluate(
        """() => document.querySelector('[data-map]').trygMap.eachLayer(l => {
             if (l.getTooltip && l.getTooltip() && l.getBounds) { l.openTooltip(l.getBounds().getCenter()); }
           })"""
    )
    tooltips = page.locator(".leaflet-tooltip")
    assert f"{hostile} – Får inte bevakas" in tooltips.all_inner_texts()
    assert page.locator(".leaflet-tooltip img").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__xss") is None


def test_on_a_new_site_typing_the_longitude_first_then_the_latitude_places_the_marker(officer):
    page = officer
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/platser/ny/")
    wait_for_map(page)
    ids = page.locator("[data-map-point]").get_attribute("data-map-point").split(",")
    marker = page.locator(".leaflet-overlay-pane path[stroke='#000'][fill='#6a1b9a']")
    assert marker.count() == 0
    page.locator(f"#{ids[0]}").fill("18.7250")
    assert errors == [] and marker.count() == 0  # half typed: nothing yet, and no script error
    page.locator(f"#{ids[1]}").fill("59.7620")
    marker.wait_for(timeout=5000)
    assert errors == []


@pytest.mark.parametrize(
    "outline",
    [
        {"type": "Point", "coordinates": [18.7, 59.7]},  # not an area: the map stopped with a script error
        # A finite but huge longitude: fitting the map to it gave "Invalid LatLng object: (NaN, NaN)".
        {"type": "Polygon", "coordinates": [[[1e300, 59.76], [18.71, 59.76], [18.70, 59.77], [1e300, 59.76]]]},
    ],
)
def test_a_refused_outline_leaves_a_working_map_and_says_why(officer, outline, screenshot):
    # Found by new users: after a refused save the re-shown form's map broke on the value it was sent.
    page = officer
    site = Site.objects.get(name="Kvisthamraskolan")
    page.goto(f"/platser/{site.pk}/andra/")
    wait_for_map(page)
    page.locator("#id_outline").evaluate("(input, value) => { input.value = value; }", json.dumps(outline))
    page.get_by_role("button", name="Spara platsen").click()
    page.wait_for_load_state()
    wait_for_map(page)
    assert page.locator(".error").first.inner_text().startswith("Avgränsning:")
    assert page.get_by_text("Gränsen som skickades kan inte ritas på kartan").is_visible()
    # The site's zones, buildings and cameras are still drawn, and the drawing tools are there.
    assert drawn_paths(page).count() >= 4
    assert page.locator(".leaflet-pm-toolbar").count() >= 1
    screenshot(page, f"forms-site-refused-outline-{outline['type'].lower()}")
