"""The incident list at any size: the page read newest first either way, the site filter, paging (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.core import roles
from trygg.incidents import listing, stored
from trygg.incidents import views as incident_views
from trygg.incidents.models import Incident
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db

URL = "/behov/handelser/"


def add_incidents(site, n, start=dt.date(2024, 1, 1)):
    Incident.objects.bulk_create(
        Incident(site=site, kind="graffiti", occurred_on=start + dt.timedelta(days=i % 300), description="extra")
        for i in range(n)
    )
    stored.rebuild([site.pk])


def more_sites(n, like):
    copies = []
    for index in range(n):
        copy = Site.objects.get(pk=like.pk)
        copy.pk, copy.name = None, f"Extra {index:02d}"
        copies.append(copy)
    Site.objects.bulk_create(copies)


def test_walking_newest_first_when_the_scope_is_most_of_the_incidents():
    assert listing.walks_newest_first(0, 50, in_scope=250_000, total=1_000_000)  # about 200 rows walked
    assert not listing.walks_newest_first(0, 50, in_scope=500, total=1_000_000)  # 500 rows sorted instead
    assert not listing.walks_newest_first(0, 50, in_scope=0, total=1_000_000)
    # Deep pages walk farther: sorting the scope wins again.
    assert not listing.walks_newest_first(200_000, 50, in_scope=250_000, total=1_000_000)


def _shown(client, query=""):
    """Every incident id the list shows, page after page."""
    first = client.get(f"{URL}?{query}")
    pages = first.context["page"].paginator.num_pages
    ids = []
    for number in range(1, pages + 1):
        response = client.get(f"{URL}?{query}&sida={number}")
        assert f"Sida {number} av {pages}" in response.content.decode() or pages == 1
        ids += [incident.pk for incident in response.context["page"]]
    return ids


@pytest.mark.parametrize("walks", [True, False])
def test_a_contact_pages_only_its_own_incidents_newest_first_either_way(client_for, demo_users, monkeypatch, walks):
    monkeypatch.setattr(listing, "PER_PAGE", 7)
    monkeypatch.setattr(listing, "walks_newest_first", lambda *args: walks)
    contact = demo_users["administration_contact"]
    own = roles.scope_queryset(contact, Site.objects.all())
    for site in own[:2]:
        add_incidents(site, 5)
    expected = list(Incident.objects.filter(site__in=own).order_by(*listing.ORDER).values_list("pk", flat=True))
    assert len(expected) > 7 and Incident.objects.exclude(site__in=own).exists()
    assert _shown(client_for("administration_contact")) == expected
    # A kind too.
    graffiti = [pk for pk in expected if Incident.objects.get(pk=pk).kind == "graffiti"]
    assert _shown(client_for("administration_contact"), "typ=graffiti") == graffiti


@pytest.mark.parametrize("query", ["sida=0", "sida=x", "sida=9999"])
def test_a_bad_page_number_is_refused_in_swedish(client_for, query):
    response = client_for("officer").get(f"{URL}?{query}")
    assert response.status_code == 400
    assert "”sida”" in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "administration_contact"])
def test_queries_and_page_size_do_not_grow_with_incidents_and_sites(client_for, demo_users, monkeypatch, role):
    monkeypatch.setattr(incident_views, "SITE_OPTIONS", 3)
    client = client_for(role)
    own = roles.scope_queryset(demo_users[role], Site.objects.order_by("pk"))
    site = own.first()
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        small = client.get(URL)
    add_incidents(site, 300)
    more_sites(10, site)
    client.get(URL)  # the counts are made once after a change (the next test), then read from the cache
    with CaptureQueriesContext(connection) as after:
        large = client.get(URL)
    assert len(after) == len(before)
    # The site filter became a name search instead of a choice of every site.
    assert large.context["sites"] is None and 'name="platsnamn"' in large.content.decode()
    assert large.content.decode().count("<option") <= small.content.decode().count("<option")


def test_a_name_search_lists_the_matching_sites_incidents(client_for, monkeypatch):
    monkeypatch.setattr(incident_views, "SITE_OPTIONS", 3)
    site = Site.objects.get(name="Kvisthamraskolan")
    expected = list(Incident.objects.filter(site=site).order_by(*listing.ORDER).values_list("pk", flat=True))
    assert expected
    assert _shown(client_for("officer"), "platsnamn=kvisthamra") == expected


def test_the_kept_count_follows_every_change_of_the_incidents(client_for):
    client = client_for("officer")
    site = Site.objects.get(name="Kvisthamraskolan")
    before = client.get(URL).context["page"].paginator.count
    assert before == Incident.objects.count()
    with CaptureQueriesContext(connection) as cached:
        client.get(URL)
    assert not any('COUNT(*) AS "__count" FROM "incidents_incident"' in q["sql"] for q in cached.captured_queries)
    incident = Incident.objects.create(site=site, kind="graffiti", occurred_on=dt.date(2024, 5, 1))
    response = client.get(URL)
    assert response.context["page"].paginator.count == before + 1
    assert f"{before + 1} händelser" in response.content.decode()
    incident.delete()
    assert client.get(URL).context["page"].paginator.count == before
    add_incidents(site, 3)  # written without signals, then rebuilt as such writes must be
    assert client.get(URL).context["page"].paginator.count == before + 3
