"""The site list counts each site's cameras in operation, for every role that sees it (issue 15: the count
is a subquery per listed site, not a GROUP BY over every camera)."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from trygg.sites.models import Site

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["officer", "administration_contact"])
def test_each_listed_site_shows_its_own_cameras_in_operation(client_for, role):
    response = client_for(role).get("/platser/")
    assert response.status_code == 200
    listed = {site.pk: site.cameras_in_operation for site in response.context["listing"].page.object_list}
    expected = dict(
        Site.objects.filter(pk__in=listed)
        .annotate(n=Count("cameras", filter=Q(cameras__state="in_operation")))
        .values_list("pk", "n")
    )
    assert listed == expected
    assert any(expected.values()) or role == "administration_contact"


def test_sorting_by_cameras_in_operation_puts_the_most_first(client_for):
    response = client_for("officer").get("/platser/?sort=-cameras")
    counts = [site.cameras_in_operation for site in response.context["listing"].page.object_list]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
