"""Reads of the chair terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chairs.models import ChairFunction, ChairFunctionTick, ChairTerm
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


# -- the chair's annual report, drafted from the record ---------------------------------------------------------


@dataclass(frozen=True)
class FunctionLine:
    """One function of the Chair on a term's checklist: ticked by hand, or the register's obligation that is it."""

    function: ChairFunction
    tick: ChairFunctionTick | None = None
    duty: object | None = None  # the register's Obligation for a function that is one (register.deadlines)

    @property
    def done(self) -> bool:
        if self.function.obligation_kind:
            return self.duty is not None and self.duty.done_on is not None
        return self.tick is not None


def chair_functions_checklist(term: ChairTerm, duties) -> list[tuple[str, list[FunctionLine]]]:
    """The functions of the Chair (Annex I) for a term, by level, each with its tick or its register obligation
    (`duties`: the register's obligations of this term). Two queries: the functions, the term's ticks."""
    ticks = {t.function_id: t for t in ChairFunctionTick.objects.filter(term=term).select_related("ticked_by")}
    by_kind = {duty.kind: duty for duty in duties}
    levels: dict[str, list[FunctionLine]] = {}
    for function in ChairFunction.objects.all():
        line = FunctionLine(function, ticks.get(function.pk), by_kind.get(function.obligation_kind))
        levels.setdefault(function.get_level_display(), []).append(line)
    return list(levels.items())
