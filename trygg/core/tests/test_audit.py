"""The change log records every create, change and delete, whichever way the change was made."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command

from trygg.cameras import services
from trygg.cameras.models import Camera
from trygg.core.audit import audit_context, record_event
from trygg.core.history import changes_for, describe
from trygg.core.models import Administration, ObjectChange
from trygg.sites.models import Measure, Site


def changes_of(obj, **filters):
    content_type = ContentType.objects.get_for_model(obj)
    return ObjectChange.objects.filter(
        changed_object_type=content_type, changed_object_id=str(obj.pk), **filters
    ).order_by("pk")


@pytest.fixture
def site(demo_users):
    return Site.objects.get(name="Kvisthamraskolan")


def test_a_command_change_is_logged_with_before_and_after(site, demo_users):
    with audit_context(user=demo_users["officer"], source="command:test"):
        site.address = "Kvisthamravägen 1"
        site.save()
    change = changes_of(site, action="update").last()
    assert change.user == demo_users["officer"] and change.user_name == "handlaggare"
    assert change.source == "command:test"
    assert change.prechange_data["address"] == "Kvisthamra, Norrtälje"
    assert change.postchange_data["address"] == "Kvisthamravägen 1"
    assert describe([change])[0].fields == [("adress", "Kvisthamra, Norrtälje", "Kvisthamravägen 1")]


def test_a_change_outside_any_context_is_logged_as_system(site):
    site.notes = "Ändrad utan inloggning"
    site.save()
    change = changes_of(site, action="update").last()
    assert change.user is None and change.user_name == "system"


def test_saving_without_changes_writes_nothing(site):
    before = ObjectChange.objects.count()
    site.save()
    assert ObjectChange.objects.count() == before


def test_admin_create_change_and_delete_are_logged(client_for, site):
    client = client_for("officer")
    response = client.post(
        "/admin/sites/measure/add/",
        {
            "site": site.pk,
            "kind": "alarms",
            "started_on": "2024-05-01",
            "effect": "not_assessed",
            "description": "Larm",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get(kind="alarms")
    created = changes_of(measure).get(action="create")
    assert created.user_name == "handlaggare" and created.source == "admin"
    assert created.postchange_data["kind"] == "alarms" and created.prechange_data is None
    # The change also shows in the site's history, as a related object.
    assert created.related_object_id == str(site.pk)

    response = client.post(
        f"/admin/sites/measure/{measure.pk}/change/",
        {
            "site": site.pk,
            "kind": "alarms",
            "started_on": "2024-05-01",
            "effect": "none",
            "effect_notes": "Larmet löste ut men skadegörelsen fortsatte.",
            "description": "Larm",
        },
    )
    assert response.status_code == 302
    updated = changes_of(measure).get(action="update")
    assert (updated.prechange_data["effect"], updated.postchange_data["effect"]) == ("not_assessed", "none")

    measure_pk = measure.pk
    assert client.post(f"/admin/sites/measure/{measure_pk}/delete/", {"post": "yes"}).status_code == 302
    deleted = ObjectChange.objects.get(
        changed_object_type=ContentType.objects.get_for_model(Measure),
        changed_object_id=str(measure_pk),
        action="delete",
    )
    assert deleted.prechange_data["effect"] == "none" and deleted.postchange_data is None


def test_a_rejected_admin_form_saves_nothing_and_logs_nothing(client_for, site):
    client = client_for("officer")  # the login is logged before the count
    before = ObjectChange.objects.count()
    response = client.post(
        "/admin/sites/measure/add/",
        {"site": site.pk, "kind": "alarms", "started_on": "2024-05-01", "ended_on": "2024-04-01", "effect": "none"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["ended_on"] == ["Slutdatum kan inte vara före startdatum."]
    assert errors["effect_notes"] == ["Motivera bedömningen av effekten."]
    assert ObjectChange.objects.count() == before
    assert not Measure.objects.filter(kind="alarms").exists()


def test_a_lifecycle_move_is_a_named_event(site, demo_users):
    camera = Camera.objects.get(identifier="KVI-01")
    with audit_context(user=demo_users["officer"]):
        services.move(camera, "installed", dt.date(2025, 2, 1), note="Monterad")
    event = changes_of(camera, action="event").last()
    assert event.event == "camera.transition"
    assert event.event_label == "Kamerans livscykelstatus ändrades"
    assert event.postchange_data == {"from": "designed", "to": "installed", "occurred_on": "2025-02-01"}
    assert event.message == "Monterad"
    state_change = changes_of(camera, action="update").last()
    assert (state_change.prechange_data["state"], state_change.postchange_data["state"]) == ("designed", "installed")


def test_unknown_events_are_refused(site):
    with pytest.raises(ValueError, match="Unknown audit event"):
        record_event(site, "site.teleported")


def test_many_to_many_changes_are_logged(demo_users):
    administration = Administration.objects.get(short_name="KFF")
    administration.contacts.add(demo_users["reader"])
    change = changes_of(administration, action="update").last()
    assert change.prechange_data["contacts"] == []
    assert change.postchange_data["contacts"] == [demo_users["reader"].pk]


def test_the_log_cannot_be_edited_or_deleted(site):
    change = changes_of(site).first()
    change.object_repr = "förfalskad"
    with pytest.raises(ValidationError, match="kan inte ändras"):
        change.save()
    with pytest.raises(ValidationError, match="kan inte raderas"):
        change.delete()


def test_the_history_page_shows_the_log_in_swedish(client_for, site, demo_users):
    with audit_context(user=demo_users["officer"]):
        site.vulnerability_reason = "Ny bedömning efter inbrott."
        site.save()
    page = client_for("dpo").get(f"/admin/sites/site/{site.pk}/history/").content.decode()
    assert "Ändringshistorik" in page
    assert "skäl för bedömningen av utsatthet" in page
    assert "Ny bedömning efter inbrott." in page
    assert "handlaggare" in page
    # Changes to its zones appear on the site's page too.
    assert "Skolgården" in page


def test_the_demo_command_is_logged_as_the_command(demo_users):
    call_command("demo", verbosity=0)
    site = Site.objects.get(name="Kvisthamraskolan")
    created = changes_of(site).get(action="create")
    assert created.source == "command:demo"


def test_history_shows_labels_and_names_not_codes(client_for, demo_users):
    camera = Camera.objects.get(identifier="KVI-01")
    with audit_context(user=demo_users["officer"]):
        services.move(camera, "installed", dt.date(2025, 2, 1))
    rows = describe(changes_for(camera))
    event = next(r for r in rows if r.change.event == "camera.transition")
    assert event.fields == [("status", "Projekterad", "Installerad"), ("datum", "–", "2025-02-01")]
    created = next(r for r in rows if r.change.action == "create" and r.change.object_repr == "KVI-01")
    fields = {label: after for label, _before, after in created.fields}
    assert fields["projektering"] == "Kvisthamraskolan – yttre bevakning av byggnad"
    assert fields["plats"] == "Kvisthamraskolan"
    assert fields["montering"] == "Vägg"
    assert fields["inomhus"] == "nej"
    assert fields["placeringen kan omfattas av sekretess"] == "ja"


def test_history_page_queries_do_not_grow_with_the_log(client_for, site):
    client = client_for("officer")
    url = f"/admin/sites/site/{site.pk}/history/"
    client.get(url)  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(30):
        site.notes = f"Anteckning {n}"
        site.save()
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(second) == len(first)


def test_a_web_form_change_is_logged_with_the_user(client_for, site):
    response = client_for("officer").post(
        f"/platser/{site.pk}/andra/",
        {
            "name": site.name,
            "kind": site.kind,
            "administration": site.administration_id,
            "address": "Kvisthamravägen 2",
            "longitude": site.longitude,
            "latitude": site.latitude,
            "area_kind": site.area_kind,
            "vulnerability": site.vulnerability,
            "vulnerability_reason": site.vulnerability_reason,
            "outline": "",
            "notes": site.notes,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    change = changes_of(site, action="update").last()
    assert (change.user_name, change.source) == ("handlaggare", "web")
    assert change.postchange_data["address"] == "Kvisthamravägen 2"
    assert change.postchange_data["outline"] is None  # the drawn outline was cleared in the form


def test_a_refused_web_form_saves_and_logs_nothing(client_for, site):
    client = client_for("officer")  # the login is logged before the count
    before = ObjectChange.objects.count()
    response = client.post(
        f"/platser/{site.pk}/omraden/nytt/",
        {"name": "Trasig", "kind": "other", "rule": "must_not_monitor", "geometry": '{"type": "Point"}'},
    )
    assert response.status_code == 200
    assert "Ytan måste vara en GeoJSON-polygon" in response.content.decode()
    assert ObjectChange.objects.count() == before
