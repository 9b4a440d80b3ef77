"""Authentication for the REST API and OGC API – Features: `Authorization: Bearer <API-nyckel>` or the
signed-in session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from trygg.api.models import ApiToken, hash_key

KEYWORD = "Bearer"


class KeyRefused(Exception):
    """The request names a key that does not let it in; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def user_for_key(request: Any) -> tuple[Any, ApiToken] | None:
    """The (user, key) that the request's `Authorization: Bearer <key>` names, None without such a header.

    Raises `KeyRefused` for a malformed, unknown or revoked key, or a key of an inactive account. Marks
    the key as used now.
    """
    header = authentication.get_authorization_header(request).split()
    if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
        return None
    if len(header) != 2:
        raise KeyRefused(
            str(_("Ange nyckeln efter ordet Bearer, som Authorization: Bearer trygg_…, utan mellanslag i nyckeln."))
        )
    try:
        key = header[1].decode()
    except UnicodeDecodeError as error:
        raise KeyRefused(str(_("API-nyckeln är ogiltig."))) from error
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        raise KeyRefused(str(_("API-nyckeln är ogiltig.")))
    if not token.is_active:
        raise KeyRefused(str(_("API-nyckeln är återkallad.")))
    if not token.user.is_active:
        raise KeyRefused(str(_("Användarkontot som API-nyckeln hör till är inaktiverat.")))
    # A computed field listed in audit_exclude: not a change for the log.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user, token


def accepts_api_key(refused: Callable[[Any, str], HttpResponse]) -> Callable[[Any], Any]:
    """For plain Django views (OGC API – Features): a request with a key acts as the key's user.

    `refused(request, message)` makes the 401 answer in the view's own error shape. Answers vary by
    the Authorization header, so no cache hands one key's answer to another client.
    """

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                found = user_for_key(request)
            except KeyRefused as error:
                response = refused(request, error.message)
                response["WWW-Authenticate"] = f'{KEYWORD} realm="api"'
            else:
                if found is not None:
                    request.user = found[0]
                response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Authorization"])
            return response

        return wrapped

    return decorate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A key from /konto/api-nycklar/ acts as its user, with the user's roles as they are now."""

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        try:
            return user_for_key(request)
        except KeyRefused as error:
            raise exceptions.AuthenticationFailed(error.message) from error

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
