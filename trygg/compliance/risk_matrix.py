"""The DPIA's 4 × 4 risk matrix (severity × likelihood), as shown on the page and in documents."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trygg.compliance.models import (
    DpiaRisk,
)

#
# The DPIA's risk matrix
#


@dataclass
class MatrixCell:
    severity: int
    likelihood: int
    risks: list[DpiaRisk]

    @property
    def level(self) -> str:
        score = self.severity * self.likelihood
        return "high" if score >= 9 else "medium" if score >= 4 else "low"


def risk_matrix(risks: Iterable[DpiaRisk]) -> list[list[MatrixCell]]:
    """Rows of severity 4 down to 1, columns of likelihood 1 to 4, each cell with its risks."""
    grid = {(s, li): MatrixCell(s, li, []) for s in range(1, 5) for li in range(1, 5)}
    for risk in risks:
        grid[(risk.severity, risk.likelihood)].risks.append(risk)
    return [[grid[(s, li)] for li in range(1, 5)] for s in range(4, 0, -1)]
