"""Demo users' reminder choices: each role's defaults (officer: deadlines, reviews, sign inspections;
DPO: the queue and reviews), created once and never overwritten by loading again."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from trygg.notifications.models import ReminderPreference
from trygg.notifications.services import default_preference


def load_notification_demo(usernames: list[str]) -> None:
    for user in get_user_model().objects.filter(username__in=usernames):
        if not ReminderPreference.objects.filter(user=user).exists():
            default_preference(user).save()
