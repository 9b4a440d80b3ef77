"""Template context every page needs: the organisation and the user's roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from trygg.core import roles as role_rules
from trygg.core.roles import STAFF_ROLES, Role, roles_of


def trygg(request: HttpRequest) -> dict[str, Any]:
    roles = roles_of(getattr(request, "user", None))
    user = getattr(request, "user", None)
    return {
        # What the main menu offers; each page still checks its own rule (trygg.core.access).
        "nav_follow_up": role_rules.follows_programme.test(user),
        "nav_registers": role_rules.sees_all_sites.test(user),
        "user_roles": roles,
        "user_role_labels": [Role(r).label for r in sorted(roles)],
        "may_use_register": bool(roles & STAFF_ROLES),
        "tile_url": settings.TRYGG_TILE_URL,
        # The login page offers "Logga in med kommunens konto" (trygg.core.oidc) when it is configured.
        "oidc_enabled": bool(getattr(settings, "OIDC_RP_CLIENT_ID", "")),
    }
