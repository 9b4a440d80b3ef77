"""The public information page (layer 2) and the printable sign (layer 1)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from trygg.cameras import services
from trygg.cameras.models import Camera
from trygg.compliance.models import ImpactAssessment, Sign, SurveillanceAssessment
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db


def test_public_site_page_has_art_13_information_and_no_positions(client_for):
    site = Site.objects.get(name="Stora torget")
    response = client_for(None).get(f"/kamerabevakning/platser/{site.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Kommunstyrelsen i Norrtälje kommun är personuppgiftsansvarig",
        "dataskyddsombud@kommun.example",
        "Förebygga och utreda våld och ordningsstörningar",
        "artikel 6.1 e",
        "72 timmar",
        "Integritetsskyddsmyndigheten (IMY)",
        "32 kap. 3 a §",
        "Den 20",  # "Den <date> är 2 kameror i drift här."
    ]:
        assert text in html, text
    assert "2 kameror i drift" in html
    for camera in Camera.objects.filter(site=site):
        assert camera.identifier not in html
        assert camera.coverage_description not in html
        for value in (camera.longitude, camera.latitude):
            assert f"{value:.4f}"[:6] not in html and f"{value:.4f}".replace(".", ",")[:6] not in html
    assert not re.search(r"\b1[0-9]\.[0-9]{3,}", html)  # no longitude-like numbers
    assert not re.search(r"\b59[.,][0-9]{3,}", html)  # no latitude-like numbers


def test_public_page_for_secret_placements_shows_only_the_count_and_purpose(client_for):
    site = Site.objects.get(name="Kvisthamraskolan")  # all cameras have secret placements, none in operation
    camera = Camera.objects.get(identifier="KVI-01")
    services.move(camera, "installed", timezone.localdate())  # on the wall with its sign, not yet recording
    html = client_for(None).get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert "0 kameror i drift" in html
    assert "KVI-" not in html and "fasaden" not in html.lower().replace("skolbyggnaden", "")
    assert client_for(None).get("/kamerabevakning/").status_code == 200
    empty = Site.objects.get(name="Hallsta skola")  # no cameras at all
    assert client_for(None).get(f"/kamerabevakning/platser/{empty.pk}/").status_code == 404


@pytest.mark.parametrize(("paper", "width_mm"), [("a4", 210), ("a5", 148)])
def test_sign_pdf_has_the_required_content(client_for, paper, width_mm):
    camera = Camera.objects.get(identifier="TORG-01")
    response = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/skylt-{paper}.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == width_mm
    text = " ".join(reader.pages[0].extract_text().split())
    for required in [
        "Kamerabevakning",
        "Kommunstyrelsen, Norrtälje kommun",  # who films
        "kommun@kommun.example",  # controller contact
        "dataskyddsombud@kommun.example",  # DPO contact
        "Förebygga och utreda våld",  # purpose
        f"/kamerabevakning/platser/{camera.site_id}/",  # where the full information is
        "0176-00 00 00",  # and without internet
        "Integritetsskyddsmyndigheten",  # rights
    ]:
        assert required in text, required
    assert "ljud" not in text.lower().replace("ljudupptagning", "")  # no sound notice without sound
    assert "dygn" not in text  # retention 72 h: not on the sign


def test_sign_pdf_names_sound_and_long_retention(client_for):
    camera = Camera.objects.get(identifier="PARK-01")  # paused, so the change is allowed
    camera.records_sound = True
    camera.retention_hours = 240
    camera.save()
    response = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/skylt-a5.pdf")
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Här spelas även ljud in." in text
    assert "Inspelningarna sparas i 10 dygn." in text


def test_unknown_paper_is_not_found(client_for):
    camera = Camera.objects.get(identifier="TORG-01")
    assert client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/skylt-a3.pdf").status_code == 404


def test_dpia_page_shows_an_accessible_risk_matrix(client_for):
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    html = client_for("dpo").get(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/").content.decode()
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    risk = dpia.risks.get(severity=3, likelihood=3)  # the first risk added: R1
    assert f'class="risk-high"><a href="#risk-{risk.pk}">R1</a>' in html
    assert f'<tr id="risk-{risk.pk}"><td>R1</td>' in html


def test_bad_input_gets_swedish_messages_naming_the_field():
    site = Site.objects.get(name="Stora torget")
    sign = Sign(site=site, position="x", text_version="1", last_inspected_on="2024-01-01")
    with pytest.raises(ValidationError) as error:
        sign.full_clean()
    assert error.value.message_dict["installed_on"] == ["Ange när skylten sattes upp innan en inspektion registreras."]
    assessment = SurveillanceAssessment(factors_for=["vad som helst"], legal_task="other", incident_hours=[{"days": 1}])
    with pytest.raises(ValidationError) as error:
        assessment.full_clean()
    messages = error.value.message_dict
    assert messages["camera"] == ["Ange vilken kamera intresseavvägningen gäller, eller markera den som gemensam mall."]
    assert messages["factors_for"] == ["Välj skäl för bevakning bland alternativen."]
    assert messages["legal_task_other"] == ["Beskriv uppgiften när ”annan” är vald som uppgift av allmänt intresse."]
    assert messages["incident_hours"][0].startswith("Tiderna ska vara veckoregler")
    dpia = ImpactAssessment(site=site, title="x", dpo_advice="Råd utan datum", residual_risk="high")
    with pytest.raises(ValidationError) as error:
        dpia.full_clean()
    assert error.value.message_dict["dpo_advice_on"] == [
        "Dataskyddsombudets råd och datumet för rådet anges tillsammans."
    ]
    assert "förhandssamråd" in error.value.message_dict["prior_consultation"][0]


def test_the_assessment_form_refuses_measures_from_another_site():
    from trygg.compliance.forms import SurveillanceAssessmentForm

    addendum = SurveillanceAssessment.objects.get(camera__identifier="KVI-02")
    other = Site.objects.get(name="Stora torget").measures.first()
    form = SurveillanceAssessmentForm(
        data={"template": addendum.template_id, "alternatives": [other.pk], "incident_count": 1},
        instance=addendum,
    )
    assert not form.is_valid()
    # Only the camera's own site's measures are offered; another site's is refused in Swedish, naming the field.
    assert other not in form.fields["alternatives"].queryset
    assert form.errors["alternatives"] == [
        f"Fältet ”andra åtgärder”: åtgärden {other.pk} hör inte till kamerans plats."
    ]


def test_a_site_with_only_planned_cameras_is_as_unknown_as_one_without(client_for):
    """Stepping through ids must not reveal where cameras are planned (OSL 18 kap. 8 §)."""
    public = client_for(None)
    planned_only = Site.objects.get(name="Kvisthamraskolan")
    assert not Camera.objects.filter(site=planned_only, state__in=["in_operation", "paused"]).exists()
    assert Camera.objects.filter(site=planned_only).exists()
    no_cameras = Site.objects.filter(cameras__isnull=True).first()
    assert public.get(f"/kamerabevakning/platser/{planned_only.pk}/").status_code == 404
    assert public.get(f"/kamerabevakning/platser/{no_cameras.pk}/").status_code == 404
    torget = Site.objects.get(name="Stora torget")
    assert public.get(f"/kamerabevakning/platser/{torget.pk}/").status_code == 200


def test_public_page_cites_the_legal_task_as_the_law_reads_in_both_languages(client_for):
    # The task of a public place is 14 § lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete.
    site = Site.objects.get(name="Stora torget")
    anonymous = client_for(None)
    swedish = anonymous.get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert (
        "Uppgiften: att verka för att platser dit allmänheten har tillträde är trygga och säkra (14 § lagen "
        "(2023:196) om kommuners ansvar för brottsförebyggande arbete)." in swedish
    )
    assert "2023:196 14 §" not in swedish
    anonymous.cookies["django_language"] = "en"
    english = anonymous.get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert (
        "The task: to work for places to which the public has access being safe and secure (section 14 of the "
        "Act on Municipalities&#x27; Responsibility for Crime Prevention Work (2023:196))." in english
    )
    assert "2023:196 section 14" not in english


SECRECY = "Var kamerorna sitter visas inte, eftersom uppgiften kan omfattas av sekretess"


def published_at(client, site) -> int:
    """How many cameras of `site` the open data publishes with their exact position."""
    features = client.get("/oppna-data/openstreetmap.geojson").json()["features"]
    identifiers = set(Camera.objects.filter(site=site).values_list("identifier", flat=True))
    return sum(1 for feature in features if feature["properties"].get("ref") in identifiers)


def test_public_page_says_the_positions_published_as_open_data_are_published(client_for):
    # Demo: TORG-01 and TORG-02 are opted in to OpenStreetMap, so their positions are open data.
    site = Site.objects.get(name="Stora torget")
    anonymous = client_for(None)
    assert published_at(anonymous, site) == 2
    html = anonymous.get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert SECRECY not in html
    assert "Kommunen har valt att publicera var kamerorna här sitter och vart de är riktade som öppna data" in html
    assert 'href="/oppna-data/#dataset-openstreetmap"' in html
    anonymous.cookies["django_language"] = "en"
    english = anonymous.get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert "The municipality has chosen to publish where the cameras here are and which way they point" in english
    assert "may be subject to secrecy" not in english


def test_public_page_says_which_share_of_the_positions_is_published_and_that_the_rest_is_not(client_for):
    site = Site.objects.get(name="Stora torget")
    Camera.objects.filter(identifier="TORG-02").update(publish_osm=False)
    anonymous = client_for(None)
    assert published_at(anonymous, site) == 1
    html = anonymous.get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert "Kommunen har valt att publicera var 1 av kamerorna här sitter och vart den är riktad som öppna data" in html
    assert "Var de övriga kamerorna sitter visas inte, eftersom uppgiften kan omfattas av sekretess" in html
    anonymous.cookies["django_language"] = "en"
    english = anonymous.get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert "where 1 of the cameras here is and which way it points" in english
    assert "The locations of the other cameras are not shown" in english
    # A site none of whose cameras is published keeps the plain statement.
    harbour = Site.objects.get(name="Norrtälje hamn")
    assert published_at(anonymous, harbour) == 0
    assert SECRECY in client_for(None).get(f"/kamerabevakning/platser/{harbour.pk}/").content.decode()
