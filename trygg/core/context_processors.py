"""Template context every page needs: the organisation and the user's roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from trygg.core.roles import STAFF_ROLES, Role, roles_of


def trygg(request: HttpRequest) -> dict[str, Any]:
    roles = roles_of(getattr(request, "user", None))
    return {
        "user_roles": roles,
        "user_role_labels": [Role(r).label for r in sorted(roles)],
        "may_use_register": bool(roles & STAFF_ROLES),
        "tile_url": settings.TRYGG_TILE_URL,
    }
