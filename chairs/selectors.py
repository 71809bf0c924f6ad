"""Reads of the chair terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chairs.models import ChairTerm
from chairs.services import all_terms, is_overtaken


@dataclass(frozen=True)
class TermPeriod:
    """One period of the chair's history with what was planned for it and what happened, side by side."""

    starts_on: date
    ends_on: date
    planned: ChairTerm | None
    actual: ChairTerm | None
    planned_overtaken: bool

    @property
    def differs(self) -> bool:
        """The plan named another agency than the one that chaired (UN Women planned, World Bank chaired 2015)."""
        return self.planned is not None and self.actual is not None and self.planned.agency_id != self.actual.agency_id


def terms_side_by_side() -> list[TermPeriod]:
    """Planned and actual terms paired by their first day, in date order; either side may be missing."""
    terms = all_terms()
    periods: dict[date, dict[str, ChairTerm]] = {}
    for term in terms:
        periods.setdefault(term.starts_on, {})[term.kind] = term
    rows = []
    for starts_on in sorted(periods):
        planned = periods[starts_on].get(ChairTerm.Kind.PLANNED)
        actual = periods[starts_on].get(ChairTerm.Kind.ACTUAL)
        rows.append(
            TermPeriod(
                starts_on=starts_on,
                ends_on=(actual or planned).ends_on,
                planned=planned,
                actual=actual,
                planned_overtaken=bool(planned and is_overtaken(planned, terms)),
            )
        )
    return rows
