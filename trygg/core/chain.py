"""The change log's hash chain, as pure functions (no Django): canonical form, entry hash, first broken link.

Each change-log entry stores `previous_hash` (the hash of the entry before it, "" for the first) and
`entry_hash` = SHA-256 (FIPS 180-4) over the canonical serialisation of its fields including
`previous_hash`. Editing an entry changes its hash; deleting one leaves the next entry pointing at a
hash no remaining entry has; so `first_break` finds both. The same idea as a Merkle–Damgård style
hash chain in append-only logs (Schneier & Kelsey, "Secure audit logs to support computer forensics",
ACM TISSEC 2(2), 1999).

Canonical serialisation: JSON with sorted keys, no spaces, UTF-8; times as UTC ISO 8601 with
microseconds; floats with a whole value written as integers, because PostgreSQL's jsonb gives back
`1e20` as the integer 100000000000000000000 and the hash must not depend on the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The fields of an entry that the hash covers (the JSON sorts them). Not the user's id: deleting an account
# sets it to NULL (the name is kept and hashed).
HASHED_FIELDS = (
    "time",
    "user_name",
    "request_id",
    "source",
    "action",
    "event",
    "changed_object_type_id",
    "changed_object_id",
    "related_object_type_id",
    "related_object_id",
    "object_repr",
    "message",
    "prechange_data",
    "postchange_data",
    "previous_hash",
)


def _plain(value: Any) -> Any:
    """`value` as JSON-native data that reads the same from SQLite and PostgreSQL (see the module)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a change-log entry")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def canonical(entry: Mapping[str, Any]) -> bytes:
    """The bytes hashed for `entry` (a mapping with every name in HASHED_FIELDS).

    Raises KeyError when a field is missing and ValueError for a naive datetime.
    """
    data = {name: _plain(entry[name]) for name in HASHED_FIELDS}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: Mapping[str, Any]) -> str:
    """The SHA-256 of `canonical(entry)` as 64 lower-case hex digits (`entry["previous_hash"]` included)."""
    return hashlib.sha256(canonical(entry)).hexdigest()


# What is wrong at a broken link.
CONTENT = "content"  # the entry's fields do not give its stored hash: it was edited
LINK = "link"  # the entry does not point at the hash of the entry before it: one was removed or edited
HEAD = "head"  # the last entry is not the one the chain head names: entries at the end were removed


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold: which entry (id, time), what kind, expected vs found hash."""

    entry_id: Any
    time: Any
    kind: str
    expected: str
    found: str


@dataclass(frozen=True)
class Result:
    """A verification's outcome: how many entries were read and the first break (None: the chain is whole)."""

    entries: int
    first_break: Break | None
    last_hash: str

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify(entries: Iterable[Mapping[str, Any]], head: tuple[Any, str] | None = None) -> Result:
    """Walk `entries` (mappings with "id", "entry_hash" and HASHED_FIELDS, in chain order) to the first break.

    `head` is (last id, last hash) as the chain head records it, or None when none is recorded; it
    catches entries removed from the end. Stops at the first break; `entries` counts those read.
    """
    previous = ""
    count = 0
    last_id = None
    for entry in entries:
        count += 1
        if entry["previous_hash"] != previous:
            return Result(count, Break(entry["id"], entry["time"], LINK, previous, entry["previous_hash"]), previous)
        computed = entry_hash(entry)
        if computed != entry["entry_hash"]:
            return Result(count, Break(entry["id"], entry["time"], CONTENT, computed, entry["entry_hash"]), previous)
        previous = entry["entry_hash"]
        last_id = entry["id"]
    if head is not None and (head[0] != last_id or head[1] != previous):
        return Result(count, Break(head[0], None, HEAD, head[1], previous), previous)
    return Result(count, None, previous)
