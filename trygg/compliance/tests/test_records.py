"""Signs, legacy IMY permits and the art. 30 record as pages: saving, refusing, reading by role, the sign check."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from trygg.cameras import services
from trygg.cameras.models import Camera
from trygg.compliance import facts
from trygg.compliance.models import LegacyPermit, ProcessingRecord, Sign
from trygg.core.models import Attachment, ObjectChange, Organisation
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

# The smallest valid PNG: 1×1 pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def camera(identifier="KVI-01"):
    return Camera.objects.select_related("site").get(identifier=identifier)


def sign_data(**changes):
    data = {
        "camera": str(camera().pk),
        "position": "Vid entrén mot parkeringen, i ögonhöjd.",
        "text_version": "2026-1",
        "includes_controller_contact": "on",
        "includes_dpo_contact": "on",
        "layer2_phone": "0176-00 00 00",
        "installed_on": "2026-11-02",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def photo(name="skylt.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def sign_photos(sign):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(Sign), object_id=sign.pk, kind=Attachment.Kind.SIGN_PHOTO
    )


#
# Signs
#


def test_an_officer_records_a_sign_with_a_photo_as_an_attachment(client_for):
    client = client_for("officer")
    kvi = camera()
    response = client.post(f"/efterlevnad/skyltar/ny/?kamera={kvi.pk}", {**sign_data(), "photo_upload": photo()})
    sign = Sign.objects.get(camera=kvi)
    assert response.status_code == 302 and response["Location"] == f"/efterlevnad/skyltar/{sign.pk}/"
    assert sign.site == kvi.site and sign.includes_dpo_contact and sign.installed_on == dt.date(2026, 11, 2)
    (attachment,) = sign_photos(sign)
    assert attachment.media_type == "image/png" and attachment.uploaded_by_name
    assert not sign.photo  # new photos go to attachments, not the old field
    page = client.get(f"/efterlevnad/skyltar/{sign.pk}/").content.decode()
    assert f'src="/efterlevnad/skyltar/{sign.pk}/foto/{attachment.pk}/"' in page
    served = client.get(f"/efterlevnad/skyltar/{sign.pk}/foto/{attachment.pk}/")
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == PNG


def test_a_sign_for_the_whole_site(client_for):
    site = Site.objects.get(name="Kvisthamraskolan")
    client = client_for("admin")
    page = client.get(f"/efterlevnad/skyltar/ny/?plats={site.pk}").content.decode()
    assert "Hela platsen (alla kameror på Kvisthamraskolan)" in page
    response = client.post(f"/efterlevnad/skyltar/ny/?plats={site.pk}", sign_data(camera=""))
    assert response.status_code == 302
    assert Sign.objects.get(site=site).camera is None


def test_the_sign_form_is_grouped_as_the_law_asks(client_for):
    page = client_for("officer").get(f"/efterlevnad/skyltar/ny/?kamera={camera().pk}").content.decode()
    order = [
        "Skylten och var den sitter",
        "Vem som filmar och varför",
        "Dataskyddsombudet",
        "Ljud",
        "Lagringstid, om den är lång",
        "Var den fullständiga informationen finns (lager 2)",
        "Uppsatt, inspekterad och nedtagen",
    ]
    positions = [page.index(f"<legend>{title}</legend>") for title in order]
    assert positions == sorted(positions)
    for reference in ["15 § kamerabevakningslagen", "art. 13.1 a och c", "art. 13.1 b", "EDPB:s riktlinjer 3/2019"]:
        assert reference in page
    assert "Kommunstyrelsen" in page  # who films, from the organisation
    assert "Förebygga skadegörelse, klotter och anlagd brand" in page  # the camera's purpose
    assert f"/efterlevnad/kameror/{camera().pk}/skylt-a4.pdf" in page  # print the sign


@pytest.mark.parametrize(
    ("changes", "upload", "field", "message"),
    [
        ({"position": ""}, None, "position", "Fyll i fältet ”Placering”."),
        ({"text_version": ""}, None, "text_version", "Fyll i fältet ”Textversion”."),
        (
            {"installed_on": "30/11/2026"},
            None,
            "installed_on",
            "Fältet ”Uppsatt den” ska vara ett datum som ÅÅÅÅ-MM-DD.",
        ),
        (
            {"last_inspected_on": "2026-10-01"},
            None,
            "last_inspected_on",
            "Inspektionen kan inte vara före dagen då skylten sattes upp.",
        ),
        ({"camera": "TORG"}, None, "camera", "Välj ett av alternativen i fältet ”Kamera”."),
        ({}, ("skylt.png", b"MZ\x90\x00 inte en bild"), "photo_upload", "i fältet ”Foto av skylten” är inte en riktig"),
        ({}, ("skylt.pdf", b"%PDF-1.4"), "photo_upload", "har en filtyp som inte tas emot"),
    ],
)
def test_bad_sign_input_is_refused_naming_the_field_and_nothing_is_saved(client_for, changes, upload, field, message):
    if changes.get("camera") == "TORG":
        changes["camera"] = str(camera("TORG-01").pk)  # a camera at another site
    data = sign_data(**changes)
    if upload:
        data["photo_upload"] = photo(*upload)
    signs, attachments = Sign.objects.count(), Attachment.objects.count()
    response = client_for("officer").post(f"/efterlevnad/skyltar/ny/?kamera={camera().pk}", data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert "Inget sparades" in response.content.decode()
    assert (Sign.objects.count(), Attachment.objects.count()) == (signs, attachments)


def test_editing_keeps_an_old_photo_readable_and_adds_new_ones_as_attachments(client_for):
    sign = Sign.objects.get(site__name="Stora torget")
    sign.photo.save("gammal.png", ContentFile(PNG), save=True)
    client = client_for("officer")
    assert b"".join(client.get(f"/efterlevnad/skyltar/{sign.pk}/foto/").streaming_content) == PNG
    assert "Foto som sparades innan bilagor fanns" in client.get(f"/efterlevnad/skyltar/{sign.pk}/").content.decode()
    data = sign_data(camera="", installed_on="2019-08-20", text_version="2026-2")
    response = client.post(f"/efterlevnad/skyltar/{sign.pk}/andra/", {**data, "photo_upload": photo("ny.png")})
    assert response.status_code == 302
    sign.refresh_from_db()
    assert sign.text_version == "2026-2" and sign.photo.name.endswith(".png")  # the old photo is kept
    assert sign_photos(sign).count() == 1
    older = client.get(f"/efterlevnad/skyltar/{sign.pk}/foto/?aldre=1")
    assert b"".join(older.streaming_content) == PNG


def test_inspected_today_records_the_date_and_an_event(client_for):
    sign = Sign.objects.get(site__name="Sporthallen")  # overdue in the demo
    today = timezone.localdate()
    site_url = f"/platser/{sign.site_id}/"
    client = client_for("officer")
    page = client.get(site_url).content.decode()
    assert f"Inspekterad i dag, {today.isoformat()}" in page and "försenad" in page
    response = client.post(
        f"/efterlevnad/skyltar/{sign.pk}/inspekterad/", {"inspected_on": today.isoformat(), "next": site_url}
    )
    assert response.status_code == 302 and response["Location"] == site_url
    sign.refresh_from_db()
    assert sign.last_inspected_on == today
    assert ObjectChange.objects.filter(event="sign.inspected", changed_object_id=str(sign.pk)).exists()
    confirmation = client.get(site_url).content.decode()
    assert f"är registrerad som inspekterad {today.isoformat()}" in confirmation


def test_inspected_today_refuses_a_stale_date_a_sign_not_up_and_other_roles(client_for):
    sign = Sign.objects.get(site__name="Sporthallen")
    before = sign.last_inspected_on
    client = client_for("officer")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(f"/efterlevnad/skyltar/{sign.pk}/inspekterad/", {"inspected_on": yesterday.isoformat()})
    assert response.status_code == 302
    sign.refresh_from_db()
    assert sign.last_inspected_on == before
    assert "Fältet ”Inspekterad den” gällde" in client.get(response["Location"]).content.decode()
    not_up = Sign.objects.create(site=sign.site, position="Förråd", text_version="1")
    client.post(f"/efterlevnad/skyltar/{not_up.pk}/inspekterad/", {"inspected_on": timezone.localdate().isoformat()})
    not_up.refresh_from_db()
    assert not_up.last_inspected_on is None
    for role in ["dpo", "administration_contact", "reader"]:
        response = client_for(role).post(
            f"/efterlevnad/skyltar/{sign.pk}/inspekterad/", {"inspected_on": timezone.localdate().isoformat()}
        )
        assert response.status_code == 403, role
    sign.refresh_from_db()
    assert sign.last_inspected_on == before


def test_the_contact_reads_signs_of_its_own_sites_only(client_for):
    own = Sign.objects.create(site=camera().site, camera=camera(), position="Entrén", text_version="1")
    other = Sign.objects.get(site__name="Stora torget")
    client = client_for("administration_contact")
    page = client.get(f"/efterlevnad/skyltar/{own.pk}/")
    assert page.status_code == 200 and "Ändra skylten" not in page.content.decode()
    assert client.get(f"/efterlevnad/skyltar/{other.pk}/").status_code == 404
    assert client.get(f"/efterlevnad/skyltar/{own.pk}/andra/").status_code == 403
    camera_page = client.get(f"/kameror/{camera().pk}/").content.decode()
    assert "Skylt för KVI-01" in camera_page and "Ny skylt" not in camera_page


def test_the_printed_sign_of_a_whole_site_names_its_purposes(client_for):
    sign = Sign.objects.get(site__name="Stora torget")
    response = client_for("dpo").get(f"/efterlevnad/skyltar/{sign.pk}/skylt-a5.pdf")
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    text = " ".join(page.extract_text().split())
    assert "Förebygga och utreda våld" in text and "Kommunstyrelsen" in text
    assert round(float(page.mediabox.width) * 25.4 / 72) == 148  # A5


def test_the_signs_section_queries_do_not_grow_with_the_signs(client_for):
    client = client_for("officer")
    site = Site.objects.get(name="Stora torget")
    url = f"/platser/{site.pk}/"

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    for n in range(5):
        Sign.objects.create(site=site, camera=camera("TORG-01"), position=f"Skylt {n}", text_version="1")
    assert count() == before


#
# The sign check (15 § KBL; art. 13.1 a–b GDPR)
#


def test_a_sign_without_the_dpo_contact_fails_the_check_with_a_reason(client_for):
    torg = camera("TORG-01")
    on = dt.date(2026, 11, 30)

    def failing(identifier="TORG-01"):
        checks = facts.compliance_for(camera(identifier), on).checklist()
        return {c.code for c in checks if not c.passed}

    assert not {"GDPR-13-SIGN-CONTROLLER", "GDPR-13-SIGN-DPO"} & failing()
    # A second sign, for this camera only, without the DPO's contacts: every sign that is up must have them.
    Sign.objects.create(
        site=torg.site,
        camera=torg,
        position="Vid busshållplatsen",
        text_version="2026-1",
        includes_dpo_contact=False,
        installed_on=dt.date(2026, 11, 1),
    )
    assert "GDPR-13-SIGN-DPO" in failing() and "GDPR-13-SIGN-CONTROLLER" not in failing()
    assert "GDPR-13-SIGN-DPO" not in failing("TORG-02")  # the sign concerns TORG-01 only
    page = client_for("officer").get(f"/efterlevnad/kameror/{torg.pk}/checklista/").content.decode()
    assert "Skyltningen anger inte dataskyddsombudets kontaktuppgifter." in page
    assert "art. 13.1 b dataskyddsförordningen" in page


#
# Legacy IMY permits
#


def permit_data(**changes):
    torg1, torg2 = camera("TORG-01"), camera("TORG-02")
    data = {
        "cameras": [str(torg1.pk), str(torg2.pk)],
        "imy_case_number": "DI-2018-0999",
        "decision_date": "2018-11-20",
        "conditions": "Endast torgytan.",
        "expires_on": "2025-03-31",
        "tider-TOTAL_FORMS": "3",
        "tider-INITIAL_FORMS": "0",
        "tider-0-days": ["0", "1", "2", "3", "4"],
        "tider-0-start": "20:00",
        "tider-0-end": "06:00",
        "tider-0-applies": "all",
        "tider-1-days": ["5", "6"],
        "tider-1-start": "17:00",
        "tider-1-end": "07:00",
        "tider-1-applies": "school_free",
        "tider-2-applies": "all",
    }
    data.update(changes)
    return data


def test_an_officer_records_a_permit_with_hours_and_never_types_json(client_for):
    client = client_for("officer")
    torg = camera("TORG-01")
    page = client.get(f"/efterlevnad/tillstand/ny/?kamera={torg.pk}").content.decode()
    assert "TORG-02" in page and "KVI-01" not in page  # cameras from the site only
    assert 'name="hours_rules"' not in page and '"days"' not in page  # no JSON to type
    response = client.post(f"/efterlevnad/tillstand/ny/?kamera={torg.pk}", permit_data())
    assert response.status_code == 302
    permit = LegacyPermit.objects.get(imy_case_number="DI-2018-0999")
    assert sorted(c.identifier for c in permit.cameras.all()) == ["TORG-01", "TORG-02"]
    assert permit.hours_rules == [
        {"days": [0, 1, 2, 3, 4], "start": "20:00", "end": "06:00"},
        {"days": [5, 6], "start": "17:00", "end": "07:00", "school_free": True},
    ]
    camera_page = client.get(f"/kameror/{torg.pk}/").content.decode()
    assert "DI-2018-0999" in camera_page and "måndag–fredag kl. 20–06" in camera_page
    # Editing shows the stored rules as rows with their days ticked.
    edit = client.get(f"/efterlevnad/tillstand/{permit.pk}/andra/").content.decode()
    assert re.search(r'name="tider-1-days" value="5"[^>]*checked', edit)
    assert not re.search(r'name="tider-1-days" value="0"[^>]*checked', edit)
    assert 'value="20:00"' in edit


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        (
            {"decision_date": "2025-04-01"},
            "Fältet ”Beslutsdatum”: tillstånd från IMY gavs bara till och med 2025-03-31",
        ),
        ({"expires_on": "2025-06-30"}, "Alla tillstånd upphörde senast 2025-03-31 (SFS 2025:220)."),
        ({"imy_case_number": ""}, "Fyll i fältet ”IMY:s diarienummer”."),
        ({"cameras": []}, "Välj minst en kamera i fältet ”Kameror”."),
        ({"tider-0-start": ""}, "Ange från vilket klockslag på rad 1 i ”Tillåtna tider”."),
        ({"tider-1-days": []}, "Välj minst en dag på rad 2 i ”Tillåtna tider”."),
        (
            {"tider-0-end": "25:00"},
            "Fältet ”Till klockan” på rad 1 i ”Tillåtna tider” ska vara ett klockslag som TT:MM.",
        ),
    ],
)
def test_bad_permit_input_is_refused_naming_the_field_and_nothing_is_saved(client_for, changes, needle):
    before = LegacyPermit.objects.count()
    response = client_for("officer").post(
        f"/efterlevnad/tillstand/ny/?kamera={camera('TORG-01').pk}", permit_data(**changes)
    )
    assert response.status_code == 200
    assert needle in response.content.decode().replace("&#x27;", "'")
    assert LegacyPermit.objects.count() == before


def test_adding_a_row_saves_nothing_and_keeps_what_was_typed(client_for):
    before = LegacyPermit.objects.count()
    response = client_for("officer").post(
        f"/efterlevnad/tillstand/ny/?kamera={camera('TORG-01').pk}", {**permit_data(), "tider-fler_rader": "1"}
    )
    assert response.status_code == 200 and LegacyPermit.objects.count() == before
    assert len(response.context["formset"].forms) == 4
    assert 'value="DI-2018-0999"' in response.content.decode()


#
# The art. 30 record
#


def test_the_art_30_record_is_edited_on_its_page_and_the_summary_shows_sources(client_for):
    client = client_for("officer")
    summary = client.get("/efterlevnad/behandling/").content.decode()
    assert 'href="/efterlevnad/behandling/andra/"' in summary
    assert "skrivet" in summary and "ur kamerorna" in summary
    record = ProcessingRecord.objects.get()
    form = client.get("/efterlevnad/behandling/andra/")
    data = {name: form.context["form"][name].value() or "" for name in form.context["form"].fields}
    data["information_phone"] = "0176-12 34 56"
    response = client.post("/efterlevnad/behandling/andra/", data)
    assert response.status_code == 302 and response["Location"] == "/efterlevnad/behandling/"
    record.refresh_from_db()
    assert record.information_phone == "0176-12 34 56"
    assert "0176-12 34 56" in client.get("/efterlevnad/behandling/").content.decode()
    # The DPO reads the summary but does not get the edit link or page.
    assert (
        'href="/efterlevnad/behandling/andra/"'
        not in client_for("dpo").get("/efterlevnad/behandling/").content.decode()
    )
    assert client_for("dpo").get("/efterlevnad/behandling/andra/").status_code == 403


def test_the_art_30_record_refuses_an_empty_required_part(client_for):
    client = client_for("officer")
    record = ProcessingRecord.objects.get()
    form = client.get("/efterlevnad/behandling/andra/")
    data = {name: form.context["form"][name].value() or "" for name in form.context["form"].fields}
    data["security_measures"] = ""
    data["information_phone"] = "0176-99 99 99"
    response = client.post("/efterlevnad/behandling/andra/", data)
    assert response.status_code == 200
    assert "Fyll i fältet ”Tekniska och organisatoriska säkerhetsåtgärder”." in response.content.decode()
    record.refresh_from_db()
    assert record.information_phone != "0176-99 99 99" and record.security_measures


def test_the_first_art_30_record_is_created_for_the_controller_board(client_for):
    ProcessingRecord.objects.all().delete()
    client = client_for("admin")
    assert "Skriv registerposten" in client.get("/efterlevnad/behandling/").content.decode()
    response = client.post(
        "/efterlevnad/behandling/andra/",
        {
            "name": "Kamerabevakning – trygghetskameror",
            "controller_contact": "kommun@kommun.example",
            "legal_basis": "Art. 6.1 e dataskyddsförordningen.",
            "recipients": "Polismyndigheten.",
            "third_country_transfers": "Inga.",
            "security_measures": "Behörighet och loggning.",
        },
    )
    assert response.status_code == 302
    assert ProcessingRecord.objects.get().controller_board == Organisation.current().controller_board


#
# The public pages
#


def test_the_public_site_page_says_when_cameras_record_and_links_the_contacts(client_for):
    site = Site.objects.get(name="Stora torget")
    html = client_for(None).get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert "När spelar kamerorna in?" in html and "Kamerorna spelar in dygnet runt alla dagar." in html
    assert 'href="mailto:dataskyddsombud@kommun.example"' in html
    assert 'href="mailto:kommun@kommun.example"' in html
    assert 'href="tel:+46176000000"' in html
    assert '<a href="https://www.imy.se"' in html
    assert "imy.se/" not in html.replace("https://www.imy.se", "")  # a plain link, nothing loaded from IMY
    assert 'src="https://' not in html and "<iframe" not in html


def test_the_public_page_shows_merged_hours_and_no_secret_camera(client_for):
    rim = camera("RIM-01")  # the only camera at Rimbo bibliotek, in operation
    rim.schedule_template = "imy_school_facade"  # fewer hours: no new assessment needed
    rim.secret_placement = True
    rim.full_clean()
    rim.save()
    html = client_for(None).get(f"/kamerabevakning/platser/{rim.site_id}/").content.decode()
    assert "1 kamera i drift" in html
    assert "Kamerorna spelar in måndag–fredag kl. 20–06; lördag och söndag kl. 17–07." in html
    assert "Under skollov och på helgdagar: alla dagar kl. 17–07." in html
    assert "RIM-" not in html and rim.coverage_description not in html
    for value in (rim.longitude, rim.latitude):
        assert f"{value:.4f}"[:6] not in html and f"{value:.4f}".replace(".", ",")[:6] not in html
    index = client_for(None).get("/kamerabevakning/").content.decode()
    assert f'href="/kamerabevakning/platser/{rim.site_id}/"' in index


def test_a_site_without_recording_cameras_says_so(client_for):
    site = Site.objects.get(name="Kvisthamraskolan")  # planned and designed cameras only
    assert client_for(None).get(f"/kamerabevakning/platser/{site.pk}/").status_code == 404  # nothing on the wall
    services.move(Camera.objects.get(identifier="KVI-01"), "installed", timezone.localdate())  # up, not recording
    html = client_for(None).get(f"/kamerabevakning/platser/{site.pk}/").content.decode()
    assert "Ingen kamera spelar in här just nu." in html
