"""The incident list's pages, read in a way the database can follow at a million incidents (issue 15).

Newest first over every incident walks the index on the date and stops after the page. A list limited to
some sites (an administration contact's, a name search) has two ways: read those sites' incidents from
the index on the site and sort them all, or walk every incident newest first and keep the sites' until the
page is full. Which one reads fewer rows depends on how many of all incidents are the sites': a
database without statistics (SQLite as Trygg runs it) cannot know, so the list chooses from the counts
(`walks_newest_first`).

Counting a million incidents takes 100–200 ms on PostgreSQL, so a count is kept in the cache under the
version of the stored incident counts (`trygg.incidents.stored.current_version`), which moves on with every
incident saved, deleted, imported or rebuilt: a count is made once per change, not once per page.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

from trygg.core.params import page_of
from trygg.incidents import stored
from trygg.incidents.models import Incident

PER_PAGE = 50
ORDER = ("-occurred_on", "-occurred_time", "-pk")


def walks_newest_first(offset: int, per_page: int, in_scope: int, total: int) -> bool:
    """Whether walking all `total` incidents newest first reads fewer rows than sorting the `in_scope` ones.

    Walking meets one of the scope's incidents about every `total / in_scope` rows, so the page ending at
    row `offset + per_page` is full after about `(offset + per_page) * total / in_scope` rows; sorting
    reads `in_scope` rows. Pure: counts in, a choice out.
    """
    return in_scope > 0 and (offset + per_page) * total < in_scope * in_scope


def count_of(incidents: QuerySet[Incident], version: int) -> int:
    """How many `incidents`, from the cache while the stored counts' `version` is the same, else counted."""
    query = str(incidents.order_by().query)  # the filters and the sites, so one count per distinct list
    key = "trygg:incident-count:" + hashlib.sha256(f"{version}:{query}".encode()).hexdigest()
    count = cache.get(key)
    if count is None:
        count = incidents.count()
        cache.set(key, count, None)
    return count


def incident_page(incidents: QuerySet[Incident], site_ids: list[int] | None, number: int) -> Page:
    """Page `number` (from 1) of `incidents` at the sites `site_ids` (None: every site), newest first.

    `incidents` carries the other filters (a kind) and what to load with each row. At most four queries
    (the counts' version, the count and every incident's count unless cached, the page); BadParameter past
    the last page.
    """
    version = stored.current_version()
    scoped = incidents if site_ids is None else incidents.filter(site_id__in=site_ids)
    paginator = Paginator(scoped.order_by(*ORDER), PER_PAGE)
    paginator.count = count_of(scoped, version)  # not counted again by the paginator
    page = page_of(paginator, number)
    offset = (page.number - 1) * PER_PAGE
    if site_ids is not None and len(site_ids) > 1 and paginator.count:
        total = count_of(incidents, version)
        if walks_newest_first(offset, PER_PAGE, paginator.count, total):
            # `site_id + 0` hides the site index from the planner, so it walks the date index instead.
            walking = incidents.alias(walk_site=F("site_id") + 0).filter(walk_site__in=site_ids)
            page.object_list = walking.order_by(*ORDER)[offset : offset + PER_PAGE]
    return page
