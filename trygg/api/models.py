"""API keys (API-nycklar): a user's named tokens for the REST API, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.core.models import AuditedModel

# Every key starts with this, so a leaked key is recognisable in logs and by secret scanners.
TOKEN_PREFIX = "trygg_"  # noqa: S105 -- a public prefix, not a secret


def hash_key(key: str) -> str:
    """SHA-256 of the key as 64 hex characters. A random 256-bit key needs no slow password hash."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(AuditedModel):
    """An API-nyckel: lets a program act as its user through the REST API, with that user's roles.

    The key is shown once when it is created; only its SHA-256 hash and its first characters (to tell keys
    apart) are kept. A revoked key is kept for the change log but never accepted again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("namn"), max_length=100, help_text=_("Vad nyckeln används till, t.ex. GIS-enhetens QGIS.")
    )
    key_hash = models.CharField(_("kontrollsumma för nyckeln"), max_length=64, unique=True, editable=False)
    key_start = models.CharField(_("nyckelns början"), max_length=16, editable=False)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True, editable=False)

    # last_used_at changes on every request and is written with update(); the hash is never logged.
    audit_exclude = ("created_at", "updated_at", "last_used_at", "key_hash")

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("API-nyckel ”%(name)s” för %(user)s") % {"name": self.name, "user": self.user}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """Create a key for `user` named `name`; returns the row and the key, which is never shown again."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_key(key), key_start=key[: len(TOKEN_PREFIX) + 4])
        return token, key

    def revoke(self) -> None:
        """Refuse the key from now on (logged as a change)."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at", "updated_at"])
