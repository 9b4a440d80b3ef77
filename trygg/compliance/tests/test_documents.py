"""The assessments written on Trygg's pages: the right choices, facts from the data, errors, nothing half-saved."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.cameras.models import Camera
from trygg.compliance.models import (
    ChildRightsAssessment,
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    SurveillanceAssessment,
)
from trygg.incidents.models import Incident
from trygg.sites.models import Measure, Site

pytestmark = pytest.mark.django_db
D = dt.date


def kvi01_draft() -> SurveillanceAssessment:
    return SurveillanceAssessment.objects.get(camera__identifier="KVI-01", status="draft")


def chosen_values(html: str, name: str) -> set[int]:
    return {int(v) for v in re.findall(rf'name="{name}" value="(\d+)"', html)}


def test_the_9_paragraph_page_offers_only_the_cameras_sites_incidents_and_measures(client_for):
    draft = kvi01_draft()
    site = draft.camera.site
    html = client_for("officer").get(f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/").content.decode()
    offered_incidents = chosen_values(html, "incidents")
    offered_measures = chosen_values(html, "alternatives")
    assert offered_incidents == set(Incident.objects.filter(site=site).values_list("pk", flat=True))
    assert offered_measures == set(Measure.objects.filter(site=site).values_list("pk", flat=True))
    elsewhere = set(Incident.objects.exclude(site=site).values_list("pk", flat=True))
    assert elsewhere and not offered_incidents & elsewhere
    # A compact, searchable chooser, not a raw list: search, filters, "select all shown" and a count.
    assert "data-chooser" in html and "Välj alla synliga" in html
    assert f"{len(offered_incidents)} valda av {len(offered_incidents)}" in html  # the demo relies on all of them


def test_the_page_shows_the_cameras_facts_from_the_data(client_for):
    draft = kvi01_draft()
    camera = draft.camera
    html = client_for("officer").get(f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/").content.decode()
    visible = f"{camera.visible_area_m2:.1f}".replace(".", ",")
    assert f"varav synligt (byggnader skymmer resten) {visible} m²" in html
    assert f"{camera.retention_hours} timmar" in html
    assert "inom IMY:s tider för skolfasader" in html
    for zone in camera.zones_seen:
        assert zone["zone_name"] in html
    # The facts name the camera with a link to its page, where its view and status are changed.
    assert f'Kamera <a href="/kameror/{camera.pk}/">{camera.identifier}</a>' in html
    # Sections in the order of the law, each with its legal reference and help.
    headings = re.findall(r'<h2 id="([a-z-]+)-heading">', html)
    assert headings[:9] == [
        "vad-bedomningen-galler",
        "uppgift-och-nodvandighet",
        "upptagningsomrade-och-tider",
        "skal-for-bevakning",
        "brott-och-incidenter",
        "andra-atgarder",
        "integritetsintresset",
        "arbetsplats-och-bitraden",
        "slutsats",
    ]
    assert "7 § kamerabevakningslagen" in html and "8 § andra stycket kamerabevakningslagen" in html
    # The addendum shows what it takes from its template.
    assert "Lämnas fältet tomt gäller mallens text:" in html and draft.template.necessity in html


def test_saving_the_page_saves_text_choices_and_hours_together(client_for):
    draft = kvi01_draft()
    site_incidents = list(Incident.objects.filter(site=draft.camera.site).order_by("pk")[:3])
    measure = Measure.objects.filter(site=draft.camera.site).first()
    response = client_for("officer").post(
        f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/",
        {
            "template": draft.template_id,
            "live_viewing": "Ingen direktövervakning.",
            "incident_count": 3,
            "incidents": [i.pk for i in site_incidents],
            "alternatives": [measure.pk],
            "incident_hours-TOTAL_FORMS": 2,
            "incident_hours-INITIAL_FORMS": 0,
            "incident_hours-0-days": ["4", "5"],
            "incident_hours-0-start": "21:00",
            "incident_hours-0-end": "03:00",
        },
    )
    assert response.status_code == 302 and response.url == f"/efterlevnad/intresseavvagningar/{draft.pk}/"
    draft.refresh_from_db()
    assert draft.live_viewing == "Ingen direktövervakning."
    assert list(draft.incidents.order_by("pk")) == site_incidents
    assert list(draft.alternatives.all()) == [measure]
    assert draft.incident_hours == [{"days": [4, 5], "start": "21:00", "end": "03:00"}]
    assert draft.version == 1 and SurveillanceAssessment.objects.filter(series=draft.series).count() == 1


def test_bad_input_is_named_in_swedish_and_nothing_is_saved(client_for):
    draft = kvi01_draft()
    before = set(draft.incidents.values_list("pk", flat=True))
    elsewhere = Incident.objects.exclude(site=draft.camera.site).first()
    response = client_for("officer").post(
        f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/",
        {
            "template": draft.template_id,
            "necessity": "Ny text som inte får sparas.",
            "legal_task": "other",
            "incident_count": 1,
            "incidents": [elsewhere.pk],
            "incident_hours-TOTAL_FORMS": 1,
            "incident_hours-INITIAL_FORMS": 0,
            "incident_hours-0-days": ["4"],
            "incident_hours-0-start": "",
            "incident_hours-0-end": "03:00",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Utkastet sparades inte" in html
    assert f"Fältet ”händelser”: händelsen {elsewhere.pk} hör inte till kamerans plats." in html
    assert (
        "Ange från vilket klockslag på rad 1 i ”Tider med dokumenterade händelser som inte finns i registret”." in html
    )
    draft.refresh_from_db()
    assert draft.necessity != "Ny text som inte får sparas."
    assert set(draft.incidents.values_list("pk", flat=True)) == before


def test_adding_an_hours_row_without_javascript_saves_nothing(client_for):
    draft = kvi01_draft()
    before = draft.incident_hours
    response = client_for("officer").post(
        f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/",
        {
            "template": draft.template_id,
            "incident_count": 1,
            "incident_hours-TOTAL_FORMS": 1,
            "incident_hours-INITIAL_FORMS": 0,
            "incident_hours-0-days": ["4"],
            "incident_hours-0-start": "22:00",
            "incident_hours-0-end": "02:00",
            "incident_hours-fler_rader": "1",
        },
    )
    assert response.status_code == 200
    hours = response.context["formsets"]["incident_hours"]
    assert len(hours.forms) == 2 and "applies" not in hours.forms[0].fields
    assert hours.rules() == [{"days": [4], "start": "22:00", "end": "02:00"}]
    draft.refresh_from_db()
    assert draft.incident_hours == before


def test_a_model_error_is_shown_naming_the_field(client_for):
    draft = kvi01_draft()
    response = client_for("officer").post(
        f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/",
        {
            "template": draft.template_id,
            "legal_task": "other",
            "incident_count": 1,
            "incident_hours-TOTAL_FORMS": 0,
            "incident_hours-INITIAL_FORMS": 0,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Annan uppgift: Beskriv uppgiften när ”annan” är vald som uppgift av allmänt intresse." in html
    draft.refresh_from_db()
    assert draft.legal_task == ""


def test_a_new_assessment_for_a_camera_and_a_shared_template(client_for):
    client = client_for("officer")
    camera = Camera.objects.get(identifier="KVI-04")
    assert not camera.surveillance_assessments.exists()
    page = client.get(f"/efterlevnad/intresseavvagningar/ny/?kamera={camera.pk}")
    assert page.status_code == 200 and "KVI-04" in page.content.decode()
    response = client.post(
        f"/efterlevnad/intresseavvagningar/ny/?kamera={camera.pk}",
        {
            "necessity": "Skadegörelse på fasaden.",
            "incident_count": 0,
            "incident_hours-TOTAL_FORMS": 0,
            "incident_hours-INITIAL_FORMS": 0,
        },
    )
    created = camera.surveillance_assessments.get()
    assert response.status_code == 302 and (created.status, created.version, created.author.username) == (
        "draft",
        1,
        "handlaggare",
    )
    # A second "new" for the same camera opens the existing series instead of starting another one.
    again = client.get(f"/efterlevnad/intresseavvagningar/ny/?kamera={camera.pk}")
    assert again.status_code == 302 and again.url == f"/efterlevnad/intresseavvagningar/{created.pk}/"
    # A shared template: the site kind is required and must be a school kind.
    refused = client.post(
        "/efterlevnad/intresseavvagningar/ny/?mall=1", {"title": "Förskolor", "template_site_kind": "park"}
    )
    assert refused.status_code == 200 and "IMY godtar en gemensam bedömning bara för likadana skolfasader" in (
        refused.content.decode()
    )
    made = client.post(
        "/efterlevnad/intresseavvagningar/ny/?mall=1", {"title": "Förskolor", "template_site_kind": "preschool"}
    )
    assert made.status_code == 302
    assert SurveillanceAssessment.objects.get(title="Förskolor").is_template


def test_without_a_camera_the_new_page_asks_for_one(client_for):
    html = client_for("officer").get("/efterlevnad/intresseavvagningar/ny/").content.decode()
    assert 'name="kamera"' in html and "KVI-04 – Kvisthamraskolan" in html


def test_the_dpia_page_edits_risks_and_measures_and_draws_the_matrix(client_for):
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    client = client_for("officer")
    html = client.get(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/andra/").content.decode()
    # Criteria as labelled checkboxes, never a raw JSON list.
    assert 'type="checkbox" name="criteria" value="vulnerable_subjects"' in html
    assert "sårbara registrerade (barn, anställda)" in html and "[&quot;" not in html and '["' not in html
    risks = list(dpia.risks.order_by("pk"))
    measures = list(dpia.measures.order_by("pk"))
    data = {
        "title": dpia.title,
        "cameras": list(dpia.cameras.values_list("pk", flat=True)),
        "criteria": ["systematic_monitoring", "vulnerable_subjects"],
        "description": dpia.description,
        "prior_consultation": "not_needed",
        "risks-TOTAL_FORMS": len(risks) + 1,
        "risks-INITIAL_FORMS": len(risks),
        "measures-TOTAL_FORMS": len(measures) + 1,
        "measures-INITIAL_FORMS": len(measures),
    }
    for i, risk in enumerate(risks):
        data.update(
            {
                f"risks-{i}-id": risk.pk,
                f"risks-{i}-title": risk.title,
                f"risks-{i}-severity": risk.severity,
                f"risks-{i}-likelihood": risk.likelihood,
            }
        )
    data[f"risks-{len(risks) - 1}-DELETE"] = "on"  # remove the last risk
    n = len(risks)
    data.update(
        {f"risks-{n}-title": "Inspelningar lämnas ut felaktigt", f"risks-{n}-severity": 4, f"risks-{n}-likelihood": 4}
    )
    for i, measure in enumerate(measures):
        data.update(
            {
                f"measures-{i}-id": measure.pk,
                f"measures-{i}-risk": measure.risk_id or "",
                f"measures-{i}-description": measure.description,
                f"measures-{i}-owner": measure.owner,
                f"measures-{i}-due_on": measure.due_on.isoformat() if measure.due_on else "",
            }
        )
    m = len(measures)
    data.update(
        {
            f"measures-{m}-risk": risks[0].pk,
            f"measures-{m}-description": "Logga varje uttag.",
            f"measures-{m}-owner": "Säkerhetssamordnaren",
            f"measures-{m}-due_on": "2025-03-31",
        }
    )
    response = client.post(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/andra/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    dpia.refresh_from_db()
    assert dpia.criteria == ["systematic_monitoring", "vulnerable_subjects"]
    titles = set(dpia.risks.values_list("title", flat=True))
    assert "Inspelningar lämnas ut felaktigt" in titles and risks[-1].title not in titles
    assert dpia.measures.filter(description="Logga varje uttag.", risk=risks[0], due_on=D(2025, 3, 31)).exists()
    new_risk = dpia.risks.get(title="Inspelningar lämnas ut felaktigt")
    detail = client.get(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/").content.decode()
    assert f'class="risk-high"><a href="#risk-{new_risk.pk}">R' in detail  # 4 × 4 = 16: the high corner
    # The criteria read as words in the document and in its change history, never as a JSON list.
    assert "systematisk övervakning; sårbara registrerade (barn, anställda)" in detail
    assert "systematic_monitoring" not in detail and "[&quot;" not in detail


def test_a_measure_cannot_keep_a_risk_removed_in_the_same_save(client_for):
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    risk = dpia.risks.get(severity=3, likelihood=3)
    measure = dpia.measures.get(risk=risk)
    data = {
        "title": dpia.title,
        "prior_consultation": "not_needed",
        "risks-TOTAL_FORMS": 1,
        "risks-INITIAL_FORMS": 1,
        "risks-0-id": risk.pk,
        "risks-0-title": risk.title,
        "risks-0-severity": 3,
        "risks-0-likelihood": 3,
        "risks-0-DELETE": "on",
        "measures-TOTAL_FORMS": 1,
        "measures-INITIAL_FORMS": 1,
        "measures-0-id": measure.pk,
        "measures-0-risk": risk.pk,
        "measures-0-description": "Ändrad text",
        "measures-0-owner": measure.owner,
    }
    response = client_for("officer").post(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/andra/", data)
    assert response.status_code == 200
    assert "hör till risken" in response.content.decode()
    assert DpiaRisk.objects.filter(pk=risk.pk).exists()
    assert DpiaMeasure.objects.get(pk=measure.pk).description != "Ändrad text"


def test_child_rights_assessments_are_for_schools_only(client_for):
    client = client_for("officer")
    park = Site.objects.get(name="Societetsparken")
    assert client.get(f"/efterlevnad/barnrattsprovningar/ny/?plats={park.pk}").status_code == 404
    school = Site.objects.get(name="Hallsta skola")
    response = client.post(
        f"/efterlevnad/barnrattsprovningar/ny/?plats={school.pk}",
        {"title": "Barnrättsprövning Hallsta skola", "affected_children": "Elever i årskurs 7–9."},
    )
    assert response.status_code == 302
    created = ChildRightsAssessment.objects.get(site=school)
    assert created.affected_children == "Elever i årskurs 7–9." and created.status == "draft"
    page = client.get(f"/efterlevnad/barnrattsprovningar/{created.pk}/andra/").content.decode()
    for heading in [
        "1. Berörda barn",
        "3. Barnens rätt att komma till tals",
        "9. Uppföljning",
        "art. 12 barnkonventionen",
    ]:
        assert heading in page


def test_the_preview_is_the_document_as_the_dpo_reads_it(client_for):
    draft = kvi01_draft()
    html = client_for("officer").get(f"/efterlevnad/intresseavvagningar/{draft.pk}/forhandsvisning/").content.decode()
    assert "Så här ser dataskyddsombudet versionen" in html
    assert draft.template.necessity in html and "(från mallen)" in html
    assert "8. Slutsats" in html and "Fakta ur registret" in html


@pytest.mark.parametrize(
    "url",
    ["/efterlevnad/intresseavvagningar/", "/efterlevnad/konsekvensbedomningar/", "/efterlevnad/beslut/", "/"],
)
@pytest.mark.parametrize("role", ["officer", "dpo"])
def test_list_pages_use_constant_queries(client_for, url, role):
    from django.utils import timezone

    from .helpers import officer

    client = client_for(role)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    site = Site.objects.get(name="Stora torget")
    for i in range(4):
        camera = Camera.objects.create(
            identifier=f"Q-{i}",
            site=site,
            longitude=site.longitude,
            latitude=site.latitude,
            mount="pole",
            mount_height_m=5,
            bearing_deg=90,
            hfov_deg=60,
            camera_type="fixed",
        )
        assessment = SurveillanceAssessment.objects.create(camera=camera, necessity="x", author=officer())
        dpia = ImpactAssessment.objects.create(site=site, title=f"DPIA {i}", author=officer())
        # Waiting for a decision and returned rejected: the rows of the queue and the overviews grow too.
        SurveillanceAssessment.objects.filter(pk=assessment.pk).update(
            status="submitted", submitted_by=officer(), submitted_at=timezone.now()
        )
        ImpactAssessment.objects.filter(pk=dpia.pk).update(
            status="rejected", rejected_by=officer(), rejected_on=D(2025, 1, 1), rejection_reason="Ofullständig."
        )
    assert count() == before


def test_the_dpia_states_the_criteria_that_follow_from_its_cameras_even_when_none_are_ticked(client_for):
    dpia = ImpactAssessment.objects.filter(site__name="Kvisthamraskolan").order_by("-version").first()
    ImpactAssessment.objects.filter(pk=dpia.pk).update(criteria=[])  # nothing ticked by the officer
    html = client_for("dpo").get(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/forhandsvisning/").content.decode()
    # School cameras: children are filmed and the surveillance is systematic (EDPB criteria; R4.1).
    line = html[html.index("Kriterier som följer av kamerorna själva") :].split("</p>")[0]
    assert "sårbara registrerade (barn, anställda)" in line and "systematisk övervakning" in line


def test_camera_and_site_pages_list_their_assessments_for_those_who_may_open_them(client_for):
    kvi01 = Camera.objects.get(identifier="KVI-01")
    draft = kvi01_draft()
    dpia = ImpactAssessment.objects.filter(site=kvi01.site).order_by("-version").first()
    camera_page = client_for("dpo").get(f"/kameror/{kvi01.pk}/").content.decode()
    section = camera_page[camera_page.index('id="documents-heading"') :].split("</section>")[0]
    assert f'href="/efterlevnad/intresseavvagningar/{draft.pk}/"' in section and "Under arbete" in section
    site_page = client_for("officer").get(f"/platser/{kvi01.site_id}/").content.decode()
    section = site_page[site_page.index('id="documents-heading"') :].split("</section>")[0]
    assert f'href="/efterlevnad/konsekvensbedomningar/{dpia.pk}/"' in section
    assert "Barnrättsprövning" in section
    # The administration contact cannot open assessment pages, so none are listed for it.
    contact_page = client_for("administration_contact").get(f"/kameror/{kvi01.pk}/").content.decode()
    assert 'id="documents-heading"' not in contact_page


def test_opening_a_dpia_with_risks_and_saving_it_unchanged_saves(client_for):
    """The empty row for a new risk must not count as filled in (a browser posts its selects' first option)."""
    from trygg.core.testing.forms import browser_post_data

    dpia = ImpactAssessment.objects.filter(site__name="Kvisthamraskolan", status="draft").order_by("-version").first()
    assert dpia.risks.exists()
    officer = client_for("officer")
    url = f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/andra/"
    before = (dpia.risks.count(), dpia.measures.count())
    response = officer.post(url, browser_post_data(officer.get(url).content.decode(), css_class="document-form"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (dpia.risks.count(), dpia.measures.count()) == before
