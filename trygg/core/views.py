"""Pages of the core: the start page (public summary or dashboard), login, password and language choice."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.i18n import set_language

from trygg.core import login_throttle, oidc, roles
from trygg.core.access import requires
from trygg.core.dashboard import dashboard_for, public_summary


@requires(roles.public)
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if not roles.roles_of(request.user):
        return render(request, "core/public_home.html", {"summary": public_summary(today), "today": today})
    return render(request, "core/dashboard.html", {"dashboard": dashboard_for(request.user, today), "today": today})


login = requires(roles.public)(auth_views.LoginView.as_view(redirect_authenticated_user=True))


class LogoutView(auth_views.LogoutView):
    """Logs out; a user who signed in with the municipality's account is sent on to its logout too."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_logout = oidc.end_session_url(request)  # read before the session ends
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider_logout) if provider_logout else response


logout = requires(roles.public)(LogoutView.as_view())


class PasswordResetView(auth_views.PasswordResetView):
    """The reset request, limited per address and per e-mail (login_throttle.reset_allowed).

    Over the limit the form comes back with a message (429) and no e-mail is sent; the same happens for an
    e-mail with and without an account, so the page never tells which e-mails exist.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        if not login_throttle.reset_allowed(self.request, form.cleaned_data["email"]):
            context = self.get_context_data(form=form, refused=login_throttle.reset_refused_message())
            return self.render_to_response(context, status=login_throttle.LOCKOUT_STATUS)
        return super().form_valid(form)


# Password change for every signed-in user, and reset by e-mail (a link valid PASSWORD_RESET_TIMEOUT),
# with Django's views and Trygg's templates in registration/.
password_change = requires(rules.is_authenticated)(auth_views.PasswordChangeView.as_view())
password_change_done = requires(rules.is_authenticated)(auth_views.PasswordChangeDoneView.as_view())
password_reset = requires(roles.public)(PasswordResetView.as_view())
password_reset_done = requires(roles.public)(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = requires(roles.public)(auth_views.PasswordResetConfirmView.as_view())
password_reset_complete = requires(roles.public)(auth_views.PasswordResetCompleteView.as_view())
choose_language = requires(roles.public)(set_language)

# Single sign-on (trygg.core.oidc): open to anyone, 404 when not configured.
oidc_login = requires(roles.public)(oidc.LoginView.as_view())
oidc_callback = requires(roles.public)(oidc.CallbackView.as_view())
