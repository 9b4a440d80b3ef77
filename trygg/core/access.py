"""Access control for every page outside the admin, enforced in one middleware.

Each view names its rule with `@requires(predicate)` (or `access_rule = …` on a class-based view).
A view without a rule is refused for everyone, so a new page cannot be reachable by mistake; the
role test in `trygg/core/tests/test_access.py` walks every URL and fails on such a page.
The admin decides with the model permissions from `trygg.core.roles`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("trygg.access")


def requires(predicate: Callable[[Any], bool]) -> Callable[[Any], Any]:
    """Mark a view (function or class) with the rule a user must pass to reach it."""

    def decorate(view: Any) -> Any:
        view.access_rule = predicate
        return view

    return decorate


def rule_of(view_func: Any) -> Callable[[Any], bool] | None:
    rule = getattr(view_func, "access_rule", None)
    if rule is None:
        rule = getattr(getattr(view_func, "view_class", None), "access_rule", None)
    return rule


def allows(rule: Callable[[Any], bool], user: Any) -> bool:
    """Apply a rule: a `rules` predicate (tested with one argument) or a plain function of the user."""
    test = getattr(rule, "test", None)
    return bool(test(user) if test is not None else rule(user))


# Namespaces whose views enforce their own permissions: the admin checks model permissions; the REST API
# (trygg.api) checks each view's `access_rule`/`write_rule` in `trygg.api.permissions.RolePermission`, after
# its own authentication (an API key), and refuses a view without a rule just as this middleware does.
SELF_GUARDED_NAMESPACES = frozenset({"admin", "api"})


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        match = request.resolver_match
        if match is not None and SELF_GUARDED_NAMESPACES & set(match.namespaces):
            return None
        rule = rule_of(view_func)
        if rule is None:
            logger.error(
                "View %s has no access rule; refusing %s", getattr(match, "view_name", view_func), request.path
            )
            raise PermissionDenied
        if allows(rule, request.user):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
