"""Single sign-on with the municipality's identity provider (OIDC, mozilla-django-oidc), when configured.

The settings come from the environment (`trygg.core.oidc_config.settings_from_env`); without
TRYGG_OIDC_CLIENT_ID the backend is not installed and the two pages answer 404. The local login stays
for the break-glass admin.

A provider user is found by the username claim (TRYGG_OIDC_USERNAME_CLAIM); a new one is created with
no usable password. Name and e-mail are copied from the claims at every login, and the roles too:
the role groups and the administrations named in TRYGG_OIDC_ROLE_MAP follow the groups claim, so a
group removed at the provider removes the role in Trygg at the next login. A local account (one with a
password) is never taken over by a provider login of the same name.
"""

from __future__ import annotations

import functools
import logging
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from trygg.core import errors, oidc_config
from trygg.core.models import Administration
from trygg.core.roles import STAFF_ROLES, Role, roles_of

logger = logging.getLogger("trygg.oidc")

# Discovery document keys for the settings mozilla-django-oidc reads (OpenID Connect Discovery 1.0 §3).
DISCOVERY_KEYS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}


def enabled() -> bool:
    """True when single sign-on is configured (TRYGG_OIDC_CLIENT_ID and the rest)."""
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


@functools.cache
def _discover(issuer: str) -> dict[str, str]:
    """The provider's endpoints from `<issuer>/.well-known/openid-configuration`, fetched once per process.

    Raises requests.RequestException when the provider cannot be reached (not cached, so tried again).
    """
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    document = response.json()
    return {name: document[key] for name, key in DISCOVERY_KEYS.items() if document.get(key)}


def oidc_setting(attr: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting; the endpoints come from the issuer's discovery document unless given.

    Endpoints given explicitly (TRYGG_OIDC_AUTHORIZATION_ENDPOINT etc.) switch discovery off: a provider
    without userinfo or logout endpoint then simply has none.
    """
    discovered = not getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")  # else the endpoints are all given
    if attr in DISCOVERY_KEYS and discovered and getattr(settings, "TRYGG_OIDC_ISSUER", ""):
        found = _discover(settings.TRYGG_OIDC_ISSUER).get(attr)
        if found:
            return found
    if attr in DISCOVERY_KEYS and not default:
        default = (None,)  # a provider without userinfo or logout endpoint
    return import_from_settings(attr, *default)


class TryggOIDCBackend(OIDCAuthenticationBackend):
    """Signs in provider users and keeps their name, e-mail and roles as the provider says."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The endpoints are looked up only when a provider login arrives (`authenticate`), so a local
        # login never waits for, or fails with, the provider.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        """The user of a provider callback (code and state in the query), else None (not ours)."""
        if request is None or not request.GET.get("code") or not request.GET.get("state") or not enabled():
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The ID token's claims after checking signature, nonce, expiry, audience and issuer.

        Raises SuspiciousOperation when the token was issued for another client or by another issuer.
        """
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token issued for another client (aud)")
        issuer = getattr(settings, "TRYGG_OIDC_ISSUER", "")
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ID token from another issuer (iss)")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims, completed by the userinfo endpoint when the provider has one."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    # Who the user is

    def username_from(self, claims: dict[str, Any]) -> str:
        claim = settings.TRYGG_OIDC_USERNAME_CLAIM
        value = claims.get(claim)
        return value.strip()[:150] if isinstance(value, str) else ""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """A login needs the username claim and a groups claim that is absent or a list of names."""
        if not self.username_from(claims):
            logger.warning("OIDC login refused: no %r claim", settings.TRYGG_OIDC_USERNAME_CLAIM)
            return False
        try:
            oidc_config.claim_groups(claims, settings.TRYGG_OIDC_GROUPS_CLAIM)
        except oidc_config.ConfigError:
            logger.warning("OIDC login refused: the %r claim is not a list of names", settings.TRYGG_OIDC_GROUPS_CLAIM)
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        users = self.UserModel.objects.filter(username=self.username_from(claims))
        for user in users:
            if user.has_usable_password():
                # The break-glass admin or another local account: never signed in by the provider.
                raise SuspiciousOperation(f"local account {user.username!r} is not taken over by a provider login")
        return users

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return f"username {self.username_from(claims)!r}"

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Any:
        user = self.UserModel(username=self.username_from(claims))
        user.set_unusable_password()
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """Copy name and e-mail, then set roles and administrations from the groups claim."""
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        user.email = str(claims.get("email") or user.email)[:254]
        groups = oidc_config.claim_groups(claims, settings.TRYGG_OIDC_GROUPS_CLAIM)
        roles, administrations = oidc_config.grants_for(groups, settings.TRYGG_OIDC_ROLE_MAP)
        user.is_superuser = Role.ADMIN in roles
        user.is_staff = bool(roles & STAFF_ROLES)
        user.save()
        sync_roles(user, roles, administrations)
        return user


def sync_roles(user: Any, roles: frozenset[str], administrations: frozenset[str]) -> None:
    """Make the user's role groups exactly `roles`, and the administrations the map names exactly those given.

    Groups that are not roles are left alone, and so are administrations the role map does not name (the
    admin may assign those by hand to a contact). An administration in the map that does not exist is
    logged, not created.
    """
    role_groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    current = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    user.groups.remove(*[role_groups[name] for name in current - roles])
    user.groups.add(*[role_groups[name] for name in roles - current if name in role_groups])
    user._trygg_roles = None
    managed = {g.administration for g in settings.TRYGG_OIDC_ROLE_MAP.values() if g.administration}
    if not managed:
        return
    by_name = {}
    for administration in Administration.objects.all():
        for key in (administration.name, administration.short_name):
            if key in managed:
                by_name[key] = administration
    for missing in sorted(managed - set(by_name)):
        logger.warning("TRYGG_OIDC_ROLE_MAP names the administration %r, which does not exist", missing)
    wanted = {by_name[name].pk for name in administrations if name in by_name}
    managed_pks = {a.pk for a in by_name.values()}
    have = set(user.administrations.values_list("pk", flat=True))
    for administration in by_name.values():
        if administration.pk in wanted and administration.pk not in have:
            administration.contacts.add(user)
        elif administration.pk in have - wanted and administration.pk in managed_pks:
            administration.contacts.remove(user)
    user._trygg_administration_ids = None


class LoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's login (404 when single sign-on is off)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException:
            logger.exception("OIDC provider discovery failed")
            messages.error(request, _("Kommunens inloggning svarar inte just nu. Försök igen om en stund."))
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; a failure returns to the login page with a message."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError) as error:
            logger.warning("OIDC login failed: %s", error)
            return self.login_failure()

    def login_success(self) -> HttpResponse:
        """Signed in; a user whose groups give no role gets the "no role yet" page instead of the next page."""
        response = super().login_success()
        if not roles_of(self.user):
            return errors.permission_denied(self.request)
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Inloggningen med kommunens konto misslyckades. Försök igen, eller kontakta systemförvaltaren "
                "om det inte går."
            ),
        )
        return HttpResponseRedirect(reverse("login"))


def end_session_url(request: HttpRequest) -> str | None:
    """The provider's logout address for a user signed in through it, or None (local login, no endpoint).

    Read before the session ends (it holds the ID token, sent as id_token_hint; OpenID Connect
    RP-Initiated Logout 1.0 §2).
    """
    id_token = request.session.get("oidc_id_token")
    if not enabled() or not id_token:
        return None
    try:
        endpoint = oidc_setting("OIDC_OP_LOGOUT_ENDPOINT", "")
    except requests.RequestException:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL)),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
