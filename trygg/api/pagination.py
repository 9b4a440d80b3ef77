"""Cursor pagination for every API list: stable pages while the register changes, no counting query."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination


class IdCursorPagination(CursorPagination):
    """Pages in id order, `next`/`previous` links carry an opaque cursor; `page_size` 1–1 000.

    A cursor not made by a link of ours, or a page size that is not a whole number 1–1 000, is refused
    with 400 naming the parameter (DRF answers a bad cursor with 404, a forged position with a 500, and
    ignores a bad page size).
    """

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        gettext("Parametern ”%(name)s” ska vara ett heltal från 1 till %(max)s.")
                        % {"name": self.page_size_query_param, "max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def decode_cursor(self, request: Any) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound as error:
            raise self._bad_cursor() from error
        if cursor is not None and cursor.position is not None and not re.fullmatch(r"[0-9]{1,18}", cursor.position):
            raise self._bad_cursor()
        return cursor

    def _bad_cursor(self) -> exceptions.ValidationError:
        return exceptions.ValidationError(
            {
                self.cursor_query_param: [
                    gettext(
                        "Parametern ”%(name)s” är ogiltig. Använd länkarna next och previous i svaret, eller "
                        "utelämna parametern för första sidan."
                    )
                    % {"name": self.cursor_query_param}
                ]
            }
        )
