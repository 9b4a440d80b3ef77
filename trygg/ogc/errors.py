"""The error of a bad OGC API query parameter, with its Swedish message: pure Python, no Django."""

from __future__ import annotations

from typing import Any

from trygg.core.limits import echo


def _(message: str) -> str:
    """Mark a user-facing message for translation; returns it unchanged (gettext comes later)."""
    return message


class QueryError(ValueError):
    """A query parameter that cannot be used, answered with 400.

    `message` is the untranslated Swedish template and `params` its named placeholders; `code` is the
    OGC exception code (`InvalidParameterValue` or `UnknownParameter`).
    """

    def __init__(self, message: str, code: str = "InvalidParameterValue", **params: Any) -> None:
        self.message = message
        self.code = code
        # The bad value is repeated only in part, so a long one cannot flood the answer (`limits.echo`).
        self.params = {**params, "value": echo(params["value"])} if "value" in params else params
        super().__init__(message % self.params if params else message)
