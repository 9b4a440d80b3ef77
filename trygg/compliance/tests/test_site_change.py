"""A camera moved to another site is not covered by the assessments of its old site (9 § KBL, art. 35 GDPR).

The demo's TORG-02 is in operation at Stora torget with an approved 9 § assessment (2019-05-20) and the
square's DPIA (2019-05-10). An officer gives it the site Kommunhuset: the form asks first, and once saved
the camera is blocked, on its page, in the stored checklist and on the start page, until Kommunhuset has
its own assessment.
"""

from __future__ import annotations

import datetime as dt
import html as html_module

import pytest
from django.utils import timezone

from trygg.cameras.forms import template_rules
from trygg.cameras.models import Camera
from trygg.compliance import decisions
from trygg.compliance.models import StoredChecklist
from trygg.sites.models import Site

from .helpers import submit_and_approve

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Kameran hör nu till Kommunhuset, men intresseavvägningen (9 §) godkänd 2019-05-20 gäller Stora torget och "
    "konsekvensbedömningen (art. 35) godkänd 2019-05-10 gäller Stora torget."
)


def edit_data(camera: Camera, **changes) -> dict:
    """The camera form's POST data as the page shows it, with `changes`."""
    from trygg.cameras.tests.test_forms import camera_data, rows_data

    data = camera_data(camera, **changes) | rows_data(template_rules(camera.schedule_template))
    data.pop("project", None)
    return data


def text_of(response) -> str:
    return html_module.unescape(response.content.decode())


def test_the_form_warns_before_the_site_of_a_camera_in_operation_changes(client_for):
    camera = Camera.objects.get(identifier="TORG-02")
    town_hall = Site.objects.get(name="Kommunhuset")
    officer = client_for("officer")
    page = text_of(officer.get(f"/kameror/{camera.pk}/andra/"))
    assert "Kameran är i drift vid Stora torget." in page
    assert "byter du plats stoppas kameran i checklistan (hinder)" in page
    response = officer.post(f"/kameror/{camera.pk}/andra/", edit_data(camera, site=str(town_hall.pk)))
    assert response.status_code == 400
    assert (
        "Bekräfta platsbytet från Stora torget till Kommunhuset: kamerans bedömningar gäller Stora torget"
        in text_of(response)
    )
    camera.refresh_from_db()
    assert camera.site.name == "Stora torget"
    # A camera not yet on the wall changes site without the question (nothing is filmed there yet).
    planned = Camera.objects.get(identifier="KVI-04")
    assert "confirm_site_change" not in officer.get(f"/kameror/{planned.pk}/andra/").content.decode()


def test_a_camera_moved_to_another_site_is_blocked_until_that_site_is_assessed(client_for):
    camera = Camera.objects.get(identifier="TORG-02")
    town_hall = Site.objects.get(name="Kommunhuset")
    officer = client_for("officer")
    data = edit_data(camera, site=str(town_hall.pk), confirm_site_change="on")
    response = officer.post(f"/kameror/{camera.pk}/andra/", data)
    assert response.status_code == 302, response.context["form"].errors

    # The camera's page: no "Inga hinder", the blocker names both sites and links to the fixes.
    page = text_of(officer.get(f"/kameror/{camera.pk}/"))
    assert "kameran uppfyller kraven för att vara i drift" not in page
    assert "Bedömningarna gäller kamerans nuvarande plats" in page and MESSAGE in page
    assessment = camera.surveillance_assessments.get(status="approved")
    assert f'href="/efterlevnad/intresseavvagningar/{assessment.pk}/">Starta en ny version' in page
    assert f'href="/efterlevnad/konsekvensbedomningar/ny/?plats={town_hall.pk}">Skriv konsekvensbedömningen' in page
    # The old documents are listed as the old site's.
    assert "Godkänd – gäller Stora torget, inte kamerans plats" in page

    # The stored checklist was recomputed on the save: lists and the start page show the blocker at once.
    stored = StoredChecklist.objects.get(camera=camera)
    assert stored.computed_on == timezone.localdate()
    assert not stored.activation_allowed and "KBL-9-SITE" in stored.blockers
    assert stored.finding["code"] == "KBL-9-SITE"
    start = text_of(officer.get("/"))
    findings = start[start.index('id="findings"') :]
    assert "TORG-02" in findings and MESSAGE in findings

    # In English too.
    officer.cookies["django_language"] = "en"
    english = text_of(officer.get(f"/kameror/{camera.pk}/"))
    assert (
        "The camera now belongs to Kommunhuset, but the balancing of interests (section 9) approved 2019-05-20 "
        "applies to Stora torget and the impact assessment (art. 35) approved 2019-05-10 applies to Stora torget."
    ) in english


def test_a_new_version_approved_at_the_new_site_covers_the_camera_there():
    camera = Camera.objects.get(identifier="TORG-02")
    square, town_hall = Site.objects.get(name="Stora torget"), Site.objects.get(name="Kommunhuset")
    camera.site = town_hall
    camera.save()
    assert StoredChecklist.objects.get(camera=camera).finding["code"] == "KBL-9-SITE"
    # Back at the square, its own documents cover it again.
    camera.site = square
    camera.save()
    assert "KBL-9-SITE" not in StoredChecklist.objects.get(camera=camera).blockers
    camera.site = town_hall
    camera.save()
    draft = decisions.new_version(camera.surveillance_assessments.get(status="approved"))
    submit_and_approve(draft, timezone.localdate() - dt.timedelta(days=1))
    stored = StoredChecklist.objects.get(camera=camera)
    # The 9 § assessment is Kommunhuset's now; the square's DPIA still does not cover the camera there.
    assert stored.finding["code"] == "KBL-9-SITE"
    assert [part["params"]["document"]["text"] for part in stored.finding["params"]["documents"]["join"]] == [
        "konsekvensbedömningen (art. 35)"
    ]
