"""Writes through the REST API for what the pages write (issue 13): zones, projects, a site's measures and
dialogue notes, each validated and saved by the page's own form, logged, versioned, under the pages' rules;
strict input; a bad cursor is a 400."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from trygg.cameras.models import Camera
from trygg.core.models import ObjectChange
from trygg.programme.models import Project
from trygg.sites.models import DialogueNote, Measure, Site, Zone

pytestmark = pytest.mark.django_db

A, OFF, C, D, R = "admin", "officer", "administration_contact", "dpo", "reader"


def send(client, method, url, data, etag=None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return getattr(client, method)(url, json.dumps(data), content_type="application/json", **headers)


def logged(obj, action="create"):
    """The change-log entry of `obj`'s `action`."""
    return ObjectChange.objects.filter(
        changed_object_type__model=obj._meta.model_name, changed_object_id=str(obj.pk), action=action
    ).latest("pk")


def assert_logged(response, obj, user, action="create"):
    change = logged(obj, action)
    assert (change.user, change.source) == (user, "api")
    assert str(change.request_id) == response["X-Request-ID"]


@pytest.fixture
def school():
    return Site.objects.get(name="Kvisthamraskolan")  # BUF, the demo contact's administration


@pytest.fixture
def elsewhere(demo_users):
    own = demo_users[C].administrations.values_list("pk", flat=True)
    return Site.objects.exclude(administration__in=own).order_by("pk").first()


def square_near(site, size=0.0002, east=0.0):
    """A small square (GeoJSON) at the site's position, moved `east` degrees."""
    x, y = site.longitude + east, site.latitude
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


#
# Zones
#


def zone_data(site, **changes):
    return {
        "site": site.pk,
        "name": "Ny cykelparkering",
        "kind": "other",
        "rule": "may_monitor",
        "geometry": square_near(site),
    } | changes


def test_a_zone_is_created_through_the_zone_form_and_logged(api_client, demo_users, school):
    response = send(api_client(OFF), "post", "/api/v1/zones/", zone_data(school))
    assert response.status_code == 201, response.content
    zone = Zone.objects.get(site=school, name="Ny cykelparkering")
    assert response.json()["id"] == zone.pk
    assert_logged(response, zone, demo_users[OFF])


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[18.0, 59.0], [18.1, 59.1], [18.0, 59.1], [18.1, 59.0], [18.0, 59.0]]],
                }
            },
            "geometry",
            "",
        ),
        ({"geometry": "far"}, "geometry", "km"),
        ({"geometry": "many"}, "geometry", "hörn"),
        ({"name": "duplicate"}, "name", "Platsen har redan ett område med det namnet"),
        ({"kind": "schoolyard", "geometry": {"type": "LineString", "coordinates": "line"}}, "geometry", "linje"),
    ],
    ids=["self-intersecting", "far-from-site", "vertex-limit", "name-taken", "line-not-a-wall"],
)
def test_a_bad_zone_is_refused_naming_the_field_and_nothing_is_saved(api_client, school, change, field, words):
    data = zone_data(school, **change)
    if change.get("geometry") == "far":
        data["geometry"] = square_near(school, east=0.5)  # some 28 km east
    elif change.get("geometry") == "many":
        x, y = school.longitude, school.latitude
        ring = [[x + 0.0003 * (i % 2), y + 0.00000001 * i] for i in range(5_001)]
        data["geometry"] = {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
    elif isinstance(change.get("geometry"), dict) and change["geometry"]["coordinates"] == "line":
        data["geometry"] = {"type": "LineString", "coordinates": square_near(school)["coordinates"][0][:3]}
    if change.get("name") == "duplicate":
        data["name"] = school.zones.first().name
    before = Zone.objects.count()
    response = send(api_client(OFF), "post", "/api/v1/zones/", data)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert set(answer["fields"]) == {field}
    assert words in " ".join(answer["fields"][field])
    assert Zone.objects.count() == before


@pytest.mark.parametrize("role", [C, D, R])
def test_only_the_unit_writes_zones(api_client, school, role):
    zone = school.zones.first()
    assert send(api_client(role), "post", "/api/v1/zones/", zone_data(school)).status_code == 403
    assert send(api_client(role), "patch", f"/api/v1/zones/{zone.pk}/", {"notes": "x"}).status_code == 403
    assert not Zone.objects.filter(name="Ny cykelparkering").exists()
    zone.refresh_from_db()
    assert zone.notes != "x"


def test_a_zone_change_is_versioned_and_keeps_its_site(api_client, demo_users, school, elsewhere):
    zone = school.zones.first()
    url = f"/api/v1/zones/{zone.pk}/"
    etag = api_client(OFF).get(url)["ETag"]
    done = send(api_client(OFF), "patch", url, {"notes": "Staket lagat.", "site": school.pk}, etag)
    assert done.status_code == 200, done.content  # the stored site may be sent back as read
    assert_logged(done, zone, demo_users[OFF], "update")
    stale = send(api_client(A), "patch", url, {"notes": "Gammal version."}, etag)
    assert stale.status_code == 412 and stale.json()["code"] == "stale"
    moved = send(api_client(OFF), "patch", url, {"site": elsewhere.pk}, done["ETag"])
    assert moved.status_code == 400
    assert "”Plats”" in moved.json()["fields"]["site"][0]
    zone.refresh_from_db()
    assert (zone.notes, zone.site) == ("Staket lagat.", school)


#
# Projects
#


def project_data(site, **changes):
    return {
        "name": "Ny projektering",
        "site": site.pk,
        "plan_year": 2026,
        "target_min": 2,
        "target_max": 3,
        "target_date": "2026-10-31",
    } | changes


def test_a_project_is_created_by_the_project_form_with_its_cameras(api_client, demo_users, school):
    camera = Camera.objects.filter(site=school).exclude(state="decommissioned").first()
    response = send(api_client(OFF), "post", "/api/v1/projects/", project_data(school, cameras=[camera.pk]))
    assert response.status_code == 201, response.content
    project = Project.objects.get(name="Ny projektering")
    # The form's default: the site's administration when none is given.
    assert project.responsible_administration == school.administration
    assert response.json()["cameras"] == [camera.pk]
    camera.refresh_from_db()
    assert camera.project == project
    assert_logged(response, project, demo_users[OFF])
    assert ObjectChange.objects.filter(event="project.cameras_changed", changed_object_id=str(project.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"target_min": 4, "target_max": 2}, "target_max", "kan inte vara lägre"),
        ({"forecast_date": "2027-03-01"}, "delay_description", "ange orsaken"),
        ({"delay_reasons": ["other"]}, "delay_description", "Annat"),
        ({"cameras": "elsewhere"}, "cameras", "projekteringens plats"),
        ({"name": ""}, "name", ""),
    ],
)
def test_a_bad_project_is_refused_naming_the_field(api_client, school, elsewhere, change, field, words):
    if change.get("cameras") == "elsewhere":
        change = {"cameras": [Camera.objects.filter(site=elsewhere).first().pk]}
    response = send(api_client(OFF), "post", "/api/v1/projects/", project_data(school, **change))
    assert response.status_code == 400, response.content
    assert set(response.json()["fields"]) == {field}
    assert words in " ".join(response.json()["fields"][field])
    assert not Project.objects.filter(name__in=["Ny projektering", ""]).exists()


@pytest.mark.parametrize("role", [C, D, R])
def test_only_the_unit_writes_projects(api_client, school, role):
    project = Project.objects.filter(site=school).first()
    assert send(api_client(role), "post", "/api/v1/projects/", project_data(school)).status_code == 403
    assert (
        send(api_client(role), "patch", f"/api/v1/projects/{project.pk}/", {"status": "cancelled"}).status_code == 403
    )
    project.refresh_from_db()
    assert project.status != "cancelled"


def test_a_projects_status_changes_as_on_the_page_and_stale_versions_are_refused(api_client, demo_users, school):
    project = Project.objects.filter(site=school).first()
    url = f"/api/v1/projects/{project.pk}/"
    etag = api_client(OFF).get(url)["ETag"]
    done = send(api_client(OFF), "patch", url, {"status": "cancelled"}, etag)
    assert done.status_code == 200, done.content
    project.refresh_from_db()
    assert project.status == "cancelled"
    assert_logged(done, project, demo_users[OFF], "update")
    assert send(api_client(A), "patch", url, {"status": "in_dialogue"}, etag).status_code == 412
    # Cameras moved out of the project change the cameras' rows; the project's version moves too, as on the page.
    etag = done["ETag"]
    assert send(api_client(OFF), "patch", url, {"cameras": []}, etag).status_code == 200
    assert send(api_client(A), "patch", url, {"status": "in_dialogue"}, etag).status_code == 412
    project.refresh_from_db()
    assert project.status == "cancelled"


#
# Measures and dialogue notes
#


def measure_data(site, **changes):
    return {"site": site.pk, "kind": "lighting", "started_on": "2025-09-01", "description": "Ny belysning."} | changes


def note_data(site, **changes):
    return {"site": site.pk, "held_on": "2025-10-02", "with_whom": "Rektor", "summary": "Kameror vid entrén."} | changes


def test_the_contact_adds_a_measure_and_a_note_at_its_own_site(api_client, demo_users, school):
    response = send(api_client(C), "post", "/api/v1/measures/", measure_data(school))
    assert response.status_code == 201, response.content
    measure = Measure.objects.get(pk=response.json()["id"])
    assert (measure.site, measure.kind) == (school, "lighting")
    assert_logged(response, measure, demo_users[C])
    project = Project.objects.filter(site=school).first()
    response = send(api_client(C), "post", "/api/v1/dialogue-notes/", note_data(school, project=project.pk))
    assert response.status_code == 201, response.content
    note = DialogueNote.objects.get(pk=response.json()["id"])
    assert (note.recorded_by, note.project) == (demo_users[C], project)
    assert response.json()["recorded_by"] == demo_users[C].pk
    assert_logged(response, note, demo_users[C])


def test_the_contact_cannot_write_at_another_administrations_site(api_client, elsewhere):
    measures, notes = Measure.objects.count(), DialogueNote.objects.count()
    response = send(api_client(C), "post", "/api/v1/measures/", measure_data(elsewhere))
    assert response.status_code == 400 and set(response.json()["fields"]) == {"site"}
    response = send(api_client(C), "post", "/api/v1/dialogue-notes/", note_data(elsewhere))
    assert response.status_code == 400 and set(response.json()["fields"]) == {"site"}
    assert (Measure.objects.count(), DialogueNote.objects.count()) == (measures, notes)
    # Nor read them.
    other = Measure.objects.filter(site=elsewhere).first() or Measure.objects.create(
        site=elsewhere, kind="lighting", started_on=dt.date(2025, 1, 1)
    )
    assert api_client(C).get(f"/api/v1/measures/{other.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("url", "data", "field", "words"),
    [
        ("/api/v1/measures/", {"effect": "intended"}, "effect_notes", "Motivera"),
        ("/api/v1/measures/", {"ended_on": "2025-01-01"}, "ended_on", "före startdatum"),
        ("/api/v1/dialogue-notes/", {"with_whom": ""}, "with_whom", ""),
        ("/api/v1/dialogue-notes/", {"project": "elsewhere"}, "project", ""),
    ],
)
def test_a_bad_measure_or_note_is_refused_naming_the_field(api_client, school, elsewhere, url, data, field, words):
    if data.get("project") == "elsewhere":
        other = Project.objects.create(
            name="Torget",
            site=elsewhere,
            plan_year=2026,
            target_min=1,
            target_max=1,
            target_date=dt.date(2026, 12, 31),
            responsible_administration=elsewhere.administration,
        )
        data = {"project": other.pk}  # a project of another site
    base = measure_data(school) if "measures" in url else note_data(school)
    counts = Measure.objects.count(), DialogueNote.objects.count()
    response = send(api_client(OFF), "post", url, base | data)
    assert response.status_code == 400, response.content
    assert set(response.json()["fields"]) == {field}
    assert words in " ".join(response.json()["fields"][field])
    assert (Measure.objects.count(), DialogueNote.objects.count()) == counts


@pytest.mark.parametrize("role", [D, R])
def test_the_dpo_and_readers_add_no_measures_or_notes(api_client, school, role):
    assert send(api_client(role), "post", "/api/v1/measures/", measure_data(school)).status_code == 403
    assert send(api_client(role), "post", "/api/v1/dialogue-notes/", note_data(school)).status_code == 403


def test_measures_and_notes_are_only_added_as_on_the_page(api_client, school):
    measure = school.measures.first()
    response = send(api_client(OFF), "patch", f"/api/v1/measures/{measure.pk}/", {"description": "x"})
    assert response.status_code == 405


#
# Strict input
#


def test_an_unknown_field_is_refused_naming_it_and_nothing_is_saved(api_client, school):
    response = send(api_client(OFF), "post", "/api/v1/zones/", zone_data(school, colour="röd"))
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "colour": ["Fältet ”colour” finns inte här. Skicka bara fält som går att skriva."]
    }
    assert not Zone.objects.filter(name="Ny cykelparkering").exists()


@pytest.mark.parametrize(
    ("url", "data", "field", "label"),
    [
        ("cameras", {"state": "in_operation", "bearing_deg": 10.0}, "state", "Status"),
        ("cameras", {"coverage_area_m2": 1.0}, "coverage_area_m2", ""),
        ("sites", {"id": 1, "notes": "x"}, "id", "ID"),
        ("dialogue-notes", {"recorded_by": 1}, "recorded_by", "Antecknad av"),
    ],
)
def test_a_read_only_field_is_refused_naming_it_in_swedish(api_client, school, url, data, field, label):
    client = api_client(OFF)
    if url == "dialogue-notes":
        response = send(client, "post", f"/api/v1/{url}/", note_data(school) | data)
    else:
        obj = Camera.objects.get(identifier="KVI-01") if url == "cameras" else school
        before = {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields}
        response = send(client, "patch", f"/api/v1/{url}/{obj.pk}/", data)
        obj.refresh_from_db()
        assert {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields} == before
    assert response.status_code == 400, response.content
    assert set(response.json()["fields"]) == {field}
    message = response.json()["fields"][field][0]
    assert message.endswith("visas bara och går inte att skriva.")
    assert f"”{label}" in message


def test_a_move_with_an_unknown_field_is_refused(api_client):
    camera = Camera.objects.get(identifier="KVI-01")
    response = send(
        api_client(OFF),
        "post",
        f"/api/v1/cameras/{camera.pk}/move/",
        {"to_state": "installed", "occurred_on": "2025-10-01", "datum": "2025-10-01"},
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"datum"}
    camera.refresh_from_db()
    assert camera.state == "designed"


def test_strictness_is_in_english_when_english_is_chosen(api_client, school):
    client = api_client(OFF)
    client.cookies["django_language"] = "en"
    response = send(client, "post", "/api/v1/zones/", zone_data(school, colour="red"))
    assert response.json()["fields"]["colour"][0].startswith("There is no field")


#
# Cursor and page size
#


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("cursor=garbage", "cursor"),
        ("cursor=cD1hYmM%3D", "cursor"),  # base64 of "p=abc": a forged position (was a 500)
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
        ("page_size=1001", "page_size"),
    ],
)
def test_a_bad_cursor_or_page_size_is_a_400_naming_the_parameter(api_client, query, parameter):
    response = api_client(OFF).get(f"/api/v1/sites/?{query}")
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid"
    assert set(answer["fields"]) == {parameter}
    assert f"”{parameter}”" in answer["fields"][parameter][0]


def test_the_next_links_cursor_still_works(api_client):
    first = api_client(OFF).get("/api/v1/sites/?page_size=2").json()
    second = api_client(OFF).get(first["next"])
    assert second.status_code == 200
    assert {s["id"] for s in second.json()["results"]}.isdisjoint({s["id"] for s in first["results"]})
