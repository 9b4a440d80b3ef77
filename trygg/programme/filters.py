"""Filters for projects (the REST API's project list; the board shows every project)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from trygg.programme.choices import ProjectStatus
from trygg.programme.models import Project
from trygg.sites.models import Site


class ProjectFilter(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(label=_("Plats"), queryset=Site.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProjectStatus.choices)
    plan_year = django_filters.NumberFilter(label=_("År i verksamhetsplanen"))

    class Meta:
        model = Project
        fields = ["site", "status", "plan_year"]
