"""Sorting and paging for list pages, the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


@dataclass
class Column:
    key: str
    label: Any
    sort: str | None = None  # the ordering expression, or None when the column does not sort
    numeric: bool = False


@dataclass
class Listing:
    page: Page
    columns: list[Column]
    sort: str
    descending: bool
    query_string: str  # the filters, without sort and page, for links
    page_name: str = "page"  # the query parameter of the page number (`sida` on some pages)

    def sort_link(self, column: Column) -> str:
        direction = "-" if column.key == self.sort and not self.descending else ""
        return f"?{self.query_string}&sort={direction}{column.key}".replace("?&", "?")

    def aria_sort(self, column: Column) -> str:
        if column.key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def listing(request: HttpRequest, queryset: QuerySet, columns: list[Column], default_sort: str) -> Listing:
    """Order `queryset` by ?sort= (a column key, '-' for descending) and return one page of it."""
    wanted = request.GET.get("sort", default_sort)
    descending = wanted.startswith("-")
    key = wanted.lstrip("-")
    by_key = {c.key: c for c in columns if c.sort}
    if key not in by_key:
        key, descending = default_sort.lstrip("-"), default_sort.startswith("-")
    expression = by_key[key].sort
    queryset = queryset.order_by(f"-{expression}" if descending else expression, "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("sort", None)
    params.pop("page", None)
    return Listing(page, columns, key, descending, params.urlencode())
