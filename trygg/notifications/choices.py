"""The kinds of e-mail reminder a user can choose, with Swedish labels and colours."""

from django.utils.translation import gettext_lazy as _

from trygg.core.choices import ColouredChoices, with_colours


class ReminderKind(ColouredChoices):
    """What a reminder is about; the values are the kinds of `trygg.notifications.selection`."""

    DEADLINES = "deadlines", _("Tidsfrister")
    REVIEWS = "reviews", _("Översyn av bedömningar")
    SIGN_INSPECTIONS = "sign_inspections", _("Inspektion av skyltar")
    QUEUE = "queue", _("Väntar på dataskyddsombudets råd eller beslut")


with_colours(ReminderKind, {"deadlines": "purple", "reviews": "orange", "sign_inspections": "orange", "queue": "red"})
