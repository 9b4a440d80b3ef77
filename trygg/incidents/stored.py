"""Stored counts of incidents and stored rankings, kept in step with the incidents (issue 15).

The need pages (a site's profile, the overview, the ranking) read counts per site and month, per
hour of the week and per time range (`IncidentMonthCount`, `IncidentWeekCount`, `IncidentRangeCount`;
what one incident adds is `trygg.incidents.counts`) instead of every incident. They change in the
same transaction as the incidents themselves:

- one incident saved or deleted (the page, the admin, the demo, anything that calls `save` or
  `delete`): signals take the row as it was from the database and add the row as it is now;
- an import: each committed batch adds its rows (`trygg.incidents.services._commit_batch`), and an
  import undone removes them again per chunk (`services.remove_written`);
- writes that skip signals (`bulk_create`, raw SQL: the benchmark, some tests) call `rebuild`, as
  does `trygg recompute_incident_counts`.

Every change moves `IncidentCountsVersion` on, and so does adding or deleting a site (the ranking
ranks every site). A ranking is stored per choice of settings with the version it was computed at
(`StoredRanking`, `StoredRank`) and served only while that version is current; otherwise the next
request computes and stores it again. After an import and in the command, today's ranking with the
default settings is computed at once, so the page opens without waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from trygg.incidents import counts
from trygg.incidents import ranking as pure_ranking
from trygg.incidents.models import (
    Incident,
    IncidentCountsVersion,
    IncidentMonthCount,
    IncidentRangeCount,
    IncidentWeekCount,
    StoredRank,
    StoredRanking,
)
from trygg.sites.models import Site

logger = logging.getLogger("trygg.incidents")

# The incident's fields that the counts read, in the order `counts.Changes.add` takes them.
ROW_FIELDS = ("site_id", "kind", "occurred_on", "occurred_time", "until_on", "until_time", "cost")
SITES_PER_REBUILD = 200
KEPT_RANKINGS = 20  # settings whose ranking is kept at the current version (the newest computed)


#
# Writing the counts
#


def _upsert_sql(model: Any, keys: tuple[str, ...], added: tuple[str, ...]) -> str:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET each added column += the new value (SQLite and PostgreSQL)."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    opts = model._meta
    table = quote(opts.db_table)
    columns = [quote(opts.get_field(name).column) for name in (*keys, *added)]
    key_columns = columns[: len(keys)]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns[len(keys) :])
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608 - names from the model
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}"
    )


def apply(changes: counts.Changes) -> None:
    """Add `changes` to the stored counts, drop the counts that reach zero, and move the version on.

    One statement per table run over all keys (executemany), in one transaction (the caller's, if any).
    """
    changes = changes.nonzero()
    if not changes:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    day = connection.ops.adapt_datefield_value
    with transaction.atomic(), connection.cursor() as cursor:
        # Sorted, so two transactions touching the same rows take their locks in the same order.
        if changes.months:
            cursor.executemany(
                _upsert_sql(IncidentMonthCount, ("site", "month", "kind"), ("count", "cost_ore", "with_cost")),
                [(site, day(month), kind, *values) for (site, month, kind), values in sorted(changes.months.items())],
            )
        if changes.weeks:
            cursor.executemany(
                _upsert_sql(IncidentWeekCount, ("site", "weekday", "hour"), ("count",)),
                [(*key, n) for key, n in sorted(changes.weeks.items())],
            )
        if changes.ranges:
            cursor.executemany(
                _upsert_sql(
                    IncidentRangeCount, ("site", "occurred_on", "start_second", "until_on", "until_second"), ("count",)
                ),
                [
                    (site, day(on), start, day(until), end, n)
                    for (site, on, start, until, end), n in sorted(changes.ranges.items())
                ],
            )
        sites = sorted(changes.sites)
        for model in (IncidentMonthCount, IncidentWeekCount, IncidentRangeCount):
            model.objects.filter(site_id__in=sites, count=0).delete()
        bump()


def bump() -> None:
    """Move the version of the counts on (stored rankings computed before no longer count)."""
    with transaction.atomic():
        if not IncidentCountsVersion.objects.filter(pk=1).update(version=F("version") + 1):
            IncidentCountsVersion.objects.create(pk=1, version=1)


def current_version() -> int:
    return IncidentCountsVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def rows_of(queryset: Any) -> Iterable[tuple]:
    """The incidents of `queryset` as `ROW_FIELDS` tuples, read in chunks."""
    return queryset.order_by().values_list(*ROW_FIELDS).iterator(chunk_size=5000)


def rebuild(site_ids: Iterable[int] | None = None) -> int:
    """Count the incidents of `site_ids` (every site when None) again from scratch; returns how many
    incidents were counted. One transaction: the pages see the old counts or the new, never a mix."""
    with transaction.atomic():
        if site_ids is None:
            ids = list(Site.objects.order_by("pk").values_list("pk", flat=True))
            for model in (IncidentMonthCount, IncidentWeekCount, IncidentRangeCount):
                model.objects.all().delete()
        else:
            ids = sorted(set(site_ids))
            for model in (IncidentMonthCount, IncidentWeekCount, IncidentRangeCount):
                model.objects.filter(site_id__in=ids).delete()
        total = 0
        for start in range(0, len(ids), SITES_PER_REBUILD):
            chunk = ids[start : start + SITES_PER_REBUILD]
            changes = counts.changes_of(rows_of(Incident.objects.filter(site_id__in=chunk)))
            total += sum(v[0] for v in changes.months.values())
            apply(changes)
        bump()
    return total


#
# Signals: one incident saved or deleted, a site added or deleted
#


def _before_save(sender: Any, instance: Incident, raw: bool = False, **kwargs: Any) -> None:
    instance._counted_before = None  # type: ignore[attr-defined]
    if raw or instance.pk is None:
        return
    instance._counted_before = Incident.objects.filter(pk=instance.pk).values_list(*ROW_FIELDS).first()  # type: ignore[attr-defined]


def _after_save(sender: Any, instance: Incident, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    changes = counts.Changes()
    before = getattr(instance, "_counted_before", None)
    if before is not None:
        changes.add(*before, sign=-1)
    # As stored (a cost rounded to öre, a date given as text parsed), not as the instance holds it.
    now = Incident.objects.filter(pk=instance.pk).values_list(*ROW_FIELDS).first()
    if now is not None:
        changes.add(*now)
    apply(changes)
    instance._counted_before = None  # type: ignore[attr-defined]


def _before_delete(sender: Any, instance: Incident, **kwargs: Any) -> None:
    """Inside the delete's transaction (Django's deletion collector), so both happen or neither."""
    row = Incident.objects.filter(pk=instance.pk).values_list(*ROW_FIELDS).first()
    if row is not None:
        changes = counts.Changes()
        changes.add(*row, sign=-1)
        apply(changes)


def _site_added_or_deleted(sender: Any, instance: Site, created: bool = True, raw: bool = False, **kw: Any) -> None:
    if created and not raw:
        bump()


def connect_signals() -> None:
    pre_save.connect(_before_save, sender=Incident, dispatch_uid="trygg_incident_counts_pre_save")
    post_save.connect(_after_save, sender=Incident, dispatch_uid="trygg_incident_counts_post_save")
    pre_delete.connect(_before_delete, sender=Incident, dispatch_uid="trygg_incident_counts_pre_delete")
    post_save.connect(_site_added_or_deleted, sender=Site, dispatch_uid="trygg_incident_counts_site_save")
    post_delete.connect(_site_added_or_deleted, sender=Site, dispatch_uid="trygg_incident_counts_site_delete")


#
# Stored rankings
#


def settings_key(settings: pure_ranking.Settings) -> str:
    """The settings as canonical JSON: equal settings give equal keys (5 years = 5.0 years)."""
    weights = None if settings.harm_weights is None else sorted((k, float(w)) for k, w in settings.harm_weights.items())
    return json.dumps(
        {
            "as_of": settings.as_of.isoformat(),
            "years": float(settings.years),
            "half_life_years": None if not settings.half_life_years else float(settings.half_life_years),
            "harm_weights": weights,
            "level": settings.level,
            "small_numbers": settings.small_numbers,
        },
        sort_keys=True,
    )


class Ranked:
    """A ranking to show: its settings and prior, every year with incidents, and its rows (`StoredRank`,
    rank order) as a queryset when stored or a list when it could not be stored this time."""

    def __init__(self, settings: pure_ranking.Settings, prior: pure_ranking.Prior, years: list[int], ranks: Any):
        self.settings, self.prior, self.years, self.ranks = settings, prior, years, ranks


def ranked(settings: pure_ranking.Settings) -> Ranked:
    """The ranking for `settings`: the stored one while the counts have not changed since, else computed
    now and stored (two queries when stored; the rows are read a page at a time by the caller)."""
    version = current_version()
    found = StoredRanking.objects.filter(settings_key=settings_key(settings), version=version).first()
    if found is None:
        return store_ranking(settings, version)
    prior = pure_ranking.Prior(found.prior_shape, found.prior_rate, found.prior_mean, found.prior_phi)
    return Ranked(settings, prior, found.years, found.ranks.order_by("rank"))


def rank_rows(result: pure_ranking.Ranking) -> list[StoredRank]:
    return [
        StoredRank(
            site_id=r.site,
            rank=r.rank,
            rank_best=r.rank_best,
            rank_worst=r.rank_worst,
            count=r.count,
            weighted=r.weighted,
            exposure=r.exposure,
            raw_rate=r.raw_rate,
            rate=r.rate,
            low=r.low,
            high=r.high,
            weight_on_own_data=r.weight_on_own_data,
            cost=str(r.cost),
            cost_per_year=str(r.cost_per_year),
            per_year={str(year): n for year, n in r.per_year.items()},
            small_numbers=r.small_numbers,
        )
        for r in result.sites
    ]


def store_ranking(settings: pure_ranking.Settings, version: int | None = None) -> Ranked:
    """Compute the ranking for `settings` from the stored counts and store it at `version` (the version
    read before the counts were, so a change committed meanwhile makes it stale, never wrongly current)."""
    from trygg.incidents import needs

    if version is None:
        version = current_version()
    # By name, as the ranking page always listed them: the prior's sums then add in the same order.
    result = needs.ranking_for(list(Site.objects.order_by("name").only("pk")), settings)
    rows = rank_rows(result)
    years = sorted({year for r in result.sites for year in r.per_year})
    key = settings_key(settings)
    try:
        with transaction.atomic():
            _remove_rankings(Q(version__lt=version) | Q(settings_key=key))
            header = StoredRanking.objects.create(
                settings_key=key,
                version=version,
                computed_at=timezone.now(),
                prior_shape=result.prior.shape,
                prior_rate=result.prior.rate,
                prior_mean=result.prior.mean,
                prior_phi=result.prior.phi,
                years=years,
            )
            for row in rows:
                row.ranking = header
            StoredRank.objects.bulk_create(rows, batch_size=500)
            kept = StoredRanking.objects.order_by("-computed_at", "-pk").values_list("pk", flat=True)[:KEPT_RANKINGS]
            _remove_rankings(~Q(pk__in=list(kept)))
    except IntegrityError:
        # Another request stored the same settings a moment ago: show this result, keep theirs.
        logger.info("Ranking %s stored by another request meanwhile", key)
    return Ranked(settings, result.prior, years, rows)


def _remove_rankings(which: Q) -> None:
    """Delete the rankings `which` selects with their rows: two plain DELETEs (the rows have no
    dependants and no signals), so the queries do not depend on how many there are."""
    rankings = StoredRanking.objects.filter(which).values("pk")
    ranks = StoredRank.objects.filter(ranking__in=rankings)
    ranks._raw_delete(ranks.db)
    stale = StoredRanking.objects.filter(which)
    stale._raw_delete(stale.db)


def default_settings(on: dt.date | None = None) -> pure_ranking.Settings:
    """The ranking page's settings when nothing is chosen: today, 5 years, half-life 2 years, harm weights."""
    from trygg.incidents import needs

    return needs.ranking_settings(on or timezone.localdate(), 5, 2.0, True)


def refresh_default_ranking() -> None:
    """Compute and store today's default ranking if the stored one is stale (after an import, nightly)."""
    ranked(default_settings())
