"""Open every edit page of an existing demo object and press Save without changing anything.

What a browser posts (the first option of a select without a chosen one, the empty row for a new
item) must save, not come back with errors: a person who opens an object only to look, or to change
one field, must not be stopped by fields they never touched. Each edit page of the access table that
edits one object is covered; the test fails on a page it does not know.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from trygg.cameras.models import Camera
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    LegacyPermit,
    Sign,
    SurveillanceAssessment,
)
from trygg.core.testing.forms import browser_post_data
from trygg.core.tests.test_access import walk
from trygg.evaluation.models import Evaluation
from trygg.programme.models import Assignment, Project
from trygg.sites.models import Site, Zone

pytestmark = pytest.mark.django_db


def edit_pages() -> dict[str, str]:
    """{route: URL} for every page that edits one existing object, with a demo object of that kind."""
    kvisthamra = Site.objects.get(name="Kvisthamraskolan")
    zone = Zone.objects.filter(site=kvisthamra).order_by("pk").first()
    draft = {"status": "draft"}
    return {
        "platser/<int:pk>/andra/": f"/platser/{kvisthamra.pk}/andra/",
        "platser/<int:site_pk>/omraden/<int:pk>/andra/": f"/platser/{kvisthamra.pk}/omraden/{zone.pk}/andra/",
        "kameror/<int:pk>/andra/": f"/kameror/{Camera.objects.get(identifier='KVI-01').pk}/andra/",
        "projekteringar/<int:pk>/andra/": f"/projekteringar/{Project.objects.get(site=kvisthamra).pk}/andra/",
        "efterlevnad/intresseavvagningar/<int:pk>/andra/": "/efterlevnad/intresseavvagningar/"
        f"{SurveillanceAssessment.objects.get(camera__identifier='KVI-01', **draft).pk}/andra/",
        "efterlevnad/konsekvensbedomningar/<int:pk>/andra/": "/efterlevnad/konsekvensbedomningar/"
        f"{ImpactAssessment.objects.filter(site=kvisthamra, **draft).get().pk}/andra/",
        "efterlevnad/barnrattsprovningar/<int:pk>/andra/": "/efterlevnad/barnrattsprovningar/"
        f"{ChildRightsAssessment.objects.filter(site=kvisthamra, **draft).get().pk}/andra/",
        "efterlevnad/skyltar/<int:pk>/andra/": f"/efterlevnad/skyltar/{Sign.objects.order_by('pk').first().pk}/andra/",
        "efterlevnad/tillstand/<int:pk>/andra/": f"/efterlevnad/tillstand/{LegacyPermit.objects.order_by('pk').first().pk}/andra/",
        "efterlevnad/behandling/andra/": "/efterlevnad/behandling/andra/",
        "uppfoljning/uppdrag/<int:pk>/andra/": f"/uppfoljning/uppdrag/{Assignment.objects.get().pk}/andra/",
        "utvardering/<int:pk>/andra/": f"/utvardering/{Evaluation.objects.order_by('pk').first().pk}/andra/",
    }


def test_every_edit_page_of_one_object_is_covered():
    routes = {r for r in walk(get_resolver().url_patterns) if r.endswith("/andra/") and not r.startswith("admin/")}
    assert routes == set(edit_pages())


def test_saving_an_unchanged_edit_page_saves(client_for):
    officer = client_for("officer")
    refused = {}
    for url in edit_pages().values():
        page = officer.get(url)
        assert page.status_code == 200, url
        response = officer.post(url, browser_post_data(page.content.decode()))
        if response.status_code != 302:
            html = response.content.decode()
            start = html.find('role="alert"')
            refused[url] = html[start : start + 600] if start >= 0 else html[:300]
    assert not refused, "\n\n".join(f"{url}:\n{text}" for url, text in refused.items())


def test_every_help_text_is_the_description_its_field_points_to(client_for):
    """Django points a field with help text at `<id>_helptext` (aria-describedby); the text must carry that id."""
    import re

    pages = ["/rapporter/ny/", "/platser/ny/", "/kameror/ny/", "/projekteringar/ny/", "/behov/rangordning/"]
    officer = client_for("officer")
    for url in pages:
        response = officer.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        described = set(re.findall(r'aria-describedby="([^"]+)"', html))
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        missing = {ref for refs in described for ref in refs.split() if ref not in ids}
        assert not missing, (url, sorted(missing))
