"""Demo yearly reviews, idempotent.

KOM-01 is reviewed every March 2021–2025 (last year's noted by the DPO): due again 2026-03-15.
TORG-01 is reviewed every August 2020–2024 and SPORT-01 in October 2023, so both were in order on the
demo's date (2024-10-29) and are overdue since 2025-09-01 and 2024-11-01. TORG-02, PARK-01 (paused)
and the other cameras in operation have never been reviewed: overdue since their first anniversary.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from trygg.cameras.models import Camera

D = dt.date

# identifier: (decided on, noted on), in order; outcome "keep" with the reason below.
REVIEWS = {
    "KOM-01": [
        (D(2021, 3, 10), D(2021, 3, 22)),
        (D(2022, 3, 8), D(2022, 3, 15)),
        (D(2023, 3, 14), D(2023, 3, 20)),
        (D(2024, 3, 12), D(2024, 3, 19)),
        (D(2025, 3, 11), D(2025, 3, 18)),
    ],
    "TORG-01": [
        (D(2020, 8, 24), D(2020, 9, 2)),
        (D(2021, 8, 23), D(2021, 9, 1)),
        (D(2022, 8, 22), D(2022, 8, 30)),
        (D(2023, 8, 21), D(2023, 8, 29)),
        (D(2024, 8, 26), D(2024, 9, 3)),
    ],
    "SPORT-01": [(D(2023, 10, 23), D(2023, 10, 30))],
}
REASON = (
    "Skadegörelsen vid huvudentrén har minskat men inte upphört; kvällstid förekommer fortfarande "
    "inbrottsförsök. Bevakningen behålls oförändrad."
)
DPO_COMMENT = "Noterat. Följ upp händelseutvecklingen vid nästa omprövning."


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def load_review_demo() -> None:
    """Create the demo reviews that are missing (a second load changes nothing)."""
    from trygg.evaluation import review_services as services

    users = get_user_model().objects
    officer, dpo = users.filter(username="handlaggare").first(), users.filter(username="dataskydd").first()
    for identifier, reviews in REVIEWS.items():
        camera = Camera.objects.filter(identifier=identifier).first()
        if camera is None:
            continue
        for decided_on, noted_on in reviews:
            if camera.reviews.filter(decided_at__date=decided_on).exists():
                continue
            review, _messages = services.decide(camera, officer, "keep", REASON, at=_at(decided_on))
            services.note(review, dpo, DPO_COMMENT, at=_at(noted_on))
