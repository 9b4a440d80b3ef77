"""Logins, failed logins, lockouts, role and permission changes are in the change log (issue 15, item 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from trygg.core.audit import EVENTS, audit_context
from trygg.core.history import changes_for, describe
from trygg.core.models import ObjectChange

pytestmark = pytest.mark.django_db

LOGIN = "/konto/logga-in/"
USER_TYPE = lambda: ContentType.objects.get_for_model(User)  # noqa: E731


def events(name: str) -> list[ObjectChange]:
    return list(ObjectChange.objects.filter(event=name).order_by("pk"))


def test_a_login_and_a_logout_are_logged_as_the_user(demo_users):
    client = Client()
    client.post(LOGIN, {"username": "handlaggare", "password": "trygg-handlaggare"})
    [login] = events("user.logged_in")
    assert (login.user, login.user_name, login.changed_object_id) == (
        demo_users["officer"],
        "handlaggare",
        str(demo_users["officer"].pk),
    )
    assert login.postchange_data == {"address": "127.0.0.1"}
    client.post("/konto/logga-ut/")
    [logout] = events("user.logged_out")
    assert logout.user == demo_users["officer"]
    # The log never holds a password or its hash.
    assert "trygg-handlaggare" not in str(login.postchange_data)


def test_failed_logins_are_logged_for_known_and_unknown_names_and_the_lockout_too(demo_users, settings):
    client = Client()
    client.post(LOGIN, {"username": "ingen-sadan", "password": "x"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "lasare", "password": "fel-lösenord"})
    failed = events("user.login_failed")
    assert failed[0].changed_object_id == "" and failed[0].object_repr == "ingen-sadan"
    assert failed[1].changed_object_id == str(demo_users["reader"].pk)
    assert all(e.postchange_data["username"] in {"ingen-sadan", "lasare"} for e in failed)
    assert "fel-lösenord" not in str([e.postchange_data for e in failed])
    # Locked out by address (5 failures from 127.0.0.1) and then by user name.
    lockouts = events("user.locked_out")
    assert lockouts and lockouts[-1].postchange_data == {"username": "lasare", "address": "127.0.0.1"}


def test_role_changes_from_either_side_and_permission_changes_are_logged(demo_users):
    user = demo_users["reader"]
    officers = Group.objects.order_by("pk").first()  # a role group, synced after migrate
    with audit_context(user=demo_users["admin"], source="command:test"):
        user.groups.add(officers)
        officers.user_set.remove(user)
        officers.permissions.add(Permission.objects.get(codename="view_objectchange"))
    user_changes = ObjectChange.objects.filter(changed_object_type=USER_TYPE(), changed_object_id=str(user.pk))
    added, removed = list(user_changes.order_by("pk"))[-1], None
    assert officers.pk in added.postchange_data["groups"] and officers.pk not in added.prechange_data["groups"]
    group_changes = list(changes_for(officers))
    removed = next(c for c in group_changes if "user_set" in (c.postchange_data or {}))
    assert user.pk in removed.prechange_data["user_set"] and user.pk not in removed.postchange_data["user_set"]
    assert any("permissions" in (c.postchange_data or {}) and c.action == "update" for c in group_changes)
    assert all(c.user_name == "admin" for c in [added, removed])


def test_creating_and_deleting_a_user_in_the_admin_is_logged_without_the_password(client_for, demo_users):
    admin = client_for("admin")
    response = admin.post(
        "/admin/auth/user/add/",
        {
            "username": "ny-person",
            "password1": "Ett-långt-lösen-123",
            "password2": "Ett-långt-lösen-123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(username="ny-person")
    created = ObjectChange.objects.get(changed_object_type=USER_TYPE(), changed_object_id=str(new.pk), action="create")
    assert created.source == "admin" and created.user_name == "admin"
    assert "password" not in created.postchange_data
    page = admin.get(f"/admin/auth/user/{new.pk}/history/").content.decode()
    assert "ny-person" in page and "Ändringshistorik" in page
    admin.post(f"/admin/auth/user/{new.pk}/delete/", {"post": "yes"})
    assert ObjectChange.objects.filter(
        changed_object_type=USER_TYPE(), changed_object_id=str(new.pk), action="delete"
    ).exists()


def test_a_password_change_is_an_event_without_the_hash(demo_users):
    user = demo_users["dpo"]
    user.set_password("Nytt-lösen-456")
    user.save()
    [change] = events("user.password_changed")
    assert change.changed_object_id == str(user.pk) and change.postchange_data == {"usable": True}


def test_every_new_event_has_a_swedish_label_and_reads_on_the_history_page(demo_users):
    Client().post(LOGIN, {"username": "admin", "password": "fel"})
    [row] = describe(events("user.login_failed"))
    assert row.title == "Misslyckad inloggning" == str(EVENTS["user.login_failed"])
