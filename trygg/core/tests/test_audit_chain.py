"""The change log's hash chain: an entry edited or removed past the application (SQL) is found.

Runs on SQLite and PostgreSQL (DATABASE_URL=postgres://… pytest this file).
"""

import copy
import datetime as dt
import hashlib
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from trygg.core import chain
from trygg.core.audit import audit_context, verify_chain
from trygg.core.models import AuditVerification, ChainHead, ObjectChange
from trygg.sites.models import Site


def test_the_sql_names_the_change_log_table():
    assert ObjectChange._meta.db_table == "core_objectchange"


def test_the_hash_is_sha256_of_the_canonical_bytes():
    # FIPS 180-2, appendix B.1: SHA-256("abc").
    assert hashlib.sha256(b"abc").hexdigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    entry = {name: "" for name in chain.HASHED_FIELDS}
    entry.update(
        time=dt.datetime(2024, 10, 29, 13, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        request_id=uuid.UUID(int=1),
        changed_object_type_id=7,
        related_object_type_id=None,
        prechange_data=None,
        postchange_data={"b": 2.0, "a": [1, "å"]},
    )
    # Written out by hand: keys sorted, no spaces, UTC time, 2.0 as 2, å as UTF-8.
    expected = (
        '{"action":"","changed_object_id":"","changed_object_type_id":7,"event":"","message":"",'
        '"object_repr":"","postchange_data":{"a":[1,"å"],"b":2},"prechange_data":null,"previous_hash":"",'
        '"related_object_id":"","related_object_type_id":null,"request_id":"00000000-0000-0000-0000-000000000001",'
        '"source":"","time":"2024-10-29T12:05:00.000000Z","user_name":""}'
    ).encode()
    assert chain.canonical(entry) == expected
    assert chain.entry_hash(entry) == hashlib.sha256(expected).hexdigest()


def _chain_of(messages):
    entries, previous = [], ""
    for number, message in enumerate(messages, start=1):
        entry = {name: "" for name in chain.HASHED_FIELDS}
        entry.update(
            id=number,
            time=dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=number),
            message=message,
            prechange_data=None,
            postchange_data={"n": number},
            previous_hash=previous,
        )
        entry["entry_hash"] = previous = chain.entry_hash(entry)
        entries.append(entry)
    return entries, (len(entries), previous) if entries else (None, "")


@given(st.lists(st.text(max_size=5), min_size=1, max_size=8), st.data())
def test_any_edit_or_removal_is_found_at_its_place(messages, data):
    entries, head = _chain_of(messages)
    assert chain.verify(entries, head).ok
    index = data.draw(st.integers(0, len(entries) - 1))
    field = data.draw(st.sampled_from(["message", "postchange_data", "time", "entry_hash"]))
    edited = copy.deepcopy(entries)
    edited[index][field] = (
        {"x": 1}
        if field == "postchange_data"
        else (edited[index][field] + dt.timedelta(microseconds=1) if field == "time" else edited[index][field] + "!")
    )
    found = chain.verify(edited, head).first_break
    # An edited stored hash no longer matches the entry's content either.
    assert found is not None and (found.kind, found.entry_id) == (chain.CONTENT, index + 1)
    removed = entries[:index] + entries[index + 1 :]
    gap = chain.verify(removed, head).first_break
    assert gap is not None and gap.kind == (chain.LINK if index + 1 < len(entries) else chain.HEAD)


@pytest.fixture
def logged(db, demo_users):
    """Three fresh entries at the end of the log (the demo's own come before)."""
    site = Site.objects.get(name="Kvisthamraskolan")
    with audit_context(user=demo_users["officer"], source="command:test"):
        for address in ["A-gatan 1", "B-gatan 2", "C-gatan 3"]:
            site.address = address
            site.save()
    return list(ObjectChange.objects.order_by("-pk")[:3])[::-1]


def test_the_demo_log_and_new_entries_form_a_whole_chain(logged):
    assert [e.previous_hash for e in logged[1:]] == [e.entry_hash for e in logged[:-1]]
    head = ChainHead.objects.get(pk=1)
    assert (head.last_entry_id, head.last_hash) == (logged[-1].pk, logged[-1].entry_hash)
    verification = verify_chain("test")
    assert verification.ok and verification.entries == ObjectChange.objects.count() - 1  # the event came after
    assert "kedjan hel" in verification.summary()


def test_a_direct_sql_update_is_found_at_that_entry(logged):
    target = logged[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_objectchange SET user_name = %s WHERE id = %s", ["någon annan", target.pk])
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify", stdout=out, stderr=err)
    assert exited.value.code == 1
    verification = AuditVerification.objects.order_by("-pk").first()
    assert not verification.ok and verification.kind == chain.CONTENT
    assert verification.broken_entry_id == target.pk
    assert f"Post {target.pk} " in err.getvalue() and "har ändrats" in err.getvalue()


def test_a_direct_sql_delete_is_found_at_the_next_entry(logged):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_objectchange WHERE id = %s", [logged[1].pk])
    verification = verify_chain("test")
    assert not verification.ok and verification.kind == chain.LINK
    assert verification.broken_entry_id == logged[2].pk
    assert "tagits bort" in verification.summary()


def test_removing_the_last_entries_is_found_at_the_head(logged):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_objectchange WHERE id = %s", [logged[2].pk])
    verification = verify_chain("test")
    assert not verification.ok and verification.kind == chain.HEAD
    assert verification.broken_entry_id == logged[2].pk


def test_the_command_passes_on_a_whole_chain_and_is_recorded(logged):
    out = io.StringIO()
    call_command("audit", "verify", "--by", "revisorn", stdout=out)
    verification = AuditVerification.objects.order_by("-pk").first()
    assert verification.ok and verification.checked_by == "revisorn"
    assert out.getvalue().strip() == verification.summary()
    event = ObjectChange.objects.order_by("-pk").first()
    assert event.event == "audit.verified" and event.postchange_data["ok"] is True


def test_writers_take_the_chain_lock(logged):
    site = Site.objects.get(name="Kvisthamraskolan")
    with CaptureQueriesContext(connection) as queries:
        site.address = "D-gatan 4"
        site.save()
    locks = [q["sql"] for q in queries.captured_queries if "core_chainhead" in q["sql"].lower()]
    assert locks, "the chain head is read when an entry is written"
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in locks[0].upper()
