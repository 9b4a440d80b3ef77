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


def shown_message(response) -> str:
    """The message a refused request shows: the error page's alert, or the whole plain-text or JSON body."""
    body = response.content.decode()
    if response["Content-Type"].startswith("text/html"):
        return body.split('<p role="alert">', 1)[1].split("</p>", 1)[0]
    return body


def test_a_long_bad_value_is_echoed_cut_to_forty_characters(client_for):
    """500 characters in `?datum=` were repeated whole, making the error page 4 858 px wide."""
    reader = client_for("reader")
    value = "1" * 35 + "abcdefghij" * 50
    cut = value[:40] + "…"
    for url in ("/uppfoljning/indikator/", "/uppfoljning/indikator.csv", "/uppfoljning/indikator-lang.csv"):
        shown = shown_message(reader.get(url, {"datum": value}))
        assert f"(fick ”{cut}”)" in shown and value[:41] not in shown, url
    officer = client_for("officer")
    for url, name in [
        ("/behov/handelser/", "sida"),
        ("/behov/handelser/", "plats"),
        ("/behov/handelser/", "typ"),
        ("/platser/", "sort"),
        ("/kamerabevakning/", "sida"),
        ("/efterlevnad/atgarder/", "allvarlighet"),
        ("/karta/data.geojson", "bbox"),
        ("/ogc/collections/sites/items", "limit"),
    ]:
        response = officer.get(url, {name: value})
        assert response.status_code == 400, (url, name)
        shown = shown_message(response)
        assert cut in shown and value[:41] not in shown, (url, name)


def test_echo_keeps_a_short_value_and_cuts_a_long_one():
    from trygg.core.limits import echo

    assert echo("2024-13-01") == "2024-13-01"
    assert echo("x" * 40) == "x" * 40
    assert echo("x" * 41) == "x" * 40 + "…"


def test_the_page_number_is_named_by_its_label_only(client_for):
    """ "Fältet ”sida” (page) ska vara högst 5": the internal name "(page)" must not show."""
    contact = client_for("administration_contact")
    for query in ("sida=99999", "sida=abc", "page=abc"):
        body = contact.get(f"/behov/handelser/?{query}").content.decode()
        assert "Fältet ”sida” ska vara" in body and "(page)" not in body, query


@pytest.mark.parametrize(
    "url", ["/uppfoljning/indikator/", "/uppfoljning/indikator.csv", "/uppfoljning/indikator-lang.csv"]
)
def test_the_indicator_refuses_a_date_after_today(client_for, monkeypatch, url):
    """ "I drift 2100-12-31: 8": a count of cameras in operation is known only for days that have been."""
    import datetime as dt

    from django.utils import timezone

    today = dt.date(2024, 10, 29)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    reader = client_for("reader")
    for value in ("2024-10-30", "2100-12-31"):
        response = reader.get(url, {"datum": value})
        assert response.status_code == 400, value
        assert "Fältet ”datum” kan inte vara senare än i dag (2024-10-29)" in response.content.decode()
        assert f"(fick ”{value}”)" in response.content.decode()
    assert reader.get(url, {"datum": "2024-10-29"}).status_code == 200
    assert reader.get(url).status_code == 200


def test_the_api_indicator_refuses_a_date_after_today(client_for, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2024, 10, 29))
    reader = client_for("reader")
    response = reader.get("/api/v1/indicator/", {"datum": "2100-12-31"})
    assert response.status_code == 400
    assert "kan inte vara senare än i dag (2024-10-29)" in response.json()["fields"]["datum"][0]
    assert reader.get("/api/v1/indicator/", {"datum": "2024-10-29"}).json()["in_operation"] == 8
