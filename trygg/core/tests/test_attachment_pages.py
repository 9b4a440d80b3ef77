"""Attachments on their pages: upload, download and delete per role, limits, retention, removal with the object."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from trygg.cameras.models import Camera
from trygg.compliance.models import ChildRightsAssessment, ImpactAssessment, Sign, SurveillanceAssessment
from trygg.core import attachments
from trygg.core.attachments import attachments_of, deletion_refusal, store_attachment
from trygg.core.models import Administration, Attachment, ObjectChange
from trygg.programme.models import Project
from trygg.sites.models import Site

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60
PDF = b"%PDF-1.7\n" + b"x" * 60
DOCX = b"PK\x03\x04" + b"\x00" * 60

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def upload_url(slug: str, obj) -> str:
    return f"/bilagor/{slug}/{obj.pk}/ny/"


def post_upload(client, slug, obj, name, content, kind="other", description="", next_url=None):
    data = {"kind": kind, "description": description, "file": SimpleUploadedFile(name, content)}
    if next_url is not None:
        data["next"] = next_url
    return client.post(upload_url(slug, obj), data)


def attach(obj, name="bild.png", content=PNG, kind=Attachment.Kind.OTHER, user=None):
    return store_attachment(obj, SimpleUploadedFile(name, content), kind, user)


#
# Upload
#


def test_officer_uploads_on_a_site_and_on_a_camera(client_for, demo_users, media):
    client = client_for("officer")
    site = Site.objects.get(name="Kvisthamraskolan")
    camera = Camera.objects.get(identifier="KVI-01")

    response = post_upload(
        client, "plats", site, "beslut.pdf", PDF, "signed_decision", "Undertecknat av KSO", f"/platser/{site.pk}/"
    )
    assert response.status_code == 302 and response["Location"] == f"/platser/{site.pk}/"
    saved = attachments_of(site).get()
    assert (saved.kind, saved.original_name, saved.media_type) == ("signed_decision", "beslut.pdf", "application/pdf")
    assert saved.size_bytes == len(PDF) and saved.description == "Undertecknat av KSO"
    assert saved.uploaded_by == demo_users["officer"]
    assert (media / saved.file.name).read_bytes() == PDF

    response = post_upload(client, "kamera", camera, "vy.png", PNG, "camera_image", next_url=f"/kameror/{camera.pk}/")
    assert response.status_code == 302
    assert attachments_of(camera).get().media_type == "image/png"
    # The upload is in the change log, and shows in the camera's history.
    logged = ObjectChange.objects.filter(changed_object_type__model="attachment", action="create").latest("pk")
    assert logged.related_object_id == str(camera.pk) and logged.user == demo_users["officer"]

    page = client.get(f"/kameror/{camera.pk}/").content.decode()
    assert "vy.png" in page and "Bild från kameran" in page


def test_the_panel_states_types_and_limit_and_only_changers_get_the_form(client_for, settings):
    settings.TRYGG_ATTACHMENT_MAX_MB = 5
    camera = Camera.objects.get(identifier="KVI-01")
    attach(camera, "skiss.pdf", PDF)
    officer_page = client_for("officer").get(f"/kameror/{camera.pk}/").content.decode()
    assert "Ladda upp en bilaga" in officer_page
    assert "Tillåtna filtyper: .pdf, .png, .jpg, .jpeg, .webp, .docx, .xlsx. Högst 5 MB." in officer_page
    assert 'accept=".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx"' in officer_page
    # The camera's default kind is preselected.
    assert re.search(r'<option value="camera_image" selected>', officer_page)
    for role in ["administration_contact", "dpo"]:
        page = client_for(role).get(f"/kameror/{camera.pk}/").content.decode()
        assert "skiss.pdf" in page, role
        assert "Ladda upp en bilaga" not in page and "/ta-bort/" not in page, role


@pytest.mark.parametrize(
    ("name", "content", "kind", "message"),
    [
        ("skylt.png", b"just some text, not an image", "sign_photo", "är inte en riktig PNG-fil"),
        ("program.exe", b"MZ" + b"\x00" * 40, "other", "har en filtyp som inte tas emot"),
        ("beslut.pdf", PDF, "sign_photo", "har en filtyp som inte tas emot"),  # a photo must be an image
        ("tom.pdf", b"", "other", "Den skickade filen var tom."),  # Django's own Swedish
    ],
)
def test_refused_types_save_nothing(client_for, media, name, content, kind, message):
    site = Site.objects.get(name="Kvisthamraskolan")
    before = Attachment.objects.count()
    response = post_upload(client_for("officer"), "plats", site, name, content, kind)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text and "Fil" in text
    assert Attachment.objects.count() == before
    assert files_in(media) == []


def test_a_file_over_the_limit_is_refused_in_swedish_and_nothing_is_kept(client_for, settings, media):
    settings.TRYGG_ATTACHMENT_MAX_MB = 0.01  # 10 485 bytes
    camera = Camera.objects.get(identifier="KVI-01")
    before = Attachment.objects.count()
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20_000
    response = post_upload(client_for("officer"), "kamera", camera, "stor.png", big, "camera_image", "Entrén")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Filen ”stor.png” är större än den största tillåtna storleken, 0,01 MB." in text
    assert 'value="Entrén"' in text  # what was typed is kept
    assert Attachment.objects.count() == before and files_in(media) == []
    # Just under the limit passes.
    small = b"\x89PNG\r\n\x1a\n" + b"\x00" * 10_000
    assert post_upload(client_for("officer"), "kamera", camera, "liten.png", small).status_code == 302


def test_a_request_over_djangos_memory_limit_gets_a_swedish_page_not_an_error(client_for, settings, media):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200  # the form's fields other than the file
    site = Site.objects.get(name="Kvisthamraskolan")
    response = post_upload(client_for("officer"), "plats", site, "a.pdf", PDF, description="x" * 1000)
    assert response.status_code == 413
    assert "Uppladdningen var för stor eller felaktig och togs inte emot" in response.content.decode()
    assert not attachments_of(site).exists() and files_in(media) == []


def test_upload_needs_a_valid_csrf_token(demo_users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["officer"])
    site = Site.objects.get(name="Kvisthamraskolan")
    response = post_upload(client, "plats", site, "a.pdf", PDF)
    assert response.status_code == 403 and not attachments_of(site).exists()


def test_upload_goes_back_only_to_our_own_pages(client_for):
    site = Site.objects.get(name="Kvisthamraskolan")
    response = post_upload(client_for("officer"), "plats", site, "a.pdf", PDF, next_url="https://evil.example/")
    assert response["Location"] == f"/platser/{site.pk}/"


def test_who_may_upload_where(client_for):
    own = Site.objects.get(name="Kvisthamraskolan")
    other = Site.objects.get(name="Stora torget")
    assessment = SurveillanceAssessment.objects.get(camera__identifier="KVI-01")
    assert post_upload(client_for("dpo"), "plats", own, "a.pdf", PDF).status_code == 403
    assert post_upload(client_for("administration_contact"), "plats", own, "a.pdf", PDF).status_code == 403
    assert post_upload(client_for("administration_contact"), "plats", other, "a.pdf", PDF).status_code == 404
    assert post_upload(client_for("reader"), "plats", own, "a.pdf", PDF).status_code == 403
    assert client_for("officer").get("/bilagor/okand/1/ny/").status_code == 404
    assert post_upload(client_for("officer"), "intresseavvagning", assessment, "a.pdf", PDF).status_code == 302
    assert not Attachment.objects.filter(object_id=own.pk, content_type__model="site").exists()


#
# Download
#


def test_download_serves_the_file_with_safe_headers(client_for):
    camera = Camera.objects.get(identifier="KVI-01")
    image = attach(camera, "Entré söder.png", PNG)
    document = attach(camera, "ritning.docx", DOCX)
    response = client_for("officer").get(f"/bilagor/{image.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert (
        response["Content-Disposition"].startswith("inline;")
        and "filename*=utf-8''Entr%C3%A9%20s%C3%B6der.png" in (response["Content-Disposition"])
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    response = client_for("officer").get(f"/bilagor/{document.pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="ritning.docx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")


def test_download_only_to_those_who_see_the_object(client_for):
    own_camera = attach(Camera.objects.get(identifier="KVI-01"))  # BUF, the contact's administration
    other_camera = attach(Camera.objects.get(identifier="TORG-01"))  # SBF
    assessment = attach(SurveillanceAssessment.objects.get(camera__identifier="KVI-01"), "beslut.pdf", PDF)
    project = attach(Project.objects.get(site__name="Kvisthamraskolan"), "offert.pdf", PDF)
    expected = {
        "officer": {own_camera: 200, other_camera: 200, assessment: 200, project: 200},
        "dpo": {own_camera: 200, other_camera: 200, assessment: 200, project: 200},
        "administration_contact": {own_camera: 200, other_camera: 404, assessment: 403, project: 200},
        "reader": {own_camera: 403, other_camera: 403, assessment: 403, project: 403},
        None: {own_camera: 302, other_camera: 302, assessment: 302, project: 302},
    }
    for role, outcomes in expected.items():
        client = client_for(role)
        for attachment, status in outcomes.items():
            assert client.get(f"/bilagor/{attachment.pk}/").status_code == status, (role, attachment.original_name)


def test_a_contact_sees_only_own_administrations_attachments_in_the_panel(client_for, demo_users):
    other = Site.objects.get(name="Stora torget")
    own = Site.objects.get(name="Kvisthamraskolan")
    attach(own, "egen.pdf", PDF)
    attach(other, "annan.pdf", PDF)
    request = RequestFactory().get("/")
    request.user = demo_users["administration_contact"]
    template = Template("{% load attachments %}{% attachment_panel obj %}")
    assert "egen.pdf" in template.render(Context({"request": request, "obj": own}))
    assert template.render(Context({"request": request, "obj": other})).strip() == ""


def test_a_missing_file_is_a_404_not_an_error(client_for, media):
    attachment = attach(Site.objects.get(name="Kvisthamraskolan"), "a.pdf", PDF)
    (media / attachment.file.name).unlink()
    assert client_for("officer").get(f"/bilagor/{attachment.pk}/").status_code == 404


#
# Retention and deletion
#


def test_delete_is_refused_within_the_retention_with_the_reason(client_for, media):
    camera = Camera.objects.get(identifier="TORG-01")  # in operation since 2020
    attachment = attach(camera, "vy.png", PNG)
    client = client_for("officer")
    page = client.get(f"/kameror/{camera.pk}/").content.decode()
    assert "/ta-bort/" not in page
    assert "Kamerans bilagor kan inte tas bort: kameran TORG-01 är inte avvecklad" in page
    response = client.post(f"/bilagor/{attachment.pk}/ta-bort/")
    assert response.status_code == 409
    assert "minst fem år efter att bevakningen har upphört" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists() and (media / attachment.file.name).exists()

    approved = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    decision = attach(approved, "beslut.pdf", PDF)
    response = client.post(f"/bilagor/{decision.pk}/ta-bort/")
    assert response.status_code == 409
    assert "Bilagan sparas lika länge som handlingen den hör till. Intresseavvägningen kan inte tas bort" in (
        response.content.decode()
    )
    assert Attachment.objects.filter(pk=decision.pk).exists()


def test_five_years_after_decommissioning_the_attachments_may_go():
    camera = Camera.objects.get(identifier="TORG-03")  # decommissioned 2023-02-01
    refusal = deletion_refusal(camera, dt.date(2026, 11, 30))
    assert refusal and "tidigast 2028-02-01" in refusal
    assert deletion_refusal(camera, dt.date(2028, 2, 1)) is None
    # A sign for the whole of Stora torget is kept while any camera there that filmed is kept.
    sign = Sign.objects.get(site__name="Stora torget", camera=None)
    assert "TORG-01" in deletion_refusal(sign, dt.date(2030, 1, 1))


def test_what_was_never_filmed_or_decided_may_be_deleted():
    assert deletion_refusal(Camera.objects.get(identifier="KVI-01"), dt.date(2026, 11, 30)) is None  # only designed
    assert deletion_refusal(SurveillanceAssessment.objects.get(camera__identifier="KVI-01")) is None  # draft
    assert deletion_refusal(Site.objects.get(name="Stora torget")) is None  # sites have no retention rule
    assert deletion_refusal(ImpactAssessment.objects.get(site__name="Stora torget")) is not None  # approved


def test_a_drafts_attachment_is_deleted_by_its_writer_with_its_file(
    client_for, demo_users, media, django_capture_on_commit_callbacks
):
    draft = SurveillanceAssessment.objects.get(camera__identifier="KVI-01")
    attachment = attach(draft, "utkast.pdf", PDF, user=demo_users["officer"])
    path = media / attachment.file.name
    assert client_for("dpo").get(f"/bilagor/{attachment.pk}/ta-bort/").status_code == 403
    assert client_for("dpo").post(f"/bilagor/{attachment.pk}/ta-bort/").status_code == 403
    client = client_for("officer")
    confirm = client.get(f"/bilagor/{attachment.pk}/ta-bort/?next=/kameror/")
    assert "Filen tas bort och kan inte återställas" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bilagor/{attachment.pk}/ta-bort/", {"next": "/kameror/"})
    assert response.status_code == 302 and response["Location"] == "/kameror/"
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
    logged = ObjectChange.objects.filter(changed_object_type__model="attachment", action="delete").latest("pk")
    assert logged.changed_object_id == str(attachment.pk) and logged.user == demo_users["officer"]


def test_attachments_and_files_go_with_their_object(media, django_capture_on_commit_callbacks):
    site = Site.objects.create(
        name="Ny skola",
        kind="school",
        administration=Administration.objects.get(short_name="BUF"),
        longitude=18.7,
        latitude=59.76,
        area_kind="rural",
    )
    first, second = attach(site, "a.pdf", PDF), attach(site, "b.png", PNG)
    kept = attach(Site.objects.get(name="Kvisthamraskolan"), "c.pdf", PDF)
    with django_capture_on_commit_callbacks(execute=True):
        site.delete()
    assert not Attachment.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert files_in(media) == [media / kept.file.name]
    assert ObjectChange.objects.filter(
        changed_object_type__model="attachment", action="delete", changed_object_id=str(first.pk)
    ).exists()


def test_a_refused_deletion_of_the_object_keeps_its_attachments(media):
    approved = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    attachment = attach(approved, "beslut.pdf", PDF)
    with pytest.raises(Exception, match="kan inte tas bort"):
        approved.delete()
    assert Attachment.objects.filter(pk=attachment.pk).exists() and (media / attachment.file.name).exists()


def test_a_rolled_back_deletion_keeps_the_file(media, django_capture_on_commit_callbacks):
    from django.db import transaction

    attachment = attach(Site.objects.get(name="Kvisthamraskolan"), "a.pdf", PDF)
    pk, path = attachment.pk, media / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        attachment.delete()
        raise RuntimeError("rolled back")
    assert Attachment.objects.filter(pk=pk).exists() and path.exists()


#
# The purge command
#


def test_purge_lists_and_removes_only_old_orphaned_files(media, capsys):
    kept = attach(Site.objects.get(name="Kvisthamraskolan"), "a.pdf", PDF)
    folder = media / "bilagor" / "sites-site"
    orphan = folder / "gammal.pdf"
    orphan.write_bytes(PDF)
    old = time.time() - 3 * 3600
    os.utime(orphan, (old, old))
    fresh = folder / "pagar.pdf"  # an upload that may still be committing
    fresh.write_bytes(PDF)
    outside = media / "skyltar" / "foto.png"  # not an attachment folder: never touched
    outside.parent.mkdir()
    outside.write_bytes(PNG)
    lost = attach(Site.objects.get(name="Stora torget"), "borta.pdf", PDF)
    (media / lost.file.name).unlink()

    call_command("purge_attachments", "--dry-run")
    output = capsys.readouterr()
    assert "Skulle ta bort bilagor/sites-site/gammal.pdf" in output.out
    assert "1 fil utan bilaga hittades (inget togs bort)." in output.out
    assert "pagar.pdf" not in output.out and kept.file.name not in output.out
    assert f"Bilaga {lost.pk} (”borta.pdf”) saknar sin fil" in output.err
    assert orphan.exists()

    call_command("purge_attachments")
    assert "Tog bort bilagor/sites-site/gammal.pdf" in capsys.readouterr().out
    assert not orphan.exists()
    assert fresh.exists() and outside.exists() and (media / kept.file.name).exists()
    call_command("purge_attachments", "--min-age", "0")
    assert not fresh.exists() and (media / kept.file.name).exists()


#
# The panel and the registry
#


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("role", ["officer", "administration_contact", "dpo"])
def test_the_panel_uses_the_same_queries_for_many_attachments(demo_users, role):
    camera = Camera.objects.get(identifier="KVI-01")
    template = Template("{% load attachments %}{% attachment_panel obj %}")
    user = demo_users[role]

    def render():
        request = RequestFactory().get("/kameror/")
        request.user = user
        return template.render(Context({"request": request, "obj": camera}))

    attach(camera, user=demo_users["officer"])
    render()  # warm caches (content types, the user's roles and permissions)
    one = queries_of(render)
    for i in range(30):
        attach(camera, f"fil-{i}.pdf", PDF, user=demo_users["officer"])
    assert queries_of(render) == one <= 4
    assert render().count("/bilagor/") >= 31


def test_the_object_pages_do_not_grow_with_attachments(client_for, demo_users):
    camera = Camera.objects.get(identifier="KVI-01")
    urls = [f"/kameror/{camera.pk}/", f"/platser/{camera.site_id}/"]
    client = client_for("officer")

    def add(n):
        for obj in (camera, camera.site):
            for i in range(n):
                attach(obj, f"fil-{i}.pdf", PDF, user=demo_users["officer"])

    def counts():
        return [queries_of(lambda url=url: client.get(url)) for url in urls]

    add(30)  # so the latest changes in the page's history are attachments both times
    counts()
    before = counts()
    add(30)
    assert counts() == before


def test_every_model_of_the_issue_is_registered():
    slugs = {owner.model: owner.slug for owner in attachments.owners()}
    assert slugs == {
        Site: "plats",
        Camera: "kamera",
        Project: "projektering",
        SurveillanceAssessment: "intresseavvagning",
        ImpactAssessment: "konsekvensbedomning",
        ChildRightsAssessment: "barnrattsprovning",
        Sign: "skylt",
    }


def test_the_panel_works_for_every_registered_model(demo_users):
    request = RequestFactory().get("/sida/")
    request.user = demo_users["officer"]
    template = Template("{% load attachments %}{% attachment_panel obj %}")
    for owner in attachments.owners():
        obj = owner.model._default_manager.order_by("pk").first()
        html = template.render(Context({"request": request, "obj": obj}))
        assert f'action="/bilagor/{owner.slug}/{obj.pk}/ny/"' in html, owner.slug
        assert owner.url_of(obj), owner.slug  # somewhere to go back to


def test_the_panel_refuses_a_model_that_takes_no_attachments(demo_users):
    request = RequestFactory().get("/")
    request.user = demo_users["officer"]
    with pytest.raises(ImproperlyConfigured):
        Template("{% load attachments %}{% attachment_panel obj %}").render(
            Context({"request": request, "obj": Administration.objects.first()})
        )
