"""Database functions that the ORM spells slowly on SQLite.

Django's Extract on SQLite calls a Python function for every row (django_date_extract), which costs more
than the query around it; SQLite's own strftime gives the same numbers. Other databases use Django's
EXTRACT unchanged. For DateField values (no time zone enters).
"""

from __future__ import annotations

from typing import Any

from django.db.models.functions import ExtractMonth, ExtractYear


class Year(ExtractYear):
    """The year of a date as an integer, computed by the database itself (also on SQLite)."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


class Month(ExtractMonth):
    """The month (1–12) of a date as an integer, computed by the database itself (also on SQLite)."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%m', {sql}) AS INTEGER)", params
