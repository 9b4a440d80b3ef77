"""The REST API: keys, the roles' rules and scopes, the error shape, reads from the domain services, writes."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.api.models import ApiToken, hash_key
from trygg.cameras.models import Camera
from trygg.compliance import registers
from trygg.core.models import Administration, ObjectChange
from trygg.programme import services as programme_services
from trygg.programme.models import Project
from trygg.sites.models import DialogueNote, Measure, Site

pytestmark = pytest.mark.django_db

A, OFF, C, D, R = "admin", "officer", "administration_contact", "dpo", "reader"


def body(response):
    return json.loads(response.content)


def all_pages(client, url):
    """Every item of a cursor-paginated list, following `next`."""
    items = []
    while url:
        data = body(client.get(url))
        items += data["results"]
        url = data["next"]
    return items


#
# Keys
#


def test_only_the_hash_of_a_key_is_stored(demo_users):
    token, key = ApiToken.issue(demo_users[OFF], "QGIS")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key.startswith("trygg_") and len(key) > 40
    assert key not in json.dumps(stored, default=str)
    assert stored["key_hash"] == hash_key(key)
    # Nor is the hash in the change log's record of the key's creation.
    logged = ObjectChange.objects.filter(changed_object_id=str(token.pk), object_repr__contains="QGIS").get()
    assert "key_hash" not in logged.postchange_data


def test_a_key_acts_as_its_user_with_the_users_roles(api_client, api_keys):
    data = body(api_client(D).get("/api/v1/me/"))
    assert data == {"username": "dataskydd", "roles": ["dpo"], "token_name": "test dpo"}
    assert ApiToken.objects.get(key_hash=hash_key(api_keys[D])).last_used_at is not None


def test_a_revoked_or_unknown_key_is_refused_in_swedish(api_client, api_keys):
    ApiToken.objects.get(key_hash=hash_key(api_keys[OFF])).revoke()
    response = api_client(OFF).get("/api/v1/sites/")
    assert response.status_code == 401
    assert body(response)["message"] == "API-nyckeln är återkallad."
    assert response["WWW-Authenticate"].startswith("Bearer")
    response = api_client(None).get("/api/v1/sites/", HTTP_AUTHORIZATION="Bearer trygg_finnsinte")
    assert (response.status_code, body(response)["message"]) == (401, "API-nyckeln är ogiltig.")


def test_the_keys_page_creates_shows_once_renames_and_revokes(client_for, demo_users):
    client = client_for(R)
    response = client.post("/konto/api-nycklar/", {"name": "Styrelsens rapport"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert key not in client.get("/konto/api-nycklar/").content.decode()  # shown once
    token = ApiToken.objects.get(user=demo_users[R])
    client.post(f"/konto/api-nycklar/{token.pk}/namn/", {"name": "Nämndens uppföljning"})
    token.refresh_from_db()
    assert token.name == "Nämndens uppföljning"
    api = type(client)(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/indicator/").status_code == 200
    client.post(f"/konto/api-nycklar/{token.pk}/aterkalla/")
    assert api.get("/api/v1/indicator/").status_code == 401
    # Someone else's key cannot be revoked or renamed.
    other, _key = ApiToken.issue(demo_users[OFF], "handläggarens")
    assert client.post(f"/konto/api-nycklar/{other.pk}/aterkalla/").status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_an_empty_key_name_is_refused_naming_the_field(client_for):
    response = client_for(OFF).post("/konto/api-nycklar/", {"name": "  "})
    assert response.status_code == 400
    assert "namn" in response.content.decode()
    assert not ApiToken.objects.exists()


#
# Roles, scopes and the error shape
#


@pytest.mark.parametrize(
    ("role", "status"),
    [(A, 200), (OFF, 200), (C, 200), (D, 200), (R, 403), (None, 401)],
)
def test_cameras_follow_the_camera_pages_rule(api_client, role, status):
    response = api_client(role).get("/api/v1/cameras/")
    assert response.status_code == status
    if status != 200:
        data = body(response)
        assert set(data) == {"code", "message", "errors", "fields"}
        assert data["code"] == {401: "not_authenticated", 403: "permission_denied"}[status]


def test_register_is_for_those_who_see_all_sites(api_client):
    assert [api_client(role).get("/api/v1/register/").status_code for role in (A, OFF, D, C, R)] == [
        200,
        200,
        200,
        403,
        403,
    ]


def test_the_contact_sees_only_its_administrations_objects(api_client, demo_users):
    own = set(demo_users[C].administrations.values_list("pk", flat=True))
    sites = all_pages(api_client(C), "/api/v1/sites/")
    assert sites and {site["administration"] for site in sites} <= own
    assert len(sites) < Site.objects.count()
    cameras = all_pages(api_client(C), "/api/v1/cameras/")
    expected = set(Camera.objects.filter(site__administration__in=own).values_list("identifier", flat=True))
    assert {camera["identifier"] for camera in cameras} == expected
    other = Camera.objects.exclude(site__administration__in=own).first()
    response = api_client(C).get(f"/api/v1/cameras/{other.pk}/")
    assert response.status_code == 404
    assert body(response)["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/finns-inte/", "/api/v1/dialogue-notes/%0A/", "/api/v1/sites/%0A"])
def test_any_other_address_is_the_apis_json_404(api_client, path):
    response = api_client(OFF).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert body(response)["code"] == "not_found"


def test_errors_are_swedish_and_english_by_the_language_choice(api_client):
    client = api_client(R)
    assert body(client.get("/api/v1/sites/"))["message"] == "Din roll ger inte behörighet till det här."
    client.cookies["django_language"] = "en"
    assert body(client.get("/api/v1/sites/"))["message"] == "Your role does not give access to this."


def test_filters_are_the_list_pages_filtersets(api_client):
    school = all_pages(api_client(OFF), "/api/v1/cameras/?site_kind=school")
    assert school and all(Camera.objects.get(pk=c["id"]).site.kind == "school" for c in school)
    response = api_client(OFF).get("/api/v1/cameras/?state=flyger")
    assert response.status_code == 400
    assert set(body(response)["fields"]) == {"state"}


def test_cursor_pages_walk_every_camera_once(api_client):
    seen = all_pages(api_client(OFF), "/api/v1/cameras/?page_size=3")
    assert sorted(c["id"] for c in seen) == sorted(Camera.objects.values_list("pk", flat=True))


def _more_cameras(count: int) -> None:
    template = Camera.objects.get(identifier="KVI-01")
    for number in range(count):
        template.pk = None
        template.identifier = f"EXTRA-{uuid.uuid4().hex[:8]}-{number}"
        template.save()


def _more_projects(count: int) -> None:
    template = Project.objects.filter(cameras__isnull=False).first()
    cameras = list(template.cameras.all())
    for number in range(count):
        template.pk = None
        template.name = f"Extra {number}"
        template.save()
        for camera in cameras:  # cameras move to the newest project; each project in between had them
            camera.project = template
            camera.save(update_fields=["project", "updated_at"])
        Camera.objects.create(
            **{
                f.name: getattr(cameras[0], f.name)
                for f in Camera._meta.concrete_fields
                if f.name not in ("id", "identifier", "project")
            },
            identifier=f"PRJ-{uuid.uuid4().hex[:8]}",
            project=template,
        )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cameras/",
        "/api/v1/sites/",
        "/api/v1/zones/",
        "/api/v1/incidents/",
        "/api/v1/projects/",
        "/api/v1/measures/",
        "/api/v1/dialogue-notes/",
    ],
)
def test_list_query_count_does_not_grow_with_the_data(api_client, url):
    client = api_client(OFF)
    client.get(url)  # warm caches of content types and the organisation
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_cameras(12)
    if url == "/api/v1/projects/":
        _more_projects(6)
    if url == "/api/v1/measures/":
        for measure in list(Measure.objects.all()[:3]):
            measure.pk = None
            measure.save()
    if url == "/api/v1/dialogue-notes/":
        for note in list(DialogueNote.objects.filter(project__isnull=False)[:3]):
            note.pk = None
            note.save()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


#
# Computed views: the same services as the pages
#


def test_register_indicator_and_budget_come_from_the_pages_services(api_client):
    client = api_client(OFF)
    on = dt.date(2025, 12, 31)
    register = body(client.get("/api/v1/register/?datum=2025-12-31"))
    assert [row["camera"] for row in register["rows"]] == [row.camera for row in registers.register_rows(on)]
    assert register["marking"] == registers.secrecy_marking()
    indicator = body(client.get("/api/v1/indicator/?datum=2025-12-31"))
    overview = programme_services.indicator_overview(on)
    assert indicator["in_operation"] == overview.in_operation
    assert [(p["on"], p["value"]) for p in indicator["series"]] == [
        (p.on.isoformat(), p.value) for p in overview.series
    ]
    budget = body(client.get("/api/v1/budget/?ar=2024"))
    expected = programme_services.budget_for_year(2024)
    assert budget["remaining"] == f"{expected.remaining:.2f}"
    assert budget["warnings"] == programme_services.budget_warnings(expected)


def test_a_bad_date_is_refused_naming_the_field(api_client):
    response = api_client(OFF).get("/api/v1/indicator/?datum=9999-01-01")
    assert response.status_code == 400
    assert "datum" in body(response)["fields"]
    assert "1900" in body(response)["fields"]["datum"][0]


#
# Writes: the same validation, the change log, the gate
#


def site_data(**changes):
    return {
        "name": "Nya torget",
        "kind": "public_place",
        "administration": Administration.objects.get(short_name="SBF").pk,
        "longitude": 18.7040,
        "latitude": 59.7580,
        "area_kind": "urban",
        "vulnerability": "not_assessed",
    } | changes


def test_creating_a_site_is_logged_with_user_source_and_request_id(api_client, demo_users):
    response = api_client(OFF).post("/api/v1/sites/", site_data(), content_type="application/json")
    assert response.status_code == 201, response.content
    site = Site.objects.get(name="Nya torget")
    change = ObjectChange.objects.get(changed_object_id=str(site.pk), action="create", object_repr="Nya torget")
    assert change.user == demo_users[OFF]
    assert change.source == "api"
    assert str(change.request_id) == response["X-Request-ID"]


def test_a_site_is_validated_like_the_form_with_the_models_clean(api_client):
    response = api_client(OFF).post(
        "/api/v1/sites/", site_data(vulnerability="vulnerable"), content_type="application/json"
    )
    assert response.status_code == 400
    data = body(response)
    assert data["fields"]["vulnerability_reason"] == [
        "Ange skälet när platsen bedöms som utsatt eller potentiellt utsatt."
    ]
    assert not Site.objects.filter(name="Nya torget").exists()


def test_readers_and_the_dpo_cannot_write(api_client):
    for role in (D, C, R):
        response = api_client(role).post("/api/v1/sites/", site_data(), content_type="application/json")
        assert response.status_code == 403, role
    assert not Site.objects.filter(name="Nya torget").exists()


def test_updating_a_camera_goes_through_full_clean(api_client):
    camera = Camera.objects.get(identifier="KVI-01")
    client = api_client(OFF)
    response = client.patch(f"/api/v1/cameras/{camera.pk}/", {"bearing_deg": 400}, content_type="application/json")
    assert response.status_code == 400
    assert "bearing_deg" in body(response)["fields"]
    response = client.patch(f"/api/v1/cameras/{camera.pk}/", {"pan_range": "västerut"}, content_type="application/json")
    assert body(response)["fields"]["pan_range"] == ["Vridområdet anges som två gradtal, t.ex. 90-270."]
    response = client.patch(f"/api/v1/cameras/{camera.pk}/", {"bearing_deg": 45.0}, content_type="application/json")
    assert response.status_code == 200
    camera.refresh_from_db()
    assert camera.bearing_deg == 45.0


def test_state_is_not_written_directly(api_client):
    camera = Camera.objects.get(identifier="KVI-01")
    before = camera.state
    response = api_client(OFF).patch(
        f"/api/v1/cameras/{camera.pk}/", {"state": "in_operation"}, content_type="application/json"
    )
    assert response.status_code == 400 and set(body(response)["fields"]) == {"state"}
    camera.refresh_from_db()
    assert camera.state == before


def test_a_move_the_gate_refuses_answers_409_with_the_swedish_blockers(api_client):
    from trygg.cameras import services

    camera = Camera.objects.get(identifier="KVI-01")  # a school camera without approved documents
    today = timezone.localdate()
    services.move(camera, "installed", today)
    camera.refresh_from_db()
    blockers = [
        reason for check in services.pre_move_checks for reason in check(camera, services.State.IN_OPERATION, today)
    ]
    assert blockers  # the demo's KVI-01 lacks its assessment, DPIA, child-rights assessment and signs
    response = api_client(OFF).post(
        f"/api/v1/cameras/{camera.pk}/move/",
        {"to_state": "in_operation", "occurred_on": today.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 409
    data = body(response)
    assert data["code"] == "conflict"
    assert data["errors"] == blockers
    assert data["errors"][0].startswith("Kameran KVI-01 kan inte tas i drift")
    camera.refresh_from_db()
    assert camera.state == "installed"


def test_a_move_the_state_machine_refuses_answers_409(api_client):
    camera = Camera.objects.get(identifier="KVI-01")  # designed
    response = api_client(OFF).post(
        f"/api/v1/cameras/{camera.pk}/move/",
        {"to_state": "paused", "occurred_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "kan inte gå från projekterad till pausad" in body(response)["message"]


def test_an_allowed_move_is_made_by_the_service_and_logged(api_client, demo_users):
    camera = Camera.objects.get(identifier="KVI-01")
    response = api_client(OFF).post(
        f"/api/v1/cameras/{camera.pk}/move/",
        {"to_state": "installed", "occurred_on": timezone.localdate().isoformat(), "note": "Monterad"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = body(response)
    assert data["state"] == "installed"
    assert data["transitions"][-1]["to_state"] == "installed"
    event = ObjectChange.objects.filter(event="camera.transition", changed_object_id=str(camera.pk)).latest("pk")
    assert (event.user, event.source) == (demo_users[OFF], "api")


def test_the_openapi_document_is_made_once_per_language_also_under_concurrent_requests(monkeypatch):
    """drf-spectacular's generation is not thread-safe (two at once in the threaded development server gave a
    500); the document is made once per process and language, under a lock."""
    import threading

    from django.test import Client
    from drf_spectacular.generators import SchemaGenerator

    from trygg.api import schema

    monkeypatch.setattr(schema, "_documents", {})
    made: list[str] = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        made.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    barrier = threading.Barrier(3)
    answers: list[tuple[int, bytes]] = []

    def fetch() -> None:
        barrier.wait()
        response = Client().get("/api/v1/schema/?format=json")
        answers.append((response.status_code, response.content))

    threads = [threading.Thread(target=fetch) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [200, 200, 200]
    assert len({body for _, body in answers}) == 1
    assert len(made) == 1
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    assert english_client.get("/api/v1/schema/?format=json").status_code == 200
    assert len(made) == 2, "each language has its own document"


@pytest.mark.parametrize("walks", [True, False])
def test_a_contacts_incidents_are_the_same_whichever_way_they_are_read(api_client, demo_users, monkeypatch, walks):
    # A contact's list is read either by walking every incident in id order or by gathering its sites'
    # incidents (`IncidentViewSet.get_queryset`); both must give exactly its sites' incidents, in id order.
    from trygg.incidents import listing
    from trygg.incidents.models import Incident

    monkeypatch.setattr(listing, "walks_newest_first", lambda *args: walks)
    contact = demo_users["administration_contact"]
    expected = list(
        Incident.objects.filter(site__administration__in=contact.administrations.all())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert expected and len(expected) < Incident.objects.count()
    got = [item["id"] for item in all_pages(api_client("administration_contact"), "/api/v1/incidents/?page_size=7")]
    assert got == expected
