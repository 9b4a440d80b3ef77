"""Filters for the camera list and its CSV export."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from trygg.cameras.choices import CameraType, LifecycleState
from trygg.cameras.models import Camera
from trygg.core.models import Administration
from trygg.sites.choices import AreaKind, SiteKind


class CameraFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Sök"), method="search")
    state = django_filters.ChoiceFilter(label=_("Status"), choices=LifecycleState.choices, empty_label=_("Alla"))
    camera_type = django_filters.ChoiceFilter(label=_("Kameratyp"), choices=CameraType.choices, empty_label=_("Alla"))
    site_kind = django_filters.ChoiceFilter(
        label=_("Typ av plats"), field_name="site__kind", choices=SiteKind.choices, empty_label=_("Alla")
    )
    administration = django_filters.ModelChoiceFilter(
        label=_("Förvaltning"),
        field_name="site__administration",
        queryset=Administration.objects.all(),
        empty_label=_("Alla"),
    )
    area_kind = django_filters.ChoiceFilter(
        label=_("Område"), field_name="site__area_kind", choices=AreaKind.choices, empty_label=_("Alla")
    )
    intrudes = django_filters.ChoiceFilter(
        label=_("Med intrång"),
        choices=[("ja", _("Ja")), ("nej", _("Nej"))],
        empty_label=_("Alla"),
        method="with_intrusion",
    )

    class Meta:
        model = Camera
        fields = ["q", "state", "camera_type", "site_kind", "administration", "area_kind", "intrudes"]

    def search(self, queryset: QuerySet[Camera], name: str, value: str) -> QuerySet[Camera]:
        return queryset.filter(
            Q(identifier__icontains=value) | Q(site__name__icontains=value) | Q(coverage_description__icontains=value)
        )

    def with_intrusion(self, queryset: QuerySet[Camera], name: str, value: str) -> QuerySet[Camera]:
        if value == "ja":
            return queryset.exclude(intrusions=[])
        if value == "nej":
            return queryset.filter(intrusions=[])
        return queryset
