"""A bad filter or paging value on a list page is refused with a Swedish 400 naming the field by its label.

Found walking the demo: `/behov/handelser/?plats=abc` answered 404 "Det finns ingen sida på adressen", and
other lists silently ignored a value they could not use (`?typ=`, a FilterSet's choice, `?sort=`, a page
number past the end, the ranking's date). Each row of the table is one list parameter.
"""

from __future__ import annotations

import pytest

from trygg.core.tests.test_params import shown_message
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

REFUSED = [
    # role, address, the message (or its start)
    (
        "administration_contact",
        "/behov/handelser/?plats=abc",
        "Fältet ”Plats” ska vara ett nummer, till exempel 12 (fick ”abc”).",
    ),
    (
        "administration_contact",
        "/behov/handelser/?plats=99999",
        "Fältet ”Plats”: nummer 99999 finns inte bland dem du får se.",
    ),
    (
        "administration_contact",
        "/behov/handelser/?typ=brand",
        "Fältet ”Typ av händelse” ska vara ett av valen ”Skadegörelse”",
    ),
    ("officer", "/behov/?sida=abc", "Fältet ”sida” ska vara ett heltal från 1 och uppåt (fick ”abc”)."),
    ("officer", "/behov/?sida=99", "Fältet ”sida” ska vara högst 1 (fick ”99”)."),
    ("officer", "/behov/rangordning/?datum=0001-01-01", "Fältet ”Per datum”: Ange ett datum mellan år 1900 och 2100."),
    ("officer", "/behov/rangordning/?years=99", "Fältet ”Antal år bakåt”:"),
    ("officer", "/behov/rangordning/?sida=99", "Fältet ”sida” ska vara högst 1 (fick ”99”)."),
    ("officer", "/platser/?kind=slott", "Fältet ”Typ av plats”: Välj ett giltigt alternativ. slott finns inte"),
    ("officer", "/platser/?administration=99999", "Fältet ”Förvaltning”: Välj ett giltigt alternativ."),
    ("officer", "/platser/?sort=hemlig", "Fältet ”sortering” ska vara en av kolumnerna ”Namn”, ”Typ”"),
    ("officer", "/platser/?sida=99", "Fältet ”sida” ska vara högst 1 (fick ”99”)."),
    ("officer", "/kameror/?state=trasig", "Fältet ”Status”: Välj ett giltigt alternativ. trasig finns inte"),
    ("officer", "/kameror/kameror.csv?state=trasig", "Fältet ”Status”: Välj ett giltigt alternativ. trasig finns inte"),
    ("officer", "/efterlevnad/intresseavvagningar/?status=klar", "Fältet ”Status”: Välj ett giltigt alternativ."),
    ("officer", "/efterlevnad/forteckning/?sida=99", "Fältet ”sida” ska vara högst 1 (fick ”99”)."),
    ("officer", "/uppfoljning/tidsfrister/?visa=gamla", "Fältet ”Visa” ska vara ett av valen ”alla” eller tomt"),
    ("officer", "/projekteringar/ny/?plats=abc", "Fältet ”Plats” ska vara ett nummer, till exempel 12 (fick ”abc”)."),
    ("officer", "/projekteringar/ny/?plats=99999", "Fältet ”Plats”: nummer 99999 finns inte bland dem du får se."),
]


@pytest.mark.parametrize(("role", "url", "message"), REFUSED)
def test_a_bad_list_parameter_is_refused_naming_its_field(client_for, role, url, message):
    response = client_for(role).get(url)
    assert response.status_code == 400
    shown = shown_message(response)
    assert shown.startswith(message), shown
    assert "(page)" not in shown


def test_a_site_of_another_administration_is_refused_like_one_that_does_not_exist(client_for):
    contact = client_for("administration_contact")
    other = Site.objects.get(name="Stora torget")
    own = Site.objects.get(name="Kvisthamraskolan")
    refused = contact.get(f"/behov/handelser/?plats={other.pk}")
    assert refused.status_code == 400 and shown_message(refused) == (
        f"Fältet ”Plats”: nummer {other.pk} finns inte bland dem du får se."
    )
    assert "Stora torget" not in refused.content.decode()
    assert contact.get(f"/behov/handelser/?plats={own.pk}").status_code == 200


def test_good_filter_values_still_filter(client_for):
    officer = client_for("officer")
    assert officer.get("/behov/handelser/?typ=graffiti").status_code == 200
    assert officer.get("/platser/?kind=park&sort=-name").status_code == 200
    assert officer.get("/kameror/?state=in_operation&sida=1").status_code == 200
    assert officer.get("/efterlevnad/intresseavvagningar/?status=approved").status_code == 200
    ranking = officer.get("/behov/rangordning/?datum=2024-10-29&years=4")
    assert ranking.status_code == 200 and "Platser efter uppskattat behov den 2024-10-29" in ranking.content.decode()
    older = officer.get("/behov/rangordning/?as_of=2024-10-29")  # the date's name in older links
    assert "Platser efter uppskattat behov den 2024-10-29" in older.content.decode()


def test_list_pages_link_their_pages_with_sida_and_still_read_page(client_for, monkeypatch):
    from trygg.core import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    officer = client_for("officer")
    first = officer.get("/platser/?kind=&sort=name").content.decode()
    assert 'sort=name&amp;sida=2" rel="next"' in first
    second = officer.get("/platser/?kind=&sort=name&sida=2")
    assert second.context["listing"].page.number == 2
    assert 'sida=3" rel="next"' in second.content.decode() and "page=" not in second.content.decode()
    assert officer.get("/platser/?sort=name&page=2").context["listing"].page.number == 2
