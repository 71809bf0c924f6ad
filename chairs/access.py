"""Who acts for the chair of a term, and keeps its report and functions (`kit.access`)."""

from __future__ import annotations

from chairs.models import ChairTerm
from groups.access import CHAIR_ROLES, is_support


def acts_for_term(person, term: ChairTerm | None) -> bool:
    """The chair's people for a term: focal points and principal of the chairing agency."""
    return bool(
        term is not None
        and person.is_authenticated
        and person.is_active
        and person.agency_id is not None
        and person.agency_id == term.agency_id
        and person.role in CHAIR_ROLES
    )


def can_edit_chair_report(person, term: ChairTerm) -> bool:
    """The chair's people, with the support team, keep their term's annual work plan and report."""
    return is_support(person) or acts_for_term(person, term)


def can_tick_chair_functions(person, term: ChairTerm) -> bool:
    """The functions of the Chair (Annex I) a term has done are ticked by its chair's people or the support team."""
    return can_edit_chair_report(person, term)
