"""The page /konto/paminnelser/: each role is offered the kinds it may see, and the choice is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from trygg.notifications.models import ReminderPreference
from trygg.programme.models import Deadline

URL = "/konto/paminnelser/"
# The checkbox each kind adds to the form, and the roles that are offered it.
OFFERED = {
    "id_deadlines": {"admin", "officer", "administration_contact", "dpo", "reader"},
    "id_reviews": {"admin", "officer", "dpo"},
    "id_sign_inspections": {"admin", "officer", "dpo"},
    "id_queue": {"admin", "dpo"},
}


def test_the_named_url_is_the_agreed_address():
    assert reverse("notifications:preferences") == URL


@pytest.mark.parametrize("role", ["admin", "officer", "administration_contact", "dpo", "reader"])
def test_each_role_is_offered_only_the_kinds_it_may_see(client_for, demo_users, role):
    page = client_for(role).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Påminnelser per e-post</h1>" in html
    user = demo_users[role]
    name = user.get_full_name() or user.username
    assert f'href="{URL}" aria-current="page">{name}: påminnelser</a>' in html  # reachable from the account menu
    for field_id, roles in OFFERED.items():
        assert (f'id="{field_id}"' in html) == (role in roles), f"{field_id} for {role}"
    assert f'name="email" value="{demo_users[role].email}"' in html  # the address is shown, editable


def test_the_choice_and_the_address_are_saved(client_for, demo_users):
    officer = client_for("officer")
    response = officer.post(
        URL,
        {
            "deadlines": "on",
            "deadlines_days": "3",
            "sign_inspections": "on",
            "sign_inspections_days": "21",
            "reviews_days": "30",
            "email": "hanna.handlaggare@kommun.example",
            "language": "en",
        },
    )
    assert response.status_code == 302
    preference = ReminderPreference.objects.get(user=demo_users["officer"])
    assert preference.chosen() == {"deadlines": 3, "sign_inspections": 21}  # reviews unticked
    assert preference.language == "en"
    demo_users["officer"].refresh_from_db()
    assert demo_users["officer"].email == "hanna.handlaggare@kommun.example"
    assert "Dina val av påminnelser är sparade." in officer.get(URL).content.decode()


def test_a_kind_the_role_may_not_see_is_never_saved(client_for, demo_users):
    client_for("reader").post(
        URL,
        {
            "deadlines": "on",
            "deadlines_days": "7",
            "sign_inspections": "on",  # forged: the reader is not offered sign inspections
            "sign_inspections_days": "7",
            "queue": "on",
            "email": "lasare@kommun.example",
            "language": "sv",
        },
    )
    preference = ReminderPreference.objects.get(user=demo_users["reader"])
    assert preference.chosen() == {"deadlines": 7}


def test_bad_input_names_the_field_and_saves_nothing(client_for, demo_users):
    before = ReminderPreference.objects.get(user=demo_users["dpo"]).chosen()
    response = client_for("dpo").post(
        URL, {"queue": "on", "reviews": "on", "reviews_days": "400", "email": "", "language": "sv"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dagar i förväg: Kontrollera att detta värde är mindre än eller lika med 365." in html
    assert "E-postadress: Ange en e-postadress för att få påminnelser" in html
    assert ReminderPreference.objects.get(user=demo_users["dpo"]).chosen() == before
    demo_users["dpo"].refresh_from_db()
    assert demo_users["dpo"].email == "dataskydd@kommun.example"


def test_a_new_user_sees_the_roles_suggestion_but_gets_nothing_until_saving(client_for, demo_users):
    ReminderPreference.objects.filter(user=demo_users["dpo"]).delete()
    html = client_for("dpo").get(URL).content.decode()
    assert "Du har inte sparat några val än" in html
    assert 'id="id_queue" checked' in html and 'id="id_reviews" checked' in html
    assert 'id="id_deadlines" checked' not in html
    assert not ReminderPreference.objects.filter(user=demo_users["dpo"]).exists()


def test_the_page_shows_what_the_next_mail_would_hold(client_for, demo_users, monkeypatch):
    from django.utils import timezone

    today = dt.date(2030, 1, 10)
    monkeypatch.setattr(timezone, "localdate", lambda *args: today)
    Deadline.objects.create(kind="board_meeting", title="Kommunstyrelsen i januari", due_on=dt.date(2030, 1, 14))
    html = client_for("reader").get(URL).content.decode()
    assert "Med dina val skulle e-postmeddelandet den 2030-01-10 innehålla:" in html
    assert (
        '2030-01-14</span> <a href="http://127.0.0.1:8000/uppfoljning/tidsfrister/">Kommunstyrelsen i januari</a>'
        in html
    )
