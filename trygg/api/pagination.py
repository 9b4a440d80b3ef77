"""Cursor pagination for every API list: stable pages while the register changes, no counting query."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages in id order, `next`/`previous` links carry an opaque cursor; `page_size` up to 1 000."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
