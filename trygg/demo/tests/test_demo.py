"""The demo situation holds the seed document's facts and loads idempotently."""

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from trygg.cameras.models import Camera, CameraTransition
from trygg.core.models import Administration, ObjectChange, Organisation
from trygg.programme.models import Assignment, Project
from trygg.sites.models import DialogueNote, Measure, Site, Zone

MODELS = [
    Organisation,
    Administration,
    Site,
    Zone,
    Measure,
    DialogueNote,
    Assignment,
    Project,
    Camera,
    CameraTransition,
]


def test_loading_twice_duplicates_nothing(demo_users):
    counts = {m: m.objects.count() for m in MODELS}
    changes = ObjectChange.objects.count()
    call_command("demo", stdout=StringIO())
    assert {m: m.objects.count() for m in MODELS} == counts
    assert ObjectChange.objects.count() == changes


def test_the_seed_facts_are_there(demo_users):
    organisation = Organisation.current()
    assert organisation.camera_budget_per_year == Decimal("1000000.00")
    assignment = Assignment.objects.get()
    assert assignment.title == "Trygghetskameror ska sättas upp på fler utsatta eller potentiellt utsatta platser"
    assert assignment.plan_year == 2024 and assignment.origin == "political"
    project = Project.objects.get(site__name="Kvisthamraskolan")
    assert (project.target_min, project.target_max) == (3, 4)
    assert project.target_date == dt.date(2024, 12, 31)
    assert project.forecast_date == dt.date(2025, 3, 31)  # "först Q1 2025"
    assert project.delay_reasons == ["operation_preparation"]
    assert "ej skolgård" in project.scope_description
    zones = dict(Zone.objects.filter(site__name="Kvisthamraskolan").values_list("kind", "rule"))
    assert zones == {
        "building": "may_monitor",
        "facade_strip": "only_outside_school_hours",
        "schoolyard": "must_not_monitor",
        "fence": "may_monitor",  # drawn as a line; it blocks the view
    }
    assert all(m.effect != "intended" for m in Measure.objects.filter(site__name="Kvisthamraskolan"))
    for school in ["Rodengymnasiet", "Hallsta skola"]:
        assert DialogueNote.objects.filter(site__name=school, concerns_year=2025).exists()


def test_illustrative_cameras_say_so(demo_users):
    for camera in Camera.objects.exclude(site__name="Kvisthamraskolan"):
        assert "Illustrativt" in camera.notes
        assert camera.transitions.order_by("sequence").last().occurred_on.year in range(2019, 2025)


def test_the_command_prints_one_user_per_role(demo_users):
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for username in ["admin", "handlaggare", "forvaltning", "dataskydd", "lasare"]:
        assert username in text
    assert "trygg-handlaggare" in text
