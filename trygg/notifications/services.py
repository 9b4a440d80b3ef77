"""The shell around `selection`: what each user may be reminded of, the e-mail, and the daily run.

Deadlines, reviews of assessments and sign inspections come from `trygg.programme.services.deadlines_for`
(the same list as /uppfoljning/tidsfrister/ and the calendar feed, so nothing is computed twice); the
DPO's queue is the documents whose status is "submitted". A run sends one e-mail per user, writes
the sent-log rows in the same transaction as the decision to send, and goes on to the next user
when one user's e-mail fails.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from trygg.core import roles
from trygg.core.roles import Role
from trygg.notifications import selection
from trygg.notifications.choices import ReminderKind
from trygg.notifications.models import ReminderPreference, SentReminder
from trygg.notifications.selection import ReminderItem
from trygg.programme import services as programme_services
from trygg.programme.choices import DeadlineKind

logger = logging.getLogger("trygg.notifications")

DEADLINE_KIND_TO_REMINDER = {
    DeadlineKind.ASSESSMENT_REVIEW: selection.REVIEWS,
    DeadlineKind.SIGN_INSPECTION: selection.SIGN_INSPECTIONS,
}


#
# Who may get what
#


def allowed_kinds(user: Any) -> list[str]:
    """The kinds of reminder `user`'s roles may see, in the order of `selection.KINDS`.

    Deadlines for every role (the administration contact only its own administration's, see
    `candidate_items`); reviews and sign inspections for those who may open assessments and signs
    (admin, officer, DPO — not readers or contacts); the queue for those who decide (DPO, admin).
    """
    kinds = set()
    if roles.has_role.test(user):
        kinds.add(selection.DEADLINES)
    if roles.sees_all_sites.test(user):
        kinds |= {selection.REVIEWS, selection.SIGN_INSPECTIONS}
    if roles.roles_of(user) & {Role.ADMIN, Role.DPO}:
        kinds.add(selection.QUEUE)
    return [kind for kind in selection.KINDS if kind in kinds]


def default_kinds(user: Any) -> list[str]:
    """What a new user starts with: the officer (and admin) deadlines, reviews and sign inspections,
    the DPO the queue and reviews, other roles their deadlines."""
    user_roles = roles.roles_of(user)
    if user_roles & {Role.ADMIN, Role.OFFICER}:
        wanted = {selection.DEADLINES, selection.REVIEWS, selection.SIGN_INSPECTIONS}
    elif Role.DPO in user_roles:
        wanted = {selection.QUEUE, selection.REVIEWS}
    else:
        wanted = {selection.DEADLINES}
    return [kind for kind in allowed_kinds(user) if kind in wanted]


def default_preference(user: Any) -> ReminderPreference:
    """An unsaved preference with the role's default kinds and the model's default days."""
    preference = ReminderPreference(user=user)
    for kind in default_kinds(user):
        setattr(preference, kind, True)
    return preference


def effective_choice(preference: ReminderPreference) -> dict[str, int]:
    """The user's chosen kinds, limited to what the user's roles may see now (roles can change)."""
    allowed = set(allowed_kinds(preference.user))
    return {kind: days for kind, days in preference.chosen().items() if kind in allowed}


#
# What there is to remind of
#


def absolute_url(path: str) -> str:
    """`path` on the address users reach Trygg at (setting TRYGG_BASE_URL)."""
    return settings.TRYGG_BASE_URL.rstrip("/") + path


def _reverse(name: str, args: list[Any] | None = None) -> str | None:
    # Some pages come from other parts of the work (the documents and records pages); until they
    # are there, the link falls back to a page that exists.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _deadline_link(item: programme_services.DeadlineItem, user: Any) -> str:
    deadlines_page = reverse("programme:deadlines")
    if item.source == "compliance.impactassessment":
        return reverse("compliance:impact_assessment", args=[item.source_pk])
    if item.source == "compliance.childrightsassessment":
        return _reverse("compliance:child_rights_detail", [item.source_pk]) or deadlines_page
    if item.source == "compliance.sign":
        edit = _reverse("compliance:sign_edit", [item.source_pk]) if roles.edits_register.test(user) else None
        if edit:
            return edit
        return reverse("sites:detail", args=[item.site_pk]) if item.site_pk else deadlines_page
    return deadlines_page


def deadline_items(user: Any, start: dt.date, end: dt.date) -> list[ReminderItem]:
    """Deadlines, reviews and sign inspections `user` may see from `start` to `end`, not done."""
    contact_only = not roles.sees_everything(user) and Role.ADMINISTRATION_CONTACT in roles.roles_of(user)
    items = []
    for item in programme_services.deadlines_for(user, start, end):
        if item.done:
            continue
        # The administration contact is reminded only of its own administration's deadlines, not of
        # the programme's general ones (board meetings), which carry no site.
        if contact_only and item.site_pk is None:
            continue
        # The site and place, unless the title already names them ("Se över … för Stora torget").
        detail = ", ".join(part for part in [item.site, item.location] if part and part not in item.title)
        items.append(
            ReminderItem(
                key=item.uid.removesuffix("@trygg"),
                kind=DEADLINE_KIND_TO_REMINDER.get(item.kind, selection.DEADLINES),
                title=item.title,
                due_on=item.due_on,
                url=absolute_url(_deadline_link(item, user)),
                detail=detail,
            )
        )
    return items


def _waiting_since(document: Any) -> dt.date:
    """The day a document was submitted for decision (the day of its last change for an old row without one)."""
    return timezone.localdate(document.submitted_at or document.updated_at)


def queue_items(user: Any) -> list[ReminderItem]:
    """The versions that wait for the DPO's advice or decision, as `user` may see them (3 queries)."""
    from trygg.compliance.choices import DocumentStatus
    from trygg.compliance.documents import KINDS

    items = []
    for kind in KINDS.values():
        model = kind.model
        model_name = model._meta.model_name
        related = ["camera__site"] if model_name == "surveillanceassessment" else ["site"]
        waiting = model.objects.filter(status=DocumentStatus.SUBMITTED).select_related(*related)
        for document in roles.scope_queryset(user, waiting):
            link = reverse("compliance:decision", args=[kind.slug, document.pk])
            site = document.camera.site if model_name == "surveillanceassessment" and document.camera_id else None
            site = site or getattr(document, "site", None)
            items.append(
                ReminderItem(
                    key=f"queue-{model_name}-{document.pk}",
                    kind=selection.QUEUE,
                    title=str(document),
                    due_on=_waiting_since(document),
                    url=absolute_url(link),
                    detail=site.name if site and site.name not in str(document) else "",
                )
            )
    return items


def candidate_items(user: Any, chosen: dict[str, int], today: dt.date) -> list[ReminderItem]:
    """Everything that may go into `user`'s reminder on `today` for the chosen kinds (before the log)."""
    items: list[ReminderItem] = []
    if any(kind in chosen for kind in selection.WINDOW_KINDS):
        items += deadline_items(user, today, selection.horizon(chosen, today))
    if selection.QUEUE in chosen:
        items += queue_items(user)
    return items


def pending_for(preference: ReminderPreference, today: dt.date) -> list[ReminderItem]:
    """What the next run on `today` would send `preference.user`: chosen, due, not yet sent."""
    chosen = effective_choice(preference)
    if not chosen:
        return []
    items = candidate_items(preference.user, chosen, today)
    sent = SentReminder.objects.filter(user=preference.user, item_key__in={i.key for i in items}).values_list(
        "item_key", "due_on"
    )
    return selection.select(items, chosen, today, sent)


#
# The e-mail
#


def kind_label(kind: str) -> str:
    return str(ReminderKind(kind).label)


def build_message(user: Any, items: list[ReminderItem], today: dt.date) -> EmailMultiAlternatives:
    """One e-mail (text and HTML) listing `items` per kind, in the active language."""
    queue_page = _reverse("compliance:queue")
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "today": today,
        "groups": [(kind_label(kind), kind, group) for kind, group in selection.grouped(items)],
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        "queue_url": absolute_url(queue_page) if queue_page else "",
        "deadlines_url": absolute_url(reverse("programme:deadlines")),
    }
    subject = ngettext(
        "Trygg: %(count)s påminnelse den %(date)s", "Trygg: %(count)s påminnelser den %(date)s", len(items)
    ) % {"count": len(items), "date": today.isoformat()}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/reminders.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        # RFC 3834: an automatic message, so out-of-office replies are not sent back.
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("notifications/email/reminders.html", context), "text/html")
    return message


#
# The daily run
#


@dataclass
class Outcome:
    """What happened for one user in a run."""

    username: str
    email: str
    items: list[ReminderItem] = field(default_factory=list)
    error: str = ""
    already_sent_by_another_run: bool = False


@dataclass
class RunReport:
    on: dt.date
    dry_run: bool
    sent: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    without_address: list[Outcome] = field(default_factory=list)


def send_reminders(today: dt.date, dry_run: bool = False, progress: Callable[[str], None] | None = None) -> RunReport:
    """Send each user with reminders due on `today` one e-mail, and log each reminder sent.

    Per user, the log rows and the e-mail are one transaction: if sending fails, the rows are
    rolled back and the next run tries again; if another run logged the same reminders first (the
    unique key), this run leaves that user alone. A failure for one user is reported and the run
    goes on. With `dry_run` nothing is sent or written. `progress` gets one line per user with
    something to report.
    """
    report = RunReport(on=today, dry_run=dry_run)
    preferences = ReminderPreference.objects.select_related("user").filter(user__is_active=True)
    for preference in preferences.order_by("user__username"):
        outcome = _remind(preference, today, dry_run)
        if outcome.error:
            report.failed.append(outcome)
        elif not outcome.items:
            continue
        elif not outcome.email:
            report.without_address.append(outcome)
        else:
            report.sent.append(outcome)
        if progress is not None:
            progress(describe(outcome, dry_run))
    return report


def _remind(preference: ReminderPreference, today: dt.date, dry_run: bool) -> Outcome:
    user = preference.user
    outcome = Outcome(user.get_username(), user.email)
    with translation.override(preference.language or settings.LANGUAGE_CODE):
        try:
            with transaction.atomic():
                outcome.items = pending_for(preference, today)
                if outcome.items and user.email and not dry_run:
                    SentReminder.objects.bulk_create(
                        SentReminder(
                            user=user,
                            kind=item.kind,
                            item_key=item.key,
                            due_on=item.due_on,
                            title=item.title[:300],
                            run_on=today,
                        )
                        for item in outcome.items
                    )
                    build_message(user, outcome.items, today).send()
        except IntegrityError:
            # Another run logged these reminders first and sends them; nothing more to do here.
            outcome.items, outcome.already_sent_by_another_run = [], True
        except Exception as error:
            # Whatever fails for one user (SMTP refusing, a timeout) must not stop the others.
            outcome.error = f"{type(error).__name__}: {error}"
            logger.warning("Reminder e-mail to %s failed: %s", user.get_username(), outcome.error)
    return outcome


def describe(outcome: Outcome, dry_run: bool) -> str:
    """One line about a user's outcome for the command's output (in the active language)."""
    values = {"user": outcome.username, "email": outcome.email or "–", "count": len(outcome.items)}
    if outcome.error:
        return gettext("%(user)s <%(email)s>: kunde inte skickas: %(error)s") % {**values, "error": outcome.error}
    if not outcome.email:
        return (
            ngettext(
                "%(user)s: %(count)s påminnelse, men ingen e-postadress är angiven",
                "%(user)s: %(count)s påminnelser, men ingen e-postadress är angiven",
                len(outcome.items),
            )
            % values
        )
    if dry_run:
        return (
            ngettext(
                "%(user)s <%(email)s>: skulle få %(count)s påminnelse",
                "%(user)s <%(email)s>: skulle få %(count)s påminnelser",
                len(outcome.items),
            )
            % values
        )
    return (
        ngettext(
            "%(user)s <%(email)s>: %(count)s påminnelse skickad",
            "%(user)s <%(email)s>: %(count)s påminnelser skickade",
            len(outcome.items),
        )
        % values
    )
