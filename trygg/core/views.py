"""Pages of the core: the start page (public summary or dashboard), login and language choice."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.i18n import set_language

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.dashboard import dashboard_for, public_summary


@requires(roles.public)
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if not roles.roles_of(request.user):
        return render(request, "core/public_home.html", {"summary": public_summary(today), "today": today})
    return render(request, "core/dashboard.html", {"dashboard": dashboard_for(request.user, today), "today": today})


login = requires(roles.public)(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = requires(roles.public)(auth_views.LogoutView.as_view())
choose_language = requires(roles.public)(set_language)
