"""The earmarked camera budget per year: allocated, carried in, committed, spent, remaining. No Django.

- The allocation of a year is the source of truth (`BudgetAllocation`); a year without one has
  nothing allocated and says so (warning `no_allocation`).
- Committed money is ordered but not yet booked; spent money is booked. Remaining is what is
  available minus both.
- Unused money moves to the next year only when that year's predecessor is configured to carry it
  over (`carry_over`); an overspent year never carries a debt forward.
- Planned projects (their estimated cost, for the projects in the year's plan that are not finished
  or cancelled) are compared with what is available, so a plan that cannot be paid is seen early.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")
COMMITTED = "committed"
SPENT = "spent"

# Warning codes; the Swedish sentences live with the pages and the report drafting.
NO_ALLOCATION = "no_allocation"
OVERSPENT = "overspent"
PLANNED_EXCEEDS = "planned_exceeds"


@dataclass(frozen=True)
class Allocation:
    year: int
    amount: Decimal
    carry_over: bool = False  # unused money of this year may be used the next year


@dataclass(frozen=True)
class Cost:
    year: int
    category: str
    status: str  # COMMITTED or SPENT
    amount: Decimal


@dataclass(frozen=True)
class PlannedProject:
    name: str
    year: int
    estimated_cost: Decimal | None
    active: bool = True  # False for finished or cancelled projects


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    committed: Decimal
    spent: Decimal

    @property
    def total(self) -> Decimal:
        return self.committed + self.spent


@dataclass(frozen=True)
class YearBudget:
    year: int
    has_allocation: bool
    allocated: Decimal
    carried_in: Decimal
    committed: Decimal
    spent: Decimal
    planned: Decimal
    by_category: tuple[CategoryTotal, ...] = field(default_factory=tuple)
    planned_projects: tuple[PlannedProject, ...] = field(default_factory=tuple)

    @property
    def available(self) -> Decimal:
        return self.allocated + self.carried_in

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal:
        return self.available - self.used

    @property
    def overspent_by(self) -> Decimal:
        return max(ZERO, self.used - self.available)

    @property
    def planned_over_by(self) -> Decimal:
        return max(ZERO, self.planned - self.available)

    @property
    def warnings(self) -> tuple[str, ...]:
        found = []
        if not self.has_allocation:
            found.append(NO_ALLOCATION)
        if self.used > self.available:
            found.append(OVERSPENT)
        if self.planned > self.available:
            found.append(PLANNED_EXCEEDS)
        return tuple(found)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def year_budget(
    year: int,
    allocations: Iterable[Allocation],
    costs: Iterable[Cost],
    projects: Iterable[PlannedProject] = (),
    categories: Iterable[str] = (),
) -> YearBudget:
    """The budget of `year`, carrying unused money from earlier years only where configured."""
    allocations_by_year = {a.year: a for a in allocations}
    costs = list(costs)
    used_by_year: dict[int, Decimal] = {}
    for cost in costs:
        used_by_year[cost.year] = used_by_year.get(cost.year, ZERO) + cost.amount

    carried_in = ZERO
    for earlier in range(min([year, *allocations_by_year]), year):
        allocation = allocations_by_year.get(earlier)
        if allocation is None:
            carried_in = ZERO
            continue
        left = allocation.amount + carried_in - used_by_year.get(earlier, ZERO)
        carried_in = max(ZERO, left) if allocation.carry_over else ZERO

    this_year = [c for c in costs if c.year == year]
    order = list(categories) or sorted({c.category for c in this_year})
    by_category = tuple(
        CategoryTotal(
            category,
            _sum(c.amount for c in this_year if c.category == category and c.status == COMMITTED),
            _sum(c.amount for c in this_year if c.category == category and c.status == SPENT),
        )
        for category in order
    )
    planned = tuple(p for p in projects if p.year == year and p.active)
    allocation = allocations_by_year.get(year)
    return YearBudget(
        year=year,
        has_allocation=allocation is not None,
        allocated=allocation.amount if allocation is not None else ZERO,
        carried_in=carried_in,
        committed=_sum(c.amount for c in this_year if c.status == COMMITTED),
        spent=_sum(c.amount for c in this_year if c.status == SPENT),
        planned=_sum(p.estimated_cost or ZERO for p in planned),
        by_category=by_category,
        planned_projects=planned,
    )
