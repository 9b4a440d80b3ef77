"""The need pages: what each role sees, recording an incident, and query counts that do not grow."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from trygg.core.models import Administration, ObjectChange
from trygg.incidents import stored
from trygg.incidents.models import Incident
from trygg.sites.models import Measure, Site

pytestmark = pytest.mark.django_db


def kvisthamra():
    return Site.objects.get(name="Kvisthamraskolan")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_incidents(site, n, start=dt.date(2024, 1, 1)):
    Incident.objects.bulk_create(
        Incident(site=site, kind="graffiti", occurred_on=start + dt.timedelta(days=i % 300), description="extra")
        for i in range(n)
    )
    stored.rebuild([site.pk])  # bulk_create skips the signals that keep the stored counts


def test_profile_and_ranking_queries_do_not_grow_with_the_data(client_for):
    client = client_for("officer")
    site = kvisthamra()
    profile_url, ranking_url = f"/behov/platser/{site.pk}/", "/behov/rangordning/"
    urls = [
        profile_url,
        f"{profile_url}profil.json",
        ranking_url,
        "/behov/rangordning.json",
        "/behov/",
        "/behov/handelser/",
    ]
    before = {url: queries(client, url) for url in urls}
    add_incidents(site, 300)
    Measure.objects.create(site=site, kind="fencing", started_on=dt.date(2024, 2, 1))
    extra = Site.objects.create(
        name="Ny plats",
        kind="park",
        administration=Administration.objects.get(short_name="SBF"),
        longitude=18.7,
        latitude=59.76,
    )
    add_incidents(extra, 50)
    after = {url: queries(client, url) for url in urls}
    assert after == before


def test_the_profile_shows_the_heat_map_with_numbers_and_a_caption(client_for):
    page = client_for("officer").get(f"/behov/platser/{kvisthamra().pk}/").content.decode()
    assert "Behovsprofil: Kvisthamraskolan" in page
    assert '<caption id="heat-caption">Händelser per veckodag och timme (lokal tid)' in page
    assert 'class="heat-5"' in page and "Färgskala" in page
    assert "IMY:s praxis för skolfasader" in page
    assert "Före och efter övriga åtgärder" in page and "Belysning" in page and "Klottersanering" in page
    assert "De 20 senaste händelserna" in page


def test_the_profile_as_data(client_for):
    data = json.loads(client_for("dpo").get(f"/behov/platser/{kvisthamra().pk}/profil.json").content)
    assert data["site"]["name"] == "Kvisthamraskolan"
    assert data["count"] == sum(v["count"] for v in data["by_year"].values())
    assert sum(sum(row) for row in data["heat_map"]["cells"]) == pytest.approx(data["count"], abs=0.01)
    imy = data["schedules"][0]
    assert imy["schedule"].startswith("IMY:s praxis") and 0.6 < imy["share_inside"] < 0.95
    assert [m["measure"] for m in data["measures"]] == ["Belysning", "Väktare", "Klottersanering"]


def test_the_demo_tells_the_seeds_story_measures_without_effect(client_for):
    data = json.loads(client_for("officer").get(f"/behov/platser/{kvisthamra().pk}/profil.json").content)
    for measure in data["measures"]:
        assert measure["after"] >= measure["before"]  # incidents went on after each measure
    years = data["by_year"]
    assert years["2023"]["count"] > years["2021"]["count"]


def test_readers_see_aggregates_but_no_descriptions(client_for):
    client = client_for("reader")
    page = client.get(f"/behov/platser/{kvisthamra().pk}/").content.decode()
    assert "Händelser per veckodag och timme" in page
    assert "De 20 senaste händelserna" not in page and "5000-K" not in page
    ranking = client.get("/behov/rangordning/").content.decode()
    assert "Kvisthamraskolan" in ranking and "Kvisthamra, Norrtälje" not in ranking  # no addresses


def test_a_contact_sees_only_its_own_sites(client_for):
    client = client_for("administration_contact")
    other = Site.objects.get(name="Stora torget")
    assert client.get(f"/behov/platser/{other.pk}/").status_code == 404
    assert client.get(f"/behov/platser/{other.pk}/profil.json").status_code == 404
    # The incident list's filter answers another administration's site as one that does not exist: a 400
    # naming the field, never the site.
    refused = client.get(f"/behov/handelser/?plats={other.pk}")
    assert refused.status_code == 400 and "Stora torget" not in refused.content.decode()
    assert f"Fältet ”Plats”: nummer {other.pk} finns inte bland dem du får se." in refused.content.decode()
    listing = client.get("/behov/").content.decode()
    assert "Kvisthamraskolan" in listing and "Stora torget" not in listing
    assert "Stora torget" not in client.get("/behov/handelser/").content.decode()


def test_a_contact_records_an_incident_at_its_own_site_and_it_is_change_logged(client_for):
    client = client_for("administration_contact")
    site = kvisthamra()
    data = {
        "site": site.pk,
        "kind": "graffiti",
        "occurred_on": "2024-10-25",
        "occurred_time": "16:00",
        "until_on": "2024-10-28",
        "until_time": "07:00",
        "description": "Klotter på gaveln, upptäckt måndag morgon",
        "police_report_number": "5000-K777777-24",
        "cost": "4500",
        "reported_by": "Vaktmästaren",
    }
    response = client.post("/behov/handelser/ny/", data)
    assert response.status_code == 302 and response["Location"].startswith(f"/behov/platser/{site.pk}/?ny=")
    incident = Incident.objects.get(description="Klotter på gaveln, upptäckt måndag morgon")
    assert incident.reported_to_police and incident.cost == Decimal("4500") and incident.source is None
    assert incident.recorded_by.username == "forvaltning" and incident.precision == "range"
    change = ObjectChange.objects.get(
        changed_object_type=ContentType.objects.get_for_model(Incident), changed_object_id=str(incident.pk)
    )
    assert change.action == "create" and change.user_name == "forvaltning"

    other = Site.objects.get(name="Stora torget")
    refused = client.post("/behov/handelser/ny/", data | {"site": other.pk})
    assert refused.status_code == 200 and "site" in refused.context["form"].errors
    assert not Incident.objects.filter(site=other, description=data["description"]).exists()


def test_the_incident_form_explains_bad_times(client_for):
    client = client_for("officer")
    base = {"site": kvisthamra().pk, "kind": "vandalism", "occurred_on": "2024-10-25", "occurred_time": "16:00"}
    backwards = client.post("/behov/handelser/ny/", base | {"until_on": "2024-10-24"})
    assert "Tiden till måste ligga efter tiden från." in backwards.content.decode()
    future = client.post("/behov/handelser/ny/", base | {"occurred_on": "2099-01-01"})
    assert "Datumet ligger i framtiden." in future.content.decode()
    no_date = client.post("/behov/handelser/ny/", base | {"until_time": "07:00"})
    assert "Ange till vilket datum" in no_date.content.decode()


def test_the_ranking_page_explains_its_method_and_flags_small_numbers(client_for):
    page = client_for("officer").get("/behov/rangordning/").content.decode()
    assert "Så räknas rangordningen" in page and "empirisk Bayes" in page
    assert "Få händelser (" in page and ": osäkert" in page  # e.g. Grisslehamns hamnplan
    assert page.index("Stora torget") < page.index("Kvisthamraskolan") < page.index("Grisslehamns hamnplan")
    plain = client_for("officer").get("/behov/rangordning/?harm=nej&half_life=0&years=4").content.decode()
    assert "Alla typer av händelser väger lika." in plain and "Alla år väger lika." in plain


def test_the_ranking_as_data(client_for):
    data = json.loads(client_for("reader").get("/behov/rangordning.json?years=4").content)
    ranks = [site["rank"] for site in data["sites"]]
    assert ranks == sorted(ranks) and data["years"] == 4
    first = data["sites"][0]
    assert first["interval"][0] <= first["rate"] <= first["interval"][1]
    assert first["plausible_ranks"][0] <= first["rank"] <= first["plausible_ranks"][1]


def test_the_demo_loads_idempotently():
    from trygg.incidents.demo import load_incident_demo

    count = Incident.objects.count()
    assert load_incident_demo() == 0
    assert Incident.objects.count() == count


def test_the_ranking_as_data_comes_a_page_at_a_time_with_the_total(client_for, monkeypatch):
    from trygg.incidents import views

    monkeypatch.setattr(views, "SITES_PER_JSON_PAGE", 2)
    client = client_for("reader")
    first = json.loads(client.get("/behov/rangordning.json?years=4").content)
    total = Site.objects.count()
    assert first["total_sites"] == total and first["page"] == 1 and first["pages"] == (total + 1) // 2
    assert [s["rank"] for s in first["sites"]] == [1, 2]
    second = json.loads(client.get(first["next"]).content)
    assert [s["rank"] for s in second["sites"]] == [3, 4] and second["page"] == 2
    assert "years=4" in first["next"]
    assert "sida=2" in first["next"] and "page=" not in first["next"]
    last = json.loads(client.get(f"/behov/rangordning.json?page={first['pages']}").content)  # older links work
    assert last["next"] is None and last["sites"][-1]["rank"] == total


@pytest.mark.parametrize("page", ["0", "x", "999"])
def test_a_ranking_page_that_does_not_exist_is_refused_in_swedish(client_for, page):
    response = client_for("reader").get(f"/behov/rangordning.json?sida={page}")
    assert response.status_code == 400
    # Named by its label only: no internal name such as "(page)" in the message.
    assert response.content.decode().startswith("Fältet ”sida” ska vara")


def test_the_overview_counts_equal_one_group_by_over_all_incidents(client_for):
    from django.db.models import Q, Sum
    from django.utils import timezone

    site = kvisthamra()
    today = timezone.localdate()
    Incident.objects.bulk_create(
        Incident(site=site, kind="arson", occurred_on=today - dt.timedelta(days=d), cost=Decimal("10.25"))
        for d in (1, 100, 364, 365, 366)
    )
    stored.rebuild([site.pk])
    year_ago = today - dt.timedelta(days=365)
    expected = {
        s.name: (s.last_year, s.total, s.cost)
        for s in Site.objects.annotate(
            total=Count("incidents"),
            last_year=Count("incidents", filter=Q(incidents__occurred_on__gt=year_ago)),
            cost=Sum("incidents__cost"),
        )
    }
    response = client_for("officer").get("/behov/")
    shown = {s.name: (s.last_year, s.total, s.cost) for s in response.context["sites"]}
    assert shown == {name: expected[name] for name in shown} and len(shown) == min(len(expected), 50)
    assert expected[site.name][0] >= 3
    order = [(-s.last_year, s.name) for s in response.context["sites"]]
    assert order == sorted(order)
