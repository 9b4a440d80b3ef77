"""Pages of the core: the start page (public summary or dashboard), login, password and language choice."""

from __future__ import annotations

import rules
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

# Password change for every signed-in user, and reset by e-mail (a link valid PASSWORD_RESET_TIMEOUT),
# with Django's views and Trygg's templates in registration/.
password_change = requires(rules.is_authenticated)(auth_views.PasswordChangeView.as_view())
password_change_done = requires(rules.is_authenticated)(auth_views.PasswordChangeDoneView.as_view())
password_reset = requires(roles.public)(
    auth_views.PasswordResetView.as_view(
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )
)
password_reset_done = requires(roles.public)(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = requires(roles.public)(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = requires(roles.public)(auth_views.PasswordResetCompleteView.as_view())
choose_language = requires(roles.public)(set_language)
