"""The API's one permission check: the same predicates from trygg.core.roles as the pages' `@requires`.

Each API view names `access_rule` (reading) and, if it writes, `write_rule`, both predicates from
`trygg.core.roles` (or built from them). A view without a rule is refused for everyone, as the pages'
`AccessMiddleware` does, and its querysets go through `roles.scope_queryset`.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from trygg.core.access import allows

logger = logging.getLogger("trygg.access")


def rule_for(view: Any, method: str) -> Any:
    """The predicate that decides `method` on `view`: `access_rule` for reading, `write_rule` otherwise."""
    if method in SAFE_METHODS:
        return getattr(view, "access_rule", None)
    return getattr(view, "write_rule", None)


class RolePermission(BasePermission):
    """Allow a request when the user passes the view's rule (the pages' rule for the same data)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if getattr(view, request.method.lower(), None) is None:
            return True  # the view does not take this method: 405, the same for everyone
        rule = rule_for(view, request.method)
        if rule is None:
            if request.method in SAFE_METHODS:
                logger.error("API view %s has no access rule; refusing %s", type(view).__name__, request.path)
            return False
        return allows(rule, request.user)
