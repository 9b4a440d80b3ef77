"""The error of the effect statistics, in a module of its own so that catching it does not load
scipy and statsmodels (several seconds per process; `stats` imports them). No Django."""

from __future__ import annotations

__all__ = ["StatsError"]


class StatsError(ValueError):
    """A statistic cannot be computed honestly from the input.

    ``code`` is a stable English key the Django layer translates, one of:
    ``"zero-count"`` (a count that must be positive is 0), ``"negative-count"``,
    ``"not-integer"`` (a count that is not a whole number), ``"bad-level"`` (confidence level not in
    (0, 1)), ``"bad-dispersion"``, ``"bad-weight"`` (time, area or harm weight not positive and
    finite, or of the wrong length), ``"bad-variance"``, ``"too-short"`` (series or segment too
    short), ``"too-few"`` (nothing to pool), ``"bad-index"``, ``"bad-family"``, ``"bad-exposure"``,
    ``"length-mismatch"``, ``"no-convergence"``.
    ``field`` names the offending argument when there is one.
    """

    def __init__(self, code: str, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message or code)
        self.code = code
        self.field = field
