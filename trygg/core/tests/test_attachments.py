"""Uploads: the type is read from the first bytes, the size is limited, and the file is kept with its object."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from trygg.core.attachments import attachments_of, store_attachment, validate_upload
from trygg.core.models import Attachment
from trygg.sites.models import Site

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
PDF = b"%PDF-1.7\n" + b"x" * 40


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_real_png_passes_and_a_renamed_text_file_does_not():
    assert validate_upload(SimpleUploadedFile("skylt.PNG", PNG)).media_type == "image/png"
    with pytest.raises(ValidationError, match="inte en riktig PNG-fil"):
        validate_upload(SimpleUploadedFile("skylt.png", b"hello, I am text"))


def test_only_images_where_a_photo_is_asked_for():
    assert validate_upload(SimpleUploadedFile("beslut.pdf", PDF)).media_type == "application/pdf"
    with pytest.raises(ValidationError, match="filtyp som inte tas emot"):
        validate_upload(SimpleUploadedFile("beslut.pdf", PDF), images_only=True)
    with pytest.raises(ValidationError, match="filtyp som inte tas emot"):
        validate_upload(SimpleUploadedFile("program.exe", b"MZ" + b"\x00" * 30))


def test_size_limit_and_empty_file(settings):
    settings.TRYGG_ATTACHMENT_MAX_MB = 0.0001  # about 105 bytes
    with pytest.raises(ValidationError, match="den största tillåtna"):
        validate_upload(SimpleUploadedFile("stor.pdf", PDF + b"y" * 200))
    with pytest.raises(ValidationError, match="är tom"):
        validate_upload(SimpleUploadedFile("tom.pdf", b""))


@pytest.mark.django_db
def test_stored_with_its_object_and_the_uploader(demo_users):
    site = Site.objects.get(name="Kvisthamraskolan")
    before = attachments_of(site).count()
    officer = demo_users["officer"]
    saved = store_attachment(site, SimpleUploadedFile("foto.png", PNG), Attachment.Kind.SIGN_PHOTO, officer, " Entrén ")
    assert attachments_of(site).count() == before + 1
    assert attachments_of(site).first() == saved
    assert saved.original_name == "foto.png" and saved.description == "Entrén"
    assert saved.uploaded_by_name == officer.get_full_name()
    assert saved.file.name.startswith("bilagor/sites-site/") and saved.file.name.endswith(".png")
    assert saved.file.read() == PNG
    with pytest.raises(ValidationError):
        store_attachment(site, SimpleUploadedFile("x.png", b"not a png"), user=officer)
    assert attachments_of(site).count() == before + 1  # nothing half-saved
