"""Logins, logouts, failed logins, lockouts and password changes in the change log.

Django's auth signals (`user_logged_in`, `user_logged_out`, `user_login_failed`) and django-axes'
`user_locked_out` each write one named event about the account. A failed login for a user name that
has no account is logged about that name (no object id). The address is the one django-axes uses.
The password itself, or its hash, is never logged; a change of it is the event "user.password_changed".
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest

from trygg.core.audit import record_event

# How long a tried user name may be in the log (the field it is kept in is 150 characters).
_NAME_LENGTH = 150


def _address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", "") or request.META.get("REMOTE_ADDR", "")


def _account(username: str) -> Any:
    """The account with `username`, or an unsaved stand-in carrying the name (for the log only)."""
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    return user if user is not None else model(**{model.USERNAME_FIELD: username[:_NAME_LENGTH]})


def logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_event(user, "user.logged_in", {"address": _address(request)}, user=user)


def logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(user, "user.logged_out", {"address": _address(request)}, user=user)


def login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Django has already masked the password in `credentials`; only the user name is kept.
    username = str(credentials.get("username", ""))[:_NAME_LENGTH]
    record_event(_account(username), "user.login_failed", {"username": username, "address": _address(request)})


def locked_out(sender: Any, request: HttpRequest | None, username: str, ip_address: str, **kwargs: Any) -> None:
    username = str(username or "")[:_NAME_LENGTH]
    record_event(_account(username), "user.locked_out", {"username": username, "address": ip_address or ""})


def _remember_password(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    instance._audit_password = sender._base_manager.filter(pk=instance.pk).values_list("password", flat=True).first()


def _password_changed(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    before = getattr(instance, "_audit_password", None)
    if raw or created or before is None or before == instance.password:
        return
    instance._audit_password = instance.password
    record_event(instance, "user.password_changed", {"usable": instance.has_usable_password()})


def connect_signals() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(logged_in, dispatch_uid="trygg_audit_logged_in")
    user_logged_out.connect(logged_out, dispatch_uid="trygg_audit_logged_out")
    user_login_failed.connect(login_failed, dispatch_uid="trygg_audit_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="trygg_audit_locked_out")
    user_model = get_user_model()
    pre_save.connect(_remember_password, sender=user_model, dispatch_uid="trygg_audit_password_pre")
    post_save.connect(_password_changed, sender=user_model, dispatch_uid="trygg_audit_password_post")
