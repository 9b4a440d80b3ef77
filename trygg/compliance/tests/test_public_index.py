"""The public index /kamerabevakning/: paged by name with a search, the same sites as before, nothing more."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.cameras.models import Camera, CameraTransition
from trygg.compliance.views import checklists
from trygg.sites.models import Site

pytestmark = pytest.mark.django_db


def listed(html: str) -> list[str]:
    return re.findall(r'<li><a href="/kamerabevakning/platser/\d+/">([^<]+)</a></li>', html)


def public_names() -> list[str]:
    """The sites that have a camera in operation or paused today, by name: what the page listed whole."""
    today = timezone.localdate()
    names = set()
    for camera in Camera.objects.select_related("site"):
        rows = sorted(
            camera.transitions.filter(occurred_on__lte=today).values_list("occurred_on", "sequence", "to_state")
        )
        if rows and rows[-1][2] in ("in_operation", "paused"):
            names.add(camera.site.name)
    return sorted(names)


def add_public_sites(count: int) -> None:
    """`count` new sites with one camera each, in operation since last year (rows written directly)."""
    template_site = Site.objects.order_by("pk").first()
    template_camera = Camera.objects.order_by("pk").first()
    sites = []
    for number in range(count):
        site = Site.objects.get(pk=template_site.pk)
        site.pk, site.name = None, f"Ny plats {number:03d}"
        sites.append(site)
    Site.objects.bulk_create(sites)
    sites = list(Site.objects.filter(name__startswith="Ny plats "))
    cameras = []
    for site in sites:
        camera = Camera.objects.get(pk=template_camera.pk)
        camera.pk, camera.identifier, camera.site = None, f"NY-{site.name[-3:]}", site
        camera.state = "in_operation"  # the stored state agrees with the last move, as the life cycle keeps it
        cameras.append(camera)
    Camera.objects.bulk_create(cameras)
    year_ago = timezone.localdate().replace(year=timezone.localdate().year - 1)
    CameraTransition.objects.bulk_create(
        CameraTransition(camera=camera, to_state="in_operation", occurred_on=year_ago, sequence=1)
        for camera in Camera.objects.filter(identifier__startswith="NY-")
    )


def test_every_public_site_is_on_one_of_the_pages_in_name_order(client_for, monkeypatch):
    monkeypatch.setattr(checklists, "PUBLIC_SITES_PER_PAGE", 2)
    client = client_for(None)
    expected = public_names()
    assert len(expected) > 4  # the demo has sites enough for three pages
    pages = -(-len(expected) // 2)
    seen = []
    for number in range(1, pages + 1):
        html = client.get(f"/kamerabevakning/?sida={number}").content.decode()
        assert f"Sida {number} av {pages}" in html
        assert f"{len(expected)} platser" in html
        seen += listed(html)
    assert seen == expected
    first = client.get("/kamerabevakning/").content.decode()
    assert listed(first) == expected[:2] and 'href="?sida=2" rel="next"' in first and 'rel="prev"' not in first
    # `?page=` of older links still works, and the page's own links use `sida` only.
    older = client.get("/kamerabevakning/?page=2").content.decode()
    assert listed(older) == expected[2:4] and 'href="?sida=3" rel="next"' in older and 'href="?page' not in older


def test_a_page_past_the_last_or_not_a_number_is_refused_in_swedish(client_for):
    client = client_for(None)
    past = client.get("/kamerabevakning/?sida=2")
    assert past.status_code == 400 and "ska vara högst 1" in past.content.decode()
    word = client.get("/kamerabevakning/?sida=tva")
    assert word.status_code == 400 and "Fältet ”sida” ska vara ett heltal från 1" in word.content.decode()


def test_search_finds_sites_by_name_and_keeps_to_the_public_ones(client_for, monkeypatch):
    monkeypatch.setattr(checklists, "PUBLIC_SITES_PER_PAGE", 1)
    client = client_for(None)
    html = client.get("/kamerabevakning/?sok=torg").content.decode()
    matching = [name for name in public_names() if "torg" in name.lower()]
    assert matching and listed(html) == matching[:1]
    assert 'href="?sok=torg&amp;sida=2"' in html or len(matching) == 1  # the search goes with the pages
    hidden = client.get("/kamerabevakning/?sok=Kvisthamra").content.decode()  # planned, secret cameras only
    assert listed(hidden) == [] and "Ingen plats med kamerabevakning har det namnet." in hidden
    assert "Kvisthamra" in hidden  # only as the words searched for


def test_queries_do_not_grow_with_the_sites(client_for):
    client = client_for(None)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/kamerabevakning/").status_code == 200
        return len(captured)

    before = queries()
    add_public_sites(120)
    html = client.get("/kamerabevakning/").content.decode()
    assert len(listed(html)) == checklists.PUBLIC_SITES_PER_PAGE and "Sida 1 av 2" in html
    assert queries() == before
