"""Trygg's admin site: Swedish titles, entry by role rather than by the is_staff flag."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from trygg.core.roles import STAFF_ROLES, roles_of


class TryggAdminSite(admin.AdminSite):
    site_header = _("Trygg – administrera")
    site_title = _("Trygg")
    index_title = _("Register och grunddata")

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(roles_of(request.user) & STAFF_ROLES)


class TryggAdminConfig(AdminConfig):
    default_site = "trygg.core.admin_site.TryggAdminSite"
