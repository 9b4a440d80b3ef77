"""E-mail reminders from the demo data: who gets what, the daily command, and the e-mail itself.

Dates are hand-made in 2030, after everything in the demo, so only the rows made here fall in the windows.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from trygg.compliance.choices import DocumentStatus
from trygg.compliance.models import ImpactAssessment, Sign, SurveillanceAssessment
from trygg.notifications import services
from trygg.notifications.models import ReminderPreference, SentReminder
from trygg.programme.models import Deadline
from trygg.sites.models import Site

TODAY = dt.date(2030, 1, 10)
BASE = "https://trygg.kommun.example"
ALL_KINDS = {"deadlines": True, "reviews": True, "sign_inspections": True, "queue": True}


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def dated_things(db):
    """Three deadlines (own administration's school, another administration's square, the whole
    programme), a DPIA review and a sign inspection, all a few days after TODAY."""
    kvisthamra = Site.objects.get(name="Kvisthamraskolan")  # BUF, the contact's administration
    torget = Site.objects.get(name="Stora torget")  # SBF
    things = {
        "school": Deadline.objects.create(kind="other", title="Dialog med skolan", due_on=day(3), site=kvisthamra),
        "square": Deadline.objects.create(kind="other", title="Möte om torget", due_on=day(4), site=torget),
        "board": Deadline.objects.create(kind="board_meeting", title="Kommunstyrelsen sammanträder", due_on=day(5)),
        "far": Deadline.objects.create(kind="submission", title="Inlämning långt fram", due_on=day(40)),
        "done": Deadline.objects.create(kind="other", title="Redan klar", due_on=day(2), done_on=day(-1)),
    }
    dpia = ImpactAssessment.objects.filter(site=torget, status="approved").get()
    ImpactAssessment.objects.filter(pk=dpia.pk).update(review_on=day(20))  # a decided version is frozen
    things["dpia"] = dpia
    # Signs are inspected every six months: installed 2029-07-13 means due 2030-01-13, three days ahead.
    things["sign"] = Sign.objects.create(
        site=torget, position="Vid entrén", text_version="2029-1", installed_on=dt.date(2029, 7, 13)
    )
    return things


def choose(user, **fields):
    values = {"deadlines": False, "reviews": False, "sign_inspections": False, "queue": False} | fields
    preference, _created = ReminderPreference.objects.update_or_create(user=user, defaults=values)
    return preference


def keys(items):
    return {item.title for item in items}


def test_each_role_gets_only_the_kinds_it_may_see(demo_users, dated_things):
    officer, contact, dpo, reader = (demo_users[r] for r in ["officer", "administration_contact", "dpo", "reader"])
    for user in [officer, contact, dpo, reader]:
        choose(user, **ALL_KINDS, deadlines_days=7, reviews_days=30, sign_inspections_days=7)
    officer_items = services.pending_for(officer.reminder_preference, TODAY)
    assert keys(officer_items) == {
        "Dialog med skolan",
        "Möte om torget",
        "Kommunstyrelsen sammanträder",
        "Se över konsekvensbedömningen för Stora torget",
        "Inspektera skyltarna vid Stora torget",
    }
    # The contact: its own administration's deadline only — not another administration's, not the
    # programme's board meeting, no reviews or signs, even with every kind ticked.
    assert keys(services.pending_for(contact.reminder_preference, TODAY)) == {"Dialog med skolan"}
    # The reader: the deadlines, but no sign inspections and no reviews of documents it may not open.
    assert keys(services.pending_for(reader.reminder_preference, TODAY)) == {
        "Dialog med skolan",
        "Möte om torget",
        "Kommunstyrelsen sammanträder",
    }
    assert services.allowed_kinds(reader) == ["deadlines"]
    assert services.allowed_kinds(dpo) == ["queue", "deadlines", "reviews", "sign_inspections"]
    assert services.allowed_kinds(officer) == ["deadlines", "reviews", "sign_inspections"]


def test_the_days_ahead_window_per_kind(demo_users, dated_things):
    officer = demo_users["officer"]
    preference = choose(officer, deadlines=True, deadlines_days=3, reviews=True, reviews_days=19)
    assert keys(services.pending_for(preference, TODAY)) == {"Dialog med skolan"}  # day 3 only; review on day 20
    preference = choose(officer, deadlines=True, deadlines_days=5, reviews=True, reviews_days=20)
    assert keys(services.pending_for(preference, TODAY)) == {
        "Dialog med skolan",
        "Möte om torget",
        "Kommunstyrelsen sammanträder",
        "Se över konsekvensbedömningen för Stora torget",
    }
    # On the day after the school deadline it is no longer reminded of; a done deadline never is.
    assert "Dialog med skolan" not in keys(services.pending_for(preference, day(4)))
    assert "Redan klar" not in keys(services.pending_for(preference, day(1)))


def test_the_demo_users_start_with_their_roles_defaults(demo_users):
    officer = ReminderPreference.objects.get(user=demo_users["officer"])
    assert (officer.deadlines, officer.reviews, officer.sign_inspections, officer.queue) == (True, True, True, False)
    dpo = ReminderPreference.objects.get(user=demo_users["dpo"])
    assert (dpo.deadlines, dpo.reviews, dpo.sign_inspections, dpo.queue) == (False, True, False, True)
    reader = ReminderPreference.objects.get(user=demo_users["reader"])
    assert reader.chosen() == {"deadlines": 7}


def submit_a_demo_document() -> ImpactAssessment:
    dpia = ImpactAssessment.objects.filter(site__name="Kvisthamraskolan").order_by("-version").first()
    ImpactAssessment.objects.filter(pk=dpia.pk).update(status=DocumentStatus.SUBMITTED, submitted_at=timezone.now())
    return dpia


def test_the_dpo_is_reminded_of_what_waits_for_advice_or_decision(demo_users, client_for):
    dpia = submit_a_demo_document()
    items = services.pending_for(ReminderPreference.objects.get(user=demo_users["dpo"]), TODAY)
    waiting = {item.key: item for item in items if item.kind == "queue"}
    # The demo's own submitted version (KVI-03's addendum) waits too.
    addendum = SurveillanceAssessment.objects.get(camera__identifier="KVI-03", status=DocumentStatus.SUBMITTED)
    assert set(waiting) == {f"queue-impactassessment-{dpia.pk}", f"queue-surveillanceassessment-{addendum.pk}"}
    item = waiting[f"queue-impactassessment-{dpia.pk}"]
    assert item.title == str(dpia) and "Kvisthamraskolan" in item.title
    assert urlsplit(item.url).path == f"/efterlevnad/beslut/konsekvensbedomningar/{dpia.pk}/"  # the decision page
    assert client_for("dpo").get(urlsplit(item.url).path).status_code == 200
    # The officer does not decide, so has no queue even when asking for it.
    officer = choose(demo_users["officer"], queue=True)
    assert services.pending_for(officer, TODAY) == []


@override_settings(TRYGG_BASE_URL=BASE)
def test_the_command_sends_one_swedish_mail_per_user_and_nothing_twice(demo_users, dated_things, client_for):
    submit_a_demo_document()
    call_command("send_reminders", date=TODAY.isoformat(), stdout=_Sink())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == len(by_recipient)  # one e-mail per user
    officer_mail = by_recipient["handlaggare@kommun.example"]
    assert officer_mail.subject == "Trygg: 5 påminnelser den 2030-01-10"
    body = officer_mail.body
    assert "Hej Hanna Handläggare!" in body
    assert "Tidsfrister" in body and "Översyn av bedömningar" in body and "Inspektion av skyltar" in body
    assert "2030-01-13: Dialog med skolan (Kvisthamraskolan)" in body
    assert "2030-01-30: Se över konsekvensbedömningen för Stora torget\n" in body
    html = officer_mail.alternatives[0][0]
    assert 'lang="sv"' in html and "Se över konsekvensbedömningen för Stora torget</a>" in html
    # Every link is absolute, on TRYGG_BASE_URL, and opens for the officer.
    links = [line.strip() for line in body.splitlines() if line.strip().startswith("https://")]
    assert len(links) >= 6
    officer = client_for("officer")
    for link in links:
        assert link.startswith(BASE + "/")
        assert officer.get(link.removeprefix(BASE)).status_code == 200, link
    dpo_mail = by_recipient["dataskydd@kommun.example"]
    assert "Väntar på dataskyddsombudets råd eller beslut" in dpo_mail.body
    assert "väntar sedan" in dpo_mail.body
    sent = SentReminder.objects.filter(user=demo_users["officer"]).count()
    assert sent == 5

    mail.outbox.clear()
    call_command("send_reminders", date=TODAY.isoformat(), stdout=_Sink())
    assert mail.outbox == []  # the same day again: nothing new
    assert SentReminder.objects.filter(user=demo_users["officer"]).count() == sent

    # The next day a new deadline appears: only that one goes out, to everyone who may see it.
    Deadline.objects.create(kind="other", title="Nytt möte", due_on=day(2))
    call_command("send_reminders", date=day(1).isoformat(), stdout=_Sink())
    officer_mails = [m for m in mail.outbox if m.to == ["handlaggare@kommun.example"]]
    assert len(officer_mails) == 1
    assert officer_mails[0].subject == "Trygg: 1 påminnelse den 2030-01-11"
    assert "Nytt möte" in officer_mails[0].body and "Dialog med skolan" not in officer_mails[0].body


def test_a_dry_run_sends_and_writes_nothing(demo_users, dated_things):
    out = _Sink()
    call_command("send_reminders", date=TODAY.isoformat(), dry_run=True, stdout=out)
    assert mail.outbox == []
    assert not SentReminder.objects.exists()
    assert "handlaggare <handlaggare@kommun.example>: skulle få 5 påminnelser" in out.text
    assert out.text.startswith("Provkörning: ingenting skickas eller sparas.")
    # A real run afterwards still has everything to send.
    call_command("send_reminders", date=TODAY.isoformat(), stdout=_Sink())
    assert any(m.to == ["handlaggare@kommun.example"] for m in mail.outbox)


class RefusesTheOfficer(LocmemBackend):
    """A mail server that refuses one recipient and delivers to the others."""

    def send_messages(self, messages):
        for message in messages:
            if "handlaggare@kommun.example" in message.to:
                raise smtplib.SMTPRecipientsRefused({"handlaggare@kommun.example": (550, b"Mailbox unavailable")})
        return super().send_messages(messages)


def test_one_failing_recipient_does_not_stop_the_others(demo_users, dated_things):
    out = _Sink()
    with (
        override_settings(EMAIL_BACKEND=f"{__name__}.RefusesTheOfficer"),
        pytest.raises(CommandError, match="1 e-postmeddelande kunde inte skickas: handlaggare"),
    ):
        call_command("send_reminders", date=TODAY.isoformat(), stdout=out)
    assert "handlaggare <handlaggare@kommun.example>: kunde inte skickas: SMTPRecipientsRefused" in out.text
    recipients = {m.to[0] for m in mail.outbox}
    assert "handlaggare@kommun.example" not in recipients
    assert {"admin@kommun.example", "lasare@kommun.example", "forvaltning@kommun.example"} <= recipients
    # Nothing is logged for the officer, so the next run (the server works again) sends it.
    assert not SentReminder.objects.filter(user=demo_users["officer"]).exists()
    mail.outbox.clear()
    call_command("send_reminders", date=TODAY.isoformat(), stdout=_Sink())
    assert [m.to for m in mail.outbox] == [["handlaggare@kommun.example"]]


def test_the_users_language_is_used(demo_users, dated_things):
    choose(demo_users["reader"], deadlines=True, language="en")
    call_command("send_reminders", date=TODAY.isoformat(), stdout=_Sink())
    reader_mail = next(m for m in mail.outbox if m.to == ["lasare@kommun.example"])
    assert reader_mail.subject == "Trygg: 3 reminders on 2030-01-10"
    assert "Deadlines" in reader_mail.body and "Tidsfrister" not in reader_mail.body
    officer_mail = next(m for m in mail.outbox if m.to == ["handlaggare@kommun.example"])
    assert "Tidsfrister" in officer_mail.body  # the others stay Swedish


def test_a_user_without_address_is_reported_and_not_logged(demo_users, dated_things):
    reader = demo_users["reader"]
    reader.email = ""
    reader.save()
    call_command("send_reminders", date=TODAY.isoformat(), stdout=_Sink(), stderr=(err := _Sink()))
    assert "Utan e-postadress (inget skickat): lasare" in err.text
    assert not SentReminder.objects.filter(user=reader).exists()


def test_a_bad_date_is_refused_in_swedish(db):
    with pytest.raises(CommandError, match="--date: 10/1 är inget datum; skriv ÅÅÅÅ-MM-DD"):
        call_command("send_reminders", date="10/1")


class _Sink:
    """A stdout that keeps what was written (call_command wraps it in an OutputWrapper)."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_the_queries_per_user_do_not_grow_with_the_number_of_things(demo_users, dated_things):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    submit_a_demo_document()
    preference = choose(demo_users["admin"], **ALL_KINDS, deadlines_days=30, reviews_days=30, sign_inspections_days=30)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            items = services.pending_for(preference, TODAY)
        return len(queries), len(items)

    count()  # the user's roles are read once and kept on the user object
    before, items_before = count()
    torget = Site.objects.get(name="Stora torget")
    for n in range(10):
        Deadline.objects.create(kind="other", title=f"Möte {n}", due_on=day(n % 7), site=torget)
        Sign.objects.create(site=torget, position=f"Skylt {n}", text_version="1", installed_on=dt.date(2029, 7, 13))
    after, items_after = count()
    assert items_after == items_before + 20
    assert after == before
