"""Whole-programme exports written once per state of the data, then served as they are (issue 15).

A full export (every camera as CSV, the map's GeoJSON without a view, the 10 § register as CSV) grows
with the number of cameras however it is written. It is therefore kept in the "exports" cache under a
key made of what decides its content:

- the export's name and its query (filters, date), sorted;
- the user's scope: roles and, for a user who does not see everything, the administrations;
- the active language (labels and headers are translated);
- the *data stamp* (`data_stamp`): today's local date, the last data change in the change log (creates,
  updates and deletes; events such as downloads are not changes), and the newest computed coverage and
  stored checklist, which are written in bulk without a change log entry of their own.

Any save or delete of a record an export reads writes a change log entry, so the stamp moves and the
next request writes the export again. The stamp is read before the export is built: data changed
during the build gives a newer stamp at the next request, never an old stamp on newer data.

Downloads are still logged by the views on every request (`trygg.core.audit.log_download`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from django.core.cache import caches
from django.db.models import Max
from django.utils import timezone, translation

from trygg.core import roles

CACHE = "exports"


def data_stamp() -> str:
    """What the exports' content depends on, as a short string (four indexed queries).

    "<local date>:<last change id>:<newest coverage computed>:<newest checklist computed>".
    """
    from trygg.cameras.models import Camera
    from trygg.compliance.models import StoredChecklist
    from trygg.core.models import ObjectChange

    last_change = (
        ObjectChange.objects.exclude(action=ObjectChange.Action.EVENT).order_by("-pk").values_list("pk", flat=True)[:1]
    )
    coverage = Camera.objects.aggregate(at=Max("coverage_computed_at"))["at"]
    checklists = StoredChecklist.objects.aggregate(at=Max("computed_at"))["at"]
    parts = [timezone.localdate().isoformat(), next(iter(last_change), 0), coverage, checklists]
    return ":".join(str(part.isoformat() if hasattr(part, "isoformat") else part) for part in parts)


def kept_value(name: str, build: Callable[[], Any], timeout: int) -> Any:
    """A value computed from the data (a count, a list of rows), kept in the default cache under `name` and
    the data stamp for `timeout` seconds: never older than the data, since any change gives another key. The
    stamp is read before `build` runs, as for the exports. Raises whatever `build` raises (nothing kept)."""
    key = f"kept:{name}:{data_stamp()}"
    value = caches["default"].get(key)
    if value is None:
        value = build()
        caches["default"].set(key, value, timeout=timeout)
    return value


def scope_of(user: Any) -> str:
    """The part of the key that says what `user` may see: roles, and administrations unless everything."""
    names = sorted(str(role) for role in roles.roles_of(user))
    if roles.sees_everything(user):
        return ",".join(names) + "|*"
    return ",".join(names) + "|" + ",".join(str(pk) for pk in sorted(roles.administration_ids(user)))


def key_for(name: str, user: Any, query: Mapping[str, list[str]], stamp: str) -> str:
    """The cache key of export `name` for `user` with the request's query (a QueryDict's lists)."""
    params = "&".join(f"{k}={v}" for k in sorted(query) for v in sorted(query[k]))
    # Hashed: a query is any text a client sends, and a cache key must stay short and plain (memcached
    # refuses keys over 250 characters or with control characters).
    digest = hashlib.sha256(params.encode("utf-8", "surrogatepass")).hexdigest()
    return f"export:{name}:{scope_of(user)}:{translation.get_language()}:{digest}:{stamp}"


def public_key_for(name: str, stamp: str) -> str:
    """The cache key of public export `name`: the same file for every visitor, whatever the query."""
    return f"export:{name}:public:{translation.get_language()}:{stamp}"


def get_or_build(
    name: str, request: Any, build: Callable[[], tuple[bytes, dict[str, Any]]], *, public: bool = False
) -> tuple[bytes, dict]:
    """The export `name` for the request's user and query: (body, details for the download log).

    `build()` gives the same pair; it runs only when the data, the scope, the language or the query
    differ from every export kept. With `public`, the file is the same for everyone and ignores the
    query, so neither logging in nor made-up parameters make another copy (the open data). Raises
    whatever `build` raises (nothing is kept then).
    """
    stamp = data_stamp()  # before the build: see the module's docstring
    key = public_key_for(name, stamp) if public else key_for(name, request.user, dict(request.GET.lists()), stamp)
    cache = caches[CACHE]
    kept = cache.get(key)
    if kept is None:
        kept = build()
        cache.set(key, kept, timeout=None)
    return kept
