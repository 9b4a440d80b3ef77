"""Filters for incidents: the same choices as the incident list page (site, kind), plus a date range."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from trygg.incidents.choices import IncidentKind
from trygg.incidents.models import Incident
from trygg.sites.models import Site


class IncidentFilter(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(label=_("Plats"), queryset=Site.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Typ av händelse"), choices=IncidentKind.choices)
    occurred_from = django_filters.DateFilter(label=_("Från och med"), field_name="occurred_on", lookup_expr="gte")
    occurred_to = django_filters.DateFilter(label=_("Till och med"), field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = Incident
        fields = ["site", "kind", "occurred_from", "occurred_to"]
