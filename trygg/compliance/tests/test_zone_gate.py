"""The gate holds "ej skolgård": a camera whose view reaches into a zone that must not be watched
cannot be put in operation, by any role, until the view is changed or a mask with an image covers it.

The scene is Kvisthamraskolan's KVI-01 with its documents approved (helpers.py). It hangs on the
north-west corner and looks along the north facade; the part of its sector north of the facade line
is a thin sector of 1 + γ degrees (γ = meridian convergence, about 3.2°), ½ · (1 + γ)° · 25² = 22.9 m²
(hand-checked in cameras/tests/test_coverage.py). A new zone "Lekplatsen" that must not be watched,
drawn over the 4 m north of the facade, therefore receives 22.9 m² of its view.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from trygg.cameras import masks
from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.compliance import decisions
from trygg.core.models import Organisation
from trygg.demo.geometry import rectangle, to_geojson
from trygg.geo.crs import meridian_convergence_deg
from trygg.sites.models import Zone

from .helpers import approve_addendum, approve_child_rights, approve_dpia, install, put_up_sign, submit_and_approve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded images go to a temporary folder


D = dt.date
ON = D(2025, 6, 1)
MASKED_ON = D(2025, 5, 25)


def png(name: str = "kamerabild.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (40, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def ready_camera() -> Camera:
    """KVI-01 installed with every document approved and the sign up: only the view can stop it."""
    camera = install()
    approve_addendum()
    approve_dpia()
    approve_child_rights()
    put_up_sign()
    camera.refresh_from_db()
    return camera


def draw_playground(camera: Camera) -> Zone:
    site = camera.site
    zone = Zone(
        site=site,
        name="Lekplatsen",
        kind="playground",
        rule="must_not_monitor",
        geometry=to_geojson(rectangle(site.longitude, site.latitude, -30, 8, 30, 12)),
    )
    zone.full_clean()
    zone.save()
    camera.refresh_from_db()
    return zone


def north_sliver(camera: Camera, range_m: float) -> float:
    gamma = float(meridian_convergence_deg(camera.longitude, camera.latitude))
    return 0.5 * math.radians(1 + gamma) * range_m**2


def refusal(camera: Camera, user=None, on: dt.date = ON) -> str:
    with pytest.raises(ValidationError) as error:
        camera_services.move(camera, "in_operation", on, user)
    return "\n".join(error.value.messages)


def test_a_view_into_a_protected_zone_is_refused_with_the_zone_and_the_area():
    camera = ready_camera()
    draw_playground(camera)
    seen = next(item["area_m2"] for item in camera.intrusions if item["zone_name"] == "Lekplatsen")
    assert seen == pytest.approx(north_sliver(camera, 25), abs=0.3)
    text = refusal(camera)
    assert "Synfältet håller sig utanför områden som inte får bevakas" in text
    area = f"{seen:.1f}".replace(".", ",")
    assert f"”Lekplatsen” (får inte bevakas): {area} m²" in text
    # It is the only thing missing.
    assert text.count("Varför:") == 1
    camera.refresh_from_db()
    assert camera.state == "installed"


def test_no_role_can_override_the_gate(client_for, demo_users):
    camera = ready_camera()
    draw_playground(camera)
    admin = demo_users["admin"]
    assert admin.is_superuser
    assert "”Lekplatsen”" in refusal(camera, admin)
    # Nor through the camera page or the admin's status page.
    data = {"to_state": "in_operation", "occurred_on": ON.isoformat(), "confirmed": "on"}
    response = client_for("admin").post(f"/kameror/{camera.pk}/status/", data)
    assert response.status_code == 400 and "”Lekplatsen”" in response.content.decode()
    response = client_for("admin").post(f"/admin/cameras/camera/{camera.pk}/status/", data)
    assert "”Lekplatsen”" in " ".join(response.context["form"].errors["to_state"])
    camera.refresh_from_db()
    assert camera.state == "installed"


def test_turning_the_camera_away_lifts_the_block():
    camera = ready_camera()
    draw_playground(camera)
    # Turn so that the whole 20° sector lies south of the facade line (grid bearing ≥ 100°).
    camera.bearing_deg = 105
    camera.full_clean()
    camera.save()
    camera.refresh_from_db()
    assert all(item["zone_name"] != "Lekplatsen" or item["area_m2"] == 0 for item in camera.intrusions)
    # Turning is a change of the view: 9 § wants the assessment renewed before it, then it may start.
    text = refusal(camera)
    assert "Lekplatsen" not in text and "Intresseavvägningen gäller efter senaste ändring" in text
    draft = decisions.new_version(camera.surveillance_assessments.get(status="approved"))
    submit_and_approve(draft, ON)
    assert camera_services.move(camera, "in_operation", ON).to_state == "in_operation"


def test_a_narrower_view_lifts_the_block_without_a_new_assessment():
    camera = ready_camera()
    draw_playground(camera)
    camera.hfov_deg = 10  # 99 − γ ± 5° stays south of the facade line: less intrusion, no new assessment
    camera.full_clean()
    camera.save()
    assert camera_services.move(camera, "in_operation", ON).to_state == "in_operation"


def test_a_mask_with_an_image_lifts_the_block_until_the_view_grows_beyond_it(demo_users):
    camera = ready_camera()
    draw_playground(camera)
    officer = demo_users["officer"]
    mask = masks.record_mask(camera, camera.privacy_mask, MASKED_ON, png(), user=officer, note="Maskerat i VMS.")
    assert mask.confirmed_by == officer and mask.confirmed_by_name == "Hanna Handläggare"
    assert mask.area_m2 == pytest.approx(north_sliver(camera, 25), abs=0.3)
    # Not before the mask was confirmed.
    assert "”Lekplatsen”" in refusal(camera, on=MASKED_ON - dt.timedelta(days=1))
    row = camera_services.move(camera, "in_operation", ON)
    assert row.to_state == "in_operation"
    # The view grows: 40 m instead of 25 m. The mask covers the first 25 m; what lies between 25 and
    # 40 m of the sliver is open: ½ · (1 + γ)° · (40² − 25²).
    camera_services.move(camera, "paused", ON)
    camera.refresh_from_db()
    camera.range_m = 40
    camera.full_clean()
    camera.save()
    camera.refresh_from_db()
    open_m2 = north_sliver(camera, 40) - north_sliver(camera, 25)
    text = refusal(camera)
    assert "”Lekplatsen” (får inte bevakas)" in text and "utanför maskeringen" in text
    shown = float(text.split("varav ")[1].split(" m²")[0].replace(",", "."))
    assert shown == pytest.approx(open_m2, abs=0.5)
    assert "Maskeringen från 2025-05-25 täcker inte hela intrånget" in text


def test_a_mask_whose_image_is_gone_does_not_count():
    camera = ready_camera()
    draw_playground(camera)
    mask = masks.record_mask(camera, camera.privacy_mask, MASKED_ON, png())
    masks.images_of([mask])[mask.pk][0].delete()
    assert "räknas inte: bild från kamerans egen bild saknas" in refusal(camera)


def test_the_organisations_tolerance_decides_what_is_noise():
    camera = ready_camera()
    draw_playground(camera)
    organisation = Organisation.objects.get()
    assert organisation.intrusion_tolerance_m2 == 1.0  # the documented default
    organisation.intrusion_tolerance_m2 = 30.0
    organisation.full_clean()
    organisation.save()
    assert camera_services.move(camera, "in_operation", ON).to_state == "in_operation"


def test_a_school_hours_zone_blocks_only_when_the_camera_records_in_school_hours():
    camera = ready_camera()
    site = camera.site
    zone = Zone(
        site=site,
        name="Bakom entrén",
        kind="other",
        rule="only_outside_school_hours",
        geometry=to_geojson(rectangle(site.longitude, site.latitude, -30, 8, 30, 12)),
    )
    zone.full_clean()
    zone.save()
    camera.refresh_from_db()
    # IMY's facade hours (the demo's) never meet school hours: the zone may be watched then.
    assert camera.schedule_template == "imy_school_facade"
    assert camera_services.move(camera, "in_operation", ON).to_state == "in_operation"


def test_a_school_hours_zone_blocks_with_the_hours_named():
    camera = ready_camera()
    site = camera.site
    Zone.objects.create(
        site=site,
        name="Bakom entrén",
        kind="other",
        rule="only_outside_school_hours",
        geometry=to_geojson(rectangle(site.longitude, site.latitude, -30, 8, 30, 12)),
    )
    # Evenings from 16:00 reach into the last school hour, Monday to Friday.
    camera.refresh_from_db()
    camera.schedule_template = "custom"
    camera.schedule_rules = [{"days": [0, 1, 2, 3, 4, 5, 6], "start": "16:00", "end": "23:00"}]
    camera.save()
    text = refusal(camera)
    assert "”Bakom entrén” (får bevakas endast utanför skoltid)" in text
    assert "under skoltid då kameran spelar in mån–fre 16–17" in text


def test_the_checklist_links_to_the_pages_that_fix_it(client_for):
    camera = ready_camera()
    draw_playground(camera)
    html = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista/").content.decode()
    assert f'href="/kameror/{camera.pk}/maskering/"' in html
    assert f'href="/kameror/{camera.pk}/andra/#lage-och-synfalt"' in html
    panel = client_for("officer").get(f"/kameror/{camera.pk}/").content.decode()
    assert "Lekplatsen" in panel and f'href="/kameror/{camera.pk}/maskering/"' in panel
    # The DPO reads the finding but records nothing.
    dpo = client_for("dpo").get(f"/efterlevnad/kameror/{camera.pk}/checklista/").content.decode()
    assert "Lekplatsen" in dpo and "/maskering/" not in dpo
