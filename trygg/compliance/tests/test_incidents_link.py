"""The incidents a 9 § assessment relies on come from the register, and the rules read their hours."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from trygg.cameras.models import Camera
from trygg.compliance import checklist, decisions, facts
from trygg.compliance.models import SurveillanceAssessment
from trygg.incidents.models import Incident
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db


def incident(site: Site, on: dt.date, time: dt.time | None, **extra) -> Incident:
    return Incident.objects.create(site=site, kind="vandalism", occurred_on=on, occurred_time=time, **extra)


def test_week_minutes_of_a_timed_incident_is_its_hour():
    site = Site.objects.get(name="Stora torget")
    # Saturday 2024-06-01 at 22:30 marks Saturday 22:00–23:00: minutes 5·1440 + 22·60 … +59.
    minutes = facts.incident_week_minutes([incident(site, dt.date(2024, 6, 1), dt.time(22, 30))])
    assert minutes == frozenset(range(5 * 1440 + 22 * 60, 5 * 1440 + 23 * 60))


def test_an_unknown_time_marks_the_whole_day():
    site = Site.objects.get(name="Stora torget")
    minutes = facts.incident_week_minutes([incident(site, dt.date(2024, 6, 3), None)])  # a Monday
    assert minutes == frozenset(range(0, 1440))


def test_kvisthamra_draft_relies_on_the_register():
    camera = Camera.objects.get(identifier="KVI-01")
    draft = SurveillanceAssessment.objects.get(camera=camera, status="draft")
    chosen = draft.incidents.count()
    assert chosen == Incident.objects.filter(site=camera.site).count() > 20
    camera_facts = facts.facts_for(camera, dt.date(2025, 6, 1))
    assert camera_facts.assessment.incidents_relied_on == chosen
    # The incidents fall in many hours of the week; their minutes are what the hours rule compares.
    assert len(camera_facts.assessment.incident_week_minutes) > 20 * 60
    coverage = facts.incident_coverage(draft)
    # Same figure as the need profile: the share of incidents inside IMY's facade hours.
    from trygg.incidents.needs import site_rows
    from trygg.incidents.profile import schedule_coverage

    expected = schedule_coverage(camera.get_schedule(), site_rows(camera.site)).share_inside
    assert coverage.share_inside == pytest.approx(expected)
    assert 0.5 < coverage.share_inside < 1


def hours_check(camera: Camera, on: dt.date) -> dict:
    checks = checklist.checklist_data(facts.compliance_for(camera, on))["checks"]
    return next(c for c in checks if c["code"] == "KBL-8-INCIDENT-HOURS")


def revise_with(camera: Camera, incidents: list[Incident], approved_on: dt.date) -> None:
    from trygg.compliance.tests.helpers import submit_and_approve

    latest = SurveillanceAssessment.objects.filter(camera=camera).order_by("-version").first()
    draft = decisions.new_version(latest)
    draft.incidents.set(incidents)
    submit_and_approve(draft, approved_on)


def test_the_hours_rule_reads_the_chosen_incidents():
    camera = Camera.objects.get(identifier="SPORT-02")  # records round the clock
    site = camera.site
    # Relying on one incident at 23:00 documents one clock hour; the other 23 hours of every day,
    # 7 · 23 = 161 hours a week, are recorded without a documented incident (R1.3): a warning.
    revise_with(camera, [incident(site, dt.date(2024, 6, 1), dt.time(23, 0))], dt.date(2025, 5, 1))
    check = hours_check(camera, dt.date(2025, 6, 1))
    assert not check["passed"]
    assert "161 timmar" in check["reason"]
    # Incidents at every clock hour document all the recorded hours: the warning goes.
    every_hour = [incident(site, dt.date(2024, 6, 3), dt.time(hour)) for hour in range(24)]
    revise_with(camera, every_hour, dt.date(2025, 5, 2))
    assert hours_check(camera, dt.date(2025, 6, 1))["passed"]


def test_a_decided_assessment_keeps_its_incidents():
    approved = SurveillanceAssessment.objects.filter(camera__identifier="SPORT-02", status="approved").get()
    other = incident(approved.camera.site, dt.date(2024, 6, 1), dt.time(23, 0))
    with pytest.raises(ValidationError):
        approved.incidents.add(other)


def test_new_version_copies_the_incidents():
    approved = SurveillanceAssessment.objects.filter(camera__identifier="SPORT-02", status="approved").get()
    revision = decisions.new_version(approved)
    assert set(revision.incidents.all()) == set(approved.incidents.all())
    assert revision.incidents.exists()


def test_the_assessment_form_refuses_incidents_from_another_site():
    from trygg.compliance.forms import SurveillanceAssessmentForm

    draft = SurveillanceAssessment.objects.get(camera__identifier="KVI-01", status="draft")
    elsewhere = incident(Site.objects.get(name="Stora torget"), dt.date(2024, 6, 1), dt.time(23, 0))
    form = SurveillanceAssessmentForm(instance=draft)
    assert elsewhere not in form.fields["incidents"].queryset
    assert form.fields["incidents"].queryset.filter(site=draft.camera.site).exists()
    posted = SurveillanceAssessmentForm(data={"incidents": [elsewhere.pk], "incident_count": 0}, instance=draft)
    assert not posted.is_valid()
    assert posted.errors["incidents"] == [f"Fältet ”händelser”: händelsen {elsewhere.pk} hör inte till kamerans plats."]


def test_the_assessment_page_shows_the_coverage_of_the_hours(client_for):
    draft = SurveillanceAssessment.objects.get(camera__identifier="KVI-01", status="draft")
    page = client_for("officer").get(f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/").content.decode()
    assert "valda händelser inträffade" in page
    assert "under kamerans bevakningstider" in page
