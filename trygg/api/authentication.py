"""Authentication for the REST API: `Authorization: Bearer <API-nyckel>` or the signed-in session."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from trygg.api.models import ApiToken, hash_key

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A key from /konto/api-nycklar/ acts as its user, with the user's roles as they are now."""

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Ange nyckeln efter ordet Bearer, som Authorization: Bearer trygg_…, utan mellanslag i nyckeln.")
            )
        try:
            key = header[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är ogiltig.")) from error
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är ogiltig."))
        if not token.is_active:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är återkallad."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Användarkontot som API-nyckeln hör till är inaktiverat."))
        # A computed field listed in audit_exclude: not a change for the log.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return f'{KEYWORD} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "trygg.api.authentication.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("En API-nyckel från sidan API-nycklar under kontomenyn.")),
        }
