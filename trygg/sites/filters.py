"""Filters for the site list and the zones (one FilterSet serves the page and the REST API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from trygg.core.models import Administration
from trygg.sites.choices import AreaKind, SiteKind, Vulnerability, ZoneKind, ZoneRule
from trygg.sites.models import Site, Zone


class SiteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Typ av plats"), choices=SiteKind.choices, empty_label=_("Alla"))
    administration = django_filters.ModelChoiceFilter(
        label=_("Förvaltning"), queryset=Administration.objects.all(), empty_label=_("Alla")
    )
    vulnerability = django_filters.ChoiceFilter(
        label=_("Utsatthet"), choices=Vulnerability.choices, empty_label=_("Alla")
    )
    area_kind = django_filters.ChoiceFilter(label=_("Område"), choices=AreaKind.choices, empty_label=_("Alla"))

    class Meta:
        model = Site
        fields = ["q", "kind", "administration", "vulnerability", "area_kind"]

    def search(self, queryset: QuerySet[Site], name: str, value: str) -> QuerySet[Site]:
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class ZoneFilter(django_filters.FilterSet):
    """Zones of a site, by kind and rule (the REST API's zone list)."""

    site = django_filters.ModelChoiceFilter(label=_("Plats"), queryset=Site.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Typ av område"), choices=ZoneKind.choices)
    rule = django_filters.ChoiceFilter(label=_("Regel för bevakning"), choices=ZoneRule.choices)

    class Meta:
        model = Zone
        fields = ["site", "kind", "rule"]
