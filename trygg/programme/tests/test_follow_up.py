"""Indicator, budget, deadlines and the calendar feed against the demo data, and their pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.programme import services
from trygg.programme.models import BudgetAllocation, CalendarFeed, CostEntry, Deadline, Project
from trygg.programme.money import NBSP
from trygg.sites.choices import AreaKind, SiteKind
from trygg.sites.models import Site

D = dt.date
AS_OF = D(2024, 10, 29)


def test_indicator_matches_the_hand_count(demo_users):
    overview = services.indicator_overview(AS_OF)
    assert overview.in_operation == 8 and overview.previous_year_end == 7  # trygg/cameras/tests/test_services.py
    # TORG-01/02 2019; TORG-03 and KOM-01 2020; PARK-01 2021; SPORT-01/02 2022; TORG-03 out, RIM-01 in 2023.
    assert [(p.on, p.value) for p in overview.series] == [
        (D(2019, 12, 31), 2),
        (D(2020, 12, 31), 4),
        (D(2021, 12, 31), 5),
        (D(2022, 12, 31), 7),
        (D(2023, 12, 31), 7),
        (AS_OF, 8),
    ]
    assert {r.code: r.count for r in overview.by_site_kind} == {
        "public_place": 4,  # TORG-01, TORG-02, GRI-01, HAMN-01
        "municipal_building": 2,  # KOM-01, RIM-01
        "sports_facility": 2,  # SPORT-01, SPORT-02
    }
    assert {r.code: r.count for r in overview.by_area_kind} == {"urban": 6, "rural": 1, "archipelago": 1}
    assert {r.label: r.count for r in overview.by_administration} == {
        "Samhällsbyggnadsförvaltningen": 4,
        "Kultur- och fritidsförvaltningen": 3,
        "Kommunstyrelsekontoret": 1,
    }
    assert overview.target == 11
    # The SQL count of the cameras app agrees with the pure count.
    assert camera_services.cameras_in_operation(AS_OF) == overview.in_operation


def test_indicator_exports(client_for):
    client = client_for("reader")
    wide = client.get("/uppfoljning/indikator.csv?datum=2024-10-29").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(wide), delimiter=";"))
    assert rows[0][:3] == ["datum", "i drift", "målvärde för året"]
    assert rows[-1][:3] == ["2024-10-29", "8", "11"]
    assert "Skärgård" in rows[0] and rows[-1][rows[0].index("Skärgård")] == "1"
    long = client.get("/uppfoljning/indikator-lang.csv?datum=2024-10-29").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(long), delimiter=";"))
    assert rows[0] == ["indikator", "kommun", "period", "värde"]
    assert rows[-2] == ["kameror-i-drift", "Norrtälje kommun", "2023-12-31", "7"]
    assert rows[-1] == ["kameror-i-drift", "Norrtälje kommun", "2024-10-29", "8"]


def test_the_long_csv_has_the_columns_its_link_names(client_for):
    """The link said "indikator, kommun, period, värde" while the file began "indicator;municipality;…"."""
    client = client_for("reader")
    page = client.get("/uppfoljning/indikator/?datum=2024-10-29").content.decode()
    long = client.get("/uppfoljning/indikator-lang.csv?datum=2024-10-29").content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(long), delimiter=";"))
    link = page[page.index("/uppfoljning/indikator-lang.csv") :]
    link = link[link.index(">") + 1 : link.index("</a>")]
    assert f"kolumnerna {', '.join(header)} (CSV)" in link


def test_the_time_series_csv_breaks_down_by_administration_as_the_page_does(client_for):
    """The page's "Per förvaltning" table was missing from the time-series CSV."""
    client = client_for("reader")
    wide = client.get("/uppfoljning/indikator.csv?datum=2024-10-29").content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(wide), delimiter=";"))
    overview = services.indicator_overview(AS_OF)
    shown = {row.label: row.count for row in overview.by_administration}  # the page's table
    assert shown == {
        "Samhällsbyggnadsförvaltningen": 4,
        "Kultur- och fritidsförvaltningen": 3,
        "Kommunstyrelsekontoret": 1,
    }
    assert {name: int(rows[-1][header.index(name)]) for name in shown} == shown
    # The administrations come last, by name; each row's add up to the cameras in operation that day.
    names = header[3 + len(SiteKind.choices) + len(AreaKind.choices) :]
    assert names == sorted(shown)
    for row in rows:
        assert sum(int(row[header.index(name)]) for name in names) == int(row[1]), row[0]


def test_indicator_page_has_chart_and_table(client_for):
    page = client_for("reader").get("/uppfoljning/indikator/?datum=2024-10-29").content.decode()
    assert "<svg" in page and "Antal bevakningskameror i drift" in page
    assert "<td>2023-12-31</td>" in page and '<p class="figure">8</p>' in page
    assert client_for("reader").get("/uppfoljning/indikator/?datum=29/10").status_code == 400


def test_demo_budget(demo_users):
    year = services.budget_for_year(2024, AS_OF)
    assert (year.allocated, year.spent, year.committed) == (Decimal("1000000"), Decimal("301000"), Decimal("180000"))
    assert year.remaining == Decimal("519000")
    assert year.planned == Decimal("320000")  # Kvisthamraskolan's estimate
    assert year.warnings == ()
    assert services.budget_for_year(2024, D(2024, 4, 1)).spent == Decimal("84000")  # only costs up to the date


def test_budget_page_shows_money_one_way_and_warns(client_for):
    CostEntry.objects.create(
        booked_on=D(2024, 10, 20), category="installation", status="spent", amount=Decimal("600000"), description="Stor"
    )
    page = client_for("reader").get("/uppfoljning/budget/?ar=2024").content.decode()
    assert f"1{NBSP}000{NBSP}000{NBSP}kr" in page
    assert "överstiger de medel som finns" in page
    assert "GRI-01" not in page  # readers see no camera identifiers
    assert "GRI-01" in client_for("officer").get("/uppfoljning/budget/?ar=2024").content.decode()
    assert client_for("reader").get("/uppfoljning/budget/?ar=tjugo").status_code == 400


def test_a_new_allocation_is_suggested_from_the_organisation(client_for):
    page = client_for("officer").get("/admin/programme/budgetallocation/add/").content.decode()
    assert 'value="1000000.00"' in page
    assert BudgetAllocation.objects.get(year=2024).amount == Decimal("1000000.00")


def test_cost_entry_camera_must_match_project(demo_users):
    from django.core.exceptions import ValidationError

    entry = CostEntry(
        booked_on=D(2024, 5, 1),
        category="hardware",
        amount=Decimal("1"),
        description="Fel",
        project=Project.objects.get(site__name="Kvisthamraskolan"),
        camera=Camera.objects.get(identifier="TORG-01"),
    )
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "camera" in error.value.message_dict


def test_deadlines_include_the_seed_and_the_compliance_records(demo_users):
    items = services.deadlines_for(demo_users["officer"], D(2024, 10, 1), D(2026, 1, 1))
    titles = {(i.due_on, i.kind) for i in items}
    assert (D(2024, 10, 28), "submission") in titles
    assert (D(2024, 12, 2), "board_meeting") in titles
    assert any(i.kind == "sign_inspection" for i in items)  # from the signs
    assert any(i.kind == "assessment_review" and i.due_on == D(2025, 12, 31) for i in items)  # DPIA review_on


def test_calendar_feed_token_is_secret_stable_and_revocable(client_for, demo_users, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: AS_OF)
    officer = client_for("officer")
    page = officer.post("/uppfoljning/tidsfrister/kalenderlank/", {"action": "issue"}).content.decode()
    url = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in CalendarFeed.objects.get(user=demo_users["officer"]).token_hash  # only a hash is kept
    anonymous = client_for(None)
    path = f"/uppfoljning/kalender/{token}.ics"
    first = anonymous.get(path)
    assert first.status_code == 200 and first["Content-Type"].startswith("text/calendar")
    body = first.content.decode()
    deadline = Deadline.objects.get(kind="board_meeting")
    assert f"UID:{deadline.uid}@trygg" in body
    assert anonymous.get(path).content == first.content  # stable UID and DTSTAMP
    officer.post("/uppfoljning/tidsfrister/kalenderlank/", {"action": "revoke"})
    assert anonymous.get(path).status_code == 404


def test_the_dashboard_shows_deadlines_and_budget(client_for, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: AS_OF)
    page = client_for("reader").get("/").content.decode()
    upcoming = page[page.index('id="deadlines"') : page.index('id="budget"')]
    assert "Kommande</h3>" in upcoming and "Kommunstyrelsen: uppdragsrapportering trygghetskameror" in upcoming
    assert "Budget 2024" in page and f"519{NBSP}000{NBSP}kr" in page
    contact = client_for("administration_contact").get("/").content.decode()
    assert "Kommande</h3>" in contact and "Budget 2024" not in contact


def test_the_dashboard_names_overdue_deadlines_instead_of_saying_there_are_none(client_for, demo_users, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: AS_OF)
    Deadline.objects.filter(due_on__lt=AS_OF).update(done_on=AS_OF)
    Deadline.objects.create(kind="other", title="Inventera skyltarna i hamnen", due_on=AS_OF - dt.timedelta(days=40))
    Deadline.objects.create(kind="other", title="Klar sedan länge", due_on=AS_OF - dt.timedelta(days=20), done_on=AS_OF)
    officer = demo_users["officer"]
    overdue = [i for i in services.deadlines_for(officer, None, AS_OF - dt.timedelta(days=1)) if not i.done]
    assert len(overdue) >= 2  # the one above and a sign inspection the demo left undone
    page = client_for("officer").get("/").content.decode()
    card = page[page.index('id="deadlines"') : page.index("Kommande</h3>")]
    assert f"{len(overdue)} tidsfrist" in card  # "1 tidsfrist har passerats …" or "n tidsfrister …"
    assert "Inventera skyltarna i hamnen" in card and "Klar sedan länge" not in card


def test_the_deadline_page_shows_every_overdue_deadline_the_start_page_counts(client_for, demo_users, monkeypatch):
    """The start page's link "Alla tidsfrister" must show the overdue deadlines it counted, however old."""
    from django.utils import timezone

    today = D(2026, 12, 3)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    Deadline.objects.create(kind="other", title="Gammal och inte klar", due_on=today - dt.timedelta(days=400))
    Deadline.objects.create(kind="other", title="Gammal och klar", due_on=today - dt.timedelta(days=400), done_on=today)
    Deadline.objects.create(kind="other", title="Nyss klar", due_on=today - dt.timedelta(days=10), done_on=today)
    contact = client_for("administration_contact")
    start = contact.get("/").content.decode()
    card = start[start.index('id="deadlines"') : start.index("Kommande</h3>")]
    overdue = [i for i in services.deadlines_for(demo_users["administration_contact"]) if i.overdue_on(today)]
    assert len(overdue) >= 4  # the three of the seed and the one above
    assert f"{len(overdue)} tidsfrister har passerats utan att vara klara" in card
    page = contact.get("/uppfoljning/tidsfrister/").content.decode()
    assert f"{len(overdue)} tidsfrister har passerats utan att vara klara." in page
    assert page.count("Passerad, inte klar</span>") == len(overdue)
    for item in overdue:
        assert item.title in page
    assert "Nyss klar" in page and "Gammal och klar" not in page  # done long ago: only on asking for all
    everything = contact.get("/uppfoljning/tidsfrister/?visa=alla").content.decode()
    assert "Gammal och klar" in everything and "Dölj klara tidsfrister äldre än 30 dagar" in everything


def add_cameras_and_costs(n: int, start: int = 0) -> None:
    template = Site.objects.get(name="Grisslehamns hamnplan")
    for i in range(start, start + n):
        site = Site.objects.create(
            name=f"Ny plats {i}",
            kind="park",
            administration=template.administration,
            longitude=18.8,
            latitude=60.1,
            area_kind="archipelago",
        )
        camera = Camera(
            identifier=f"N-{i}",
            site=site,
            longitude=18.8,
            latitude=60.1,
            mount="pole",
            mount_height_m=5,
            bearing_deg=0,
            hfov_deg=60,
            camera_type="fixed",
        )
        camera.planned_on = D(2023, 1, 1)
        camera.save()
        for state in ["designed", "installed", "in_operation"]:
            camera_services.move(camera, state, D(2023, 6, 1))
        CostEntry.objects.create(
            booked_on=D(2024, 3, 1),
            category="hardware",
            amount=Decimal("1000"),
            description=f"Kamera {i}",
            camera=camera,
        )
        Deadline.objects.create(kind="sign_inspection", title=f"Skylt {i}", due_on=D(2024, 11, 1), site=site)


PAGES = [
    ("reader", "/uppfoljning/indikator/?datum=2024-10-29"),
    ("reader", "/uppfoljning/indikator.csv?datum=2024-10-29"),
    ("reader", "/uppfoljning/indikator-lang.csv?datum=2024-10-29"),
    ("officer", "/uppfoljning/budget/?ar=2024"),
    ("officer", "/uppfoljning/budget.csv?ar=2024"),
    ("officer", "/uppfoljning/tidsfrister/?visa=alla"),
    ("administration_contact", "/uppfoljning/tidsfrister/?visa=alla"),
    ("officer", "/rapporter/"),
]


def count(client, url) -> int:
    # The indicator's counts are kept under the data stamp: count their writing at both sizes.
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_queries_do_not_grow_with_the_data(client_for, role, url):
    client = client_for(role)
    add_cameras_and_costs(10)
    client.get(url)
    before = count(client, url)
    add_cameras_and_costs(20, start=10)  # 10 → 30 cameras, cost entries and deadlines: a query each would show
    assert count(client, url) == before
