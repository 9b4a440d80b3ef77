"""The privacy mask page: the intrusion on the map, the mask recorded with an image, all or nothing."""

from __future__ import annotations

import io
import json
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.cameras.models import Camera, PrivacyMask
from trygg.core.models import Attachment, ObjectChange
from trygg.demo.geometry import rectangle, to_geojson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded images go to a temporary folder


def png(name: str = "kamerabild.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def sport() -> Camera:
    return Camera.objects.get(identifier="SPORT-02")


def post(client, camera, **fields):
    data = {"area": json.dumps(camera.privacy_mask), "confirmed_on": "2026-11-20", "note": "Maskerat i VMS."}
    data.update(fields)
    return client.post(f"/kameror/{camera.pk}/maskering/", {k: v for k, v in data.items() if v is not None})


def test_the_page_shows_the_intrusion_and_offers_the_computed_mask(client_for, sport):
    html = client_for("officer").get(f"/kameror/{sport.pk}/maskering/").content.decode()
    # 391.6 m² (was 391.4): the 30 m range is ground metres, 30.004 grid metres here (scale 1.00013).
    assert "Grannfastighet med bostäder" in html and "391,6" in html
    assert "Ingen maskering är registrerad" in html
    assert 'enctype="multipart/form-data"' in html
    assert "&quot;Polygon&quot;" in html  # the hidden area field starts from the computed mask
    # Labels begin with a capital letter, as on every other form (the fields' names are lower case).
    assert '>Kontrollerad i kamerans bild <span class="required"' in html
    assert ">Bild från kameran <span" in html and ">Kommentar</label>" in html


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"image": None}, "image", "Ladda upp en bild från kameran i fältet ”bild från kameran”."),
        (
            {"image": SimpleUploadedFile("bild.png", b"inte en bild", content_type="image/png")},
            "image",
            "är inte en riktig PNG-fil",
        ),
        (
            {"image": SimpleUploadedFile("beslut.pdf", b"%PDF-1.4 ...", content_type="application/pdf")},
            "image",
            "Tillåtna: .png",
        ),
        ({"confirmed_on": "2027-01-01"}, "confirmed_on", "kan inte vara ett datum i framtiden"),
        ({"confirmed_on": "igår"}, "confirmed_on", "ska vara ett datum som ÅÅÅÅ-MM-DD"),
        ({"area": ""}, "area", "Rita den maskerade ytan på kartan"),
        ({"area": json.dumps({"type": "Point", "coordinates": [18.7, 59.7]})}, "area", "GeoJSON-polygon"),
    ],
    ids=["no-image", "fake-png", "pdf", "future", "bad-date", "no-area", "point"],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(client_for, sport, fields, field, message):
    fields = {"image": png(), **fields}
    response = post(client_for("officer"), sport, **fields)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not PrivacyMask.objects.exists() and not Attachment.objects.exists()


def test_a_failure_while_storing_the_image_leaves_nothing_half_saved(client_for, sport):
    refused = ValidationError("Lagringen är full.")
    with mock.patch("trygg.cameras.masks.store_attachment", side_effect=refused):
        response = post(client_for("officer"), sport, image=png())
    assert response.status_code == 400 and "Lagringen är full." in response.content.decode()
    assert not PrivacyMask.objects.exists()


def test_recording_the_mask_with_an_image_lifts_the_block(client_for, sport):
    officer = client_for("officer")
    before = officer.get(f"/efterlevnad/kameror/{sport.pk}/checklista.json").json()
    assert "KBL-9-ZONE-INTRUSION" in {c["code"] for c in before["checks"] if not c["passed"]}
    response = post(officer, sport, image=png())
    assert response.status_code == 302 and response["Location"] == f"/kameror/{sport.pk}/"
    mask = PrivacyMask.objects.get(camera=sport)
    assert mask.confirmed_by_name == "Hanna Handläggare" and str(mask.confirmed_on) == "2026-11-20"
    assert mask.area_m2 == pytest.approx(391.7, abs=0.2)
    sport.refresh_from_db()
    assert sport.privacy_masking == "static_mask"  # was "none": the camera now says it masks
    image = Attachment.objects.get()
    assert image.content_object == mask and image.kind == "camera_image" and image.media_type == "image/png"
    page = officer.get(response["Location"]).content.decode()
    assert "Maskeringen är registrerad och täcker det kameran ser" in page
    assert "Maskering registrerad 2026-11-20 av Hanna Handläggare" in page and "1 bild från kameran" in page
    assert "Maskeringen täcker det kameran ser av områdena ovan" in page
    after = officer.get(f"/efterlevnad/kameror/{sport.pk}/checklista.json").json()
    assert "KBL-9-ZONE-INTRUSION" not in {c["code"] for c in after["checks"] if not c["passed"]}
    # The record is in the camera's change log.
    assert ObjectChange.objects.filter(
        changed_object_type__model="privacymask", related_object_id=str(sport.pk), action="create"
    ).exists()


def test_a_mask_that_covers_only_part_is_recorded_with_a_warning(client_for, sport):
    site = sport.site
    small = to_geojson(rectangle(site.longitude, site.latitude, 35, -5, 45, 5))  # 10 × 10 m of the plot
    officer = client_for("officer")
    response = post(officer, sport, area=json.dumps(small), image=png())
    assert response.status_code == 302
    page = officer.get(response["Location"]).content.decode()
    assert "Maskeringen är registrerad men täcker inte allt: Grannfastighet med bostäder" in page
    assert "Maskeringen täcker inte allt som kameran ser av områdena" in page


def test_the_image_is_shown_to_staff_who_see_the_camera(client_for, sport):
    post(client_for("officer"), sport, image=png())
    image = Attachment.objects.get()
    url = f"/kameror/{sport.pk}/maskering/bild/{image.pk}/"
    assert f'href="{url}"' in client_for("dpo").get(f"/kameror/{sport.pk}/").content.decode()  # for the DPO's review
    response = client_for("dpo").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_for("administration_contact").get(url).status_code == 404  # not the contact's administration
    assert client_for("reader").get(url).status_code == 403
    # An image of another camera's mask is not reachable through this camera.
    other = Camera.objects.get(identifier="SPORT-01")
    assert client_for("officer").get(f"/kameror/{other.pk}/maskering/bild/{image.pk}/").status_code == 404


def test_only_the_unit_records_masks(client_for, sport):
    for role, status in [("dpo", 403), ("administration_contact", 403), ("reader", 403), ("admin", 200)]:
        assert client_for(role).get(f"/kameror/{sport.pk}/maskering/").status_code == status, role


def test_a_recorded_mask_is_shown_wherever_the_intrusion_is(client_for, sport):
    """The list, the zones table and the DPO's facts beside the 9 § text all say the view is masked."""
    officer, dpo = client_for("officer"), client_for("dpo")
    listing = officer.get("/kameror/?q=SPORT-02").content.decode()
    assert ">Intrång<" in listing and "maskering registrerad" not in listing
    assert post(officer, sport, image=png()).status_code == 302
    listing = officer.get("/kameror/?q=SPORT-02").content.decode()
    assert "Intrång, maskering registrerad" in listing
    page = officer.get(f"/kameror/{sport.pk}/").content.decode()
    zones = page[page.index('class="zones-seen"') :].split("</table>")[0]
    assert "Nej – maskerat i bilden" in zones and "Nej – intrång" not in zones
    assessment = sport.surveillance_assessments.order_by("-version").first()
    facts = dpo.get(f"/efterlevnad/intresseavvagningar/{assessment.pk}/").content.decode()
    assert "den registrerade maskeringen döljer dem i bilden" in facts
