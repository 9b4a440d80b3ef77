"""`?datum=` and `?ar=` far outside any data are refused with a Swedish 400, never a 500 or a huge page."""

import pytest
from django.urls import reverse

from trygg.cameras.models import Camera
from trygg.core import params


@pytest.fixture
def date_pages(db):
    camera = Camera.objects.get(identifier="KVI-01")
    return [
        reverse("compliance:checklist", args=[camera.pk]),
        reverse("compliance:checklist_json", args=[camera.pk]),
        reverse("compliance:checklist_list_json"),
        reverse("compliance:register"),
        reverse("compliance:register_csv"),
        reverse("compliance:processing_record"),
        reverse("programme:indicator"),
        reverse("programme:indicator_csv"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01", "ska vara ett datum mellan år 1900 och 2100 (fick ”0001-01-01”)"),
        ("9999-12-31", "ska vara ett datum mellan år 1900 och 2100 (fick ”9999-12-31”)"),
        ("29/10/2024", "ska vara ett datum som ÅÅÅÅ-MM-DD"),
    ],
)
def test_a_date_outside_1900_to_2100_is_refused_by_name(client_for, date_pages, value, message):
    officer = client_for("officer")
    for url in date_pages:
        response = officer.get(url, {"datum": value})
        assert response.status_code == 400, url
        assert f"Fältet ”datum” {message}" in response.content.decode(), url


def test_the_edges_of_the_range_are_accepted(client_for, date_pages):
    officer = client_for("officer")
    for value in ("1900-01-01", "2100-12-31"):
        assert officer.get(reverse("compliance:checklist_list_json"), {"datum": value}).status_code == 200


def test_a_year_outside_the_range_is_refused(client_for):
    officer = client_for("officer")
    for value in ("1899", "2101", "20x5"):
        response = officer.get(reverse("programme:budget"), {"ar": value})
        assert response.status_code == 400
        assert f"Fältet ”år” ska vara ett årtal mellan 1900 och 2100 (fick ”{value}”)" in response.content.decode()
    assert officer.get(reverse("programme:budget"), {"ar": "2024"}).status_code == 200


def test_a_refused_date_on_a_page_gets_the_error_page_with_the_menu_and_on_data_plain_text(client_for, date_pages):
    officer = client_for("officer")
    pages = [url for url in date_pages if not url.endswith(params.DATA_SUFFIXES)]
    data = [url for url in date_pages if url.endswith(params.DATA_SUFFIXES)]
    assert pages and data
    for url in pages:
        response = officer.get(url, {"datum": "9999-12-31"})
        html = response.content.decode()
        assert response["Content-Type"].startswith("text/html"), url
        assert "Uppgifterna kunde inte tas emot" in html and 'href="/"' in html and "<nav" in html, url
    for url in data:
        response = officer.get(url, {"datum": "9999-12-31"})
        assert response["Content-Type"].startswith("text/plain"), url
        assert response.content.decode().startswith("Fältet ”datum”"), url
