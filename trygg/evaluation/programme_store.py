"""The programme evaluation stored, so the programme page reads it instead of computing it (issue 15).

`evaluate_programme` evaluates every camera site (seconds at 2 000 sites). `recompute` runs it and
stores the result (`StoredProgrammeEffect` with one `StoredProgrammeSite` per row), with when it was
computed, the day it was computed for and the state of the register it read (`stamp`). It runs
nightly (`trygg recompute_programme_effect`), as a background job from the programme page's button
(`trygg.evaluation.jobs`) and once when the demo is loaded. The page shows the stored result with
"Beräknad <time>" and says whether the register has changed since and whether it was computed on an
earlier day (`staleness`); nothing recomputes on a page view.

Texts are stored untranslated, as the msgid and its values, and translated when read: the job that
computes runs in Swedish, the page may be read in English. `evaluate_programme` is therefore run with
`record` as its translation, which returns a `trygg.core.texts.Text`: a str that remembers its msgid
and, after `%`, its values. The warnings' long texts (composed of several translated parts) are kept in Swedish; the
page and the report show only a warning's code and title, which are translated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from trygg.core import texts
from trygg.evaluation import programme, services, verdict
from trygg.evaluation.programme_models import StoredProgrammeEffect, StoredProgrammeSite
from trygg.sites.models import Site

Translate = Callable[[str], str]


# The stored texts' msgid and values (`trygg.core.texts`): `recompute` runs the evaluation with `record`.
Text = texts.Text
record = texts.deferred
_text_json = texts.as_json
_text = texts.translated


def _estimate(data: dict[str, Any] | None) -> Any:
    from trygg.evaluation import stats

    return None if data is None else stats.Estimate(**data)


def stamp() -> str:
    """The state of the register the programme evaluation reads: the incident counts' version (moved by
    every incident written and every site added or removed) and the last change in the change log
    (cameras into operation, costs, measures, sites edited). Two indexed queries."""
    from trygg.core.models import ObjectChange
    from trygg.incidents import stored as stored_counts

    last = (
        ObjectChange.objects.exclude(action=ObjectChange.Action.EVENT).order_by("-pk").values_list("pk", flat=True)[:1]
    )
    return f"{stored_counts.current_version()}:{next(iter(last), 0)}"


def recompute(progress: Callable[[int, int], None] | None = None) -> StoredProgrammeEffect:
    """Evaluate the programme as of today and store it in place of the stored one; returns the new one.

    `progress(done, total)` as for `evaluate_programme` (a job's progress; raising there stores nothing).
    The stamp is read before the register is: a change made during the computation makes the stored
    result show as changed since, never as current on older data.
    """
    state = stamp()
    today = timezone.localdate()
    until = min(today, services.data_until())
    summary = programme.evaluate_programme(record, today=today, progress=progress)
    headline = {
        "pooled": None
        if summary.pooled is None
        else dataclasses.asdict(summary.pooled),  # the estimate as a dict inside
        "pooled_percent": summary.pooled_percent,
        "distinguishable": summary.distinguishable,
        "avoided": None if summary.avoided is None else dataclasses.asdict(summary.avoided),
        "cost": None if summary.cost is None else str(summary.cost),
        "cost_per_avoided": summary.cost_per_avoided,
        "cost_text": _text_json(summary.cost_text),
    }
    with transaction.atomic():
        effect = StoredProgrammeEffect.objects.create(
            computed_at=timezone.now(),
            as_of=today,
            data_until=until,
            stamp=state,
            sites_total=len(summary.rows),
            sites_included=summary.included_count,
            sites_waiting=summary.waiting_count,
            sites_register_behind=summary.register_behind_count,
            headline=json.dumps(headline),
        )
        StoredProgrammeSite.objects.bulk_create(
            (
                StoredProgrammeSite(
                    effect=effect, position=position, site_id=row.site.pk, row=json.dumps(_row_json(row))
                )
                for position, row in enumerate(summary.rows)
            ),
            batch_size=500,
        )
        # One result is kept: two plain DELETEs, however many rows the older ones had.
        older_rows = StoredProgrammeSite.objects.exclude(effect=effect)
        older_rows._raw_delete(older_rows.db)
        older = StoredProgrammeEffect.objects.exclude(pk=effect.pk)
        older._raw_delete(older.db)
    return effect


def _row_json(row: programme.SiteRow) -> dict[str, Any]:
    return {
        "started": row.started.isoformat(),
        "periods": None if row.periods is None else _periods_json(row.periods),
        "controls": [site.pk for site in row.controls],
        "counts": row.counts,
        "res": None if row.res is None else dataclasses.asdict(row.res),
        "wdd": None if row.wdd is None else dataclasses.asdict(row.wdd),
        "reason": _text_json(row.reason),
        "waiting": row.waiting,
        "register_behind": row.register_behind,
        "warnings": [[w.code, str(w.text), _text_json(w.title)] for w in row.warnings],
    }


def _periods_json(periods: services.Periods) -> list[Any]:
    return [
        periods.before_start.isoformat(),
        periods.before_months,
        periods.after_start.isoformat(),
        periods.after_months,
    ]


def _periods(data: list[Any]) -> services.Periods:
    return services.Periods(dt.date.fromisoformat(data[0]), data[1], dt.date.fromisoformat(data[2]), data[3])


def latest() -> StoredProgrammeEffect | None:
    """The stored programme evaluation, or None before the first computation. One query."""
    return StoredProgrammeEffect.objects.order_by("-computed_at", "-pk").first()


@dataclasses.dataclass(frozen=True)
class Staleness:
    """Why a stored result may differ from today's: the register changed since it was computed, or it was
    computed for an earlier day (an after period may have ended since, and waiting sites' reasons name
    that day), or both; neither means it is current."""

    changed: bool
    earlier_day: bool

    @property
    def current(self) -> bool:
        return not (self.changed or self.earlier_day)


def staleness(effect: StoredProgrammeEffect) -> Staleness:
    """Whether the register changed since `effect` was computed and whether it was computed for an earlier
    day (two queries)."""
    return Staleness(changed=effect.stamp != stamp(), earlier_day=effect.as_of != timezone.localdate())


def is_current(effect: StoredProgrammeEffect) -> bool:
    """Computed today and nothing in the register changed since (two queries)."""
    return effect.as_of == timezone.localdate() and effect.stamp == stamp()


def summary_of(
    effect: StoredProgrammeEffect, stored_rows: Iterable[StoredProgrammeSite], _: Translate
) -> programme.Summary:
    """The stored evaluation as `evaluate_programme` gave it, translated with `_`, with `stored_rows` (a page
    of them, their sites selected with them) as its rows. One query for the rows' control sites."""
    from trygg.evaluation import stats

    stored_rows = list(stored_rows)
    decoded = [(stored.site, json.loads(stored.row)) for stored in stored_rows]
    control_ids = {pk for _site, data in decoded for pk in data["controls"]}
    controls = Site.objects.in_bulk(control_ids) if control_ids else {}
    rows = [
        programme.SiteRow(
            site=site,
            started=dt.date.fromisoformat(data["started"]),
            periods=None if data["periods"] is None else _periods(data["periods"]),
            controls=[controls[pk] for pk in data["controls"] if pk in controls],
            counts=data["counts"],
            res=_estimate(data["res"]),
            wdd=_estimate(data["wdd"]),
            reason=_text(data["reason"], _),
            waiting=data["waiting"],
            register_behind=data.get("register_behind", False),
            warnings=tuple(verdict.Warning(code, text, _text(title, _)) for code, text, title in data["warnings"]),
        )
        for site, data in decoded
    ]
    headline = json.loads(effect.headline)
    pooled = None
    if headline["pooled"] is not None:
        pooled = stats.Pooled(**(headline["pooled"] | {"estimate": _estimate(headline["pooled"]["estimate"])}))
    return programme.Summary(
        rows=rows,
        pooled=pooled,
        pooled_percent=None if headline["pooled_percent"] is None else tuple(headline["pooled_percent"]),
        distinguishable=headline["distinguishable"],
        avoided=_estimate(headline["avoided"]),
        cost=None if headline["cost"] is None else Decimal(headline["cost"]),
        cost_per_avoided=headline["cost_per_avoided"],
        cost_text=_text(headline["cost_text"], _),
    )


def site_rows(effect: StoredProgrammeEffect):
    """The stored rows of `effect` in the evaluation's order, each with its site (a queryset to page)."""
    return effect.site_rows.select_related("site").order_by("position")


def current_summary(on: dt.date, _: Translate) -> programme.Summary | None:
    """The whole stored evaluation when it is current and was computed for `on`, else None (the board
    report then computes its own). Four queries and the rows."""
    effect = latest()
    if effect is None or effect.as_of != on or not is_current(effect):
        return None
    return summary_of(effect, site_rows(effect), _)
